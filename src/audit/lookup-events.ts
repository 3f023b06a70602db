/**
 * ActionTrail (2020-07-06) LookupEvents: the caller's account's recorded API calls, newest first
 * by default, within StartTime..EndTime (the last 7 days by default), filtered by up to two
 * LookupAttribute conditions (all must hold), paged by MaxResults (1..50, 20 by default) and an
 * opaque NextToken (a keyset cursor: paging stays exact while new events arrive).
 */
import { sql, type ExpressionBuilder } from 'kysely';
import { EcsError } from '../domain/errors.js';
import { isoSecond, parseUtc } from '../domain/time.js';
import type { Database } from '../store/schema.js';
import { actionTrailHandlers } from '../actions/typed-handlers.js';
import { eventOf } from './event.js';
import { auditRecorder } from './recorder.js';

const DAY = 86_400_000;
const DEFAULT_RANGE_MS = 7 * DAY;
const DEFAULT_RESULTS = 20;
const MAX_RESULTS = 50;

/** Actions ActionTrail counts as sensitive (credentials, identity, deletion of what holds data). */
export const SENSITIVE_ACTIONS = [
  'ConsoleSignin', 'SignInWithPassword', 'CreateAccessKey', 'DeleteAccessKey', 'UpdateAccessKey',
  'CreateLoginProfile', 'UpdateLoginProfile', 'DeleteLoginProfile', 'ChangePassword', 'AttachPolicyToUser',
  'AttachPolicyToRole', 'AttachPolicyToGroup', 'CreateUser', 'DeleteUser', 'CreateRole', 'DeleteRole',
  'UpdateRole', 'DeleteInstance', 'DeleteInstances', 'DeleteDisk', 'DeleteSnapshot', 'DeleteImage',
  'DeleteSecurityGroup', 'DeleteVpc', 'ModifyInstanceAttribute', 'AuthorizeSecurityGroup', 'ResetDisk',
];

const EQUALS: Record<string, 'event_name' | 'service_name' | 'user_name' | 'id' | 'event_rw' | 'access_key_id'> = {
  EventName: 'event_name', ServiceName: 'service_name', User: 'user_name', EventId: 'id', EventRW: 'event_rw',
  EventAccessKeyId: 'access_key_id',
};
const CONTAINS: Record<string, 'resource_names' | 'resource_types'> = { ResourceName: 'resource_names', ResourceType: 'resource_types' };

function badQuery(why: string): EcsError {
  return new EcsError('InvalidQueryParameter', `The specified query parameter is invalid. ${why}`, 400);
}

function timeParam(value: string | undefined, code: 'InvalidParameterStartTime' | 'InvalidParameterEndTime', fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const ms = parseUtc(value);
  const name = code === 'InvalidParameterStartTime' ? 'StartTime' : 'EndTime';
  if (ms === undefined) throw new EcsError(code, `The specified ${name} is invalid. Use the UTC format YYYY-MM-DDThh:mm:ssZ.`, 400);
  return ms;
}

interface Cursor { t: number; i: string }

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(token: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    if (Number.isSafeInteger(c.t) && typeof c.i === 'string') return { t: c.t, i: c.i };
  } catch { /* refused below */ }
  throw badQuery(`The NextToken "${token}" is not valid.`);
}

/** `%;v;%` with LIKE's wildcards in `v` taken literally (escape character `!`). */
function containsPattern(v: string): string {
  return `%;${v.replace(/[!%_]/g, (c) => `!${c}`)};%`;
}

export const actionTrailActions = actionTrailHandlers({
  async LookupEvents(ctx, p) {
    const now = ctx.now();
    const end = timeParam(p.EndTime, 'InvalidParameterEndTime', now);
    const start = timeParam(p.StartTime, 'InvalidParameterStartTime', Math.min(end, now) - DEFAULT_RANGE_MS);
    if (end < start) throw new EcsError('InvalidParameterCombination', 'The end time must be later than the start time.', 400);
    let limit = DEFAULT_RESULTS;
    if (p.MaxResults !== undefined && p.MaxResults !== '') {
      limit = Number(p.MaxResults);
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) throw badQuery(`MaxResults must be an integer from 1 to ${MAX_RESULTS}.`);
    }
    const direction = p.Direction || 'BACKWARD';
    if (direction !== 'BACKWARD' && direction !== 'FORWARD') throw badQuery('Direction must be FORWARD or BACKWARD.');
    const newestFirst = direction === 'BACKWARD';

    // This process's calls up to now are in the store before the query reads it.
    await auditRecorder(ctx.db).flush();
    let q = ctx.db.selectFrom('audit_events').selectAll()
      .where('account_id', '=', ctx.principal.accountId)
      .where('event_time', '>=', start).where('event_time', '<=', end);
    for (const [n, attr] of (p.LookupAttribute ?? []).entries()) {
      const key = attr.Key ?? '';
      const value = attr.Value ?? '';
      if (!key) throw badQuery(`LookupAttribute.${n + 1}.Key is missing.`);
      if (key === 'EventRW' && value !== 'Read' && value !== 'Write') throw badQuery('The EventRW value must be Read or Write.');
      if (EQUALS[key]) q = q.where(EQUALS[key], '=', value);
      else if (CONTAINS[key]) q = q.where(sql<boolean>`${sql.ref(CONTAINS[key])} like ${containsPattern(value)} escape '!'`);
      else if (key === 'SensitiveAction') {
        if (value !== 'true' && value !== 'false') throw badQuery('The SensitiveAction value must be true or false.');
        q = q.where('event_name', value === 'true' ? 'in' : 'not in', SENSITIVE_ACTIONS);
      } else throw badQuery(`LookupAttribute.${n + 1}.Key "${key}" is not one of ServiceName, EventName, User, EventId, ResourceType, ResourceName, EventRW, EventAccessKeyId, SensitiveAction.`);
    }
    if (p.NextToken) {
      const c = decodeCursor(p.NextToken);
      const op = newestFirst ? '<' : '>';
      q = q.where((eb: ExpressionBuilder<Database, 'audit_events'>) => eb.or([
        eb('event_time', op, c.t),
        eb.and([eb('event_time', '=', c.t), eb('id', op, c.i)]),
      ]));
    }
    const order = newestFirst ? 'desc' : 'asc';
    const rows = await q.orderBy('event_time', order).orderBy('id', order).limit(limit + 1).execute();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      StartTime: isoSecond(start),
      EndTime: isoSecond(end),
      Events: page.map(eventOf),
      ...(rows.length > limit && last ? { NextToken: encodeCursor({ t: Number(last.event_time), i: last.id }) } : {}),
    };
  },
});
