import type { Kysely } from 'kysely';

/**
 * Secrets at rest: AccessKey and STS secrets move from clear text to values sealed with the server
 * key (src/auth/secrets.ts). A migration cannot know that key, so this one only adds the marker
 * `sealed_store`: its row `secrets` says every secret column holds sealed values and carries a
 * value sealed under the key that sealed them. On start, before serving, the server seals any
 * clear rows and writes the marker in one transaction (src/auth/seal-store.ts); a server with
 * another key finds the marker and refuses to start instead of refusing every caller.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('sealed_store')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('key_check', 'text', (c) => c.notNull())
    .addColumn('sealed_at', 'bigint', (c) => c.notNull())
    .execute();
}
