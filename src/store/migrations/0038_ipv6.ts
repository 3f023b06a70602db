import type { Kysely } from 'kysely';

/**
 * IPv6 (issue 14 item 3):
 * - `vpcs.ipv6_cidr_block`: the VPC's IPv6 /56 ('' while IPv6 is not enabled);
 * - `vswitches.ipv6_cidr_block`: the VSwitch's /64 inside it ('' while not enabled);
 * - `ipv6_addresses`: one row per IPv6 address of an ENI (AssignIpv6Addresses, Ipv6AddressCount /
 *   Ipv6Address.N at launch or on CreateNetworkInterface), in canonical compressed lowercase form.
 *   The unique index on `address` makes allocation race-free (the second holder's insert fails);
 *   the rows go with their ENI.
 * A /56 is one VPC's: `vpcs_ipv6_cidr_block` (partial: only VPCs with IPv6) makes the second of two
 * concurrent creates taking the pool's lowest free block lose (OperationConflict, retried).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('vpcs').addColumn('ipv6_cidr_block', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('vswitches').addColumn('ipv6_cidr_block', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('vpcs_ipv6_cidr_block').unique().on('vpcs').column('ipv6_cidr_block').where('ipv6_cidr_block', '<>', '').execute();
  await db.schema.createTable('ipv6_addresses')
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('network_interface_id', 'text', (c) => c.notNull())
    .addColumn('vswitch_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ipv6_addresses_address').unique().on('ipv6_addresses').column('address').execute();
  await db.schema.createIndex('ipv6_addresses_interface').on('ipv6_addresses').column('network_interface_id').execute();
}
