/**
 * When a permanent AccessKey last signed a call (RAM GetAccessKeyLastUsed), one row per key. A use
 * is written only when the stored one is at least `everyMs` older, by a conditional upsert, so
 * replicas recording the same key in the same minute write it once between them. Its writes move
 * no store version (postgres.ts ENGINE_WRITE): no cached answer reads this table.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

type Q = Kysely<Database>;

export async function recordKeyUse(db: Q, accessKeyId: string, service: string, now: number, everyMs: number): Promise<void> {
  await db.insertInto('access_key_usage').values({ access_key_id: accessKeyId, last_used_at: now, service })
    .onConflict((oc) => oc.column('access_key_id').doUpdateSet({ last_used_at: now, service })
      .where('access_key_usage.last_used_at', '<=', now - everyMs))
    .execute();
}

export function keyLastUsed(db: Q, accessKeyId: string) {
  return db.selectFrom('access_key_usage').select(['last_used_at', 'service']).where('access_key_id', '=', accessKeyId).executeTakeFirst();
}

export async function forgetKeyUse(db: Q, accessKeyId: string): Promise<void> {
  await db.deleteFrom('access_key_usage').where('access_key_id', '=', accessKeyId).execute();
}
