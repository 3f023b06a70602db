/**
 * The meter bills by the hour (src/engine/metering.ts): between clock hours a pass settles only
 * what changed, so an idle fleet writes nothing (the store version, and with it the read cache,
 * stays as it was); at the hour every resource is settled in a few batched statements; and the
 * bills are what minute-by-minute settling gave: status changes of either stop mode inside one
 * hour, and a disk deleted between two hours, are billed to the minute.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import Bss, * as $Bss from '@alicloud/bssopenapi20171214';
import * as $OpenApi from '@alicloud/openapi-core';
import { $Ecs, AK, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { TABLE, G7_LARGE_HOUR } from '../helpers/shipped-prices.js';
import { settleUsage } from '../../src/engine/metering.js';
import { storeVersion } from '../../src/store/db.js';

const BssClient: typeof Bss.default = (Bss as any).default ?? Bss;
const R = 'cn-hangzhou';
const H = 3_600_000;
const MIN = 60_000;
const diskHour = (category: string, gib: number) => gib * TABLE.diskCategories[category].gibMonth / TABLE.hoursPerUnit.Month;

/** Counts the INSERT, UPDATE and DELETE statements run through the Kysely it is plugged into. */
class WriteCounter implements KyselyPlugin {
  writes = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (['InsertQueryNode', 'UpdateQueryNode', 'DeleteQueryNode'].includes(args.node.kind)) this.writes++;
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> { return args.result; }
}

describe('the hourly meter', () => {
  let s: TestServer;
  let n: Network;
  // No boot delay: an instance runs from the moment it is created.
  before(async () => { s = await startTestServer({ simDelayMs: 0 }); n = await createNetwork(s, R); });
  after(async () => { await s.close(); });

  const bss = () => new BssClient(new $OpenApi.$OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: new URL(s.url).host, protocol: 'http', regionId: R }));
  const billed = async (id: string) => ((await bss().queryInstanceBill(new $Bss.QueryInstanceBillRequest({ billingCycle: '2026-11', isBillingItem: true, pageSize: 300 })))
    .body!.data!.items!.item ?? []).filter((i) => i.instanceID === id);

  it('an idle fleet writes nothing between hours; at the hour 40 resources are settled in a few statements', async () => {
    await s.ecs.runInstances(runRequest(n, { amount: 20 }));
    await s.settle();
    await s.advance(MIN); // the first pass after the launch settles the new instances (their transitions)
    const { db, config } = s.app.services;
    const counter = new WriteCounter();
    const counted = db.withPlugin(counter);
    const log = () => undefined;
    // A meter's first pass looks at everything (here it finds the new system disks, otherwise settled at the hour);
    // the next ones (`memory`) read only what changed.
    const memory = {};
    await settleUsage(db, config.prices, s.clock.now() + MIN, log, memory);
    const version = storeVersion(db);
    for (const later of [2 * MIN, 5 * MIN, 30 * MIN]) await settleUsage(counted, config.prices, s.clock.now() + later, log, memory);
    assert.equal(counter.writes, 0, 'no statement written for a fleet with no change inside the hour');
    assert.equal(storeVersion(db), version, 'the store version (the read cache\'s key) did not move');
    // The clock hour passes: the 20 instances and their 20 system disks, one batched pass.
    await settleUsage(counted, config.prices, Date.parse('2026-11-23T07:00:00Z'), log, memory);
    assert.ok(counter.writes > 0 && counter.writes <= 6, `a few statements for 40 resources, not one transaction each (${counter.writes})`);
    const idle = counter.writes;
    await settleUsage(counted, config.prices, Date.parse('2026-11-23T07:05:00Z'), log, memory);
    assert.equal(counter.writes, idle, 'and nothing again until the next change or hour');
    const marks = await db.selectFrom('billing_marks').select('metered_until').execute();
    assert.ok(marks.length >= 40 && marks.every((m) => Number(m.metered_until) === Date.parse('2026-11-23T07:00:00Z')));
  });

  it('changes inside an hour are billed to the minute: stop modes, a start, a disk deleted between hours', async () => {
    await s.advance(Date.parse('2026-11-23T08:00:00Z') - s.clock.now());
    const start = s.clock.now();
    const id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    const disk = (await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: n.zoneId, diskCategory: 'cloud_essd', size: 100 }))).body!.diskId!;
    await s.settle();
    await s.advance(20 * MIN);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id })); // KeepCharging: still billed
    await s.settle();
    await s.advance(10 * MIN);
    await s.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: disk })); // 30 minutes of disk
    await s.advance(10 * MIN);
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    await s.settle();
    await s.advance(30 * MIN);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id, stoppedMode: 'StopCharging' })); // 70 minutes billed up to here
    await s.settle();
    // Between hours only the changes were settled: 09:10 has nothing of the stop since 09:10 yet.
    await s.advance(50 * MIN);
    assert.equal(s.clock.now() - start, 2 * H);
    const items = await billed(id);
    const compute = items.find((i) => i.billingItem === 'InstanceType')!;
    assert.equal(compute.usage, String(Math.round(70 / 60 * 10_000) / 10_000));
    assert.equal(compute.pretaxAmount, Math.round(70 / 60 * G7_LARGE_HOUR * 100) / 100);
    const sys = items.length; // the instance's own rows; its system disk bills under its disk id
    assert.ok(sys >= 1);
    const diskItem = (await bss().queryInstanceBill(new $Bss.QueryInstanceBillRequest({ billingCycle: '2026-11', isBillingItem: true, pageSize: 300 })))
      .body!.data!.items!.item!.find((i) => i.instanceID === disk)!;
    assert.equal(diskItem.usage, '0.5', 'the deleted disk\'s last half hour');
    assert.equal(diskItem.pretaxAmount, Math.round(0.5 * diskHour('cloud_essd', 100) * 100) / 100);
    const left = await s.app.services.db.selectFrom('released_disks').selectAll().execute();
    assert.deepEqual(left, [], 'the deleted disk\'s facts are gone once billed');
  });
});
