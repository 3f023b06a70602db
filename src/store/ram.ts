/**
 * RAM identities in the store: users, groups and memberships, roles, and the policy documents
 * that apply to a principal. Custom policies and attachments are in ram-policies.ts; STS
 * sessions in sts-sessions.ts.
 */
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/accounts.js';
import { systemPolicy } from '../auth/system-policies.js';
import { storeVersion, type Db } from './db.js';
import type { Database } from './schema.js';

type Q = Kysely<Database>;

export interface PolicyDocument {
  /** `System:<name>`, `Custom:<name>` or `Session:<session name>` (AssumeRole's narrowing Policy). */
  source: string;
  /** The version evaluated (the policy's default), '' for a session policy. */
  version: string;
  document: string;
}

/** Documents per principal, valid while the store version stays the same (any write retires them). */
const documentCache = new WeakMap<Db, Map<string, { version: string; docs: PolicyDocument[] }>>();

/**
 * The policy documents that decide what `principal` may do: for a RAM user, the policies attached
 * to it and to each of its groups; for an assumed role, the role's policies plus the session's
 * narrowing policy (source `Session:…`, which can only take permissions away: the evaluator must
 * require both an Allow from the role's policies and one from it). The account root has none (it
 * may do everything its account owns). Each policy appears once, even when reached twice.
 */
export async function policyDocumentsFor(db: Db, principal: Principal): Promise<PolicyDocument[]> {
  if (principal.type === 'root') return [];
  const key = `${principal.type}:${principal.userId ?? principal.roleId ?? ''}:${principal.sessionKeyId ?? ''}`;
  const version = storeVersion(db);
  let cache = documentCache.get(db);
  if (!cache) documentCache.set(db, cache = new Map());
  const hit = cache.get(key);
  if (hit?.version === version) return hit.docs;
  const docs = await loadDocuments(db, principal);
  if (cache.size >= 10_000) cache.clear();
  if (storeVersion(db) === version) cache.set(key, { version, docs });
  return docs;
}

async function loadDocuments(db: Q, principal: Principal): Promise<PolicyDocument[]> {
  const holders: { type: string; id: string }[] = [];
  if (principal.type === 'user' && principal.userId) {
    holders.push({ type: 'User', id: principal.userId });
    const groups = await db.selectFrom('ram_group_members').select('group_id').where('user_id', '=', principal.userId).execute();
    for (const g of groups) holders.push({ type: 'Group', id: g.group_id });
  } else if (principal.type === 'role' && principal.roleId) {
    holders.push({ type: 'Role', id: principal.roleId });
  }
  const attached = holders.length === 0 ? [] : await db.selectFrom('ram_policy_attachments')
    .select(['policy_type', 'policy_name'])
    .where('account_id', '=', principal.accountId)
    .where((eb) => eb.or(holders.map((h) => eb.and([eb('principal_type', '=', h.type), eb('principal_id', '=', h.id)]))))
    .orderBy('attached_at').orderBy('policy_name')
    .execute();
  const seen = new Set<string>();
  const docs: PolicyDocument[] = [];
  for (const a of attached) {
    const source = `${a.policy_type}:${a.policy_name}`;
    if (seen.has(source)) continue;
    seen.add(source);
    if (a.policy_type === 'System') {
      const p = systemPolicy(a.policy_name);
      if (p) docs.push({ source, version: 'v1', document: p.document });
      continue;
    }
    const row = await db.selectFrom('ram_policies')
      .innerJoin('ram_policy_versions', (j) => j.onRef('ram_policy_versions.account_id', '=', 'ram_policies.account_id')
        .onRef('ram_policy_versions.policy_name', '=', 'ram_policies.name').onRef('ram_policy_versions.version_id', '=', 'ram_policies.default_version'))
      .select(['ram_policy_versions.version_id', 'ram_policy_versions.document'])
      .where('ram_policies.account_id', '=', principal.accountId).where('ram_policies.name', '=', a.policy_name)
      .executeTakeFirst();
    if (row) docs.push({ source, version: row.version_id, document: row.document });
  }
  if (principal.type === 'role' && principal.sessionKeyId) {
    const s = await db.selectFrom('sts_sessions').select(['policy', 'session_name']).where('access_key_id', '=', principal.sessionKeyId).executeTakeFirst();
    if (s?.policy) docs.push({ source: `Session:${s.session_name}`, version: '', document: s.policy });
  }
  return docs;
}

// ---- users

export function findUser(db: Q, accountId: string, name: string) {
  return db.selectFrom('ram_users').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
}

export function findUserById(db: Q, id: string) {
  return db.selectFrom('ram_users').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countRows(db: Q, table: 'ram_users' | 'ram_groups' | 'ram_roles' | 'ram_policies', accountId: string): Promise<number> {
  const r = await db.selectFrom(table).select((eb) => eb.fn.countAll<string | number>().as('n')).where('account_id', '=', accountId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** A page of rows ordered by name, after `marker` (the last name of the previous page). */
export async function pageByName<T extends 'ram_users' | 'ram_groups' | 'ram_roles'>(db: Q, table: T, accountId: string, marker: string, limit: number) {
  let q = db.selectFrom(table as 'ram_users').selectAll().where('account_id', '=', accountId);
  if (marker) q = q.where('name', '>', marker);
  return q.orderBy('name').limit(limit + 1).execute() as unknown as Promise<Database[T][]>;
}

export function userAccessKeys(db: Q, userId: string) {
  return db.selectFrom('access_keys').select(['id', 'status', 'created_at']).where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
}

export function loginProfile(db: Q, userId: string) {
  return db.selectFrom('ram_login_profiles').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

// ---- groups

export function findGroup(db: Q, accountId: string, name: string) {
  return db.selectFrom('ram_groups').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
}

export function groupsOfUser(db: Q, userId: string) {
  return db.selectFrom('ram_group_members').innerJoin('ram_groups', 'ram_groups.id', 'ram_group_members.group_id')
    .select(['ram_groups.id', 'ram_groups.name', 'ram_groups.comments', 'ram_group_members.joined_at'])
    .where('ram_group_members.user_id', '=', userId).orderBy('ram_groups.name').execute();
}

export function usersOfGroup(db: Q, groupId: string) {
  return db.selectFrom('ram_group_members').innerJoin('ram_users', 'ram_users.id', 'ram_group_members.user_id')
    .select(['ram_users.id', 'ram_users.name', 'ram_users.display_name', 'ram_group_members.joined_at'])
    .where('ram_group_members.group_id', '=', groupId).orderBy('ram_users.name').execute();
}

// ---- roles

export function findRole(db: Q, accountId: string, name: string) {
  return db.selectFrom('ram_roles').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
}

/** RAM names are case-insensitive in ARNs (`acs:ram::<account>:role/<name>`), so an ARN finds its role either way. */
export async function findRoleByArnName(db: Q, accountId: string, name: string) {
  const exact = await findRole(db, accountId, name);
  if (exact) return exact;
  const all = await db.selectFrom('ram_roles').selectAll().where('account_id', '=', accountId).execute();
  return all.find((r) => r.name.toLowerCase() === name.toLowerCase());
}

// ---- account settings

export async function accountSettings(db: Q, accountId: string) {
  return (await db.selectFrom('ram_account_settings').selectAll().where('account_id', '=', accountId).executeTakeFirst())
    ?? { account_id: accountId, alias: '', password_policy: '', security_preference: '' };
}

export async function saveAccountSettings(db: Q, accountId: string, change: { alias?: string; password_policy?: string; security_preference?: string }) {
  const current = await db.selectFrom('ram_account_settings').select('account_id').where('account_id', '=', accountId).executeTakeFirst();
  if (current) await db.updateTable('ram_account_settings').set(change).where('account_id', '=', accountId).execute();
  else await db.insertInto('ram_account_settings').values({ account_id: accountId, alias: '', password_policy: '', security_preference: '', ...change }).execute();
}

export function accountByAlias(db: Q, alias: string) {
  return db.selectFrom('ram_account_settings').select('account_id').where('alias', '=', alias).executeTakeFirst();
}
