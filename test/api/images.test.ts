import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type EcsClientT, type TestServer } from '../helpers/server.js';
import { createAccount } from '../../src/auth/accounts.js';
import { runRequest } from '../helpers/fixtures.js';
import { R, disk, disksOf, image, launch, networkOf, otherAccount, snap, snapshot, stop, type Launched } from './storage-fixtures.js';

describe('custom images and sharing', () => {
  let s: TestServer;
  let vm: Launched;
  let sysSnap: string;
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    vm = await launch(s, { dataDisks: 1 });
    sysSnap = await snap(s, vm.systemDiskId);
  });
  after(async () => { await s.close(); });

  async function fromSnapshot(name: string, ecs: EcsClientT = s.ecs, snapshotId = sysSnap): Promise<string> {
    const r = await ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, snapshotId, imageName: name }));
    return r.body!.imageId!;
  }
  const account = (name: string) => otherAccount(s, name);
  async function share(imageId: string, add: string[] = [], remove: string[] = [], ecs = s.ecs) {
    await ecs.modifyImageSharePermission(new $Ecs.ModifyImageSharePermissionRequest({ regionId: R, imageId, addAccount: add, removeAccount: remove }));
  }

  it('create a custom image from a snapshot', async () => {
    // User guide 000:L1438–1518: a system disk snapshot, a name, a description; Creating → Available.
    const r = await s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, snapshotId: sysSnap, imageName: 'web-base', description: 'from a snapshot', tag: [new $Ecs.CreateImageRequestTag({ key: 'app', value: 'web' })] }));
    const id = r.body!.imageId!;
    assert.match(id, /^m-[a-z0-9]{20}$/);
    let m = (await image(s.ecs, id))!;
    assert.equal(m.status, 'Creating');
    const hidden = await s.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, imageId: id }));
    assert.equal(hidden.body!.totalCount, 0, 'DescribeImages shows Available images by default');
    await s.advance(1000);
    m = (await image(s.ecs, id))!;
    assert.equal(m.status, 'Available');
    assert.equal(m.progress, '100%');
    assert.equal(m.imageOwnerAlias, 'self');
    assert.equal(m.imageName, 'web-base');
    assert.equal(m.OSType, 'linux');
    assert.equal(m.architecture, 'x86_64');
    assert.equal(m.size, 40);
    assert.equal(m.isSelfShared, 'False');
    assert.deepEqual(m.diskDeviceMappings!.diskDeviceMapping!.map((x) => [x.device, x.type, x.snapshotId, x.size]), [['/dev/xvda', 'system', sysSnap, '40']]);
    const self = await s.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, imageOwnerAlias: 'self', tag: [new $Ecs.DescribeImagesRequestTag({ key: 'app', value: 'web' })] }));
    assert.deepEqual(self.body!.images!.image!.map((x) => x.imageId), [id]);
    const bySnap = await s.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, snapshotId: sysSnap, imageOwnerAlias: 'self' }));
    assert.ok(bySnap.body!.images!.image!.some((x) => x.imageId === id));
  });

  it('CreateImage refusals', async () => {
    const data = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: vm.instanceId, diskType: 'data' }))).body!.disks!.disk![0]!.diskId!;
    const dataSnap = await snap(s, data);
    const running = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: data }))).body!.snapshotId!;
    const cases: [Record<string, unknown>, string, number][] = [
      [{ snapshotId: dataSnap }, 'OperationDenied', 403],
      [{ snapshotId: running }, 'InvalidSnapshotId.NotReady', 403],
      [{}, 'MissingParameter', 400],
      [{ snapshotId: sysSnap, imageName: 'web-base' }, 'InvalidImageName.Duplicated', 400],
      [{ snapshotId: sysSnap, imageName: 'aliyun-x' }, 'InvalidImageName.Malformed', 400],
      [{ snapshotId: 's-nosuchsnapshot000000' }, 'InvalidSnapshotId.NotFound', 404],
      [{ instanceId: 'i-nosuchinstance000000' }, 'InvalidInstanceId.NotFound', 404],
      [{ diskDeviceMapping: [new $Ecs.CreateImageRequestDiskDeviceMapping({ snapshotId: dataSnap, device: '/dev/xvdb' })] }, 'InvalidSystemSnapshot.Missing', 403],
    ];
    for (const [req, code, status] of cases) {
      const e = await expectEcsError(() => s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, ...req })));
      assert.equal(e.code, code, JSON.stringify(req).slice(0, 80));
      assert.equal(e.statusCode, status, code);
    }
    await s.advance(1000);
    // DiskDeviceMapping: a system snapshot, a data snapshot, an empty 5 GiB disk.
    const r = await s.ecs.createImage(new $Ecs.CreateImageRequest({
      regionId: R, imageName: 'with-data',
      diskDeviceMapping: [
        new $Ecs.CreateImageRequestDiskDeviceMapping({ snapshotId: sysSnap, diskType: 'system' }),
        new $Ecs.CreateImageRequestDiskDeviceMapping({ snapshotId: dataSnap, size: 30 }),
        new $Ecs.CreateImageRequestDiskDeviceMapping({ diskType: 'data' }),
      ],
    }));
    await s.advance(1000);
    const m = (await image(s.ecs, r.body!.imageId!))!;
    assert.equal(m.status, 'Available');
    assert.deepEqual(m.diskDeviceMappings!.diskDeviceMapping!.map((x) => [x.device, x.type, x.size]), [['/dev/xvda', 'system', '40'], ['/dev/xvdb', 'data', '30'], ['/dev/xvdc', 'data', '5']]);
  });

  it('CreateImage from an instance snapshots every disk and is ready when they finish (000:L1553, L1574)', async () => {
    const r = await s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, instanceId: vm.instanceId, imageName: 'whole-instance' }));
    const id = r.body!.imageId!;
    const snaps = await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, instanceId: vm.instanceId, status: 'progressing' }));
    assert.equal(snaps.body!.totalCount, 2);
    await s.advance(500);
    assert.equal((await image(s.ecs, id))!.status, 'Creating');
    await s.advance(2000);
    const m = (await image(s.ecs, id))!;
    assert.equal(m.status, 'Available');
    assert.equal(m.diskDeviceMappings!.diskDeviceMapping!.length, 2);
    const dataSnap = m.diskDeviceMappings!.diskDeviceMapping!.find((x) => x.type === 'data')!.snapshotId!;
    const sysSnapOfImage = m.diskDeviceMappings!.diskDeviceMapping!.find((x) => x.type === 'system')!.snapshotId!;

    // 002:L2319: the image's data-disk snapshots become data disks of new instances, by device.
    const copy = await launch(s, { imageId: id });
    const disks = await disksOf(s.ecs, copy.instanceId);
    assert.deepEqual(disks.map((d) => [d.device, d.type, d.size, d.sourceSnapshotId, d.status]), [
      ['/dev/xvda', 'system', 40, sysSnapOfImage, 'In_use'], ['/dev/xvdb', 'data', 20, dataSnap, 'In_use'],
    ]);
    assert.equal(disks[0]!.imageId, id);
    // DataDisk.N.Device naming the image's device changes that disk; another DataDisk.N is added after it.
    const changed = await launch(s, { imageId: id, extra: { dataDisk: [
      new $Ecs.RunInstancesRequestDataDisk({ category: 'cloud_essd', size: 30 }),
      new $Ecs.RunInstancesRequestDataDisk({ device: '/dev/xvdb', size: 50, diskName: 'bigger' }),
    ] } });
    assert.deepEqual((await disksOf(s.ecs, changed.instanceId)).map((d) => [d.device, d.size, d.sourceSnapshotId, d.diskName]).slice(1), [
      ['/dev/xvdb', 50, dataSnap, 'bigger'], ['/dev/xvdc', 30, '', ''],
    ]);
    const n = await networkOf(s);
    let e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, { imageId: id, dataDisk: [new $Ecs.RunInstancesRequestDataDisk({ device: '/dev/xvdb', size: 10 })] })));
    assert.equal(e.code, 'InvalidDiskSize.TooSmall');
    assert.equal(e.statusCode, 403);
    e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, { imageId: id, dataDisk: [new $Ecs.RunInstancesRequestDataDisk({ device: '/dev/sdb', size: 20 })] })));
    assert.equal(e.code, 'InvalidDataDevice.Malformed');
    assert.equal(e.statusCode, 400);
    // An image with data disks cannot replace a system disk (002:L2320).
    await stop(s, copy.instanceId);
    e = await expectEcsError(() => s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: copy.instanceId, imageId: id })));
    assert.equal(e.code, 'OperationDenied');
  });

  it('ModifyImageAttribute and DeleteImage', async () => {
    const id = await fromSnapshot('to-modify');
    await s.advance(1000);
    await s.ecs.modifyImageAttribute(new $Ecs.ModifyImageAttributeRequest({ regionId: R, imageId: id, imageName: 'modified', description: 'changed', imageFamily: 'fam-1' }));
    let m = (await image(s.ecs, id))!;
    assert.deepEqual([m.imageName, m.description, m.imageFamily], ['modified', 'changed', 'fam-1']);
    await s.ecs.modifyImageAttribute(new $Ecs.ModifyImageAttributeRequest({ regionId: R, imageId: id, status: 'Deprecated' }));
    m = (await image(s.ecs, id))!;
    assert.equal(m.status, 'Deprecated');
    let e = await expectEcsError(() => s.ecs.modifyImageAttribute(new $Ecs.ModifyImageAttributeRequest({ regionId: R, imageId: id, status: 'Deprecated' })));
    assert.equal(e.code, 'ImageStatus.NotAvailable');
    assert.equal(e.statusCode, 403);
    e = await expectEcsError(() => s.ecs.modifyImageAttribute(new $Ecs.ModifyImageAttributeRequest({ regionId: R, imageId: 'aliyun_3_x64_20G_alibase_20240528.vhd', imageName: 'mine' })));
    assert.equal(e.code, 'InvalidImageId.NotFound');
    assert.equal(e.statusCode, 404);
    await s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: id }));
    assert.equal(await image(s.ecs, id), undefined);
    e = await expectEcsError(() => s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: id })));
    assert.equal(e.code, 'InvalidImageId.NotFound');
  });

  it('CopyImage to another region and CancelCopyImage', async () => {
    const src = await fromSnapshot('to-copy');
    await s.advance(1000);
    const c1 = (await s.ecs.copyImage(new $Ecs.CopyImageRequest({ regionId: R, imageId: src, destinationRegionId: 'cn-shanghai', destinationImageName: 'copied' }))).body!.imageId!;
    let m = (await image(s.ecs, c1, 'cn-shanghai'))!;
    assert.equal(m.status, 'Creating');
    assert.equal(m.isCopied, true);
    let e = await expectEcsError(() => s.ecs.copyImage(new $Ecs.CopyImageRequest({ regionId: R, imageId: src, destinationRegionId: 'cn-shanghai', destinationImageName: 'copied-2' })));
    assert.equal(e.code, 'OperationDenied.ImageCopying');
    assert.equal(e.statusCode, 403);
    e = await expectEcsError(() => s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: src })));
    assert.equal(e.code, 'OperationDenied.ImageCopying');
    await s.ecs.cancelCopyImage(new $Ecs.CancelCopyImageRequest({ regionId: 'cn-shanghai', imageId: c1 }));
    assert.equal(await image(s.ecs, c1, 'cn-shanghai'), undefined, 'cancelling removes the target image (002:L2389)');
    const c2 = (await s.ecs.copyImage(new $Ecs.CopyImageRequest({ regionId: R, imageId: src, destinationRegionId: 'cn-shanghai', destinationImageName: 'copied' }))).body!.imageId!;
    await s.advance(2000);
    m = (await image(s.ecs, c2, 'cn-shanghai'))!;
    assert.equal(m.status, 'Available');
    const copySnap = m.diskDeviceMappings!.diskDeviceMapping![0]!.snapshotId!;
    assert.equal((await snapshot(s.ecs, copySnap, 'cn-shanghai'))!.sourceRegionId, R);
    e = await expectEcsError(() => s.ecs.cancelCopyImage(new $Ecs.CancelCopyImageRequest({ regionId: 'cn-shanghai', imageId: c2 })));
    assert.equal(e.code, 'IncorrectImageStatus');
    assert.equal(e.statusCode, 400);
    e = await expectEcsError(() => s.ecs.cancelCopyImage(new $Ecs.CancelCopyImageRequest({ regionId: R, imageId: src })));
    assert.equal(e.code, 'ImageCreatedNotFromCopy');
    e = await expectEcsError(() => s.ecs.copyImage(new $Ecs.CopyImageRequest({ regionId: R, imageId: src, destinationRegionId: 'mars-1' })));
    assert.equal(e.code, 'DestinationRegion.NotFound');
  });

  it('share and unshare an image', async () => {
    // Seed 004 and 000:L1622–1733: the owner shares a custom image; the receiver sees it as
    // `others`, can put it on a system disk in the same region, cannot re-share it; unsharing
    // takes it away and the receiver's instances can no longer re-initialize from it.
    const img = await fromSnapshot('shared-base');
    await s.advance(1000);
    const b = await account('receiver-b');
    const c = await account('third-c');
    await share(img, [b.id]);
    const perm = await s.ecs.describeImageSharePermission(new $Ecs.DescribeImageSharePermissionRequest({ regionId: R, imageId: img }));
    assert.deepEqual(perm.body!.accounts!.account!.map((a) => a.aliyunId), [b.id]);
    assert.equal((await image(s.ecs, img))!.isSelfShared, 'True');

    const seen = await b.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, imageOwnerAlias: 'others' }));
    assert.deepEqual(seen.body!.images!.image!.map((x) => [x.imageId, x.imageOwnerAlias]), [[img, 'others']]);
    const elsewhere = await b.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-shanghai', imageOwnerAlias: 'others' }));
    assert.equal(elsewhere.body!.totalCount, 0, 'shared images stay in their region (004:L25)');

    const reshare = await expectEcsError(() => share(img, [c.id], [], b.ecs));
    assert.equal(reshare.code, 'InvalidImageId.NotFound');
    assert.equal(reshare.statusCode, 404);

    // The receiver launches an instance from the shared image (004:L25: in the source region only).
    const fromShared = await launch(s, { as: b, imageId: img });
    const launched = (await b.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: fromShared.instanceId }))).body!;
    assert.equal(launched.imageId, img);
    assert.equal(launched.status, 'Running');
    assert.equal((await disk(b.ecs, fromShared.systemDiskId))!.imageId, img);
    const otherRegion = await expectEcsError(() => b.ecs.runInstances(new $Ecs.RunInstancesRequest({
      regionId: 'cn-shanghai', imageId: img, instanceType: 'ecs.g7.large', vSwitchId: 'vsw-none', securityGroupId: 'sg-none',
    })));
    assert.equal(otherRegion.code, 'InvalidImageId.NotFound');
    assert.equal(otherRegion.statusCode, 404);

    // …and puts it on the system disk of an instance it already has.
    const bvm = await launch(s, { as: b });
    await stop(s, bvm.instanceId, b.ecs);
    const replaced = await b.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: bvm.instanceId, imageId: img }));
    const newDisk = replaced.body!.diskId!;
    assert.equal((await disk(b.ecs, newDisk))!.imageId, img);
    const attr = await b.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: bvm.instanceId }));
    assert.equal(attr.body!.imageId, img);

    let e = await expectEcsError(() => s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: img })));
    assert.equal(e.code, 'ImageUseShared');
    assert.equal(e.statusCode, 403);

    await share(img, [], [b.id]);
    const gone = await b.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, imageOwnerAlias: 'others' }));
    assert.equal(gone.body!.totalCount, 0);
    const n = await networkOf(b);
    e = await expectEcsError(() => b.ecs.runInstances(runRequest(n, { imageId: img })));
    assert.equal(e.code, 'InvalidImageId.NotFound', 'an unshared image no longer launches (000:L1694)');
    e = await expectEcsError(() => b.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: bvm.instanceId, imageId: img })));
    assert.equal(e.code, 'InvalidImageId.NotFound');
    assert.equal(e.statusCode, 404);
    e = await expectEcsError(() => b.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: newDisk })));
    assert.equal(e.code, 'SharedImageDeleted');
    assert.equal(e.statusCode, 403);
    assert.equal(await statusOfInstance(b.ecs, bvm.instanceId), 'Stopped', 'the receiver\'s instance keeps existing');

    e = await expectEcsError(() => s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: img })));
    assert.equal(e.code, 'ImageUsingByInstance');
    await s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: img, force: true }));
    // What happens to instances created from a deleted image: they keep running and keep the
    // image id; their system disk can no longer be re-initialized (000:L1695).
    assert.equal(await statusOfInstance(b.ecs, fromShared.instanceId), 'Running');
    assert.equal((await b.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: fromShared.instanceId }))).body!.imageId, img);
    await stop(s, fromShared.instanceId, b.ecs);
    e = await expectEcsError(() => b.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: fromShared.systemDiskId })));
    assert.equal(e.code, 'SharedImageDeleted');
    e = await expectEcsError(() => s.ecs.modifyImageSharePermission(new $Ecs.ModifyImageSharePermissionRequest({ regionId: R, imageId: 'aliyun_3_x64_20G_alibase_20240528.vhd', addAccount: [b.id] })));
    assert.equal(e.code, 'InvalidImageId.NotFound');
  });

  it('sharing limits: 10 accounts per call, 50 per image, 30 images per receiver; unknown and own accounts refused', async () => {
    const img = await fromSnapshot('popular');
    await s.advance(1000);
    const accounts: string[] = [];
    for (let i = 0; i < 51; i++) accounts.push((await createAccount(s.app.services.db, `many-${i}`, s.clock.now())).accountId);
    let e = await expectEcsError(() => share(img, accounts.slice(0, 11)));
    assert.equal(e.code, 'InvalidParameter');
    assert.equal(e.statusCode, 400);
    for (let i = 0; i < 50; i += 10) await share(img, accounts.slice(i, i + 10));
    e = await expectEcsError(() => share(img, [accounts[50]!]));
    assert.equal(e.code, 'QuotaExceed.ShareImageUser');
    assert.equal(e.statusCode, 403);
    const perm = await s.ecs.describeImageSharePermission(new $Ecs.DescribeImageSharePermissionRequest({ regionId: R, imageId: img, pageSize: 100 }));
    assert.equal(perm.body!.totalCount, 50);
    e = await expectEcsError(() => share(img, ['1234567890123456']));
    assert.equal(e.code, 'InvalidAccount.NotFound');
    assert.equal(e.statusCode, 404);
    const me = (await s.app.services.db.selectFrom('accounts').select('id').where('is_admin', '=', 1).executeTakeFirstOrThrow()).id;
    e = await expectEcsError(() => share(img, [me]));
    assert.equal(e.code, 'InvalidAccount.Forbbiden');

    // 30 images shared to one receiver: a second owner with a raised image quota gives 31.
    const owner = await account('prolific');
    await s.app.services.db.insertInto('quotas').values({ account_id: owner.id, name: 'images-per-region', value: 40 }).execute();
    const ovm = await launch(s, { as: owner });
    const osnap = await snap(s, ovm.systemDiskId, owner.ecs);
    const receiver = accounts[50]!;
    const imgs: string[] = [];
    for (let i = 0; i < 31; i++) imgs.push(await fromSnapshot(`img-${i}`, owner.ecs, osnap));
    await s.advance(1000);
    for (let i = 0; i < 30; i++) await share(imgs[i]!, [receiver], [], owner.ecs);
    e = await expectEcsError(() => share(imgs[30]!, [receiver], [], owner.ecs));
    assert.equal(e.code, 'QuotaExceed.ShareImage');
    assert.equal(e.statusCode, 403);
  });

  it('a region holds 30 custom images by default (SPEC.md); shared ones do not count', async () => {
    const owner = await account('quota-owner');
    const ovm = await launch(s, { as: owner });
    const osnap = await snap(s, ovm.systemDiskId, owner.ecs);
    const first = await fromSnapshot('q-0', owner.ecs, osnap);
    await s.advance(1000);
    await share(first, [vm.instanceId ? (await s.app.services.db.selectFrom('accounts').select('id').where('is_admin', '=', 1).executeTakeFirstOrThrow()).id : ''], [], owner.ecs);
    for (let i = 1; i < 30; i++) await fromSnapshot(`q-${i}`, owner.ecs, osnap);
    const e = await expectEcsError(() => fromSnapshot('q-30', owner.ecs, osnap));
    assert.equal(e.code, 'QuotaExceed.Image');
    assert.equal(e.statusCode, 403);
    const v2 = await expectEcsError(() => owner.ecsV2.createImage(new $Ecs.CreateImageRequest({ regionId: R, snapshotId: osnap, imageName: 'q-31' })));
    assert.equal(v2.code, 'QuotaExceed.Image');
  });

  it('change the system disk to a custom image', async () => {
    // User guide 000:L987–1080: stopped instance; new disk id, same IP; the old disk and its
    // automatic snapshots go, manual snapshots stay but cannot roll back the new disk.
    const img = await fromSnapshot('golden');
    await s.advance(1000);
    const vm2 = await launch(s);
    const before = (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: vm2.instanceId }))).body!;
    const manual = await snap(s, vm2.systemDiskId);
    let e = await expectEcsError(() => s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: vm2.instanceId, imageId: img })));
    assert.equal(e.code, 'IncorrectInstanceStatus');
    assert.equal(e.statusCode, 403);
    await stop(s, vm2.instanceId);
    e = await expectEcsError(() => s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: vm2.instanceId, imageId: 'm-nosuchimage000000000' })));
    assert.equal(e.code, 'InvalidImageId.NotFound');
    e = await expectEcsError(() => s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: vm2.instanceId, imageId: img, systemDisk: new $Ecs.ReplaceSystemDiskRequestSystemDisk({ size: 30 }) })));
    assert.equal(e.code, 'InvalidSystemDiskSize.LessThanImageSize');
    const r = await s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: vm2.instanceId, imageId: img, password: 'EcsV587!pass', systemDisk: new $Ecs.ReplaceSystemDiskRequestSystemDisk({ size: 60 }) }));
    const newDisk = r.body!.diskId!;
    assert.notEqual(newDisk, vm2.systemDiskId);
    const after = (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: vm2.instanceId }))).body!;
    assert.equal(after.imageId, img);
    assert.deepEqual(after.vpcAttributes?.privateIpAddress?.ipAddress, before.vpcAttributes?.privateIpAddress?.ipAddress, 'the IP address does not change (000:L991)');
    const sys = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: vm2.instanceId, diskType: 'system' }))).body!.disks!.disk!;
    assert.deepEqual(sys.map((d) => [d.diskId, d.device, d.size, d.status]), [[newDisk, '/dev/xvda', 60, 'In_use']]);
    assert.equal(await disk(s.ecs, vm2.systemDiskId), undefined, 'the old system disk is released (000:L1001)');
    assert.equal((await snapshot(s.ecs, manual))!.snapshotId, manual, 'manual snapshots are retained (000:L1000)');
    e = await expectEcsError(() => s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId: newDisk, snapshotId: manual })));
    assert.equal(e.code, 'InvalidParameter.Mismatch');
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: vm2.instanceId }));
    await s.advance(1000);
    await s.advance(1000);
    assert.equal(await statusOfInstance(s.ecs, vm2.instanceId), 'Running');
  });
});

async function statusOfInstance(ecs: EcsClientT, id: string): Promise<string> {
  const r = await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }));
  return r.body!.status!;
}
