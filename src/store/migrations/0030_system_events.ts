import type { Kysely } from 'kysely';

/**
 * System events (DescribeInstanceHistoryEvents, DescribeInstancesFullStatus, the metadata
 * service's `maintenance/active-system-events`): simulated ones (CreateSimulatedSystemEvents) and
 * the ones the system raises where it acts (an instance the engine gave up on, expiry). `next_at`
 * is when the event's next status change is due (null once it has finished), so the engine's
 * timer finds due events with one range read.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('system_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull().defaultTo('instance'))
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('cycle_status', 'text', (c) => c.notNull())
    .addColumn('simulated', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('publish_time', 'bigint', (c) => c.notNull())
    .addColumn('not_before', 'bigint', (c) => c.notNull())
    .addColumn('execute_end', 'bigint', (c) => c.notNull())
    .addColumn('finish_time', 'bigint')
    .addColumn('next_at', 'bigint')
    .execute();
  await db.schema.createIndex('system_events_resource').on('system_events').columns(['account_id', 'resource_id']).execute();
  await db.schema.createIndex('system_events_due').on('system_events').columns(['next_at']).execute();
}
