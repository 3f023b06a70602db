/**
 * Generates src/api/generated/api-spec.json from the vendor's OpenAPI metadata in
 * ../shared/ecs-api/: the facts the server needs (parameter names, wire styles, types,
 * required flags, enums, ranges, list limits; response shapes; error codes with their HTTP
 * status and English message), none of the prose but each parameter's documented default value
 * (`def`: what leaving the parameter out means, so a request naming the default is acted on).
 * Run: npm run gen:spec
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fallbackStatus } from '../src/api/errors.js';
import type { ApiSpecFile, ParamSpec, ProductSpec, ShapeSpec, ValueSpec } from '../src/api/spec-types.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const sourceDir = process.env.OPENECS_API_METADATA ?? resolve(root, '../shared/ecs-api');
const products = [
  { product: 'ecs', file: 'ecs-2014-05-26-api-docs.json' },
  { product: 'vpc', file: 'vpc-2016-04-28-api-docs.json' },
  { product: 'sts', file: 'sts-2015-04-01-api-docs.json' },
  { product: 'ram', file: 'ram-2015-05-01-api-docs.json' },
  { product: 'bssopenapi', file: 'bssopenapi-2017-12-14-api-docs.json' },
  { product: 'resourcemanager', file: 'resourcemanager-2020-03-31-api-docs.json' },
  { product: 'actiontrail', file: 'actiontrail-2020-07-06-api-docs.json' },
  { product: 'cms', file: 'cms-2019-01-01-api-docs.json' },
];

type Json = Record<string, any>;

/** Default-value sentences of the descriptions: `默认值：X。`, `默认值为X`, `默认为X`, `X（默认）`, `Default value: X`. */
const DEFAULT_PATTERNS = [
  /默认值?(?:[：:]|为|是)\s*([^\s。，,；;、）)]+)/g,
  /([A-Za-z0-9_.:/-]+)\s*[（(]默认(?:值)?[）)]/g,
  /[Dd]efault(?: value)?(?: is)?[：:]?\s+([A-Za-z0-9_.:/-]+)/g,
];

function fitsType(s: Json, v: string): boolean {
  switch (s.type) {
    case 'integer': return /^-?\d+$/.test(v) && (s.minimum === undefined || s.minimum === '' || Number(v) >= Number(s.minimum)) && (s.maximum === undefined || s.maximum === '' || Number(v) <= Number(s.maximum));
    case 'number': return /^-?\d+(\.\d+)?$/.test(v);
    case 'boolean': return v === 'true' || v === 'false';
    case 'string': case undefined:
      return Array.isArray(s.enum) && s.enum.length ? s.enum.map(String).includes(v) : /^[A-Za-z0-9_.:/-]+$/.test(v) && /[A-Za-z0-9]/.test(v);
    default: return false;
  }
}

/**
 * The documented default of a scalar parameter, or undefined. A default stated conditionally
 * (several values, "max{40, image size}", "系统自动选择", "`InternetMaxBandwidthOut`的取值") is no
 * default: every candidate must be a value of the parameter's type and all must agree.
 */
function documentedDefault(s: Json): string | undefined {
  if (s.type === 'array' || s.type === 'object') return undefined;
  const candidates: string[] = [];
  if (s.default !== undefined && s.default !== '') candidates.push(String(s.default));
  const text = String(s.description ?? '').replace(/<\/?props[^>]*>/g, ' ').replace(/[`'"*]/g, '');
  for (const re of DEFAULT_PATTERNS) for (const m of text.matchAll(re)) candidates.push(m[1]!.replace(/[.]$/, ''));
  if (s.type === 'boolean') candidates.forEach((c, i) => { candidates[i] = c.toLowerCase(); });
  if (candidates.length === 0 || !candidates.every((c) => fitsType(s, c))) return undefined;
  const distinct = new Set(candidates);
  return distinct.size === 1 ? [...distinct][0] : undefined;
}

function valueSpec(s: Json): ValueSpec {
  const v: ValueSpec = { t: s.type ?? 'string' };
  if (s.required) v.r = 1;
  if (Array.isArray(s.enum) && s.enum.length) v.e = s.enum.map(String);
  if (s.minimum !== undefined && s.minimum !== '') v.min = Number(s.minimum);
  if (s.maximum !== undefined && s.maximum !== '') v.max = Number(s.maximum);
  if (s.maxItems !== undefined) v.maxItems = Number(s.maxItems);
  if (s.minItems !== undefined) v.minItems = Number(s.minItems);
  if (s.maxLength !== undefined) v.maxLen = Number(s.maxLength);
  if (s.minLength !== undefined) v.minLen = Number(s.minLength);
  if (s.pattern) v.pattern = String(s.pattern);
  if (s.format === 'int64' || s.format === 'int32' || s.format === 'float' || s.format === 'double') v.f = s.format;
  const def = documentedDefault(s);
  if (def !== undefined) v.def = def;
  if (s.items) v.items = valueSpec(s.items);
  if (s.properties) {
    v.props = {};
    for (const [k, sub] of Object.entries<Json>(s.properties)) v.props[k] = valueSpec(sub);
  }
  return v;
}

function shapeOf(s: Json | undefined): ShapeSpec {
  if (!s) return 's';
  switch (s.type) {
    case 'array': return [shapeOf(s.items)];
    case 'object': {
      const o: Record<string, ShapeSpec> = {};
      for (const [k, sub] of Object.entries<Json>(s.properties ?? {})) o[k] = shapeOf(sub);
      return o;
    }
    case 'integer': return 'i';
    case 'number': return 'n';
    case 'boolean': return 'b';
    default: return 's';
  }
}

const out: ApiSpecFile = { generatedFrom: 'shared/ecs-api (vendor api-docs.json, 2024-06 snapshot)', products: {} };
for (const { product, file } of products) {
  const path = join(sourceDir, file);
  if (!existsSync(path)) throw new Error(`metadata not found: ${path}`);
  const doc = JSON.parse(readFileSync(path, 'utf8')) as Json;
  const spec: ProductSpec = { version: doc.info.version, actions: {} };
  for (const name of Object.keys(doc.apis).sort()) {
    const api = doc.apis[name];
    const seen = new Set<string>();
    const params: ParamSpec[] = [];
    for (const p of api.parameters ?? []) {
      if (seen.has(p.name)) continue; // the metadata repeats some (RunInstances.RegionId)
      seen.add(p.name);
      const v = valueSpec(p.schema ?? {});
      const ps: ParamSpec = { n: p.name, ...v };
      if (p.style) ps.s = p.style;
      params.push(ps);
    }
    const errors: Record<string, [number, string]> = {};
    for (const [status, list] of Object.entries<Json[]>(api.errorCodes ?? {})) {
      for (const e of list) {
        // A code listed under several statuses gets one: the status of its family when that is
        // among them (404 for *.NotFound, as Terraform relies on), else the lowest.
        const prev = errors[e.errorCode];
        const st = Number(status);
        if (!prev || (st === fallbackStatus(e.errorCode) && prev[0] !== st)) errors[e.errorCode] = [st, String(e.errorMessage ?? '')];
      }
    }
    const methods = (api.methods ?? ['post', 'get']).map((m: string) => m.toUpperCase());
    spec.actions[name] = {
      ...(methods.length === 2 ? {} : { m: methods }),
      p: params,
      e: errors,
      r: shapeOf(api.responses?.['200']?.schema),
      ...(api.deprecated ? { d: 1 } : {}),
    };
  }
  out.products[product] = spec;
}
const target = join(root, 'src/api/generated/api-spec.json');
writeFileSync(target, JSON.stringify(out) + '\n');
console.log(`wrote ${target}: ${Object.entries(out.products).map(([p, s]) => `${p} ${Object.keys(s.actions).length}`).join(', ')}`);
