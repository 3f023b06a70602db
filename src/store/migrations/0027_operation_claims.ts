import type { Kysely } from 'kysely';

/**
 * Claims (src/engine/claim.ts) skip resources another operation holds a live lease on. Looked up
 * by resource, that check chose the `status` index and read every pending operation for each
 * candidate, so after a restart with 10,000 instances (one converge operation each) claiming cost
 * grew with the queue. The live leases are few: one range on (status, lease_until) finds them.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('operations_leased').on('operations').columns(['status', 'lease_until']).execute();
}
