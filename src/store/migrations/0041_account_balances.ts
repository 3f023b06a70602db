import type { Kysely } from 'kysely';

/**
 * `account_balances`: an account's own balance beside the price table's `accountCredit` (the
 * operator's SetAccountBalance: `adjustment` is added to the credit, so the balance is credit +
 * adjustment − billed), and `overdue_at`, when the meter found it below zero with pay-as-you-go
 * usage (null: not in arrears). No row: the table's credit alone, not overdue.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('account_balances')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('adjustment', 'double precision', (c) => c.notNull().defaultTo(0))
    .addColumn('overdue_at', 'bigint')
    .execute();
  // The arrears timer reads only overdue accounts.
  await db.schema.createIndex('account_balances_overdue').on('account_balances').column('overdue_at').execute();
  // The arrears release reads locked instances by when they were stopped (src/engine/arrears.ts).
  await db.schema.createIndex('instances_expiry_stopped_at').on('instances').column('expiry_stopped_at').execute();
}
