import type { Kysely } from 'kysely';

/**
 * An EIP associated with a secondary ENI (AssociateEipAddress InstanceType=NetworkInterface) maps
 * to one of the ENI's private addresses: `private_ip` is that address ('' for an instance's EIP,
 * which maps to the instance's primary private address).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('eips').addColumn('private_ip', 'text', (c) => c.notNull().defaultTo('')).execute();
}
