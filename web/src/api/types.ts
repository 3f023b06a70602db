/**
 * The wire shapes the console reads (a subset of each action's response, names as on the wire)
 * and the action table that types `ApiClient.call`. Request parameters use wire names too;
 * lists and `Tag` arrays are flattened by the client.
 */
import type { Params } from './client.js';

export interface Tag { TagKey: string; TagValue: string }
export interface TagParam { Key: string; Value?: string }
interface Tagged { Tags?: { Tag?: Tag[] } }
interface Paged { PageNumber: number; PageSize: number; TotalCount: number; NextToken?: string }

export interface Region { RegionId: string; LocalName: string; Status?: string }
export interface Zone {
  ZoneId: string; LocalName: string;
  AvailableInstanceTypes?: { InstanceTypes: string[] };
  AvailableDiskCategories?: { DiskCategories: string[] };
}
export interface InstanceType {
  InstanceTypeId: string; InstanceTypeFamily: string; CpuCoreCount: number; MemorySize: number; GPUAmount?: number;
}
export interface Image extends Tagged {
  ImageId: string; ImageName: string; ImageOwnerAlias: string; OSName: string; OSType: string; Architecture: string;
  Status: string; Progress?: string; Size: number; CreationTime: string; Description?: string; Platform?: string;
}
export interface Instance extends Tagged {
  InstanceId: string; InstanceName: string; Status: string; ZoneId: string; InstanceType: string; Cpu: number; Memory: number;
  ImageId: string; OSName?: string; CreationTime: string; HostName?: string; Description?: string; KeyPairName?: string;
  AutoReleaseTime?: string; ExpiredTime?: string; InstanceChargeType?: string; DeletionProtection?: boolean;
  VpcAttributes?: { VpcId: string; VSwitchId: string; PrivateIpAddress?: { IpAddress: string[] } };
  PublicIpAddress?: { IpAddress: string[] };
  SecurityGroupIds?: { SecurityGroupId: string[] };
}
export interface Disk extends Tagged {
  DiskId: string; DiskName: string; Status: string; Type: string; Category: string; Size: number; ZoneId: string;
  InstanceId?: string; Device?: string; CreationTime: string; Portable?: boolean; DeleteWithInstance?: boolean;
  AutoSnapshotPolicyId?: string; SourceSnapshotId?: string; ImageId?: string;
}
export interface Snapshot extends Tagged {
  SnapshotId: string; SnapshotName: string; Status: string; Progress: string; SourceDiskId: string; SourceDiskSize: string;
  SourceDiskType: string; CreationTime: string; RetentionDays?: number; Description?: string;
}
export interface AutoSnapshotPolicy extends Tagged {
  AutoSnapshotPolicyId: string; AutoSnapshotPolicyName: string; TimePoints: string; RepeatWeekdays: string;
  RetentionDays: number; DiskNums: number; Status: string; CreationTime: string;
}
export interface SecurityGroup extends Tagged {
  SecurityGroupId: string; SecurityGroupName: string; Description: string; SecurityGroupType: string; VpcId: string;
  CreationTime: string; EcsCount?: number;
}
export interface Permission {
  SecurityGroupRuleId: string; Direction: 'ingress' | 'egress'; IpProtocol: string; PortRange: string; Policy: string;
  Priority: string; SourceCidrIp?: string; DestCidrIp?: string; SourceGroupId?: string; DestGroupId?: string;
  Description?: string; CreateTime?: string; NicType?: string;
}
export interface KeyPair extends Tagged { KeyPairName: string; KeyPairFingerPrint: string; CreationTime: string; PublicKey?: string }
export interface TagResource { ResourceId: string; ResourceType: string; TagKey: string; TagValue: string }
export interface Vpc {
  VpcId: string; VpcName: string; CidrBlock: string; Status: string; IsDefault: boolean; CreationTime: string;
  Description?: string; VSwitchIds?: { VSwitchId: string[] }; VRouterId?: string;
}
export interface VSwitch {
  VSwitchId: string; VSwitchName: string; VpcId: string; ZoneId: string; CidrBlock: string; Status: string;
  AvailableIpAddressCount: number; CreationTime: string; Description?: string; IsDefault?: boolean;
}
export interface MonitorPoint {
  TimeStamp: string; CPU?: number; InternetRX?: number; InternetTX?: number; IntranetRX?: number; IntranetTX?: number;
  BPSRead?: number; BPSWrite?: number; IOPSRead?: number; IOPSWrite?: number;
}
export interface SupportedResource { Value: string; Status: string; Min?: number; Max?: number; Unit?: string }
export interface AvailableZone {
  ZoneId: string;
  AvailableResources: { AvailableResource: { Type: string; SupportedResources: { SupportedResource: SupportedResource[] } }[] };
}
export interface ImageShare { Accounts: { Account: { AliyunId: string; SharedTime: string }[] } }

type Ok = { RequestId: string };
type Res<T> = T & Ok;

/** Action → [request params, response]. */
export interface Actions {
  DescribeRegions: [Params, Res<{ Regions: { Region: Region[] } }>];
  DescribeZones: [Params, Res<{ Zones: { Zone: Zone[] } }>];
  DescribeInstanceTypes: [Params, Res<{ InstanceTypes: { InstanceType: InstanceType[] }; NextToken?: string }>];
  DescribeAvailableResource: [Params, Res<{ AvailableZones: { AvailableZone: AvailableZone[] } }>];
  DescribeImages: [Params, Res<Paged & { Images: { Image: Image[] } }>];
  CreateImage: [Params, Res<{ ImageId: string }>];
  CopyImage: [Params, Res<{ ImageId: string }>];
  DeleteImage: [Params, Ok];
  ModifyImageSharePermission: [Params, Ok];
  DescribeImageSharePermission: [Params, Res<Paged & ImageShare>];

  RunInstances: [Params, Res<{ InstanceIdSets: { InstanceIdSet: string[] } }>];
  DescribeInstances: [Params, Res<Paged & { Instances: { Instance: Instance[] } }>];
  StartInstance: [Params, Ok];
  StopInstance: [Params, Ok];
  RebootInstance: [Params, Ok];
  DeleteInstance: [Params, Ok];
  ModifyInstanceAttribute: [Params, Ok];
  ModifyInstanceAutoReleaseTime: [Params, Ok];
  DescribeInstanceMonitorData: [Params, Res<{ MonitorData: { InstanceMonitorData: MonitorPoint[] } }>];

  CreateDisk: [Params, Res<{ DiskId: string }>];
  DescribeDisks: [Params, Res<Paged & { Disks: { Disk: Disk[] } }>];
  AttachDisk: [Params, Ok];
  DetachDisk: [Params, Ok];
  ResizeDisk: [Params, Ok];
  ReInitDisk: [Params, Ok];
  ResetDisk: [Params, Ok];
  DeleteDisk: [Params, Ok];

  CreateSnapshot: [Params, Res<{ SnapshotId: string }>];
  DescribeSnapshots: [Params, Res<Paged & { Snapshots: { Snapshot: Snapshot[] } }>];
  DeleteSnapshot: [Params, Ok];

  CreateAutoSnapshotPolicy: [Params, Res<{ AutoSnapshotPolicyId: string }>];
  DescribeAutoSnapshotPolicyEx: [Params, Res<Paged & { AutoSnapshotPolicies: { AutoSnapshotPolicy: AutoSnapshotPolicy[] } }>];
  ApplyAutoSnapshotPolicy: [Params, Ok];
  CancelAutoSnapshotPolicy: [Params, Ok];
  DeleteAutoSnapshotPolicy: [Params, Ok];

  CreateSecurityGroup: [Params, Res<{ SecurityGroupId: string }>];
  DescribeSecurityGroups: [Params, Res<Paged & { SecurityGroups: { SecurityGroup: SecurityGroup[] } }>];
  DeleteSecurityGroup: [Params, Ok];
  DescribeSecurityGroupAttribute: [Params, Res<{ SecurityGroupId: string; SecurityGroupName: string; VpcId: string; Description: string; Permissions: { Permission: Permission[] } }>];
  AuthorizeSecurityGroup: [Params, Ok];
  AuthorizeSecurityGroupEgress: [Params, Ok];
  RevokeSecurityGroup: [Params, Ok];
  RevokeSecurityGroupEgress: [Params, Ok];

  CreateKeyPair: [Params, Res<{ KeyPairName: string; KeyPairFingerPrint: string; PrivateKeyBody: string; KeyPairId?: string }>];
  ImportKeyPair: [Params, Res<{ KeyPairName: string; KeyPairFingerPrint: string }>];
  DescribeKeyPairs: [Params, Res<Paged & { KeyPairs: { KeyPair: KeyPair[] } }>];
  DeleteKeyPairs: [Params, Ok];
  AttachKeyPair: [Params, Res<{ FailCount: string; Results?: { Result: { InstanceId: string; Success: string | boolean; Code: string; Message: string }[] } }>];
  DetachKeyPair: [Params, Res<{ FailCount: string; Results?: { Result: { InstanceId: string; Success: string | boolean; Code: string; Message: string }[] } }>];

  TagResources: [Params, Ok];
  UntagResources: [Params, Ok];
  ListTagResources: [Params, Res<{ NextToken?: string; TagResources: { TagResource: TagResource[] } }>];

  CreateVpc: [Params, Res<{ VpcId: string; VRouterId: string }>];
  DescribeVpcs: [Params, Res<Paged & { Vpcs: { Vpc: Vpc[] } }>];
  DeleteVpc: [Params, Ok];
  CreateVSwitch: [Params, Res<{ VSwitchId: string }>];
  DescribeVSwitches: [Params, Res<Paged & { VSwitches: { VSwitch: VSwitch[] } }>];
  DeleteVSwitch: [Params, Ok];
}
export type ActionName = keyof Actions;
