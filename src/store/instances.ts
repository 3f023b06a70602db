/** Instance queries: the rows behind DescribeInstances and the writes of the instance actions. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, DiskTable, InstanceTable } from './schema.js';
import { dialectOf, matchesWildcard, startsWith } from './dialect.js';
import { releasePrivateIps } from './network.js';
import { releaseInstanceInterfaces } from './network-interfaces.js';
import { releasePublicIps } from './public-ips.js';
import { dropEipsOfInstance } from './eips.js';
import { releaseDiskDependents } from './storage.js';
import { keepReleasedDisks } from './released-disks.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';

type Q = Kysely<Database> | Transaction<Database>;
export type InstanceRow = Selectable<InstanceTable>;
export type DiskRow = Selectable<DiskTable>;

export interface InstanceFilter {
  accountId: string;
  regionId: string;
  ids?: string[];
  zoneId?: string;
  vpcId?: string;
  vswitchId?: string;
  securityGroupId?: string;
  status?: string;
  /** `*` is a wildcard, as ECS supports for InstanceName. */
  name?: string;
  imageId?: string;
  instanceType?: string;
  instanceTypeFamilyPrefix?: string;
  keyPairName?: string;
  chargeType?: string;
  internetChargeType?: string;
  resourceGroupId?: string;
  privateIps?: string[];
  publicIps?: string[];
  /** Restricts to these ids (the Tag.N filter's answer). */
  taggedIds?: string[];
  createdFrom?: number;
  createdTo?: number;
  /** Only the subscriptions stopped for expiry (LockReason financial). */
  financialLock?: boolean;
  /** Only the spot instances under an interruption notice (LockReason Recycling). */
  recyclingLock?: boolean;
}

function filtered(db: Q, f: InstanceFilter) {
  let q = db.selectFrom('instances')
    .where('account_id', '=', f.accountId)
    .where('region_id', '=', f.regionId)
    .where('deleted_at', 'is', null);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.taggedIds) q = q.where('id', 'in', f.taggedIds.length ? f.taggedIds : ['']);
  if (f.zoneId) q = q.where('zone_id', '=', f.zoneId);
  if (f.vpcId) q = q.where('vpc_id', '=', f.vpcId);
  if (f.vswitchId) q = q.where('vswitch_id', '=', f.vswitchId);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.name) q = f.name.includes('*') ? q.where(matchesWildcard(dialectOf(db), 'name', f.name)) : q.where('name', '=', f.name);
  if (f.imageId) q = q.where('image_id', '=', f.imageId);
  if (f.instanceType) q = q.where('instance_type', '=', f.instanceType);
  if (f.instanceTypeFamilyPrefix) q = q.where(startsWith(dialectOf(db), 'instance_type', `${f.instanceTypeFamilyPrefix}.`));
  if (f.keyPairName) q = q.where('key_pair_name', '=', f.keyPairName);
  if (f.chargeType) q = q.where('instance_charge_type', '=', f.chargeType);
  if (f.internetChargeType) q = q.where('internet_charge_type', '=', f.internetChargeType);
  if (f.resourceGroupId) q = q.where('resource_group_id', '=', f.resourceGroupId);
  if (f.privateIps) q = q.where('private_ip', 'in', f.privateIps.length ? f.privateIps : ['']);
  if (f.publicIps) q = q.where('public_ip', 'in', f.publicIps.length ? f.publicIps : ['']);
  if (f.createdFrom !== undefined) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('created_at', '<=', f.createdTo);
  if (f.financialLock) q = q.where('expiry_stopped_at', 'is not', null);
  if (f.recyclingLock) q = q.where('spot_termination_at', 'is not', null);
  if (f.securityGroupId) {
    const sg = f.securityGroupId;
    q = q.where('id', 'in', (eb) => eb.selectFrom('instance_security_groups').select('instance_id').where('security_group_id', '=', sg));
  }
  return q;
}

export async function countInstances(db: Q, f: InstanceFilter): Promise<number> {
  const r = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function listInstances(db: Q, f: InstanceFilter, offset: number, limit: number): Promise<InstanceRow[]> {
  return filtered(db, f).selectAll().orderBy('created_at').orderBy('id').offset(offset).limit(limit).execute();
}

/** Where a page ends in the listing order (created_at, id): the next page starts after it. */
export type ListingKey = readonly [createdAt: number, id: string];

/**
 * What a listing page reads of each instance: its place in the order and its row version. Reading
 * whole rows (60-odd columns) was most of a page's cost; a reader reads in full only the rows it
 * has not seen at that version (instancesByIdsInOrder).
 */
export type ListedInstance = Pick<InstanceRow, 'id' | 'created_at' | 'row_version'>;
const LISTED = ['id', 'created_at', 'row_version'] as const;

/** The page after `after` in the listing order: an index range, whatever the page's depth. */
export async function listInstanceKeysAfter(db: Q, f: InstanceFilter, after: ListingKey, limit: number): Promise<ListedInstance[]> {
  const [c, id] = after;
  // `created_at >= c` first: a bound the listing index can seek to (SQLite does not seek on the
  // OR alone and read every entry of the account before the page).
  return filtered(db, f).select(LISTED)
    .where('created_at', '>=', c)
    .where((eb) => eb.or([eb('created_at', '>', c), eb('id', '>', id)]))
    .orderBy('created_at').orderBy('id').limit(limit).execute();
}

/**
 * A page by offset, its rows read through the listing index alone first (the skipped rows are
 * index entries, not table rows), then the page's own rows.
 */
export async function listInstanceKeysAt(db: Q, f: InstanceFilter, offset: number, limit: number): Promise<ListedInstance[]> {
  if (offset === 0) return filtered(db, f).select(LISTED).orderBy('created_at').orderBy('id').limit(limit).execute();
  return db.selectFrom('instances').select(LISTED)
    .where('id', 'in', filtered(db, f).select('id').orderBy('created_at').orderBy('id').offset(offset).limit(limit))
    .orderBy('created_at').orderBy('id').execute();
}

/** Live rows of these ids, in the order given (one that went meanwhile is left out). */
export async function instancesByIdsInOrder(db: Q, ids: string[]): Promise<InstanceRow[]> {
  if (ids.length === 0) return [];
  const rows = new Map((await db.selectFrom('instances').selectAll().where('id', 'in', ids).where('deleted_at', 'is', null).execute()).map((r) => [r.id, r]));
  return ids.flatMap((id) => rows.get(id) ?? []);
}

export async function getInstance(db: Q, accountId: string, id: string): Promise<InstanceRow | undefined> {
  return db.selectFrom('instances').selectAll()
    .where('id', '=', id).where('account_id', '=', accountId).where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export async function getInstancesByIds(db: Q, accountId: string, ids: string[]): Promise<InstanceRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('instances').selectAll()
    .where('id', 'in', ids).where('account_id', '=', accountId).where('deleted_at', 'is', null)
    .execute();
}

/** Any instance row, deleted or not, for the engine. */
export async function getInstanceForEngine(db: Q, id: string): Promise<InstanceRow | undefined> {
  return db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertInstance(trx: Q, row: Insertable<InstanceTable>): Promise<void> {
  await trx.insertInto('instances').values(row).execute();
}

export async function updateInstance(trx: Q, id: string, patch: Partial<InstanceRow>): Promise<void> {
  await trx.updateTable('instances').set(patch).where('id', '=', id).execute();
}

/** The private addresses of a VSwitch held by anyone but `instanceId`. */
export async function addressesHeldByOthers(db: Q, vswitchId: string, instanceId: string): Promise<string[]> {
  const rows = await db.selectFrom('private_ips').select('ip').where('vswitch_id', '=', vswitchId).where('instance_id', '!=', instanceId).execute();
  return rows.map((r) => r.ip);
}

/** Records a public address on an instance that has none; false when it already has one. */
export async function setPublicIpIfNone(trx: Q, id: string, ip: string): Promise<boolean> {
  const r = await trx.updateTable('instances').set({ public_ip: ip }).where('id', '=', id).where('public_ip', '=', '').executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Compare-and-set: changes the row only while its status is still `status`; false when it moved on. */
export async function updateInstanceIfStatus(trx: Q, id: string, status: string, patch: Partial<InstanceRow>): Promise<boolean> {
  const r = await trx.updateTable('instances').set(patch).where('id', '=', id).where('status', '=', status).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Changes status and records the transition in one place, for handlers and reconcilers alike.
 * Compare-and-set: the row moves only while it is still live and in `row.status`, the status the
 * caller checked; false (nothing written) when another request or replica moved it first. A
 * handler then answers its status error (throwing, so its transaction rolls back); a reconciler
 * re-reads the row on its next run.
 */
export async function setInstanceStatus(trx: Q, row: Pick<InstanceRow, 'id' | 'status'>, to: string, now: number, patch: Partial<InstanceRow> = {}): Promise<boolean> {
  const r = await trx.updateTable('instances').set({ ...patch, status: to, status_changed_at: now })
    .where('id', '=', row.id).where('status', '=', row.status).where('deleted_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (row.status !== to) {
    await trx.insertInto('transitions').values({ resource_id: row.id, from_status: row.status, to_status: to, at: now }).execute();
  }
  return true;
}

/** Columns a compare-and-set may hold besides the status: the lifecycle's marks on the row. */
export type CasGuard = 'expires_at' | 'expiry_stopped_at' | 'spot_termination_at';

/**
 * setInstanceStatus's compare-and-set for the engine's lifecycles (subscriptions, spot): the row
 * moves only while it is live, in `seen.status`, and each of `guards` still holds what `seen`
 * showed (null included); `patch` is written, and a status change records its transition.
 * `bumpMetadata`: the change reaches the guest's metadata service (the generation moves).
 */
export async function casInstanceRow<G extends CasGuard>(
  trx: Q, seen: Pick<InstanceRow, 'id' | 'status' | G>, guards: G[], patch: Partial<InstanceRow>, now: number, bumpMetadata = false,
): Promise<boolean> {
  const statusChanges = patch.status !== undefined && patch.status !== seen.status;
  let q = trx.updateTable('instances')
    .set((eb) => ({
      ...patch,
      ...(statusChanges ? { status_changed_at: now } : {}),
      ...(bumpMetadata ? { metadata_generation: eb('metadata_generation', '+', 1) } : {}),
    }))
    .where('id', '=', seen.id).where('status', '=', seen.status).where('deleted_at', 'is', null);
  for (const g of guards as CasGuard[]) {
    const v = (seen as Pick<InstanceRow, CasGuard>)[g];
    q = v === null ? q.where(g, 'is', null) : q.where(g, '=', v);
  }
  const r = await q.executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (statusChanges) await trx.insertInto('transitions').values({ resource_id: seen.id, from_status: seen.status, to_status: patch.status!, at: now }).execute();
  return true;
}

export async function countLiveInstances(db: Q, accountId: string): Promise<number> {
  const r = await db.selectFrom('instances').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function securityGroupsOf(db: Q, instanceIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (instanceIds.length === 0) return out;
  const rows = await db.selectFrom('instance_security_groups').select(['instance_id', 'security_group_id'])
    .where('instance_id', 'in', instanceIds).orderBy('position').execute();
  for (const r of rows) {
    const list = out.get(r.instance_id) ?? [];
    list.push(r.security_group_id);
    out.set(r.instance_id, list);
  }
  return out;
}

/** Also every instance's creation: its groups are set in the transaction that inserts it. */
export async function setSecurityGroups(trx: Q, instanceId: string, groupIds: string[]): Promise<void> {
  await trx.deleteFrom('instance_security_groups').where('instance_id', '=', instanceId).execute();
  await requestSecurityPolicy(trx);
  if (groupIds.length === 0) return;
  await trx.insertInto('instance_security_groups')
    .values(groupIds.map((g, i) => ({ instance_id: instanceId, security_group_id: g, position: i })))
    .execute();
}

export async function disksOfInstances(db: Q, instanceIds: string[]): Promise<DiskRow[]> {
  if (instanceIds.length === 0) return [];
  return db.selectFrom('disks').selectAll().where('instance_id', 'in', instanceIds).orderBy('device').execute();
}

export async function insertDisk(trx: Q, row: DiskRow): Promise<void> {
  await trx.insertInto('disks').values(row).execute();
}

/** Instances whose AutoReleaseTime has come. */
export async function dueForRelease(db: Q, now: number): Promise<InstanceRow[]> {
  return db.selectFrom('instances').selectAll()
    .where('deleted_at', 'is', null).where('auto_release_time', 'is not', null).where('auto_release_time', '<=', now)
    .limit(100).execute();
}

/** Instances the engine must keep converged after a restart. */
export async function liveInstanceIds(db: Q): Promise<string[]> {
  const rows = await db.selectFrom('instances').select('id').where('deleted_at', 'is', null).execute();
  return rows.map((r) => r.id);
}

/**
 * Releases an instance in one transaction: hides it, frees its addresses and group memberships,
 * releases disks marked DeleteWithInstance and detaches the others, drops its tags. The driver
 * is told by the engine afterwards.
 */
export async function releaseInstance(trx: Q, row: Pick<InstanceRow, 'id' | 'status'>, now: number): Promise<boolean> {
  // Compare-and-set, as setInstanceStatus: a release checked against a status that has moved on
  // (or an instance another request released first) changes nothing.
  const r = await trx.updateTable('instances').set({ deleted_at: now, desired_status: 'Deleted', auto_release_time: null })
    .where('id', '=', row.id).where('status', '=', row.status).where('deleted_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await trx.insertInto('transitions').values({ resource_id: row.id, from_status: row.status, to_status: 'Deleted', at: now }).execute();
  await releasePrivateIps(trx, row.id);
  await releasePublicIps(trx, row.id);
  // Its EIP stays in the account, Available again (it is not released with the instance).
  await dropEipsOfInstance(trx, row.id, now);
  await releaseInstanceInterfaces(trx, row.id, now);
  await trx.deleteFrom('instance_security_groups').where('instance_id', '=', row.id).execute();
  // Its RAM role's credentials end with it (src/auth/instance-credentials.ts).
  await trx.deleteFrom('sts_sessions').where('instance_id', '=', row.id).execute();
  await requestSecurityPolicy(trx, now);
  const doomed = await trx.selectFrom('disks').select('id').where('instance_id', '=', row.id).where('delete_with_instance', '=', 1).execute();
  if (doomed.length) {
    const ids = doomed.map((d) => d.id);
    await keepReleasedDisks(trx, ids, now);
    await releaseDiskDependents(trx, ids);
    await trx.deleteFrom('tags').where('resource_id', 'in', ids).execute();
    await trx.deleteFrom('disks').where('id', 'in', ids).execute();
  }
  // A detached disk is pay-as-you-go, whatever it was bought as with the instance.
  await trx.updateTable('disks').set({ instance_id: '', status: 'Available', device: '', detached_at: now, charge_type: 'PostPaid' })
    .where('instance_id', '=', row.id).execute();
  await trx.deleteFrom('tags').where('resource_id', '=', row.id).execute();
  return true;
}
