/**
 * A request's parameters, query and body merged (the body's win), within the limits that keep one
 * request's cost bounded before anything is authenticated: a query string beyond its limit
 * answers 414, more parameters than any action takes answer 400.
 */
import type { HttpLimits } from '../config.js';
import { bodyParams } from './body.js';

export type RequestParams =
  | { ok: true; query: [string, string][]; params: Record<string, string> }
  | { ok: false; status: number; message: string };

export function requestParams(url: string, contentType: string | undefined, body: Buffer, limits: Pick<HttpLimits, 'maxQueryBytes' | 'maxParameters'>): RequestParams {
  const qi = url.indexOf('?');
  const rawQuery = qi < 0 ? '' : url.slice(qi + 1);
  const queryBytes = rawQuery.length;
  if (queryBytes > limits.maxQueryBytes) {
    return { ok: false, status: 414, message: `The request's query string is ${queryBytes} bytes; the server accepts at most ${limits.maxQueryBytes}.` };
  }
  const query = rawQuery ? [...new URLSearchParams(rawQuery)] : [];
  const fromBody = bodyParams(contentType, body);
  const count = query.length + fromBody.length;
  if (count > limits.maxParameters) {
    return { ok: false, status: 400, message: `The request carries ${count} parameters; the server accepts at most ${limits.maxParameters}.` };
  }
  const params: Record<string, string> = {};
  for (const [k, v] of query) params[k] = v;
  for (const [k, v] of fromBody) params[k] = v;
  return { ok: true, query, params };
}
