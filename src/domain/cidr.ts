/**
 * IPv4 CIDR rules of VPCs and VSwitches (VPC API 2016-04-28, CreateVpc and CreateVSwitch
 * `CidrBlock`): a VPC takes 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or a subnet of them with a
 * mask of 8–28; a VSwitch takes a block inside its VPC with a mask of 16–29 that overlaps no other
 * VSwitch of the VPC. The first address and the last three of a VSwitch are reserved (CreateVSwitch
 * description: "192.168.1.0/24 reserves 192.168.1.0, .253, .254 and .255").
 *
 * The rules return reasons, not errors: each action maps a reason to its own documented code.
 */

/** An IPv4 block: `base` is the network address as an unsigned 32-bit number. */
export interface Cidr {
  base: number;
  prefix: number;
}

/** The private ranges a VPC may use (the API docs also allow custom ranges; OpenECS keeps to these). */
export const VPC_RANGES: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'];
export const DEFAULT_VPC_CIDR = '172.16.0.0/12';
export const VPC_MASK = { min: 8, max: 28 } as const;
export const VSWITCH_MASK = { min: 16, max: 29 } as const;
/** Reserved at the start and at the end of every VSwitch block. */
export const RESERVED_HEAD = 1;
export const RESERVED_TAIL = 3;

/** Strict dotted quad: four decimal octets 0–255 without leading zeros. */
export function parseIpv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  let n = 0;
  for (const part of m.slice(1)) {
    if (part.length > 1 && part.startsWith('0')) return undefined;
    const o = Number(part);
    if (o > 255) return undefined;
    n = n * 256 + o;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix);
}

export type CidrParse = { ok: true; cidr: Cidr } | { ok: false; reason: 'malformed' | 'not-network' };

/**
 * Parses `a.b.c.d/n`. An address with host bits set (`192.168.1.5/24`) is refused rather than
 * rounded down, so what is stored is exactly what the caller wrote.
 */
export function parseCidr(s: string): CidrParse {
  const m = /^([0-9.]+)\/(\d{1,2})$/.exec(s.trim());
  if (!m) return { ok: false, reason: 'malformed' };
  const base = parseIpv4(m[1]!);
  const prefix = Number(m[2]);
  if (base === undefined || prefix > 32 || (m[2]!.length > 1 && m[2]!.startsWith('0'))) return { ok: false, reason: 'malformed' };
  if (base % blockSize(prefix) !== 0) return { ok: false, reason: 'not-network' };
  return { ok: true, cidr: { base, prefix } };
}

export function formatCidr(c: Cidr): string {
  return `${formatIpv4(c.base)}/${c.prefix}`;
}

export function lastAddress(c: Cidr): number {
  return c.base + blockSize(c.prefix) - 1;
}

export function containsIp(c: Cidr, ip: number): boolean {
  return ip >= c.base && ip <= lastAddress(c);
}

/** `inner` lies wholly inside `outer` (equal blocks count). */
export function containsCidr(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && containsIp(outer, inner.base);
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base <= lastAddress(b) && b.base <= lastAddress(a);
}

const PRIVATE = VPC_RANGES.map((r) => (parseCidr(r) as { cidr: Cidr }).cidr);

export type VpcCidrCheck = { ok: true; cidr: Cidr } | { ok: false; reason: 'malformed' | 'not-network' | 'range' | 'mask' };

/** A VPC block: one of the three private ranges or a subnet of one, mask 8–28. */
export function checkVpcCidr(s: string): VpcCidrCheck {
  const p = parseCidr(s);
  if (!p.ok) return p;
  if (!PRIVATE.some((r) => containsCidr(r, p.cidr))) return { ok: false, reason: 'range' };
  if (p.cidr.prefix < VPC_MASK.min || p.cidr.prefix > VPC_MASK.max) return { ok: false, reason: 'mask' };
  return p;
}

export type VSwitchCidrCheck =
  | { ok: true; cidr: Cidr }
  | { ok: false; reason: 'malformed' | 'not-network' | 'mask' | 'outside-vpc' | 'overlap'; conflict?: string };

/** A VSwitch block: mask 16–29, inside its VPC's block, overlapping none of `siblings` (the VPC's other VSwitches). */
export function checkVSwitchCidr(s: string, vpcCidr: string, siblings: readonly string[]): VSwitchCidrCheck {
  const p = parseCidr(s);
  if (!p.ok) return p;
  if (p.cidr.prefix < VSWITCH_MASK.min || p.cidr.prefix > VSWITCH_MASK.max) return { ok: false, reason: 'mask' };
  const vpc = parseCidr(vpcCidr);
  if (!vpc.ok || !containsCidr(vpc.cidr, p.cidr)) return { ok: false, reason: 'outside-vpc' };
  for (const other of siblings) {
    const o = parseCidr(other);
    if (o.ok && overlaps(o.cidr, p.cidr)) return { ok: false, reason: 'overlap', conflict: other };
  }
  return p;
}

/** The addresses an instance may get: all but the reserved head and tail. */
export function usableRange(c: Cidr): { first: number; last: number } {
  return { first: c.base + RESERVED_HEAD, last: lastAddress(c) - RESERVED_TAIL };
}

export function usableCount(c: Cidr): number {
  return Math.max(0, blockSize(c.prefix) - RESERVED_HEAD - RESERVED_TAIL);
}

/** AvailableIpAddressCount of DescribeVSwitches: usable addresses not yet handed out. */
export function availableIpCount(cidr: string, used: number): number {
  const p = parseCidr(cidr);
  return p.ok ? Math.max(0, usableCount(p.cidr) - used) : 0;
}

export type PrivateIpCheck = { ok: true; ip: number } | { ok: false; reason: 'malformed' | 'outside' | 'reserved' };

/** A requested private address (RunInstances `PrivateIpAddress`) against the VSwitch block. */
export function checkPrivateIp(s: string, vswitchCidr: Cidr): PrivateIpCheck {
  const ip = parseIpv4(s.trim());
  if (ip === undefined) return { ok: false, reason: 'malformed' };
  if (!containsIp(vswitchCidr, ip)) return { ok: false, reason: 'outside' };
  const { first, last } = usableRange(vswitchCidr);
  if (ip < first || ip > last) return { ok: false, reason: 'reserved' };
  return { ok: true, ip };
}

/** The lowest usable address of the block not in `used`, or undefined when the block is full. */
export function lowestFree(c: Cidr, used: ReadonlySet<number>): number | undefined {
  return lowestFreeN(c, used, 1)[0];
}

/**
 * The `n` lowest usable addresses not in `used`, in order (fewer when the block runs out), in one
 * pass; with `within`, only those from `within.from` to `within.to` (both included).
 */
export function lowestFreeN(c: Cidr, used: ReadonlySet<number>, n: number, within?: { from: number; to: number }): number[] {
  const { first, last } = usableRange(c);
  const out: number[] = [];
  const to = Math.min(last, within?.to ?? last);
  for (let ip = Math.max(first, within?.from ?? first); ip <= to && out.length < n; ip++) if (!used.has(ip)) out.push(ip);
  return out;
}
