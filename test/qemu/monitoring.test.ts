/**
 * Monitoring: the query window rules and the rate arithmetic (pure, table-driven), and the two
 * actions' errors and shapes over the official SDK on the sim driver (no counters: empty points).
 * Real counters from a QEMU guest are checked in api.test.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MonitorSample } from '../../src/compute/driver.js';
import { bounds, diskPoint, instancePoint, monitorWindow } from '../../src/actions/monitoring.js';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';

const NOW = Date.parse('2026-11-23T06:00:00Z');

describe('monitor window', () => {
  it('validates and counts points (table)', () => {
    const cases: [string, string, unknown, string | number][] = [
      ['2026-11-23T05:00:00Z', '2026-11-23T06:00:00Z', 60, 60],
      ['2026-11-23T05:00:00Z', '2026-11-23T06:00:00Z', undefined, 60],
      ['2026-11-23T05:00:00Z', '2026-11-23T06:00:00Z', 600, 6],
      ['2026-11-23T05:00:00Z', '2026-11-23T05:00:00Z', 60, 1],
      ['2026-11-23T05:00:30Z', '2026-11-23T05:10:00Z', 60, 9],
      ['2026-11-22T23:20:00Z', '2026-11-23T06:00:00Z', 60, 400],
      ['2026-11-22T23:19:00Z', '2026-11-23T06:00:00Z', 60, 'InvalidParameter.TooManyDataQueried'],
      ['2026-11-07T00:00:00Z', '2026-11-23T06:00:00Z', 3600, 390],
      ['2026-10-01T00:00:00Z', '2026-10-02T00:00:00Z', 3600, 'InvalidStartTime.TooEarly'],
      ['2026-11-23T05:00:00Z', '2026-11-23T06:00:00Z', 300, 'InvalidPeriod.ValueNotSupported'],
      ['2026-11-23 05:00:00', '2026-11-23T06:00:00Z', 60, 'InvalidStartTime.Malformed'],
      ['2026-11-23T05:00:00Z', 'yesterday', 60, 'InvalidEndTime.Malformed'],
      ['2026-11-23T06:00:00Z', '2026-11-23T05:00:00Z', 60, 'InvalidStartTime.ValueNotSupported'],
    ];
    for (const [s, e, p, want] of cases) {
      if (typeof want === 'number') assert.equal(monitorWindow('instance', s, e, p, NOW).stamps.length, want, `${s} ${e} ${p}`);
      else assert.throws(() => monitorWindow('instance', s, e, p, NOW), (err: any) => err.code === want, `${s} ${e} ${p}`);
    }
    assert.throws(() => monitorWindow('disk', '2026-11-23T06:00:00Z', '2026-11-23T05:00:00Z', 60, NOW), (err: any) => err.code === 'InvalidParameter.EndTime');
    assert.equal(monitorWindow('instance', '2026-11-23T05:00:30Z', '2026-11-23T05:10:00Z', 60, NOW).start, Date.parse('2026-11-23T05:01:00Z'), 'seconds round up');
  });

  it('rates between two samples', () => {
    const t = Date.parse('2026-11-23T05:00:00Z');
    const s = (dt: number, cpu: number, rx: number, tx: number, rb: number, wb: number, ro: number, wo: number, wns: number): MonitorSample =>
      ({ t: t + dt, cpuSeconds: cpu, vcpus: 2, netRxBytes: rx, netTxBytes: tx, disks: { 'd-1': { readBytes: rb, writeBytes: wb, readOps: ro, writeOps: wo, readNs: 0, writeNs: wns } } });
    const samples = [s(-30_000, 10, 0, 0, 0, 0, 0, 0, 0), s(30_000, 70, 750_000, 75_000, 6_000_000, 600_000, 600, 60, 60 * 500_000)];
    const pair = bounds(samples, t, t + 60_000)!;
    assert.ok(pair);
    // 60 CPU seconds over 60 s on 2 vCPUs = 50 %.
    assert.deepEqual(instancePoint('i-1', t, pair), {
      InstanceId: 'i-1', TimeStamp: '2026-11-23T05:00:00Z', CPU: 50, IntranetRX: 6000, IntranetTX: 600, IntranetBandwidth: 110,
      InternetRX: 0, InternetTX: 0, InternetBandwidth: 0, BPSRead: 100_000, BPSWrite: 10_000, IOPSRead: 10, IOPSWrite: 1,
    });
    assert.deepEqual(diskPoint('d-1', t, pair), {
      DiskId: 'd-1', TimeStamp: '2026-11-23T05:00:00Z', BPSRead: 100_000, BPSWrite: 10_000, BPSTotal: 110_000,
      IOPSRead: 10, IOPSWrite: 1, IOPSTotal: 11, LatencyRead: 0, LatencyWrite: 500,
    });
    assert.equal(bounds(samples, t + 120_000, t + 180_000), undefined, 'no sample in the period: no data');
    assert.equal(bounds([samples[1]!, s(40_000, 1, 0, 0, 0, 0, 0, 0, 0)], t, t + 60_000), undefined, 'a restart (counters went back) gives no data');
    assert.deepEqual(instancePoint('i-1', t, undefined), { InstanceId: 'i-1', TimeStamp: '2026-11-23T05:00:00Z' });
  });
});

describe('monitoring actions (sim driver)', () => {
  let s: TestServer;
  let id: string;
  let diskId: string;
  before(async () => {
    s = await startTestServer();
    const n = await createNetwork(s);
    id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    const disks = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: 'cn-hangzhou', instanceId: id }));
    diskId = disks.body!.disks!.disk![0]!.diskId!;
  });
  after(() => s.close());

  it('DescribeInstanceMonitorData: one point per period, errors with their codes', async () => {
    const req = (x: Record<string, unknown>) => new $Ecs.DescribeInstanceMonitorDataRequest({ instanceId: id, startTime: '2026-11-23T05:00:00Z', endTime: '2026-11-23T06:00:00Z', ...x });
    const r = await s.ecs.describeInstanceMonitorData(req({ period: 600 }));
    const pts = r.body!.monitorData!.instanceMonitorData!;
    assert.equal(pts.length, 6);
    assert.deepEqual([pts[0]!.instanceId, pts[0]!.timeStamp, pts[5]!.timeStamp], [id, '2026-11-23T05:00:00Z', '2026-11-23T05:50:00Z']);
    for (const [x, code] of [
      [{ startTime: '2026-11-22T00:00:00Z' }, 'InvalidParameter.TooManyDataQueried'],
      [{ startTime: 'bad' }, 'InvalidStartTime.Malformed'],
      [{ startTime: '2026-11-23T07:00:00Z' }, 'InvalidStartTime.ValueNotSupported'],
      [{ instanceId: 'i-nope0000000000000000' }, 'InvalidInstanceId.NotFound'],
    ] as const) {
      const e = await expectEcsError(() => s.ecs.describeInstanceMonitorData(req(x)));
      assert.equal(e.code, code);
      assert.equal(e.statusCode, code.endsWith('NotFound') ? 404 : 400);
    }
  });

  it('DescribeDiskMonitorData: TotalCount and points; unknown disk', async () => {
    const req = (x: Record<string, unknown>) => new $Ecs.DescribeDiskMonitorDataRequest({ diskId, startTime: '2026-11-23T05:00:00Z', endTime: '2026-11-23T06:00:00Z', ...x });
    const r = await s.ecs.describeDiskMonitorData(req({ period: 3600 }));
    assert.equal(r.body!.totalCount, 1);
    assert.equal(r.body!.monitorData!.diskMonitorData![0]!.diskId, diskId);
    const e = await expectEcsError(() => s.ecs.describeDiskMonitorData(req({ diskId: 'd-nope00000000000000' })));
    assert.deepEqual([e.code, e.statusCode], ['InvalidDiskId.NotFound', 404]);
    const e2 = await expectEcsError(() => s.ecs.describeDiskMonitorData(req({ startTime: '2026-11-23T07:00:00Z' })));
    assert.deepEqual([e2.code, e2.statusCode], ['InvalidParameter.EndTime', 400]);
  });
});
