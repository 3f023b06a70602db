/**
 * Disk bytes follow the store. A driver with disk files removes those of disks the store no longer
 * has; a transaction that deletes disk or snapshot rows enqueues, in the same transaction, the
 * operations that remove their files, so a crash or a driver error cannot leave them behind.
 */
import type { ComputeDriver } from '../compute/driver.js';
import type { Db } from '../store/db.js';
import { allDiskIds } from '../store/storage.js';
import type { NewOperation } from './operations.js';

/** The operation kind that brings a disk's bytes to its row (src/engine/reconcilers/disk-content.ts). */
export const DISK_CONTENT = 'disk-content';

export async function collectDiskFiles(db: Db, driver: ComputeDriver): Promise<void> {
  if (!driver.collectDisks) return;
  // Files written after the ids were read may belong to disks created meanwhile: they are left alone.
  const asOf = Date.now();
  await driver.collectDisks(await allDiskIds(db), asOf);
}

/**
 * Enqueues the removal of the files of deleted disks (`disk-content` of a missing row) and deleted
 * snapshots (`snapshot` of a missing row). A snapshot id whose row still exists costs one look.
 */
export async function enqueueFileRemoval(
  enqueue: (op: NewOperation) => Promise<void>, dueAt: number, gone: { diskIds?: readonly string[]; snapshotIds?: readonly string[] },
): Promise<void> {
  for (const id of gone.diskIds ?? []) await enqueue({ kind: DISK_CONTENT, resourceId: id, dueAt });
  for (const id of gone.snapshotIds ?? []) await enqueue({ kind: 'snapshot', resourceId: id, dueAt });
}
