/**
 * The temporary credentials of an instance RAM role, as the metadata service serves them at
 * `latest/meta-data/ram/security-credentials/<role>`: a role session of the instance's role
 * (trusted by `ecs.aliyuncs.com`), issued on demand and kept in the store like AssumeRole's, reused
 * until less than ROTATE_BEFORE_MS remain, then replaced by a fresh one (as ECS refreshes the
 * token well before it expires). The attachment's Policy (AttachInstanceRamRole) goes with the
 * session, so the instance's calls must be allowed by the role's policies and by it (store/ram.ts
 * policyDocumentsFor). Nothing is kept outside the store: when the role is detached the
 * instance's sessions are deleted (endInstanceSessions) and every replica refuses them at once.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import { findRole } from '../store/ram.js';
import { issueRoleSession, trusts } from './role-sessions.js';
import type { SecretBox } from './secrets.js';

type Q = Kysely<Database>;

export const ECS_SERVICE = 'ecs.aliyuncs.com';
/** ECS hands out instance role tokens valid for six hours (the guide's example: 23:20 → 05:20). */
export const INSTANCE_SESSION_SECONDS = 6 * 3600;
/** A session with less than this left is not served again: the next read gets a fresh one. */
export const ROTATE_BEFORE_MS = 15 * 60_000;

/** The document the guide shows (4.3.3), field for field. */
export interface SecurityCredentialsDocument {
  AccessKeyId: string;
  AccessKeySecret: string;
  Expiration: string;
  SecurityToken: string;
  LastUpdated: string;
  Code: 'Success';
}

/** `roleName` of the instance; `credentials` absent when the role cannot be assumed (deleted, or no longer trusts ECS). */
export interface InstanceRoleCredentials {
  roleName: string;
  credentials?: SecurityCredentialsDocument;
}

/** ECS writes these times without milliseconds. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/** The instance's role and its current credentials; undefined when the instance holds no role (or does not exist). */
export async function instanceRoleCredentials(db: Q, box: SecretBox, instanceId: string, now: number): Promise<InstanceRoleCredentials | undefined> {
  const inst = await db.selectFrom('instances').select(['id', 'account_id', 'ram_role_name', 'ram_role_policy'])
    .where('id', '=', instanceId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!inst || !inst.ram_role_name) return undefined;
  const role = await findRole(db, inst.account_id, inst.ram_role_name);
  if (!role || !trusts(role, { service: ECS_SERVICE })) return { roleName: inst.ram_role_name };
  const current = await db.selectFrom('sts_sessions')
    .select(['access_key_id', 'secret', 'security_token', 'created_at', 'expires_at'])
    .where('instance_id', '=', instanceId).where('role_id', '=', role.id).where('policy', '=', inst.ram_role_policy)
    .where('expires_at', '>', now + ROTATE_BEFORE_MS)
    .orderBy('expires_at', 'desc').executeTakeFirst();
  if (current) {
    return { roleName: role.name, credentials: document(current.access_key_id, box.open(current.secret), box.open(current.security_token), Number(current.created_at), Number(current.expires_at)) };
  }
  const issued = await db.transaction().execute(async (trx) => {
    const creds = await issueRoleSession(trx, box, role, { sessionName: instanceId, policy: inst.ram_role_policy, durationSeconds: INSTANCE_SESSION_SECONDS }, now);
    await trx.updateTable('sts_sessions').set({ instance_id: instanceId }).where('access_key_id', '=', creds.accessKeyId).execute();
    return creds;
  });
  return { roleName: role.name, credentials: document(issued.accessKeyId, issued.accessKeySecret, issued.securityToken, now, issued.expiresAt) };
}

function document(id: string, secret: string, token: string, issuedAt: number, expiresAt: number): SecurityCredentialsDocument {
  return { AccessKeyId: id, AccessKeySecret: secret, Expiration: isoSeconds(expiresAt), SecurityToken: token, LastUpdated: isoSeconds(issuedAt), Code: 'Success' };
}

/** Ends every session issued for the instances' roles: their keys are refused from now on. */
export async function endInstanceSessions(trx: Q, instanceIds: readonly string[]): Promise<void> {
  if (instanceIds.length === 0) return;
  await trx.deleteFrom('sts_sessions').where('instance_id', 'in', [...instanceIds]).execute();
}
