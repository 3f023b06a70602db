/**
 * The console's view of the API, derived from the same spec as the server: request and response
 * types come from src/api/generated/<product>-types.ts (tools/gen-api-types.ts, `npm run
 * gen:spec`), so a field the spec renames or drops breaks `npm run typecheck:web`, not a page at
 * run time. Nothing here is hand-typed but the routing lists and a few narrowings, each saying why.
 *
 * Responses are as the spec says: every field optional (a page decides what an absent field
 * shows). Requests are what a handler decodes, in the form the console sends: lists and objects
 * go out flattened (`Tag.1.Key`) by the client, or as one JSON string where the action takes one
 * (`InstanceIds='["i-…"]'`).
 */
// Relative, with the extension: the server's tsc follows this file too (test/browser imports client.ts).
import type { EcsActions } from '../../../src/api/generated/ecs-types.js';
import type { VpcActions } from '../../../src/api/generated/vpc-types.js';
import type { OpenEcsActions } from '../../../src/api/generated/openecs-types.js';
import type { RamActions } from '../../../src/api/generated/ram-types.js';
import type { ActionTrailActions } from '../../../src/api/generated/actiontrail-types.js';
import type { BssOpenApiActions } from '../../../src/api/generated/bssopenapi-types.js';
import type { Has } from './answers.js';

/** Actions the console sends to the VPC API (2016-04-28); ECS answers the same names too (issue 11), but the console uses the VPC product. */
export const VPC_ACTIONS = [
  'CreateVpc', 'DescribeVpcs', 'DeleteVpc', 'ModifyVpcAttribute',
  'CreateVSwitch', 'DescribeVSwitches', 'DeleteVSwitch', 'ModifyVSwitchAttribute',
  'AllocateEipAddress', 'DescribeEipAddresses', 'AssociateEipAddress', 'UnassociateEipAddress', 'ReleaseEipAddress', 'ModifyEipAddressAttribute',
] as const satisfies readonly (keyof VpcActions)[];

/** The OpenECS extension actions the console calls (product `openecs`, src/api/extensions.ts). */
export const OPENECS_ACTIONS = [
  'CloneSecurityGroup', 'ExportSecurityGroupRules', 'ImportSecurityGroupRules', 'RestoreSecurityGroupRules',
  'ExplainSecurityGroupAccess', 'PutObject', 'GetObject', 'ListObjects', 'ExplainRamAccess', 'SignInWithPassword',
  'CreateFaultRule', 'DescribeFaultRules', 'DeleteFaultRule',
] as const satisfies readonly (keyof OpenEcsActions)[];

/** The RAM actions the console's RAM pages send (2015-05-01, src/actions/ram). */
export const RAM_ACTIONS = [
  'ListUsers', 'CreateUser', 'DeleteUser', 'CreateLoginProfile', 'DeleteLoginProfile', 'ListAccessKeys', 'CreateAccessKey', 'DeleteAccessKey',
  'ListGroups', 'CreateGroup', 'DeleteGroup', 'AddUserToGroup', 'RemoveUserFromGroup', 'ListGroupsForUser',
  'ListPolicies', 'CreatePolicy', 'DeletePolicy', 'GetPolicy', 'AttachPolicyToUser', 'DetachPolicyFromUser', 'AttachPolicyToGroup',
  'ListPoliciesForUser', 'ListPoliciesForGroup', 'ListRoles', 'CreateRole', 'DeleteRole', 'GetAccountAlias',
] as const satisfies readonly (keyof RamActions)[];

/** ActionTrail (2020-07-06): the operation log page reads the audit trail through LookupEvents. */
export const ACTIONTRAIL_ACTIONS = ['LookupEvents'] as const satisfies readonly (keyof ActionTrailActions)[];

/** BssOpenApi (2017-12-14): the bills page reads the account's bills and balance. */
export const BSS_ACTIONS = ['QueryBill', 'QueryInstanceBill', 'QueryAccountBalance'] as const satisfies readonly (keyof BssOpenApiActions)[];

type VpcName = (typeof VPC_ACTIONS)[number];
type OpenEcsName = (typeof OPENECS_ACTIONS)[number];
type RamName = (typeof RAM_ACTIONS)[number];
type ActionTrailName = (typeof ACTIONTRAIL_ACTIONS)[number];
type BssName = (typeof BSS_ACTIONS)[number];
export type ActionName = VpcName | OpenEcsName | RamName | ActionTrailName | BssName | Exclude<keyof EcsActions, VpcName | OpenEcsName | RamName | ActionTrailName | BssName>;

type SpecOf<A extends ActionName> = A extends VpcName ? VpcActions[A]
  : A extends OpenEcsName ? OpenEcsActions[A]
  : A extends RamName ? RamActions[A]
  : A extends ActionTrailName ? ActionTrailActions[A]
  : A extends BssName ? BssOpenApiActions[A]
  : A extends keyof EcsActions ? EcsActions[A] : never;

/** A decoded value as the console may send it: a list or object as such (flattened) or as its JSON string. */
export type WireValue<T> = T extends readonly (infer U)[] ? WireValue<U>[] | string
  : T extends object ? { [K in keyof T]: WireValue<T[K]> } | string
  : T;
export type WireRequest<R> = { [K in keyof R]: WireValue<R[K]> };

export type ApiRequest<A extends ActionName> = WireRequest<SpecOf<A>['request']>;
/** The dispatcher adds RequestId to every answer. */
export type ApiResponse<A extends ActionName> = SpecOf<A>['response'] & { RequestId?: string };

/** The item type of a list in an answer. */
type Item<T> = NonNullable<T> extends readonly (infer U)[] ? U : never;
type Field<T, K extends string> = K extends keyof NonNullable<T> ? NonNullable<T>[K] : never;

// The resources the pages list, each with the field it is keyed by present (answers.ts
// `itemsWith` keeps only such items).

export type Region = Has<Item<Field<Field<ApiResponse<'DescribeRegions'>, 'Regions'>, 'Region'>>, 'RegionId'>;
export type Zone = Has<Item<Field<Field<ApiResponse<'DescribeZones'>, 'Zones'>, 'Zone'>>, 'ZoneId'>;
export type InstanceType = Has<Item<Field<Field<ApiResponse<'DescribeInstanceTypes'>, 'InstanceTypes'>, 'InstanceType'>>, 'InstanceTypeId'>;
export type AvailableZone = Has<Item<Field<Field<ApiResponse<'DescribeAvailableResource'>, 'AvailableZones'>, 'AvailableZone'>>, 'ZoneId'>;
export type Image = Has<Item<Field<Field<ApiResponse<'DescribeImages'>, 'Images'>, 'Image'>>, 'ImageId'>;
export type Instance = Has<Item<Field<Field<ApiResponse<'DescribeInstances'>, 'Instances'>, 'Instance'>>, 'InstanceId'>;
export type Disk = Has<Item<Field<Field<ApiResponse<'DescribeDisks'>, 'Disks'>, 'Disk'>>, 'DiskId'>;
export type Snapshot = Has<Item<Field<Field<ApiResponse<'DescribeSnapshots'>, 'Snapshots'>, 'Snapshot'>>, 'SnapshotId'>;
export type AutoSnapshotPolicy = Has<Item<Field<Field<ApiResponse<'DescribeAutoSnapshotPolicyEx'>, 'AutoSnapshotPolicies'>, 'AutoSnapshotPolicy'>>, 'AutoSnapshotPolicyId'>;
export type SecurityGroup = Has<Item<Field<Field<ApiResponse<'DescribeSecurityGroups'>, 'SecurityGroups'>, 'SecurityGroup'>>, 'SecurityGroupId'>;
export type Permission = Has<Item<Field<Field<ApiResponse<'DescribeSecurityGroupAttribute'>, 'Permissions'>, 'Permission'>>, 'SecurityGroupRuleId'>;
export type KeyPair = Has<Item<Field<Field<ApiResponse<'DescribeKeyPairs'>, 'KeyPairs'>, 'KeyPair'>>, 'KeyPairName'>;
export type TagResource = Has<Item<Field<Field<ApiResponse<'ListTagResources'>, 'TagResources'>, 'TagResource'>>, 'ResourceId' | 'ResourceType'>;
export type Vpc = Has<Item<Field<Field<ApiResponse<'DescribeVpcs'>, 'Vpcs'>, 'Vpc'>>, 'VpcId'>;
export type VSwitch = Has<Item<Field<Field<ApiResponse<'DescribeVSwitches'>, 'VSwitches'>, 'VSwitch'>>, 'VSwitchId'>;
export type MonitorPoint = Has<Item<Field<Field<ApiResponse<'DescribeInstanceMonitorData'>, 'MonitorData'>, 'InstanceMonitorData'>>, 'TimeStamp'>;
export type Task = Has<Item<Field<Field<ApiResponse<'DescribeTasks'>, 'TaskSet'>, 'Task'>>, 'TaskId'>;
export type InstanceBillItem = Item<Field<Field<Field<ApiResponse<'QueryInstanceBill'>, 'Data'>, 'Items'>, 'Item'>>;
export type BillRecord = Item<Field<Field<Field<ApiResponse<'QueryBill'>, 'Data'>, 'Items'>, 'Item'>>;
export type SystemEvent = Has<Item<Field<Field<ApiResponse<'DescribeInstanceHistoryEvents'>, 'InstanceSystemEventSet'>, 'InstanceSystemEventType'>>, 'EventId'>;
export type Eip = Has<Item<Field<Field<ApiResponse<'DescribeEipAddresses'>, 'EipAddresses'>, 'EipAddress'>>, 'AllocationId'>;
export type NetworkInterface = Has<Item<Field<Field<ApiResponse<'DescribeNetworkInterfaces'>, 'NetworkInterfaceSets'>, 'NetworkInterfaceSet'>>, 'NetworkInterfaceId'>;
export type PrefixList = Has<Item<Field<Field<ApiResponse<'DescribePrefixLists'>, 'PrefixLists'>, 'PrefixList'>>, 'PrefixListId'>;
export type PrefixListEntry = Has<Item<Field<Field<ApiResponse<'DescribePrefixListAttributes'>, 'Entries'>, 'Entry'>>, 'Cidr'>;
export type PrefixListAssociation = Has<Item<Field<Field<ApiResponse<'DescribePrefixListAssociations'>, 'PrefixListAssociations'>, 'PrefixListAssociation'>>, 'ResourceId'>;
/** A resource's tag as Describe* answers list it. */
export type Tag = Item<Field<Field<Instance, 'Tags'>, 'Tag'>>;
/** A tag as requests take it (`Tag.N.Key`, `Tag.N.Value`). */
export type TagParam = Item<EcsActions['TagResources']['request']['Tag']>;
