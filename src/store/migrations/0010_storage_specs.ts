import type { Kysely } from 'kysely';

/**
 * What Terraform's storage resources set and read back: a disk's ESSD AutoPL provisioned IOPS and
 * burst switch (CreateDisk, ModifyDiskSpec), a custom image's license type and NVMe support
 * (ModifyImageAttribute), a snapshot's category (CreateSnapshot `Category`: standard | flash), and an automatic snapshot policy's cross-region copy settings.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('disks').addColumn('provisioned_iops', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('disks').addColumn('bursting_enabled', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('snapshots').addColumn('category', 'text', (c) => c.notNull().defaultTo('standard')).execute();
  await db.schema.alterTable('images').addColumn('license_type', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.alterTable('images').addColumn('nvme_support', 'text', (c) => c.notNull().defaultTo('unsupported')).execute();
  await db.schema.alterTable('auto_snapshot_policies').addColumn('enable_cross_region_copy', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('auto_snapshot_policies').addColumn('target_copy_regions', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.alterTable('auto_snapshot_policies').addColumn('copied_snapshots_retention_days', 'integer', (c) => c.notNull().defaultTo(-1)).execute();
  await db.schema.alterTable('auto_snapshot_policies').addColumn('copy_encrypted', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('auto_snapshot_policies').addColumn('copy_kms_key_id', 'text', (c) => c.notNull().defaultTo('')).execute();
}
