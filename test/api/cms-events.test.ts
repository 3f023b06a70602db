/**
 * CloudMonitor (CMS 2019-01-01, pop-core) system events of ECS on the test clock: a spot
 * instance's interruption notice (the market passing its bid, and the InterruptSpotInstance drill)
 * as `Instance:PreemptibleInstanceInterruption`, a simulated maintenance event in each status it
 * passes, DescribeSystemEventAttribute's filters, paging and refusals, DescribeSystemEventCount,
 * and another account seeing none of it.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, startTestServer, type TestServer, expectRefused } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { createAccount } from '../../src/auth/accounts.js';
import { HOUR_MS, nextPriceAbove, spotPrice, tableOriginPrice } from '../../src/domain/spot-market.js';
import { loadPriceTable } from '../../src/price-table-file.js';
import { SPOT_NOTICE_MS } from '../../src/domain/instances/spot.js';

const R = 'cn-hangzhou';
const TYPE = 'ecs.g7.large';
const SPEC = { id: TYPE, family: 'ecs.g7', cpu: 2, memoryGiB: 8 };
const PRICES = loadPriceTable(undefined);
const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';
const SPOT = 'Instance:PreemptibleInstanceInterruption';

type Cms = (action: string, params?: Record<string, unknown>) => Promise<any>;
const cmsClient = (url: string, c: { accessKeyId: string; accessKeySecret: string }): Cms => {
  const pop = new Pop({ ...c, endpoint: url, apiVersion: '2019-01-01' });
  return (action, params = {}) => pop.request(action, params, { method: 'POST' });
};

describe('CloudMonitor system events of ECS', () => {
  let s: TestServer;
  let n: Network;
  let cms: Cms;
  let ext: InstanceType<typeof PopCore>;
  let accountId: string;
  let marketId: string;
  let drillId: string;
  let simulatedId: string;
  let noticeAt: number;
  before(async () => {
    s = await startTestServer({});
    n = await createNetwork(s, R);
    cms = cmsClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    accountId = (await s.app.services.db.selectFrom('access_keys').select('account_id').where('id', '=', AK).executeTakeFirstOrThrow()).account_id;
  });
  after(async () => { await s.close(); });

  const run = async (extra: Record<string, unknown>) => (await s.ecs.runInstances(runRequest(n, extra))).body!.instanceIdSets!.instanceIdSet![0]!;
  const advanceTo = async (at: number) => { if (at > s.clock.now()) await s.advance(at - s.clock.now()); };
  const events = async (params: Record<string, unknown> = {}) => {
    const r = await cms('DescribeSystemEventAttribute', params);
    assert.deepEqual([r.Code, r.Success, r.Message], ['200', 'true', 'success']);
    return r.SystemEvents.SystemEvent as any[];
  };

  it('the market passing a spot bid shows as Instance:PreemptibleInstanceInterruption with the instance and "delete"', async () => {
    const market = { regionId: R, zoneId: n.zoneId, instanceType: TYPE };
    const origin = tableOriginPrice(PRICES, R, SPEC, 'linux');
    const created = s.clock.now();
    const limit = spotPrice(market, origin, created);
    const crossing = nextPriceAbove(market, origin, limit, created)!;
    assert.ok(crossing !== null && crossing - created < 4 * HOUR_MS);
    marketId = await run({ spotStrategy: 'SpotWithPriceLimit', spotPriceLimit: limit, spotDuration: 0, instanceName: 'spot-web' });
    await s.advance(3000);
    assert.deepEqual((await events({ Name: SPOT })), [], 'no notice before the market passes the bid');
    await advanceTo(crossing + 1000);
    noticeAt = s.clock.now();
    const [e, ...rest] = await events({ Name: SPOT });
    assert.equal(rest.length, 0);
    assert.deepEqual(
      { Product: e.Product, Name: e.Name, Level: e.Level, Status: e.Status, InstanceName: e.InstanceName, ResourceId: e.ResourceId, RegionId: e.RegionId },
      { Product: 'ECS', Name: SPOT, Level: 'WARN', Status: 'Normal', InstanceName: 'spot-web', ResourceId: `acs:ecs:${R}:${accountId}:instance/${marketId}`, RegionId: R },
    );
    assert.deepEqual(JSON.parse(e.Content), { instanceId: marketId, action: 'delete' });
    assert.ok(e.Time <= noticeAt && e.Time > noticeAt - 60_000, 'the notice time, in ms');
    assert.equal(typeof e.Id, 'string');
    // The release 5 minutes later leaves the event (and its instance name) in place.
    await advanceTo(crossing + 1000 + SPOT_NOTICE_MS);
    await s.advance(3000);
    const after = await events({ Name: SPOT });
    assert.deepEqual(after.map((x) => [x.ResourceId.split('/')[1], x.InstanceName]), [[marketId, 'spot-web']]);
  });

  it('the InterruptSpotInstance drill of a Stop instance shows "stop"', async () => {
    drillId = await run({ spotStrategy: 'SpotAsPriceGo', spotDuration: 0, spotInterruptionBehavior: 'Stop' });
    await s.advance(3000);
    await ext.request('InterruptSpotInstance', { RegionId: R, InstanceId: drillId }, { method: 'POST' });
    const spot = await events({ Name: SPOT });
    assert.deepEqual(spot.map((x) => JSON.parse(x.Content)), [{ instanceId: drillId, action: 'stop' }, { instanceId: marketId, action: 'delete' }], 'newest first');
    // Asking again answers the same notice: no second event.
    await ext.request('InterruptSpotInstance', { RegionId: R, InstanceId: drillId }, { method: 'POST' });
    assert.equal((await events({ Name: SPOT })).length, 2);
  });

  it('a simulated maintenance event shows in each status it reaches, with the system event\'s content', async () => {
    const id = await run({ instanceName: 'maint' });
    await s.advance(3000);
    const notBefore = s.clock.now() + 3_600_000;
    simulatedId = (await s.ecs.createSimulatedSystemEvents(new $Ecs.CreateSimulatedSystemEventsRequest({
      regionId: R, instanceId: [id], eventType: 'SystemMaintenance.Reboot', notBefore: iso(notBefore),
    }))).body!.eventIdSet!.eventId![0]!;
    const [e] = await events({ EventType: 'Maintenance' });
    assert.deepEqual([e.Id, e.Name, e.Status, e.Level, e.InstanceName], [simulatedId, 'Instance:SystemMaintenance.Reboot:Scheduled', 'Scheduled', 'WARN', 'maint']);
    assert.deepEqual(JSON.parse(e.Content), {
      eventId: simulatedId, publishTime: iso(e.Time), notBefore: iso(notBefore), instanceId: id, eventType: 'SystemMaintenance.Reboot', eventStatus: 'Scheduled', reason: 'A simulated event.',
    });
    await advanceTo(notBefore + 3_600_000);
    const done = await events({ EventType: 'Maintenance' });
    assert.deepEqual(done.map((x) => [x.Id, x.Name, x.Status]), [[simulatedId, 'Instance:SystemMaintenance.Reboot:Executed', 'Executed']]);
    assert.equal(JSON.parse(done[0].Content).eventStatus, 'Executed');
  });

  it('filters by product, name, level, status, category, time and keywords; pages newest first', async () => {
    const all = await events({ PageSize: 100 });
    assert.equal(all.length, 3);
    assert.deepEqual([...all].map((x) => x.Time), [...all].map((x) => x.Time).sort((a, b) => b - a), 'newest first');
    assert.equal((await events({ Product: 'ECS' })).length, 3);
    assert.equal((await events({ Product: 'ecs' })).length, 3, 'the abbreviation in either case');
    assert.deepEqual(await events({ Product: 'RDS' }), [], 'no other product has events here');
    assert.deepEqual((await events({ Level: 'WARN' })).length, 3);
    assert.deepEqual(await events({ Level: 'CRITICAL' }), []);
    assert.deepEqual((await events({ Status: 'Executed' })).map((x) => x.Id), [simulatedId]);
    assert.deepEqual((await events({ Status: 'Normal' })).length, 2);
    assert.deepEqual((await events({ EventType: 'StatusNotification' })).length, 2);
    assert.deepEqual(await events({ EventType: 'Exception' }), []);
    assert.deepEqual((await events({ SearchKeywords: drillId })).map((x) => JSON.parse(x.Content).instanceId), [drillId]);
    assert.deepEqual((await events({ SearchKeywords: `${drillId} or ${marketId}` })).length, 2);
    assert.deepEqual((await events({ SearchKeywords: `${drillId} and delete` })), []);
    assert.deepEqual((await events({ SearchKeywords: `${marketId} and delete` })).length, 1);
    // Time range in Unix ms: only the market's notice is before the drill.
    assert.deepEqual((await events({ EndTime: String(noticeAt) })).map((x) => x.Name), [SPOT]);
    assert.deepEqual((await events({ StartTime: String(noticeAt + 1) })).length, 2);
    const p1 = await events({ PageSize: 2, PageNumber: 1 });
    const p2 = await events({ PageSize: 2, PageNumber: 2 });
    assert.deepEqual([...p1, ...p2].map((x) => x.Id), all.map((x) => x.Id));
    assert.deepEqual(await events({ PageSize: 2, PageNumber: 3 }), []);

    const counts = (await cms('DescribeSystemEventCount', {})).SystemEventCounts.SystemEventCount as any[];
    const spot = counts.find((c) => c.Name === SPOT);
    assert.deepEqual([spot.Num, spot.Level, spot.Status, JSON.parse(spot.Content).instanceId], [2, 'WARN', 'Normal', drillId], 'with the latest');
    assert.deepEqual(counts.filter((c) => c.Name !== SPOT).map((c) => [c.Name, c.Num]), [['Instance:SystemMaintenance.Reboot:Executed', 1]]);
    assert.deepEqual((await cms('DescribeSystemEventCount', { Level: 'CRITICAL' })).SystemEventCounts.SystemEventCount, []);

    // The histogram: 10 one-minute segments; the market's notice in the first, the drill and the
    // simulated event (5 minutes later, after the release) in a later one.
    const from = noticeAt - 1000;
    const to = from + 10 * 60_000;
    const bars = (await cms('DescribeSystemEventHistogram', { StartTime: String(from), EndTime: String(to) })).SystemEventHistograms.SystemEventHistogram as any[];
    assert.equal(bars.length, 10);
    assert.deepEqual([bars[0].StartTime, bars.at(-1).EndTime], [from, to]);
    assert.deepEqual(bars.map((b) => b.EndTime - b.StartTime), Array(10).fill(60_000));
    assert.equal(bars[0].Count, 1);
    assert.equal(bars.slice(5).reduce((n, b) => n + b.Count, 0), 2);
    assert.equal(bars.reduce((n, b) => n + b.Count, 0), 3);
    const spotBars = (await cms('DescribeSystemEventHistogram', { Name: SPOT, StartTime: String(from), EndTime: String(to) })).SystemEventHistograms.SystemEventHistogram as any[];
    assert.equal(spotBars.reduce((n, b) => n + b.Count, 0), 2);
    const lastDay = (await cms('DescribeSystemEventHistogram', {})).SystemEventHistograms.SystemEventHistogram as any[];
    assert.deepEqual([lastDay.length, lastDay.at(-1).EndTime - lastDay[0].StartTime], [10, 86_400_000], 'the last day by default');
  });

  it('refuses what it does not take', async () => {
    await expectRefused(() => cms('DescribeSystemEventAttribute', { Level: 'FATAL' }), 'ParameterInvalid', 400);
    await expectRefused(() => cms('DescribeSystemEventAttribute', { StartTime: '2026-11-23T06:00:00Z' }), 'ParameterInvalid', 400, 'times are Unix ms');
    await expectRefused(() => cms('DescribeSystemEventAttribute', { StartTime: '2000', EndTime: '1000' }), 'ParameterInvalid', 400);
    await expectRefused(() => cms('DescribeSystemEventAttribute', { SearchKeywords: 'a and b or c' }), 'ParameterInvalid', 400);
    await expectRefused(() => cms('DescribeSystemEventAttribute', { PageSize: 101 }), 'ParameterInvalid', 400);
    await expectRefused(() => cms('DescribeSystemEventAttribute', { GroupId: '12345' }), 'UnsupportedParameter', 400, 'no application groups');
  });

  it('another account sees none of these events', async () => {
    const b = await createAccount(s.app.services.db, 'cms-b', s.clock.now());
    const cmsB = cmsClient(s.url, { accessKeyId: b.accessKeyId, accessKeySecret: b.accessKeySecret });
    assert.deepEqual((await cmsB('DescribeSystemEventAttribute', { PageSize: 100 })).SystemEvents.SystemEvent, []);
    assert.deepEqual((await cmsB('DescribeSystemEventAttribute', { SearchKeywords: drillId })).SystemEvents.SystemEvent, []);
    assert.deepEqual((await cmsB('DescribeSystemEventCount', {})).SystemEventCounts.SystemEventCount, []);
  });
});
