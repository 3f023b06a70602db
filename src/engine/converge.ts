/**
 * At start-up: ask the reconciler to look at every live instance (so what should run runs again
 * after a crash) and tell the driver to forget guests and disks the store no longer knows (no orphans).
 */
import { enqueue } from './operations.js';
import { liveInstanceIds } from '../store/instances.js';
import { collectDiskFiles } from './disk-files.js';
import type { EngineEnv } from './engine.js';

export async function convergeAll(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  const live = await liveInstanceIds(env.db);
  const known = new Set(live);
  for (const id of await env.driver.list()) {
    if (!known.has(id)) await env.driver.destroy(id);
  }
  await collectDiskFiles(env.db, env.driver);
  await env.db.transaction().execute(async (trx) => {
    for (const id of live) await enqueue(trx, { kind: 'instance', resourceId: id, dueAt: now }, now);
  });
}
