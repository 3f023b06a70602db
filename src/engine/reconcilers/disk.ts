/**
 * Settles a disk's transitional status (Creating → Available or In_use, Attaching → In_use,
 * Detaching → Available, ReIniting → In_use). Handlers enqueue the operation one driver
 * transition time ahead, so the step is durable and restart-safe.
 *
 * A driver with real guests is told first: an attach hot-plugs the disk into a running guest, a
 * detach waits until the guest has let go of it (qemu: a few seconds, SHPC).
 */
import { settledDiskStatus } from '../../domain/storage/disks.js';
import { getDiskForEngine, setDiskStatus } from '../../store/storage.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';
import { guestDisk } from './instance.js';

const DETACH_POLL_MS = 500;
/** Hot-plug failures retried this many times before the attach is undone (the disk is Available again). */
const ATTACH_ATTEMPTS = 3;

export async function reconcileDisk(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock, driver } = env;
  const d = await getDiskForEngine(db, op.resource_id);
  if (!d) return { done: true };
  let to = settledDiskStatus(d.status);
  if (!to) return { done: true };
  // CreateDisk with InstanceId makes a disk that is attached as soon as it exists.
  if (d.status === 'Creating' && d.instance_id) to = 'In_use';
  // ReInitDisk: the bytes go back to the disk's initial state before it counts as In_use again.
  // The status is the intent (no payload flag a second request could lose); discarding is idempotent.
  if (d.status === 'ReIniting') await driver.discardDisk?.(d.id);
  if (to === 'In_use' && d.status !== 'ReIniting' && d.instance_id && driver.attachDisk) {
    try {
      await driver.attachDisk(d.instance_id, guestDisk(d));
    } catch (e) {
      if (op.attempts + 1 < ATTACH_ATTEMPTS) throw e;
      env.log('attach failed; the disk is detached again', { disk: d.id, instance: d.instance_id, error: String(e) });
      const now = clock.now();
      const undone = await db.transaction().execute((trx) => setDiskStatus(trx, d, 'Available', now, { instance_id: '', device: '', detached_at: now }));
      return undone ? { done: true } : { retryAt: now };
    }
  }
  if (d.status === 'Detaching' && d.instance_id && driver.detachDisk && !(await driver.detachDisk(d.instance_id, d.id))) {
    return { retryAt: clock.now() + DETACH_POLL_MS };
  }
  const now = clock.now();
  const moved = await db.transaction().execute(async (trx) => {
    const patch = to === 'Available' && d.status === 'Detaching' ? { instance_id: '', device: '', detached_at: now } : {};
    return setDiskStatus(trx, d, to!, now, patch);
  });
  // Moved by a request or another replica since it was read: the next run re-reads it.
  return moved ? { done: true } : { retryAt: now };
}
