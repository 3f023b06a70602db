/**
 * What of a request the audit trail keeps: its parameters as sent, without the signature and with
 * every credential masked. ActionTrail shows that a password or key was given, never its value;
 * UserData is masked too because cloud-init scripts routinely carry passwords and tokens.
 */

/** The mask stored in place of a secret (the key stays, so the trail shows one was given). */
export const MASK = '******';

/** Parameters of no use in a trail (the request's signature and its one-time nonce). */
const DROPPED = new Set(['Signature', 'SignatureNonce']);

/** A parameter (or JSON field) name whose value is a credential: judged on its last segment (`Tag.1.Key` → `Key`). */
const SECRET_NAME = /(password|secret|securitytoken|privatekeybody|userdata|samlassertion|oidctoken|passphrase)$/i;

/** The longest value kept; longer ones are cut (a policy document, a long description). */
export const MAX_VALUE_CHARS = 4096;

export function isSecretName(name: string): boolean {
  const last = name.split('.').filter((s) => !/^\d+$/.test(s)).pop() ?? name;
  return SECRET_NAME.test(last);
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

export function redactParams(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) {
    if (DROPPED.has(k)) continue;
    out[k] = isSecretName(k) ? MASK : cut(redactValue(String(v)));
  }
  return out;
}
