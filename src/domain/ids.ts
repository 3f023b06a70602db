/** ECS-like resource ids: a prefix such as `i-` then lowercase alphanumerics (20 by default). */
import { randomFillSync, randomUUID } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Random bytes come from a pool refilled 4 KiB at a time (as randomUUID pools its own): one
 * RunInstances of 100 instances takes hundreds of ids, and a call to the system's generator for
 * each was several ms of the call. Each byte is used once.
 */
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function randomByte(): number {
  if (poolAt === pool.length) { randomFillSync(pool); poolAt = 0; }
  return pool[poolAt++]!;
}

/** `n` random bytes from the pool, in a buffer of their own. */
export function randomPooledBytes(n: number): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = randomByte();
  return b;
}

export function randomAlnum(length: number, alphabet = ALPHABET): string {
  // 252 = 7 * 36: rejecting bytes above keeps the distribution uniform.
  const limit = Math.floor(256 / alphabet.length) * alphabet.length;
  let s = '';
  while (s.length < length) {
    const b = randomByte();
    if (b < limit) s += alphabet[b % alphabet.length];
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
