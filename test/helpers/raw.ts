/**
 * A small raw-request signer for crafting requests the official SDKs will not send: stale or
 * malformed timestamps, reused nonces, tampered body hashes, Terraform's query+form split, PUT.
 * It implements api-protocol.md §1.3 (V2) and §1.4 (V3) on its own, without src/api/signature.ts,
 * so the tests compare the server against an independent implementation.
 */
import { createHash, createHmac, randomUUID } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AK, SECRET } from './server.js';

export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  /** The body parsed as JSON when it is JSON, else undefined. */
  json?: any;
}

/** RFC 3986 as the SDKs apply it (pop-core lib/rpc.js `encode`). */
export function pct(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

export function formEncode(params: Record<string, string>): string {
  return Object.entries(params).map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
}

/** `yyyy-MM-ddTHH:mm:ssZ`, as the SDKs format Timestamp and x-acs-date. */
export function utcStamp(ms = Date.now()): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

/** Sends one HTTP request as given (HTTPS for an https: URL, trusting `ca`); nothing added but Host and Content-Length. */
export function send(baseUrl: string, o: { method: string; path?: string; headers?: Record<string, string>; body?: string | Buffer; ca?: string }): Promise<RawResponse> {
  const url = new URL(o.path ?? '/', baseUrl);
  return new Promise((resolve, reject) => {
    const body = o.body === undefined ? undefined : Buffer.from(o.body);
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (body) headers['content-length'] = String(body.length);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request({
      host: url.hostname, port: url.port, method: o.method, path: url.pathname + url.search, headers, ca: o.ca,
      // Big test URLs: the client side has the same 16 KiB default as the server.
      maxHeaderSize: 1024 * 1024,
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: any;
        if (String(res.headers['content-type'] ?? '').includes('json')) {
          try { json = JSON.parse(text); } catch { json = undefined; }
        }
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

// ---------------------------------------------------------------- V2 (HMAC-SHA1)

export function v2StringToSign(method: string, params: Record<string, string>): string {
  const canon = Object.keys(params).filter((k) => k !== 'Signature').sort()
    .map((k) => `${pct(k)}=${pct(params[k]!)}`).join('&');
  return `${method}&${pct('/')}&${pct(canon)}`;
}

export function v2Signature(stringToSign: string, secret: string): string {
  return createHmac('sha1', secret + '&').update(stringToSign).digest('base64');
}

export interface V2Options {
  method?: string;
  accessKeyId?: string;
  secret?: string;
  version?: string;
  /** undefined: `JSON`; null: leave Format out. */
  format?: string | null;
  timestamp?: string;
  nonce?: string;
  /**
   * Where the parameters go: `query` (V2 SDK, pop-core GET), `form` (pop-core POST: all in the body),
   * `split` (Terraform tea-rpc: common params and Signature in the query, API params in the body).
   */
  placement?: 'query' | 'form' | 'split';
  /** Common parameters to leave out (e.g. `Signature`, `Timestamp`). */
  omit?: string[];
  /** Replace the computed signature. */
  signature?: string;
  headers?: Record<string, string>;
  /** The CA to trust for an https: base URL. */
  ca?: string;
}

export interface SignedV2 extends RawResponse {
  stringToSign: string;
  params: Record<string, string>;
}

export function v2Common(action: string, o: V2Options): Record<string, string> {
  const common: Record<string, string> = {
    Action: action,
    Version: o.version ?? '2014-05-26',
    AccessKeyId: o.accessKeyId ?? AK,
    SignatureMethod: 'HMAC-SHA1',
    SignatureVersion: '1.0',
    SignatureNonce: o.nonce ?? randomUUID(),
    Timestamp: o.timestamp ?? utcStamp(),
  };
  if (o.format !== null) common.Format = o.format ?? 'JSON';
  for (const k of o.omit ?? []) delete common[k];
  return common;
}

/** Signs and sends a V2 request for `action` with API parameters `api`. */
export async function v2Request(baseUrl: string, action: string, api: Record<string, string>, o: V2Options = {}): Promise<SignedV2> {
  const method = o.method ?? 'GET';
  const common = v2Common(action, o);
  const all = { ...common, ...api };
  const stringToSign = v2StringToSign(method, all);
  const signature = o.signature ?? v2Signature(stringToSign, o.secret ?? SECRET);
  if (!o.omit?.includes('Signature')) common.Signature = signature;
  const placement = o.placement ?? 'query';
  const form = { 'content-type': 'application/x-www-form-urlencoded' };
  let res: RawResponse;
  if (placement === 'query') {
    res = await send(baseUrl, { method, path: '/?' + formEncode({ ...common, ...api }), headers: o.headers, ca: o.ca });
  } else if (placement === 'form') {
    res = await send(baseUrl, { method, path: '/', headers: { ...form, ...o.headers }, body: formEncode({ ...common, ...api }), ca: o.ca });
  } else {
    res = await send(baseUrl, { method, path: '/?' + formEncode(common), headers: { ...form, ...o.headers }, body: formEncode(api), ca: o.ca });
  }
  return { ...res, stringToSign, params: { ...common, ...api } };
}

// ---------------------------------------------------------------- V3 (ACS3-HMAC-SHA256)

export interface V3Options {
  method?: string;
  accessKeyId?: string;
  secret?: string;
  version?: string;
  date?: string;
  nonce?: string;
  body?: string;
  contentType?: string;
  /** Claim this x-acs-content-sha256 (signed as claimed) instead of the body's real hash. */
  claimedHash?: string;
  /** Headers to leave out of the request (and so out of the signature). */
  omitHeaders?: string[];
}

export interface SignedV3 extends RawResponse {
  canonicalRequest: string;
  stringToSign: string;
  authorization: string;
}

export function v3Sign(method: string, query: Record<string, string>, headers: Record<string, string>, payloadHash: string, accessKeyId: string, secret: string) {
  const canonQuery = Object.keys(query).sort().map((k) => `${k}=${pct(query[k]!)}`).join('&');
  const signed = Object.keys(headers).map((h) => h.toLowerCase())
    .filter((h) => h === 'host' || h === 'content-type' || h.startsWith('x-acs-')).sort();
  const lower: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) lower[k.toLowerCase()] = v;
  const canonHeaders = signed.map((h) => `${h}:${lower[h]!.trim()}\n`).join('');
  const canonicalRequest = [method, '/', canonQuery, canonHeaders, signed.join(';'), payloadHash].join('\n');
  const stringToSign = 'ACS3-HMAC-SHA256\n' + createHash('sha256').update(canonicalRequest).digest('hex');
  const signature = createHmac('sha256', secret).update(stringToSign).digest('hex');
  const authorization = `ACS3-HMAC-SHA256 Credential=${accessKeyId},SignedHeaders=${signed.join(';')},Signature=${signature}`;
  return { canonicalRequest, stringToSign, authorization };
}

/** Signs and sends a V3 request as the current SDK does: API params in the URL query. */
export async function v3Request(baseUrl: string, action: string, query: Record<string, string>, o: V3Options = {}): Promise<SignedV3> {
  const method = o.method ?? 'POST';
  const body = o.body ?? '';
  const realHash = createHash('sha256').update(body).digest('hex');
  const headers: Record<string, string> = {
    host: new URL(baseUrl).host,
    'x-acs-action': action,
    'x-acs-version': o.version ?? '2014-05-26',
    'x-acs-date': o.date ?? utcStamp(),
    'x-acs-signature-nonce': o.nonce ?? createHash('sha256').update(randomUUID()).digest('hex'),
    'x-acs-content-sha256': o.claimedHash ?? realHash,
  };
  if (o.contentType) headers['content-type'] = o.contentType;
  for (const h of o.omitHeaders ?? []) delete headers[h];
  const signed = v3Sign(method, query, headers, headers['x-acs-content-sha256'] ?? realHash, o.accessKeyId ?? AK, o.secret ?? SECRET);
  const qs = formEncode(query);
  const res = await send(baseUrl, {
    method, path: qs ? '/?' + qs : '/', headers: { ...headers, authorization: signed.authorization },
    body: body === '' ? undefined : body,
  });
  return { ...res, ...signed };
}
