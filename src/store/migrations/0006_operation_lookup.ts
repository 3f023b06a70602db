import type { Kysely } from 'kysely';

/**
 * Enqueueing looks for the resource's pending operation of that kind; with only (status, due_at)
 * indexed, each look scanned every pending operation, so launching and restarting slowed with
 * the number of instances (10,000 pending operations: minutes for a restart to enqueue them).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('operations_resource').on('operations').columns(['resource_id', 'kind', 'status']).execute();
}
