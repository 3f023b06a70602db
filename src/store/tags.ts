/** Tag storage shared by every resource family. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { EcsError } from '../domain/errors.js';
import { MAX_TAGS_PER_RESOURCE, type Tag } from '../domain/tags.js';
import type { Database, TagTable } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface TagOwner { accountId: string; regionId: string; resourceType: string; resourceId: string }

/**
 * Adds or overwrites tags on one resource, enforcing the per-resource limit. `quotaCode` lets the
 * tag actions answer the code their metadata lists (`QuotaExceed.Tags`).
 */
export async function putTags(db: Q, owner: TagOwner, tags: Tag[], quotaCode = 'QuotaExceed.Tags'): Promise<void> {
  if (tags.length === 0) return;
  const existing = await db.selectFrom('tags').select('key').where('resource_id', '=', owner.resourceId).execute();
  const keys = new Set(existing.map((t) => t.key));
  for (const t of tags) keys.add(t.Key);
  if (keys.size > MAX_TAGS_PER_RESOURCE) {
    throw new EcsError(quotaCode, `A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags; ${owner.resourceId} would have ${keys.size}.`, 403);
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

// ------------------------------------------------------------ tag actions: which resources exist

export interface TagScope { accountId: string; regionId: string }

/** Wire id → stored id of the caller's existing resources among `ids`. */
type Finder = (db: Q, s: TagScope, ids: string[]) => Promise<Map<string, string>>;

interface Taggable {
  find: Finder;
  /** Stored id → wire id, where they differ (key pairs are named by KeyPairName on the wire). */
  display?: (db: Q, s: TagScope, storedIds: string[]) => Promise<Map<string, string>>;
}

type IdTable = 'instances' | 'disks' | 'snapshots' | 'images' | 'security_groups' | 'auto_snapshot_policies' | 'network_interfaces';

/** A resource whose ECS id is its row id; `live` tables keep deleted rows with `deleted_at` set. */
function byId(table: IdTable, live = false): Taggable {
  return {
    async find(db, s, ids) {
      if (ids.length === 0) return new Map();
      let q = (db as Kysely<any>).selectFrom(table).select('id')
        .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId).where('id', 'in', ids);
      if (live) q = q.where('deleted_at', 'is', null);
      return new Map((await q.execute()).map((r: { id: string }) => [r.id, r.id]));
    },
  };
}

/**
 * Tags of a key pair are stored under its KeyPairId (names repeat across accounts and regions) but
 * named by KeyPairName on the wire, as ECS's ARNs (`keypair/$keypairName`) do; the id is accepted too.
 */
const keyPairs: Taggable = {
  async find(db, s, ids) {
    if (ids.length === 0) return new Map();
    const rows = await db.selectFrom('key_pairs').select(['id', 'name'])
      .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId)
      .where((eb) => eb.or([eb('name', 'in', ids), eb('id', 'in', ids)]))
      .execute();
    const out = new Map<string, string>();
    for (const id of ids) {
      const r = rows.find((k) => k.name === id) ?? rows.find((k) => k.id === id);
      if (r) out.set(id, r.id);
    }
    return out;
  },
  async display(db, s, storedIds) {
    if (storedIds.length === 0) return new Map();
    const rows = await db.selectFrom('key_pairs').select(['id', 'name'])
      .where('account_id', '=', s.accountId).where('id', 'in', storedIds).execute();
    return new Map(rows.map((r) => [r.id, r.name]));
  },
};

/**
 * The resource types that exist here, one line each; the other documented types (volume, eni,
 * ddh, launchtemplate, ...) are valid ResourceType values with no resources yet.
 */
const TAGGABLE: Record<string, Taggable> = {
  instance: byId('instances', true),
  disk: byId('disks'),
  snapshot: byId('snapshots'),
  image: byId('images', true),
  securitygroup: byId('security_groups'),
  snapshotpolicy: byId('auto_snapshot_policies'),
  keypair: keyPairs,
  eni: byId('network_interfaces'),
};

/** The caller's resources of `type` among the wire ids: wire id → stored id (missing ones left out). */
export async function findTaggable(db: Q, s: TagScope, type: string, ids: string[]): Promise<Map<string, string>> {
  const t = TAGGABLE[type];
  return t ? t.find(db, s, [...new Set(ids)]) : new Map();
}

export type TagRow = Selectable<TagTable>;

/**
 * The caller's tag rows in the region (optionally of one type and some stored ids), of resources
 * that still exist, each with the id the API shows. Ordered by resource then key.
 */
export async function liveTagRows(db: Q, s: TagScope, opts: { type?: string; storedIds?: string[] } = {}): Promise<(TagRow & { wireId: string })[]> {
  let q = db.selectFrom('tags').selectAll().where('account_id', '=', s.accountId).where('region_id', '=', s.regionId);
  if (opts.type) q = q.where('resource_type', '=', opts.type);
  if (opts.storedIds) q = q.where('resource_id', 'in', opts.storedIds.length ? opts.storedIds : ['']);
  const rows = await q.orderBy('resource_type').orderBy('resource_id').orderBy('key').execute();
  const out: (TagRow & { wireId: string })[] = [];
  for (const type of new Set(rows.map((r) => r.resource_type))) {
    const t = TAGGABLE[type];
    if (!t) continue;
    const ofType = rows.filter((r) => r.resource_type === type);
    const stored = [...new Set(ofType.map((r) => r.resource_id))];
    // Existence is checked by stored id; key pairs map stored id → name for the wire.
    const names = t.display ? await t.display(db, s, stored) : undefined;
    const live = names ? new Set(names.keys()) : new Set((await t.find(db, s, stored)).values());
    for (const r of ofType) if (live.has(r.resource_id)) out.push({ ...r, wireId: names?.get(r.resource_id) ?? r.resource_id });
  }
  return out;
}
