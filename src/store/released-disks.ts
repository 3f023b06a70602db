/**
 * Deleted pay-as-you-go disks kept for the meter (migration 0035): the meter bills disks at hour
 * boundaries (src/engine/metering.ts), so a disk deleted between two of them leaves what its last
 * partial hour is priced by. Called by every path that deletes disk rows, in its transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import { insertRows } from './batch.js';
import type { Database } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export async function keepReleasedDisks(trx: Q, diskIds: string[], now: number): Promise<void> {
  if (diskIds.length === 0) return;
  const rows = await trx.selectFrom('disks')
    .select(['id', 'account_id', 'region_id', 'zone_id', 'type', 'category', 'size', 'performance_level', 'created_at'])
    .where('id', 'in', diskIds).where('charge_type', '=', 'PostPaid').execute();
  await insertRows(trx, 'released_disks', rows.map(({ id, ...d }) => ({ ...d, disk_id: id, released_at: now })));
}
