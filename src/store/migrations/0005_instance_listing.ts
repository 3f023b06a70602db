import type { Kysely } from 'kysely';

/**
 * DescribeInstances pages through an account's live instances in creation order; this index
 * answers that order (and OFFSET) without sorting every row of the account on each call.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('instances_listing').on('instances').columns(['account_id', 'region_id', 'deleted_at', 'created_at', 'id']).execute();
  await db.schema.dropIndex('instances_account_region').execute();
  await db.schema.createIndex('instances_auto_release').on('instances').columns(['auto_release_time']).execute();
}
