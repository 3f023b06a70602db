/** Tags of RAM roles and policies (one row per resource ARN and key). */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Q = Kysely<Database>;

export interface RamTagged { accountId: string; type: 'role' | 'policy'; arn: string; name: string }

export async function putRamTags(db: Q, r: RamTagged, tags: { Key: string; Value: string }[]): Promise<void> {
  for (const t of tags) {
    await db.deleteFrom('ram_tags').where('resource_arn', '=', r.arn).where('key', '=', t.Key).execute();
    await db.insertInto('ram_tags').values({ account_id: r.accountId, resource_type: r.type, resource_arn: r.arn, resource_name: r.name, key: t.Key, value: t.Value }).execute();
  }
}

/** Removes the keys given, or every tag when `keys` is undefined. */
export async function removeRamTags(db: Q, arn: string, keys?: string[]): Promise<void> {
  let q = db.deleteFrom('ram_tags').where('resource_arn', '=', arn);
  if (keys) {
    if (keys.length === 0) return;
    q = q.where('key', 'in', keys);
  }
  await q.execute();
}

export function ramTagRows(db: Q, accountId: string, type: string, names?: string[]) {
  let q = db.selectFrom('ram_tags').selectAll().where('account_id', '=', accountId).where('resource_type', '=', type);
  if (names) q = q.where('resource_name', 'in', names.length ? names : ['']);
  return q.orderBy('resource_name').orderBy('key').execute();
}

export async function ramTagCount(db: Q, arn: string): Promise<number> {
  const r = await db.selectFrom('ram_tags').select((eb) => eb.fn.countAll<string | number>().as('n')).where('resource_arn', '=', arn).executeTakeFirst();
  return Number(r?.n ?? 0);
}
