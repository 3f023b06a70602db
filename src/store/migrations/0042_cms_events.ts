import type { Kysely } from 'kysely';

/**
 * CloudMonitor's own ECS events (src/actions/cms-events.ts): notifications ECS does not list as
 * instance system events, e.g. a spot instance's interruption notice
 * (`Instance:PreemptibleInstanceInterruption`). Written in the transaction that makes the change;
 * read with the account's system events by DescribeSystemEventAttribute. Times in ms.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('cms_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('instance_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('event_time', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cms_events_account_time').on('cms_events').columns(['account_id', 'event_time']).execute();
}
