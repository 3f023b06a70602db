import type { Kysely } from 'kysely';

/**
 * A custom image's disk device mappings become rows (one per device, in the order ECS lists
 * them), so "which images use this snapshot" is an indexed lookup instead of a `LIKE '%id%'` scan
 * of JSON text that only SQLite and PostgreSQL happened to agree on. Existing images' JSON moves
 * into the table, then the column goes.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('image_mappings')
    .addColumn('image_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull())
    .addColumn('device', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('snapshot_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('format', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('oss_bucket', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('oss_object', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('image_mappings_pk', ['image_id', 'position'])
    .execute();
  await db.schema.createIndex('image_mappings_snapshot').on('image_mappings').columns(['snapshot_id']).execute();

  const images = await db.selectFrom('images').select(['id', 'mappings']).execute();
  const rows: Record<string, unknown>[] = [];
  for (const image of images) {
    let list: any[] = [];
    try { list = JSON.parse(image.mappings || '[]'); } catch { list = []; }
    if (!Array.isArray(list)) continue;
    list.forEach((m, position) => rows.push({
      image_id: image.id, position, device: String(m?.device ?? ''), type: m?.type === 'data' ? 'data' : 'system',
      size: Number(m?.size) || 0, snapshot_id: String(m?.snapshotId ?? ''), format: String(m?.format ?? ''),
      oss_bucket: String(m?.ossBucket ?? ''), oss_object: String(m?.ossObject ?? ''),
    }));
  }
  // Small batches: SQLite caps the bound variables of one statement.
  for (let k = 0; k < rows.length; k += 50) await db.insertInto('image_mappings').values(rows.slice(k, k + 50)).execute();
  await db.schema.alterTable('images').dropColumn('mappings').execute();
}
