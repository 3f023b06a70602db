/** Custom image queries: own images, images shared to an account, share relations, tasks. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, ImageMappingTable, ImageShareTable, ImageTable, TaskTable } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;
/** An image row with its mappings as the JSON list actions read through mappingsOf (stored as image_mappings rows). */
export type ImageRow = Selectable<ImageTable> & { mappings: string };
export type ShareRow = Selectable<ImageShareTable>;
export type TaskRow = Selectable<TaskTable>;

export interface Mapping { device: string; type: 'system' | 'data'; size: number; snapshotId: string; format?: string; ossBucket?: string; ossObject?: string }

export function mappingsOf(row: Pick<ImageRow, 'mappings'>): Mapping[] {
  try { return JSON.parse(row.mappings || '[]') as Mapping[]; } catch { return []; }
}

type MappingRow = Selectable<ImageMappingTable>;

export function mappingFromRow(r: MappingRow): Mapping {
  const m: Mapping = { device: r.device, type: r.type === 'data' ? 'data' : 'system', size: Number(r.size), snapshotId: r.snapshot_id };
  if (r.format) m.format = r.format;
  if (r.oss_bucket) m.ossBucket = r.oss_bucket;
  if (r.oss_object) m.ossObject = r.oss_object;
  return m;
}

export function mappingToRow(imageId: string, m: Mapping, position: number): MappingRow {
  return {
    image_id: imageId, position, device: m.device ?? '', type: m.type === 'data' ? 'data' : 'system', size: Number(m.size) || 0,
    snapshot_id: m.snapshotId ?? '', format: m.format ?? '', oss_bucket: m.ossBucket ?? '', oss_object: m.ossObject ?? '',
  };
}

async function replaceMappings(trx: Q, imageId: string, mappingsJson: string): Promise<void> {
  await trx.deleteFrom('image_mappings').where('image_id', '=', imageId).execute();
  const rows = mappingsOf({ mappings: mappingsJson }).map((m, i) => mappingToRow(imageId, m, i));
  if (rows.length) await trx.insertInto('image_mappings').values(rows).execute();
}

/** Fills in each image's mappings from image_mappings (one query for the lot). */
async function withMappings(db: Q, rows: Selectable<ImageTable>[]): Promise<ImageRow[]> {
  if (rows.length === 0) return [];
  const byImage = new Map<string, Mapping[]>();
  for (let k = 0; k < rows.length; k += 500) {
    const ids = rows.slice(k, k + 500).map((r) => r.id);
    const found = await db.selectFrom('image_mappings').selectAll().where('image_id', 'in', ids).orderBy('image_id').orderBy('position').execute();
    for (const m of found) {
      let list = byImage.get(m.image_id);
      if (!list) byImage.set(m.image_id, list = []);
      list.push(mappingFromRow(m));
    }
  }
  return rows.map((r) => ({ ...r, mappings: JSON.stringify(byImage.get(r.id) ?? []) }));
}

async function oneWithMappings(db: Q, row: Selectable<ImageTable> | undefined): Promise<ImageRow | undefined> {
  return row ? (await withMappings(db, [row]))[0] : undefined;
}

/** Splits a patch into the images row's columns and, when present, a new mapping list. */
async function patchImage(trx: Q, id: string, patch: Partial<ImageRow>): Promise<void> {
  const { mappings, ...columns } = patch;
  if (Object.keys(columns).length) await trx.updateTable('images').set(columns).where('id', '=', id).execute();
  if (mappings !== undefined) await replaceMappings(trx, id, mappings);
}

export async function insertImage(trx: Q, row: ImageRow): Promise<void> {
  const { mappings, ...columns } = row;
  await trx.insertInto('images').values(columns).execute();
  await replaceMappings(trx, row.id, mappings);
  await trx.insertInto('transitions').values({ resource_id: row.id, from_status: '', to_status: row.status, at: row.created_at }).execute();
}

export async function updateImage(trx: Q, id: string, patch: Partial<ImageRow>): Promise<void> {
  await patchImage(trx, id, patch);
}

/** Removes an image row for good (a cancelled copy or import), its mappings with it. */
export async function deleteImageRow(trx: Q, id: string): Promise<void> {
  await trx.deleteFrom('image_mappings').where('image_id', '=', id).execute();
  await trx.deleteFrom('images').where('id', '=', id).execute();
}

/**
 * Compare-and-set: the image moves only while it is live and still in `row.status`; false (nothing
 * written) when something else moved or deleted it since the caller read it.
 */
export async function setImageStatus(trx: Q, row: Pick<ImageRow, 'id' | 'status'>, to: string, now: number, patch: Partial<ImageRow> = {}): Promise<boolean> {
  const { mappings, ...columns } = patch;
  const r = await trx.updateTable('images').set({ ...columns, status: to })
    .where('id', '=', row.id).where('status', '=', row.status).where('deleted_at', 'is', null).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (mappings !== undefined) await replaceMappings(trx, row.id, mappings);
  if (row.status !== to) await trx.insertInto('transitions').values({ resource_id: row.id, from_status: row.status, to_status: to, at: now }).execute();
  return true;
}

/** A live image the account owns in the region. */
export async function getOwnImage(db: Q, accountId: string, regionId: string, id: string): Promise<ImageRow | undefined> {
  return oneWithMappings(db, await db.selectFrom('images').selectAll()
    .where('id', '=', id).where('account_id', '=', accountId).where('region_id', '=', regionId).where('deleted_at', 'is', null)
    .executeTakeFirst());
}

/** Any image row, deleted or not (why a re-initialization fails). */
export async function getImageAny(db: Q, id: string): Promise<ImageRow | undefined> {
  return oneWithMappings(db, await db.selectFrom('images').selectAll().where('id', '=', id).executeTakeFirst());
}

export async function getImageForEngine(db: Q, id: string): Promise<ImageRow | undefined> {
  return oneWithMappings(db, await db.selectFrom('images').selectAll().where('id', '=', id).where('deleted_at', 'is', null).executeTakeFirst());
}

export async function listOwnImages(db: Q, accountId: string, regionId: string): Promise<ImageRow[]> {
  return withMappings(db, await db.selectFrom('images').selectAll()
    .where('account_id', '=', accountId).where('region_id', '=', regionId).where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc').orderBy('id').execute());
}

/** Images other accounts shared to this one in the region (004:L93–103, ImageOwnerAlias=others). */
export async function listSharedToMe(db: Q, accountId: string, regionId: string): Promise<ImageRow[]> {
  return withMappings(db, await db.selectFrom('images').selectAll()
    .where('id', 'in', (eb) => eb.selectFrom('image_shares').select('image_id').where('account_id', '=', accountId).where('region_id', '=', regionId))
    .where('region_id', '=', regionId).where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc').orderBy('id').execute());
}

/** Community images (IsPublic=true) of other accounts in the region. */
export async function listPublicImages(db: Q, accountId: string, regionId: string): Promise<ImageRow[]> {
  return withMappings(db, await db.selectFrom('images').selectAll()
    .where('is_public', '=', 1).where('account_id', '!=', accountId).where('region_id', '=', regionId).where('deleted_at', 'is', null)
    .orderBy('created_at', 'desc').orderBy('id').execute());
}

/** An image the account may launch from or put on a system disk: its own or shared to it, same region. */
export async function findUsableImage(db: Q, accountId: string, regionId: string, id: string): Promise<ImageRow | undefined> {
  const row = await db.selectFrom('images').selectAll().where('id', '=', id).where('region_id', '=', regionId).where('deleted_at', 'is', null).executeTakeFirst();
  if (!row) return undefined;
  if (row.account_id === accountId || row.is_public === 1) return oneWithMappings(db, row);
  const share = await db.selectFrom('image_shares').select('image_id').where('image_id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return share ? oneWithMappings(db, row) : undefined;
}

export async function countOwnImages(db: Q, accountId: string, regionId: string): Promise<number> {
  const r = await db.selectFrom('images').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function imageNameTaken(db: Q, accountId: string, regionId: string, name: string, exceptId = ''): Promise<boolean> {
  const r = await db.selectFrom('images').select('id')
    .where('account_id', '=', accountId).where('region_id', '=', regionId).where('name', '=', name)
    .where('deleted_at', 'is', null).where('id', '!=', exceptId).executeTakeFirst();
  return r !== undefined;
}

/** Live images (of the account) whose mappings use the snapshot. */
export async function imagesUsingSnapshot(db: Q, accountId: string, snapshotId: string): Promise<ImageRow[]> {
  return withMappings(db, await db.selectFrom('images').selectAll().where('account_id', '=', accountId).where('deleted_at', 'is', null)
    .where('id', 'in', (eb) => eb.selectFrom('image_mappings').select('image_id').where('snapshot_id', '=', snapshotId))
    .orderBy('created_at').orderBy('id').execute());
}

/** Live instances (of any account) created from the image. */
export async function countInstancesUsingImage(db: Q, imageId: string): Promise<number> {
  const r = await db.selectFrom('instances').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('image_id', '=', imageId).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Copies of the image still in flight (CopyImage with the image as source). */
export async function copiesInFlight(db: Q, sourceImageId: string): Promise<ImageRow[]> {
  return withMappings(db, await db.selectFrom('images').selectAll().where('source_image_id', '=', sourceImageId).where('is_copied', '=', 1)
    .where('status', '=', 'Creating').where('deleted_at', 'is', null).orderBy('created_at').orderBy('id').execute());
}

// ---------------------------------------------------------------- sharing

export async function sharesOf(db: Q, imageId: string): Promise<ShareRow[]> {
  return db.selectFrom('image_shares').selectAll().where('image_id', '=', imageId).orderBy('created_at').orderBy('account_id').execute();
}

export async function sharedImageIds(db: Q, imageIds: string[]): Promise<Set<string>> {
  if (imageIds.length === 0) return new Set();
  const rows = await db.selectFrom('image_shares').select('image_id').where('image_id', 'in', imageIds).execute();
  return new Set(rows.map((r) => r.image_id));
}

export async function countSharedTo(db: Q, accountId: string, regionId: string): Promise<number> {
  const r = await db.selectFrom('image_shares').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function addShare(trx: Q, row: ShareRow): Promise<void> {
  await trx.insertInto('image_shares').values(row).onConflict((oc) => oc.columns(['image_id', 'account_id']).doNothing()).execute();
}

export async function removeShares(trx: Q, imageId: string, accountIds?: string[]): Promise<void> {
  let q = trx.deleteFrom('image_shares').where('image_id', '=', imageId);
  if (accountIds) {
    if (accountIds.length === 0) return;
    q = q.where('account_id', 'in', accountIds);
  }
  await q.execute();
}

export async function accountsExist(db: Q, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const rows = await db.selectFrom('accounts').select('id').where('id', 'in', ids).execute();
  return new Set(rows.map((r) => r.id));
}

// ---------------------------------------------------------------- tasks

export async function insertTask(trx: Q, row: TaskRow): Promise<void> {
  await trx.insertInto('tasks').values(row).execute();
}

export async function updateTask(trx: Q, id: string, patch: Partial<TaskRow>): Promise<void> {
  await trx.updateTable('tasks').set(patch).where('id', '=', id).execute();
}

export async function getTask(db: Q, accountId: string, regionId: string, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
}

export async function getTaskForEngine(db: Q, id: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTasks(db: Q, accountId: string, regionId: string, f: { ids?: string[]; action?: string; status?: string; from?: number; to?: number }): Promise<TaskRow[]> {
  let q = db.selectFrom('tasks').selectAll().where('account_id', '=', accountId).where('region_id', '=', regionId);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.action) q = q.where('action', '=', f.action);
  if (f.status) q = q.where('status', '=', f.status);
  if (f.from !== undefined) q = q.where('created_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('created_at', '<=', f.to);
  return q.orderBy('created_at', 'desc').orderBy('id').execute();
}

/** An ExportImage task of the image still running (DeleteImage answers ImageIsExporting). */
export async function exportInProgress(db: Q, imageId: string): Promise<TaskRow | undefined> {
  return db.selectFrom('tasks').selectAll().where('resource_id', '=', imageId).where('action', '=', 'ExportImage')
    .where('status', '=', 'Processing').executeTakeFirst();
}
