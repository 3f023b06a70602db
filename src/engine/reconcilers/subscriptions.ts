/**
 * The subscription lifecycle on the service clock (src/domain/instances/subscription-lifecycle.ts):
 * auto-renewal at ExpiredTime, the stop with the `financial` lock 15 days after it, the release 15
 * days after the stop; the type of a renewal for configuration downgrade when its renewed period
 * starts (src/actions/renew-downgrade.ts). A timer, so it runs on the replica holding the `timers` lease; the guest is
 * stopped (and released) by the instance reconciler, from the desired state written here.
 */
import { enqueue } from '../operations.js';
import { expiryStep, GRACE_MS, RETENTION_MS } from '../../domain/instances/subscription-lifecycle.js';
import { releaseInstance, type InstanceRow } from '../../store/instances.js';
import { casInstance, dueDowngrades, dueSubscriptions } from '../../store/subscriptions.js';
import { findInstanceType } from '../../domain/catalog/instance-types.js';
import { raiseSystemEvent, type RaisedEvent } from '../../store/system-events.js';
import type { EngineEnv } from '../engine.js';

export async function runSubscriptionLifecycle(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  await applyDowngrades(env, now);
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
      return releaseLocked(trx, row, expiryEvent(row, 'InstanceExpiration.Delete', now), now);
    });
    if (done) env.log(`subscription ${step.kind}`, { instanceId: row.id });
  }
}

/** The system event ECS records when an expired subscription is stopped or released (DescribeInstanceHistoryEvents). */
function expiryEvent(row: InstanceRow, type: 'InstanceExpiration.Stop' | 'InstanceExpiration.Delete', at: number): RaisedEvent {
  return { accountId: row.account_id, regionId: row.region_id, instanceId: row.id, type, notBefore: at, reason: 'The subscription expired and was not renewed.' };
}

type Trx = Parameters<typeof casInstance>[0];

function stopForExpiry(trx: Trx, row: InstanceRow, at: number, now: number): Promise<boolean> {
  return stopWithFinancialLock(trx, row, at, now, expiryEvent(row, 'InstanceExpiration.Stop', now));
}

/**
 * Releases an instance held by the `financial` lock (expiry or arrears), with its system event.
 * Claims the row against a renewal or reactivation in between (a no-op write compare-and-set on the lock) first.
 */
export async function releaseLocked(trx: Trx, row: InstanceRow, event: RaisedEvent, now: number): Promise<boolean> {
  if (!(await casInstance(trx, row, { expiry_stopped_at: row.expiry_stopped_at }, now))) return false;
  if (!(await releaseInstance(trx, row, now))) return false;
  await raiseSystemEvent(trx, event, now);
  await enqueue(trx, { kind: 'instance', resourceId: row.id, accountId: row.account_id, dueAt: now }, now);
  return true;
}

/** Stops an instance with the `financial` lock (expiry or arrears), with its system event; false when the row moved or is in transition. */
export async function stopWithFinancialLock(
  trx: Trx, row: InstanceRow, at: number, now: number, event: RaisedEvent, stoppedMode: 'KeepCharging' | 'StopCharging' = 'KeepCharging',
): Promise<boolean> {
  if (row.status === 'Running') {
    // As StopInstance: Stopping now, the reconciler stops the guest and settles it Stopped.
    if (!(await casInstance(trx, row, { status: 'Stopping', desired_status: 'Stopped', stopped_mode: stoppedMode, force_stop: 0, expiry_stopped_at: at, expiry_restart: 1 }, now))) return false;
    await enqueue(trx, { kind: 'instance', resourceId: row.id, accountId: row.account_id, dueAt: now }, now);
  } else {
    // Already stopped by its user: locked, and stays stopped after a renewal. A transitional status waits.
    if (row.status !== 'Stopped') return false;
    if (!(await casInstance(trx, row, { expiry_stopped_at: at, expiry_restart: 0 }, now))) return false;
  }
  await raiseSystemEvent(trx, event, now);
  return true;
}

/**
 * The renewed period of a renewal for configuration downgrade has started: the instance has the
 * planned type from now on (its guest gets it at its next start, as after ModifyPrepayInstanceSpec).
 * Before the expiry steps, so a period that the clock ran past is billed and renewed at that type.
 */
async function applyDowngrades(env: EngineEnv, now: number): Promise<void> {
  for (const row of await dueDowngrades(env.db, now)) {
    const type = findInstanceType(row.renew_downgrade_type);
    // A type gone from the catalog since the plan: the plan ends, the instance keeps its type.
    const spec = type ? { instance_type: type.id, cpu: type.cpu, memory: Math.round(type.memoryGiB * 1024) } : {};
    const done = await env.db.transaction().execute((trx) => casInstance(trx, row, { ...spec, renew_downgrade_type: '', renew_downgrade_at: null }, now));
    if (done) env.log('renewal downgrade applied', { instanceId: row.id, instanceType: type?.id ?? row.instance_type });
  }
}
