/**
 * Default per-account quotas of the network family. The names are the keys of the `quotas`
 * table: a row for the account overrides the default (the root account sets it with
 * SetAccountQuota, the guide's "request an increase via ticket", SPEC.md). Other families keep
 * their own tables (src/domain/storage/quotas.ts, key pairs); a name not listed here is unknown.
 */
export const NETWORK_QUOTAS = {
  /** SPEC.md "Newer numbers win": 5 VPCs per account (002:L143; 000:L168 said 1), applied per region. */
  'vpcs-per-region': 5,
  /** CreateVSwitch API description: at most 150 VSwitches per VPC (the guides' 24, 000:L170, is older). */
  'vswitches-per-vpc': 150,
  /** 000:L154: security group quota 100 (per region, as every ECS resource is regional). */
  'security-groups-per-region': 100,
  /** 000:L155, L748: an instance joins at most 5 security groups (for the instance actions). */
  'security-groups-per-instance': 5,
  /** VPC quota vpc_quota_route_entrys_num: 200 custom route entries per route table. */
  'route-entries-per-table': 200,
  /** ECS limits ("Prefix lists"): 100 prefix lists per account and region. */
  'prefix-lists-per-region': 100,
  /** 000:L166: 20 EIPs for a single user (applied per region, as every EIP is regional). */
  'eips-per-region': 20,
} as const;

export type NetworkQuota = keyof typeof NETWORK_QUOTAS;

export function isNetworkQuota(name: string): name is NetworkQuota {
  return Object.hasOwn(NETWORK_QUOTAS, name);
}

export function defaultQuota(name: NetworkQuota): number {
  return NETWORK_QUOTAS[name];
}

/** Whether one more resource fits: `count` already exist against a quota of `limit`. */
export function fitsQuota(count: number, limit: number): boolean {
  return count < limit;
}

/**
 * Private IP capacity of a security group (security guide §1.2, 001:L123, L216): a basic (normal)
 * group holds 2,000 private addresses, an advanced (enterprise) one 65,536. DescribeSecurityGroups
 * reports the rest as AvailableInstanceAmount.
 */
export const SECURITY_GROUP_IP_CAPACITY: Record<string, number> = { normal: 2000, enterprise: 65536 };

export function securityGroupCapacity(type: string): number {
  return SECURITY_GROUP_IP_CAPACITY[type] ?? SECURITY_GROUP_IP_CAPACITY.normal!;
}
