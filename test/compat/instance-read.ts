/**
 * alicloud_instance's Read (terraform-calls.md §1 "Read"), call by call in the provider's order,
 * asserting every field at the path and type it reads. Shared by the instance and key-pair tests.
 */
import assert from 'node:assert/strict';
import { ok, jsonList, type ProviderClient } from './provider-client.js';
import { expectCleanSuccess, expectFields } from './expect.js';
import type { Doc } from './json.js';

export const READ_ATTRIBUTES = ['META_OPTIONS', 'NETWORK_PRIMARY_ENI_IP', 'LOGIN_AS_NON_ROOT', 'DISK_HIGH_DENSITY_MODE'];

/** The SDK `DescribeInstances` the provider's DescribeInstance(ById) wrapper sends. */
export function describeInstanceSdk(tf: ProviderClient, id: string) {
  return tf.sdk('DescribeInstances', { InstanceIds: jsonList([id]), AdditionalAttributes: READ_ATTRIBUTES });
}

export const INSTANCE_FIELDS = {
  InstanceId: 's', InstanceName: 's', ResourceGroupId: 's', Description: 's', Status: 's', ZoneId: 's',
  HostName: 's', ImageId: 's', InstanceType: 's', InternetMaxBandwidthOut: 'i', InternetMaxBandwidthIn: 'i',
  InstanceChargeType: 's', KeyPairName: 's', SpotStrategy: 's', SpotPriceLimit: 'n', InternetChargeType: 's',
  DeletionProtection: 'b', CreditSpecification: 's', AutoReleaseTime: 's', 'Tags.Tag': 'a', HpcClusterId: 's',
  DeploymentSetId: 's', DeploymentSetGroupNo: 'i', StoppedMode: 's', 'PublicIpAddress.IpAddress': 'a',
  'VpcAttributes.VSwitchId': 's', 'VpcAttributes.VpcId': 's', 'VpcAttributes.PrivateIpAddress.IpAddress[0]': 's',
  SpotDuration: 'i', 'MetadataOptions.HttpTokens': 's', 'MetadataOptions.HttpEndpoint': 's',
  'MetadataOptions.HttpPutResponseHopLimit': 'i', Cpu: 'i', Memory: 'i', OSName: 's', OSType: 's',
  'DedicatedHostAttribute.DedicatedHostId': 's', CreationTime: 's', StartTime: 's', ExpiredTime: 's',
  'AdditionalInfo.EnableHighDensityMode': 'b', 'ImageOptions.LoginAsNonRoot': 'b',
  'SecurityGroupIds.SecurityGroupId': 'a', 'NetworkInterfaces.NetworkInterface': 'a',
} as const;

export interface ReadResult {
  instance: Doc;
  systemDisk: Doc;
  primaryEni: string;
  calls: string[];
}

export async function readInstance(tf: ProviderClient, id: string, o: { prePaid?: boolean } = {}): Promise<ReadResult> {
  const start = tf.log.length;
  // 1. SDK DescribeInstances
  const d1 = ok(await describeInstanceSdk(tf, id));
  expectCleanSuccess(d1);
  const inst = d1.at('Instances.Instance[0]');
  assert.equal(inst.str('InstanceId'), id);
  expectFields(inst, INSTANCE_FIELDS, 'DescribeInstances (SDK) Instances.Instance[0]');
  const enis = inst.items('NetworkInterfaces.NetworkInterface');
  for (const e of enis) expectFields(e, { Type: 's', NetworkInterfaceId: 's', PrimaryIpAddress: 's' }, 'NetworkInterfaces.NetworkInterface[]');
  const primary = enis.find((e) => e.str('Type') === 'Primary');
  assert.ok(primary, 'DescribeInstances lists the primary network interface every instance has');
  assert.equal(primary.str('PrimaryIpAddress'), inst.str('VpcAttributes.PrivateIpAddress.IpAddress[0]'));

  // 2. RPC DescribeDisks, the system disk
  const d2 = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: id, DiskType: 'system' }));
  d2.arr('Disks.Disk');
  const sys = d2.at('Disks.Disk[0]');
  assert.equal(sys.str('InstanceId'), id, 'Disks.Disk[0].InstanceId must equal the instance (else not found)');
  expectFields(sys, {
    Category: 's', DiskName: 's', Description: 's', Size: 'i', AutoSnapshotPolicyId: 's', StorageClusterId: 's',
    Encrypted: 'b', KMSKeyId: 's', ProvisionedIops: 'i', DiskId: 's', PerformanceLevel: 's', BurstingEnabled: 'b',
    'Tags.Tag': 'a',
  }, 'DescribeDisks (RPC, system) Disks.Disk[0]');

  // 3. SDK DescribeUserData
  const d3 = ok(await tf.sdk('DescribeUserData', { InstanceId: id }));
  expectFields(d3, { UserData: 's', InstanceId: 's' }, 'DescribeUserData');

  // 4. SDK DescribeInstanceRamRole (every refresh of a VPC instance)
  const d4 = ok(await tf.sdk('DescribeInstanceRamRole', { InstanceIds: jsonList([id]) }));
  const role = d4.at('InstanceRamRoleSets.InstanceRamRoleSet[0]');
  expectFields(role, { InstanceId: 's', RamRoleName: 's' }, 'DescribeInstanceRamRole InstanceRamRoleSet[0]');
  assert.equal(role.str('InstanceId'), id);

  // 5. RPC DescribeNetworkInterfaces per listed ENI (the primary one twice)
  const order = [...enis.map((e) => e.str('NetworkInterfaceId')), primary.str('NetworkInterfaceId')];
  for (const eni of order) {
    const d5 = ok(await tf.rpc('Ecs', 'DescribeNetworkInterfaces', { RegionId: tf.region, NetworkInterfaceId: [eni] }));
    const set = d5.at('NetworkInterfaceSets.NetworkInterfaceSet[0]');
    assert.equal(set.str('NetworkInterfaceId'), eni);
    expectFields(set, {
      NetworkInterfaceTrafficMode: 's', QueuePairNumber: 'i', SourceDestCheck: 'b', Attachment: 'o?',
      'PrivateIpSets.PrivateIpSet': 'a', 'Ipv6Sets.Ipv6Set': 'a', SecurityGroupIds: 'o?', VSwitchId: 's',
      'SecurityGroupIds.SecurityGroupId': 'a', Type: 's', InstanceId: 's',
    }, 'DescribeNetworkInterfaces NetworkInterfaceSet[0]');
    if (set.has('Attachment')) expectFields(set, { 'Attachment.NetworkCardIndex': 'i' }, 'Attachment');
    for (const ip of set.items('PrivateIpSets.PrivateIpSet')) expectFields(ip, { Primary: 'b', PrivateIpAddress: 's' }, 'PrivateIpSet[]');
  }

  // 6. RPC DescribeInstanceMaintenanceAttributes: an entry for the instance is required
  const d6 = ok(await tf.rpc('Ecs', 'DescribeInstanceMaintenanceAttributes', { RegionId: tf.region, InstanceId: [id] }));
  const m = d6.at('MaintenanceAttributes.MaintenanceAttribute[0]');
  assert.equal(m.str('InstanceId'), id);
  expectFields(m, { 'MaintenanceWindows.MaintenanceWindow': 'a', ActionOnMaintenance: 'o', 'ActionOnMaintenance.Value': 's', NotifyOnMaintenance: 'b' }, 'MaintenanceAttribute[0]');
  for (const w of m.items('MaintenanceWindows.MaintenanceWindow')) expectFields(w, { StartTime: 's', EndTime: 's' }, 'MaintenanceWindow[]');

  // 7. SDK DescribeInstanceAttribute: InstanceId echo
  const d7 = ok(await tf.sdk('DescribeInstanceAttribute', { InstanceId: id }));
  assert.equal(d7.str('InstanceId'), id);
  expectFields(d7, { EnableJumboFrame: 'b' }, 'DescribeInstanceAttribute');

  // 8. PrePaid only: SDK DescribeInstanceAutoRenewAttribute
  if (o.prePaid) {
    const d8 = ok(await tf.sdk('DescribeInstanceAutoRenewAttribute', { InstanceId: id }));
    expectFields(d8.at('InstanceRenewAttributes.InstanceRenewAttribute[0]'), { RenewalStatus: 's', Duration: 'i', PeriodUnit: 's', InstanceId: 's' }, 'InstanceRenewAttribute[0]');
  }

  // 9. RPC DescribeInstanceAttachmentAttributes: non-empty
  const d9 = ok(await tf.rpc('Ecs', 'DescribeInstanceAttachmentAttributes', { InstanceIds: jsonList([id]), RegionId: tf.region }));
  const att = d9.at('Instances.Instance[0]');
  expectFields(att, { InstanceId: 's', PrivatePoolOptionsMatchCriteria: 's', PrivatePoolOptionsId: 's' }, 'DescribeInstanceAttachmentAttributes Instances.Instance[0]');

  // 10. RPC DescribeInstances again, for CPU options
  const d10 = ok(await tf.rpc('Ecs', 'DescribeInstances', {
    RegionId: tf.region, InstanceIds: jsonList([id]),
    AdditionalAttributes: ['META_OPTIONS', 'NETWORK_PRIMARY_ENI_IP', 'LOGIN_AS_NON_ROOT', 'LOGIN_AS_NON_ROOT', 'CPU_OPTIONS_TOPOLOGY_TYPE'],
  }));
  const i10 = d10.at('Instances.Instance[0]');
  expectFields(i10, { SpotInterruptionBehavior: 's', CpuOptions: 'o?' }, 'DescribeInstances (RPC) Instances.Instance[0]');
  if (i10.has('CpuOptions')) expectFields(i10, { 'CpuOptions.CoreCount': 'i', 'CpuOptions.ThreadsPerCore': 'i', 'CpuOptions.TopologyType': 's' }, 'CpuOptions');
  // The same integers through tea, where formatInt panics on a non-integer literal.
  expectFields(i10, { InternetMaxBandwidthOut: 'i', InternetMaxBandwidthIn: 'i', Cpu: 'i', Memory: 'i' }, 'DescribeInstances (RPC)');

  return { instance: inst, systemDisk: sys, primaryEni: primary.str('NetworkInterfaceId'), calls: tf.log.slice(start).map((c) => c.action) };
}
