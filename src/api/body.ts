/**
 * The parameters a request body carries. The gateway reads a form body
 * (`application/x-www-form-urlencoded`, with or without `; charset=UTF-8`, in any case) and a
 * JSON object body (`application/json; charset=utf-8`): its scalars as their text, lists and
 * objects as the JSON strings the RPC decoder also takes (params.ts).
 */
export function bodyParams(contentType: string | undefined, body: Buffer): [string, string][] {
  if (!body.length) return [];
  const type = String(contentType ?? '').split(';', 1)[0]!.trim().toLowerCase();
  if (type === 'application/x-www-form-urlencoded') return [...new URLSearchParams(body.toString('utf8'))];
  if (type === 'application/json') {
    let parsed: unknown;
    try { parsed = JSON.parse(body.toString('utf8')); } catch { return []; }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return [];
    return Object.entries(parsed as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => [k, typeof v === 'object' ? JSON.stringify(v) : String(v)]);
  }
  return [];
}
