/**
 * An account's balance (issue 15, arrears): the operator's SetAccountBalance (a top-up, or a debt
 * to drive arrears) and the refusal of pay-as-you-go purchases while the account is overdue
 * (src/domain/billing/arrears.ts; the meter marks it, src/engine/arrears.ts stops its instances).
 */
import { EcsError } from '../domain/errors.js';
import { adjustmentFor } from '../domain/billing/arrears.js';
import { balanceOf, isAccountOverdue, setAdjustment } from '../store/account-balances.js';
import { requireAdmin } from './accounts.js';
import { openEcsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

/** RunInstances, CreateInstance and CreateDisk refuse a pay-as-you-go purchase of an overdue account (`status`: the one the action's metadata gives). */
export async function refuseIfInArrears(ctx: ActionContext, status: 400 | 403): Promise<void> {
  if (await isAccountOverdue(ctx.db, ctx.principal.accountId)) {
    throw new EcsError('Account.Arrearage', 'Your account has an outstanding payment: settle it (top up the balance) before buying pay-as-you-go resources.', status);
  }
}

export const accountBalanceActions = openEcsHandlers({
  async SetAccountBalance(ctx, p) {
    requireAdmin(ctx);
    const account = await ctx.db.selectFrom('accounts').select('id').where('id', '=', p.AccountId).executeTakeFirst();
    if (!account) throw new EcsError('InvalidAccountId.NotFound', `The account ${p.AccountId} does not exist.`);
    const target = Math.round(p.AvailableAmount * 100) / 100;
    const credit = ctx.config.prices.accountCredit;
    return ctx.mutate(async (trx) => {
      const { spent } = await balanceOf(trx, p.AccountId, credit);
      await setAdjustment(trx, p.AccountId, adjustmentFor(target, credit, spent), target);
      const after = await balanceOf(trx, p.AccountId, credit);
      return { AccountId: p.AccountId, AvailableAmount: after.available.toFixed(2), Currency: ctx.config.prices.currency, InArrears: after.overdueAt !== null };
    });
  },
});
