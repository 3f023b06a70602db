/**
 * Upgrades billed, through the official ECS and BssOpenApi clients: ModifyPrepayInstanceSpec's
 * upgrade is charged at once what DescribeInstanceModificationPrice quoted (its own SubscriptionOrder
 * in QueryBill, in the instance's InstanceType item of QueryInstanceBill, off QueryAccountBalance);
 * a downgrade or a cheaper type charges nothing; ModifyInstanceChargeType PostPaid→PrePaid is
 * charged the subscription by the meter. The test server's clock starts at 2026-11-23T06:00Z.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Bss, * as $Bss from '@alicloud/bssopenapi20171214';
import * as $OpenApi from '@alicloud/openapi-core';
import { $Ecs, AK, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

const BssClient: typeof Bss.default = (Bss as any).default ?? Bss;
const R = 'cn-hangzhou';
const MIN = 60_000;
const money = (x: number) => Math.round(x * 100) / 100;

describe('upgrades billed', () => {
  let s: TestServer;
  let n: Network;
  let bss: InstanceType<typeof BssClient>;
  before(async () => {
    s = await startTestServer({ simDelayMs: 0 });
    n = await createNetwork(s, R);
    bss = new BssClient(new $OpenApi.$OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: new URL(s.url).host, protocol: 'http', regionId: R }));
  });
  after(async () => { await s.close(); });

  const balance = async () => Number((await bss.queryAccountBalance()).body!.data!.availableAmount);
  const ordersOf = async (id: string) => (await bss.queryBill(new $Bss.QueryBillRequest({ billingCycle: '2026-11', type: 'SubscriptionOrder', pageSize: 300 }))).body!.data!.items!.item!
    .filter((o) => o.recordID!.startsWith(`${id}-`));
  const instanceTypeItem = async (id: string) => (await bss.queryInstanceBill(new $Bss.QueryInstanceBillRequest({ billingCycle: '2026-11', isBillingItem: true, pageSize: 300, productCode: 'ecs', subscriptionType: 'Subscription' }))).body!.data!.items!.item!
    .find((i) => i.instanceID === id && i.billingItem === 'InstanceType');
  const spec = (id: string, instanceType: string) => s.ecs.modifyPrepayInstanceSpec(new $Ecs.ModifyPrepayInstanceSpecRequest({ regionId: R, instanceId: id, instanceType }));

  it('ModifyPrepayInstanceSpec charges an upgrade what DescribeInstanceModificationPrice quoted, a SubscriptionOrder of its own', async () => {
    const id = (await s.ecs.runInstances(runRequest(n, { instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' }))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(2 * MIN);
    const [purchase] = await ordersOf(id);
    assert.ok(purchase, 'the purchase is billed');
    const purchaseItem = (await instanceTypeItem(id))!.pretaxAmount!;
    await s.advance(90 * MIN);

    const quoted = (await s.ecs.describeInstanceModificationPrice(new $Ecs.DescribeInstanceModificationPriceRequest({ regionId: R, instanceId: id, instanceType: 'ecs.g7.xlarge' }))).body!.priceInfo!.price!.tradePrice!;
    assert.ok(quoted > 0);
    const before = await balance();
    await spec(id, 'ecs.g7.xlarge');
    assert.equal(money(before - await balance()), money(quoted), 'the balance falls by the quote at once');

    const orders = await ordersOf(id);
    assert.equal(orders.length, 2, 'the purchase and the upgrade');
    const upgrade = orders.find((o) => o.recordID !== purchase.recordID)!;
    assert.deepEqual([upgrade.pretaxAmount, upgrade.usageStartTime, upgrade.usageEndTime, upgrade.status], [money(quoted), '2026-11-23T07:32:00Z', '2026-12-23T06:00:00Z', 'PayOff']);
    assert.equal((await instanceTypeItem(id))!.pretaxAmount, money(purchaseItem + quoted), 'the InstanceType item sums the purchase and the upgrade');

    // A downgrade (of the Stopped instance) charges nothing.
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    const after = await balance();
    await spec(id, 'ecs.g7.large');
    assert.equal(await balance(), after);
    assert.equal((await ordersOf(id)).length, 2);
  });

  it('ModifyInstanceChargeType PostPaid→PrePaid: the pay-as-you-go hours, then the subscription order', async () => {
    const id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.settle();
    await s.advance(60 * MIN);
    const changed = await s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([id]), instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' }));
    const fee = changed.body!.feeOfInstances!.feeOfInstance![0]!;
    assert.deepEqual([fee.instanceId, fee.currency], [id, 'CNY']);
    await s.advance(2 * MIN);
    const orders = await ordersOf(id);
    assert.equal(orders.length, 1, 'the subscription bought by the change');
    assert.ok(orders[0]!.pretaxAmount! > 0);
    assert.equal(money(Number(fee.fee)), orders[0]!.pretaxAmount, 'the response\'s Fee is what the meter charged');
    const all = (await bss.queryInstanceBill(new $Bss.QueryInstanceBillRequest({ billingCycle: '2026-11', isBillingItem: true, pageSize: 300, productCode: 'ecs', subscriptionType: 'PayAsYouGo' }))).body!.data!.items!.item!;
    const payg = all.find((i) => i.instanceID === id && i.billingItem === 'InstanceType');
    assert.equal(payg?.usage, '1', 'the hour it ran as pay-as-you-go');
  });
});
