/** Key pair queries, and the instance columns that key pair binding writes. */
import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import { DEFAULT_KEY_PAIRS_PER_REGION, KEY_PAIR_QUOTA_NAME } from '../domain/key-pairs.js';
import type { Database, KeyPairTable } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;
export type KeyPairRow = Selectable<KeyPairTable>;

export interface KeyPairScope { accountId: string; regionId: string }

export async function getKeyPair(db: Q, s: KeyPairScope, name: string): Promise<KeyPairRow | undefined> {
  return db.selectFrom('key_pairs').selectAll()
    .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId).where('name', '=', name)
    .executeTakeFirst();
}

export async function getKeyPairsByNames(db: Q, s: KeyPairScope, names: string[]): Promise<KeyPairRow[]> {
  if (names.length === 0) return [];
  return db.selectFrom('key_pairs').selectAll()
    .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId).where('name', 'in', names)
    .execute();
}

/**
 * The public key line for a guest's authorized_keys, for the driver at the next start (a
 * certificate's subject key); undefined when the instance has no key pair or it is gone.
 */
export async function authorizedKeyOf(db: Q, s: KeyPairScope, name: string): Promise<string | undefined> {
  if (!name) return undefined;
  return (await getKeyPair(db, s, name))?.authorized_key;
}

export async function countKeyPairs(db: Q, s: KeyPairScope): Promise<number> {
  const r = await db.selectFrom('key_pairs').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** The account's key pair quota per region: its `quotas` row, else the guide's 500. */
export async function keyPairQuota(db: Q, accountId: string): Promise<number> {
  const r = await db.selectFrom('quotas').select('value')
    .where('account_id', '=', accountId).where('name', '=', KEY_PAIR_QUOTA_NAME).executeTakeFirst();
  return r ? Number(r.value) : DEFAULT_KEY_PAIRS_PER_REGION;
}

export async function insertKeyPair(db: Q, row: Insertable<KeyPairTable>): Promise<void> {
  await db.insertInto('key_pairs').values(row).execute();
}

export interface KeyPairFilter extends KeyPairScope {
  fingerprint?: string;
  resourceGroupId?: string;
  /** Restricts to these ids (the Tag.N filter's answer). */
  ids?: string[];
}

/**
 * Every key pair matching the SQL-able filters, oldest first. The name pattern is applied by the
 * caller: a region holds at most a quota's worth (500 by default), and matching `*` in code keeps
 * SQLite and PostgreSQL alike (their LIKE differ in case and escaping).
 */
export async function listKeyPairs(db: Q, f: KeyPairFilter): Promise<KeyPairRow[]> {
  let q = db.selectFrom('key_pairs').selectAll()
    .where('account_id', '=', f.accountId).where('region_id', '=', f.regionId);
  if (f.fingerprint) q = q.where('fingerprint', '=', f.fingerprint);
  if (f.resourceGroupId) q = q.where('resource_group_id', '=', f.resourceGroupId);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function deleteKeyPairs(db: Q, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.deleteFrom('key_pairs').where('id', 'in', ids).execute();
}

/** Names among `names` that a live instance of the account still uses (DeleteKeyPairs refuses them). */
export async function keyPairNamesInUse(db: Q, s: KeyPairScope, names: string[]): Promise<string[]> {
  if (names.length === 0) return [];
  const rows = await db.selectFrom('instances').select('key_pair_name').distinct()
    .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId)
    .where('deleted_at', 'is', null).where('key_pair_name', 'in', names)
    .execute();
  return rows.map((r) => r.key_pair_name);
}

export interface BindTarget { id: string; os_type: string; key_pair_name: string }

/** The account's live instances in the region among `ids`. */
export async function bindTargets(db: Q, s: KeyPairScope, ids: string[]): Promise<BindTarget[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('instances').select(['id', 'os_type', 'key_pair_name'])
    .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId)
    .where('deleted_at', 'is', null).where('id', 'in', ids)
    .execute();
}

/**
 * Records the instance's key pair ('' to unbind). The guest picks it up at its next start or
 * restart (API: AttachKeyPair/DetachKeyPair); password logon is off while one is bound (001:L1408)
 * and back on after unbinding (API: DetachKeyPair).
 */
export async function setInstanceKeyPair(db: Q, instanceIds: string[], keyPairName: string, now: number): Promise<void> {
  if (instanceIds.length === 0) return;
  await db.updateTable('instances').set({ key_pair_name: keyPairName }).where('id', 'in', instanceIds).execute();
  const disabled = keyPairName ? 1 : 0;
  for (const id of instanceIds) {
    await db.insertInto('instance_logon').values({ instance_id: id, password_disabled: disabled, updated_at: now })
      .onConflict((oc) => oc.column('instance_id').doUpdateSet({ password_disabled: disabled, updated_at: now })).execute();
  }
}

/**
 * Whether password logon is off for the instance: as AttachKeyPair/DetachKeyPair last set it,
 * else whether it was created with a key pair (RunInstances KeyPairName, 001:L1288).
 */
export async function passwordLogonDisabled(db: Q, instanceId: string, keyPairName: string): Promise<boolean> {
  const r = await db.selectFrom('instance_logon').select('password_disabled').where('instance_id', '=', instanceId).executeTakeFirst();
  return r ? r.password_disabled === 1 : keyPairName !== '';
}

/** A password reset (ModifyInstanceAttribute Password) turns password logon back on (001:L1432). */
export async function enablePasswordLogon(db: Q, instanceId: string, now: number): Promise<void> {
  await db.insertInto('instance_logon').values({ instance_id: instanceId, password_disabled: 0, updated_at: now })
    .onConflict((oc) => oc.column('instance_id').doUpdateSet({ password_disabled: 0, updated_at: now })).execute();
}
