/** Custom RAM policies, their versions, and the attachments of policies to users, groups and roles. */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Q = Kysely<Database>;
export type PrincipalType = 'User' | 'Group' | 'Role';

export function findCustomPolicy(db: Q, accountId: string, name: string) {
  return db.selectFrom('ram_policies').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
}

export function customPolicies(db: Q, accountId: string) {
  return db.selectFrom('ram_policies').selectAll().where('account_id', '=', accountId).orderBy('name').execute();
}

export function policyVersions(db: Q, accountId: string, name: string) {
  return db.selectFrom('ram_policy_versions').selectAll()
    .where('account_id', '=', accountId).where('policy_name', '=', name).orderBy('created_at').orderBy('version_id').execute();
}

export function policyVersion(db: Q, accountId: string, name: string, versionId: string) {
  return db.selectFrom('ram_policy_versions').selectAll()
    .where('account_id', '=', accountId).where('policy_name', '=', name).where('version_id', '=', versionId).executeTakeFirst();
}

/** How many users, groups and roles hold each policy of the account (`<type>:<name>` → count). */
export async function attachmentCounts(db: Q, accountId: string): Promise<Map<string, number>> {
  const rows = await db.selectFrom('ram_policy_attachments')
    .select(['policy_type', 'policy_name', (eb) => eb.fn.countAll<string | number>().as('n')])
    .where('account_id', '=', accountId).groupBy(['policy_type', 'policy_name']).execute();
  return new Map(rows.map((r) => [`${r.policy_type}:${r.policy_name}`, Number(r.n)]));
}

export function attachmentsOf(db: Q, accountId: string, principalType: PrincipalType, principalId: string) {
  return db.selectFrom('ram_policy_attachments').selectAll()
    .where('account_id', '=', accountId).where('principal_type', '=', principalType).where('principal_id', '=', principalId)
    .orderBy('attached_at').orderBy('policy_name').execute();
}

export function findAttachment(db: Q, accountId: string, policyType: string, policyName: string, principalType: PrincipalType, principalId: string) {
  return db.selectFrom('ram_policy_attachments').selectAll()
    .where('account_id', '=', accountId).where('policy_type', '=', policyType).where('policy_name', '=', policyName)
    .where('principal_type', '=', principalType).where('principal_id', '=', principalId).executeTakeFirst();
}

/** The users, groups and roles a policy is attached to, with their names (ListEntitiesForPolicy). */
export async function entitiesOf(db: Q, accountId: string, policyType: string, policyName: string) {
  const rows = await db.selectFrom('ram_policy_attachments').selectAll()
    .where('account_id', '=', accountId).where('policy_type', '=', policyType).where('policy_name', '=', policyName)
    .orderBy('attached_at').execute();
  const ids = (t: PrincipalType) => rows.filter((r) => r.principal_type === t).map((r) => r.principal_id);
  const attachedAt = new Map(rows.map((r) => [`${r.principal_type}:${r.principal_id}`, r.attached_at]));
  const users = ids('User').length ? await db.selectFrom('ram_users').selectAll().where('id', 'in', ids('User')).orderBy('name').execute() : [];
  const groups = ids('Group').length ? await db.selectFrom('ram_groups').selectAll().where('id', 'in', ids('Group')).orderBy('name').execute() : [];
  const roles = ids('Role').length ? await db.selectFrom('ram_roles').selectAll().where('id', 'in', ids('Role')).orderBy('name').execute() : [];
  return { users, groups, roles, attachedAt: (t: PrincipalType, id: string) => attachedAt.get(`${t}:${id}`) ?? 0 };
}
