/**
 * The VPC API (2016-04-28) minimum that ECS users and Terraform need: VPCs and VSwitches.
 *
 * Both are `Available` as soon as the create call returns (the real service passes through
 * Pending/Creating for a moment; clients, Terraform included, poll until Available, which they
 * then see at once). A VPC comes with one router and one system route table (CreateVpc API
 * description); their ids share the router's random part (`vrt-X` → `vtb-X`).
 *
 * DescribeVpcAttribute and DescribeVSwitchAttributes answer an unknown id with an empty body, not
 * an error, as the real service does: the Terraform provider reads `VpcId`/`VSwitchId` == "" as
 * "gone" and fails on any error.
 */
import { EcsError, errors } from '../domain/errors.js';
import { given, type Params } from '../api/params.js';
import { checkVpcCidr, availableIpCount, DEFAULT_VPC_CIDR, parseCidr, containsCidr, formatCidr, overlaps, VPC_MASK, VSWITCH_MASK } from '../domain/cidr.js';
import { checkVSwitchInVpc, secondaryList } from '../domain/vpc-cidrs.js';
import { findZone } from '../domain/catalog/regions.js';
import { newId } from '../domain/ids.js';
import { isValidVpcDescription, isValidVpcName } from '../domain/network-names.js';
import { fitsQuota } from '../domain/quotas.js';
import { tagsFromParams, type Tag } from '../domain/tags.js';
import { isoSecond } from '../domain/time.js';
import {
  countVpcs, deleteVpc, deleteVSwitch, findVpc, findVpcByRouter, findVSwitch, insertVpc, insertVSwitch, instancesInVpc, instancesInVSwitch,
  listVpcs, listVSwitches, securityGroupsInVpc, updateVpc, updateVSwitch, usedIpCounts, vswitchesOfVpcs,
  type VpcRow, type VSwitchRow,
} from '../store/network.js';
import { quotaFor } from '../store/quotas.js';
import { countCustomEntriesOfVpc, deleteRouteTablesOfVpc, insertSystemRouteTable } from '../store/route-tables.js';
import { checkUserCidrs } from '../domain/user-cidrs.js';
import { idsWithTags, putTags, removeTags, tagsOf } from '../store/tags.js';
import { tagFilterOf } from './storage-view.js';
import { vpcHandlers, type EcsRequest } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import { lockAccount, lockRow } from '../store/row-locks.js';
import { UNIQUE, onViolation } from '../store/unique.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import { checkVpcIpv6Unused, checkVSwitchIpv6Unused, freeVSwitchIpv6Index, IPV6_ISP, takeVpcIpv6Block, vswitchIpv6BlockOf } from './vpc-ipv6.js';

/** Tag resource types of the VPC product (its ListTagResources: VPC, VSWITCH), stored lower-case like ECS's. */
const VPC_TAG = 'vpc';
const VSWITCH_TAG = 'vswitch';
const MAX_VPC_IDS = 20;
const DEFAULT_PAGE_SIZE = 10;

function scope(ctx: ActionContext) {
  return { accountId: ctx.principal.accountId, regionId: ctx.regionId || undefined };
}

/** Describe actions taking DryRun: checks passed, nothing read (ctx.mutate gates the writing ones). */
function dryRunGate(ctx: ActionContext): void {
  if (ctx.dryRun) throw errors.dryRun();
}

function ownerId(ctx: ActionContext): number {
  return Number(ctx.principal.accountId);
}

function routeTableIdOf(vpc: VpcRow): string {
  return 'vtb-' + vpc.vrouter_id.replace(/^vrt-/, '');
}


function checkName(v: unknown, code: string, what: string): void {
  if (given(v) && !isValidVpcName(v)) {
    throw new EcsError(code, `Specified ${what} "${v}" is not valid: 1 to 128 characters, not starting with http:// or https://.`);
  }
}

function checkDescription(v: unknown, code: string): void {
  if (given(v) && !isValidVpcDescription(v)) {
    throw new EcsError(code, 'Specified description is not valid: 1 to 256 characters, not starting with http:// or https://.');
  }
}

function page(p: Params) {
  const pageNumber: number = p.PageNumber ?? 1;
  const pageSize: number = p.PageSize ?? DEFAULT_PAGE_SIZE;
  return { pageNumber, pageSize, window: { offset: (pageNumber - 1) * pageSize, limit: pageSize } };
}

const vpcTags = (tags: Tag[] | undefined) => ({ Tag: (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) });

function renderVpc(ctx: ActionContext, v: VpcRow, vswitchIds: string[], tags: Tag[] | undefined) {
  return {
    VpcId: v.id,
    RegionId: v.region_id,
    Status: v.status,
    VpcName: v.name,
    CreationTime: isoSecond(Number(v.created_at)),
    CidrBlock: v.cidr_block,
    Ipv6CidrBlock: v.ipv6_cidr_block,
    VRouterId: v.vrouter_id,
    Description: v.description,
    IsDefault: v.is_default === 1,
    ResourceGroupId: v.resource_group_id,
    OwnerId: ownerId(ctx),
    CenStatus: 'Detached',
    DhcpOptionsSetId: '',
    DhcpOptionsSetStatus: '',
    EnabledIpv6: v.ipv6_cidr_block !== '',
    VSwitchIds: { VSwitchId: vswitchIds },
    UserCidrs: { UserCidr: v.user_cidrs ? v.user_cidrs.split(',') : [] },
    SecondaryCidrBlocks: { SecondaryCidrBlock: secondaryList(v.secondary_cidr_blocks) },
    NatGatewayIds: { NatGatewayIds: [] as string[] },
    RouterTableIds: { RouterTableIds: [routeTableIdOf(v)] },
    Ipv6CidrBlocks: { Ipv6CidrBlock: v.ipv6_cidr_block ? [{ Ipv6CidrBlock: v.ipv6_cidr_block, Ipv6Isp: IPV6_ISP }] : [] },
    Tags: vpcTags(tags),
  };
}

function renderVSwitch(ctx: ActionContext, s: VSwitchRow, vpc: VpcRow | undefined, used: number, tags: Tag[] | undefined) {
  return {
    VSwitchId: s.id,
    VpcId: s.vpc_id,
    Status: s.status,
    CreationTime: isoSecond(Number(s.created_at)),
    IsDefault: s.is_default === 1,
    AvailableIpAddressCount: availableIpCount(s.cidr_block, used),
    NetworkAclId: '',
    OwnerId: ownerId(ctx),
    CidrBlock: s.cidr_block,
    Ipv6CidrBlock: s.ipv6_cidr_block,
    Description: s.description,
    ResourceGroupId: s.resource_group_id || (vpc?.resource_group_id ?? ''),
    ZoneId: s.zone_id,
    VSwitchName: s.name,
    ShareType: 'Sharing',
    EnabledIpv6: s.ipv6_cidr_block !== '',
    RouteTable: { RouteTableId: vpc ? routeTableIdOf(vpc) : '', RouteTableType: 'System' },
    Tags: vpcTags(tags),
  };
}

const CIDR_WHY: Record<string, string> = {
  malformed: 'it is not an IPv4 CIDR block such as 192.168.0.0/16',
  'not-network': 'the address has bits set beyond the mask',
  range: 'it must be 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or one of their subnets',
  mask: `the mask must be from ${VPC_MASK.min} to ${VPC_MASK.max}`,
};

async function requireVpc(ctx: ActionContext, id: string): Promise<VpcRow> {
  const vpc = await findVpc(ctx.db, scope(ctx), id);
  if (!vpc) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${id}" does not exist.`);
  return vpc;
}

async function requireVSwitch(ctx: ActionContext, id: string): Promise<VSwitchRow> {
  const vsw = await findVSwitch(ctx.db, scope(ctx), id);
  if (!vsw) throw new EcsError('InvalidVSwitchId.NotFound', `Specified VSwitch "${id}" does not exist.`);
  return vsw;
}

/** UserCidr (CreateVpc), stored comma-separated as given. */
function userCidrsOf(v: unknown): string {
  if (!given(v)) return '';
  const c = checkUserCidrs(v);
  if (c.ok) return c.cidrs.join(',');
  if (c.reason === 'quota') throw new EcsError('InvalidUserCidr.Quota', 'Specified UserCidr number is greater than 3.');
  if (c.reason === 'cloud-service') throw new EcsError('InvalidUserCidr.Malformed', `Specified UserCidr "${c.value}" overlaps 100.64.0.0/10.`);
  throw new EcsError('IllegalParam.UserCidr', `UserCidr "${c.value}" is not a valid or strict address.`);
}

function defaultVpcExists(ctx: ActionContext, id = ''): EcsError {
  return new EcsError('OperationFailed.DefaultVpcExist', `A default VPC already exists in region ${ctx.regionId}${id ? `: ${id}` : ''}.`);
}

/** Room for one more VPC in the region; for CreateDefaultVpc, no default VPC yet (one per account and region). */
async function checkVpcRoom(ctx: ActionContext, q: Tx | ActionContext['db']): Promise<void> {
  const { accountId } = ctx.principal;
  if (ctx.action === 'CreateDefaultVpc') {
    const existing = (await listVpcs(q, { accountId, regionId: ctx.regionId, isDefault: true }, { offset: 0, limit: 1 })).rows[0];
    if (existing) throw defaultVpcExists(ctx, existing.id);
  }
  const limit = await quotaFor(q, accountId, 'vpcs-per-region');
  if (!fitsQuota(await countVpcs(q, accountId, ctx.regionId), limit)) {
    throw new EcsError('QuotaExceeded.Vpc', `VPC quota exceeded: at most ${limit} VPCs per region.`);
  }
}

/** CreateVSwitch's block and quota checks against the VPC's other VSwitches (read through `q`). */
async function checkVSwitchRoom(ctx: ActionContext, q: Tx | ActionContext['db'], vpc: VpcRow, cidrBlock: string, zoneId: string): Promise<void> {
  const siblings = await vswitchesOfVpcs(q, [vpc.id]);
  if (ctx.action === 'CreateDefaultVSwitch') {
    const inZone = siblings.find((s) => s.is_default === 1 && s.zone_id === zoneId);
    if (inZone) throw defaultVSwitchExists(zoneId, inZone.id);
  }
  const c = checkVSwitchInVpc(cidrBlock, [vpc.cidr_block, ...secondaryList(vpc.secondary_cidr_blocks)], siblings.map((s) => s.cidr_block));
  if (!c.ok) {
    switch (c.reason) {
      case 'mask': throw new EcsError('InvalidCirdrBlock.MaskLength', `Specified CIDR block "${cidrBlock}" is not valid: the mask must be from ${VSWITCH_MASK.min} to ${VSWITCH_MASK.max}.`);
      case 'outside-vpc': throw new EcsError('InvalidParameter', `Specified CIDR block "${cidrBlock}" is not valid in VPC ${vpc.id} (${vpc.cidr_block}).`);
      case 'overlap': throw new EcsError('InvalidCidrBlock.Overlapped', `Specified CIDR block "${cidrBlock}" overlapped with other subnets (${c.conflict}).`);
      default: throw new EcsError('InvalidCidrBlock.Malformed', `Specified CIDR block "${cidrBlock}" is not valid: ${CIDR_WHY[c.reason]}.`);
    }
  }
  const limit = await quotaFor(q, ctx.principal.accountId, 'vswitches-per-vpc');
  if (!fitsQuota(siblings.length, limit)) throw new EcsError('QuotaExceeded.VSwitch', `Virtual switch quota exceeded: at most ${limit} VSwitches per VPC.`);
}

/** DeleteVpc: no VSwitch and no security group left in the VPC. */
/**
 * What DeleteVpc refuses over. Checked once to answer early and again in the deleting transaction
 * with the VPC's row locked: CreateVSwitch, CreateSecurityGroup and CreateRouteEntry lock it to add
 * to it, so none of theirs is on its way.
 */
async function checkVpcEmpty(q: Tx | ActionContext['db'], vpc: VpcRow): Promise<void> {
  if ((await vswitchesOfVpcs(q, [vpc.id])).length > 0) {
    throw new EcsError('DependencyViolation.VSwitch', `Specified object has dependent resources: VPC ${vpc.id} still has VSwitches.`);
  }
  if (await securityGroupsInVpc(q, vpc.id) > 0) {
    throw new EcsError('DependencyViolation.SecurityGroup', `Specified object has dependent resources SecurityGroup: VPC ${vpc.id} still has security groups.`);
  }
  if (await instancesInVpc(q, vpc.id) > 0) {
    throw new EcsError('DependencyViolation.Instance', `Specified object has dependent resources: VPC ${vpc.id} still has instances.`);
  }
  if (await countCustomEntriesOfVpc(q, vpc.id) > 0) {
    throw new EcsError('DependencyViolation.RouteEntry', `Specified object has dependent resources: VPC ${vpc.id} still has custom route entries.`);
  }
}

function defaultVSwitchExists(zoneId: string, id = ''): EcsError {
  return new EcsError('OperationFailed.DefaultVSwitchExist', `A default vSwitch already exists in the zone ${zoneId}${id ? `: ${id}` : ''}.`);
}

/**
 * ModifyVpcAttribute EnableIPv6 / Ipv6CidrBlock: true to enable (the block requested or the pool's
 * next), false to disable, undefined when the call leaves IPv6 alone.
 */
async function vpcIpv6Change(ctx: ActionContext, p: Params, vpc: VpcRow): Promise<boolean | undefined> {
  if (p.EnableIPv6 === true && given(p.CidrBlock)) throw new EcsError('ParamExclusive.EnableIpv6AndCidrBlock', 'EnableIpv6 and CidrBlock is mutually exclusive.');
  if (given(p.Ipv6CidrBlock) && p.EnableIPv6 !== true) throw new EcsError('IllegalParam.Ipv6Cidr', 'The specified Ipv6CidrBlock is taken with EnableIPv6=true.');
  if (p.EnableIPv6 === true) {
    if (vpc.ipv6_cidr_block) {
      if (given(p.Ipv6CidrBlock) && p.Ipv6CidrBlock !== vpc.ipv6_cidr_block) throw new EcsError('IllegalParam.Ipv6Cidr', `The VPC ${vpc.id} already has the IPv6 CIDR block ${vpc.ipv6_cidr_block}.`);
      return undefined;
    }
    await takeVpcIpv6Block(ctx, ctx.db, given(p.Ipv6CidrBlock) ? p.Ipv6CidrBlock : undefined);
    return true;
  }
  if (p.EnableIPv6 === false && vpc.ipv6_cidr_block) {
    await checkVpcIpv6Unused(ctx.db, vpc);
    return false;
  }
  return undefined;
}

/** The VPC's IPv6 block after the change, decided again in the writing transaction. */
async function settleVpcIpv6(ctx: ActionContext, trx: Tx, vpc: VpcRow, enable: boolean, requested: string | undefined): Promise<string> {
  if (!(await lockRow(trx, 'vpcs', vpc.id))) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${vpc.id}" does not exist.`);
  if (!enable) {
    await checkVpcIpv6Unused(trx, vpc);
    return '';
  }
  return takeVpcIpv6Block(ctx, trx, requested);
}

/**
 * ModifyVSwitchAttribute EnableIPv6 / Ipv6CidrBlock: true to enable or move the VSwitch's /64,
 * false to disable, undefined when the call leaves IPv6 alone.
 */
function vswitchIpv6Change(p: Params, vsw: VSwitchRow): boolean | undefined {
  if (p.EnableIPv6 === false) {
    if (p.Ipv6CidrBlock !== undefined) throw new EcsError('ParamExclusive.DisableIpv6AndIpv6CidrBlock', 'DisableIpv6 and Ipv6Cidr are mutually exclusive.');
    if (!vsw.ipv6_cidr_block) throw new EcsError('OperationFailed.IPv6Disabled', `Operation failed because IPv6 is not enabled for the vSwitch ${vsw.id}.`);
    return false;
  }
  if (p.EnableIPv6 === true && vsw.ipv6_cidr_block && p.Ipv6CidrBlock === undefined) throw new EcsError('OperationFailed.Ipv6AlreadyEnabled', `IPv6 is already enabled for the vSwitch ${vsw.id}.`);
  if (p.EnableIPv6 === true || p.Ipv6CidrBlock !== undefined) return true;
  return undefined;
}

/** The VSwitch's /64 after the change ('' when disabled), checked against its VPC and siblings read through `q`. */
async function vswitchIpv6Of(ctx: ActionContext, q: Tx | ActionContext['db'], vsw: VSwitchRow, index: number | undefined, enable: boolean): Promise<string> {
  if (!enable) {
    await checkVSwitchIpv6Unused(q, vsw);
    return '';
  }
  const vpc = await findVpc(q, scope(ctx), vsw.vpc_id);
  if (!vpc) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${vsw.vpc_id}" does not exist.`);
  const siblings = await vswitchesOfVpcs(q, [vpc.id]);
  const block = vswitchIpv6BlockOf(vpc, index ?? freeVSwitchIpv6Index(vpc, siblings), siblings, vsw.id);
  if (vsw.ipv6_cidr_block && block !== vsw.ipv6_cidr_block) await checkVSwitchIpv6Unused(q, vsw);
  return block;
}

export const vpcActions = vpcHandlers({
  async CreateVpc(ctx, p) {
    const cidrText: string = given(p.CidrBlock) ? p.CidrBlock : DEFAULT_VPC_CIDR;
    const cidr = checkVpcCidr(cidrText);
    if (!cidr.ok) throw new EcsError('InvalidParameter', `Specified CIDR block "${cidrText}" is not valid: ${CIDR_WHY[cidr.reason]}.`);
    checkName(p.VpcName, 'InvalidVpcName.Malformed', 'VPC name');
    checkDescription(p.Description, 'InvalidVpcDiscription.Malformed');
    if (given(p.Ipv6CidrBlock) && p.EnableIpv6 !== true) throw new EcsError('MissingParam.EnableIpv6', 'Ipv6CidrBlock is taken with EnableIpv6=true.');
    // Checked here too so that a DryRun answers a malformed or unavailable block.
    if (p.EnableIpv6 === true) await takeVpcIpv6Block(ctx, ctx.db, p.Ipv6CidrBlock);
    if (given(p.Ipv4IpamPoolId)) throw new EcsError('UnsupportedFeature.IPAM', 'VPCs cannot be created by using IPAM.');
    const userCidrs = userCidrsOf(p.UserCidr);
    const tags = tagsFromParams(p.Tag);
    const { accountId } = ctx.principal;
    await checkVpcRoom(ctx, ctx.db);
    const id = newId('vpc-');
    const router = newId('vrt-');
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    return ctx.mutate(async (trx) => {
      // Again with the account locked: concurrent creates are counted one after the other.
      await lockAccount(trx, accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      await checkVpcRoom(ctx, trx);
      const ipv6 = p.EnableIpv6 === true ? await takeVpcIpv6Block(ctx, trx, p.Ipv6CidrBlock) : '';
      await onViolation(UNIQUE.defaultVpc, () => defaultVpcExists(ctx), () => insertVpc(trx, {
        id, account_id: accountId, region_id: ctx.regionId, name: p.VpcName ?? '', description: p.Description ?? '',
        cidr_block: cidrText, status: 'Available', is_default: ctx.action === 'CreateDefaultVpc' ? 1 : 0, vrouter_id: router, resource_group_id: resourceGroupId, created_at: ctx.now(),
        user_cidrs: userCidrs, ipv6_cidr_block: ipv6,
      }));
      await insertSystemRouteTable(trx, { id, account_id: accountId, region_id: ctx.regionId, vrouter_id: router, created_at: ctx.now() });
      await putTags(trx, { accountId, regionId: ctx.regionId, resourceType: VPC_TAG, resourceId: id }, tags);
      return { VpcId: id, VRouterId: router, RouteTableId: 'vtb-' + router.slice(4), ResourceGroupId: resourceGroupId };
    });
  },

  async DescribeVpcs(ctx, p) {
    let ids: string[] | undefined;
    if (given(p.VpcId)) {
      ids = [...new Set(p.VpcId.split(',').map((s) => s.trim()).filter(Boolean))];
      if (ids.length > MAX_VPC_IDS) throw new EcsError('InvalidVpcIdNumber.NotSupported', `The number of VpcIds exceeds the limit of ${MAX_VPC_IDS}.`);
    }
    dryRunGate(ctx);
    const tagged = await idsWithTags(ctx.db, ctx.principal.accountId, VPC_TAG, tagFilterOf(p));
    if (tagged) ids = ids ? ids.filter((i) => tagged.includes(i)) : tagged;
    const pg = page(p);
    const { rows, total } = await listVpcs(ctx.db, {
      ...scope(ctx), ids, name: given(p.VpcName) ? p.VpcName : undefined, isDefault: p.IsDefault,
      resourceGroupId: given(p.ResourceGroupId) ? p.ResourceGroupId : undefined, ipv6: p.EnableIpv6,
    }, pg.window);
    const vswitches = await vswitchesOfVpcs(ctx.db, rows.map((r) => r.id));
    const tags = await tagsOf(ctx.db, rows.map((r) => r.id));
    return {
      TotalCount: total, PageNumber: pg.pageNumber, PageSize: pg.pageSize,
      Vpcs: { Vpc: rows.map((v) => renderVpc(ctx, v, vswitches.filter((s) => s.vpc_id === v.id).map((s) => s.id), tags.get(v.id))) },
    };
  },

  async DescribeVpcAttribute(ctx, p) {
    dryRunGate(ctx);
    const vpc = await findVpc(ctx.db, scope(ctx), p.VpcId);
    if (!vpc) return { VpcId: '', VpcName: '', Status: '', CidrBlock: '', RegionId: ctx.regionId, VSwitchIds: { VSwitchId: [] } };
    const vswitches = await vswitchesOfVpcs(ctx.db, [vpc.id]);
    const tags = await tagsOf(ctx.db, [vpc.id]);
    const groups = await securityGroupsInVpc(ctx.db, vpc.id);
    const instances = await instancesInVpc(ctx.db, vpc.id);
    // DescribeVpcs fields the attribute answer does not have (its metadata's response shape).
    const { CenStatus: _cen, NatGatewayIds: _nat, RouterTableIds: _tables, ...shown } = renderVpc(ctx, vpc, vswitches.map((s) => s.id), tags.get(vpc.id));
    return {
      ...shown,
      ClassicLinkEnabled: false,
      SupportIpv4Gateway: false,
      Ipv4GatewayId: '',
      AssociatedCens: { AssociatedCen: [] },
      AssociatedPropagationSources: { AssociatedPropagationSources: [] },
      CloudResources: {
        CloudResourceSetType: [
          { ResourceType: 'VSwitch', ResourceCount: vswitches.length },
          { ResourceType: 'SecurityGroup', ResourceCount: groups },
          { ResourceType: 'ECS', ResourceCount: instances },
        ].filter((r) => r.ResourceCount > 0),
      },
    };
  },

  async ModifyVpcAttribute(ctx, p) {
    const vpc = await requireVpc(ctx, p.VpcId);
    checkName(p.VpcName, 'InvalidVpcName.Malformed', 'VPC name');
    checkDescription(p.Description, 'InvalidVpcDiscription.Malformed');
    const ipv6 = await vpcIpv6Change(ctx, p, vpc);
    let cidrBlock: string | undefined;
    if (given(p.CidrBlock) && p.CidrBlock !== vpc.cidr_block) {
      const c = checkVpcCidr(p.CidrBlock);
      if (!c.ok) throw new EcsError('InvalidCidrBlock.Malformed', `Specified CIDR block "${p.CidrBlock}" is not valid: ${CIDR_WHY[c.reason]}.`);
      // Growing or shrinking the block keeps every VSwitch of it inside it (ModifyVpcAttribute
      // CidrBlock) and clear of the secondary blocks, which keep theirs.
      const secondaries = secondaryList(vpc.secondary_cidr_blocks).map(parseCidr).flatMap((x) => (x.ok ? [x.cidr] : []));
      const clash = secondaries.find((x) => overlaps(x, c.cidr));
      if (clash) throw new EcsError('InvalidCidrBlock.Malformed', `Specified CIDR block "${p.CidrBlock}" overlaps the secondary CIDR block ${formatCidr(clash)} of the VPC.`);
      for (const s of await vswitchesOfVpcs(ctx.db, [vpc.id])) {
        const inner = parseCidr(s.cidr_block);
        if (inner.ok && !containsCidr(c.cidr, inner.cidr) && !secondaries.some((x) => containsCidr(x, inner.cidr))) {
          throw new EcsError('IllegalCidrBlock', `The CIDR block ${s.cidr_block} of VSwitch ${s.id} is not in the CIDR block ${p.CidrBlock}.`);
        }
      }
      cidrBlock = p.CidrBlock;
    }
    // The ECS version's parameter: ecs-vpc.ts serves ECS ModifyVpcAttribute with this handler.
    const userCidr = (p as EcsRequest<'ModifyVpcAttribute'>).UserCidr;
    const userCidrs = given(userCidr) ? userCidrsOf(userCidr) : undefined;
    return ctx.mutate(async (trx) => {
      await updateVpc(trx, vpc.id, {
        ...(given(p.VpcName) ? { name: p.VpcName } : {}),
        ...(given(p.Description) ? { description: p.Description } : {}),
        ...(cidrBlock ? { cidr_block: cidrBlock } : {}),
        ...(userCidrs !== undefined ? { user_cidrs: userCidrs } : {}),
        ...(ipv6 === undefined ? {} : { ipv6_cidr_block: await settleVpcIpv6(ctx, trx, vpc, ipv6, given(p.Ipv6CidrBlock) ? p.Ipv6CidrBlock : undefined) }),
      });
      return {};
    });
  },

  async DeleteVpc(ctx, p) {
    const vpc = await requireVpc(ctx, p.VpcId);
    await checkVpcEmpty(ctx.db, vpc);
    return ctx.mutate(async (trx) => {
      if (!(await lockRow(trx, 'vpcs', vpc.id))) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${vpc.id}" does not exist.`);
      await checkVpcEmpty(trx, vpc);
      await deleteVpc(trx, vpc.id);
      await deleteRouteTablesOfVpc(trx, vpc.id);
      await removeTags(trx, vpc.id);
      await removeTags(trx, routeTableIdOf(vpc)); // its system route table goes with it (vpc-tags.ts tags it)
      return {};
    });
  },

  async CreateVSwitch(ctx, p) {
    const vpc = await requireVpc(ctx, p.VpcId);
    if (!findZone(vpc.region_id, p.ZoneId)) throw new EcsError('InvalidZoneId.NotFound', `Specified zone "${p.ZoneId}" does not exist in region ${vpc.region_id}.`);
    checkName(p.VSwitchName, 'InvalidVSwitchName.Malformed', 'virtual switch name');
    checkDescription(p.Description, 'InvalidVSwitchDiscription.Malformed');
    await checkVSwitchRoom(ctx, ctx.db, vpc, p.CidrBlock, p.ZoneId);
    if (p.Ipv6CidrBlock !== undefined) vswitchIpv6BlockOf(vpc, p.Ipv6CidrBlock, await vswitchesOfVpcs(ctx.db, [vpc.id]));
    const tags = tagsFromParams(p.Tag);
    const id = newId('vsw-');
    return ctx.mutate(async (trx) => {
      // Again with the VPC locked (and read anew): concurrent creates in one VPC see each other's blocks.
      const locked = await lockRow(trx, 'vpcs', vpc.id) ? await findVpc(trx, scope(ctx), vpc.id) : undefined;
      if (!locked) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${vpc.id}" does not exist.`);
      await checkVSwitchRoom(ctx, trx, locked, p.CidrBlock, p.ZoneId);
      const ipv6 = p.Ipv6CidrBlock === undefined ? '' : vswitchIpv6BlockOf(locked, p.Ipv6CidrBlock, await vswitchesOfVpcs(trx, [vpc.id]));
      await onViolation(UNIQUE.defaultVSwitch, () => defaultVSwitchExists(p.ZoneId), () => insertVSwitch(trx, {
        id, account_id: ctx.principal.accountId, region_id: vpc.region_id, vpc_id: vpc.id, zone_id: p.ZoneId,
        name: p.VSwitchName ?? '', description: p.Description ?? '', cidr_block: p.CidrBlock, status: 'Available', is_default: ctx.action === 'CreateDefaultVSwitch' ? 1 : 0,
        resource_group_id: vpc.resource_group_id, created_at: ctx.now(), ipv6_cidr_block: ipv6,
      }));
      // The data plane gives the VPC bridge the /64's gateway address (src/network/enforcer.ts).
      if (ipv6) await requestSecurityPolicy(trx, ctx.now());
      await putTags(trx, { accountId: ctx.principal.accountId, regionId: vpc.region_id, resourceType: VSWITCH_TAG, resourceId: id }, tags);
      return { VSwitchId: id };
    });
  },

  async DescribeVSwitches(ctx, p) {
    if (!ctx.regionId && !given(p.VpcId)) throw new EcsError('MissingParameter', 'At least one of RegionId and VpcId must be specified.');
    let ids = given(p.VSwitchId) ? [...new Set(p.VSwitchId.split(',').map((s) => s.trim()).filter(Boolean))] : undefined;
    dryRunGate(ctx);
    const tagged = await idsWithTags(ctx.db, ctx.principal.accountId, VSWITCH_TAG, tagFilterOf(p));
    if (tagged) ids = ids ? ids.filter((i) => tagged.includes(i)) : tagged;
    let vpcId: string | undefined = given(p.VpcId) ? p.VpcId : undefined;
    if (given(p.RouteTableId)) {
      // Every VSwitch uses its VPC's system route table, whose id shares the router's (vtb-X ↔ vrt-X).
      const owner = await findVpcByRouter(ctx.db, scope(ctx), 'vrt-' + p.RouteTableId.replace(/^vtb-/, ''));
      if (!owner || (vpcId && vpcId !== owner.id)) ids = [];
      else vpcId = owner.id;
    }
    const pg = page(p);
    const { rows, total } = await listVSwitches(ctx.db, {
      ...scope(ctx), ids, vpcId, zoneId: given(p.ZoneId) ? p.ZoneId : undefined,
      name: given(p.VSwitchName) ? p.VSwitchName : undefined, isDefault: p.IsDefault,
      resourceGroupId: given(p.ResourceGroupId) ? p.ResourceGroupId : undefined, ipv6: p.EnableIpv6,
    }, pg.window);
    const vpcs = new Map<string, VpcRow>();
    for (const id of new Set(rows.map((r) => r.vpc_id))) {
      const v = await findVpc(ctx.db, { accountId: ctx.principal.accountId }, id);
      if (v) vpcs.set(id, v);
    }
    const used = await usedIpCounts(ctx.db, rows.map((r) => r.id));
    const tags = await tagsOf(ctx.db, rows.map((r) => r.id));
    return {
      TotalCount: total, PageNumber: pg.pageNumber, PageSize: pg.pageSize,
      VSwitches: { VSwitch: rows.map((s) => renderVSwitch(ctx, s, vpcs.get(s.vpc_id), used.get(s.id) ?? 0, tags.get(s.id))) },
    };
  },

  async DescribeVSwitchAttributes(ctx, p) {
    dryRunGate(ctx);
    const vsw = await findVSwitch(ctx.db, scope(ctx), p.VSwitchId);
    if (!vsw) return { VSwitchId: '', VpcId: '', Status: '', CidrBlock: '', ZoneId: '', VSwitchName: '' };
    const vpc = await findVpc(ctx.db, { accountId: ctx.principal.accountId }, vsw.vpc_id);
    const used = (await usedIpCounts(ctx.db, [vsw.id])).get(vsw.id) ?? 0;
    const tags = await tagsOf(ctx.db, [vsw.id]);
    return {
      ...renderVSwitch(ctx, vsw, vpc, used, tags.get(vsw.id)),
      CloudResources: { CloudResourceSetType: used > 0 ? [{ ResourceType: 'ECS', ResourceCount: used }] : [] },
    };
  },

  async ModifyVSwitchAttribute(ctx, p) {
    const vsw = await requireVSwitch(ctx, p.VSwitchId);
    checkName(p.VSwitchName, 'InvalidVSwitchName.Malformed', 'virtual switch name');
    checkDescription(p.Description, 'InvalidVSwitchDiscription.Malformed');
    const wantsIpv6 = vswitchIpv6Change(p, vsw);
    if (wantsIpv6 !== undefined) await vswitchIpv6Of(ctx, ctx.db, vsw, p.Ipv6CidrBlock, wantsIpv6);
    return ctx.mutate(async (trx) => {
      // The VPC's row locked as CreateVSwitch locks it: two VSwitches cannot take one /64.
      if (wantsIpv6 !== undefined && !(await lockRow(trx, 'vpcs', vsw.vpc_id))) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${vsw.vpc_id}" does not exist.`);
      const ipv6 = wantsIpv6 === undefined ? undefined : await vswitchIpv6Of(ctx, trx, vsw, p.Ipv6CidrBlock, wantsIpv6);
      await updateVSwitch(trx, vsw.id, {
        ...(ipv6 === undefined ? {} : { ipv6_cidr_block: ipv6 }),
        ...(given(p.VSwitchName) ? { name: p.VSwitchName } : {}),
        ...(given(p.Description) ? { description: p.Description } : {}),
      });
      if (ipv6 !== undefined) await requestSecurityPolicy(trx, ctx.now());
      return {};
    });
  },

  async DeleteVSwitch(ctx, p) {
    const vsw = await requireVSwitch(ctx, p.VSwitchId);
    const checkEmpty = async (q: Tx | ActionContext['db']) => {
      if (await instancesInVSwitch(q, vsw.id) > 0) {
        throw new EcsError('DependencyViolation', `Resources deployed in the vSwitch ${vsw.id} have not been deleted.`);
      }
    };
    await checkEmpty(ctx.db);
    return ctx.mutate(async (trx) => {
      // Again with the VSwitch's row locked: every address allocation in it takes the same lock, so
      // an instance or address on its way is counted (or finds the VSwitch gone).
      if (!(await lockRow(trx, 'vswitches', vsw.id))) throw new EcsError('InvalidVSwitchId.NotFound', `Specified virtual switch "${vsw.id}" does not exist.`);
      await checkEmpty(trx);
      await deleteVSwitch(trx, vsw.id);
      await removeTags(trx, vsw.id);
      return {};
    });
  },
});
