/**
 * Arrears on the service clock (src/domain/billing/arrears.ts): the pay-as-you-go instances of an
 * account the meter found overdue are stopped with the `financial` lock (`AccountUnbalanced.Stop`),
 * and released 15 days after that stop unless ReActivateInstances took them back
 * (`AccountUnbalanced.Delete`). A timer, so it runs on the replica holding the `timers` lease; the
 * guest is stopped (and released) by the instance reconciler, from the desired state written here,
 * with the compare-and-set writes the subscription lifecycle uses.
 */
import { ARREARS_RELEASE_MS } from '../domain/billing/arrears.js';
import { overdueAccounts } from '../store/account-balances.js';
import type { InstanceRow } from '../store/instances.js';
import type { RaisedEvent } from '../store/system-events.js';
import { releaseLocked, stopWithFinancialLock } from './reconcilers/subscriptions.js';
import type { EngineEnv } from './engine.js';

const BATCH = 500;

export async function runArrears(env: EngineEnv): Promise<void> {
  const now = env.clock.now();
  const overdue = await overdueAccounts(env.db);
  if (overdue.length) {
    const rows = await env.db.selectFrom('instances').selectAll()
      .where('account_id', 'in', overdue.map((a) => a.accountId)).where('instance_charge_type', '<>', 'PrePaid')
      .where('deleted_at', 'is', null).where('expiry_stopped_at', 'is', null).where('status', 'in', ['Running', 'Stopped'])
      .limit(BATCH).execute();
    for (const row of rows) {
      // Overdue instances stop charging for their compute, as StopCharging does.
      const done = await env.db.transaction().execute((trx) => stopWithFinancialLock(trx, row, now, now, arrearsEvent(row, 'AccountUnbalanced.Stop', now), 'StopCharging'));
      if (done) env.log('arrears stop', { instanceId: row.id });
    }
  }
  const due = await env.db.selectFrom('instances').selectAll()
    .where('instance_charge_type', '<>', 'PrePaid').where('deleted_at', 'is', null)
    .where('expiry_stopped_at', 'is not', null).where('expiry_stopped_at', '<=', now - ARREARS_RELEASE_MS)
    .limit(BATCH).execute();
  for (const row of due) {
    const done = await env.db.transaction().execute((trx) => releaseLocked(trx, row, arrearsEvent(row, 'AccountUnbalanced.Delete', now), now));
    if (done) env.log('arrears release', { instanceId: row.id });
  }
}

function arrearsEvent(row: InstanceRow, type: 'AccountUnbalanced.Stop' | 'AccountUnbalanced.Delete', at: number): RaisedEvent {
  return { accountId: row.account_id, regionId: row.region_id, instanceId: row.id, type, notBefore: at, reason: 'The account has an overdue payment.' };
}
