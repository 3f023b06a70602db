/**
 * Field checks with the provider's reading rules, collecting every problem of one body so a
 * failure names all missing or mistyped fields at once.
 */
import assert from 'node:assert/strict';
import { Doc, FailedGetAttribute, JsonNumber, type JsonValue } from './json.js';

/**
 * s string, i integer literal (formatInt), n number, b JSON boolean, o object, a array,
 * '?' present with any type; a trailing `?` (`o?`) checks the type only when present, as the
 * provider's `if v, ok := m[k]; ok { v.(map…) }` does.
 */
export type FieldType = 's' | 'i' | 'n' | 'b' | 'o' | 'a' | '?' | 's?' | 'i?' | 'n?' | 'b?' | 'o?' | 'a?';

function check(v: JsonValue, t: string): boolean {
  switch (t) {
    case 's': return typeof v === 'string';
    case 'i': return v instanceof JsonNumber && v.isInteger;
    case 'n': return v instanceof JsonNumber;
    case 'b': return typeof v === 'boolean';
    case 'o': return v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber);
    case 'a': return Array.isArray(v);
    default: return true;
  }
}

function show(v: JsonValue): string {
  return v instanceof JsonNumber ? v.raw : JSON.stringify(v)?.slice(0, 80) ?? 'undefined';
}

export function fieldProblems(d: Doc, fields: Record<string, FieldType>): string[] {
  const problems: string[] = [];
  for (const [path, type] of Object.entries(fields)) {
    const optional = type.length === 2;
    const t = type[0]!;
    let v: JsonValue;
    try { v = d.get(path); } catch (e) {
      if (!(e instanceof FailedGetAttribute)) throw e;
      if (!optional) problems.push(`${path}: missing`);
      continue;
    }
    if (!check(v, t)) problems.push(`${path}: expected ${({ s: 'string', i: 'integer literal', n: 'number', b: 'JSON boolean', o: 'object', a: 'array' } as Record<string, string>)[t] ?? t}, got ${show(v)}`);
  }
  return problems;
}

export function expectFields(d: Doc, fields: Record<string, FieldType>, what = d.label): void {
  const problems = fieldProblems(d, fields);
  assert.deepEqual(problems, [], `${what}: ${problems.join('; ')}`);
}

/** A successful body carries no top-level Code (except BssOpenApi's "Success") and no Success:false. */
export function expectCleanSuccess(d: Doc): void {
  const root = d.root as Record<string, JsonValue>;
  assert.ok(!Object.hasOwn(root, 'Code'), `${d.label}: a success body with a top-level Code: ${show(root.Code!)}`);
  assert.notEqual(root.Success, false, `${d.label}: Success:false`);
}
