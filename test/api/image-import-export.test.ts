/**
 * ImportImage / ExportImage through the server's local object store, tracked by DescribeTasks,
 * DescribeTaskAttribute and CancelTask (000:L1735–1865, 002:L2729–2898). Files go in and come
 * out with the OpenECS extension actions PutObject / GetObject / ListObjects (Version 2026-11-01).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type EcsClientT, type TestServer } from '../helpers/server.js';
import { ObjectStore } from '../../src/store/objects.js';
import { R, disksOf, image, launch, otherAccount, snap, snapshot, type Launched } from './storage-fixtures.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
const GIB = 1024n ** 3n;

/** The first bytes of a qcow2 file: magic, version 3, virtual size at offset 24. */
function qcow2(virtualGiB: number): Buffer {
  const b = Buffer.alloc(1024);
  b.write('QFI\xfb', 0, 'latin1');
  b.writeUInt32BE(3, 4);
  b.writeBigUInt64BE(BigInt(virtualGiB) * GIB, 24);
  return b;
}

/** A fixed VHD: data, then the 512-byte `conectix` footer with the current size at offset 48. */
function vhd(virtualGiB: number): Buffer {
  const footer = Buffer.alloc(512);
  footer.write('conectix', 0, 'latin1');
  footer.writeBigUInt64BE(BigInt(virtualGiB) * GIB, 48);
  return Buffer.concat([Buffer.alloc(2048, 1), footer]);
}

describe('image import and export', () => {
  let s: TestServer;
  let ext: InstanceType<typeof PopCore>;
  let vm: Launched;
  let sysSnap: string;

  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    vm = await launch(s, { dataDisks: 1 });
    sysSnap = await snap(s, vm.systemDiskId);
    await put('images', 'ubuntu.qcow2', qcow2(3));
    await put('images', 'win.vhd', vhd(30));
    await put('images', 'empty.raw', Buffer.alloc(0));
    await put('images', 'tools.iso', Buffer.from('CD001'));
  });
  after(async () => { await s.close(); });

  const call = (action: string, params: Record<string, unknown>, client = ext): Promise<any> => client.request(action, params, { method: 'POST' });
  async function fails(action: string, params: Record<string, unknown>, client = ext): Promise<[string, number]> {
    try {
      await call(action, params, client);
    } catch (e: any) {
      return [e.code, e.entry?.response?.statusCode];
    }
    throw new Error(`${action} succeeded`);
  }
  const put = (bucket: string, key: string, data: Buffer, regionId = R, client = ext) =>
    call('PutObject', { RegionId: regionId, Bucket: bucket, Key: key, Content: data.toString('base64') }, client);
  const mapping = (extra: Record<string, unknown> = {}) => new $Ecs.ImportImageRequestDiskDeviceMapping({ OSSBucket: 'images', OSSObject: 'ubuntu.qcow2', ...extra });
  const importImage = (extra: Record<string, unknown> = {}, ecs: EcsClientT = s.ecs) =>
    ecs.importImage(new $Ecs.ImportImageRequest({ regionId: R, OSType: 'linux', platform: 'Ubuntu', architecture: 'x86_64', diskDeviceMapping: [mapping()], ...extra }));
  const task = async (taskId: string) => (await s.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: R, taskId }))).body!;

  it('the object store keeps objects as files under <dataDir>/oss/<bucket>/<key>, per account and region', async () => {
    const r = await put('notes', 'dir/a.txt', Buffer.from('hello'));
    assert.equal(r.Size, 5);
    assert.equal(r.ETag, '5D41402ABC4B2A76B9719D911017C592');
    const root = ObjectStore.of(s.app.services.db, ':memory:').root;
    assert.equal(readFileSync(join(root, 'notes', 'dir', 'a.txt'), 'utf8'), 'hello');
    const got = await call('GetObject', { Bucket: 'notes', Key: 'dir/a.txt' });
    assert.equal(Buffer.from(got.Content, 'base64').toString(), 'hello');
    const list = await call('ListObjects', { Bucket: 'notes', Prefix: 'dir/' });
    assert.deepEqual(list.Objects.Object.map((o: any) => [o.Key, o.Size]), [['dir/a.txt', 5]]);
    assert.equal(list.RegionId, R);

    assert.deepEqual(await fails('GetObject', { Bucket: 'notes', Key: 'dir/missing' }), ['InvalidOSSObject.NotFound', 404]);
    assert.deepEqual(await fails('GetObject', { Bucket: 'nobucket', Key: 'x' }), ['InvalidOSSBucket.NotFound', 404]);
    assert.deepEqual(await fails('PutObject', { RegionId: R, Bucket: 'Bad_Bucket', Key: 'x', Content: '' }), ['InvalidOSSBucket.Malformed', 400]);
    assert.deepEqual(await fails('PutObject', { RegionId: R, Bucket: 'notes', Key: '../escape', Content: '' }), ['InvalidOSSObject.Malformed', 400]);
    assert.deepEqual(await fails('PutObject', { RegionId: R, Bucket: 'notes', Key: 'x', Content: 'not base64!' }), ['InvalidContent.Malformed', 400]);
    assert.deepEqual(await fails('PutObject', { RegionId: 'cn-shanghai', Bucket: 'notes', Key: 'x', Content: '' }), ['InvalidOSSBucket.NotMatched', 400]);
    assert.equal(existsSync(join(root, 'escape')), false);

    const b = await otherAccount(s, 'oss-stranger');
    const theirs = new Pop({ ...b.creds, endpoint: s.url, apiVersion: '2026-11-01' });
    assert.deepEqual(await fails('GetObject', { Bucket: 'notes', Key: 'dir/a.txt' }, theirs), ['InvalidOSS.NotAuthorized', 403]);
    assert.deepEqual(await fails('PutObject', { RegionId: R, Bucket: 'notes', Key: 'b', Content: '' }, theirs), ['InvalidOSS.NotAuthorized', 403]);
  });

  it('import an image: Waiting → Creating → Available, tracked by its task', async () => {
    const r = await importImage({ imageName: 'imported-ubuntu', description: 'from a qcow2 file', diskDeviceMapping: [mapping({ format: 'QCOW2', diskImageSize: 20 })] });
    const imageId = r.body!.imageId!;
    const taskId = r.body!.taskId!;
    assert.match(imageId, /^m-[a-z0-9]{20}$/);
    assert.match(taskId, /^t-[a-z0-9]{20}$/);
    assert.equal(r.body!.regionId, R);
    assert.equal((await image(s.ecs, imageId))!.status, 'Waiting');
    let t = await task(taskId);
    assert.deepEqual([t.taskAction, t.taskStatus, t.taskProcess, t.supportCancel, t.finishedTime], ['ImportImage', 'Processing', '0%', 'true', '']);
    assert.match(t.creationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    const e = await expectEcsError(() => s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId })));
    assert.deepEqual([e.code, e.statusCode], ['ImageIsImporting', 403]);

    await s.advance(1000);
    assert.equal((await image(s.ecs, imageId))!.status, 'Creating');
    assert.equal((await task(taskId)).taskProcess, '33%');
    await s.advance(2000);
    const m = (await image(s.ecs, imageId))!;
    assert.equal(m.status, 'Available');
    assert.deepEqual([m.OSType, m.platform, m.architecture, m.bootMode, m.size, m.imageName], ['linux', 'Ubuntu', 'x86_64', 'BIOS', 20, 'imported-ubuntu']);
    const dm = m.diskDeviceMappings!.diskDeviceMapping!;
    assert.deepEqual(dm.map((x) => [x.device, x.type, x.size, x.format, x.importOSSBucket, x.importOSSObject]), [['/dev/xvda', 'system', '20', 'QCOW2', 'images', 'ubuntu.qcow2']]);
    assert.equal((await snapshot(s.ecs, dm[0]!.snapshotId!))!.status, 'accomplished', 'an imported image is held by a snapshot, as ECS shows');
    t = await task(taskId);
    assert.deepEqual([t.taskStatus, t.taskProcess, t.supportCancel, t.successCount, t.failedCount], ['Finished', '100%', 'false', 1, 0]);
    assert.match(t.finishedTime!, /Z$/);
    assert.deepEqual(t.operationProgressSet!.operationProgress![0]!.relatedItemSet!.relatedItem!.map((i) => [i.name, i.value]), [['ImageId', imageId]]);

    // The imported image launches instances: its snapshot is the system disk's source.
    const made = await launch(s, { imageId });
    const sys = (await disksOf(s.ecs, made.instanceId))[0]!;
    assert.deepEqual([sys.imageId, sys.sourceSnapshotId], [imageId, dm[0]!.snapshotId]);

    // Without DiskImageSize the size is the file's virtual size, at least 5 GiB; a VHD is recognised by its footer.
    const w = await importImage({ OSType: 'windows', platform: 'Windows Server 2019', diskDeviceMapping: [mapping({ OSSObject: 'win.vhd' })] });
    const small = await importImage({ imageName: 'tiny', diskDeviceMapping: [mapping()] });
    await s.advance(3000);
    const wm = (await image(s.ecs, w.body!.imageId!))!;
    assert.deepEqual([wm.status, wm.OSType, wm.size, wm.diskDeviceMappings!.diskDeviceMapping![0]!.format], ['Available', 'windows', 30, 'VHD']);
    assert.equal((await image(s.ecs, small.body!.imageId!))!.size, 5);
  });

  it('ImportImage refusals carry the documented codes', async () => {
    const b = await otherAccount(s, 'import-stranger');
    const theirs = new Pop({ ...b.creds, endpoint: s.url, apiVersion: '2026-11-01' });
    await put('their-images', 'disk.qcow2', qcow2(3), R, theirs);
    await put('shanghai-images', 'disk.qcow2', qcow2(3), 'cn-shanghai');
    await importImage({ imageName: 'taken-name' });
    const cases: [Record<string, unknown>, string, number][] = [
      [{ diskDeviceMapping: [] }, 'MissingParameter.DiskDeviceMapping', 403],
      [{ diskDeviceMapping: [mapping({ OSSBucket: 'no-such-bucket' })] }, 'InvalidOSSBucket.NotFound', 400],
      [{ diskDeviceMapping: [mapping({ OSSBucket: 'shanghai-images', OSSObject: 'disk.qcow2' })] }, 'InvalidOSSBucket.NotFound', 400],
      [{ diskDeviceMapping: [mapping({ OSSBucket: 'their-images', OSSObject: 'disk.qcow2' })] }, 'InvalidOSS.NotAuthorized', 403],
      [{ diskDeviceMapping: [mapping({ OSSBucket: 'Bad_Bucket' })] }, 'InvalidOSSBucket.Malformed', 400],
      [{ diskDeviceMapping: [mapping({ OSSObject: 'missing.qcow2' })] }, 'InvalidOSSObject.NotFound', 400],
      [{ diskDeviceMapping: [mapping({ OSSObject: 'empty.raw' })] }, 'InvalidOSSObject.Size', 400],
      [{ diskDeviceMapping: [mapping({ OSSObject: 'tools.iso' })] }, 'UnsupportedSuffix.OSSObject', 400],
      [{ diskDeviceMapping: [mapping({ format: 'VMDK' })] }, 'InvalidImageFormat.Malformed', 400],
      [{ diskDeviceMapping: [mapping({ diskImageSize: 600 })] }, 'InvalidImageSize', 400],
      [{ diskDeviceMapping: [mapping({ diskImageSize: 2 })] }, 'InvalidImageSize', 400],
      [{ diskDeviceMapping: [mapping(), mapping({ diskImageSize: 3000 })] }, 'InvalidDataDiskSize', 400],
      [{ diskDeviceMapping: [mapping({ device: '/dev/xvdb' })] }, 'InvalidParameter.Malformed', 403],
      [{ architecture: 'sparc' }, 'InvalidArchitecture.Malformed', 400],
      [{ OSType: 'beos' }, 'InvalidOSType.Malformed', 400],
      [{ platform: 'Plan9' }, 'InvalidPlatform.Malformed', 400],
      [{ OSType: 'linux', platform: 'Windows Server 2019' }, 'InvalidPlatform.Malformed', 400],
      [{ architecture: 'arm64', bootMode: 'BIOS' }, 'InvalidBootMode.NotSupport', 400],
      [{ bootMode: 'Legacy' }, 'InvalidBootMode.Malformed', 400],
      [{ licenseType: 'Free' }, 'InvalidLicenseType.NotSupported', 400],
      [{ imageName: 'aliyun-mine' }, 'InvalidImageName.Malformed', 400],
      [{ imageName: 'taken-name' }, 'InvalidImageName.Duplicated', 400],
    ];
    for (const [req, code, status] of cases) {
      const e = await expectEcsError(() => importImage(req));
      assert.deepEqual([e.code, e.statusCode], [code, status], JSON.stringify(req).slice(0, 120));
    }
  });

  it('an import whose file is not the Format given fails: task Failed, image CreateFailed', async () => {
    const r = await importImage({ imageName: 'wrong-format', diskDeviceMapping: [mapping({ format: 'RAW' })] });
    await s.advance(3000);
    const t = await task(r.body!.taskId!);
    assert.deepEqual([t.taskStatus, t.failedCount, t.supportCancel], ['Failed', 1, 'false']);
    const op = t.operationProgressSet!.operationProgress![0]!;
    assert.deepEqual([op.operationStatus, op.errorCode], ['Failed', 'ImportImageFailed']);
    assert.match(op.errorMsg!, /QCOW2/);
    assert.equal((await image(s.ecs, r.body!.imageId!))!.status, 'CreateFailed');
    await s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: r.body!.imageId! }));
    assert.equal(await image(s.ecs, r.body!.imageId!), undefined);
  });

  it('CancelTask stops an import and removes its image; only running import/export tasks cancel', async () => {
    const r = await importImage({ imageName: 'to-cancel' });
    const imageId = r.body!.imageId!;
    const snapId = (await image(s.ecs, imageId))!.diskDeviceMappings!.diskDeviceMapping![0]!.snapshotId!;
    await s.advance(1000);
    await s.ecs.cancelTask(new $Ecs.CancelTaskRequest({ regionId: R, taskId: r.body!.taskId! }));
    assert.equal(await image(s.ecs, imageId), undefined);
    assert.equal(await snapshot(s.ecs, snapId), undefined);
    const t = await task(r.body!.taskId!);
    assert.deepEqual([t.taskStatus, t.supportCancel], ['Cancelled', 'false']);
    await s.advance(5000);
    assert.equal((await task(r.body!.taskId!)).taskStatus, 'Cancelled', 'the engine leaves a cancelled task alone');
    let e = await expectEcsError(() => s.ecs.cancelTask(new $Ecs.CancelTaskRequest({ regionId: R, taskId: r.body!.taskId! })));
    assert.deepEqual([e.code, e.statusCode], ['InvalidTaskId.IncorrectTaskStatus', 403]);
    e = await expectEcsError(() => s.ecs.cancelTask(new $Ecs.CancelTaskRequest({ regionId: R, taskId: 't-nosuchtask000000000' })));
    assert.deepEqual([e.code, e.statusCode], ['InvalidTaskId.NotFound', 400]);
    e = await expectEcsError(() => s.ecs.describeTaskAttribute(new $Ecs.DescribeTaskAttributeRequest({ regionId: 'cn-shanghai', taskId: r.body!.taskId! })));
    assert.deepEqual([e.code, e.statusCode], ['InvalidTaskId.NotFound', 400], 'tasks are regional');
  });

  it('export an image: the object <prefix>_<imageId>_<taskId>.<format> appears in the bucket', async () => {
    const img = (await s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, snapshotId: sysSnap, imageName: 'to-export' }))).body!.imageId!;
    let e = await expectEcsError(() => s.ecs.exportImage(new $Ecs.ExportImageRequest({ regionId: R, imageId: img, OSSBucket: 'images' })));
    assert.deepEqual([e.code, e.statusCode], ['IncorrectImageStatus', 400]);
    await s.advance(1000);
    await put('exports', 'README', Buffer.from('exports land here'));
    const r = await s.ecs.exportImage(new $Ecs.ExportImageRequest({ regionId: R, imageId: img, OSSBucket: 'exports', OSSPrefix: 'backup', imageFormat: 'qcow2' }));
    const taskId = r.body!.taskId!;
    assert.match(taskId, /^t-/);
    let t = await task(taskId);
    assert.deepEqual([t.taskAction, t.taskStatus, t.supportCancel], ['ExportImage', 'Processing', 'true']);
    e = await expectEcsError(() => s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: img })));
    assert.deepEqual([e.code, e.statusCode], ['ImageIsExporting', 403]);
    e = await expectEcsError(() => s.ecs.exportImage(new $Ecs.ExportImageRequest({ regionId: R, imageId: img, OSSBucket: 'exports' })));
    assert.deepEqual([e.code, e.statusCode], ['ImageIsExporting', 403]);
    await s.advance(1000);
    assert.equal((await task(taskId)).taskProcess, '50%');
    await s.advance(1000);
    t = await task(taskId);
    assert.deepEqual([t.taskStatus, t.taskProcess], ['Finished', '100%']);
    const items = Object.fromEntries(t.operationProgressSet!.operationProgress![0]!.relatedItemSet!.relatedItem!.map((i) => [i.name, i.value]));
    const key = `backup_${img}_${taskId}.qcow2`;
    assert.deepEqual(items, { ImageId: img, OSSBucket: 'exports', OSSObject: key });
    const list = await call('ListObjects', { Bucket: 'exports' });
    assert.deepEqual(list.Objects.Object.map((o: any) => o.Key).sort(), ['README', key]);
    // On the sim driver the file is a descriptor of the image (there are no disk bytes to write).
    const got = JSON.parse(Buffer.from((await call('GetObject', { Bucket: 'exports', Key: key })).Content, 'base64').toString());
    assert.match(got.openecsExport, /descriptor/);
    assert.deepEqual([got.imageId, got.format, got.sizeGiB], [img, 'qcow2', 40]);

    // The exported file imports again (the round trip of 002:L2850 "for testing or an offline private cloud").
    const back = await importImage({ imageName: 'round-trip', diskDeviceMapping: [mapping({ OSSBucket: 'exports', OSSObject: key })] });
    await s.advance(3000);
    assert.equal((await image(s.ecs, back.body!.imageId!))!.status, 'Available');
  });

  it('ExportImage refusals and a cancelled export writes nothing', async () => {
    const withData = (await s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, instanceId: vm.instanceId, imageName: 'has-data' }))).body!.imageId!;
    const plain = (await s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, snapshotId: sysSnap, imageName: 'plain-export' }))).body!.imageId!;
    await s.advance(3000);
    await s.advance(1000);
    assert.equal((await image(s.ecs, withData))!.status, 'Available');
    const cases: [Record<string, unknown>, string, number][] = [
      [{ imageId: withData, OSSBucket: 'exports' }, 'OperationDenied', 400],
      [{ imageId: 'aliyun_3_x64_20G_alibase_20240528.vhd', OSSBucket: 'exports' }, 'InvalidImageCategory.NotSupported', 403],
      [{ imageId: 'm-nosuchimage000000000', OSSBucket: 'exports' }, 'InvalidImageId.NotFound', 404],
      [{ imageId: plain, OSSBucket: 'no-such-bucket' }, 'InvalidOSSBucket.NotFound', 400],
      [{ imageId: plain, OSSBucket: 'exports', OSSPrefix: 'bad_prefix' }, 'InvalidOSSPrefix.Malformed', 400],
      [{ imageId: plain, OSSBucket: 'exports', imageFormat: 'iso' }, 'InvalidImageFormat.Malformed', 400],
    ];
    for (const [req, code, status] of cases) {
      const e = await expectEcsError(() => s.ecs.exportImage(new $Ecs.ExportImageRequest({ regionId: R, ...req })));
      assert.deepEqual([e.code, e.statusCode], [code, status], JSON.stringify(req));
    }
    const r = await s.ecs.exportImage(new $Ecs.ExportImageRequest({ regionId: R, imageId: plain, OSSBucket: 'exports', OSSPrefix: 'never' }));
    await s.ecs.cancelTask(new $Ecs.CancelTaskRequest({ regionId: R, taskId: r.body!.taskId! }));
    await s.advance(5000);
    const list = await call('ListObjects', { Bucket: 'exports', Prefix: 'never' });
    assert.deepEqual(list.Objects.Object, []);
    // The default format is raw (002:L2862), and no prefix is needed.
    const raw = await s.ecs.exportImage(new $Ecs.ExportImageRequest({ regionId: R, imageId: plain, OSSBucket: 'exports' }));
    await s.advance(2000);
    const items = (await task(raw.body!.taskId!)).operationProgressSet!.operationProgress![0]!.relatedItemSet!.relatedItem!;
    assert.equal(items.find((i) => i.name === 'OSSObject')!.value, `${plain}_${raw.body!.taskId}.raw`);
  });

  it('DescribeTasks: TaskIds, TaskAction, TaskStatus, ResourceIds, time range and paging', async () => {
    const all = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, pageSize: 100 }));
    const tasks = all.body!.taskSet!.task!;
    assert.ok(tasks.length >= 8);
    assert.equal(all.body!.totalCount, tasks.length);
    const imports = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, taskAction: 'ImportImage', pageSize: 100 }));
    assert.ok(imports.body!.taskSet!.task!.every((t) => t.taskAction === 'ImportImage'));
    assert.equal(imports.body!.totalCount, tasks.filter((t) => t.taskAction === 'ImportImage').length);
    const failed = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, taskStatus: 'Failed' }));
    assert.deepEqual(failed.body!.taskSet!.task!.map((t) => t.taskStatus), ['Failed']);
    // "只支持查询状态为Finished、Processing和Failed的任务，填入其他取值将不会生效".
    const ignored = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, taskStatus: 'Cancelled', pageSize: 100 }));
    assert.equal(ignored.body!.totalCount, tasks.length);
    const two = tasks.slice(0, 2).map((t) => t.taskId!);
    const byIds = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, taskIds: two.join(',') }));
    assert.deepEqual(byIds.body!.taskSet!.task!.map((t) => t.taskId).sort(), [...two].sort());
    const byResource = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, resourceIds: [tasks[0]!.resourceId!] }));
    assert.ok(byResource.body!.taskSet!.task!.every((t) => t.resourceId === tasks[0]!.resourceId));
    const page2 = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, pageSize: 3, pageNumber: 2 }));
    assert.deepEqual(page2.body!.taskSet!.task!.map((t) => t.taskId), tasks.slice(3, 6).map((t) => t.taskId));
    assert.deepEqual([page2.body!.pageNumber, page2.body!.pageSize], [2, 3]);
    const future = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, startTime: '2099-01-01T00:00:00Z' }));
    assert.equal(future.body!.totalCount, 0);
    const past = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R, endTime: '2020-01-01T00:00:00Z' }));
    assert.equal(past.body!.totalCount, 0);
    const elsewhere = await s.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: 'cn-shanghai' }));
    assert.equal(elsewhere.body!.totalCount, 0);
    const b = await otherAccount(s, 'task-stranger');
    const theirs = await b.ecs.describeTasks(new $Ecs.DescribeTasksRequest({ regionId: R }));
    assert.equal(theirs.body!.totalCount, 0, 'tasks are per account');
  });
});
