import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { R, disk, launch, snap, snapshot, stop, type Launched } from './storage-fixtures.js';

const DAY = 86_400_000;

describe('snapshots', () => {
  let s: TestServer;
  let vm: Launched;
  let dataDisk: string;
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    vm = await launch(s, { dataDisks: 1 });
    const r = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: vm.instanceId, diskType: 'data' }));
    dataDisk = r.body!.disks!.disk![0]!.diskId!;
  });
  after(async () => { await s.close(); });

  async function autoSnapshots(diskId: string) {
    const r = await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, diskId, snapshotType: 'auto', maxResults: 100 }));
    return r.body!.snapshots!.snapshot!;
  }

  it('CreateSnapshot: progressing 0% → accomplished 100% on the clock; one at a time per disk', async () => {
    const r = await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: vm.systemDiskId, snapshotName: 'first', description: 'the first one', tag: [new $Ecs.CreateSnapshotRequestTag({ key: 'k', value: 'v' })] }));
    const id = r.body!.snapshotId!;
    assert.match(id, /^s-[a-z0-9]{20}$/);
    let x = (await snapshot(s.ecs, id))!;
    assert.equal(x.status, 'progressing');
    assert.equal(x.progress, '0%');
    assert.equal(x.snapshotType, 'user');
    assert.equal(x.sourceDiskType, 'System');
    assert.equal(x.sourceDiskId, vm.systemDiskId);
    assert.equal(x.sourceDiskSize, '40');
    const busy = await expectEcsError(() => s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: vm.systemDiskId })));
    assert.equal(busy.code, 'IncorrectDiskStatus.CreatingSnapshot');
    assert.equal(busy.statusCode, 403);
    s.clock.advance(1000);
    x = (await snapshot(s.ecs, id))!;
    assert.equal(x.progress, '50%', 'the first (full) snapshot takes two transition times');
    await s.advance(1000);
    x = (await snapshot(s.ecs, id))!;
    assert.equal(x.status, 'accomplished');
    assert.equal(x.progress, '100%');
    assert.equal(x.available, true);
    assert.equal(x.snapshotName, 'first');
    assert.deepEqual(x.tags!.tag!.map((t) => [t.tagKey, t.tagValue]), [['k', 'v']]);
  });

  it('CreateSnapshot refusals', async () => {
    const fresh = (await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: vm.zoneId, diskCategory: 'cloud_essd', size: 20 }))).body!.diskId!;
    await s.advance(1000);
    const cases: [Record<string, unknown>, string, number][] = [
      [{ diskId: fresh }, 'IncorrectDiskStatus.NeverAttached', 403],
      [{ diskId: dataDisk, snapshotName: 'auto_20140418_1' }, 'InvalidSnapshotName.Malformed', 400],
      [{ diskId: dataDisk, retentionDays: 0 }, 'InvalidRetentionDays.Malformed', 400],
      [{ diskId: 'd-nosuchdisk0000000000' }, 'InvalidDiskId.NotFound', 404],
      [{ diskId: dataDisk, description: 'https://x' }, 'InvalidDescription.Malformed', 404],
    ];
    for (const [req, code, status] of cases) {
      const e = await expectEcsError(() => s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest(req)));
      assert.equal(e.code, code, JSON.stringify(req));
      assert.equal(e.statusCode, status, code);
    }
  });

  it('a disk keeps at most 64 snapshots (000:L145)', async () => {
    const other = await launch(s, { dataDisks: 1 });
    const d = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: other.instanceId, diskType: 'data' }))).body!.disks!.disk![0]!.diskId!;
    for (let i = 0; i < 64; i++) {
      await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: d }));
      await s.advance(2000);
    }
    const e = await expectEcsError(() => s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: d })));
    assert.equal(e.code, 'QuotaExceed.Snapshot');
    assert.equal(e.statusCode, 403);
    const r = await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, diskId: d, pageSize: 100 }));
    assert.equal(r.body!.totalCount, 64);
  });

  it('DeleteSnapshot is refused while a disk (unless Force) or an image depends on it', async () => {
    const id = await snap(s, dataDisk, s.ecs, 'for-a-disk');
    const fromIt = (await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: vm.zoneId, snapshotId: id, diskCategory: 'cloud_essd' }))).body!.diskId!;
    await s.advance(1000);
    const made = (await disk(s.ecs, fromIt))!;
    assert.equal(made.sourceSnapshotId, id);
    assert.equal(made.size, 20, 'a disk from a snapshot defaults to the snapshot size');
    assert.equal((await snapshot(s.ecs, id))!.usage, 'disk');
    let e = await expectEcsError(() => s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id })));
    assert.equal(e.code, 'SnapshotCreatedDisk');
    assert.equal(e.statusCode, 403);
    const small = await expectEcsError(() => s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: vm.zoneId, snapshotId: id, size: 10, diskCategory: 'cloud_essd' })));
    assert.equal(small.code, 'InvalidDiskSize.TooSmall');

    const sysSnap = await snap(s, vm.systemDiskId, s.ecs, 'for-an-image');
    await s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, snapshotId: sysSnap, imageName: 'img-from-snap' }));
    await s.advance(1000);
    e = await expectEcsError(() => s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: sysSnap, force: true })));
    assert.equal(e.code, 'SnapshotCreatedImage');
    assert.equal(e.statusCode, 403);
    assert.equal((await snapshot(s.ecs, sysSnap))!.usage, 'image');

    await s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id, force: true }));
    assert.equal(await snapshot(s.ecs, id), undefined);
    e = await expectEcsError(() => s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id })));
    assert.equal(e.code, 'InvalidSnapshotId.NotFound');
    assert.equal(e.statusCode, 404);
  });

  it('DescribeSnapshots filters and refusals; ModifySnapshotAttribute', async () => {
    const id = await snap(s, dataDisk, s.ecs, 'describe-me');
    const q = async (extra: Record<string, unknown>) => {
      const r = await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, pageSize: 100, ...extra }));
      return r.body!.snapshots!.snapshot!.map((x) => x.snapshotId!);
    };
    assert.deepEqual(await q({ snapshotIds: JSON.stringify([id]) }), [id]);
    assert.deepEqual(await q({ snapshotName: 'describe-me' }), [id]);
    assert.ok((await q({ sourceDiskType: 'data' })).includes(id));
    assert.ok(!(await q({ sourceDiskType: 'System' })).includes(id));
    assert.ok((await q({ instanceId: vm.instanceId })).includes(id));
    assert.ok((await q({ snapshotType: 'user', status: 'accomplished' })).includes(id));
    assert.ok(!(await q({ snapshotType: 'auto' })).includes(id));
    assert.ok((await q({ usage: 'none' })).includes(id));
    const cases: [Record<string, unknown>, string, number][] = [
      [{ status: 'melted' }, 'InvalidStatus.NotFound', 404],
      [{ snapshotType: 'robot' }, 'InvalidSnapshotType.NotFound', 404],
      [{ sourceDiskType: 'swap' }, 'InvalidSourceDiskType', 404],
      [{ usage: 'art' }, 'InvalidUsage', 404],
      [{ snapshotIds: '[1,2' }, 'InvalidSnapshotIds.Malformed', 403],
    ];
    for (const [req, code, status] of cases) {
      const e = await expectEcsError(() => s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, ...req })));
      assert.equal(e.code, code);
      assert.equal(e.statusCode, status, code);
    }
    await s.ecs.modifySnapshotAttribute(new $Ecs.ModifySnapshotAttributeRequest({ snapshotId: id, snapshotName: 'renamed', description: 'new words', retentionDays: 10 }));
    const x = (await snapshot(s.ecs, id))!;
    assert.deepEqual([x.snapshotName, x.description, x.retentionDays], ['renamed', 'new words', 10]);
    let e = await expectEcsError(() => s.ecs.modifySnapshotAttribute(new $Ecs.ModifySnapshotAttributeRequest({ snapshotId: id })));
    assert.equal(e.code, 'NoAttributeToModify');
    e = await expectEcsError(() => s.ecs.modifySnapshotAttribute(new $Ecs.ModifySnapshotAttributeRequest({ snapshotId: id, retentionDays: 5 })));
    assert.equal(e.code, 'InvalidOperation.DecreaseRetentionDaysUnsupported');
    assert.equal(e.statusCode, 400);
  });

  it('RetentionDays: the snapshot is released when they run out', async () => {
    const r = await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: dataDisk, retentionDays: 1 }));
    const id = r.body!.snapshotId!;
    await s.advance(2000);
    assert.equal((await snapshot(s.ecs, id))!.retentionDays, 1);
    await s.advance(DAY);
    assert.equal(await snapshot(s.ecs, id), undefined);
  });

  it('CopySnapshot to another region', async () => {
    const id = await snap(s, dataDisk);
    const r = await s.ecs.copySnapshot(new $Ecs.CopySnapshotRequest({ regionId: R, snapshotId: id, destinationRegionId: 'cn-shanghai', destinationSnapshotName: 'copied', destinationSnapshotDescription: 'a copy' }));
    const copy = r.body!.snapshotId!;
    let x = (await snapshot(s.ecs, copy, 'cn-shanghai'))!;
    assert.equal(x.status, 'progressing');
    assert.equal(x.sourceSnapshotId, id);
    assert.equal(x.sourceRegionId, R);
    assert.equal(x.regionId, 'cn-shanghai');
    await s.advance(2000);
    x = (await snapshot(s.ecs, copy, 'cn-shanghai'))!;
    assert.equal(x.status, 'accomplished');
    assert.equal(await snapshot(s.ecs, copy, R), undefined, 'the copy lives in the destination region only');
    const same = await expectEcsError(() => s.ecs.copySnapshot(new $Ecs.CopySnapshotRequest({ regionId: R, snapshotId: id, destinationRegionId: R, destinationSnapshotName: 'x1', destinationSnapshotDescription: 'xx' })));
    assert.equal(same.code, 'InvalidOperation.NotSupportCopyInSameRegion');
    assert.equal(same.statusCode, 403);
  });

  it('roll back a disk', async () => {
    // User guide 000:L1199–1224: one snapshot of this disk, instance completely stopped.
    const vm2 = await launch(s, { dataDisks: 1 });
    const d2 = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: vm2.instanceId, diskType: 'data' }))).body!.disks!.disk![0]!.diskId!;
    const good = await snap(s, d2, s.ecs, 'known-good');
    let e = await expectEcsError(() => s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: d2, snapshotId: good })));
    assert.equal(e.code, 'IncorrectInstanceStatus');
    assert.equal(e.statusCode, 403);
    await stop(s, vm2.instanceId);
    const foreign = await snap(s, vm2.systemDiskId);
    e = await expectEcsError(() => s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: d2, snapshotId: foreign })));
    assert.equal(e.code, 'InvalidParameter.Mismatch');
    assert.equal(e.statusCode, 403);
    e = await expectEcsError(() => s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: d2, snapshotId: good, dryRun: true })));
    assert.equal(e.code, 'DryRunOperation');
    assert.equal(e.statusCode, 400);
    await s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: d2, snapshotId: good }));
    const rows = await s.app.services.db.selectFrom('transitions').selectAll().where('resource_id', '=', d2).execute();
    assert.ok(rows.some((t) => t.to_status.includes(`reset:${good}`)), 'the rollback is recorded');
    assert.equal((await disk(s.ecs, d2))!.status, 'In_use');
    const e2 = await expectEcsError(() => s.ecsV2.resetDisk(new $Ecs.ResetDiskRequest({ diskId: d2, snapshotId: 's-nosuchsnapshot000000' })));
    assert.equal(e2.code, 'InvalidSnapshotId.NotFound');
    assert.equal(e2.statusCode, 404);
  });
});

describe('automatic snapshot policies', () => {
  let s: TestServer;
  let vm: Launched;
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    vm = await launch(s, { dataDisks: 2 });
  });
  after(async () => { await s.close(); });

  async function create(extra: Record<string, unknown> = {}, regionId = R): Promise<string> {
    const r = await s.ecs.createAutoSnapshotPolicy(new $Ecs.CreateAutoSnapshotPolicyRequest({
      regionId, autoSnapshotPolicyName: 'nightly', timePoints: '["0","12"]', repeatWeekdays: '["1","2","3","4","5","6","7"]', retentionDays: 2, ...extra,
    }));
    return r.body!.autoSnapshotPolicyId!;
  }
  async function dataDisks(): Promise<string[]> {
    const r = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: vm.instanceId, diskType: 'data' }));
    return r.body!.disks!.disk!.map((d) => d.diskId!).sort();
  }

  it('create, describe, modify; the lower-case parameters and their refusals', async () => {
    const id = await create();
    assert.match(id, /^sp-[a-z0-9]{20}$/);
    await s.ecs.modifyAutoSnapshotPolicyEx(new $Ecs.ModifyAutoSnapshotPolicyExRequest({ regionId: R, autoSnapshotPolicyId: id, autoSnapshotPolicyName: 'twice-daily', retentionDays: 3 }));
    const r = await s.ecs.describeAutoSnapshotPolicyEx(new $Ecs.DescribeAutoSnapshotPolicyExRequest({ regionId: R, autoSnapshotPolicyId: id }));
    const p = r.body!.autoSnapshotPolicies!.autoSnapshotPolicy![0]!;
    assert.equal(p.autoSnapshotPolicyName, 'twice-daily');
    assert.equal(p.timePoints, '["0","12"]');
    assert.equal(p.repeatWeekdays, '["1","2","3","4","5","6","7"]');
    assert.equal(p.retentionDays, 3);
    assert.equal(p.diskNums, 0);
    const cases: [Record<string, unknown>, string, number][] = [
      [{ timePoints: '["24"]' }, 'InvalidParameter', 400],
      [{ repeatWeekdays: '["0"]' }, 'InvalidParameter', 400],
      [{ retentionDays: 0 }, 'InvalidRetentionDays.Malformed', 400],
      [{ autoSnapshotPolicyName: '9lives' }, 'InvalidSnapshotPolicyName.Malformed', 400],
    ];
    for (const [extra, code, status] of cases) {
      const e = await expectEcsError(() => create(extra));
      assert.equal(e.code, code, JSON.stringify(extra));
      assert.equal(e.statusCode, status);
    }
    const e = await expectEcsError(() => s.ecs.deleteAutoSnapshotPolicy(new $Ecs.DeleteAutoSnapshotPolicyRequest({ regionId: R, autoSnapshotPolicyId: 'sp-nosuchpolicy00000000' })));
    assert.equal(e.code, 'ParameterInvalid');
    assert.equal(e.statusCode, 404);
    await s.ecs.deleteAutoSnapshotPolicy(new $Ecs.DeleteAutoSnapshotPolicyRequest({ regionId: R, autoSnapshotPolicyId: id }));
  });

  it('a region holds at most 100 policies (SPEC.md)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await create({}, 'cn-shanghai'));
    const e = await expectEcsError(() => create({}, 'cn-shanghai'));
    assert.equal(e.code, 'AutoSnapshotPolicy.QuotaExceed');
    assert.equal(e.statusCode, 403);
    const r = await s.ecs.describeAutoSnapshotPolicyEx(new $Ecs.DescribeAutoSnapshotPolicyExRequest({ regionId: 'cn-shanghai', pageSize: 100, pageNumber: 2 }));
    assert.equal(r.body!.totalCount, 100);
    assert.equal(r.body!.autoSnapshotPolicies!.autoSnapshotPolicy!.length, 0);
  });

  it('a week of schedule on the test clock: snapshots at the time points (UTC+8), expiry after retention', async () => {
    const id = await create();
    const disks = await dataDisks();
    await s.ecs.applyAutoSnapshotPolicy(new $Ecs.ApplyAutoSnapshotPolicyRequest({ regionId: R, autoSnapshotPolicyId: id, diskIds: JSON.stringify(disks) }));
    const d = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, diskIds: JSON.stringify(disks) }))).body!.disks!.disk!;
    assert.ok(d.every((x) => x.autoSnapshotPolicyId === id && x.enableAutomatedSnapshotPolicy === true));
    // The clock starts on Monday 2026-11-23 14:00 UTC+8; 00:00 and 12:00 every day.
    for (let day = 0; day < 7; day++) await s.advance(DAY);
    const snaps = await (async () => (await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, diskId: disks[0], snapshotType: 'auto', pageSize: 100 }))).body!.snapshots!.snapshot!)();
    // Retention 2 days: of the 14 taken, those of Sunday and Monday (UTC+8) remain.
    assert.deepEqual(snaps.map((x) => x.snapshotName).sort(), ['auto_20261129_1', 'auto_20261129_2', 'auto_20261130_1', 'auto_20261130_2']);
    assert.ok(snaps.every((x) => x.status === 'accomplished' && x.snapshotType === 'auto' && x.retentionDays === 2));
    assert.deepEqual(snaps.map((x) => x.creationTime).sort(), ['2026-11-28T16:00:00Z', '2026-11-29T04:00:00Z', '2026-11-29T16:00:00Z', '2026-11-30T04:00:00Z']);
    const expired = await s.app.services.db.selectFrom('transitions').select('resource_id').where('to_status', '=', 'Expired').execute();
    assert.equal(expired.length, 20, '10 expired automatic snapshots per disk');
    const pol = (await s.ecs.describeAutoSnapshotPolicyEx(new $Ecs.DescribeAutoSnapshotPolicyExRequest({ regionId: R, autoSnapshotPolicyId: id }))).body!.autoSnapshotPolicies!.autoSnapshotPolicy![0]!;
    assert.equal(pol.diskNums, 2);
  });

  it('releasing a disk deletes its automatic snapshots unless DeleteAutoSnapshot=false; manual ones stay', async () => {
    const [keep, purge] = await dataDisks();
    const manualKeep = await snap(s, keep!);
    const manualPurge = await snap(s, purge!);
    await s.ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ diskId: keep, deleteAutoSnapshot: false }));
    for (const id of [keep!, purge!]) await s.ecs.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: vm.instanceId, diskId: id }));
    await s.advance(1000);
    for (const id of [keep!, purge!]) await s.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: id }));
    const all = async (diskId: string) => (await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, diskId, pageSize: 100 }))).body!.snapshots!.snapshot!;
    const kept = await all(keep!);
    assert.equal(kept.filter((x) => x.snapshotType === 'auto').length, 4);
    assert.ok(kept.some((x) => x.snapshotId === manualKeep));
    const purged = await all(purge!);
    assert.deepEqual(purged.map((x) => x.snapshotId), [manualPurge]);
  });

  it('apply and cancel: refusals and the basic-cloud-disk rule (000:L1347)', async () => {
    const id = await create();
    const basic = (await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: vm.zoneId, diskCategory: 'cloud', size: 20 }))).body!.diskId!;
    await s.advance(1000);
    let e = await expectEcsError(() => s.ecs.applyAutoSnapshotPolicy(new $Ecs.ApplyAutoSnapshotPolicyRequest({ regionId: R, autoSnapshotPolicyId: id, diskIds: JSON.stringify([basic]) })));
    assert.equal(e.code, 'DiskCategory.OperationNotSupported');
    assert.equal(e.statusCode, 400);
    e = await expectEcsError(() => s.ecs.applyAutoSnapshotPolicy(new $Ecs.ApplyAutoSnapshotPolicyRequest({ regionId: R, autoSnapshotPolicyId: id, diskIds: '["d-nosuchdisk0000000000"]' })));
    assert.equal(e.code, 'InvalidDiskId.NotFound');
    assert.equal(e.statusCode, 404);
    await s.ecs.applyAutoSnapshotPolicy(new $Ecs.ApplyAutoSnapshotPolicyRequest({ regionId: R, autoSnapshotPolicyId: id, diskIds: JSON.stringify([vm.systemDiskId]) }));
    assert.equal((await disk(s.ecs, vm.systemDiskId))!.autoSnapshotPolicyId, id);
    await s.ecs.cancelAutoSnapshotPolicy(new $Ecs.CancelAutoSnapshotPolicyRequest({ regionId: R, diskIds: JSON.stringify([vm.systemDiskId]) }));
    const after = (await disk(s.ecs, vm.systemDiskId))!;
    assert.equal(after.autoSnapshotPolicyId, '');
    assert.equal(after.enableAutomatedSnapshotPolicy, false);
    e = await expectEcsError(() => s.ecs.cancelAutoSnapshotPolicy(new $Ecs.CancelAutoSnapshotPolicyRequest({ regionId: R, diskIds: '["d-nosuchdisk0000000000"]' })));
    assert.equal(e.code, 'InvalidDiskId.NotFound');
  });
});
