/**
 * Resource groups: the Resource Manager (2020-03-31) group actions, ECS JoinResourceGroup, VPC
 * MoveResourceGroup, and `resolveResourceGroup`, which every create that takes ResourceGroupId
 * calls: a given id must be one of the caller's groups, an absent one means the account's default
 * group (what the real service shows back for a resource created without a group).
 *
 * Groups are `OK` as soon as CreateResourceGroup returns (the real service passes through
 * `Creating` for a moment); DeleteResourceGroup answers `PendingDelete`, the state the real group
 * is in when the call returns, and the group is gone for every later call.
 */
import { EcsError, errors } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { actionSpec } from '../api/spec.js';
import { REGIONS } from '../domain/catalog/regions.js';
import {
  checkDeletable, checkDisplayName, checkGroupName, ECS_GROUP_RESOURCE_TYPES, fuzzyMatch, isEcsGroupResourceType, isWellFormedGroupId,
  MAX_RESOURCE_GROUPS, VPC_GROUP_RESOURCE_TYPES, vpcGroupResourceType, type RuleResult,
} from '../domain/resource-groups.js';
import { tagsFromParams, type Tag } from '../domain/tags.js';
import { isoSecond } from '../domain/time.js';
import {
  countGroupResources, countGroups, deleteGroup, ensureDefaultGroup, findGroup, findGroupByName, groupedResources, insertGroup, listGroups,
  newGroupId, setDisplayName, setResourceGroup, type ResourceGroupRow,
} from '../store/resource-groups.js';
import { lockAccount, lockRow } from '../store/row-locks.js';
import { UNIQUE, onViolation } from '../store/unique.js';
import { idsWithTags, putTags, removeTags, tagsOf } from '../store/tags.js';
import { ecsHandlers, resourceManagerHandlers, vpcHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';

const GROUP_TAG = 'resourcegroup';
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;

/** The not-found code each action's metadata gives for an unknown ResourceGroupId, in order of preference. */
const NOT_FOUND_CODES = ['InvalidResourceGroup.NotFound', 'InvalidResourceGroupId.NotFound', 'InvalidResourceGroupId', 'ResourceGroupNotFound', 'EntityNotExists.ResourceGroup'];
const PRODUCT_NOT_FOUND: Record<string, string> = { vpc: 'InvalidResourceGroupId', resourcemanager: 'EntityNotExists.ResourceGroup' };

function notFoundCode(ctx: ActionContext): string {
  const listed = actionSpec(ctx.product, ctx.action)?.e ?? {};
  return NOT_FOUND_CODES.find((c) => Object.hasOwn(listed, c)) ?? PRODUCT_NOT_FOUND[ctx.product] ?? 'InvalidResourceGroup.NotFound';
}

function throwUnless(r: RuleResult, status?: number): void {
  if (!r.ok) throw new EcsError(r.code, r.message, status);
}

/**
 * The group a new resource goes into: `requested` when it is one of the caller's groups (else the
 * action's own not-found code), or the account's default group when none was asked for. Call it
 * before `ctx.mutate` (it reads through ctx.db).
 */
export async function resolveResourceGroup(ctx: ActionContext, requested: unknown): Promise<string> {
  const accountId = ctx.principal.accountId;
  if (typeof requested === 'string' && requested !== '') {
    const group = await findGroup(ctx.db, accountId, requested);
    if (!group) throw new EcsError(notFoundCode(ctx), `The specified ResourceGroupId "${requested}" does not exist in our records.`);
    return group.id;
  }
  return ensureDefaultGroup(ctx.db, accountId, ctx.now());
}

/**
 * The group `resolveResourceGroup` chose, held (a shared row lock) inside the create's transaction,
 * first or right after the account's row (store/row-locks.ts): a concurrent DeleteResourceGroup
 * either waits and then counts the new resource, or deleted the group first and this create answers
 * the action's not-found code.
 */
export async function holdResourceGroup(ctx: ActionContext, trx: Tx, groupId: string): Promise<void> {
  if (groupId && !(await lockRow(trx, 'resource_groups', groupId, 'share'))) {
    throw new EcsError(notFoundCode(ctx), `The specified ResourceGroupId "${groupId}" does not exist in our records.`);
  }
}

async function requireGroup(ctx: ActionContext, id: unknown, code = notFoundCode(ctx)): Promise<ResourceGroupRow> {
  if (typeof id !== 'string' || id === '') throw errors.missing('ResourceGroupId');
  if (ctx.product === 'resourcemanager' && !isWellFormedGroupId(id)) throw new EcsError('InvalidParameter.ResourceGroupId', `The ResourceGroupId "${id}" is invalid.`, 400);
  const group = await findGroup(ctx.db, ctx.principal.accountId, id);
  if (!group) throw new EcsError(code, `The specified resource group "${id}" does not exist. You must first create a resource group.`);
  return group;
}

function renderGroup(g: ResourceGroupRow, status = g.status) {
  return {
    Id: g.id, AccountId: g.account_id, Name: g.name, DisplayName: g.display_name, Status: status, CreateDate: isoSecond(Number(g.created_at)),
  };
}

function regionStatuses(status: string) {
  return { RegionStatus: REGIONS.map((r) => ({ RegionId: r.id, Status: status })) };
}

const renderTags = (tags: Tag[] | undefined) => ({ Tag: (tags ?? []).map((t) => ({ TagKey: t.Key, TagValue: t.Value })) });

function pageOf(p: Params) {
  const pageNumber: number = p.PageNumber ?? 1;
  const pageSize: number = p.PageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new EcsError('InvalidParameter.PageNumber', 'PageNumber must be at least 1.', 400);
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new EcsError('InvalidParameter.PageSize', `PageSize must be from 1 to ${MAX_PAGE_SIZE}.`, 400);
  return { pageNumber, pageSize, offset: (pageNumber - 1) * pageSize };
}

function idList(p: Params): string[] | undefined {
  // ResourceGroupIds wins over ResourceGroupId (ListResourceGroups).
  if (Array.isArray(p.ResourceGroupIds) && p.ResourceGroupIds.length) {
    if (p.ResourceGroupIds.length > 100) throw new EcsError('InvalidParameter.ResourceGroupIds', 'At most 100 ResourceGroupIds can be given.', 400);
    return p.ResourceGroupIds.map(String);
  }
  return typeof p.ResourceGroupId === 'string' && p.ResourceGroupId ? [p.ResourceGroupId] : undefined;
}

export const resourceManagerActions = resourceManagerHandlers({
  async CreateResourceGroup(ctx, p) {
    const name = String(p.Name ?? '');
    throwUnless(checkGroupName(name));
    throwUnless(checkDisplayName(p.DisplayName));
    const tags = tagsFromParams(p.Tag);
    const accountId = ctx.principal.accountId;
    await ensureDefaultGroup(ctx.db, accountId, ctx.now());
    if (await findGroupByName(ctx.db, accountId, name)) {
      throw new EcsError('EntityAlreadyExists.ResourceGroup', `The resource group name "${name}" is already used in this account.`, 409);
    }
    const checkLimit = async (q: Tx | ActionContext['db']) => {
      if (await countGroups(q, accountId) >= MAX_RESOURCE_GROUPS) {
        throw new EcsError('LimitExceeded.ResourceGroup', `The count of resource groups beyond the current limits (${MAX_RESOURCE_GROUPS} per account).`);
      }
    };
    await checkLimit(ctx.db);
    const row: ResourceGroupRow = {
      id: newGroupId(false), account_id: accountId, name, display_name: p.DisplayName, status: 'OK', is_default: 0, created_at: ctx.now(),
    };
    return ctx.mutate(async (trx) => {
      // The limit again with the account locked; the unique (account, name) index settles two creates of one name.
      await lockAccount(trx, accountId);
      await checkLimit(trx);
      await onViolation(UNIQUE.resourceGroupName,
        () => new EcsError('EntityAlreadyExists.ResourceGroup', `The resource group name "${name}" is already used in this account.`, 409),
        () => insertGroup(trx, row));
      await putTags(trx, { accountId, regionId: '', resourceType: GROUP_TAG, resourceId: row.id }, tags);
      return { ResourceGroup: { ...renderGroup(row), RegionStatuses: regionStatuses('OK') } };
    });
  },

  async GetResourceGroup(ctx, p) {
    const g = await requireGroup(ctx, p.ResourceGroupId);
    const tags = p.IncludeTags === true ? (await tagsOf(ctx.db, [g.id])).get(g.id) : undefined;
    return { ResourceGroup: { ...renderGroup(g), RegionStatuses: regionStatuses(g.status), ...(p.IncludeTags === true ? { Tags: renderTags(tags) } : {}) } };
  },

  async ListResourceGroups(ctx, p) {
    const pg = pageOf(p);
    const tagFilter = Array.isArray(p.Tag) ? (p.Tag as Array<{ Key?: string; Value?: string }>).filter((t) => t.Key).map((t) => ({ Key: t.Key!, Value: t.Value })) : [];
    if (tagFilter.length > 20) throw new EcsError('InvalidParameter.Tag', 'At most 20 tags can be given.', 400);
    let ids = idList(p);
    const tagged = await idsWithTags(ctx.db, ctx.principal.accountId, GROUP_TAG, tagFilter);
    if (tagged) ids = ids ? ids.filter((i) => tagged.includes(i)) : tagged;
    await ensureDefaultGroup(ctx.db, ctx.principal.accountId, ctx.now());
    const rows = (await listGroups(ctx.db, ctx.principal.accountId, { ids, status: p.Status || undefined }))
      .filter((g) => fuzzyMatch(g.name, p.Name) && fuzzyMatch(g.display_name, p.DisplayName));
    const pageRows = rows.slice(pg.offset, pg.offset + pg.pageSize);
    const withTags = p.IncludeTags === true || tagFilter.length > 0;
    const tags = withTags ? await tagsOf(ctx.db, pageRows.map((g) => g.id)) : undefined;
    return {
      PageNumber: pg.pageNumber, PageSize: pg.pageSize, TotalCount: rows.length,
      ResourceGroups: { ResourceGroup: pageRows.map((g) => ({ ...renderGroup(g), ...(tags ? { Tags: renderTags(tags.get(g.id)) } : {}) })) },
    };
  },

  async UpdateResourceGroup(ctx, p) {
    const g = await requireGroup(ctx, p.ResourceGroupId);
    throwUnless(checkDisplayName(p.NewDisplayName));
    return ctx.mutate(async (trx) => {
      await setDisplayName(trx, g.id, p.NewDisplayName);
      const { Status: _status, ...shown } = renderGroup({ ...g, display_name: p.NewDisplayName });
      return { ResourceGroup: shown };
    });
  },

  async DeleteResourceGroup(ctx, p) {
    const g = await requireGroup(ctx, p.ResourceGroupId);
    throwUnless(checkDeletable({ isDefault: g.is_default === 1 }, await countGroupResources(ctx.db, ctx.principal.accountId, g.id)), 409);
    return ctx.mutate(async (trx) => {
      // Checked again with the group's row locked: a create into it holds the row until it commits
      // (holdResourceGroup), so its resource is counted here, or it finds the group gone.
      if (!(await lockRow(trx, 'resource_groups', g.id))) throw new EcsError(notFoundCode(ctx), `The specified resource group "${g.id}" does not exist. You must first create a resource group.`);
      throwUnless(checkDeletable({ isDefault: false }, await countGroupResources(trx, ctx.principal.accountId, g.id)), 409);
      await deleteGroup(trx, g.id);
      await removeTags(trx, g.id);
      return { ResourceGroup: { ...renderGroup(g, 'PendingDelete'), RegionStatuses: regionStatuses('PendingDelete') } };
    });
  },

  async ListResources(ctx, p) {
    const pg = pageOf(p);
    if (typeof p.ResourceGroupId === 'string' && p.ResourceGroupId) await requireGroup(ctx, p.ResourceGroupId, 'EntityNotExists.ResourceGroup');
    const types: Array<{ service: string; type: string }> = Array.isArray(p.ResourceTypes) && p.ResourceTypes.length
      ? (p.ResourceTypes as Array<{ Service?: string; ResourceType?: string }>).filter((t) => t.Service && t.ResourceType).map((t) => ({ service: t.Service!, type: t.ResourceType! }))
      : (p.Service || p.ResourceType) ? [{ service: p.Service ?? '', type: p.ResourceType ?? '' }] : [];
    const all = await groupedResources(ctx.db, ctx.principal.accountId, {
      groupId: p.ResourceGroupId || undefined, regionId: p.Region || undefined, resourceId: p.ResourceId || undefined,
    });
    const rows = all
      .filter((r) => types.length === 0 || types.some((t) => (!t.service || t.service === r.service) && (!t.type || t.type.toLowerCase() === r.resourceType)))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    return {
      PageNumber: pg.pageNumber, PageSize: pg.pageSize, TotalCount: rows.length,
      Resources: {
        Resource: rows.slice(pg.offset, pg.offset + pg.pageSize).map((r) => ({
          Service: r.service, ResourceType: r.resourceType, ResourceId: r.wireId, RegionId: r.regionId, ResourceGroupId: r.resourceGroupId, CreateDate: isoSecond(r.createdAt),
        })),
      },
    };
  },
});

/** The caller's live resource of a grouped table, or undefined. */
async function findOwnResource(ctx: ActionContext, table: string, id: string, regionId: string) {
  return (await groupedResources(ctx.db, ctx.principal.accountId, { resourceId: id, regionId: regionId || undefined }))
    .find((r) => (r.service === 'vpc' ? VPC_GROUP_RESOURCE_TYPES[r.resourceType as 'vpc'] : ECS_GROUP_RESOURCE_TYPES[r.resourceType as 'instance']) === table);
}

export const joinResourceGroupActions = ecsHandlers({
  /** ECS: moves an instance, disk, snapshot, image, security group, key pair or automatic snapshot policy. */
  async JoinResourceGroup(ctx, p) {
    if (!p.ResourceType) throw errors.missing('ResourceType');
    if (!p.ResourceId) throw errors.missing('ResourceId');
    if (!p.ResourceGroupId) throw errors.missing('ResourceGroupId');
    if (!isEcsGroupResourceType(p.ResourceType)) {
      throw new EcsError('InvalidResourceType.NotFound', `The ResourceType "${p.ResourceType}" provided does not exist in our records: use one of ${Object.keys(ECS_GROUP_RESOURCE_TYPES).join(', ')}.`);
    }
    const group = await requireGroup(ctx, p.ResourceGroupId, 'InvalidResourceGroup.NotFound');
    const table = ECS_GROUP_RESOURCE_TYPES[p.ResourceType];
    // A key pair is known by its KeyPairName (the Terraform provider sends the name as ResourceId) or its KeyPairId.
    const found = await findOwnResource(ctx, table, p.ResourceId, ctx.regionId);
    if (!found) throw new EcsError('InvalidResourceId.NotFound', `The ResourceId "${p.ResourceId}" provided does not exist in our records.`);
    return ctx.mutate(async (trx) => {
      await holdResourceGroup(ctx, trx, group.id);
      await setResourceGroup(trx, table, found.id, group.id);
      return {};
    });
  },
});

export const moveResourceGroupActions = vpcHandlers({
  /** VPC: moves a VPC, a VSwitch or an EIP (the types of the VPC API that exist here). */
  async MoveResourceGroup(ctx, p) {
    const type = vpcGroupResourceType(String(p.ResourceType ?? ''));
    if (!type) throw new EcsError('IllegalParam.ResourceType', `The ResourceType "${p.ResourceType}" is not supported: use VPC, VSWITCH or EIP.`);
    const group = await requireGroup(ctx, p.NewResourceGroupId, 'InvalidResourceGroupId');
    const table = VPC_GROUP_RESOURCE_TYPES[type];
    const found = await findOwnResource(ctx, table, String(p.ResourceId ?? ''), ctx.regionId);
    if (!found) throw new EcsError('InvalidResourceId.NotFound', `The specified ResourceId "${p.ResourceId}" does not exist.`);
    return ctx.mutate(async (trx) => {
      await holdResourceGroup(ctx, trx, group.id);
      await setResourceGroup(trx, table, found.id, group.id);
      return {};
    });
  },
});
