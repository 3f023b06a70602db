/**
 * Makes a disk's bytes what its row says (`disk-content` operations, enqueued in the transaction of
 * ResizeDisk, ResetDisk, DeleteDisk and ReplaceSystemDisk):
 * - a disk with a pending reset is rolled back to the snapshot (qemu: a fresh overlay on the
 *   snapshot's file; run again, the same bytes), then a pending resize grows it to `size` (a resize
 *   already done is a no-op; qemu: `block_resize` on a running guest, `qemu-img resize` otherwise);
 * - a disk whose row is gone has its bytes removed (with the snapshot files only it held).
 * A driver error is thrown, so the engine logs it and retries with backoff; after CONTENT_ATTEMPTS
 * the change is abandoned and the disk row goes back to what its bytes are (see disk-content in
 * the domain), recorded in its transitions, so no instance waits on it for ever.
 */
import { contentPlan, CONTENT_ATTEMPTS, exhausted } from '../../domain/storage/disk-content.js';
import { abandonContent, clearApplied } from '../../store/disk-intent.js';
import { getDiskForEngine } from '../../store/storage.js';
import { collectDiskFiles } from '../disk-files.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';

export async function reconcileDiskContent(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock, driver } = env;
  const d = await getDiskForEngine(db, op.resource_id);
  if (!d) {
    await collectDiskFiles(db, driver);
    return { done: true };
  }
  const plan = contentPlan(d);
  if (!plan) return { done: true };
  try {
    if (plan.resetTo) await driver.resetDisk?.(d.id, plan.resetTo);
    if (plan.resizeTo) await driver.resizeDisk?.(d.id, plan.resizeTo);
  } catch (e) {
    if (!exhausted(op.attempts, CONTENT_ATTEMPTS)) throw e;
    const events = await db.transaction().execute((trx) => abandonContent(trx, d, clock.now()));
    env.log('disk content change abandoned; the disk keeps the bytes it has', { disk: d.id, events, attempts: op.attempts + 1, error: String(e) });
    return { done: true };
  }
  await db.transaction().execute((trx) => clearApplied(trx, d.id, plan));
  // A request that came while the driver worked is still on the row: its turn now.
  const after = await getDiskForEngine(db, d.id);
  return after && contentPlan(after) ? { retryAt: clock.now() } : { done: true };
}
