import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { newId, randomAlnum, randomPooledBytes } from '../../src/domain/ids.js';

describe('random ids (pooled random bytes)', () => {
  for (const [length, alphabet] of [[20, undefined], [15, '0123456789'], [30, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'], [1, 'ab']] as const) {
    it(`randomAlnum(${length}, ${alphabet ?? 'default'}): that length, that alphabet only`, () => {
      const allowed = new Set(alphabet ?? 'abcdefghijklmnopqrstuvwxyz0123456789');
      for (let i = 0; i < 2000; i++) {
        const s = randomAlnum(length, alphabet);
        assert.equal(s.length, length);
        for (const ch of s) assert.ok(allowed.has(ch), `${ch} in ${s}`);
      }
    });
  }

  it('ids do not repeat across many pool refills, and every symbol turns up about as often', () => {
    const ids = new Set(Array.from({ length: 20_000 }, () => newId('i-')));
    assert.equal(ids.size, 20_000);
    const counts = new Map<string, number>();
    for (const id of ids) for (const ch of id.slice(2)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    assert.equal(counts.size, 36);
    const mean = (20_000 * 20) / 36;
    for (const [ch, n] of counts) assert.ok(Math.abs(n - mean) < mean * 0.1, `${ch}: ${n} vs ${mean}`);
  });
});

describe('randomPooledBytes', () => {
  it('gives buffers of their own, of the length asked, not repeating', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const b = randomPooledBytes(16);
      assert.equal(b.length, 16);
      seen.add(b.toString('hex'));
    }
    assert.equal(seen.size, 1000);
    const a = randomPooledBytes(8);
    const copy = Buffer.from(a);
    randomPooledBytes(5000);
    assert.deepEqual(a, copy, 'a later refill does not change an earlier buffer');
  });
});
