/**
 * Block storage queries: disks (beyond what launching an instance writes), snapshots, automatic
 * snapshot policies and the disks they apply to, and the per-account quotas of this family.
 */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import { STORAGE_QUOTAS, type StorageQuota } from '../domain/storage/quotas.js';
import type { AutoSnapshotPolicyTable, Database, DiskTable, SnapshotTable } from './schema.js';
import { dialectOf, matchesWildcard } from './dialect.js';
import { keepReleasedDisks } from './released-disks.js';

type Q = Kysely<Database> | Transaction<Database>;
export type DiskRow = Selectable<DiskTable>;
export type SnapshotRow = Selectable<SnapshotTable>;
export type PolicyRow = Selectable<AutoSnapshotPolicyTable>;

const none = (ids: string[]) => (ids.length ? ids : ['']);

/** The account's value for a quota, or the default (SetAccountQuota overrides it). */
export async function quotaOf(db: Q, accountId: string, name: StorageQuota): Promise<number> {
  const r = await db.selectFrom('quotas').select('value').where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
  return r ? Number(r.value) : STORAGE_QUOTAS[name];
}

async function recordTransition(trx: Q, id: string, from: string, to: string, now: number) {
  if (from !== to) await trx.insertInto('transitions').values({ resource_id: id, from_status: from, to_status: to, at: now }).execute();
}

// ---------------------------------------------------------------- disks

export interface DiskFilter {
  accountId: string;
  regionId: string;
  ids?: string[];
  zoneId?: string;
  instanceId?: string;
  type?: string;
  category?: string;
  status?: string;
  snapshotId?: string;
  portable?: boolean;
  deleteWithInstance?: boolean;
  deleteAutoSnapshot?: boolean;
  enableAutoSnapshot?: boolean;
  /** EnableAutomatedSnapshotPolicy: whether a policy is applied. */
  hasPolicy?: boolean;
  policyId?: string;
  name?: string;
  encrypted?: boolean;
  resourceGroupId?: string;
  taggedIds?: string[];
  createdFrom?: number;
  createdTo?: number;
  /** PrePaid | PostPaid (DiskChargeType). */
  chargeType?: string;
}

function disksWhere(db: Q, f: DiskFilter) {
  let q = db.selectFrom('disks').where('account_id', '=', f.accountId).where('region_id', '=', f.regionId);
  if (f.ids) q = q.where('id', 'in', none(f.ids));
  if (f.taggedIds) q = q.where('id', 'in', none(f.taggedIds));
  if (f.zoneId) q = q.where('zone_id', '=', f.zoneId);
  if (f.instanceId) q = q.where('instance_id', '=', f.instanceId);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.chargeType) q = q.where('charge_type', '=', f.chargeType);
  if (f.category) q = q.where('category', '=', f.category);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.snapshotId) q = q.where('source_snapshot_id', '=', f.snapshotId);
  if (f.portable !== undefined) q = q.where('portable', '=', f.portable ? 1 : 0);
  if (f.deleteWithInstance !== undefined) q = q.where('delete_with_instance', '=', f.deleteWithInstance ? 1 : 0);
  if (f.deleteAutoSnapshot !== undefined) q = q.where('delete_auto_snapshot', '=', f.deleteAutoSnapshot ? 1 : 0);
  if (f.enableAutoSnapshot !== undefined) q = q.where('enable_auto_snapshot', '=', f.enableAutoSnapshot ? 1 : 0);
  if (f.encrypted !== undefined) q = q.where('encrypted', '=', f.encrypted ? 1 : 0);
  if (f.resourceGroupId) q = q.where('resource_group_id', '=', f.resourceGroupId);
  if (f.name) q = f.name.includes('*') ? q.where(matchesWildcard(dialectOf(db), 'name', f.name)) : q.where('name', '=', f.name);
  if (f.createdFrom !== undefined) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('created_at', '<=', f.createdTo);
  if (f.policyId) {
    const pid = f.policyId;
    q = q.where('id', 'in', (eb) => eb.selectFrom('disk_policies').select('disk_id').where('policy_id', '=', pid));
  }
  if (f.hasPolicy !== undefined) {
    const sub = (eb: any) => eb.selectFrom('disk_policies').select('disk_id').where('account_id', '=', f.accountId);
    q = f.hasPolicy ? q.where('id', 'in', sub) : q.where('id', 'not in', sub);
  }
  return q;
}

export async function countDisks(db: Q, f: DiskFilter): Promise<number> {
  const r = await disksWhere(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function listDisks(db: Q, f: DiskFilter, offset: number, limit: number): Promise<DiskRow[]> {
  return disksWhere(db, f).selectAll().orderBy('created_at', 'desc').orderBy('id').offset(offset).limit(limit).execute();
}

export async function getDisk(db: Q, accountId: string, id: string): Promise<DiskRow | undefined> {
  return db.selectFrom('disks').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export async function getDiskForEngine(db: Q, id: string): Promise<DiskRow | undefined> {
  return db.selectFrom('disks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countAccountDisks(db: Q, accountId: string): Promise<number> {
  const r = await db.selectFrom('disks').select((eb) => eb.fn.countAll<number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Disks on an instance (any status that holds a device). */
export async function disksOn(db: Q, instanceId: string): Promise<DiskRow[]> {
  return db.selectFrom('disks').selectAll().where('instance_id', '=', instanceId).orderBy('device').execute();
}

export async function updateDisk(trx: Q, id: string, patch: Partial<DiskRow>): Promise<void> {
  await trx.updateTable('disks').set(patch).where('id', '=', id).execute();
}

/** Applies `patch` only while the disk still has the status the caller checked; false when it moved on. */
export async function updateDiskIfStatus(trx: Q, id: string, status: string, patch: Partial<DiskRow>): Promise<boolean> {
  const r = await trx.updateTable('disks').set(patch).where('id', '=', id).where('status', '=', status).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/**
 * Compare-and-set: the disk moves only while it is still in `row.status`, the status the caller
 * checked; false (nothing written) when another request or replica moved it first.
 */
export async function setDiskStatus(trx: Q, row: Pick<DiskRow, 'id' | 'status'>, to: string, now: number, patch: Partial<DiskRow> = {}): Promise<boolean> {
  if (!(await updateDiskIfStatus(trx, row.id, row.status, { ...patch, status: to }))) return false;
  await recordTransition(trx, row.id, row.status, to, now);
  return true;
}

/**
 * What goes with released disks: their policy binding, and their automatic snapshots unless
 * DeleteAutoSnapshot=false (000:L912–914, L1255); manual snapshots stay. Call before deleting the rows.
 */
export async function releaseDiskDependents(trx: Q, diskIds: string[]): Promise<void> {
  if (diskIds.length === 0) return;
  const rows = await trx.selectFrom('disks').select(['id', 'delete_auto_snapshot']).where('id', 'in', diskIds).execute();
  const purge = rows.filter((r) => r.delete_auto_snapshot === 1).map((r) => r.id);
  if (purge.length) {
    const autos = await trx.selectFrom('snapshots').select('id').where('source_disk_id', 'in', purge).where('type', '=', 'auto').execute();
    await deleteSnapshots(trx, autos.map((s) => s.id));
  }
  await trx.deleteFrom('disk_policies').where('disk_id', 'in', diskIds).execute();
}

/** Deletes one disk and what goes with it (its last partial hour stays for the meter). */
export async function deleteDiskRow(trx: Q, diskId: string, now: number): Promise<void> {
  await keepReleasedDisks(trx, [diskId], now);
  await releaseDiskDependents(trx, [diskId]);
  await trx.deleteFrom('tags').where('resource_id', '=', diskId).execute();
  await trx.deleteFrom('disks').where('id', '=', diskId).execute();
}

// ---------------------------------------------------------------- snapshots

export interface SnapshotFilter {
  accountId: string;
  regionId: string;
  ids?: string[];
  diskId?: string;
  instanceId?: string;
  name?: string;
  status?: string;
  type?: string;
  sourceDiskType?: string;
  category?: string;
  encrypted?: boolean;
  resourceGroupId?: string;
  taggedIds?: string[];
  createdFrom?: number;
  createdTo?: number;
}

function snapshotsWhere(db: Q, f: SnapshotFilter) {
  let q = db.selectFrom('snapshots').where('account_id', '=', f.accountId).where('region_id', '=', f.regionId);
  if (f.ids) q = q.where('id', 'in', none(f.ids));
  if (f.taggedIds) q = q.where('id', 'in', none(f.taggedIds));
  if (f.diskId) q = q.where('source_disk_id', '=', f.diskId);
  if (f.instanceId) q = q.where('source_instance_id', '=', f.instanceId);
  if (f.name) q = f.name.includes('*') ? q.where(matchesWildcard(dialectOf(db), 'name', f.name)) : q.where('name', '=', f.name);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.sourceDiskType) q = q.where('source_disk_type', '=', f.sourceDiskType);
  if (f.category) q = q.where('category', '=', f.category);
  if (f.encrypted !== undefined) q = q.where('encrypted', '=', f.encrypted ? 1 : 0);
  if (f.resourceGroupId) q = q.where('resource_group_id', '=', f.resourceGroupId);
  if (f.createdFrom !== undefined) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('created_at', '<=', f.createdTo);
  return q;
}

export async function countSnapshots(db: Q, f: SnapshotFilter): Promise<number> {
  const r = await snapshotsWhere(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function listSnapshots(db: Q, f: SnapshotFilter, offset: number, limit: number): Promise<SnapshotRow[]> {
  return snapshotsWhere(db, f).selectAll().orderBy('created_at', 'desc').orderBy('id').offset(offset).limit(limit).execute();
}

export async function getSnapshot(db: Q, accountId: string, id: string): Promise<SnapshotRow | undefined> {
  return db.selectFrom('snapshots').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export async function getSnapshotForEngine(db: Q, id: string): Promise<SnapshotRow | undefined> {
  return db.selectFrom('snapshots').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function getSnapshotsByIds(db: Q, ids: string[]): Promise<SnapshotRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('snapshots').selectAll().where('id', 'in', ids).execute();
}

export async function insertSnapshot(trx: Q, row: Insertable<SnapshotTable>): Promise<void> {
  await trx.insertInto('snapshots').values(row).execute();
  await recordTransition(trx, row.id, '', row.status, row.created_at);
}

export async function updateSnapshot(trx: Q, id: string, patch: Partial<SnapshotRow>): Promise<void> {
  await trx.updateTable('snapshots').set(patch).where('id', '=', id).execute();
}

/** Compare-and-set, as setDiskStatus: false when the snapshot is gone or no longer in `row.status`. */
export async function setSnapshotStatus(trx: Q, row: Pick<SnapshotRow, 'id' | 'status'>, to: string, now: number): Promise<boolean> {
  const r = await trx.updateTable('snapshots').set({ status: to, modified_at: now }).where('id', '=', row.id).where('status', '=', row.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await recordTransition(trx, row.id, row.status, to, now);
  return true;
}

/** The disk's snapshots, newest first. */
export async function snapshotsOfDisk(db: Q, diskId: string): Promise<SnapshotRow[]> {
  return db.selectFrom('snapshots').selectAll().where('source_disk_id', '=', diskId).orderBy('created_at', 'desc').execute();
}

export async function deleteSnapshots(trx: Q, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('tags').where('resource_id', 'in', ids).execute();
  await trx.deleteFrom('snapshots').where('id', 'in', ids).execute();
}

/** Disks (of any account) created from the snapshot. */
export async function disksFromSnapshot(db: Q, snapshotId: string): Promise<DiskRow[]> {
  return db.selectFrom('disks').selectAll().where('source_snapshot_id', '=', snapshotId).execute();
}

export async function expiredSnapshots(db: Q, now: number, limit = 500): Promise<SnapshotRow[]> {
  return db.selectFrom('snapshots').selectAll().where('expires_at', 'is not', null).where('expires_at', '<=', now).limit(limit).execute();
}

// ---------------------------------------------------------------- automatic snapshot policies

export async function insertPolicy(trx: Q, row: PolicyRow): Promise<void> {
  await trx.insertInto('auto_snapshot_policies').values(row).execute();
}

export async function getPolicy(db: Q, accountId: string, regionId: string, id: string): Promise<PolicyRow | undefined> {
  return db.selectFrom('auto_snapshot_policies').selectAll()
    .where('id', '=', id).where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
}

export async function listPolicies(db: Q, accountId: string, regionId: string, f: { id?: string; name?: string; resourceGroupId?: string; taggedIds?: string[] }): Promise<PolicyRow[]> {
  let q = db.selectFrom('auto_snapshot_policies').selectAll().where('account_id', '=', accountId).where('region_id', '=', regionId);
  if (f.id) q = q.where('id', '=', f.id);
  if (f.name) q = q.where('name', '=', f.name);
  if (f.resourceGroupId) q = q.where('resource_group_id', '=', f.resourceGroupId);
  if (f.taggedIds) q = q.where('id', 'in', none(f.taggedIds));
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function countPolicies(db: Q, accountId: string, regionId: string): Promise<number> {
  const r = await db.selectFrom('auto_snapshot_policies').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function updatePolicy(trx: Q, id: string, patch: Partial<PolicyRow>): Promise<void> {
  await trx.updateTable('auto_snapshot_policies').set(patch).where('id', '=', id).execute();
}

export async function deletePolicy(trx: Q, id: string): Promise<void> {
  await trx.deleteFrom('disk_policies').where('policy_id', '=', id).execute();
  await trx.deleteFrom('tags').where('resource_id', '=', id).execute();
  await trx.deleteFrom('auto_snapshot_policies').where('id', '=', id).execute();
}

/** Policies due now that some disk uses (ApplyAutoSnapshotPolicy moves a stale next_run_at forward). */
export async function duePolicies(db: Q, now: number): Promise<PolicyRow[]> {
  return db.selectFrom('auto_snapshot_policies').selectAll().where('next_run_at', '<=', now)
    .where('id', 'in', (eb) => eb.selectFrom('disk_policies').select('policy_id')).execute();
}

/** Disk id → policy id, for the given disks. */
export async function policiesOfDisks(db: Q, diskIds: string[]): Promise<Map<string, string>> {
  if (diskIds.length === 0) return new Map();
  const rows = await db.selectFrom('disk_policies').selectAll().where('disk_id', 'in', diskIds).execute();
  return new Map(rows.map((r) => [r.disk_id, r.policy_id]));
}

export async function diskCountsOfPolicies(db: Q, policyIds: string[]): Promise<Map<string, number>> {
  if (policyIds.length === 0) return new Map();
  const rows = await db.selectFrom('disk_policies').select(['policy_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('policy_id', 'in', policyIds).groupBy('policy_id').execute();
  return new Map(rows.map((r) => [r.policy_id, Number(r.n)]));
}

export async function disksOfPolicy(db: Q, policyId: string): Promise<DiskRow[]> {
  return db.selectFrom('disks').selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('disk_policies').select('disk_id').where('policy_id', '=', policyId)).execute();
}

export async function applyPolicy(trx: Q, accountId: string, policyId: string, diskIds: string[]): Promise<void> {
  if (diskIds.length === 0) return;
  await trx.deleteFrom('disk_policies').where('disk_id', 'in', diskIds).execute();
  await trx.insertInto('disk_policies').values(diskIds.map((d) => ({ disk_id: d, policy_id: policyId, account_id: accountId }))).execute();
  await trx.updateTable('disks').set({ enable_auto_snapshot: 1 }).where('id', 'in', diskIds).execute();
}

export async function cancelPolicy(trx: Q, diskIds: string[]): Promise<void> {
  if (diskIds.length === 0) return;
  await trx.deleteFrom('disk_policies').where('disk_id', 'in', diskIds).execute();
}

/** Every disk id the store has (drivers with disk files remove the others: collectDisks). */
export async function allDiskIds(db: Q): Promise<Set<string>> {
  return new Set((await db.selectFrom('disks').select('id').execute()).map((r) => r.id));
}
