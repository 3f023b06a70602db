/**
 * What the provider sees for resources that are gone (terraform-calls.md §0.3, §21.6, §21.9):
 * each delete and describe of a missing id answers either the empty shape the provider reads as
 * not found or an error it classifies as "gone" for that resource — with a specific Code, never
 * a 5xx (retried until the timeout).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fails, jsonList, ok, ProviderClient, type ProviderResponse } from './provider-client.js';
import type { Doc } from './json.js';

type Case = {
  what: string;
  send: (tf: ProviderClient) => Promise<ProviderResponse>;
  /** The provider's "gone" codes for this call (delete success lists); NotFoundError always counts. */
  goneCodes?: string[];
  /** A 200 the provider reads as not found. */
  emptyOk?: (d: Doc) => boolean;
};

const CASES: Case[] = [
  { what: 'SDK DescribeInstances (instance refresh)', send: (tf) => tf.sdk('DescribeInstances', { InstanceIds: jsonList(['i-gone0000000000000000']) }), emptyOk: (d) => d.arr('Instances.Instance').length === 0 },
  { what: 'SDK DeleteInstance', send: (tf) => tf.sdk('DeleteInstance', { InstanceId: 'i-gone0000000000000000', Force: true }), goneCodes: ['InvalidInstanceId.NotFound', 'Forbidden.InstanceNotFound'] },
  { what: 'SDK DescribeInstanceAttribute (InstanceId echo)', send: (tf) => tf.sdk('DescribeInstanceAttribute', { InstanceId: 'i-gone0000000000000000' }), goneCodes: ['InvalidInstanceId.NotFound'], emptyOk: (d) => d.str('InstanceId') === '' },
  { what: 'RPC DescribeDisks by InstanceId (system disk)', send: (tf) => tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: 'i-gone0000000000000000', DiskType: 'system' }), emptyOk: (d) => d.arr('Disks.Disk').length === 0 },
  { what: 'RPC DescribeDisks by DiskIds', send: (tf) => tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, DiskIds: jsonList(['d-gone0000000000000000']) }), emptyOk: (d) => d.arr('Disks.Disk').length === 0 },
  { what: 'RPC DeleteDisk', send: (tf) => tf.rpc('Ecs', 'DeleteDisk', { DiskId: 'd-gone0000000000000000' }), goneCodes: ['InvalidDiskId.NotFound'] },
  { what: 'RPC DetachDisk', send: (tf) => tf.rpc('Ecs', 'DetachDisk', { DiskId: 'd-gone0000000000000000', InstanceId: 'i-gone0000000000000000' }), goneCodes: ['InvalidDisk.AlreadyDetached', 'InvalidDiskId.NotFound', 'InvalidDiskId.OperationNotSupported', 'InvalidInstanceId.NotFound'] },
  { what: 'RPC DescribeSnapshots', send: (tf) => tf.rpc('Ecs', 'DescribeSnapshots', { SnapshotIds: jsonList(['s-gone0000000000000000']), RegionId: tf.region }), goneCodes: ['InvalidResource.NotFound'], emptyOk: (d) => d.arr('Snapshots.Snapshot').length === 0 },
  { what: 'RPC DeleteSnapshot', send: (tf) => tf.rpc('Ecs', 'DeleteSnapshot', { SnapshotId: 's-gone0000000000000000', Force: false }), goneCodes: ['InvalidResource.NotFound', 'InvalidParameter'] },
  { what: 'RPC DescribeImages Status=ALL (query)', send: (tf) => tf.rpc('Ecs', 'DescribeImages', {}, { ImageId: 'm-gone0000000000000000', RegionId: tf.region, Status: 'ALL' }), goneCodes: ['InvalidImageId.NotFound'], emptyOk: (d) => d.arr('Images.Image').length === 0 },
  { what: 'RPC DeleteImage', send: (tf) => tf.rpc('Ecs', 'DeleteImage', { RegionId: tf.region, Force: false }, { ImageId: 'm-gone0000000000000000' }), goneCodes: ['InvalidImageId.NotFound'] },
  { what: 'RPC DescribeKeyPairs', send: (tf) => tf.rpc('Ecs', 'DescribeKeyPairs', { KeyPairName: 'gone-key', RegionId: tf.region }), emptyOk: (d) => d.arr('KeyPairs.KeyPair').length === 0 },
  { what: 'RPC DeleteKeyPairs', send: (tf) => tf.rpc('Ecs', 'DeleteKeyPairs', { KeyPairNames: jsonList(['gone-key']), RegionId: tf.region }), goneCodes: ['InvalidKeyPairName.NotFound'], emptyOk: () => true },
  { what: 'RPC DetachKeyPair', send: (tf) => tf.rpc('Ecs', 'DetachKeyPair', { RegionId: tf.region, KeyPairName: 'gone-key', InstanceIds: jsonList(['i-gone0000000000000000']) }), goneCodes: ['InvalidKeyPairName.NotFound', 'InvalidInstanceId.NotFound'] },
  { what: 'RPC DescribeSecurityGroups', send: (tf) => tf.rpc('Ecs', 'DescribeSecurityGroups', { SecurityGroupId: 'sg-gone0000000000000000', RegionId: tf.region }), emptyOk: (d) => d.arr('SecurityGroups.SecurityGroup').length === 0 },
  { what: 'RPC DeleteSecurityGroup', send: (tf) => tf.rpc('Ecs', 'DeleteSecurityGroup', { SecurityGroupId: 'sg-gone0000000000000000', RegionId: tf.region }), goneCodes: ['InvalidSecurityGroupId.NotFound'] },
  { what: 'SDK DescribeSecurityGroupAttribute (rule read)', send: (tf) => tf.sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: 'sg-gone0000000000000000', Direction: 'ingress', NicType: '<nil>' }), goneCodes: ['InvalidSecurityGroupId.NotFound'] },
  { what: 'RPC DescribeAutoSnapshotPolicyEx', send: (tf) => tf.rpc('Ecs', 'DescribeAutoSnapshotPolicyEx', { AutoSnapshotPolicyId: 'sp-gone0000000000000000', RegionId: tf.region }), emptyOk: (d) => d.arr('AutoSnapshotPolicies.AutoSnapshotPolicy').length === 0 },
  { what: 'RPC DeleteAutoSnapshotPolicy', send: (tf) => tf.rpc('Ecs', 'DeleteAutoSnapshotPolicy', { autoSnapshotPolicyId: 'sp-gone0000000000000000', regionId: tf.region }), goneCodes: ['InvalidAutoSnapshotPolicyId.NotFound', 'ParameterInvalid'] },
  { what: 'RPC DescribeNetworkInterfaces', send: (tf) => tf.rpc('Ecs', 'DescribeNetworkInterfaces', { RegionId: tf.region, NetworkInterfaceId: ['eni-gone0000000000000000'] }), goneCodes: ['InvalidEcsId.NotFound', 'InvalidEniId.NotFound'], emptyOk: (d) => d.arr('NetworkInterfaceSets.NetworkInterfaceSet').length === 0 },
  { what: 'VPC DescribeVpcAttribute', send: (tf) => tf.rpc('Vpc', 'DescribeVpcAttribute', { VpcId: 'vpc-gone0000000000000000', RegionId: tf.region }), emptyOk: (d) => d.str('VpcId') === '' },
  { what: 'VPC DeleteVpc', send: (tf) => tf.rpc('Vpc', 'DeleteVpc', { VpcId: 'vpc-gone0000000000000000', RegionId: tf.region, ClientToken: `tf-${Date.now()}` }), goneCodes: ['InvalidResource.NotFound', 'InvalidVpcId.NotFound'] },
  { what: 'VPC DescribeVSwitchAttributes', send: (tf) => tf.rpc('Vpc', 'DescribeVSwitchAttributes', { RegionId: tf.region }, { VSwitchId: 'vsw-gone0000000000000000' }), emptyOk: (d) => d.str('VSwitchId') === '' },
  { what: 'VPC DeleteVSwitch', send: (tf) => tf.rpc('Vpc', 'DeleteVSwitch', { VSwitchId: 'vsw-gone0000000000000000', RegionId: tf.region }), goneCodes: ['InvalidVswitchID.NotFound', 'InvalidVSwitchId.NotFound'] },
  { what: 'VPC DescribeRouteTableList', send: (tf) => tf.rpc('Vpc', 'DescribeRouteTableList', { VpcId: 'vpc-gone0000000000000000', RegionId: tf.region }), emptyOk: (d) => d.arr('RouterTableList.RouterTableListType').length === 0 },
];

describe('not-found answers for every resource of the map', () => {
  let s: TestServer;
  let tf: ProviderClient;
  before(async () => { s = await startTestServer(); tf = ProviderClient.for(s); });
  after(async () => { await s.close(); });

  for (const c of CASES) {
    it(c.what, async () => {
      const r = await c.send(tf);
      if (!r.isError) {
        assert.ok(c.emptyOk, `a success where the provider expects an error: ${r.describe()}`);
        assert.ok(c.emptyOk(ok(r)), `a 200 the provider does not read as gone: ${r.describe()}`);
        return;
      }
      fails(r);
      assert.ok(r.isNotFound || r.isExpected(c.goneCodes ?? []), `not classified as gone: ${r.describe()}`);
    });
  }
});
