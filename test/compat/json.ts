/**
 * A JSON reader with the provider's view of a body. The provider decodes with Go's
 * `json.Decoder.UseNumber()`, so a number keeps its literal (`2` and `2.0` differ: `formatInt`
 * panics on the second), and reads fields with `jsonpath.Get`, which fails on any missing segment.
 * JSON.parse forgets literals, so numbers are parsed here into `JsonNumber`.
 */

export class JsonNumber {
  constructor(readonly raw: string) {}
  get value(): number { return Number(this.raw); }
  get isInteger(): boolean { return /^-?(0|[1-9]\d*)$/.test(this.raw); }
  toJSON(): number { return this.value; }
}

export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | { [k: string]: JsonValue };

export function parseJson(text: string): JsonValue {
  let i = 0;
  const ws = () => { while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++; };
  const fail = (why: string): never => { throw new SyntaxError(`${why} at ${i} in ${text.slice(0, 200)}`); };
  const value = (): JsonValue => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const o: Record<string, JsonValue> = {};
      ws();
      if (text[i] === '}') { i++; return o; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const k = str();
        ws();
        if (text[i++] !== ':') fail('expected :');
        o[k] = value();
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return o; }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const a: JsonValue[] = [];
      ws();
      if (text[i] === ']') { i++; return a; }
      for (;;) {
        a.push(value());
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return a; }
        fail('expected , or ]');
      }
    }
    if (c === '"') return str();
    if (text.startsWith('true', i)) { i += 4; return true; }
    if (text.startsWith('false', i)) { i += 5; return false; }
    if (text.startsWith('null', i)) { i += 4; return null; }
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][-+]?\d+)?/.exec(text.slice(i, i + 64));
    if (!m) fail('unexpected character');
    i += m![0].length;
    return new JsonNumber(m![0]);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i));
  };
  const v = value();
  ws();
  if (i !== text.length) fail('trailing data');
  return v;
}

/** The plain JS value (numbers as numbers), for deep comparisons. */
export function plain(v: JsonValue | undefined): any {
  return v === undefined ? undefined : JSON.parse(JSON.stringify(v));
}

export class FailedGetAttribute extends Error {}

function typeName(v: JsonValue | undefined): string {
  if (v === undefined) return 'missing';
  if (v === null) return 'null';
  if (v instanceof JsonNumber) return `number ${v.raw}`;
  if (Array.isArray(v)) return 'array';
  return typeof v === 'object' ? 'object' : `${typeof v} ${JSON.stringify(v)}`;
}

/**
 * `$.A.B[0].C` as `jsonpath.Get` resolves it: every segment must exist. Typed getters fail like
 * the provider's type assertions and `formatInt` do.
 */
export class Doc {
  constructor(readonly root: JsonValue, readonly label = '') {}

  static parse(text: string, label = ''): Doc { return new Doc(parseJson(text), label); }

  get(path: string): JsonValue {
    const segs = path.replace(/^\$\.?/, '').split('.').filter(Boolean);
    let cur: JsonValue | undefined = this.root;
    let seen = '$';
    for (const seg of segs) {
      const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(seg);
      if (!m) throw new Error(`bad path ${path}`);
      const steps: (string | number)[] = [];
      if (m[1]) steps.push(m[1]);
      for (const ix of m[2]!.matchAll(/\[(\d+)\]/g)) steps.push(Number(ix[1]));
      for (const st of steps) {
        seen += typeof st === 'number' ? `[${st}]` : `.${st}`;
        if (typeof st === 'number') {
          if (!Array.isArray(cur) || st >= cur.length) throw new FailedGetAttribute(`${this.label} ${seen}: not found (have ${typeName(cur)}${Array.isArray(cur) ? ` of ${cur.length}` : ''})`);
          cur = cur[st];
        } else {
          if (cur === null || typeof cur !== 'object' || Array.isArray(cur) || cur instanceof JsonNumber || !Object.hasOwn(cur, st)) {
            throw new FailedGetAttribute(`${this.label} ${seen}: not found (parent is ${typeName(cur)})`);
          }
          cur = (cur as Record<string, JsonValue>)[st];
        }
      }
    }
    return cur!;
  }

  has(path: string): boolean {
    try { this.get(path); return true; } catch (e) { if (e instanceof FailedGetAttribute) return false; throw e; }
  }

  at(path: string): Doc { return new Doc(this.get(path), `${this.label} ${path}`); }

  private typed<T>(path: string, ok: (v: JsonValue) => boolean, what: string): T {
    const v = this.get(path);
    if (!ok(v)) throw new TypeError(`${this.label} ${path}: expected ${what}, got ${typeName(v)}`);
    return v as T;
  }

  str(path: string): string { return this.typed(path, (v) => typeof v === 'string', 'a string'); }
  bool(path: string): boolean { return this.typed(path, (v) => typeof v === 'boolean', 'a JSON boolean'); }
  /** `formatInt`: a json.Number must be an integer literal. */
  int(path: string): number { return this.typed<JsonNumber>(path, (v) => v instanceof JsonNumber && v.isInteger, 'an integer literal').value; }
  num(path: string): number { return this.typed<JsonNumber>(path, (v) => v instanceof JsonNumber, 'a JSON number').value; }
  obj(path: string): Record<string, JsonValue> {
    return this.typed(path, (v) => v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof JsonNumber), 'an object');
  }
  arr(path: string): JsonValue[] { return this.typed(path, (v) => Array.isArray(v), 'an array'); }
  /** The items of an array, each as a Doc. */
  items(path: string): Doc[] { return this.arr(path).map((v, n) => new Doc(v, `${this.label} ${path}[${n}]`)); }
  plain(path = '$'): any { return plain(this.get(path)); }
}
