/**
 * Where public addresses come from: the operator's pool per region (`OPENECS_PUBLIC_IP_POOL`).
 *
 * - One block, e.g. `198.18.0.0/15` (the default: RFC 2544's benchmarking range, which no real
 *   network routes): split into equal power-of-two blocks, one per catalog region in catalog order
 *   (9 regions → 16 blocks of /19, 8190 usable addresses each).
 * - Explicit blocks per region: `cn-hangzhou=203.0.113.0/24,cn-shanghai=198.51.100.0/24`; a region
 *   without a block has no public addresses (allocation answers "no stock").
 * The first and last address of each block are not handed out. The instances' NAT public
 * addresses and the EIPs (src/actions/eips.ts) are held in one table (`public_ips`), so they never
 * collide; only EIPs are routed (src/network/eip-wire.ts).
 */
import { blockSize, formatCidr, parseCidr, type Cidr } from './cidr.js';

export const DEFAULT_PUBLIC_IP_POOL = '198.18.0.0/15';

export type PoolParse = { ok: true; blocks: Map<string, Cidr> } | { ok: false; message: string };

export function parsePublicIpPool(spec: string | undefined, regionIds: readonly string[]): PoolParse {
  const text = (spec ?? '').trim() || DEFAULT_PUBLIC_IP_POOL;
  const blocks = new Map<string, Cidr>();
  if (!text.includes('=')) {
    const p = parseCidr(text);
    if (!p.ok) return { ok: false, message: `OPENECS_PUBLIC_IP_POOL: "${text}" is not a CIDR block.` };
    let bits = 0;
    while (2 ** bits < regionIds.length) bits++;
    const prefix = p.cidr.prefix + bits;
    if (prefix > 30) return { ok: false, message: `OPENECS_PUBLIC_IP_POOL: ${text} is too small to split among ${regionIds.length} regions.` };
    regionIds.forEach((r, i) => blocks.set(r, { base: p.cidr.base + i * blockSize(prefix), prefix }));
    return { ok: true, blocks };
  }
  for (const part of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [region, cidr] = part.split('=').map((s) => s.trim());
    const p = parseCidr(cidr ?? '');
    if (!region || !p.ok) return { ok: false, message: `OPENECS_PUBLIC_IP_POOL: "${part}" is not region=CIDR.` };
    if (p.cidr.prefix > 30) return { ok: false, message: `OPENECS_PUBLIC_IP_POOL: ${cidr} is too small.` };
    for (const [other, c] of blocks) {
      if (c.base <= p.cidr.base + blockSize(p.cidr.prefix) - 1 && p.cidr.base <= c.base + blockSize(c.prefix) - 1) {
        return { ok: false, message: `OPENECS_PUBLIC_IP_POOL: the blocks of ${other} (${formatCidr(c)}) and ${region} (${cidr}) overlap.` };
      }
    }
    blocks.set(region, p.cidr);
  }
  return { ok: true, blocks };
}

/** Addresses that may be handed out from a block: all but its first and last. */
export function poolRange(c: Cidr): { first: number; last: number } {
  return { first: c.base + 1, last: c.base + blockSize(c.prefix) - 2 };
}

/** The lowest address of the block not in `used`, or undefined when the block is exhausted. */
export function lowestFreePublic(c: Cidr, used: ReadonlySet<number>): number | undefined {
  const { first, last } = poolRange(c);
  for (let ip = first; ip <= last; ip++) if (!used.has(ip)) return ip;
  return undefined;
}

export function inPool(c: Cidr, ip: number): boolean {
  const { first, last } = poolRange(c);
  return ip >= first && ip <= last;
}
