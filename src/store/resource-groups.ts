/**
 * Resource group queries. A group belongs to one account; every lookup takes the account id, so
 * another account's group reads as missing. Membership is the `resource_group_id` column of each
 * resource table (a VSwitch with '' is in its VPC's group).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import { randomAlnum } from '../domain/ids.js';
import {
  DEFAULT_GROUP_DISPLAY_NAME, DEFAULT_GROUP_ID_PREFIX, DEFAULT_GROUP_NAME, GROUP_ID_PREFIX, GROUP_ID_RANDOM_LENGTH,
  ECS_GROUP_RESOURCE_TYPES, VPC_GROUP_RESOURCE_TYPES,
} from '../domain/resource-groups.js';
import type { Database, ResourceGroupTable } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;
export type ResourceGroupRow = Selectable<ResourceGroupTable>;

export function newGroupId(isDefault: boolean): string {
  return isDefault
    ? DEFAULT_GROUP_ID_PREFIX + randomAlnum(GROUP_ID_RANDOM_LENGTH.default)
    : GROUP_ID_PREFIX + randomAlnum(GROUP_ID_RANDOM_LENGTH.created);
}

export async function findGroup(db: Q, accountId: string, id: string): Promise<ResourceGroupRow | undefined> {
  return db.selectFrom('resource_groups').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export async function findGroupByName(db: Q, accountId: string, name: string): Promise<ResourceGroupRow | undefined> {
  return db.selectFrom('resource_groups').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
}

export async function countGroups(db: Q, accountId: string): Promise<number> {
  const r = await db.selectFrom('resource_groups').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The account's groups, default first, then by creation (Name/DisplayName fuzzy filters are applied by the caller). */
export async function listGroups(db: Q, accountId: string, f: { ids?: string[]; status?: string }): Promise<ResourceGroupRow[]> {
  let q = db.selectFrom('resource_groups').selectAll().where('account_id', '=', accountId);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.status) q = q.where('status', '=', f.status);
  return q.orderBy('is_default', 'desc').orderBy('created_at').orderBy('id').execute();
}

export async function insertGroup(db: Q, row: ResourceGroupRow): Promise<void> {
  await db.insertInto('resource_groups').values(row).execute();
}

export async function setDisplayName(db: Q, id: string, displayName: string): Promise<void> {
  await db.updateTable('resource_groups').set({ display_name: displayName }).where('id', '=', id).execute();
}

export async function deleteGroup(db: Q, id: string): Promise<void> {
  await db.deleteFrom('resource_groups').where('id', '=', id).where('is_default', '=', 0).execute();
}

export async function defaultGroupId(db: Q, accountId: string): Promise<string | undefined> {
  const r = await db.selectFrom('resource_groups').select('id').where('account_id', '=', accountId).where('is_default', '=', 1).executeTakeFirst();
  return r?.id;
}

/** The account's default group, made now if it has none (accounts get one when created; see createAccount). */
export async function ensureDefaultGroup(db: Q, accountId: string, now: number): Promise<string> {
  const found = await defaultGroupId(db, accountId);
  if (found) return found;
  const id = newGroupId(true);
  await db.insertInto('resource_groups').values({
    id, account_id: accountId, name: DEFAULT_GROUP_NAME, display_name: DEFAULT_GROUP_DISPLAY_NAME, status: 'OK', is_default: 1, created_at: now,
  }).onConflict((oc) => oc.columns(['account_id', 'name']).doNothing()).execute();
  return (await defaultGroupId(db, accountId)) ?? id;
}

export interface GroupedResource {
  service: 'ecs' | 'vpc';
  resourceType: string; // as ListResources spells it: instance, disk, ..., vpc, vswitch
  id: string;
  /** The id the APIs name it by: a key pair's KeyPairName (ECS tags and JoinResourceGroup take the name). */
  wireId: string;
  regionId: string;
  resourceGroupId: string;
  createdAt: number;
}

/** Rows still alive: instances and images keep deleted rows with `deleted_at` set. */
const SOFT_DELETED = new Set(['instances', 'images']);

/**
 * Every resource of the account in the groups asked for (or all), across the grouped tables;
 * VSwitches without their own group count in their VPC's.
 */
export async function groupedResources(db: Q, accountId: string, f: { groupId?: string; regionId?: string; resourceId?: string } = {}): Promise<GroupedResource[]> {
  const out: GroupedResource[] = [];
  const tables: Array<['ecs' | 'vpc', string, string]> = [
    ...Object.entries(ECS_GROUP_RESOURCE_TYPES).map(([t, table]) => ['ecs', t, table] as ['ecs', string, string]),
    ['vpc', 'vpc', VPC_GROUP_RESOURCE_TYPES.vpc],
    ['vpc', 'eip', VPC_GROUP_RESOURCE_TYPES.eip],
  ];
  for (const [service, resourceType, table] of tables) {
    const keyPairs = table === 'key_pairs';
    let q = (db as Kysely<any>).selectFrom(table).select(['id', 'region_id', 'resource_group_id', 'created_at', ...(keyPairs ? ['name'] : [])]).where('account_id', '=', accountId);
    if (SOFT_DELETED.has(table)) q = q.where('deleted_at', 'is', null);
    if (f.groupId) q = q.where('resource_group_id', '=', f.groupId);
    if (f.regionId) q = q.where('region_id', '=', f.regionId);
    if (f.resourceId) q = keyPairs ? q.where((eb: any) => eb.or([eb('id', '=', f.resourceId), eb('name', '=', f.resourceId)])) : q.where('id', '=', f.resourceId);
    for (const r of await q.execute()) {
      out.push({ service, resourceType, id: r.id, wireId: keyPairs ? r.name : r.id, regionId: r.region_id, resourceGroupId: r.resource_group_id, createdAt: Number(r.created_at) });
    }
  }
  let vs = db.selectFrom('vswitches').leftJoin('vpcs', 'vpcs.id', 'vswitches.vpc_id')
    .select(['vswitches.id', 'vswitches.region_id', 'vswitches.resource_group_id', 'vpcs.resource_group_id as vpc_group', 'vswitches.created_at'])
    .where('vswitches.account_id', '=', accountId);
  if (f.regionId) vs = vs.where('vswitches.region_id', '=', f.regionId);
  if (f.resourceId) vs = vs.where('vswitches.id', '=', f.resourceId);
  for (const r of await vs.execute()) {
    const group = r.resource_group_id || r.vpc_group || '';
    if (f.groupId && group !== f.groupId) continue;
    out.push({ service: 'vpc', resourceType: 'vswitch', id: r.id, wireId: r.id, regionId: r.region_id, resourceGroupId: group, createdAt: Number(r.created_at) });
  }
  return out;
}

export async function countGroupResources(db: Q, accountId: string, groupId: string): Promise<number> {
  return (await groupedResources(db, accountId, { groupId })).length;
}

/** Moves one resource row (already checked to be the caller's) into a group. */
export async function setResourceGroup(db: Q, table: string, id: string, groupId: string): Promise<void> {
  await (db as Kysely<any>).updateTable(table).set({ resource_group_id: groupId }).where('id', '=', id).execute();
}
