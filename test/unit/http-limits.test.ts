/**
 * The limits' rules, table-driven: the per-AccessKey token bucket (admission, refill, burst cap,
 * retry-after, keys apart, forgetting refilled buckets), the settings (defaults, environment,
 * refused values), the query and parameter-count limits, and how often Node checks timeouts.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from '../../src/api/rate-limit.js';
import { configFromEnv } from '../../src/config.js';
import { requestParams } from '../../src/api/request-params.js';
import { checkingIntervalMs } from '../../src/api/connection-limits.js';

describe('token bucket', () => {
  // Each step: at time `at` (ms), key `key` asks; expected admission or retry-after.
  type Step = [at: number, key: string, expect: true | number];
  const cases: { name: string; perSecond: number; burst: number; steps: Step[] }[] = [
    {
      name: 'the burst passes at once, the next waits for one token',
      perSecond: 2, burst: 3,
      steps: [[0, 'a', true], [0, 'a', true], [0, 'a', true], [0, 'a', 500], [100, 'a', 400], [500, 'a', true], [500, 'a', 500]],
    },
    {
      name: 'a quiet spell refills no further than the burst',
      perSecond: 10, burst: 2,
      steps: [[0, 'a', true], [0, 'a', true], [0, 'a', 100], [60_000, 'a', true], [60_000, 'a', true], [60_000, 'a', 100]],
    },
    {
      name: 'keys have their own buckets',
      perSecond: 1, burst: 1,
      steps: [[0, 'a', true], [0, 'a', 1000], [0, 'b', true], [0, 'b', 1000], [250, 'a', 750], [1000, 'a', true], [1000, 'b', true]],
    },
    {
      name: 'a refused call takes nothing: the wait only shrinks',
      perSecond: 4, burst: 1,
      steps: [[0, 'a', true], [0, 'a', 250], [50, 'a', 200], [100, 'a', 150], [200, 'a', 50], [250, 'a', true]],
    },
    {
      name: 'a fractional rate rounds the wait up',
      perSecond: 0.3, burst: 1,
      steps: [[0, 'a', true], [0, 'a', 3334], [3334, 'a', true]],
    },
    {
      name: 'a steady caller at the rate is always admitted',
      perSecond: 5, burst: 1,
      steps: [[0, 'a', true], [200, 'a', true], [400, 'a', true], [600, 'a', true], [700, 'a', 100], [800, 'a', true]],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      let now = 0;
      const limiter = new RateLimiter({ perSecond: c.perSecond, burst: c.burst }, () => now);
      c.steps.forEach(([at, key, expect], i) => {
        now = at;
        const got = limiter.take(key);
        const want = expect === true ? { ok: true } : { ok: false, retryAfterMs: expect };
        assert.deepEqual(got, want, `step ${i}: ${key} at ${at} ms`);
      });
    });
  }

  it('forgets refilled buckets once it holds many keys, and only those', () => {
    let now = 0;
    const limiter = new RateLimiter({ perSecond: 1, burst: 2 }, () => now);
    for (let i = 0; i < 10_000; i++) limiter.take(`old-${i}`);
    now = 1000;
    limiter.take('recent');
    assert.equal(limiter.size, 10_001);
    // 2 s after the old keys' last call their buckets are full again: as good as new.
    now = 2000;
    limiter.take('new');
    assert.equal(limiter.size, 2);
    // The recent key's bucket was kept with what it had spent (1 token used, 1 refilled, capped at 2).
    assert.deepEqual(limiter.take('recent'), { ok: true });
    assert.deepEqual(limiter.take('recent'), { ok: true });
    assert.equal(limiter.take('recent').ok, false);
  });

  it('refuses settings that could never admit a call', () => {
    for (const s of [{ perSecond: 0, burst: 1 }, { perSecond: 1, burst: 0 }, { perSecond: -1, burst: 5 }, { perSecond: Number.NaN, burst: 5 }]) {
      assert.throws(() => new RateLimiter(s), /perSecond/, JSON.stringify(s));
    }
  });
});

describe('limit settings', () => {
  it('defaults: 256 KiB of URL and headers, 128 KiB of query, 8 MiB of body; rate limit off', () => {
    const c = configFromEnv({});
    assert.deepEqual(c.limits, {
      maxHeaderBytes: 256 * 1024, maxQueryBytes: 128 * 1024, maxBodyBytes: 8 * 1024 * 1024, maxParameters: 5000,
      headersTimeoutMs: 20_000, requestTimeoutMs: 60_000, keepAliveTimeoutMs: 5_000, maxConnectionsPerIp: 0,
    });
    assert.equal(c.rateLimit, undefined);
  });

  const cases: [env: Record<string, string>, check: (c: ReturnType<typeof configFromEnv>) => unknown, expected: unknown][] = [
    [{ OPENECS_MAX_HEADER_KB: '64' }, (c) => c.limits.maxHeaderBytes, 64 * 1024],
    [{ OPENECS_MAX_HEADER_KB: '64' }, (c) => c.limits.maxQueryBytes, 64 * 1024],
    [{ OPENECS_MAX_HEADER_KB: '512' }, (c) => c.limits.maxQueryBytes, 128 * 1024],
    [{ OPENECS_MAX_QUERY_KB: '16' }, (c) => c.limits.maxQueryBytes, 16 * 1024],
    [{ OPENECS_MAX_BODY_MB: '1' }, (c) => c.limits.maxBodyBytes, 1024 * 1024],
    [{ OPENECS_MAX_PARAMETERS: '100' }, (c) => c.limits.maxParameters, 100],
    [{ OPENECS_HEADERS_TIMEOUT_MS: '5000' }, (c) => c.limits.headersTimeoutMs, 5000],
    [{ OPENECS_REQUEST_TIMEOUT_MS: '90000' }, (c) => c.limits.requestTimeoutMs, 90_000],
    [{ OPENECS_REQUEST_TIMEOUT_MS: '10000' }, (c) => c.limits.headersTimeoutMs, 10_000],
    [{ OPENECS_KEEP_ALIVE_TIMEOUT_MS: '65000' }, (c) => c.limits.keepAliveTimeoutMs, 65_000],
    [{ OPENECS_MAX_CONNECTIONS_PER_IP: '200' }, (c) => c.limits.maxConnectionsPerIp, 200],
    [{ OPENECS_RATE_LIMIT_RPS: '50' }, (c) => c.rateLimit, { perSecond: 50, burst: 100 }],
    [{ OPENECS_RATE_LIMIT_RPS: '50', OPENECS_RATE_LIMIT_BURST: '10' }, (c) => c.rateLimit, { perSecond: 50, burst: 10 }],
    [{ OPENECS_RATE_LIMIT_RPS: '0', OPENECS_RATE_LIMIT_BURST: '10' }, (c) => c.rateLimit, undefined],
  ];
  for (const [env, check, expected] of cases) {
    it(`${JSON.stringify(env)} → ${JSON.stringify(expected)}`, () => assert.deepEqual(check(configFromEnv(env)), expected));
  }

  const refused: [env: Record<string, string>, message: RegExp][] = [
    [{ OPENECS_MAX_BODY_MB: '0' }, /OPENECS_MAX_BODY_MB must be greater than 0/],
    [{ OPENECS_HEADERS_TIMEOUT_MS: '0' }, /OPENECS_HEADERS_TIMEOUT_MS must be greater than 0/],
    [{ OPENECS_MAX_HEADER_KB: '-1' }, /non-negative integer/],
    [{ OPENECS_REQUEST_TIMEOUT_MS: '1.5' }, /non-negative integer/],
    [{ OPENECS_MAX_HEADER_KB: '64', OPENECS_MAX_QUERY_KB: '128' }, /OPENECS_MAX_QUERY_KB must not exceed OPENECS_MAX_HEADER_KB/],
    [{ OPENECS_HEADERS_TIMEOUT_MS: '70000' }, /OPENECS_HEADERS_TIMEOUT_MS must not exceed OPENECS_REQUEST_TIMEOUT_MS/],
    [{ OPENECS_RATE_LIMIT_RPS: '5', OPENECS_RATE_LIMIT_BURST: '0' }, /OPENECS_RATE_LIMIT_BURST must be greater than 0/],
  ];
  for (const [env, message] of refused) {
    it(`refuses ${JSON.stringify(env)} at start`, () => assert.throws(() => configFromEnv(env), message));
  }
});

describe('query and parameter limits', () => {
  const limits = { maxQueryBytes: 100, maxParameters: 5 };
  const form = 'application/x-www-form-urlencoded';
  const cases: [name: string, url: string, type: string | undefined, body: string, expected: { status: number } | { params: Record<string, string> }][] = [
    ['no query, no body', '/', undefined, '', { params: {} }],
    ['query and form merged, the body wins', '/?A=1&B=2', form, 'B=3&C=4', { params: { A: '1', B: '3', C: '4' } }],
    ['a query of exactly the limit', `/?X=${'x'.repeat(98)}`, undefined, '', { params: { X: 'x'.repeat(98) } }],
    ['a query one byte over', `/?X=${'x'.repeat(99)}`, undefined, '', { status: 414 }],
    ['a long body does not count as query', '/?A=1', form, `X=${'x'.repeat(1000)}`, { params: { A: '1', X: 'x'.repeat(1000) } }],
    ['exactly the parameter count', '/?A=1&B=2', form, 'C=3&D=4&E=5', { params: { A: '1', B: '2', C: '3', D: '4', E: '5' } }],
    ['one parameter over, query and body together', '/?A=1&B=2&C=3', form, 'D=4&E=5&F=6', { status: 400 }],
    ['repeated names count each time', '/?A=1&A=2&A=3&A=4&A=5&A=6', undefined, '', { status: 400 }],
    ['JSON body keys count', '/', 'application/json', JSON.stringify({ A: 1, B: 2, C: 3, D: 4, E: 5, F: 6 }), { status: 400 }],
  ];
  for (const [name, url, type, body, expected] of cases) {
    it(name, () => {
      const r = requestParams(url, type, Buffer.from(body), limits);
      if ('status' in expected) {
        assert.equal(r.ok, false);
        if (!r.ok) { assert.equal(r.status, expected.status); assert.match(r.message, /at most/); }
      } else {
        assert.equal(r.ok, true);
        if (r.ok) assert.deepEqual({ ...r.params }, expected.params);
      }
    });
  }
});

describe('timeout check interval', () => {
  const cases: [headersMs: number, requestMs: number, intervalMs: number][] = [
    [20_000, 60_000, 5_000], [1_500, 2_500, 375], [200, 60_000, 100], [100, 100, 100], [60_000, 300_000, 5_000],
  ];
  for (const [h, r, i] of cases) {
    it(`headers ${h} ms, request ${r} ms → every ${i} ms`, () => assert.equal(checkingIntervalMs({ headersTimeoutMs: h, requestTimeoutMs: r }), i));
  }
});
