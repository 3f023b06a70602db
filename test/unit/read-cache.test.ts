import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReadCache, REQUEST_ID_PLACEHOLDER } from '../../src/api/read-cache.js';

const body = (n: string) => `{"RequestId":"${REQUEST_ID_PLACEHOLDER}","Name":"${n}"}`;

describe('read cache', () => {
  const cases: { name: string; steps: (c: ReadCache) => unknown; expect: unknown }[] = [
    { name: 'a hit carries the new RequestId', steps: (c) => { c.put('k', 'v1', 'json', body('a')); return c.get("k", "v1", "R2")?.body.toString(); }, expect: `{"RequestId":"R2","Name":"a"}` },
    { name: 'another store version misses', steps: (c) => { c.put('k', 'v1', 'json', body('a')); return c.get('k', 'v2', 'R2'); }, expect: undefined },
    { name: 'a stale entry is dropped, not served later', steps: (c) => { c.put('k', 'v1', 'json', body('a')); c.get('k', 'v2', 'R'); return c.get('k', 'v1', 'R'); }, expect: undefined },
    { name: 'only the first occurrence is replaced', steps: (c) => { c.put('k', 'v', 'json', body(REQUEST_ID_PLACEHOLDER)); return c.get('k', 'v', 'R')?.body.toString(); }, expect: `{"RequestId":"R","Name":"${REQUEST_ID_PLACEHOLDER}"}` },
    { name: 'disabled with 0 bytes', steps: (c) => { const off = new ReadCache(0); off.put('k', 'v', 'json', body('a')); return [off.enabled, off.get('k', 'v', 'R')]; }, expect: [false, undefined] },
    {
      name: 'over the budget the least recently used goes first',
      steps: () => {
        const kept = body('a').length - REQUEST_ID_PLACEHOLDER.length; // the placeholder itself is not stored
        const c = new ReadCache(kept * 4 + 2); // four fit, five do not
        for (const k of ['a', 'b', 'c', 'd']) c.put(k, 'v', 'json', body(k));
        c.get('a', 'v', 'R'); // a is now the most recent
        c.put('e', 'v', 'json', body('e'));
        return ['a', 'b', 'c', 'd', 'e'].map((k) => c.get(k, 'v', 'R') !== undefined);
      },
      expect: [true, false, true, true, true],
    },
    { name: 'an answer larger than a quarter of the budget is not kept', steps: () => { const c = new ReadCache(40); c.put('k', 'v', 'json', body('a')); return c.get('k', 'v', 'R'); }, expect: undefined },
  ];
  for (const t of cases) it(t.name, () => assert.deepEqual(t.steps(new ReadCache(1 << 20)), t.expect));
});

describe('read cache over its budget', () => {
  const big = (n: string) => `{"RequestId":"${REQUEST_ID_PLACEHOLDER}","Items":[${Array.from({ length: 1000 }, (_, i) => `{"Id":"${n}-${i}","Status":"Running"}`).join(',')}]}`;
  it('compresses large answers before it drops any, and serves them whole', () => {
    const size = big('a').length;
    const c = new ReadCache(size * 5); // five fit uncompressed; twenty fit compressed
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    for (const k of keys) c.put(k, 'v', 'json', big(k));
    for (const k of keys) assert.equal(c.get(k, 'v', 'R')?.body.toString(), big(k).replace(REQUEST_ID_PLACEHOLDER, 'R'));
  });
  it('drops when even compressed answers do not fit', () => {
    const c = new ReadCache(big("a").length * 5);
    const keys = Array.from({ length: 2000 }, (_, i) => `k${i}`);
    for (const k of keys) c.put(k, 'v', 'json', big(k));
    assert.equal(c.get('k0', 'v', 'R'), undefined);
    assert.ok(c.get('k1999', 'v', 'R'));
  });
});
