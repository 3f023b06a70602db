/** Accounts and AccessKeys: the root account's bootstrap key, more accounts for multi-tenant use. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomAlnum } from '../domain/ids.js';
import type { Transaction } from 'kysely';
import type { Db } from '../store/db.js';
import type { Database } from '../store/schema.js';
import { lockFor } from '../store/cluster-locks.js';
import { ensureDefaultGroup } from '../store/resource-groups.js';
import { sealerOf, type SecretBox } from './secrets.js';

export interface Principal {
  accountId: string;
  accountName: string;
  isAdmin: boolean;
  accessKeyId: string;
  /** Who signed: the account itself (root), one of its RAM users, or a session of one of its roles (STS). */
  type: 'root' | 'user' | 'role';
  /** A RAM user's id and name (type 'user'). */
  userId?: string;
  userName?: string;
  /** The assumed role and session (type 'role'). */
  roleId?: string;
  roleName?: string;
  sessionName?: string;
  /** The STS session's AccessKeyId (`STS.…`), to look up its narrowing policy. */
  sessionKeyId?: string;
}

const DIGITS = '0123456789';
const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 16 digits starting with 1, as real account ids do, which also keeps them below 2^53 for clients that parse numbers. */
export function newAccountId(): string {
  return '1' + randomAlnum(15, DIGITS);
}

export function newAccessKey(): { id: string; secret: string } {
  return { id: 'LTAI' + randomAlnum(20, KEY_ALPHABET), secret: randomAlnum(30, KEY_ALPHABET) };
}

export async function createAccount(db: Db, name: string, now: number, isAdmin = false, key = newAccessKey()) {
  const sealer = sealerOf(db);
  return db.transaction().execute((trx) => insertAccount(trx, sealer, name, now, isAdmin, key));
}

async function insertAccount(trx: Transaction<Database>, sealer: SecretBox, name: string, now: number, isAdmin: boolean, key: { id: string; secret: string }) {
  const id = newAccountId();
  await trx.insertInto('accounts').values({ id, name, is_admin: isAdmin ? 1 : 0, created_at: now }).execute();
  await trx.insertInto('access_keys').values({ id: key.id, secret: sealer.seal(key.secret), account_id: id, status: 'Active', created_at: now }).execute();
  // Every account has a default resource group from its first moment (Resource Manager).
  await ensureDefaultGroup(trx, id, now);
  return { accountId: id, accessKeyId: key.id, accessKeySecret: key.secret };
}

export interface BootstrapResult {
  accountId: string;
  accessKeyId: string;
  /** Present only when the key was generated now, so it is printed once. */
  generatedSecret?: string;
}

/**
 * Makes sure the root account exists with the configured AccessKey, or generates one on first
 * start and stores it in the data dir (credentials.json, mode 0600).
 *
 * Several replicas may start together on one empty database: the whole check-and-create runs
 * under one cluster-wide lock, so exactly one makes the root account and the others find it.
 */
export async function bootstrapRoot(db: Db, dataDir: string, now: number, configured?: { id: string; secret: string }): Promise<BootstrapResult> {
  const sealer = sealerOf(db);
  const stored = readStoredKey(dataDir);
  const out = await db.transaction().execute(async (trx) => {
    await lockFor(trx, 'openecs_bootstrap_root');
    const root = await trx.selectFrom('accounts').selectAll().where('is_admin', '=', 1).orderBy('created_at').executeTakeFirst();
    if (!root) {
      const key = configured ?? stored ?? newAccessKey();
      const made = await insertAccount(trx, sealer, 'root', now, true, key);
      return { accountId: made.accountId, accessKeyId: key.id, created: key };
    }
    if (configured) {
      const existing = await trx.selectFrom('access_keys').selectAll().where('id', '=', configured.id).executeTakeFirst();
      if (!existing) {
        await trx.insertInto('access_keys').values({ id: configured.id, secret: sealer.seal(configured.secret), account_id: root.id, status: 'Active', created_at: now }).execute();
      } else if (existing.account_id !== root.id) {
        throw new Error(`OPENECS_ACCESS_KEY_ID ${configured.id} belongs to another account`);
      } else if (sealer.open(existing.secret) !== configured.secret) {
        await trx.updateTable('access_keys').set({ secret: sealer.seal(configured.secret), status: 'Active' }).where('id', '=', configured.id).execute();
      }
      return { accountId: root.id, accessKeyId: configured.id };
    }
    const key = await trx.selectFrom('access_keys').select('id').where('account_id', '=', root.id).orderBy('created_at').executeTakeFirst();
    return { accountId: root.id, accessKeyId: key?.id ?? '' };
  });
  const generated = 'created' in out && out.created && !configured && !stored ? out.created : undefined;
  if (generated && dataDir !== ':memory:') {
    writeFileSync(join(dataDir, 'credentials.json'), JSON.stringify({ accessKeyId: generated.id, accessKeySecret: generated.secret }, null, 2) + '\n', { mode: 0o600 });
  }
  return { accountId: out.accountId, accessKeyId: out.accessKeyId, generatedSecret: generated?.secret };
}

function readStoredKey(dataDir: string): { id: string; secret: string } | undefined {
  if (dataDir === ':memory:') return undefined;
  const file = join(dataDir, 'credentials.json');
  if (!existsSync(file)) return undefined;
  const j = JSON.parse(readFileSync(file, 'utf8'));
  return { id: j.accessKeyId, secret: j.accessKeySecret };
}

export async function findAccessKey(db: Db, id: string) {
  return db.selectFrom('access_keys')
    .innerJoin('accounts', 'accounts.id', 'access_keys.account_id')
    .leftJoin('ram_users', 'ram_users.id', 'access_keys.user_id')
    .select(['access_keys.id', 'access_keys.secret', 'access_keys.status', 'accounts.id as account_id', 'accounts.name', 'accounts.is_admin',
      'access_keys.user_id', 'ram_users.name as user_name'])
    .where('access_keys.id', '=', id)
    .executeTakeFirst();
}
