/**
 * What each action asks RAM for: its RAM action (`ecs:StopInstance`) and the resources it touches,
 * as ARNs built from the request ("Authentication rules" of each API: RunInstances checks the new
 * instance and disks `*`, the image, the VSwitch, the security groups and the key pair;
 * StopInstance the instance). Data, not code per handler: test/unit/action-resources.test.ts fails
 * on an implemented action without an entry.
 *
 * A resource spec is `[<service>/]<type>:<Param>` (an id or name parameter: a string, a list, a
 * JSON list string, or `Param.Field` of a list of objects), `<type>:*` (the resources an action
 * creates or a listing scans), `$<TypeParam>[=<Default>]:<Param>` (the type named by another parameter, as the
 * tag actions' `ResourceType`; the default when it is left out), `arn:<Param>` (the parameter is an ARN: STS AssumeRole's
 * `RoleArn`), `<type>:@self` (the calling RAM user) or `*`. The service defaults to the action's.
 * A parameter the request leaves out is the type's `*`.
 */
import type { Product } from '../api/spec.js';
import type { SelfService } from '../domain/ram/security-preference.js';

export interface ListingRule {
  /** Where the answer keeps its list, `Instances.Instance`. */
  path: string;
  /** The field of an item holding its id, and the ARN type. */
  idField: string;
  type: string;
  service?: string;
}

export interface ActionRule {
  /** The RAM service, when not the product's own (ECS's VPC actions are `vpc:` actions). */
  service?: string;
  resources: readonly string[];
  /** A listing: RAM users see only the items their policies allow (ECS DescribeInstances, DescribeDisks, …). */
  list?: ListingRule;
  /** Not subject to RAM: STS calls made before any credential exists, GetCallerIdentity. */
  public?: true;
  /** Operator actions of the OpenECS deployment: the account root only, whatever a policy says. */
  rootOnly?: true;
  /**
   * The parameter naming a RAM role the action hands to an instance: the caller also needs
   * `ram:PassRole` on it (security guide 4.3.4), or the call answers InvalidUser.PassRoleForbidden.
   */
  passRole?: string;
  /**
   * What a RAM user may do to itself without a policy when the account's security preference
   * allows it (SetSecurityPreference): its own AccessKeys, MFA device. Otherwise its policies decide.
   */
  selfService?: SelfService;
}

/** The RAM service code of each product (the prefix of `Action` in policies). */
export const SERVICE_OF: Record<Product, string> = {
  ecs: 'ecs', vpc: 'vpc', ram: 'ram', sts: 'sts', bssopenapi: 'bssapi', resourcemanager: 'resourcemanager', actiontrail: 'actiontrail', cms: 'cms', openecs: 'openecs',
};

/** Services whose ARNs carry no region (`acs:ram::<account>:role/<name>`). */
export const GLOBAL_SERVICES = new Set(['ram', 'sts', 'resourcemanager', 'bssapi', 'openecs']);

/** Resource type words of a type parameter (the tag actions' ResourceType, AssociateEipAddress's InstanceType) that differ from the ARN's. */
export const TAG_TYPE_ARN: Record<string, string> = { eni: 'networkinterface', volume: 'disk', ddh: 'dedicatedhost', ecsinstance: 'instance' };

const r = (...resources: string[]): ActionRule => ({ resources });
const list = (type: string, path: string, idField: string, ...resources: string[]): ActionRule => ({ resources: resources.length ? resources : [`${type}:*`], list: { path, idField, type } });
const vpcR = (...resources: string[]): ActionRule => ({ service: 'vpc', resources });
const any = r('*');

const instance = r('instance:InstanceId');
const instances = r('instance:InstanceIds');
const disk = r('disk:DiskId');
const image = r('image:ImageId');
const snapshot = r('snapshot:SnapshotId');
const group = r('securitygroup:SecurityGroupId');
const eni = r('networkinterface:NetworkInterfaceId');
const prefixList = r('prefixlist:PrefixListId');
const tagged = r('$ResourceType:ResourceId');
/** An EIP's target: the ECS instance, or the ENI (acs:ecs:…:networkinterface/<id>) with InstanceType=NetworkInterface. */
const EIP_TARGET = 'ecs/$InstanceType=EcsInstance:InstanceId';

const launch = ['instance:*', 'disk:*', 'image:ImageId', 'vpc/vswitch:VSwitchId', 'securitygroup:SecurityGroupId', 'securitygroup:SecurityGroupIds', 'keypair:KeyPairName', 'snapshot:DataDisk.SnapshotId', 'snapshot:SystemDisk.SnapshotId'];

const ECS: Record<string, ActionRule> = {
  AddTags: tagged, RemoveTags: tagged, TagResources: tagged, UntagResources: tagged, ListTagResources: tagged, DescribeTags: any,
  AllocatePublicIpAddress: instance,
  ConvertNatPublicIpToEip: r('instance:InstanceId', 'vpc/eip:*'),
  ReleasePublicIpAddress: instance,
  AssignPrivateIpAddresses: eni, UnassignPrivateIpAddresses: eni,
  AssignIpv6Addresses: eni, UnassignIpv6Addresses: eni,
  CreateNetworkInterface: r('networkinterface:*', 'vpc/vswitch:VSwitchId', 'securitygroup:SecurityGroupId', 'securitygroup:SecurityGroupIds'),
  DeleteNetworkInterface: eni, DescribeNetworkInterfaceAttribute: eni,
  CreateNetworkInterfacePermission: eni, DescribeNetworkInterfacePermissions: eni, DeleteNetworkInterfacePermission: any,
  ModifyNetworkInterfaceAttribute: r('networkinterface:NetworkInterfaceId', 'securitygroup:SecurityGroupId'),
  AttachNetworkInterface: r('networkinterface:NetworkInterfaceId', 'instance:InstanceId'),
  DetachNetworkInterface: r('networkinterface:NetworkInterfaceId', 'instance:InstanceId'),
  AttachInstanceRamRole: { ...r('instance:InstanceIds'), passRole: 'RamRoleName' },
  DetachInstanceRamRole: r('instance:InstanceIds', 'ram/role:RamRoleName'),
  DescribeInstanceRamRole: instances,
  ApplyAutoSnapshotPolicy: r('autosnapshotpolicy:autoSnapshotPolicyId', 'disk:diskIds'),
  CancelAutoSnapshotPolicy: r('disk:diskIds'),
  CreateAutoSnapshotPolicy: r('autosnapshotpolicy:*'),
  DeleteAutoSnapshotPolicy: r('autosnapshotpolicy:autoSnapshotPolicyId'),
  ModifyAutoSnapshotPolicyEx: r('autosnapshotpolicy:autoSnapshotPolicyId'),
  DescribeAutoSnapshotPolicyEx: list('autosnapshotpolicy', 'AutoSnapshotPolicies.AutoSnapshotPolicy', 'AutoSnapshotPolicyId'),
  AttachDisk: r('instance:InstanceId', 'disk:DiskId', 'keypair:KeyPairName'),
  DetachDisk: r('instance:InstanceId', 'disk:DiskId'),
  AttachKeyPair: r('instance:InstanceIds', 'keypair:KeyPairName'),
  DetachKeyPair: r('instance:InstanceIds', 'keypair:KeyPairName'),
  AuthorizeSecurityGroup: group, AuthorizeSecurityGroupEgress: group, RevokeSecurityGroup: group, RevokeSecurityGroupEgress: group,
  ModifySecurityGroupAttribute: group, ModifySecurityGroupEgressRule: group, ModifySecurityGroupPolicy: group, ModifySecurityGroupRule: group,
  DeleteSecurityGroup: group, DescribeSecurityGroupAttribute: group, DescribeSecurityGroupReferences: group,
  CreateSecurityGroup: r('securitygroup:*', 'vpc/vpc:VpcId'),
  DescribeSecurityGroups: list('securitygroup', 'SecurityGroups.SecurityGroup', 'SecurityGroupId'),
  JoinSecurityGroup: r('instance:InstanceId', 'securitygroup:SecurityGroupId', 'networkinterface:NetworkInterfaceId'),
  LeaveSecurityGroup: r('instance:InstanceId', 'securitygroup:SecurityGroupId', 'networkinterface:NetworkInterfaceId'),
  CancelTask: any, DescribeTaskAttribute: any, DescribeTasks: any,
  // Events are the instance's: creating a drill needs the instance; events of other ids are not resources of their own.
  DescribeAccountAttributes: any,
  CreateSimulatedSystemEvents: r('instance:InstanceId'), CancelSimulatedSystemEvents: any, AcceptInquiredSystemEvent: any,
  DescribeInstanceHistoryEvents: r('instance:InstanceId', 'instance:ResourceId'),
  DescribeInstancesFullStatus: list('instance', 'InstanceFullStatusSet.InstanceFullStatusType', 'InstanceId', 'instance:InstanceId'),
  DescribeDisksFullStatus: list('disk', 'DiskFullStatusSet.DiskFullStatusType', 'DiskId', 'disk:DiskId'),
  CancelCopyImage: image, CopyImage: image, DeleteImage: image, ExportImage: image, ModifyImageAttribute: image,
  ModifyImageSharePermission: image, DescribeImageSharePermission: image, DescribeImageSupportInstanceTypes: image,
  ImportImage: r('image:*'),
  CreateImage: r('image:*', 'instance:InstanceId', 'snapshot:SnapshotId', 'snapshot:DiskDeviceMapping.SnapshotId'),
  DescribeImages: list('image', 'Images.Image', 'ImageId'),
  CopySnapshot: snapshot, DeleteSnapshot: snapshot, ModifySnapshotAttribute: snapshot,
  CreateSnapshot: r('snapshot:*', 'disk:DiskId'),
  DescribeSnapshots: list('snapshot', 'Snapshots.Snapshot', 'SnapshotId'),
  CreateDisk: r('disk:*', 'snapshot:SnapshotId', 'instance:InstanceId'),
  DeleteDisk: disk, ModifyDiskSpec: disk, ResizeDisk: disk, DescribeDiskMonitorData: disk,
  ModifyDiskAttribute: r('disk:DiskId', 'disk:DiskIds'),
  ReInitDisk: r('disk:DiskId', 'keypair:KeyPairName'),
  ResetDisk: r('disk:DiskId', 'snapshot:SnapshotId'),
  DescribeDisks: list('disk', 'Disks.Disk', 'DiskId'),
  CreateInstance: { ...r(...launch.filter((x) => x !== 'securitygroup:SecurityGroupIds')), passRole: 'RamRoleName' },
  // NetworkInterface.N also names the secondary ENI's VSwitch and groups, or the existing ENI it attaches.
  RunInstances: {
    ...r(...launch, 'vpc/vswitch:NetworkInterface.VSwitchId', 'securitygroup:NetworkInterface.SecurityGroupId', 'securitygroup:NetworkInterface.SecurityGroupIds',
      'networkinterface:NetworkInterface.NetworkInterfaceId'),
    passRole: 'RamRoleName',
  },
  ReplaceSystemDisk: r('instance:InstanceId', 'image:ImageId', 'disk:DiskId', 'keypair:KeyPairName'),
  CreateKeyPair: r('keypair:*'), ImportKeyPair: r('keypair:*'),
  CreatePrefixList: r('prefixlist:*'),
  DeletePrefixList: prefixList, ModifyPrefixList: prefixList, DescribePrefixListAttributes: prefixList, DescribePrefixListAssociations: prefixList,
  DescribePrefixLists: list('prefixlist', 'PrefixLists.PrefixList', 'PrefixListId', 'prefixlist:PrefixListId'),
  DeleteKeyPairs: r('keypair:KeyPairNames'),
  DescribeKeyPairs: list('keypair', 'KeyPairs.KeyPair', 'KeyPairName'),
  DeleteInstance: instance, DeleteInstances: instance, StartInstance: instance, StartInstances: instance,
  StopInstance: instance, StopInstances: instance, RebootInstance: instance, RebootInstances: instance,
  DescribeInstanceAttribute: instance, DescribeInstanceAutoRenewAttribute: instance, DescribeInstanceMaintenanceAttributes: instance,
  DescribeInstanceMonitorData: instance, DescribeInstanceVncUrl: instance, DescribeUserData: instance,
  DescribeInstanceAttachmentAttributes: instances,
  ModifyInstanceAttribute: r('instance:InstanceId', 'securitygroup:SecurityGroupIds'),
  ModifyInstanceAttachmentAttributes: instance, ModifyInstanceAutoReleaseTime: instance, ModifyInstanceAutoRenewAttribute: instance,
  ModifyInstanceChargeType: instances, RenewInstance: instance, ReActivateInstances: instance, ModifyPrepayInstanceSpec: instance,
  ModifyDiskChargeType: r('instance:InstanceId', 'disk:DiskIds'), ModifyInstanceMaintenanceAttributes: instance, ModifyInstanceMetadataOptions: instance,
  ModifyInstanceNetworkSpec: instance, ModifyInstanceSpec: instance, ModifyInstanceVncPasswd: instance,
  ModifyInstanceVpcAttribute: r('instance:InstanceId', 'vpc/vswitch:VSwitchId', 'securitygroup:SecurityGroupId'),
  DescribeInstances: list('instance', 'Instances.Instance', 'InstanceId', 'instance:InstanceIds'),
  DescribeInstanceStatus: list('instance', 'InstanceStatuses.InstanceStatus', 'InstanceId', 'instance:InstanceId'),
  DescribeNetworkInterfaces: list('networkinterface', 'NetworkInterfaceSets.NetworkInterfaceSet', 'NetworkInterfaceId', 'networkinterface:NetworkInterfaceId'),
  JoinResourceGroup: r('$ResourceType:ResourceId', 'resourcemanager/resourcegroup:ResourceGroupId'),
  DescribeAvailableResource: any, DescribeInstanceTypeFamilies: any, DescribeInstanceTypes: any, DescribeRegions: any, DescribeZones: any,
  DescribeSpotAdvice: any, DescribeSpotPriceHistory: any,
  // Prices of a spec are no resource's; a renewal or modification price reads the instance.
  DescribePrice: any, DescribeRenewalPrice: r('instance:ResourceId'), DescribeInstanceModificationPrice: instance,
  AttachClassicLinkVpc: r('instance:InstanceId', 'vpc/vpc:VpcId'),
  DetachClassicLinkVpc: r('instance:InstanceId', 'vpc/vpc:VpcId'),
  // ECS's copies of VPC actions answer to the VPC service's permissions (AliyunVPCFullAccess).
  CreateVpc: vpcR('vpc:*'), DeleteVpc: vpcR('vpc:VpcId'), ModifyVpcAttribute: vpcR('vpc:VpcId'),
  DescribeVpcs: { ...list('vpc', 'Vpcs.Vpc', 'VpcId', 'vpc:VpcId'), service: 'vpc' },
  CreateVSwitch: vpcR('vswitch:*', 'vpc:VpcId'), DeleteVSwitch: vpcR('vswitch:VSwitchId'), ModifyVSwitchAttribute: vpcR('vswitch:VSwitchId'),
  DescribeVSwitches: { ...list('vswitch', 'VSwitches.VSwitch', 'VSwitchId', 'vswitch:VSwitchId'), service: 'vpc' },
  CreateRouteEntry: vpcR('routetable:RouteTableId'), DeleteRouteEntry: vpcR('routetable:RouteTableId'),
  DescribeRouteTables: vpcR('routetable:RouteTableId'), DescribeVRouters: vpcR('vrouter:VRouterId'), ModifyVRouterAttribute: vpcR('vrouter:VRouterId'),
  AllocateEipAddress: vpcR('eip:*'), ReleaseEipAddress: vpcR('eip:AllocationId'), ModifyEipAddressAttribute: vpcR('eip:AllocationId'),
  AssociateEipAddress: vpcR('eip:AllocationId', EIP_TARGET), UnassociateEipAddress: vpcR('eip:AllocationId', EIP_TARGET),
  DescribeEipAddresses: { ...list('eip', 'EipAddresses.EipAddress', 'AllocationId', 'eip:AllocationId'), service: 'vpc' },
};

const VPC: Record<string, ActionRule> = {
  CreateVpc: r('vpc:*'), CreateDefaultVpc: r('vpc:*'), DeleteVpc: r('vpc:VpcId'), ModifyVpcAttribute: r('vpc:VpcId'), DescribeVpcAttribute: r('vpc:VpcId'),
  DescribeVpcs: list('vpc', 'Vpcs.Vpc', 'VpcId', 'vpc:VpcId'),
  AssociateVpcCidrBlock: r('vpc:VpcId'), UnassociateVpcCidrBlock: r('vpc:VpcId'),
  EnableVpcClassicLink: r('vpc:VpcId'), DisableVpcClassicLink: r('vpc:VpcId'),
  CreateVSwitch: r('vswitch:*', 'vpc:VpcId'), CreateDefaultVSwitch: r('vswitch:*'), DeleteVSwitch: r('vswitch:VSwitchId'),
  ModifyVSwitchAttribute: r('vswitch:VSwitchId'), DescribeVSwitchAttributes: r('vswitch:VSwitchId'),
  DescribeVSwitches: list('vswitch', 'VSwitches.VSwitch', 'VSwitchId', 'vswitch:VSwitchId'),
  CreateRouteEntry: r('routetable:RouteTableId'), DeleteRouteEntry: r('routetable:RouteTableId'), DescribeRouteEntryList: r('routetable:RouteTableId'),
  DescribeRouteTableList: list('routetable', 'RouterTableList.RouterTableListType', 'RouteTableId', 'routetable:RouteTableId'),
  DescribeRouteTables: r('routetable:RouteTableId'), ModifyRouteTableAttributes: r('routetable:RouteTableId'),
  DescribeVRouters: r('vrouter:VRouterId'), ModifyVRouterAttribute: r('vrouter:VRouterId'),
  TagResources: tagged, UnTagResources: tagged, ListTagResources: tagged,
  MoveResourceGroup: r('$ResourceType:ResourceId', 'resourcemanager/resourcegroup:NewResourceGroupId'),
  DeletionProtection: any,
  // Elastic IP addresses: acs:vpc:<region>:<account>:eip/<AllocationId>; associating also names the ECS instance.
  AllocateEipAddress: r('eip:*'), ReleaseEipAddress: r('eip:AllocationId'), ModifyEipAddressAttribute: r('eip:AllocationId'),
  AssociateEipAddress: r('eip:AllocationId', EIP_TARGET), UnassociateEipAddress: r('eip:AllocationId', EIP_TARGET),
  DescribeEipAddresses: list('eip', 'EipAddresses.EipAddress', 'AllocationId', 'eip:AllocationId'),
};

const user = r('user:UserName');
const ownKeys: ActionRule = { resources: ['user:@self'], selfService: 'AllowUserToManageAccessKeys' };
const ownMfa: ActionRule = { resources: ['user:UserName'], selfService: 'AllowUserToManageMFADevices' };
const grp = r('group:GroupName');
const role = r('role:RoleName');
const pol = r('policy:PolicyName');

const RAM: Record<string, ActionRule> = {
  CreateUser: user, GetUser: user, UpdateUser: user, DeleteUser: user, ListUsers: r('user:*'),
  CreateLoginProfile: user, GetLoginProfile: user, UpdateLoginProfile: user, DeleteLoginProfile: user,
  CreateAccessKey: ownKeys, ListAccessKeys: ownKeys, UpdateAccessKey: ownKeys, DeleteAccessKey: ownKeys, GetAccessKeyLastUsed: ownKeys,
  // A RAM user's own password: no policy grants it, the security preference AllowUserToChangePassword does (the handler checks it).
  ChangePassword: { resources: [], public: true },
  BindMFADevice: ownMfa, UnbindMFADevice: ownMfa, GetUserMFAInfo: ownMfa,
  CreateVirtualMFADevice: r('mfa:*'), DeleteVirtualMFADevice: r('mfa:*'), ListVirtualMFADevices: r('mfa:*'),
  CreateGroup: grp, GetGroup: grp, UpdateGroup: grp, DeleteGroup: grp, ListGroups: r('group:*'),
  AddUserToGroup: r('group:GroupName', 'user:UserName'), RemoveUserFromGroup: r('group:GroupName', 'user:UserName'),
  ListGroupsForUser: user, ListUsersForGroup: grp,
  CreatePolicy: pol, GetPolicy: pol, DeletePolicy: pol, ListPolicies: r('policy:*'), UpdatePolicyDescription: pol,
  CreatePolicyVersion: pol, GetPolicyVersion: pol, ListPolicyVersions: pol, SetDefaultPolicyVersion: pol, DeletePolicyVersion: pol,
  ListEntitiesForPolicy: pol,
  AttachPolicyToUser: r('policy:PolicyName', 'user:UserName'), DetachPolicyFromUser: r('policy:PolicyName', 'user:UserName'),
  AttachPolicyToGroup: r('policy:PolicyName', 'group:GroupName'), DetachPolicyFromGroup: r('policy:PolicyName', 'group:GroupName'),
  AttachPolicyToRole: r('policy:PolicyName', 'role:RoleName'), DetachPolicyFromRole: r('policy:PolicyName', 'role:RoleName'),
  ListPoliciesForUser: user, ListPoliciesForGroup: grp, ListPoliciesForRole: role,
  CreateRole: role, GetRole: role, UpdateRole: role, DeleteRole: role, ListRoles: r('role:*'),
  SetAccountAlias: any, GetAccountAlias: any, ClearAccountAlias: any,
  GetPasswordPolicy: any, SetPasswordPolicy: any, GetSecurityPreference: any, SetSecurityPreference: any,
  DecodeDiagnosticMessage: any,
  // Tags of roles and policies (src/api/ram-tag-spec.ts): ResourceType role | policy.
  TagResources: r('$ResourceType:ResourceNames'), UntagResources: r('$ResourceType:ResourceNames'), ListTagResources: r('$ResourceType:ResourceNames'),
};

const STS: Record<string, ActionRule> = {
  AssumeRole: r('arn:RoleArn'),
  // Called with an identity provider's token, not a RAM identity; GetCallerIdentity needs no permission.
  AssumeRoleWithOIDC: { resources: [], public: true },
  AssumeRoleWithSAML: { resources: [], public: true },
  GetCallerIdentity: { resources: [], public: true },
};

const root = { resources: ['*'], rootOnly: true } as const;

export const ACTION_RULES: Record<Product, Record<string, ActionRule>> = {
  ecs: ECS,
  vpc: VPC,
  ram: RAM,
  sts: STS,
  bssopenapi: {
    QueryAvailableInstances: any, GetPayAsYouGoPrice: any, GetSubscriptionPrice: any,
    QueryAccountBalance: any, QueryInstanceBill: any, QueryBill: any,
  },
  actiontrail: { LookupEvents: any },
  cms: { DescribeSystemEventAttribute: any, DescribeSystemEventCount: any, DescribeSystemEventHistogram: any },
  resourcemanager: {
    CreateResourceGroup: r('resourcegroup:*'), DeleteResourceGroup: r('resourcegroup:ResourceGroupId'),
    GetResourceGroup: r('resourcegroup:ResourceGroupId'), UpdateResourceGroup: r('resourcegroup:ResourceGroupId'),
    ListResourceGroups: r('resourcegroup:*'), ListResources: r('resourcegroup:ResourceGroupId'),
  },
  openecs: {
    CreateAccount: root, DescribeAccounts: root, CreateAccessKey: root, SetAccountQuota: root, SetAccountBalance: root, AdvanceClock: root,
    CreateFaultRule: root, DescribeFaultRules: root, DeleteFaultRule: root,
    InterruptSpotInstance: r('ecs/instance:InstanceId'),
    RenewInstanceWithDowngrade: r('ecs/instance:InstanceId'),
    DescribeAccountQuotas: any,
    PutObject: r('bucket:Bucket'), GetObject: r('bucket:Bucket'), ListObjects: r('bucket:Bucket'),
    ExplainSecurityGroupAccess: r('ecs/instance:InstanceId', 'ecs/networkinterface:NetworkInterfaceId', 'ecs/securitygroup:SecurityGroupId'),
    CloneSecurityGroup: r('ecs/securitygroup:SecurityGroupId'),
    ExportSecurityGroupRules: r('ecs/securitygroup:SecurityGroupId'),
    ImportSecurityGroupRules: r('ecs/securitygroup:SecurityGroupId'),
    RestoreSecurityGroupRules: r('ecs/securitygroup:SecurityGroupId', 'ecs/securitygroup:SourceSecurityGroupId'),
    CreateDefaultSecurityGroup: r('ecs/securitygroup:*', 'vpc/vpc:VpcId'),
    ExplainRamAccess: r('ram/user:UserName', 'ram/role:RoleName'),
    // Unauthenticated: the password is the credential (dispatch.ts ANONYMOUS_ACTIONS).
    SignInWithPassword: { resources: [], public: true },
  },
};

export function actionRule(product: Product, action: string): ActionRule | undefined {
  return ACTION_RULES[product]?.[action];
}

export interface ResourceScope {
  service: string;
  regionId: string;
  accountId: string;
  /** The calling RAM user, for `@self`. */
  userName?: string;
}

/** `acs:<service>:<region>:<account>:<type>/<id>`; RAM and the other global services have no region. */
export function arn(service: string, regionId: string, accountId: string, type: string, id: string): string {
  return `acs:${service}:${GLOBAL_SERVICES.has(service) ? '' : regionId || '*'}:${accountId}:${type}/${id}`;
}

function valuesAt(params: Record<string, unknown>, path: string): string[] | undefined {
  const [head, ...rest] = path.split('.');
  let v: unknown = params[head!];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string' && v.startsWith('[')) {
    try { v = JSON.parse(v); } catch { /* a plain id that begins with "[" */ }
  }
  const items = Array.isArray(v) ? v : [v];
  const out: string[] = [];
  for (const item of items) {
    if (rest.length) {
      if (item && typeof item === 'object') out.push(...(valuesAt(item as Record<string, unknown>, rest.join('.')) ?? []));
    } else if (typeof item === 'string' || typeof item === 'number') {
      if (String(item) !== '') out.push(String(item));
    }
  }
  return out.length ? out : undefined;
}

/** A resource the action touches: its ARN, and the id whose tags a condition may ask for (none for `*`). */
export interface TouchedResource {
  arn: string;
  id?: string;
  /** For a resource named by id: its service and type, to rebuild the ARN once its region is known. */
  service?: string;
  type?: string;
}

/** The ARNs a request touches, in the order the rule lists them (`*` when the rule is `*`). */
export function touchedResources(rule: ActionRule, scope: ResourceScope, params: Record<string, unknown>): TouchedResource[] {
  const out: TouchedResource[] = [];
  for (const spec of rule.resources) {
    if (spec === '*') {
      out.push({ arn: '*' });
      continue;
    }
    const colon = spec.indexOf(':');
    let typePart = spec.slice(0, colon);
    const param = spec.slice(colon + 1);
    if (typePart === 'arn') {
      for (const v of valuesAt(params, param) ?? ['*']) out.push({ arn: v });
      continue;
    }
    let service = scope.service;
    const slash = typePart.indexOf('/');
    if (slash >= 0) {
      service = typePart.slice(0, slash);
      typePart = typePart.slice(slash + 1);
    }
    let type = typePart;
    if (typePart.startsWith('$')) {
      // `$Param=Default`: the type the action takes when the parameter is left out.
      const [typeParam, fallback] = typePart.slice(1).split('=');
      const named = (valuesAt(params, typeParam!)?.[0] ?? fallback)?.toLowerCase();
      type = named ? TAG_TYPE_ARN[named] ?? named : '*';
    }
    if (param === '*') out.push({ arn: arn(service, scope.regionId, scope.accountId, type, '*') });
    else if (param === '@self') out.push({ arn: arn(service, scope.regionId, scope.accountId, type, String(params.UserName || scope.userName || '*')) });
    else {
      const ids = valuesAt(params, param);
      if (!ids) {
        // Only a rule's first resource stands for the action when it names none; optional
        // companions (a key pair, a snapshot) are checked only when given.
        if (out.length === 0) out.push({ arn: arn(service, scope.regionId, scope.accountId, type, '*') });
        continue;
      }
      for (const id of ids) out.push({ arn: arn(service, scope.regionId, scope.accountId, type, id), id, service, type });
    }
  }
  return out;
}
