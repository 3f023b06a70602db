/**
 * A request fuzzer generated from the API spec (src/api/generated/api-spec.json): for every
 * implemented action of every product it builds requests with wrong types, out-of-range and
 * boundary values, broken wire styles, unicode, huge values, missing, duplicated and unknown
 * parameters — and valid-looking requests that name a small fixture world's real ids so handlers
 * run deep. Requests are signed V2 (HMAC-SHA1) or V3 (ACS3-HMAC-SHA256), sent by GET or POST, and
 * ask for JSON or XML. Generation is a pure function of the seed, so a failure is reproducible.
 *
 * The oracle: no answer >= 500, no hang (per-request timeout), every error body with a non-empty
 * Code and a RequestId, every success body parseable with a RequestId.
 *
 * Used by test/fuzz/spec-fuzz.test.ts (scaled for CI) and bench/fuzz.ts (the full run).
 */
import { createHash, createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { allHandlers } from '../../src/actions/index.js';
import { ACTED_PARAMS } from '../../src/actions/acted-params.js';
import { apiSpec, actionSpec, type Product } from '../../src/api/spec.js';
import type { ActionSpec, ParamSpec, ValueSpec } from '../../src/api/spec-types.js';
import { AK, SECRET } from '../helpers/server.js';
import { pct, utcStamp } from '../helpers/raw.js';
import { prng } from '../helpers/random.js';

// ---------------------------------------------------------------- seeded randomness

/** The seeded PRNG of test/helpers/random.ts, with the draws the fuzzer makes. */
export class Rng {
  readonly next: () => number;
  constructor(seed: number) { this.next = prng(seed); }
  int(n: number): number { return Math.floor(this.next() * n); }
  chance(p: number): boolean { return this.next() < p; }
  pick<T>(a: readonly T[]): T { return a[this.int(a.length)]!; }
}

// ---------------------------------------------------------------- targets

export interface FuzzTarget {
  product: Product;
  version: string;
  action: string;
  spec: ActionSpec;
  acted: Set<string>;
}

/** Every implemented action of every product, with its spec and acted-on parameters. */
export function fuzzTargets(): FuzzTarget[] {
  const out: FuzzTarget[] = [];
  for (const [product, handlers] of Object.entries(allHandlers()) as [Product, Record<string, unknown>][]) {
    for (const action of Object.keys(handlers).sort()) {
      const spec = actionSpec(product, action);
      if (!spec) continue;
      out.push({ product, version: apiSpec.products[product]!.version, action, spec, acted: new Set(ACTED_PARAMS[product]?.[action] ?? []) });
    }
  }
  return out;
}

// ---------------------------------------------------------------- the fixture world

/** Real ids by kind (`instance`, `vpc`, ...), so valid-looking requests reach deep into handlers. */
export type World = Record<string, string>;

/** Which world id a parameter name asks for. */
const ID_KINDS: [RegExp, string][] = [
  [/^(Source|Dest)?GroupId$|SecurityGroupIds?$/i, 'securityGroup'],
  [/NetworkInterfaceIds?$|EniIds?$/i, 'eni'],
  [/InstanceIds?$/i, 'instance'],
  [/^VSwitchIds?$|^VswitchId$/i, 'vswitch'],
  [/VpcIds?$/i, 'vpc'],
  [/DiskIds?$/i, 'disk'],
  [/SnapshotIds?$/i, 'snapshot'],
  [/ImageIds?$/i, 'image'],
  [/KeyPairNames?$/i, 'keyPair'],
  [/ZoneId$/i, 'zone'],
  [/RouteTableIds?$/i, 'routeTable'],
  [/ResourceGroupId$/i, 'resourceGroup'],
  [/^InstanceType$/i, 'instanceType'],
  [/^RegionId$|^DestinationRegionId$/i, 'region'],
];

function worldId(world: World, rng: Rng, name: string): string | undefined {
  for (const [re, kind] of ID_KINDS) if (re.test(name)) return world[kind];
  if (/^ResourceIds?$/i.test(name)) return world[rng.pick(['instance', 'disk', 'snapshot', 'image', 'securityGroup', 'vpc'])];
  return undefined;
}

// ---------------------------------------------------------------- values

const UNICODE = ['名字', 'ünïcödé', '🚀🔥', 'שלום', '\u200b\u200d', 'a\u0000b', '\u202eevil', 'Ω≈ç√∫', '𝕏𝕐ℤ', '\r\n\t', '<x>&amp;</x>', '"\'`;--', '${jndi:x}', '../../etc/passwd', '%00%ff'];
const WRONG_NUMBERS = ['abc', '1.5', '1e3', '-0', '+7', ' 12 ', '0x10', 'NaN', 'Infinity', '', '١٢', '9'.repeat(400), '2147483648', '-2147483649', '9223372036854775808', '18446744073709551616', '1,2', 'true', '[1]', '{}'];
const WRONG_BOOLEANS = ['abc', 'yes', '1', '0', 'TRUE ', 'tru', '', 'null', '[true]', '🚀'];
const BROKEN_JSON = ['[', '{', '[1,', '{"a":', '"unterminated', 'null', '[]', '{}', '[null]', '[[[]]]', '{"__proto__":{"x":1}}', '[{"constructor":{"prototype":{}}}]', '"x"', '1', 'true', '[' + '1,'.repeat(5000) + '1]', '['.repeat(3000) + ']'.repeat(3000)];

function validScalar(rng: Rng, world: World, name: string, v: ValueSpec): string {
  const id = worldId(world, rng, name);
  if (id !== undefined && v.t === 'string' && !v.e) return id;
  if (v.e?.length) return rng.pick(v.e);
  switch (v.t) {
    case 'integer':
    case 'number': {
      const lo = v.min ?? 1;
      const hi = v.max ?? Math.max(lo, 100);
      if (rng.chance(0.2)) return String(rng.chance(0.5) ? lo : hi);
      return String(lo + rng.int(Math.min(hi - lo, 1000) + 1));
    }
    case 'boolean': return rng.chance(0.5) ? 'true' : 'false';
    default: {
      if (/Cidr/i.test(name)) return rng.pick(['192.168.1.0/24', '10.0.0.0/8', '0.0.0.0/0', '172.16.0.0/12']);
      if (/IpAddress$|^PrivateIp/i.test(name)) return rng.pick(['192.168.0.10', '10.0.0.5']);
      if (/PortRange$/i.test(name)) return rng.pick(['22/22', '1/65535', '-1/-1', '80/443']);
      if (/(Time|Date)$/i.test(name)) return rng.pick([utcStamp(Date.now() - 3_600_000), '2026-11-23T06:00Z', '2026-11-23']);
      if (/Password$/i.test(name)) return 'Fuzz@Passw0rd';
      const len = v.minLen ?? 0;
      const s = `fuzz-${rng.int(1e6)}`;
      return s.length >= len ? s.slice(0, v.maxLen ?? s.length) : s.padEnd(len, 'x');
    }
  }
}

/** A plausible JS value for a spec value (objects and lists structured). */
function validValue(rng: Rng, world: World, name: string, v: ValueSpec, depth = 0): unknown {
  if (v.t === 'array') {
    const n = 1 + rng.int(Math.min(v.maxItems ?? 3, 3));
    const items = v.items ?? { t: 'string' };
    return Array.from({ length: n }, () => validValue(rng, world, name.replace(/s$/, ''), items, depth + 1));
  }
  if (v.t === 'object') {
    const out: Record<string, unknown> = {};
    for (const [f, fv] of Object.entries(v.props ?? {})) if (fv.r || rng.chance(0.4)) out[f] = validValue(rng, world, f, fv, depth + 1);
    return out;
  }
  return validScalar(rng, world, name, v);
}

// ---------------------------------------------------------------- wire encoding

export type Pairs = [string, string][];

/** Encodes a value in the parameter's wire style (api-protocol.md §1.2). */
function encode(name: string, p: ValueSpec & { s?: ParamSpec['s'] }, value: unknown, out: Pairs) {
  if (value === undefined) return;
  if (p.s === 'json') { out.push([name, typeof value === 'string' ? value : JSON.stringify(value)]); return; }
  if (p.s === 'simple' && Array.isArray(value)) { out.push([name, value.join(',')]); return; }
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (item && typeof item === 'object') for (const [f, fv] of Object.entries(item)) encodeLeaf(`${name}.${i + 1}.${f}`, fv, out);
      else out.push([`${name}.${i + 1}`, String(item)]);
    });
    return;
  }
  if (value && typeof value === 'object') { for (const [f, fv] of Object.entries(value)) encodeLeaf(`${name}.${f}`, fv, out); return; }
  out.push([name, String(value)]);
}

function encodeLeaf(name: string, v: unknown, out: Pairs) {
  if (Array.isArray(v)) v.forEach((x, i) => encodeLeaf(`${name}.${i + 1}`, x, out));
  else if (v && typeof v === 'object') for (const [f, fv] of Object.entries(v)) encodeLeaf(`${name}.${f}`, fv, out);
  else out.push([name, String(v)]);
}

// ---------------------------------------------------------------- cases

export const KINDS = ['valid', 'valid', 'valid', 'type', 'range', 'wire', 'unicode', 'huge', 'missing', 'dup', 'unknown', 'garbage'] as const;
export type Kind = (typeof KINDS)[number];

export interface FuzzCase {
  target: FuzzTarget;
  kind: Kind;
  method: 'GET' | 'POST';
  signature: 'v2' | 'v3';
  /**
   * query: everything in the URL; form: everything in a form body (POST); split: common in the URL,
   * API in a form body (POST); json: common in the URL, API in a JSON object body (POST).
   */
  placement: 'query' | 'form' | 'split' | 'json';
  format: 'JSON' | 'XML' | undefined;
  /** API parameters in order, duplicates allowed. */
  params: Pairs;
  /** A short description of what was broken, for failure reports. */
  note: string;
}

function validParams(rng: Rng, world: World, t: FuzzTarget, allDeclared: boolean): Pairs {
  const out: Pairs = [];
  for (const p of t.spec.p) {
    const acted = t.acted.has(p.n) || [...t.acted].some((a) => a.startsWith(p.n + '.'));
    const wanted = p.r || p.n === 'RegionId' || (acted && rng.chance(0.35)) || (allDeclared && rng.chance(0.25));
    if (!wanted) continue;
    encode(p.n, p, validValue(rng, world, p.n, p), out);
  }
  if (t.spec.p.some((p) => p.n === 'DryRun') && rng.chance(0.15)) out.push(['DryRun', 'true']);
  return out;
}

function leafSpecs(p: ParamSpec): { name: string; v: ValueSpec }[] {
  if (p.t === 'array') {
    const items = p.items ?? { t: 'string' };
    if (items.t === 'object') return Object.entries(items.props ?? {}).map(([f, fv]) => ({ name: `${p.n}.1.${f}`, v: fv }));
    return [{ name: `${p.n}.1`, v: items }];
  }
  if (p.t === 'object') return Object.entries(p.props ?? {}).map(([f, fv]) => ({ name: `${p.n}.${f}`, v: fv }));
  return [{ name: p.n, v: p }];
}

function wrongValue(rng: Rng, v: ValueSpec): string {
  switch (v.t) {
    case 'integer': case 'number': return rng.pick(WRONG_NUMBERS);
    case 'boolean': return rng.pick(WRONG_BOOLEANS);
    case 'array': case 'object': return rng.pick(BROKEN_JSON);
    default: return rng.pick([...WRONG_NUMBERS, ...BROKEN_JSON, ...UNICODE]);
  }
}

function rangeValue(rng: Rng, v: ValueSpec): string {
  const picks: string[] = [];
  if (v.min !== undefined) picks.push(String(v.min - 1), String(v.min), String(v.min - 0.5));
  if (v.max !== undefined) picks.push(String(v.max + 1), String(v.max), String(v.max * 1000));
  if (v.maxLen !== undefined) picks.push('x'.repeat(v.maxLen), 'x'.repeat(v.maxLen + 1), '界'.repeat(v.maxLen + 1));
  if (v.minLen !== undefined) picks.push('x'.repeat(Math.max(0, v.minLen - 1)));
  if (v.e?.length) picks.push(rng.pick(v.e).toLowerCase(), rng.pick(v.e).toUpperCase(), rng.pick(v.e) + ' ', `${rng.pick(v.e)},${rng.pick(v.e)}`, 'NotAnEnumValue');
  picks.push('0', '-1', '2147483647', '2147483648', '-2147483648', '9007199254740991', '9007199254740993', '1e308', '-1e308', '4294967296', '');
  return rng.pick(picks);
}

/** Builds one request for `t`; a pure function of the Rng state. */
export function generateCase(rng: Rng, world: World, t: FuzzTarget): FuzzCase {
  const kind = rng.pick(KINDS);
  const methods = (t.spec.m ?? ['GET', 'POST']) as ('GET' | 'POST')[];
  let method = rng.pick(methods);
  const signature = rng.chance(0.6) ? 'v2' : 'v3';
  let placement: FuzzCase['placement'] = method === 'POST' ? rng.pick(['query', 'form', 'split', 'json'] as const) : 'query';
  const format = rng.pick(['JSON', 'XML', undefined] as const);
  let params = validParams(rng, world, t, kind === 'garbage');
  let note = kind as string;
  const declared = t.spec.p;
  const target = declared.length ? rng.pick(declared) : undefined;
  const leaf = target ? rng.pick(leafSpecs(target)) : undefined;
  const setParam = (name: string, value: string) => {
    params = params.filter(([k]) => k !== name && !k.startsWith(name + '.'));
    params.push([name, value]);
  };
  switch (kind) {
    case 'valid':
      break;
    case 'type':
      if (leaf) { const v = wrongValue(rng, leaf.v); setParam(leaf.name, v); note += ` ${leaf.name}=${v.slice(0, 40)}`; }
      break;
    case 'range':
      if (leaf) { const v = rangeValue(rng, leaf.v); setParam(leaf.name, v); note += ` ${leaf.name}=${v.slice(0, 40)}`; }
      break;
    case 'wire': {
      if (!target) break;
      const n = target.n;
      const variants: Pairs[] = [
        [[`${n}.0`, 'x']], [[`${n}.99999999999999999999`, 'x']], [[`${n}.-1`, 'x']], [[`${n}.a`, 'x']], [[`${n}..1`, 'x']],
        [[`${n}.1.`, 'x']], [[`${n}.1.NoSuchField`, 'x']], [[`${n}.1.1.1.1`, 'x']], [[`${n}.01`, 'x']], [[`${n}.1e2`, 'x']],
        [[n, rng.pick(BROKEN_JSON)]], [[n, '["a","b"]'], [`${n}.1`, 'c']], [[n, '{"Key":"k","Value":"v"}']],
        [[n, JSON.stringify([{ Key: 'k', Value: 'v', Extra: { deep: [1, 2] } }])]], [[`${n}.2`, 'second-only']],
        [[`${n}.1.Key`, 'k'], [`${n}.1`, 'scalar-too']], [[n, 'scalar'], [`${n}.Field`, 'x']], [[`${n}.${1 + rng.int(2000)}`, 'sparse']],
        [[`${n}.1`, '[1,2]']], [[n, '[' + JSON.stringify('x'.repeat(10)) + ',{"a":[{"b":{}}]}]']],
        [[n.toLowerCase(), 'lower'], [n.toUpperCase(), 'UPPER']],
      ];
      const pairs = rng.pick(variants);
      params = params.filter(([k]) => k !== n && !k.startsWith(n + '.'));
      params.push(...pairs);
      note += ` ${pairs.map(([k, v]) => `${k}=${v.slice(0, 30)}`).join('&')}`;
      break;
    }
    case 'unicode':
      if (leaf) { const v = rng.pick(UNICODE) + (rng.chance(0.5) ? rng.pick(UNICODE) : ''); setParam(leaf.name, v); note += ` ${leaf.name}`; }
      break;
    case 'huge': {
      // Within the server's limits: 256 KiB of headers (URL), 8 MiB of body.
      const bodyRoom = method === 'POST' && placement !== 'query';
      const size = bodyRoom ? rng.pick([10_000, 100_000, 1_000_000]) : rng.pick([1_000, 10_000, 60_000]);
      if (leaf && rng.chance(0.5)) { setParam(leaf.name, rng.pick(['x', '9', '界', '🚀']).repeat(size / 4)); note += ` ${leaf.name} ${size}`; }
      else if (target) {
        const count = bodyRoom ? rng.pick([500, 5_000, 20_000]) : rng.pick([100, 1_000, 3_000]);
        params = params.filter(([k]) => k !== target.n && !k.startsWith(target.n + '.'));
        for (let i = 1; i <= count; i++) params.push([`${target.n}.${i}`, `v${i}`]);
        note += ` ${target.n}.1..${count}`;
      }
      break;
    }
    case 'missing': {
      const required = declared.filter((p) => p.r);
      if (required.length && rng.chance(0.7)) {
        const p = rng.pick(required);
        params = params.filter(([k]) => k !== p.n && !k.startsWith(p.n + '.'));
        if (rng.chance(0.3)) params.push([p.n, '']);
        note += ` ${p.n}`;
      } else { params = []; note += ' all'; }
      break;
    }
    case 'dup': {
      if (!leaf) break;
      params.push([leaf.name, validScalar(rng, world, leaf.name, leaf.v)], [leaf.name, rng.pick([...UNICODE, ...WRONG_NUMBERS])]);
      note += ` ${leaf.name}×2`;
      if (method === 'GET' && methods.includes('POST') && rng.chance(0.5)) { method = 'POST'; placement = 'split'; }
      break;
    }
    case 'unknown': {
      const extra = rng.pick<Pairs>([
        [['NoSuchParameter', 'x']], [['Format', rng.pick(['YAML', 'json', 'xml', '', 'JSONP'])]], [['Version', '2099-01-01']],
        [['Action', rng.pick(['', 'NoSuchAction', 'describeinstances', '../x'])]], [['OwnerId', 'abc']], [['ResourceOwnerAccount', '🚀']],
        [['__proto__', 'x']], [['constructor', 'x']], [['hasOwnProperty', 'x']], [['toString', 'x']], [['', 'empty-name']],
      ]);
      // Action and Version overrides go in as written; the signer keeps them.
      params.push(...extra);
      note += ` ${extra.map(([k, v]) => `${k}=${v}`).join('&')}`;
      break;
    }
    case 'garbage':
      break;
  }
  return { target: t, kind, method, signature, placement, format, params, note };
}

// ---------------------------------------------------------------- signing and sending

export interface Answer { status: number; contentType: string; text: string; ms: number }

function v2StringToSign(method: string, merged: Record<string, string>): string {
  const canon = Object.keys(merged).filter((k) => k !== 'Signature').sort().map((k) => `${pct(k)}=${pct(merged[k]!)}`).join('&');
  return `${method}&${pct('/')}&${pct(canon)}`;
}

function formOf(pairs: Pairs): string { return pairs.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&'); }

/** Lone surrogates cannot be percent-encoded: replace them (the server would see U+FFFD anyway). */
function wellFormed(s: string): string { return s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'); }

let nonceCounter = 0;

/** Signs `c` and sends it; resolves with status 0 and text `timeout` when the server does not answer in time. */
export function sendCase(baseUrl: string, c: FuzzCase, timeoutMs: number): Promise<Answer> {
  const api: Pairs = c.params.map(([k, v]) => [wellFormed(k), wellFormed(v)]);
  const nonce = `fuzz-${process.pid}-${++nonceCounter}-${Date.now()}`;
  const url = new URL(baseUrl);
  const headers: Record<string, string> = {};
  let query: Pairs;
  let body: string | undefined;
  const merged = (pairs: Pairs) => { const m: Record<string, string> = {}; for (const [k, v] of pairs) m[k] = v; return m; };
  if (c.signature === 'v2') {
    const common: Pairs = [
      ['Action', c.target.action], ['Version', c.target.version], ['AccessKeyId', AK], ['SignatureMethod', 'HMAC-SHA1'],
      ['SignatureVersion', '1.0'], ['SignatureNonce', nonce], ['Timestamp', utcStamp()],
    ];
    if (c.format) common.push(['Format', c.format]);
    // The server merges query then body, a later pair winning; the string to sign is over that merge.
    const inQuery = c.placement === 'query' ? [...common, ...api] : c.placement === 'form' ? [] : common;
    const inBody = c.placement === 'form' ? [...common, ...api] : c.placement === 'query' ? [] : api;
    const all = merged([...inQuery, ...inBody]);
    const signature = createHmac('sha1', SECRET + '&').update(v2StringToSign(c.method, all)).digest('base64');
    query = c.placement === 'form' ? [] : [...inQuery, ['Signature', signature]];
    if (c.placement === 'form') inBody.push(['Signature', signature]);
    if (c.placement === 'json') { body = JSON.stringify(merged(inBody)); headers['content-type'] = 'application/json; charset=utf-8'; }
    else if (inBody.length) { body = formOf(inBody); headers['content-type'] = 'application/x-www-form-urlencoded'; }
  } else {
    const inBody = c.method === 'POST' && c.placement !== 'query';
    query = inBody ? [] : [...api];
    if (c.format) query.push(['Format', c.format]);
    if (inBody && c.placement === 'json') { body = JSON.stringify(merged(api)); headers['content-type'] = 'application/json; charset=utf-8'; }
    else if (inBody) { body = formOf(api); headers['content-type'] = 'application/x-www-form-urlencoded'; }
    const payload = createHash('sha256').update(body ?? '').digest('hex');
    Object.assign(headers, {
      host: url.host, 'x-acs-action': c.target.action, 'x-acs-version': c.target.version, 'x-acs-date': utcStamp(),
      'x-acs-signature-nonce': nonce, 'x-acs-content-sha256': payload,
    });
    const signed = Object.keys(headers).filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-')).sort();
    // Stable sort by key: the server canonicalizes duplicate keys in their sent order.
    const canonQuery = [...query].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
    const canon = [c.method, '/', canonQuery, signed.map((h) => `${h}:${headers[h]!.trim()}\n`).join(''), signed.join(';'), payload].join('\n');
    const sts = 'ACS3-HMAC-SHA256\n' + createHash('sha256').update(canon).digest('hex');
    headers.authorization = `ACS3-HMAC-SHA256 Credential=${AK},SignedHeaders=${signed.join(';')},Signature=${createHmac('sha256', SECRET).update(sts).digest('hex')}`;
  }
  const qs = formOf(query);
  const started = Date.now();
  return new Promise((resolve) => {
    const payload = body === undefined ? undefined : Buffer.from(body);
    if (payload) headers['content-length'] = String(payload.length);
    const req = httpRequest({
      host: url.hostname, port: url.port, method: c.method, path: qs ? '/?' + qs : '/', headers, maxHeaderSize: 1024 * 1024, agent: false,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('end', () => { clearTimeout(timer); resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8'), ms: Date.now() - started }); });
      res.on('error', (e) => { clearTimeout(timer); resolve({ status: 0, contentType: '', text: `response error: ${e.message}`, ms: Date.now() - started }); });
    });
    const timer = setTimeout(() => { req.destroy(); resolve({ status: 0, contentType: '', text: 'timeout', ms: Date.now() - started }); }, timeoutMs);
    req.on('error', (e) => { clearTimeout(timer); resolve({ status: 0, contentType: '', text: `request error: ${e.message}`, ms: Date.now() - started }); });
    if (payload) req.write(payload);
    req.end();
  });
}

// ---------------------------------------------------------------- the oracle

function field(a: Answer, name: string): string | undefined {
  if (a.contentType.includes('json')) {
    try { const j = JSON.parse(a.text); return typeof j?.[name] === 'string' ? j[name] : undefined; } catch { return undefined; }
  }
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(a.text);
  return m?.[1];
}

/** What is wrong with an answer, or undefined when it passes. */
export function violation(a: Answer): string | undefined {
  if (a.status === 0) return a.text;
  if (a.status >= 500) return `HTTP ${a.status}`;
  if (a.status < 200 || (a.status >= 300 && a.status < 400)) return `unexpected HTTP ${a.status}`;
  if (!a.contentType.includes('json') && !a.contentType.includes('xml')) return `content-type ${a.contentType}`;
  if (a.contentType.includes('json')) { try { JSON.parse(a.text); } catch { return 'unparseable JSON body'; } }
  if (!field(a, 'RequestId')) return 'no RequestId';
  if (a.status >= 400 && !field(a, 'Code')) return 'error without Code';
  return undefined;
}

// ---------------------------------------------------------------- the run

export interface FuzzFailure { seed: number; index: number; product: string; action: string; kind: string; note: string; method: string; signature: string; placement: string; status: number; detail: string; body: string }

export interface FuzzSummary {
  seed: number;
  requests: number;
  statuses: Record<string, number>;
  codes: Record<string, number>;
  kinds: Record<string, number>;
  actions: number;
  actionsReachingHandler: number;
  rssMinMb: number;
  rssMaxMb: number;
  slowestMs: number;
  failures: FuzzFailure[];
  failureCount: number;
  seconds: number;
}

export interface FuzzOptions {
  url: string;
  seed: number;
  requests: number;
  concurrency: number;
  timeoutMs: number;
  world: World;
  targets?: FuzzTarget[];
  /** The server's resident set size in bytes (sampled every 100 requests). */
  rss: () => number;
  /** Called every `tickEvery` requests (e.g. to let the engine run, or rebuild the world). */
  tick?: (done: number) => Promise<void>;
  tickEvery?: number;
  progress?: (s: FuzzSummary) => void;
}

/** Codes that show a request was refused before its handler ran. */
const GATE_CODES = /^(MissingParameter|InvalidParameter|UnsupportedParameter|InvalidAction|InvalidVersion|SignatureDoesNotMatch|IncompleteSignature|UnsupportedHTTPMethod|InvalidTimeStamp|SignatureNonceUsed|InvalidRegionId)/;

/**
 * Sends `requests` generated requests round-robin over the targets (shuffled by the seed), each
 * case from its own Rng derived from (seed, index) so any single failure replays alone.
 */
export async function runFuzz(o: FuzzOptions): Promise<FuzzSummary> {
  const targets = o.targets ?? fuzzTargets();
  const order = new Rng(o.seed);
  const shuffled = [...targets];
  for (let i = shuffled.length - 1; i > 0; i--) { const j = order.int(i + 1); [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]; }
  const s: FuzzSummary = { seed: o.seed, requests: 0, statuses: {}, codes: {}, kinds: {}, actions: targets.length, actionsReachingHandler: 0, rssMinMb: Infinity, rssMaxMb: 0, slowestMs: 0, failures: [], failureCount: 0, seconds: 0 };
  const deep = new Set<string>();
  const started = Date.now();
  let next = 0;
  let sinceTick = 0;
  const sample = () => { const mb = o.rss() / 1048576; s.rssMinMb = Math.min(s.rssMinMb, mb); s.rssMaxMb = Math.max(s.rssMaxMb, mb); };
  sample();
  const worker = async () => {
    while (next < o.requests) {
      const index = next++;
      const t = shuffled[index % shuffled.length]!;
      const c = generateCase(new Rng((o.seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0), o.world, t);
      const a = await sendCase(o.url, c, o.timeoutMs);
      s.requests++;
      s.statuses[String(a.status)] = (s.statuses[String(a.status)] ?? 0) + 1;
      s.kinds[c.kind] = (s.kinds[c.kind] ?? 0) + 1;
      s.slowestMs = Math.max(s.slowestMs, a.ms);
      const code = a.status >= 400 ? field(a, 'Code') ?? '?' : 'OK';
      s.codes[code] = (s.codes[code] ?? 0) + 1;
      if (a.status === 200 || !GATE_CODES.test(code)) deep.add(`${t.product}:${t.action}`);
      const bad = violation(a);
      if (bad) {
        s.failureCount++;
        if (s.failures.length < 50) s.failures.push({ seed: o.seed, index, product: t.product, action: t.action, kind: c.kind, note: c.note.slice(0, 200), method: c.method, signature: c.signature, placement: c.placement, status: a.status, detail: bad, body: a.text.slice(0, 300) });
      }
      if (s.requests % 100 === 0) sample();
      if (o.tick && ++sinceTick >= (o.tickEvery ?? 500)) { sinceTick = 0; await o.tick(s.requests); }
      if (o.progress && s.requests % 5000 === 0) o.progress(s);
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  sample();
  s.actionsReachingHandler = deep.size;
  s.seconds = (Date.now() - started) / 1000;
  return s;
}

/** Replays one case of a run (for a failure report): the same seed and index give the same request. */
export function replayCase(seed: number, index: number, world: World, targets = fuzzTargets()): FuzzCase {
  const order = new Rng(seed);
  const shuffled = [...targets];
  for (let i = shuffled.length - 1; i > 0; i--) { const j = order.int(i + 1); [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!]; }
  return generateCase(new Rng((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0), world, shuffled[index % shuffled.length]!);
}

// ---------------------------------------------------------------- building the world

/** A plain signed V2 POST call (for the world and health checks); throws on an error answer. */
export async function call(baseUrl: string, product: Product, action: string, params: Record<string, string>): Promise<any> {
  const target: FuzzTarget = { product, version: apiSpec.products[product]!.version, action, spec: { p: [], e: {}, r: {} }, acted: new Set() };
  const a = await sendCase(baseUrl, { target, kind: 'valid', method: 'POST', signature: 'v2', placement: 'form', format: 'JSON', params: Object.entries(params), note: '' }, 30_000);
  if (a.status !== 200) throw new Error(`${action}: HTTP ${a.status} ${a.text.slice(0, 300)}`);
  return JSON.parse(a.text);
}

/** Settles until `done` (20 rounds at most). */
async function settleUntil(settle: () => Promise<void>, done: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await settle();
    if (await done()) return;
  }
  throw new Error('not settled after 20 rounds');
}

/**
 * A small world through the public API: VPC, VSwitch, security group, instance, disk, snapshot,
 * image, key pair, network interface. `settle` lets the engine finish what the calls started.
 * A step that fails leaves its kind out, and the steps that need it fail too.
 */
export async function buildWorld(url: string, settle: () => Promise<void>, tag = 'fuzz', R = 'cn-hangzhou'): Promise<World> {
  const w: World = { region: R, instanceType: 'ecs.g7.large' };
  const step = async (what: string, fn: () => Promise<void>) => { try { await fn(); } catch (e) { console.error(`[fuzz] world: ${what}: ${(e as Error).message}`); } };
  await step('zone', async () => { w.zone = (await call(url, 'ecs', 'DescribeZones', { RegionId: R })).Zones.Zone[0].ZoneId; });
  // The fuzzer's own CreateVpc calls may have used up the region's quota (5): reuse one of those.
  await step('vpc', async () => {
    try { w.vpc = (await call(url, 'vpc', 'CreateVpc', { RegionId: R, CidrBlock: '192.168.0.0/16', VpcName: `${tag}-vpc` })).VpcId; }
    catch { w.vpc = (await call(url, 'vpc', 'DescribeVpcs', { RegionId: R })).Vpcs.Vpc[0].VpcId; }
  });
  await settle();
  await step('vswitch', async () => {
    try { w.vswitch = (await call(url, 'vpc', 'CreateVSwitch', { RegionId: R, VpcId: w.vpc!, ZoneId: w.zone!, CidrBlock: '192.168.0.0/20' })).VSwitchId; }
    catch {
      const vsw = (await call(url, 'vpc', 'DescribeVSwitches', { RegionId: R, VpcId: w.vpc! })).VSwitches.VSwitch[0];
      w.vswitch = vsw.VSwitchId;
      w.zone = vsw.ZoneId;
    }
  });
  await step('route table', async () => { w.routeTable = (await call(url, 'vpc', 'DescribeRouteTableList', { RegionId: R, VpcId: w.vpc! })).RouterTableList.RouterTableListType[0].RouteTableId; });
  await step('security group', async () => { w.securityGroup = (await call(url, 'ecs', 'CreateSecurityGroup', { RegionId: R, VpcId: w.vpc!, SecurityGroupName: `${tag}-sg` })).SecurityGroupId; });
  await step('image', async () => {
    const images = (await call(url, 'ecs', 'DescribeImages', { RegionId: R, ImageOwnerAlias: 'system', PageSize: '100' })).Images.Image as any[];
    w.image = (images.find((i) => i.OSType === 'linux' && i.Architecture === 'x86_64') ?? images[0]).ImageId;
  });
  await settle();
  await step('instance', async () => {
    w.instance = (await call(url, 'ecs', 'RunInstances', { RegionId: R, ImageId: w.image!, InstanceType: w.instanceType!, VSwitchId: w.vswitch!, SecurityGroupId: w.securityGroup! })).InstanceIdSets.InstanceIdSet[0];
  });
  // On a loaded machine one settle may not be enough: the snapshot needs the instance Running.
  await step('instance running', () => settleUntil(settle, async () => (await call(url, 'ecs', 'DescribeInstanceAttribute', { InstanceId: w.instance! })).Status === 'Running'));
  await step('system disk', async () => { w.systemDisk = (await call(url, 'ecs', 'DescribeDisks', { RegionId: R, InstanceId: w.instance! })).Disks.Disk[0].DiskId; });
  await step('disk', async () => { w.disk = (await call(url, 'ecs', 'CreateDisk', { RegionId: R, ZoneId: w.zone!, DiskCategory: 'cloud_essd', Size: '20' })).DiskId; });
  await step('snapshot', async () => { w.snapshot = (await call(url, 'ecs', 'CreateSnapshot', { DiskId: w.systemDisk ?? w.disk! })).SnapshotId; });
  await step('snapshot accomplished', () => settleUntil(settle, async () =>
    (await call(url, 'ecs', 'DescribeSnapshots', { RegionId: R, SnapshotIds: JSON.stringify([w.snapshot!]) })).Snapshots.Snapshot[0]?.Status === 'accomplished'));
  await step('custom image', async () => { w.image = (await call(url, 'ecs', 'CreateImage', { RegionId: R, SnapshotId: w.snapshot!, ImageName: `${tag}-image-${Date.now()}` })).ImageId; });
  await step('key pair', async () => { w.keyPair = (await call(url, 'ecs', 'CreateKeyPair', { RegionId: R, KeyPairName: `${tag}-kp-${Date.now()}` })).KeyPairName; });
  await step('network interface', async () => { w.eni = (await call(url, 'ecs', 'DescribeNetworkInterfaces', { RegionId: R, InstanceId: w.instance! })).NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId; });
  await step('resource group', async () => { w.resourceGroup = (await call(url, 'resourcemanager', 'ListResourceGroups', {})).ResourceGroups.ResourceGroup[0].Id; });
  await settle();
  return w;
}
