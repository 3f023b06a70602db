/**
 * Account-wide RAM settings: the account alias (the `<user>@<alias>` of a RAM user's console
 * sign-in, unique across accounts) and the password policy login profiles must meet.
 */
import { ramError } from '../../domain/ram/errors.js';
import { mergePasswordPolicy, readPasswordPolicy } from '../../domain/ram/passwords.js';
import { checkAccountAlias } from '../../domain/ram/rules.js';
import { accountByAlias, accountSettings, saveAccountSettings } from '../../store/ram.js';
import { ramHandlers } from '../typed-handlers.js';
import { required } from './common.js';

export const ramAccountActions = ramHandlers({
  async SetAccountAlias(ctx, p) {
    const alias = required(p.AccountAlias, 'AccountAlias');
    checkAccountAlias(alias);
    const accountId = ctx.principal.accountId;
    return ctx.mutate(async (trx) => {
      const owner = await accountByAlias(trx, alias);
      if (owner && owner.account_id !== accountId) throw ramError('EntityAlreadyExists.AccountAlias', 'The account alias does already exist.');
      await saveAccountSettings(trx, accountId, { alias });
      return {};
    });
  },

  async GetAccountAlias(ctx) {
    const s = await accountSettings(ctx.db, ctx.principal.accountId);
    // An account without an alias of its own answers its id, as RAM does.
    return { AccountAlias: s.alias || ctx.principal.accountId };
  },

  async ClearAccountAlias(ctx) {
    return ctx.mutate(async (trx) => {
      await saveAccountSettings(trx, ctx.principal.accountId, { alias: '' });
      return {};
    });
  },

  async GetPasswordPolicy(ctx) {
    const s = await accountSettings(ctx.db, ctx.principal.accountId);
    return { PasswordPolicy: readPasswordPolicy(s.password_policy) };
  },

  async SetPasswordPolicy(ctx, p) {
    const accountId = ctx.principal.accountId;
    return ctx.mutate(async (trx) => {
      const current = readPasswordPolicy((await accountSettings(trx, accountId)).password_policy);
      const next = mergePasswordPolicy(current, {
        MinimumPasswordLength: p.MinimumPasswordLength, RequireLowercaseCharacters: p.RequireLowercaseCharacters,
        RequireUppercaseCharacters: p.RequireUppercaseCharacters, RequireNumbers: p.RequireNumbers, RequireSymbols: p.RequireSymbols,
        HardExpiry: p.HardExpiry, MaxPasswordAge: p.MaxPasswordAge, PasswordReusePrevention: p.PasswordReusePrevention,
        MaxLoginAttemps: p.MaxLoginAttemps,
      });
      await saveAccountSettings(trx, accountId, { password_policy: JSON.stringify(next) });
      return { PasswordPolicy: next };
    });
  },
});
