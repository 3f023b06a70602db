/**
 * Renewal for configuration downgrade (OpenECS extension RenewInstanceWithDowngrade, pop-core): the
 * subscription is renewed at once and billed at the lower type; the type changes when the renewed
 * period starts (the test clock); meanwhile RenewInstance, ModifyPrepayInstanceSpec and ResizeDisk
 * refuse the instance with their metadata's codes. The test server's clock starts at 2026-11-23T06:00Z.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import Bss, * as $Bss from '@alicloud/bssopenapi20171214';
import * as $OpenApi from '@alicloud/openapi-core';
import { $Ecs, AK, SECRET, startTestServer, type TestServer, expectRefused } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { TABLE, r4, G7_LARGE_HOUR } from '../helpers/shipped-prices.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
const BssClient: typeof Bss.default = (Bss as any).default ?? Bss;
const R = 'cn-hangzhou';
const DAY = 86_400_000;
/** A month of the type as a subscription order bills it (720 hours, the Month discount). */
const monthOf = (hourly: number) => Math.round(r4(r4(hourly * 720) * 0.85) * 100) / 100;

describe('renewal for configuration downgrade', () => {
  let s: TestServer;
  let n: Network;
  let ext: InstanceType<typeof PopCore>;
  let bss: InstanceType<typeof BssClient>;
  before(async () => {
    s = await startTestServer();
    n = await createNetwork(s, R);
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    bss = new BssClient(new $OpenApi.$OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: new URL(s.url).host, protocol: 'http', regionId: R }));
  });
  after(async () => { await s.close(); });

  const run = async (extra: Record<string, unknown> = {}) => (await s.ecs.runInstances(runRequest(n, { instanceType: 'ecs.g7.xlarge', instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month', ...extra }))).body!.instanceIdSets!.instanceIdSet![0]!;
  const get = async (id: string) => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0]!;
  const downgrade = (id: string, instanceType: string, extra: Record<string, unknown> = {}): Promise<any> =>
    ext.request('RenewInstanceWithDowngrade', { RegionId: R, InstanceId: id, InstanceType: instanceType, Period: 1, ...extra }, { method: 'POST' });
  const advanceTo = async (at: string) => {
    const target = Date.parse(at);
    while (s.clock.now() < target) await s.advance(Math.min(DAY, target - s.clock.now()));
    await s.advance(3000);
  };

  it('renews at once, billed at the lower type, which the instance gets when the renewed period starts', async () => {
    const id = await run();
    const payg = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(3000);
    assert.deepEqual([(await get(id)).status, (await get(id)).expiredTime], ['Running', '2026-12-23T06:00Z']);

    await expectRefused(() => downgrade(id, 'ecs.g7.2xlarge'), 'DependencyViolation.InstanceType', 400, 'an upgrade');
    await expectRefused(() => downgrade(id, 'ecs.g7.xlarge'), 'DependencyViolation.InstanceType', 400, 'the same type');
    await expectRefused(() => downgrade(id, 'ecs.nosuch.large'), 'InvalidInstanceType.ValueNotSupported', 400);
    await expectRefused(() => downgrade(id, 'ecs.g7.large', { PeriodUnit: 'Year' }), 'InvalidPeriodUnit.ValueNotSupported', 400);
    await expectRefused(() => downgrade(id, 'ecs.g7.large', { Period: 10 }), 'InvalidPeriod', 400);
    await expectRefused(() => downgrade(payg, 'ecs.g7.large'), 'ChargeTypeViolation', 403, 'pay-as-you-go');
    await expectRefused(() => downgrade('i-nothere0000000000', 'ecs.g7.large'), 'InvalidInstanceId.NotFound', 404);

    const r = await downgrade(id, 'ecs.g7.large');
    assert.match(r.OrderId, /^\d+$/);
    assert.deepEqual([r.InstanceType, r.EffectiveTime, r.ExpiredTime], ['ecs.g7.large', '2026-12-23T06:00Z', '2027-01-23T06:00Z']);
    let d = await get(id);
    assert.deepEqual([d.instanceType, d.cpu, d.expiredTime, d.status], ['ecs.g7.xlarge', 4, '2027-01-23T06:00Z', 'Running'], 'renewed now, the type still the current one');

    // Until the renewed period starts, the renewal and the spec stay put.
    await expectRefused(() => s.ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: id, period: 1, periodUnit: 'Month' })), 'InstanceSpecModification.NotEffective', 403);
    await expectRefused(() => downgrade(id, 'ecs.g7.large'), 'InstanceSpecModification.NotEffective', 403, 'one plan at a time');
    await expectRefused(() => s.ecs.modifyPrepayInstanceSpec(new $Ecs.ModifyPrepayInstanceSpecRequest({ regionId: R, instanceId: id, instanceType: 'ecs.g7.2xlarge' })), 'InvalidOperation.InstanceRenewWithDowngradeInPlan', 400);
    const sys = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id }))).body!.disks!.disk![0]!;
    await expectRefused(() => s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: sys.diskId, newSize: (sys.size ?? 40) + 10 })), 'InvalidOperation.InstanceRenewWithDowngradeInPlan', 400);
    await expectRefused(() => s.ecs.modifyDiskSpec(new $Ecs.ModifyDiskSpecRequest({ diskId: sys.diskId, diskCategory: 'cloud_essd', performanceLevel: 'PL1' })), 'InvalidOperation.InstanceRenewWithDowngradeInPlan', 400);

    // Billed: the purchase at ecs.g7.xlarge and the renewal at ecs.g7.large, two orders (QueryBill) of the
    // same system disk; the instance's InstanceType item (QueryInstanceBill) sums them.
    await s.advance(2 * 60_000);
    const orders = (await bss.queryBill(new $Bss.QueryBillRequest({ billingCycle: '2026-11', type: 'SubscriptionOrder' }))).body!.data!.items!.item!
      .filter((o) => o.recordID!.startsWith(`${id}-`));
    assert.deepEqual(orders.map((o) => [o.usageStartTime, o.usageEndTime]), [['2026-11-23T06:00:00Z', '2026-12-23T06:00:00Z'], ['2026-12-23T06:00:00Z', '2027-01-23T06:00:00Z']]);
    assert.equal(Math.round((orders[0]!.pretaxAmount! - orders[1]!.pretaxAmount!) * 100) / 100, Math.round((monthOf(2 * G7_LARGE_HOUR) - monthOf(G7_LARGE_HOUR)) * 100) / 100);
    const item = (await bss.queryInstanceBill(new $Bss.QueryInstanceBillRequest({ billingCycle: '2026-11', isBillingItem: true, pageSize: 300, subscriptionType: 'Subscription', productCode: 'ecs' }))).body!.data!.items!.item!
      .find((i) => i.instanceID === id && i.billingItem === 'InstanceType')!;
    assert.equal(item.pretaxAmount, Math.round((monthOf(2 * G7_LARGE_HOUR) + monthOf(G7_LARGE_HOUR)) * 100) / 100);

    // The renewed period starts: the instance has the lower type (its guest gets it at its next start).
    await advanceTo('2026-12-23T05:58:00Z');
    assert.equal((await get(id)).instanceType, 'ecs.g7.xlarge', 'the current period runs at the type bought');
    await advanceTo('2026-12-23T06:01:00Z');
    d = await get(id);
    assert.deepEqual([d.instanceType, d.cpu, d.memory, d.status, d.expiredTime], ['ecs.g7.large', 2, 8192, 'Running', '2027-01-23T06:00Z']);
    // The plan is done: the instance renews and changes spec again.
    const renewed = await s.ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: id, period: 1, periodUnit: 'Month' }));
    assert.match(renewed.body!.orderId!, /^\d+$/);
    assert.equal((await get(id)).expiredTime, '2027-02-23T06:00Z');
    await s.ecs.modifyPrepayInstanceSpec(new $Ecs.ModifyPrepayInstanceSpecRequest({ regionId: R, instanceId: id, instanceType: 'ecs.g7.xlarge' }));
    assert.equal((await get(id)).instanceType, 'ecs.g7.xlarge');
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: payg, force: true }));
  });

  it('an expired subscription is renewed first; a change to pay-as-you-go ends the plan', async () => {
    // The clock is where the previous test left it (2026-12-23).
    const id = await run();
    await s.advance(3000);
    await downgrade(id, 'ecs.g7.large');
    await s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([id]), instanceChargeType: 'PostPaid' }));
    await s.advance(62 * DAY);
    const d = await get(id);
    assert.deepEqual([d.instanceType, d.instanceChargeType], ['ecs.g7.xlarge', 'PostPaid'], 'no downgrade of a pay-as-you-go instance');

    const expired = await run();
    await s.advance(3000);
    await s.advance(31 * DAY);
    await expectRefused(() => downgrade(expired, 'ecs.g7.large'), 'InvalidInstanceStatus', 403, 'expired: RenewInstance first');
  });
});
