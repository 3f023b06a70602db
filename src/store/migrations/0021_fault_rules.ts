import type { Kysely } from 'kysely';

/**
 * Fault rules (OpenECS extension, src/faults/): make chosen API actions answer one of their
 * documented errors or wait, or make a driver step fail, so users rehearse their failure
 * handling. In the store so every replica applies the same rules; `remaining` counts down
 * compare-and-set (-1: no count), the probability is in parts per million (no float column).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('fault_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('product', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('api_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('account_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('resource_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('error_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('error_message', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('latency_ms', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('probability_ppm', 'integer', (c) => c.notNull().defaultTo(1_000_000))
    .addColumn('remaining', 'integer', (c) => c.notNull().defaultTo(-1))
    .addColumn('hits', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
}
