/**
 * The timer that moves system events along their statuses on the service clock (a simulated
 * SystemMaintenance.Reboot: Scheduled → Executing at NotBefore → Executed three minutes later).
 * Events only record: whatever acts on an instance (an expiry stop, a give-up) does so itself and
 * raises its event in the same transaction (store/system-events.ts `raiseSystemEvent`).
 */
import { advance, HISTORY_WINDOW_MS, isCycleStatus } from '../domain/system-events.js';
import { deleteFinishedEventsBefore, dueSystemEvents, setEventStatus } from '../store/system-events.js';
import type { EngineEnv, Timer } from './engine.js';
import { intervalTimer } from './retention.js';

export async function advanceSystemEvents(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  for (const e of await dueSystemEvents(env.db, now)) {
    if (!isCycleStatus(e.cycle_status)) continue;
    const next = advance({ status: e.cycle_status, notBefore: e.not_before, executeEnd: e.execute_end }, now);
    if (next.status === e.cycle_status && next.nextAt === e.next_at) continue;
    // Compare-and-set: a cancel or reboot that moved the event meanwhile wins.
    await setEventStatus(env.db, e, next.status, { next_at: next.nextAt, ...(next.finishedAt !== undefined ? { finish_time: next.finishedAt } : {}) });
  }
}

/** How often finished events past the history window are deleted. */
const PRUNE_INTERVAL_MS = 600_000;
const PRUNE_BATCH = 1000;

/**
 * Finished events older than DescribeInstanceHistoryEvents' 30-day window can no longer be read:
 * they are deleted (a batch per statement), as the retention sweep deletes old transitions.
 */
export const pruneSystemEvents: Timer = intervalTimer(PRUNE_INTERVAL_MS, async (env, now) => {
  const n = await deleteFinishedEventsBefore(env.db, now - HISTORY_WINDOW_MS, PRUNE_BATCH);
  if (n) env.log('system events pruned', { deleted: n });
});
