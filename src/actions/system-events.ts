/**
 * Instance system events: DescribeInstanceHistoryEvents, DescribeInstancesFullStatus,
 * DescribeDisksFullStatus, CreateSimulatedSystemEvents, CancelSimulatedSystemEvents and
 * AcceptInquiredSystemEvent. A simulated event is a drill: it is listed, shown in the guest's
 * metadata (`maintenance/active-system-events`) and moves through its statuses on the clock
 * (src/engine/system-events.ts), but nothing happens to the instance.
 */
import { EcsError } from '../domain/errors.js';
import { isoSecond, parseUtc } from '../domain/time.js';
import {
  ACTIVE_STATUSES, cancellable, CYCLE_STATUS_CODES, DISK_EVENT_TYPES, DISK_HEALTH_FILTER, DISK_STATUS_CODES, diskHealth,
  EVENT_TYPE_CODES, FINISHED_STATUSES, HEALTH_STATUS_CODES, HISTORY_WINDOW_MS, INSTANCE_STATUS_CODES, instanceHealth,
  isCycleStatus, isInstanceEventType, MAX_ACTIVE_SIMULATED_PER_INSTANCE, SIMULATABLE_TYPES, simulatedStart, type CycleStatus,
} from '../domain/system-events.js';
import { listInstances, countInstances, type InstanceRow } from '../store/instances.js';
import { countDisks, listDisks } from '../store/storage.js';
import {
  countActiveSimulated, getSystemEvents, listSystemEvents, raiseSystemEvent, setEventStatus, type EventFilter, type SystemEventRow,
} from '../store/system-events.js';
import { instancesInOrder } from './instance-lookup.js';
import type { ActionContext } from './types.js';
import { ecsHandlers } from './typed-handlers.js';

const MAX_IDS = 100;

/** A `yyyy-MM-ddTHH:mm:ssZ` filter bound, or InvalidParameter naming it. */
function time(p: Record<string, any>, name: string): number | undefined {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  const ms = parseUtc(String(v));
  if (ms === undefined) throw new EcsError('InvalidParameter', `The specified parameter "${name}" is not a UTC time in the format yyyy-MM-ddTHH:mm:ssZ.`);
  return ms;
}

function range(p: Record<string, any>, prefix: string): { from?: number; to?: number } {
  const from = time(p, `${prefix}.Start`);
  const to = time(p, `${prefix}.End`);
  if (from !== undefined && to !== undefined && to < from) {
    throw new EcsError('InvalidParameter.TimeEndBeforeStart', `The specified "${prefix}.End" is earlier than "${prefix}.Start".`);
  }
  return { from, to };
}

function idList(v: string[] | undefined, code: string, what: string): string[] | undefined {
  if (!v?.length) return undefined;
  const ids = [...new Set(v.filter((x) => x !== ''))];
  if (ids.length > MAX_IDS) throw new EcsError(code, `The amount of ${what} specified exceeds limit ${MAX_IDS}.`);
  return ids;
}

/** `InstanceEventType.N` wins over `EventType`, as the metadata says. */
function eventTypes(p: Record<string, any>): string[] | undefined {
  const types: string[] | undefined = p.InstanceEventType?.length ? p.InstanceEventType : p.EventType ? [p.EventType] : undefined;
  const bad = types?.find((t) => !isInstanceEventType(t));
  if (bad !== undefined) throw new EcsError('InvalidParameter', `The specified event type "${bad}" is not valid: ${Object.keys(EVENT_TYPE_CODES).join(', ')}.`);
  return types;
}

function cycleStatuses(p: Record<string, any>): readonly string[] {
  const statuses: string[] | undefined = p.InstanceEventCycleStatus?.length ? p.InstanceEventCycleStatus : p.EventCycleStatus ? [p.EventCycleStatus] : undefined;
  const bad = statuses?.find((s) => !isCycleStatus(s));
  if (bad !== undefined) throw new EcsError('InvalidParameter', `The specified event cycle status "${bad}" is not valid: ${Object.keys(CYCLE_STATUS_CODES).join(', ')}.`);
  return statuses ?? FINISHED_STATUSES;
}

function page(p: Record<string, any>) {
  const pageNumber: number = p.PageNumber ?? 1;
  const pageSize: number = p.PageSize ?? 10;
  if (pageNumber < 1) throw new EcsError('InvalidParameter', 'The specified parameter "PageNumber" must be at least 1.');
  if (pageSize < 1 || pageSize > 100) throw new EcsError('InvalidParameter', 'The specified parameter "PageSize" must be from 1 to 100.');
  return { pageNumber, pageSize, offset: (pageNumber - 1) * pageSize };
}

const named = (name: string, codes: Readonly<Record<string, number>>) => ({ Name: name, Code: codes[name] ?? -1 });

function eventCommon(e: SystemEventRow) {
  return {
    EventId: e.id,
    EventType: named(e.event_type, EVENT_TYPE_CODES),
    EventCycleStatus: named(e.cycle_status, CYCLE_STATUS_CODES),
    EventPublishTime: isoSecond(e.publish_time),
    NotBefore: isoSecond(e.not_before),
    Reason: e.reason,
    ImpactLevel: '',
  };
}

function historyItem(e: SystemEventRow) {
  return {
    ...eventCommon(e),
    InstanceId: e.resource_id,
    ResourceType: e.resource_type,
    ...(e.finish_time !== null ? { EventFinishTime: isoSecond(e.finish_time) } : {}),
    ExtendedAttribute: {},
  };
}

async function eventsOfRegion(ctx: ActionContext, f: Omit<EventFilter, 'accountId' | 'regionId'>): Promise<SystemEventRow[]> {
  return listSystemEvents(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId, ...f });
}

function healthFilter(v: string | undefined): string | undefined {
  if (v === undefined || v === '') return undefined;
  const name = v === 'OK' ? 'Ok' : v;
  if (!(name in HEALTH_STATUS_CODES)) throw new EcsError('InvalidParameter', `The specified parameter "HealthStatus" "${v}" is not valid: OK, Impaired, Warning, Maintaining, Initializing, InsufficientData or NotApplicable.`);
  return name;
}

export const systemEventActions = ecsHandlers({
  async DescribeInstanceHistoryEvents(ctx, p) {
    const { pageNumber, pageSize, offset } = page(p);
    const resourceIds = idList(p.ResourceId, 'InvalidParameter', 'ResourceId') ?? (p.InstanceId ? [p.InstanceId] : undefined);
    const eventIds = idList(p.EventId, 'EventIdLimitExceeded', 'EventId');
    const types = eventTypes(p);
    const statuses = cycleStatuses(p);
    const nb = range(p, 'NotBefore');
    const pub = range(p, 'EventPublishTime');
    const resourceType = p.ResourceType ?? 'instance';
    if (!['instance', 'ddh', 'managedhost'].includes(resourceType)) {
      throw new EcsError('InvalidParameter', `The specified parameter "ResourceType" "${resourceType}" is not valid: instance, ddh or managedhost.`);
    }
    // Dedicated hosts do not exist here: none of their events either.
    const rows = resourceType !== 'instance' ? [] : await eventsOfRegion(ctx, {
      resourceIds, eventIds, types, statuses, notBeforeFrom: nb.from, notBeforeTo: nb.to, publishedFrom: pub.from, publishedTo: pub.to,
      finishedAfter: ctx.now() - HISTORY_WINDOW_MS,
    });
    return {
      PageNumber: pageNumber, PageSize: pageSize, TotalCount: rows.length,
      InstanceSystemEventSet: { InstanceSystemEventType: rows.slice(offset, offset + pageSize).map(historyItem) },
    };
  },

  async DescribeInstancesFullStatus(ctx, p) {
    const { pageNumber, pageSize, offset } = page(p);
    const ids = idList(p.InstanceId, 'InstanceIdLimitExceeded', 'InstanceId');
    const eventIds = idList(p.EventId, 'EventIdLimitExceeded', 'EventId');
    const types = eventTypes(p);
    const nb = range(p, 'NotBefore');
    const pub = range(p, 'EventPublishTime');
    if (p.Status !== undefined && !(p.Status in INSTANCE_STATUS_CODES)) {
      throw new EcsError('InvalidParameter', `The specified parameter "Status" "${p.Status}" is not valid: Starting, Running or Stopped.`);
    }
    const health = healthFilter(p.HealthStatus);
    let instances: InstanceRow[];
    if (ids) instances = await instancesInOrder(ctx, ids);
    else {
      const f = { accountId: ctx.principal.accountId, regionId: ctx.regionId };
      instances = await listInstances(ctx.db, f, 0, await countInstances(ctx.db, f));
    }
    if (p.Status) instances = instances.filter((r) => r.status === p.Status);
    const active = await eventsOfRegion(ctx, { resourceIds: instances.map((r) => r.id), statuses: ACTIVE_STATUSES });
    const byInstance = new Map<string, SystemEventRow[]>();
    for (const e of active) byInstance.set(e.resource_id, [...(byInstance.get(e.resource_id) ?? []), e]);
    const eventFiltered = eventIds !== undefined || types !== undefined || nb.from !== undefined || nb.to !== undefined || pub.from !== undefined || pub.to !== undefined;
    const matches = (e: SystemEventRow) => (e.cycle_status === 'Scheduled' || e.cycle_status === 'Inquiring')
      && (!eventIds || eventIds.includes(e.id)) && (!types || types.includes(e.event_type))
      && (nb.from === undefined || e.not_before >= nb.from) && (nb.to === undefined || e.not_before <= nb.to)
      && (pub.from === undefined || e.publish_time >= pub.from) && (pub.to === undefined || e.publish_time <= pub.to);
    const items = instances.map((r) => {
      const events = byInstance.get(r.id) ?? [];
      const h = instanceHealth(r.status, events.map((e) => e.cycle_status));
      return { r, h, scheduled: events.filter(matches).sort((a, b) => a.not_before - b.not_before) };
    }).filter((x) => (!health || x.h === health) && (!eventFiltered || x.scheduled.length > 0));
    return {
      PageNumber: pageNumber, PageSize: pageSize, TotalCount: items.length,
      InstanceFullStatusSet: {
        InstanceFullStatusType: items.slice(offset, offset + pageSize).map(({ r, h, scheduled }) => ({
          InstanceId: r.id,
          Status: named(r.status, INSTANCE_STATUS_CODES),
          HealthStatus: named(h, HEALTH_STATUS_CODES),
          ScheduledSystemEventSet: { ScheduledSystemEventType: scheduled.map((e) => ({ ...eventCommon(e), ExtendedAttribute: {} })) },
        })),
      },
    };
  },

  async DescribeDisksFullStatus(ctx, p) {
    const { pageNumber, pageSize, offset } = page(p);
    const ids = idList(p.DiskId, 'DiskIdLimitExceeded', 'DiskId');
    idList(p.EventId, 'EventIdLimitExceeded', 'EventId');
    range(p, 'EventTime');
    if (p.Status !== undefined && !(p.Status in DISK_STATUS_CODES)) {
      throw new EcsError('InvalidParameter', `The specified parameter "Status" "${p.Status}" is not valid: ${Object.keys(DISK_STATUS_CODES).join(', ')}.`);
    }
    if (p.HealthStatus !== undefined && !DISK_HEALTH_FILTER.includes(p.HealthStatus)) {
      throw new EcsError('InvalidParameter', `The specified parameter "HealthStatus" "${p.HealthStatus}" is not valid: ${DISK_HEALTH_FILTER.join(', ')}.`);
    }
    if (p.EventType !== undefined && !DISK_EVENT_TYPES.includes(p.EventType)) {
      throw new EcsError('InvalidParameter', `The specified parameter "EventType" "${p.EventType}" is not valid: ${DISK_EVENT_TYPES.join(', ')}.`);
    }
    // Block storage here raises no events (no degraded or stalled disks): asking for events finds none.
    const asksEvents = p.EventId?.length || p.EventType || p['EventTime.Start'] || p['EventTime.End'];
    const f = { accountId: ctx.principal.accountId, regionId: ctx.regionId, ids, status: p.Status || undefined, resourceGroupId: p.ResourceGroupId || undefined };
    let disks = asksEvents ? [] : await listDisks(ctx.db, f, 0, await countDisks(ctx.db, f));
    if (p.HealthStatus) disks = disks.filter((d) => diskHealth(d.status) === p.HealthStatus);
    return {
      PageNumber: pageNumber, PageSize: pageSize, TotalCount: disks.length,
      DiskFullStatusSet: {
        DiskFullStatusType: disks.slice(offset, offset + pageSize).map((d) => ({
          DiskId: d.id,
          InstanceId: d.instance_id,
          Device: d.status === 'In_use' ? d.device : '',
          Status: named(d.status, DISK_STATUS_CODES),
          HealthStatus: named(diskHealth(d.status), HEALTH_STATUS_CODES),
          DiskEventSet: { DiskEventType: [] },
        })),
      },
    };
  },

  async CreateSimulatedSystemEvents(ctx, p) {
    if (!SIMULATABLE_TYPES.includes(p.EventType)) {
      throw new EcsError('InvalidParameter', `The specified parameter "EventType" "${p.EventType}" is not valid: ${SIMULATABLE_TYPES.join(', ')}.`);
    }
    const notBefore = parseUtc(p.NotBefore);
    if (notBefore === undefined) throw new EcsError('InvalidParameter', 'The specified parameter "NotBefore" is not a UTC time in the format yyyy-MM-ddTHH:mm:ssZ.');
    const now = ctx.now();
    if (notBefore <= now) throw new EcsError('InvalidNotBefore.Passed', `The specified NotBefore "${p.NotBefore}" has passed.`);
    const ids = idList(p.InstanceId, 'InstanceIdLimitExceeded', 'InstanceId') ?? [];
    if (!ids.length) throw new EcsError('MissingParameter', 'The input parameter "InstanceId.N" that is mandatory for processing this request is not supplied.');
    const rows = await instancesInOrder(ctx, ids);
    const missing = ids.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${missing}" does not exist.`);
    const start = simulatedStart(p.EventType, notBefore);
    return ctx.mutate(async (trx) => {
      // Counted in the writing transaction, so two concurrent drills cannot both pass the limit unseen by the second.
      const counts = await countActiveSimulated(trx, ids);
      const full = ids.find((id) => (counts.get(id) ?? 0) >= MAX_ACTIVE_SIMULATED_PER_INSTANCE);
      if (full) {
        throw new EcsError('SimulatedEventLimitExceeded', `The instance "${full}" already has ${MAX_ACTIVE_SIMULATED_PER_INSTANCE} simulated events under way.`);
      }
      const eventIds: string[] = [];
      for (const r of rows) {
        eventIds.push(await raiseSystemEvent(trx, {
          accountId: r.account_id, regionId: r.region_id, instanceId: r.id, type: p.EventType, notBefore: start.notBefore,
          executeEnd: start.executeEnd, status: start.status, simulated: true, reason: 'A simulated event.',
        }, now));
      }
      return { EventIdSet: { EventId: eventIds } };
    });
  },

  async CancelSimulatedSystemEvents(ctx, p) {
    const ids = idList(p.EventId, 'EventIdLimitExceeded', 'EventId') ?? [];
    if (!ids.length) throw new EcsError('MissingParameter', 'The input parameter "EventId.N" that is mandatory for processing this request is not supplied.');
    const rows = (await getSystemEvents(ctx.db, ctx.principal.accountId, ids)).filter((e) => e.region_id === ctx.regionId);
    const missing = ids.find((id) => !rows.some((e) => e.id === id));
    if (missing) throw new EcsError('InvalidEventId.NotFound', `The specified EventId "${missing}" does not exist.`);
    const real = rows.find((e) => e.simulated !== 1);
    if (real) throw new EcsError('CannotCancelSystemEvent.NotSimulated', `The event "${real.id}" is not a simulated event and cannot be canceled.`);
    const done = rows.find((e) => !cancellable(e.cycle_status));
    if (done) throw new EcsError('InvalidParameter', `The event "${done.id}" is ${done.cycle_status}: only Scheduled or Executing events can be canceled.`);
    const now = ctx.now();
    return ctx.mutate(async (trx) => {
      for (const e of rows) {
        // Compare-and-set: an event the timer finished meanwhile is not canceled afterwards.
        if (!(await setEventStatus(trx, e, 'Canceled', { next_at: null, finish_time: now }))) {
          throw new EcsError('InvalidParameter', `The event "${e.id}" changed status meanwhile and can no longer be canceled.`);
        }
      }
      return {};
    });
  },

  async AcceptInquiredSystemEvent(ctx, p) {
    const [e] = (await getSystemEvents(ctx.db, ctx.principal.accountId, [p.EventId])).filter((x) => x.region_id === ctx.regionId);
    if (!e || e.cycle_status !== 'Inquiring') {
      throw new EcsError('InvalidEventId.NoInquiringEventFound', `No event "${p.EventId}" awaits consent (Inquiring) in this region.`);
    }
    const now = ctx.now();
    // Consent schedules the event's default action for its time (or at once when that has passed).
    const to: CycleStatus = e.not_before > now ? 'Scheduled' : 'Executing';
    return ctx.mutate(async (trx) => {
      if (!(await setEventStatus(trx, e, to, { next_at: to === 'Scheduled' ? e.not_before : e.execute_end }))) {
        throw new EcsError('OperationConflict', `The event "${e.id}" changed status meanwhile.`);
      }
      return {};
    });
  },
});
