/**
 * What of a request the audit trail keeps: its parameters as sent, without the signature and with
 * every credential masked. ActionTrail shows that a password or key was given, never its value;
 * UserData is masked too because cloud-init scripts routinely carry passwords and tokens.
 */

/** The mask stored in place of a secret (the key stays, so the trail shows one was given). */
export const MASK = '******';

/** Parameters of no use in a trail (the request's signature and its one-time nonce). */
const DROPPED = new Set(['Signature', 'SignatureNonce']);

/**
 * A parameter (or JSON field) name whose value is a credential: judged on its last segment
 * (`Tag.1.Key` → `Key`). test/unit/secret-params.test.ts holds it to every such parameter of the
 * spec (passwords, secrets, tokens, private keys, MFA codes and seeds).
 */
const SECRET_NAME = /(password|secret|securitytoken|privatekey|privatekeybody|userdata|samlassertion|oidctoken|passphrase|authenticationcode\d*|stringseed)$/i;

/** The longest value kept; longer ones are cut (a policy document, a long description). */
export const MAX_VALUE_CHARS = 4096;

/** Names the pattern catches that hold no secret (a yes/no setting). */
const NOT_SECRET = new Set(['allowusertochangepassword']);
/** Whole names that are credentials though the pattern misses them (VPC's connection-sharing `Token`). */
const SECRET_EXACT = new Set(['token']);

export function isSecretName(name: string): boolean {
  const last = (name.split('.').filter((s) => !/^\d+$/.test(s)).pop() ?? name).toLowerCase();
  if (NOT_SECRET.has(last)) return false;
  return SECRET_EXACT.has(last) || SECRET_NAME.test(last);
}

function redactJson(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(redactJson);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, isSecretName(k) ? MASK : redactJson(x)]));
  }
  return v;
}

/** A value that is itself JSON (V3 array/object parameters, `Tag` as JSON): its secret fields masked too. */
function redactValue(value: string): string {
  const t = value.trimStart();
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.stringify(redactJson(JSON.parse(value)));
    } catch {
      // Not JSON after all: kept as text.
    }
  }
  return value;
}

function cut(value: string): string {
  return value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…(truncated)` : value;
}

/** RFC 3986 percent-encoding, as the V2 signature encodes (so a string to sign holds values encoded once and twice). */
function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

/**
 * A message with every secret parameter's value masked, in whatever encoding it was echoed:
 * SignatureDoesNotMatch quotes the string to sign, which holds each parameter percent-encoded twice.
 */
export function redactMessage(message: string, params: Record<string, string>): string {
  let out = message;
  for (const [k, v] of Object.entries(params)) {
    if (!isSecretName(k) || !v) continue;
    const once = percentEncode(v);
    const forms = new Set([v, once, percentEncode(once), encodeURIComponent(v), new URLSearchParams({ v }).toString().slice(2)]);
    for (const f of [...forms].sort((a, b) => b.length - a.length)) out = out.split(f).join(MASK);
  }
  return out;
}

/** A request URL (a log line's) with the values of secret query parameters masked. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const pairs = [...new URLSearchParams(url.slice(q + 1))];
  if (!pairs.some(([k]) => isSecretName(k))) return url;
  const kept = pairs.map(([k, v]) => [k, isSecretName(k) ? MASK : v] as [string, string]);
  return url.slice(0, q + 1) + new URLSearchParams(kept).toString();
}

export function redactParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (DROPPED.has(k)) continue;
    out[k] = isSecretName(k) ? MASK : cut(redactValue(String(v)));
  }
  return out;
}
