/**
 * Snapshots: CreateSnapshot, DeleteSnapshot, DescribeSnapshots, ModifySnapshotAttribute,
 * CopySnapshot. A snapshot is `progressing` until the `snapshot` reconciler completes it at
 * `completes_at`; Progress is derived from the clock in between.
 */
import { EcsError } from '../domain/errors.js';
import { isKnownRegion } from '../domain/catalog/index.js';
import { newId } from '../domain/ids.js';
import { diskStatusAllows, instanceStatusAllows } from '../domain/storage/disks.js';
import { isValidDescription, isValidSnapshotName } from '../domain/storage/names.js';
import { expiryOf, isValidSnapshotRetention } from '../domain/storage/quotas.js';
import { SNAPSHOT_STATUSES, snapshotDurationMs, usageOf } from '../domain/storage/snapshots.js';
import { MAX_TAGS_PER_RESOURCE, tagsFromParams } from '../domain/tags.js';
import { imagesUsingSnapshot } from '../store/images.js';
import { enqueueFileRemoval } from '../engine/disk-files.js';
import { getInstance } from '../store/instances.js';
import {
  countSnapshots, deleteSnapshots, disksFromSnapshot, getDisk, insertSnapshot, listSnapshots, quotaOf, snapshotsOfDisk, updateSnapshot,
  type DiskRow, type SnapshotFilter, type SnapshotRow,
} from '../store/storage.js';
import { lockRow } from '../store/row-locks.js';
import { idsWithTags, putTags, tagsOf } from '../store/tags.js';
import { jsonList } from './instance-describe.js';
import { pageFields, pageOf } from './paging.js';
import { creationFilter, requireDisk, requireSnapshot, snapshotItem, tagFilterOf } from './storage-view.js';
import { ecsHandlers, type EcsRequest } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';
import { defaultGroupId } from '../store/resource-groups.js';

function checkSnapshotName(name: unknown, code = 'InvalidSnapshotName.Malformed'): void {
  if (name !== undefined && name !== '' && !isValidSnapshotName(String(name))) {
    throw new EcsError(code, 'The specified SnapshotName is wrongly formed: 2 to 128 characters, starting with a letter, not starting with "auto" (reserved for automatic snapshots), then letters, digits, ".", "_", "-" or ":".');
  }
}

function checkDescription(d: unknown): void {
  if (d !== undefined && d !== '' && !isValidDescription(String(d))) {
    throw new EcsError('InvalidDescription.Malformed', 'The specified description is wrongly formed: 2 to 256 characters, not starting with http:// or https://.');
  }
}

function checkRetention(days: unknown): number {
  if (days === undefined || days === null || days === '') return 0;
  if (!isValidSnapshotRetention(Number(days))) throw new EcsError('InvalidRetentionDays.Malformed', `The specified RetentionDays (${String(days)}) is not valid: 1 to 65536 days.`);
  return Number(days);
}

/** What depends on snapshots: live images (DeleteSnapshot refuses) and disks created from them. */
export async function dependentsOf(ctx: ActionContext, snaps: SnapshotRow[]): Promise<Map<string, { image: boolean; disk: boolean }>> {
  const out = new Map<string, { image: boolean; disk: boolean }>();
  for (const s of snaps) {
    const [images, disks] = await Promise.all([imagesUsingSnapshot(ctx.db, ctx.principal.accountId, s.id), disksFromSnapshot(ctx.db, s.id)]);
    out.set(s.id, { image: images.length > 0, disk: disks.length > 0 });
  }
  return out;
}

export interface NewSnapshot {
  id?: string;
  accountId: string;
  regionId: string;
  disk: { id: string; type: string; category: string; size: number; instance_id: string };
  type: 'user' | 'auto';
  name: string;
  description: string;
  retentionDays: number;
  createdAt: number;
  durationMs: number;
  policyId?: string;
  imageId?: string;
  sourceSnapshotId?: string;
  sourceRegionId?: string;
  resourceGroupId?: string;
  encrypted?: boolean;
  /** standard, or flash (instant access) for CreateSnapshot `Category=flash`. */
  category?: string;
}

/**
 * Inserts a progressing snapshot; the caller enqueues the `snapshot` operation: due at once for a
 * snapshot of a disk (its bytes are frozen then), at `completes_at` for a copy (it shares its source's).
 */
export async function addSnapshot(trx: Tx | Parameters<typeof insertSnapshot>[0], s: NewSnapshot): Promise<SnapshotRow> {
  const row: SnapshotRow = {
    id: s.id ?? newId('s-'),
    account_id: s.accountId,
    region_id: s.regionId,
    name: s.name,
    description: s.description,
    source_disk_id: s.disk.id,
    source_disk_type: s.disk.type === 'system' ? 'system' : 'data',
    source_disk_category: s.disk.category,
    source_disk_size: s.disk.size,
    source_instance_id: s.disk.instance_id,
    type: s.type,
    status: 'progressing',
    policy_id: s.policyId ?? '',
    image_id: s.imageId ?? '',
    source_snapshot_id: s.sourceSnapshotId ?? '',
    source_region_id: s.sourceRegionId ?? '',
    retention_days: s.retentionDays > 0 ? s.retentionDays : 0,
    encrypted: s.encrypted ? 1 : 0,
    category: s.category ?? 'standard',
    resource_group_id: s.resourceGroupId || await defaultGroupId(trx, s.accountId) || '',
    created_at: s.createdAt,
    completes_at: s.createdAt + s.durationMs,
    modified_at: s.createdAt,
    expires_at: expiryOf(s.createdAt, s.retentionDays),
    taken_at: null,
  };
  await insertSnapshot(trx, row);
  return row;
}

/**
 * The checks every new snapshot of a disk passes (CreateSnapshot, CreateImage from an instance):
 * disk status, the instance Running or Stopped, attached at least once, no snapshot in progress
 * (000:L1348), and the per-disk quota (000:L1325). Returns the snapshot's duration.
 */
/**
 * Whether the disk can be snapshotted now; the snapshot's duration. Run once to answer early and
 * again inside the writing transaction with the disk's row locked (`lockDiskForSnapshot`), so
 * concurrent requests for one disk count one another's snapshot (one in progress, the quota).
 */
export async function checkCanSnapshot(ctx: ActionContext, disk: { id: string; status: string; type: string; instance_id: string; attached_at: number | null; region_id: string }, q: Tx | ActionContext['db'] = ctx.db): Promise<number> {
  if (!diskStatusAllows('Snapshot', disk.status)) throw new EcsError('IncorrectDiskStatus', `The current disk status (${disk.status}) does not support creating a snapshot.`);
  if (disk.attached_at === null) throw new EcsError('IncorrectDiskStatus.NeverAttached', `The specified disk ${disk.id} has never been attached to any instance.`);
  if (disk.instance_id && disk.status === 'In_use') {
    const inst = await getInstance(q, ctx.principal.accountId, disk.instance_id);
    if (inst && !instanceStatusAllows('Snapshot', disk.type, inst.status)) {
      throw new EcsError('IncorrectInstanceStatus', `The current status of the instance ${inst.id} (${inst.status}) does not support creating a snapshot: it must be Running or Stopped.`, 403);
    }
  }
  const existing = (await snapshotsOfDisk(q, disk.id)).filter((s) => s.region_id === disk.region_id && s.source_snapshot_id === '');
  if (existing.some((s) => s.status === 'progressing')) throw new EcsError('IncorrectDiskStatus.CreatingSnapshot', 'A previous snapshot creation is in process.');
  const quota = await quotaOf(q, ctx.principal.accountId, 'snapshots-per-disk');
  if (existing.length >= quota) {
    throw new EcsError('QuotaExceed.Snapshot', `The snapshot quota exceeds: a disk keeps at most ${quota} snapshots.`);
  }
  return snapshotDurationMs(ctx.driver.transitionMs, existing.length === 0);
}

/** The disk's row locked and read again inside `trx` (then `checkCanSnapshot(ctx, disk, trx)`). */
export async function lockDiskForSnapshot(ctx: ActionContext, trx: Tx, diskId: string): Promise<DiskRow> {
  const disk = await lockRow(trx, 'disks', diskId) ? await getDisk(trx, ctx.principal.accountId, diskId) : undefined;
  if (!disk) throw new EcsError('InvalidDiskId.NotFound', `The specified disk "${diskId}" does not exist.`);
  return disk;
}

async function describeFilter(ctx: ActionContext, p: EcsRequest<'DescribeSnapshots'>): Promise<SnapshotFilter & { usage?: string }> {
  const f: SnapshotFilter & { usage?: string } = {
    accountId: ctx.principal.accountId,
    regionId: ctx.regionId,
    ids: jsonList(p, 'SnapshotIds', 100, 'InvalidSnapshotIds.Malformed'),
    diskId: p.DiskId || undefined,
    instanceId: p.InstanceId || undefined,
    name: p.SnapshotName || undefined,
    encrypted: typeof p.Encrypted === 'boolean' ? p.Encrypted : undefined,
    resourceGroupId: p.ResourceGroupId || undefined,
  };
  const status = p.Status ?? 'all';
  if (status !== 'all' && !(SNAPSHOT_STATUSES as readonly string[]).includes(status)) {
    throw new EcsError('InvalidStatus.NotFound', `The specified Status "${status}" is not found: use progressing, accomplished, failed or all.`);
  }
  if (status !== 'all') f.status = status;
  const type = p.SnapshotType ?? 'all';
  if (!['auto', 'user', 'all'].includes(type)) throw new EcsError('InvalidSnapshotType.NotFound', `The specified SnapshotType "${type}" is not found: use auto, user or all.`);
  if (type !== 'all') f.type = type;
  if (p.SourceDiskType) {
    const t = String(p.SourceDiskType).toLowerCase();
    if (t !== 'system' && t !== 'data') throw new EcsError('InvalidSourceDiskType', `The specified SourceDiskType "${p.SourceDiskType}" is not valid: use System or Data.`);
    f.sourceDiskType = t;
  }
  if (p.Usage) {
    if (!['image', 'disk', 'image_disk', 'none'].includes(p.Usage)) throw new EcsError('InvalidUsage', `The specified Usage "${p.Usage}" is not valid: use image, disk, image_disk or none.`);
    f.usage = p.Usage;
  }
  if (p.Category && !['standard', 'flash', 'archive'].includes(String(p.Category).toLowerCase())) {
    throw new EcsError('InvalidSnapshotCategory.Malformed', `The specified Category "${p.Category}" is not valid.`);
  }
  if (p.Category) f.category = String(p.Category).toLowerCase();
  if (p.SnapshotLinkId) {
    if (!/^sl-/.test(p.SnapshotLinkId)) throw new EcsError('InvalidSnapshotLinkId.NotFound', `The specified snapshot link "${p.SnapshotLinkId}" is not found.`);
    f.diskId = `d-${p.SnapshotLinkId.slice(3)}`;
  }
  const created = creationFilter(p);
  f.createdFrom = created.from;
  f.createdTo = created.to;
  f.taggedIds = await idsWithTags(ctx.db, ctx.principal.accountId, 'snapshot', tagFilterOf(p));
  return f;
}

export const snapshotActions = ecsHandlers({
  async CreateSnapshot(ctx, p) {
    const disk = await requireDisk(ctx, p.DiskId);
    checkSnapshotName(p.SnapshotName);
    checkDescription(p.Description);
    const retention = checkRetention(p.RetentionDays);
    if (p.Category && !['standard', 'flash'].includes(String(p.Category).toLowerCase())) {
      throw new EcsError('InvalidSnapshotCategory.Malformed', `The specified Category "${p.Category}" is not valid.`);
    }
    const tags = tagsFromParams(p.Tag);
    if (tags.length > MAX_TAGS_PER_RESOURCE) throw new EcsError('QuotaExceed.Tags', `A snapshot can have at most ${MAX_TAGS_PER_RESOURCE} tags.`, 403);
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    await checkCanSnapshot(ctx, disk);
    const now = ctx.now();
    const row = await ctx.mutate(async (trx, enqueue) => {
      await holdResourceGroup(ctx, trx, resourceGroupId);
      const locked = await lockDiskForSnapshot(ctx, trx, disk.id);
      const duration = await checkCanSnapshot(ctx, locked, trx);
      const s = await addSnapshot(trx, {
        accountId: ctx.principal.accountId, regionId: locked.region_id, disk: locked, type: 'user',
        name: p.SnapshotName ?? '', description: p.Description ?? '', retentionDays: retention, createdAt: now, durationMs: duration,
        resourceGroupId, encrypted: disk.encrypted === 1, category: p.Category ? String(p.Category).toLowerCase() : 'standard',
      });
      await putTags(trx, { accountId: ctx.principal.accountId, regionId: disk.region_id, resourceType: 'snapshot', resourceId: s.id }, tags);
      // Due now: the engine freezes the bytes at once (qemu: O(1), the disk continues on an
      // overlay), retrying on failure; the snapshot completes at `completes_at`, or is `failed`.
      await enqueue({ kind: 'snapshot', resourceId: s.id, dueAt: now });
      return { SnapshotId: s.id };
    });
    return row;
  },

  async DeleteSnapshot(ctx, p) {
    if (!p.SnapshotId) throw new EcsError('MissingParameter', 'The input parameter SnapshotId that is mandatory for processing this request is not supplied.');
    const snap = await requireSnapshot(ctx, p.SnapshotId);
    const checkUnused = async (q: Tx | ActionContext['db']) => {
      // 000:L1420 "you must delete the associated image before you can delete the snapshot" (Force does not help).
      const images = await imagesUsingSnapshot(q, ctx.principal.accountId, snap.id);
      if (images.length) throw new EcsError('SnapshotCreatedImage', `The snapshot has been used to create user defined image(s): ${images.map((i) => i.id).join(', ')}.`);
      // "如果快照已经被用于创建云盘，且未设置Force…不能直接删除快照"; forced, those disks cannot re-initialize.
      const disks = await disksFromSnapshot(q, snap.id);
      if (disks.length && p.Force !== true) throw new EcsError('SnapshotCreatedDisk', `The snapshot has been used to create disk(s): ${disks.map((d) => d.id).join(', ')}. Set Force=true to delete it anyway.`);
    };
    await checkUnused(ctx.db);
    await ctx.mutate(async (trx, enqueue) => {
      // Again with the snapshot's row locked: CreateImage, CreateDisk, RunInstances, CopyImage,
      // CopySnapshot and ResetDisk lock it to use it, so what they make is counted (or finds it gone).
      if (!(await lockRow(trx, 'snapshots', snap.id))) throw new EcsError('InvalidSnapshotId.NotFound', `The specified snapshot "${snap.id}" does not exist.`);
      await checkUnused(trx);
      await deleteSnapshots(trx, [snap.id]);
      await trx.insertInto('transitions').values({ resource_id: snap.id, from_status: snap.status, to_status: 'Deleted', at: ctx.now() }).execute();
      // The file goes in the engine (the snapshot reconciler of a missing row), retried until it has.
      await enqueueFileRemoval(enqueue, ctx.now(), { snapshotIds: [snap.id] });
      return {};
    });
    return {};
  },

  async DescribeSnapshots(ctx, p) {
    const page = pageOf(p, { defaultSize: 10, maxSize: 100, maxResultsMax: 100, maxResultsDefault: 10 });
    const f = await describeFilter(ctx, p);
    if (ctx.dryRun) throw new EcsError('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    let total: number;
    let rows: SnapshotRow[];
    let deps: Map<string, { image: boolean; disk: boolean }>;
    if (f.usage) {
      // Usage depends on other tables: filter the region's snapshots in memory, then page.
      const all = await listSnapshots(ctx.db, f, 0, 100_000);
      deps = await dependentsOf(ctx, all);
      const matched = all.filter((s) => usageOf(deps.get(s.id)!.image, deps.get(s.id)!.disk) === f.usage);
      total = matched.length;
      rows = matched.slice(page.offset, page.offset + page.limit);
    } else {
      [total, rows] = await Promise.all([countSnapshots(ctx.db, f), listSnapshots(ctx.db, f, page.offset, page.limit)]);
      deps = await dependentsOf(ctx, rows);
    }
    const tags = await tagsOf(ctx.db, rows.map((r) => r.id));
    const now = ctx.now();
    return {
      ...pageFields(page, rows.length, total),
      Snapshots: { Snapshot: rows.map((r) => snapshotItem(r, now, deps.get(r.id)!, tags.get(r.id))) },
    };
  },

  async ModifySnapshotAttribute(ctx, p) {
    const snap = await requireSnapshot(ctx, p.SnapshotId);
    checkSnapshotName(p.SnapshotName);
    checkDescription(p.Description);
    const patch: Partial<SnapshotRow> = {};
    if (p.SnapshotName !== undefined) patch.name = p.SnapshotName;
    if (p.Description !== undefined) patch.description = p.Description;
    if (p.RetentionDays !== undefined) {
      const days = checkRetention(p.RetentionDays);
      if (snap.retention_days > 0 && days < snap.retention_days) {
        throw new EcsError('InvalidOperation.DecreaseRetentionDaysUnsupported', `The retention days of ${snap.id} can be increased only (now ${snap.retention_days}).`);
      }
      patch.retention_days = days;
      patch.expires_at = expiryOf(snap.created_at, days);
    }
    if (Object.keys(patch).length === 0 && p.DisableInstantAccess === undefined) throw new EcsError('NoAttributeToModify', 'No attribute to be modified in this request.');
    await ctx.mutate(async (trx) => {
      await updateSnapshot(trx, snap.id, { ...patch, modified_at: ctx.now() });
      return {};
    });
    return {};
  },

  async CopySnapshot(ctx, p) {
    const snap = await requireSnapshot(ctx, p.SnapshotId);
    const dest: string = p.DestinationRegionId;
    if (!isKnownRegion(dest)) throw new EcsError('InvalidRegionId.NotExists', `Region ${dest} not exists.`);
    if (dest === snap.region_id) throw new EcsError('InvalidOperation.NotSupportCopyInSameRegion', 'Copying snapshot in the same region is not supported.');
    if (snap.status !== 'accomplished') throw new EcsError('InvalidSnapshotId.NotReady', `The specified snapshot ${snap.id} has not completed yet.`);
    checkSnapshotName(p.DestinationSnapshotName);
    checkDescription(p.DestinationSnapshotDescription);
    const retention = checkRetention(p.RetentionDays);
    const tags = tagsFromParams(p.Tag);
    const inFlight = await ctx.db.selectFrom('snapshots').select('id').where('account_id', '=', ctx.principal.accountId)
      .where('region_id', '=', dest).where('source_disk_id', '=', snap.source_disk_id).where('status', '=', 'progressing')
      .where('source_snapshot_id', '!=', '').executeTakeFirst();
    if (inFlight) throw new EcsError('InvalidOperation.UnfinishedCrossRegionCopy', 'This disk has unfinished cross-region copy snapshots in the target region.');
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const now = ctx.now();
    return ctx.mutate(async (trx, enqueue) => {
      await holdResourceGroup(ctx, trx, resourceGroupId);
      // The source locked shared: a concurrent DeleteSnapshot waits for this copy, or it is gone here.
      if (!(await lockRow(trx, 'snapshots', snap.id, 'share'))) throw new EcsError('InvalidSnapshotId.NotFound', `The specified snapshot "${snap.id}" does not exist.`);
      const copy = await addSnapshot(trx, {
        accountId: ctx.principal.accountId, regionId: dest,
        disk: { id: snap.source_disk_id, type: snap.source_disk_type, category: snap.source_disk_category, size: snap.source_disk_size, instance_id: snap.source_instance_id },
        type: 'user', name: p.DestinationSnapshotName ?? '', description: p.DestinationSnapshotDescription ?? '', retentionDays: retention,
        createdAt: now, durationMs: snapshotDurationMs(ctx.driver.transitionMs, true),
        sourceSnapshotId: snap.id, sourceRegionId: snap.region_id, resourceGroupId, encrypted: p.Encrypted === true || snap.encrypted === 1,
      });
      await putTags(trx, { accountId: ctx.principal.accountId, regionId: dest, resourceType: 'snapshot', resourceId: copy.id }, tags);
      await enqueue({ kind: 'snapshot', resourceId: copy.id, dueAt: copy.completes_at });
      return { SnapshotId: copy.id };
    });
  },
});
