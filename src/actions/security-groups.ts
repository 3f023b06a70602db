/**
 * Security groups (ECS 2014-05-26): create, describe, modify name/description, delete. Rules are
 * in security-group-rules.ts; instance membership is written by the instance actions.
 *
 * A group belongs to a VPC of the same account and region (VpcId), or, without VpcId, to the
 * classic network of the guide's era. Advanced (enterprise) groups are VPC-only (security guide
 * §1.2, CreateSecurityGroup `InvalidParams.VpcIdGroupType`).
 */
import { EcsError, errors } from '../domain/errors.js';
import { given, type Params } from '../api/params.js';
import { newId } from '../domain/ids.js';
import { isValidSecurityGroupDescription, isValidSecurityGroupName } from '../domain/network-names.js';
import { fitsQuota, securityGroupCapacity } from '../domain/quotas.js';
import { tagsFromParams } from '../domain/tags.js';
import { isoSecond } from '../domain/time.js';
import {
  countSecurityGroups, deleteSecurityGroup, findSecurityGroup, findVpc, insertSecurityGroup, listSecurityGroups, memberCounts,
  updateSecurityGroup, type SecurityGroupRow,
} from '../store/network.js';
import { quotaFor } from '../store/quotas.js';
import { idsWithTags, putTags, removeTags, renderTags, tagsOf } from '../store/tags.js';
import { decodeToken, encodeToken } from './paging.js';
import { tagFilterOf } from './storage-view.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import { lockAccount, lockRow } from '../store/row-locks.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';

const SG_TAG = 'securitygroup';
const TYPES = ['normal', 'enterprise'];
const MAX_GROUP_IDS = 100;
const DEFAULT_PAGE_SIZE = 10;

/**
 * What else may refuse or must accompany DeleteSecurityGroup. The rules family registers here:
 * a `check` that throws DependencyViolation while another group's rule references this one (guide
 * 000:L2334), and a `cleanup` that deletes the group's own rules ("Deleting a security group will
 * delete all its rules", 000:L2335). Checks run before the DryRun gate, cleanups in the deleting
 * transaction.
 */
export interface SecurityGroupDeleteHook {
  name: string;
  check?(ctx: ActionContext, group: SecurityGroupRow): Promise<void>;
  cleanup?(trx: Tx, group: SecurityGroupRow): Promise<void>;
}

/** The region's security group quota has room for one more. */
async function checkGroupQuota(ctx: ActionContext, q: Tx | ActionContext['db']): Promise<void> {
  const limit = await quotaFor(q, ctx.principal.accountId, 'security-groups-per-region');
  if (!fitsQuota(await countSecurityGroups(q, ctx.principal.accountId, ctx.regionId), limit)) {
    throw new EcsError('QuotaExceed.SecurityGroup', `The maximum number of security groups is reached: ${limit} per region.`);
  }
}

export const securityGroupDeleteHooks: SecurityGroupDeleteHook[] = [];

export function onSecurityGroupDelete(hook: SecurityGroupDeleteHook): void {
  const i = securityGroupDeleteHooks.findIndex((h) => h.name === hook.name);
  if (i >= 0) securityGroupDeleteHooks[i] = hook;
  else securityGroupDeleteHooks.push(hook);
}

function checkNameAndDescription(p: Params): void {
  if (given(p.SecurityGroupName) && !isValidSecurityGroupName(p.SecurityGroupName)) {
    throw new EcsError('InvalidSecurityGroupName.Malformed',
      `Specified security group name "${p.SecurityGroupName}" is not valid: 2 to 128 characters, starting with a letter, then letters, digits, ":", "_", ".", "-"; not starting with http:// or https://.`);
  }
  if (given(p.Description) && !isValidSecurityGroupDescription(p.Description)) {
    throw new EcsError('InvalidSecurityGroupDiscription.Malformed', 'Specified security group description is not valid: 2 to 256 characters, not starting with http:// or https://.');
  }
}

/** CreateSecurityGroup names its own code for a repeated tag key (Duplicate.TagKey). */
function tagsOfRequest(list: unknown) {
  if (Array.isArray(list)) {
    const keys = list.map((t: Record<string, unknown>) => String(t.Key ?? t.key ?? '')).filter(Boolean);
    if (new Set(keys).size !== keys.length) throw new EcsError('Duplicate.TagKey', 'The Tag.N.Key contain duplicate key.');
  }
  return tagsFromParams(list);
}

function render(g: SecurityGroupRow, members: number, tags: ReturnType<typeof renderTags>) {
  return {
    SecurityGroupId: g.id,
    SecurityGroupName: g.name,
    Description: g.description,
    SecurityGroupType: g.type,
    VpcId: g.vpc_id,
    CreationTime: isoSecond(Number(g.created_at)),
    EcsCount: members,
    AvailableInstanceAmount: Math.max(0, securityGroupCapacity(g.type) - members),
    ResourceGroupId: g.resource_group_id,
    ServiceManaged: false,
    Tags: tags,
  };
}

/** The group ids asked for: the SecurityGroupIds JSON array, SecurityGroupId, both intersected. */
function requestedIds(p: Params): string[] | undefined {
  let ids: string[] | undefined;
  if (given(p.SecurityGroupIds)) {
    let parsed: unknown;
    try { parsed = JSON.parse(p.SecurityGroupIds); } catch { parsed = undefined; }
    if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) {
      throw new EcsError('InvalidParameter', `The specified parameter "SecurityGroupIds" is not valid: expected a JSON array of security group ids, got ${p.SecurityGroupIds}.`);
    }
    if (parsed.length > MAX_GROUP_IDS) throw new EcsError('InvalidParameter', `The specified parameter "SecurityGroupIds" is not valid: at most ${MAX_GROUP_IDS} ids.`);
    ids = [...new Set(parsed as string[])];
  }
  if (given(p.SecurityGroupId)) ids = ids ? ids.filter((i) => i === p.SecurityGroupId) : [p.SecurityGroupId];
  return ids;
}

/**
 * The two paging modes; a request naming PageNumber/PageSize and NextToken/MaxResults together is
 * refused with the action's code. Token mode answers NextToken only (no TotalCount, per the API).
 */
function pagingOf(p: Params) {
  const token = p.NextToken !== undefined || p.MaxResults !== undefined;
  if (token && (p.PageNumber !== undefined || p.PageSize !== undefined)) {
    throw new EcsError('NotSupported.PageNumberAndPageSize', 'The parameters PageNumber and PageSize are currently not supported, please use NextToken and MaxResults instead.');
  }
  if (token) {
    let offset = 0;
    if (given(p.NextToken)) {
      try { offset = decodeToken(p.NextToken); } catch {
        throw new EcsError('InValidParameter.NextToken', `The parameter NextToken "${p.NextToken}" is invalid.`);
      }
    }
    return { mode: 'token' as const, offset, limit: (p.MaxResults as number | undefined) ?? DEFAULT_PAGE_SIZE, pageNumber: 1 };
  }
  const pageNumber: number = p.PageNumber ?? 1;
  const pageSize: number = p.PageSize ?? DEFAULT_PAGE_SIZE;
  return { mode: 'page' as const, offset: (pageNumber - 1) * pageSize, limit: pageSize, pageNumber };
}

async function requireGroup(ctx: ActionContext, id: string, code: string): Promise<SecurityGroupRow> {
  const g = await findSecurityGroup(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, id);
  if (!g) throw new EcsError(code, `The specified SecurityGroupId "${id}" does not exist.`);
  return g;
}

export const securityGroupsActions = ecsHandlers({
  async CreateSecurityGroup(ctx, p) {
    const type: string = given(p.SecurityGroupType) ? p.SecurityGroupType : 'normal';
    if (!TYPES.includes(type)) throw new EcsError('InvalidParams.GroupType', `The specified security group type "${type}" is not valid: normal or enterprise.`);
    checkNameAndDescription(p);
    const { accountId } = ctx.principal;
    let vpcId = '';
    if (given(p.VpcId)) {
      const vpc = await findVpc(ctx.db, { accountId, regionId: ctx.regionId }, p.VpcId);
      if (!vpc) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${p.VpcId}" does not exist.`);
      if (vpc.status !== 'Available') throw new EcsError('IncorrectVpcStatus', `Current VPC status (${vpc.status}) does not support this operation.`);
      vpcId = vpc.id;
    } else if (type === 'enterprise') {
      throw new EcsError('InvalidParams.VpcIdGroupType', 'Only VPC instance supports enterprise level security group.');
    }
    const tags = tagsOfRequest(p.Tag);
    await checkGroupQuota(ctx, ctx.db);
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const id = newId('sg-');
    return ctx.mutate(async (trx) => {
      // Again with the account locked (then the VPC, which DeleteVpc locks to find it empty).
      await lockAccount(trx, accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      await checkGroupQuota(ctx, trx);
      if (vpcId && !(await lockRow(trx, 'vpcs', vpcId))) throw new EcsError('InvalidVpcId.NotFound', `Specified VPC "${vpcId}" does not exist.`);
      await insertSecurityGroup(trx, {
        id, account_id: accountId, region_id: ctx.regionId, vpc_id: vpcId, name: p.SecurityGroupName ?? '',
        description: p.Description ?? '', type,
        // Basic groups let members talk to each other; advanced ones isolate them (security guide §1.2).
        inner_access_policy: type === 'enterprise' ? 'Drop' : 'Accept',
        resource_group_id: resourceGroupId, created_at: ctx.now(),
      });
      await putTags(trx, { accountId, regionId: ctx.regionId, resourceType: SG_TAG, resourceId: id }, tags);
      return { SecurityGroupId: id };
    });
  },

  async DescribeSecurityGroups(ctx, p) {
    if (given(p.SecurityGroupType) && !TYPES.includes(p.SecurityGroupType)) {
      throw new EcsError('InvalidParameter.SecurityGroupType', `The specified SecurityGroupType "${p.SecurityGroupType}" is not valid.`);
    }
    if (given(p.NetworkType) && p.NetworkType !== 'vpc' && p.NetworkType !== 'classic') {
      throw new EcsError('InvalidParameter', `The specified parameter "NetworkType" is not valid: vpc or classic.`);
    }
    const paging = pagingOf(p);
    let ids = requestedIds(p);
    if (ctx.dryRun) throw errors.dryRun();
    const tagged = await idsWithTags(ctx.db, ctx.principal.accountId, SG_TAG, tagFilterOf(p));
    if (tagged) ids = ids ? ids.filter((i) => tagged.includes(i)) : tagged;
    const { rows, total } = await listSecurityGroups(ctx.db, {
      accountId: ctx.principal.accountId, regionId: ctx.regionId, ids,
      name: given(p.SecurityGroupName) ? p.SecurityGroupName : undefined,
      vpcId: given(p.VpcId) ? p.VpcId : undefined,
      type: given(p.SecurityGroupType) ? p.SecurityGroupType : undefined,
      networkType: given(p.NetworkType) ? p.NetworkType as 'vpc' | 'classic' : undefined,
      resourceGroupId: given(p.ResourceGroupId) ? p.ResourceGroupId : undefined,
    }, paging);
    const members = await memberCounts(ctx.db, rows.map((r) => r.id));
    const tags = await tagsOf(ctx.db, rows.map((r) => r.id));
    const list = { SecurityGroup: rows.map((g) => render(g, members.get(g.id) ?? 0, renderTags(tags.get(g.id)))) };
    if (paging.mode === 'token') {
      const next = paging.offset + rows.length < total ? encodeToken(paging.offset + rows.length) : '';
      return { RegionId: ctx.regionId, NextToken: next, SecurityGroups: list };
    }
    return { RegionId: ctx.regionId, TotalCount: total, PageNumber: paging.pageNumber, PageSize: paging.limit, SecurityGroups: list };
  },

  async ModifySecurityGroupAttribute(ctx, p) {
    const g = await requireGroup(ctx, p.SecurityGroupId, 'InvalidSecurityGroupId.NotFound');
    checkNameAndDescription(p);
    return ctx.mutate(async (trx) => {
      await updateSecurityGroup(trx, g.id, {
        ...(given(p.SecurityGroupName) ? { name: p.SecurityGroupName } : {}),
        ...(given(p.Description) ? { description: p.Description } : {}),
      });
      return {};
    });
  },

  async DeleteSecurityGroup(ctx, p) {
    const g = await requireGroup(ctx, p.SecurityGroupId, 'InvalidSecurityGroup.NotFound');
    const members = (await memberCounts(ctx.db, [g.id])).get(g.id) ?? 0;
    if (members > 0) throw new EcsError('DependencyViolation', `There is still instance(s) in the specified security group ${g.id}.`);
    for (const h of securityGroupDeleteHooks) await h.check?.(ctx, g);
    return ctx.mutate(async (trx) => {
      for (const h of securityGroupDeleteHooks) await h.cleanup?.(trx, g);
      await deleteSecurityGroup(trx, g.id);
      await removeTags(trx, g.id);
      return {};
    });
  },
});
