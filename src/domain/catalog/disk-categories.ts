/**
 * Cloud disk categories and their size ranges (GiB). The ranges are the API metadata's:
 * RunInstances `SystemDisk.Size` and `DataDisk.N.Size`, CreateDisk `Size`. They supersede the
 * older guide's figures (000:L146, L172-173: basic 5-2,000, SSD and Ultra 20-2,048 GB).
 */
import { EcsError } from '../errors.js';

export type DiskKind = 'system' | 'data';
export type PerformanceLevel = 'PL0' | 'PL1' | 'PL2' | 'PL3';
export const PERFORMANCE_LEVELS: readonly PerformanceLevel[] = ['PL0', 'PL1', 'PL2', 'PL3'];
/** ESSD's default level (RunInstances/CreateDisk `PerformanceLevel`: "PL1（默认）"). */
export const DEFAULT_PERFORMANCE_LEVEL: PerformanceLevel = 'PL1';

export interface SizeRange { min: number; max: number }

export interface DiskCategory {
  id: string;
  /** Names the console and guide use. */
  name: string;
  system: SizeRange;
  data: SizeRange;
  /** ESSD only: the range depends on the performance level. */
  byLevel?: Record<PerformanceLevel, { system: SizeRange; data: SizeRange }>;
}

export const DISK_CATEGORIES: DiskCategory[] = [
  // "普通云盘：20~500" (system); "cloud：5~2000" (data).
  { id: 'cloud', name: 'Basic Cloud Disk', system: { min: 20, max: 500 }, data: { min: 5, max: 2000 } },
  { id: 'cloud_efficiency', name: 'Ultra Cloud Disk', system: { min: 20, max: 2048 }, data: { min: 20, max: 32768 } },
  { id: 'cloud_ssd', name: 'SSD Cloud Disk', system: { min: 20, max: 2048 }, data: { min: 20, max: 32768 } },
  {
    id: 'cloud_essd', name: 'ESSD', system: { min: 20, max: 2048 }, data: { min: 20, max: 32768 },
    byLevel: {
      PL0: { system: { min: 1, max: 2048 }, data: { min: 1, max: 32768 } },
      PL1: { system: { min: 20, max: 2048 }, data: { min: 20, max: 32768 } },
      PL2: { system: { min: 461, max: 2048 }, data: { min: 461, max: 32768 } },
      PL3: { system: { min: 1261, max: 2048 }, data: { min: 1261, max: 32768 } },
    },
  },
  { id: 'cloud_auto', name: 'ESSD AutoPL', system: { min: 1, max: 2048 }, data: { min: 1, max: 32768 } },
  // System: "其他云盘类型：20~2048"; data: "cloud_essd_entry：10~32768".
  { id: 'cloud_essd_entry', name: 'ESSD Entry', system: { min: 20, max: 2048 }, data: { min: 10, max: 32768 } },
];

const byId = new Map(DISK_CATEGORIES.map((c) => [c.id, c]));

export function findDiskCategory(id: string): DiskCategory | undefined {
  return byId.get(id);
}

/** The size range of a category for a role (ESSD: at its performance level, default PL1). */
export function diskSizeRange(kind: DiskKind, category: string, performanceLevel?: string): SizeRange | undefined {
  const c = byId.get(category);
  if (!c) return undefined;
  if (c.byLevel) {
    const level = (performanceLevel || DEFAULT_PERFORMANCE_LEVEL) as PerformanceLevel;
    const r = c.byLevel[level];
    if (r) return r[kind];
  }
  return c[kind];
}

/**
 * The performance level a new disk gets: ESSD's given level or PL1; other categories have none, and
 * a level given for them is refused (CreateDisk/RunInstances `PerformanceLevel` is ESSD's).
 */
export function performanceLevelFor(category: string, given: unknown, name = 'PerformanceLevel'): string {
  const level = given === undefined || given === null || given === '' ? undefined : String(given);
  if (category !== 'cloud_essd') {
    if (level !== undefined) throw new EcsError('InvalidPerformanceLevel.Malformed', `The specified parameter ${name} is valid only for the category cloud_essd, not ${category}.`);
    return '';
  }
  return level ?? DEFAULT_PERFORMANCE_LEVEL;
}

/** Checks a disk's category, performance level and size for its role; throws the ECS code. */
export function checkDiskSize(kind: DiskKind, category: string, sizeGiB: number, performanceLevel?: string): void {
  const c = byId.get(category);
  if (!c) {
    throw kind === 'system'
      ? new EcsError('InvalidSystemDiskCategory.ValueNotSupported', `The specified parameter "SystemDisk.Category" (${category}) is not valid.`)
      : new EcsError('InvalidDataDiskCategory.ValueNotSupported', `The specified parameter "DataDisk.n.Category" (${category}) is not valid.`);
  }
  if (c.byLevel && performanceLevel && !(PERFORMANCE_LEVELS as readonly string[]).includes(performanceLevel)) {
    throw new EcsError('InvalidPerformanceLevel.Malformed', `The specified parameter PerformanceLevel (${performanceLevel}) is not valid: use PL0, PL1, PL2 or PL3.`);
  }
  const r = diskSizeRange(kind, category, performanceLevel)!;
  const what = c.byLevel ? `${category} ${performanceLevel || DEFAULT_PERFORMANCE_LEVEL}` : category;
  // A size ESSD takes at some level but not at this one: the level and the size do not match.
  if (c.byLevel && Number.isInteger(sizeGiB) && (sizeGiB < r.min || sizeGiB > r.max)) {
    const levels = Object.values(c.byLevel).map((l) => l[kind]);
    if (sizeGiB >= Math.min(...levels.map((l) => l.min)) && sizeGiB <= Math.max(...levels.map((l) => l.max))) {
      throw new EcsError('OperationDenied.PerformanceLevelNotMatch', `The specified PerformanceLevel and Size do not match: ${what} takes ${r.min} to ${r.max} GiB, not ${sizeGiB}.`, 403);
    }
  }
  if (kind === 'system') {
    if (!Number.isInteger(sizeGiB)) throw new EcsError('InvalidSystemDiskSize', `The specified parameter SystemDisk.Size (${sizeGiB}) is invalid.`);
    if (sizeGiB < r.min) throw new EcsError('InvalidSystemDiskSize.LessThanMinSize', `The specified parameter SystemDisk.Size (${sizeGiB}) is less than the min size ${r.min} GiB of ${what}.`);
    if (sizeGiB > r.max) throw new EcsError('InvalidSystemDiskSize.MoreThanMaxSize', `The specified parameter SystemDisk.Size (${sizeGiB}) is more than the max size ${r.max} GiB of ${what}.`);
    return;
  }
  if (!Number.isInteger(sizeGiB) || sizeGiB < r.min || sizeGiB > r.max) {
    throw new EcsError('InvalidDataDiskSize.ValueNotSupported', `The specified DataDisk.n.Size (${sizeGiB}) is beyond the permitted range ${r.min}-${r.max} GiB of ${what}.`);
  }
}

/*
 * The guide's "If the system disk is a cloud disk, all data disks must be cloud disks" (000:L160)
 * contrasts cloud disks with ephemeral (local) disks. Every category here is a cloud disk, so
 * the rule holds by construction until local disks are added.
 */
