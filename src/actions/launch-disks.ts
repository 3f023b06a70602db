/**
 * The data disks of a launch (RunInstances, CreateInstance): the image's data-disk mappings and
 * `DataDisk.N`, with each `DataDisk.N.SnapshotId` checked (the caller's, in the region, finished).
 * The merge rules are in domain/storage/launch-disks.ts.
 */
import { EcsError } from '../domain/errors.js';
import { diskSizeRange, findSystemImage } from '../domain/catalog/index.js';
import { planDataDisks, type DataDiskRequest, type ImageDataDisk, type PlannedDataDisk } from '../domain/storage/launch-disks.js';
import { findUsableImage, mappingsOf } from '../store/images.js';
import { getSnapshot } from '../store/storage.js';
import type { ActionContext } from './types.js';

async function customMappings(ctx: ActionContext, imageId: string) {
  if (findSystemImage(imageId)) return [];
  const row = await findUsableImage(ctx.db, ctx.principal.accountId, ctx.regionId, imageId);
  return row ? mappingsOf(row) : [];
}

async function imageDataDisks(ctx: ActionContext, imageId: string): Promise<ImageDataDisk[]> {
  return (await customMappings(ctx, imageId)).filter((m) => m.type === 'data').map((m) => ({ device: m.device, size: m.size, snapshotId: m.snapshotId }));
}

/**
 * The snapshot a custom image's system disk is made from (the disk's SourceSnapshotId, as ECS
 * shows it; a driver with real disks starts the disk from those bytes). '' for system images.
 */
export async function imageSystemSnapshot(ctx: ActionContext, imageId: string): Promise<string> {
  return (await customMappings(ctx, imageId)).find((m) => m.type === 'system')?.snapshotId ?? '';
}

export async function resolveDataDisks(ctx: ActionContext, imageId: string, requested: DataDiskRequest[], defaultCategory: string): Promise<PlannedDataDisk[]> {
  const sizes = new Map<string, number>();
  for (const r of requested) {
    if (!r.SnapshotId) continue;
    const id = String(r.SnapshotId);
    const s = await getSnapshot(ctx.db, ctx.principal.accountId, id);
    if (!s || s.region_id !== ctx.regionId) throw new EcsError('InvalidDataDiskSnapshotId.NotFound', `The specified parameter "DataDisk.n.SnapshotId" (${id}) is not valid: no such snapshot in ${ctx.regionId}.`);
    if (s.status !== 'accomplished') throw new EcsError('InvalidSnapshotId.NotReady', `The specified snapshot ${id} has not completed yet.`);
    sizes.set(id, s.source_disk_size);
  }
  const planned = planDataDisks(requested, await imageDataDisks(ctx, imageId), (id) => sizes.get(id)!);
  for (const d of planned) {
    if (!d.FromImage || d.Size === undefined) continue;
    // An image's empty data disk may be smaller (5 GiB, 000:L1510) than the category sells.
    const range = diskSizeRange('data', String(d.Category ?? defaultCategory), d.PerformanceLevel ? String(d.PerformanceLevel) : undefined);
    if (range && d.Size < range.min) d.Size = range.min;
  }
  return planned;
}
