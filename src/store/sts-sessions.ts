/**
 * STS temporary credentials: an `STS.` AccessKeyId, its secret and SecurityToken, bound to one
 * role session of one account until it expires. Rows in the store, so every replica honours a
 * session the moment it is issued and refuses it once expired.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { randomAlnum } from '../domain/ids.js';
import type { Database } from './schema.js';

/** Seals the session's secret and token for the row (src/auth/secrets.ts); the caller gets them in clear once. */
export interface SecretBox { seal(plain: string): string }

type Q = Kysely<Database>;

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Sessions stay readable a day after they expire, so a late caller is told "expired", not "unknown". */
const KEEP_EXPIRED_MS = 24 * 3600_000;

export interface RoleSession {
  accountId: string;
  roleId: string;
  roleName: string;
  sessionName: string;
  /** AssumeRole's narrowing policy, '' for none. */
  policy: string;
  durationSeconds: number;
}

export interface TemporaryCredentials {
  accessKeyId: string;
  accessKeySecret: string;
  securityToken: string;
  expiresAt: number;
}

export async function createRoleSession(db: Q, box: SecretBox, s: RoleSession, now: number): Promise<TemporaryCredentials> {
  const creds: TemporaryCredentials = {
    accessKeyId: 'STS.' + randomAlnum(24, KEY_ALPHABET),
    accessKeySecret: randomAlnum(44, KEY_ALPHABET),
    // Real tokens are opaque base64 blobs starting with CAIS; clients only carry them.
    securityToken: 'CAIS' + randomBytes(180).toString('base64'),
    expiresAt: now + s.durationSeconds * 1000,
  };
  await db.deleteFrom('sts_sessions').where('expires_at', '<', now - KEEP_EXPIRED_MS).execute();
  await db.insertInto('sts_sessions').values({
    access_key_id: creds.accessKeyId, secret: box.seal(creds.accessKeySecret), security_token: box.seal(creds.securityToken),
    account_id: s.accountId, role_id: s.roleId, role_name: s.roleName, session_name: s.sessionName,
    policy: s.policy, created_at: now, expires_at: creds.expiresAt,
  }).execute();
  return creds;
}

/**
 * A RAM user's console session (SignInWithPassword): the same temporary credentials, signing as
 * the user itself. Its row names the user in `role_id` as `user/<UserId>` (role ids are digits
 * only, so the two never meet) and the user name in `role_name`.
 */
export const USER_SESSION_PREFIX = 'user/';

export function createUserSession(db: Q, box: SecretBox, u: { accountId: string; userId: string; userName: string; durationSeconds: number }, now: number) {
  return createRoleSession(db, box, {
    accountId: u.accountId, roleId: USER_SESSION_PREFIX + u.userId, roleName: u.userName, sessionName: 'console',
    policy: '', durationSeconds: u.durationSeconds,
  }, now);
}

/** The row as stored: `secret` and `security_token` sealed. */
export function findSession(db: Q, accessKeyId: string) {
  return db.selectFrom('sts_sessions').innerJoin('accounts', 'accounts.id', 'sts_sessions.account_id')
    .select(['sts_sessions.access_key_id', 'sts_sessions.secret', 'sts_sessions.security_token', 'sts_sessions.account_id',
      'sts_sessions.role_id', 'sts_sessions.role_name', 'sts_sessions.session_name', 'sts_sessions.expires_at', 'accounts.name'])
    .where('sts_sessions.access_key_id', '=', accessKeyId)
    .executeTakeFirst();
}
