/**
 * The IPv6 side of the VPC API's VPCs and VSwitches (issue 14 item 3): CreateVpc EnableIpv6 /
 * Ipv6CidrBlock and ModifyVpcAttribute EnableIPv6 give a VPC a /56 of the server's pool
 * (OPENECS_IPV6_POOL); CreateVSwitch Ipv6CidrBlock and ModifyVSwitchAttribute EnableIPv6 /
 * Ipv6CidrBlock give a VSwitch the /64 numbered 0–255 inside it. Codes are the VPC API's
 * (CreateVpc, ModifyVpcAttribute, CreateVSwitch, ModifyVSwitchAttribute error tables).
 */
import { EcsError } from '../domain/errors.js';
import { DEFAULT_IPV6_POOL, nextVpcIpv6Block, parseIpv6Block, VPC_IPV6_PREFIX, VSWITCH_IPV6_INDEX, vswitchIpv6Block, formatIpv6Block } from '../domain/ipv6.js';
import { takenVpcIpv6Blocks, ipv6AddressCount } from '../store/ipv6-addresses.js';
import { vswitchesOfVpcs, type VpcRow, type VSwitchRow } from '../store/network.js';
import type { ActionContext, Tx } from './types.js';

type Q = Tx | ActionContext['db'];

/** The ISP of every block here: the only one OpenECS has (Ipv6CidrBlocks[].Ipv6Isp). */
export const IPV6_ISP = 'BGP';

function poolOf(ctx: ActionContext): string {
  return ctx.config.ipv6Pool ?? DEFAULT_IPV6_POOL;
}

/**
 * The /56 a VPC takes: `requested` (CreateVpc / ModifyVpcAttribute Ipv6CidrBlock) when it is a
 * free /56 of the pool, else the pool's lowest free one. Read inside the writing transaction; the
 * partial unique index on vpcs.ipv6_cidr_block settles two concurrent takers.
 */
export async function takeVpcIpv6Block(ctx: ActionContext, q: Q, requested: string | undefined): Promise<string> {
  const pool = poolOf(ctx);
  const taken = await takenVpcIpv6Blocks(q);
  if (requested) {
    const b = parseIpv6Block(requested);
    if (!b || b.prefix !== VPC_IPV6_PREFIX) throw new EcsError('InvalidIpv6CidrBlock.Malformed', `Specified Ipv6CidrBlock "${requested}" is not valid: an IPv6 block of mask /${VPC_IPV6_PREFIX} is expected.`);
    const p = parseIpv6Block(pool)!;
    const inPool = b.base >= p.base && b.base < p.base + (1n << BigInt(128 - p.prefix));
    const canonical = formatIpv6Block(b);
    if (!inPool || taken.includes(canonical)) throw new EcsError('OperationFailed.IPv6CidrNotReserved', `The IPv6 CIDR block ${requested} is not reserved: it must be a free /${VPC_IPV6_PREFIX} of ${pool}.`);
    return canonical;
  }
  const next = nextVpcIpv6Block(pool, taken);
  if (!next) throw new EcsError('ResourceNotEnough.Ipv6Cidr', `The specified resource of Ipv6Cidr is not enough: no free /${VPC_IPV6_PREFIX} is left in ${pool}.`);
  return next;
}

/**
 * The /64 numbered `index` of the VPC's /56 for a VSwitch: the VPC must have IPv6 and no other
 * VSwitch of it may hold the same /64 (`siblings`, read with the VPC's row locked by creates).
 */
export function vswitchIpv6BlockOf(vpc: VpcRow, index: number, siblings: readonly VSwitchRow[], self = ''): string {
  if (!vpc.ipv6_cidr_block) throw new EcsError('OperationFailed.VpcIpv6Disabled', `The VPC ${vpc.id} has not enabled IPv6.`);
  const block = vswitchIpv6Block(vpc.ipv6_cidr_block, index);
  if (!block) throw new EcsError('IllegalParam.Ipv6CidrBlock', `Specified Ipv6CidrBlock "${index}" is not valid: an integer from ${VSWITCH_IPV6_INDEX.min} to ${VSWITCH_IPV6_INDEX.max} is expected.`);
  const holder = siblings.find((s) => s.id !== self && s.ipv6_cidr_block === block);
  if (holder) throw new EcsError('OperationFailed.Ipv6CidrBlockExisted', `The IPv6 CIDR block ${block} is already used by the vSwitch ${holder.id}.`);
  return block;
}

/** The lowest /64 number no VSwitch of the VPC holds (ModifyVSwitchAttribute EnableIPv6 without Ipv6CidrBlock). */
export function freeVSwitchIpv6Index(vpc: VpcRow, siblings: readonly VSwitchRow[]): number {
  for (let i = VSWITCH_IPV6_INDEX.min; i <= VSWITCH_IPV6_INDEX.max; i++) {
    const block = vswitchIpv6Block(vpc.ipv6_cidr_block, i);
    if (block && !siblings.some((s) => s.ipv6_cidr_block === block)) return i;
  }
  throw new EcsError('ResourceNotEnough.Ipv6Cidr', `Every /64 of the VPC's IPv6 block ${vpc.ipv6_cidr_block} is used by a vSwitch.`);
}

/** ModifyVpcAttribute EnableIPv6=false: no VSwitch of the VPC may still have IPv6. */
export async function checkVpcIpv6Unused(q: Q, vpc: VpcRow): Promise<void> {
  const withIpv6 = (await vswitchesOfVpcs(q, [vpc.id])).filter((s) => s.ipv6_cidr_block);
  if (withIpv6.length) throw new EcsError('OperationFailed.IpV6VSwitchInuse', `The vSwitches ${withIpv6.map((s) => s.id).join(', ')} of the VPC ${vpc.id} still have IPv6 enabled.`);
}

/** A VSwitch's /64 may change or go only while no ENI holds an address of it. */
export async function checkVSwitchIpv6Unused(q: Q, vsw: VSwitchRow): Promise<void> {
  if (await ipv6AddressCount(q, [vsw.id]) > 0) throw new EcsError('OperationFailed.Ipv6InstanceExist', `Operation failed because vswitch ${vsw.id} has ipv6 instance.`);
}
