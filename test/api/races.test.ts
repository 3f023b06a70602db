/**
 * Concurrent requests that race for one thing get exactly the outcomes ECS allows: one winner and
 * the documented error for the others, never two winners, a 5xx or a status step the state
 * machine does not have. The calls are spread over two servers on one store when the store is
 * PostgreSQL (two replicas, each with its own connection pool, as behind a load balancer). On the
 * in-memory SQLite store both halves go to the one server; its driver is synchronous, so a
 * handler's queries resolve without yielding to the next request and the same answers are
 * expected, but the race itself is only run for real on PostgreSQL (`npm run test:api:pg`): there,
 * removing the compare-and-set from setInstanceStatus, or the checks inside the transaction (with
 * their row locks) from AttachDisk, CreateImage, JoinSecurityGroup, ModifyInstanceAttribute,
 * CreateSnapshot, CreateAutoSnapshotPolicy, CreateRouteEntry, DeleteVpc, DeleteVSwitch,
 * DeleteInstance or the private address allocation, fails this suite (each storm together exceeds
 * a limit: exactly the limit succeeds, the others get the documented code).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { AK, SECRET, $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { R, launch, networkOf, snap, statusOf, type Launched } from './storage-fixtures.js';
import { KEYS } from '../unit/ssh-keys.fixture.js';
import { imagesUsingSnapshot } from '../../src/store/images.js';

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

  // ---- Checks made inside the writing transaction (issue 12): each storm together exceeds a limit.

  const ext = () => new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: a.url, apiVersion: '2026-11-01' });
  const setQuota = (name: string, value: number) => ext().request('SetAccountQuota', { AccountId: a.app.root.accountId, QuotaName: name, Value: value }, { method: 'POST' });
  const dropQuota = (name: string) => a.app.services.db.deleteFrom('quotas').where('account_id', '=', a.app.root.accountId).where('name', '=', name).execute();

  async function newGroup(name: string): Promise<string> {
    const n = await networkOf(a);
    const r = await a.pop.request('CreateSecurityGroup', { RegionId: R, VpcId: n.vpcId, SecurityGroupName: name }, { method: 'POST' }) as { SecurityGroupId: string };
    return r.SecurityGroupId;
  }

  /** Members that hold a group's places without being instances here: a basic group holds 2,000. */
  async function fillGroup(groupId: string, leaving: number): Promise<void> {
    const held = 2000 - leaving - (await a.app.services.db.selectFrom('instance_security_groups').select('instance_id').where('security_group_id', '=', groupId).execute()).length;
    const rows = Array.from({ length: held }, (_, k) => ({ instance_id: `i-placeholder${String(k).padStart(5, '0')}`, security_group_id: groupId, position: 0 }));
    for (let k = 0; k < rows.length; k += 500) await a.app.services.db.insertInto('instance_security_groups').values(rows.slice(k, k + 500)).execute();
  }
  const emptyGroup = (groupId: string) => a.app.services.db.deleteFrom('instance_security_groups').where('security_group_id', '=', groupId).where('instance_id', 'like', 'i-placeholder%').execute();

  async function groupsOf(instanceId: string): Promise<string[]> {
    const rows = await a.app.services.db.selectFrom('instance_security_groups').select('security_group_id').where('instance_id', '=', instanceId).orderBy('position').execute();
    return rows.map((r) => r.security_group_id);
  }

  it('concurrent JoinSecurityGroup of one instance into three groups: all three kept (no change lost, no 5xx)', async () => {
    const groups = [await newGroup('race-join-1'), await newGroup('race-join-2'), await newGroup('race-join-3')];
    const target = vms[1]!.instanceId;
    const before = await groupsOf(target);
    const outcomes = await storm(9, (i) => ecs(i, 'JoinSecurityGroup', { InstanceId: target, SecurityGroupId: groups[i % 3]! }));
    assert.deepEqual(tally(outcomes), { OK: 3, 'InvalidInstanceId.AlreadyExists': 6 }, outcomes.join(' '));
    assert.deepEqual(new Set(await groupsOf(target)), new Set([...before, ...groups]));
    for (const g of groups) await ecs(0, 'LeaveSecurityGroup', { InstanceId: target, SecurityGroupId: g });
  });

  it('JoinSecurityGroup at a group\'s capacity: 2 places left, 4 instances at once, exactly 2 join', async () => {
    const group = await newGroup('race-capacity-join');
    await fillGroup(group, 2);
    try {
      const outcomes = await storm(4, (i) => ecs(i, 'JoinSecurityGroup', { InstanceId: vms[i]!.instanceId, SecurityGroupId: group }));
      assert.deepEqual(tally(outcomes), { OK: 2, SecurityGroupInstanceLimitExceeded: 2 }, outcomes.join(' '));
      const members = await a.app.services.db.selectFrom('instance_security_groups').select('instance_id').where('security_group_id', '=', group).execute();
      assert.equal(members.length, 2000);
    } finally {
      await emptyGroup(group);
    }
  });

  it('ModifyInstanceAttribute SecurityGroupIds at a group\'s capacity: 1 place left, 4 instances at once, exactly 1 moves in', async () => {
    const group = await newGroup('race-capacity-modify');
    const n = await networkOf(a);
    await fillGroup(group, 1);
    try {
      const outcomes = await storm(4, (i) => ecs(i, 'ModifyInstanceAttribute', { InstanceId: vms[i]!.instanceId, 'SecurityGroupIds.1': n.securityGroupId, 'SecurityGroupIds.2': group }));
      assert.deepEqual(tally(outcomes), { OK: 1, SecurityGroupInstanceLimitExceed: 3 }, outcomes.join(' '));
      const members = await a.app.services.db.selectFrom('instance_security_groups').select('instance_id').where('security_group_id', '=', group).execute();
      assert.equal(members.length, 2000);
    } finally {
      await emptyGroup(group);
    }
  });

  it('CreateSnapshot of one disk, 10 at once: one snapshot in progress, the others IncorrectDiskStatus.CreatingSnapshot; at the quota, none', async () => {
    const diskId = vms[0]!.systemDiskId;
    const outcomes = await storm(10, (i) => ecs(i, 'CreateSnapshot', { DiskId: diskId }));
    assert.deepEqual(tally(outcomes), { OK: 1, 'IncorrectDiskStatus.CreatingSnapshot': 9 }, outcomes.join(' '));
    for (let k = 0; k < 5; k++) await a.advance(2000);
    const count = async () => (await a.app.services.db.selectFrom('snapshots').select('id').where('source_disk_id', '=', diskId).where('source_snapshot_id', '=', '').execute()).length;
    const had = await count();
    await setQuota('snapshots-per-disk', had);
    try {
      const full = await storm(4, (i) => ecs(i, 'CreateSnapshot', { DiskId: diskId }));
      assert.deepEqual(tally(full), { 'QuotaExceed.Snapshot': 4 }, full.join(' '));
      assert.equal(await count(), had);
    } finally {
      await dropQuota('snapshots-per-disk');
    }
  });

  it('CreateAutoSnapshotPolicy at the region\'s quota: quota N, N+5 at once, exactly N policies', async () => {
    const policies = () => a.app.services.db.selectFrom('auto_snapshot_policies').select('id').where('account_id', '=', a.app.root.accountId).where('region_id', '=', R).execute();
    const N = (await policies()).length + 3;
    await setQuota('auto-snapshot-policies-per-region', N);
    try {
      const outcomes = await storm(8, (i) => ecs(i, 'CreateAutoSnapshotPolicy', { autoSnapshotPolicyName: `race-policy-${i}`, timePoints: '["1"]', repeatWeekdays: '["1"]', retentionDays: 1 }));
      assert.deepEqual(tally(outcomes), { OK: 3, 'AutoSnapshotPolicy.QuotaExceed': 5 }, outcomes.join(' '));
      assert.equal((await policies()).length, N);
    } finally {
      await dropQuota('auto-snapshot-policies-per-region');
    }
  });

  it('CreateRouteEntry at the table\'s quota: quota 3, 8 at once, exactly 3 entries; one destination 6 times, one entry', async () => {
    const n = await networkOf(a);
    const table = await a.app.services.db.selectFrom('route_tables').select('id').where('vpc_id', '=', n.vpcId).executeTakeFirstOrThrow();
    const entries = async () => (await a.app.services.db.selectFrom('route_entries').select('destination_cidr_block').where('route_table_id', '=', table.id).execute()).map((e) => e.destination_cidr_block);
    const hop = { RouteTableId: table.id, NextHopType: 'Instance', NextHopId: vms[0]!.instanceId };
    await setQuota('route-entries-per-table', (await entries()).length + 3);
    try {
      const outcomes = await storm(8, (i) => vpc(i, 'CreateRouteEntry', { ...hop, DestinationCidrBlock: `172.16.${i}.0/24` }));
      assert.deepEqual(tally(outcomes), { OK: 3, QuotaExceeded: 5 }, outcomes.join(' '));
      await setQuota('route-entries-per-table', 200);
      const same = await storm(6, (i) => vpc(i, 'CreateRouteEntry', { ...hop, DestinationCidrBlock: '172.17.0.0/24' }));
      assert.deepEqual(tally(same), { OK: 1, 'InvalidCIDRBlock.Duplicate': 5 }, same.join(' '));
      assert.equal((await entries()).filter((d) => d === '172.17.0.0/24').length, 1);
    } finally {
      await dropQuota('route-entries-per-table');
    }
  });

  it('DeleteVpc racing CreateVSwitch into it: either the VPC goes and no VSwitch was made, or it stays with them', async () => {
    const made = await vpc(0, 'CreateVpc', { CidrBlock: '10.0.0.0/16', VpcName: 'race-delete' }) as { VpcId: string };
    const zoneId = vms[0]!.zoneId;
    const outcomes = await storm(6, (i) => (i === 0
      ? vpc(i, 'DeleteVpc', { VpcId: made.VpcId })
      : vpc(i, 'CreateVSwitch', { VpcId: made.VpcId, ZoneId: zoneId, CidrBlock: `10.0.${i * 16}.0/20` })));
    const left = await a.app.services.db.selectFrom('vswitches').select('id').where('vpc_id', '=', made.VpcId).execute();
    const vpcRow = await a.app.services.db.selectFrom('vpcs').select('id').where('id', '=', made.VpcId).executeTakeFirst();
    if (outcomes[0] === 'OK') {
      assert.equal(vpcRow, undefined);
      assert.equal(left.length, 0, `a VSwitch outlived its VPC: ${outcomes.join(' ')}`);
      for (const o of outcomes.slice(1)) assert.ok(o === 'OK' ? false : o === 'InvalidVpcId.NotFound', outcomes.join(' '));
    } else {
      assert.equal(outcomes[0], 'DependencyViolation.VSwitch', outcomes.join(' '));
      assert.ok(vpcRow);
      assert.equal(left.length, outcomes.slice(1).filter((o) => o === 'OK').length);
    }
  });

  it('concurrent RunInstances into one VSwitch: every launch succeeds with its own private address', async () => {
    const n = await networkOf(a);
    const outcomes: string[] = [];
    const ids: string[] = [];
    await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      outcomes[i] = await outcome(ecs(i, 'RunInstances', { ImageId: n.imageId, InstanceType: 'ecs.g7.large', VSwitchId: n.vswitchId, SecurityGroupId: n.securityGroupId })
        .then((r: any) => { ids.push(r.InstanceIdSets.InstanceIdSet[0]); }));
    }));
    assert.deepEqual(tally(outcomes), { OK: 8 }, outcomes.join(' '));
    const ips = await a.app.services.db.selectFrom('instances').select('private_ip').where('id', 'in', ids).execute();
    assert.equal(new Set(ips.map((r) => r.private_ip)).size, 8);
  });

  it('DeleteInstance racing CreateRouteEntry to it: no entry routes to a released instance', async () => {
    const n = await networkOf(a);
    const v = await launch(a);
    const table = await a.app.services.db.selectFrom('route_tables').select('id').where('vpc_id', '=', n.vpcId).executeTakeFirstOrThrow();
    const outcomes = await storm(6, (i) => (i === 0
      ? ecs(i, 'DeleteInstance', { InstanceId: v.instanceId, Force: true })
      : vpc(i, 'CreateRouteEntry', { RouteTableId: table.id, NextHopType: 'Instance', NextHopId: v.instanceId, DestinationCidrBlock: `172.18.${i}.0/24` })));
    const entries = await a.app.services.db.selectFrom('route_entries').select('id').where('next_hop_id', '=', v.instanceId).execute();
    if (outcomes[0] === 'OK') {
      assert.equal(entries.length, 0, `an entry routes to a released instance: ${outcomes.join(' ')}`);
      for (const o of outcomes.slice(1)) assert.ok(['IncorrectInstanceStatus', 'InvalidNextHopId.NotFound'].includes(o), outcomes.join(' '));
    } else {
      assert.equal(outcomes[0], 'DependencyViolation.RouteEntry', outcomes.join(' '));
      assert.equal(entries.length, outcomes.slice(1).filter((o) => o === 'OK').length);
    }
  });

  it('DeleteSnapshot racing CreateImage and CreateDisk from it: no image or disk is made of a deleted snapshot', async () => {
    for (let k = 0; k < 3; k++) await a.advance(2000); // the snapshots of the storms above finish
    const snapshotId = await snap(a, vms[2]!.systemDiskId);
    for (let k = 0; k < 3; k++) await a.advance(2000);
    const outcomes = await storm(7, (i) => (i === 0
      ? ecs(i, 'DeleteSnapshot', { SnapshotId: snapshotId, Force: true })
      : i % 2 === 1
        ? ecs(i, 'CreateImage', { SnapshotId: snapshotId, ImageName: `race-from-deleted-${i}` })
        : ecs(i, 'CreateDisk', { ZoneId: vms[2]!.zoneId, DiskCategory: 'cloud_essd', SnapshotId: snapshotId })));
    const images = await imagesUsingSnapshot(a.app.services.db, a.app.root.accountId, snapshotId);
    const disks = await a.app.services.db.selectFrom('disks').select('id').where('source_snapshot_id', '=', snapshotId).execute();
    const made = (k: number) => outcomes.filter((o, i) => i > 0 && i % 2 === k && o === 'OK').length;
    if (outcomes[0] === 'OK') {
      assert.equal(images.length, 0, `an image outlived its snapshot: ${outcomes.join(' ')}`);
      // Force=true lets the snapshot go with disks made of it: only disks made before it went.
      assert.equal(disks.length, made(0));
      for (const [i, o] of outcomes.entries()) if (i % 2 === 1) assert.ok(o === 'InvalidSnapshotId.NotFound', outcomes.join(' '));
    } else {
      assert.equal(outcomes[0], 'SnapshotCreatedImage', outcomes.join(' '));
      assert.equal(images.length, made(1));
      assert.ok(images.length > 0);
    }
  });

  it('DeleteVSwitch racing RunInstances into it: no instance is left in a deleted VSwitch', async () => {
    const n = await networkOf(a);
    const made = await vpc(0, 'CreateVSwitch', { VpcId: n.vpcId, ZoneId: n.zoneId, CidrBlock: '192.168.64.0/20' }) as { VSwitchId: string };
    const outcomes = await storm(5, (i) => (i === 0
      ? vpc(i, 'DeleteVSwitch', { VSwitchId: made.VSwitchId })
      : ecs(i, 'RunInstances', { ImageId: n.imageId, InstanceType: 'ecs.g7.large', VSwitchId: made.VSwitchId, SecurityGroupId: n.securityGroupId })));
    const live = await a.app.services.db.selectFrom('instances').select('id').where('vswitch_id', '=', made.VSwitchId).where('deleted_at', 'is', null).execute();
    const held = await a.app.services.db.selectFrom('private_ips').select('ip').where('vswitch_id', '=', made.VSwitchId).execute();
    if (outcomes[0] === 'OK') {
      assert.equal(live.length + held.length, 0, `the VSwitch went with instances in it: ${outcomes.join(' ')}`);
      for (const o of outcomes.slice(1)) assert.equal(o, 'InvalidVSwitchId.NotFound', outcomes.join(' '));
    } else {
      assert.equal(outcomes[0], 'DependencyViolation', outcomes.join(' '));
      assert.equal(live.length, outcomes.slice(1).filter((o) => o === 'OK').length);
    }
  });
});
