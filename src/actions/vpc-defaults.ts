/**
 * VPC API actions around the VPC and VSwitch life cycle that Terraform's provider sends:
 * CreateDefaultVpc / CreateDefaultVSwitch (src/domain/default-network.ts), DeletionProtection,
 * and the ClassicLink switches.
 *
 * The default VPC and VSwitches are created by the same handlers as any other (vpc.ts), which
 * mark them default when the action is CreateDefault*; one default VPC per account and region,
 * one default VSwitch per zone (OperationFailed.DefaultVpcExist / DefaultVSwitchExist).
 *
 * DeletionProtection takes the types EIP, CBWP and NATGW (its metadata): EIPs are protected from
 * ReleaseEipAddress (src/actions/eips.ts); OpenECS has no bandwidth plans or NAT gateways, so
 * their ids are DeletionProtection.ResourceNotExist, and any other type
 * (a VPC included) DeletionProtection.TypeNotSupport, as the real service answers.
 *
 * ClassicLink joins classic-network instances to a VPC; the classic network does not exist here.
 * EnableVpcClassicLink is refused with Forbidden.EnableClassicLink; DisableVpcClassicLink asks
 * for the state every VPC already has (ClassicLinkEnabled false), so it succeeds without change.
 */
import { EcsError } from '../domain/errors.js';
import { DEFAULT_VPC_BLOCK, DEFAULT_VSWITCH_PREFIX, firstFreeBlock } from '../domain/default-network.js';
import { findZone } from '../domain/catalog/regions.js';
import { findVpc, listVpcs, listVSwitches, vswitchesOfVpcs } from '../store/network.js';
import { actionSpec } from '../api/spec.js';
import { answerInShape } from './ecs-vpc.js';
import { vpcHandlers, type VpcResponse } from './typed-handlers.js';
import type { ActionContext, ResponseBody } from './types.js';
import { vpcActions } from './vpc.js';
import { setEipDeletionProtection } from './eips.js';

const DELETION_PROTECTION_TYPES = new Set(['EIP', 'CBWP', 'NATGW']);

const scope = (ctx: ActionContext) => ({ accountId: ctx.principal.accountId, regionId: ctx.regionId });

async function defaultVpc(ctx: ActionContext) {
  return (await listVpcs(ctx.db, { ...scope(ctx), isDefault: true }, { offset: 0, limit: 1 })).rows[0];
}

/**
 * Runs CreateVpc / CreateVSwitch for a CreateDefault* action and answers in that action's own
 * shape (CreateVpc also answers ResourceGroupId, which CreateDefaultVpc does not have), the answer
 * remembered for its ClientToken included.
 */
async function answerAs<A extends 'CreateDefaultVpc' | 'CreateDefaultVSwitch'>(
  ctx: ActionContext, action: A, run: (ctx: ActionContext) => Promise<ResponseBody>,
): Promise<VpcResponse<A>> {
  return answerInShape(actionSpec('vpc', action)!.r, ctx, run) as Promise<VpcResponse<A>>;
}

function checkNoIpv6(p: Record<string, unknown>, code: string): void {
  if (p.EnableIpv6 === true || (p.Ipv6CidrBlock !== undefined && p.Ipv6CidrBlock !== '')) throw new EcsError(code, 'IPv6 is not supported by OpenECS.');
}

export const vpcDefaultActions = vpcHandlers({
  async CreateDefaultVpc(ctx, p) {
    checkNoIpv6(p, 'OperationUnsupported.Ipv6Feature');
    const existing = await defaultVpc(ctx);
    if (existing) throw new EcsError('OperationFailed.DefaultVpcExist', `A default VPC already exists in region ${ctx.regionId}: ${existing.id}.`);
    return answerAs(ctx, 'CreateDefaultVpc', (inner) =>
      vpcActions.CreateVpc!(inner, { RegionId: p.RegionId, ClientToken: p.ClientToken, ResourceGroupId: p.ResourceGroupId, CidrBlock: DEFAULT_VPC_BLOCK }));
  },

  async CreateDefaultVSwitch(ctx, p) {
    checkNoIpv6(p, 'OperationFailed.VpcIpv6Disabled');
    const vpc = await defaultVpc(ctx);
    if (!vpc) throw new EcsError('OperationFailed.DefaultVpcNotExist', `There is no default VPC in region ${ctx.regionId}: create it with CreateDefaultVpc first.`);
    if (!findZone(vpc.region_id, p.ZoneId)) throw new EcsError('InvalidZoneId.NotFound', `Specified zone "${p.ZoneId}" does not exist in region ${vpc.region_id}.`);
    const inZone = await listVSwitches(ctx.db, { ...scope(ctx), vpcId: vpc.id, zoneId: p.ZoneId, isDefault: true }, { offset: 0, limit: 1 });
    if (inZone.rows.length) throw new EcsError('OperationFailed.DefaultVSwitchExist', `A default vSwitch already exists in the zone ${p.ZoneId}: ${inZone.rows[0]!.id}.`);
    const block = firstFreeBlock(vpc.cidr_block, DEFAULT_VSWITCH_PREFIX, (await vswitchesOfVpcs(ctx.db, [vpc.id])).map((s) => s.cidr_block));
    if (!block) throw new EcsError('InvalidCidrBlock.Overlapped', `No free /${DEFAULT_VSWITCH_PREFIX} block is left in the default VPC ${vpc.id} (${vpc.cidr_block}).`);
    return answerAs(ctx, 'CreateDefaultVSwitch', (inner) =>
      vpcActions.CreateVSwitch!(inner, { RegionId: p.RegionId, ClientToken: p.ClientToken, VpcId: vpc.id, ZoneId: p.ZoneId, CidrBlock: block }));
  },

  async DeletionProtection(ctx, p) {
    const type = String(p.Type ?? '');
    if (!DELETION_PROTECTION_TYPES.has(type)) throw new EcsError('DeletionProtection.TypeNotSupport', `The resource type "${type}" does not support deletion protection: EIP, CBWP or NATGW.`);
    if (type === 'EIP') return setEipDeletionProtection(ctx, String(p.InstanceId ?? ''), p.ProtectionEnable === true);
    throw new EcsError('DeletionProtection.ResourceNotExist', `The resource "${p.InstanceId}" does not exist: OpenECS has no ${type} resources.`);
  },

  async EnableVpcClassicLink(ctx, p) {
    const vpc = await findVpc(ctx.db, scope(ctx), String(p.VpcId ?? ''));
    if (!vpc) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${p.VpcId}" does not exist.`);
    throw new EcsError('Forbidden.EnableClassicLink', 'ClassicLink connects classic-network instances, and OpenECS has no classic network.');
  },

  async DisableVpcClassicLink(ctx, p) {
    const vpc = await findVpc(ctx.db, scope(ctx), String(p.VpcId ?? ''));
    if (!vpc) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${p.VpcId}" does not exist.`);
    return ctx.mutate(async () => ({}));
  },
});
