import { sql, type Kysely } from 'kysely';

/**
 * Uniqueness ECS demands, held by the store rather than by a check a concurrent request can slip
 * past (a check and its insert are two statements; another replica may commit in between):
 * - one live custom image of a name per account and region (InvalidImageName.Duplicated);
 * - a device of an instance held by one disk (InvalidDevice.InUse);
 * - one default VPC per account and region (OperationFailed.DefaultVpcExist), one default VSwitch
 *   per zone of a VPC (OperationFailed.DefaultVSwitchExist).
 * Key pair and resource group names (0003, 0008), private addresses per VSwitch (0001) and public
 * addresses (0009) were unique already. Partial indexes (`where`) compile on SQLite and PostgreSQL.
 *
 * Rows a race let through before this migration would make an index fail to build: the newer
 * duplicates of a default VPC or VSwitch stop being default, a newer duplicate image name gets the
 * image's id appended (names stay within 128 characters).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await demoteDuplicateDefaults(db, 'vpcs', ['account_id', 'region_id']);
  await demoteDuplicateDefaults(db, 'vswitches', ['vpc_id', 'zone_id']);
  await renameDuplicateImages(db);

  await db.schema.createIndex('images_live_name').unique().on('images').columns(['account_id', 'region_id', 'name'])
    .where(sql.ref('deleted_at'), 'is', null).where('name', '<>', '').execute();
  await db.schema.createIndex('disks_instance_device').unique().on('disks').columns(['instance_id', 'device'])
    .where('instance_id', '<>', '').where('device', '<>', '').execute();
  await db.schema.createIndex('vpcs_default').unique().on('vpcs').columns(['account_id', 'region_id'])
    .where(sql.ref('is_default'), '=', 1).execute();
  await db.schema.createIndex('vswitches_default_zone').unique().on('vswitches').columns(['vpc_id', 'zone_id'])
    .where(sql.ref('is_default'), '=', 1).execute();
}

async function demoteDuplicateDefaults(db: Kysely<any>, table: 'vpcs' | 'vswitches', key: string[]): Promise<void> {
  const rows = await db.selectFrom(table).select(['id', ...key]).where('is_default', '=', 1).orderBy('created_at').orderBy('id').execute();
  const seen = new Set<string>();
  const extra: string[] = [];
  for (const r of rows) {
    const k = key.map((c) => r[c]).join('\u0000');
    if (seen.has(k)) extra.push(r.id); else seen.add(k);
  }
  if (extra.length) await db.updateTable(table).set({ is_default: 0 }).where('id', 'in', extra).execute();
}

async function renameDuplicateImages(db: Kysely<any>): Promise<void> {
  const rows = await db.selectFrom('images').select(['id', 'account_id', 'region_id', 'name'])
    .where('deleted_at', 'is', null).where('name', '<>', '').orderBy('created_at').orderBy('id').execute();
  const seen = new Set<string>();
  for (const r of rows) {
    const k = `${r.account_id}\u0000${r.region_id}\u0000${r.name}`;
    if (!seen.has(k)) { seen.add(k); continue; }
    await db.updateTable('images').set({ name: `${String(r.name).slice(0, 127 - r.id.length)}-${r.id}` }).where('id', '=', r.id).execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['vswitches_default_zone', 'vpcs_default', 'disks_instance_device', 'images_live_name']) {
    await db.schema.dropIndex(name).execute();
  }
}
