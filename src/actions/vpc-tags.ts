/**
 * What Terraform needs of the VPC API (2016-04-28) beyond VPCs and VSwitches: the tag actions
 * TagResources, UnTagResources, ListTagResources for ResourceType VPC, VSWITCH and ROUTETABLE
 * (the API's types are upper-case and read case-insensitively), and DescribeRouteTableList,
 * which lists each VPC's one system route table (CreateVpc: a VPC comes with one vRouter and one
 * system route table; ids vrt-X ↔ vtb-X) with the name, description and propagation stored by
 * ModifyRouteTableAttributes (src/actions/route-tables.ts).
 * Codes are the VPC metadata's (InvalidTagKey, QuotaExceeded.TagNum, SizeLimitExceeded.*, ...).
 */
import { EcsError, errors } from '../domain/errors.js';
import { decodeToken, encodeToken } from './paging.js';
import type { Params } from '../api/params.js';
import { MAX_RESOURCES_PER_TAG_CALL, MAX_TAGS_PER_TAG_CALL, tagsFromParams, type Tag } from '../domain/tags.js';
import { isoSecond } from '../domain/time.js';
import { listVpcs, vswitchesOfVpcs } from '../store/network.js';
import { idsWithTags, putTags, removeTags, tagsOf } from '../store/tags.js';
import { listRouteTables } from '../store/route-tables.js';
import { existingVpcResources, routeTableOfRouter, routerOfRouteTable, vpcTagRows, type VpcTagScope } from '../store/vpc-tags.js';
import { vpcHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

/** Wire type (upper case) → the type the tags table stores (vpc.ts writes `vpc` and `vswitch`). */
const STORED: Record<string, string> = { VPC: 'vpc', VSWITCH: 'vswitch', ROUTETABLE: 'routetable' };

/** The other documented ResourceType values: valid, but OpenECS has no such resources. */
const DOCUMENTED = new Set([
  'EIP', 'VPNGATEWAY', 'NATGATEWAY', 'COMMONBANDWIDTHPACKAGE', 'PREFIXLIST', 'PUBLICIPADDRESSPOOL', 'IPV4GATEWAY', 'IPV6GATEWAY',
  'NETWORKACL', 'TRAFFICMIRRORFILTER', 'TRAFFICMIRRORSESSION', 'FLOWLOG', 'HAVIP', 'DHCPOPTIONSSET', 'GATEWAYENDPOINT', 'IPV6ADDRESS',
]);

const LIST_PAGE_SIZE = 50;
const ROUTE_TABLE_PAGE_MAX = 50;

const scopeOf = (ctx: ActionContext): VpcTagScope => ({ accountId: ctx.principal.accountId, regionId: ctx.regionId });

function typeOf(p: Params): { wire: string; stored: string } {
  const wire = String(p.ResourceType ?? '').trim().toUpperCase();
  if (!wire) throw new EcsError('MissingParam.ResourceType', 'The param of ResourceType is missing.');
  if (STORED[wire]) return { wire, stored: STORED[wire]! };
  if (DOCUMENTED.has(wire)) return { wire, stored: wire.toLowerCase() };
  throw new EcsError('InvalidParameter.ResourceType', `The specified ResourceType "${p.ResourceType}" is not valid: VPC, VSWITCH, ROUTETABLE, EIP, ...`);
}

function resourceIds(p: Params, required: boolean): string[] {
  const ids = [...new Set(((p.ResourceId ?? []) as string[]).filter((x) => x !== ''))];
  if (ids.length > MAX_RESOURCES_PER_TAG_CALL) throw new EcsError('SizeLimitExceeded.ResourceId', `The maximum number of resource IDs is exceeded: at most ${MAX_RESOURCES_PER_TAG_CALL}.`);
  if (required && ids.length === 0) throw new EcsError('MissingParam', 'The input parameter ResourceId.N that is mandatory for processing this request is not supplied.');
  return ids;
}

/** The shared tag rules (src/domain/tags.ts), answered with the VPC API's codes. */
function tagsToSet(list: unknown): Tag[] {
  const raw = (Array.isArray(list) ? list : []) as Record<string, unknown>[];
  if (raw.length === 0) throw new EcsError('MissingParam.Tags', 'You must specify the Tags parameter.');
  if (raw.length > MAX_TAGS_PER_TAG_CALL) throw new EcsError('SizeLimitExceeded.TagNum', `The maximum number of tags is exceeded: at most ${MAX_TAGS_PER_TAG_CALL}.`);
  if (raw.some((t) => !t.Key && !t.key)) throw new EcsError('MissingParameter.TagKey', 'The input parameter TagKey that is mandatory for processing this request is not supplied.');
  try {
    return tagsFromParams(raw);
  } catch (e) {
    if (!(e instanceof EcsError)) throw e;
    const code = { 'InvalidTagKey.Malformed': 'InvalidTagKey', 'InvalidTagValue.Malformed': 'InvalidTagValue', 'Duplicate.TagKey': 'Forbidden.TagKey.Duplicated' }[e.code];
    throw code ? new EcsError(code, e.message) : e;
  }
}

async function requireResources(ctx: ActionContext, stored: string, ids: string[]): Promise<void> {
  const found = await existingVpcResources(ctx.db, scopeOf(ctx), stored, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new EcsError('InvalidInstanceIds.NotFound', `The instanceIds are not found: ${missing.join(', ')}.`);
}



export const vpcTagActions = vpcHandlers({
  async TagResources(ctx, p) {
    const type = typeOf(p);
    const ids = resourceIds(p, true);
    const tags = tagsToSet(p.Tag);
    await requireResources(ctx, type.stored, ids);
    return ctx.mutate(async (trx) => {
      for (const id of ids) await putTags(trx, { ...scopeOf(ctx), resourceType: type.stored, resourceId: id }, tags, 'QuotaExceeded.TagNum');
      return {};
    });
  },

  async UnTagResources(ctx, p) {
    const type = typeOf(p);
    const ids = resourceIds(p, true);
    const keys = [...new Set(((p.TagKey ?? []) as string[]).filter((k) => k !== ''))];
    if (keys.length > MAX_TAGS_PER_TAG_CALL) throw new EcsError('SizeLimitExceeded.TagNum', `The maximum number of tags is exceeded: at most ${MAX_TAGS_PER_TAG_CALL}.`);
    await requireResources(ctx, type.stored, ids);
    // All=true removes every tag, and is read only without TagKey.N (the API); neither removes nothing.
    const all = p.All === true && keys.length === 0;
    return ctx.mutate(async (trx) => {
      for (const id of ids) await removeTags(trx, id, all ? undefined : keys);
      return {};
    });
  },

  async ListTagResources(ctx, p) {
    const type = typeOf(p);
    const ids = resourceIds(p, false);
    const wanted = ((p.Tag ?? []) as Record<string, string>[]).map((t) => ({ Key: t.Key ?? '', Value: t.Value }));
    if (wanted.length > MAX_TAGS_PER_TAG_CALL) throw new EcsError('SizeLimitExceeded.TagNum', `The maximum number of tags is exceeded: at most ${MAX_TAGS_PER_TAG_CALL}.`);
    if (wanted.some((t) => !t.Key)) throw new EcsError('InvalidTagKey', 'The tag keys are not valid: every Tag.N needs a Key.');
    if (ids.length === 0 && wanted.length === 0) throw new EcsError('BothEmpty.TagsAndResources', 'The specified Tags and ResourcesIds are not allow to both empty.');
    const limit: number = p.MaxResults ?? LIST_PAGE_SIZE;
    if (limit < 1) throw new EcsError('InvalidParameter.MaxResults', 'MaxResults must be from 1 to 50.');
    const offset = p.NextToken ? decodeToken(p.NextToken) : 0;

    const scope = scopeOf(ctx);
    const rows = await vpcTagRows(ctx.db, scope, type.stored, ids.length ? ids : undefined);
    // Tags of deleted resources are not shown; resources carrying every Tag.N list all their tags.
    const live = await existingVpcResources(ctx.db, scope, type.stored, rows.map((r) => r.resource_id));
    const byResource = new Map<string, typeof rows>();
    for (const r of rows) if (live.has(r.resource_id)) byResource.set(r.resource_id, [...(byResource.get(r.resource_id) ?? []), r]);
    const entries = [...byResource.values()]
      .filter((list) => wanted.every((w) => list.some((t) => t.key === w.Key && (w.Value === undefined || t.value === w.Value))))
      .flat();
    const page = entries.slice(offset, offset + limit);
    return {
      NextToken: offset + page.length < entries.length ? encodeToken(offset + page.length) : '',
      TagResources: { TagResource: page.map((r) => ({ ResourceId: r.resource_id, ResourceType: type.wire, TagKey: r.key, TagValue: r.value })) },
    };
  },

  async DescribeRouteTableList(ctx, p) {
    if (ctx.dryRun) throw errors.dryRun();
    const pageNumber: number = p.PageNumber ?? 1;
    const pageSize: number = p.PageSize ?? 10;
    if (pageNumber < 1) throw new EcsError('InvalidParameter', 'The specified parameter "PageNumber" is not valid: at least 1.');
    if (pageSize < 1 || pageSize > ROUTE_TABLE_PAGE_MAX) throw new EcsError('InvalidParameter', `The specified parameter "PageSize" is not valid: 1 to ${ROUTE_TABLE_PAGE_MAX}.`);
    const { accountId } = ctx.principal;
    // Only system tables of vRouters exist here: a VBR or Custom table filter matches none.
    const none = (p.RouterType && p.RouterType !== 'VRouter') || (p.RouteTableType && p.RouteTableType !== 'System');
    // Name, description and propagation are the stored table's (ModifyRouteTableAttributes).
    const named = p.RouteTableName !== undefined && p.RouteTableName !== ''
      ? new Set((await listRouteTables(ctx.db, { accountId, regionId: ctx.regionId, name: p.RouteTableName })).map((t) => t.id)) : undefined;
    const tagged = await idsWithTags(ctx.db, accountId, 'routetable', ((p.Tag ?? []) as Record<string, string>[]).map((t) => ({ Key: t.Key ?? '', Value: t.Value })).filter((t) => t.Key));
    const { rows } = await listVpcs(ctx.db, {
      accountId, regionId: ctx.regionId, resourceGroupId: p.ResourceGroupId || undefined, ids: p.VpcId ? [p.VpcId] : undefined,
    }, { offset: 0, limit: 100000 });
    const tables = none ? [] : rows.filter((v) => (!p.RouterId || v.vrouter_id === p.RouterId)
      && (!p.RouteTableId || routerOfRouteTable(p.RouteTableId) === v.vrouter_id)
      && (!tagged || tagged.includes(routeTableOfRouter(v.vrouter_id)))
      && (!named || named.has(routeTableOfRouter(v.vrouter_id))));
    const page = tables.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    const vswitches = await vswitchesOfVpcs(ctx.db, page.map((v) => v.id));
    const tags = await tagsOf(ctx.db, page.map((v) => routeTableOfRouter(v.vrouter_id)));
    const stored = new Map((await listRouteTables(ctx.db, { accountId, vpcIds: page.map((v) => v.id) })).map((t) => [t.id, t]));
    return {
      PageNumber: pageNumber, PageSize: pageSize, TotalCount: tables.length,
      RouterTableList: {
        RouterTableListType: page.map((v) => {
          const id = routeTableOfRouter(v.vrouter_id);
          const t = stored.get(id);
          return {
            VpcId: v.id, RouterId: v.vrouter_id, RouterType: 'VRouter', RouteTableId: id, RouteTableName: t?.name ?? '', RouteTableType: 'System',
            Description: t?.description ?? '', Status: 'Available', AssociateType: 'VSwitch', CreationTime: isoSecond(Number(v.created_at)),
            OwnerId: Number(accountId), ResourceGroupId: v.resource_group_id, RoutePropagationEnable: (t?.route_propagation_enable ?? 1) === 1,
            VSwitchIds: { VSwitchId: vswitches.filter((s) => s.vpc_id === v.id).map((s) => s.id) },
            GatewayIds: { GatewayIds: [] as string[] },
            Tags: { Tag: (tags.get(id) ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) },
          };
        }),
      },
    };
  },
});
