/** Renders response bodies as the real service does: JSON, or XML rooted at `<{Action}Response>`. */
import { XMLBuilder } from 'fast-xml-parser';

export type Format = 'JSON' | 'XML';

const xml = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

/**
 * A value already rendered as JSON text (DescribeInstances keeps each instance's item as text
 * while it is unchanged): copied into a JSON answer as is, parsed back for XML and anything else
 * that reads the value (`toJSON`).
 */
export class RawJson {
  constructor(readonly json: string) {}
  toJSON(): unknown { return JSON.parse(this.json); }
}

const RAW_MARK = `\u0000raw:${Math.random().toString(36).slice(2)}:`;

/**
 * JSON.stringify, with the text of each RawJson found in the answer's first two levels (where
 * handlers put them) copied in its place; one deeper is rendered through its toJSON (the same
 * text, parsed and written again).
 */
function stringify(body: Record<string, unknown>): string {
  const raws: string[] = [];
  const mark = (v: RawJson) => { raws.push(v.json); return RAW_MARK + (raws.length - 1); };
  let copy: Record<string, unknown> | undefined;
  for (const [k, v] of Object.entries(body)) {
    if (v instanceof RawJson) (copy ??= { ...body })[k] = mark(v);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      let inner: Record<string, unknown> | undefined;
      for (const [k2, v2] of Object.entries(v)) if (v2 instanceof RawJson) (inner ??= { ...v })[k2] = mark(v2);
      if (inner) (copy ??= { ...body })[k] = inner;
    }
  }
  if (!copy) return JSON.stringify(body);
  const text = JSON.stringify(copy);
  const quoted = JSON.stringify(RAW_MARK).slice(0, -1);
  const parts = text.split(quoted);
  let out = parts[0]!;
  for (let i = 1; i < parts.length; i++) {
    const part = parts[i]!;
    const end = part.indexOf('"');
    out += raws[Number(part.slice(0, end))] + part.slice(end + 1);
  }
  return out;
}

export function renderBody(format: Format, root: string, body: Record<string, unknown>): { type: string; text: string } {
  if (format === 'XML') {
    return {
      type: 'text/xml;charset=utf-8',
      text: '<?xml version="1.0" encoding="UTF-8"?>' + xml.build({ [root]: stripUndefined(body) }),
    };
  }
  return { type: 'application/json;charset=utf-8', text: stringify(body) };
}

function stripUndefined(v: unknown): unknown {
  if (v instanceof RawJson) return stripUndefined(v.toJSON());
  if (Array.isArray(v)) return v.map(stripUndefined);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) o[k] = stripUndefined(x);
    return o;
  }
  return v;
}
