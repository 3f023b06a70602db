import type { Kysely } from 'kysely';

/**
 * RAM and STS edges (issue 13's leftovers):
 * - `instances.ram_role_policy`: AttachInstanceRamRole's `Policy`, the session policy that narrows
 *   the credentials the metadata service hands the instance ('' for none);
 * - `ram_account_settings.security_preference`: Get/SetSecurityPreference (JSON of the fields set,
 *   '' for the defaults);
 * - `access_key_usage`: when an AccessKey last signed a call and the service it called
 *   (GetAccessKeyLastUsed), written at most once a minute per key, kept apart from `access_keys`
 *   so that recording a use never touches the key's row nor retires cached answers.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').addColumn('ram_role_policy', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('ram_account_settings').addColumn('security_preference', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createTable('access_key_usage')
    .addColumn('access_key_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('last_used_at', 'bigint', (c) => c.notNull())
    .addColumn('service', 'varchar(64)', (c) => c.notNull())
    .execute();
}
