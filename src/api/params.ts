/**
 * Decodes the flat RPC wire parameters (`X.N`, `X.N.F`, `X.F`, JSON strings) into values shaped
 * by the action's spec, coercing and validating them. Codes follow the action's own error table
 * where it names one for the parameter (e.g. `InvalidDescription.Malformed`), else the generic
 * `MissingParameter` / `InvalidParameter` that ECS answers.
 */
import { CodecError } from './errors.js';
import type { ActionSpec, ParamSpec, ValueSpec } from './spec-types.js';

export type Params = Record<string, any>;

/** A string parameter with a value: an empty string counts as not given (the SDKs send unset fields empty). */
export function given(v: unknown): v is string {
  return typeof v === 'string' && v !== '';
}

/** Parameters every request may carry that are not part of an action's own list. */
export const COMMON_PARAMS = new Set([
  'Action', 'Version', 'Format', 'AccessKeyId', 'Signature', 'SignatureMethod', 'SignatureVersion',
  'SignatureNonce', 'SignatureType', 'Timestamp', 'SecurityToken', 'BearerToken', 'SourceIp', 'SecureTransport',
  'OwnerId', 'OwnerAccount', 'ResourceOwnerAccount', 'ResourceOwnerId', 'CallerParentId', 'RequestContent',
]);

/** 400 for the generic codes; the action's own 4xx for a code it names after the parameter. */
function codecError(spec: ActionSpec, code: string, message: string): CodecError {
  const listed = spec.e[code]?.[0];
  const generic = code === 'MissingParameter' || code === 'InvalidParameter';
  return new CodecError(code, message, !generic && listed !== undefined && listed >= 400 && listed < 500 ? listed : 400);
}

function paramError(spec: ActionSpec, kind: 'missing' | 'invalid', name: string, why?: string): CodecError {
  const base = name.split('.')[0]!;
  // `Tag.1.Key` → `TagKey`: actions name codes after the field (InvalidTagKey.Malformed in RunInstances).
  const joined = name.split('.').filter((s) => !/^\d+$/.test(s)).join('');
  const candidates = kind === 'missing'
    ? [`MissingParameter.${name}`, `MissingParameter.${base}`, `Missing${base}`]
    : [...(joined !== base ? [`Invalid${joined}.Malformed`] : []),
      `Invalid${base}.Malformed`, `InvalidParameter.${base}`, `InvalidParam.${base}`, `Invalid${base}`];
  const code = candidates.find((c) => spec.e[c]) ?? (kind === 'missing' ? 'MissingParameter' : 'InvalidParameter');
  const message = kind === 'missing'
    ? `The input parameter "${name}" that is mandatory for processing this request is not supplied.`
    : `The specified parameter "${name}" is not valid.${why ? ' ' + why : ''}`;
  return codecError(spec, code, message);
}

/** Coerces one wire string to the declared scalar type, or throws. */
function scalar(spec: ActionSpec, name: string, v: ValueSpec, raw: string): unknown {
  switch (v.t) {
    case 'integer':
    case 'number': {
      const s = raw.trim();
      const ok = v.t === 'integer' ? /^[-+]?\d+$/.test(s) : /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s);
      if (!ok) throw paramError(spec, 'invalid', name, `"${raw}" is not a valid ${v.t === 'integer' ? 'integer' : 'number'}.`);
      const n = Number(s);
      // Beyond int32/int64 the real service fails to parse the value; past 2^53 we would silently round it.
      const range = v.f === 'int32' ? 2 ** 31 : Number.MAX_SAFE_INTEGER + 1;
      if (v.t === 'integer' && (n < -range || n >= range)) throw paramError(spec, 'invalid', name, `"${raw}" is out of range.`);
      if (v.min !== undefined && n < v.min) throw paramError(spec, 'invalid', name, `The value must be at least ${v.min}.`);
      if (v.max !== undefined && n > v.max) throw paramError(spec, 'invalid', name, `The value must be at most ${v.max}.`);
      if (v.e && !v.e.includes(String(n))) throw paramError(spec, 'invalid', name, `Valid values: ${v.e.join(', ')}.`);
      return n;
    }
    case 'boolean': {
      const s = raw.trim().toLowerCase();
      if (s === 'true') return true;
      if (s === 'false') return false;
      throw paramError(spec, 'invalid', name, 'The value must be true or false.');
    }
    default: {
      if (v.e && !v.e.includes(raw)) throw paramError(spec, 'invalid', name, `Valid values: ${v.e.join(', ')}.`);
      if (v.maxLen !== undefined && [...raw].length > v.maxLen) throw paramError(spec, 'invalid', name, `The length must be at most ${v.maxLen}.`);
      if (v.minLen !== undefined && [...raw].length < v.minLen) throw paramError(spec, 'invalid', name, `The length must be at least ${v.minLen}.`);
      return raw;
    }
  }
}

/** Groups `prefix.K...` keys by their first segment K. */
function children(raw: Record<string, string>, keys: readonly string[], prefix: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const p = prefix + '.';
  for (const k of keys) {
    if (!k.startsWith(p)) continue;
    const rest = k.slice(p.length);
    const seg = rest.split('.', 1)[0]!;
    const list = out.get(seg) ?? [];
    list.push(k);
    out.set(seg, list);
  }
  return out;
}

function decodeValue(spec: ActionSpec, name: string, v: ValueSpec, raw: Record<string, string>, keys: readonly string[]): unknown {
  if (v.t === 'array') {
    const items = v.items ?? { t: 'string' };
    const byIndex = children(raw, keys, name);
    if (byIndex.size === 0) {
      // Some clients send a list as one JSON array string instead of X.N.
      if (raw[name] === undefined || raw[name] === '') return undefined;
      let parsed: unknown;
      try { parsed = JSON.parse(raw[name]!); } catch { throw paramError(spec, 'invalid', name, 'Expected a list.'); }
      return fromJson(spec, name, v, parsed);
    }
    const indices = [...byIndex.keys()];
    // An index is an int32 from 1: `X.99999999999999999999` would not even round-trip through Number.
    for (const i of indices) if (!/^[1-9]\d{0,9}$/.test(i) || Number(i) > 2 ** 31 - 1) throw paramError(spec, 'invalid', `${name}.${i}`, 'List indices are integers from 1 to 2147483647.');
    const list: unknown[] = [];
    for (const i of indices.sort((a, b) => Number(a) - Number(b))) {
      const itemName = `${name}.${i}`;
      const value = decodeValue(spec, itemName, items, raw, byIndex.get(i)!);
      if (value !== undefined) list.push(value);
    }
    return checkCount(spec, name, v, list);
  }
  if (v.t === 'object') {
    if (raw[name] !== undefined && children(raw, keys, name).size === 0) {
      let parsed: unknown;
      try { parsed = JSON.parse(raw[name]!); } catch { throw paramError(spec, 'invalid', name, 'Expected a JSON object.'); }
      return fromJson(spec, name, v, parsed);
    }
    const obj: Record<string, unknown> = {};
    const props = v.props ?? {};
    // Only declared fields count: `SystemDisk.Category` is its own scalar param beside the flat `SystemDisk` object.
    const byField = new Map([...children(raw, keys, name)].filter(([f]) => Object.hasOwn(props, f)));
    for (const [field, fv] of Object.entries(props)) {
      const value = decodeValue(spec, `${name}.${field}`, fv, raw, byField.get(field) ?? []);
      if (value !== undefined) obj[field] = value;
      else if (fv.r && byField.size > 0) throw paramError(spec, 'missing', `${name}.${field}`);
    }
    foldLegacyCase(obj, props);
    return byField.size === 0 && Object.keys(obj).length === 0 ? undefined : obj;
  }
  const s = raw[name];
  if (s === undefined) return undefined;
  if (s === '' && v.t !== 'string') return undefined;
  return scalar(spec, name, v, s);
}

/**
 * `{"a":[{"b":1}]}` under `X` → `X.a.1.b=1`: the wire form the X.N / X.F decoder checks. A field
 * spelt in another letter case than declared (`[{"key":"k"}]`) takes the declared spelling.
 */
function flatten(spec: ActionSpec, prefix: string, x: unknown, v: ValueSpec | undefined, out: Record<string, string>) {
  if (x === null || x === undefined) return;
  if (typeof x === 'object' && v && v.t !== 'array' && v.t !== 'object') throw paramError(spec, 'invalid', prefix, 'Expected a value.');
  if (Array.isArray(x)) x.forEach((item, i) => flatten(spec, `${prefix}.${i + 1}`, item, v?.t === 'array' ? v.items ?? { t: 'string' } : undefined, out));
  else if (typeof x === 'object') {
    const props = v?.t === 'object' ? v.props : undefined;
    const byLower = new Map(Object.keys(props ?? {}).map((k) => [k.toLowerCase(), k]));
    for (const [k, fv] of Object.entries(x)) {
      const field = props && !Object.hasOwn(props, k) ? byLower.get(k.toLowerCase()) ?? k : k;
      flatten(spec, `${prefix}.${field}`, fv, props?.[field], out);
    }
  } else out[prefix] = String(x);
}

/**
 * A list or object sent as a JSON string is checked like its X.N / X.F form (types, enums,
 * ranges, counts), so a handler never sees an object where the spec declares a string
 * (`InstanceId=[{"a":1}]` reached StartInstances as an object: HTTP 500). A free-form object (no
 * declared fields) is kept as sent.
 */
function fromJson(spec: ActionSpec, name: string, v: ValueSpec, parsed: unknown): unknown {
  if (parsed === null) return undefined;
  const isObject = (x: unknown) => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (v.t === 'array') {
    if (!Array.isArray(parsed)) throw paramError(spec, 'invalid', name, 'Expected a list.');
    const items = v.items ?? { t: 'string' };
    parsed.forEach((x, i) => {
      const scalarItem = items.t !== 'array' && items.t !== 'object';
      if (scalarItem ? typeof x === 'object' && x !== null : items.t === 'object' ? !isObject(x) : !Array.isArray(x)) {
        throw paramError(spec, 'invalid', `${name}.${i + 1}`, `Expected ${scalarItem ? 'a value' : items.t === 'object' ? 'a JSON object' : 'a list'}.`);
      }
    });
    if (items.t === 'object' && !items.props) return checkCount(spec, name, v, parsed);
    const flat: Record<string, string> = {};
    flatten(spec, name, parsed, v, flat);
    return decodeValue(spec, name, v, flat, Object.keys(flat)) ?? checkCount(spec, name, v, []);
  }
  if (v.t === 'object') {
    if (!isObject(parsed)) throw paramError(spec, 'invalid', name, 'Expected a JSON object.');
    if (!v.props) return parsed;
    const flat: Record<string, string> = {};
    flatten(spec, name, parsed, v, flat);
    return decodeValue(spec, name, v, flat, Object.keys(flat)) ?? {};
  }
  if (typeof parsed === 'object') throw paramError(spec, 'invalid', name, 'Expected a value.');
  return scalar(spec, name, v, String(parsed));
}

function checkCount(spec: ActionSpec, name: string, v: ValueSpec, list: unknown[]): unknown[] {
  if (v.maxItems !== undefined && list.length > v.maxItems) {
    // Actions name their own count codes: InvalidParameter.TooManyInstanceIds (StartInstances), InvalidTagCount, NumberExceed.Tags.
    const field = name.split('.').filter((s) => !/^\d+$/.test(s)).pop()!;
    const code = [`InvalidParameter.TooMany${field}s`, `Invalid.TooMany${field}s`, `NumberExceed.${field}s`, `Invalid${field}Count`]
      .find((c) => spec.e[c]);
    const message = `The specified parameter "${name}" is not valid. At most ${v.maxItems} items are allowed.`;
    throw code ? codecError(spec, code, message) : paramError(spec, 'invalid', name, `At most ${v.maxItems} items are allowed.`);
  }
  if (v.minItems !== undefined && list.length < v.minItems) {
    throw paramError(spec, 'invalid', name, `At least ${v.minItems} items are required.`);
  }
  return list;
}

/**
 * The metadata keeps legacy lower-case twins of some fields (DescribeInstances `Tag.N.key` beside
 * `Tag.N.Key`, api-protocol.md §1.7); handlers read the canonical name only.
 */
function foldLegacyCase(obj: Record<string, unknown>, props: Record<string, ValueSpec>) {
  for (const field of Object.keys(obj)) {
    const canonical = field[0]!.toUpperCase() + field.slice(1);
    if (canonical === field || !Object.hasOwn(props, canonical)) continue;
    if (obj[canonical] === undefined) obj[canonical] = obj[field];
    delete obj[field];
  }
}

/**
 * The gateway matches parameter names whatever their letter case: Terraform sends `RegionId` to
 * ApplyAutoSnapshotPolicy, whose metadata spells it `regionId`, and pop-core capitalises every
 * name by default. A name the spec declares keeps its spelling; another spelling of it is renamed.
 */
export function alignNameCase(spec: ActionSpec, raw: Record<string, string>): Record<string, string> {
  const declared = new Map(spec.p.map((p) => [p.n.toLowerCase(), p.n]));
  let out: Record<string, string> | undefined;
  for (const [k, v] of Object.entries(raw)) {
    const dot = k.indexOf('.');
    const head = dot < 0 ? k : k.slice(0, dot);
    const name = declared.get(head.toLowerCase());
    if (!name || name === head) continue;
    const renamed = name + (dot < 0 ? '' : k.slice(dot));
    if (renamed in raw) continue;
    out ??= { ...raw };
    delete out[k];
    out[renamed] = v;
  }
  return out ?? raw;
}

/** Decodes all of an action's parameters from the merged query and form parameters. */
export function decodeParams(spec: ActionSpec, given: Record<string, string>): Params {
  const raw = alignNameCase(spec, given);
  const keys = Object.keys(raw);
  const out: Params = {};
  for (const p of spec.p) {
    let value: unknown;
    if (p.s === 'json') {
      const s = raw[p.n];
      if (s !== undefined && s !== '') {
        let parsed: unknown;
        try { parsed = JSON.parse(s); } catch { throw paramError(spec, 'invalid', p.n, 'Expected a JSON value.'); }
        value = fromJson(spec, p.n, p, parsed);
      }
    } else if (p.s === 'simple' && p.t === 'array') {
      const s = raw[p.n];
      value = s === undefined || s === '' ? undefined : s.split(',').map((x) => scalar(spec, p.n, p.items ?? { t: 'string' }, x.trim()));
    } else {
      value = decodeValue(spec, p.n, p, raw, keys.filter((k) => k === p.n || k.startsWith(p.n + '.')));
    }
    // An empty required value is as good as absent (`RegionId=`).
    if (value === undefined || (p.r && value === '')) {
      if (p.r) throw paramError(spec, 'missing', p.n);
      continue;
    }
    out[p.n] = value;
  }
  return out;
}

export function isDeclared(spec: ActionSpec, name: string): boolean {
  return spec.p.some((p: ParamSpec) => p.n === name);
}
