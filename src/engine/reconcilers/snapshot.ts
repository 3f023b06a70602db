/**
 * Snapshots on the clock: the `snapshot` reconciler completes a progressing snapshot at its
 * `completes_at`; the `auto-snapshots` timer takes automatic snapshots at each policy's time
 * points (UTC+8) and deletes snapshots whose retention has run out.
 */
import { autoSnapshotName, firesBetween, nextFireAfter, type Schedule } from '../../domain/storage/schedule.js';
import { expiryOf } from '../../domain/storage/quotas.js';
import { snapshotDurationMs } from '../../domain/storage/snapshots.js';
import { imagesUsingSnapshot } from '../../store/images.js';
import {
  deleteSnapshots, disksOfPolicy, duePolicies, expiredSnapshots, getPolicy, getSnapshotForEngine, insertSnapshot, quotaOf,
  setSnapshotStatus, snapshotsOfDisk, updatePolicy, updateSnapshot, type PolicyRow, type SnapshotRow,
} from '../../store/storage.js';
import { newId } from '../../domain/ids.js';
import { enqueue } from '../operations.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';

export async function reconcileSnapshot(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock, driver } = env;
  const s = await getSnapshotForEngine(db, op.resource_id);
  if (!s || s.status !== 'progressing') return { done: true };
  const now = clock.now();
  if (now < s.completes_at) return { retryAt: s.completes_at };
  // A driver with real disk files freezes the bytes now (copies share the source's bytes).
  if (!s.source_snapshot_id) await driver.snapshotDisk?.(s.source_disk_id, s.id);
  await db.transaction().execute(async (trx) => {
    await setSnapshotStatus(trx, s, 'accomplished', now);
    if (s.type === 'auto' && s.policy_id && !s.source_snapshot_id) await copyAcrossRegions(trx, s, now, env);
  });
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
        await enqueue(trx, { kind: 'snapshot', resourceId: row.id, accountId: d.account_id, dueAt: row.completes_at }, now);
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
    });
    await env.driver.deleteSnapshot?.(s.id).catch(() => undefined);
  }
}

export async function runSnapshotSchedules(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  for (const policy of await duePolicies(env.db, now)) await runPolicy(env, policy, now);
  await expireSnapshots(env, now);
}
