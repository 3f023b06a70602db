/**
 * A spot instance's interruption notice as CloudMonitor shows it (`Instance:PreemptibleInstanceInterruption`,
 * content `{"instanceId","action"}`): written with the notice itself (the market's timer or the
 * InterruptSpotInstance drill), in the same transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import { SPOT_INTERRUPTION_EVENT, spotInterruptionContent } from '../domain/cms-events.js';
import type { InstanceRow } from './instances.js';
import type { Database } from './schema.js';
import { recordCmsNotice } from './cms-events.js';

/** Always true (so it chains after the compare-and-set that gave the notice). */
export async function recordSpotInterruption(trx: Kysely<Database> | Transaction<Database>, row: InstanceRow, now: number): Promise<true> {
  await recordCmsNotice(trx, {
    accountId: row.account_id, regionId: row.region_id, instanceId: row.id, instanceName: row.name,
    name: SPOT_INTERRUPTION_EVENT, content: spotInterruptionContent(row.id, row.spot_interruption_behavior),
  }, now);
  return true;
}
