/**
 * Audit retention: events older than OPENECS_AUDIT_RETENTION_DAYS (90 by default, ActionTrail's
 * event history; 0 keeps them forever) are deleted a batch per statement by an engine timer, the
 * way src/engine/retention.ts ages out operations.
 */
import type { Db } from '../store/db.js';
import type { Timer } from '../engine/engine.js';
import { batches, intervalTimer } from '../engine/retention.js';

const DAY = 86_400_000;

export interface AuditRetention {
  /** 0: forever. */
  retentionMs: number;
  intervalMs: number;
  batch: number;
}

export function auditRetentionFromEnv(env: NodeJS.ProcessEnv = process.env): AuditRetention {
  const raw = env.OPENECS_AUDIT_RETENTION_DAYS;
  const days = raw === undefined || raw === '' ? 90 : Number(raw);
  if (!Number.isInteger(days) || days < 0) throw new Error(`OPENECS_AUDIT_RETENTION_DAYS must be an integer ≥ 0, not ${raw}`);
  return { retentionMs: days * DAY, intervalMs: 10 * 60_000, batch: 1000 };
}

/** Deletes events older than the retention; the number deleted. */
export async function sweepAuditEvents(db: Db, now: number, r: AuditRetention): Promise<number> {
  if (r.retentionMs <= 0) return 0;
  const cutoff = now - r.retentionMs;
  return batches(r.batch, async () => Number((await db.deleteFrom('audit_events')
    .where('id', 'in', db.selectFrom('audit_events').select('id').where('event_time', '<', cutoff).limit(r.batch))
    .executeTakeFirst()).numDeletedRows));
}

export function auditRetentionTimer(r: AuditRetention): Timer {
  return intervalTimer(r.intervalMs, async (env, now) => {
    const n = await sweepAuditEvents(env.db, now, r);
    if (n) env.log('audit retention sweep', { events: n });
  });
}
