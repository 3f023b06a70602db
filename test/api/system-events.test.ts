/**
 * Instance system events through the official V3 client, driven by the test clock: a simulated
 * maintenance reboot moves Scheduled → Executing → Executed at its times, is listed by
 * DescribeInstancesFullStatus and DescribeInstanceHistoryEvents and in the guest's metadata, and
 * leaves the instance as it was; cancel, avoid by rebooting, failure events, consent
 * (AcceptInquiredSystemEvent), the documented refusals, and the event the engine raises when it
 * gives up on an instance that will not start.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Pop from '@alicloud/pop-core';
import { $Ecs, AK, expectEcsError, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, quickGiveUp, runRequest, type Network } from '../helpers/fixtures.js';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGuestGateway, type GuestGateway } from '../../src/api/guest-gateway.js';
import { createMetadataServer } from '../../src/network/metadata-server.js';
import { raiseSystemEvent } from '../../src/store/system-events.js';

const R = 'cn-hangzhou';
const HOUR = 3_600_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

describe('system events', () => {
  let s: TestServer;
  let n: Network;
  // The metadata service as the qemu driver runs it, reached over HTTP, asking the host's gateway.
  let dir: string;
  let gateway: GuestGateway;
  let metadata: Server;
  let base: string;
  let restoreEnv = () => {};
  before(async () => {
    restoreEnv = quickGiveUp();
    s = await startTestServer();
    n = await createNetwork(s, R);
    dir = await mkdtemp(join(tmpdir(), 'openecs-events-'));
    await mkdir(join(dir, 'meta'));
    gateway = await startGuestGateway(join(dir, 'gateway'), { db: s.app.services.db, sealer: s.app.services.sealer, clock: s.clock, http: s.app.http });
    metadata = createMetadataServer({ docsDir: join(dir, 'meta'), gatewayDir: gateway.dir });
    await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
  });
  after(async () => {
    if (metadata) await new Promise<void>((r) => { metadata.close(() => r()); metadata.closeAllConnections(); });
    await gateway?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await s?.close();
    restoreEnv();
  });
  /** What the guest reads at maintenance/active-system-events (its document says it is `instanceId`). */
  const guestEvents = async (instanceId: string) => {
    await writeFile(join(dir, 'meta', '127.0.0.1.json'), JSON.stringify({ instanceId, privateIp: '127.0.0.1', publicKeys: [], userData: '' }));
    const r = await fetch(`${base}/latest/maintenance/active-system-events`);
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-type'), 'application/json');
    return await r.json() as Record<string, string>[];
  };

  const run = async () => {
    const [id] = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet!;
    await s.advance(3000);
    return id!;
  };
  const simulate = async (ids: string[], eventType: string, notBefore: number) =>
    (await s.ecs.createSimulatedSystemEvents(new $Ecs.CreateSimulatedSystemEventsRequest({ regionId: R, instanceId: ids, eventType, notBefore: iso(notBefore) }))).body!.eventIdSet!.eventId!;
  const history = async (extra: Record<string, unknown> = {}) =>
    (await s.ecs.describeInstanceHistoryEvents(new $Ecs.DescribeInstanceHistoryEventsRequest({ regionId: R, ...extra }))).body!;
  const event = async (eventId: string) => {
    const all = await history({ eventId: [eventId], instanceEventCycleStatus: ['Scheduled', 'Executing', 'Executed', 'Avoided', 'Canceled', 'Failed', 'Inquiring'] });
    assert.equal(all.totalCount, 1);
    return all.instanceSystemEventSet!.instanceSystemEventType![0]!;
  };
  const fullStatus = async (id: string) =>
    (await s.ecs.describeInstancesFullStatus(new $Ecs.DescribeInstancesFullStatusRequest({ regionId: R, instanceId: [id] }))).body!.instanceFullStatusSet!.instanceFullStatusType![0]!;
  const attribute = async (id: string) => (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!;

  it('a simulated maintenance reboot: Scheduled, Executing at NotBefore, Executed 3 minutes later; listed, in the metadata, the instance untouched', async () => {
    const id = await run();
    const before = await attribute(id);
    const t0 = s.clock.now();
    const [eventId] = await simulate([id], 'SystemMaintenance.Reboot', t0 + HOUR);
    assert.match(eventId!, /^e-[a-z0-9]{20}$/);

    let full = await fullStatus(id);
    assert.deepEqual([full.status!.name, full.status!.code], ['Running', 1]);
    assert.deepEqual([full.healthStatus!.name, full.healthStatus!.code], ['Warning', 64]);
    const scheduled = full.scheduledSystemEventSet!.scheduledSystemEventType!;
    assert.equal(scheduled.length, 1);
    assert.deepEqual([scheduled[0]!.eventId, scheduled[0]!.eventType!.name, scheduled[0]!.eventType!.code], [eventId, 'SystemMaintenance.Reboot', 1]);
    assert.deepEqual([scheduled[0]!.eventCycleStatus!.name, scheduled[0]!.eventCycleStatus!.code], ['Scheduled', 24]);
    assert.equal(scheduled[0]!.notBefore, iso(t0 + HOUR));
    assert.equal(scheduled[0]!.eventPublishTime, iso(t0));

    // The history lists finished events unless asked for others.
    assert.equal((await history({ instanceId: id })).totalCount, 0);
    assert.equal((await history({ instanceId: id, instanceEventCycleStatus: ['Scheduled'] })).totalCount, 1);
    assert.equal((await history({ instanceId: id, eventCycleStatus: 'Scheduled', eventType: 'SystemFailure.Reboot' })).totalCount, 0);

    // The guest sees it at maintenance/active-system-events.
    const active = await guestEvents(id);
    assert.deepEqual(active.map((e) => [e.EventId, e.EventType, e.EventCycleStatus, e.NotBefore]), [[eventId, 'SystemMaintenance.Reboot', 'Scheduled', iso(t0 + HOUR)]]);

    await s.advance(HOUR);
    assert.equal((await event(eventId!)).eventCycleStatus!.name, 'Executing');
    full = await fullStatus(id);
    assert.equal(full.healthStatus!.name, 'Maintaining');
    assert.equal(full.scheduledSystemEventSet!.scheduledSystemEventType!.length, 0, 'only Scheduled and Inquiring events are listed there');
    assert.equal((await guestEvents(id))[0]!.EventCycleStatus, 'Executing');

    await s.advance(3 * 60_000);
    const done = await event(eventId!);
    assert.deepEqual([done.eventCycleStatus!.name, done.eventCycleStatus!.code], ['Executed', 0]);
    assert.equal(done.eventFinishTime, iso(t0 + HOUR + 3 * 60_000));
    assert.equal(done.instanceId, id);
    assert.equal(done.resourceType, 'instance');
    assert.equal(done.reason, 'A simulated event.');
    const listed = await history({ instanceId: id });
    assert.deepEqual(listed.instanceSystemEventSet!.instanceSystemEventType!.map((e) => e.eventId), [eventId]);
    assert.deepEqual(await guestEvents(id), []);
    assert.equal((await fullStatus(id)).healthStatus!.name, 'Ok');

    // A drill: the instance did not reboot.
    const now = await attribute(id);
    assert.equal(now.status, 'Running');
    assert.equal(now.startTime, before.startTime);
  });

  it('cancel, avoid by rebooting, failure events start Executing', async () => {
    const id = await run();
    const t0 = s.clock.now();
    const [a, b] = [...await simulate([id], 'SystemMaintenance.Stop', t0 + HOUR), ...await simulate([id], 'SystemMaintenance.Reboot', t0 + 2 * HOUR)];
    await s.ecs.cancelSimulatedSystemEvents(new $Ecs.CancelSimulatedSystemEventsRequest({ regionId: R, eventId: [a!] }));
    assert.equal((await event(a!)).eventCycleStatus!.name, 'Canceled');
    const again = await expectEcsError(() => s.ecs.cancelSimulatedSystemEvents(new $Ecs.CancelSimulatedSystemEventsRequest({ regionId: R, eventId: [a!] })));
    assert.deepEqual([again.code, again.statusCode], ['InvalidParameter', 403]);
    const unknown = await expectEcsError(() => s.ecs.cancelSimulatedSystemEvents(new $Ecs.CancelSimulatedSystemEventsRequest({ regionId: R, eventId: ['e-doesnotexist0000000'] })));
    assert.deepEqual([unknown.code, unknown.statusCode], ['InvalidEventId.NotFound', 403]);
    await s.advance(HOUR);
    assert.equal((await event(a!)).eventCycleStatus!.name, 'Canceled', 'a canceled event stays canceled');

    // Rebooting before NotBefore avoids a scheduled maintenance reboot.
    await s.ecs.rebootInstance(new $Ecs.RebootInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    const avoided = await event(b!);
    assert.deepEqual([avoided.eventCycleStatus!.name, avoided.eventCycleStatus!.code], ['Avoided', 8]);

    const t1 = s.clock.now();
    const [c] = await simulate([id], 'SystemFailure.Reboot', t1 + 10 * 60_000);
    const failing = await event(c!);
    assert.deepEqual([failing.eventCycleStatus!.name, failing.eventType!.code], ['Executing', 65]);
    await s.advance(10 * 60_000);
    assert.equal((await event(c!)).eventCycleStatus!.name, 'Executed');
  });

  it('refusals: a passed time, an unknown type or instance, too many drills, a range ending before it starts', async () => {
    const id = await run();
    const now = s.clock.now();
    const passed = await expectEcsError(() => simulate([id], 'SystemMaintenance.Reboot', now - 60_000));
    assert.deepEqual([passed.code, passed.statusCode], ['InvalidNotBefore.Passed', 403]);
    const badType = await expectEcsError(() => simulate([id], 'InstanceExpiration.Stop', now + HOUR));
    assert.deepEqual([badType.code, badType.statusCode], ['InvalidParameter', 403]);
    const missing = await expectEcsError(() => simulate(['i-doesnotexist0000000'], 'SystemMaintenance.Reboot', now + HOUR));
    assert.deepEqual([missing.code, missing.statusCode], ['InvalidInstanceId.NotFound', 404]);
    for (let i = 0; i < 10; i++) await simulate([id], 'SystemMaintenance.Reboot', now + HOUR + i * 1000);
    const full = await expectEcsError(() => simulate([id], 'SystemMaintenance.Reboot', now + 2 * HOUR));
    assert.deepEqual([full.code, full.statusCode], ['SimulatedEventLimitExceeded', 403]);
    const backwards = await expectEcsError(() => history({ notBefore: new $Ecs.DescribeInstanceHistoryEventsRequestNotBefore({ start: iso(now + HOUR), end: iso(now) }) }));
    assert.deepEqual([backwards.code, backwards.statusCode], ['InvalidParameter.TimeEndBeforeStart', 403]);
    const inRange = await history({ instanceId: id, instanceEventCycleStatus: ['Scheduled'], notBefore: new $Ecs.DescribeInstanceHistoryEventsRequestNotBefore({ start: iso(now + HOUR), end: iso(now + HOUR + 2000) }) });
    assert.equal(inRange.totalCount, 3);
    const badStatus = await expectEcsError(() => history({ eventCycleStatus: 'Sleeping' }));
    assert.deepEqual([badStatus.code, badStatus.statusCode], ['InvalidParameter', 403]);
    const tagged = await expectEcsError(() => history({ resourceGroupId: 'rg-1' }));
    assert.deepEqual([tagged.code, tagged.statusCode], ['UnsupportedParameter', 400]);
  });

  it('AcceptInquiredSystemEvent: only an event awaiting consent; consent schedules it', async () => {
    const id = await run();
    const none = await expectEcsError(() => s.ecs.acceptInquiredSystemEvent(new $Ecs.AcceptInquiredSystemEventRequest({ regionId: R, eventId: 'e-doesnotexist0000000' })));
    assert.deepEqual([none.code, none.statusCode], ['InvalidEventId.NoInquiringEventFound', 404]);
    const now = s.clock.now();
    const row = (await s.app.services.db.selectFrom('instances').select(['account_id']).where('id', '=', id).executeTakeFirstOrThrow());
    const eventId = await raiseSystemEvent(s.app.services.db, {
      accountId: row.account_id, regionId: R, instanceId: id, type: 'SystemMaintenance.Reboot', status: 'Inquiring', notBefore: now + HOUR, executeEnd: now + HOUR + 60_000,
    }, now);
    assert.equal((await fullStatus(id)).scheduledSystemEventSet!.scheduledSystemEventType![0]!.eventCycleStatus!.name, 'Inquiring');
    await s.ecs.acceptInquiredSystemEvent(new $Ecs.AcceptInquiredSystemEventRequest({ regionId: R, eventId }));
    assert.equal((await event(eventId)).eventCycleStatus!.name, 'Scheduled');
    const twice = await expectEcsError(() => s.ecs.acceptInquiredSystemEvent(new $Ecs.AcceptInquiredSystemEventRequest({ regionId: R, eventId })));
    assert.equal(twice.code, 'InvalidEventId.NoInquiringEventFound');
    await s.advance(HOUR + 60_000);
    assert.equal((await event(eventId)).eventCycleStatus!.name, 'Executed');
  });

  it('DescribeDisksFullStatus: each disk with its status and health; no disk events', async () => {
    const id = await run();
    const disks = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id }))).body!.disks!.disk!;
    const r = (await s.ecs.describeDisksFullStatus(new $Ecs.DescribeDisksFullStatusRequest({ regionId: R, diskId: [disks[0]!.diskId!] }))).body!;
    assert.equal(r.totalCount, 1);
    const d = r.diskFullStatusSet!.diskFullStatusType![0]!;
    assert.deepEqual([d.diskId, d.instanceId, d.status!.name, d.healthStatus!.name, d.healthStatus!.code], [disks[0]!.diskId, id, 'In_use', 'Ok', 0]);
    assert.equal(d.device, disks[0]!.device);
    assert.deepEqual(d.diskEventSet!.diskEventType, []);
    const stalled = (await s.ecs.describeDisksFullStatus(new $Ecs.DescribeDisksFullStatusRequest({ regionId: R, eventType: 'Stalled' }))).body!;
    assert.equal(stalled.totalCount, 0);
    const bad = await expectEcsError(() => s.ecs.describeDisksFullStatus(new $Ecs.DescribeDisksFullStatusRequest({ regionId: R, status: 'Broken' })));
    assert.deepEqual([bad.code, bad.statusCode], ['InvalidParameter', 403]);
  });

  it('the engine giving up on an instance that will not start raises SystemFailure.Stop', async () => {
    const id = await run();
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    await ext.request('CreateFaultRule', { Target: 'InstanceStart', ResourceId: id, Count: 3 }, { method: 'POST' });
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    for (let i = 0; i < 10 && (await attribute(id)).status !== 'Stopped'; i++) await s.advance(1000);
    assert.equal((await attribute(id)).status, 'Stopped');
    const raised = (await history({ instanceId: id })).instanceSystemEventSet!.instanceSystemEventType!;
    assert.equal(raised.length, 1);
    assert.deepEqual([raised[0]!.eventType!.name, raised[0]!.eventCycleStatus!.name], ['SystemFailure.Stop', 'Executed']);
    assert.match(raised[0]!.reason!, /could not be started/);
  });

  it('finished events leave the history after 30 days and are then deleted; unfinished ones stay', async () => {
    const db = s.app.services.db;
    const finished = await db.selectFrom('system_events').select('id').where('next_at', 'is', null).where('finish_time', 'is not', null).execute();
    const inquiring = await db.selectFrom('system_events').select('id').where('cycle_status', '=', 'Inquiring').execute();
    assert.ok(finished.length > 0);
    await s.advance(31 * 86_400_000);
    assert.equal((await history()).totalCount, 0, 'nothing finished within 30 days');
    const left = await db.selectFrom('system_events').select(['id', 'cycle_status']).execute();
    assert.ok(left.every((e) => !finished.some((f) => f.id === e.id)), 'finished events deleted');
    assert.ok(left.every((e) => e.cycle_status !== 'Executed'));
    assert.deepEqual(inquiring.filter((i) => left.some((e) => e.id === i.id)), inquiring, 'an event awaiting consent is kept');
  });
});
