/**
 * Tag calls across the two products. ECS tags its own resources (TagResources, UntagResources,
 * ListTagResources with lower-case types such as `instance`); VPCs and VSwitches are tagged
 * through the VPC API (2016-04-28), whose actions share the names except UnTagResources and take
 * upper-case types (VPC, VSWITCH). Both answer ListTagResources entries as
 * {ResourceId, ResourceType, TagKey, TagValue}, one per tag.
 */
import type { ApiClient, Product } from './client.js';
import { itemsWith } from './answers.js';
import type { ApiResponse, Tag, TagParam, TagResource } from './types.js';

export interface TagTarget { type: string; label: string; product: Product }

/** The resource types OpenECS can tag (src/store/tags.ts TAGGABLE, src/actions/vpc-tags.ts). */
export const TAG_TARGETS: readonly TagTarget[] = [
  { type: 'instance', label: 'Instance', product: 'ecs' },
  { type: 'disk', label: 'Disk', product: 'ecs' },
  { type: 'snapshot', label: 'Snapshot', product: 'ecs' },
  { type: 'image', label: 'Image', product: 'ecs' },
  { type: 'securitygroup', label: 'Security group', product: 'ecs' },
  { type: 'keypair', label: 'Key pair', product: 'ecs' },
  { type: 'snapshotpolicy', label: 'Automatic snapshot policy', product: 'ecs' },
  { type: 'VPC', label: 'VPC', product: 'vpc' },
  { type: 'VSWITCH', label: 'VSwitch', product: 'vpc' },
];

export function targetOf(type: string): TagTarget {
  return TAG_TARGETS.find((t) => t.type.toLowerCase() === type.toLowerCase()) ?? { type, label: type, product: 'ecs' };
}

/** One resource and every tag it carries (ListTagResources lists one entry per tag). */
export interface TaggedResource { ResourceId: string; ResourceType: string; Tags: Tag[] }

export function tagResources(client: ApiClient, region: string, type: string, ids: string[], tags: TagParam[]) {
  const t = targetOf(type);
  return client.raw('TagResources', { RegionId: region, ResourceType: t.type, ResourceId: ids, Tag: tags.map((x) => ({ Key: x.Key, Value: x.Value ?? '' })) }, t.product);
}

export function untagResources(client: ApiClient, region: string, type: string, ids: string[], keys: string[]) {
  const t = targetOf(type);
  return client.raw(t.product === 'vpc' ? 'UnTagResources' : 'UntagResources', { RegionId: region, ResourceType: t.type, ResourceId: ids, TagKey: keys }, t.product);
}

export interface TagQuery { key?: string; value?: string; ids?: string[] }

/** ListTagResources needs a tag or resource IDs; a key with `*` is a pattern only ECS's TagFilter reads. */
export function canSearch(t: TagTarget, q: TagQuery): boolean {
  if (!q.key && !q.ids?.length) return false;
  return !(q.key?.includes('*') && t.product === 'vpc');
}

/** Every tag entry of one type matching the query, following NextToken (at most `maxPages` pages). */
export async function listTagEntries(client: ApiClient, region: string, t: TagTarget, q: TagQuery, maxPages = 20): Promise<TagResource[]> {
  const out: TagResource[] = [];
  let token: string | undefined;
  for (let i = 0; i < maxPages; i++) {
    const tagParams = !q.key ? {}
      : q.key.includes('*') ? { TagFilter: [{ TagKey: q.key }] }
      : { Tag: [{ Key: q.key, Value: q.value || undefined }] };
    // Not `call`: the product varies (ECS or VPC); both answer the ECS shape.
    const r: ApiResponse<'ListTagResources'> = await client.raw('ListTagResources', {
      RegionId: region, ResourceType: t.type, ResourceId: q.ids?.length ? q.ids : undefined, NextToken: token, ...tagParams,
    }, t.product);
    out.push(...itemsWith(r.TagResources?.TagResource, 'ResourceId', 'ResourceType'));
    token = r.NextToken || undefined;
    if (!token) break;
  }
  return out;
}

/** Groups tag entries per resource, in the order the server listed them. */
export function groupByResource(entries: TagResource[]): TaggedResource[] {
  const byId = new Map<string, TaggedResource>();
  for (const e of entries) {
    const id = `${e.ResourceType.toLowerCase()}/${e.ResourceId}`;
    const r: TaggedResource = byId.get(id) ?? { ResourceId: e.ResourceId, ResourceType: e.ResourceType, Tags: [] };
    r.Tags.push({ TagKey: e.TagKey, TagValue: e.TagValue });
    byId.set(id, r);
  }
  return [...byId.values()];
}

/** The resources carrying the tag among the given types, queried side by side. */
export async function findTagged(client: ApiClient, region: string, targets: readonly TagTarget[], q: TagQuery): Promise<TaggedResource[]> {
  const lists = await Promise.all(targets.filter((t) => canSearch(t, q)).map((t) => listTagEntries(client, region, t, q)));
  return groupByResource(lists.flat());
}
