/**
 * Reads and writes of spot instance interruptions (src/domain/instances/spot.ts,
 * src/engine/spot-interruptions.ts). Each write is compare-and-set against what its caller read
 * (status and notice), so a user's stop or release racing the engine, or two replicas' timers,
 * change the row once.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { casInstanceRow, type InstanceRow } from './instances.js';

type Q = Kysely<Database> | Transaction<Database>;
type Seen = Pick<InstanceRow, 'id' | 'status' | 'spot_termination_at'>;

/**
 * The spot instances the engine may have something to do with: those under a notice (to reclaim)
 * and the running price-limited ones (to compare with the market); a batch of them by id after
 * `after`, so a caller pages through all of them.
 */
export async function spotInstancesToCheck(db: Q, after = '', limit = 500): Promise<InstanceRow[]> {
  return db.selectFrom('instances').selectAll()
    .where('spot_strategy', 'in', ['SpotWithPriceLimit', 'SpotAsPriceGo']).where('deleted_at', 'is', null)
    .where((eb) => eb.or([eb('spot_termination_at', 'is not', null), eb.and([eb('spot_strategy', '=', 'SpotWithPriceLimit'), eb('status', '=', 'Running')])]))
    .where('id', '>', after).orderBy('id').limit(limit).execute();
}

/**
 * Compare-and-set on what `seen` showed; `patch` (with a status change, its transition) written
 * only then. A change of the notice bumps the metadata generation: the guest's metadata service
 * follows it (src/engine/reconcilers/guest-settings.ts).
 */
export function casSpotInstance(trx: Q, seen: Seen, patch: Partial<InstanceRow>, now: number): Promise<boolean> {
  const noticeChanges = 'spot_termination_at' in patch && patch.spot_termination_at !== seen.spot_termination_at;
  return casInstanceRow(trx, seen, ['spot_termination_at'], patch, now, noticeChanges);
}
