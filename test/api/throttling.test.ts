/**
 * Per-AccessKey flow control through the official SDK: past its burst a key gets ECS's
 * `Throttling.User` (HTTP 400, "Request was denied due to user flow control.") with
 * `x-acs-retry-after`, which the SDK reads into a ThrottlingError's `retryAfter`; another key is
 * answered at the same moment; calls that fail their signature spend nothing; the refusal is in
 * the audit trail like any other.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import PopCore from '@alicloud/pop-core';
import { createAccount } from '../../src/auth/accounts.js';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { v2Request } from '../helpers/raw.js';

const BURST = 4;
// Half a token a second: the burst is spent long before a token comes back, however slow the machine.
const PER_SECOND = 0.5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('per-AccessKey rate limit (Throttling.User)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ rateLimit: { perSecond: PER_SECOND, burst: BURST } }); });
  after(async () => { await s.close(); });

  const regions = (c: TestServer['ecs']) => c.describeRegions(new $Ecs.DescribeRegionsRequest({}));

  it('answers Throttling.User 400 past the burst, with a retry-after; another key is answered meanwhile', async () => {
    const b = await createAccount(s.app.services.db, 'throttle-b', s.clock.now());
    const other = s.clients({ accessKeyId: b.accessKeyId, accessKeySecret: b.accessKeySecret });
    for (let i = 0; i < BURST; i++) await regions(s.ecs);
    let thrown: any;
    try { await regions(s.ecs); } catch (e) { thrown = e; }
    assert.ok(thrown, 'the call past the burst was refused');
    assert.equal(thrown.name, 'ThrottlingError');
    assert.equal(thrown.code, 'Throttling.User');
    assert.equal(thrown.statusCode, 400);
    assert.equal(thrown.data.Message, 'Request was denied due to user flow control.');
    assert.equal(thrown.data.HostId, 'ecs.aliyuncs.com');
    assert.ok(thrown.retryAfter > 0 && thrown.retryAfter <= 1000 / PER_SECOND, `retryAfter ${thrown.retryAfter}`);
    // The same key signing V2 is the same bucket.
    const v2 = await expectEcsError(() => regions(s.ecsV2));
    assert.equal(v2.code, 'Throttling.User');
    assert.equal(v2.statusCode, 400);
    // Another account's key, at the same moment.
    for (let i = 0; i < BURST; i++) await regions(other.ecs);

    // Waiting as told is enough.
    await sleep(thrown.retryAfter);
    await regions(s.ecs);
  });

  it('calls that fail their signature spend nothing of the key they name', async () => {
    const c = await createAccount(s.app.services.db, 'throttle-c', s.clock.now());
    for (let i = 0; i < 3 * BURST; i++) {
      const forged = await v2Request(s.url, 'DescribeRegions', {}, { accessKeyId: c.accessKeyId, secret: 'not-the-secret-000000000000000' });
      assert.equal(forged.status, 400);
      assert.equal(forged.json.Code, 'SignatureDoesNotMatch');
    }
    const own = s.clients({ accessKeyId: c.accessKeyId, accessKeySecret: c.accessKeySecret });
    for (let i = 0; i < BURST; i++) await regions(own.ecs);
    assert.equal((await expectEcsError(() => regions(own.ecs))).code, 'Throttling.User');
  });

  it('records the throttled call in the audit trail', async () => {
    const d = await createAccount(s.app.services.db, 'throttle-d', s.clock.now());
    const own = s.clients({ accessKeyId: d.accessKeyId, accessKeySecret: d.accessKeySecret });
    for (let i = 0; i < BURST; i++) await regions(own.ecs);
    const refused = await expectEcsError(() => regions(own.ecs));
    // One token back, for the lookup itself.
    await sleep(1000 / PER_SECOND + 50);
    const trail = new PopCore({ accessKeyId: d.accessKeyId, accessKeySecret: d.accessKeySecret, endpoint: s.url, apiVersion: '2020-07-06' });
    const r: any = await trail.request('LookupEvents', { 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'DescribeRegions' }, { method: 'POST' });
    const throttled = r.Events.filter((e: any) => e.errorCode === 'Throttling.User');
    assert.equal(throttled.length, 1);
    assert.equal(throttled[0].requestId, refused.data.RequestId);
    assert.equal(throttled[0].errorMessage, 'Request was denied due to user flow control.');
    assert.equal(throttled[0].userIdentity.accessKeyId, d.accessKeyId);
    assert.equal(r.Events.length, BURST + 1);
  });
});

describe('rate limit off (the default)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('never throttles', async () => {
    assert.equal(s.app.services.config.rateLimit, undefined);
    await Promise.all(Array.from({ length: 50 }, () => s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}))));
  });
});
