/** Releases instances whose AutoReleaseTime has come (ModifyInstanceAutoReleaseTime, RunInstances). */
import { enqueue } from '../operations.js';
import { dueForRelease, releaseInstance } from '../../store/instances.js';
import type { EngineEnv } from '../engine.js';

export async function releaseDueInstances(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  const due = await dueForRelease(env.db, now);
  for (const row of due) {
    // DeletionProtection guards manual release only; the timer is a release by the system.
    const released = await env.db.transaction().execute(async (trx) => {
      // Its status moved since the read (a request, another replica): the next run reads it again.
      if (!(await releaseInstance(trx, row, now))) return false;
      await enqueue(trx, { kind: 'instance', resourceId: row.id, accountId: row.account_id, dueAt: now }, now);
      return true;
    });
    if (released) env.log('auto-released instance', { instanceId: row.id });
  }
}
