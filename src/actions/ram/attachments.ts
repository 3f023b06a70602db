/** Attaching System and Custom policies to users, groups and roles, and listing who holds what. */
import { systemPolicy } from '../../auth/system-policies.js';
import { ramError, ramErrors } from '../../domain/ram/errors.js';
import { LIMITS } from '../../domain/ram/rules.js';
import { findGroup, findRole, findUser } from '../../store/ram.js';
import { attachmentsOf, entitiesOf, findAttachment, findCustomPolicy, type PrincipalType } from '../../store/ram-policies.js';
import type { ActionContext, Tx } from '../types.js';
import { ramHandlers } from '../typed-handlers.js';
import { ramTime, required, roleArn } from './common.js';
import { resolvePolicy } from './policies.js';
import { isDuplicate } from './users.js';

type Db = ActionContext['db'] | Tx;

async function holder(db: Db, accountId: string, type: PrincipalType, name: string): Promise<string> {
  if (type === 'User') {
    const u = await findUser(db, accountId, name);
    if (!u) throw ramErrors.userNotExist(name);
    return u.id;
  }
  if (type === 'Group') {
    const g = await findGroup(db, accountId, name);
    if (!g) throw ramErrors.groupNotExist(name);
    return g.id;
  }
  const r = await findRole(db, accountId, name);
  if (!r) throw ramErrors.roleNotExist(name);
  return r.id;
}

async function attach(ctx: ActionContext, type: PrincipalType, p: { PolicyType?: string; PolicyName?: string }, holderName: string | undefined) {
  const name = required(p.PolicyName, 'PolicyName');
  required(p.PolicyType, 'PolicyType');
  const who = required(holderName, `${type}Name`);
  const accountId = ctx.principal.accountId;
  const already = () => ramError(`EntityAlreadyExists.${type}.Policy`, `The ${type.toLowerCase()} has already been attached this policy.`);
  try {
    return await ctx.mutate(async (trx) => {
      const policy = await resolvePolicy(trx, accountId, p.PolicyType, name, true);
      const id = await holder(trx, accountId, type, who);
      if (await findAttachment(trx, accountId, policy.type, name, type, id)) throw already();
      if ((await attachmentsOf(trx, accountId, type, id)).length >= LIMITS.policiesPerPrincipal) {
        throw ramError(`LimitExceeded.${type}.Policy`, `The count of policies attached to the ${type.toLowerCase()} beyond the current limits.`);
      }
      await trx.insertInto('ram_policy_attachments').values({
        account_id: accountId, policy_type: policy.type, policy_name: name, principal_type: type, principal_id: id, attached_at: ctx.now(),
      }).execute();
      return {};
    });
  } catch (e) {
    if (isDuplicate(e)) throw already();
    throw e;
  }
}

async function detach(ctx: ActionContext, type: PrincipalType, p: { PolicyType?: string; PolicyName?: string }, holderName: string | undefined) {
  const name = required(p.PolicyName, 'PolicyName');
  required(p.PolicyType, 'PolicyType');
  const who = required(holderName, `${type}Name`);
  const accountId = ctx.principal.accountId;
  return ctx.mutate(async (trx) => {
    const policy = await resolvePolicy(trx, accountId, p.PolicyType, name, true);
    const id = await holder(trx, accountId, type, who);
    const r = await trx.deleteFrom('ram_policy_attachments')
      .where('account_id', '=', accountId).where('policy_type', '=', policy.type).where('policy_name', '=', name)
      .where('principal_type', '=', type).where('principal_id', '=', id).executeTakeFirst();
    if (Number(r.numDeletedRows) === 0) {
      throw ramError(`EntityNotExist.${type}.Policy`, `The indicate policy of the ${type.toLowerCase()} does not exist.`);
    }
    return {};
  });
}

async function policiesFor(ctx: ActionContext, type: PrincipalType, holderName: string | undefined) {
  const who = required(holderName, `${type}Name`);
  const accountId = ctx.principal.accountId;
  const id = await holder(ctx.db, accountId, type, who);
  const rows = await attachmentsOf(ctx.db, accountId, type, id);
  const Policy = [];
  for (const a of rows) {
    const custom = a.policy_type === 'Custom' ? await findCustomPolicy(ctx.db, accountId, a.policy_name) : undefined;
    const system = a.policy_type === 'System' ? systemPolicy(a.policy_name) : undefined;
    Policy.push({
      PolicyName: a.policy_name, PolicyType: a.policy_type, AttachDate: ramTime(a.attached_at),
      Description: custom?.description ?? system?.description ?? '', DefaultVersion: custom?.default_version ?? 'v1',
    });
  }
  return { Policies: { Policy } };
}

export const ramAttachmentActions = ramHandlers({
  async AttachPolicyToUser(ctx, p) { return attach(ctx, 'User', p, p.UserName); },
  async AttachPolicyToGroup(ctx, p) { return attach(ctx, 'Group', p, p.GroupName); },
  async AttachPolicyToRole(ctx, p) { return attach(ctx, 'Role', p, p.RoleName); },
  async DetachPolicyFromUser(ctx, p) { return detach(ctx, 'User', p, p.UserName); },
  async DetachPolicyFromGroup(ctx, p) { return detach(ctx, 'Group', p, p.GroupName); },
  async DetachPolicyFromRole(ctx, p) { return detach(ctx, 'Role', p, p.RoleName); },
  async ListPoliciesForUser(ctx, p) { return policiesFor(ctx, 'User', p.UserName); },
  async ListPoliciesForGroup(ctx, p) { return policiesFor(ctx, 'Group', p.GroupName); },
  async ListPoliciesForRole(ctx, p) { return policiesFor(ctx, 'Role', p.RoleName); },

  async ListEntitiesForPolicy(ctx, p) {
    const name = required(p.PolicyName, 'PolicyName');
    required(p.PolicyType, 'PolicyType');
    const accountId = ctx.principal.accountId;
    const policy = await resolvePolicy(ctx.db, accountId, p.PolicyType, name, true);
    const e = await entitiesOf(ctx.db, accountId, policy.type, name);
    return {
      Users: { User: e.users.map((u) => ({ UserId: u.id, UserName: u.name, DisplayName: u.display_name, AttachDate: ramTime(e.attachedAt('User', u.id)) })) },
      Groups: { Group: e.groups.map((g) => ({ GroupName: g.name, Comments: g.comments, AttachDate: ramTime(e.attachedAt('Group', g.id)) })) },
      Roles: {
        Role: e.roles.map((r) => ({
          RoleId: r.id, RoleName: r.name, Arn: roleArn(r.account_id, r.name), Description: r.description, AttachDate: ramTime(e.attachedAt('Role', r.id)),
        })),
      },
    };
  },
});
