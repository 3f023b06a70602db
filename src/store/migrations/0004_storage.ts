import { Kysely } from 'kysely';

/**
 * Block storage and images: snapshots, automatic snapshot policies and the disks they apply to,
 * custom images with their disk mappings and share relations, and tasks (import/export/copy).
 * Disks themselves are in 0001.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const text = (t: any, c: string) => t.addColumn(c, 'text', (col: any) => col.notNull().defaultTo(''));
  const int = (t: any, c: string) => t.addColumn(c, 'bigint', (col: any) => col.notNull().defaultTo(0));

  let t: any = db.schema.createTable('snapshots').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'name', 'description', 'source_disk_id', 'source_disk_type', 'source_disk_category',
    'source_instance_id', 'type', 'status', 'policy_id', 'image_id', 'source_snapshot_id', 'source_region_id', 'resource_group_id']) t = text(t, c);
  for (const c of ['source_disk_size', 'retention_days', 'encrypted', 'created_at', 'completes_at', 'modified_at']) t = int(t, c);
  t = t.addColumn('expires_at', 'bigint');
  await t.execute();

  t = db.schema.createTable('auto_snapshot_policies').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'name', 'time_points', 'repeat_weekdays', 'resource_group_id']) t = text(t, c);
  for (const c of ['retention_days', 'created_at', 'next_run_at']) t = int(t, c);
  await t.execute();

  await db.schema.createTable('disk_policies')
    .addColumn('disk_id', 'text', (c) => c.primaryKey())
    .addColumn('policy_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .execute();

  t = db.schema.createTable('images').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'name', 'description', 'family', 'version', 'os_type', 'os_name', 'os_name_en', 'platform',
    'architecture', 'boot_mode', 'status', 'source_instance_id', 'source_image_id', 'source_region_id', 'mappings', 'import_task_id',
    'resource_group_id']) t = text(t, c);
  for (const c of ['size', 'is_copied', 'is_public', 'created_at', 'completes_at']) t = int(t, c);
  t = t.addColumn('deleted_at', 'bigint');
  await t.execute();

  await db.schema.createTable('image_shares')
    .addColumn('image_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('owner_account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('image_shares_pk', ['image_id', 'account_id'])
    .execute();

  t = db.schema.createTable('tasks').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'action', 'status', 'resource_id', 'detail']) t = text(t, c);
  for (const c of ['created_at', 'completes_at', 'finished_at']) t = int(t, c);
  await t.execute();

  const indexes: [string, string, string[]][] = [
    ['snapshots_account_region', 'snapshots', ['account_id', 'region_id']],
    ['snapshots_disk', 'snapshots', ['source_disk_id']],
    ['snapshots_expiry', 'snapshots', ['expires_at']],
    ['policies_account_region', 'auto_snapshot_policies', ['account_id', 'region_id']],
    ['policies_due', 'auto_snapshot_policies', ['next_run_at']],
    ['disk_policies_policy', 'disk_policies', ['policy_id']],
    ['images_account_region', 'images', ['account_id', 'region_id']],
    ['image_shares_account', 'image_shares', ['account_id', 'region_id']],
    ['tasks_account_region', 'tasks', ['account_id', 'region_id']],
  ];
  for (const [name, table, cols] of indexes) await db.schema.createIndex(name).on(table).columns(cols).execute();
}
