import type { Kysely } from 'kysely';

/** Instance metadata access options (ModifyInstanceMetadataOptions); existing instances get ECS's defaults. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').addColumn('metadata_http_endpoint', 'text', (c) => c.notNull().defaultTo('enabled')).execute();
  await db.schema.alterTable('instances').addColumn('metadata_http_tokens', 'text', (c) => c.notNull().defaultTo('optional')).execute();
  await db.schema.alterTable('instances').addColumn('metadata_hop_limit', 'integer', (c) => c.notNull().defaultTo(1)).execute();
  await db.schema.alterTable('instances').addColumn('metadata_tags', 'text', (c) => c.notNull().defaultTo('disabled')).execute();
}
