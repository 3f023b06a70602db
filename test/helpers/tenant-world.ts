/**
 * The tenant isolation sweep's fixtures (test/api/tenant-isolation.test.ts): a signed caller per
 * identity for every product, and one of each resource kind built through the public API by an
 * account — the ids the other account and a RAM user without rights then try to use.
 */
import { generateKeyPairSync, randomInt } from 'node:crypto';
import { apiSpec, type Product } from '../../src/api/spec.js';
import { v2Request, v3Request } from './raw.js';
import type { Credentials, TestServer } from './server.js';

export const R = 'cn-hangzhou';

export interface Answer {
  status: number;
  code?: string;
  message?: string;
  json: any;
  text: string;
}

export type Params = Record<string, string>;
export type Caller = (product: Product, action: string, params: Params) => Promise<Answer>;

/**
 * Signed calls as one identity, for any product by its Version: V2 form POSTs (what pop-core
 * sends) or V3 with the parameters in the query (what the current SDKs send).
 */
export function callerFor(url: string, c: Credentials, signature: 'v2' | 'v3' = 'v2'): Caller {
  return async (product, action, params) => {
    const o = { version: apiSpec.products[product]!.version, accessKeyId: c.accessKeyId, secret: c.accessKeySecret };
    const r = signature === 'v2'
      ? await v2Request(url, action, params, { ...o, method: 'POST', placement: 'form' })
      : await v3Request(url, action, params, o);
    return { status: r.status, code: r.json?.Code, message: r.json?.Message, json: r.json, text: r.text };
  };
}

/** Like the caller, but an error answer fails the setup with the action and its answer. */
export function strict(call: Caller): (product: Product, action: string, params: Params) => Promise<any> {
  return async (product, action, params) => {
    const a = await call(product, action, params);
    if (a.status !== 200) throw new Error(`setup ${product}:${action} answered ${a.status} ${a.text.slice(0, 400)}`);
    return a.json;
  };
}

/** The ids and names of one account's resources, by kind. */
export type World = Record<string, string>;

/** World entries anyone may know (catalog values, the prefix): not looked for in other identities' answers, kept by ghostWorld. */
export const CONSTANT_KEYS = new Set(['zone', 'systemImage', 'accountName', 'rgName', 'vpcName', 'tagKey', 'prefix']);

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** An id of the same shape that nobody has: its prefix kept, the rest redrawn. */
function ghostOf(value: string): string {
  if (/^\d+$/.test(value)) return '1' + Array.from({ length: value.length - 1 }, () => String(randomInt(10))).join('');
  const cut = value.lastIndexOf('-') + 1;
  const tail = value.slice(cut);
  const redrawn = Array.from(tail, (ch) => (/[A-Z]/.test(ch) ? ALNUM[randomInt(26)]!.toUpperCase() : /\d/.test(ch) ? String(randomInt(10)) : ALNUM[randomInt(36)]!)).join('');
  return value.slice(0, cut) + redrawn;
}

/** The same world with every id and name replaced by one nobody has (ARNs rebuilt from them). */
export function ghostWorld(w: World): World {
  const g: World = {};
  for (const [k, v] of Object.entries(w)) g[k] = CONSTANT_KEYS.has(k) ? v : ghostOf(v);
  g.roleArn = `acs:ram::${g.accountId}:role/${g.role}`;
  return g;
}

async function until(s: TestServer, check: () => Promise<boolean>, what: string) {
  for (let i = 0; i < 30; i++) {
    if (await check()) return;
    await s.advance(1000);
  }
  throw new Error(`setup: ${what} did not happen`);
}

/** A real OpenSSH RSA public key line, for ImportKeyPair. */
export function sshPublicKey(comment: string): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ format: 'jwk' });
  const str = (b: Buffer) => { const len = Buffer.alloc(4); len.writeUInt32BE(b.length); return Buffer.concat([len, b]); };
  const mpint = (b64: string) => { const b = Buffer.from(b64, 'base64url'); return str(b[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b); };
  return `ssh-rsa ${Buffer.concat([str(Buffer.from('ssh-rsa')), mpint(jwk.e!), mpint(jwk.n!)]).toString('base64')} ${comment}`;
}

/**
 * One of each resource kind of an account, through the public API as that account's root:
 * network (VPC, VSwitch, route table, custom route entry, security groups and a rule), key pair,
 * a Running instance (tagged, its ENI) and a Stopped one, a data disk, an EIP (Available), a snapshot, a custom image shared with
 * `shareWith`, an automatic snapshot policy, a resource group, a bucket with an object, an export
 * task, a (simulated) scheduled system event, and RAM users (one without any policy, with an AccessKey), a group, a role and a policy.
 * `prefix` starts every name, so another identity's answers can be searched for it.
 */
export async function buildWorld(s: TestServer, c: Credentials, accountId: string, prefix: string, opts: { shareWith?: string; full?: boolean } = {}): Promise<World> {
  const call = strict(callerFor(s.url, c));
  const full = opts.full ?? true;
  const w: World = { accountId, prefix, tagKey: `${prefix}-tag` };
  w.zone = (await call('ecs', 'DescribeZones', { RegionId: R })).Zones.Zone[0].ZoneId;
  const images = (await call('ecs', 'DescribeImages', { RegionId: R, ImageOwnerAlias: 'system', PageSize: '100' })).Images.Image as any[];
  w.systemImage = images.find((i) => i.OSType === 'linux' && i.Architecture === 'x86_64').ImageId;
  w.rgName = `${prefix}-rg`;
  w.rg = (await call('resourcemanager', 'CreateResourceGroup', { Name: w.rgName, DisplayName: w.rgName })).ResourceGroup.Id;
  w.vpcName = `${prefix}-vpc`;
  const vpc = await call('vpc', 'CreateVpc', { RegionId: R, CidrBlock: '10.0.0.0/16', VpcName: w.vpcName });
  w.vpc = vpc.VpcId;
  w.vrouter = vpc.VRouterId;
  w.routeTable = vpc.RouteTableId;
  w.vswitch = (await call('vpc', 'CreateVSwitch', { RegionId: R, VpcId: w.vpc, ZoneId: w.zone, CidrBlock: '10.0.0.0/24', VSwitchName: `${prefix}-vsw` })).VSwitchId;
  w.sg = (await call('ecs', 'CreateSecurityGroup', { RegionId: R, VpcId: w.vpc, SecurityGroupName: `${prefix}-sg` })).SecurityGroupId;
  w.sg2 = (await call('ecs', 'CreateSecurityGroup', { RegionId: R, VpcId: w.vpc, SecurityGroupName: `${prefix}-sg2` })).SecurityGroupId;
  await call('ecs', 'AuthorizeSecurityGroup', { RegionId: R, SecurityGroupId: w.sg, IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '192.0.2.0/24', Description: `${prefix}-rule` });
  await call('ecs', 'AuthorizeSecurityGroupEgress', { RegionId: R, SecurityGroupId: w.sg, IpProtocol: 'tcp', PortRange: '443/443', DestCidrIp: '192.0.2.0/24' });
  const perms = (await call('ecs', 'DescribeSecurityGroupAttribute', { RegionId: R, SecurityGroupId: w.sg, Direction: 'all' })).Permissions.Permission as any[];
  w.sgRule = perms.find((p) => p.Direction === 'ingress').SecurityGroupRuleId;
  w.sgEgressRule = perms.find((p) => p.Direction === 'egress').SecurityGroupRuleId;
  w.prefixList = (await call('ecs', 'CreatePrefixList', {
    RegionId: R, AddressFamily: 'IPv4', MaxEntries: '5', PrefixListName: `${prefix}-pl`, 'Entry.1.Cidr': '198.51.100.0/24', 'Entry.1.Description': `${prefix}-entry`,
  })).PrefixListId;
  await call('ecs', 'AuthorizeSecurityGroup', { RegionId: R, SecurityGroupId: w.sg2, IpProtocol: 'tcp', PortRange: '443/443', SourcePrefixListId: w.prefixList });
  w.keyPair = `${prefix}-kp`;
  await call('ecs', 'CreateKeyPair', { RegionId: R, KeyPairName: w.keyPair });
  w.instance = (await call('ecs', 'RunInstances', {
    RegionId: R, ImageId: w.systemImage, InstanceType: 'ecs.g7.large', VSwitchId: w.vswitch, SecurityGroupId: w.sg,
    KeyPairName: w.keyPair, InstanceName: `${prefix}-vm`, UserData: Buffer.from(`#!/bin/sh\necho ${prefix}\n`).toString('base64'),
    'Tag.1.Key': w.tagKey, 'Tag.1.Value': `${prefix}-value`,
  })).InstanceIdSets.InstanceIdSet[0];
  w.stoppedInstance = (await call('ecs', 'RunInstances', {
    RegionId: R, ImageId: w.systemImage, InstanceType: 'ecs.g7.large', VSwitchId: w.vswitch, SecurityGroupId: w.sg, InstanceName: `${prefix}-stopped`,
  })).InstanceIdSets.InstanceIdSet[0];
  const status = async (id: string) => (await call('ecs', 'DescribeInstanceAttribute', { InstanceId: id })).Status;
  await until(s, async () => (await status(w.instance)) === 'Running' && (await status(w.stoppedInstance)) === 'Running', `${prefix} instances Running`);
  await call('ecs', 'StopInstance', { InstanceId: w.stoppedInstance });
  await until(s, async () => (await status(w.stoppedInstance)) === 'Stopped', `${prefix} instance Stopped`);
  w.systemDisk = (await call('ecs', 'DescribeDisks', { RegionId: R, InstanceId: w.instance, DiskType: 'system' })).Disks.Disk[0].DiskId;
  w.eni = (await call('ecs', 'DescribeNetworkInterfaces', { RegionId: R, InstanceId: w.instance })).NetworkInterfaceSets.NetworkInterfaceSet[0].NetworkInterfaceId;
  w.disk = (await call('ecs', 'CreateDisk', { RegionId: R, ZoneId: w.zone, DiskCategory: 'cloud_essd', Size: '20', DiskName: `${prefix}-disk` })).DiskId;
  const eip = await call('vpc', 'AllocateEipAddress', { RegionId: R, Name: `${prefix}-eip` });
  w.eip = eip.AllocationId;
  w.eipAddress = eip.EipAddress;
  w.bucket = `${prefix}-bucket-${randomInt(1e9)}`;
  w.objectKey = `${prefix}/disk.raw`;
  await call('openecs', 'PutObject', { RegionId: R, Bucket: w.bucket, Key: w.objectKey, Content: Buffer.from('not really a disk').toString('base64') });
  if (full) {
    w.routeEntry = (await call('vpc', 'CreateRouteEntry', {
      RegionId: R, RouteTableId: w.routeTable, DestinationCidrBlock: '10.10.0.0/24', NextHopType: 'Instance', NextHopId: w.instance, RouteEntryName: `${prefix}-route`,
    })).RouteEntryId;
    w.snapshot = (await call('ecs', 'CreateSnapshot', { DiskId: w.systemDisk, SnapshotName: `${prefix}-snap` })).SnapshotId;
    await until(s, async () => (await call('ecs', 'DescribeSnapshots', { RegionId: R, SnapshotIds: JSON.stringify([w.snapshot]) })).Snapshots.Snapshot[0]?.Status === 'accomplished', `${prefix} snapshot accomplished`);
    w.image = (await call('ecs', 'CreateImage', { RegionId: R, SnapshotId: w.snapshot, ImageName: `${prefix}-image` })).ImageId;
    await until(s, async () => (await call('ecs', 'DescribeImages', { RegionId: R, ImageId: w.image })).Images.Image[0]?.Status === 'Available', `${prefix} image Available`);
    if (opts.shareWith) await call('ecs', 'ModifyImageSharePermission', { RegionId: R, ImageId: w.image, 'AddAccount.1': opts.shareWith });
    w.asp = (await call('ecs', 'CreateAutoSnapshotPolicy', { regionId: R, timePoints: '["1"]', repeatWeekdays: '["1"]', retentionDays: '7', autoSnapshotPolicyName: `${prefix}-asp` })).AutoSnapshotPolicyId;
    await call('ecs', 'ApplyAutoSnapshotPolicy', { regionId: R, autoSnapshotPolicyId: w.asp, diskIds: JSON.stringify([w.disk]) });
    w.task = (await call('ecs', 'ExportImage', { RegionId: R, ImageId: w.image, OSSBucket: w.bucket })).TaskId;
    const notBefore = new Date(s.clock.now() + 2 * 86_400_000).toISOString().slice(0, 19) + 'Z';
    w.event = (await call('ecs', 'CreateSimulatedSystemEvents', { RegionId: R, EventType: 'SystemMaintenance.Reboot', NotBefore: notBefore, 'InstanceId.1': w.instance })).EventIdSet.EventId[0];
  }
  // RAM: `user` has no policy at all (the sweep's RAM user); `user2` is in `group`, which has `policy`.
  // Cases name `user2` where RAM lets a user act on itself without a policy (its MFA device, its
  // AccessKeys: the security preference), so the RAM user's calls never reach its own.
  w.user = `${prefix}-user`;
  w.user2 = `${prefix}-user2`;
  w.group = `${prefix}-group`;
  w.role = `${prefix}-role`;
  w.policy = `${prefix}-policy`;
  await call('ram', 'CreateUser', { UserName: w.user, DisplayName: `${prefix} user` });
  const key = (await call('ram', 'CreateAccessKey', { UserName: w.user })).AccessKey;
  w.userAk = key.AccessKeyId;
  w.userSecret = key.AccessKeySecret;
  await call('ram', 'CreateUser', { UserName: w.user2 });
  w.user2Ak = (await call('ram', 'CreateAccessKey', { UserName: w.user2 })).AccessKey.AccessKeyId;
  await call('ram', 'CreateLoginProfile', { UserName: w.user2, Password: 'Sweep-Passw0rd!' });
  await call('ram', 'CreateGroup', { GroupName: w.group });
  await call('ram', 'AddUserToGroup', { GroupName: w.group, UserName: w.user2 });
  const doc = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*' }] });
  await call('ram', 'CreatePolicy', { PolicyName: w.policy, PolicyDocument: doc, Description: `${prefix} policy` });
  await call('ram', 'CreatePolicyVersion', { PolicyName: w.policy, PolicyDocument: doc });
  await call('ram', 'AttachPolicyToGroup', { PolicyType: 'Custom', PolicyName: w.policy, GroupName: w.group });
  const trust = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${accountId}:root`] } }] });
  w.roleArn = (await call('ram', 'CreateRole', { RoleName: w.role, AssumeRolePolicyDocument: trust })).Role.Arn;
  await call('ram', 'AttachPolicyToRole', { PolicyType: 'Custom', PolicyName: w.policy, RoleName: w.role });
  await call('ram', 'TagResources', { ResourceType: 'role', ResourceNames: JSON.stringify([w.role]), Tag: JSON.stringify([{ Key: w.tagKey, Value: 'v' }]) });
  await call('vpc', 'TagResources', { RegionId: R, ResourceType: 'VPC', 'ResourceId.1': w.vpc, 'Tag.1.Key': w.tagKey, 'Tag.1.Value': 'v' });
  await call('ecs', 'TagResources', { RegionId: R, ResourceType: 'disk', 'ResourceId.1': w.disk, 'Tag.1.Key': w.tagKey, 'Tag.1.Value': 'v' });
  await s.settle();
  return w;
}
