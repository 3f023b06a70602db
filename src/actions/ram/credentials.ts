/**
 * A RAM user's credentials: its console login profile (a password kept as an scrypt hash) and its
 * AccessKeys (at most 2; the secret is answered once, by CreateAccessKey). A key set Inactive or
 * deleted is refused at once by every replica: authentication caches keys by the store version,
 * which this write moves.
 */
import { newAccessKey } from '../../auth/accounts.js';
import { hashPassword } from '../../auth/passwords.js';
import { ramError } from '../../domain/ram/errors.js';
import { checkPassword, readPasswordPolicy } from '../../domain/ram/passwords.js';
import { LIMITS } from '../../domain/ram/rules.js';
import { accountSettings, loginProfile, userAccessKeys } from '../../store/ram.js';
import { ramHandlers } from '../typed-handlers.js';
import { ramTime, required, userOf } from './common.js';

const profileMissing = () => ramError('EntityNotExist.User.LoginProfile', 'The user login profile does not exist.');
const keyMissing = (id: string) => ramError('EntityNotExist.User.AccessKey', `The user access key does not exist: ${id}.`);

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
        id: key.id, secret: key.secret, account_id: user.account_id, user_id: user.id, status: 'Active', created_at: now,
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
      return {};
    });
  },
});
