/**
 * DescribeAccountAttributes: the account's quota attributes in a region, under the metadata's
 * attribute names, with the values OpenECS actually enforces or measures. A limit OpenECS does
 * not enforce is not invented: of those, only the ones that are zero because the resource does
 * not exist here are answered (dedicated hosts, Cloud Assistant); the vCPU, ENI and disk-capacity
 * maxima, which nothing here limits, are left out of the answer.
 */

/** Every name the metadata lists for AttributeName.N. */
export const ACCOUNT_ATTRIBUTE_NAMES: readonly string[] = [
  'instance-network-type', 'max-security-groups', 'max-elastic-network-interfaces', 'max-postpaid-instance-vcpu-count',
  'max-spot-instance-vcpu-count', 'used-postpaid-instance-vcpu-count', 'used-spot-instance-vcpu-count',
  'max-postpaid-yundisk-capacity', 'used-postpaid-yundisk-capacity', 'max-dedicated-hosts', 'supported-postpaid-instance-types',
  'max-axt-command-count', 'max-axt-invocation-daily', 'real-name-authentication', 'max-cloud-assistant-activation-count',
];

/** Limits nothing here enforces: not answered rather than answered with a made-up number. */
export const UNENFORCED_ATTRIBUTES: ReadonlySet<string> = new Set([
  'max-elastic-network-interfaces', 'max-postpaid-instance-vcpu-count', 'max-spot-instance-vcpu-count', 'max-postpaid-yundisk-capacity',
]);

export interface AttributeFacts {
  /** The account's security group quota in the region (security-groups-per-region, SetAccountQuota). */
  maxSecurityGroups: number;
  usedPostpaidVcpus: number;
  usedSpotVcpus: number;
  /** GiB of pay-as-you-go cloud disks used as data disks. */
  usedPostpaidDataDiskGiB: number;
  /** The pay-as-you-go instance types each zone sells. */
  postpaidTypes: { zoneId: string; instanceType: string }[];
}

export interface ValueItem { Value?: string; ZoneId?: string; InstanceType?: string; InstanceChargeType?: string; Count?: number }
export interface AttributeItem { AttributeName: string; AttributeValues: { ValueItem: ValueItem[] } }

function values(name: string, f: AttributeFacts): ValueItem[] | undefined {
  switch (name) {
    // The classic network does not exist here (see EnableVpcClassicLink).
    case 'instance-network-type': return [{ Value: 'vpc' }];
    case 'max-security-groups': return [{ Value: String(f.maxSecurityGroups) }];
    case 'used-postpaid-instance-vcpu-count': return [{ Value: String(f.usedPostpaidVcpus) }];
    case 'used-spot-instance-vcpu-count': return [{ Value: String(f.usedSpotVcpus) }];
    case 'used-postpaid-yundisk-capacity': return [{ Value: String(f.usedPostpaidDataDiskGiB) }];
    // Neither dedicated hosts nor Cloud Assistant exist here: none can be made.
    case 'max-dedicated-hosts': case 'max-axt-command-count': case 'max-axt-invocation-daily': case 'max-cloud-assistant-activation-count':
      return [{ Value: '0' }];
    case 'supported-postpaid-instance-types':
      return f.postpaidTypes.map((t) => ({ Value: t.instanceType, InstanceType: t.instanceType, ZoneId: t.zoneId, InstanceChargeType: 'PostPaid' }));
    // A self-hosted cloud has no real-name check: instances are created in every region.
    case 'real-name-authentication': return [{ Value: 'yes' }];
    default: return undefined;
  }
}

/** The items for `names` (all answerable ones when empty), in the order asked. */
export function accountAttributes(names: readonly string[], f: AttributeFacts): AttributeItem[] {
  const asked = names.length ? names : ACCOUNT_ATTRIBUTE_NAMES;
  const out: AttributeItem[] = [];
  for (const name of asked) {
    const v = UNENFORCED_ATTRIBUTES.has(name) ? undefined : values(name, f);
    if (v) out.push({ AttributeName: name, AttributeValues: { ValueItem: v } });
  }
  return out;
}
