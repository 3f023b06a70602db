/**
 * DescribeInstanceMonitorData and DescribeDiskMonitorData from the driver's samples of real
 * counters (qemu: QEMU process CPU time, QMP block stats, tap byte counters). Each point covers
 * one Period from its TimeStamp and is the rate between the last sample at or before the period's
 * start (else the first inside it) and the last sample at or before its end; a point without two
 * such samples (guest not running) carries only its TimeStamp and id, as ECS answers for a
 * stopped instance. Units as the API reference gives them: CPU %, Intranet RX/TX kbits per
 * period, bandwidth kbit/s, BPS bytes/s, IOPS operations/s, latency µs. The sim driver has no
 * counters, so its points are empty too.
 */
import { EcsError } from '../domain/errors.js';
import type { MonitorSample } from '../compute/driver.js';
import { isoSecond, parseUtc } from '../domain/time.js';
import { getDisk } from '../store/storage.js';
import { requireInstance } from './instance-describe.js';
import { ecsHandlers, type EcsResponse } from './typed-handlers.js';

export const PERIODS = [60, 600, 3600] as const;
export const MAX_POINTS = 400;
export const RETENTION_DAYS = 30;

export interface MonitorWindow { start: number; end: number; periodMs: number; stamps: number[] }

/**
 * Validates the query. StartTime seconds other than 00 round up to the next minute (API reference);
 * a window of more than 400 points is refused (InvalidParameter.TooManyDataQueried).
 */
export function monitorWindow(kind: 'instance' | 'disk', startText: string, endText: string, period: unknown, now: number): MonitorWindow {
  const p = period === undefined || period === '' ? 60 : Number(period);
  if (!PERIODS.includes(p as 60)) throw new EcsError('InvalidPeriod.ValueNotSupported', 'The specified parameter "Period" is not valid: 60, 600 or 3600.');
  const s = parseUtc(String(startText ?? ''));
  if (s === undefined) throw new EcsError('InvalidStartTime.Malformed', 'The specified parameter "StartTime" is not valid: yyyy-MM-ddTHH:mm:ssZ (UTC).');
  const e = parseUtc(String(endText ?? ''));
  if (e === undefined) throw new EcsError('InvalidEndTime.Malformed', 'The specified parameter "EndTime" is not valid: yyyy-MM-ddTHH:mm:ssZ (UTC).');
  const start = Math.ceil(s / 60_000) * 60_000;
  if (e < start) {
    throw kind === 'instance'
      ? new EcsError('InvalidStartTime.ValueNotSupported', 'The specified parameter StartTime is later than EndTime.')
      : new EcsError('InvalidParameter.EndTime', 'The specified parameter EndTime is earlier than StartTime.');
  }
  if (start < now - RETENTION_DAYS * 86_400_000) throw new EcsError('InvalidStartTime.TooEarly', `The specified parameter "StartTime" is too early: data is kept for ${RETENTION_DAYS} days.`);
  const periodMs = p * 1000;
  const count = Math.max(1, Math.ceil((e - start) / periodMs));
  if (count > MAX_POINTS) throw new EcsError('InvalidParameter.TooManyDataQueried', `Too many data queried: ${count} points of ${p} s; at most ${MAX_POINTS}.`);
  return { start, end: e, periodMs, stamps: Array.from({ length: count }, (_, i) => start + i * periodMs) };
}

/** The two samples bounding [from, to], or undefined (no data, or the guest restarted between them). */
export function bounds(samples: MonitorSample[], from: number, to: number): [MonitorSample, MonitorSample] | undefined {
  let a: MonitorSample | undefined, b: MonitorSample | undefined;
  for (const s of samples) {
    if (s.t <= from) a = s;
    else if (s.t <= to && !a) a = s;
    if (s.t <= to) b = s;
  }
  if (!a || !b || b.t <= a.t || b.cpuSeconds < a.cpuSeconds) return undefined;
  return [a, b];
}

const nonNeg = (x: number) => (Number.isFinite(x) && x > 0 ? x : 0);

type InstancePoint = NonNullable<NonNullable<EcsResponse<'DescribeInstanceMonitorData'>['MonitorData']>['InstanceMonitorData']>[number];
type DiskPoint = NonNullable<NonNullable<EcsResponse<'DescribeDiskMonitorData'>['MonitorData']>['DiskMonitorData']>[number];

export function instancePoint(instanceId: string, stamp: number, pair: [MonitorSample, MonitorSample] | undefined): InstancePoint {
  const point: InstancePoint = { InstanceId: instanceId, TimeStamp: isoSecond(stamp) };
  if (!pair) return point;
  const [a, b] = pair;
  const secs = (b.t - a.t) / 1000;
  const rx = nonNeg(b.netRxBytes - a.netRxBytes), tx = nonNeg(b.netTxBytes - a.netTxBytes);
  let rb = 0, wb = 0, ro = 0, wo = 0;
  for (const [d, x] of Object.entries(b.disks)) {
    const y = a.disks[d];
    if (!y) continue;
    rb += nonNeg(x.readBytes - y.readBytes); wb += nonNeg(x.writeBytes - y.writeBytes);
    ro += nonNeg(x.readOps - y.readOps); wo += nonNeg(x.writeOps - y.writeOps);
  }
  return {
    ...point,
    CPU: Math.min(100, Math.round((100 * nonNeg(b.cpuSeconds - a.cpuSeconds)) / secs / Math.max(1, b.vcpus))),
    IntranetRX: Math.round((rx * 8) / 1000), IntranetTX: Math.round((tx * 8) / 1000),
    IntranetBandwidth: Math.round(((rx + tx) * 8) / 1000 / secs),
    InternetRX: 0, InternetTX: 0, InternetBandwidth: 0,
    BPSRead: Math.round(rb / secs), BPSWrite: Math.round(wb / secs), IOPSRead: Math.round(ro / secs), IOPSWrite: Math.round(wo / secs),
  };
}

export function diskPoint(diskId: string, stamp: number, pair: [MonitorSample, MonitorSample] | undefined): DiskPoint {
  const point: DiskPoint = { DiskId: diskId, TimeStamp: isoSecond(stamp) };
  const x = pair?.[1].disks[diskId], y = pair?.[0].disks[diskId];
  if (!pair || !x || !y) return point;
  const secs = (pair[1].t - pair[0].t) / 1000;
  const rb = nonNeg(x.readBytes - y.readBytes), wb = nonNeg(x.writeBytes - y.writeBytes);
  const ro = nonNeg(x.readOps - y.readOps), wo = nonNeg(x.writeOps - y.writeOps);
  return {
    ...point,
    BPSRead: Math.round(rb / secs), BPSWrite: Math.round(wb / secs), BPSTotal: Math.round((rb + wb) / secs),
    IOPSRead: Math.round(ro / secs), IOPSWrite: Math.round(wo / secs), IOPSTotal: Math.round((ro + wo) / secs),
    LatencyRead: ro ? Math.round(nonNeg(x.readNs - y.readNs) / ro / 1000) : 0,
    LatencyWrite: wo ? Math.round(nonNeg(x.writeNs - y.writeNs) / wo / 1000) : 0,
  };
}

export const monitoringActions = ecsHandlers({
  async DescribeInstanceMonitorData(ctx, p) {
    const w = monitorWindow('instance', p.StartTime, p.EndTime, p.Period, ctx.now());
    const row = await requireInstance(ctx, p.InstanceId);
    const samples = (await ctx.driver.monitorSamples?.(row.id, w.start - w.periodMs)) ?? [];
    const points = w.stamps.map((t) => instancePoint(row.id, t, bounds(samples, t, t + w.periodMs)));
    return { MonitorData: { InstanceMonitorData: points } };
  },

  async DescribeDiskMonitorData(ctx, p) {
    const w = monitorWindow('disk', p.StartTime, p.EndTime, p.Period, ctx.now());
    const disk = await getDisk(ctx.db, ctx.principal.accountId, String(p.DiskId ?? ''));
    if (!disk) throw new EcsError('InvalidDiskId.NotFound', 'The DiskId provided does not exist in our records.');
    const samples = disk.instance_id ? (await ctx.driver.monitorSamples?.(disk.instance_id, w.start - w.periodMs)) ?? [] : [];
    const points = w.stamps.map((t) => diskPoint(disk.id, t, bounds(samples, t, t + w.periodMs)));
    return { TotalCount: points.length, MonitorData: { DiskMonitorData: points } };
  },
});
