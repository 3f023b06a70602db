/**
 * Row locks for checks made inside a writing transaction (quotas, device slots, a disk's status).
 * On PostgreSQL the row is read `FOR UPDATE`, so a second transaction checking the same parent waits
 * for the first one's commit and then counts what it wrote (READ COMMITTED re-reads each
 * statement); on SQLite the read is plain, writers being serialised by the database anyway.
 *
 * Take locks parent first, in this order, so two transactions never wait on each other in a
 * cycle: accounts → vpcs → security_groups → instances → disks.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { forUpdate } from './dialect.js';

type Q = Kysely<Database> | Transaction<Database>;

export type LockableTable = 'accounts' | 'vpcs' | 'security_groups' | 'instances' | 'disks';

/** Locks the rows `ids` of `table` until the transaction ends; the ids that exist, sorted. */
export async function lockRows(trx: Q, table: LockableTable, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  // One statement, in id order: concurrent lockers of overlapping sets take them in the same order.
  const q = (trx as Kysely<any>).selectFrom(table).select('id').where('id', 'in', [...new Set(ids)]).orderBy('id');
  const rows = await forUpdate(trx, q).execute();
  return rows.map((r: { id: string }) => r.id);
}

/** Locks one row; false when it does not exist. */
export async function lockRow(trx: Q, table: LockableTable, id: string): Promise<boolean> {
  return (await lockRows(trx, table, [id])).length === 1;
}

/** The account's row: what a per-account (or per-account-and-region) quota check locks. */
export function lockAccount(trx: Q, accountId: string): Promise<boolean> {
  return lockRow(trx, 'accounts', accountId);
}
