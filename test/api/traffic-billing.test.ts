/**
 * EIPs and public traffic billed by the meter (src/engine/metering.ts), on the sim driver with
 * the test clock: a PayByBandwidth EIP is billed Bandwidth Mbps-hours from AllocateEipAddress to
 * ReleaseEipAddress (its last partial hour settled at the release), under ProductCode `eip` in
 * QueryInstanceBill / QueryBill and off QueryAccountBalance; a PayByTraffic EIP bills no hours.
 * Traffic: the driver's per-address byte counters (a sim driver given counters of the test's
 * own) are billed per GB at each clock hour, only the delta past the baseline; a counter with no
 * new bytes writes nothing; another epoch or a counter below its baseline (a reset) bills what
 * the counter holds, never negative or twice; an instance's PayByTraffic NAT address bills
 * under the instance (ECS), a PayByBandwidth one's traffic is not billed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Bss, * as $Bss from '@alicloud/bssopenapi20171214';
import * as $OpenApi from '@alicloud/openapi-core';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, AK, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { TABLE } from '../helpers/shipped-prices.js';
import { SimDriver } from '../../src/compute/sim.js';
import type { TrafficCounter } from '../../src/domain/billing/traffic.js';

const BssClient: typeof Bss.default = (Bss as any).default ?? Bss;
const R = 'cn-hangzhou';
const H = 3_600_000;
const MIN = 60_000;
const MBPS_HOUR = TABLE.bandwidth.payByBandwidthMbpsHour * TABLE.regions[R];
const PER_GB = TABLE.bandwidth.payByTrafficGB * TABLE.regions[R];
const money = (x: number) => Math.round(x * 100) / 100;

/** The sim driver with the byte counters a test sets. */
class CountingSim extends SimDriver {
  counters: TrafficCounter[] = [];
  async publicTrafficCounters(): Promise<TrafficCounter[]> { return this.counters.map((c) => ({ ...c })); }
}

describe('EIPs and public traffic billed', () => {
  let s: TestServer;
  let n: Network;
  const driver = new CountingSim(0);
  before(async () => { s = await startTestServer({ simDelayMs: 0 }, { driver }); n = await createNetwork(s, R); });
  after(async () => { await s.close(); });

  const bss = () => new BssClient(new $OpenApi.$OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: new URL(s.url).host, protocol: 'http', regionId: R }));
  const cycle = () => new Date(s.clock.now()).toISOString().slice(0, 7);
  const items = async (extra: Partial<$Bss.QueryInstanceBillRequest> = {}) =>
    (await bss().queryInstanceBill(new $Bss.QueryInstanceBillRequest({ billingCycle: cycle(), isBillingItem: true, pageSize: 300, ...extra }))).body!.data!.items!.item ?? [];
  const balance = async () => Number((await bss().queryAccountBalance()).body!.data!.availableAmount);
  const allocate = async (extra: Partial<$Vpc.AllocateEipAddressRequest>) =>
    (await s.vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: R, ...extra }))).body!;
  const toNextHour = async () => { await s.advance(H - (s.clock.now() % H)); };

  it('a PayByBandwidth EIP bills Bandwidth Mbps-hours while allocated, under ProductCode eip; a PayByTraffic one bills no hours', async () => {
    await toNextHour();
    const before = await balance();
    const fixed = await allocate({ internetChargeType: 'PayByBandwidth', bandwidth: '5' });
    const metered = await allocate({ internetChargeType: 'PayByTraffic', bandwidth: '5' });
    await s.advance(2 * H);
    let mine = (await items()).filter((i) => i.instanceID === fixed.allocationId);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.billingItem, 'Bandwidth');
    assert.equal(mine[0]!.productCode, 'eip');
    assert.equal(mine[0]!.usage, '2');
    assert.equal(mine[0]!.instanceSpec, '5Mbps');
    assert.equal(mine[0]!.pretaxAmount, money(2 * 5 * MBPS_HOUR));
    // Released half an hour later: the last half hour settles at the release, between hours.
    await s.advance(30 * MIN);
    await s.vpc.releaseEipAddress(new $Vpc.ReleaseEipAddressRequest({ regionId: R, allocationId: fixed.allocationId }));
    await s.settle();
    await s.advance(MIN);
    mine = (await items()).filter((i) => i.instanceID === fixed.allocationId);
    assert.equal(mine[0]!.usage, '2.5');
    assert.equal(mine[0]!.pretaxAmount, money(2.5 * 5 * MBPS_HOUR));
    assert.deepEqual(await s.app.services.db.selectFrom('released_eips').selectAll().execute(), [], 'the released EIP\'s facts are gone once billed');
    await s.advance(2 * H);
    mine = (await items()).filter((i) => i.instanceID === fixed.allocationId);
    assert.equal(mine[0]!.usage, '2.5', 'nothing after the release');
    assert.deepEqual((await items()).filter((i) => i.instanceID === metered.allocationId), [], 'PayByTraffic bills bytes, not hours');
    // The product filters, and the bill records.
    assert.equal((await items({ productCode: 'eip' })).length, 1);
    assert.ok((await items({ productCode: 'ecs' })).every((i) => i.productCode === 'ecs'));
    assert.equal((await items({ productCode: 'vpc' })).length, 0);
    const records = (await bss().queryBill(new $Bss.QueryBillRequest({ billingCycle: cycle(), productCode: 'eip' }))).body!.data!.items!.item!;
    assert.equal(records.length, 1);
    assert.equal(records[0]!.productCode, 'eip');
    assert.equal(records[0]!.pretaxAmount, money(2.5 * 5 * MBPS_HOUR));
    assert.equal(money(before - await balance()), money(2.5 * 5 * MBPS_HOUR), 'off the balance');
  });

  it('traffic is billed per GB at the hour from the driver\'s counters: the delta, resets, and no write without traffic', async () => {
    const eip = await allocate({ internetChargeType: 'PayByTraffic', bandwidth: '5' });
    const fixedEip = await allocate({ internetChargeType: 'PayByBandwidth', bandwidth: '1' });
    const vm = (await s.ecs.runInstances(runRequest(n, { internetChargeType: 'PayByTraffic', internetMaxBandwidthOut: 10 }))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.settle();
    const nat = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([vm]) })))
      .body!.instances!.instance![0]!.publicIpAddress!.ipAddress![0]!;
    const traffic = async (id: string) => (await items()).find((i) => i.instanceID === id && i.billingItem === 'Traffic');
    driver.counters = [
      { address: eip.eipAddress!, epoch: 'boot-1', bytes: 3e9 },
      { address: nat, epoch: 'boot-1', bytes: 0.5e9 },
      { address: fixedEip.eipAddress!, epoch: 'boot-1', bytes: 7e9 },
    ];
    await s.advance(10 * MIN);
    assert.equal(await traffic(eip.allocationId!), undefined, 'traffic is billed at the clock hour');
    await toNextHour();
    let t = await traffic(eip.allocationId!);
    assert.equal(t!.usage, '3');
    assert.equal(t!.usageUnit, 'GB');
    assert.equal(t!.productCode, 'eip');
    assert.equal(t!.pretaxAmount, money(3 * PER_GB));
    const vmTraffic = await traffic(vm);
    assert.equal(vmTraffic!.usage, '0.5');
    assert.equal(vmTraffic!.productCode, 'ecs');
    assert.equal(await traffic(fixedEip.allocationId!), undefined, 'a PayByBandwidth address\'s bytes are not billed');
    // No new bytes: the baselines stay as they are.
    const baselines = async () => (await s.app.services.db.selectFrom('traffic_baselines').selectAll().orderBy('address').execute())
      .map((r) => `${r.address}=${r.epoch}:${Number(r.bytes)}`);
    const seen = await baselines();
    assert.equal(seen.length, 3);
    await s.advance(H);
    assert.deepEqual(await baselines(), seen);
    assert.equal((await traffic(eip.allocationId!))!.usage, '3');
    // Two more GB: the delta.
    driver.counters[0]!.bytes = 5e9;
    await s.advance(H);
    assert.equal((await traffic(eip.allocationId!))!.usage, '5');
    // The counter rebuilt below its baseline: what it holds is new.
    driver.counters[0]!.bytes = 1e9;
    await s.advance(H);
    assert.equal((await traffic(eip.allocationId!))!.usage, '6');
    // A restart: another epoch counts from zero, even past the old baseline.
    driver.counters[0] = { address: eip.eipAddress!, epoch: 'boot-2', bytes: 4e9 };
    await s.advance(H);
    t = await traffic(eip.allocationId!);
    assert.equal(t!.usage, '10');
    assert.equal(t!.pretaxAmount, money(10 * PER_GB));
  });
});
