/**
 * IPv6 blocks and addresses of VPCs, VSwitches and ENIs (issue 14 item 3). A VPC with IPv6 gets a
 * /56 from the region's pool (OPENECS_IPV6_POOL, by default inside the documentation range
 * 2001:db8::/32); a VSwitch takes the /64 numbered 0–255 inside it (CreateVSwitch Ipv6CidrBlock);
 * an ENI's addresses come from its VSwitch's /64. As with IPv4 (domain/cidr.ts), the first four
 * and the last three addresses of a VSwitch's block are reserved (the first is the gateway's).
 * Addresses are kept in one canonical form (RFC 5952: compressed, lowercase), so one address is
 * one string everywhere (the store's unique index, filters, the data plane).
 */
import ipaddr from 'ipaddr.js';

export const DEFAULT_IPV6_POOL = '2001:db8::/32';
export const VPC_IPV6_PREFIX = 56;
export const VSWITCH_IPV6_PREFIX = 64;
/** CreateVSwitch Ipv6CidrBlock: the /64's number inside the /56. */
export const VSWITCH_IPV6_INDEX = { min: 0, max: 255 } as const;
const RESERVED_HEAD = 4n;
const RESERVED_TAIL = 3n;

export interface Ipv6Block { base: bigint; prefix: number }

function toBig(a: ipaddr.IPv6): bigint {
  return a.toByteArray().reduce((n, b) => (n << 8n) | BigInt(b), 0n);
}

function fromBig(n: bigint): string {
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** The canonical form of an IPv6 address, or undefined when `s` is not one (IPv4-mapped forms included). */
export function canonicalIpv6(s: string): string | undefined {
  const t = s.trim();
  if (!t.includes(':') || t.includes('%') || !ipaddr.IPv6.isValid(t)) return undefined;
  return ipaddr.IPv6.parse(t).toRFC5952String();
}

/** `addr/prefix` with no host bits set; undefined otherwise. */
export function parseIpv6Block(s: string): Ipv6Block | undefined {
  const m = /^([0-9a-fA-F:.]+)\/(\d{1,3})$/.exec(s.trim());
  if (!m || !ipaddr.IPv6.isValid(m[1]!) || Number(m[2]) > 128) return undefined;
  const prefix = Number(m[2]);
  const base = toBig(ipaddr.IPv6.parse(m[1]!));
  if (base & ((1n << BigInt(128 - prefix)) - 1n)) return undefined;
  return { base, prefix };
}

export function formatIpv6Block(b: Ipv6Block): string {
  return `${fromBig(b.base)}/${b.prefix}`;
}

/** Whether the pool is usable: a block of IPv6 with room for /56s. */
export function validIpv6Pool(pool: string): boolean {
  const b = parseIpv6Block(pool);
  return b !== undefined && b.prefix <= VPC_IPV6_PREFIX;
}

/** The lowest /56 of the pool that no VPC holds; undefined when the pool is exhausted. */
export function nextVpcIpv6Block(pool: string, taken: readonly string[]): string | undefined {
  const p = parseIpv6Block(pool);
  if (!p || p.prefix > VPC_IPV6_PREFIX) return undefined;
  const step = 1n << BigInt(128 - VPC_IPV6_PREFIX);
  const count = 1n << BigInt(VPC_IPV6_PREFIX - p.prefix);
  const used = new Set(taken.map((t) => parseIpv6Block(t)?.base).filter((b): b is bigint => b !== undefined));
  for (let i = 0n; i < count; i++) {
    const base = p.base + i * step;
    if (!used.has(base)) return formatIpv6Block({ base, prefix: VPC_IPV6_PREFIX });
  }
  return undefined;
}

/** The /64 numbered `index` (0–255) inside the VPC's /56. */
export function vswitchIpv6Block(vpcBlock: string, index: number): string | undefined {
  const v = parseIpv6Block(vpcBlock);
  if (!v || !Number.isInteger(index) || index < VSWITCH_IPV6_INDEX.min || index > VSWITCH_IPV6_INDEX.max) return undefined;
  return formatIpv6Block({ base: v.base + (BigInt(index) << 64n), prefix: VSWITCH_IPV6_PREFIX });
}

export type Ipv6AddressCheck = { ok: true; address: string } | { ok: false; reason: 'malformed' | 'outside' | 'reserved' };

/** A requested address of the VSwitch's /64: canonical when valid. */
export function checkIpv6Address(s: string, vswitchBlock: string): Ipv6AddressCheck {
  const canonical = canonicalIpv6(s);
  const b = parseIpv6Block(vswitchBlock);
  if (!canonical || !b) return { ok: false, reason: 'malformed' };
  const n = toBig(ipaddr.IPv6.parse(canonical));
  const size = 1n << BigInt(128 - b.prefix);
  if (n < b.base || n >= b.base + size) return { ok: false, reason: 'outside' };
  const host = n - b.base;
  if (host < RESERVED_HEAD || host >= size - RESERVED_TAIL) return { ok: false, reason: 'reserved' };
  return { ok: true, address: canonical };
}

/** The `n` lowest free addresses of the VSwitch's /64 (fewer only if the block is that full). */
export function lowestFreeIpv6(vswitchBlock: string, used: ReadonlySet<string>, n: number): string[] {
  const b = parseIpv6Block(vswitchBlock);
  if (!b) return [];
  const size = 1n << BigInt(128 - b.prefix);
  const out: string[] = [];
  for (let host = RESERVED_HEAD; host < size - RESERVED_TAIL && out.length < n; host++) {
    const a = fromBig(b.base + host);
    if (!used.has(a)) out.push(a);
  }
  return out;
}
