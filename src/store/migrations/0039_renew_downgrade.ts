import type { Kysely } from 'kysely';

/**
 * Renewal for configuration downgrade (src/actions/renew-downgrade.ts): a subscription renewed at
 * a lower instance type that takes effect when the renewed period starts.
 * - `instances.renew_downgrade_type`: the type planned ('' for none);
 * - `instances.renew_downgrade_at`: when the renewed period starts (the old ExpiredTime), at
 *   which the engine's subscription timer gives the instance that type. Null for none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').addColumn('renew_downgrade_type', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('instances').addColumn('renew_downgrade_at', 'bigint').execute();
  // The subscription timer looks for planned downgrades that are due on every pass.
  await db.schema.createIndex('instances_renew_downgrade_at').on('instances').column('renew_downgrade_at').execute();
}
