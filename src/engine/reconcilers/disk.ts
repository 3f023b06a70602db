/**
 * Settles a disk's transitional status (Creating → Available or In_use, Attaching → In_use,
 * Detaching → Available, ReIniting → In_use). Handlers enqueue the operation one driver
 * transition time ahead, so the step is durable and restart-safe.
 */
import { settledDiskStatus } from '../../domain/storage/disks.js';
import { getDiskForEngine, setDiskStatus } from '../../store/storage.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';

export async function reconcileDisk(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock } = env;
  const d = await getDiskForEngine(db, op.resource_id);
  if (!d) return { done: true };
  let to = settledDiskStatus(d.status);
  if (!to) return { done: true };
  // CreateDisk with InstanceId makes a disk that is attached as soon as it exists.
  if (d.status === 'Creating' && d.instance_id) to = 'In_use';
  const now = clock.now();
  // ReInitDisk: the bytes go back to the disk's initial state before it counts as In_use again.
  if (d.status === 'ReIniting' && JSON.parse(op.payload || '{}').reinit === true) await env.driver.discardDisk?.(d.id);
  await db.transaction().execute(async (trx) => {
    const patch = to === 'Available' && d.status === 'Detaching' ? { instance_id: '', device: '', detached_at: now } : {};
    await setDiskStatus(trx, d, to!, now, patch);
  });
  return { done: true };
}
