import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { runRequest } from '../helpers/fixtures.js';
import { R, disk, disksOf, launch, networkOf, otherAccount, snap, snapshot, stop, type Launched } from './storage-fixtures.js';

describe('disks', () => {
  let s: TestServer;
  let vm: Launched;
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    vm = await launch(s, { dataDisks: 1 });
  });
  after(async () => { await s.close(); });

  async function createDisk(extra: Record<string, unknown> = {}): Promise<string> {
    const r = await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: vm.zoneId, diskCategory: 'cloud_essd', size: 20, ...extra }));
    return r.body!.diskId!;
  }
  async function attached(extra: Record<string, unknown> = {}): Promise<string> {
    const id = await createDisk(extra);
    await s.advance(1000);
    await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm.instanceId, diskId: id }));
    await s.advance(1000);
    return id;
  }

  it('the disks RunInstances made appear with devices, roles and DeleteWithInstance', async () => {
    const r = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: vm.instanceId }));
    const list = r.body!.disks!.disk!;
    assert.deepEqual(list.map((d) => [d.type, d.device, d.status]).sort(), [['data', '/dev/xvdb', 'In_use'], ['system', '/dev/xvda', 'In_use']]);
    const sys = list.find((d) => d.type === 'system')!;
    assert.equal(sys.deleteWithInstance, true);
    assert.equal(sys.portable, false);
    assert.match(sys.diskId!, /^d-[a-z0-9]{20}$/);
    assert.match(sys.creationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('CreateDisk: Creating → Available through the engine, with tags', async () => {
    const id = await createDisk({ diskName: 'data-1', description: 'a data disk', tag: [new $Ecs.CreateDiskRequestTag({ key: 'team', value: 'db' })] });
    assert.match(id, /^d-/);
    assert.equal((await disk(s.ecs, id))!.status, 'Creating');
    await s.advance(1000);
    const d = (await disk(s.ecs, id))!;
    assert.equal(d.status, 'Available');
    assert.equal(d.diskName, 'data-1');
    assert.equal(d.size, 20);
    assert.equal(d.category, 'cloud_essd');
    assert.equal(d.performanceLevel, 'PL1');
    assert.equal(d.type, 'data');
    assert.equal(d.instanceId, '');
    assert.deepEqual(d.tags!.tag!.map((t) => [t.tagKey, t.tagValue]), [['team', 'db']]);
  });

  it('CreateDisk refuses sizes outside the category range and bad combinations', async () => {
    const cases: [Record<string, unknown>, string, number][] = [
      [{ diskCategory: 'cloud', size: 4 }, 'InvalidDataDiskSize.ValueNotSupported', 400],
      [{ diskCategory: 'cloud', size: 2001 }, 'InvalidDataDiskSize.ValueNotSupported', 400],
      [{ diskCategory: 'cloud_ssd', size: 19 }, 'InvalidDataDiskSize.ValueNotSupported', 400],
      [{ diskCategory: 'cloud_essd', size: 100, performanceLevel: 'PL2' }, 'OperationDenied.PerformanceLevelNotMatch', 403],
      [{ diskCategory: 'floppy' }, 'InvalidDiskCategory.ValueNotSupported', 400],
      [{ size: undefined }, 'MissingParameter', 400],
      [{ instanceId: 'i-whatever' }, 'InvalidParam.ZoneIdAndInstanceId.Conflict', 403],
      [{ zoneId: 'cn-hangzhou-zz' }, 'InvalidZoneId.NotFound', 404],
      [{ diskName: '1bad' }, 'InvalidDiskName.Malformed', 400],
      [{ snapshotId: 's-doesnotexist00000000' }, 'InvalidSnapshotId.NotFound', 404],
    ];
    for (const [extra, code, status] of cases) {
      const e = await expectEcsError(() => createDisk(extra));
      assert.equal(e.code, code, JSON.stringify(extra));
      assert.equal(e.statusCode, status, code);
    }
    assert.equal((await createDisk({ diskCategory: 'cloud', size: 5 })).slice(0, 2), 'd-');
    assert.equal((await createDisk({ diskCategory: 'cloud', size: 2000 })).slice(0, 2), 'd-');
  });

  it('AttachDisk: Attaching → In_use on the next free device; DetachDisk: Detaching → Available', async () => {
    const id = await createDisk();
    await s.advance(1000);
    await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm.instanceId, diskId: id, deleteWithInstance: false }));
    let d = (await disk(s.ecs, id))!;
    assert.equal(d.status, 'Attaching');
    await s.advance(1000);
    d = (await disk(s.ecs, id))!;
    assert.equal(d.status, 'In_use');
    assert.equal(d.instanceId, vm.instanceId);
    assert.equal(d.device, '/dev/xvdc');
    assert.equal(d.deleteWithInstance, false);
    assert.match(d.attachedTime!, /Z$/);
    await s.ecs.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: vm.instanceId, diskId: id }));
    assert.equal((await disk(s.ecs, id))!.status, 'Detaching');
    await s.advance(1000);
    d = (await disk(s.ecs, id))!;
    assert.equal(d.status, 'Available');
    assert.equal(d.instanceId, '');
    assert.equal(d.device, '');
    await s.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: id }));
    assert.equal(await disk(s.ecs, id), undefined);
  });

  it('attach and detach refusals carry the documented codes', async () => {
    const inUse = await attached();
    const free = await createDisk();
    await s.advance(1000);
    const zones = await s.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R }));
    const other = zones.body!.zones!.zone!.map((z) => z.zoneId!).find((z) => z !== vm.zoneId)!;
    const far = await createDisk({ zoneId: other });
    await s.advance(1000);
    const cases: [() => Promise<unknown>, string, number][] = [
      [() => s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm.instanceId, diskId: inUse })), 'IncorrectDiskStatus', 403],
      [() => s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm.instanceId, diskId: far })), 'ResourcesNotInSameZone', 403],
      [() => s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm.instanceId, diskId: free, device: '/dev/sdb' })), 'InvalidDevice.Malformed', 400],
      [() => s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm.instanceId, diskId: free, device: '/dev/xvdb' })), 'InvalidDevice.InUse', 403],
      [() => s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: 'i-nosuchinstance000000', diskId: free })), 'InvalidInstanceId.NotFound', 404],
      [() => s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm.instanceId, diskId: 'd-nosuchdisk0000000000' })), 'InvalidDiskId.NotFound', 404],
      [() => s.ecs.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: vm.instanceId, diskId: free })), 'InvalidDisk.AlreadyDetached', 404],
      [() => s.ecs.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: vm.instanceId, diskId: vm.systemDiskId })), 'IncorrectInstanceStatus', 403],
      [() => s.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: inUse })), 'IncorrectDiskStatus', 403],
      [() => s.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: 'd-nosuchdisk0000000000' })), 'InvalidDiskId.NotFound', 404],
    ];
    for (const [fn, code, status] of cases) {
      const e = await expectEcsError(fn);
      assert.equal(e.code, code);
      assert.equal(e.statusCode, status, code);
    }
    // The same refusal through V2 (HMAC-SHA1) signing.
    const v2 = await expectEcsError(() => s.ecsV2.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: inUse })));
    assert.equal(v2.code, 'IncorrectDiskStatus');
    assert.equal(v2.statusCode, 403);
    await s.ecs.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: vm.instanceId, diskId: inUse }));
    await s.advance(1000);
  });

  it('an instance takes at most 16 data disks (SPEC.md)', async () => {
    const other = await launch(s);
    const ids: string[] = [];
    for (let i = 0; i < 17; i++) ids.push(await createDisk());
    await s.advance(1000);
    for (let i = 0; i < 16; i++) await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: other.instanceId, diskId: ids[i] }));
    await s.advance(1000);
    const e = await expectEcsError(() => s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: other.instanceId, diskId: ids[16] })));
    assert.equal(e.code, 'InstanceDiskLimitExceeded');
    assert.equal(e.statusCode, 403);
    const r = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: other.instanceId, diskType: 'data', maxResults: 500 }));
    const devices = r.body!.disks!.disk!.map((d) => d.device).sort();
    assert.equal(devices.length, 16);
    assert.equal(devices[0], '/dev/xvdb');
    assert.equal(devices[15], '/dev/xvdq');
  });

  it('ResizeDisk grows only, online needs a Running instance and a category that supports it', async () => {
    const id = await attached({ diskCategory: 'cloud_essd', size: 30 });
    const basic = await attached({ diskCategory: 'cloud', size: 30 });
    const cases: [Record<string, unknown>, string, number][] = [
      [{ diskId: id, newSize: 20 }, 'InvalidDiskSize.TooSmall', 403],
      [{ diskId: id, newSize: 30 }, 'InvalidDiskSize', 403],
      [{ diskId: id, newSize: 40000 }, 'InvalidDiskSize.TooLarge', 403],
      [{ diskId: id, newSize: 40, type: 'sideways' }, 'InvalidParam.Type', 400],
      [{ diskId: basic, newSize: 40, type: 'online' }, 'InvalidDiskCategory.NotSupported', 403],
    ];
    for (const [req, code, status] of cases) {
      const e = await expectEcsError(() => s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest(req)));
      assert.equal(e.code, code, JSON.stringify(req));
      assert.equal(e.statusCode, status, code);
    }
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: id, newSize: 50, type: 'online' }));
    assert.equal((await disk(s.ecs, id))!.size, 50);
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: basic, newSize: 60 }));
    assert.equal((await disk(s.ecs, basic))!.size, 60);
  });

  it('ModifyDiskAttribute: one disk or DiskIds.N, and its refusals', async () => {
    const a = await createDisk();
    const b = await createDisk();
    await s.advance(1000);
    await s.ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ diskId: a, diskName: 'renamed', description: 'described', deleteAutoSnapshot: false }));
    let d = (await disk(s.ecs, a))!;
    assert.equal(d.diskName, 'renamed');
    assert.equal(d.description, 'described');
    assert.equal(d.deleteAutoSnapshot, false);
    await s.ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest({ regionId: R, diskIds: [a, b], deleteWithInstance: true, enableAutoSnapshot: true }));
    for (const id of [a, b]) {
      d = (await disk(s.ecs, id))!;
      assert.equal(d.deleteWithInstance, true);
      assert.equal(d.enableAutoSnapshot, true);
    }
    const cases: [Record<string, unknown>, string, number][] = [
      [{ diskId: a }, 'NoAttributeToModify', 400],
      [{ diskId: a, diskIds: [b], diskName: 'x1' }, 'ParameterConflict.DiskIdAndDiskIds', 400],
      [{ diskName: 'x1' }, 'MissingParameter.DiskIdOrDiskIds', 400],
      [{ diskId: a, diskName: '-bad' }, 'InvalidDiskName.Malformed', 400],
      [{ diskId: 'd-nosuchdisk0000000000', diskName: 'ok-name' }, 'InvalidDiskId.NotFound', 404],
    ];
    for (const [req, code, status] of cases) {
      const e = await expectEcsError(() => s.ecs.modifyDiskAttribute(new $Ecs.ModifyDiskAttributeRequest(req)));
      assert.equal(e.code, code);
      assert.equal(e.statusCode, status, code);
    }
  });

  it('DescribeDisks: every filter and both paging modes', async () => {
    const tagged = await createDisk({ diskCategory: 'cloud_ssd', diskName: 'find-me', tag: [new $Ecs.CreateDiskRequestTag({ key: 'k', value: 'v' })] });
    await s.advance(1000);
    const q = async (extra: Record<string, unknown>) => {
      const r = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, maxResults: 500, ...extra }));
      return r.body!.disks!.disk!.map((d) => d.diskId!);
    };
    assert.deepEqual(await q({ diskIds: JSON.stringify([tagged]) }), [tagged]);
    assert.deepEqual(await q({ category: 'cloud_ssd' }), [tagged]);
    assert.deepEqual(await q({ diskName: 'find-me' }), [tagged]);
    assert.deepEqual(await q({ tag: [new $Ecs.DescribeDisksRequestTag({ key: 'k', value: 'v' })] }), [tagged]);
    assert.deepEqual(await q({ diskType: 'system', instanceId: vm.instanceId }), [vm.systemDiskId]);
    assert.ok((await q({ status: 'Available' })).includes(tagged));
    assert.ok(!(await q({ status: 'In_use' })).includes(tagged));
    assert.ok((await q({ portable: false })).includes(vm.systemDiskId));
    assert.ok(!(await q({ portable: true })).includes(vm.systemDiskId));
    assert.ok(!(await q({ deleteWithInstance: true })).includes(tagged));
    assert.deepEqual(await q({ zoneId: vm.zoneId, diskIds: JSON.stringify([tagged, vm.systemDiskId]) }).then((l) => l.sort()), [tagged, vm.systemDiskId].sort());
    assert.deepEqual(await q({ filter: undefined, diskIds: JSON.stringify([tagged]), enableAutoSnapshot: true }), []);

    const all = await q({});
    const total = all.length;
    assert.ok(total > 5);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const r = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, maxResults: 2, nextToken: token }));
      seen.push(...r.body!.disks!.disk!.map((d) => d.diskId!));
      assert.equal(r.body!.totalCount, total);
      token = r.body!.nextToken || undefined;
    } while (token);
    assert.deepEqual(seen.sort(), [...all].sort());
    const p2 = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, pageNumber: 2, pageSize: 3 }));
    assert.equal(p2.body!.pageNumber, 2);
    assert.equal(p2.body!.pageSize, 3);
    assert.equal(p2.body!.disks!.disk!.length, 3);

    const cases: [Record<string, unknown>, string, number][] = [
      [{ diskType: 'floppy' }, 'InvalidDiskType.ValueNotSupported', 400],
      [{ category: 'floppy' }, 'InvalidCategory.ValueNotSupported', 400],
      [{ status: 'Melting' }, 'InvalidStatus.ValueNotSupported', 400],
      [{ diskIds: 'not-json' }, 'InvalidDiskIds.Malformed', 403],
      [{ zoneId: 'cn-hangzhou-zz' }, 'InvalidZoneId.NotFound', 400],
      [{ maxResults: 501 }, 'InvalidParameter', 400],
    ];
    for (const [req, code, status] of cases) {
      const e = await expectEcsError(() => s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, ...req })));
      assert.equal(e.code.split('.')[0], code.split('.')[0], JSON.stringify(req));
      assert.equal(e.statusCode, status, code);
    }
  });

  it('releasing an instance honours DeleteWithInstance', async () => {
    const vm2 = await launch(s);
    const keep = await createDisk();
    const drop = await createDisk();
    await s.advance(1000);
    await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm2.instanceId, diskId: keep, deleteWithInstance: false }));
    await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: vm2.instanceId, diskId: drop, deleteWithInstance: true }));
    await s.advance(1000);
    await stop(s, vm2.instanceId);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: vm2.instanceId }));
    await s.settle();
    assert.equal((await disk(s.ecs, keep))!.status, 'Available');
    assert.equal(await disk(s.ecs, drop), undefined);
    assert.equal(await disk(s.ecs, vm2.systemDiskId), undefined);
  });

  it('re-initialize a disk', async () => {
    // User guide 000:L1168–1197: the instance must be stopped; the disk stays attached; auto snapshots are kept.
    const vm3 = await launch(s, { dataDisks: 1 });
    const data = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: vm3.instanceId, diskType: 'data' }))).body!.disks!.disk![0]!.diskId!;
    const snapId = await snap(s, data);
    let e = await expectEcsError(() => s.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: vm3.systemDiskId })));
    assert.equal(e.code, 'IncorrectInstanceStatus');
    assert.equal(e.statusCode, 403);
    await stop(s, vm3.instanceId);
    await s.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: vm3.systemDiskId, password: 'EcsV587!pass' }));
    assert.equal((await disk(s.ecs, vm3.systemDiskId))!.status, 'ReIniting');
    await s.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: data }));
    await s.advance(1000);
    for (const id of [vm3.systemDiskId, data]) {
      const d = (await disk(s.ecs, id))!;
      assert.equal(d.status, 'In_use');
      assert.equal(d.instanceId, vm3.instanceId, 'a re-initialized data disk stays attached (000:L1178)');
    }
    const snaps = await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, diskId: data }));
    assert.deepEqual(snaps.body!.snapshots!.snapshot!.map((x) => x.snapshotId), [snapId]);
    const free = await createDisk();
    await s.advance(1000);
    e = await expectEcsError(() => s.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: free })));
    assert.equal(e.code, 'IncorrectDiskStatus');
    assert.equal(e.statusCode, 403);
    e = await expectEcsError(() => s.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: vm3.systemDiskId, password: 'weak' })));
    assert.equal(e.code, 'InvalidPassword.Malformed');
    assert.equal(e.statusCode, 400);
  });
  it('RunInstances DataDisk.N.SnapshotId makes a data disk from the snapshot', async () => {
    const data = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: vm.instanceId, diskType: 'data' }))).body!.disks!.disk![0]!.diskId!;
    const snapId = await snap(s, data);
    const snapSize = Number((await snapshot(s.ecs, snapId))!.sourceDiskSize);
    const made = await launch(s, { extra: { dataDisk: [
      new $Ecs.RunInstancesRequestDataDisk({ snapshotId: snapId, category: 'cloud_essd' }),
      new $Ecs.RunInstancesRequestDataDisk({ snapshotId: snapId, category: 'cloud_essd', size: snapSize + 10, deleteWithInstance: false }),
    ] } });
    const list = (await disksOf(s.ecs, made.instanceId)).filter((d) => d.type === 'data');
    assert.deepEqual(list.map((d) => [d.device, d.size, d.sourceSnapshotId, d.deleteWithInstance]), [
      ['/dev/xvdb', snapSize, snapId, true], ['/dev/xvdc', snapSize + 10, snapId, false],
    ], 'the size defaults to the snapshot\'s');
    const n = await networkOf(s);
    const run = (dataDisk: Record<string, unknown>) => expectEcsError(() => s.ecs.runInstances(runRequest(n, { dataDisk: [new $Ecs.RunInstancesRequestDataDisk({ category: 'cloud_essd', ...dataDisk })] })));
    let e = await run({ snapshotId: snapId, size: 10 });
    assert.equal(e.code, 'InvalidDiskSize.TooSmall');
    assert.equal(e.statusCode, 403);
    e = await run({ snapshotId: 's-nosuchsnapshot0000000' });
    assert.equal(e.code, 'InvalidDataDiskSnapshotId.NotFound');
    assert.equal(e.statusCode, 404);
    const progressing = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: data }))).body!.snapshotId!;
    e = await run({ snapshotId: progressing });
    assert.equal(e.code, 'InvalidSnapshotId.NotReady');
    assert.equal(e.statusCode, 403);
    await s.advance(2000);
    // Another account's snapshot is unknown to the caller.
    const b = await otherAccount(s, 'snap-stranger');
    const bn = await networkOf(b);
    e = await expectEcsError(() => b.ecs.runInstances(runRequest(bn, { dataDisk: [new $Ecs.RunInstancesRequestDataDisk({ snapshotId: snapId, category: 'cloud_essd' })] })));
    assert.equal(e.code, 'InvalidDataDiskSnapshotId.NotFound');
    // CreateInstance takes the same DataDisk.N.
    const ci = await s.ecs.createInstance(new $Ecs.CreateInstanceRequest({
      regionId: R, imageId: n.imageId, instanceType: 'ecs.g7.large', vSwitchId: n.vswitchId, securityGroupId: n.securityGroupId,
      dataDisk: [new $Ecs.CreateInstanceRequestDataDisk({ snapshotId: snapId, category: 'cloud_essd', size: snapSize + 5 })],
    }));
    await s.advance(1000);
    const ciDisks = (await disksOf(s.ecs, ci.body!.instanceId!)).filter((d) => d.type === 'data');
    assert.deepEqual(ciDisks.map((d) => [d.device, d.size, d.sourceSnapshotId]), [['/dev/xvdb', snapSize + 5, snapId]]);
  });
});
