/**
 * The subscription lifecycle on the service clock (src/domain/instances/subscription-lifecycle.ts):
 * auto-renewal at ExpiredTime, the stop with the `financial` lock 15 days after it, the release 15
 * days after the stop. A timer, so it runs on the replica holding the `timers` lease; the guest is
 * stopped (and released) by the instance reconciler, from the desired state written here.
 */
import { enqueue } from '../operations.js';
import { expiryStep, GRACE_MS, RETENTION_MS } from '../../domain/instances/subscription-lifecycle.js';
import { releaseInstance, type InstanceRow } from '../../store/instances.js';
import { casInstance, dueSubscriptions } from '../../store/subscriptions.js';
import { raiseSystemEvent } from '../../store/system-events.js';
import type { EngineEnv } from '../engine.js';

export async function runSubscriptionLifecycle(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  for (const row of await dueSubscriptions(env.db, now, now - GRACE_MS, now - RETENTION_MS)) {
    const step = expiryStep({
      expiresAt: row.expires_at!, stoppedAt: row.expiry_stopped_at, autoRenew: row.renewal_status === 'AutoRenewal',
      renewDuration: row.renewal_duration, renewUnit: row.renewal_unit,
    }, now);
    if (step.kind === 'none') continue;
    // A row that moved since the read (a renewal, another replica) is left: the next run reads it again.
    const done = await env.db.transaction().execute(async (trx) => {
      if (step.kind === 'renew') return casInstance(trx, row, { expires_at: step.expiresAt }, now);
      if (step.kind === 'stop') return stopForExpiry(trx, row, step.at, now);
      // Claims the row against a renewal in between (a no-op write compare-and-set on the lock), then releases.
      if (!(await casInstance(trx, row, { expiry_stopped_at: row.expiry_stopped_at }, now))) return false;
      if (!(await releaseInstance(trx, row, now))) return false;
      await raiseSystemEvent(trx, expiryEvent(row, 'InstanceExpiration.Delete', now), now);
      await enqueue(trx, { kind: 'instance', resourceId: row.id, accountId: row.account_id, dueAt: now }, now);
      return true;
    });
    if (done) env.log(`subscription ${step.kind}`, { instanceId: row.id });
  }
}

/** The system event ECS records when an expired subscription is stopped or released (DescribeInstanceHistoryEvents). */
function expiryEvent(row: InstanceRow, type: 'InstanceExpiration.Stop' | 'InstanceExpiration.Delete', at: number) {
  return { accountId: row.account_id, regionId: row.region_id, instanceId: row.id, type, notBefore: at, reason: 'The subscription expired and was not renewed.' };
}

async function stopForExpiry(trx: Parameters<typeof casInstance>[0], row: InstanceRow, at: number, now: number): Promise<boolean> {
  if (row.status === 'Running') {
    // As StopInstance: Stopping now, the reconciler stops the guest and settles it Stopped.
    if (!(await casInstance(trx, row, { status: 'Stopping', desired_status: 'Stopped', stopped_mode: 'KeepCharging', force_stop: 0, expiry_stopped_at: at, expiry_restart: 1 }, now))) return false;
    await enqueue(trx, { kind: 'instance', resourceId: row.id, accountId: row.account_id, dueAt: now }, now);
  } else {
    // Already stopped by its user: locked, and stays stopped after a renewal. A transitional status waits.
    if (row.status !== 'Stopped') return false;
    if (!(await casInstance(trx, row, { expiry_stopped_at: at, expiry_restart: 0 }, now))) return false;
  }
  await raiseSystemEvent(trx, expiryEvent(row, 'InstanceExpiration.Stop', now), now);
  return true;
}
