/**
 * Retention: finished operations, status transitions and ClientToken answers older than their
 * retention are deleted, a batch per statement so no sweep holds the store long, by an engine
 * timer that runs at most once per interval (and on one replica at a time: the one holding the
 * engine's `timers` lease). Times are the service clock's, the one the rows were written with.
 * A retention of 0 keeps those rows forever.
 */
import type { Db } from '../store/db.js';
import type { EngineEnv, Timer } from './engine.js';
import type { RetentionSettings } from './settings.js';

export interface Swept { operations: number; transitions: number; idempotency: number }

/** Most batches of one table per sweep, so a huge backlog is worked off over several sweeps. */
const MAX_BATCHES = 50;

export async function sweep(db: Db, now: number, r: RetentionSettings): Promise<Swept> {
  const out: Swept = { operations: 0, transitions: 0, idempotency: 0 };
  if (r.operationsMs > 0) {
    const cutoff = now - r.operationsMs;
    out.operations = await batches(r.batch, async () => Number((await db.deleteFrom('operations')
      .where('id', 'in', db.selectFrom('operations').select('id').where('status', 'in', ['done', 'failed'])
        .where('updated_at', '<', cutoff).limit(r.batch))
      .executeTakeFirst()).numDeletedRows));
  }
  if (r.transitionsMs > 0) {
    const cutoff = now - r.transitionsMs;
    out.transitions = await batches(r.batch, async () => Number((await db.deleteFrom('transitions')
      .where('id', 'in', db.selectFrom('transitions').select('id').where('at', '<', cutoff).limit(r.batch))
      .executeTakeFirst()).numDeletedRows));
  }
  if (r.idempotencyMs > 0) {
    const cutoff = now - r.idempotencyMs;
    // Its key has three columns: a batch is bounded by time instead (the batch-th oldest answer's).
    out.idempotency = await batches(r.batch, async () => {
      const edge = await db.selectFrom('idempotency').select('created_at').where('created_at', '<', cutoff)
        .orderBy('created_at').offset(r.batch - 1).limit(1).executeTakeFirst();
      const bound = edge ? edge.created_at : cutoff - 1;
      return Number((await db.deleteFrom('idempotency').where('created_at', '<=', bound).where('created_at', '<', cutoff)
        .executeTakeFirst()).numDeletedRows);
    });
  }
  return out;
}

/** Runs `one` (a delete of at most `size` rows) until it deletes fewer, at most MAX_BATCHES times; the rows deleted. */
export async function batches(size: number, one: () => Promise<number>): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const n = await one();
    total += n;
    if (n < size) break;
  }
  return total;
}

/** An engine timer that runs `run` when `intervalMs` has passed on the service clock since its last run. */
export function intervalTimer(intervalMs: number, run: (env: EngineEnv, now: number) => Promise<void>): Timer {
  let last = -Infinity;
  return async (env: EngineEnv) => {
    const now = env.clock.now();
    if (now - last < intervalMs) return;
    last = now;
    await run(env, now);
  };
}

export function retentionTimer(settings: RetentionSettings): Timer {
  return intervalTimer(settings.intervalMs, async (env, now) => {
    const swept = await sweep(env.db, now, settings);
    if (swept.operations || swept.transitions || swept.idempotency) env.log('retention sweep', { ...swept });
  });
}
