/**
 * OpenECS's own actions, on the same endpoint under Version 2026-11-01 (product `openecs`):
 * what the real service does through its console or support tickets (accounts, quota increases)
 * and what only an emulator needs (moving the clock). Same wire rules as ECS; specs in the
 * generated format, written here because no vendor metadata describes them.
 */
import type { ProductSpec } from './spec-types.js';

export const EXTENSION_VERSION = '2026-11-01';

const region = { n: 'RegionId', t: 'string' as const };

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
    AdvanceClock: { p: [{ n: 'Seconds', t: 'integer', r: 1, min: 1 }], e: {}, r: { Now: 's' } },
    ExplainSecurityGroupAccess: {
      p: [region, { n: 'InstanceId', t: 'string' }, { n: 'SecurityGroupId', t: 'array', s: 'repeatList', items: { t: 'string' }, maxItems: 5 },
        { n: 'Direction', t: 'string', r: 1, e: ['ingress', 'egress'] }, { n: 'IpProtocol', t: 'string', r: 1 },
        { n: 'Port', t: 'integer', min: -1, max: 65535 }, { n: 'PeerAddress', t: 'string' }, { n: 'PeerSecurityGroupId', t: 'string' },
        { n: 'NicType', t: 'string', e: ['intranet', 'internet'] }],
      e: {}, r: { Decision: 's', Reason: 's', DecidingRule: {} },
    },
  },
};
