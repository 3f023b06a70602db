/**
 * ECS events as CloudMonitor (CMS 2019-01-01) shows them: DescribeSystemEventAttribute's
 * SystemEvent fields, the filters it takes, and its keyword search. Pure: the action gathers the
 * rows (instance system events and CloudMonitor's own notices) and these rules shape and select.
 */
import { isoSecond } from './time.js';

export const CMS_PRODUCT = 'ECS';
/** A spot instance's interruption notice, 5 minutes ahead (ECS: spot instance interruption events). */
export const SPOT_INTERRUPTION_EVENT = 'Instance:PreemptibleInstanceInterruption';

export type CmsLevel = 'CRITICAL' | 'WARN' | 'INFO';
export const CMS_LEVELS: readonly CmsLevel[] = ['CRITICAL', 'WARN', 'INFO'];

/** One event as DescribeSystemEventAttribute answers it. */
export interface CmsEvent {
  Id: string;
  Product: string;
  /** CloudMonitor's category of the event: Exception, Maintenance or StatusNotification. */
  EventType: string;
  Name: string;
  Level: CmsLevel;
  Status: string;
  Time: number;
  InstanceName: string;
  ResourceId: string;
  RegionId: string;
  GroupId: string;
  Content: string;
}

/** What the action knows of an event's instance. */
export interface EventResource { arn: string; instanceId: string; instanceName: string; regionId: string }

/** An instance system event (src/domain/system-events.ts) row's fields CloudMonitor shows. */
export interface SystemEventFacts {
  id: string;
  eventType: string;
  cycleStatus: string;
  publishTime: number;
  notBefore: number;
  reason: string;
}

/** Failures are CRITICAL exceptions; maintenance, expiry and arrears are announced as warnings. */
export function categoryOf(eventType: string): { EventType: string; Level: CmsLevel } {
  if (eventType.startsWith('SystemFailure.') || eventType.startsWith('InstanceFailure.')) return { EventType: 'Exception', Level: 'CRITICAL' };
  if (eventType.startsWith('SystemMaintenance.')) return { EventType: 'Maintenance', Level: 'WARN' };
  return { EventType: 'StatusNotification', Level: 'WARN' };
}

/** An instance system event in its current status: `Instance:<type>:<status>`, as CloudMonitor names each phase. */
export function systemEventAsCms(e: SystemEventFacts, r: EventResource): CmsEvent {
  return {
    Id: e.id, Product: CMS_PRODUCT, ...categoryOf(e.eventType), Name: `Instance:${e.eventType}:${e.cycleStatus}`, Status: e.cycleStatus,
    Time: e.publishTime, InstanceName: r.instanceName, ResourceId: r.arn, RegionId: r.regionId, GroupId: '',
    Content: JSON.stringify({
      eventId: e.id, publishTime: isoSecond(e.publishTime), notBefore: isoSecond(e.notBefore), instanceId: r.instanceId,
      eventType: e.eventType, eventStatus: e.cycleStatus, ...(e.reason ? { reason: e.reason } : {}),
    }),
  };
}

/** The spot interruption notice's content: the instance and what happens to it (`delete` or `stop`). */
export function spotInterruptionContent(instanceId: string, behavior: string): string {
  return JSON.stringify({ instanceId, action: behavior === 'Stop' ? 'stop' : 'delete' });
}

/** A CloudMonitor notice of its own (the spot interruption): status Normal, a warning. */
export function noticeAsCms(n: { id: string; name: string; content: string; time: number }, r: EventResource): CmsEvent {
  return {
    Id: n.id, Product: CMS_PRODUCT, EventType: 'StatusNotification', Name: n.name, Level: 'WARN', Status: 'Normal', Time: n.time,
    InstanceName: r.instanceName, ResourceId: r.arn, RegionId: r.regionId, GroupId: '', Content: n.content,
  };
}

/**
 * SearchKeywords: `a and b` (every term), `a or b` (any term), or one term; matched
 * case-insensitively against the event's content, name and resource. Mixing and/or is refused.
 */
export function keywordMatcher(expr: string): ((e: CmsEvent) => boolean) | 'mixed' {
  const text = expr.trim();
  if (!text) return () => true;
  const hasAnd = /\s+and\s+/i.test(text);
  const hasOr = /\s+or\s+/i.test(text);
  if (hasAnd && hasOr) return 'mixed';
  const terms = text.split(hasAnd ? /\s+and\s+/i : /\s+or\s+/i).map((t) => t.trim().toLowerCase()).filter(Boolean);
  return (e) => {
    const hay = `${e.Content}\n${e.Name}\n${e.ResourceId}\n${e.InstanceName}`.toLowerCase();
    return hasAnd ? terms.every((t) => hay.includes(t)) : terms.some((t) => hay.includes(t));
  };
}

export interface CmsFilter {
  product?: string;
  eventType?: string;
  name?: string;
  level?: string;
  status?: string;
  from?: number;
  to?: number;
  keywords?: (e: CmsEvent) => boolean;
}

/** Exact matches on the named fields (Product case-insensitively, as its abbreviations are written either way). */
export function matches(e: CmsEvent, f: CmsFilter): boolean {
  return (f.product === undefined || f.product.toUpperCase() === e.Product)
    && (f.eventType === undefined || f.eventType === e.EventType)
    && (f.name === undefined || f.name === e.Name)
    && (f.level === undefined || f.level === e.Level)
    && (f.status === undefined || f.status === e.Status)
    && (f.from === undefined || e.Time >= f.from)
    && (f.to === undefined || e.Time <= f.to)
    && (f.keywords === undefined || f.keywords(e));
}

/** The event as answered: its category (EventType) is a filter, not a field of SystemEvent. */
export function answered(e: CmsEvent): Omit<CmsEvent, 'EventType'> {
  const { EventType: _category, ...rest } = e;
  return rest;
}

/** DescribeSystemEventHistogram's segments over its range (the last day when none is given). */
export const HISTOGRAM_SEGMENTS = 10;
export const HISTOGRAM_DEFAULT_RANGE_MS = 86_400_000;

/**
 * The range [from, to] cut into `segments` equal segments (the last takes the remainder), each
 * with how many of `times` fall in it; a time on a boundary counts in the later segment, `to`
 * in the last.
 */
export function histogram(times: readonly number[], from: number, to: number, segments = HISTOGRAM_SEGMENTS): { StartTime: number; EndTime: number; Count: number }[] {
  const width = Math.max(1, Math.floor((to - from) / segments));
  const n = Math.max(1, Math.min(segments, Math.ceil((to - from) / width) || 1));
  const out = Array.from({ length: n }, (_, i) => ({ StartTime: from + i * width, EndTime: i === n - 1 ? to : from + (i + 1) * width, Count: 0 }));
  for (const t of times) {
    if (t < from || t > to) continue;
    out[Math.min(n - 1, Math.floor((t - from) / width))]!.Count++;
  }
  return out;
}

/** Newest first; ties by id, so pages are stable. */
export function newestFirst(a: CmsEvent, b: CmsEvent): number {
  return b.Time - a.Time || (a.Id < b.Id ? 1 : a.Id > b.Id ? -1 : 0);
}
