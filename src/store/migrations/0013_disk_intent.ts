import { sql, type Kysely } from 'kysely';

/**
 * Side effects on disk bytes go through the engine (src/engine/reconcilers/disk-content.ts): the
 * API records what the bytes should become and the reconciler makes the driver match.
 * - `disks.reset_snapshot_id`: ResetDisk's snapshot, until the bytes are rolled back ('' = none).
 * - `disks.resize_from`: the size (GiB) the bytes had before a ResizeDisk not yet applied (0 = none);
 *   `size` is already the new one.
 * - `snapshots.taken_at`: when the driver froze the snapshot's bytes (null: not yet; copies share
 *   their source's bytes and keep null).
 * A snapshot's file is removed only once no disk is still to be rolled back to it: a partial index
 * keeps that look-up cheap (few disks ever have a reset pending).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('disks').addColumn('reset_snapshot_id', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('disks').addColumn('resize_from', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('snapshots').addColumn('taken_at', 'bigint').execute();
  await db.schema.createIndex('disks_pending_reset').on('disks').column('reset_snapshot_id')
    .where(sql.ref('reset_snapshot_id'), '!=', sql.lit('')).execute();
  // Snapshots finished before this migration had their bytes frozen the old way.
  await db.updateTable('snapshots').set((eb) => ({ taken_at: eb.ref('created_at') })).where('status', '!=', 'progressing').where('source_snapshot_id', '=', '').execute();
}
