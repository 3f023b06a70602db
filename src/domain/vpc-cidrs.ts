/**
 * A VPC's IPv4 blocks: its primary CidrBlock plus up to five secondary blocks
 * (AssociateVpcCidrBlock; the VPC quota "secondary IPv4 CIDR blocks per VPC" is 5). A secondary
 * block follows the primary's rules (checkVpcCidr) and overlaps no block the VPC already has; a
 * VSwitch lies wholly inside one of the blocks.
 */
import { checkVpcCidr, checkVSwitchCidr, overlaps, parseCidr, type VSwitchCidrCheck } from './cidr.js';

export const MAX_SECONDARY_CIDRS = 5;

export type SecondaryCidrCheck =
  | { ok: true }
  | { ok: false; reason: 'malformed' | 'not-network' | 'range' | 'mask' | 'duplicate' | 'overlap' | 'quota'; conflict?: string };

export function checkSecondaryCidr(block: string, primary: string, secondaries: readonly string[]): SecondaryCidrCheck {
  const c = checkVpcCidr(block);
  if (!c.ok) return c;
  if (secondaries.includes(block)) return { ok: false, reason: 'duplicate', conflict: block };
  for (const other of [primary, ...secondaries]) {
    const o = parseCidr(other);
    if (o.ok && overlaps(o.cidr, c.cidr)) return { ok: false, reason: 'overlap', conflict: other };
  }
  if (secondaries.length >= MAX_SECONDARY_CIDRS) return { ok: false, reason: 'quota' };
  return { ok: true };
}

/** A VSwitch block against all the VPC's blocks: inside the primary or one secondary, overlapping no sibling. */
export function checkVSwitchInVpc(block: string, vpcBlocks: readonly string[], siblings: readonly string[]): VSwitchCidrCheck {
  let result: VSwitchCidrCheck = { ok: false, reason: 'outside-vpc' };
  for (const outer of vpcBlocks) {
    result = checkVSwitchCidr(block, outer, siblings);
    if (result.ok || result.reason !== 'outside-vpc') return result;
  }
  return result;
}

export const secondaryList = (stored: string): string[] => (stored ? stored.split(',') : []);
