/**
 * OpenECS's own actions, on the same endpoint under Version 2026-11-01 (product `openecs`):
 * what the real service does through its console or support tickets (accounts, quota increases)
 * and what only an emulator needs (moving the clock). Same wire rules as ECS; specs in the
 * generated format, written here because no vendor metadata describes them.
 */
import type { ProductSpec, ShapeSpec } from './spec-types.js';

export const EXTENSION_VERSION = '2026-11-01';

const region = { n: 'RegionId', t: 'string' as const };
const regionR = { ...region, r: 1 as const };
const groupR = { n: 'SecurityGroupId', t: 'string' as const, r: 1 as const };
const writes = [{ n: 'DryRun', t: 'boolean' as const }, { n: 'ClientToken', t: 'string' as const, maxLen: 64 }];
/** `Format` doubles as the common response-format parameter; only `csv` there means a CSV file (security-group-tools.ts). */
const fileFormat = [{ n: 'FileFormat', t: 'string' as const }, { n: 'Format', t: 'string' as const }];
const permissionList: ShapeSpec = { Permission: [{ SecurityGroupRuleId: 's', Direction: 's', IpProtocol: 's', PortRange: 's', Policy: 's', Priority: 's' }] };
const ruleProblems: ShapeSpec = { Item: [{ Index: 'i', Code: 's', Message: 's', Permission: {} }] };

export const extensionSpec: ProductSpec = {
  version: EXTENSION_VERSION,
  actions: {
    CreateAccount: { p: [{ n: 'AccountName', t: 'string', r: 1, maxLen: 64 }], e: {}, r: { AccountId: 's', AccessKeyId: 's', AccessKeySecret: 's' } },
    DescribeAccounts: { p: [], e: {}, r: { Accounts: { Account: [{ AccountId: 's', AccountName: 's', IsAdmin: 'b' }] } } },
    CreateAccessKey: { p: [{ n: 'AccountId', t: 'string' }], e: {}, r: { AccessKeyId: 's', AccessKeySecret: 's' } },
    SetAccountQuota: {
      p: [{ n: 'AccountId', t: 'string', r: 1 }, { n: 'QuotaName', t: 'string', r: 1 }, { n: 'Value', t: 'integer', r: 1, min: 0 }],
      e: {}, r: {},
    },
    DescribeAccountQuotas: { p: [{ n: 'AccountId', t: 'string' }], e: {}, r: { Quotas: { Quota: [{ QuotaName: 's', Value: 'i' }] } } },
    // Issue 15: the operator sets an account's balance (a top-up or a debt; account-balance.ts), as QueryAccountBalance answers it.
    SetAccountBalance: {
      p: [{ n: 'AccountId', t: 'string', r: 1 }, { n: 'AvailableAmount', t: 'number', r: 1, min: -1000000000, max: 1000000000 }],
      e: {}, r: { AccountId: 's', AvailableAmount: 's', Currency: 's', InArrears: 'b' },
    },
    // The local object store of ImportImage / ExportImage (src/actions/object-store.ts).
    PutObject: {
      p: [regionR, { n: 'Bucket', t: 'string', r: 1, maxLen: 63 }, { n: 'Key', t: 'string', r: 1, maxLen: 1023 }, { n: 'Content', t: 'string' }, { n: 'DryRun', t: 'boolean' }],
      e: {}, r: { Bucket: 's', Key: 's', Size: 'i', ETag: 's' },
    },
    GetObject: {
      p: [region, { n: 'Bucket', t: 'string', r: 1, maxLen: 63 }, { n: 'Key', t: 'string', r: 1, maxLen: 1023 }],
      e: {}, r: { Bucket: 's', Key: 's', Size: 'i', ETag: 's', LastModified: 's', Content: 's' },
    },
    ListObjects: {
      p: [region, { n: 'Bucket', t: 'string', r: 1, maxLen: 63 }, { n: 'Prefix', t: 'string' }, { n: 'MaxKeys', t: 'integer', min: 1, max: 1000 }],
      e: {}, r: { Bucket: 's', RegionId: 's', Prefix: 's', Objects: { Object: [{ Key: 's', Size: 'i', LastModified: 's' }] } },
    },
    AdvanceClock: { p: [{ n: 'Seconds', t: 'integer', r: 1, min: 1 }], e: {}, r: { Now: 's' } },
    // Issue 15: a spot interruption drill, as if the market reclaimed the instance now (spot-interruption.ts).
    InterruptSpotInstance: {
      p: [regionR, { n: 'InstanceId', t: 'string', r: 1 }, ...writes],
      e: {
        'InvalidInstanceId.NotFound': [404, 'The specified InstanceId does not exist.'],
        IncorrectInstanceStatus: [403, 'The current status of the resource does not support this operation.'],
        'OperationDenied.NotSpotInstance': [403, 'The specified instance is not a spot instance.'],
        'OperationDenied.SpotProtected': [403, 'The specified spot instance is within its SpotDuration protection period.'],
      },
      r: { InstanceId: 's', TerminationTime: 's' },
    },
    // Issue 15: the console's renewal for configuration downgrade (renew-downgrade.ts): renewed now, at a lower
    // type from the start of the renewed period. Codes of RenewInstance and ModifyPrepayInstanceSpec.
    RenewInstanceWithDowngrade: {
      p: [regionR, { n: 'InstanceId', t: 'string', r: 1 }, { n: 'InstanceType', t: 'string', r: 1 },
        { n: 'Period', t: 'integer', r: 1 }, { n: 'PeriodUnit', t: 'string', def: 'Month' }, ...writes],
      e: {
        'InvalidInstanceId.NotFound': [404, 'The specified InstanceId does not exist.'],
        ChargeTypeViolation: [403, 'The operation is not permitted due to charge type of the instance.'],
        InvalidInstanceStatus: [403, 'The current status of the instance does not support this operation.'],
        IncorrectInstanceStatus: [403, 'The current status of the resource does not support this operation.'],
        'InvalidInstanceType.ValueNotSupported': [400, 'The specified InstanceType does not exist or beyond the permitted range.'],
        'DependencyViolation.InstanceType': [400, 'Current instancetype cannot be changed to the specified one.'],
        'InstanceSpecModification.NotEffective': [403, 'The specified instance has been reserved for making a spec modification and not taken effective in the current contract period.'],
        InvalidPeriod: [400, 'The specified period is not valid.'],
        'InvalidPeriodUnit.ValueNotSupported': [400, 'The specified parameter PeriodUnit is not valid.'],
        'InvalidPeriod.ExceededMaximumExpirationDate': [400, 'The specified renewal period cannot exceed the maximum expiration date. We recommend you try shortening the renewal period at next attempt.'],
        LastOrderProcessing: [400, 'The previous order is still processing, please try again later.'],
      },
      r: { OrderId: 's', InstanceId: 's', InstanceType: 's', EffectiveTime: 's', ExpiredTime: 's' },
    },
    ExplainSecurityGroupAccess: {
      p: [region, { n: 'InstanceId', t: 'string' }, { n: 'NetworkInterfaceId', t: 'string' }, { n: 'SecurityGroupId', t: 'array', s: 'repeatList', items: { t: 'string' }, maxItems: 5 },
        { n: 'Direction', t: 'string', r: 1, e: ['ingress', 'egress'] }, { n: 'IpProtocol', t: 'string', r: 1 },
        { n: 'Port', t: 'integer', min: -1, max: 65535 }, { n: 'PeerAddress', t: 'string' }, { n: 'PeerSecurityGroupId', t: 'string' },
        { n: 'NicType', t: 'string', e: ['intranet', 'internet'] }],
      e: {}, r: { Decision: 's', Reason: 's', DecidingRule: {} },
    },
    // Issue 13: would RAM allow this principal this action on this resource, and which statement decides (explain-ram-access.ts).
    // AuthAction and AuthResource, the words of RAM's diagnostics: `Action` is the RPC's own parameter.
    ExplainRamAccess: {
      p: [{ n: 'UserName', t: 'string', maxLen: 64 }, { n: 'RoleName', t: 'string', maxLen: 64 },
        { n: 'AuthAction', t: 'string', r: 1, maxLen: 128 }, { n: 'AuthResource', t: 'string', maxLen: 1024 },
        { n: 'SourceIp', t: 'string' }, { n: 'CurrentTime', t: 'string' }, { n: 'SecureTransport', t: 'boolean' },
        { n: 'ResourceTag', t: 'array', s: 'repeatList', maxItems: 20, items: { t: 'object', props: { Key: { t: 'string', r: 1 }, Value: { t: 'string' } } } }],
      e: {},
      r: {
        Decision: 's', DenyType: 's', Reason: 's', Principal: 's', AuthAction: 's', AuthResource: 's',
        DecidingPolicy: { PolicyName: 's', PolicyType: 's', VersionId: 's', StatementIndex: 'i', Effect: 's', Statement: 's' },
        EvaluatedPolicies: { Policy: [{ PolicyName: 's', PolicyType: 's', VersionId: 's' }] },
      },
    },
    // Issue 13: a RAM user's console sign-in, unauthenticated like RAM's sign-in page (console-sign-in.ts).
    SignInWithPassword: {
      p: [{ n: 'PrincipalName', t: 'string', r: 1, maxLen: 128 }, { n: 'Password', t: 'string', r: 1, maxLen: 64 },
        { n: 'NewPassword', t: 'string', maxLen: 64 }, { n: 'DurationSeconds', t: 'integer', min: 900, max: 43200 }],
      e: {},
      r: {
        AccountId: 's', UserId: 's', UserName: 's', Arn: 's',
        Credentials: { AccessKeyId: 's', AccessKeySecret: 's', SecurityToken: 's', Expiration: 's' },
      },
    },
    // Issue 16: fault injection (src/faults/, src/actions/fault-rules.ts), admin only.
    CreateFaultRule: {
      p: [{ n: 'Target', t: 'string', e: ['Api', 'InstanceStart', 'DiskAttach', 'SnapshotCreate', 'HostEvent'], def: 'Api' },
        { n: 'Product', t: 'string', maxLen: 32 }, { n: 'ApiName', t: 'string', maxLen: 128 }, { n: 'AccountId', t: 'string', maxLen: 64 },
        { n: 'ResourceId', t: 'string', maxLen: 64 }, { n: 'ErrorCode', t: 'string', maxLen: 128 }, { n: 'ErrorMessage', t: 'string', maxLen: 1024 },
        { n: 'LatencyMs', t: 'integer', min: 0, max: 60000 }, { n: 'Probability', t: 'number', min: 0, max: 1 },
        { n: 'Count', t: 'integer', min: 1, max: 1000000 }, { n: 'Description', t: 'string', maxLen: 256 }],
      e: {}, r: { FaultRuleId: 's' },
    },
    DescribeFaultRules: {
      p: [{ n: 'FaultRuleId', t: 'string', maxLen: 64 }, { n: 'Target', t: 'string', e: ['Api', 'InstanceStart', 'DiskAttach', 'SnapshotCreate', 'HostEvent'] }],
      e: {},
      r: {
        TotalCount: 'i',
        FaultRules: { FaultRule: [{
          FaultRuleId: 's', Target: 's', Product: 's', ApiName: 's', AccountId: 's', ResourceId: 's', ErrorCode: 's', ErrorMessage: 's',
          LatencyMs: 'i', Probability: 'n', Count: 'i', RemainingCount: 'i', HitCount: 'i', Status: 's', Description: 's', CreationTime: 's',
        }] },
      },
    },
    DeleteFaultRule: { p: [{ n: 'FaultRuleId', t: 'string', r: 1, maxLen: 64 }], e: {}, r: {} },
    // Security guide §1.10.3 and §1.11 (console conveniences) and §1.3 (default group): security-group-tools.ts.
    CloneSecurityGroup: {
      p: [regionR, groupR, { n: 'DestinationRegionId', t: 'string' }, { n: 'DestinationVpcId', t: 'string' },
        { n: 'SecurityGroupName', t: 'string' }, { n: 'Description', t: 'string' }, ...writes],
      e: {}, r: { SecurityGroupId: 's', RegionId: 's', VpcId: 's', SecurityGroupType: 's', RuleCount: 'i', SkippedRules: ruleProblems },
    },
    ExportSecurityGroupRules: {
      p: [regionR, groupR, ...fileFormat],
      e: {}, r: { SecurityGroupId: 's', FileFormat: 's', FileName: 's', Content: 's', RuleCount: 'i' },
    },
    ImportSecurityGroupRules: {
      p: [regionR, groupR, { n: 'Content', t: 'string', r: 1, maxLen: 1048576 }, ...fileFormat, { n: 'Preview', t: 'boolean' }, ...writes],
      e: {}, r: { SecurityGroupId: 's', Preview: 'b', RuleCount: 'i', ImportCount: 'i', TruncatedCount: 'i', Permissions: permissionList, SkippedRules: ruleProblems, FailedRules: ruleProblems },
    },
    RestoreSecurityGroupRules: {
      p: [regionR, groupR, { n: 'SourceSecurityGroupId', t: 'string', r: 1 }, { n: 'Mode', t: 'string' }, { n: 'Preview', t: 'boolean' }, ...writes],
      e: {}, r: { SecurityGroupId: 's', SourceSecurityGroupId: 's', Mode: 's', Preview: 'b', Identical: 'b', ToAdd: permissionList, ToRemove: permissionList, SkippedSystemRules: permissionList, FailedRules: ruleProblems },
    },
    CreateDefaultSecurityGroup: {
      p: [regionR, { n: 'VpcId', t: 'string', r: 1 }, { n: 'OpenHttpPorts', t: 'boolean' }, ...writes],
      e: {}, r: { SecurityGroupId: 's', VpcId: 's', Created: 'b' },
    },
  },
};
