import { sql, type Kysely } from 'kysely';

/**
 * The engine on several replicas (src/engine/claim.ts): an operation is claimed with a lease
 * (`lease_owner`, `lease_until` in database-clock milliseconds) that another replica takes over
 * once it has expired; `generation` counts the requests that asked for the operation, so a run
 * that started before a later request does not mark that request's work done.
 *
 * Intent lives in the resource row: `instances.force_stop` is ForceStop/ForceReboot of the last
 * power action, read and cleared by the instance reconciler.
 *
 * One pending operation per (kind, resource) becomes a partial unique index, so `enqueue` is one
 * upsert that two replicas cannot both insert (duplicates left by an older store are settled
 * first: the engine is level-triggered, so the oldest one does their work).
 *
 * `engine_leases` holds named leases beyond operations: the replica holding `timers` runs the
 * engine's timers (auto release, snapshot schedules, retention), one replica at a time.
 *
 * Retention (src/engine/retention.ts) deletes finished operations by `updated_at`, transitions
 * by `at` and ClientToken answers by `created_at`: one index each keeps those deletes cheap.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('operations').addColumn('lease_owner', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('operations').addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('operations').addColumn('generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('instances').addColumn('force_stop', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.updateTable('operations').set({ status: 'done', error: 'superseded by an older pending operation of the same resource (migration 0015)' })
    .where('status', '=', 'pending')
    .where('id', 'not in', db.selectFrom('operations').select((eb) => eb.fn.min('id').as('id')).where('status', '=', 'pending').groupBy(['kind', 'resource_id']))
    .execute();
  await db.schema.createIndex('operations_one_pending').on('operations').columns(['kind', 'resource_id']).unique()
    .where(sql.ref('status'), '=', sql.lit('pending')).execute();
  // Named leases outside operations: the engine's timers run on the replica holding `timers`.
  await db.schema.createTable('engine_leases')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('lease_until', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('operations_finished').on('operations').columns(['status', 'updated_at']).execute();
  await db.schema.createIndex('transitions_at').on('transitions').columns(['at']).execute();
  await db.schema.createIndex('idempotency_created').on('idempotency').columns(['created_at']).execute();
}
