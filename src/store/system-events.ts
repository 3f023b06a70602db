/**
 * System event rows (src/domain/system-events.ts): raised by the system where it acts or by
 * CreateSimulatedSystemEvents, moved along their statuses by the engine's timer
 * (src/engine/system-events.ts) compare-and-set, and read by the event actions and the metadata
 * service.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SystemEventTable } from './schema.js';
import { newId } from '../domain/ids.js';
import { ACTIVE_STATUSES, advance, EVENT_TYPE_CODES, type CycleStatus } from '../domain/system-events.js';

type Q = Kysely<Database> | Transaction<Database>;
export type SystemEventRow = Selectable<SystemEventTable>;

export interface RaisedEvent {
  accountId: string;
  regionId: string;
  instanceId: string;
  /** An instance event type of EVENT_TYPE_CODES (InstanceExpiration.Stop, SystemFailure.Stop, …). */
  type: string;
  /** When it takes (took) effect. */
  notBefore: number;
  /** Executed: it has happened (the caller acted in the same transaction); Scheduled: announced for notBefore. */
  status?: Extract<CycleStatus, 'Executed' | 'Scheduled' | 'Executing' | 'Inquiring'>;
  /** When an Executing (or Scheduled) event is Executed; default notBefore. */
  executeEnd?: number;
  reason?: string;
  simulated?: boolean;
}

/**
 * Records a system event of an instance; call it inside the transaction that makes the change
 * (or announces it), so the event and the change commit together. Returns the event id.
 */
export async function raiseSystemEvent(trx: Q, e: RaisedEvent, now: number): Promise<string> {
  if (!(e.type in EVENT_TYPE_CODES)) throw new Error(`unknown system event type ${e.type}`);
  const id = newId('e-');
  const status: CycleStatus = e.status ?? 'Executed';
  const executeEnd = e.executeEnd ?? e.notBefore;
  const next = status === 'Inquiring' ? { status, nextAt: null } : advance({ status, notBefore: e.notBefore, executeEnd }, now);
  const finished = next.nextAt === null && status !== 'Inquiring';
  await trx.insertInto('system_events').values({
    id, account_id: e.accountId, region_id: e.regionId, resource_type: 'instance', resource_id: e.instanceId,
    event_type: e.type, cycle_status: next.status, simulated: e.simulated ? 1 : 0, reason: e.reason ?? '',
    publish_time: now, not_before: e.notBefore, execute_end: executeEnd,
    finish_time: finished ? Math.min(now, executeEnd) : null, next_at: next.nextAt,
  }).execute();
  return id;
}

export async function getSystemEvents(db: Q, accountId: string, ids: string[]): Promise<SystemEventRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('system_events').selectAll().where('account_id', '=', accountId).where('id', 'in', ids).execute();
}

export interface EventFilter {
  accountId: string;
  regionId: string;
  resourceIds?: string[];
  eventIds?: string[];
  statuses?: readonly string[];
  types?: readonly string[];
  notBeforeFrom?: number;
  notBeforeTo?: number;
  publishedFrom?: number;
  publishedTo?: number;
  /** Finished events older than this are left out (the history window). */
  finishedAfter?: number;
}

/** The events matching `f`, newest first (by publish time, then id). */
export async function listSystemEvents(db: Q, f: EventFilter): Promise<SystemEventRow[]> {
  let q = db.selectFrom('system_events').selectAll().where('account_id', '=', f.accountId).where('region_id', '=', f.regionId);
  if (f.resourceIds) q = f.resourceIds.length ? q.where('resource_id', 'in', f.resourceIds) : q.where('id', '=', '');
  if (f.eventIds) q = f.eventIds.length ? q.where('id', 'in', f.eventIds) : q.where('id', '=', '');
  if (f.statuses) q = f.statuses.length ? q.where('cycle_status', 'in', [...f.statuses]) : q.where('id', '=', '');
  if (f.types) q = f.types.length ? q.where('event_type', 'in', [...f.types]) : q.where('id', '=', '');
  if (f.notBeforeFrom !== undefined) q = q.where('not_before', '>=', f.notBeforeFrom);
  if (f.notBeforeTo !== undefined) q = q.where('not_before', '<=', f.notBeforeTo);
  if (f.publishedFrom !== undefined) q = q.where('publish_time', '>=', f.publishedFrom);
  if (f.publishedTo !== undefined) q = q.where('publish_time', '<=', f.publishedTo);
  if (f.finishedAfter !== undefined) {
    const after = f.finishedAfter;
    q = q.where((eb) => eb.or([eb('finish_time', 'is', null), eb('finish_time', '>=', after)]));
  }
  return q.orderBy('publish_time', 'desc').orderBy('id', 'desc').execute();
}

/** An instance's events still under way (the metadata service's active-system-events). */
export async function activeEventsOf(db: Q, instanceId: string): Promise<SystemEventRow[]> {
  return db.selectFrom('system_events').selectAll().where('resource_id', '=', instanceId)
    .where('cycle_status', 'in', [...ACTIVE_STATUSES]).orderBy('not_before').orderBy('id').execute();
}

export async function countActiveSimulated(db: Q, instanceIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (!instanceIds.length) return out;
  const rows = await db.selectFrom('system_events').select(['resource_id']).select((eb) => eb.fn.countAll<number>().as('n'))
    .where('resource_id', 'in', instanceIds).where('simulated', '=', 1).where('cycle_status', 'in', [...ACTIVE_STATUSES])
    .groupBy('resource_id').execute();
  for (const r of rows) out.set(r.resource_id, Number(r.n));
  return out;
}

export async function dueSystemEvents(db: Q, now: number, limit = 500): Promise<SystemEventRow[]> {
  return db.selectFrom('system_events').selectAll().where('next_at', 'is not', null).where('next_at', '<=', now)
    .orderBy('next_at').limit(limit).execute();
}

/** Moves an event from the status it was read in (compare-and-set); false when it moved meanwhile. */
export async function setEventStatus(
  trx: Q, row: Pick<SystemEventRow, 'id' | 'cycle_status'>, to: string, patch: { next_at: number | null; finish_time?: number | null },
): Promise<boolean> {
  const r = await trx.updateTable('system_events').set({ cycle_status: to, ...patch })
    .where('id', '=', row.id).where('cycle_status', '=', row.cycle_status).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** RebootInstance before NotBefore avoids the instance's scheduled maintenance reboots. */
export async function avoidScheduledReboots(trx: Q, instanceIds: string[], now: number): Promise<number> {
  if (!instanceIds.length) return 0;
  const r = await trx.updateTable('system_events').set({ cycle_status: 'Avoided', finish_time: now, next_at: null })
    .where('resource_id', 'in', instanceIds).where('event_type', '=', 'SystemMaintenance.Reboot')
    .where('cycle_status', '=', 'Scheduled').where('not_before', '>', now).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** Deletes finished events that ended before `cutoff`, `batch` rows per statement; the rows deleted. */
export async function deleteFinishedEventsBefore(db: Kysely<Database>, cutoff: number, batch: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < 50; i++) {
    const n = Number((await db.deleteFrom('system_events').where('id', 'in', db.selectFrom('system_events').select('id')
      .where('next_at', 'is', null).where('finish_time', '<', cutoff).limit(batch)).executeTakeFirst()).numDeletedRows);
    total += n;
    if (n < batch) break;
  }
  return total;
}
