import type { Kysely } from 'kysely';

/**
 * Prefix lists (src/actions/prefix-lists.ts): `prefix_lists` one row per list (address family and
 * MaxEntries fixed at creation), `prefix_list_entries` its CIDR blocks in the order they were
 * added (`position`), one per CIDR. Security group rules reference a list by id in
 * `source_prefix_list_id` / `dest_prefix_list_id`: indexed, for DescribePrefixListAssociations,
 * DeletePrefixList's check and the association limit.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('prefix_lists')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('address_family', 'text', (c) => c.notNull())
    .addColumn('max_entries', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('prefix_lists_account_region').on('prefix_lists').columns(['account_id', 'region_id']).execute();
  await db.schema.createTable('prefix_list_entries')
    .addColumn('prefix_list_id', 'text', (c) => c.notNull())
    .addColumn('cidr', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('position', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('prefix_list_entries_pk', ['prefix_list_id', 'cidr'])
    .execute();
  await db.schema.createIndex('security_group_rules_source_prefix_list').on('security_group_rules').column('source_prefix_list_id').execute();
  await db.schema.createIndex('security_group_rules_dest_prefix_list').on('security_group_rules').column('dest_prefix_list_id').execute();
}
