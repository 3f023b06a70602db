/**
 * Elastic IP addresses (migration 0036). An EIP's address is held in `public_ips` too (kind
 * `eip`, holder its allocation id): one pool with the instances' NAT public addresses.
 *
 *   insertEip(trx, row)                         → a new EIP (Available)
 *   setEipStatus(trx, row, to, now, patch?)     → compare-and-set on the status read, with a transition row
 *   deleteEip(trx, row, now)                     → compare-and-set delete; frees the address and the tags, kept for the meter
 *   eipsOfInstances(db, ids)                     → the EIP each instance has (any status but Available)
 *   dropEipsOfInstance(trx, instanceId, now)     → a released instance's EIPs are Available again
 *   eipsOfInterfaces(db, eniIds)                 → the EIPs of each secondary ENI, by private address
 *   dropEipsOfInterface(trx, eniId, now, ips?)   → a deleted ENI's (or unassigned addresses') EIPs are Available again
 */
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database, EipTable } from './schema.js';
import { releasePublicIps } from './public-ips.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';

type Q = Kysely<Database> | Transaction<Database>;
export type EipRow = Selectable<EipTable>;

export interface EipFilter {
  accountId: string;
  regionId?: string;
  ids?: string[];
  addresses?: string[];
  status?: string;
  instanceId?: string;
  instanceType?: string;
  resourceGroupId?: string;
  name?: string;
  chargeType?: string;
  isp?: string;
  createdFrom?: number;
  createdTo?: number;
}

export async function insertEip(trx: Q, row: Insertable<EipTable>): Promise<void> {
  await trx.insertInto('eips').values(row).execute();
}

export async function findEip(db: Q, scope: { accountId: string; regionId?: string }, id: string): Promise<EipRow | undefined> {
  let q = db.selectFrom('eips').selectAll().where('id', '=', id).where('account_id', '=', scope.accountId);
  if (scope.regionId) q = q.where('region_id', '=', scope.regionId);
  return q.executeTakeFirst();
}

/** The engine's read: by id alone. */
export async function getEipForEngine(db: Q, id: string): Promise<EipRow | undefined> {
  return db.selectFrom('eips').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listEips(db: Q, f: EipFilter, w: { offset: number; limit: number }): Promise<{ rows: EipRow[]; total: number }> {
  let q = db.selectFrom('eips').where('account_id', '=', f.accountId);
  if (f.regionId) q = q.where('region_id', '=', f.regionId);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.addresses) q = q.where('ip_address', 'in', f.addresses.length ? f.addresses : ['']);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.instanceId !== undefined) q = q.where('instance_id', '=', f.instanceId);
  if (f.instanceType !== undefined) q = q.where('instance_type', '=', f.instanceType);
  if (f.resourceGroupId) q = q.where('resource_group_id', '=', f.resourceGroupId);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.chargeType) q = q.where('charge_type', '=', f.chargeType);
  if (f.isp) q = q.where('isp', '=', f.isp);
  if (f.createdFrom !== undefined) q = q.where('created_at', '>=', f.createdFrom);
  if (f.createdTo !== undefined) q = q.where('created_at', '<=', f.createdTo);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(w.limit).offset(w.offset).execute();
  return { rows, total: Number(total?.n ?? 0) };
}

export async function countEips(db: Q, accountId: string, regionId: string): Promise<number> {
  const r = await db.selectFrom('eips').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function updateEip(trx: Q, id: string, set: Updateable<EipTable>): Promise<void> {
  if (Object.keys(set).length) await trx.updateTable('eips').set(set).where('id', '=', id).execute();
}

/** Moves an EIP from the status read to `to` (`unprotected`: only without deletion protection); false when it has moved on (or is gone) meanwhile. */
export async function setEipStatus(trx: Q, row: Pick<EipRow, 'id' | 'status'>, to: string, now: number, patch: Updateable<EipTable> = {}, unprotected = false): Promise<boolean> {
  let q = trx.updateTable('eips').set({ ...patch, status: to }).where('id', '=', row.id).where('status', '=', row.status);
  if (unprotected) q = q.where('deletion_protection', '=', 0);
  const r = await q.executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (to !== row.status) await trx.insertInto('transitions').values({ resource_id: row.id, from_status: row.status, to_status: to, at: now }).execute();
  return true;
}

/**
 * Deletes an EIP still in the status read, with its address and tags; false when it moved on.
 * What the meter needs to bill its last partial hour stays in `released_eips` (billed from there).
 */
export async function deleteEip(trx: Q, row: Pick<EipRow, 'id' | 'status'>, now: number): Promise<boolean> {
  const gone = await trx.deleteFrom('eips').where('id', '=', row.id).where('status', '=', row.status)
    .returning(['account_id', 'region_id', 'bandwidth', 'internet_charge_type', 'created_at']).executeTakeFirst();
  if (!gone) return false;
  await trx.insertInto('released_eips').values({ ...gone, eip_id: row.id, released_at: now }).execute();
  await releasePublicIps(trx, row.id);
  await trx.deleteFrom('tags').where('resource_id', '=', row.id).execute();
  return true;
}

/** The EIP associated with (or associating to, or unassociating from) each instance. */
export async function eipsOfInstances(db: Q, instanceIds: string[]): Promise<Map<string, EipRow>> {
  if (instanceIds.length === 0) return new Map();
  const rows = await db.selectFrom('eips').selectAll().where('instance_id', 'in', instanceIds).where('instance_type', '=', 'EcsInstance').execute();
  return new Map(rows.map((r) => [r.instance_id, r]));
}

/** The instance each of the account's EIP addresses is associated with (addresses of no instance left out). */
export async function eipsOfAddresses(db: Q, accountId: string, addresses: string[]): Promise<Map<string, string>> {
  if (addresses.length === 0) return new Map();
  const rows = await db.selectFrom('eips').select(['ip_address', 'instance_id']).where('account_id', '=', accountId)
    .where('ip_address', 'in', addresses).where('instance_type', '=', 'EcsInstance').where('instance_id', '!=', '').execute();
  return new Map(rows.map((r) => [r.ip_address, r.instance_id]));
}

/** Whether the instance has an EIP in any status (Associating, InUse, Unassociating). */
export async function instanceHasEip(db: Q, instanceId: string): Promise<boolean> {
  return (await eipsOfInstances(db, [instanceId])).size > 0;
}

/**
 * A released instance lets go of its EIP, which stays in the account, Available (the EIP is not
 * released with the instance; its billing goes on). Called in the releasing transaction.
 */
export async function dropEipsOfInstance(trx: Q, instanceId: string, now: number): Promise<void> {
  const held = await trx.selectFrom('eips').select(['id', 'status']).where('instance_id', '=', instanceId).where('instance_type', '=', 'EcsInstance').execute();
  for (const e of held) await setEipStatus(trx, e, 'Available', now, { instance_id: '', instance_type: '' });
}

/** The EIPs associated with (or associating to, unassociating from) each secondary ENI, by the ENI's private address. */
export async function eipsOfInterfaces(db: Q, eniIds: string[]): Promise<Map<string, Map<string, EipRow>>> {
  const out = new Map<string, Map<string, EipRow>>();
  if (eniIds.length === 0) return out;
  const rows = await db.selectFrom('eips').selectAll().where('instance_id', 'in', eniIds).where('instance_type', '=', 'NetworkInterface').execute();
  for (const r of rows) (out.get(r.instance_id) ?? out.set(r.instance_id, new Map()).get(r.instance_id)!).set(r.private_ip, r);
  return out;
}

/**
 * An ENI deleted (or some of its secondary addresses unassigned: `ips`) lets go of the EIPs
 * on it, which stay in the account, Available, as dropEipsOfInstance does for an instance.
 */
export async function dropEipsOfInterface(trx: Q, eniId: string, now: number, ips?: readonly string[]): Promise<void> {
  let q = trx.selectFrom('eips').select(['id', 'status']).where('instance_id', '=', eniId).where('instance_type', '=', 'NetworkInterface');
  if (ips) q = q.where('private_ip', 'in', ips.length ? [...ips] : ['']);
  const held = await q.execute();
  for (const e of held) await setEipStatus(trx, e, 'Available', now, { instance_id: '', instance_type: '', private_ip: '' });
  // Their NAT comes off the wire.
  if (held.length) await requestSecurityPolicy(trx, now);
}
