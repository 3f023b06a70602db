/** Tag storage shared by every resource family. */
import type { Kysely, Transaction } from 'kysely';
import { EcsError } from '../api/errors.js';
import { MAX_TAGS_PER_RESOURCE, type Tag } from '../domain/tags.js';
import type { Database } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface TagOwner { accountId: string; regionId: string; resourceType: string; resourceId: string }

/** Adds or overwrites tags on one resource, enforcing the per-resource limit. */
export async function putTags(db: Q, owner: TagOwner, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return;
  const existing = await db.selectFrom('tags').select('key').where('resource_id', '=', owner.resourceId).execute();
  const keys = new Set(existing.map((t) => t.key));
  for (const t of tags) keys.add(t.Key);
  if (keys.size > MAX_TAGS_PER_RESOURCE) {
    throw new EcsError('QuotaExceed.TagsPerResource', `A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags.`, 403);
  }
  for (const t of tags) {
    await db.insertInto('tags').values({
      account_id: owner.accountId, region_id: owner.regionId, resource_type: owner.resourceType,
      resource_id: owner.resourceId, key: t.Key, value: t.Value,
    }).onConflict((oc) => oc.columns(['resource_id', 'key']).doUpdateSet({ value: t.Value })).execute();
  }
}

export async function removeTags(db: Q, resourceId: string, keys?: string[]): Promise<void> {
  let q = db.deleteFrom('tags').where('resource_id', '=', resourceId);
  if (keys) {
    if (keys.length === 0) return;
    q = q.where('key', 'in', keys);
  }
  await q.execute();
}

/** Tags of many resources at once, for Describe* responses. */
export async function tagsOf(db: Q, resourceIds: string[]): Promise<Map<string, Tag[]>> {
  const out = new Map<string, Tag[]>();
  if (resourceIds.length === 0) return out;
  const rows = await db.selectFrom('tags').select(['resource_id', 'key', 'value']).where('resource_id', 'in', resourceIds).orderBy('key').execute();
  for (const r of rows) {
    const list = out.get(r.resource_id) ?? [];
    list.push({ Key: r.key, Value: r.value });
    out.set(r.resource_id, list);
  }
  return out;
}

/** Renders tags as most Describe* actions do: `Tags.Tag[]{TagKey,TagValue}`. */
export function renderTags(tags: Tag[] | undefined) {
  return { Tag: (tags ?? []).map((t) => ({ TagKey: t.Key, TagValue: t.Value })) };
}

/**
 * The `Tag.N` filter of Describe* actions: ids of the account's resources of a type carrying every
 * given tag (an empty Value matches any value of that key).
 */
export async function idsWithTags(db: Q, accountId: string, resourceType: string, tags: { Key: string; Value?: string }[]): Promise<string[] | undefined> {
  if (tags.length === 0) return undefined;
  let ids: Set<string> | undefined;
  for (const t of tags) {
    let q = db.selectFrom('tags').select('resource_id')
      .where('account_id', '=', accountId).where('resource_type', '=', resourceType).where('key', '=', t.Key);
    if (t.Value) q = q.where('value', '=', t.Value);
    const found = new Set((await q.execute()).map((r) => r.resource_id));
    ids = ids ? new Set([...ids].filter((id) => found.has(id))) : found;
  }
  return [...(ids ?? [])];
}
