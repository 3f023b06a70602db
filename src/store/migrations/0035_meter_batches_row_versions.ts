import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../dialect.js';

/**
 * `released_disks`: what the meter (src/engine/metering.ts) needs of a deleted pay-as-you-go disk
 * to bill its last partial hour — the meter settles disks at hour boundaries, and a disk row is
 * gone once deleted. Written in the deleting transaction (src/store/released-disks.ts), removed by
 * the meter in the transaction that bills it.
 * `billing_usage_payg_day`: a resource's pay-as-you-go row per item, spec and UTC day is unique,
 * so the meter adds a whole pass's hours in multi-row upserts (src/store/billing-settlements.ts)
 * instead of a look-up and an update per row. Rows a race may have doubled are merged first.
 * `billing_marks_subscribed`: the few marks holding a subscription, read by the meter every pass
 * (an instance back to pay-as-you-go) without scanning every resource's mark.
 * `instances.row_version`: moved by the store itself (a trigger) on every UPDATE of the row, by
 * whatever statement and process, so DescribeInstances reads a page's keys and versions and
 * reads and renders in full only the instances that changed since it last rendered them
 * (src/actions/instance-view.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('released_disks')
    .addColumn('disk_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('zone_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('performance_level', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('released_at', 'bigint', (c) => c.notNull())
    .execute();
  const doubled = await db.selectFrom('billing_usage').select(['resource_id', 'billing_item', 'day', 'spec'])
    .select((eb) => [eb.fn.min('id').as('keep'), eb.fn.sum('usage').as('usage'), eb.fn.sum('amount').as('amount'),
      eb.fn.sum('original_amount').as('original_amount'), eb.fn.max('end_at').as('end_at')])
    .where('subscription_type', '=', 'PayAsYouGo').groupBy(['resource_id', 'billing_item', 'day', 'spec'])
    .having((eb) => eb.fn.countAll(), '>', 1).execute();
  for (const d of doubled) {
    await db.updateTable('billing_usage').set({ usage: d.usage, amount: d.amount, original_amount: d.original_amount, end_at: d.end_at }).where('id', '=', d.keep).execute();
    await db.deleteFrom('billing_usage').where('subscription_type', '=', 'PayAsYouGo').where('resource_id', '=', d.resource_id)
      .where('billing_item', '=', d.billing_item).where('day', '=', d.day).where('spec', '=', d.spec).where('id', '<>', d.keep).execute();
  }
  await db.schema.alterTable('instances').addColumn('row_version', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  if (dialectOf(db) === 'postgres') {
    await sql`create function openecs_bump_row_version() returns trigger language plpgsql as $$
      begin new.row_version := old.row_version + 1; return new; end $$`.execute(db);
    await sql`create trigger instances_row_version before update on instances for each row execute function openecs_bump_row_version()`.execute(db);
  } else {
    // SQLite cannot assign NEW: the row is moved once more after the update (recursive triggers are off).
    await sql`create trigger instances_row_version after update on instances for each row when new.row_version = old.row_version
      begin update instances set row_version = old.row_version + 1 where id = old.id; end`.execute(db);
  }
  await db.schema.createIndex('billing_marks_subscribed').on('billing_marks').column('resource_id')
    .where(sql.ref('subscribed_until'), 'is not', sql.lit(null)).execute();
  await db.schema.createIndex('billing_usage_payg_day').unique().on('billing_usage').columns(['resource_id', 'billing_item', 'day', 'spec'])
    .where(sql.ref('subscription_type'), '=', sql.lit('PayAsYouGo')).execute();
}
