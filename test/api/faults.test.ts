/**
 * Fault injection (issue 16 point 7) through the official clients: API rules answer the action's
 * own documented error (code and HTTP status from its table) before the handler, with only the
 * `x-openecs-fault` header telling; driver rules fail a step and the engine settles the resource
 * in its documented state with the rule in the operation's error. Runs on SQLite, and on
 * PostgreSQL with OPENECS_TEST_DATABASE_URL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { v3Request } from '../helpers/raw.js';
import { quickGiveUp } from '../helpers/fixtures.js';
import { R, disk, launch, otherAccount, snapshot, statusOf } from './storage-fixtures.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
type PopT = InstanceType<typeof PopCore>;

/** pop-core's error for a failed call: its code, the HTTP status (pop-core keeps it on `entry`) and message. */
async function popError(p: Promise<unknown>): Promise<{ code: string; statusCode: number; message: string }> {
  try {
    await p;
  } catch (e: any) {
    return { code: e.code, statusCode: e.entry?.response?.statusCode, message: e.message };
  }
  throw new Error('expected an error, but the call succeeded');
}

describe('fault injection', () => {
  let s: TestServer;
  let ext: PopT;
  let restoreEnv = () => {};

  before(async () => {
    restoreEnv = quickGiveUp();
    s = await startTestServer();
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
  });
  after(async () => {
    await s?.close();
    restoreEnv();
  });

  const create = async (params: Record<string, unknown>): Promise<string> => {
    const r: any = await ext.request('CreateFaultRule', params, { method: 'POST' });
    assert.match(r.FaultRuleId, /^fr-/);
    return r.FaultRuleId;
  };
  const describeRule = async (id: string): Promise<any> => {
    const r: any = await ext.request('DescribeFaultRules', { FaultRuleId: id });
    assert.equal(r.TotalCount, 1);
    return r.FaultRules.FaultRule[0];
  };
  const remove = (id: string) => ext.request('DeleteFaultRule', { FaultRuleId: id }, { method: 'POST' });

  it('IncorrectInstanceStatus on StopInstance for the next 2 calls: twice the documented code and status, nothing changed, then success', async () => {
    const { instanceId } = await launch(s);
    const id = await create({ Product: 'Ecs', ApiName: 'StopInstance', ErrorCode: 'IncorrectInstanceStatus', Count: 2 });

    const first = await expectEcsError(() => s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId })));
    assert.equal(first.code, 'IncorrectInstanceStatus');
    assert.equal(first.statusCode, 403);
    // The second through a raw V3 request: the body is the real shape, only the header tells.
    const raw = await v3Request(s.url, 'StopInstance', { InstanceId: instanceId });
    assert.equal(raw.status, 403);
    assert.equal(raw.headers['x-openecs-fault'], id);
    assert.deepEqual(Object.keys(raw.json).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
    assert.equal(raw.json.Code, 'IncorrectInstanceStatus');
    assert.equal(raw.json.Message, 'The current status of the resource does not support this operation.');
    assert.doesNotMatch(raw.text, /fault|inject/i);
    // Nothing changed: the injected errors were answered before the handler.
    assert.equal(await statusOf(s.ecs, instanceId), 'Running');

    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
    assert.equal(await statusOf(s.ecs, instanceId), 'Stopping');
    const ok = await v3Request(s.url, 'DescribeInstanceAttribute', { InstanceId: instanceId });
    assert.equal(ok.headers['x-openecs-fault'], undefined);

    const rule = await describeRule(id);
    assert.deepEqual([rule.HitCount, rule.RemainingCount, rule.Count, rule.Status], [2, 0, 2, 'Exhausted']);
    await s.advance(2000);
  });

  it('probability 0 never fires, probability 1 always fires until the rule is deleted', async () => {
    const never = await create({ Product: 'ecs', ApiName: 'DescribeRegions', ErrorCode: 'Throttling', Probability: 0 });
    for (let i = 0; i < 5; i++) await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    assert.equal((await describeRule(never)).HitCount, 0);
    await remove(never);

    const always = await create({ Product: 'ecs', ApiName: 'DescribeRegions', ErrorCode: 'Throttling', Probability: 1 });
    for (let i = 0; i < 3; i++) {
      const e = await expectEcsError(() => s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
      assert.deepEqual([e.code, e.statusCode], ['Throttling', 400]);
    }
    assert.equal((await describeRule(always)).HitCount, 3);
    await remove(always);
    await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const gone = await popError(remove(always));
    assert.deepEqual([gone.code, gone.statusCode], ['InvalidFaultRuleId.NotFound', 404]);
  });

  it('a wildcard rule faults only the matching actions that document its code, with each one\'s status', async () => {
    const { instanceId } = await launch(s);
    const id = await create({ Product: 'ecs', ApiName: 'Describe*Attribute', ErrorCode: 'InvalidInstanceId.NotFound', Count: 1 });
    // DescribeRegions does not match; DescribeInstanceAttribute does and lists the code under 404.
    await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const e = await expectEcsError(() => s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId })));
    assert.deepEqual([e.code, e.statusCode], ['InvalidInstanceId.NotFound', 404]);
    assert.equal((await describeRule(id)).Status, 'Exhausted');
  });

  it('a latency rule delays the matching calls only, scoped by account', async () => {
    const other = await otherAccount(s, 'slowtenant');
    const id = await create({ Product: 'ecs', ApiName: 'DescribeZones', LatencyMs: 400, AccountId: other.id });
    const time = async (fn: () => Promise<unknown>) => { const t = Date.now(); await fn(); return Date.now() - t; };
    // The fastest of three: a rule would delay each by 400 ms, while a pause of the loaded machine delays one.
    let mine = Infinity;
    for (let i = 0; i < 3; i++) mine = Math.min(mine, await time(() => s.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R }))));
    const theirs = await time(() => other.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R })));
    assert.ok(theirs >= 400, `the other account waited ${theirs} ms`);
    assert.ok(mine < 400, `the admin waited ${mine} ms`);
    assert.equal((await describeRule(id)).HitCount, 1);
    await remove(id);
  });

  it('refuses a non-admin caller, an undocumented code and a pattern matching nothing', async () => {
    const other = await otherAccount(s, 'notadmin');
    const theirs = new Pop({ ...other.creds, endpoint: s.url, apiVersion: '2026-11-01' });
    const denied = await popError(theirs.request('CreateFaultRule', { Product: 'ecs', ApiName: 'StopInstance', ErrorCode: 'IncorrectInstanceStatus' }, { method: 'POST' }));
    assert.deepEqual([denied.code, denied.statusCode], ['Forbidden.NotAdmin', 403]);
    assert.equal((await popError(theirs.request('DescribeFaultRules', {}))).code, 'Forbidden.NotAdmin');

    const undocumented = await popError(create({ Product: 'ecs', ApiName: 'StopInstance', ErrorCode: 'InvalidVSwitchId.NotFound' }));
    assert.deepEqual([undocumented.code, undocumented.statusCode], ['InvalidErrorCode.NotDocumented', 400]);
    assert.match(undocumented.message, /ecs:StopInstance.*IncorrectInstanceStatus/);

    const nothing = await popError(create({ Product: 'ecs', ApiName: 'NoSuchAction*', ErrorCode: 'Throttling' }));
    assert.deepEqual([nothing.code, nothing.statusCode], ['InvalidApiName.NotFound', 404]);
    const noFault = await popError(create({ Product: 'ecs', ApiName: 'StopInstance' }));
    assert.equal(noFault.code, 'MissingParameter.ErrorCode');
    const badProbability = await popError(create({ Product: 'ecs', ApiName: 'StopInstance', ErrorCode: 'Throttling', Probability: 1.5 }));
    assert.equal(badProbability.statusCode, 400);
    const hostWithout = await popError(create({ Target: 'HostEvent' }));
    assert.equal(hostWithout.code, 'MissingParameter.ResourceId');
  });

  it('a rule is the store\'s: another replica applies it, and a count is shared between replicas', { skip: !process.env.OPENECS_TEST_DATABASE_URL && 'replicas need PostgreSQL' }, async () => {
    const b = await startTestServer({}, { sameStoreAs: s });
    try {
      const id = await create({ Product: 'ecs', ApiName: 'DescribeRegions', ErrorCode: 'Throttling', Count: 2 });
      const onB = await expectEcsError(() => b.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
      assert.equal(onB.code, 'Throttling');
      const onA = await expectEcsError(() => s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
      assert.equal(onA.code, 'Throttling');
      // Both replicas took one each: the rule is spent for both.
      await b.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      assert.equal((await describeRule(id)).HitCount, 2);
    } finally {
      await b.close();
    }
  });

  it('InstanceStart: a guest that does not boot ends Stopped, the operation failed with the rule in its error', async () => {
    const { instanceId } = await launch(s);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
    await s.advance(2000);
    assert.equal(await statusOf(s.ecs, instanceId), 'Stopped');
    const id = await create({ Target: 'InstanceStart', ResourceId: instanceId, Count: 3 });

    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId }));
    assert.equal(await statusOf(s.ecs, instanceId), 'Starting');
    for (let i = 0; i < 10 && (await statusOf(s.ecs, instanceId)) === 'Starting'; i++) await s.advance(1000);
    assert.equal(await statusOf(s.ecs, instanceId), 'Stopped');
    const op = await s.app.services.db.selectFrom('operations').selectAll()
      .where('kind', '=', 'instance').where('resource_id', '=', instanceId).where('status', '=', 'failed').executeTakeFirst();
    assert.ok(op, 'a failed instance operation');
    assert.match(op!.error, new RegExp(`fault rule ${id} \\(InstanceStart ${instanceId}\\): the guest did not boot`));
    assert.equal((await describeRule(id)).HitCount, 3);

    // The rule is spent: the next start boots.
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId }));
    await s.advance(2000);
    assert.equal(await statusOf(s.ecs, instanceId), 'Running');
  });

  it('InstanceStart once: the engine retries and the instance is Running', async () => {
    const { instanceId } = await launch(s);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
    await s.advance(2000);
    const id = await create({ Target: 'InstanceStart', ResourceId: instanceId, Count: 1 });
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId }));
    for (let i = 0; i < 5 && (await statusOf(s.ecs, instanceId)) !== 'Running'; i++) await s.advance(1000);
    assert.equal(await statusOf(s.ecs, instanceId), 'Running');
    assert.equal((await describeRule(id)).HitCount, 1);
  });

  it('HostEvent: the guest dies and the instance reconciler starts it again', async () => {
    const { instanceId } = await launch(s);
    const id = await create({ Target: 'HostEvent', ResourceId: instanceId, Count: 1 });
    await s.settle();
    assert.equal((await describeRule(id)).HitCount, 1);
    assert.equal(await s.app.services.driver.powerState(instanceId), 'running');
    assert.equal(await statusOf(s.ecs, instanceId), 'Running');
    const missing = await popError(create({ Target: 'HostEvent', ResourceId: 'i-doesnotexist0000000' }));
    assert.deepEqual([missing.code, missing.statusCode], ['InvalidInstanceId.NotFound', 404]);
  });

  it('HostEvent with a guest that will not boot again: the Running instance ends Stopped', async () => {
    const { instanceId } = await launch(s);
    await create({ Target: 'InstanceStart', ResourceId: instanceId, Count: 3 });
    await create({ Target: 'HostEvent', ResourceId: instanceId, Count: 1 });
    for (let i = 0; i < 10 && (await statusOf(s.ecs, instanceId)) === 'Running'; i++) await s.advance(1000);
    assert.equal(await statusOf(s.ecs, instanceId), 'Stopped');
    assert.notEqual(await s.app.services.driver.powerState(instanceId), 'running');
  });

  it('SnapshotCreate: a snapshot whose bytes cannot be copied ends failed; the next one completes', async () => {
    const { systemDiskId } = await launch(s);
    const id = await create({ Target: 'SnapshotCreate', ResourceId: systemDiskId });
    const r = await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: systemDiskId, snapshotName: 'rehearsal' }));
    const snapshotId = r.body!.snapshotId!;
    for (let i = 0; i < 10 && (await snapshot(s.ecs, snapshotId))!.status === 'progressing'; i++) await s.advance(1000);
    assert.equal((await snapshot(s.ecs, snapshotId))!.status, 'failed');
    assert.ok((await describeRule(id)).HitCount >= 1);
    await remove(id);
    const next = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: systemDiskId }))).body!.snapshotId!;
    for (let i = 0; i < 120 && (await snapshot(s.ecs, next))!.status === 'progressing'; i++) await s.advance(5000);
    assert.equal((await snapshot(s.ecs, next))!.status, 'accomplished');
  });

  it('DiskAttach: a disk that fails to attach is Available again', async () => {
    const { instanceId, zoneId } = await launch(s);
    const made = await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId, diskCategory: 'cloud_essd', size: 20 }));
    const diskId = made.body!.diskId!;
    await s.advance(2000);
    assert.equal((await disk(s.ecs, diskId)).status, 'Available');
    const id = await create({ Target: 'DiskAttach', ResourceId: diskId });
    await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId, diskId }));
    for (let i = 0; i < 10 && (await disk(s.ecs, diskId)).status === 'Attaching'; i++) await s.advance(1000);
    assert.equal((await disk(s.ecs, diskId)).status, 'Available');
    assert.ok((await describeRule(id)).HitCount >= 1);
    await remove(id);
    await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId, diskId }));
    await s.advance(2000);
    assert.equal((await disk(s.ecs, diskId)).status, 'In_use');
  });
});
