/** ECS-like resource ids: a prefix such as `i-` then lowercase alphanumerics (20 by default). */
import { randomBytes, randomUUID } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export function randomAlnum(length: number, alphabet = ALPHABET): string {
  const bytes = randomBytes(length);
  let s = '';
  // 252 = 7 * 36: rejecting bytes above keeps the distribution uniform.
  for (let i = 0; s.length < length; i++) {
    const b = i < bytes.length ? bytes[i]! : randomBytes(1)[0]!;
    if (b < Math.floor(256 / alphabet.length) * alphabet.length) s += alphabet[b % alphabet.length];
  }
  return s;
}

export function newId(prefix: string, length = 20): string {
  return prefix + randomAlnum(length);
}

/** RequestId as ECS returns it: an upper-case UUID. */
export function newRequestId(): string {
  return randomUUID().toUpperCase();
}
