import type { Kysely } from 'kysely';

/**
 * The subscription lifecycle on the clock (src/engine/reconcilers/subscriptions.ts):
 * - `instances.expiry_stopped_at`: when the instance was stopped for expiry (15 days after
 *   ExpiredTime without renewal); while set, DescribeInstances shows the `financial` lock, most
 *   actions refuse the instance, and it is released 15 days later. Null otherwise.
 *   `instances.expiry_restart` (0/1): the instance was running when stopped for expiry, so a
 *   renewal starts it again (one its user had stopped stays stopped).
 * - `disks.charge_type` (PostPaid | PrePaid: DescribeDisks DiskChargeType, ModifyDiskChargeType)
 *   and `disks.charge_type_changed_at` (a disk's charge type changes at most once per 5 minutes).
 *   Existing disks of subscription instances follow their instance.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').addColumn('expiry_stopped_at', 'bigint').execute();
  await db.schema.alterTable('instances').addColumn('expiry_restart', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('disks').addColumn('charge_type', 'text', (c) => c.notNull().defaultTo('PostPaid')).execute();
  await db.schema.alterTable('disks').addColumn('charge_type_changed_at', 'bigint').execute();
  // The engine's timer looks for expired subscriptions on every pass.
  await db.schema.createIndex('instances_expires_at').on('instances').column('expires_at').execute();
  const prePaid = db.selectFrom('instances').select('id').where('instance_charge_type', '=', 'PrePaid').where('deleted_at', 'is', null);
  await db.updateTable('disks').set({ charge_type: 'PrePaid' }).where('instance_id', 'in', prePaid).execute();
}
