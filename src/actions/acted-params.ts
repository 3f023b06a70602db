/**
 * The request parameters each implemented action acts on: product → action → parameter names.
 * The dispatcher refuses any other supplied parameter with `UnsupportedParameter` (400) naming it
 * (src/api/acted.ts), so nothing a client asks for is silently dropped.
 *
 * Names are the spec's top-level names (`Tag`, `SystemDisk.Category`, `Filter.1.Key`); a
 * `Param.Field` entry (`DataDisk.Size`) admits only those fields of an object or list-of-object
 * parameter, and a bare `Param` admits all of its fields. Not listed, because the dispatcher acts
 * on them for every action: the common parameters, `RegionId`/`regionId`, `ClientToken`, `DryRun`.
 * A value equal to the parameter's documented default (`def` in the generated spec) is always
 * accepted, and an empty value counts as not given.
 *
 * When a handler starts reading a parameter, add it here. test/unit/acted-params.test.ts fails on
 * an implemented action without an entry, on a name the spec does not declare, and on a parameter
 * a handler reads (found in the source) that its entry leaves out; at run time the dispatcher logs
 * such a read once (`[openecs] ecs X reads the parameter "Y" …`).
 */
import type { Product } from '../api/spec.js';

export type ActedParams = Record<Product, Record<string, readonly string[]>>;

export const ACTED_PARAMS: ActedParams = {
  ecs: {
    AddTags: ['ResourceId', 'ResourceType', 'Tag'],
    AllocatePublicIpAddress: ['InstanceId', 'IpAddress'],
    AssignPrivateIpAddresses: ['NetworkInterfaceId', 'PrivateIpAddress', 'SecondaryPrivateIpAddressCount'],
    AttachInstanceRamRole: ['InstanceIds', 'RamRoleName'],
    ApplyAutoSnapshotPolicy: ['autoSnapshotPolicyId', 'diskIds'],
    AttachDisk: ['DeleteWithInstance', 'Device', 'DiskId', 'InstanceId', 'KeyPairName', 'Password'],
    AttachKeyPair: ['InstanceIds', 'KeyPairName'],
    AuthorizeSecurityGroup: [
      'Description', 'DestCidrIp', 'IpProtocol', 'Ipv6DestCidrIp', 'Ipv6SourceCidrIp', 'NicType', 'Permissions',
      'Policy', 'PortRange', 'Priority', 'SecurityGroupId', 'SourceCidrIp', 'SourceGroupId',
      'SourceGroupOwnerAccount', 'SourceGroupOwnerId', 'SourcePortRange', 'SourcePrefixListId',
    ],
    AuthorizeSecurityGroupEgress: [
      'Description', 'DestCidrIp', 'DestGroupId', 'DestGroupOwnerAccount', 'DestGroupOwnerId', 'DestPrefixListId',
      'IpProtocol', 'Ipv6DestCidrIp', 'Ipv6SourceCidrIp', 'NicType', 'Permissions', 'Policy', 'PortRange',
      'Priority', 'SecurityGroupId', 'SourceCidrIp', 'SourcePortRange',
    ],
    CancelAutoSnapshotPolicy: ['diskIds'],
    CancelCopyImage: ['ImageId'],
    CancelTask: ['TaskId'],
    CopyImage: [
      'DestinationDescription', 'DestinationImageName', 'DestinationRegionId', 'ImageId', 'ResourceGroupId', 'Tag',
    ],
    CopySnapshot: [
      'DestinationRegionId', 'DestinationSnapshotDescription', 'DestinationSnapshotName', 'Encrypted',
      'ResourceGroupId', 'RetentionDays', 'SnapshotId', 'Tag',
    ],
    CreateAutoSnapshotPolicy: [
      'CopiedSnapshotsRetentionDays', 'CopyEncryptionConfiguration.Encrypted', 'CopyEncryptionConfiguration.KMSKeyId',
      'EnableCrossRegionCopy', 'ResourceGroupId', 'Tag', 'TargetCopyRegions', 'autoSnapshotPolicyName', 'repeatWeekdays',
      'retentionDays', 'timePoints',
    ],
    CreateDisk: [
      'BurstingEnabled', 'Description', 'DiskCategory', 'DiskName', 'Encrypted', 'InstanceId', 'MultiAttach',
      'PerformanceLevel', 'ProvisionedIops', 'ResourceGroupId', 'Size', 'SnapshotId', 'Tag', 'ZoneId',
    ],
    CreateImage: [
      'Architecture', 'BootMode', 'Description', 'DiskDeviceMapping', 'ImageFamily', 'ImageName', 'ImageVersion',
      'InstanceId', 'Platform', 'ResourceGroupId', 'SnapshotId', 'Tag',
    ],
    CreateInstance: [
      'AutoRenew', 'AutoRenewPeriod', 'CreditSpecification', 'DataDisk.Category', 'DataDisk.DeleteWithInstance', 'DataDisk.Description',
      'DataDisk.Device', 'DataDisk.DiskName', 'DataDisk.Encrypted', 'DataDisk.PerformanceLevel', 'DataDisk.Size',
      'DataDisk.SnapshotId', 'DeletionProtection', 'Description', 'HostName', 'HttpEndpoint',
      'HttpPutResponseHopLimit', 'HttpTokens', 'ImageId', 'InstanceChargeType', 'InstanceName', 'InstanceType',
      'InternetChargeType', 'InternetMaxBandwidthIn', 'InternetMaxBandwidthOut', 'IoOptimized', 'KeyPairName', 'Password',
      'PasswordInherit', 'Period', 'PeriodUnit', 'PrivateIpAddress', 'PrivatePoolOptions.Id', 'PrivatePoolOptions.MatchCriteria',
      'ResourceGroupId', 'SecurityGroupId', 'SystemDisk.Category',
      'SystemDisk.Description', 'SystemDisk.DiskName', 'SystemDisk.PerformanceLevel', 'SystemDisk.Size', 'Tag',
      'UserData', 'VSwitchId', 'ZoneId',
    ],
    CreateKeyPair: ['KeyPairName', 'ResourceGroupId', 'Tag'],
    CreateSecurityGroup: ['Description', 'ResourceGroupId', 'SecurityGroupName', 'SecurityGroupType', 'Tag', 'VpcId'],
    CreateSnapshot: ['Category', 'Description', 'DiskId', 'ResourceGroupId', 'RetentionDays', 'SnapshotName', 'Tag'],
    DeleteAutoSnapshotPolicy: ['autoSnapshotPolicyId'],
    DetachInstanceRamRole: ['InstanceIds', 'RamRoleName'],
    DeleteDisk: ['DiskId'],
    DeleteImage: ['Force', 'ImageId'],
    DeleteInstance: ['Force', 'InstanceId'],
    DeleteInstances: ['Force', 'InstanceId'],
    DeleteKeyPairs: ['KeyPairNames'],
    DeleteSecurityGroup: ['SecurityGroupId'],
    DeleteSnapshot: ['Force', 'SnapshotId'],
    DescribeAutoSnapshotPolicyEx: [
      'AutoSnapshotPolicyId', 'AutoSnapshotPolicyName', 'PageNumber', 'PageSize', 'ResourceGroupId', 'Tag',
    ],
    DescribeAvailableResource: [
      'Cores', 'DataDiskCategory', 'DedicatedHostId', 'DestinationResource', 'InstanceChargeType', 'InstanceType',
      'IoOptimized', 'Memory', 'NetworkCategory', 'ResourceType', 'Scope', 'SpotStrategy', 'SystemDiskCategory',
      'ZoneId',
    ],
    DescribeDiskMonitorData: ['DiskId', 'EndTime', 'Period', 'StartTime'],
    DescribeDisks: [
      'AutoSnapshotPolicyId', 'Category', 'DeleteAutoSnapshot', 'DeleteWithInstance', 'DiskChargeType', 'DiskIds',
      'DiskName', 'DiskType', 'EnableAutoSnapshot', 'EnableAutomatedSnapshotPolicy', 'Encrypted', 'Filter.1.Key',
      'Filter.1.Value', 'Filter.2.Key', 'Filter.2.Value', 'InstanceId', 'LockReason', 'MaxResults', 'NextToken',
      'PageNumber', 'PageSize', 'Portable', 'ResourceGroupId', 'SnapshotId', 'Status', 'Tag', 'ZoneId',
    ],
    DescribeImageSharePermission: ['ImageId', 'PageNumber', 'PageSize'],
    DescribeImageSupportInstanceTypes: ['ActionType', 'Filter', 'ImageId'],
    DescribeImages: [
      'ActionType', 'Architecture', 'Filter', 'ImageFamily', 'ImageId', 'ImageName', 'ImageOwnerAlias', 'ImageOwnerId',
      'InstanceType', 'IsPublic', 'IsSupportCloudinit', 'IsSupportIoOptimized', 'OSType', 'PageNumber', 'PageSize',
      'ResourceGroupId', 'SnapshotId', 'Status', 'Tag', 'Usage',
    ],
    DescribeInstanceAttachmentAttributes: ['InstanceIds', 'PageNumber', 'PageSize'],
    DescribeInstanceAttribute: ['InstanceId'],
    DescribeInstanceAutoRenewAttribute: ['InstanceId', 'PageNumber', 'PageSize', 'RenewalStatus'],
    DescribeInstanceMaintenanceAttributes: ['InstanceId', 'PageNumber', 'PageSize'],
    DescribeInstanceRamRole: ['InstanceIds', 'PageNumber', 'PageSize', 'RamRoleName'],
    DescribeInstanceMonitorData: ['EndTime', 'InstanceId', 'Period', 'StartTime'],
    DescribeInstanceStatus: ['InstanceId', 'PageNumber', 'PageSize', 'ZoneId'],
    DescribeInstanceTypeFamilies: ['Generation'],
    DescribeInstanceTypes: [
      'CpuArchitecture', 'CpuArchitectures', 'GPUSpec', 'GpuSpecs', 'InstanceCategories', 'InstanceCategory',
      'InstanceFamilyLevel', 'InstanceTypeFamilies', 'InstanceTypeFamily', 'InstanceTypes', 'LocalStorageCategories',
      'LocalStorageCategory', 'MaxResults', 'MaximumCpuCoreCount', 'MaximumCpuSpeedFrequency',
      'MaximumCpuTurboFrequency', 'MaximumGPUAmount', 'MaximumMemorySize', 'MinimumBaselineCredit',
      'MinimumCpuCoreCount', 'MinimumCpuSpeedFrequency', 'MinimumCpuTurboFrequency', 'MinimumDiskQuantity',
      'MinimumEniIpv6AddressQuantity', 'MinimumEniPrivateIpAddressQuantity', 'MinimumEniQuantity',
      'MinimumEriQuantity', 'MinimumGPUAmount', 'MinimumInitialCredit', 'MinimumInstanceBandwidthRx',
      'MinimumInstanceBandwidthTx', 'MinimumInstancePpsRx', 'MinimumInstancePpsTx', 'MinimumLocalStorageAmount',
      'MinimumLocalStorageCapacity', 'MinimumMemorySize', 'MinimumPrimaryEniQueueNumber', 'MinimumQueuePairNumber',
      'MinimumSecondaryEniQueueNumber', 'NextToken', 'NvmeSupport', 'PhysicalProcessorModel',
      'PhysicalProcessorModels',
    ],
    DescribeInstanceVncUrl: ['InstanceId'],
    // AdditionalAttributes (META_OPTIONS, NETWORK_PRIMARY_ENI_IP, CPU_OPTIONS_TOPOLOGY_TYPE, …): what they
    // ask for is in every answer (instance-view.ts), as Terraform reads it on each refresh.
    DescribeInstances: [
      'AdditionalAttributes', 'EipAddresses', 'Filter.1.Key', 'Filter.1.Value', 'Filter.2.Key', 'Filter.2.Value',
      'Filter.3.Key', 'Filter.3.Value', 'Filter.4.Key', 'Filter.4.Value', 'ImageId', 'InnerIpAddresses',
      'InstanceChargeType', 'InstanceIds', 'InstanceName', 'InstanceNetworkType', 'InstanceType',
      'InstanceTypeFamily', 'InternetChargeType', 'KeyPairName', 'MaxResults', 'NextToken', 'PageNumber', 'PageSize',
      'PrivateIpAddresses', 'PublicIpAddresses', 'ResourceGroupId', 'SecurityGroupId', 'Status', 'Tag', 'VSwitchId',
      'VpcId', 'ZoneId',
    ],
    DescribeNetworkInterfaces: [
      'InstanceId', 'Ipv6Address', 'MaxResults', 'NetworkInterfaceId', 'NetworkInterfaceName', 'NextToken', 'PageNumber',
      'PageSize', 'PrimaryIpAddress', 'PrivateIpAddress', 'ResourceGroupId', 'SecurityGroupId', 'ServiceManaged', 'Status',
      'Tag', 'Type', 'VSwitchId', 'VpcId',
    ],
    DescribeKeyPairs: [
      'IncludePublicKey', 'KeyPairFingerPrint', 'KeyPairName', 'PageNumber', 'PageSize', 'ResourceGroupId', 'Tag',
    ],
    DescribeRegions: ['AcceptLanguage', 'InstanceChargeType', 'ResourceType'],
    DescribeSecurityGroupAttribute: ['Direction', 'MaxResults', 'NextToken', 'NicType', 'SecurityGroupId'],
    DescribeSecurityGroupReferences: ['SecurityGroupId'],
    DescribeSecurityGroups: [
      'MaxResults', 'NetworkType', 'NextToken', 'PageNumber', 'PageSize', 'ResourceGroupId', 'SecurityGroupId',
      'SecurityGroupIds', 'SecurityGroupName', 'SecurityGroupType', 'Tag', 'VpcId',
    ],
    DescribeSnapshots: [
      'Category', 'DiskId', 'Encrypted', 'Filter.1.Key', 'Filter.1.Value', 'Filter.2.Key', 'Filter.2.Value',
      'InstanceId', 'MaxResults', 'NextToken', 'PageNumber', 'PageSize', 'ResourceGroupId', 'SnapshotIds',
      'SnapshotLinkId', 'SnapshotName', 'SnapshotType', 'SourceDiskType', 'Status', 'Tag', 'Usage',
    ],
    DescribeTags: ['PageNumber', 'PageSize', 'ResourceId', 'ResourceType', 'Tag'],
    DescribeTaskAttribute: ['TaskId'],
    DescribeTasks: [
      'EndTime', 'PageNumber', 'PageSize', 'ResourceIds', 'StartTime', 'TaskAction', 'TaskIds', 'TaskStatus',
    ],
    DescribeUserData: ['InstanceId'],
    DescribeZones: ['AcceptLanguage', 'InstanceChargeType', 'SpotStrategy', 'Verbose'],
    DetachDisk: ['DeleteWithInstance', 'DiskId', 'InstanceId'],
    DetachKeyPair: ['InstanceIds', 'KeyPairName'],
    ExportImage: ['ImageFormat', 'ImageId', 'OSSBucket', 'OSSPrefix'],
    ImportImage: [
      'Architecture', 'BootMode', 'Description', 'DetectionStrategy', 'DiskDeviceMapping', 'ImageName',
      'LicenseType', 'OSType', 'Platform', 'ResourceGroupId', 'StorageLocationArn', 'Tag',
    ],
    ImportKeyPair: ['KeyPairName', 'PublicKeyBody', 'ResourceGroupId', 'Tag'],
    JoinResourceGroup: ['ResourceGroupId', 'ResourceId', 'ResourceType'],
    JoinSecurityGroup: ['InstanceId', 'SecurityGroupId'],
    LeaveSecurityGroup: ['InstanceId', 'SecurityGroupId'],
    ListTagResources: ['NextToken', 'ResourceId', 'ResourceType', 'Tag', 'TagFilter'],
    ModifyAutoSnapshotPolicyEx: [
      'CopiedSnapshotsRetentionDays', 'CopyEncryptionConfiguration.Encrypted', 'CopyEncryptionConfiguration.KMSKeyId',
      'EnableCrossRegionCopy', 'TargetCopyRegions', 'autoSnapshotPolicyId', 'autoSnapshotPolicyName', 'repeatWeekdays',
      'retentionDays', 'timePoints',
    ],
    ModifyDiskAttribute: [
      'BurstingEnabled', 'DeleteAutoSnapshot', 'DeleteWithInstance', 'Description', 'DiskId', 'DiskIds', 'DiskName',
      'EnableAutoSnapshot',
    ],
    ModifyDiskSpec: ['DiskCategory', 'DiskId', 'PerformanceControlOptions', 'PerformanceLevel', 'ProvisionedIops'],
    ModifyImageAttribute: [
      'BootMode', 'Description', 'Features', 'ImageFamily', 'ImageId', 'ImageName', 'LicenseType', 'Status',
    ],
    ModifyImageSharePermission: ['AddAccount', 'ImageId', 'IsPublic', 'LaunchPermission', 'RemoveAccount'],
    ModifyInstanceAttribute: [
      'CreditSpecification', 'DeletionProtection', 'Description', 'EnableJumboFrame', 'HostName', 'InstanceId', 'InstanceName',
      'Password', 'SecurityGroupIds', 'UserData',
    ],
    ModifyInstanceAttachmentAttributes: ['InstanceId', 'PrivatePoolOptions.Id', 'PrivatePoolOptions.MatchCriteria'],
    ModifyInstanceAutoReleaseTime: ['AutoReleaseTime', 'InstanceId'],
    ModifyInstanceAutoRenewAttribute: ['AutoRenew', 'Duration', 'InstanceId', 'PeriodUnit', 'RenewalStatus'],
    ModifyInstanceChargeType: ['IncludeDataDisks', 'InstanceChargeType', 'InstanceIds', 'Period', 'PeriodUnit'],
    ModifyInstanceMaintenanceAttributes: ['ActionOnMaintenance', 'InstanceId', 'MaintenanceWindow', 'NotifyOnMaintenance'],
    ModifyInstanceMetadataOptions: [
      'HttpEndpoint', 'HttpPutResponseHopLimit', 'HttpTokens', 'InstanceId', 'InstanceMetadataTags',
    ],
    ModifyInstanceNetworkSpec: ['AllocatePublicIp', 'InstanceId', 'InternetMaxBandwidthIn', 'InternetMaxBandwidthOut', 'NetworkChargeType'],
    ModifyInstanceSpec: ['InstanceId', 'InstanceType', 'InternetMaxBandwidthIn', 'InternetMaxBandwidthOut'],
    ModifyInstanceVpcAttribute: ['InstanceId', 'PrivateIpAddress', 'SecurityGroupId', 'VSwitchId', 'VpcId'],
    ModifyInstanceVncPasswd: ['InstanceId', 'VncPassword'],
    ModifySecurityGroupAttribute: ['Description', 'SecurityGroupId', 'SecurityGroupName'],
    ModifySecurityGroupEgressRule: [
      'Description', 'DestCidrIp', 'DestGroupId', 'DestGroupOwnerAccount', 'DestGroupOwnerId', 'DestPrefixListId',
      'IpProtocol', 'Ipv6DestCidrIp', 'Ipv6SourceCidrIp', 'NicType', 'Policy', 'PortRange', 'Priority',
      'SecurityGroupId', 'SecurityGroupRuleId', 'SourceCidrIp', 'SourcePortRange',
    ],
    ModifySecurityGroupPolicy: ['InnerAccessPolicy', 'SecurityGroupId'],
    ModifySecurityGroupRule: [
      'Description', 'DestCidrIp', 'IpProtocol', 'Ipv6DestCidrIp', 'Ipv6SourceCidrIp', 'NicType', 'Policy',
      'PortRange', 'Priority', 'SecurityGroupId', 'SecurityGroupRuleId', 'SourceCidrIp', 'SourceGroupId',
      'SourceGroupOwnerAccount', 'SourceGroupOwnerId', 'SourcePortRange', 'SourcePrefixListId',
    ],
    ModifySnapshotAttribute: ['Description', 'DisableInstantAccess', 'RetentionDays', 'SnapshotId', 'SnapshotName'],
    ReInitDisk: ['DiskId', 'KeyPairName', 'Password'],
    RebootInstance: ['ForceStop', 'InstanceId'],
    RebootInstances: ['BatchOptimization', 'ForceReboot', 'InstanceId'],
    RemoveTags: ['ResourceId', 'ResourceType', 'Tag'],
    ReplaceSystemDisk: [
      'DiskId', 'ImageId', 'InstanceId', 'KeyPairName', 'Password', 'PasswordInherit', 'SystemDisk.Size',
    ],
    ResetDisk: ['DiskId', 'SnapshotId'],
    ResizeDisk: ['DiskId', 'NewSize', 'Type'],
    RevokeSecurityGroup: [
      'Description', 'DestCidrIp', 'IpProtocol', 'Ipv6DestCidrIp', 'Ipv6SourceCidrIp', 'NicType', 'Permissions',
      'Policy', 'PortRange', 'Priority', 'SecurityGroupId', 'SecurityGroupRuleId', 'SourceCidrIp', 'SourceGroupId',
      'SourceGroupOwnerAccount', 'SourceGroupOwnerId', 'SourcePortRange', 'SourcePrefixListId',
    ],
    RevokeSecurityGroupEgress: [
      'Description', 'DestCidrIp', 'DestGroupId', 'DestGroupOwnerAccount', 'DestGroupOwnerId', 'DestPrefixListId',
      'IpProtocol', 'Ipv6DestCidrIp', 'Ipv6SourceCidrIp', 'NicType', 'Permissions', 'Policy', 'PortRange',
      'Priority', 'SecurityGroupId', 'SecurityGroupRuleId', 'SourceCidrIp', 'SourcePortRange',
    ],
    RunInstances: [
      'Amount', 'AutoReleaseTime', 'CreditSpecification', 'DataDisk.Category', 'DataDisk.DeleteWithInstance',
      'DataDisk.Description', 'DataDisk.Device', 'DataDisk.DiskName', 'DataDisk.Encrypted',
      'DataDisk.PerformanceLevel', 'DataDisk.Size', 'DataDisk.SnapshotId', 'DeletionProtection', 'Description',
      'HostName', 'HostNames', 'HttpEndpoint', 'HttpPutResponseHopLimit', 'HttpTokens', 'ImageId',
      'InstanceChargeType', 'InstanceName', 'InstanceType', 'InternetChargeType', 'InternetMaxBandwidthIn',
      'InternetMaxBandwidthOut', 'AutoRenew', 'AutoRenewPeriod', 'IoOptimized', 'KeyPairName', 'MinAmount', 'NetworkOptions.EnableJumboFrame', 'Password', 'PasswordInherit',
      'Period', 'PeriodUnit',
      'PrivateIpAddress', 'PrivatePoolOptions.Id', 'PrivatePoolOptions.MatchCriteria', 'ResourceGroupId', 'SecurityGroupId', 'SecurityGroupIds', 'SystemDisk.Category', 'SystemDisk.Description',
      'SystemDisk.DiskName', 'SystemDisk.PerformanceLevel', 'SystemDisk.Size', 'Tag', 'UniqueSuffix', 'UserData',
      'VSwitchId', 'ZoneId',
    ],
    StartInstance: ['InstanceId'],
    UnassignPrivateIpAddresses: ['NetworkInterfaceId', 'PrivateIpAddress'],
    StartInstances: ['BatchOptimization', 'InstanceId'],
    StopInstance: ['ForceStop', 'InstanceId', 'StoppedMode'],
    StopInstances: ['BatchOptimization', 'ForceStop', 'InstanceId', 'StoppedMode'],
    TagResources: ['ResourceId', 'ResourceType', 'Tag'],
    UntagResources: ['All', 'ResourceId', 'ResourceType', 'TagKey'],
    // The VPC actions the ECS API hosts (src/actions/ecs-vpc.ts), answered by the VPC handlers.
    AttachClassicLinkVpc: ['InstanceId', 'VpcId'],
    CreateRouteEntry: ['DestinationCidrBlock', 'NextHopId', 'NextHopList', 'NextHopType', 'RouteTableId'],
    CreateVSwitch: ['CidrBlock', 'Description', 'VSwitchName', 'VpcId', 'ZoneId'],
    CreateVpc: ['CidrBlock', 'Description', 'UserCidr', 'VpcName'],
    DeleteRouteEntry: ['DestinationCidrBlock', 'NextHopId', 'NextHopList', 'RouteTableId'],
    DeleteVSwitch: ['VSwitchId'],
    DeleteVpc: ['VpcId'],
    DescribeRouteTables: ['PageNumber', 'PageSize', 'RouteTableId', 'RouteTableName', 'RouterId', 'RouterType', 'VRouterId'],
    DescribeVRouters: ['PageNumber', 'PageSize', 'VRouterId'],
    DescribeVSwitches: ['IsDefault', 'PageNumber', 'PageSize', 'VSwitchId', 'VpcId', 'ZoneId'],
    DescribeVpcs: ['IsDefault', 'PageNumber', 'PageSize', 'VpcId'],
    DetachClassicLinkVpc: ['InstanceId', 'VpcId'],
    ModifyVRouterAttribute: ['Description', 'VRouterId', 'VRouterName'],
    ModifyVSwitchAttribute: ['Description', 'VSwitchId', 'VSwitchName'],
    ModifyVpcAttribute: ['CidrBlock', 'Description', 'UserCidr', 'VpcId', 'VpcName'],
  },
  vpc: {
    CreateVSwitch: ['CidrBlock', 'Description', 'Ipv6CidrBlock', 'Tag', 'VSwitchName', 'VpcId', 'ZoneId'],
    CreateVpc: [
      'CidrBlock', 'Description', 'EnableIpv6', 'Ipv4IpamPoolId', 'Ipv6CidrBlock', 'ResourceGroupId', 'Tag',
      'UserCidr', 'VpcName',
    ],
    DeleteVSwitch: ['VSwitchId'],
    DeleteVpc: ['VpcId'],
    DescribeRouteTableList: [
      'PageNumber', 'PageSize', 'ResourceGroupId', 'RouteTableId', 'RouteTableName', 'RouteTableType', 'RouterId',
      'RouterType', 'Tag', 'VpcId',
    ],
    DescribeVSwitchAttributes: ['VSwitchId'],
    DescribeVSwitches: [
      'IsDefault', 'PageNumber', 'PageSize', 'ResourceGroupId', 'RouteTableId', 'Tag', 'VSwitchId', 'VSwitchName', 'VpcId',
      'ZoneId',
    ],
    DescribeVpcAttribute: ['VpcId'],
    DescribeVpcs: ['IsDefault', 'PageNumber', 'PageSize', 'ResourceGroupId', 'Tag', 'VpcId', 'VpcName'],
    ListTagResources: ['MaxResults', 'NextToken', 'ResourceId', 'ResourceType', 'Tag'],
    ModifyVSwitchAttribute: ['Description', 'EnableIPv6', 'Ipv6CidrBlock', 'VSwitchId', 'VSwitchName'],
    ModifyVpcAttribute: ['CidrBlock', 'Description', 'EnableIPv6', 'Ipv6CidrBlock', 'VpcId', 'VpcName'],
    MoveResourceGroup: ['NewResourceGroupId', 'ResourceId', 'ResourceType'],
    TagResources: ['ResourceId', 'ResourceType', 'Tag'],
    UnTagResources: ['All', 'ResourceId', 'ResourceType', 'TagKey'],
    // Route tables, default network, deletion protection, ClassicLink, secondary blocks (route-tables.ts, vpc-defaults.ts, vpc-cidrs.ts).
    AssociateVpcCidrBlock: ['IPv6CidrBlock', 'IpVersion', 'IpamPoolId', 'SecondaryCidrBlock', 'SecondaryCidrMask', 'VpcId'],
    UnassociateVpcCidrBlock: ['IPv6CidrBlock', 'SecondaryCidrBlock', 'VpcId'],
    CreateDefaultVSwitch: ['Ipv6CidrBlock', 'ZoneId'],
    CreateDefaultVpc: ['EnableIpv6', 'Ipv6CidrBlock', 'ResourceGroupId'],
    CreateRouteEntry: ['Description', 'DestinationCidrBlock', 'NextHopId', 'NextHopList', 'NextHopType', 'RouteEntryName', 'RouteTableId'],
    DeleteRouteEntry: ['DestinationCidrBlock', 'NextHopId', 'NextHopList', 'RouteEntryId', 'RouteTableId'],
    DeletionProtection: ['InstanceId', 'ProtectionEnable', 'Type'],
    DescribeRouteEntryList: [
      'DestCidrBlockList', 'DestinationCidrBlock', 'IpVersion', 'MaxResult', 'NextHopId', 'NextHopType', 'NextToken',
      'RouteEntryId', 'RouteEntryName', 'RouteEntryType', 'RouteTableId',
    ],
    DescribeRouteTables: [
      'PageNumber', 'PageSize', 'ResourceGroupId', 'RouteTableId', 'RouteTableName', 'RouterId', 'RouterType', 'Type', 'VRouterId',
    ],
    DescribeVRouters: ['PageNumber', 'PageSize', 'VRouterId'],
    DisableVpcClassicLink: ['VpcId'],
    EnableVpcClassicLink: ['VpcId'],
    ModifyRouteTableAttributes: ['Description', 'RoutePropagationEnable', 'RouteTableId', 'RouteTableName'],
    ModifyVRouterAttribute: ['Description', 'VRouterId', 'VRouterName'],
  },
  sts: {
    GetCallerIdentity: [],
  },
  ram: {
  },
  bssopenapi: {
    QueryAvailableInstances: [
      'CreateTimeEnd', 'CreateTimeStart', 'EndTimeEnd', 'EndTimeStart', 'InstanceIDs', 'PageNum', 'PageSize',
      'ProductCode', 'ProductType', 'Region', 'RenewStatus', 'SubscriptionType',
    ],
  },
  resourcemanager: {
    CreateResourceGroup: ['DisplayName', 'Name', 'Tag'],
    DeleteResourceGroup: ['ResourceGroupId'],
    GetResourceGroup: ['IncludeTags', 'ResourceGroupId'],
    ListResourceGroups: [
      'DisplayName', 'IncludeTags', 'Name', 'PageNumber', 'PageSize', 'ResourceGroupId', 'ResourceGroupIds', 'Status', 'Tag',
    ],
    ListResources: ['PageNumber', 'PageSize', 'Region', 'ResourceGroupId', 'ResourceId', 'ResourceType', 'ResourceTypes', 'Service'],
    UpdateResourceGroup: ['NewDisplayName', 'ResourceGroupId'],
  },
  openecs: {
    AdvanceClock: ['Seconds'],
    CloneSecurityGroup: [
      'Description', 'DestinationRegionId', 'DestinationVpcId', 'SecurityGroupId', 'SecurityGroupName',
    ],
    CreateAccessKey: ['AccountId'],
    CreateAccount: ['AccountName'],
    CreateDefaultSecurityGroup: ['OpenHttpPorts', 'VpcId'],
    DescribeAccountQuotas: ['AccountId'],
    DescribeAccounts: [],
    ExplainSecurityGroupAccess: [
      'Direction', 'InstanceId', 'IpProtocol', 'NicType', 'PeerAddress', 'PeerSecurityGroupId', 'Port',
      'SecurityGroupId',
    ],
    ExportSecurityGroupRules: ['FileFormat', 'SecurityGroupId'],
    GetObject: ['Bucket', 'Key'],
    ImportSecurityGroupRules: ['Content', 'FileFormat', 'Preview', 'SecurityGroupId'],
    ListObjects: ['Bucket', 'MaxKeys', 'Prefix'],
    PutObject: ['Bucket', 'Content', 'Key'],
    RestoreSecurityGroupRules: ['Mode', 'Preview', 'SecurityGroupId', 'SourceSecurityGroupId'],
    SetAccountQuota: ['AccountId', 'QuotaName', 'Value'],
  },
};
