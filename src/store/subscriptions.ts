/**
 * Writes of the subscription lifecycle (src/domain/instances/subscription-lifecycle.ts). Each is
 * compare-and-set against what its caller read (status, ExpiredTime, the expiry stop): a renewal
 * racing the engine's stop, or two replicas' timers, change the row once.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { casInstanceRow, type InstanceRow } from './instances.js';

type Q = Kysely<Database> | Transaction<Database>;
type Seen = Pick<InstanceRow, 'id' | 'status' | 'expires_at' | 'expiry_stopped_at'>;

/**
 * The expired subscriptions the engine has something to do with at `now`: to auto-renew, to stop
 * (expired before `stopBefore`), to release (stopped before `releaseBefore`). Only those, so a
 * batch is never filled by instances still in their 15 days.
 */
export async function dueSubscriptions(db: Q, now: number, stopBefore: number, releaseBefore: number, limit = 500): Promise<InstanceRow[]> {
  return db.selectFrom('instances').selectAll()
    .where('instance_charge_type', '=', 'PrePaid').where('deleted_at', 'is', null)
    .where('expires_at', 'is not', null).where('expires_at', '<=', now)
    .where((eb) => eb.or([
      eb.and([eb('expiry_stopped_at', 'is', null), eb.or([eb('renewal_status', '=', 'AutoRenewal'), eb('expires_at', '<=', stopBefore)])]),
      eb('expiry_stopped_at', '<=', releaseBefore),
    ]))
    .orderBy('expires_at').limit(limit).execute();
}

/** Subscriptions whose renewal for configuration downgrade is due at `now` (the renewed period has started). */
export async function dueDowngrades(db: Q, now: number, limit = 500): Promise<InstanceRow[]> {
  return db.selectFrom('instances').selectAll()
    .where('renew_downgrade_at', 'is not', null).where('renew_downgrade_at', '<=', now).where('deleted_at', 'is', null)
    .orderBy('renew_downgrade_at').limit(limit).execute();
}

/** Compare-and-set on what `seen` showed (status, ExpiredTime, the expiry stop); `patch` (with a status change, its transition) written only then. */
export function casInstance(trx: Q, seen: Seen, patch: Partial<InstanceRow>, now: number): Promise<boolean> {
  return casInstanceRow(trx, seen, ['expires_at', 'expiry_stopped_at'], patch, now);
}

/** A subscription's disks follow its charge type (system disk always; data disks when asked). */
export async function setDisksChargeType(trx: Q, instanceId: string, chargeType: string, dataDisks: boolean): Promise<void> {
  let q = trx.updateTable('disks').set({ charge_type: chargeType }).where('instance_id', '=', instanceId);
  if (!dataDisks) q = q.where('type', '=', 'system');
  await q.execute();
}
