/** Reads a network quota: the account's `quotas` row overrides the default of src/domain/quotas.ts. */
import type { Kysely, Transaction } from 'kysely';
import { defaultQuota, type NetworkQuota } from '../domain/quotas.js';
import type { Database } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export async function quotaFor(db: Q, accountId: string, name: NetworkQuota): Promise<number> {
  const row = await db.selectFrom('quotas').select('value')
    .where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
  return row ? Number(row.value) : defaultQuota(name);
}
