import type { Kysely } from 'kysely';

/**
 * Route tables become stored rows (name, description, route propagation) with their custom route
 * entries; a VPC's router keeps its name and description, and a VPC its user CIDRs and secondary
 * CIDR blocks (AssociateVpcCidrBlock). Every existing VPC gets the system route table it always
 * had, under the id it was shown with (`vrt-X` → `vtb-X`).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('route_tables')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('vpc_id', 'text', (c) => c.notNull())
    .addColumn('vrouter_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('route_propagation_enable', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('route_tables_vpc').on('route_tables').columns(['vpc_id']).execute();

  await db.schema.createTable('route_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('route_table_id', 'text', (c) => c.notNull())
    .addColumn('destination_cidr_block', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('next_hop_type', 'text', (c) => c.notNull())
    .addColumn('next_hop_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  // One destination per table (CreateRouteEntry: InvalidCIDRBlock.Duplicate), race-free.
  await db.schema.createIndex('route_entries_destination').unique().on('route_entries').columns(['route_table_id', 'destination_cidr_block']).execute();
  await db.schema.createIndex('route_entries_next_hop').on('route_entries').columns(['next_hop_id']).execute();

  await db.schema.alterTable('vpcs').addColumn('vrouter_name', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('vpcs').addColumn('vrouter_description', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('vpcs').addColumn('user_cidrs', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('vpcs').addColumn('secondary_cidr_blocks', 'text', (c) => c.notNull().defaultTo('')).execute();

  const vpcs = await db.selectFrom('vpcs').select(['id', 'account_id', 'region_id', 'vrouter_id', 'created_at']).execute();
  for (const v of vpcs) {
    await db.insertInto('route_tables').values({
      id: 'vtb-' + String(v.vrouter_id).replace(/^vrt-/, ''), account_id: v.account_id, region_id: v.region_id, vpc_id: v.id,
      vrouter_id: v.vrouter_id, type: 'System', name: '', description: '', route_propagation_enable: 1, created_at: v.created_at,
    }).execute();
  }
}
