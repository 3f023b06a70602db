/**
 * Spot instance interruptions on the service clock (src/domain/instances/spot.ts): a running
 * SpotWithPriceLimit instance past its protected hours whose bid the market passes gets a notice
 * (termination time now + 5 minutes: the metadata service's `instance/spot/termination-time`, the
 * `Recycling` lock); at the termination time it is released (Terminate) or stopped in the
 * economical mode (Stop). A drill (the InterruptSpotInstance extension) writes the same notice.
 * A timer, so it runs on the replica holding the `timers` lease; the guest is stopped, released
 * and its metadata pushed by the instance reconciler, from the desired state written here.
 */
import { enqueue } from './operations.js';
import { recordSpotInterruption } from '../store/spot-interruption-notice.js';
import { spotStep } from '../domain/instances/spot.js';
import { marketPrice } from '../domain/spot-market.js';
import { instanceSpecOf } from '../domain/billing/specs.js';
import type { PriceTable } from '../domain/billing/price-table.js';
import { releaseInstance, type InstanceRow } from '../store/instances.js';
import { casSpotInstance, spotInstancesToCheck } from '../store/spot-instances.js';
import type { EngineEnv, Timer } from './engine.js';

type Trx = Parameters<typeof casSpotInstance>[0];

/** The market price a spot instance is compared with (its zone, type and OS; its origin from the price table). */
export function instanceMarketPrice(prices: PriceTable, row: InstanceRow, at: number): number {
  const market = { regionId: row.region_id, zoneId: row.zone_id, instanceType: row.instance_type };
  return marketPrice(prices, market, instanceSpecOf(row), at, row.os_type === 'windows' ? 'windows' : 'linux');
}

/** The timer, over the server's price table (config.prices). */
export function spotInterruptionTimer(prices: PriceTable): Timer {
  return async (env) => {
    const now = env.clock.now();
    for (let batch = await spotInstancesToCheck(env.db); batch.length; batch = await spotInstancesToCheck(env.db, batch.at(-1)!.id)) {
      for (const row of batch) await checkSpotInstance(env, prices, row, now);
    }
  };
}

async function checkSpotInstance(env: EngineEnv, prices: PriceTable, row: InstanceRow, now: number): Promise<void> {
  const step = spotStep({
    strategy: row.spot_strategy, priceLimit: row.spot_price_limit, duration: row.spot_duration, createdAt: row.created_at, terminationAt: row.spot_termination_at,
  }, () => instanceMarketPrice(prices, row, now), now);
  if (step.kind === 'none') return;
  // A row that moved since the read (a user's stop or release, another replica) is left: the next run reads it again.
  const done = await env.db.transaction().execute(async (trx) => {
    const ok = step.kind === 'notice'
      ? await casSpotInstance(trx, row, { spot_termination_at: step.terminationAt }, now) && await recordSpotInterruption(trx, row, now)
      : await reclaim(trx, row, now);
    // The instance operation pushes the notice to the guest's metadata service, or stops / releases it.
    if (ok) await enqueue(trx, { kind: 'instance', resourceId: row.id, accountId: row.account_id, dueAt: now }, now);
    return ok;
  });
  if (done) env.log(`spot instance ${step.kind}`, { instanceId: row.id, behavior: row.spot_interruption_behavior });
}

/** At the termination time: released (Terminate) or stopped without charging (Stop); the notice ends. */
async function reclaim(trx: Trx, row: InstanceRow, now: number): Promise<boolean> {
  if (row.spot_interruption_behavior === 'Terminate') {
    // Claims the notice against a racing change (compare-and-set), then releases as DeleteInstance does.
    if (!(await casSpotInstance(trx, row, { spot_termination_at: row.spot_termination_at }, now))) return false;
    return releaseInstance(trx, row, now);
  }
  if (row.status === 'Running') {
    // As StopInstance StoppedMode=StopCharging: Stopping now, the reconciler stops the guest.
    return casSpotInstance(trx, row, { status: 'Stopping', desired_status: 'Stopped', stopped_mode: 'StopCharging', force_stop: 0, spot_termination_at: null }, now);
  }
  // Stopped (or stopping) already by its user: the notice ends, it stays as it is. A starting one waits.
  if (row.status !== 'Stopped' && row.status !== 'Stopping') return false;
  return casSpotInstance(trx, row, { spot_termination_at: null }, now);
}
