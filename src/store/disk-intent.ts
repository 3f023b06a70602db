/**
 * Intent on disk bytes (migration 0013): what ResizeDisk and ResetDisk ask of a disk, what the
 * `disk-content` reconciler clears once the driver has done it, and what instances and snapshots
 * wait for. Every write is conditional on what the writer read, so a request arriving while the
 * reconciler works is never cleared with the one before it.
 */
import type { Kysely, Transaction } from 'kysely';
import { abandoned, contentPending, resizeIntent, type ContentPlan } from '../domain/storage/disk-content.js';
import type { Database } from './schema.js';
import type { DiskRow } from './storage.js';

type Q = Kysely<Database> | Transaction<Database>;

async function recordEvent(trx: Q, id: string, from: string, to: string, now: number): Promise<void> {
  await trx.insertInto('transitions').values({ resource_id: id, from_status: from, to_status: to, at: now }).execute();
}

/** ResizeDisk: the new size, while the disk still has the size and status the handler checked. */
export async function requestResize(trx: Q, d: Pick<DiskRow, 'id' | 'status' | 'size' | 'resize_from'>, newSize: number): Promise<boolean> {
  const r = await trx.updateTable('disks').set(resizeIntent(d, newSize))
    .where('id', '=', d.id).where('status', '=', d.status).where('size', '=', d.size).executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** ResetDisk: the snapshot to roll back to, recorded with the rollback in the disk's transitions. */
export async function requestReset(trx: Q, d: Pick<DiskRow, 'id' | 'status'>, snapshotId: string, now: number): Promise<boolean> {
  const r = await trx.updateTable('disks').set({ reset_snapshot_id: snapshotId })
    .where('id', '=', d.id).where('status', '=', d.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  await recordEvent(trx, d.id, d.status, `${d.status}:reset:${snapshotId}`, now);
  return true;
}

/** ReInitDisk drops the bytes, so a rollback not yet applied has nothing left to roll back. */
export async function dropReset(trx: Q, diskId: string): Promise<void> {
  await trx.updateTable('disks').set({ reset_snapshot_id: '' }).where('id', '=', diskId).execute();
}

/**
 * The driver did `plan`: clears what it did. A reset is cleared only if it is still the one applied;
 * a resize only if the size is still the one applied, else the applied size becomes the size to
 * fall back to and the newer resize stays pending.
 */
export async function clearApplied(trx: Q, diskId: string, plan: ContentPlan): Promise<void> {
  if (plan.resetTo) {
    await trx.updateTable('disks').set({ reset_snapshot_id: '' }).where('id', '=', diskId).where('reset_snapshot_id', '=', plan.resetTo).execute();
  }
  if (plan.resizeTo) {
    const r = await trx.updateTable('disks').set({ resize_from: 0 }).where('id', '=', diskId).where('size', '=', plan.resizeTo).executeTakeFirst();
    if (Number(r.numUpdatedRows) === 0) {
      await trx.updateTable('disks').set({ resize_from: plan.resizeTo }).where('id', '=', diskId).where('resize_from', '>', 0).execute();
    }
  }
}

/**
 * The driver could not do it: the disk goes back to what its bytes are, and the transitions say
 * what was given up. Only the intent that was read is given up (a newer request gets its own tries).
 */
export async function abandonContent(trx: Q, d: DiskRow, now: number): Promise<string[]> {
  const { patch, events } = abandoned(d);
  const r = await trx.updateTable('disks').set(patch)
    .where('id', '=', d.id).where('size', '=', d.size).where('reset_snapshot_id', '=', d.reset_snapshot_id).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return [];
  for (const e of events) await recordEvent(trx, d.id, d.status, e, now);
  return events;
}

/** Disks of the instance whose bytes are not yet what their rows say (an instance does not boot from them). */
export async function disksAwaitingContent(db: Q, instanceId: string): Promise<string[]> {
  const disks = await db.selectFrom('disks').select(['id', 'status', 'size', 'resize_from', 'reset_snapshot_id'])
    .where('instance_id', '=', instanceId).execute();
  const waiting = disks.filter(contentPending).map((d) => d.id);
  const ids = disks.map((d) => d.id);
  if (ids.length) {
    // A snapshot asked for before the start freezes the bytes the disk had then.
    const unfrozen = await db.selectFrom('snapshots').select('source_disk_id').where('source_disk_id', 'in', ids)
      .where('status', '=', 'progressing').where('taken_at', 'is', null).where('source_snapshot_id', '=', '').execute();
    for (const s of unfrozen) if (!waiting.includes(s.source_disk_id)) waiting.push(s.source_disk_id);
  }
  return waiting;
}

/** Whether a disk still has to be rolled back to the snapshot (its file must stay until then). */
export async function resetPendingFrom(db: Q, snapshotId: string): Promise<boolean> {
  // The `!= ''` term lets both stores use the partial index disks_pending_reset (migration 0013).
  const r = await db.selectFrom('disks').select('id').where('reset_snapshot_id', '!=', '').where('reset_snapshot_id', '=', snapshotId).executeTakeFirst();
  return r !== undefined;
}

export async function markSnapshotTaken(trx: Q, snapshotId: string, now: number): Promise<void> {
  await trx.updateTable('snapshots').set({ taken_at: now }).where('id', '=', snapshotId).where('taken_at', 'is', null).execute();
}
