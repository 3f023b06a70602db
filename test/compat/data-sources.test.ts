/**
 * The data sources (terraform-calls.md §20): zones, images, instance_types, instances, regions,
 * vpcs, vswitches, security_groups, key_pairs, disks, with the provider's paging loops, joins and
 * the answers that make it fail (an instance without a private IP, one missing from
 * DescribeInstanceRamRole, a LocalStorageCapacity that is not a number).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { jsonList, ok, ProviderClient } from './provider-client.js';
import { expectCleanSuccess, expectFields } from './expect.js';
import type { Doc } from './json.js';
import { KEYS } from '../unit/ssh-keys.fixture.js';

describe('data sources', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let n: Network;
  let instances: string[] = [];
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    tf = ProviderClient.for(s);
    n = await createNetwork(s);
    await s.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: tf.region, keyPairName: 'ds-key', publicKeyBody: KEYS.ed25519 }));
    instances = (await s.ecs.runInstances(runRequest(n, { amount: 3, keyPairName: 'ds-key' }))).body!.instanceIdSets!.instanceIdSet!;
    await s.advance(5000);
  });
  after(async () => { await s.close(); });

  it('alicloud_zones: SDK DescribeAvailableResource (Zone) ∩ SDK DescribeZones with instance types and disk categories', async () => {
    const a = ok(await tf.sdk('DescribeAvailableResource', { DestinationResource: 'Zone', IoOptimized: 'optimized', InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot' }));
    const avail = a.items('AvailableZones.AvailableZone').filter((z) => z.str('Status') !== 'SoldOut').map((z) => z.str('ZoneId'));
    assert.ok(avail.length > 0, 'an empty zone list is an error for the provider');
    const z = ok(await tf.sdk('DescribeZones', { InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot' }));
    const usable = z.items('Zones.Zone').filter((zone) => {
      expectFields(zone, { ZoneId: 's', LocalName: 's', 'AvailableResourceCreation.ResourceTypes': 'a', 'AvailableInstanceTypes.InstanceTypes': 'a', 'AvailableDiskCategories.DiskCategories': 'a' }, 'Zones.Zone[]');
      return avail.includes(zone.str('ZoneId')) && zone.arr('AvailableInstanceTypes.InstanceTypes').length > 0 && zone.arr('AvailableDiskCategories.DiskCategories').length > 0;
    });
    assert.ok(usable.length > 0, 'no zone passes the provider\'s filter');
    assert.ok(usable.some((zone) => zone.str('ZoneId') === n.zoneId));
  });

  it('alicloud_images: SDK DescribeImages paged with PageSize=100 until a page has < 50, then SDK DescribeTags per image', async () => {
    const seen: Doc[] = [];
    for (let page = 1; page < 50; page++) {
      const d = ok(await tf.sdk('DescribeImages', { PageNumber: page, PageSize: 100, ImageOwnerAlias: 'system' }));
      const list = d.items('Images.Image');
      assert.equal(d.int('PageNumber'), page, 'PageNumber must be honoured');
      seen.push(...list);
      if (list.length < 50) break;
    }
    const ids = seen.map((i) => i.str('ImageId'));
    assert.equal(new Set(ids).size, ids.length, 'pages must not repeat images');
    assert.ok(ids.length > 0);
    for (const img of seen) {
      expectFields(img, { ImageId: 's', ImageName: 's', CreationTime: 's', OSType: 's', Architecture: 's', Status: 's', ImageOwnerAlias: 's', Size: 'i', 'DiskDeviceMappings.DiskDeviceMapping': 'a', 'Tags.Tag': 'a' }, 'Images.Image[]');
      assert.ok(!Number.isNaN(Date.parse(img.str('CreationTime'))), 'CreationTime is RFC 3339');
    }
    for (const id of ids.slice(0, 5)) {
      const t = ok(await tf.sdk('DescribeTags', { ResourceType: 'image', ResourceId: id }));
      t.arr('Tags.Tag');
    }
  });

  it('alicloud_instance_types: SDK DescribeAvailableResource (InstanceType) ∩ RPC DescribeInstanceTypes (NextToken, no RegionId); DescribeImageSupportInstanceTypes', async () => {
    const a = ok(await tf.sdk('DescribeAvailableResource', { DestinationResource: 'InstanceType', IoOptimized: 'optimized', InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot', NetworkCategory: 'vpc' }));
    const offered = new Set<string>();
    for (const z of a.items('AvailableZones.AvailableZone')) {
      for (const r of z.items('AvailableResources.AvailableResource')) {
        for (const sr of r.items('SupportedResources.SupportedResource')) {
          expectFields(sr, { Value: 's', Status: 's' }, 'SupportedResource[]');
          if (sr.str('Status') === 'Available') offered.add(sr.str('Value'));
        }
      }
    }
    assert.ok(offered.size > 0);
    const types: Doc[] = [];
    let token: string | undefined;
    for (let k = 0; k < 100; k++) {
      const d = ok(await tf.rpc('Ecs', 'DescribeInstanceTypes', { NextToken: token }));
      types.push(...d.items('InstanceTypes.InstanceType'));
      token = d.has('NextToken') ? d.str('NextToken') : '';
      if (!token) break;
    }
    assert.ok(types.length > 0);
    for (const t of types) {
      expectFields(t, {
        InstanceTypeId: 's', CpuCoreCount: 'i', MemorySize: 'n', EniQuantity: 'i', GPUAmount: 'i?', GPUSpec: 's?',
        InstanceTypeFamily: 's', NvmeSupport: 's?', PrimaryEniQueueNumber: 'i?', SecondaryEniQueueNumber: 'i?',
        EniIpv6AddressQuantity: 'i?', MaximumQueueNumberPerEni: 'i?', TotalEniQueueQuantity: 'i?',
        EniPrivateIpAddressQuantity: 'i?', InitialCredit: 'i?', BaselineCredit: 'i?', LocalStorageAmount: 'i?',
        LocalStorageCategory: 's?', LocalStorageCapacity: 'n?',
      }, `InstanceType ${t.plain('InstanceTypeId')}`);
    }
    const both = types.map((t) => t.str('InstanceTypeId')).filter((id) => offered.has(id));
    assert.ok(both.includes('ecs.g7.large'), 'the types of both calls meet');
    const sup = ok(await tf.rpc('Ecs', 'DescribeImageSupportInstanceTypes', { ImageId: n.imageId, RegionId: tf.region }));
    const supported = sup.items('InstanceTypes.InstanceType').map((t) => t.str('InstanceTypeId'));
    assert.ok(supported.includes('ecs.g7.large'), 'the image supports the common types');
  });

  it('alicloud_instances: SDK DescribeInstances paged; every instance has a private IP; enable_details: DescribeInstanceRamRole lists every instance, DescribeDisks paged', async () => {
    const d = ok(await tf.sdk('DescribeInstances', { PageNumber: 1, PageSize: 100 }));
    const list = d.items('Instances.Instance');
    assert.equal(list.length, 3);
    for (const i of list) {
      const hasVpcIp = i.has('VpcAttributes.PrivateIpAddress.IpAddress[0]');
      const hasInner = i.has('InnerIpAddress.IpAddress[0]');
      assert.ok(hasVpcIp || hasInner, 'an instance without any private IP panics the data source');
    }
    const roles = ok(await tf.sdk('DescribeInstanceRamRole', { InstanceIds: jsonList(instances), PageSize: 50, PageNumber: 1 }));
    const listed = roles.items('InstanceRamRoleSets.InstanceRamRoleSet').map((r) => r.str('InstanceId')).sort();
    assert.deepEqual(listed, [...instances].sort(), 'instances missing from DescribeInstanceRamRole are dropped by the data source');
    const disks = ok(await tf.sdk('DescribeDisks', { PageSize: 100, PageNumber: 1 }));
    assert.ok(disks.arr('Disks.Disk').length >= 3);
    const filtered = ok(await tf.sdk('DescribeInstances', { InstanceIds: jsonList([instances[0]!]), VpcId: n.vpcId, VSwitchId: n.vswitchId, Status: 'Running', PageNumber: 1, PageSize: 100 }));
    assert.deepEqual(filtered.items('Instances.Instance').map((i) => i.str('InstanceId')), [instances[0]]);
  });

  it('alicloud_regions: SDK DescribeRegions', async () => {
    const d = ok(await tf.sdk('DescribeRegions', {}));
    const list = d.items('Regions.Region');
    assert.ok(list.length > 0);
    for (const r of list) expectFields(r, { RegionId: 's', LocalName: 's' }, 'Regions.Region[]');
    assert.ok(list.some((r) => r.str('RegionId') === tf.region));
  });

  it('alicloud_vpcs and alicloud_vswitches: RPC DescribeVpcs / DescribeVSwitches paged; details: DescribeRouteTableList per VPC', async () => {
    const v = ok(await tf.rpc('Vpc', 'DescribeVpcs', { RegionId: tf.region, PageNumber: 1, PageSize: 50 }));
    expectCleanSuccess(v);
    const vpcs = v.items('Vpcs.Vpc');
    assert.ok(vpcs.some((x) => x.str('VpcId') === n.vpcId));
    for (const x of vpcs) {
      expectFields(x, { VpcId: 's', CidrBlock: 's', VpcName: 's', Status: 's', IsDefault: 'b', RegionId: 's', VRouterId: 's', CreationTime: 's', Description: 's', ResourceGroupId: 's', 'VSwitchIds.VSwitchId': 'a', 'Tags.Tag': 'a', 'UserCidrs.UserCidr': 'a', 'SecondaryCidrBlocks.SecondaryCidrBlock': 'a' }, 'Vpcs.Vpc[]');
      const rt = ok(await tf.rpc('Vpc', 'DescribeRouteTableList', { VpcId: x.str('VpcId'), RegionId: tf.region }));
      assert.ok(rt.items('RouterTableList.RouterTableListType').some((t) => t.str('RouteTableType') === 'System'));
    }
    const w = ok(await tf.rpc('Vpc', 'DescribeVSwitches', { RegionId: tf.region, VpcId: n.vpcId, PageNumber: 1, PageSize: 50 }));
    const vsws = w.items('VSwitches.VSwitch');
    assert.deepEqual(vsws.map((x) => x.str('VSwitchId')), [n.vswitchId]);
    for (const x of vsws) expectFields(x, { VSwitchId: 's', CidrBlock: 's', VpcId: 's', ZoneId: 's', Status: 's', VSwitchName: 's', Description: 's', IsDefault: 'b', CreationTime: 's', AvailableIpAddressCount: 'i', ResourceGroupId: 's', 'Tags.Tag': 'a' }, 'VSwitches.VSwitch[]');
  });

  it('alicloud_security_groups: RPC DescribeSecurityGroups paged; details: DescribeSecurityGroupAttribute per group', async () => {
    const d = ok(await tf.rpc('Ecs', 'DescribeSecurityGroups', { RegionId: tf.region, VpcId: n.vpcId, PageNumber: 1, PageSize: 50 }));
    const groups = d.items('SecurityGroups.SecurityGroup');
    assert.deepEqual(groups.map((g) => g.str('SecurityGroupId')), [n.securityGroupId]);
    for (const g of groups) {
      expectFields(g, { SecurityGroupId: 's', SecurityGroupName: 's', Description: 's', VpcId: 's', SecurityGroupType: 's', ResourceGroupId: 's', CreationTime: 's', 'Tags.Tag': 'a' }, 'SecurityGroup[]');
      const a = ok(await tf.rpc('Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: g.str('SecurityGroupId'), RegionId: tf.region }));
      expectFields(a, { SecurityGroupId: 's', InnerAccessPolicy: 's', 'Permissions.Permission': 'a' }, 'DescribeSecurityGroupAttribute');
    }
  });

  it('alicloud_key_pairs: RPC DescribeKeyPairs (Tags an object) + RPC DescribeInstances by KeyPairName with MaxResults/NextToken', async () => {
    const d = ok(await tf.rpc('Ecs', 'DescribeKeyPairs', { RegionId: tf.region, PageNumber: 1, PageSize: 50 }));
    const keys = d.items('KeyPairs.KeyPair');
    assert.deepEqual(keys.map((k) => k.str('KeyPairName')), ['ds-key']);
    for (const k of keys) expectFields(k, { KeyPairName: 's', KeyPairFingerPrint: 's', ResourceGroupId: 's', Tags: 'o', 'Tags.Tag': 'a' }, 'KeyPairs.KeyPair[]');
    const found: string[] = [];
    let token: string | undefined;
    for (let k = 0; k < 20; k++) {
      const r = ok(await tf.rpc('Ecs', 'DescribeInstances', { RegionId: tf.region, KeyPairName: 'ds-key', MaxResults: 50, NextToken: token }));
      found.push(...r.items('Instances.Instance').map((i) => i.str('InstanceId')));
      token = r.has('NextToken') ? r.str('NextToken') : '';
      if (!token) break;
    }
    assert.deepEqual(found.sort(), [...instances].sort());
  });

  it('alicloud_disks: RPC DescribeDisks paged (PageNumber honoured)', async () => {
    const all: string[] = [];
    for (let page = 1; page < 20; page++) {
      const d = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, PageNumber: page, PageSize: 2 }));
      const list = d.items('Disks.Disk');
      all.push(...list.map((x) => x.str('DiskId')));
      expectFields(d, { TotalCount: 'i', PageNumber: 'i', PageSize: 'i' }, 'DescribeDisks paging');
      if (list.length < 2) break;
    }
    assert.equal(all.length, 3);
    assert.equal(new Set(all).size, 3);
  });
});
