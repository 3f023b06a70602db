/**
 * "Nothing silently ignored": before a handler runs, every supplied parameter the action does not
 * act on (src/actions/acted-params.ts) is refused with `UnsupportedParameter` (400, the code the
 * ECS metadata lists for parameters a call cannot take) naming it. A value equal to the
 * parameter's documented default is accepted: it asks for what leaving it out gives.
 */
import { ACTED_PARAMS } from '../actions/acted-params.js';
import { EcsError } from '../domain/errors.js';
import { COMMON_PARAMS, type Params } from './params.js';
import type { Product } from './spec.js';
import type { ActionSpec, ValueSpec } from './spec-types.js';

/** Acted on by the dispatcher for every action: region scope, idempotency, dry runs. */
const DISPATCHER_PARAMS = new Set(['RegionId', 'regionId', 'ClientToken', 'DryRun']);

/** The SDKs send unset fields as empty strings in places; empty values count as not given. */
function given(v: unknown): boolean {
  if (v === undefined || v === null || v === '') return false;
  if (Array.isArray(v)) return v.some(given);
  if (typeof v === 'object') return Object.values(v).some(given);
  return true;
}

function isDefault(spec: ValueSpec | undefined, v: unknown): boolean {
  if (spec?.def === undefined || (typeof v === 'object' && v !== null)) return false;
  return typeof v === 'number' ? Number(spec.def) === v : String(v) === spec.def;
}

export function unsupportedParameter(name: string, action: string, def?: string): EcsError {
  const instead = def === undefined ? '' : ` or give its default value "${def}"`;
  return new EcsError('UnsupportedParameter', `OpenECS does not act on the parameter "${name}" of ${action}; leave it out${instead}.`, 400);
}

/**
 * Throws for the first supplied parameter (or field of an object / list-of-object parameter) that
 * `action` does not act on. An implemented action without an entry is not checked here: the
 * completeness test (test/unit/acted-params.test.ts) makes every handler have one.
 */
export function refuseUnacted(product: Product, action: string, spec: ActionSpec, params: Params): void {
  const entry = ACTED_PARAMS[product]?.[action];
  if (!entry) return;
  const acted = new Set(entry);
  for (const p of spec.p) {
    const name = p.n;
    const value = params[name];
    if (!given(value) || acted.has(name) || COMMON_PARAMS.has(name) || DISPATCHER_PARAMS.has(name)) continue;
    const props = p.t === 'object' ? p.props : p.t === 'array' ? p.items?.props : undefined;
    if (props && typeof value === 'object') {
      // Field by field: `DataDisk.N.Size` may be acted on while `DataDisk.N.KMSKeyId` is not.
      const items: [string, unknown][] = Array.isArray(value) ? value.map((v, i) => [`${name}.${i + 1}`, v]) : [[name, value]];
      for (const [prefix, item] of items) {
        if (!item || typeof item !== 'object' || Array.isArray(item)) {
          if (given(item)) throw unsupportedParameter(prefix, action);
          continue;
        }
        for (const [field, fv] of Object.entries(item)) {
          if (!given(fv) || acted.has(`${name}.${field}`) || isDefault(props[field], fv)) continue;
          throw unsupportedParameter(`${prefix}.${field}`, action, props[field]?.def);
        }
      }
      continue;
    }
    if (isDefault(p, value)) continue;
    throw unsupportedParameter(name, action, p.def);
  }
}

const reported = new Set<string>();

/**
 * The table's safety net: a handler reading a parameter its entry does not list would see it
 * refused whenever a client sends it. Such a read is reported once per action and name, so a
 * missing entry shows up in the first test that walks the handler's path.
 */
export function watchReads(product: Product, action: string, spec: ActionSpec, params: Params): Params {
  const entry = ACTED_PARAMS[product]?.[action];
  if (!entry) return params;
  // `DataDisk.Size` lets the handler read `DataDisk` (and then only that field is ever present).
  const readable = new Set([...entry, ...entry.map((n) => n.split('.')[0]!)]);
  const declared = new Set(spec.p.map((x) => x.n));
  return new Proxy(params, {
    get(target, key, receiver) {
      if (typeof key === 'string' && declared.has(key) && !readable.has(key) && !COMMON_PARAMS.has(key) && !DISPATCHER_PARAMS.has(key)) {
        const id = `${product}:${action}:${key}`;
        if (!reported.has(id)) {
          reported.add(id);
          console.error(`[openecs] ${product} ${action} reads the parameter "${key}", which src/actions/acted-params.ts does not list for it: add it there.`);
        }
      }
      return Reflect.get(target, key, receiver);
    },
  });
}
