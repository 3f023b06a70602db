/**
 * Concurrent requests that race for one thing get exactly the outcomes ECS allows: one winner and
 * the documented error for the others, never two winners, a 5xx or a status step the state
 * machine does not have. The calls are spread over two servers on one store when the store is
 * PostgreSQL (two replicas, each with its own connection pool, as behind a load balancer). On the
 * in-memory SQLite store both halves go to the one server; its driver is synchronous, so a
 * handler's queries resolve without yielding to the next request and the same answers are
 * expected, but the race itself is only run for real on PostgreSQL (`npm run test:api:pg`): there,
 * removing the compare-and-set from setInstanceStatus, or the checks inside the transaction from
 * AttachDisk or CreateImage, fails this suite.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { AK, SECRET, $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { R, launch, snap, statusOf, type Launched } from './storage-fixtures.js';
import { KEYS } from '../unit/ssh-keys.fixture.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;

/** 'OK' or the error's Code; a server fault (5xx) fails the test at once. */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'OK';
  } catch (e: any) {
    const status = e.entry?.response?.statusCode ?? e.statusCode;
    if (!e.code || (typeof status === 'number' && status >= 500)) throw e;
    return e.code as string;
  }
}

function tally(outcomes: string[]): Record<string, number> {
  const t: Record<string, number> = {};
  for (const o of outcomes) t[o] = (t[o] ?? 0) + 1;
  return t;
}

/** Every step the instance state machine has (creation, handlers and the reconciler). */
const LEGAL_INSTANCE_STEPS = new Set([
  '→Pending', 'Pending→Starting', 'Pending→Stopped', 'Starting→Running', 'Running→Stopping', 'Stopping→Stopped',
  'Stopping→Starting', 'Stopped→Starting',
]);

describe('races over two servers on one store', () => {
  let a: TestServer;
  let b: TestServer;
  const vms: Launched[] = [];

  before(async () => {
    a = await startTestServer({ simDelayMs: 1000 });
    b = a.databaseUrl ? await startTestServer({ simDelayMs: 1000 }, { sameStoreAs: a }) : a;
    for (let i = 0; i < 4; i++) vms.push(await launch(a));
  });
  after(async () => {
    if (b !== a) await b.close();
    await a.close();
  });

  /** The i-th call of a storm goes to one server or the other. */
  const server = (i: number) => (i % 2 === 0 ? a : b);
  const ecs = (i: number, action: string, params: Record<string, unknown>) => server(i).pop.request(action, { RegionId: R, ...params }, { method: 'POST' });
  const vpc = (i: number, action: string, params: Record<string, unknown>) => server(i).popVpc.request(action, { RegionId: R, ...params }, { method: 'POST' });
  const storm = (n: number, call: (i: number) => Promise<unknown>) => Promise.all(Array.from({ length: n }, (_, i) => outcome(call(i))));

  async function transitionsOf(id: string): Promise<string[]> {
    const rows = await a.app.services.db.selectFrom('transitions').select(['from_status', 'to_status'])
      .where('resource_id', '=', id).orderBy('id').execute();
    return rows.map((r) => `${r.from_status}→${r.to_status}`);
  }

  async function newDisk(): Promise<string> {
    const r = await a.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: vms[0]!.zoneId, diskCategory: 'cloud_essd', size: 20 }));
    return r.body!.diskId!;
  }

  async function diskRow(id: string) {
    return a.app.services.db.selectFrom('disks').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  }

  it('20 concurrent AttachDisk of one disk to several instances: exactly one succeeds', async () => {
    const diskId = await newDisk();
    await a.advance(1000);
    const outcomes = await storm(20, (i) => ecs(i, 'AttachDisk', { InstanceId: vms[i % vms.length]!.instanceId, DiskId: diskId }));
    assert.deepEqual(tally(outcomes), { OK: 1, IncorrectDiskStatus: 19 }, outcomes.join(' '));
    const winner = vms[outcomes.indexOf('OK') % vms.length]!;
    await a.advance(1000);
    const d = await diskRow(diskId);
    assert.equal(d.status, 'In_use');
    assert.equal(d.instance_id, winner.instanceId);
    assert.deepEqual(await transitionsOf(diskId), ['→Creating', 'Creating→Available', 'Available→Attaching', 'Attaching→In_use']);
  });

  it('20 concurrent AttachDisk of different disks to one instance fill its 16 data slots, each with its own device', async () => {
    const target = vms[3]!;
    const before = (await a.app.services.db.selectFrom('disks').select('id').where('instance_id', '=', target.instanceId).where('type', '=', 'data').execute()).length;
    const disks: string[] = [];
    for (let i = 0; i < 20; i++) disks.push(await newDisk());
    await a.advance(1000);
    const outcomes = await storm(20, (i) => ecs(i, 'AttachDisk', { InstanceId: target.instanceId, DiskId: disks[i]! }));
    const free = 16 - before;
    assert.deepEqual(tally(outcomes), { OK: free, InstanceDiskLimitExceeded: 20 - free }, outcomes.join(' '));
    await a.advance(1000);
    const on = await a.app.services.db.selectFrom('disks').select(['device', 'status']).where('instance_id', '=', target.instanceId).execute();
    assert.equal(new Set(on.map((d) => d.device)).size, on.length, 'every disk of the instance has its own device');
    assert.equal(on.filter((d) => d.status === 'In_use').length, on.length);
  });

  it('one requested Device, 10 disks at once: one takes it, the others InvalidDevice.InUse', async () => {
    const target = vms[2]!;
    const disks: string[] = [];
    for (let i = 0; i < 10; i++) disks.push(await newDisk());
    await a.advance(1000);
    const outcomes = await storm(10, (i) => ecs(i, 'AttachDisk', { InstanceId: target.instanceId, DiskId: disks[i]!, Device: '/dev/xvdq' }));
    assert.deepEqual(tally(outcomes), { OK: 1, 'InvalidDevice.InUse': 9 }, outcomes.join(' '));
  });

  it('Start/Stop storms: one accepted request per settled state, legal steps only, the last accepted request wins', async () => {
    const ids = vms.slice(0, 3).map((v) => v.instanceId);
    for (let round = 0; round < 4; round++) {
      const calls = ids.flatMap((id) => Array.from({ length: 8 }, (_, k) => ({ id, verb: k % 2 === 0 ? 'StopInstance' : 'StartInstance' })));
      const outcomes = await storm(calls.length, (i) => ecs(i, calls[i]!.verb, { InstanceId: calls[i]!.id }));
      for (const o of outcomes) assert.ok(o === 'OK' || o === 'IncorrectInstanceStatus', o);
      await a.advance(1000);
      await a.advance(1000);
      for (const id of ids) {
        const accepted = calls.filter((c, i) => c.id === id && outcomes[i] === 'OK');
        assert.equal(accepted.length, 1, `round ${round}, ${id}: ${accepted.map((c) => c.verb).join(', ')}`);
        assert.equal(await statusOf(a.ecs, id), accepted[0]!.verb === 'StopInstance' ? 'Stopped' : 'Running', `round ${round}, ${id}`);
      }
    }
    for (const id of ids) {
      const steps = await transitionsOf(id);
      for (const step of steps) assert.ok(LEGAL_INSTANCE_STEPS.has(step), `${id}: ${step} is not a step of the state machine`);
      for (let k = 1; k < steps.length; k++) {
        assert.equal(steps[k]!.split('→')[0], steps[k - 1]!.split('→')[1], `${id}: ${steps.join(', ')}`);
      }
    }
  });

  it('CreateImage at the quota edge: quota N, N+5 concurrent calls, exactly N images', async () => {
    const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: a.url, apiVersion: '2026-11-01' });
    const setQuota = (value: number) => ext.request('SetAccountQuota', { AccountId: a.app.root.accountId, QuotaName: 'images-per-region', Value: value }, { method: 'POST' });
    const snapshotId = await snap(a, vms[0]!.systemDiskId);
    const N = 3;
    await setQuota(N);
    try {
      const outcomes = await storm(N + 5, (i) => ecs(i, 'CreateImage', { SnapshotId: snapshotId, ImageName: `race-image-${i}` }));
      assert.deepEqual(tally(outcomes), { OK: N, 'QuotaExceed.Image': 5 }, outcomes.join(' '));
      const live = await a.app.services.db.selectFrom('images').select('id').where('account_id', '=', a.app.root.accountId).where('deleted_at', 'is', null).execute();
      assert.equal(live.length, N);

      // One name, ten calls: one image of that name.
      await setQuota(100);
      const named = await storm(10, (i) => ecs(i, 'CreateImage', { SnapshotId: snapshotId, ImageName: 'race-same-name' }));
      assert.deepEqual(tally(named), { OK: 1, 'InvalidImageName.Duplicated': 9 }, named.join(' '));
    } finally {
      await setQuota(30);
    }
  });

  it('concurrent CreateDefaultVpc make one default VPC; concurrent CreateDefaultVSwitch one per zone', async () => {
    const outcomes = await storm(6, (i) => vpc(i, 'CreateDefaultVpc', {}));
    assert.deepEqual(tally(outcomes), { OK: 1, 'OperationFailed.DefaultVpcExist': 5 }, outcomes.join(' '));
    const defaults = await a.app.services.db.selectFrom('vpcs').select('id').where('account_id', '=', a.app.root.accountId).where('is_default', '=', 1).execute();
    assert.equal(defaults.length, 1);

    const zoneId = vms[0]!.zoneId;
    const switches = await storm(6, (i) => vpc(i, 'CreateDefaultVSwitch', { ZoneId: zoneId }));
    assert.deepEqual(tally(switches), { OK: 1, 'OperationFailed.DefaultVSwitchExist': 5 }, switches.join(' '));
  });

  it('concurrent ImportKeyPair of one name make one key pair', async () => {
    const outcomes = await storm(6, (i) => ecs(i, 'ImportKeyPair', { KeyPairName: 'race-key', PublicKeyBody: KEYS.ed25519 }));
    assert.deepEqual(tally(outcomes), { OK: 1, 'KeyPair.AlreadyExist': 5 }, outcomes.join(' '));
  });
});
