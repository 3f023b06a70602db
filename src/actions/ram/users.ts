/**
 * RAM users (Create/Get/Update/Delete/ListUsers). A user is deleted only once it holds nothing:
 * no AccessKey, login profile, group or policy (RAM's DeleteConflict.User.* codes), which is
 * what Terraform's `force` delete clears first.
 */
import { ramError, ramErrors } from '../../domain/ram/errors.js';
import { checkEmail, checkMobilePhone, checkName, checkText, LIMITS } from '../../domain/ram/rules.js';
import { countRows, findUser, pageByName } from '../../store/ram.js';
import type { RamUserTable } from '../../store/schema.js';
import { ramHandlers } from '../typed-handlers.js';
import { decodeMarker, maxItems, newUserId, page, ramTime, required } from './common.js';

export const userAlreadyExists = (name: string) => ramError('EntityAlreadyExists.User', `The user does already EXIST: ${name}.`);

/** A unique-key violation of a concurrent create or rename, answered as the code a serial one gets. */
export function isDuplicate(e: unknown): boolean {
  return /UNIQUE|duplicate key/i.test(String(e));
}

function userView(u: RamUserTable) {
  return {
    UserId: u.id, UserName: u.name, DisplayName: u.display_name, MobilePhone: u.mobile_phone, Email: u.email,
    Comments: u.comments, CreateDate: ramTime(u.created_at), UpdateDate: ramTime(u.updated_at),
  };
}

export const ramUserActions = ramHandlers({
  async CreateUser(ctx, p) {
    const name = required(p.UserName, 'UserName');
    checkName('UserName', name);
    checkText('DisplayName', p.DisplayName);
    checkText('Comments', p.Comments);
    checkMobilePhone('MobilePhone', p.MobilePhone);
    checkEmail('Email', p.Email);
    const accountId = ctx.principal.accountId;
    const now = ctx.now();
    const row: RamUserTable = {
      id: newUserId(), account_id: accountId, name, display_name: p.DisplayName ?? name, mobile_phone: p.MobilePhone ?? '',
      email: p.Email ?? '', comments: p.Comments ?? '', created_at: now, updated_at: now, last_login_at: 0,
    };
    try {
      return await ctx.mutate(async (trx) => {
        if (await findUser(trx, accountId, name)) throw userAlreadyExists(name);
        if (await countRows(trx, 'ram_users', accountId) >= LIMITS.usersPerAccount) {
          throw ramError('LimitExceeded.User', 'The count of users beyond the current limits.');
        }
        await trx.insertInto('ram_users').values(row).execute();
        const { UpdateDate: _u, ...user } = userView(row);
        return { User: user };
      });
    } catch (e) {
      if (isDuplicate(e)) throw userAlreadyExists(name);
      throw e;
    }
  },

  async GetUser(ctx, p) {
    const name = required(p.UserName, 'UserName');
    const u = await findUser(ctx.db, ctx.principal.accountId, name);
    if (!u) throw ramErrors.userNotExist(name);
    return { User: { ...userView(u), LastLoginDate: ramTime(u.last_login_at) } };
  },

  async UpdateUser(ctx, p) {
    const name = required(p.UserName, 'UserName');
    if (p.NewUserName !== undefined) checkName('NewUserName', p.NewUserName);
    checkText('NewDisplayName', p.NewDisplayName);
    checkText('NewComments', p.NewComments);
    checkMobilePhone('NewMobilePhone', p.NewMobilePhone);
    checkEmail('NewEmail', p.NewEmail);
    const accountId = ctx.principal.accountId;
    try {
      return await ctx.mutate(async (trx) => {
        const u = await findUser(trx, accountId, name);
        if (!u) throw ramErrors.userNotExist(name);
        if (p.NewUserName && p.NewUserName !== name && await findUser(trx, accountId, p.NewUserName)) throw userAlreadyExists(p.NewUserName);
        const next: RamUserTable = {
          ...u,
          name: p.NewUserName || u.name,
          display_name: p.NewDisplayName ?? u.display_name,
          mobile_phone: p.NewMobilePhone ?? u.mobile_phone,
          email: p.NewEmail ?? u.email,
          comments: p.NewComments ?? u.comments,
          updated_at: ctx.now(),
        };
        await trx.updateTable('ram_users').set({
          name: next.name, display_name: next.display_name, mobile_phone: next.mobile_phone, email: next.email,
          comments: next.comments, updated_at: next.updated_at,
        }).where('id', '=', u.id).execute();
        return { User: userView(next) };
      });
    } catch (e) {
      if (isDuplicate(e)) throw userAlreadyExists(p.NewUserName ?? name);
      throw e;
    }
  },

  async DeleteUser(ctx, p) {
    const name = required(p.UserName, 'UserName');
    const accountId = ctx.principal.accountId;
    return ctx.mutate(async (trx) => {
      const u = await findUser(trx, accountId, name);
      if (!u) throw ramErrors.userNotExist(name);
      if (await trx.selectFrom('access_keys').select('id').where('user_id', '=', u.id).executeTakeFirst()) {
        throw ramError('DeleteConflict.User.AccessKey', 'The user CAN NOT has any access key while deleting the user.');
      }
      if (await trx.selectFrom('ram_login_profiles').select('user_id').where('user_id', '=', u.id).executeTakeFirst()) {
        throw ramError('DeleteConflict.User.LoginProfile', 'The user CAN NOT has any login profile while deleting the user.');
      }
      if (await trx.selectFrom('ram_group_members').select('group_id').where('user_id', '=', u.id).executeTakeFirst()) {
        throw ramError('DeleteConflict.User.Group', 'The user CAN NOT be in any group while deleting the user.');
      }
      if (await trx.selectFrom('ram_policy_attachments').select('policy_name').where('principal_type', '=', 'User').where('principal_id', '=', u.id).executeTakeFirst()) {
        throw ramError('DeleteConflict.User.Policy', 'The user CAN NOT has any attached policy while deleting the user.');
      }
      await trx.deleteFrom('ram_users').where('id', '=', u.id).execute();
      return {};
    });
  },

  async ListUsers(ctx, p) {
    const limit = maxItems(p.MaxItems);
    const rows = await pageByName(ctx.db, 'ram_users', ctx.principal.accountId, decodeMarker(p.Marker), limit);
    const cut = page(rows, limit);
    return {
      IsTruncated: cut.IsTruncated, ...(cut.Marker ? { Marker: cut.Marker } : {}),
      Users: { User: cut.rows.map(userView) },
    };
  },
});
