/** Releases instances whose AutoReleaseTime has come (ModifyInstanceAutoReleaseTime, RunInstances). */
import { enqueue } from '../operations.js';
import { dueForRelease, releaseInstance } from '../../store/instances.js';
import type { EngineEnv } from '../engine.js';

export async function releaseDueInstances(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  const due = await dueForRelease(env.db, now);
  for (const row of due) {
    // DeletionProtection guards manual release only; the timer is a release by the system.
    await env.db.transaction().execute(async (trx) => {
      await releaseInstance(trx, row, now);
      await enqueue(trx, { kind: 'instance', resourceId: row.id, accountId: row.account_id, dueAt: now }, now);
    });
    env.log('auto-released instance', { instanceId: row.id });
  }
}
