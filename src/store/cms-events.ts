/**
 * CloudMonitor's reads of an account's ECS events (src/actions/cms-events.ts): its own notices
 * (`cms_events`, written where the system acts) and the instance system events, in every region.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { CmsEventTable, Database } from './schema.js';
import { newId } from '../domain/ids.js';
import type { SystemEventRow } from './system-events.js';

type Q = Kysely<Database> | Transaction<Database>;
export type CmsNoticeRow = Selectable<CmsEventTable>;

export interface Notice { accountId: string; regionId: string; instanceId: string; instanceName: string; name: string; content: string }

/** Records a notice; call it inside the transaction that makes the change it announces. */
export async function recordCmsNotice(trx: Q, n: Notice, now: number): Promise<string> {
  const id = newId('cms-');
  await trx.insertInto('cms_events').values({
    id, account_id: n.accountId, region_id: n.regionId, resource_id: n.instanceId, instance_name: n.instanceName,
    name: n.name, content: n.content, event_time: now,
  }).execute();
  return id;
}

export interface TimeRange { from?: number; to?: number }

export async function listCmsNotices(db: Q, accountId: string, t: TimeRange): Promise<CmsNoticeRow[]> {
  let q = db.selectFrom('cms_events').selectAll().where('account_id', '=', accountId);
  if (t.from !== undefined) q = q.where('event_time', '>=', t.from);
  if (t.to !== undefined) q = q.where('event_time', '<=', t.to);
  return q.execute();
}

/** The account's instance system events of every region published within the range. */
export async function accountSystemEvents(db: Q, accountId: string, t: TimeRange): Promise<SystemEventRow[]> {
  let q = db.selectFrom('system_events').selectAll().where('account_id', '=', accountId).where('resource_type', '=', 'instance');
  if (t.from !== undefined) q = q.where('publish_time', '>=', t.from);
  if (t.to !== undefined) q = q.where('publish_time', '<=', t.to);
  return q.execute();
}

/** Names of the account's instances among `ids` (a released one is no longer there). */
export async function instanceNames(db: Q, accountId: string, ids: string[]): Promise<Map<string, string>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('instances').select(['id', 'name']).where('account_id', '=', accountId).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
