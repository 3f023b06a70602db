/** RAM user groups and their members; a group's policies apply to every member (store/ram.ts policyDocumentsFor). */
import { ramError, ramErrors } from '../../domain/ram/errors.js';
import { checkName, checkText, LIMITS } from '../../domain/ram/rules.js';
import { countRows, findGroup, findUser, groupsOfUser, pageByName, usersOfGroup } from '../../store/ram.js';
import type { RamGroupTable } from '../../store/schema.js';
import { ramHandlers } from '../typed-handlers.js';
import { decodeMarker, maxItems, newGroupId, page, ramTime, required } from './common.js';
import { isDuplicate } from './users.js';

const groupExists = (name: string) => ramError('EntityAlreadyExists.Group', `The group does already EXIST: ${name}.`);

function groupView(g: RamGroupTable) {
  return { GroupId: g.id, GroupName: g.name, Comments: g.comments, CreateDate: ramTime(g.created_at), UpdateDate: ramTime(g.updated_at) };
}

export const ramGroupActions = ramHandlers({
  async CreateGroup(ctx, p) {
    const name = required(p.GroupName, 'GroupName');
    checkName('GroupName', name);
    checkText('Comments', p.Comments);
    const accountId = ctx.principal.accountId;
    const now = ctx.now();
    const row: RamGroupTable = { id: newGroupId(), account_id: accountId, name, comments: p.Comments ?? '', created_at: now, updated_at: now };
    try {
      return await ctx.mutate(async (trx) => {
        if (await findGroup(trx, accountId, name)) throw groupExists(name);
        if (await countRows(trx, 'ram_groups', accountId) >= LIMITS.groupsPerAccount) throw ramError('LimitExceeded.Group', 'The count of groups beyond the current limits.');
        await trx.insertInto('ram_groups').values(row).execute();
        const { UpdateDate: _u, ...group } = groupView(row);
        return { Group: group };
      });
    } catch (e) {
      if (isDuplicate(e)) throw groupExists(name);
      throw e;
    }
  },

  async GetGroup(ctx, p) {
    const name = required(p.GroupName, 'GroupName');
    const g = await findGroup(ctx.db, ctx.principal.accountId, name);
    if (!g) throw ramErrors.groupNotExist(name);
    return { Group: groupView(g) };
  },

  async UpdateGroup(ctx, p) {
    const name = required(p.GroupName, 'GroupName');
    if (p.NewGroupName !== undefined) checkName('NewGroupName', p.NewGroupName);
    checkText('NewComments', p.NewComments);
    const accountId = ctx.principal.accountId;
    try {
      return await ctx.mutate(async (trx) => {
        const g = await findGroup(trx, accountId, name);
        if (!g) throw ramErrors.groupNotExist(name);
        if (p.NewGroupName && p.NewGroupName !== name && await findGroup(trx, accountId, p.NewGroupName)) throw groupExists(p.NewGroupName);
        const next = { ...g, name: p.NewGroupName || g.name, comments: p.NewComments ?? g.comments, updated_at: ctx.now() };
        await trx.updateTable('ram_groups').set({ name: next.name, comments: next.comments, updated_at: next.updated_at }).where('id', '=', g.id).execute();
        return { Group: groupView(next) };
      });
    } catch (e) {
      if (isDuplicate(e)) throw groupExists(p.NewGroupName ?? name);
      throw e;
    }
  },

  async DeleteGroup(ctx, p) {
    const name = required(p.GroupName, 'GroupName');
    return ctx.mutate(async (trx) => {
      const g = await findGroup(trx, ctx.principal.accountId, name);
      if (!g) throw ramErrors.groupNotExist(name);
      if (await trx.selectFrom('ram_group_members').select('user_id').where('group_id', '=', g.id).executeTakeFirst()) {
        throw ramError('DeleteConflict.Group.User', 'The group CAN NOT has any user member while deleting the group.');
      }
      if (await trx.selectFrom('ram_policy_attachments').select('policy_name').where('principal_type', '=', 'Group').where('principal_id', '=', g.id).executeTakeFirst()) {
        throw ramError('DeleteConflict.Group.Policy', 'The entity CAN NOT has any attached policy while deleting the group.');
      }
      await trx.deleteFrom('ram_groups').where('id', '=', g.id).execute();
      return {};
    });
  },

  async ListGroups(ctx, p) {
    const limit = maxItems(p.MaxItems);
    const cut = page(await pageByName(ctx.db, 'ram_groups', ctx.principal.accountId, decodeMarker(p.Marker), limit), limit);
    return { IsTruncated: cut.IsTruncated, ...(cut.Marker ? { Marker: cut.Marker } : {}), Groups: { Group: cut.rows.map(groupView) } };
  },

  async AddUserToGroup(ctx, p) {
    const userName = required(p.UserName, 'UserName');
    const groupName = required(p.GroupName, 'GroupName');
    const accountId = ctx.principal.accountId;
    try {
      return await ctx.mutate(async (trx) => {
        const u = await findUser(trx, accountId, userName);
        if (!u) throw ramErrors.userNotExist(userName);
        const g = await findGroup(trx, accountId, groupName);
        if (!g) throw ramErrors.groupNotExist(groupName);
        const groups = await groupsOfUser(trx, u.id);
        if (groups.some((x) => x.id === g.id)) throw ramError('EntityAlreadyExists.User.Group', 'The user has already joined the group.');
        if (groups.length >= LIMITS.groupsPerUser) throw ramError('LimitExceeded.User.Group', 'The count of groups the user joined beyond the current limits.');
        await trx.insertInto('ram_group_members').values({ group_id: g.id, user_id: u.id, account_id: accountId, joined_at: ctx.now() }).execute();
        return {};
      });
    } catch (e) {
      if (isDuplicate(e)) throw ramError('EntityAlreadyExists.User.Group', 'The user has already joined the group.');
      throw e;
    }
  },

  async RemoveUserFromGroup(ctx, p) {
    const userName = required(p.UserName, 'UserName');
    const groupName = required(p.GroupName, 'GroupName');
    const accountId = ctx.principal.accountId;
    return ctx.mutate(async (trx) => {
      const u = await findUser(trx, accountId, userName);
      if (!u) throw ramErrors.userNotExist(userName);
      const g = await findGroup(trx, accountId, groupName);
      if (!g) throw ramErrors.groupNotExist(groupName);
      const r = await trx.deleteFrom('ram_group_members').where('group_id', '=', g.id).where('user_id', '=', u.id).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw ramError('EntityNotExist.User.Group', 'The user has not joined the group.');
      return {};
    });
  },

  async ListGroupsForUser(ctx, p) {
    const userName = required(p.UserName, 'UserName');
    const u = await findUser(ctx.db, ctx.principal.accountId, userName);
    if (!u) throw ramErrors.userNotExist(userName);
    const groups = await groupsOfUser(ctx.db, u.id);
    return { Groups: { Group: groups.map((g) => ({ GroupId: g.id, GroupName: g.name, Comments: g.comments, JoinDate: ramTime(g.joined_at) })) } };
  },

  async ListUsersForGroup(ctx, p) {
    const groupName = required(p.GroupName, 'GroupName');
    const g = await findGroup(ctx.db, ctx.principal.accountId, groupName);
    if (!g) throw ramErrors.groupNotExist(groupName);
    const limit = maxItems(p.MaxItems);
    const after = decodeMarker(p.Marker);
    const members = (await usersOfGroup(ctx.db, g.id)).filter((m) => !after || m.name > after);
    const cut = page(members.slice(0, limit + 1), limit);
    return {
      IsTruncated: cut.IsTruncated, ...(cut.Marker ? { Marker: cut.Marker } : {}),
      Users: { User: cut.rows.map((m) => ({ UserName: m.name, DisplayName: m.display_name, JoinDate: ramTime(m.joined_at) })) },
    };
  },
});
