/**
 * Snapshots on the clock: the `snapshot` reconciler freezes a new snapshot's bytes at once, completes
 * it at its `completes_at`, and removes the file of a snapshot whose row is gone; the
 * `auto-snapshots` timer takes automatic snapshots at each policy's time points (UTC+8) and deletes
 * snapshots whose retention has run out.
 */
import { autoSnapshotName, firesBetween, nextFireAfter, type Schedule } from '../../domain/storage/schedule.js';
import { expiryOf } from '../../domain/storage/quotas.js';
import { snapshotDurationMs } from '../../domain/storage/snapshots.js';
import { imagesUsingSnapshot } from '../../store/images.js';
import {
  deleteSnapshots, disksOfPolicy, duePolicies, expiredSnapshots, getDiskForEngine, getPolicy, getSnapshotForEngine, insertSnapshot, quotaOf,
  setSnapshotStatus, snapshotsOfDisk, updatePolicy, updateSnapshot, type PolicyRow, type SnapshotRow,
} from '../../store/storage.js';
import { newId } from '../../domain/ids.js';
import { contentPlan, exhausted, SNAPSHOT_ATTEMPTS } from '../../domain/storage/disk-content.js';
import { markSnapshotTaken, resetPendingFrom } from '../../store/disk-intent.js';
import { enqueue } from '../operations.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';

/** How soon a snapshot waiting on its disk's pending reset or resize looks again. */
const CONTENT_POLL_MS = 250;

export async function reconcileSnapshot(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock } = env;
  const s = await getSnapshotForEngine(db, op.resource_id);
  if (!s) return removeSnapshotFiles(op.resource_id, env);
  if (s.status !== 'progressing') return { done: true };
  let now = clock.now();
  const freeze = s.taken_at === null && !s.source_snapshot_id;
  if (freeze) {
    const frozen = await freezeBytes(op, s, env);
    if (frozen !== true) return frozen;
    now = clock.now();
    if (now < s.completes_at) {
      await markSnapshotTaken(db, s.id, now);
      return { retryAt: s.completes_at };
    }
  }
  if (now < s.completes_at) return { retryAt: s.completes_at };
  await db.transaction().execute(async (trx) => {
    // Deleted or finished by someone else since it was read: nothing more to do here.
    if (!(await setSnapshotStatus(trx, s, 'accomplished', now))) return;
    if (freeze) await markSnapshotTaken(trx, s.id, now);
    await wakeImage(trx, s, now);
    if (s.type === 'auto' && s.policy_id && !s.source_snapshot_id) await copyAcrossRegions(trx, s, now, env);
  });
  return { done: true };
}

/**
 * Freezes the snapshot's bytes as soon as it is asked for (the operation is enqueued due at once),
 * not when it completes: the snapshot holds what the disk had when CreateSnapshot answered. A disk
 * whose own reset or resize is still pending is waited for. A driver error is thrown (the engine
 * logs it and retries with backoff); after SNAPSHOT_ATTEMPTS the snapshot is `failed`.
 */
async function freezeBytes(op: OperationRow, s: SnapshotRow, env: EngineEnv): Promise<true | ReconcileResult> {
  const { db, clock, driver } = env;
  if (!driver.snapshotDisk) return true; // no bytes of its own to freeze (sim)
  const disk = await getDiskForEngine(db, s.source_disk_id);
  if (disk && contentPlan(disk)) return { retryAt: clock.now() + CONTENT_POLL_MS };
  try {
    await driver.snapshotDisk(s.source_disk_id, s.id);
  } catch (e) {
    if (!exhausted(op.attempts, SNAPSHOT_ATTEMPTS)) throw e;
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      if (await setSnapshotStatus(trx, s, 'failed', now)) await wakeImage(trx, s, now);
    });
    env.log('snapshot failed: its bytes could not be frozen', { snapshot: s.id, disk: s.source_disk_id, attempts: op.attempts + 1, error: String(e) });
    return { done: true };
  }
  return true;
}

/** The image a snapshot was made for (CreateImage, CopyImage) looks again now that the snapshot has ended. */
async function wakeImage(trx: Parameters<typeof enqueue>[0], s: SnapshotRow, now: number): Promise<void> {
  if (s.image_id) await enqueue(trx, { kind: 'image', resourceId: s.image_id, accountId: s.account_id, dueAt: now }, now);
}

/**
 * A snapshot row that is gone (DeleteSnapshot, retention, a policy making room, its disk released)
 * takes its file with it. The file stays while a disk is still to be rolled back to it; a missing
 * file is already done. The operation is written with the deletion, so a crash or a driver error
 * (thrown: the engine retries) leaves no file behind.
 */
async function removeSnapshotFiles(snapshotId: string, env: EngineEnv): Promise<ReconcileResult> {
  if (!env.driver.deleteSnapshot) return { done: true }; // no snapshot files (sim)
  if (await resetPendingFrom(env.db, snapshotId)) return { retryAt: env.clock.now() + CONTENT_POLL_MS };
  await env.driver.deleteSnapshot(snapshotId);
  return { done: true };
}

/**
 * A finished automatic snapshot of a policy with cross-region copy goes to each target region,
 * kept there for the policy's CopiedSnapshotsRetentionDays (-1: until deleted).
 */
async function copyAcrossRegions(trx: Parameters<typeof insertSnapshot>[0], s: SnapshotRow, now: number, env: EngineEnv): Promise<void> {
  const policy = await getPolicy(trx, s.account_id, s.region_id, s.policy_id);
  if (!policy || policy.enable_cross_region_copy !== 1) return;
  const retention = policy.copied_snapshots_retention_days > 0 ? policy.copied_snapshots_retention_days : 0;
  for (const region of JSON.parse(policy.target_copy_regions) as string[]) {
    const row = {
      ...s, id: newId('s-'), region_id: region, description: `Copied from ${s.id} by the automatic snapshot policy ${policy.id}`,
      status: 'progressing', policy_id: '', image_id: '', source_snapshot_id: s.id, source_region_id: s.region_id,
      retention_days: retention, encrypted: policy.copy_encrypted === 1 || s.encrypted === 1 ? 1 : 0,
      created_at: now, completes_at: now + snapshotDurationMs(env.driver.transitionMs, true), modified_at: now, expires_at: expiryOf(now, retention),
    };
    await insertSnapshot(trx, row);
    await enqueue(trx, { kind: 'snapshot', resourceId: row.id, accountId: s.account_id, dueAt: row.completes_at }, now);
  }
}

/** Takes the automatic snapshots of one policy for every firing instant up to now. */
async function runPolicy(env: EngineEnv, policy: PolicyRow, now: number): Promise<void> {
  const { db } = env;
  const schedule: Schedule = { timePoints: JSON.parse(policy.time_points), repeatWeekdays: JSON.parse(policy.repeat_weekdays) };
  const points = firesBetween(schedule, policy.next_run_at - 1, now);
  await db.transaction().execute(async (trx) => {
    const disks = points.length ? await disksOfPolicy(trx, policy.id) : [];
    const quota = await quotaOf(trx, policy.account_id, 'snapshots-per-disk');
    for (const t of points) {
      for (const d of disks) {
        // Only disks that hold data on an instance take automatic snapshots.
        if (d.attached_at === null || d.status === 'Creating' || d.created_at > t) continue;
        const existing = (await snapshotsOfDisk(trx, d.id)).filter((s) => s.region_id === d.region_id && s.source_snapshot_id === '');
        // 002:L1974: a point that falls while the previous snapshot still runs is skipped.
        if (existing.some((s) => s.created_at <= t && s.completes_at > t)) continue;
        if (existing.length >= quota) {
          // 000:L1325: at the per-disk quota the oldest automatic snapshot makes room.
          const oldestAuto = [...existing].reverse().find((s) => s.type === 'auto');
          if (!oldestAuto) continue;
          await deleteSnapshots(trx, [oldestAuto.id]);
          await enqueue(trx, { kind: 'snapshot', resourceId: oldestAuto.id, accountId: d.account_id, dueAt: now }, now);
        }
        const prefix = autoSnapshotName(t, 0).slice(0, -1);
        const sameDay = existing.filter((s) => s.type === 'auto' && s.name.startsWith(prefix)).length;
        const retention = policy.retention_days > 0 ? policy.retention_days : 0;
        const row = {
          id: newId('s-'), account_id: d.account_id, region_id: d.region_id, name: autoSnapshotName(t, sameDay + 1), description: '',
          source_disk_id: d.id, source_disk_type: d.type === 'system' ? 'system' : 'data', source_disk_category: d.category,
          source_disk_size: d.size, source_instance_id: d.instance_id, type: 'auto', status: 'progressing', policy_id: policy.id,
          image_id: '', source_snapshot_id: '', source_region_id: '', retention_days: retention, encrypted: d.encrypted,
          // An automatic snapshot joins its disk's resource group.
          resource_group_id: d.resource_group_id, created_at: t, completes_at: t + snapshotDurationMs(env.driver.transitionMs, existing.length === 0),
          modified_at: t, expires_at: expiryOf(t, retention),
        };
        await insertSnapshot(trx, row);
        // Due now: the bytes are frozen at once, the snapshot completes at `completes_at`.
        await enqueue(trx, { kind: 'snapshot', resourceId: row.id, accountId: d.account_id, dueAt: now }, now);
      }
    }
    await updatePolicy(trx, policy.id, { next_run_at: nextFireAfter(schedule, Math.max(now, policy.next_run_at)) });
  });
}

/** Deletes snapshots whose retention days have run out (kept while an image depends on them). */
async function expireSnapshots(env: EngineEnv, now: number): Promise<void> {
  const { db } = env;
  const expired = await expiredSnapshots(db, now);
  for (const s of expired) {
    await db.transaction().execute(async (trx) => {
      if ((await imagesUsingSnapshot(trx, s.account_id, s.id)).length) {
        await updateSnapshot(trx, s.id, { expires_at: null });
        return;
      }
      await deleteSnapshots(trx, [s.id]);
      await trx.insertInto('transitions').values({ resource_id: s.id, from_status: s.status, to_status: 'Expired', at: now }).execute();
      await enqueue(trx, { kind: 'snapshot', resourceId: s.id, accountId: s.account_id, dueAt: now }, now);
    });
  }
}

export async function runSnapshotSchedules(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  for (const policy of await duePolicies(env.db, now)) await runPolicy(env, policy, now);
  await expireSnapshots(env, now);
}
