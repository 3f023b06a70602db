/**
 * alicloud_instance as the provider drives it (terraform-calls.md §1): RunInstances → wait
 * Running → the create-time updates → Read (10 calls) → every update → Read → DeleteInstance →
 * wait gone. Each update is its own test so a failure names the call.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, type Network } from '../helpers/fixtures.js';
import { fails, jsonList, ok, ProviderClient, refreshFrom, waitFor, type ProviderResponse } from './provider-client.js';
import { describeInstanceSdk, readInstance } from './instance-read.js';
import { expectCleanSuccess, expectFields } from './expect.js';
import type { Doc } from './json.js';
import { KEYS } from '../unit/ssh-keys.fixture.js';

const TYPE = 'ecs.g7.large';

export function instanceState(s: TestServer, tf: ProviderClient, id: string) {
  return refreshFrom(() => describeInstanceSdk(tf, id), (d) => {
    const list = d.arr('Instances.Instance');
    return list.length ? { found: true, state: d.str('Instances.Instance[0].Status') } : { found: false };
  });
}

/** The provider's RunInstances body for a plain VPC instance (resource_alicloud_instance.go). */
export function runBody(tf: ProviderClient, n: Network, extra: Record<string, any> = {}) {
  return {
    RegionId: tf.region,
    ClientToken: `TF-RunInstances-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`,
    InstanceType: TYPE,
    ImageId: n.imageId,
    ZoneId: n.zoneId,
    'SystemDisk.Category': 'cloud_essd',
    'SystemDisk.Size': 40,
    'SystemDisk.DiskName': 'tf-sys',
    'SystemDisk.Description': 'system disk',
    InstanceName: 'tf-web',
    Description: 'made by terraform',
    InternetChargeType: 'PayByTraffic',
    InternetMaxBandwidthOut: 0,
    HostName: 'tf-web',
    Password: 'Tf-Passw0rd!',
    InstanceChargeType: 'PostPaid',
    SpotStrategy: 'NoSpot',
    UserData: Buffer.from('#!/bin/sh\necho hello\n').toString('base64'),
    DeletionProtection: false,
    DryRun: false,
    Tag: [{ Key: 'env', Value: 'tf' }, { Key: 'team', Value: 'core' }],
    VSwitchId: n.vswitchId,
    SecurityGroupIds: [n.securityGroupId],
    ...extra,
  };
}

export async function createInstance(s: TestServer, tf: ProviderClient, n: Network, extra: Record<string, any> = {}): Promise<string> {
  const d = ok(await tf.rpc('Ecs', 'RunInstances', runBody(tf, n, extra)));
  expectCleanSuccess(d);
  const id = d.str('InstanceIdSets.InstanceIdSet[0]');
  const states = await waitFor(s, {
    pending: ['Pending', 'Starting', 'Stopped'], target: ['Running'], failStates: ['Stopping'],
    delayMs: 10_000, timeoutMs: 10 * 60_000, refresh: instanceState(s, tf, id),
  });
  assert.equal(states.at(-1), 'Running');
  return id;
}

/** After StartInstance: pending Pending/Starting/Stopped, delay 5 s. */
async function waitRunning(s: TestServer, tf: ProviderClient, id: string) {
  await waitFor(s, { pending: ['Pending', 'Starting', 'Stopped'], target: ['Running'], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: instanceState(s, tf, id) });
}

/** After RebootInstance the instance passes through Stopping and Starting: wait for Running with no pending list. */
async function waitRebooted(s: TestServer, tf: ProviderClient, id: string) {
  await waitFor(s, { pending: [], target: ['Running'], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: instanceState(s, tf, id) });
}

/** The provider's 1-5 s polls of SDK DescribeInstances until a field matches. */
async function pollInstance(s: TestServer, tf: ProviderClient, id: string, until: (i: Doc) => boolean, what: string, timeoutMs = 300_000) {
  for (let t = 0; t <= timeoutMs; t += 5000) {
    const i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    if (until(i)) return i;
    await s.advance(5000);
  }
  assert.fail(`instance never showed ${what}`);
}

async function deleteAndWait(s: TestServer, tf: ProviderClient, id: string) {
  const r = await tf.sdk('DeleteInstance', { InstanceId: id, Force: true });
  ok(r);
  const states = await waitFor(s, {
    pending: ['Pending', 'Running', 'Stopped', 'Stopping'], target: [], delayMs: 10_000, timeoutMs: 20 * 60_000,
    refresh: instanceState(s, tf, id),
  });
  assert.equal(states.at(-1), '<gone>');
  // A second destroy (or a refresh) sees it gone: the codes the provider treats as success.
  const again = await tf.sdk('DeleteInstance', { InstanceId: id, Force: true });
  if (again.isError) fails(again, /^(InvalidInstanceId\.NotFound|Forbidden\.InstanceNotFound)$/);
  const gone = ok(await describeInstanceSdk(tf, id));
  assert.deepEqual(gone.arr('Instances.Instance'), []);
}

describe('alicloud_instance: create → read → update → read → delete', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let n: Network;
  let id = '';
  let sysDisk = '';
  let primaryEni = '';
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    tf = ProviderClient.for(s);
    n = await createNetwork(s);
  });
  after(async () => { await s.close(); });

  it('RunInstances (tea RPC form body) and the wait for Running', async () => {
    id = await createInstance(s, tf, n);
    assert.match(id, /^i-/);
    // Ids the update steps use, read the way the provider gets them (system disk, primary ENI).
    sysDisk = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: id, DiskType: 'system' })).str('Disks.Disk[0].DiskId');
    const enis = ok(await describeInstanceSdk(tf, id)).items('Instances.Instance[0].NetworkInterfaces.NetworkInterface');
    primaryEni = enis.find((e) => e.str('Type') === 'Primary')?.str('NetworkInterfaceId') ?? '';
  });

  it('create-time updates: ModifyInstanceMaintenanceAttributes and ModifyInstanceMetadataOptions', async () => {
    ok(await tf.rpc('Ecs', 'ModifyInstanceMaintenanceAttributes', {
      RegionId: tf.region, InstanceId: [id],
      MaintenanceWindow: [{ StartTime: '02:00:00Z', EndTime: '03:00:00Z' }],
      ActionOnMaintenance: 'AutoRecover', NotifyOnMaintenance: true,
    }));
    ok(await tf.rpc('Ecs', 'ModifyInstanceMetadataOptions', { RegionId: tf.region, InstanceId: id, HttpEndpoint: 'enabled', HttpTokens: 'required' }));
  });

  it('Read: the ten calls in order, every field at its path and type', async () => {
    const r = await readInstance(tf, id);
    assert.deepEqual(r.calls, [
      'DescribeInstances', 'DescribeDisks', 'DescribeUserData', 'DescribeInstanceRamRole',
      'DescribeNetworkInterfaces', 'DescribeNetworkInterfaces', 'DescribeInstanceMaintenanceAttributes',
      'DescribeInstanceAttribute', 'DescribeInstanceAttachmentAttributes', 'DescribeInstances',
    ]);
    sysDisk = r.systemDisk.str('DiskId');
    primaryEni = r.primaryEni;
    assert.equal(r.instance.str('Status'), 'Running');
    assert.equal(r.instance.str('InstanceName'), 'tf-web');
    assert.equal(r.instance.str('MetadataOptions.HttpTokens'), 'required');
    assert.deepEqual(r.instance.plain('Tags.Tag').map((t: any) => `${t.TagKey}=${t.TagValue}`).sort(), ['env=tf', 'team=core']);
    assert.equal(r.systemDisk.int('Size'), 40);
    assert.equal(r.systemDisk.str('Category'), 'cloud_essd');
    const m = ok(await tf.rpc('Ecs', 'DescribeInstanceMaintenanceAttributes', { RegionId: tf.region, InstanceId: [id] })).at('MaintenanceAttributes.MaintenanceAttribute[0]');
    assert.equal(m.str('ActionOnMaintenance.Value'), 'AutoRecover');
    assert.equal(m.bool('NotifyOnMaintenance'), true);
    assert.deepEqual(m.plain('MaintenanceWindows.MaintenanceWindow'), [{ StartTime: '02:00:00Z', EndTime: '03:00:00Z' }]);
    const u = ok(await tf.sdk('DescribeUserData', { InstanceId: id }));
    assert.equal(Buffer.from(u.str('UserData'), 'base64').toString(), '#!/bin/sh\necho hello\n');
  });

  it('update tags: SDK UntagResources / TagResources (ResourceType=instance)', async () => {
    ok(await tf.sdk('UntagResources', { ResourceType: 'instance', ResourceId: [id], TagKey: ['team'] }));
    ok(await tf.sdk('TagResources', { ResourceType: 'instance', ResourceId: [id], Tag: [{ Key: 'tier', Value: 'web' }] }));
    const i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.deepEqual(i.plain('Tags.Tag').map((t: any) => `${t.TagKey}=${t.TagValue}`).sort(), ['env=tf', 'tier=web']);
  });

  it('update resource_group_id: RPC JoinResourceGroup (ResourceType=instance)', async () => {
    const g = ok(await tf.rpc('ResourceManager', 'CreateResourceGroup', { Name: 'tf-rg', DisplayName: 'tf rg' }));
    const rg = g.str('ResourceGroup.Id');
    ok(await tf.rpc('Ecs', 'JoinResourceGroup', { ResourceType: 'instance', ResourceId: id, RegionId: tf.region, ResourceGroupId: rg }));
    const i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.equal(i.str('ResourceGroupId'), rg);
  });

  it('update security_groups: SDK JoinSecurityGroup / LeaveSecurityGroup', async () => {
    const sg = ok(await tf.rpc('Ecs', 'CreateSecurityGroup', { RegionId: tf.region, ClientToken: `tf-${Date.now()}`, VpcId: n.vpcId, SecurityGroupName: 'tf-extra', SecurityGroupType: 'normal' })).str('SecurityGroupId');
    ok(await tf.sdk('JoinSecurityGroup', { InstanceId: id, SecurityGroupId: sg }));
    let i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.deepEqual(i.plain('SecurityGroupIds.SecurityGroupId').sort(), [n.securityGroupId, sg].sort());
    ok(await tf.sdk('LeaveSecurityGroup', { InstanceId: id, SecurityGroupId: sg }));
    i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.deepEqual(i.plain('SecurityGroupIds.SecurityGroupId'), [n.securityGroupId]);
  });

  it('update system disk: ModifyDiskSpec (+ wait), ResizeDisk online, ApplyAutoSnapshotPolicy (lower-camel), ModifyDiskAttribute', async () => {
    const d = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: id, DiskType: 'system' }));
    assert.equal(d.str('Disks.Disk[0].DiskId'), sysDisk);
    ok(await tf.rpc('Ecs', 'ModifyDiskSpec', { RegionId: tf.region, DiskId: sysDisk, PerformanceLevel: 'PL0' }));
    await waitFor(s, {
      pending: [], target: ['Available', 'In_use'], timeoutMs: 5 * 60_000,
      refresh: refreshFrom(() => tf.rpc('Ecs', 'DescribeDisks', { DiskIds: jsonList([sysDisk]), RegionId: tf.region }), (x) => (x.arr('Disks.Disk').length ? { found: true, state: x.str('Disks.Disk[0].Status') } : { found: false })),
    });
    ok(await tf.sdk('ResizeDisk', { DiskId: sysDisk, NewSize: 60, Type: 'online' }));
    const p = ok(await tf.rpc('Ecs', 'CreateAutoSnapshotPolicy', { regionId: tf.region, autoSnapshotPolicyName: 'tf-asp', retentionDays: 7, timePoints: '["1"]', repeatWeekdays: '["1"]' }));
    const policy = p.str('AutoSnapshotPolicyId');
    ok(await tf.rpc('Ecs', 'ApplyAutoSnapshotPolicy', { RegionId: tf.region, autoSnapshotPolicyId: policy, diskIds: jsonList([sysDisk]) }));
    ok(await tf.rpc('Ecs', 'ModifyDiskAttribute', { DiskId: sysDisk, DiskName: 'tf-sys-2', Description: 'renamed' }));
    const after = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: id, DiskType: 'system' })).at('Disks.Disk[0]');
    assert.equal(after.str('PerformanceLevel'), 'PL0');
    assert.equal(after.int('Size'), 60);
    assert.equal(after.str('AutoSnapshotPolicyId'), policy);
    assert.equal(after.str('DiskName'), 'tf-sys-2');
    assert.equal(after.str('Description'), 'renamed');
  });

  it('update name/description/deletion_protection: RPC ModifyInstanceAttribute', async () => {
    ok(await tf.rpc('Ecs', 'ModifyInstanceAttribute', { RegionId: tf.region, ClientToken: `tf-${Date.now()}`, InstanceId: id, InstanceName: 'tf-web-2', Description: 'changed', DeletionProtection: true }));
    const i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.equal(i.str('InstanceName'), 'tf-web-2');
    assert.equal(i.bool('DeletionProtection'), true);
    ok(await tf.rpc('Ecs', 'ModifyInstanceAttribute', { RegionId: tf.region, ClientToken: `tf-${Date.now()}-b`, InstanceId: id, DeletionProtection: false }));
  });

  it('update auto_release_time: SDK ModifyInstanceAutoReleaseTime (set, then cleared with "")', async () => {
    const minute = new Date(Math.floor(s.clock.now() / 60_000) * 60_000 + 3 * 86_400_000).toISOString().slice(0, 16);
    ok(await tf.sdk('ModifyInstanceAutoReleaseTime', { InstanceId: id, AutoReleaseTime: `${minute}:00Z` }));
    let i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    // ECS shows it to the minute; the provider's diff suppression compares the instant.
    assert.match(i.str('AutoReleaseTime'), new RegExp(`^${minute}(:00)?Z$`));
    ok(await tf.sdk('ModifyInstanceAutoReleaseTime', { InstanceId: id, AutoReleaseTime: '' }));
    i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.equal(i.str('AutoReleaseTime'), '');
  });

  it('stop cycle: StopInstance + wait Stopped; ModifyInstanceSpec, ModifyInstanceVpcAttribute, ReplaceSystemDisk, ModifyInstanceAttribute(UserData, HostName, Password); StartInstance + wait Running', async () => {
    ok(await describeInstanceSdk(tf, id));
    ok(await tf.sdk('StopInstance', { InstanceId: id, ForceStop: false }));
    await waitFor(s, { pending: ['Pending', 'Running', 'Stopping'], target: ['Stopped'], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: instanceState(s, tf, id) });

    ok(await tf.sdk('ModifyInstanceSpec', { InstanceId: id, InstanceType: 'ecs.g7.xlarge', ClientToken: `tf-${Date.now()}` }));
    await pollInstance(s, tf, id, (i) => i.str('InstanceType') === 'ecs.g7.xlarge', 'InstanceType ecs.g7.xlarge');

    const vsw = ok(await tf.rpc('Vpc', 'CreateVSwitch', { RegionId: tf.region, ClientToken: `tf-${Date.now()}`, CidrBlock: '192.168.64.0/24', VpcId: n.vpcId, VSwitchName: 'tf-move', ZoneId: n.zoneId })).str('VSwitchId');
    await s.advance(5000);
    // VpcId and SecurityGroupId.N go only with a vpc_id change (modifyVpcAttribute).
    ok(await tf.sdk('ModifyInstanceVpcAttribute', { InstanceId: id, VSwitchId: vsw, PrivateIpAddress: '192.168.64.10' }));
    await pollInstance(s, tf, id, (i) => i.str('VpcAttributes.VSwitchId') === vsw && i.str('VpcAttributes.PrivateIpAddress.IpAddress[0]') === '192.168.64.10', 'the new VSwitch and IP');

    const r = ok(await tf.sdk('ReplaceSystemDisk', { InstanceId: id, ImageId: n.imageId, 'SystemDisk.Size': 80, ClientToken: `tf-${Date.now()}` }));
    const newDisk = r.str('DiskId');
    for (let t = 0; ; t += 5000) {
      assert.ok(t <= 500_000, 'ReplaceSystemDisk never finished');
      const i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
      const dd = ok(await tf.sdk('DescribeDisks', { DiskIds: jsonList([newDisk]) }));
      if (i.str('ImageId') === n.imageId && dd.arr('Disks.Disk').length && dd.int('Disks.Disk[0].Size') === 80) break;
      await s.advance(5000);
    }
    sysDisk = newDisk;

    ok(await tf.rpc('Ecs', 'ModifyInstanceAttribute', {
      RegionId: tf.region, ClientToken: `tf-${Date.now()}`, InstanceId: id,
      UserData: Buffer.from('#!/bin/sh\necho two\n').toString('base64'), HostName: 'tf-web-2', Password: 'Tf-Passw0rd!2',
    }));
    ok(await tf.sdk('StartInstance', { InstanceId: id }));
    await waitRunning(s, tf, id);
    const i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.equal(i.str('HostName'), 'tf-web-2');
    assert.equal(i.int('Cpu'), 4);
  });

  it('update bandwidth: SDK ModifyInstanceNetworkSpec, poll, AllocatePublicIpAddress (PostPaid 0 → >0)', async () => {
    ok(await tf.sdk('ModifyInstanceNetworkSpec', { InstanceId: id, ClientToken: `tf-${Date.now()}`, InternetMaxBandwidthOut: 10 }));
    await pollInstance(s, tf, id, (i) => i.int('InternetMaxBandwidthOut') === 10 && i.str('InternetChargeType') === 'PayByTraffic', 'bandwidth 10', 120_000);
    const a = ok(await tf.sdk('AllocatePublicIpAddress', { InstanceId: id }));
    const ip = a.str('IpAddress');
    const i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.equal(i.str('PublicIpAddress.IpAddress[0]'), ip);
  });

  it('update secondary_private_ip_address_count: RPC AssignPrivateIpAddresses / UnassignPrivateIpAddresses on the primary ENI', async () => {
    const a = ok(await tf.rpc('Ecs', 'AssignPrivateIpAddresses', { RegionId: tf.region, NetworkInterfaceId: primaryEni, ClientToken: `tf-${Date.now()}`, SecondaryPrivateIpAddressCount: 1 }));
    const ips = a.plain('AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress') as string[];
    assert.equal(ips.length, 1);
    ok(await tf.rpc('Ecs', 'UnassignPrivateIpAddresses', { RegionId: tf.region, NetworkInterfaceId: primaryEni, ClientToken: `tf-${Date.now()}`, PrivateIpAddress: ips }));
  });

  it('update key_name: RPC AttachKeyPair then RebootInstance(ForceStop) and wait Running; DetachKeyPair', async () => {
    ok(await tf.rpc('Ecs', 'ImportKeyPair', { RegionId: tf.region, KeyPairName: 'tf-key', PublicKeyBody: KEYS.ed25519 }));
    ok(await describeInstanceSdk(tf, id));
    ok(await tf.rpc('Ecs', 'AttachKeyPair', { RegionId: tf.region, InstanceIds: jsonList([id]), KeyPairName: 'tf-key' }));
    ok(await tf.rpc('Ecs', 'RebootInstance', { InstanceId: id, ForceStop: true }));
    await waitRebooted(s, tf, id);
    let i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.equal(i.str('KeyPairName'), 'tf-key');
    ok(await tf.rpc('Ecs', 'DetachKeyPair', { RegionId: tf.region, InstanceIds: jsonList([id]), KeyPairName: 'tf-key' }));
    ok(await tf.rpc('Ecs', 'RebootInstance', { InstanceId: id, ForceStop: true }));
    await waitRebooted(s, tf, id);
    i = ok(await describeInstanceSdk(tf, id)).at('Instances.Instance[0]');
    assert.equal(i.str('KeyPairName'), '');
  });

  it('update private pool options: RPC ModifyInstanceAttachmentAttributes', async () => {
    ok(await tf.rpc('Ecs', 'ModifyInstanceAttachmentAttributes', { RegionId: tf.region, InstanceId: id, 'PrivatePoolOptions.MatchCriteria': 'None' }));
    const d = ok(await tf.rpc('Ecs', 'DescribeInstanceAttachmentAttributes', { InstanceIds: jsonList([id]), RegionId: tf.region }));
    assert.equal(d.str('Instances.Instance[0].PrivatePoolOptionsMatchCriteria'), 'None');
  });

  it('update role_name without RAM roles: AttachInstanceRamRole answers a specific 4xx code', async () => {
    const r = fails(await tf.rpc('Ecs', 'AttachInstanceRamRole', { RegionId: tf.region, InstanceIds: jsonList([id]), RamRoleName: 'no-such-role' }));
    assert.ok(r.status >= 400 && r.status < 500);
    assert.notEqual(r.code, 'UnsupportedOperation', r.describe());
    // Detach answers per instance (DetachInstanceRamRoleResults); the provider only needs no error.
    const d = await tf.rpc('Ecs', 'DetachInstanceRamRole', { RegionId: tf.region, InstanceIds: jsonList([id]), RamRoleName: 'no-such-role' });
    if (d.isError) { fails(d); assert.notEqual(d.code, 'UnsupportedOperation', d.describe()); } else {
      const res = ok(d);
      expectFields(res, { TotalCount: 'i', FailCount: 'i', 'DetachInstanceRamRoleResults.DetachInstanceRamRoleResult': 'a' }, 'DetachInstanceRamRole');
      assert.equal(res.str('DetachInstanceRamRoleResults.DetachInstanceRamRoleResult[0].InstanceId'), id);
    }
  });

  it('Read after the updates: the ten calls still succeed', async () => {
    const r = await readInstance(tf, id);
    assert.equal(r.instance.str('InstanceType'), 'ecs.g7.xlarge');
    assert.equal(r.systemDisk.str('DiskId'), sysDisk);
  });

  it('delete: SDK DeleteInstance(Force) + wait until DescribeInstances no longer lists it', async () => {
    await deleteAndWait(s, tf, id);
  });

  it('refresh of a deleted instance: empty Instances.Instance (dropped from state), DescribeInstanceAttribute not found', async () => {
    const r: ProviderResponse = await tf.sdk('DescribeInstanceAttribute', { InstanceId: id });
    fails(r, /NotFound/);
    assert.ok(r.isNotFound || r.code === 'InvalidInstanceId.NotFound', r.describe());
  });
});

describe('alicloud_instance, PrePaid: auto-renew read, charge type change before destroy', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let n: Network;
  let id = '';
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    tf = ProviderClient.for(s);
    n = await createNetwork(s);
  });
  after(async () => { await s.close(); });

  it('RunInstances PrePaid with Period, PeriodUnit, AutoRenew, AutoRenewPeriod', async () => {
    id = await createInstance(s, tf, n, { InstanceChargeType: 'PrePaid', Period: 1, PeriodUnit: 'Month', AutoRenew: true, AutoRenewPeriod: 1, SpotStrategy: undefined });
  });

  it('Read includes DescribeInstanceAutoRenewAttribute', async () => {
    const r = await readInstance(tf, id, { prePaid: true });
    assert.ok(r.calls.includes('DescribeInstanceAutoRenewAttribute'));
    assert.equal(r.instance.str('InstanceChargeType'), 'PrePaid');
    assert.notEqual(r.instance.str('ExpiredTime'), '2099-12-31T15:59Z', 'a subscription shows the end of its period');
    const a = ok(await tf.sdk('DescribeInstanceAutoRenewAttribute', { InstanceId: id })).at('InstanceRenewAttributes.InstanceRenewAttribute[0]');
    assert.equal(a.str('RenewalStatus'), 'AutoRenewal');
    assert.equal(a.int('Duration'), 1);
    assert.equal(a.str('PeriodUnit'), 'Month');
  });

  it('update renewal_status / auto_renew_period: SDK ModifyInstanceAutoRenewAttribute', async () => {
    ok(await tf.sdk('ModifyInstanceAutoRenewAttribute', { InstanceId: id, RenewalStatus: 'AutoRenewal', PeriodUnit: 'Month', Duration: 3 }));
    const a = ok(await tf.sdk('DescribeInstanceAutoRenewAttribute', { InstanceId: id })).at('InstanceRenewAttributes.InstanceRenewAttribute[0]');
    assert.equal(a.int('Duration'), 3);
    ok(await tf.sdk('ModifyInstanceAutoRenewAttribute', { InstanceId: id, RenewalStatus: 'Normal' }));
    assert.equal(ok(await tf.sdk('DescribeInstanceAutoRenewAttribute', { InstanceId: id })).str('InstanceRenewAttributes.InstanceRenewAttribute[0].RenewalStatus'), 'Normal');
  });

  it('destroy without force_delete: DeleteInstance of an unexpired subscription is refused with a specific 4xx', async () => {
    const r = fails(await tf.sdk('DeleteInstance', { InstanceId: id, Force: true }));
    assert.ok(!r.isExpected(['IncorrectInstanceStatus', 'DependencyViolation.RouteEntry', 'IncorrectInstanceStatus.Initializing', 'Throttling', 'LastTokenProcessing']), `the provider would retry this for 20 minutes: ${r.describe()}`);
  });

  it('destroy with force_delete: SDK ModifyInstanceChargeType to PostPaid, poll, DeleteInstance', async () => {
    ok(await tf.sdk('ModifyInstanceChargeType', { InstanceIds: jsonList([id]), IncludeDataDisks: true, AutoPay: true, DryRun: false, ClientToken: `tf-${Date.now()}`, InstanceChargeType: 'PostPaid' }));
    await pollInstance(s, tf, id, (i) => i.str('InstanceChargeType') === 'PostPaid', 'PostPaid');
    await deleteAndWait(s, tf, id);
  });
});

describe('alicloud_instance variants: data disks, volume_tags and status = "Stopped" on create', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let n: Network;
  let id = '';
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    tf = ProviderClient.for(s);
    n = await createNetwork(s);
  });
  after(async () => { await s.close(); });

  it('RunInstances with DataDisk.N.* and the wait for Running', async () => {
    id = await createInstance(s, tf, n, {
      DataDisk: [{ DeleteWithInstance: true, Encrypted: false, Size: 20, Category: 'cloud_essd', DiskName: 'tf-data', Description: 'data disk', PerformanceLevel: 'PL0' }],
    });
    const d = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: id, DiskType: 'data' }));
    const data = d.at('Disks.Disk[0]');
    assert.equal(data.str('DiskName'), 'tf-data');
    assert.equal(data.int('Size'), 20);
    assert.equal(data.bool('DeleteWithInstance'), true);
  });

  it('★ volume_tags: SDK DescribeDisks by InstanceId, then SDK TagResources ResourceType=disk with every disk id', async () => {
    const d = ok(await tf.sdk('DescribeDisks', { InstanceId: id }));
    const disks = d.items('Disks.Disk').map((x) => x.str('DiskId'));
    assert.equal(disks.length, 2, 'system and data disk');
    ok(await tf.sdk('TagResources', { ResourceType: 'disk', ResourceId: disks, Tag: [{ Key: 'volume', Value: 'tf' }] }));
    for (const x of ok(await tf.sdk('DescribeDisks', { InstanceId: id })).items('Disks.Disk')) {
      assert.deepEqual(x.plain('Tags.Tag'), [{ TagKey: 'volume', TagValue: 'tf' }]);
    }
  });

  it('★ status = "Stopped": SDK DescribeInstances, StopInstance(ForceStop=false) + wait Stopped (5 s delay); the Read works on a Stopped instance', async () => {
    ok(await describeInstanceSdk(tf, id));
    ok(await tf.sdk('StopInstance', { RegionId: tf.region, InstanceId: id, ForceStop: false }));
    await waitFor(s, { pending: ['Pending', 'Running', 'Stopping'], target: ['Stopped'], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: instanceState(s, tf, id) });
    const r = await readInstance(tf, id);
    assert.equal(r.instance.str('Status'), 'Stopped');
    assert.equal(r.instance.str('StoppedMode'), 'KeepCharging');
  });

  it('ResizeDisk of the system disk while Stopped goes offline', async () => {
    const sys = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: id, DiskType: 'system' })).str('Disks.Disk[0].DiskId');
    ok(await tf.sdk('ResizeDisk', { DiskId: sys, NewSize: 50, Type: 'offline' }));
    assert.equal(ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: id, DiskType: 'system' })).int('Disks.Disk[0].Size'), 50);
  });

  it('update key_name while Stopped: RPC AttachKeyPair, then RPC StartInstance (InstanceId only, no RegionId) and wait Running', async () => {
    ok(await tf.rpc('Ecs', 'ImportKeyPair', { RegionId: tf.region, KeyPairName: 'tf-key-stopped', PublicKeyBody: KEYS.rsa }));
    ok(await describeInstanceSdk(tf, id));
    ok(await tf.rpc('Ecs', 'AttachKeyPair', { RegionId: tf.region, InstanceIds: jsonList([id]), KeyPairName: 'tf-key-stopped' }));
    ok(await tf.rpc('Ecs', 'StartInstance', { InstanceId: id }));
    await waitRunning(s, tf, id);
    assert.equal(ok(await describeInstanceSdk(tf, id)).str('Instances.Instance[0].KeyPairName'), 'tf-key-stopped');
  });

  it('update enable_jumbo_frame: RPC ModifyInstanceAttribute EnableJumboFrame, read back by DescribeInstanceAttribute', async () => {
    ok(await tf.rpc('Ecs', 'ModifyInstanceAttribute', { RegionId: tf.region, ClientToken: `tf-${Date.now()}`, InstanceId: id, EnableJumboFrame: true }));
    assert.equal(ok(await tf.sdk('DescribeInstanceAttribute', { InstanceId: id })).bool('EnableJumboFrame'), true);
  });

  it('delete of an instance releases its DeleteWithInstance data disk', async () => {
    const data = ok(await tf.rpc('Ecs', 'DescribeDisks', { RegionId: tf.region, InstanceId: id, DiskType: 'data' })).str('Disks.Disk[0].DiskId');
    await deleteAndWait(s, tf, id);
    assert.deepEqual(ok(await tf.rpc('Ecs', 'DescribeDisks', { DiskIds: jsonList([data]), RegionId: tf.region })).arr('Disks.Disk'), []);
  });
});
