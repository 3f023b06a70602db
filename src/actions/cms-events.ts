/**
 * CloudMonitor (CMS 2019-01-01) system events of ECS: DescribeSystemEventAttribute lists the
 * account's events of every region, newest first — the instance system events (maintenance,
 * failures, expiry, simulated drills; one event per event in its current status) and
 * CloudMonitor's own notices (a spot instance's `Instance:PreemptibleInstanceInterruption`);
 * DescribeSystemEventCount counts them per event name, level and status; DescribeSystemEventHistogram
 * counts them in 10 equal segments of StartTime..EndTime (the last day by default). Application groups
 * (GroupId) do not exist here and are refused by name (src/actions/acted-params.ts).
 */
import { EcsError } from '../domain/errors.js';
import {
  answered, CMS_LEVELS, histogram, HISTOGRAM_DEFAULT_RANGE_MS, keywordMatcher, matches, newestFirst, noticeAsCms, systemEventAsCms, type CmsEvent, type CmsFilter,
} from '../domain/cms-events.js';
import { arn } from '../auth/action-resources.js';
import { accountSystemEvents, instanceNames, listCmsNotices } from '../store/cms-events.js';
import type { ActionContext } from './types.js';
import { cmsHandlers } from './typed-handlers.js';

const MAX_PAGE_SIZE = 100;

function illegal(why: string): EcsError {
  return new EcsError('ParameterInvalid', `Illegal parameters. ${why}`, 400);
}

/** StartTime / EndTime: Unix time in milliseconds. */
function millis(v: string | undefined, name: string): number | undefined {
  if (v === undefined || v === '') return undefined;
  if (!/^\d{1,15}$/.test(v)) throw illegal(`${name} must be a Unix time in milliseconds.`);
  return Number(v);
}

interface FilterParams { Product?: string; EventType?: string; Name?: string; Level?: string; Status?: string; SearchKeywords?: string; StartTime?: string; EndTime?: string }

function filterOf(p: FilterParams): CmsFilter {
  const from = millis(p.StartTime, 'StartTime');
  const to = millis(p.EndTime, 'EndTime');
  if (from !== undefined && to !== undefined && to < from) throw illegal('EndTime is earlier than StartTime.');
  if (p.Level && !(CMS_LEVELS as readonly string[]).includes(p.Level)) throw illegal(`Level must be one of ${CMS_LEVELS.join(', ')}.`);
  const keywords = p.SearchKeywords ? keywordMatcher(p.SearchKeywords) : undefined;
  if (keywords === 'mixed') throw illegal('SearchKeywords joins its terms with "and" or with "or", not both.');
  const given = (v: string | undefined) => (v === undefined || v === '' ? undefined : v);
  return {
    product: given(p.Product), eventType: given(p.EventType), name: given(p.Name), level: given(p.Level), status: given(p.Status),
    from, to, keywords,
  };
}

/** The account's ECS events matching `f`, newest first. */
async function eventsOf(ctx: ActionContext, f: CmsFilter): Promise<CmsEvent[]> {
  const account = ctx.principal.accountId;
  const range = { from: f.from, to: f.to };
  const [system, notices] = await Promise.all([accountSystemEvents(ctx.db, account, range), listCmsNotices(ctx.db, account, range)]);
  const names = await instanceNames(ctx.db, account, [...new Set(system.map((e) => e.resource_id))]);
  const resource = (regionId: string, instanceId: string, instanceName: string) => ({
    arn: arn('ecs', regionId, account, 'instance', instanceId), instanceId, instanceName, regionId,
  });
  const all = [
    ...system.map((e) => systemEventAsCms({
      id: e.id, eventType: e.event_type, cycleStatus: e.cycle_status, publishTime: Number(e.publish_time), notBefore: Number(e.not_before), reason: e.reason,
    }, resource(e.region_id, e.resource_id, names.get(e.resource_id) ?? ''))),
    ...notices.map((n) => noticeAsCms(
      { id: n.id, name: n.name, content: n.content, time: Number(n.event_time) }, resource(n.region_id, n.resource_id, n.instance_name),
    )),
  ];
  return all.filter((e) => matches(e, f)).sort(newestFirst);
}

const ok = { Code: '200', Message: 'success', Success: 'true' };

export const cmsEventActions = cmsHandlers({
  async DescribeSystemEventAttribute(ctx, p) {
    const pageNumber = p.PageNumber ?? 1;
    const pageSize = p.PageSize ?? 10;
    if (!Number.isInteger(pageNumber) || pageNumber < 1) throw illegal('PageNumber must be at least 1.');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw illegal(`PageSize must be from 1 to ${MAX_PAGE_SIZE}.`);
    const events = await eventsOf(ctx, filterOf(p));
    const offset = (pageNumber - 1) * pageSize;
    return { ...ok, SystemEvents: { SystemEvent: events.slice(offset, offset + pageSize).map(answered) } };
  },

  async DescribeSystemEventCount(ctx, p) {
    // One entry per event name, level and status: how many, with the latest event's details.
    const groups = new Map<string, { latest: CmsEvent; num: number }>();
    for (const e of await eventsOf(ctx, filterOf(p))) {
      const key = JSON.stringify([e.Product, e.Name, e.Level, e.Status]);
      const g = groups.get(key);
      if (g) g.num++;
      else groups.set(key, { latest: e, num: 1 });
    }
    return {
      ...ok,
      SystemEventCounts: {
        SystemEventCount: [...groups.values()].map(({ latest: e, num }) => ({
          Product: e.Product, Name: e.Name, Level: e.Level, Status: e.Status, Num: num, Time: e.Time, InstanceName: e.InstanceName,
          ResourceId: e.ResourceId, RegionId: e.RegionId, GroupId: e.GroupId, Content: e.Content,
        })),
      },
    };
  },

  async DescribeSystemEventHistogram(ctx, p) {
    const f = filterOf(p);
    const to = f.to ?? ctx.now();
    const from = f.from ?? to - HISTOGRAM_DEFAULT_RANGE_MS;
    if (to < from) throw illegal('EndTime is earlier than StartTime.');
    const events = await eventsOf(ctx, { ...f, from, to });
    return { ...ok, SystemEventHistograms: { SystemEventHistogram: histogram(events.map((e) => e.Time), from, to) } };
  },
});
