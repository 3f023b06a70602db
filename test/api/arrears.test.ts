/**
 * Arrears of a pay-as-you-go account on the test clock (src/engine/arrears.ts), through the
 * official clients: the operator's SetAccountBalance (pop-core, OpenECS 2026-11-01) as
 * QueryAccountBalance (BssOpenApi) answers it; the meter finding the balance below zero; the
 * account's pay-as-you-go instances stopped with the `financial` lock (subscriptions untouched);
 * pay-as-you-go purchases refused with `Account.Arrearage`; ReActivateInstances after a top-up;
 * the release 15 days after the stop. The test server's clock starts at 2026-11-23T06:00:00Z.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Bss from '@alicloud/bssopenapi20171214';
import * as $OpenApi from '@alicloud/openapi-core';
import Pop from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, startTestServer, type TestServer, expectRefused } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { otherAccount } from './storage-fixtures.js';

const R = 'cn-hangzhou';
const H = 3_600_000;
const DAY = 24 * H;
const BssClient: typeof Bss.default = (Bss as any).default ?? Bss;

describe('arrears of a pay-as-you-go account', () => {
  let s: TestServer;
  let n: Network;
  let bss: InstanceType<typeof BssClient>;
  let ext: InstanceType<typeof Pop>;
  let accountId: string;
  before(async () => {
    // No boot delay: instances run from the moment they are created.
    s = await startTestServer({ simDelayMs: 0 });
    n = await createNetwork(s, R);
    bss = new BssClient(new $OpenApi.$OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: new URL(s.url).host, protocol: 'http', regionId: R }));
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    const accounts: any = await ext.request('DescribeAccounts', {});
    accountId = accounts.Accounts.Account.find((a: any) => a.IsAdmin).AccountId;
  });
  after(async () => { await s.close(); });

  const balance = async () => (await bss.queryAccountBalance()).body!.data!.availableAmount;
  const setBalance = (amount: number): Promise<any> => ext.request('SetAccountBalance', { AccountId: accountId, AvailableAmount: amount }, { method: 'POST' });
  const run = async (extra: Record<string, unknown> = {}) => (await s.ecs.runInstances(runRequest(n, extra))).body!.instanceIdSets!.instanceIdSet![0]!;
  const get = async (id: string) => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0];
  const state = async (id: string) => {
    const d = await get(id);
    return d ? [d.status, d.operationLocks!.lockReason!.map((l) => l.lockReason)] : undefined;
  };
  const events = async (id: string) => (await s.ecs.describeInstanceHistoryEvents(new $Ecs.DescribeInstanceHistoryEventsRequest({ regionId: R, instanceId: id })))
    .body!.instanceSystemEventSet!.instanceSystemEventType!.map((e) => [e.eventType!.name, e.eventCycleStatus!.name]).sort();
  /** Past the next clock hour (the meter settles everything then), and a few seconds for the engine and the guest. */
  const nextHour = async () => {
    await s.advance(H - (s.clock.now() % H) + 1000);
    for (let i = 0; i < 3; i++) await s.advance(2000);
  };

  it('SetAccountBalance is the operator\'s, and QueryAccountBalance answers what it set', async () => {
    const other = await otherAccount(s, 'notadmin');
    const theirs = new Pop({ ...other.creds, endpoint: s.url, apiVersion: '2026-11-01' });
    await expectRefused(() => theirs.request('SetAccountBalance', { AccountId: other.id, AvailableAmount: 1e6 }, { method: 'POST' }), 'Forbidden.NotAdmin', 403);
    await expectRefused(() => ext.request('SetAccountBalance', { AccountId: '999999', AvailableAmount: 1 }, { method: 'POST' }), 'InvalidAccountId.NotFound', 404);
    await expectRefused(() => ext.request('SetAccountBalance', { AccountId: accountId }, { method: 'POST' }), 'MissingParameter', 400, 'AvailableAmount is required');

    const set = await setBalance(123.456);
    assert.deepEqual([set.AccountId, set.AvailableAmount, set.Currency, set.InArrears], [accountId, '123.46', 'CNY', false]);
    assert.equal(await balance(), '123.46');
  });

  let payg: string;
  let sub: string;
  it('below zero with pay-as-you-go usage: the account is overdue, its pay-as-you-go instances stop with the financial lock', async () => {
    await setBalance(0.5);
    payg = await run();
    sub = await run({ instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' });
    await s.settle();
    assert.deepEqual(await state(payg), ['Running', []]);
    // A g7.large hour costs more than 0.50: the meter's settlement at the next hour puts the balance below zero.
    await nextHour();
    assert.ok(Number(await balance()) < 0, `balance ${await balance()}`);
    assert.deepEqual(await state(payg), ['Stopped', ['financial']], 'stopped for the overdue payment');
    assert.deepEqual(await state(sub), ['Running', []], 'a subscription is paid for: it runs on');
    assert.equal((await get(payg))!.stoppedMode, 'StopCharging');
    assert.deepEqual(await events(payg), [['AccountUnbalanced.Stop', 'Executed']]);
    const listed = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, lockReason: 'financial' }));
    assert.deepEqual(listed.body!.instances!.instance!.map((x) => x.instanceId), [payg]);
  });

  it('while overdue: pay-as-you-go purchases are refused, the locked instance cannot start, ReActivateInstances wants the bill settled', async () => {
    await expectRefused(() => run(), 'Account.Arrearage', 400, 'RunInstances pay-as-you-go');
    await expectRefused(() => s.ecs.createInstance(new $Ecs.CreateInstanceRequest({
      regionId: R, imageId: n.imageId, instanceType: 'ecs.g7.large', vSwitchId: n.vswitchId, securityGroupId: n.securityGroupId,
    })), 'Account.Arrearage', 400, 'CreateInstance pay-as-you-go');
    const zoneId = (await get(sub))!.zoneId!;
    await expectRefused(() => s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId, diskCategory: 'cloud_essd', size: 20 })), 'Account.Arrearage', 400, 'CreateDisk');
    await expectRefused(() => s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: payg })), 'InstanceExpired', 403);
    await expectRefused(() => s.ecs.startInstances(new $Ecs.StartInstancesRequest({ regionId: R, instanceId: [payg] })), 'InstanceExpiredOrInArrears', 403);
    await expectRefused(() => s.ecs.reActivateInstances(new $Ecs.ReActivateInstancesRequest({ regionId: R, instanceId: payg })), 'ReopenInstance.InstanceNotEnoughBalance', 400);
    await expectRefused(() => s.ecs.reActivateInstances(new $Ecs.ReActivateInstancesRequest({ regionId: R, instanceId: sub })), 'InvalidPayType.NotSupport', 404);
    // A subscription is still for sale (paid when bought).
    assert.match(await run({ instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month' }), /^i-/);
  });

  it('a top-up ends the arrears; ReActivateInstances starts the instance and lifts the lock', async () => {
    const set = await setBalance(500);
    assert.deepEqual([set.AvailableAmount, set.InArrears], ['500.00', false]);
    assert.equal(await balance(), '500.00');
    assert.deepEqual(await state(payg), ['Stopped', ['financial']], 'the lock stays until the instance is reactivated');
    await s.ecs.reActivateInstances(new $Ecs.ReActivateInstancesRequest({ regionId: R, instanceId: payg }));
    assert.deepEqual(await state(payg), ['Starting', []]);
    await s.settle();
    assert.deepEqual(await state(payg), ['Running', []]);
    await expectRefused(() => s.ecs.reActivateInstances(new $Ecs.ReActivateInstancesRequest({ regionId: R, instanceId: payg })), 'ReopenInstance.InstanceStatusNotValid', 400, 'not in arrears');
    // Buying pay-as-you-go works again.
    const more = await run();
    await s.settle();
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: more, force: true }));
    await s.settle();
  });

  it('not reactivated: released 15 days after the overdue stop, with its system event', async () => {
    await setBalance(-1);
    await nextHour();
    assert.deepEqual(await state(payg), ['Stopped', ['financial']]);
    const stoppedAt = s.clock.now();
    while (s.clock.now() < stoppedAt + 14 * DAY) await s.advance(DAY);
    assert.deepEqual(await state(payg), ['Stopped', ['financial']], 'kept 14 days after the stop');
    // Even with the bill settled, an instance not reactivated goes at the 15th day (ReActivateInstances' metadata).
    await setBalance(100);
    while (s.clock.now() < stoppedAt + 15 * DAY + 60_000) await s.advance(Math.min(DAY, stoppedAt + 15 * DAY + 60_000 - s.clock.now()));
    await s.advance(3000);
    await s.settle();
    assert.equal(await get(payg), undefined, 'released');
    assert.deepEqual((await events(payg)).filter(([t]) => t === 'AccountUnbalanced.Delete'), [['AccountUnbalanced.Delete', 'Executed']]);
    assert.deepEqual(await state(sub), ['Running', []], 'the subscription is not the arrears\' business');
  });
});
