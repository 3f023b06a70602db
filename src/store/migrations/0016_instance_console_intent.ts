import type { Kysely } from 'kysely';

/**
 * What a running guest must be brought to, kept in the instance row so the engine can apply it
 * again after any restart: the VNC password (sealed with the data dir's key, '' until
 * ModifyInstanceVncPasswd sets one) and a generation of what the metadata service serves (options
 * and tags), bumped by every change the guest should see.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').addColumn('vnc_password_sealed', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('instances').addColumn('metadata_generation', 'integer', (c) => c.notNull().defaultTo(0)).execute();
}
