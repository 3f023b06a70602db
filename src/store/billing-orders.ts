/**
 * A charge made by an action itself, in the transaction of the change it pays for (a subscription's
 * upgrade): one `billing_usage` row of the Subscription type, a SubscriptionOrder of its own in
 * QueryBill. Purchases and renewals are the meter's (billing-settlements.ts).
 */
import type { Insertable, Transaction } from 'kysely';
import type { BillingUsageTable, Database } from './schema.js';

export async function recordOrder(trx: Transaction<Database>, order: Insertable<BillingUsageTable>): Promise<void> {
  await trx.insertInto('billing_usage').values(order).execute();
}
