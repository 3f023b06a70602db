/**
 * OpenECS extension actions for the operator's root (admin) account: more accounts with their own
 * AccessKeys (multi-tenant use, image sharing across accounts), quota changes (the guide's
 * "request an increase via ticket"), and moving the clock in emulator mode (OPENECS_CLOCK=offset).
 */
import { EcsError } from '../domain/errors.js';
import { createAccount, newAccessKey } from '../auth/accounts.js';
import { OffsetClock } from '../engine/clock.js';
import { isoSecond } from '../domain/time.js';
import { openEcsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

export function requireAdmin(ctx: ActionContext) {
  if (!ctx.principal.isAdmin) throw new EcsError('Forbidden.NotAdmin', 'Only the OpenECS root (admin) account can call this action.', 403);
}

export const accountActions = openEcsHandlers({
  async CreateAccount(ctx, p) {
    requireAdmin(ctx);
    if (!/^[A-Za-z][A-Za-z0-9_.-]{1,63}$/.test(p.AccountName)) throw new EcsError('InvalidAccountName.Malformed', 'AccountName: 2 to 64 letters, digits, _ . -, starting with a letter.');
    const exists = await ctx.db.selectFrom('accounts').select('id').where('name', '=', p.AccountName).executeTakeFirst();
    if (exists) throw new EcsError('AccountName.AlreadyExist', `The account name "${p.AccountName}" is already used.`, 400);
    const made = await createAccount(ctx.db, p.AccountName, ctx.now());
    return { AccountId: made.accountId, AccessKeyId: made.accessKeyId, AccessKeySecret: made.accessKeySecret };
  },

  async DescribeAccounts(ctx) {
    requireAdmin(ctx);
    const rows = await ctx.db.selectFrom('accounts').selectAll().orderBy('created_at').execute();
    return { Accounts: { Account: rows.map((r) => ({ AccountId: r.id, AccountName: r.name, IsAdmin: r.is_admin === 1 })) } };
  },

  async CreateAccessKey(ctx, p) {
    const accountId: string = p.AccountId ?? ctx.principal.accountId;
    if (accountId !== ctx.principal.accountId) requireAdmin(ctx);
    const account = await ctx.db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst();
    if (!account) throw new EcsError('InvalidAccountId.NotFound', `The account ${accountId} does not exist.`);
    const key = newAccessKey();
    await ctx.db.insertInto('access_keys').values({ id: key.id, secret: ctx.sealer.seal(key.secret), account_id: accountId, status: 'Active', created_at: ctx.now() }).execute();
    return { AccessKeyId: key.id, AccessKeySecret: key.secret };
  },

  async SetAccountQuota(ctx, p) {
    requireAdmin(ctx);
    const account = await ctx.db.selectFrom('accounts').select('id').where('id', '=', p.AccountId).executeTakeFirst();
    if (!account) throw new EcsError('InvalidAccountId.NotFound', `The account ${p.AccountId} does not exist.`);
    await ctx.db.insertInto('quotas').values({ account_id: p.AccountId, name: p.QuotaName, value: p.Value })
      .onConflict((oc) => oc.columns(['account_id', 'name']).doUpdateSet({ value: p.Value })).execute();
    return {};
  },

  async DescribeAccountQuotas(ctx, p) {
    const accountId: string = p.AccountId ?? ctx.principal.accountId;
    if (accountId !== ctx.principal.accountId) requireAdmin(ctx);
    const rows = await ctx.db.selectFrom('quotas').selectAll().where('account_id', '=', accountId).orderBy('name').execute();
    return { Quotas: { Quota: rows.map((r) => ({ QuotaName: r.name, Value: Number(r.value) })) } };
  },

  async AdvanceClock(ctx, p) {
    requireAdmin(ctx);
    if (!(ctx.clock instanceof OffsetClock)) {
      throw new EcsError('OperationDenied.ClockNotAdjustable', 'The clock can be moved only when the server runs with OPENECS_CLOCK=offset (emulator mode).', 403);
    }
    ctx.clock.advance(p.Seconds * 1000);
    return { Now: isoSecond(ctx.clock.now()) };
  },
});
