/**
 * The default VPC and VSwitches (VPC API CreateDefaultVpc / CreateDefaultVSwitch): one default
 * VPC per account and region with the block 172.16.0.0/12, and at most one default VSwitch per
 * zone in it, each a /20 ("172.16.X.0/20"), taken in order as the first /20 free of the VPC's
 * other VSwitches.
 */
import { blockSize, formatCidr, lastAddress, overlaps, parseCidr, type Cidr } from './cidr.js';

export const DEFAULT_VPC_BLOCK = '172.16.0.0/12';
export const DEFAULT_VSWITCH_PREFIX = 20;

/** The first block of `prefix` inside `outer` that overlaps none of `taken`, or undefined when none is left. */
export function firstFreeBlock(outer: string, prefix: number, taken: readonly string[]): string | undefined {
  const o = parseCidr(outer);
  if (!o.ok || prefix < o.cidr.prefix) return undefined;
  const used = taken.map(parseCidr).filter((c): c is { ok: true; cidr: Cidr } => c.ok).map((c) => c.cidr);
  const step = blockSize(prefix);
  for (let base = o.cidr.base; base + step - 1 <= lastAddress(o.cidr); base += step) {
    const candidate = { base, prefix };
    if (!used.some((u) => overlaps(u, candidate))) return formatCidr(candidate);
  }
  return undefined;
}
