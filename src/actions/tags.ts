/**
 * The tag actions: TagResources, UntagResources, ListTagResources, and the older single-resource
 * AddTags, RemoveTags, DescribeTags (api-protocol.md §3.6; user guide 000:L2553–2626). Tags are
 * per region (000:L2565) and a resource carries at most 20 (SPEC.md).
 */
import { EcsError } from '../domain/errors.js';
import { decodeToken, encodeToken } from './paging.js';
import type { Params } from '../api/params.js';
import {
  checkTagResourceType, MAX_RESOURCES_PER_TAG_CALL, MAX_TAGS_PER_TAG_CALL, TAG_RESOURCE_TYPES, tagFiltersFromParams, tagsFromParams,
  tagsMatchFilters, type Tag,
} from '../domain/tags.js';
import { findTaggable, liveTagRows, putTags, removeTags, type TagScope } from '../store/tags.js';
import { bumpMetadataGeneration } from './metadata-options.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

const scopeOf = (ctx: ActionContext): TagScope => ({ accountId: ctx.principal.accountId, regionId: ctx.regionId });

/** ListTagResources answers this many tag entries per page. */
const LIST_PAGE_SIZE = 50;

function resourceIdsOf(p: Params): string[] {
  const ids = [...new Set(((p.ResourceId ?? []) as string[]).filter((id) => id !== ''))];
  if (ids.length > MAX_RESOURCES_PER_TAG_CALL) {
    throw new EcsError('NumberExceed.ResourceIds', `The ResourceIds parameter's number is exceed , Valid : ${MAX_RESOURCES_PER_TAG_CALL}.`);
  }
  return ids;
}

function tagsToSet(list: unknown): Tag[] {
  const tags = tagsFromParams(list);
  if (tags.length > MAX_TAGS_PER_TAG_CALL) throw new EcsError('NumberExceed.Tags', `The Tags parameter's number is exceed , Valid : ${MAX_TAGS_PER_TAG_CALL}.`);
  if (tags.length === 0) throw new EcsError('MissingParameter.Tags', 'The parameter - Tags should not be null.');
  return tags;
}

/** Wire id → stored id of every requested resource, or InvalidResourceId.NotFound naming the missing. */
async function requireResources(ctx: ActionContext, type: string, ids: string[], code = 'InvalidResourceId.NotFound'): Promise<Map<string, string>> {
  if (ids.length === 0) throw new EcsError('MissingParameter.ResourceIds', 'The parameter - ResourceIds.N should not be null.');
  const found = await findTaggable(ctx.db, scopeOf(ctx), type, ids);
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new EcsError(code, `The specified ResourceIds are not found in our records: ${missing.join(', ')}.`);
  return found;
}

async function tag(ctx: ActionContext, type: string, stored: string[], tags: Tag[]) {
  return ctx.mutate(async (trx, enqueue) => {
    for (const id of stored) {
      await putTags(trx, { ...scopeOf(ctx), resourceType: type, resourceId: id }, tags, 'QuotaExceed.Tags');
    }
    // Instances that serve their tags in metadata see the change (the engine pushes it).
    await bumpMetadataGeneration(trx, enqueue, stored, ctx.now(), { onlyServingTags: true });
    return {};
  });
}

async function untag(ctx: ActionContext, stored: string[], keys: string[] | undefined) {
  return ctx.mutate(async (trx, enqueue) => {
    for (const id of stored) await removeTags(trx, id, keys);
    // Instances that serve their tags in metadata see the change (the engine pushes it).
    await bumpMetadataGeneration(trx, enqueue, stored, ctx.now(), { onlyServingTags: true });
    return {};
  });
}

/** DescribeTags counts resources per ResourceTypeCount field; the response lists all of them. */
function emptyCounts(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const field of Object.values(TAG_RESOURCE_TYPES)) if (field) out[field] = 0;
  return out;
}

export const tagsActions = ecsHandlers({
  async TagResources(ctx, p) {
    checkTagResourceType(p.ResourceType);
    const ids = resourceIdsOf(p);
    const tags = tagsToSet(p.Tag);
    const found = await requireResources(ctx, p.ResourceType, ids);
    return tag(ctx, p.ResourceType, [...found.values()], tags);
  },

  async UntagResources(ctx, p) {
    checkTagResourceType(p.ResourceType);
    const ids = resourceIdsOf(p);
    const keys = [...new Set(((p.TagKey ?? []) as string[]).filter((k) => k !== ''))];
    if (keys.length > MAX_TAGS_PER_TAG_CALL) throw new EcsError('NumberExceed.Tags', `The Tags parameter's number is exceed , Valid : ${MAX_TAGS_PER_TAG_CALL}.`);
    if (p.All === true && keys.length) throw new EcsError('Param.Conflict', 'The specified all is true, but the specified TagKey.N is not empty.');
    const found = await requireResources(ctx, p.ResourceType, ids);
    // Without TagKey.N and All=true nothing is removed (All "takes effect only without TagKey.N").
    return untag(ctx, [...found.values()], p.All === true ? undefined : keys);
  },

  async ListTagResources(ctx, p) {
    checkTagResourceType(p.ResourceType);
    const ids = resourceIdsOf(p);
    const exact: { Key: string; Value?: string }[] = ((p.Tag ?? []) as Record<string, string>[]).map((t) => ({ Key: t.Key ?? '', Value: t.Value }));
    if (exact.length > MAX_TAGS_PER_TAG_CALL) throw new EcsError('NumberExceed.Tags', `The Tags parameter's number is exceed , Valid : ${MAX_TAGS_PER_TAG_CALL}.`);
    if (exact.some((t) => !t.Key)) throw new EcsError('InvalidTag.Mismatch', 'The specified Tag.n.Key and Tag.n.Value are not match: every Tag.N needs a Key.');
    const filters = tagFiltersFromParams(p.TagFilter);
    if (exact.length && filters.length) throw new EcsError('InvalidTags.MalFormed', 'The tags must be empty, when the tagFilters is not empty.');
    if (!ids.length && !exact.length && !filters.length) {
      throw new EcsError('BothEmpty.TagsAndResources', 'The specified Tags and ResourcesIds are not allow to both empty.');
    }
    let offset = 0;
    if (p.NextToken) {
      offset = decodeToken(p.NextToken, 'Invalid.NextToken');
    }

    const scope = scopeOf(ctx);
    const storedIds = ids.length ? [...(await findTaggable(ctx.db, scope, p.ResourceType, ids)).values()] : undefined;
    const rows = await liveTagRows(ctx.db, scope, { type: p.ResourceType, storedIds });
    // Group per resource, keep the resources whose tags pass the filters, list all their tags.
    const byResource = new Map<string, typeof rows>();
    for (const r of rows) byResource.set(r.resource_id, [...(byResource.get(r.resource_id) ?? []), r]);
    const entries = [...byResource.values()].filter((list) => {
      const tags = list.map((r) => ({ Key: r.key, Value: r.value }));
      if (exact.length && !exact.every((f) => tags.some((t) => t.Key === f.Key && (f.Value === undefined || t.Value === f.Value)))) return false;
      return tagsMatchFilters(tags, filters);
    }).flat();
    const page = entries.slice(offset, offset + LIST_PAGE_SIZE);
    const next = offset + page.length < entries.length ? encodeToken(offset + page.length) : '';
    return {
      NextToken: next,
      TagResources: {
        TagResource: page.map((r) => ({ ResourceId: r.wireId, ResourceType: r.resource_type, TagKey: r.key, TagValue: r.value })),
      },
    };
  },

  async AddTags(ctx, p) {
    checkTagResourceType(p.ResourceType);
    const tags = tagsToSet(p.Tag);
    const found = await requireResources(ctx, p.ResourceType, [p.ResourceId]);
    return tag(ctx, p.ResourceType, [...found.values()], tags);
  },

  async RemoveTags(ctx, p) {
    checkTagResourceType(p.ResourceType);
    const list = ((p.Tag ?? []) as Record<string, string>[]).map((t) => ({ Key: t.Key ?? t.key ?? '', Value: t.Value ?? t.value }));
    if (list.some((t) => !t.Key)) throw new EcsError('InvalidTagKey.Malformed', 'The specified Tag.n.Key is not valid: it is empty.');
    const found = await requireResources(ctx, p.ResourceType, [p.ResourceId]);
    const [stored] = [...found.values()];
    if (list.length === 0) return untag(ctx, [stored!], undefined); // no Tag.N: every tag of the resource
    // A Tag.N with a Value removes the tag only while it has that value.
    const current = await liveTagRows(ctx.db, scopeOf(ctx), { storedIds: [stored!] });
    const keys = list.filter((t) => current.some((c) => c.key === t.Key && (t.Value === undefined || t.Value === '' || c.value === t.Value))).map((t) => t.Key);
    return untag(ctx, [stored!], keys);
  },

  async DescribeTags(ctx, p) {
    const pageNumber: number = p.PageNumber ?? 1;
    const pageSize: number = p.PageSize ?? 50;
    if (p.ResourceType !== undefined) checkTagResourceType(p.ResourceType);
    const wanted = ((p.Tag ?? []) as Record<string, string>[]).map((t) => ({ Key: t.Key ?? t.key ?? '', Value: t.Value ?? t.value }));
    if (wanted.some((t) => !t.Key && t.Value)) throw new EcsError('InvalidTagKey.Malformed', 'The parameter Tag.n.Key is illegal: a Value needs a Key.');
    const scope = scopeOf(ctx);
    let storedIds: string[] | undefined;
    if (p.ResourceId) {
      storedIds = p.ResourceType ? [...(await findTaggable(ctx.db, scope, p.ResourceType, [p.ResourceId])).values()] : [p.ResourceId];
    }
    const rows = (await liveTagRows(ctx.db, scope, { type: p.ResourceType, storedIds }))
      // A Key alone matches every value of it; Key and Value match the pair (DescribeTags metadata).
      .filter((r) => wanted.every((t) => !t.Key) || wanted.some((t) => t.Key && t.Key === r.key && (!t.Value || t.Value === r.value)));
    const groups = new Map<string, { TagKey: string; TagValue: string; ResourceTypeCount: Record<string, number> }>();
    for (const r of rows) {
      const id = JSON.stringify([r.key, r.value]);
      const g = groups.get(id) ?? { TagKey: r.key, TagValue: r.value, ResourceTypeCount: emptyCounts() };
      const field = TAG_RESOURCE_TYPES[r.resource_type];
      if (field) g.ResourceTypeCount[field] = (g.ResourceTypeCount[field] ?? 0) + 1;
      groups.set(id, g);
    }
    const all = [...groups.values()].sort((a, b) => (a.TagKey < b.TagKey ? -1 : a.TagKey > b.TagKey ? 1 : a.TagValue < b.TagValue ? -1 : a.TagValue > b.TagValue ? 1 : 0));
    return {
      PageNumber: pageNumber, PageSize: pageSize, TotalCount: all.length,
      Tags: { Tag: all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize) },
    };
  },
});


