/**
 * The subscription lifecycle on the test clock, through the official V3 client: expiry, the 15
 * days running, the stop with the `financial` lock, renewal, the release 15 days after the stop,
 * auto-renewal, DeleteInstance TerminateSubscription, ModifyPrepayInstanceSpec, ModifyDiskChargeType
 * and ReActivateInstances. The test server's clock starts at 2026-11-23T06:00:00Z.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

const R = 'cn-hangzhou';
const DAY = 86_400_000;

async function refused(fn: () => Promise<unknown>, code: string, status: number, why = '') {
  let e: any;
  try { await fn(); } catch (err) { e = err; }
  if (!e) assert.fail(`expected ${code}, but the call succeeded (${why})`);
  assert.deepEqual([e.code, e.statusCode ?? e.data?.statusCode], [code, status], `${why} ${e.message}`);
}

describe('subscription lifecycle', () => {
  let s: TestServer;
  let n: Network;
  before(async () => { s = await startTestServer(); n = await createNetwork(s, R); });
  after(async () => { await s.close(); });

  const run = async (extra: Record<string, unknown> = {}) => (await s.ecs.runInstances(runRequest(n, { instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month', ...extra }))).body!.instanceIdSets!.instanceIdSet![0]!;
  const get = async (id: string) => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0];
  const locks = async (id: string) => (await get(id))!.operationLocks!.lockReason!.map((l) => l.lockReason);
  const disksOf = async (id: string) => (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id }))).body!.disks!.disk!;
  const disk = async (diskId: string) => (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, diskIds: JSON.stringify([diskId]) }))).body!.disks!.disk![0];
  const renew = (id: string, period: number, periodUnit = 'Month') => s.ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: id, period, periodUnit, clientToken: `renew-${id}-${s.clock.now()}` }));
  /** Moves the clock to `at` (ISO), letting the engine act at each day on the way, as a running server would. */
  const advanceTo = async (at: string) => {
    const target = Date.parse(at);
    while (s.clock.now() < target) await s.advance(Math.min(DAY, target - s.clock.now()));
    // And a few seconds for the guest to finish what the engine began (a stop, a start).
    await s.advance(3000);
  };

  it('a monthly subscription expires, runs 15 days, stops with the financial lock, is renewed and runs again', async () => {
    // Each test starts from the clock where the previous left it: this one is first.
    const id = await run();
    await s.advance(3000);
    let d = (await get(id))!;
    assert.deepEqual([d.status, d.expiredTime, d.instanceChargeType], ['Running', '2026-12-23T06:00Z', 'PrePaid']);
    await advanceTo('2027-01-07T05:59:00Z');
    d = (await get(id))!;
    assert.deepEqual([d.status, await locks(id)], ['Running', []], 'runs for 15 days after expiry');
    await advanceTo('2027-01-07T06:01:00Z');
    d = (await get(id))!;
    assert.deepEqual([d.status, await locks(id)], ['Stopped', ['financial']], 'stopped 15 days after expiry, with the lock');
    const listed = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, lockReason: 'financial' }));
    assert.deepEqual(listed.body!.instances!.instance!.map((x) => x.instanceId), [id]);
    await refused(() => s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, lockReason: 'overdue' })), 'InvalidLockReason.NotFound', 404);
    // Locked: the power actions refuse it with the metadata's codes.
    await refused(() => s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id })), 'InstanceExpired', 403);
    await refused(() => s.ecs.startInstances(new $Ecs.StartInstancesRequest({ regionId: R, instanceId: [id] })), 'InstanceExpiredOrInArrears', 403);
    await refused(() => s.ecs.rebootInstance(new $Ecs.RebootInstanceRequest({ instanceId: id })), 'InstanceExpiredOrInArrears', 403);
    await refused(() => s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([id]), instanceChargeType: 'PostPaid' })), 'ExpiredInstance', 400);
    await refused(() => s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id })), 'ChargeTypeViolation', 403, 'expired, without TerminateSubscription');
    // And the disk and network actions whose metadata lists InstanceExpiredOrInArrears.
    const systemDisk = (await disksOf(id))[0]!.diskId!;
    await refused(() => s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: systemDisk, newSize: 60 })), 'InstanceExpiredOrInArrears', 403);
    await refused(() => s.ecs.reInitDisk(new $Ecs.ReInitDiskRequest({ diskId: systemDisk })), 'InstanceExpiredOrInArrears', 403);
    await refused(() => s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: id, imageId: n.imageId })), 'InstanceExpiredOrInArrears', 403);
    await refused(() => s.ecs.modifyInstanceNetworkSpec(new $Ecs.ModifyInstanceNetworkSpecRequest({ instanceId: id, internetMaxBandwidthOut: 5 })), 'InstanceExpiredOrInArrears', 403);
    await refused(() => s.ecs.modifyDiskChargeType(new $Ecs.ModifyDiskChargeTypeRequest({ regionId: R, instanceId: id, diskIds: JSON.stringify([systemDisk]) })), 'InvalidInstanceStatus.NotSupported', 404);
    // After the stop the new period starts at the renewal, to the next whole day: 2027-01-07T06:01 + 1 month → 2027-02-08T00:00.
    const order = await renew(id, 1);
    assert.match(order.body!.orderId!, /^\d+$/);
    d = (await get(id))!;
    assert.deepEqual([d.expiredTime, await locks(id), d.status], ['2027-02-08T00:00Z', [], 'Starting'], 'renewed, the lock lifted, started again');
    await s.advance(3000);
    assert.equal((await get(id))!.status, 'Running');
    // It runs to its new expiry; a user's stop and start work again.
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    assert.equal((await get(id))!.status, 'Running');
    await s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([id]), instanceChargeType: 'PostPaid' }));
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
  });

  it('without renewal it is released 15 days after the stop, its disks following DeleteWithInstance', async () => {
    const start = s.clock.now();
    const id = await run({ periodUnit: 'Week', period: 1, dataDisk: [
      new $Ecs.RunInstancesRequestDataDisk({ size: 20, category: 'cloud_essd', deleteWithInstance: false }),
      new $Ecs.RunInstancesRequestDataDisk({ size: 30, category: 'cloud_essd', deleteWithInstance: true }),
    ] });
    await s.advance(3000);
    const disks = await disksOf(id);
    assert.deepEqual(disks.map((x) => [x.type, x.diskChargeType]).sort(), [['data', 'PrePaid'], ['data', 'PrePaid'], ['system', 'PrePaid']], 'a subscription\'s disks are bought with it');
    const kept = disks.find((x) => x.size === 20)!.diskId!;
    const expiry = start + 7 * DAY;
    // A user-stopped instance is locked too, and stays stopped when renewed later.
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    await advanceTo(new Date(expiry + 15 * DAY + 60_000).toISOString());
    assert.deepEqual([(await get(id))!.status, await locks(id)], ['Stopped', ['financial']]);
    await advanceTo(new Date(expiry + 29 * DAY).toISOString());
    assert.equal((await get(id))!.status, 'Stopped', 'kept 14 days after the stop');
    await advanceTo(new Date(expiry + 30 * DAY + 120_000).toISOString());
    assert.equal(await get(id), undefined, 'released 15 days after the stop');
    const events = await s.ecs.describeInstanceHistoryEvents(new $Ecs.DescribeInstanceHistoryEventsRequest({ regionId: R, instanceId: id }));
    assert.deepEqual(events.body!.instanceSystemEventSet!.instanceSystemEventType!.map((e) => [e.eventType!.name, e.eventCycleStatus!.name]).sort(),
      [['InstanceExpiration.Delete', 'Executed'], ['InstanceExpiration.Stop', 'Executed']], 'the stop and the release are system events');
    const left = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, diskIds: JSON.stringify(disks.map((x) => x.diskId)) }));
    assert.deepEqual(left.body!.disks!.disk!.map((x) => [x.diskId, x.status, x.diskChargeType]), [[kept, 'Available', 'PostPaid']], 'the DeleteWithInstance=false disk stays, pay-as-you-go');
  });

  it('a renewal after the stop leaves an instance its user had stopped stopped', async () => {
    const id = await run({ periodUnit: 'Week', period: 1 });
    await s.advance(3000);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    await s.advance(23 * DAY);
    assert.deepEqual([(await get(id))!.status, await locks(id)], ['Stopped', ['financial']]);
    await renew(id, 1);
    assert.deepEqual([(await get(id))!.status, await locks(id)], ['Stopped', []]);
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    assert.equal((await get(id))!.status, 'Running');
    await s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([id]), instanceChargeType: 'PostPaid' }));
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
  });

  it('auto-renew renews at expiry, period after period; a renewal in the 15 days extends from the old expiry', async () => {
    const start = s.clock.now();
    const auto = await run({ autoRenew: true, autoRenewPeriod: 1 });
    const manual = await run({ periodUnit: 'Week', period: 1 });
    await s.advance(3000);
    const autoExpiry = Date.parse((await get(auto))!.expiredTime!.replace('Z', ':00Z'));
    const manualExpiry = Date.parse((await get(manual))!.expiredTime!.replace('Z', ':00Z'));
    assert.ok(Math.abs(manualExpiry - (start + 7 * DAY)) < 60_000);
    await advanceTo(new Date(manualExpiry + 3 * DAY).toISOString());
    assert.deepEqual([(await get(manual))!.status, await locks(manual)], ['Running', []], 'expired, still running');
    await renew(manual, 1, 'Week');
    assert.equal(Date.parse((await get(manual))!.expiredTime!.replace('Z', ':00Z')), manualExpiry + 7 * DAY, 'from the old expiry');
    await advanceTo(new Date(autoExpiry + 62 * DAY).toISOString());
    const a = (await get(auto))!;
    assert.deepEqual([a.status, a.operationLocks!.lockReason!.length], ['Running', 0]);
    const renewed = Date.parse(a.expiredTime!.replace('Z', ':00Z'));
    assert.ok(renewed > s.clock.now() && renewed <= s.clock.now() + 32 * DAY, `auto-renewed month by month to ${a.expiredTime}`);
    const attr = await s.ecs.describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId: R, instanceId: auto }));
    assert.equal(attr.body!.instanceRenewAttributes!.instanceRenewAttribute![0]!.renewalStatus, 'AutoRenewal');
    // Auto-renew by years (ModifyInstanceAutoRenewAttribute's PeriodUnit Year).
    await s.ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: R, instanceId: auto, autoRenew: true, duration: 1, periodUnit: 'Year' }));
    await advanceTo(new Date(renewed + DAY).toISOString());
    assert.equal(Date.parse((await get(auto))!.expiredTime!.replace('Z', ':00Z')), Date.UTC(new Date(renewed).getUTCFullYear() + 1, new Date(renewed).getUTCMonth(), new Date(renewed).getUTCDate(), new Date(renewed).getUTCHours(), new Date(renewed).getUTCMinutes()));
    assert.equal(await get(manual), undefined, 'the week bought in its 15 days ran out: stopped, then released');
    await s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([auto]), instanceChargeType: 'PostPaid' }));
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: auto, force: true }));
  });

  it('RenewInstance and ReActivateInstances refuse what their metadata refuses', async () => {
    const sub = await run();
    const payg = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(3000);
    await refused(() => renew(payg, 1), 'ChargeTypeViolation', 403);
    await refused(() => s.ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: sub })), 'InvalidPeriod.NotFound', 400);
    await refused(() => renew(sub, 10), 'InvalidPeriod', 400);
    await refused(() => renew(sub, 1, 'Day'), 'InvalidPeriodUnit.ValueNotSupported', 400);
    await refused(() => renew(sub, 60), 'InvalidPeriod.ExceededMaximumExpirationDate', 400);
    await refused(() => s.ecs.renewInstance(new $Ecs.RenewInstanceRequest({ instanceId: sub, expectedRenewDay: 5 })), 'UnsupportedParameter', 400);
    await refused(() => renew('i-doesnotexist0000000', 1), 'InvalidInstanceId.NotFound', 404);
    const before = (await get(sub))!.expiredTime;
    await renew(sub, 2);
    const twice = Date.parse((await get(sub))!.expiredTime!.replace('Z', ':00Z'));
    assert.equal(twice > Date.parse(before!.replace('Z', ':00Z')), true);
    // ClientToken: the same request again answers the same order and renews once.
    const again = new $Ecs.RenewInstanceRequest({ instanceId: sub, period: 1, clientToken: 'renew-once-1' });
    const o1 = await s.ecs.renewInstance(again);
    const o2 = await s.ecs.renewInstance(again);
    assert.equal(o1.body!.orderId, o2.body!.orderId);
    const once = Date.parse((await get(sub))!.expiredTime!.replace('Z', ':00Z'));
    assert.ok(once > twice && once - twice <= 31 * DAY, 'one month more, not two');
    await refused(() => s.ecs.reActivateInstances(new $Ecs.ReActivateInstancesRequest({ regionId: R, instanceId: sub })), 'InvalidPayType.NotSupport', 404);
    await refused(() => s.ecs.reActivateInstances(new $Ecs.ReActivateInstancesRequest({ regionId: R, instanceId: payg })), 'ReopenInstance.InstanceStatusNotValid', 400);
    await s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([sub]), instanceChargeType: 'PostPaid' }));
    for (const id of [sub, payg]) await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
  });

  it('DeleteInstance TerminateSubscription releases an expired subscription only', async () => {
    const id = await run({ periodUnit: 'Week', period: 1 });
    await s.advance(3000);
    const del = (extra: Record<string, unknown> = {}) => s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true, ...extra }));
    await refused(() => del({ terminateSubscription: true }), 'ChargeTypeViolation', 403, 'unexpired, even with TerminateSubscription');
    await s.advance(8 * DAY);
    assert.equal((await get(id))!.status, 'Running', 'expired, in its 15 days');
    await refused(() => del(), 'ChargeTypeViolation', 403, 'expired, without TerminateSubscription');
    await refused(() => s.ecs.deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: R, instanceId: [id], force: true })), 'ChargeTypeViolation', 403);
    await del({ terminateSubscription: true });
    await s.advance(3000);
    assert.equal(await get(id), undefined);
  });

  it('ModifyPrepayInstanceSpec: upgrade at once, downgrade of a Stopped instance', async () => {
    const id = await run();
    const payg = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(3000);
    const spec = (instanceType: string, extra: Record<string, unknown> = {}) => s.ecs.modifyPrepayInstanceSpec(new $Ecs.ModifyPrepayInstanceSpecRequest({ regionId: R, instanceId: id, instanceType, ...extra }));
    const upgraded = await spec('ecs.g7.xlarge', { rebootWhenFinished: true, clientToken: 'spec-up-1' });
    assert.match(upgraded.body!.orderId!, /^\d+$/);
    let d = (await get(id))!;
    assert.deepEqual([d.instanceType, d.cpu, d.memory, d.status], ['ecs.g7.xlarge', 4, 16384, 'Stopping'], 'RebootWhenFinished restarts it');
    await s.advance(3000);
    assert.equal((await get(id))!.status, 'Running');
    await refused(() => spec('ecs.g7.large'), 'InvalidStatus.NotStopped', 400, 'a downgrade needs it Stopped');
    await refused(() => spec('ecs.g7.2xlarge', { operatorType: 'downgrade' }), 'InvalidParameter', 400, 'OperatorType disagrees');
    await refused(() => spec('ecs.g7.xlarge'), 'InvalidInstanceType.ValueNotSupported', 400, 'the same type');
    await refused(() => spec('ecs.nosuch.large'), 'InvalidInstanceType.ValueNotSupported', 400);
    await refused(() => s.ecs.modifyPrepayInstanceSpec(new $Ecs.ModifyPrepayInstanceSpecRequest({ regionId: R, instanceId: payg, instanceType: 'ecs.g7.xlarge' })), 'InvalidInstanceChargeType.ValueNotSupported', 400);
    await refused(() => s.ecs.modifyInstanceSpec(new $Ecs.ModifyInstanceSpecRequest({ instanceId: id, instanceType: 'ecs.g7.2xlarge' })), 'ChargeTypeViolation', 403, 'a subscription changes type with ModifyPrepayInstanceSpec');
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    await spec('ecs.g7.large', { operatorType: 'downgrade' });
    d = (await get(id))!;
    assert.deepEqual([d.instanceType, d.cpu, d.status], ['ecs.g7.large', 2, 'Stopped']);
    // Expired: renew first.
    await s.advance(31 * DAY);
    await refused(() => spec('ecs.g7.xlarge'), 'InvalidInstanceStatus', 400, 'expired');
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true, terminateSubscription: true }));
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: payg, force: true }));
  });

  it('ModifyDiskChargeType: data disks of a subscription, once per 5 minutes; the instance\'s charge type carries its disks', async () => {
    const id = await run({ dataDisk: [new $Ecs.RunInstancesRequestDataDisk({ size: 20, category: 'cloud_essd' })] });
    const payg = (await s.ecs.runInstances(runRequest(n, { dataDisk: [new $Ecs.RunInstancesRequestDataDisk({ size: 20, category: 'cloud_essd' })] }))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(3000);
    const disks = await disksOf(id);
    const data = disks.find((x) => x.type === 'data')!.diskId!;
    const system = disks.find((x) => x.type === 'system')!.diskId!;
    const change = (diskIds: string[], diskChargeType?: string, instanceId = id) => s.ecs.modifyDiskChargeType(new $Ecs.ModifyDiskChargeTypeRequest({ regionId: R, instanceId, diskIds: JSON.stringify(diskIds), diskChargeType }));
    const r = await change([data], 'PostPaid');
    assert.match(r.body!.orderId!, /^\d+$/);
    assert.deepEqual([(await disk(data))!.diskChargeType, (await disk(system))!.diskChargeType], ['PostPaid', 'PrePaid']);
    const byCharge = async (diskChargeType: string) => (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id, diskChargeType }))).body!.disks!.disk!.map((x) => x.diskId);
    assert.deepEqual([await byCharge('PrePaid'), await byCharge('PostPaid')], [[system], [data]], 'DescribeDisks DiskChargeType filters');
    await refused(() => change([data]), 'Throttling', 400, 'within 5 minutes');
    await s.advance(5 * 60_000);
    await change([data]);
    assert.equal((await disk(data))!.diskChargeType, 'PrePaid', 'PrePaid by default');
    await refused(() => change([system], 'PostPaid'), 'InvalidDiskIds.NotPortable', 404);
    const otherData = (await disksOf(payg)).find((x) => x.type === 'data')!.diskId!;
    await refused(() => change([otherData], 'PostPaid'), 'InvalidDiskIds.NotFound', 404, 'not on this instance');
    await refused(() => change([otherData], 'PrePaid', payg), 'ChargeTypeViolation', 400, 'a pay-as-you-go instance');
    await refused(() => change(Array.from({ length: 17 }, (_, i) => `d-${i}`)), 'InvalidParameter', 400);
    // To pay-as-you-go: every disk follows. Back to a subscription: the system disk, the data disks with IncludeDataDisks.
    const chargeType = (instanceChargeType: string, extra: Record<string, unknown> = {}) => s.ecs.modifyInstanceChargeType(new $Ecs.ModifyInstanceChargeTypeRequest({ regionId: R, instanceIds: JSON.stringify([id]), instanceChargeType, ...extra }));
    await chargeType('PostPaid');
    assert.deepEqual((await disksOf(id)).map((x) => x.diskChargeType), ['PostPaid', 'PostPaid']);
    await chargeType('PrePaid', { period: 1 });
    assert.deepEqual(Object.fromEntries((await disksOf(id)).map((x) => [x.type, x.diskChargeType])), { system: 'PrePaid', data: 'PostPaid' });
    await chargeType('PostPaid');
    await chargeType('PrePaid', { period: 1, includeDataDisks: true });
    assert.deepEqual((await disksOf(id)).map((x) => x.diskChargeType), ['PrePaid', 'PrePaid']);
    await chargeType('PostPaid');
    for (const x of [id, payg]) await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: x, force: true }));
  });
});
