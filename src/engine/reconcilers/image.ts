/**
 * Custom images become Available when every snapshot they are made of is accomplished
 * (000:L1574 "When all snapshots have been successfully created, the custom image will be ready");
 * an image whose snapshot vanished while it was being created fails (CreateFailed).
 */
import { getImageForEngine, mappingsOf, setImageStatus } from '../../store/images.js';
import { getSnapshotsByIds } from '../../store/storage.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';

const POLL_MS = 250;

export async function reconcileImage(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock } = env;
  const image = await getImageForEngine(db, op.resource_id);
  if (!image || image.status !== 'Creating') return { done: true };
  const now = clock.now();
  const ids = mappingsOf(image).map((m) => m.snapshotId).filter(Boolean);
  const snaps = await getSnapshotsByIds(db, ids);
  if (snaps.length < new Set(ids).size || snaps.some((s) => s.status === 'failed')) {
    await db.transaction().execute((trx) => setImageStatus(trx, image, 'CreateFailed', now));
    return { done: true };
  }
  const last = Math.max(image.completes_at, ...snaps.map((s) => s.completes_at));
  if (now < last) return { retryAt: last };
  if (snaps.some((s) => s.status !== 'accomplished')) return { retryAt: now + POLL_MS };
  await db.transaction().execute((trx) => setImageStatus(trx, image, 'Available', now));
  return { done: true };
}
