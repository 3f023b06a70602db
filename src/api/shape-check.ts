/**
 * Checks an answer against the action's response shape from the generated spec. Clients decode
 * by that shape (Terraform's provider type-asserts booleans and objects and panics on a string
 * where it expects an integer), so a field of the wrong JSON type, or one the real service does
 * not have (a misspelling that a client would silently never see), is a bug of ours.
 */
import { appendFileSync } from 'node:fs';
import type { ShapeSpec } from './spec-types.js';

export interface ShapeProblem {
  path: string;
  problem: string;
}

const SCALAR_TYPES: Record<string, (v: unknown) => boolean> = {
  s: (v) => typeof v === 'string',
  i: (v) => typeof v === 'number' && Number.isInteger(v),
  n: (v) => typeof v === 'number' && Number.isFinite(v),
  b: (v) => typeof v === 'boolean',
};
const SCALAR_NAMES: Record<string, string> = { s: 'a string', i: 'an integer', n: 'a number', b: 'a boolean' };

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`;
}

/** Every place where `value` departs from `shape`; empty when it conforms. */
export function shapeProblems(value: unknown, shape: ShapeSpec, path = '$'): ShapeProblem[] {
  if (typeof shape === 'string') {
    return SCALAR_TYPES[shape]!(value) ? [] : [{ path, problem: `should be ${SCALAR_NAMES[shape]}, is ${describe(value)}` }];
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(value)) return [{ path, problem: `should be an array, is ${describe(value)}` }];
    const item = shape[0];
    // An array the metadata describes without items is only checked for being an array.
    if (item === undefined) return [];
    return value.flatMap((v, i) => shapeProblems(v, item, `${path}[${i}]`));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [{ path, problem: `should be an object, is ${describe(value)}` }];
  }
  // An object the metadata gives no fields for (a free-form map) is not looked into.
  if (Object.keys(shape).length === 0) return [];
  const problems: ShapeProblem[] = [];
  for (const [key, v] of Object.entries(value)) {
    // JSON and XML leave out a field whose value is undefined, so the client never sees it.
    if (v === undefined) continue;
    const sub = shape[key];
    if (sub === undefined) problems.push({ path: `${path}.${key}`, problem: 'is not a field of this answer' });
    else problems.push(...shapeProblems(v, sub, `${path}.${key}`));
  }
  return problems;
}

/**
 * Test-time audit: with OPENECS_SHAPE_REPORT=<file>, every answer's departures from its shape are
 * appended there as JSON lines (action, path, problem), so a whole suite run lists them.
 */
export function auditAnswer(product: string, action: string, shape: ShapeSpec, body: Record<string, unknown>): void {
  const file = process.env.OPENECS_SHAPE_REPORT;
  if (!file) return;
  // Through JSON and back: values kept as rendered text (RawJson) are checked as what they say.
  const problems = shapeProblems(JSON.parse(JSON.stringify({ RequestId: '', ...body })), shape);
  if (problems.length) appendFileSync(file, problems.map((p) => JSON.stringify({ action: `${product}:${action}`, ...p }) + '\n').join(''));
}
