/**
 * Accounts' balances and arrears (migration 0041; rules in src/domain/billing/arrears.ts): the
 * price table's credit plus the operator's adjustment less what the meter billed.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { availableBalance, isOverdueBalance } from '../domain/billing/arrears.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface AccountBalance { available: number; spent: number; adjustment: number; overdueAt: number | null }

/** The balances of these accounts (every one answered, an account without a row at the credit alone). */
export async function balancesOf(db: Q, accountIds: string[], credit: number): Promise<Map<string, AccountBalance>> {
  const out = new Map<string, AccountBalance>();
  if (!accountIds.length) return out;
  const spent = new Map((await db.selectFrom('billing_usage').select(['account_id', (eb) => eb.fn.sum<number>('amount').as('spent')])
    .where('account_id', 'in', accountIds).groupBy('account_id').execute()).map((r) => [r.account_id, Number(r.spent ?? 0)]));
  const rows = new Map((await db.selectFrom('account_balances').selectAll().where('account_id', 'in', accountIds).execute()).map((r) => [r.account_id, r]));
  for (const id of accountIds) {
    const r = rows.get(id);
    const s = spent.get(id) ?? 0;
    const adjustment = Number(r?.adjustment ?? 0);
    out.set(id, { available: availableBalance(credit, adjustment, s), spent: s, adjustment, overdueAt: r?.overdue_at == null ? null : Number(r.overdue_at) });
  }
  return out;
}

export async function balanceOf(db: Q, accountId: string, credit: number): Promise<AccountBalance> {
  return (await balancesOf(db, [accountId], credit)).get(accountId)!;
}

/** Sets the adjustment; a balance back to zero or more ends the arrears (the instances wait for ReActivateInstances). */
export async function setAdjustment(db: Q, accountId: string, adjustment: number, available: number): Promise<void> {
  const overdue = isOverdueBalance(available) ? {} : { overdue_at: null };
  await db.insertInto('account_balances').values({ account_id: accountId, adjustment, overdue_at: null })
    .onConflict((oc) => oc.column('account_id').doUpdateSet({ adjustment, ...overdue })).execute();
}

/** Marks these accounts overdue from `now`, unless they already are. */
export async function markOverdue(db: Q, accountIds: string[], now: number): Promise<void> {
  for (const id of accountIds) {
    await db.insertInto('account_balances').values({ account_id: id, adjustment: 0, overdue_at: now })
      .onConflict((oc) => oc.column('account_id').doUpdateSet({ overdue_at: now }).where('account_balances.overdue_at', 'is', null)).execute();
  }
}

/** The accounts in arrears, with since when. */
export async function overdueAccounts(db: Q): Promise<{ accountId: string; overdueAt: number }[]> {
  const rows = await db.selectFrom('account_balances').select(['account_id', 'overdue_at']).where('overdue_at', 'is not', null).execute();
  return rows.map((r) => ({ accountId: r.account_id, overdueAt: Number(r.overdue_at) }));
}

export async function isAccountOverdue(db: Q, accountId: string): Promise<boolean> {
  const r = await db.selectFrom('account_balances').select('overdue_at').where('account_id', '=', accountId).where('overdue_at', 'is not', null).executeTakeFirst();
  return r !== undefined;
}
