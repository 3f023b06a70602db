/**
 * Snapshot progress on the clock. "Creation of the first snapshot will take relatively longer …
 * due to the first snapshot being a full snapshot" (000:L1269): the first snapshot of a disk takes
 * two engine transition times, later (incremental) ones one. Progress is derived from the clock
 * between creation and completion, so it survives a restart without extra writes.
 */
export type SnapshotStatus = 'progressing' | 'accomplished' | 'failed';
export const SNAPSHOT_STATUSES: readonly SnapshotStatus[] = ['progressing', 'accomplished', 'failed'];

export function snapshotDurationMs(transitionMs: number, firstOfDisk: boolean): number {
  const base = Math.max(1, transitionMs);
  return firstOfDisk ? 2 * base : base;
}

/** "NN%": 100% once accomplished; while progressing, the elapsed share, at most 99%. */
export function progressText(status: string, createdAt: number, completesAt: number, now: number): string {
  if (status === 'accomplished') return '100%';
  if (status === 'failed') return '0%';
  const span = Math.max(1, completesAt - createdAt);
  const pct = Math.floor(((now - createdAt) / span) * 100);
  return `${Math.max(0, Math.min(99, pct))}%`;
}

/** Seconds left, for `RemainTime`. */
export function remainSeconds(status: string, completesAt: number, now: number): number {
  return status === 'progressing' ? Math.max(0, Math.ceil((completesAt - now) / 1000)) : 0;
}

/** DescribeSnapshots `Usage`: what depends on the snapshot. */
export function usageOf(usedByImage: boolean, usedByDisk: boolean): 'image' | 'disk' | 'image_disk' | 'none' {
  if (usedByImage && usedByDisk) return 'image_disk';
  if (usedByImage) return 'image';
  if (usedByDisk) return 'disk';
  return 'none';
}
