/** Renders response bodies as the real service does: JSON, or XML rooted at `<{Action}Response>`. */
import { XMLBuilder } from 'fast-xml-parser';

export type Format = 'JSON' | 'XML';

const xml = new XMLBuilder({ ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

export function renderBody(format: Format, root: string, body: Record<string, unknown>): { type: string; text: string } {
  if (format === 'XML') {
    return {
      type: 'text/xml;charset=utf-8',
      text: '<?xml version="1.0" encoding="UTF-8"?>' + xml.build({ [root]: stripUndefined(body) }),
    };
  }
  return { type: 'application/json;charset=utf-8', text: JSON.stringify(body) };
}

function stripUndefined(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stripUndefined);
  if (v && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined && x !== null) o[k] = stripUndefined(x);
    return o;
  }
  return v;
}
