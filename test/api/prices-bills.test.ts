/**
 * Prices and bills through the official clients: ECS DescribePrice / DescribeRenewalPrice /
 * DescribeInstanceModificationPrice and BssOpenApi GetPayAsYouGoPrice / GetSubscriptionPrice
 * answer the shipped price table (src/domain/billing/prices.json) or the operator's; the meter
 * bills a pay-as-you-go instance's running hours, not those stopped in StopCharging mode, and its
 * disk for every hour; QueryAccountBalance falls by what was billed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Bss, * as $Bss from '@alicloud/bssopenapi20171214';
import * as $OpenApi from '@alicloud/openapi-core';
import { $Ecs, AK, SECRET, startTestServer, type TestServer, expectRefused } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { parsePriceTable } from '../../src/domain/billing/price-table.js';
import { TABLE, r4, G7_LARGE_HOUR } from '../helpers/shipped-prices.js';

const BssClient: typeof Bss.default = (Bss as any).default ?? Bss;
const R = 'cn-hangzhou';
const H = 3_600_000;
const G7_XLARGE_HOUR = 2 * G7_LARGE_HOUR;
const essdHour = (gib: number) => gib * TABLE.diskCategories.cloud_essd.gibMonth / TABLE.hoursPerUnit.Month;
/** A disk's hourly price from the table (ESSD at PL1). */
const diskHour = (d: { category?: string; size?: number }) => d.size! * TABLE.diskCategories[d.category!].gibMonth / TABLE.hoursPerUnit.Month;
/** ecs.g7's system disk when none is asked for. */
const DEFAULT_SYSTEM = { category: 'cloud_efficiency', size: 40 };

function bssOf(s: TestServer) {
  return new BssClient(new $OpenApi.$OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: new URL(s.url).host, protocol: 'http', regionId: R }));
}

describe('prices', () => {
  let s: TestServer;
  let n: Network;
  let bss: ReturnType<typeof bssOf>;
  before(async () => { s = await startTestServer(); n = await createNetwork(s, R); bss = bssOf(s); });
  after(async () => { await s.close(); });

  const price = async (r: Record<string, unknown>) => (await s.ecs.describePrice(new $Ecs.DescribePriceRequest({ regionId: R, ...r }))).body!.priceInfo!;

  it('DescribePrice per hour: the table\'s instance, system disk, data disk and bandwidth prices', async () => {
    const p = await price({
      instanceType: 'ecs.g7.large', systemDisk: { category: 'cloud_essd', size: 40 },
      dataDisk: [new $Ecs.DescribePriceRequestDataDisk({ category: 'cloud_efficiency', size: 100 })],
      internetChargeType: 'PayByBandwidth', internetMaxBandwidthOut: 5,
    });
    const want = {
      instanceType: r4(G7_LARGE_HOUR), systemDisk: r4(essdHour(40)),
      dataDisk: r4(100 * TABLE.diskCategories.cloud_efficiency.gibMonth / 720), bandwidth: r4(5 * TABLE.bandwidth.payByBandwidthMbpsHour),
    };
    const got = Object.fromEntries(p.price!.detailInfos!.detailInfo!.map((d) => [d.resource, d.tradePrice]));
    assert.deepEqual(got, want);
    assert.equal(p.price!.tradePrice, r4(Object.values(want).reduce((a, b) => a + b, 0)));
    assert.deepEqual([p.price!.currency, p.price!.discountPrice, p.rules!.rule!.length], ['CNY', 0, 0]);
  });

  it('DescribePrice of a subscription: the period\'s hours, its discount and rule; Amount multiplies', async () => {
    const month = await price({ instanceType: 'ecs.g7.large', priceUnit: 'Month', period: 1 });
    const sysHour = diskHour(DEFAULT_SYSTEM);
    const list = r4(G7_LARGE_HOUR * 720) + r4(sysHour * 720);
    assert.equal(month.price!.originalPrice, r4(list));
    assert.equal(month.price!.tradePrice, r4(r4(r4(G7_LARGE_HOUR * 720) * 0.85) + r4(r4(sysHour * 720) * 0.85)));
    assert.deepEqual(month.rules!.rule!.map((r) => r.ruleId), [587]);
    const years = await price({ instanceType: 'ecs.g7.large', priceUnit: 'Year', period: 1, amount: 2 });
    assert.equal(years.price!.originalPrice, r4(r4(G7_LARGE_HOUR * 8640 * 2) + r4(sysHour * 8640 * 2)));
    assert.equal(years.price!.discountPrice, r4(years.price!.originalPrice! - years.price!.tradePrice!));
    assert.deepEqual(years.rules!.rule!.map((r) => r.ruleId), [589]);
    const disk = await price({ resourceType: 'disk', dataDisk: [new $Ecs.DescribePriceRequestDataDisk({ category: 'cloud_essd', size: 500, performanceLevel: 'PL2' })] });
    assert.equal(disk.price!.tradePrice, r4(500 * 2 / 720));
  });

  it('DescribePrice refusals: the metadata\'s codes, and parameters it does not act on by name', async () => {
    await expectRefused(() => price({}), 'InvalidInstanceType.Missing', 404);
    await expectRefused(() => price({ instanceType: 'ecs.nope.large' }), 'InvalidInstanceType.ValueNotSupported', 400);
    await expectRefused(() => price({ instanceType: 'ecs.g7.large', priceUnit: 'Day' }), 'InvalidPriceUnit.ValueNotSupported', 400);
    await expectRefused(() => price({ instanceType: 'ecs.g7.large', priceUnit: 'Month', period: 10 }), 'InvalidPeriod', 400);
    await expectRefused(() => price({ instanceType: 'ecs.g7.large', amount: 1001 }), 'InvalidAmount.Malformed', 403);
    await expectRefused(() => price({ instanceType: 'ecs.g7.large', systemDisk: { category: 'floppy' } }), 'InvalidSystemDiskCategory.ValueNotSupported', 400);
    await expectRefused(() => price({ instanceType: 'ecs.g7.large', internetMaxBandwidthOut: 101 }), 'InvalidInternetMaxBandwidthOut.ValueNotSupported', 400);
    await expectRefused(() => price({ resourceType: 'ddh' }), 'InvalidResourceType.ValueNotSupported', 400);
    await expectRefused(() => price({ resourceType: 'disk' }), 'InvalidDiskCategory.Missing', 404);
    await expectRefused(() => price({ instanceType: 'ecs.g7.large', imageId: n.imageId }), 'UnsupportedParameter', 400);
  });

  it('DescribeRenewalPrice and DescribeInstanceModificationPrice of a subscription', async () => {
    const sub = (await s.ecs.runInstances(runRequest(n, { instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' }))).body!.instanceIdSets!.instanceIdSet![0]!;
    const payg = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(3000);
    const renewal = (await s.ecs.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: R, resourceId: sub, priceUnit: 'Month', period: 6 }))).body!.priceInfo!;
    const sys = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: sub }))).body!.disks!.disk![0]!;
    const hours = 6 * 720;
    const list = r4(G7_LARGE_HOUR * hours) + r4(diskHour(sys) * hours);
    assert.equal(renewal.price!.originalPrice, r4(list));
    assert.equal(renewal.price!.tradePrice, r4(r4(r4(G7_LARGE_HOUR * hours) * 0.8) + r4(r4(diskHour(sys) * hours) * 0.8)));
    // The details as the metadata names them (ResourcePriceModel), read raw: the SDK's model calls them DetailInfo.
    const raw: any = await s.pop.request('DescribeRenewalPrice', { RegionId: R, ResourceId: sub, PriceUnit: 'Month', Period: 6 }, { method: 'POST' });
    assert.deepEqual(raw.PriceInfo.Price.DetailInfos.ResourcePriceModel.map((d: { Resource: string }) => d.Resource), ['instanceType', 'systemDisk']);
    await expectRefused(() => s.ecs.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: R, resourceId: payg })), 'ChargeTypeViolation', 403);
    await expectRefused(() => s.ecs.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: R, resourceId: sub, priceUnit: 'Year', period: 4 })), 'InvalidPeriod', 400);
    await expectRefused(() => s.ecs.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: R, resourceId: 'i-nope' })), 'InvalidInstanceId.NotFound', 404);

    const modify = (type?: string, id = sub) => s.ecs.describeInstanceModificationPrice(new $Ecs.DescribeInstanceModificationPriceRequest({ regionId: R, instanceId: id, instanceType: type }));
    const m = (await modify('ecs.g7.xlarge')).body!.priceInfo!.price!;
    const expires = Date.parse('2026-12-23T06:00:00Z');
    assert.equal(m.tradePrice, r4((G7_XLARGE_HOUR - G7_LARGE_HOUR) * Math.ceil((expires - s.clock.now()) / H)));
    await expectRefused(() => modify('ecs.c7.large'), 'InvalidInstanceType.NotSupportUpgrade', 403);
    await expectRefused(() => modify(undefined), 'MissingParameter.InstanceTypeOrDataDisk', 400);
    await expectRefused(() => modify('ecs.g7.xlarge', payg), 'ChargeTypeViolation', 403);
  });

  it('BssOpenApi GetPayAsYouGoPrice and GetSubscriptionPrice of ECS modules', async () => {
    const modules = [
      { moduleCode: 'InstanceType', config: 'InstanceType:ecs.g7.large,IoOptimized:IoOptimized,ImageOs:linux', priceType: 'Hour' },
      { moduleCode: 'SystemDisk', config: 'SystemDisk.Category:cloud_essd,SystemDisk.Size:40', priceType: 'Hour' },
    ];
    const payg = (await bss.getPayAsYouGoPrice(new $Bss.GetPayAsYouGoPriceRequest({
      productCode: 'ecs', subscriptionType: 'PayAsYouGo', region: R, moduleList: modules.map((m) => new $Bss.GetPayAsYouGoPriceRequestModuleList(m)),
    }))).body!;
    assert.equal(payg.success, true);
    assert.deepEqual(payg.data!.moduleDetails!.moduleDetail!.map((d) => [d.moduleCode, d.costAfterDiscount]),
      [['InstanceType', r4(G7_LARGE_HOUR)], ['SystemDisk', r4(essdHour(40))]]);
    const sub = (await bss.getSubscriptionPrice(new $Bss.GetSubscriptionPriceRequest({
      productCode: 'ecs', subscriptionType: 'Subscription', orderType: 'NewOrder', region: R, servicePeriodUnit: 'Year', servicePeriodQuantity: 1,
      moduleList: modules.map(({ moduleCode, config }) => new $Bss.GetSubscriptionPriceRequestModuleList({ moduleCode, config })),
    }))).body!.data!;
    const year = r4(G7_LARGE_HOUR * 8640) + r4(essdHour(40) * 8640);
    assert.equal(sub.originalPrice, r4(year));
    assert.equal(sub.tradePrice, r4(r4(r4(G7_LARGE_HOUR * 8640) * 0.7) + r4(r4(essdHour(40) * 8640) * 0.7)));
    assert.deepEqual(sub.promotionDetails!.promotionDetail!.map((p) => p.promotionId), [589]);
    const bad = async (r: Record<string, unknown>, code: string) => expectRefused(() => bss.getPayAsYouGoPrice(new $Bss.GetPayAsYouGoPriceRequest({
      productCode: 'ecs', subscriptionType: 'PayAsYouGo', moduleList: [new $Bss.GetPayAsYouGoPriceRequestModuleList(modules[0])], ...r,
    })), code, 400);
    await bad({ productCode: 'rds' }, 'InvalidParameter');
    await bad({ moduleList: [new $Bss.GetPayAsYouGoPriceRequestModuleList({ moduleCode: 'InstanceType', config: 'InstanceType:ecs.g7.large,ImageOs:windows', priceType: 'Hour' })] }, 'InvalidParameter');
    await bad({ moduleList: [new $Bss.GetPayAsYouGoPriceRequestModuleList({ moduleCode: 'Snapshot', config: 'x:y', priceType: 'Hour' })] }, 'InvalidParameter');
  });
});

describe('an operator\'s price table', () => {
  let s: TestServer;
  const table = parsePriceTable({ ...TABLE, instanceFamilies: { 'ecs.g7': { vcpuHour: 1, memoryGiBHour: 0.5 } }, regions: { 'cn-hangzhou': 2 } });
  before(async () => { s = await startTestServer({ prices: table }); });
  after(async () => { await s.close(); });

  it('prices from its table; what it does not price answers PriceNotFound', async () => {
    const p = (await s.ecs.describePrice(new $Ecs.DescribePriceRequest({ regionId: R, resourceType: 'instance', instanceType: 'ecs.g7.large' }))).body!.priceInfo!;
    assert.equal(p.price!.detailInfos!.detailInfo!.find((d: { resource?: string }) => d.resource === 'instanceType')!.tradePrice, (2 * 1 + 8 * 0.5) * 2);
    await expectRefused(() => s.ecs.describePrice(new $Ecs.DescribePriceRequest({ regionId: R, instanceType: 'ecs.c7.large' })), 'PriceNotFound', 400);
    await expectRefused(() => s.ecs.describePrice(new $Ecs.DescribePriceRequest({ regionId: 'cn-shanghai', instanceType: 'ecs.g7.large' })), 'PriceNotFound', 400);
  });
});

describe('bills', () => {
  let s: TestServer;
  let n: Network;
  let bss: ReturnType<typeof bssOf>;
  // No boot delay: the instance runs from the moment it is created, so its hours are whole.
  before(async () => { s = await startTestServer({ simDelayMs: 0 }); n = await createNetwork(s, R); bss = bssOf(s); });
  after(async () => { await s.close(); });

  const instanceBill = async (r: Record<string, unknown> = {}) =>
    (await bss.queryInstanceBill(new $Bss.QueryInstanceBillRequest({ billingCycle: '2026-11', isBillingItem: true, pageSize: 300, ...r }))).body!.data!;
  const balance = async () => Number((await bss.queryAccountBalance()).body!.data!.availableAmount);

  it('a pay-as-you-go instance running 3 hours, then stopped in StopCharging mode for 2, bills 3 hours of compute and 5 of disk', async () => {
    assert.equal(await balance(), TABLE.accountCredit);
    const id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.settle();
    const get = async () => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0]!;
    assert.equal((await get()).status, 'Running');
    const sys = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id }))).body!.disks!.disk![0]!;
    await s.advance(3 * H);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id, stoppedMode: 'StopCharging' }));
    await s.settle();
    assert.deepEqual([(await get()).status, (await get()).stoppedMode], ['Stopped', 'StopCharging']);
    await s.advance(2 * H);

    const items = (await instanceBill()).items!.item!;
    const compute = items.find((i) => i.instanceID === id && i.billingItem === 'InstanceType')!;
    const disk = items.find((i) => i.instanceID === sys.diskId && i.billingItem === 'SystemDisk')!;
    assert.deepEqual([compute.usage, compute.usageUnit, compute.subscriptionType, compute.item], ['3', 'Hour', 'PayAsYouGo', 'PayAsYouGoBill']);
    assert.equal(compute.pretaxAmount, Math.round(3 * G7_LARGE_HOUR * 100) / 100);
    assert.equal(disk.usage, '5');
    assert.equal(disk.pretaxAmount, Math.round(5 * diskHour(sys) * 100) / 100);
    const spent = 3 * G7_LARGE_HOUR + 5 * diskHour(sys);
    assert.equal(await balance(), Number((TABLE.accountCredit - spent).toFixed(2)));

    // DAILY: the same hours, all on the 23rd; the per-instance view sums the items; QueryBill has the day's record.
    const daily = (await instanceBill({ granularity: 'DAILY', billingDate: '2026-11-23' })).items!.item!;
    assert.equal(daily.find((i) => i.instanceID === id)!.billingDate, '2026-11-23');
    const perInstance = (await instanceBill({ isBillingItem: false })).items!.item!.find((i) => i.instanceID === id)!;
    assert.equal(perInstance.billingItem, undefined);
    const records = (await bss.queryBill(new $Bss.QueryBillRequest({ billingCycle: '2026-11', type: 'PayAsYouGoBill' }))).body!.data!.items!.item!;
    assert.deepEqual(records.map((r) => [r.item, r.usageStartTime]), [['PayAsYouGoBill', '2026-11-23T06:00:00Z']]);
    assert.equal(records[0]!.pretaxAmount, Math.round(spent * 100) / 100);
    // Another month, another product: empty.
    assert.equal((await instanceBill({ billingCycle: '2026-10' })).totalCount, 0);
    assert.equal((await instanceBill({ productCode: 'rds' })).totalCount, 0);
    await expectRefused(() => instanceBill({ billingCycle: '2026-13' }), 'InvalidParameter', 400);
  });

  it('a subscription is billed once at purchase and again at each renewal (SubscriptionOrder)', async () => {
    const before = await balance();
    const id = (await s.ecs.runInstances(runRequest(n, { instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' }))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(2 * 60_000);
    await s.ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: id, period: 1, periodUnit: 'Month' }));
    await s.advance(2 * 60_000);
    const orders = (await bss.queryBill(new $Bss.QueryBillRequest({ billingCycle: '2026-11', type: 'SubscriptionOrder' }))).body!.data!.items!.item!;
    assert.equal(orders.length, 2, 'the purchase and the renewal');
    const sys = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id }))).body!.disks!.disk![0]!;
    const month = r4(r4(G7_LARGE_HOUR * 720) * 0.85) + r4(r4(diskHour(sys) * 720) * 0.85);
    for (const o of orders) assert.equal(o.pretaxAmount, Math.round(month * 100) / 100);
    const subItems = (await instanceBill({ subscriptionType: 'Subscription', productCode: 'ecs' })).items!.item!.filter((i) => i.instanceID === id);
    assert.deepEqual(subItems.map((i) => [i.billingItem, i.servicePeriod, i.servicePeriodUnit]), [['InstanceType', '1', 'Month'], ['SystemDisk', '1', 'Month']]);
    // The earlier pay-as-you-go instance's disk goes on billing while stopped: only the orders and those 4 minutes of disk.
    const diskMinutes = (await balance()) - before + 2 * month;
    assert.ok(Math.abs(diskMinutes) < 0.02, `balance fell by the two orders and a few minutes of disk (${diskMinutes})`);
  });
});
