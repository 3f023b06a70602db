import type { Kysely } from 'kysely';

/**
 * Spot (preemptible) instances (src/domain/instances/spot.ts, src/engine/spot-interruptions.ts):
 * - `instances.spot_strategy` NoSpot | SpotWithPriceLimit | SpotAsPriceGo, `spot_price_limit`
 *   (the hourly bid of SpotWithPriceLimit, 3 decimals; a double, not PostgreSQL's 4-byte `real`),
 *   `spot_duration` (hours after creation with no interruption, 0-6), `spot_interruption_behavior`
 *   Terminate | Stop;
 * - `spot_termination_at`: the interruption notice's termination time (the metadata service's
 *   `instance/spot/termination-time`, the `Recycling` lock), null when none is under way.
 * The engine's timer reads spot instances on every pass: indexed by strategy.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').addColumn('spot_strategy', 'text', (c) => c.notNull().defaultTo('NoSpot')).execute();
  await db.schema.alterTable('instances').addColumn('spot_price_limit', 'double precision', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('instances').addColumn('spot_duration', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('instances').addColumn('spot_interruption_behavior', 'text', (c) => c.notNull().defaultTo('Terminate')).execute();
  await db.schema.alterTable('instances').addColumn('spot_termination_at', 'bigint').execute();
  await db.schema.createIndex('instances_spot_strategy').on('instances').column('spot_strategy').execute();
}
