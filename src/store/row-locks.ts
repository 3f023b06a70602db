/**
 * Row locks for checks made inside a writing transaction (quotas, device slots, a disk's status,
 * a resource still there and unused). On PostgreSQL the row is read `FOR UPDATE` (or `FOR SHARE`
 * by a request that only needs the row to stay as it is: many launches from one image at once), so
 * a second transaction checking the same parent waits for the first one's commit and then counts
 * what it wrote (READ COMMITTED re-reads each statement); on SQLite the read is plain, writers being
 * serialised by the database anyway.
 *
 * Take locks parent first, in this one global order (LOCK_ORDER), so two transactions never wait on
 * each other in a cycle:
 *   accounts → resource_groups → vpcs → prefix_lists → security_groups → (ram_roles) → vswitches → images →
 *   instances → network_interfaces → eips → disks → snapshots → auto_snapshot_policies → key_pairs.
 * A resource group is taken first of all by the create that puts a resource in it and by
 * DeleteResourceGroup; an image by RunInstances, CreateInstance, ReplaceSystemDisk and CopyImage
 * (shared) and by DeleteImage; a VSwitch's row by every allocation of its private addresses
 * (store/network.ts) and by DeleteVSwitch; a snapshot's by DeleteSnapshot and by the requests that
 * make a disk or an image of it, launch from it, copy it or roll a disk back to it; a policy's by
 * ApplyAutoSnapshotPolicy and DeleteAutoSnapshotPolicy; a prefix list's by ModifyPrefixList, DeletePrefixList
 * and every rule write naming it (before the group's row); the tag actions take the rows of the
 * resources they tag (one table per request). `ram_roles` is locked by name (instance-role-check.ts).
 * A shared lock is never followed by a write to the same row in its transaction (two sharers that
 * both upgrade would deadlock).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { forShare, forUpdate } from './dialect.js';

type Q = Kysely<Database> | Transaction<Database>;

/** The lockable tables in the order a transaction takes them. */
export const LOCK_ORDER = [
  'accounts', 'resource_groups', 'vpcs', 'prefix_lists', 'security_groups', 'vswitches', 'images', 'instances', 'network_interfaces', 'eips', 'disks',
  'snapshots', 'auto_snapshot_policies', 'key_pairs',
] as const;

export type LockableTable = typeof LOCK_ORDER[number];

/** `update`: the row will change or go (the check guards a delete); `share`: the row must only stay. */
export type LockMode = 'update' | 'share';

/** Locks the rows `ids` of `table` until the transaction ends; the ids that exist, sorted. */
export async function lockRows(trx: Q, table: LockableTable, ids: string[], mode: LockMode = 'update'): Promise<string[]> {
  if (ids.length === 0) return [];
  // One statement, in id order: concurrent lockers of overlapping sets take them in the same order.
  const q = (trx as Kysely<any>).selectFrom(table).select('id').where('id', 'in', [...new Set(ids)]).orderBy('id');
  const rows = await (mode === 'share' ? forShare(trx, q) : forUpdate(trx, q)).execute();
  return rows.map((r: { id: string }) => r.id);
}

/** Locks one row; false when it does not exist. */
export async function lockRow(trx: Q, table: LockableTable, id: string, mode: LockMode = 'update'): Promise<boolean> {
  return (await lockRows(trx, table, [id], mode)).length === 1;
}

/** The account's row: what a per-account (or per-account-and-region) quota check locks. */
export function lockAccount(trx: Q, accountId: string): Promise<boolean> {
  return lockRow(trx, 'accounts', accountId);
}
