/**
 * What a disk's bytes still owe its row. ResizeDisk and ResetDisk answer at once and record intent
 * on the disk (its new `size` with `resize_from`, the size the bytes had; `reset_snapshot_id`, the
 * snapshot to roll back to); the `disk-content` reconciler then makes the driver's bytes match and
 * clears the intent. Until then the disk's content is pending: an instance does not boot from it
 * and no snapshot freezes it, so nothing ever sees bytes older than what the API answered.
 */

/** The columns of a disk row that say what its bytes should be. */
export interface DiskIntent {
  status: string;
  size: number;
  resize_from: number;
  reset_snapshot_id: string;
}

/** What the driver must still do to a disk's bytes (reset first, then resize), or undefined. */
export interface ContentPlan {
  resetTo?: string;
  resizeTo?: number;
}

export function contentPlan(d: DiskIntent): ContentPlan | undefined {
  const plan: ContentPlan = {};
  if (d.reset_snapshot_id) plan.resetTo = d.reset_snapshot_id;
  if (d.resize_from > 0) plan.resizeTo = d.size;
  return plan.resetTo || plan.resizeTo ? plan : undefined;
}

/**
 * Whether an instance must wait before it boots from the disk: a reset or resize not yet applied,
 * or a ReInitDisk whose bytes have not been dropped yet (the disk reconciler does that).
 */
export function contentPending(d: DiskIntent): boolean {
  return d.status === 'ReIniting' || contentPlan(d) !== undefined;
}

/**
 * The intent a ResizeDisk records: the new size, and the size the bytes had before the first resize
 * still pending (a second resize before the first applied keeps it: that is what a give-up restores).
 */
export function resizeIntent(d: Pick<DiskIntent, 'size' | 'resize_from'>, newSize: number): { size: number; resize_from: number } {
  return { size: newSize, resize_from: d.resize_from > 0 ? d.resize_from : d.size };
}

/**
 * Failed driver attempts before a content change is abandoned. The engine retries with capped
 * backoff in between (about a minute in all); then the disk goes back to what its bytes are: the
 * size before the resize, the bytes before the reset. The failure is recorded as a transition of
 * the disk and logged, and instances waiting on it boot from the bytes it has.
 */
export const CONTENT_ATTEMPTS = 8;

/** Failed attempts to freeze a snapshot's bytes before the snapshot goes to `failed` (ECS's status). */
export const SNAPSHOT_ATTEMPTS = 5;

/** Whether the attempt that just failed (`attempts` failures before it) is the last one allowed. */
export function exhausted(attemptsBefore: number, limit: number): boolean {
  return attemptsBefore + 1 >= limit;
}

/**
 * The disk after a content change is abandoned: the size its bytes still have, no intent left.
 * What was abandoned is recorded as a transition (`<status>:resize-failed:<from>-><to>`,
 * `<status>:reset-failed:<snapshot>`).
 */
export function abandoned(d: DiskIntent): { patch: { size: number; resize_from: number; reset_snapshot_id: string }; events: string[] } {
  const plan = contentPlan(d) ?? {};
  const events: string[] = [];
  if (plan.resetTo) events.push(`${d.status}:reset-failed:${plan.resetTo}`);
  if (plan.resizeTo) events.push(`${d.status}:resize-failed:${d.resize_from}->${d.size}`);
  return { patch: { size: d.resize_from > 0 ? d.resize_from : d.size, resize_from: 0, reset_snapshot_id: '' }, events };
}
