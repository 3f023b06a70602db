/**
 * Tags everywhere (issue 4 item 6): every Describe* action whose metadata declares `Tag.N` filters
 * by tags, and deleting or releasing each resource type drops its tags. One resource of each type
 * is tagged with TagResources next to an untagged twin; each Describe* with Tag.N must return
 * exactly the tagged one.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { launch, snap, R } from './storage-fixtures.js';

interface Kind {
  type: string;
  /** Creates one resource; returns its id as ListTagResources names it. */
  make(): Promise<string>;
  /** Describe* with Tag.N: the ids it answers. */
  find(tag: { key: string; value?: string }[]): Promise<string[]>;
  remove(id: string): Promise<void>;
}

describe('the Tag.N filter of every Describe* and tag removal on delete', () => {
  let s: TestServer;
  let zoneId: string;
  let sysDisk: string;
  let n = 0;
  const made = new Map<string, [string, string]>();

  const kinds = (): Kind[] => [
    {
      type: 'instance',
      async make() { return (await launch(s)).instanceId; },
      async find(tag) {
        const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, tag: tag.map((t) => new $Ecs.DescribeInstancesRequestTag(t)) }));
        return r.body!.instances!.instance!.map((x) => x.instanceId!);
      },
      async remove(id) {
        await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
        await s.advance(2000);
      },
    },
    {
      type: 'disk',
      async make() {
        return (await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId, diskCategory: 'cloud_essd', size: 20 }))).body!.diskId!;
      },
      async find(tag) {
        const r = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, tag: tag.map((t) => new $Ecs.DescribeDisksRequestTag(t)) }));
        return r.body!.disks!.disk!.map((x) => x.diskId!);
      },
      async remove(id) { await s.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: id })); },
    },
    {
      type: 'snapshot',
      async make() { return snap(s, sysDisk, s.ecs, `tagged-${++n}`); },
      async find(tag) {
        const r = await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, tag: tag.map((t) => new $Ecs.DescribeSnapshotsRequestTag(t)) }));
        return r.body!.snapshots!.snapshot!.map((x) => x.snapshotId!);
      },
      async remove(id) { await s.ecs.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id })); },
    },
    {
      type: 'image',
      async make() {
        const snapshotId = await snap(s, sysDisk, s.ecs, `for-image-${++n}`);
        const r = await s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: R, snapshotId, imageName: `tagged-${n}` }));
        await s.advance(2000);
        return r.body!.imageId!;
      },
      async find(tag) {
        const r = await s.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, pageSize: 100, tag: tag.map((t) => new $Ecs.DescribeImagesRequestTag(t)) }));
        return r.body!.images!.image!.map((x) => x.imageId!);
      },
      async remove(id) { await s.ecs.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: id })); },
    },
    {
      type: 'securitygroup',
      async make() {
        const vpcId = (await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R }))).body!.vpcs!.vpc![0]!.vpcId!;
        return (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId }))).body!.securityGroupId!;
      },
      async find(tag) {
        const r = await s.ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, tag: tag.map((t) => new $Ecs.DescribeSecurityGroupsRequestTag(t)) }));
        return r.body!.securityGroups!.securityGroup!.map((x) => x.securityGroupId!);
      },
      async remove(id) { await s.ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId: id })); },
    },
    {
      type: 'keypair',
      async make() {
        return (await s.ecs.createKeyPair(new $Ecs.CreateKeyPairRequest({ regionId: R, keyPairName: `tagged-${++n}` }))).body!.keyPairName!;
      },
      async find(tag) {
        const r = await s.ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: R, tag: tag.map((t) => new $Ecs.DescribeKeyPairsRequestTag(t)) }));
        return r.body!.keyPairs!.keyPair!.map((x) => x.keyPairName!);
      },
      async remove(id) { await s.ecs.deleteKeyPairs(new $Ecs.DeleteKeyPairsRequest({ regionId: R, keyPairNames: JSON.stringify([id]) })); },
    },
    {
      type: 'snapshotpolicy',
      async make() {
        return (await s.ecs.createAutoSnapshotPolicy(new $Ecs.CreateAutoSnapshotPolicyRequest({
          regionId: R, autoSnapshotPolicyName: `tagged-${++n}`, timePoints: '["1"]', repeatWeekdays: '["1"]', retentionDays: 7,
        }))).body!.autoSnapshotPolicyId!;
      },
      async find(tag) {
        const r = await s.ecs.describeAutoSnapshotPolicyEx(new $Ecs.DescribeAutoSnapshotPolicyExRequest({ regionId: R, tag: tag.map((t) => new $Ecs.DescribeAutoSnapshotPolicyExRequestTag(t)) }));
        return r.body!.autoSnapshotPolicies!.autoSnapshotPolicy!.map((x) => x.autoSnapshotPolicyId!);
      },
      async remove(id) { await s.ecs.deleteAutoSnapshotPolicy(new $Ecs.DeleteAutoSnapshotPolicyRequest({ regionId: R, autoSnapshotPolicyId: id })); },
    },
  ];

  before(async () => {
    s = await startTestServer();
    const vm = await launch(s);
    zoneId = vm.zoneId;
    sysDisk = vm.systemDiskId;
    for (const k of kinds()) {
      const tagged = await k.make();
      const twin = await k.make();
      made.set(k.type, [tagged, twin]);
      await s.ecs.tagResources(new $Ecs.TagResourcesRequest({
        regionId: R, resourceType: k.type, resourceId: [tagged],
        tag: [new $Ecs.TagResourcesRequestTag({ key: 'filter-test', value: k.type }), new $Ecs.TagResourcesRequestTag({ key: 'shared', value: 'yes' })],
      }));
      // The twin carries the shared key with another value only.
      await s.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: R, resourceType: k.type, resourceId: [twin], tag: [new $Ecs.TagResourcesRequestTag({ key: 'shared', value: 'no' })] }));
    }
  });
  after(async () => { await s.close(); });

  for (const k of kinds()) {
    it(`${k.type}: Describe* with Tag.N returns exactly the tagged resource`, async () => {
      const [tagged, twin] = made.get(k.type)!;
      assert.deepEqual(await k.find([{ key: 'filter-test', value: k.type }]), [tagged]);
      assert.deepEqual(await k.find([{ key: 'filter-test' }]), [tagged], 'a key alone matches any value');
      assert.deepEqual(await k.find([{ key: 'shared', value: 'no' }]), [twin]);
      assert.deepEqual(await k.find([{ key: 'filter-test', value: k.type }, { key: 'shared', value: 'yes' }]), [tagged], 'several tags: all must match');
      assert.deepEqual(await k.find([{ key: 'filter-test', value: k.type }, { key: 'shared', value: 'no' }]), []);
      assert.deepEqual(await k.find([{ key: 'filter-test', value: 'other' }]), []);
      if (['disk', 'snapshot', 'securitygroup'].includes(k.type)) {
        // A Tag.N without a Key filters nothing (it once reached the query as `key = undefined` and matched nothing).
        const keyless = await k.find([{ value: 'yes' } as { key: string; value: string }]);
        assert.ok(keyless.includes(tagged) && keyless.includes(twin), keyless.join(','));
      }
    });
  }

  for (const k of kinds()) {
    it(`${k.type}: deleting it removes its tags`, async () => {
      const [tagged] = made.get(k.type)!;
      const list = async () => (await s.ecs.listTagResources(new $Ecs.ListTagResourcesRequest({
        regionId: R, resourceType: k.type, tag: [new $Ecs.ListTagResourcesRequestTag({ key: 'filter-test', value: k.type })],
      }))).body!.tagResources!.tagResource!;
      // The resource carrying the tag, with all its tags.
      assert.deepEqual((await list()).map((t) => `${t.resourceId} ${t.tagKey}`).sort(), [`${tagged} filter-test`, `${tagged} shared`]);
      await k.remove(tagged);
      assert.deepEqual(await list(), []);
      // Not only hidden: the rows are gone (a tag key pair's stored id differs from its name).
      const rows = await s.app.services.db.selectFrom('tags').select(['resource_id', 'value'])
        .where('account_id', '=', s.app.root.accountId).where('resource_type', '=', k.type).where('key', '=', 'filter-test').execute();
      assert.deepEqual(rows, []);
    });
  }
});
