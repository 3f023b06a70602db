/**
 * Spot (preemptible) instances through the official V3 client on the test clock (which starts at
 * 2026-11-23T06:00:00Z): the market's price history and advice, RunInstances' spot options and
 * refusals, the interruption when the market passes a SpotWithPriceLimit bid (the notice, the
 * `Recycling` lock and the metadata service's termination time, then the release or the stop five
 * minutes later), SpotDuration's protection, SpotAsPriceGo (never by price) and the
 * InterruptSpotInstance drill (OpenECS extension, pop-core).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, startTestServer, type TestServer, expectRefused } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { GuestSettingsDriver } from '../helpers/guest-settings-driver.js';
import type { MetadataOptions } from '../../src/domain/instances/metadata-options.js';
import { answerMetadata, type InstanceMetadata } from '../../src/network/metadata.js';
import { HOUR_MS, nextPriceAbove, spotAdvice, spotPrice, tableOriginPrice, type MarketKey } from '../../src/domain/spot-market.js';
import { instanceHourPrice } from '../../src/domain/billing/pricing.js';
import { loadPriceTable } from '../../src/price-table-file.js';
import { SPOT_NOTICE_MS } from '../../src/domain/instances/spot.js';

const R = 'cn-hangzhou';
const TYPE = 'ecs.g7.large'; // runRequest's type
const SPEC = { id: TYPE, family: 'ecs.g7', cpu: 2, memoryGiB: 8 };
/** The test server's price table (configFromEnv({}): the shipped one). */
const PRICES = loadPriceTable(undefined);
const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

/** The sim driver's guests, keeping the termination time each guest's metadata service was given (at boot or pushed). */
class SpotNoticeDriver extends GuestSettingsDriver {
  readonly notices = new Map<string, string | undefined>();
  override async start(spec: Parameters<GuestSettingsDriver['start']>[0]) {
    await super.start(spec);
    this.notices.set(spec.instanceId, spec.spotTerminationTime);
  }
  override async stop(id: string) {
    await super.stop(id);
    this.notices.delete(id);
  }
  override async setMetadataOptions(id: string, generation: number, options: MetadataOptions, tags?: Record<string, string>, spot?: string) {
    await super.setMetadataOptions(id, generation, options, tags);
    if (this.held.has(id)) this.notices.set(id, spot);
  }
  /** What the guest reads at latest/meta-data/instance/spot/termination-time. */
  terminationTime(id: string) {
    const doc = { instanceId: id, hostname: id, privateIp: '', mac: '', regionId: R, zoneId: '', imageId: '', instanceType: TYPE, vpcId: '', vswitchId: '', vpcCidr: '', vswitchCidr: '', gateway: '', netmask: '', serialNumber: '', ownerAccountId: '', publicKeys: [], userData: '', eniId: '', spotTerminationTime: this.notices.get(id) } satisfies InstanceMetadata;
    const a = answerMetadata(doc, 'GET', '/latest/meta-data/instance/spot/termination-time');
    return { status: a.status, body: String(a.body) };
  }
}

describe('spot instances', () => {
  let s: TestServer;
  let n: Network;
  let ext: InstanceType<typeof PopCore>;
  const driver = new SpotNoticeDriver(1000);
  before(async () => {
    s = await startTestServer({}, { driver });
    n = await createNetwork(s, R);
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
  });
  after(async () => { await s.close(); });

  const market = (): MarketKey => ({ regionId: R, zoneId: n.zoneId, instanceType: TYPE });
  // The origin price is the type's DescribePrice hourly price.
  const origin = (os: 'linux' | 'windows' = 'linux') => tableOriginPrice(PRICES, R, SPEC, os);
  const price = (at = s.clock.now()) => spotPrice(market(), origin(), at);
  const run = async (extra: Record<string, unknown>) => (await s.ecs.runInstances(runRequest(n, extra))).body!.instanceIdSets!.instanceIdSet![0]!;
  const get = async (id: string) => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0];
  const locks = async (id: string) => (await get(id))?.operationLocks?.lockReason?.map((l) => l.lockReason);
  const recycling = async () => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, lockReason: 'Recycling' }))).body!.instances!.instance!.map((i) => i.instanceId);
  const advanceTo = async (at: number) => { if (at > s.clock.now()) await s.advance(at - s.clock.now()); };

  it('DescribeSpotPriceHistory answers the market model: the last 3 hours by default, hourly, with the origin price', async () => {
    const now = s.clock.now();
    const r = await s.ecs.describeSpotPriceHistory(new $Ecs.DescribeSpotPriceHistoryRequest({ regionId: R, zoneId: n.zoneId, networkType: 'vpc', instanceType: TYPE }));
    const rows = r.body!.spotPrices!.spotPriceType!;
    assert.equal(r.body!.currency, 'CNY');
    assert.deepEqual(rows.map((x) => x.timestamp), [3, 2, 1, 0].map((h) => iso(Math.floor(now / HOUR_MS) * HOUR_MS - h * HOUR_MS)));
    for (const x of rows) {
      assert.deepEqual([x.zoneId, x.instanceType, x.networkType, x.ioOptimized, x.originPrice], [n.zoneId, TYPE, 'vpc', 'optimized', origin()]);
      assert.equal(x.spotPrice, price(Date.parse(x.timestamp!)));
    }
    const win = await s.ecs.describeSpotPriceHistory(new $Ecs.DescribeSpotPriceHistoryRequest({ regionId: R, networkType: 'vpc', instanceType: TYPE, OSType: 'windows', startTime: '2026-11-01T06:00:00Z', endTime: '2026-11-23T06:00:00Z' }));
    const all = win.body!.spotPrices!.spotPriceType!;
    assert.equal(all.length, 1000, 'a page holds 1,000 prices');
    assert.equal(win.body!.nextOffset, 1000);
    assert.ok(all.every((x) => x.originPrice === origin('windows') && origin('windows') > origin()), 'Windows prices include the licence');
    assert.equal(origin(), Math.round(instanceHourPrice(PRICES, R, SPEC) * 1000) / 1000, 'the pay-as-you-go price');
    const next = await s.ecs.describeSpotPriceHistory(new $Ecs.DescribeSpotPriceHistoryRequest({ regionId: R, networkType: 'vpc', instanceType: TYPE, startTime: '2026-11-01T06:00:00Z', endTime: '2026-11-23T06:00:00Z', offset: 1000 }));
    assert.ok(next.body!.spotPrices!.spotPriceType!.length > 0);
    const req = (x: Record<string, unknown>) => () => s.ecs.describeSpotPriceHistory(new $Ecs.DescribeSpotPriceHistoryRequest({ regionId: R, networkType: 'vpc', instanceType: TYPE, ...x }));
    await expectRefused(req({ networkType: 'classic' }), 'InvalidParams.NetworkType', 400);
    await expectRefused(req({ instanceType: 'ecs.nope.large' }), 'InvalidInstanceType.ValueNotSupported', 400);
    await expectRefused(req({ zoneId: 'cn-hangzhou-z' }), 'InvalidZoneId.NotFound', 400);
    await expectRefused(req({ startTime: '2026-11-23T05:00:00Z', endTime: '2026-11-23T04:00:00Z' }), 'InvalidParams.StartTime', 400);
    await expectRefused(req({ startTime: '2026-10-01T00:00:00Z', endTime: '2026-11-23T00:00:00Z' }), 'InvalidParams.StartTime', 400, 'more than 30 days');
    await expectRefused(req({ endTime: 'yesterday' }), 'InvalidParams.EndTime', 400);
  });

  it('DescribeSpotAdvice answers the last 30 days\' average discount and interruption rate per zone', async () => {
    const r = await s.ecs.describeSpotAdvice(new $Ecs.DescribeSpotAdviceRequest({ regionId: R, instanceTypes: [TYPE, 'ecs.c7.large'] }));
    const zones = r.body!.availableSpotZones!.availableSpotZone!;
    assert.ok(zones.some((z) => z.zoneId === n.zoneId));
    const mine = zones.find((z) => z.zoneId === n.zoneId)!.availableSpotResources!.availableSpotResource!.find((x) => x.instanceType === TYPE)!;
    const a = spotAdvice(market(), s.clock.now());
    assert.deepEqual([mine.averageSpotDiscount, mine.interruptionRate, mine.interruptRateDesc], [a.averageSpotDiscount, a.interruptionRate, a.interruptRateDesc]);
    const cores = await s.ecs.describeSpotAdvice(new $Ecs.DescribeSpotAdviceRequest({ regionId: R, zoneId: n.zoneId, cores: 2, memory: 8 }));
    const types = cores.body!.availableSpotZones!.availableSpotZone![0]!.availableSpotResources!.availableSpotResource!;
    assert.ok(types.some((x) => x.instanceType === TYPE));
    assert.deepEqual([...types.map((x) => x.averageSpotDiscount)], [...types.map((x) => x.averageSpotDiscount)].sort((x, y) => x! - y!), 'cheapest first');
    await expectRefused(() => s.ecs.describeSpotAdvice(new $Ecs.DescribeSpotAdviceRequest({ regionId: R, instanceTypes: [TYPE], cores: 2 })), 'InvalidParam.TypeAndCpuMem.Conflict', 403);
  });

  it('RunInstances refuses spot options the metadata refuses', async () => {
    await expectRefused(() => run({ spotStrategy: 'SpotWithPriceLimit' }), 'InvalidSpotPriceLimit', 400, 'no limit');
    await expectRefused(() => run({ spotStrategy: 'SpotWithPriceLimit', spotPriceLimit: Math.round((price() - 0.001) * 1000) / 1000 }), 'InvalidSpotPriceLimit.LowerThanPublicPrice', 400);
    await expectRefused(() => run({ spotStrategy: 'SpotAsPriceGo', instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' }), 'InvalidSpotPrepaid', 400);
    await expectRefused(() => run({ spotStrategy: 'SpotAsPriceGo', spotInterruptionBehavior: 'Hibernate' }), 'InvalidSpotInterruptionBehavior', 400);
    await expectRefused(() => run({ spotStrategy: 'SpotAsPriceGo', deletionProtection: true }), 'InvalidChargeType.ValueNotSupported', 403);
    await expectRefused(() => run({ spotPriceLimit: 0.5 }), 'InvalidSpotPriceLimit', 400, 'a limit without a spot strategy');
    await expectRefused(() => s.ecs.createInstance(new $Ecs.CreateInstanceRequest({
      regionId: R, imageId: n.imageId, instanceType: TYPE, vSwitchId: n.vswitchId, securityGroupId: n.securityGroupId, spotStrategy: 'SpotAsPriceGo', spotInterruptionBehavior: 'Stop',
    })), 'InvalidSpotInterruptionBehavior', 400, 'CreateInstance releases only');
  });

  it('a price-limited instance gets the notice when the market passes its bid and is released 5 minutes later; SpotDuration protects another', async () => {
    const created = s.clock.now();
    const limit = price(created);
    const crossing = nextPriceAbove(market(), origin(), limit, created)!;
    // The model is deterministic: from this clock the market passes the bid within the hour or two.
    assert.ok(crossing !== null && crossing - created < 4 * HOUR_MS, `the market passes ${limit} soon (${crossing && iso(crossing)})`);
    const protectedHours = Math.ceil((crossing - created) / HOUR_MS) + 1;
    const a = await run({ spotStrategy: 'SpotWithPriceLimit', spotPriceLimit: limit, spotDuration: 0 });
    const b = await run({ spotStrategy: 'SpotWithPriceLimit', spotPriceLimit: limit, spotDuration: protectedHours });
    await s.advance(3000);
    const d = (await get(a))!;
    assert.deepEqual([d.status, d.spotStrategy, d.spotPriceLimit, d.spotDuration, d.spotInterruptionBehavior], ['Running', 'SpotWithPriceLimit', limit, 0, 'Terminate']);
    assert.deepEqual(await locks(a), []);
    assert.equal(driver.terminationTime(a).status, 404, 'no notice: the metadata service answers 404');

    await advanceTo(crossing - 60_000);
    assert.deepEqual([(await get(a))!.status, await locks(a)], ['Running', []], 'the market is at or below the bid until the crossing hour');
    await advanceTo(crossing + 1000);
    const terminationAt = crossing + 1000 + SPOT_NOTICE_MS;
    assert.deepEqual(await locks(a), ['Recycling'], 'the notice: the Recycling lock');
    assert.deepEqual(await recycling(), [a]);
    assert.deepEqual(driver.terminationTime(a), { status: 200, body: iso(terminationAt) }, 'the guest reads the termination time');
    assert.deepEqual(await locks(b), [], 'b is within its SpotDuration');
    assert.equal((await (s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: a })))).body!.operationLocks!.lockReason![0]!.lockReason, 'Recycling');

    await advanceTo(terminationAt - 1000);
    assert.equal((await get(a))!.status, 'Running', 'running until the termination time');
    await advanceTo(terminationAt);
    await s.advance(3000);
    assert.equal(await get(a), undefined, 'released at the termination time');

    // b: once its protected hours are over, the market (if still above the bid) interrupts it.
    const bFree = created + protectedHours * HOUR_MS;
    await advanceTo(bFree + 1000);
    const bLocks = await locks(b);
    assert.deepEqual(bLocks, price() > limit ? ['Recycling'] : [], `after SpotDuration: market ${price()} vs bid ${limit}`);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: b, force: true }));
  });

  it('SpotInterruptionBehavior=Stop stops it without charging at the termination time', async () => {
    const created = s.clock.now();
    const limit = price(created);
    const crossing = nextPriceAbove(market(), origin(), limit, created);
    assert.ok(crossing !== null && crossing - created < 12 * HOUR_MS, 'the market passes the bid within 12 hours');
    const id = await run({ spotStrategy: 'SpotWithPriceLimit', spotPriceLimit: limit, spotDuration: 0, spotInterruptionBehavior: 'Stop' });
    await s.advance(3000);
    await advanceTo(crossing + 1000);
    assert.deepEqual(await locks(id), ['Recycling']);
    await advanceTo(crossing + 1000 + SPOT_NOTICE_MS);
    await s.advance(3000);
    const d = (await get(id))!;
    assert.deepEqual([d.status, d.stoppedMode, d.operationLocks!.lockReason], ['Stopped', 'StopCharging', []]);
    assert.equal(driver.terminationTime(id).status, 404, 'a stopped guest has no notice left');
    assert.ok(price() > limit, 'still the crossing hour');
    await expectRefused(() => s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id })), 'OperationDenied.SpotPriceLowerThanPublicPrice', 403, 'the bid is below the market');
    await expectRefused(() => s.ecs.startInstances(new $Ecs.StartInstancesRequest({ regionId: R, instanceId: [id] })), 'OperationDenied.SpotPriceLowerThanPublicPrice', 403);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
  });

  it('SpotAsPriceGo is never interrupted by price; the InterruptSpotInstance drill gives the notice and releases it', async () => {
    const id = await run({ spotStrategy: 'SpotAsPriceGo', spotDuration: 0 });
    const protectedId = await run({ spotStrategy: 'SpotAsPriceGo' }); // SpotDuration defaults to 1 hour
    const plain = await run({});
    await s.advance(3000);
    const attrs = await s.ecs.describeAccountAttributes(new $Ecs.DescribeAccountAttributesRequest({ regionId: R, attributeName: ['used-spot-instance-vcpu-count'] }));
    assert.equal(attrs.body!.accountAttributeItems!.accountAttributeItem![0]!.attributeValues!.valueItem![0]!.value, '4', 'two spot ecs.g7.large, 2 vCPUs each');
    await expectRefused(() => ext.request('InterruptSpotInstance', { RegionId: R, InstanceId: protectedId }, { method: 'POST' }), 'OperationDenied.SpotProtected', 403);
    await expectRefused(() => ext.request('InterruptSpotInstance', { RegionId: R, InstanceId: plain }, { method: 'POST' }), 'OperationDenied.NotSpotInstance', 403);
    await expectRefused(() => ext.request('InterruptSpotInstance', { RegionId: R, InstanceId: 'i-nothere0000000000' }, { method: 'POST' }), 'InvalidInstanceId.NotFound', 404);
    for (let h = 0; h < 24; h++) await s.advance(HOUR_MS);
    assert.deepEqual([(await get(id))!.status, await locks(id)], ['Running', []], 'a day of market moves: never by price');

    const r: any = await ext.request('InterruptSpotInstance', { RegionId: R, InstanceId: id }, { method: 'POST' });
    const terminationAt = s.clock.now() + SPOT_NOTICE_MS;
    assert.equal(r.TerminationTime, iso(terminationAt));
    const again: any = await ext.request('InterruptSpotInstance', { RegionId: R, InstanceId: id }, { method: 'POST' });
    assert.equal(again.TerminationTime, r.TerminationTime, 'a notice under way stands');
    await s.settle();
    assert.deepEqual(await locks(id), ['Recycling']);
    assert.deepEqual(driver.terminationTime(id), { status: 200, body: iso(terminationAt) });
    await advanceTo(terminationAt);
    await s.advance(3000);
    assert.equal(await get(id), undefined, 'released by the drill');
    await expectRefused(() => s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: protectedId, deletionProtection: true })), 'InvalidChargeType.ValueNotSupported', 403);
    await expectRefused(() => s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([protectedId]), instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' })), 'InvalidSpotStrategy', 400);
    for (const x of [protectedId, plain]) await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: x, force: true }));
  });
});
