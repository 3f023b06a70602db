/**
 * At start-up: ask the reconciler to look at every live instance (so what should run runs again
 * after a crash) and tell the driver to forget guests and disks the store no longer knows (no orphans).
 *
 * With several replicas, "unknown" is judged per replica: a driver lists only the guests of its
 * own host (the sim driver: of its own process), and a guest is made only for an instance whose
 * row was committed first. So the driver is listed BEFORE the store is read: every guest listed
 * then belongs to a row that the read sees unless it was released, and a guest another replica
 * (or this one) makes after the listing is not in it, so it cannot be destroyed by mistake.
 */
import { enqueue } from './operations.js';
import { requestSecurityPolicy } from './security-policy.js';
import { liveInstanceIds } from '../store/instances.js';
import { collectDiskFiles } from './disk-files.js';
import type { EngineEnv } from './engine.js';

export async function convergeAll(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  const guests = await env.driver.list();
  const live = await liveInstanceIds(env.db);
  const known = new Set(live);
  for (const id of guests) {
    if (!known.has(id)) await env.driver.destroy(id);
  }
  await collectDiskFiles(env.db, env.driver);
  // Batches: one transaction per 500 keeps a large store's start-up from holding one long write.
  for (let k = 0; k < live.length; k += 500) {
    const batch = live.slice(k, k + 500);
    await env.db.transaction().execute(async (trx) => {
      for (const id of batch) await enqueue(trx, { kind: 'instance', resourceId: id, dueAt: now }, now);
    });
  }
  // A new driver has applied no security-group ruleset yet.
  await requestSecurityPolicy(env.db, now);
}
