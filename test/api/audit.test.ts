/**
 * The audit trail: every call (through the official ECS/VPC/RAM clients, refused ones included)
 * is an event ActionTrail's LookupEvents answers to its own account, without secrets, with its
 * filters, time range and NextToken paging; retention deletes old events.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import * as $Vpc from '@alicloud/vpc20160428';
import { createAccount } from '../../src/auth/accounts.js';
import { sweepAuditEvents } from '../../src/audit/retention.js';
import { auditRecorder } from '../../src/audit/recorder.js';
import { $Ecs, AK, SECRET, expectEcsError, makeClients, startTestServer, type Credentials, type TestServer } from '../helpers/server.js';
import { createNetwork, type Network } from '../helpers/fixtures.js';
import { ramClient } from '../helpers/ram.js';
import { v2Request } from '../helpers/raw.js';
import { createTestDatabase, testDatabaseCluster } from '../helpers/pg.js';
import { createApp } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { openStore } from '../../src/store/db.js';
import { ManualClock } from '../../src/engine/clock.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const R = 'cn-hangzhou';
const PASSWORD = 'Audit-Secret-Pw-1987!';
const DAY = 86_400_000;

function trail(url: string, c: Credentials) {
  const pop = new PopCore({ ...c, endpoint: url, apiVersion: '2020-07-06' });
  return (params: Record<string, string | number> = {}) => pop.request<any>('LookupEvents', { ...params }, { method: 'POST' });
}

/** Every event LookupEvents answers for `params`, following NextToken. */
async function allEvents(lookup: ReturnType<typeof trail>, params: Record<string, string | number> = {}): Promise<any[]> {
  const out: any[] = [];
  let token: string | undefined;
  do {
    const r = await lookup({ ...params, ...(token ? { NextToken: token } : {}) });
    out.push(...r.Events);
    token = r.NextToken;
  } while (token);
  return out;
}

async function popError(p: Promise<unknown>): Promise<{ code: string; status: number }> {
  try {
    await p;
  } catch (e: any) {
    return { code: e.code, status: e.entry?.response?.statusCode };
  }
  throw new Error('expected an error');
}

describe('audit trail (ActionTrail LookupEvents)', () => {
  let s: TestServer;
  let lookup: ReturnType<typeof trail>;
  let net: Network;
  let instanceId: string;
  let createRequestId: string;

  before(async () => {
    s = await startTestServer();
    lookup = trail(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    net = await createNetwork(s);
    const c = await s.ecs.createInstance(new $Ecs.CreateInstanceRequest({
      regionId: R, imageId: net.imageId, instanceType: 'ecs.g7.large', vSwitchId: net.vswitchId,
      securityGroupId: net.securityGroupId, password: PASSWORD, instanceName: 'audited',
    }));
    instanceId = c.body!.instanceId!;
    createRequestId = c.body!.requestId!;
    await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }));
  });
  after(() => s.close());

  it('records a call with ActionTrail\'s event fields and no password anywhere', async () => {
    const r = await lookup({ 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'CreateInstance' });
    assert.equal(r.Events.length, 1);
    const e = r.Events[0];
    assert.equal(e.eventName, 'CreateInstance');
    assert.equal(e.eventRW, 'Write');
    assert.equal(e.eventType, 'ApiCall');
    assert.equal(e.serviceName, 'Ecs');
    assert.equal(e.eventSource, 'ecs.aliyuncs.com');
    assert.equal(e.apiVersion, '2014-05-26');
    assert.equal(e.acsRegion, R);
    assert.equal(e.requestId, createRequestId);
    assert.equal(e.eventTime, '2026-11-23T06:00:00Z');
    assert.match(e.eventId, /^[0-9A-F-]{36}$/);
    assert.match(e.sourceIpAddress, /127\.0\.0\.1/);
    assert.match(e.userAgent, /AlibabaCloud/);
    assert.equal(e.httpStatusCode, 200);
    assert.equal(e.errorCode, undefined);
    assert.deepEqual({ ...e.userIdentity }, { type: 'root-account', principalId: e.userIdentity.accountId, accountId: e.userIdentity.accountId, accessKeyId: AK, userName: 'root' });
    assert.equal(e.requestParameters.Password, '******');
    assert.equal(e.requestParameters.InstanceName, 'audited');
    assert.equal(e.requestParameters.Signature, undefined);
    assert.ok(e.resourceName.split(';').includes(instanceId), e.resourceName);
    assert.ok(e.resourceType.split(';').includes('ACS::ECS::Instance'));
    assert.equal(r.StartTime, '2026-11-16T06:00:00Z');
    assert.equal(r.EndTime, '2026-11-23T06:00:00Z');

    const rows = await s.app.services.db.selectFrom('audit_events').selectAll().execute();
    assert.ok(rows.length >= 5);
    assert.ok(!JSON.stringify(rows).includes(PASSWORD), 'the password is stored nowhere in the trail');
  });

  it('filters by name, read/write, resource, service and AccessKey; pages with NextToken in both directions', async () => {
    await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R }));
    // The lookups below are events too: a second later, and left out by EndTime.
    s.clock.advance(1000);
    const upTo = { EndTime: '2026-11-23T06:00:00Z' };
    const every = await allEvents(lookup, upTo);
    assert.ok(every.length >= 8);
    const times = every.map((e) => e.eventTime);
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first by default');

    const reads = await allEvents(lookup, { ...upTo, 'LookupAttribute.1.Key': 'EventRW', 'LookupAttribute.1.Value': 'Read' });
    assert.ok(reads.length > 0 && reads.every((e) => e.eventRW === 'Read'));
    assert.ok(reads.some((e) => e.eventName === 'DescribeInstances'));

    const vpc = await allEvents(lookup, { ...upTo, 'LookupAttribute.1.Key': 'ServiceName', 'LookupAttribute.1.Value': 'Vpc' });
    assert.deepEqual([...new Set(vpc.map((e) => e.eventName))].sort(), ['CreateVSwitch', 'CreateVpc', 'DescribeVpcs']);

    const onInstance = await allEvents(lookup, { ...upTo, 'LookupAttribute.1.Key': 'ResourceName', 'LookupAttribute.1.Value': instanceId });
    assert.deepEqual(onInstance.map((e) => e.eventName), ['CreateInstance']);
    const onVpc = await allEvents(lookup, {
      'LookupAttribute.1.Key': 'ResourceName', 'LookupAttribute.1.Value': net.vpcId,
      'LookupAttribute.2.Key': 'EventName', 'LookupAttribute.2.Value': 'CreateVSwitch',
    });
    assert.equal(onVpc.length, 1);

    const byKey = await allEvents(lookup, { ...upTo, 'LookupAttribute.1.Key': 'EventAccessKeyId', 'LookupAttribute.1.Value': AK });
    assert.equal(byKey.length, every.length);
    const byId = await lookup({ 'LookupAttribute.1.Key': 'EventId', 'LookupAttribute.1.Value': every[2].eventId });
    assert.deepEqual(byId.Events.map((e: any) => e.eventId), [every[2].eventId]);

    // Pages of 2 give the same events, each once; FORWARD gives them oldest first.
    const paged = await allEvents(lookup, { ...upTo, MaxResults: 2 });
    const unpaged = await allEvents(lookup, { ...upTo, MaxResults: 50 });
    assert.deepEqual(unpaged.map((e) => e.eventId), every.map((e) => e.eventId));
    assert.deepEqual(paged.map((e) => e.eventId), unpaged.map((e) => e.eventId));
    assert.equal(new Set(paged.map((e) => e.eventId)).size, paged.length);
    const forward = await allEvents(lookup, { ...upTo, MaxResults: 3, Direction: 'FORWARD' });
    assert.deepEqual(forward.map((e) => e.eventId), [...unpaged].reverse().map((e) => e.eventId));
  });

  it('selects by time range', async () => {
    s.clock.advance(3_600_000);
    await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const later = await allEvents(lookup, { StartTime: '2026-11-23T06:30:00Z' });
    assert.ok(later.length >= 1 && later.every((e) => e.eventTime >= '2026-11-23T06:30:00Z'));
    assert.ok(later.some((e) => e.eventName === 'DescribeRegions'));
    const earlier = await allEvents(lookup, { StartTime: '2026-11-23T05:00:00Z', EndTime: '2026-11-23T06:10:00Z' });
    assert.ok(earlier.every((e) => e.eventTime <= '2026-11-23T06:10:00Z'));
    assert.ok(!earlier.some((e) => e.eventName === 'DescribeRegions'));
  });

  it('refuses bad queries with ActionTrail\'s codes', async () => {
    for (const [params, code] of [
      [{ StartTime: '2026-11-23T06:00:00Z', EndTime: '2026-11-22T06:00:00Z' }, 'InvalidParameterCombination'],
      [{ StartTime: 'yesterday' }, 'InvalidParameterStartTime'],
      [{ EndTime: '2026-13-01T00:00:00Z' }, 'InvalidParameterEndTime'],
      [{ MaxResults: 51 }, 'InvalidQueryParameter'],
      [{ MaxResults: 'ten' }, 'InvalidQueryParameter'],
      [{ Direction: 'SIDEWAYS' }, 'InvalidQueryParameter'],
      [{ NextToken: 'not-a-token' }, 'InvalidQueryParameter'],
      [{ 'LookupAttribute.1.Key': 'Colour', 'LookupAttribute.1.Value': 'red' }, 'InvalidQueryParameter'],
      [{ 'LookupAttribute.1.Key': 'EventRW', 'LookupAttribute.1.Value': 'Both' }, 'InvalidQueryParameter'],
    ] as const) {
      const e = await popError(lookup(params as Record<string, string | number>));
      assert.deepEqual([e.code, e.status], [code, 400], JSON.stringify(params));
    }
  });

  it('records refused calls: a bad signature, a validation error, Forbidden.RAM', async () => {
    const bad = await v2Request(s.url, 'DescribeInstances', { RegionId: R }, { signature: 'bm90LXRoZS1zaWduYXR1cmU=' });
    assert.equal(bad.status, 400);
    const invalid = await expectEcsError(() => s.ecs.deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: R, instanceId: ['i-doesnotexist00000000'] })));
    assert.ok(invalid.statusCode >= 400);
    const ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    await ram.call('CreateUser', { UserName: 'auditee' });
    const key = (await ram.call('CreateAccessKey', { UserName: 'auditee' })).AccessKey;
    const bob = s.clients({ accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret });
    const denied = await expectEcsError(() => bob.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R })));
    assert.equal(denied.code, 'Forbidden.RAM');
    const forged = await v2Request(s.url, 'DescribeInstances', { RegionId: R }, { accessKeyId: key.AccessKeyId, secret: 'wrong' });
    assert.equal(forged.status, 400);

    const failed = (await allEvents(lookup)).filter((e) => e.errorCode);
    const sig = failed.filter((e) => e.errorCode === 'SignatureDoesNotMatch');
    assert.equal(sig.length, 2);
    const rootSig = sig.find((e) => e.userIdentity.accessKeyId === AK)!;
    assert.deepEqual([rootSig.eventName, rootSig.httpStatusCode, rootSig.userIdentity.type], ['DescribeInstances', 400, 'root-account']);
    const userSig = sig.find((e) => e.userIdentity.accessKeyId === key.AccessKeyId)!;
    assert.deepEqual([userSig.userIdentity.type, userSig.userIdentity.userName], ['ram-user', 'auditee']);
    assert.ok(failed.some((e) => e.eventName === 'DeleteInstances' && e.errorCode === invalid.code));
    const forbidden = failed.find((e) => e.errorCode === 'Forbidden.RAM')!;
    assert.equal(forbidden.httpStatusCode, 403);
    assert.deepEqual([forbidden.userIdentity.type, forbidden.userIdentity.userName, forbidden.userIdentity.accessKeyId], ['ram-user', 'auditee', key.AccessKeyId]);
    const byUser = await allEvents(lookup, { 'LookupAttribute.1.Key': 'User', 'LookupAttribute.1.Value': 'auditee' });
    assert.equal(byUser.length, 2);

    // The new key's secret is in CreateAccessKey's answer, never in the trail.
    const rows = await s.app.services.db.selectFrom('audit_events').selectAll().execute();
    assert.ok(!JSON.stringify(rows).includes(key.AccessKeySecret));
  });

  it('shows an account only its own events', async () => {
    const b = await createAccount(s.app.services.db, 'audit-b', s.clock.now());
    const cb = s.clients({ accessKeyId: b.accessKeyId, accessKeySecret: b.accessKeySecret });
    await cb.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const lookupB = trail(s.url, { accessKeyId: b.accessKeyId, accessKeySecret: b.accessKeySecret });
    const seen = await allEvents(lookupB, { StartTime: '2026-11-01T00:00:00Z' });
    assert.deepEqual(seen.map((e) => e.eventName), ['DescribeRegions']);
    assert.equal(seen[0].userIdentity.accountId, b.accountId);
    const aEvent = (await lookup({ 'LookupAttribute.1.Key': 'EventName', 'LookupAttribute.1.Value': 'CreateInstance' })).Events[0];
    const probe = await lookupB({ 'LookupAttribute.1.Key': 'EventId', 'LookupAttribute.1.Value': aEvent.eventId });
    assert.deepEqual(probe.Events, []);
    const mine = await allEvents(lookup, { StartTime: '2026-11-01T00:00:00Z' });
    assert.ok(!mine.some((e) => e.userIdentity.accountId === b.accountId));
  });

  it('deletes events past the retention', async () => {
    const db = s.app.services.db;
    // The previous test's last lookup may still be buffered.
    await auditRecorder(db).flush();
    const before = Number((await db.selectFrom('audit_events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    assert.ok(before > 0);
    const now = s.clock.now();
    assert.equal(await sweepAuditEvents(db, now, { retentionMs: 90 * DAY, intervalMs: 0, batch: 3 }), 0);
    const deleted = await sweepAuditEvents(db, now + 91 * DAY, { retentionMs: 90 * DAY, intervalMs: 0, batch: 3 });
    assert.equal(deleted, before);
    assert.equal(await sweepAuditEvents(db, now + 91 * DAY, { retentionMs: 0, intervalMs: 0, batch: 3 }), 0);
  });
});

describe('audit trail across a stop', () => {
  it('writes every buffered event before the store closes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openecs-audit-'));
    const cluster = testDatabaseCluster();
    const database = cluster ? await createTestDatabase(cluster) : undefined;
    try {
      const config = { ...configFromEnv({}), dataDir: dir, databaseUrl: database?.url, port: 0, accessKeyId: AK, accessKeySecret: SECRET };
      const app = await createApp(config, { clock: new ManualClock(Date.parse('2026-11-23T06:00:00Z')), startEngine: false });
      const url = await app.listen();
      const ecs = makeClients(url, { accessKeyId: AK, accessKeySecret: SECRET }).ecs;
      const ids: string[] = [];
      for (let i = 0; i < 30; i++) ids.push((await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}))).body!.requestId!);
      await app.close();
      const db = await openStore({ dataDir: dir, databaseUrl: database?.url });
      try {
        const rows = await db.selectFrom('audit_events').select('request_id').where('request_id', 'in', ids).execute();
        assert.equal(rows.length, ids.length);
      } finally {
        await db.destroy();
      }
    } finally {
      await database?.drop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
