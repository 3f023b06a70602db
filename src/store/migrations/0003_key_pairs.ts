import { Kysely } from 'kysely';

/**
 * SSH key pairs (unique by name per account and region, 001:L1338), and whether an instance's
 * password logon is off because a key pair is bound (001:L1288, L1408): its own small table, so
 * the instances table and the code writing whole instance rows stay as they are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const text = (t: any, c: string) => t.addColumn(c, 'text', (col: any) => col.notNull().defaultTo(''));

  let t: any = db.schema.createTable('key_pairs').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'name', 'fingerprint', 'key_type', 'public_key', 'authorized_key', 'resource_group_id']) t = text(t, c);
  t = t.addColumn('created_at', 'bigint', (c: any) => c.notNull().defaultTo(0));
  await t.execute();

  await db.schema.createIndex('key_pairs_account_region_name').on('key_pairs').columns(['account_id', 'region_id', 'name']).unique().execute();
  await db.schema.createIndex('key_pairs_fingerprint').on('key_pairs').columns(['account_id', 'region_id', 'fingerprint']).execute();
  await db.schema.createIndex('instances_key_pair').on('instances').columns(['account_id', 'region_id', 'key_pair_name']).execute();

  await db.schema.createTable('instance_logon')
    .addColumn('instance_id', 'text', (c) => c.primaryKey())
    .addColumn('password_disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
}
