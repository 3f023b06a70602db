/**
 * Image import and export tasks (`t-…`, DescribeTasks) on the clock.
 *
 * ImportImage: the image is Waiting for one transition time, then Creating until the task's
 * `completes_at`; then the object is read again (it may have gone), its format is checked against
 * the one asked for, the driver loads the bytes into the image's snapshot when it can
 * (`importDisk`, e.g. qemu converting to qcow2), and snapshot, image and task finish together.
 *
 * ExportImage: at `completes_at` the object `<prefix>_<imageId>_<taskId>.<format>` is written to
 * the bucket. A driver with real disk files writes the image's bytes (`exportDisk`); the sim
 * driver has no bytes at all, so what it writes is a small JSON descriptor of the image (it says
 * so in its first field), under the requested name so the flow is the same on every driver.
 */
import { rm, writeFile } from 'node:fs/promises';
import type { Transaction } from 'kysely';
import type { ExportFormat, ImportFormat } from '../../domain/storage/image-files.js';
import { detectFormat } from '../../domain/storage/image-files.js';
import { getImageAny, getTaskForEngine, mappingsOf, setImageStatus, updateImage, updateTask, type TaskRow } from '../../store/images.js';
import { ObjectStore } from '../../store/objects.js';
import { getSnapshotsByIds, setSnapshotStatus } from '../../store/storage.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';
import type { ComputeDriver } from '../../compute/driver.js';
import type { Database } from '../../store/schema.js';

/**
 * Optional driver hooks for image files (not yet in ComputeDriver: a driver that has them is
 * used, one that has not is simulated). Ids are ECS ids; files are absolute paths.
 */
export interface ImageFileHooks {
  /** Loads an image file as the bytes of a snapshot (qemu: `qemu-img convert` into the snapshot's qcow2). */
  importDisk?(snapshotId: string, file: string, format: ImportFormat): Promise<void>;
  /** Writes a snapshot's bytes as an image file in `format` (qemu: `qemu-img convert -O`). */
  exportDisk?(snapshotId: string, file: string, format: ExportFormat): Promise<void>;
}

export interface ImportDetail { imageId: string; ossRoot: string; error?: { code: string; message: string } }
export interface ExportDetail { imageId: string; snapshotId: string; bucket: string; prefix: string; format: ExportFormat; object: string; ossRoot: string; error?: { code: string; message: string } }

const hooks = (d: ComputeDriver) => d as ComputeDriver & ImageFileHooks;

export async function reconcileTask(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const task = await getTaskForEngine(env.db, op.resource_id);
  if (!task || task.status !== 'Processing') return { done: true };
  return task.action === 'ImportImage' ? runImport(task, env) : runExport(task, env);
}

class TaskFailure extends Error {
  constructor(readonly code: string, message: string) { super(message); }
}

/** Ends the task unless it was cancelled meanwhile; `write` runs in the same transaction. Returns whether it ended it. */
async function finishTask(env: EngineEnv, task: TaskRow, status: 'Finished' | 'Failed', detail: object, write: (trx: Transaction<Database>) => Promise<void>): Promise<boolean> {
  const now = env.clock.now();
  return env.db.transaction().execute(async (trx) => {
    const fresh = await getTaskForEngine(trx, task.id);
    if (!fresh || fresh.status !== 'Processing') return false;
    await write(trx);
    await updateTask(trx, task.id, { status, finished_at: now, detail: JSON.stringify(detail) });
    await trx.insertInto('transitions').values({ resource_id: task.id, from_status: 'Processing', to_status: status, at: now }).execute();
    return true;
  });
}

async function runImport(task: TaskRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock, driver } = env;
  const detail = JSON.parse(task.detail) as ImportDetail;
  const now = clock.now();
  const image = await getImageAny(db, detail.imageId);
  const snapIds = image ? mappingsOf(image).map((m) => m.snapshotId).filter(Boolean) : [];
  const fail = async (code: string, message: string) => {
    await finishTask(env, task, 'Failed', { ...detail, error: { code, message } }, async (trx) => {
      if (image && image.deleted_at === null) await setImageStatus(trx, image, 'CreateFailed', now);
      for (const s of await getSnapshotsByIds(trx, snapIds)) await setSnapshotStatus(trx, s, 'failed', now);
    });
    return { done: true } as const;
  };
  if (!image || image.deleted_at !== null) return fail('ImportImageFailed', `The image ${detail.imageId} of the import was deleted.`);

  const waitingUntil = task.created_at + driver.transitionMs;
  if (now < waitingUntil) return { retryAt: waitingUntil };
  // The row read above is what later steps compare-and-set against (fail → CreateFailed): keep it current.
  if (image.status === 'Waiting' && await db.transaction().execute((trx) => setImageStatus(trx, image, 'Creating', now))) image.status = 'Creating';
  if (now < task.completes_at) return { retryAt: task.completes_at };

  const store = new ObjectStore(detail.ossRoot);
  const mappings = mappingsOf(image);
  try {
    for (const m of mappings) {
      if (!m.ossBucket || !m.ossObject) continue;
      if (!(await store.stat(m.ossBucket, m.ossObject))) throw new TaskFailure('InvalidOSSObject.NotFound', `The OSS object ${m.ossBucket}/${m.ossObject} no longer exists.`);
      const { head, tail } = await store.headTail(m.ossBucket, m.ossObject);
      const found = detectFormat(head, tail);
      if (m.format && m.format !== found) {
        throw new TaskFailure('ImportImageFailed', `The file ${m.ossObject} is ${found}, not the ${m.format} given in DiskDeviceMapping.N.Format.`);
      }
      m.format = found;
      await hooks(driver).importDisk?.(m.snapshotId, store.objectPath(m.ossBucket, m.ossObject), found);
    }
  } catch (e) {
    if (e instanceof TaskFailure) return fail(e.code, e.message);
    env.log('image import failed', { task: task.id, error: String(e) });
    return fail('ImportImageFailed', `Importing image is failed: ${String((e as Error).message ?? e)}`);
  }
  await finishTask(env, task, 'Finished', detail, async (trx) => {
    for (const s of await getSnapshotsByIds(trx, snapIds)) await setSnapshotStatus(trx, s, 'accomplished', now);
    await updateImage(trx, image.id, { mappings: JSON.stringify(mappings) });
    await setImageStatus(trx, { id: image.id, status: 'Creating' }, 'Available', now);
  });
  return { done: true };
}

async function runExport(task: TaskRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock, driver } = env;
  const detail = JSON.parse(task.detail) as ExportDetail;
  const now = clock.now();
  if (now < task.completes_at) return { retryAt: task.completes_at };
  const fail = async (code: string, message: string) => {
    await finishTask(env, task, 'Failed', { ...detail, error: { code, message } }, async () => undefined);
    return { done: true } as const;
  };
  const image = await getImageAny(db, detail.imageId);
  if (!image || image.deleted_at !== null) return fail('ExportImageFailed', `The image ${detail.imageId} was deleted during the export.`);
  const store = new ObjectStore(detail.ossRoot);
  if (!(await store.bucket(detail.bucket))) return fail('InvalidOSSBucket.NotFound', `The OSS bucket ${detail.bucket} no longer exists.`);
  try {
    await store.writeWith(detail.bucket, detail.object, async (tmp) => {
      const exportDisk = hooks(driver).exportDisk;
      if (exportDisk) { await exportDisk.call(driver, detail.snapshotId, tmp, detail.format); return; }
      // The sim driver holds no disk bytes: say what would have been exported, and that it is only that.
      const descriptor = {
        openecsExport: 'descriptor: the sim driver has no disk data, so this file describes the image instead of holding its bytes',
        imageId: image.id, imageName: image.name, regionId: image.region_id, osType: image.os_type, osName: image.os_name_en || image.os_name,
        platform: image.platform, architecture: image.architecture, bootMode: image.boot_mode, sizeGiB: image.size,
        format: detail.format, diskDeviceMappings: mappingsOf(image), taskId: task.id, exportedAt: new Date(now).toISOString(),
      };
      await writeFile(tmp, `${JSON.stringify(descriptor, null, 2)}\n`);
    });
  } catch (e) {
    env.log('image export failed', { task: task.id, error: String(e) });
    return fail('ExportImageFailed', `Exporting image is failed: ${String((e as Error).message ?? e)}`);
  }
  const ended = await finishTask(env, task, 'Finished', detail, async () => undefined);
  // Cancelled while the file was being written: the object must not stay.
  if (!ended) await rm(store.objectPath(detail.bucket, detail.object), { force: true });
  return { done: true };
}
