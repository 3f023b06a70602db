/**
 * Secondary IPv4 blocks of a VPC (VPC API AssociateVpcCidrBlock / UnassociateVpcCidrBlock; rules
 * in src/domain/vpc-cidrs.ts). A block is usable at once: the VPC stays `Available`, which is what
 * Terraform waits for after each call. IPv6 blocks and IPAM pools do not exist here and are
 * refused with the metadata's codes.
 */
import { EcsError } from '../domain/errors.js';
import { given } from '../api/params.js';
import { containsCidr, parseCidr, VPC_MASK } from '../domain/cidr.js';
import { checkSecondaryCidr, MAX_SECONDARY_CIDRS, secondaryList } from '../domain/vpc-cidrs.js';
import { findVpc, updateVpc, vswitchesOfVpcs, type VpcRow } from '../store/network.js';
import { customEntriesOf, listRouteTables } from '../store/route-tables.js';
import { vpcHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

async function requireVpc(ctx: ActionContext, id: unknown): Promise<VpcRow> {
  const vpc = given(id) ? await findVpc(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, id) : undefined;
  if (!vpc) throw new EcsError('InvalidVpc.NotFound', `Specified VPC "${String(id ?? '')}" does not exist.`);
  return vpc;
}

function refuseIpv6AndIpam(p: Record<string, any>): void {
  if (given(p.IPv6CidrBlock) && given(p.SecondaryCidrBlock)) throw new EcsError('ParamExclusive.SecondaryCidrAndIpv6Cidr', 'SecondaryCidrBlock and IPv6CidrBlock are mutually exclusive.');
  if (given(p.IPv6CidrBlock) || (given(p.IpVersion) && p.IpVersion.toUpperCase() === 'IPV6')) {
    throw new EcsError('IllegalParam.IpVersion', 'OpenECS VPCs are IPv4 only: IpVersion must be IPV4.');
  }
  if (given(p.IpVersion) && p.IpVersion.toUpperCase() !== 'IPV4') throw new EcsError('IllegalParam.IpVersion', `The specified IpVersion "${p.IpVersion}" is not valid: IPV4 or IPV6.`);
  if (given(p.IpamPoolId) || typeof p.SecondaryCidrMask === 'number') throw new EcsError('UnsupportedFeature.Ipam', 'IPAM pools do not exist in OpenECS: give SecondaryCidrBlock.');
}

export const vpcCidrActions = vpcHandlers({
  async AssociateVpcCidrBlock(ctx, p) {
    refuseIpv6AndIpam(p);
    const vpc = await requireVpc(ctx, p.VpcId);
    if (!given(p.SecondaryCidrBlock)) throw new EcsError('MissingParam.SecondaryCidrBlockOrIpv6CidrBlock', 'Either SecondaryCidrBlock or Ipv6CidrBlock must be specified.');
    const block = p.SecondaryCidrBlock.trim();
    const secondaries = secondaryList(vpc.secondary_cidr_blocks);
    const c = checkSecondaryCidr(block, vpc.cidr_block, secondaries);
    if (!c.ok) {
      switch (c.reason) {
        case 'malformed': case 'not-network': throw new EcsError('InvalidCidrBlock.Malformed', `Specified CIDR block "${block}" is not valid.`);
        case 'range': throw new EcsError('IllegalParam.SecondaryCidrBlock', `Specified CIDR block "${block}" is not valid: it must be 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or one of their subnets.`);
        case 'mask': throw new EcsError('IllegalParam.SecondaryCidrBlock', `Specified CIDR block "${block}" is not valid: the mask must be from ${VPC_MASK.min} to ${VPC_MASK.max}.`);
        case 'duplicate': throw new EcsError('Duplicated.SecondaryCidrBlock', `The VPC ${vpc.id} already has the secondary CIDR block ${block}.`);
        case 'overlap': throw new EcsError('InvalidCidrBlock', `Specified CIDR block "${block}" overlaps the CIDR block ${c.conflict} of the VPC.`);
        default: throw new EcsError('QuotaExceeded.VpcMultiCidr', `A VPC has at most ${MAX_SECONDARY_CIDRS} secondary CIDR blocks.`);
      }
    }
    // A custom route already leading part of the new block elsewhere would be shadowed by its system routes.
    const parsed = parseCidr(block);
    const tables = await listRouteTables(ctx.db, { accountId: ctx.principal.accountId, vpcIds: [vpc.id] });
    const conflict = (await customEntriesOf(ctx.db, tables.map((t) => t.id))).find((e) => {
      const d = parseCidr(e.destination_cidr_block);
      return parsed.ok && d.ok && containsCidr(parsed.cidr, d.cidr);
    });
    if (conflict) throw new EcsError('OperationFailed.ConflictWithEntry', `The route entry ${conflict.id} for ${conflict.destination_cidr_block} lies inside ${block}.`);
    return ctx.mutate(async (trx) => {
      await updateVpc(trx, vpc.id, { secondary_cidr_blocks: [...secondaries, block].join(',') });
      return {};
    });
  },

  async UnassociateVpcCidrBlock(ctx, p) {
    refuseIpv6AndIpam(p);
    const vpc = await requireVpc(ctx, p.VpcId);
    if (!given(p.SecondaryCidrBlock)) throw new EcsError('MissingParam.SecondaryCidrBlockOrIpv6CidrBlock', 'Either SecondaryCidrBlock or Ipv6CidrBlock must be specified.');
    const block = p.SecondaryCidrBlock.trim();
    const secondaries = secondaryList(vpc.secondary_cidr_blocks);
    if (!secondaries.includes(block)) throw new EcsError('InvalidSecondaryCidrBlock.NotFound', `The VPC ${vpc.id} has no secondary CIDR block ${block}.`);
    const outer = parseCidr(block);
    const used = (await vswitchesOfVpcs(ctx.db, [vpc.id])).find((s) => {
      const inner = parseCidr(s.cidr_block);
      return outer.ok && inner.ok && containsCidr(outer.cidr, inner.cidr);
    });
    if (used) throw new EcsError('OperationFailed.CidrInUse', `The secondary CIDR block ${block} is in use by VSwitch ${used.id}.`);
    return ctx.mutate(async (trx) => {
      await updateVpc(trx, vpc.id, { secondary_cidr_blocks: secondaries.filter((x) => x !== block).join(',') });
      return {};
    });
  },
});
