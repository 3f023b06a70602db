/**
 * RAM roles: a trust policy (AssumeRolePolicyDocument: who may assume it — RAM identities,
 * accounts, or a cloud service such as ecs.aliyuncs.com) and a MaxSessionDuration of 3600..43200 s.
 * The ARN is `acs:ram::<account>:role/<name>` as CreateRole's documentation shows it. A role an
 * instance holds (AttachInstanceRamRole) is not deleted until it is detached.
 */
import { checkPolicyDocument } from '../../domain/ram/documents.js';
import { ramError, ramErrors } from '../../domain/ram/errors.js';
import { checkMaxSessionDuration, checkName, checkText, LIMITS } from '../../domain/ram/rules.js';
import { countRows, findRole, pageByName } from '../../store/ram.js';
import type { RamRoleTable } from '../../store/schema.js';
import { ramHandlers } from '../typed-handlers.js';
import { decodeMarker, maxItems, newRoleId, page, ramTime, required, roleArn } from './common.js';
import { checkTags, tagResource } from './tags.js';
import { removeRamTags } from '../../store/ram-tags.js';
import { isDuplicate } from './users.js';
import { forUpdate } from '../../store/dialect.js';

const roleExists = (name: string) => ramError('EntityAlreadyExists.Role', `The role does already EXIST: ${name}.`);

function roleView(r: RamRoleTable) {
  return {
    RoleId: r.id, RoleName: r.name, Arn: roleArn(r.account_id, r.name), Description: r.description,
    MaxSessionDuration: r.max_session_duration, CreateDate: ramTime(r.created_at), UpdateDate: ramTime(r.updated_at),
  };
}

export const ramRoleActions = ramHandlers({
  async CreateRole(ctx, p) {
    const name = required(p.RoleName, 'RoleName');
    checkName('RoleName', name);
    checkText('Description', p.Description);
    const trust = required(p.AssumeRolePolicyDocument, 'AssumeRolePolicyDocument');
    checkPolicyDocument(trust, 'trust', 'AssumeRolePolicyDocument');
    const maxSession = checkMaxSessionDuration('MaxSessionDuration', p.MaxSessionDuration);
    // `Tag` is in the current API (src/api/ram-tag-spec.ts), not in the generated request type.
    const tags = checkTags((p as { Tag?: { Key?: string; Value?: string }[] }).Tag);
    const accountId = ctx.principal.accountId;
    const now = ctx.now();
    const row: RamRoleTable = {
      id: newRoleId(), account_id: accountId, name, description: p.Description ?? '', trust_policy: trust,
      max_session_duration: maxSession, created_at: now, updated_at: now,
    };
    try {
      return await ctx.mutate(async (trx) => {
        if (await findRole(trx, accountId, name)) throw roleExists(name);
        if (await countRows(trx, 'ram_roles', accountId) >= LIMITS.rolesPerAccount) throw ramError('LimitExceeded.Role', 'The count of roles beyond the current limits.');
        await trx.insertInto('ram_roles').values(row).execute();
        await removeRamTags(trx, roleArn(accountId, name));
        if (tags.length) await tagResource(trx, { accountId, type: 'role', arn: roleArn(accountId, name), name }, tags);
        const { UpdateDate: _u, ...role } = roleView(row);
        return { Role: { ...role, AssumeRolePolicyDocument: trust } };
      });
    } catch (e) {
      if (isDuplicate(e)) throw roleExists(name);
      throw e;
    }
  },

  async GetRole(ctx, p) {
    const name = required(p.RoleName, 'RoleName');
    const r = await findRole(ctx.db, ctx.principal.accountId, name);
    if (!r) throw ramErrors.roleNotExist(name);
    return { Role: { ...roleView(r), AssumeRolePolicyDocument: r.trust_policy } };
  },

  async UpdateRole(ctx, p) {
    const name = required(p.RoleName, 'RoleName');
    if (p.NewAssumeRolePolicyDocument !== undefined) checkPolicyDocument(p.NewAssumeRolePolicyDocument, 'trust', 'NewAssumeRolePolicyDocument');
    const maxSession = p.NewMaxSessionDuration === undefined ? undefined : checkMaxSessionDuration('NewMaxSessionDuration', p.NewMaxSessionDuration);
    checkText('NewDescription', p.NewDescription);
    return ctx.mutate(async (trx) => {
      const r = await findRole(trx, ctx.principal.accountId, name);
      if (!r) throw ramErrors.roleNotExist(name);
      const next: RamRoleTable = {
        ...r,
        trust_policy: p.NewAssumeRolePolicyDocument ?? r.trust_policy,
        max_session_duration: maxSession ?? r.max_session_duration,
        description: p.NewDescription ?? r.description,
        updated_at: ctx.now(),
      };
      await trx.updateTable('ram_roles').set({
        trust_policy: next.trust_policy, max_session_duration: next.max_session_duration, description: next.description, updated_at: next.updated_at,
      }).where('id', '=', r.id).execute();
      return { Role: { ...roleView(next), AssumeRolePolicyDocument: next.trust_policy } };
    });
  },

  async DeleteRole(ctx, p) {
    const name = required(p.RoleName, 'RoleName');
    return ctx.mutate(async (trx) => {
      const r = await findRole(trx, ctx.principal.accountId, name);
      if (!r) throw ramErrors.roleNotExist(name);
      // Taken before looking for instances: an attach in flight (holdInstanceRole) commits first and is seen.
      await forUpdate(trx, trx.selectFrom('ram_roles').select('id').where('id', '=', r.id)).execute();
      const holder = await trx.selectFrom('instances').select('id')
        .where('account_id', '=', r.account_id).where('ram_role_name', '=', r.name).where('deleted_at', 'is', null)
        .orderBy('id').executeTakeFirst();
      if (holder) {
        // RAM documents no code for this (its DeleteRole lists DeleteConflict.Role.Policy only): the
        // family's 409, named for what is in the way.
        throw ramError('DeleteConflict.Role.Instance',
          `The role CAN NOT be attached to any ECS instance while deleting the role: instance ${holder.id} holds it; detach it first (DetachInstanceRamRole).`);
      }
      if (await trx.selectFrom('ram_policy_attachments').select('policy_name').where('principal_type', '=', 'Role').where('principal_id', '=', r.id).executeTakeFirst()) {
        throw ramError('DeleteConflict.Role.Policy', 'The role CAN NOT has any attached policy while deleting the role.');
      }
      await trx.deleteFrom('ram_roles').where('id', '=', r.id).execute();
      await removeRamTags(trx, roleArn(r.account_id, r.name));
      // Its sessions end with it: temporary credentials of a deleted role sign nothing more.
      await trx.deleteFrom('sts_sessions').where('role_id', '=', r.id).execute();
      return {};
    });
  },

  async ListRoles(ctx, p) {
    const limit = maxItems(p.MaxItems);
    const cut = page(await pageByName(ctx.db, 'ram_roles', ctx.principal.accountId, decodeMarker(p.Marker), limit), limit);
    return { IsTruncated: cut.IsTruncated, ...(cut.Marker ? { Marker: cut.Marker } : {}), Roles: { Role: cut.rows.map(roleView) } };
  },
});
