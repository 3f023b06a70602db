import type { Kysely } from 'kysely';

/**
 * `released_eips`: what the meter (src/engine/metering.ts) needs of a released pay-as-you-go EIP
 * to bill its last partial hour of fixed bandwidth (the EIP row is gone once released). Written in
 * the releasing transaction (src/store/eips.ts), removed by the meter in the transaction that bills it.
 * `traffic_baselines`: per public address, the driver's outbound byte counter the meter last
 * billed up to (`bytes`) and the counter's `epoch` (another epoch: the counter was reset, a
 * server restart, and restarted from zero), so each hourly pass bills only the delta.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('released_eips')
    .addColumn('eip_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('bandwidth', 'integer', (c) => c.notNull())
    .addColumn('internet_charge_type', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('released_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createTable('traffic_baselines')
    .addColumn('address', 'text', (c) => c.primaryKey())
    .addColumn('epoch', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bigint', (c) => c.notNull())
    .execute();
}
