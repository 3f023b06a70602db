/**
 * Request signatures as the official clients compute them (api-protocol.md §1.3, §1.4):
 * V2 = HMAC-SHA1 over the canonicalized parameters (`SignatureVersion=1.0`),
 * V3 = ACS3-HMAC-SHA256 over a canonical request built from the headers the client signed.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** RFC 3986 encoding as the SDKs apply it: encodeURIComponent plus !'()* escaped. */
export function percentEncode(s: string): string {
  return encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
}

const byKey = (a: [string, string], b: [string, string]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);

export function v2StringToSign(method: string, params: Record<string, string>): string {
  const canon = Object.entries(params)
    .filter(([k]) => k !== 'Signature')
    .sort(byKey)
    .map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`)
    .join('&');
  return `${method.toUpperCase()}&${percentEncode('/')}&${percentEncode(canon)}`;
}

export function v2Sign(stringToSign: string, secret: string): string {
  return createHmac('sha1', secret + '&').update(stringToSign).digest('base64');
}

export interface V3Authorization {
  accessKeyId: string;
  signedHeaders: string[];
  signature: string;
}

export function parseV3Authorization(header: string): V3Authorization | undefined {
  const m = /^ACS3-HMAC-SHA256\s+Credential=([^,\s]+)\s*,\s*SignedHeaders=([^,\s]+)\s*,\s*Signature=([0-9a-fA-F]+)\s*$/.exec(header);
  if (!m) return undefined;
  return { accessKeyId: m[1]!, signedHeaders: m[2]!.split(';'), signature: m[3]!.toLowerCase() };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function v3CanonicalRequest(
  method: string,
  path: string,
  query: [string, string][],
  headers: Record<string, string | string[] | undefined>,
  signedHeaders: string[],
  payloadHash: string,
): string {
  const q = [...query].sort(byKey).map(([k, v]) => `${percentEncode(k)}=${percentEncode(v)}`).join('&');
  const canonHeaders = signedHeaders
    .map((n) => {
      const v = headers[n];
      return `${n}:${(Array.isArray(v) ? v.join(',') : v ?? '').trim()}\n`;
    })
    .join('');
  return [method.toUpperCase(), path || '/', q, canonHeaders, signedHeaders.join(';'), payloadHash].join('\n');
}

export function v3StringToSign(canonicalRequest: string): string {
  return 'ACS3-HMAC-SHA256\n' + sha256Hex(canonicalRequest);
}

export function v3Sign(stringToSign: string, secret: string): string {
  return createHmac('sha256', secret).update(stringToSign).digest('hex');
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Remembers nonces for the freshness window so a captured request cannot be replayed. */
export class NonceCache {
  private seen = new Map<string, number>();
  constructor(private windowMs: number) {}

  /**
   * Returns false when the nonce was already used within the window. The key is kept as a digest:
   * the nonce as decoded is a slice of the request's URL or body, and keeping it kept the whole
   * request alive for the window (the fuzzer's 1 MB bodies grew the heap by ~100 MB in 40,000
   * requests), and a nonce's own length is the client's to choose.
   */
  claim(nonceKey: string, nowMs: number): boolean {
    const key = createHash('sha256').update(nonceKey).digest('base64');
    if (this.seen.size > 100_000) this.sweep(nowMs);
    const at = this.seen.get(key);
    if (at !== undefined && nowMs - at < this.windowMs) return false;
    this.seen.set(key, nowMs);
    return true;
  }

  private sweep(nowMs: number) {
    for (const [k, at] of this.seen) if (nowMs - at >= this.windowMs) this.seen.delete(k);
  }
}
