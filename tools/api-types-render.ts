/**
 * Renders one product of the generated API spec as TypeScript: per action, the request a handler
 * receives (what `decodeParams` in src/api/params.ts produces) and the response it may answer (the
 * spec's response shape, every field optional). Pure, so the staleness test can compare its output
 * with the committed files; tools/gen-api-types.ts writes them.
 */
import { extensionSpec } from '../src/api/extensions.js';
import type { ApiSpecFile, ParamSpec, ProductSpec, ShapeSpec, ValueSpec } from '../src/api/spec-types.js';

/** The exported map interface of each product, spelt as the dispatcher names the products. */
export const PRODUCT_TYPE_NAMES: Record<string, string> = {
  ecs: 'EcsActions', vpc: 'VpcActions', sts: 'StsActions', ram: 'RamActions', bssopenapi: 'BssOpenApiActions',
  resourcemanager: 'ResourceManagerActions', actiontrail: 'ActionTrailActions', cms: 'CmsActions', openecs: 'OpenEcsActions',
};

/**
 * Fields clients read that the metadata snapshot's response shapes lack, added to the types so the
 * handlers may keep answering them. Path: dotted fields, `[]` for a list's items.
 */
export const RESPONSE_ADDITIONS: Record<string, Record<string, Record<string, ShapeSpec>>> = {
  // alicloud_image waits until Usable is true (terraform-calls.md, image resource); the real service answers it.
  ecs: { DescribeImages: { 'Images.Image[].Usable': 'b' } },
};

function withAdditions(shape: ShapeSpec, additions: Record<string, ShapeSpec> | undefined): ShapeSpec {
  if (!additions) return shape;
  const out = structuredClone(shape);
  for (const [path, add] of Object.entries(additions)) {
    const steps = path.split('.');
    let node: ShapeSpec = out;
    for (const [i, step] of steps.entries()) {
      const field = step.replace(/\[\]$/, '');
      if (typeof node !== 'object' || Array.isArray(node)) throw new Error(`response addition ${path}: ${field} is not in an object`);
      if (i === steps.length - 1) { node[field] = add; break; }
      let next: ShapeSpec | undefined = node[field];
      if (next === undefined) throw new Error(`response addition ${path}: no ${field} in the shape`);
      if (step.endsWith('[]')) {
        if (!Array.isArray(next) || next[0] === undefined) throw new Error(`response addition ${path}: ${field} is not a list of items`);
        next = next[0];
      }
      node = next;
    }
  }
  return out;
}

export function typesFileName(product: string): string {
  return `${product}-types.ts`;
}

function key(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : JSON.stringify(name);
}

function arrayOf(item: string): string {
  return /^[\w.]+$/.test(item) || item.endsWith('}') ? `${item}[]` : `Array<${item}>`;
}

function objectType(fields: [string, boolean, string][], indent: string): string {
  if (fields.length === 0) return '{}';
  const inner = indent + '  ';
  return `{\n${fields.map(([n, required, t]) => `${inner}${key(n)}${required ? '' : '?'}: ${t};\n`).join('')}${indent}}`;
}

/**
 * A decoded value: enums become literal unions (scalar() refuses anything else), `X.N` lists
 * arrays, `X.F` objects. The metadata's legacy lower-case twins (`Tag.N.key`) are folded into
 * the canonical field by decodeParams, so they are left out.
 */
function valueType(v: ValueSpec, indent: string): string {
  switch (v.t) {
    case 'integer':
    case 'number':
      return v.e?.length && v.e.every((x) => /^-?\d+(\.\d+)?$/.test(x)) ? v.e.map((x) => String(Number(x))).join(' | ') : 'number';
    case 'boolean':
      return 'boolean';
    case 'array':
      return arrayOf(valueType(v.items ?? { t: 'string' }, indent));
    case 'object': {
      const props = Object.entries(v.props ?? {});
      // A free-form object only arrives as a JSON string (decodeValue parses it, unchecked).
      if (props.length === 0) return 'unknown';
      const fields = props
        .filter(([f]) => !(f[0]!.toUpperCase() + f.slice(1) !== f && Object.hasOwn(v.props!, f[0]!.toUpperCase() + f.slice(1))))
        .map(([f, fv]): [string, boolean, string] => [f, fv.r === 1, valueType(fv, indent + '  ')]);
      return objectType(fields, indent);
    }
    default:
      return v.e?.length ? v.e.map((x) => JSON.stringify(x)).join(' | ') : 'string';
  }
}

function paramType(p: ParamSpec, indent: string): string {
  // A JSON-style parameter is handed over as JSON.parse made it, unchecked.
  if (p.s === 'json') return 'unknown';
  if (p.s === 'simple' && p.t === 'array') return arrayOf(valueType(p.items ?? { t: 'string' }, indent));
  return valueType(p, indent);
}

function shapeType(s: ShapeSpec, indent: string): string {
  if (s === 's') return 'string';
  if (s === 'i' || s === 'n') return 'number';
  if (s === 'b') return 'boolean';
  if (Array.isArray(s)) return s[0] === undefined ? 'unknown[]' : arrayOf(shapeType(s[0], indent));
  const fields = Object.entries(s);
  // A free-form map in the metadata (no fields described).
  if (fields.length === 0) return 'Record<string, unknown>';
  return objectType(fields.map(([f, sub]) => [f, false, shapeType(sub, indent + '  ')]), indent);
}

export function renderProductTypes(product: string, spec: ProductSpec): string {
  const name = PRODUCT_TYPE_NAMES[product];
  if (!name) throw new Error(`no type name for product ${product}`);
  const lines = [
    `// Generated by tools/gen-api-types.ts (npm run gen:spec) from the ${product} spec (${spec.version}); do not edit.`,
    '// request: what decodeParams hands the handler (a JSON-string form of a list or object is parsed, not checked).',
    '// response: the answer\'s shape, every field optional; RequestId is added by the dispatcher.',
    '',
    `export interface ${name} {`,
  ];
  for (const action of Object.keys(spec.actions).sort()) {
    const a = spec.actions[action]!;
    const request = objectType(a.p.map((p) => [p.n, p.r === 1, paramType(p, '      ')]), '    ');
    const r = withAdditions(a.r, RESPONSE_ADDITIONS[product]?.[action]);
    const response = typeof r === 'object' && !Array.isArray(r) ? shapeType(r, '    ') : 'Record<string, unknown>';
    lines.push(`  ${key(action)}: {`, `    request: ${request};`, `    response: ${response};`, '  };');
  }
  lines.push('}', '');
  return lines.join('\n');
}

/** Every product's types file (name → text), from the generated spec and the extension actions. */
export function renderAllTypes(specFile: ApiSpecFile): Map<string, string> {
  const products: Record<string, ProductSpec> = { ...specFile.products, openecs: extensionSpec };
  const out = new Map<string, string>();
  for (const product of Object.keys(products).sort()) out.set(typesFileName(product), renderProductTypes(product, products[product]!));
  return out;
}
