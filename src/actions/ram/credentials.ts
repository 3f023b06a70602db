/**
 * A RAM user's credentials: its console login profile (a password kept as an scrypt hash) and its
 * AccessKeys (at most 2; the secret is answered once, by CreateAccessKey). A key set Inactive or
 * deleted is refused at once by every replica: authentication caches keys by the store version,
 * which this write moves.
 */
import { newAccessKey } from '../../auth/accounts.js';
import { hashPassword, verifyPassword } from '../../auth/passwords.js';
import { readSecurityPreference } from '../../domain/ram/security-preference.js';
import { forgetKeyUse, keyLastUsed } from '../../store/access-key-usage.js';
import { ramError } from '../../domain/ram/errors.js';
import { checkPassword, readPasswordPolicy } from '../../domain/ram/passwords.js';
import { LIMITS } from '../../domain/ram/rules.js';
import { accountSettings, loginProfile, userAccessKeys } from '../../store/ram.js';
import { ramHandlers } from '../typed-handlers.js';
import { ramTime, required, userOf } from './common.js';

const profileMissing = () => ramError('EntityNotExist.User.LoginProfile', 'The user login profile does not exist.');
const keyMissing = (id: string) => ramError('EntityNotExist.User.AccessKey', `The user access key does not exist: ${id}.`);
const wrongOldPassword = () => ramError('InvalidParameter.OldPassword', 'The parameter - "OldPassword" is not the user\'s current password.');

async function checkAgainstPolicy(db: Parameters<typeof accountSettings>[0], accountId: string, password: string) {
  checkPassword(password, readPasswordPolicy((await accountSettings(db, accountId)).password_policy));
}

export const ramCredentialActions = ramHandlers({
  async CreateLoginProfile(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    const password = required(p.Password, 'Password');
    await checkAgainstPolicy(ctx.db, ctx.principal.accountId, password);
    const hash = await hashPassword(password);
    const now = ctx.now();
    return ctx.mutate(async (trx) => {
      if (await loginProfile(trx, user.id)) throw ramError('EntityAlreadyExists.User.LoginProfile', 'The user login profile does already EXIST.');
      await trx.insertInto('ram_login_profiles').values({
        user_id: user.id, account_id: user.account_id, password_hash: hash,
        password_reset_required: p.PasswordResetRequired ? 1 : 0, mfa_bind_required: p.MFABindRequired ? 1 : 0,
        created_at: now, updated_at: now,
      }).execute();
      return {
        LoginProfile: { UserName: user.name, PasswordResetRequired: !!p.PasswordResetRequired, MFABindRequired: !!p.MFABindRequired, CreateDate: ramTime(now) },
      };
    });
  },

  async GetLoginProfile(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    const lp = await loginProfile(ctx.db, user.id);
    if (!lp) throw profileMissing();
    return {
      LoginProfile: {
        UserName: user.name, PasswordResetRequired: lp.password_reset_required === 1, MFABindRequired: lp.mfa_bind_required === 1,
        CreateDate: ramTime(lp.created_at),
      },
    };
  },

  async UpdateLoginProfile(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    if (p.Password !== undefined) await checkAgainstPolicy(ctx.db, ctx.principal.accountId, p.Password);
    const hash = p.Password !== undefined ? await hashPassword(p.Password) : undefined;
    return ctx.mutate(async (trx) => {
      if (!await loginProfile(trx, user.id)) throw profileMissing();
      await trx.updateTable('ram_login_profiles').set({
        ...(hash ? { password_hash: hash } : {}),
        ...(p.PasswordResetRequired !== undefined ? { password_reset_required: p.PasswordResetRequired ? 1 : 0 } : {}),
        updated_at: ctx.now(),
      }).where('user_id', '=', user.id).execute();
      return {};
    });
  },

  async DeleteLoginProfile(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    return ctx.mutate(async (trx) => {
      const r = await trx.deleteFrom('ram_login_profiles').where('user_id', '=', user.id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw profileMissing();
      return {};
    });
  },

  async CreateAccessKey(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    const key = newAccessKey();
    const now = ctx.now();
    return ctx.mutate(async (trx) => {
      if ((await userAccessKeys(trx, user.id)).length >= LIMITS.accessKeysPerUser) {
        throw ramError('LimitExceeded.User.AccessKey', 'The access key count of the user access keys beyond the current limits.');
      }
      await trx.insertInto('access_keys').values({
        id: key.id, secret: ctx.sealer.seal(key.secret), account_id: user.account_id, user_id: user.id, status: 'Active', created_at: now,
      }).execute();
      return { AccessKey: { AccessKeyId: key.id, AccessKeySecret: key.secret, Status: 'Active', CreateDate: ramTime(now) } };
    });
  },

  async ListAccessKeys(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    const keys = await userAccessKeys(ctx.db, user.id);
    return { AccessKeys: { AccessKey: keys.map((k) => ({ AccessKeyId: k.id, Status: k.status, CreateDate: ramTime(k.created_at) })) } };
  },

  async UpdateAccessKey(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    const id = required(p.UserAccessKeyId, 'UserAccessKeyId');
    const status = required(p.Status, 'Status');
    if (status !== 'Active' && status !== 'Inactive') throw ramError('InvalidParameter.Status', 'The parameter - "Status" MUST be Active or Inactive.');
    return ctx.mutate(async (trx) => {
      const r = await trx.updateTable('access_keys').set({ status }).where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) throw keyMissing(id);
      return {};
    });
  },

  async DeleteAccessKey(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    const id = required(p.UserAccessKeyId, 'UserAccessKeyId');
    return ctx.mutate(async (trx) => {
      const r = await trx.deleteFrom('access_keys').where('id', '=', id).where('user_id', '=', user.id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw keyMissing(id);
      await forgetKeyUse(trx, id);
      return {};
    });
  },
});

/**
 * What a RAM user does for itself: ChangePassword (its console password, given the old one; the
 * security preference AllowUserToChangePassword must allow it, and the password policy applies)
 * and GetAccessKeyLastUsed (when a key last signed a call, recorded at authentication by
 * src/auth/key-usage.ts).
 */
export const ramSelfServiceActions = ramHandlers({
  async ChangePassword(ctx, p) {
    const caller = ctx.principal;
    if (caller.type !== 'user' || !caller.userId) {
      throw ramError('NoPermission', 'ChangePassword changes the calling RAM user\'s own console password: the account root and role sessions have none.');
    }
    const oldPassword = required(p.OldPassword, 'OldPassword');
    const newPassword = required(p.NewPassword, 'NewPassword');
    const settings = await accountSettings(ctx.db, caller.accountId);
    if (!readSecurityPreference(settings.security_preference).AllowUserToChangePassword) {
      throw ramError('NoPermission', 'The account\'s security preference does not allow RAM users to change their own passwords (SetSecurityPreference AllowUserToChangePassword).');
    }
    const profile = await loginProfile(ctx.db, caller.userId);
    if (!profile) throw profileMissing();
    if (!(await verifyPassword(oldPassword, profile.password_hash))) throw wrongOldPassword();
    const policy = readPasswordPolicy(settings.password_policy);
    if (policy.PasswordReusePrevention > 0 && newPassword === oldPassword) {
      throw ramError('InvalidParameter.NewPassword', `The new password must differ from the current one (the password policy's PasswordReusePrevention is ${policy.PasswordReusePrevention}).`);
    }
    checkPassword(newPassword, policy);
    const hash = await hashPassword(newPassword);
    return ctx.mutate(async (trx) => {
      // Compare-and-set on the hash checked: a concurrent change makes the old password stale.
      const r = await trx.updateTable('ram_login_profiles').set({ password_hash: hash, password_reset_required: 0, updated_at: ctx.now() })
        .where('user_id', '=', caller.userId!).where('password_hash', '=', profile.password_hash).executeTakeFirst();
      if (Number(r.numUpdatedRows) !== 1) throw wrongOldPassword();
      return {};
    });
  },

  async GetAccessKeyLastUsed(ctx, p) {
    const user = await userOf(ctx, p.UserName);
    const id = required(p.UserAccessKeyId, 'UserAccessKeyId');
    if (!(await userAccessKeys(ctx.db, user.id)).some((k) => k.id === id)) throw keyMissing(id);
    const used = await keyLastUsed(ctx.db, id);
    return { AccessKeyLastUsed: { LastUsedDate: ramTime(used?.last_used_at) } };
  },
});
