/**
 * SignInWithPassword (OpenECS extension, issue 13 point 5): a RAM user's `user@alias` (or
 * `user@<accountId>`) and login-profile password exchanged for temporary credentials that sign
 * as that user, what RAM's console sign-in page does. Unauthenticated (dispatch.ts); the rules
 * are in src/auth/console-sign-in.ts. A login profile with PasswordResetRequired signs in only
 * with a NewPassword that meets the account's password policy, which replaces the old one. The
 * account's security preference bounds the session (LoginSessionDuration, 6 hours unless set) and
 * the networks sign-in is allowed from (LoginNetworkMasks).
 */
import { FailedSignIns, parseSignInName, signInFailed } from '../auth/console-sign-in.js';
import { hashPassword, verifyPassword } from '../auth/passwords.js';
import { EcsError } from '../domain/errors.js';
import { checkPassword, readPasswordPolicy } from '../domain/ram/passwords.js';
import { readSecurityPreference, signInAllowedFrom } from '../domain/ram/security-preference.js';
import { isoSecond } from '../domain/time.js';
import { accountByAlias, accountSettings, findUser, loginProfile } from '../store/ram.js';
import { createUserSession } from '../store/sts-sessions.js';
import { openEcsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';


/** Attempts are counted per store (per server), like the other caches keyed by it. */
const attempts = new WeakMap<object, FailedSignIns>();
function attemptsOf(ctx: ActionContext): FailedSignIns {
  let a = attempts.get(ctx.db);
  if (!a) attempts.set(ctx.db, a = new FailedSignIns());
  return a;
}

async function accountOf(ctx: ActionContext, account: { alias: string } | { accountId: string }): Promise<string | undefined> {
  if ('alias' in account) return (await accountByAlias(ctx.db, account.alias))?.account_id;
  return (await ctx.db.selectFrom('accounts').select('id').where('id', '=', account.accountId).executeTakeFirst())?.id;
}

export const consoleSignInActions = openEcsHandlers({
  async SignInWithPassword(ctx, p) {
    const name = parseSignInName(p.PrincipalName);
    const accountId = await accountOf(ctx, name.account);
    const user = accountId ? await findUser(ctx.db, accountId, name.userName) : undefined;
    if (!accountId || !user) throw signInFailed();
    const settings = await accountSettings(ctx.db, accountId);
    const policy = readPasswordPolicy(settings.password_policy);
    const tries = attemptsOf(ctx);
    const key = `${accountId}/${user.id}`;
    const now = ctx.now();
    const locked = tries.lockedUntil(key, policy.MaxLoginAttemps, now);
    if (locked !== undefined) {
      throw new EcsError('SignInLocked',
        `Too many failed sign-in attempts (${policy.MaxLoginAttemps} within an hour, the password policy's MaxLoginAttemps): password sign-in of this user is locked until ${isoSecond(locked)}.`, 403);
    }
    const profile = await loginProfile(ctx.db, user.id);
    if (!profile || !(await verifyPassword(p.Password, profile.password_hash))) {
      tries.fail(key, now);
      throw signInFailed();
    }
    let newHash: string | undefined;
    if (profile.password_reset_required === 1) {
      if (!p.NewPassword) {
        throw new EcsError('PasswordResetRequired', 'The password must be changed before signing in: send NewPassword with a password that meets the password policy.', 403);
      }
      if (p.NewPassword === p.Password) throw new EcsError('InvalidParameter.NewPassword', 'The new password must differ from the current one.', 400);
      checkPassword(p.NewPassword, policy);
      newHash = await hashPassword(p.NewPassword);
    }
    tries.succeed(key);
    // The account's security preference: where from, and for how long, its users sign in.
    const preference = readSecurityPreference(settings.security_preference);
    if (!signInAllowedFrom(preference.LoginNetworkMasks, ctx.sourceIp)) {
      throw new EcsError('SignInForbidden.NetworkMask',
        `Console sign-in of this account's RAM users is allowed only from ${preference.LoginNetworkMasks} (SetSecurityPreference LoginNetworkMasks); this request comes from ${ctx.sourceIp ?? 'an unknown address'}.`, 403);
    }
    const longest = preference.LoginSessionDuration * 3600;
    const duration = p.DurationSeconds ?? longest;
    if (duration > longest) {
      throw new EcsError('InvalidParameter.DurationSeconds',
        `The parameter "DurationSeconds" must not exceed the account's console session length, ${longest} seconds (SetSecurityPreference LoginSessionDuration ${preference.LoginSessionDuration} hours).`, 400);
    }
    return ctx.mutate(async (trx) => {
      await trx.updateTable('ram_users').set({ last_login_at: now }).where('id', '=', user.id).execute();
      if (newHash) {
        await trx.updateTable('ram_login_profiles').set({ password_hash: newHash, password_reset_required: 0, updated_at: now })
          .where('user_id', '=', user.id).where('password_hash', '=', profile.password_hash).execute();
      }
      const creds = await createUserSession(trx, ctx.sealer, { accountId, userId: user.id, userName: user.name, durationSeconds: duration }, now);
      return {
        AccountId: accountId, UserId: user.id, UserName: user.name, Arn: `acs:ram::${accountId}:user/${user.name}`,
        Credentials: {
          AccessKeyId: creds.accessKeyId, AccessKeySecret: creds.accessKeySecret, SecurityToken: creds.securityToken,
          Expiration: isoSecond(creds.expiresAt),
        },
      };
    });
  },
});
