/**
 * alicloud_image (terraform-calls.md §9): CreateImage from an instance, the wait on
 * `DescribeImages Status=ALL` (params in the URL query) until Usable, ModifyImageAttribute and
 * JoinResourceGroup with the id in the query, the wait on Description, and the delete with
 * `delete_auto_snapshot` (SDK DeleteSnapshot per mapping snapshot).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { fails, jsonList, ok, ProviderClient, refreshFrom, waitFor } from './provider-client.js';
import { expectCleanSuccess, expectFields } from './expect.js';

const tok = () => `tf-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

describe('alicloud_image: create → read → update → read → delete', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let instanceId = '';
  let imageId = '';
  let snapshots: string[] = [];
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    tf = ProviderClient.for(s);
    const n = await createNetwork(s);
    instanceId = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(5000);
  });
  after(async () => { await s.close(); });

  /** DescribeImages with every parameter in the URL query and an empty body. */
  const describeImage = (id: string) => tf.rpc('Ecs', 'DescribeImages', {}, { ImageId: id, RegionId: tf.region, Status: 'ALL' });
  const usable = (id: string) => refreshFrom(() => describeImage(id), (d) => (d.arr('Images.Image').length ? { found: true, state: String(d.plain('Images.Image[0].Usable')) } : { found: false }));

  it('CreateImage, then the wait (10 s delay) until Usable is true on DescribeImages Status=ALL', async () => {
    const d = ok(await tf.rpc('Ecs', 'CreateImage', {
      RegionId: tf.region, ClientToken: tok(), Tag: [{ Key: 'env', Value: 'tf' }], Description: 'by terraform',
      ImageName: 'tf-image', ImageVersion: '1', InstanceId: instanceId,
    }));
    expectCleanSuccess(d);
    imageId = d.str('ImageId');
    // While it is being made, Status=ALL must list it (an empty list would read as "gone").
    const first = ok(await describeImage(imageId));
    assert.equal(first.arr('Images.Image').length, 1, 'a Creating image is listed under Status=ALL');
    const states = await waitFor(s, { pending: [], target: ['true'], failStates: [], delayMs: 10_000, timeoutMs: 10 * 60_000, refresh: usable(imageId) });
    assert.equal(states.at(-1), 'true');
  });

  it('Read: every field the provider sets, Features an object, the mappings', async () => {
    const img = ok(await describeImage(imageId)).at('Images.Image[0]');
    expectFields(img, {
      ImageId: 's', Architecture: 's', BootMode: 's', CreationTime: 's', Description: 's', ImageFamily: 's', ImageName: 's',
      ImageVersion: 's', Platform: 's', ResourceGroupId: 's', Status: 's', Usable: 'b', Features: 'o', 'Features.NvmeSupport': 's',
      'DiskDeviceMappings.DiskDeviceMapping': 'a', 'Tags.Tag': 'a',
    }, 'Images.Image[0]');
    assert.equal(img.str('Status'), 'Available');
    assert.equal(img.str('ImageName'), 'tf-image');
    for (const m of img.items('DiskDeviceMappings.DiskDeviceMapping')) {
      expectFields(m, { Device: 's', Type: 's', Format: 's', ImportOSSObject: 's', ImportOSSBucket: 's', Progress: 's', RemainTime: 'i', Size: 's', SnapshotId: 's' }, 'DiskDeviceMapping[]');
    }
    snapshots = img.items('DiskDeviceMappings.DiskDeviceMapping').map((m) => m.str('SnapshotId')).filter(Boolean);
    assert.ok(snapshots.length >= 1);
    assert.deepEqual(img.plain('Tags.Tag'), [{ TagKey: 'env', TagValue: 'tf' }]);
  });

  it('update: ModifyImageAttribute and JoinResourceGroup (id in the query), tags, then the wait on Description', async () => {
    ok(await tf.rpc('Ecs', 'ModifyImageAttribute', { RegionId: tf.region, Description: 'changed', ImageName: 'tf-image-2', ImageFamily: 'tf-family' }, { ImageId: imageId }));
    const rg = ok(await tf.rpc('ResourceManager', 'CreateResourceGroup', { Name: 'tf-img-rg', DisplayName: 'img rg' })).str('ResourceGroup.Id');
    ok(await tf.rpc('Ecs', 'JoinResourceGroup', { RegionId: tf.region, ResourceGroupId: rg, ResourceType: 'image' }, { ResourceId: imageId }));
    ok(await tf.rpc('Ecs', 'UntagResources', { ResourceType: 'image', ResourceId: [imageId], RegionId: tf.region, TagKey: ['env'] }));
    ok(await tf.rpc('Ecs', 'TagResources', { ResourceType: 'image', ResourceId: [imageId], RegionId: tf.region, Tag: [{ Key: 'os', Value: 'linux' }] }));
    await waitFor(s, {
      pending: [], target: ['changed'], timeoutMs: 10 * 60_000,
      refresh: refreshFrom(() => describeImage(imageId), (d) => (d.arr('Images.Image').length ? { found: true, state: d.str('Images.Image[0].Description') } : { found: false })),
    });
    const img = ok(await describeImage(imageId)).at('Images.Image[0]');
    assert.equal(img.str('ImageName'), 'tf-image-2');
    assert.equal(img.str('ImageFamily'), 'tf-family');
    assert.equal(img.str('ResourceGroupId'), rg);
    assert.deepEqual(img.plain('Tags.Tag'), [{ TagKey: 'os', TagValue: 'linux' }]);
  });

  it('delete: SDK DescribeImages (Status list), RPC DeleteImage (id in the query), wait until not found, SDK DeleteSnapshot per mapping', async () => {
    assert.ok(snapshots.length >= 1, 'the Read found the mapping snapshots');
    const pre = ok(await tf.sdk('DescribeImages', { ImageId: imageId, Status: 'Creating,Waiting,Available,UnAvailable,CreateFailed' }));
    assert.equal(pre.arr('Images.Image').length, 1);
    ok(await tf.rpc('Ecs', 'DeleteImage', { RegionId: tf.region, Force: false }, { ImageId: imageId }));
    await waitFor(s, { pending: [], target: [], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: usable(imageId) });
    for (const snap of snapshots) ok(await tf.sdk('DeleteSnapshot', { SnapshotId: snap, Force: true }));
    const left = ok(await tf.rpc('Ecs', 'DescribeSnapshots', { SnapshotIds: jsonList(snapshots), RegionId: tf.region }));
    assert.deepEqual(left.arr('Snapshots.Snapshot'), []);
    const again = fails(await tf.rpc('Ecs', 'DeleteImage', { RegionId: tf.region, Force: false }, { ImageId: imageId }));
    assert.ok(again.isNotFound || /NotFound/.test(again.code), again.describe());
  });
});
