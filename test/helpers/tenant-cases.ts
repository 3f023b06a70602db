/**
 * The tenant isolation sweep's table: for every implemented action of every product, the calls
 * another account makes with account A's ids (`a`), its own where the call needs one (`b`), and
 * what it must be answered. test/api/tenant-isolation.test.ts fails on an implemented action
 * without an entry here.
 *
 * Kinds:
 *  - `missing`: the action's not-found answer (`code`), the same status, code and message as for
 *    an id nobody has — so the answer cannot tell that A's resource exists;
 *  - `noop`: a success that changes nothing (the real service answers unknown ids so), the same
 *    answer as for ids nobody has;
 *  - `listing`: a success that shows nothing of A, every TotalCount 0 (filters naming A's ids);
 *  - `own`: the call can only act on the caller's own account (creates, catalog reads, account
 *    settings): whatever it answers, nothing of A;
 *  - `admin`: an operator action, refused to an account that is not the admin (Forbidden.NotAdmin);
 *  - `global`: OSS bucket names are one namespace for all accounts (as on OSS): a taken name is
 *    known to exist, so another account's bucket answers `InvalidOSS.NotAuthorized` (403) — its
 *    objects stay unseen.
 */
import type { Product } from '../../src/api/spec.js';
import { R, sshPublicKey, type Params, type World } from './tenant-world.js';

export type Kind = 'missing' | 'noop' | 'listing' | 'own' | 'admin' | 'global';

export interface SweepCase {
  kind: Kind;
  /** The not-found code a `missing` case must answer (one of them, when it depends on who calls). */
  code?: string | readonly string[];
  p: (a: World, b: World) => Params;
  /** The action acts on the caller alone, whoever it is: a RAM user may get an answer about itself. */
  self?: true;
}

const miss = (code: string | readonly string[], p: SweepCase['p']): SweepCase => ({ kind: 'missing', code, p });
const list = (p: SweepCase['p']): SweepCase => ({ kind: 'listing', p });
const own = (p: SweepCase['p']): SweepCase => ({ kind: 'own', p });
const admin = (p: SweepCase['p'] = () => ({})): SweepCase => ({ kind: 'admin', code: 'Forbidden.NotAdmin', p });
const noop = (p: SweepCase['p']): SweepCase => ({ kind: 'noop', p });
const global = (p: SweepCase['p']): SweepCase => ({ kind: 'global', code: 'InvalidOSS.NotAuthorized', p });

const json = (...ids: string[]) => JSON.stringify(ids);
const HOUR = { StartTime: '2026-11-23T05:00:00Z', EndTime: '2026-11-23T06:00:00Z' };
const DOC = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }] });

const I = 'InvalidInstanceId.NotFound';
const D = 'InvalidDiskId.NotFound';
const SG = 'InvalidSecurityGroupId.NotFound';
const VPC = 'InvalidVpcId.NotFound';
const VSW = 'InvalidVSwitchId.NotFound';
const IMG = 'InvalidImageId.NotFound';
const SNAP = 'InvalidSnapshotId.NotFound';
const KP = 'InvalidKeyPairName.NotFound';
const RG = 'InvalidResourceGroup.NotFound';
const PL = 'InvalidPrefixListId.NotFound';
const ENI = 'InvalidEniId.NotFound';
const EIP = 'InvalidAllocationId.NotFound';
const U = 'EntityNotExist.User';
const G = 'EntityNotExist.Group';
const RO = 'EntityNotExist.Role';
const P = 'EntityNotExist.Policy';

export const SWEEP: Record<Product, Record<string, SweepCase[]>> = {
  ecs: {
    AcceptInquiredSystemEvent: [miss('InvalidEventId.NoInquiringEventFound', (a) => ({ RegionId: R, EventId: a.event }))],
    AddTags: [
      miss('InvalidResourceId.NotFound', (a) => ({ RegionId: R, ResourceType: 'instance', ResourceId: a.instance, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' })),
      miss('InvalidResourceId.NotFound', (a) => ({ RegionId: R, ResourceType: 'disk', ResourceId: a.disk, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' })),
    ],
    AllocatePublicIpAddress: [miss(I, (a) => ({ InstanceId: a.instance }))],
    ConvertNatPublicIpToEip: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance }))],
    ReleasePublicIpAddress: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, PublicIpAddress: '203.0.113.9' }))],
    // The EIP actions the ECS API hosts (src/actions/ecs-vpc.ts).
    AllocateEipAddress: [own(() => ({ RegionId: R }))],
    AssociateEipAddress: [
      miss(EIP, (a, b) => ({ RegionId: R, AllocationId: a.eip, InstanceId: b.instance })),
      miss('InvalidInstanId.NotFound', (a, b) => ({ RegionId: R, AllocationId: b.eip, InstanceId: a.instance })),
    ],
    DescribeEipAddresses: [list((a) => ({ RegionId: R, AllocationId: a.eip })), list((a) => ({ RegionId: R, EipAddress: a.eipAddress })), own(() => ({ RegionId: R }))],
    ModifyEipAddressAttribute: [miss(EIP, (a) => ({ RegionId: R, AllocationId: a.eip, Bandwidth: '6' }))],
    ReleaseEipAddress: [miss(EIP, (a) => ({ RegionId: R, AllocationId: a.eip }))],
    UnassociateEipAddress: [miss(EIP, (a, b) => ({ RegionId: R, AllocationId: a.eip, InstanceId: b.instance }))],
    ApplyAutoSnapshotPolicy: [
      miss('ParameterInvalid', (a) => ({ regionId: R, autoSnapshotPolicyId: a.asp, diskIds: json(a.disk) })),
      miss('ParameterInvalid', (a, b) => ({ regionId: R, autoSnapshotPolicyId: a.asp, diskIds: json(b.disk) })),
    ],
    AssignIpv6Addresses: [miss('InvalidEniId.NotFound', (a) => ({ RegionId: R, NetworkInterfaceId: a.eni, Ipv6AddressCount: '1' }))],
    AssignPrivateIpAddresses: [miss('InvalidEniId.NotFound', (a) => ({ RegionId: R, NetworkInterfaceId: a.eni, SecondaryPrivateIpAddressCount: '1' }))],
    AttachClassicLinkVpc: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, VpcId: a.vpc }))],
    AttachDisk: [
      miss(I, (a) => ({ InstanceId: a.instance, DiskId: a.disk })),
      miss(D, (a, b) => ({ InstanceId: b.instance, DiskId: a.disk })),
      miss(I, (a, b) => ({ InstanceId: a.instance, DiskId: b.disk })),
    ],
    AttachInstanceRamRole: [miss(I, (a) => ({ RegionId: R, RamRoleName: a.role, InstanceIds: json(a.instance) }))],
    AttachNetworkInterface: [
      miss(ENI, (a, b) => ({ RegionId: R, NetworkInterfaceId: a.eni, InstanceId: b.instance })),
      miss(I, (a, b) => ({ RegionId: R, NetworkInterfaceId: b.eni, InstanceId: a.instance })),
    ],
    AttachKeyPair: [
      miss(KP, (a) => ({ RegionId: R, KeyPairName: a.keyPair, InstanceIds: json(a.instance) })),
      // Per-instance results in a 200 answer, as ECS does: the instance's own not-found code.
      noop((a, b) => ({ RegionId: R, KeyPairName: b.keyPair, InstanceIds: json(a.instance) })),
    ],
    AuthorizeSecurityGroup: [
      miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' })),
      // Another account's group is a peer only when its owner is named (SourceGroupOwnerId/Account).
      miss('InvalidSourceGroupId.NotFound', (a, b) => ({ RegionId: R, SecurityGroupId: b.sg, IpProtocol: 'tcp', PortRange: '80/80', SourceGroupId: a.sg })),
      miss(PL, (a, b) => ({ RegionId: R, SecurityGroupId: b.sg, IpProtocol: 'tcp', PortRange: '80/80', SourcePrefixListId: a.prefixList })),
    ],
    AuthorizeSecurityGroupEgress: [
      miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, IpProtocol: 'tcp', PortRange: '80/80', DestCidrIp: '0.0.0.0/0' })),
      miss('InvalidDestGroupId.NotFound', (a, b) => ({ RegionId: R, SecurityGroupId: b.sg, IpProtocol: 'tcp', PortRange: '80/80', DestGroupId: a.sg })),
      miss(PL, (a, b) => ({ RegionId: R, SecurityGroupId: b.sg, IpProtocol: 'tcp', PortRange: '80/80', DestPrefixListId: a.prefixList })),
    ],
    CancelAutoSnapshotPolicy: [miss(D, (a) => ({ regionId: R, diskIds: json(a.disk) }))],
    CancelCopyImage: [miss(IMG, (a) => ({ RegionId: R, ImageId: a.image }))],
    CancelSimulatedSystemEvents: [miss('InvalidEventId.NotFound', (a) => ({ RegionId: R, 'EventId.1': a.event }))],
    CancelTask: [miss('InvalidTaskId.NotFound', (a) => ({ RegionId: R, TaskId: a.task }))],
    CopyImage: [miss(IMG, (a) => ({ RegionId: R, ImageId: a.image, DestinationRegionId: 'cn-shanghai' }))],
    CopySnapshot: [miss(SNAP, (a) => ({ RegionId: R, SnapshotId: a.snapshot, DestinationRegionId: 'cn-shanghai', DestinationSnapshotName: 'copy', DestinationSnapshotDescription: 'copy' }))],
    CreateAutoSnapshotPolicy: [miss(RG, (a) => ({ regionId: R, timePoints: '["1"]', repeatWeekdays: '["1"]', retentionDays: '1', ResourceGroupId: a.rg }))],
    CreateDisk: [
      miss(SNAP, (a, b) => ({ RegionId: R, ZoneId: b.zone, DiskCategory: 'cloud_essd', SnapshotId: a.snapshot })),
      miss(RG, (a, b) => ({ RegionId: R, ZoneId: b.zone, DiskCategory: 'cloud_essd', Size: '20', ResourceGroupId: a.rg })),
      miss(I, (a) => ({ RegionId: R, DiskCategory: 'cloud_essd', Size: '20', InstanceId: a.instance })),
    ],
    CreateImage: [
      miss(I, (a) => ({ RegionId: R, InstanceId: a.instance })),
      miss(SNAP, (a) => ({ RegionId: R, SnapshotId: a.snapshot })),
    ],
    CreateInstance: [
      miss(IMG, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: a.image, VSwitchId: b.vswitch, SecurityGroupId: b.sg })),
      miss(VSW, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: a.vswitch, SecurityGroupId: b.sg })),
      miss(SG, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: a.sg })),
      miss(KP, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, KeyPairName: a.keyPair })),
      miss(RG, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, ResourceGroupId: a.rg })),
      miss('InvalidDataDiskSnapshotId.NotFound', (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, 'DataDisk.1.SnapshotId': a.snapshot, 'DataDisk.1.Category': 'cloud_essd' })),
    ],
    CreateNetworkInterfacePermission: [miss(ENI, (a, b) => ({ RegionId: R, NetworkInterfaceId: a.eni, AccountId: b.accountId, Permission: 'InstanceAttach' }))],
    CreateNetworkInterface: [
      miss(VSW, (a, b) => ({ RegionId: R, VSwitchId: a.vswitch, SecurityGroupId: b.sg })),
      miss(SG, (a, b) => ({ RegionId: R, VSwitchId: b.vswitch, SecurityGroupId: a.sg })),
      miss(RG, (a, b) => ({ RegionId: R, VSwitchId: b.vswitch, SecurityGroupId: b.sg, ResourceGroupId: a.rg })),
    ],
    CreatePrefixList: [own((a, b) => ({ RegionId: R, AddressFamily: 'IPv4', MaxEntries: '1', PrefixListName: `${b.prefix}-pl2` }))],
    CreateKeyPair: [miss(RG, (a, b) => ({ RegionId: R, KeyPairName: `${b.prefix}-kp2`, ResourceGroupId: a.rg }))],
    CreateRouteEntry: [
      miss('InvalidRouteTableId.NotFound', (a, b) => ({ RouteTableId: a.routeTable, DestinationCidrBlock: '10.20.0.0/24', NextHopType: 'Instance', NextHopId: b.instance })),
      miss('InvalidNextHopId.NotFound', (a, b) => ({ RouteTableId: b.routeTable, DestinationCidrBlock: '10.20.0.0/24', NextHopType: 'Instance', NextHopId: a.instance })),
    ],
    CreateSecurityGroup: [
      miss(VPC, (a) => ({ RegionId: R, VpcId: a.vpc })),
      miss(RG, (a, b) => ({ RegionId: R, VpcId: b.vpc, ResourceGroupId: a.rg })),
    ],
    CreateSimulatedSystemEvents: [miss(I, (a) => ({ RegionId: R, EventType: 'SystemMaintenance.Reboot', NotBefore: '2030-01-01T00:00:00Z', 'InstanceId.1': a.instance }))],
    CreateSnapshot: [
      miss(D, (a) => ({ DiskId: a.disk })),
      miss(RG, (a, b) => ({ DiskId: b.systemDisk, ResourceGroupId: a.rg })),
    ],
    CreateVSwitch: [miss(VPC, (a, b) => ({ ZoneId: b.zone, CidrBlock: '10.0.7.0/24', VpcId: a.vpc }))],
    CreateVpc: [own((_a, b) => ({ RegionId: R, VpcName: `${b.prefix}-vpc2` }))],
    DeleteAutoSnapshotPolicy: [miss('ParameterInvalid', (a) => ({ regionId: R, autoSnapshotPolicyId: a.asp }))],
    DeleteDisk: [miss(D, (a) => ({ DiskId: a.disk }))],
    DeleteImage: [miss(IMG, (a) => ({ RegionId: R, ImageId: a.image }))],
    DeleteInstance: [miss(I, (a) => ({ InstanceId: a.instance }))],
    DeleteInstances: [miss(I, (a) => ({ RegionId: R, 'InstanceId.1': a.instance }))],
    // ECS deletes the named pairs that exist and answers success for the others.
    DeleteNetworkInterface: [miss(ENI, (a) => ({ RegionId: R, NetworkInterfaceId: a.eni }))],
    DeleteNetworkInterfacePermission: [miss('InvalidEniPermissionId.NotFound', () => ({ RegionId: R, NetworkInterfacePermissionId: 'eni-perm-nothere00000000000' }))],
    DeletePrefixList: [miss(PL, (a) => ({ RegionId: R, PrefixListId: a.prefixList }))],
    DeleteKeyPairs: [noop((a) => ({ RegionId: R, KeyPairNames: json(a.keyPair) }))],
    DeleteRouteEntry: [miss('InvalidRouteTableId.NotFound', (a) => ({ RouteTableId: a.routeTable, DestinationCidrBlock: '10.10.0.0/24', NextHopId: a.instance }))],
    DeleteSecurityGroup: [miss('InvalidSecurityGroup.NotFound', (a) => ({ RegionId: R, SecurityGroupId: a.sg }))],
    DeleteSnapshot: [miss(SNAP, (a) => ({ SnapshotId: a.snapshot }))],
    DeleteVSwitch: [miss(VSW, (a) => ({ VSwitchId: a.vswitch }))],
    DeleteVpc: [miss(VPC, (a) => ({ VpcId: a.vpc }))],
    DescribeAccountAttributes: [own(() => ({ RegionId: R }))],
    DescribeAutoSnapshotPolicyEx: [list((a) => ({ RegionId: R, AutoSnapshotPolicyId: a.asp })), own(() => ({ RegionId: R }))],
    DescribeAvailableResource: [own(() => ({ RegionId: R, DestinationResource: 'InstanceType' }))],
    DescribeDiskMonitorData: [miss(D, (a) => ({ DiskId: a.disk, ...HOUR }))],
    DescribeDisks: [
      list((a) => ({ RegionId: R, DiskIds: json(a.disk, a.systemDisk) })),
      list((a) => ({ RegionId: R, InstanceId: a.instance })),
      list((a) => ({ RegionId: R, SnapshotId: a.snapshot })),
      list((a) => ({ RegionId: R, AutoSnapshotPolicyId: a.asp })),
      list((a) => ({ RegionId: R, 'Tag.1.Key': a.tagKey })),
      own(() => ({ RegionId: R })),
    ],
    DescribeDisksFullStatus: [
      list((a) => ({ RegionId: R, 'DiskId.1': a.disk })),
      list((a) => ({ RegionId: R, 'EventId.1': a.event })),
      own(() => ({ RegionId: R })),
    ],
    DescribeImageSharePermission: [miss(IMG, (a) => ({ RegionId: R, ImageId: a.image }))],
    DescribeImageSupportInstanceTypes: [miss(IMG, (a) => ({ RegionId: R, ImageId: a.image }))],
    DescribeImages: [
      list((a) => ({ RegionId: R, ImageId: a.image })),
      list((a) => ({ RegionId: R, SnapshotId: a.snapshot })),
      list(() => ({ RegionId: R, ImageOwnerAlias: 'self' })),
      list(() => ({ RegionId: R, ImageOwnerAlias: 'others' })),
      own(() => ({ RegionId: R, PageSize: '100' })),
    ],
    DescribeInstanceAttachmentAttributes: [miss('InvalidInstanceIds.NotFound', (a) => ({ RegionId: R, InstanceIds: json(a.instance) }))],
    DescribeInstanceAttribute: [miss(I, (a) => ({ InstanceId: a.instance }))],
    DescribeInstanceAutoRenewAttribute: [miss('InvalidParameter.InvalidInstanceId', (a) => ({ RegionId: R, InstanceId: a.instance }))],
    DescribeInstanceHistoryEvents: [
      list((a) => ({ RegionId: R, InstanceId: a.instance })),
      list((a) => ({ RegionId: R, 'EventId.1': a.event })),
      list((a) => ({ RegionId: R, 'ResourceId.1': a.instance })),
      own(() => ({ RegionId: R })),
    ],
    DescribeInstanceMaintenanceAttributes: [miss(I, (a) => ({ RegionId: R, 'InstanceId.1': a.instance })), own(() => ({ RegionId: R }))],
    DescribeInstanceMonitorData: [miss(I, (a) => ({ InstanceId: a.instance, ...HOUR }))],
    DescribeInstanceRamRole: [miss(I, (a) => ({ RegionId: R, InstanceIds: json(a.instance) })), own(() => ({ RegionId: R }))],
    DescribeInstanceStatus: [list((a) => ({ RegionId: R, 'InstanceId.1': a.instance })), own(() => ({ RegionId: R }))],
    DescribeInstanceTypeFamilies: [own(() => ({ RegionId: R }))],
    DescribeInstanceTypes: [own(() => ({}))],
    DescribeInstanceVncUrl: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance }))],
    DescribeInstances: [
      list((a) => ({ RegionId: R, InstanceIds: json(a.instance) })),
      list((a) => ({ RegionId: R, VpcId: a.vpc })),
      list((a) => ({ RegionId: R, VSwitchId: a.vswitch })),
      list((a) => ({ RegionId: R, SecurityGroupId: a.sg })),
      list((a) => ({ RegionId: R, KeyPairName: a.keyPair })),
      list((a) => ({ RegionId: R, ImageId: a.systemImage, InstanceName: `${a.prefix}-vm` })),
      list((a) => ({ RegionId: R, 'Tag.1.Key': a.tagKey })),
      list((a) => ({ RegionId: R, ResourceGroupId: a.rg })),
      own(() => ({ RegionId: R })),
    ],
    DescribeInstancesFullStatus: [
      list((a) => ({ RegionId: R, 'InstanceId.1': a.instance })),
      list((a) => ({ RegionId: R, 'EventId.1': a.event })),
      own(() => ({ RegionId: R })),
    ],
    DescribePrefixListAssociations: [miss(PL, (a) => ({ RegionId: R, PrefixListId: a.prefixList }))],
    DescribePrefixListAttributes: [miss(PL, (a) => ({ RegionId: R, PrefixListId: a.prefixList }))],
    DescribePrefixLists: [list((a) => ({ RegionId: R, 'PrefixListId.1': a.prefixList })), list((a) => ({ RegionId: R, PrefixListName: `${a.prefix}-pl` })), own(() => ({ RegionId: R }))],
    DescribeKeyPairs: [list((a) => ({ RegionId: R, KeyPairName: a.keyPair })), own(() => ({ RegionId: R }))],
    DescribeNetworkInterfaceAttribute: [miss(ENI, (a) => ({ RegionId: R, NetworkInterfaceId: a.eni }))],
    DescribeNetworkInterfacePermissions: [list((a) => ({ RegionId: R, NetworkInterfaceId: a.eni }))],
    DescribeNetworkInterfaces: [
      list((a) => ({ RegionId: R, 'NetworkInterfaceId.1': a.eni })),
      list((a) => ({ RegionId: R, InstanceId: a.instance })),
      list((a) => ({ RegionId: R, VpcId: a.vpc })),
      list((a) => ({ RegionId: R, SecurityGroupId: a.sg })),
      own(() => ({ RegionId: R })),
    ],
    DescribeRegions: [own(() => ({}))],
    DescribeRouteTables: [list((a) => ({ RegionId: R, RouteTableId: a.routeTable })), list((a) => ({ RegionId: R, VRouterId: a.vrouter }))],
    DescribeSecurityGroupAttribute: [miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg }))],
    DescribeSecurityGroupReferences: [miss(SG, (a) => ({ RegionId: R, 'SecurityGroupId.1': a.sg }))],
    DescribeSecurityGroups: [
      list((a) => ({ RegionId: R, SecurityGroupIds: json(a.sg) })),
      list((a) => ({ RegionId: R, SecurityGroupId: a.sg })),
      list((a) => ({ RegionId: R, VpcId: a.vpc })),
      own(() => ({ RegionId: R })),
    ],
    DescribeSnapshots: [
      list((a) => ({ RegionId: R, SnapshotIds: json(a.snapshot) })),
      list((a) => ({ RegionId: R, DiskId: a.systemDisk })),
      list((a) => ({ RegionId: R, InstanceId: a.instance })),
      own(() => ({ RegionId: R })),
    ],
    DescribeTags: [
      list((a) => ({ RegionId: R, ResourceType: 'instance', ResourceId: a.instance })),
      list((a) => ({ RegionId: R, 'Tag.1.Key': a.tagKey })),
      own(() => ({ RegionId: R })),
    ],
    DescribeTaskAttribute: [miss('InvalidTaskId.NotFound', (a) => ({ RegionId: R, TaskId: a.task }))],
    DescribeTasks: [list((a) => ({ RegionId: R, TaskIds: a.task })), list((a) => ({ RegionId: R, ResourceIds: json(a.image) })), own(() => ({ RegionId: R }))],
    DescribeUserData: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance }))],
    DescribeVRouters: [list((a) => ({ RegionId: R, VRouterId: a.vrouter })), own(() => ({ RegionId: R }))],
    DescribeVSwitches: [list((a) => ({ RegionId: R, VSwitchId: a.vswitch })), list((a) => ({ RegionId: R, VpcId: a.vpc })), own(() => ({ RegionId: R }))],
    DescribeVpcs: [list((a) => ({ RegionId: R, VpcId: a.vpc })), own(() => ({ RegionId: R }))],
    DescribeZones: [own(() => ({ RegionId: R }))],
    DescribeSpotAdvice: [own(() => ({ RegionId: R }))],
    DescribeSpotPriceHistory: [own(() => ({ RegionId: R, NetworkType: 'vpc', InstanceType: 'ecs.g6.large' }))],
    DescribePrice: [own(() => ({ RegionId: R, InstanceType: 'ecs.g6.large' }))],
    DescribeRenewalPrice: [miss(I, (a) => ({ RegionId: R, ResourceId: a.instance }))],
    DescribeInstanceModificationPrice: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, InstanceType: 'ecs.g7.xlarge' }))],
    DetachClassicLinkVpc: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, VpcId: a.vpc }))],
    DetachDisk: [
      miss(I, (a) => ({ InstanceId: a.instance, DiskId: a.systemDisk })),
      miss(D, (a, b) => ({ InstanceId: b.instance, DiskId: a.disk })),
    ],
    DetachInstanceRamRole: [miss(I, (a) => ({ RegionId: R, InstanceIds: json(a.instance) }))],
    DetachNetworkInterface: [
      miss(ENI, (a, b) => ({ RegionId: R, NetworkInterfaceId: a.eni, InstanceId: b.instance })),
      miss(I, (a, b) => ({ RegionId: R, NetworkInterfaceId: b.eni, InstanceId: a.instance })),
    ],
    DetachKeyPair: [miss(KP, (a) => ({ RegionId: R, KeyPairName: a.keyPair, InstanceIds: json(a.instance) }))],
    ExportImage: [miss(IMG, (a, b) => ({ RegionId: R, ImageId: a.image, OSSBucket: b.bucket }))],
    ImportImage: [
      global((a) => ({ RegionId: R, 'DiskDeviceMapping.1.OSSBucket': a.bucket, 'DiskDeviceMapping.1.OSSObject': a.objectKey })),
      miss(RG, (a, b) => ({ RegionId: R, 'DiskDeviceMapping.1.OSSBucket': b.bucket, 'DiskDeviceMapping.1.OSSObject': b.objectKey, ResourceGroupId: a.rg })),
    ],
    ImportKeyPair: [miss(RG, (a, b) => ({ RegionId: R, KeyPairName: `${b.prefix}-kp3`, PublicKeyBody: sshPublicKey('sweep'), ResourceGroupId: a.rg }))],
    JoinResourceGroup: [
      miss(RG, (a, b) => ({ RegionId: R, ResourceGroupId: a.rg, ResourceId: b.instance, ResourceType: 'instance' })),
      miss('InvalidResourceId.NotFound', (a, b) => ({ RegionId: R, ResourceGroupId: b.rg, ResourceId: a.instance, ResourceType: 'instance' })),
    ],
    JoinSecurityGroup: [
      miss(SG, (a, b) => ({ SecurityGroupId: a.sg, InstanceId: b.instance })),
      miss(I, (a, b) => ({ SecurityGroupId: b.sg, InstanceId: a.instance })),
    ],
    LeaveSecurityGroup: [miss(I, (a) => ({ SecurityGroupId: a.sg, InstanceId: a.instance }))],
    ListTagResources: [
      list((a) => ({ RegionId: R, ResourceType: 'instance', 'ResourceId.1': a.instance })),
      list((a) => ({ RegionId: R, ResourceType: 'disk', 'Tag.1.Key': a.tagKey })),
      own(() => ({ RegionId: R, ResourceType: 'instance' })),
    ],
    ModifyAutoSnapshotPolicyEx: [miss('ParameterInvalid', (a) => ({ regionId: R, autoSnapshotPolicyId: a.asp, autoSnapshotPolicyName: 'x' }))],
    ModifyDiskAttribute: [miss(D, (a) => ({ DiskId: a.disk, DiskName: 'renamed' }))],
    ModifyDiskChargeType: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, DiskIds: json(a.disk), DiskChargeType: 'PrePaid' }))],
    ModifyDiskSpec: [miss(D, (a) => ({ DiskId: a.disk, DiskCategory: 'cloud_essd', PerformanceLevel: 'PL2' }))],
    ModifyImageAttribute: [miss(IMG, (a) => ({ RegionId: R, ImageId: a.image, ImageName: 'x' }))],
    ModifyImageSharePermission: [miss(IMG, (a, b) => ({ RegionId: R, ImageId: a.image, 'AddAccount.1': b.accountId }))],
    ModifyInstanceAttachmentAttributes: [miss('Invalid.InstanceId', (a) => ({ RegionId: R, InstanceId: a.instance, 'PrivatePoolOptions.MatchCriteria': 'Open' }))],
    ModifyInstanceAttribute: [
      miss(I, (a) => ({ InstanceId: a.instance, InstanceName: 'x' })),
      miss(SG, (a, b) => ({ InstanceId: b.instance, SecurityGroupIds: json(a.sg) })),
    ],
    ModifyInstanceAutoReleaseTime: [miss('NoSuchResource', (a) => ({ InstanceId: a.instance }))],
    ModifyInstanceAutoRenewAttribute: [miss('InvalidParameter.InvalidInstanceId', (a) => ({ RegionId: R, InstanceId: a.instance }))],
    ModifyInstanceChargeType: [miss('InvalidParameter.InstanceIds', (a) => ({ RegionId: R, InstanceIds: json(a.instance), InstanceChargeType: 'PostPaid' }))],
    ModifyInstanceMaintenanceAttributes: [miss(I, (a) => ({ RegionId: R, 'InstanceId.1': a.instance, ActionOnMaintenance: 'AutoRecover' }))],
    ModifyInstanceMetadataOptions: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, HttpEndpoint: 'enabled' }))],
    ModifyInstanceNetworkSpec: [miss(I, (a) => ({ InstanceId: a.instance, InternetMaxBandwidthOut: '5' }))],
    ModifyInstanceSpec: [miss(I, (a) => ({ InstanceId: a.stoppedInstance, InstanceType: 'ecs.g7.xlarge' }))],
    ModifyNetworkInterfaceAttribute: [miss(ENI, (a) => ({ RegionId: R, NetworkInterfaceId: a.eni, Description: 'changed by another' }))],
    ModifyInstanceVncPasswd: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, VncPassword: 'Abc123' }))],
    ModifyInstanceVpcAttribute: [
      miss(I, (a, b) => ({ InstanceId: a.stoppedInstance, VSwitchId: b.vswitch })),
      miss(VSW, (a, b) => ({ InstanceId: b.stoppedInstance, VSwitchId: a.vswitch })),
    ],
    ModifyPrepayInstanceSpec: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, InstanceType: 'ecs.g7.xlarge' }))],
    ModifyPrefixList: [miss(PL, (a) => ({ RegionId: R, PrefixListId: a.prefixList, 'AddEntry.1.Cidr': '203.0.113.0/24' }))],
    ModifySecurityGroupAttribute: [miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, SecurityGroupName: 'x' }))],
    ModifySecurityGroupEgressRule: [miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, SecurityGroupRuleId: a.sgEgressRule, Description: 'x' }))],
    ModifySecurityGroupPolicy: [miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, InnerAccessPolicy: 'Drop' }))],
    ModifySecurityGroupRule: [
      miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, SecurityGroupRuleId: a.sgRule, Description: 'x' })),
      miss('InvalidSecurityGroupRuleId.NotFound', (a, b) => ({ RegionId: R, SecurityGroupId: b.sg, SecurityGroupRuleId: a.sgRule, Description: 'x' })),
    ],
    ModifySnapshotAttribute: [miss(SNAP, (a) => ({ SnapshotId: a.snapshot, SnapshotName: 'x' }))],
    ModifyVRouterAttribute: [miss('InvalidVRouterId.NotFound', (a) => ({ VRouterId: a.vrouter, VRouterName: 'x' }))],
    ModifyVSwitchAttribute: [miss(VSW, (a) => ({ VSwitchId: a.vswitch, VSwitchName: 'x' }))],
    ModifyVpcAttribute: [miss(VPC, (a) => ({ VpcId: a.vpc, VpcName: 'x' }))],
    ReActivateInstances: [miss(I, (a) => ({ RegionId: R, InstanceId: a.stoppedInstance }))],
    ReInitDisk: [miss(D, (a) => ({ DiskId: a.systemDisk }))],
    RebootInstance: [miss(I, (a) => ({ InstanceId: a.instance }))],
    RebootInstances: [miss(I, (a) => ({ RegionId: R, 'InstanceId.1': a.instance }))],
    RemoveTags: [miss('InvalidResourceId.NotFound', (a) => ({ RegionId: R, ResourceType: 'instance', ResourceId: a.instance, 'Tag.1.Key': a.tagKey, 'Tag.1.Value': `${a.prefix}-value` }))],
    RenewInstance: [miss(I, (a) => ({ InstanceId: a.instance, Period: '1', PeriodUnit: 'Month' }))],
    ReplaceSystemDisk: [
      miss(I, (a) => ({ InstanceId: a.stoppedInstance, ImageId: a.systemImage })),
      miss(IMG, (a, b) => ({ InstanceId: b.stoppedInstance, ImageId: a.image })),
    ],
    ResetDisk: [
      miss(D, (a) => ({ DiskId: a.systemDisk, SnapshotId: a.snapshot })),
      miss(SNAP, (a, b) => ({ DiskId: b.systemDisk, SnapshotId: a.snapshot })),
    ],
    ResizeDisk: [miss(D, (a) => ({ DiskId: a.disk, NewSize: '40' }))],
    RevokeSecurityGroup: [miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, 'SecurityGroupRuleId.1': a.sgRule }))],
    RevokeSecurityGroupEgress: [miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, 'SecurityGroupRuleId.1': a.sgEgressRule }))],
    RunInstances: [
      miss(IMG, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: a.image, VSwitchId: b.vswitch, SecurityGroupId: b.sg })),
      miss(VSW, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: a.vswitch, SecurityGroupId: b.sg })),
      miss(SG, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: a.sg })),
      miss(KP, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, KeyPairName: a.keyPair })),
      miss(RG, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, ResourceGroupId: a.rg })),
      miss('InvalidDataDiskSnapshotId.NotFound', (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, 'DataDisk.1.SnapshotId': a.snapshot, 'DataDisk.1.Category': 'cloud_essd' })),
      miss(SG, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, 'SecurityGroupIds.1': b.sg, 'SecurityGroupIds.2': a.sg2 })),
      // NetworkInterface.N: the secondary ENI's VSwitch and group, or an existing ENI, of another account.
      miss(ENI, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, 'NetworkInterface.1.NetworkInterfaceId': a.eni })),
      miss(VSW, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, 'NetworkInterface.1.VSwitchId': a.vswitch })),
      miss(SG, (a, b) => ({ RegionId: R, InstanceType: 'ecs.g7.large', ImageId: b.systemImage, VSwitchId: b.vswitch, SecurityGroupId: b.sg, 'NetworkInterface.1.SecurityGroupId': a.sg })),
    ],
    StartInstance: [miss(I, (a) => ({ InstanceId: a.stoppedInstance }))],
    StartInstances: [miss(I, (a) => ({ RegionId: R, 'InstanceId.1': a.stoppedInstance }))],
    StopInstance: [miss(I, (a) => ({ InstanceId: a.instance }))],
    StopInstances: [miss(I, (a) => ({ RegionId: R, 'InstanceId.1': a.instance }))],
    TagResources: [
      ...(['instance', 'disk', 'snapshot', 'image', 'securitygroup', 'keypair', 'eni'] as const).map((type) => miss('InvalidResourceId.NotFound', (a) => ({
        RegionId: R, ResourceType: type, 'ResourceId.1': { instance: a.instance, disk: a.disk, snapshot: a.snapshot, image: a.image, securitygroup: a.sg, keypair: a.keyPair, eni: a.eni }[type]!,
        'Tag.1.Key': 'k', 'Tag.1.Value': 'v',
      }))),
    ],
    UnassignIpv6Addresses: [miss('InvalidEniId.NotFound', (a) => ({ RegionId: R, NetworkInterfaceId: a.eni, 'Ipv6Address.1': '2001:db8::10' }))],
    UnassignPrivateIpAddresses: [miss('InvalidEniId.NotFound', (a) => ({ RegionId: R, NetworkInterfaceId: a.eni, 'PrivateIpAddress.1': '10.0.0.200' }))],
    UntagResources: [miss('InvalidResourceId.NotFound', (a) => ({ RegionId: R, ResourceType: 'disk', 'ResourceId.1': a.disk, 'TagKey.1': a.tagKey }))],
  },
  vpc: {
    AllocateEipAddress: [
      own((_a, b) => ({ RegionId: R, Name: `${b.prefix}-eip2` })),
      miss('InvalidResourceGroupId', (a) => ({ RegionId: R, ResourceGroupId: a.rg })),
    ],
    AssociateEipAddress: [
      miss(EIP, (a, b) => ({ RegionId: R, AllocationId: a.eip, InstanceId: b.instance })),
      miss('InvalidInstanId.NotFound', (a, b) => ({ RegionId: R, AllocationId: b.eip, InstanceId: a.instance })),
      miss('InvalidParams.NotFound', (a, b) => ({ RegionId: R, AllocationId: b.eip, InstanceId: a.eni, InstanceType: 'NetworkInterface' })),
    ],
    DescribeEipAddresses: [
      list((a) => ({ RegionId: R, AllocationId: a.eip })),
      list((a) => ({ RegionId: R, EipAddress: a.eipAddress })),
      list((a) => ({ RegionId: R, EipName: `${a.prefix}-eip` })),
      list((a) => ({ RegionId: R, ResourceGroupId: a.rg })),
      own(() => ({ RegionId: R })),
    ],
    ModifyEipAddressAttribute: [miss(EIP, (a) => ({ RegionId: R, AllocationId: a.eip, Name: 'x' }))],
    ReleaseEipAddress: [miss(EIP, (a) => ({ RegionId: R, AllocationId: a.eip }))],
    UnassociateEipAddress: [miss(EIP, (a, b) => ({ RegionId: R, AllocationId: a.eip, InstanceId: b.instance }))],
    AssociateVpcCidrBlock: [miss('InvalidVpc.NotFound', (a) => ({ RegionId: R, VpcId: a.vpc, SecondaryCidrBlock: '10.1.0.0/16' }))],
    CreateDefaultVSwitch: [own((_a, b) => ({ RegionId: R, ZoneId: b.zone }))],
    CreateDefaultVpc: [miss('InvalidResourceGroupId', (a) => ({ RegionId: R, ResourceGroupId: a.rg }))],
    CreateRouteEntry: [
      miss('InvalidRouteTableId.NotFound', (a, b) => ({ RegionId: R, RouteTableId: a.routeTable, DestinationCidrBlock: '10.20.0.0/24', NextHopType: 'Instance', NextHopId: b.instance })),
      miss('InvalidNextHopId.NotFound', (a, b) => ({ RegionId: R, RouteTableId: b.routeTable, DestinationCidrBlock: '10.20.0.0/24', NextHopType: 'Instance', NextHopId: a.instance })),
    ],
    CreateVSwitch: [miss(VPC, (a, b) => ({ RegionId: R, ZoneId: b.zone, CidrBlock: '10.0.7.0/24', VpcId: a.vpc }))],
    CreateVpc: [miss('InvalidResourceGroupId', (a) => ({ RegionId: R, ResourceGroupId: a.rg }))],
    DeleteRouteEntry: [miss('InvalidRouteEntryId.NotFound', (a) => ({ RegionId: R, RouteEntryId: a.routeEntry }))],
    DeleteVSwitch: [miss(VSW, (a) => ({ RegionId: R, VSwitchId: a.vswitch }))],
    DeleteVpc: [miss(VPC, (a) => ({ RegionId: R, VpcId: a.vpc }))],
    DeletionProtection: [
      miss('DeletionProtection.ResourceNotExist', (a) => ({ RegionId: R, ProtectionEnable: 'true', Type: 'EIP', InstanceId: a.instance })),
      miss('DeletionProtection.ResourceNotExist', (a) => ({ RegionId: R, ProtectionEnable: 'true', Type: 'EIP', InstanceId: a.eip })),
    ],
    DescribeRouteEntryList: [miss('InvalidRouteTable.NotFound', (a) => ({ RegionId: R, RouteTableId: a.routeTable }))],
    DescribeRouteTableList: [
      list((a) => ({ RegionId: R, RouteTableId: a.routeTable })),
      list((a) => ({ RegionId: R, VpcId: a.vpc })),
      list((a) => ({ RegionId: R, RouterId: a.vrouter })),
      own(() => ({ RegionId: R })),
    ],
    DescribeRouteTables: [list((a) => ({ RegionId: R, RouteTableId: a.routeTable })), list((a) => ({ RegionId: R, VRouterId: a.vrouter }))],
    DescribeVRouters: [list((a) => ({ RegionId: R, VRouterId: a.vrouter })), own(() => ({ RegionId: R }))],
    // An unknown id answers an empty body, as the real service does (src/actions/vpc.ts).
    DescribeVSwitchAttributes: [noop((a) => ({ RegionId: R, VSwitchId: a.vswitch }))],
    DescribeVSwitches: [
      list((a) => ({ RegionId: R, VSwitchId: a.vswitch })),
      list((a) => ({ RegionId: R, VpcId: a.vpc })),
      list((a) => ({ RegionId: R, RouteTableId: a.routeTable })),
      list((a) => ({ RegionId: R, ResourceGroupId: a.rg })),
      own(() => ({ RegionId: R })),
    ],
    DescribeVpcAttribute: [noop((a) => ({ RegionId: R, VpcId: a.vpc }))],
    DescribeVpcs: [
      list((a) => ({ RegionId: R, VpcId: a.vpc })),
      list((a) => ({ RegionId: R, VpcName: a.vpcName })),
      list((a) => ({ RegionId: R, ResourceGroupId: a.rg })),
      own(() => ({ RegionId: R })),
    ],
    DisableVpcClassicLink: [miss(VPC, (a) => ({ RegionId: R, VpcId: a.vpc }))],
    EnableVpcClassicLink: [miss(VPC, (a) => ({ RegionId: R, VpcId: a.vpc }))],
    ListTagResources: [
      list((a) => ({ RegionId: R, ResourceType: 'VPC', 'ResourceId.1': a.vpc })),
      list((a) => ({ RegionId: R, ResourceType: 'VPC', 'Tag.1.Key': a.tagKey })),
    ],
    ModifyRouteTableAttributes: [miss('Abs.InvalidRouteTableId.NotExist', (a) => ({ RegionId: R, RouteTableId: a.routeTable, RouteTableName: 'x' }))],
    ModifyVRouterAttribute: [miss('InvalidVRouterId.NotFound', (a) => ({ RegionId: R, VRouterId: a.vrouter, VRouterName: 'x' }))],
    ModifyVSwitchAttribute: [miss(VSW, (a) => ({ RegionId: R, VSwitchId: a.vswitch, VSwitchName: 'x' }))],
    ModifyVpcAttribute: [miss(VPC, (a) => ({ RegionId: R, VpcId: a.vpc, VpcName: 'x' }))],
    MoveResourceGroup: [
      miss('InvalidResourceId.NotFound', (a, b) => ({ RegionId: R, ResourceType: 'vpc', ResourceId: a.vpc, NewResourceGroupId: b.rg })),
      miss('InvalidResourceGroupId', (a, b) => ({ RegionId: R, ResourceType: 'vpc', ResourceId: b.vpc, NewResourceGroupId: a.rg })),
    ],
    TagResources: [
      miss('InvalidInstanceIds.NotFound', (a) => ({ RegionId: R, ResourceType: 'VPC', 'ResourceId.1': a.vpc, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' })),
      miss('InvalidInstanceIds.NotFound', (a) => ({ RegionId: R, ResourceType: 'VSWITCH', 'ResourceId.1': a.vswitch, 'Tag.1.Key': 'k', 'Tag.1.Value': 'v' })),
    ],
    UnTagResources: [miss('InvalidInstanceIds.NotFound', (a) => ({ RegionId: R, ResourceType: 'VPC', 'ResourceId.1': a.vpc, 'TagKey.1': a.tagKey }))],
    UnassociateVpcCidrBlock: [miss('InvalidVpc.NotFound', (a) => ({ RegionId: R, VpcId: a.vpc, SecondaryCidrBlock: '10.1.0.0/16' }))],
  },
  sts: {
    AssumeRole: [miss('NoPermission', (a) => ({ RoleArn: a.roleArn, RoleSessionName: 'sweep' }))],
    GetCallerIdentity: [own(() => ({}))],
  },
  ram: {
    AddUserToGroup: [
      miss(U, (a, b) => ({ UserName: a.user, GroupName: b.group })),
      miss(G, (a, b) => ({ UserName: b.user, GroupName: a.group })),
    ],
    AttachPolicyToGroup: [miss(P, (a, b) => ({ PolicyType: 'Custom', PolicyName: a.policy, GroupName: b.group }))],
    AttachPolicyToRole: [miss(RO, (a) => ({ PolicyType: 'System', PolicyName: 'AdministratorAccess', RoleName: a.role }))],
    AttachPolicyToUser: [
      miss(P, (a, b) => ({ PolicyType: 'Custom', PolicyName: a.policy, UserName: b.user })),
      miss(U, (a) => ({ PolicyType: 'System', PolicyName: 'AdministratorAccess', UserName: a.user })),
    ],
    // Only ever the caller's own password (a RAM user's, by the security preference without a policy).
    ChangePassword: [{ ...own(() => ({ OldPassword: 'Sweep-Passw0rd!', NewPassword: 'Other-Passw0rd!' })), self: true }],
    ClearAccountAlias: [own(() => ({}))],
    CreateAccessKey: [miss(U, (a) => ({ UserName: a.user2 }))],
    CreateGroup: [own((_a, b) => ({ GroupName: `${b.prefix}-group2` }))],
    CreateLoginProfile: [miss(U, (a) => ({ UserName: a.user, Password: 'Sweep-Passw0rd!' }))],
    CreatePolicy: [own((_a, b) => ({ PolicyName: `${b.prefix}-policy2`, PolicyDocument: DOC }))],
    CreatePolicyVersion: [miss(P, (a) => ({ PolicyName: a.policy, PolicyDocument: DOC }))],
    CreateRole: [own((_a, b) => ({ RoleName: `${b.prefix}-role2`, AssumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`acs:ram::${b.accountId}:root`] } }] }) }))],
    CreateUser: [own((_a, b) => ({ UserName: `${b.prefix}-user3` }))],
    DecodeDiagnosticMessage: [miss('EntityNotExist', (a) => ({ EncodedDiagnosticMessage: a.diagnostic! }))],
    DeleteAccessKey: [
      miss(U, (a) => ({ UserName: a.user2, UserAccessKeyId: a.user2Ak })),
      // The caller's own keys: a root must name a user, a RAM user's own has no such key.
      miss(['MissingParameter', 'EntityNotExist.User.AccessKey'], (a) => ({ UserAccessKeyId: a.user2Ak })),
    ],
    DeleteGroup: [miss(G, (a) => ({ GroupName: a.group }))],
    DeleteLoginProfile: [miss(U, (a) => ({ UserName: a.user2 }))],
    DeletePolicy: [miss(P, (a) => ({ PolicyName: a.policy }))],
    DeletePolicyVersion: [miss(P, (a) => ({ PolicyName: a.policy, VersionId: 'v1' }))],
    DeleteRole: [miss(RO, (a) => ({ RoleName: a.role }))],
    DeleteUser: [miss(U, (a) => ({ UserName: a.user }))],
    DetachPolicyFromGroup: [miss(P, (a) => ({ PolicyType: 'Custom', PolicyName: a.policy, GroupName: a.group }))],
    DetachPolicyFromRole: [miss(P, (a) => ({ PolicyType: 'Custom', PolicyName: a.policy, RoleName: a.role }))],
    DetachPolicyFromUser: [miss(P, (a) => ({ PolicyType: 'Custom', PolicyName: a.policy, UserName: a.user }))],
    GetAccountAlias: [own(() => ({}))],
    GetAccessKeyLastUsed: [miss(U, (a) => ({ UserName: a.user2, UserAccessKeyId: a.user2Ak }))],
    GetGroup: [miss(G, (a) => ({ GroupName: a.group }))],
    GetLoginProfile: [miss(U, (a) => ({ UserName: a.user2 }))],
    GetPasswordPolicy: [own(() => ({}))],
    GetSecurityPreference: [own(() => ({}))],
    GetPolicy: [miss(P, (a) => ({ PolicyType: 'Custom', PolicyName: a.policy }))],
    GetPolicyVersion: [miss(P, (a) => ({ PolicyType: 'Custom', PolicyName: a.policy, VersionId: 'v1' }))],
    GetRole: [miss(RO, (a) => ({ RoleName: a.role }))],
    GetUser: [miss(U, (a) => ({ UserName: a.user }))],
    GetUserMFAInfo: [miss(U, (a) => ({ UserName: a.user2 }))],
    ListAccessKeys: [miss(U, (a) => ({ UserName: a.user2 })), own(() => ({}))],
    ListEntitiesForPolicy: [miss(P, (a) => ({ PolicyType: 'Custom', PolicyName: a.policy }))],
    ListGroups: [own(() => ({}))],
    ListGroupsForUser: [miss(U, (a) => ({ UserName: a.user2 }))],
    ListPolicies: [own(() => ({})), own(() => ({ PolicyType: 'Custom' }))],
    ListPoliciesForGroup: [miss(G, (a) => ({ GroupName: a.group }))],
    ListPoliciesForRole: [miss(RO, (a) => ({ RoleName: a.role }))],
    ListPoliciesForUser: [miss(U, (a) => ({ UserName: a.user }))],
    ListPolicyVersions: [miss(P, (a) => ({ PolicyType: 'Custom', PolicyName: a.policy }))],
    ListRoles: [own(() => ({}))],
    ListTagResources: [list((a) => ({ ResourceType: 'role', ResourceNames: json(a.role) })), own(() => ({ ResourceType: 'role' }))],
    ListUsers: [own(() => ({}))],
    ListUsersForGroup: [miss(G, (a) => ({ GroupName: a.group }))],
    ListVirtualMFADevices: [own(() => ({}))],
    RemoveUserFromGroup: [miss(U, (a) => ({ UserName: a.user2, GroupName: a.group }))],
    SetAccountAlias: [own((_a, b) => ({ AccountAlias: `${b.prefix}-alias` }))],
    SetSecurityPreference: [own(() => ({ AllowUserToManageAccessKeys: 'true', LoginSessionDuration: '2' }))],
    SetDefaultPolicyVersion: [miss(P, (a) => ({ PolicyName: a.policy, VersionId: 'v1' }))],
    SetPasswordPolicy: [own(() => ({ MinimumPasswordLength: '12' }))],
    TagResources: [miss(RO, (a) => ({ ResourceType: 'role', ResourceNames: json(a.role), Tag: JSON.stringify([{ Key: 'k', Value: 'v' }]) }))],
    UnbindMFADevice: [miss(U, (a) => ({ UserName: a.user2 }))],
    UntagResources: [miss(RO, (a) => ({ ResourceType: 'role', ResourceNames: json(a.role), TagKeys: json(a.tagKey) }))],
    UpdateAccessKey: [
      miss(U, (a) => ({ UserName: a.user2, UserAccessKeyId: a.user2Ak, Status: 'Inactive' })),
      miss(['MissingParameter', 'EntityNotExist.User.AccessKey'], (a) => ({ UserAccessKeyId: a.user2Ak, Status: 'Inactive' })),
    ],
    UpdateGroup: [miss(G, (a) => ({ GroupName: a.group, NewComments: 'x' }))],
    UpdateLoginProfile: [miss(U, (a) => ({ UserName: a.user2, Password: 'Other-Passw0rd!' }))],
    UpdatePolicyDescription: [miss(P, (a) => ({ PolicyName: a.policy, NewDescription: 'x' }))],
    UpdateRole: [miss(RO, (a) => ({ RoleName: a.role, NewDescription: 'x' }))],
    UpdateUser: [miss(U, (a) => ({ UserName: a.user, NewDisplayName: 'x' }))],
  },
  bssopenapi: {
    QueryAvailableInstances: [own(() => ({})), list((a) => ({ InstanceIDs: a.instance }))],
    GetPayAsYouGoPrice: [own(() => ({ ProductCode: 'ecs', SubscriptionType: 'PayAsYouGo', 'ModuleList.1.ModuleCode': 'InstanceType', 'ModuleList.1.PriceType': 'Hour', 'ModuleList.1.Config': 'InstanceType:ecs.g6.large' }))],
    GetSubscriptionPrice: [own(() => ({ ProductCode: 'ecs', SubscriptionType: 'Subscription', OrderType: 'NewOrder', 'ModuleList.1.ModuleCode': 'InstanceType', 'ModuleList.1.Config': 'InstanceType:ecs.g6.large' }))],
    QueryAccountBalance: [own(() => ({}))],
    // Bills are the caller's own; naming another account as the bill owner shows nothing.
    QueryInstanceBill: [own(() => ({ BillingCycle: '2026-11' })), list((a) => ({ BillingCycle: '2026-11', BillOwnerId: a.accountId }))],
    QueryBill: [own(() => ({ BillingCycle: '2026-11' })), list((a) => ({ BillingCycle: '2026-11', BillOwnerId: a.accountId }))],
  },
  resourcemanager: {
    CreateResourceGroup: [own((_a, b) => ({ Name: `${b.prefix}-rg2`, DisplayName: 'x' }))],
    DeleteResourceGroup: [miss('EntityNotExists.ResourceGroup', (a) => ({ ResourceGroupId: a.rg }))],
    GetResourceGroup: [miss('EntityNotExists.ResourceGroup', (a) => ({ ResourceGroupId: a.rg }))],
    ListResourceGroups: [
      list((a) => ({ ResourceGroupId: a.rg })),
      list((a) => ({ ResourceGroupIds: json(a.rg) })),
      list((a) => ({ Name: a.rgName })),
      own(() => ({})),
    ],
    ListResources: [miss('EntityNotExists.ResourceGroup', (a) => ({ ResourceGroupId: a.rg })), list((a) => ({ ResourceId: a.instance })), own(() => ({}))],
    UpdateResourceGroup: [miss('EntityNotExists.ResourceGroup', (a) => ({ ResourceGroupId: a.rg, NewDisplayName: 'x' }))],
  },
  cms: {
    DescribeSystemEventAttribute: [
      own(() => ({})),
      own((a) => ({ SearchKeywords: a.instance })),
      own(() => ({ Product: 'ECS', Name: 'Instance:PreemptibleInstanceInterruption' })),
    ],
    DescribeSystemEventCount: [own(() => ({})), own((a) => ({ SearchKeywords: a.instance }))],
    DescribeSystemEventHistogram: [own(() => ({})), own((a) => ({ SearchKeywords: a.instance }))],
  },
  actiontrail: {
    LookupEvents: [
      own(() => ({})),
      list((a) => ({ 'LookupAttribute.1.Key': 'ResourceName', 'LookupAttribute.1.Value': a.instance })),
      list((a) => ({ 'LookupAttribute.1.Key': 'User', 'LookupAttribute.1.Value': a.user })),
      list((a) => ({ 'LookupAttribute.1.Key': 'EventAccessKeyId', 'LookupAttribute.1.Value': a.userAk })),
    ],
  },
  openecs: {
    AdvanceClock: [admin(() => ({ Seconds: '1' }))],
    CloneSecurityGroup: [
      miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg })),
      miss(VPC, (a, b) => ({ RegionId: R, SecurityGroupId: b.sg, DestinationVpcId: a.vpc })),
    ],
    CreateAccessKey: [admin((a) => ({ AccountId: a.accountId }))],
    CreateAccount: [admin((_a, b) => ({ AccountName: `${b.prefix}-sub` }))],
    CreateDefaultSecurityGroup: [miss(VPC, (a) => ({ RegionId: R, VpcId: a.vpc }))],
    CreateFaultRule: [admin((a) => ({ Product: 'ecs', ApiName: 'DescribeRegions', AccountId: a.accountId, LatencyMs: '1' }))],
    DeleteFaultRule: [admin((a) => ({ FaultRuleId: a.faultRule! }))],
    DescribeAccountQuotas: [admin((a) => ({ AccountId: a.accountId })), own(() => ({}))],
    DescribeAccounts: [admin()],
    DescribeFaultRules: [admin()],
    InterruptSpotInstance: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance }))],
    RenewInstanceWithDowngrade: [miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, InstanceType: 'ecs.g7.large', Period: '1' }))],
    ExplainRamAccess: [
      miss(U, (a) => ({ UserName: a.user, AuthAction: 'ecs:DescribeInstances' })),
      miss(RO, (a) => ({ RoleName: a.role, AuthAction: 'ecs:DescribeInstances' })),
    ],
    ExplainSecurityGroupAccess: [
      miss(I, (a) => ({ RegionId: R, InstanceId: a.instance, Direction: 'ingress', IpProtocol: 'tcp', Port: '22', PeerAddress: '192.0.2.1' })),
      miss(SG, (a) => ({ RegionId: R, 'SecurityGroupId.1': a.sg, Direction: 'ingress', IpProtocol: 'tcp', Port: '22', PeerAddress: '192.0.2.1' })),
      miss(SG, (a, b) => ({ RegionId: R, InstanceId: b.instance, Direction: 'ingress', IpProtocol: 'tcp', Port: '22', PeerSecurityGroupId: a.sg })),
      miss(ENI, (a) => ({ RegionId: R, NetworkInterfaceId: a.eni, Direction: 'ingress', IpProtocol: 'tcp', Port: '22', PeerAddress: '192.0.2.1' })),
    ],
    ExportSecurityGroupRules: [miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg }))],
    GetObject: [global((a) => ({ RegionId: R, Bucket: a.bucket, Key: a.objectKey }))],
    ImportSecurityGroupRules: [miss(SG, (a) => ({ RegionId: R, SecurityGroupId: a.sg, Content: JSON.stringify({ Permissions: [] }) }))],
    ListObjects: [global((a) => ({ RegionId: R, Bucket: a.bucket }))],
    PutObject: [global((a) => ({ RegionId: R, Bucket: a.bucket, Key: a.objectKey, Content: '' }))],
    RestoreSecurityGroupRules: [
      miss(SG, (a, b) => ({ RegionId: R, SecurityGroupId: a.sg, SourceSecurityGroupId: b.sg })),
      miss('InvalidSourceSecurityGroupId.NotFound', (a, b) => ({ RegionId: R, SecurityGroupId: b.sg, SourceSecurityGroupId: a.sg })),
    ],
    SetAccountQuota: [admin((a) => ({ AccountId: a.accountId, QuotaName: 'instances', Value: '1' }))],
    SetAccountBalance: [admin((a) => ({ AccountId: a.accountId, AvailableAmount: '100' }))],
    SignInWithPassword: [miss('SignInFailed.InvalidCredentials', (a) => ({ PrincipalName: `${a.user2}@${a.accountId}.onaliyun.com`, Password: 'Wrong-Passw0rd!' }))],
  },
};
