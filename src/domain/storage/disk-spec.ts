/**
 * ModifyDiskSpec: changing a disk's category, ESSD performance level or ESSD AutoPL provisioned
 * IOPS. From the API metadata: the target categories are cloud_essd, cloud_auto, cloud_ssd,
 * cloud_essd_entry and cloud_efficiency ("按云盘性能降序排列"; only subscription disks may not go
 * down, and every disk here is pay-as-you-go); ESSD Entry changes only to ESSD or ESSD AutoPL;
 * PerformanceLevel is for cloud_essd only (InvalidPerformanceLevelParam.Mismatch); the disk's size
 * must fit the target level (CreateDisk `Size`: PL0 1+, PL1 20+, PL2 461+, PL3 1,261+ GiB,
 * OperationDenied.PerformanceLevelNotMatch); ProvisionedIops is for cloud_auto only, from 0 to
 * min{50,000, 1,000 × size − baseline} with baseline = min{1,800 + 50 × size, 50,000}.
 */
import { EcsError } from '../errors.js';
import { DEFAULT_PERFORMANCE_LEVEL, PERFORMANCE_LEVELS, diskSizeRange, type DiskKind } from '../catalog/disk-categories.js';

/** What ModifyDiskSpec can turn a disk into, fastest first. */
export const SPEC_TARGET_CATEGORIES: readonly string[] = ['cloud_essd', 'cloud_auto', 'cloud_ssd', 'cloud_essd_entry', 'cloud_efficiency'];
/** ESSD Entry changes to these only. */
const ENTRY_TARGETS: readonly string[] = ['cloud_essd', 'cloud_auto'];

export interface DiskSpec { kind: DiskKind; category: string; performanceLevel: string; provisionedIops: number; size: number }
export interface DiskSpecRequest { category?: string; performanceLevel?: string; provisionedIops?: number }
export interface DiskSpecChange { category: string; performanceLevel: string; provisionedIops: number; categoryChanged: boolean }

/** ESSD AutoPL's baseline IOPS for a size (GiB). */
export function autoPlBaselineIops(sizeGiB: number): number {
  return Math.min(1800 + 50 * sizeGiB, 50_000);
}

/** The most IOPS an ESSD AutoPL disk of this size can provision on top of its baseline. */
export function maxProvisionedIops(sizeGiB: number): number {
  return Math.max(0, Math.min(50_000, 1000 * sizeGiB - autoPlBaselineIops(sizeGiB)));
}

export function checkProvisionedIops(category: string, sizeGiB: number, iops: number | undefined): void {
  if (iops === undefined) return;
  if (category !== 'cloud_auto') throw new EcsError('ProvisionedIopsForDiskCategoryUnsupported', `The specified disk category ${category} does not support provisioned iops: only cloud_auto does.`);
  const max = maxProvisionedIops(sizeGiB);
  if (!Number.isInteger(iops) || iops < 0 || iops > max) {
    throw new EcsError('InvalidProvisionedIops.LimitExceed', `The provisioned iops exceeds the limit: 0 to ${max} for a ${sizeGiB} GiB cloud_auto disk.`);
  }
}

/** The disk after the request, or the ECS error that refuses it. */
export function planDiskSpec(disk: DiskSpec, req: DiskSpecRequest): DiskSpecChange {
  if (req.category !== undefined && !SPEC_TARGET_CATEGORIES.includes(req.category)) {
    throw new EcsError('InvalidDiskCategory.ValueNotSupported', `The specified parameter "DiskCategory" (${req.category}) is not valid: use ${SPEC_TARGET_CATEGORIES.join(', ')}.`);
  }
  if (!SPEC_TARGET_CATEGORIES.includes(disk.category)) {
    throw new EcsError('OperationDenied', `The type of the disk (${disk.category}) does not support the operation.`, 403);
  }
  const target = req.category ?? disk.category;
  if (disk.category === 'cloud_essd_entry' && target !== disk.category && !ENTRY_TARGETS.includes(target)) {
    throw new EcsError('InvalidDiskCategory.NotSupported', `The specified disk category is not supported: an ESSD Entry disk changes to ${ENTRY_TARGETS.join(' or ')} only.`, 403);
  }
  if (req.performanceLevel !== undefined) {
    if (target !== 'cloud_essd') throw new EcsError('InvalidPerformanceLevelParam.Mismatch', 'The specified parameter PerformanceLevel should be null when DiskCategory is not cloud_essd.');
    if (!(PERFORMANCE_LEVELS as readonly string[]).includes(req.performanceLevel)) {
      throw new EcsError('InvalidPerformanceLevel.Malformed', `The specified parameter PerformanceLevel (${req.performanceLevel}) is not valid: use ${PERFORMANCE_LEVELS.join(', ')}.`);
    }
  }
  const performanceLevel = target !== 'cloud_essd' ? ''
    : req.performanceLevel ?? (disk.category === 'cloud_essd' && disk.performanceLevel ? disk.performanceLevel : DEFAULT_PERFORMANCE_LEVEL);
  checkProvisionedIops(target, disk.size, req.provisionedIops);
  const provisionedIops = target !== 'cloud_auto' ? 0 : req.provisionedIops ?? (disk.category === 'cloud_auto' ? disk.provisionedIops : 0);
  const range = diskSizeRange(disk.kind, target, performanceLevel || undefined)!;
  if (disk.size < range.min || disk.size > range.max) {
    throw target === 'cloud_essd'
      ? new EcsError('OperationDenied.PerformanceLevelNotMatch', `The specified PerformanceLevel and disk size do not match: ${performanceLevel} takes ${range.min} to ${range.max} GiB, the disk has ${disk.size} GiB.`, 403)
      : new EcsError('InvalidDiskCategory.NotSupported', `The specified disk category is not supported: ${target} takes ${range.min} to ${range.max} GiB, the disk has ${disk.size} GiB.`, 403);
  }
  const categoryChanged = target !== disk.category;
  if (!categoryChanged && performanceLevel === disk.performanceLevel && provisionedIops === disk.provisionedIops) {
    throw new EcsError('NoChangeInDiskCategoryAndPerformanceLevel', 'There is no change between the parameters transmitted and the current.', 403);
  }
  return { category: target, performanceLevel, provisionedIops, categoryChanged };
}
