/**
 * alicloud_ecs_disk / alicloud_disk, alicloud_ecs_disk_attachment, alicloud_ecs_snapshot and
 * alicloud_ecs_auto_snapshot_policy (terraform-calls.md §6, §7, §8, §12) as the provider sends them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { fails, jsonList, ok, ProviderClient, refreshFrom, waitFor } from './provider-client.js';
import { expectCleanSuccess, expectFields } from './expect.js';
import type { Doc } from './json.js';

const tok = () => `tf-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

const DISK_FIELDS = {
  DiskId: 's', BurstingEnabled: 'b', Category: 's', CreationTime: 's', DeleteAutoSnapshot: 'b', DeleteWithInstance: 'b',
  Description: 's', DiskName: 's', EnableAutoSnapshot: 'b', Encrypted: 'b', InstanceId: 's', KMSKeyId: 's',
  MultiAttach: 's', DiskChargeType: 's', PerformanceLevel: 's', ProvisionedIops: 'i', RegionId: 's',
  ResourceGroupId: 's', Size: 'i', SourceSnapshotId: 's', Status: 's', StorageSetId: 's',
  StorageSetPartitionNumber: 'i', ZoneId: 's', 'Tags.Tag': 'a', Device: 's',
} as const;

function tagsOf(d: Doc): string[] {
  return (d.plain('Tags.Tag') as { TagKey: string; TagValue: string }[]).map((t) => `${t.TagKey}=${t.TagValue}`).sort();
}

async function fixture() {
  const s = await startTestServer({ simDelayMs: 1000 });
  const tf = ProviderClient.for(s);
  const n = await createNetwork(s);
  const instanceId = (await s.ecs.runInstances(runRequest(n, { zoneId: n.zoneId }))).body!.instanceIdSets!.instanceIdSet![0]!;
  await s.advance(5000);
  return { s, tf, n, instanceId };
}

function describeDisk(tf: ProviderClient, id: string) {
  return tf.rpc('Ecs', 'DescribeDisks', { DiskIds: jsonList([id]), RegionId: tf.region });
}
/** EcsServiceV2 DescribeEcsDisk: empty list, missing path or missing Status → not found. */
function diskState(tf: ProviderClient, id: string) {
  return refreshFrom(() => describeDisk(tf, id), (d) => (d.arr('Disks.Disk').length && d.has('Disks.Disk[0].Status') ? { found: true, state: d.str('Disks.Disk[0].Status') } : { found: false }));
}

describe('alicloud_ecs_disk and alicloud_ecs_disk_attachment', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let n: Network;
  let instanceId = '';
  let diskId = '';
  before(async () => { ({ s, tf, n, instanceId } = await fixture()); });
  after(async () => { await s.close(); });

  it('CreateDisk, the wait (10 s delay) for Available/In_use, DescribeDisks on create', async () => {
    const d = ok(await tf.rpc('Ecs', 'CreateDisk', {
      RegionId: tf.region, ClientToken: tok(), Tag: [{ Key: 'env', Value: 'tf' }], Description: 'by terraform',
      DiskCategory: 'cloud_essd', Size: 40, DiskName: 'tf-disk', PerformanceLevel: 'PL0', ZoneId: n.zoneId,
    }));
    expectCleanSuccess(d);
    diskId = d.str('DiskId');
    await waitFor(s, { pending: [], target: ['Available', 'In_use'], delayMs: 10_000, timeoutMs: 5 * 60_000, refresh: diskState(tf, diskId) });
    const disk = ok(await describeDisk(tf, diskId)).at('Disks.Disk[0]');
    // Update on create: ModifyDiskAttribute fires when fmt.Sprint(DeleteWithInstance) differs from "false".
    assert.equal(String(disk.bool('DeleteWithInstance')), 'false');
  });

  it('Read: every field of Disks.Disk[0] at its type', async () => {
    const disk = ok(await describeDisk(tf, diskId)).at('Disks.Disk[0]');
    expectFields(disk, DISK_FIELDS, 'DescribeDisks Disks.Disk[0]');
    assert.equal(disk.str('DiskId'), diskId);
    assert.equal(disk.str('Status'), 'Available');
    assert.equal(disk.int('Size'), 40);
    assert.equal(disk.str('DiskChargeType'), 'PostPaid');
    assert.deepEqual(tagsOf(disk), ['env=tf']);
  });

  it('update: ModifyDiskAttribute, ResizeDisk, JoinResourceGroup, ModifyDiskSpec + wait, UntagResources/TagResources', async () => {
    ok(await tf.rpc('Ecs', 'ModifyDiskAttribute', { DiskId: diskId, RegionId: tf.region, DeleteAutoSnapshot: true, DeleteWithInstance: false, Description: 'changed', DiskName: 'tf-disk-2', EnableAutoSnapshot: true }));
    ok(await tf.rpc('Ecs', 'ResizeDisk', { DiskId: diskId, ClientToken: tok(), NewSize: 80, Type: 'offline' }));
    const rg = ok(await tf.rpc('ResourceManager', 'CreateResourceGroup', { Name: 'tf-disk-rg', DisplayName: 'disk rg' })).str('ResourceGroup.Id');
    ok(await tf.rpc('Ecs', 'JoinResourceGroup', { ResourceType: 'disk', ResourceId: diskId, RegionId: tf.region, ResourceGroupId: rg }));
    ok(await tf.rpc('Ecs', 'ModifyDiskSpec', { DiskId: diskId, PerformanceLevel: 'PL1', DryRun: false }));
    await waitFor(s, { pending: [], target: ['Available', 'In_use'], timeoutMs: 5 * 60_000, refresh: diskState(tf, diskId) });
    ok(await tf.rpc('Ecs', 'UntagResources', { ResourceType: 'disk', ResourceId: [diskId], RegionId: tf.region, TagKey: ['env'] }));
    ok(await tf.rpc('Ecs', 'TagResources', { ResourceType: 'disk', ResourceId: [diskId], RegionId: tf.region, Tag: [{ Key: 'tier', Value: 'data' }] }));
    const disk = ok(await describeDisk(tf, diskId)).at('Disks.Disk[0]');
    assert.equal(disk.str('DiskName'), 'tf-disk-2');
    assert.equal(disk.str('Description'), 'changed');
    assert.equal(disk.bool('DeleteAutoSnapshot'), true);
    assert.equal(disk.bool('EnableAutoSnapshot'), true);
    assert.equal(disk.int('Size'), 80);
    assert.equal(disk.str('PerformanceLevel'), 'PL1');
    assert.equal(disk.str('ResourceGroupId'), rg);
    assert.deepEqual(tagsOf(disk), ['tier=data']);
  });

  it('attachment create: DescribeDisks (DiskId echo), AttachDisk without RegionId, wait In_use, DeleteAutoSnapshot compare; Read', async () => {
    const before = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, DiskIds: jsonList([diskId]) })).at('Disks.Disk[0]');
    assert.equal(before.str('DiskId'), diskId);
    const was = before.bool('DeleteAutoSnapshot');
    ok(await tf.rpc('Ecs', 'AttachDisk', { DiskId: diskId, InstanceId: instanceId }));
    await waitFor(s, { pending: [], target: ['In_use'], timeoutMs: 5 * 60_000, refresh: diskState(tf, diskId) });
    const now = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, DiskIds: jsonList([diskId]) })).at('Disks.Disk[0]');
    assert.equal(now.bool('DeleteAutoSnapshot'), was);
    assert.equal(now.str('InstanceId'), instanceId);
    assert.equal(now.str('Status'), 'In_use');
    assert.match(now.str('Device'), /^\/dev\/x?vd[b-z]$/);
  });

  it('attachment delete: DetachDisk (no RegionId), wait Available; a second detach is one of the provider\'s "already gone" codes', async () => {
    ok(await tf.rpc('Ecs', 'DetachDisk', { DiskId: diskId, InstanceId: instanceId }));
    await waitFor(s, { pending: [], target: ['Available'], timeoutMs: 5 * 60_000, refresh: diskState(tf, diskId) });
    const again = fails(await tf.rpc('Ecs', 'DetachDisk', { DiskId: diskId, InstanceId: instanceId }));
    assert.ok(again.isExpected(['InvalidDisk.AlreadyDetached', 'InvalidDiskId.NotFound', 'InvalidDiskId.OperationNotSupported', 'InvalidInstanceId.NotFound']), again.describe());
  });

  it('disk delete: DescribeDisks, DeleteDisk (DiskId only); the Read then sees an empty list; a second delete is InvalidDiskId.NotFound', async () => {
    ok(await describeDisk(tf, diskId));
    ok(await tf.rpc('Ecs', 'DeleteDisk', { DiskId: diskId }));
    assert.deepEqual(ok(await describeDisk(tf, diskId)).arr('Disks.Disk'), []);
    const again = fails(await tf.rpc('Ecs', 'DeleteDisk', { DiskId: diskId }));
    assert.ok(again.isExpected(['InvalidDiskId.NotFound']) || again.isNotFound, again.describe());
  });
});

describe('alicloud_ecs_snapshot and alicloud_ecs_auto_snapshot_policy', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let instanceId = '';
  let snapshotId = '';
  let policyId = '';
  before(async () => { ({ s, tf, instanceId } = await fixture()); });
  after(async () => { await s.close(); });

  const describeSnapshot = (id: string) => tf.rpc('Ecs', 'DescribeSnapshots', { SnapshotIds: jsonList([id]), RegionId: tf.region });
  const snapshotState = (id: string) => refreshFrom(() => describeSnapshot(id), (d) => (d.arr('Snapshots.Snapshot').length ? { found: true, state: d.str('Snapshots.Snapshot[0].Status') } : { found: false }));

  it('CreateSnapshot (no RegionId), wait (5 s delay) for "accomplished", Read', async () => {
    const disk = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: instanceId, DiskType: 'system' })).str('Disks.Disk[0].DiskId');
    const d = ok(await tf.rpc('Ecs', 'CreateSnapshot', { ClientToken: tok(), Tag: [{ Key: 'env', Value: 'tf' }], Description: 'by terraform', SnapshotName: 'tf-snap', RetentionDays: 7, DiskId: disk }));
    expectCleanSuccess(d);
    snapshotId = d.str('SnapshotId');
    await waitFor(s, { pending: [], target: ['accomplished'], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: snapshotState(snapshotId) });
    const snap = ok(await describeSnapshot(snapshotId)).at('Snapshots.Snapshot[0]');
    expectFields(snap, { SnapshotId: 's', Category: 's', CreationTime: 's', Description: 's', SourceDiskId: 's', RegionId: 's', ResourceGroupId: 's', RetentionDays: 'i', SnapshotName: 's', Status: 's', 'Tags.Tag': 'a' }, 'Snapshots.Snapshot[0]');
    assert.equal(snap.str('SourceDiskId'), disk);
    assert.equal(snap.int('RetentionDays'), 7);
    assert.deepEqual(tagsOf(snap), ['env=tf']);
  });

  it('update: ModifySnapshotAttribute (no RegionId) + wait, JoinResourceGroup, UntagResources/TagResources', async () => {
    ok(await tf.rpc('Ecs', 'ModifySnapshotAttribute', { SnapshotId: snapshotId, Description: 'changed', SnapshotName: 'tf-snap-2', RetentionDays: 10 }));
    await waitFor(s, { pending: [], target: ['accomplished'], timeoutMs: 10 * 60_000, refresh: snapshotState(snapshotId) });
    const rg = ok(await tf.rpc('ResourceManager', 'CreateResourceGroup', { Name: 'tf-snap-rg', DisplayName: 'snap rg' })).str('ResourceGroup.Id');
    ok(await tf.rpc('Ecs', 'JoinResourceGroup', { ResourceType: 'snapshot', ResourceId: snapshotId, RegionId: tf.region, ResourceGroupId: rg }));
    ok(await tf.rpc('Ecs', 'UntagResources', { ResourceType: 'snapshot', ResourceId: [snapshotId], RegionId: tf.region, TagKey: ['env'] }));
    ok(await tf.rpc('Ecs', 'TagResources', { ResourceType: 'snapshot', ResourceId: [snapshotId], RegionId: tf.region, Tag: [{ Key: 'keep', Value: 'yes' }] }));
    const snap = ok(await describeSnapshot(snapshotId)).at('Snapshots.Snapshot[0]');
    assert.equal(snap.str('SnapshotName'), 'tf-snap-2');
    assert.equal(snap.int('RetentionDays'), 10);
    assert.equal(snap.str('ResourceGroupId'), rg);
    assert.deepEqual(tagsOf(snap), ['keep=yes']);
  });

  it('delete: DeleteSnapshot (SnapshotId, Force); Read sees an empty list; a second delete is one of the provider\'s "gone" codes', async () => {
    ok(await tf.rpc('Ecs', 'DeleteSnapshot', { SnapshotId: snapshotId, Force: false }));
    assert.deepEqual(ok(await describeSnapshot(snapshotId)).arr('Snapshots.Snapshot'), []);
    const again = fails(await tf.rpc('Ecs', 'DeleteSnapshot', { SnapshotId: snapshotId, Force: false }));
    assert.ok(again.isExpected(['InvalidResource.NotFound', 'InvalidParameter']) || again.isNotFound, again.describe());
  });

  const describePolicy = (id: string) => tf.rpc('Ecs', 'DescribeAutoSnapshotPolicyEx', { AutoSnapshotPolicyId: id, RegionId: tf.region });

  it('auto snapshot policy create: lower-camel CreateAutoSnapshotPolicy; Read: TimePoints/RepeatWeekdays/TargetCopyRegions as JSON strings', async () => {
    const d = ok(await tf.rpc('Ecs', 'CreateAutoSnapshotPolicy', {
      regionId: tf.region, autoSnapshotPolicyName: 'tf-asp', retentionDays: 7, timePoints: '["0","1"]', repeatWeekdays: '["1","7"]',
      Tag: [{ Key: 'env', Value: 'tf' }],
    }));
    expectCleanSuccess(d);
    policyId = d.str('AutoSnapshotPolicyId');
    const p = ok(await describePolicy(policyId)).at('AutoSnapshotPolicies.AutoSnapshotPolicy[0]');
    expectFields(p, {
      AutoSnapshotPolicyId: 's', AutoSnapshotPolicyName: 's', CopiedSnapshotsRetentionDays: 'i', CreationTime: 's',
      EnableCrossRegionCopy: 'b', RegionId: 's', ResourceGroupId: 's', RetentionDays: 'i', Status: 's',
      CopyEncryptionConfiguration: 'o', 'CopyEncryptionConfiguration.Encrypted': 'b', 'CopyEncryptionConfiguration.KMSKeyId': 's',
      'Tags.Tag': 'a', RepeatWeekdays: 's', TargetCopyRegions: 's', TimePoints: 's',
    }, 'AutoSnapshotPolicy[0]');
    assert.deepEqual(JSON.parse(p.str('TimePoints')), ['0', '1']);
    assert.deepEqual(JSON.parse(p.str('RepeatWeekdays')), ['1', '7']);
    assert.deepEqual(JSON.parse(p.str('TargetCopyRegions')), []);
    assert.equal(p.str('Status'), 'Normal');
    assert.deepEqual(tagsOf(p), ['env=tf']);
  });

  it('auto snapshot policy update: ModifyAutoSnapshotPolicyEx (lower-camel), JoinResourceGroup, tags (snapshotpolicy)', async () => {
    ok(await tf.rpc('Ecs', 'ModifyAutoSnapshotPolicyEx', { autoSnapshotPolicyId: policyId, regionId: tf.region, retentionDays: 14, repeatWeekdays: '["2"]', timePoints: '["3"]', autoSnapshotPolicyName: 'tf-asp-2' }));
    const rg = ok(await tf.rpc('ResourceManager', 'CreateResourceGroup', { Name: 'tf-asp-rg', DisplayName: 'asp rg' })).str('ResourceGroup.Id');
    ok(await tf.rpc('Ecs', 'JoinResourceGroup', { ResourceType: 'snapshotpolicy', ResourceId: policyId, RegionId: tf.region, ResourceGroupId: rg }));
    ok(await tf.rpc('Ecs', 'UntagResources', { ResourceType: 'snapshotpolicy', ResourceId: [policyId], RegionId: tf.region, TagKey: ['env'] }));
    ok(await tf.rpc('Ecs', 'TagResources', { ResourceType: 'snapshotpolicy', ResourceId: [policyId], RegionId: tf.region, Tag: [{ Key: 'tier', Value: 'backup' }] }));
    const p = ok(await describePolicy(policyId)).at('AutoSnapshotPolicies.AutoSnapshotPolicy[0]');
    assert.equal(p.str('AutoSnapshotPolicyName'), 'tf-asp-2');
    assert.equal(p.int('RetentionDays'), 14);
    assert.deepEqual(JSON.parse(p.str('TimePoints')), ['3']);
    assert.deepEqual(JSON.parse(p.str('RepeatWeekdays')), ['2']);
    assert.equal(p.str('ResourceGroupId'), rg);
    assert.deepEqual(tagsOf(p), ['tier=backup']);
  });

  it('auto snapshot policy delete: DeleteAutoSnapshotPolicy (lower-camel); Read sees an empty list; again → NotFound', async () => {
    ok(await tf.rpc('Ecs', 'DeleteAutoSnapshotPolicy', { autoSnapshotPolicyId: policyId, regionId: tf.region }));
    assert.deepEqual(ok(await describePolicy(policyId)).arr('AutoSnapshotPolicies.AutoSnapshotPolicy'), []);
    const again = fails(await tf.rpc('Ecs', 'DeleteAutoSnapshotPolicy', { autoSnapshotPolicyId: policyId, regionId: tf.region }));
    assert.ok(again.isNotFound || /NotFound/.test(again.code), again.describe());
  });

  it('the instance the fixture made is still listed (sanity for the shared server)', async () => {
    const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: tf.region, instanceIds: jsonList([instanceId]) }));
    assert.equal(r.body!.instances!.instance!.length, 1);
  });
});
