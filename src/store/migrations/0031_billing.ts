import type { Kysely } from 'kysely';
import { dialectOf, serialKey } from '../dialect.js';

/**
 * Metered usage (src/engine/metering.ts): `billing_usage` holds what each resource was charged,
 * one row per resource, billing item and UTC day for pay-as-you-go (added to as the meter
 * settles) and one row per item of each subscription purchase or renewal; amounts are the
 * currency's units as doubles. `billing_marks` is how far each resource has been settled
 * (compare-and-set by the meter) and up to which expiry its subscription has been charged.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const serial = serialKey(dialectOf(db));
  await db.schema.createTable('billing_usage')
    .addColumn('id', serial.type, serial.build)
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('zone_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('billing_item', 'text', (c) => c.notNull())
    .addColumn('subscription_type', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('billing_cycle', 'text', (c) => c.notNull())
    .addColumn('usage', 'double precision', (c) => c.notNull())
    .addColumn('usage_unit', 'text', (c) => c.notNull())
    .addColumn('list_price', 'double precision', (c) => c.notNull())
    .addColumn('list_price_unit', 'text', (c) => c.notNull())
    .addColumn('original_amount', 'double precision', (c) => c.notNull())
    .addColumn('amount', 'double precision', (c) => c.notNull())
    .addColumn('start_at', 'bigint', (c) => c.notNull())
    .addColumn('end_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('billing_usage_cycle').on('billing_usage').columns(['account_id', 'billing_cycle']).execute();
  await db.schema.createIndex('billing_usage_day').on('billing_usage').columns(['resource_id', 'billing_item', 'day']).execute();
  await db.schema.createTable('billing_marks')
    .addColumn('resource_id', 'text', (c) => c.primaryKey())
    .addColumn('metered_until', 'bigint', (c) => c.notNull())
    .addColumn('subscribed_until', 'bigint')
    .execute();
}
