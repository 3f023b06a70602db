/**
 * ImportImage and ExportImage through the server's local object store (store/objects.ts), and
 * the tasks (`t-…`) that track them: DescribeTasks, DescribeTaskAttribute, CancelTask.
 * 000:L1735–1865 and 002:L2729–2898: the file is in a bucket of the same region and account;
 * import is an asynchronous task whose progress shows in the image list and which can be
 * cancelled; custom images with data-disk data cannot be exported; export writes
 * `<prefix>_…` into the bucket. The work itself runs in engine/reconcilers/task.ts.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { findSystemImage } from '../domain/catalog/index.js';
import { newId } from '../domain/ids.js';
import { DATA_DEVICES, SYSTEM_DEVICE } from '../domain/storage/disks.js';
import {
  bytesToGiB, detectFormat, exportObjectKey, FILTERABLE_TASK_STATUSES, hasUnsupportedSuffix, importDiskSize, importTraits, isValidOssPrefix,
  parseExportFormat, parseImportFormat, taskDurationMs, taskProgress, virtualSizeBytes, type ImportFormat,
} from '../domain/storage/image-files.js';
import { MAX_TAGS_PER_RESOURCE, tagsFromParams } from '../domain/tags.js';
import { isoMinute, parseUtc } from '../domain/time.js';
import { deleteImageRow, exportInProgress, getImageAny, getOwnImage, getTask, insertImage, insertTask, listTasks, mappingsOf, updateTask, type Mapping, type TaskRow } from '../store/images.js';
import { deleteSnapshots } from '../store/storage.js';
import { putTags } from '../store/tags.js';
import type { ExportDetail, ImportDetail } from '../engine/reconcilers/task.js';
import { baseImageRow, checkImageDescription, checkImageName, checkImageQuota, checkNameFree, insertNewImage, type ImageTraits } from './custom-images.js';
import { checkBucketName, checkObjectKey, mayUseBucket, objectStore } from './object-store.js';
import { addSnapshot } from './snapshots.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';
import { lockAccount } from '../store/row-locks.js';

const LICENSE_TYPES = ['Auto', 'Aliyun', 'BYOL'];

/** The bucket must exist in the request's region (000:L1807) and belong to the caller (002:L2737). */
async function usableBucket(ctx: ActionContext, bucket: string): Promise<void> {
  const meta = await objectStore(ctx).bucket(bucket);
  if (!meta || (meta.region && meta.region !== ctx.regionId)) {
    throw new EcsError('InvalidOSSBucket.NotFound', `The specified OSS bucket "${bucket}" does not exist in this region (${ctx.regionId}).`);
  }
  if (!mayUseBucket(meta, ctx)) throw new EcsError('InvalidOSS.NotAuthorized', `The specified OSS bucket "${bucket}" is not allowed to access: it belongs to another account.`);
}

interface ImportPlan { device: string; type: 'system' | 'data'; bucket: string; object: string; format?: ImportFormat; size: number }

async function planImport(ctx: ActionContext, list: Record<string, any>[]): Promise<ImportPlan[]> {
  const store = objectStore(ctx);
  const out: ImportPlan[] = [];
  const used = new Set<string>();
  for (let i = 0; i < list.length; i++) {
    const m = list[i]!;
    const type = i === 0 ? 'system' : 'data';
    // N=1 is the system disk; its device is /dev/xvda, data disks take /dev/xvdb… ("Device" is deprecated).
    let device = m.Device ? String(m.Device) : '';
    if (type === 'system' && device && device !== SYSTEM_DEVICE) throw new EcsError('InvalidParameter.Malformed', `The specified parameter "DiskDeviceMapping.1.Device" (${device}) is not valid: the system disk is ${SYSTEM_DEVICE}.`);
    if (type === 'data' && device && (!DATA_DEVICES.includes(device) || used.has(device))) throw new EcsError('InvalidParameter.Malformed', `The specified parameter "DiskDeviceMapping.${i + 1}.Device" (${device}) is not valid.`);
    if (!device) device = type === 'system' ? SYSTEM_DEVICE : DATA_DEVICES.find((d) => !used.has(d))!;
    used.add(device);
    if (!m.OSSBucket) throw new EcsError('InvalidOSSBucket.Malformed', `The specified OSS bucket of DiskDeviceMapping.${i + 1} is wrongly formed: OSSBucket is required.`);
    const bucket = checkBucketName(m.OSSBucket);
    if (!m.OSSObject) throw new EcsError('InvalidOSSObject.Malformed', `The specified OSS object of DiskDeviceMapping.${i + 1} is wrongly formed: OSSObject is required.`);
    const object = checkObjectKey(m.OSSObject);
    if (hasUnsupportedSuffix(object)) throw new EcsError('UnsupportedSuffix.OSSObject', `The specified OSS object suffix is not supported: ${object} is an archive or installer, not a RAW, VHD or QCOW2 disk image.`);
    const format = parseImportFormat(m.Format);
    await usableBucket(ctx, bucket);
    const info = await store.stat(bucket, object);
    if (!info) throw new EcsError('InvalidOSSObject.NotFound', `The specified OSS object "${object}" does not exist in bucket ${bucket}.`);
    if (info.size === 0) throw new EcsError('InvalidOSSObject.Size', `The specified OSS object size is zero: ${bucket}/${object}.`);
    const { head, tail, size: bytes } = await store.headTail(bucket, object);
    const detected = detectFormat(head, tail);
    const requested = m.DiskImageSize ?? m.DiskImSize;
    const size = importDiskSize(type, requested === undefined || requested === '' ? undefined : Number(requested), bytesToGiB(virtualSizeBytes(detected, head, tail, bytes)));
    out.push({ device, type, bucket, object, format, size });
  }
  return out;
}

function taskItem(t: TaskRow) {
  return {
    TaskId: t.id, TaskAction: t.action, TaskStatus: t.status, SupportCancel: t.status === 'Processing' ? 'true' : 'false',
    CreationTime: isoMinute(t.created_at), FinishedTime: t.finished_at ? isoMinute(t.finished_at) : '', ResourceId: t.resource_id,
  };
}

async function requireTask(ctx: ActionContext, id: unknown): Promise<TaskRow> {
  const t = id ? await getTask(ctx.db, ctx.principal.accountId, ctx.regionId, String(id)) : undefined;
  if (!t) throw new EcsError('InvalidTaskId.NotFound', `The specified "TaskId" (${String(id ?? '')}) is not found.`);
  return t;
}

function timeParam(p: Params, name: 'StartTime' | 'EndTime'): number | undefined {
  if (!p[name]) return undefined;
  const ms = parseUtc(String(p[name]));
  if (ms === undefined) throw new EcsError(`Invalid${name}.Malformed`, `The specified ${name} "${p[name]}" is not valid: use yyyy-MM-ddTHH:mm:ssZ (UTC).`, 400);
  return ms;
}

export const imageTaskActions = ecsHandlers({
  async ImportImage(ctx, p) {
    const list: Record<string, any>[] = p.DiskDeviceMapping ?? [];
    if (list.length === 0) throw new EcsError('MissingParameter.DiskDeviceMapping', 'The specified parameter DiskDeviceMapping is not supplied.');
    checkImageName(p.ImageName);
    checkImageDescription(p.Description);
    const traits = importTraits(p);
    if (p.LicenseType && !LICENSE_TYPES.includes(p.LicenseType)) throw new EcsError('InvalidLicenseType.NotSupported', `The specified LicenseType "${p.LicenseType}" is not supported: use Auto, Aliyun or BYOL.`);
    if (p.DetectionStrategy && p.DetectionStrategy !== 'Standard') throw new EcsError('InvalidParameter.DetectionStrategy', 'The specified parameter DetectionStrategy is invalid: only Standard is supported.');
    if (p.StorageLocationArn) throw new EcsError('InvalidOperation.CloudBoxImageImportUnsupported', 'Importing cloud box images is not supported: OpenECS has no cloud boxes.');
    const tags = tagsFromParams(p.Tag);
    if (tags.length > MAX_TAGS_PER_RESOURCE) throw new EcsError('QuotaExceed.Tags', `An image can have at most ${MAX_TAGS_PER_RESOURCE} tags.`, 403);
    const plan = await planImport(ctx, list);
    await checkImageQuota(ctx, ctx.regionId);
    await checkNameFree(ctx, ctx.regionId, p.ImageName ?? '');

    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const imageId = newId('m-');
    const taskId = newId('t-');
    const now = ctx.now();
    const duration = taskDurationMs('ImportImage', ctx.driver.transitionMs);
    const bits = traits.architecture === 'i386' ? 32 : 64;
    const imageTraits: ImageTraits = {
      osType: traits.osType, osName: `${traits.platform} ${bits}位`, osNameEn: `${traits.platform} ${bits} bit`, platform: traits.platform,
      architecture: traits.architecture, bootMode: traits.bootMode, sizeGiB: plan[0]!.size,
    };
    const detail: ImportDetail = { imageId, ossRoot: objectStore(ctx).root };
    return ctx.mutate(async (trx, enqueue) => {
      await lockAccount(trx, ctx.principal.accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      const mappings: Mapping[] = [];
      // Like an image made from disks, an imported one is held by snapshots (one per file); the task completes them.
      for (const m of plan) {
        const s = await addSnapshot(trx, {
          accountId: ctx.principal.accountId, regionId: ctx.regionId, disk: { id: '', type: m.type, category: '', size: m.size, instance_id: '' },
          type: 'user', name: '', description: `Created for importing image ${imageId} from ${m.bucket}/${m.object}`, retentionDays: 0,
          createdAt: now, durationMs: duration, imageId,
        });
        // Format stays empty unless given: the task detects it from the bytes and checks a given one.
        mappings.push({ device: m.device, type: m.type, size: m.size, snapshotId: s.id, format: m.format, ossBucket: m.bucket, ossObject: m.object });
      }
      const row = baseImageRow(ctx, p, imageId, ctx.regionId, imageTraits, mappings, now);
      row.status = 'Waiting';
      row.import_task_id = taskId;
      row.resource_group_id = resourceGroupId;
      row.completes_at = now + duration;
      await insertNewImage(ctx, trx, row);
      await putTags(trx, { accountId: ctx.principal.accountId, regionId: ctx.regionId, resourceType: 'image', resourceId: imageId }, tags);
      await insertTask(trx, {
        id: taskId, account_id: ctx.principal.accountId, region_id: ctx.regionId, action: 'ImportImage', status: 'Processing',
        resource_id: imageId, detail: JSON.stringify(detail), created_at: now, completes_at: now + duration, finished_at: 0,
      });
      await trx.insertInto('transitions').values({ resource_id: taskId, from_status: '', to_status: 'Processing', at: now }).execute();
      await enqueue({ kind: 'task', resourceId: taskId, dueAt: now + ctx.driver.transitionMs });
      return { ImageId: imageId, TaskId: taskId, RegionId: ctx.regionId };
    });
  },

  async ExportImage(ctx, p) {
    const image = p.ImageId ? await getOwnImage(ctx.db, ctx.principal.accountId, ctx.regionId, p.ImageId) : undefined;
    if (!image) {
      if (findSystemImage(p.ImageId)) throw new EcsError('InvalidImageCategory.NotSupported', `The specified image category is not supported: ${p.ImageId} is a public image; only custom images can be exported.`);
      throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${p.ImageId}" does not exist among your custom images in ${ctx.regionId}.`);
    }
    if (image.status !== 'Available') throw new EcsError('IncorrectImageStatus', `The specified Image is not available (status ${image.status}).`);
    const mappings = mappingsOf(image);
    // 002:L2859: "Custom images that contain data-disk data cannot be exported."
    if (mappings.some((m) => m.type === 'data')) throw new EcsError('OperationDenied', 'The specified image contains the snapshot of the data disk,does not support this operation.');
    const system = mappings.find((m) => m.type === 'system');
    const bucket = checkBucketName(p.OSSBucket);
    const prefix = p.OSSPrefix === undefined ? '' : String(p.OSSPrefix);
    if (prefix && !isValidOssPrefix(prefix)) throw new EcsError('InvalidOSSPrefix.Malformed', `The specified OSSPrefix "${prefix}" is wrongly formed: 1 to 30 letters or digits.`);
    const format = parseExportFormat(p.ImageFormat);
    await usableBucket(ctx, bucket);
    if (await exportInProgress(ctx.db, image.id)) throw new EcsError('ImageIsExporting', `The specified Image ${image.id} is exporting.`);
    const taskId = newId('t-');
    const now = ctx.now();
    const duration = taskDurationMs('ExportImage', ctx.driver.transitionMs);
    const detail: ExportDetail = {
      imageId: image.id, snapshotId: system?.snapshotId ?? '', bucket, prefix, format, object: exportObjectKey(prefix, image.id, taskId, format), ossRoot: objectStore(ctx).root,
    };
    return ctx.mutate(async (trx, enqueue) => {
      await insertTask(trx, {
        id: taskId, account_id: ctx.principal.accountId, region_id: ctx.regionId, action: 'ExportImage', status: 'Processing',
        resource_id: image.id, detail: JSON.stringify(detail), created_at: now, completes_at: now + duration, finished_at: 0,
      });
      await trx.insertInto('transitions').values({ resource_id: taskId, from_status: '', to_status: 'Processing', at: now }).execute();
      await enqueue({ kind: 'task', resourceId: taskId, dueAt: now + duration });
      return { TaskId: taskId, RegionId: ctx.regionId };
    });
  },

  async DescribeTasks(ctx, p) {
    const pageNumber: number = p.PageNumber ?? 1;
    const pageSize: number = p.PageSize ?? 10;
    const ids = p.TaskIds ? String(p.TaskIds).split(',').map((s) => s.trim()).filter(Boolean) : undefined;
    if (ids && ids.length > 100) throw new EcsError('InvalidParameter', 'TaskIds takes at most 100 ids.', 400);
    // "只支持查询状态为Finished、Processing和Failed的任务，填入其他取值将不会生效": other values do not filter.
    const status = p.TaskStatus && FILTERABLE_TASK_STATUSES.includes(p.TaskStatus) ? String(p.TaskStatus) : undefined;
    let rows = await listTasks(ctx.db, ctx.principal.accountId, ctx.regionId, {
      ids, action: p.TaskAction || undefined, status, from: timeParam(p, 'StartTime'), to: timeParam(p, 'EndTime'),
    });
    const resources: string[] = p.ResourceIds ?? [];
    if (resources.length) rows = rows.filter((t) => resources.includes(t.resource_id));
    const page = rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return { RegionId: ctx.regionId, PageNumber: pageNumber, PageSize: pageSize, TotalCount: rows.length, TaskSet: { Task: page.map(taskItem) } };
  },

  async DescribeTaskAttribute(ctx, p) {
    const t = await requireTask(ctx, p.TaskId);
    const detail = JSON.parse(t.detail || '{}') as Partial<ExportDetail & ImportDetail>;
    const items: { Name: string; Value: string }[] = [];
    if (t.action === 'ExportImage') items.push({ Name: 'ImageId', Value: t.resource_id }, { Name: 'OSSBucket', Value: detail.bucket ?? '' }, { Name: 'OSSObject', Value: detail.object ?? '' });
    else items.push({ Name: 'ImageId', Value: t.resource_id });
    const opStatus = t.status === 'Finished' ? 'Success' : t.status === 'Processing' ? 'Processing' : t.status === 'Failed' ? 'Failed' : 'Cancelled';
    // DescribeTasks lists a task's ResourceId; DescribeTaskAttribute has no such field (the image is a RelatedItem).
    const { ResourceId: _listedOnly, ...item } = taskItem(t);
    return {
      ...item, RegionId: t.region_id, TaskProcess: taskProgress(t.status, t.created_at, t.completes_at, ctx.now()),
      TotalCount: 1, SuccessCount: t.status === 'Finished' ? 1 : 0, FailedCount: t.status === 'Failed' ? 1 : 0,
      OperationProgressSet: {
        OperationProgress: [{
          OperationStatus: opStatus, ErrorCode: detail.error?.code ?? '', ErrorMsg: detail.error?.message ?? '', RelatedItemSet: { RelatedItem: items },
        }],
      },
    };
  },

  async CancelTask(ctx, p) {
    const t = await requireTask(ctx, p.TaskId);
    if (t.action !== 'ImportImage' && t.action !== 'ExportImage') throw new EcsError('InvalidTaskId.TaskActionNotSupport', `The specified task action ${t.action} does not support cancelling.`);
    if (t.status !== 'Processing') throw new EcsError('InvalidTaskId.IncorrectTaskStatus', `The specified task status is invalid: ${t.id} is ${t.status}, only Processing tasks can be cancelled.`);
    const now = ctx.now();
    return ctx.mutate(async (trx) => {
      await updateTask(trx, t.id, { status: 'Cancelled', finished_at: now });
      await trx.insertInto('transitions').values({ resource_id: t.id, from_status: t.status, to_status: 'Cancelled', at: now }).execute();
      if (t.action === 'ImportImage') {
        // Like CancelCopyImage (002:L2389), the half-imported image and its snapshots go.
        const image = await getImageAny(trx, t.resource_id);
        if (image) {
          await deleteSnapshots(trx, mappingsOf(image).map((m) => m.snapshotId).filter(Boolean));
          await trx.deleteFrom('tags').where('resource_id', '=', image.id).execute();
          await deleteImageRow(trx, image.id);
          await trx.insertInto('transitions').values({ resource_id: image.id, from_status: image.status, to_status: 'Cancelled', at: now }).execute();
        }
      }
      return {};
    });
  },
});
