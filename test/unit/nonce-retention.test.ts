/**
 * The nonce cache must not keep requests alive: a nonce decoded from a URL or body is a slice of
 * it, and keeping the slice for the 15-minute window kept the whole request (the spec fuzzer's
 * 1 MB bodies grew the server's heap by ~100 MB in 40,000 requests).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { NonceCache } from '../../src/api/signature.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

describe('NonceCache memory', () => {
  it('keeps no reference to the request a nonce was sliced from', () => {
    const cache = new NonceCache(15 * 60_000);
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 100; i++) {
      // A fresh 512 KiB "request" each time, the nonce a slice of it as URLSearchParams leaves it.
      const request = `SignatureNonce=nonce-${i}-${'0'.repeat(30)}&Content=` + String(i).padStart(8, '0').repeat(65_536);
      const nonce = request.slice(15, 15 + 40);
      assert.equal(cache.claim(`AK:${nonce}`, 1_000), true);
      assert.equal(cache.claim(`AK:${nonce}`, 2_000), false);
    }
    gc();
    const grown = (process.memoryUsage().heapUsed - before) / 1048576;
    assert.ok(grown < 10, `the heap grew by ${grown.toFixed(1)} MB for 100 nonces`);
  });
});
