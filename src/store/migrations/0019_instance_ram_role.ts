import type { Kysely } from 'kysely';

/**
 * Instance RAM roles: the one role an instance holds (AttachInstanceRamRole, RunInstances
 * RamRoleName; '' for none), and which STS sessions the metadata service issued for an instance,
 * so that detaching the role can end them at once ('' for sessions that are not an instance's).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').addColumn('ram_role_name', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('sts_sessions').addColumn('instance_id', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('sts_sessions_instance').on('sts_sessions').columns(['instance_id', 'expires_at']).execute();
}
