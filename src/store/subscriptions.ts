/**
 * Writes of the subscription lifecycle (src/domain/instances/subscription-lifecycle.ts). Each is
 * compare-and-set against what its caller read (status, ExpiredTime, the expiry stop): a renewal
 * racing the engine's stop, or two replicas' timers, change the row once.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import type { InstanceRow } from './instances.js';

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

/** Compare-and-set on what `seen` showed; `patch` (with a status change, its transition) written only then. */
export async function casInstance(trx: Q, seen: Seen, patch: Partial<InstanceRow>, now: number): Promise<boolean> {
  let q = trx.updateTable('instances').set({ ...patch, ...(patch.status && patch.status !== seen.status ? { status_changed_at: now } : {}) })
    .where('id', '=', seen.id).where('status', '=', seen.status).where('deleted_at', 'is', null);
  q = seen.expires_at === null ? q.where('expires_at', 'is', null) : q.where('expires_at', '=', seen.expires_at);
  q = seen.expiry_stopped_at === null ? q.where('expiry_stopped_at', 'is', null) : q.where('expiry_stopped_at', '=', seen.expiry_stopped_at);
  const r = await q.executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (patch.status && patch.status !== seen.status) {
    await trx.insertInto('transitions').values({ resource_id: seen.id, from_status: seen.status, to_status: patch.status, at: now }).execute();
  }
  return true;
}

/** A subscription's disks follow its charge type (system disk always; data disks when asked). */
export async function setDisksChargeType(trx: Q, instanceId: string, chargeType: string, dataDisks: boolean): Promise<void> {
  let q = trx.updateTable('disks').set({ charge_type: chargeType }).where('instance_id', '=', instanceId);
  if (!dataDisks) q = q.where('type', '=', 'system');
  await q.execute();
}
