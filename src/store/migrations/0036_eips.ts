import type { Kysely } from 'kysely';

/**
 * Elastic IP addresses (src/actions/eips.ts): one row per EIP. Its address is also held in
 * `public_ips` (kind `eip`, holder the allocation id), so EIPs and the instances' NAT public
 * addresses come from one pool without collisions; `eips_region_address` keeps an address to one
 * EIP of its region. `instance_id` is the instance the EIP is associated with (or being associated
 * with / unassociated from: `status` Associating, InUse, Unassociating), '' when Available.
 * `deletion_protection` (VPC DeletionProtection Type=EIP) makes ReleaseEipAddress refuse.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('eips')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('ip_address', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('bandwidth', 'integer', (c) => c.notNull())
    .addColumn('internet_charge_type', 'text', (c) => c.notNull())
    .addColumn('charge_type', 'text', (c) => c.notNull())
    .addColumn('isp', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('instance_type', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('resource_group_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('deletion_protection', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('eips_region_address').unique().on('eips').columns(['region_id', 'ip_address']).execute();
  await db.schema.createIndex('eips_account_region').on('eips').columns(['account_id', 'region_id', 'created_at']).execute();
  await db.schema.createIndex('eips_instance').on('eips').column('instance_id').execute();
}
