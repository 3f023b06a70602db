/**
 * A running guest's live settings take the durable path (issue 12 point 3): ModifyInstanceVncPasswd
 * keeps the password sealed in the instance row, ModifyInstanceMetadataOptions and tag changes bump
 * the row's metadata generation; both answer without touching the guest, and the engine brings the
 * guest to the row (retrying a push that fails), after a restart too, and a boot applies them from
 * the GuestSpec. The driver models what each guest has (test/helpers/guest-settings-driver.ts).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Sealer } from '../../src/auth/secrets.js';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { GuestSettingsDriver } from '../helpers/guest-settings-driver.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from '../helpers/pg.js';

const R = 'cn-hangzhou';
const DELAY = 1000;

async function instanceRow(s: TestServer, id: string) {
  return (await s.app.services.db.selectFrom('instances').selectAll().where('id', '=', id).executeTakeFirst())!;
}

async function status(s: TestServer, id: string): Promise<string> {
  return (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!.status!;
}

/** Moves the clock in steps until `done` holds (the engine's retries are on the clock). */
async function until(s: TestServer, what: string, done: () => Promise<boolean> | boolean, stepMs = 1000, steps = 120): Promise<void> {
  for (let i = 0; i < steps; i++) {
    if (await done()) return;
    await s.advance(stepMs);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function launch(s: TestServer, n: Network): Promise<string> {
  const id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
  await until(s, `${id} Running`, async () => (await status(s, id)) === 'Running');
  return id;
}

async function power(s: TestServer, id: string, action: 'start' | 'stop') {
  if (action === 'stop') await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
  else await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
  const want = action === 'stop' ? 'Stopped' : 'Running';
  await until(s, `${id} ${want}`, async () => (await status(s, id)) === want);
}

const vncRequest = (instanceId: string, vncPassword: string) => new $Ecs.ModifyInstanceVncPasswdRequest({ regionId: R, instanceId, vncPassword });

describe('the VNC password, sealed in the store and applied by the engine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openecs-vnc-'));
  const cluster = testDatabaseCluster();
  let database: TestDatabase | undefined;
  let s: TestServer | undefined;
  after(async () => { await s?.close(); await database?.drop(); rmSync(dir, { recursive: true, force: true }); });

  it('answers without touching the guest, reaches a running guest, and is applied again after a restart', async () => {
    if (cluster) database = await createTestDatabase(cluster);
    // The same store (a SQLite file, or one PostgreSQL database) and the same data dir key for every server.
    const store = database ? { databaseUrl: database.url, dataDir: dir } : { dataDir: dir };
    const driver = new GuestSettingsDriver(DELAY);
    s = await startTestServer({ simDelayMs: DELAY, ...store }, { driver });
    const n = await createNetwork(s, R);

    const starting = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    const e = await expectEcsError(() => s!.ecs.modifyInstanceVncPasswd(vncRequest(starting, 'Ab12cd')));
    assert.deepEqual([e.code, e.statusCode], ['IncorrectInstanceStatus', 403], 'refused while Starting');
    const id = await launch(s, n);

    await s.ecs.modifyInstanceVncPasswd(vncRequest(id, 'Ab12cd'));
    assert.equal(driver.callsOf('setVncPassword').length, 0, 'the API answers without calling the driver');
    const sealer = Sealer.forDataDir(dir);
    const stored = (await instanceRow(s, id)).vnc_password_sealed;
    assert.ok(stored && !stored.includes('Ab12cd'), 'sealed, not in clear');
    assert.equal(sealer.open(stored), 'Ab12cd');
    await s.settle();
    assert.equal(sealer.open(driver.held.get(id)!.vncPasswordSealed), 'Ab12cd', 'the engine set it on the running guest');
    await s.settle();
    assert.equal(driver.callsOf('setVncPassword').length, 1, 'set once: the guest reports having it');

    // The guest lost it (its QEMU restarted behind the server's back) and the server restarts: set again.
    await s.close();
    driver.held.get(id)!.vncPasswordSealed = '';
    s = await startTestServer({ simDelayMs: DELAY, ...store }, { driver });
    await s.settle();
    assert.equal(driver.callsOf('setVncPassword').length, 2);
    assert.equal(sealer.open(driver.held.get(id)!.vncPasswordSealed), 'Ab12cd', 'applied again after the restart');

    // A new host with no guest: the instance boots again, with the stored password.
    await s.close();
    const fresh = new GuestSettingsDriver(DELAY);
    s = await startTestServer({ simDelayMs: DELAY, ...store }, { driver: fresh });
    await until(s, 'the guest booted again', () => fresh.boots.some((b) => b.instanceId === id));
    const boot = fresh.boots.find((b) => b.instanceId === id)!;
    assert.equal(sealer.open(boot.vncPasswordSealed!), 'Ab12cd', 'the boot applies the stored password');
    assert.equal(fresh.callsOf('setVncPassword').length, 0, 'nothing left to push after the boot');

    // Set while Stopped: nothing to push, the next boot has it.
    await power(s, id, 'stop');
    await s.ecs.modifyInstanceVncPasswd(vncRequest(id, 'Xy34zw'));
    await s.settle();
    assert.equal(fresh.callsOf('setVncPassword').length, 0);
    await power(s, id, 'start');
    assert.equal(sealer.open(fresh.boots.at(-1)!.vncPasswordSealed!), 'Xy34zw');
  });
});

describe('metadata options and tags, pushed by the engine', () => {
  let s: TestServer;
  let n: Network;
  const driver = new GuestSettingsDriver(DELAY);
  before(async () => {
    s = await startTestServer({ simDelayMs: DELAY }, { driver });
    n = await createNetwork(s, R);
  });
  after(async () => { await s.close(); });

  const modify = (extra: Record<string, unknown>) =>
    s.ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId: R, httpEndpoint: 'enabled', ...extra }));
  const pushes = () => driver.callsOf('setMetadataOptions').length;

  it('a new generation per change; a push that fails is retried until the guest has it', async () => {
    const id = await launch(s, n);
    assert.equal(driver.held.get(id)!.metadataGeneration, 0, 'the boot serves the row generation');
    const before = Number((await instanceRow(s, id)).metadata_generation);
    driver.failNext('setMetadataOptions', 1);
    await modify({ instanceId: id, httpTokens: 'required' });
    assert.equal(pushes(), 0, 'the API answers without calling the driver');
    assert.equal(Number((await instanceRow(s, id)).metadata_generation), before + 1);

    await s.settle();
    assert.deepEqual(driver.callsOf('setMetadataOptions').map((c) => c.failed), [true], 'the first push failed');
    assert.equal(driver.held.get(id)!.options!.httpTokens, 'optional', 'not applied yet');
    const op = await s.app.services.db.selectFrom('operations').selectAll()
      .where('kind', '=', 'instance').where('resource_id', '=', id).orderBy('id', 'desc').executeTakeFirst();
    assert.equal(op!.status, 'pending', 'kept for a retry, not dropped');
    assert.match(op!.error, /injected failure/, 'the failure is recorded');

    await until(s, 'the push converges', () => driver.held.get(id)!.metadataGeneration === before + 1, 500);
    assert.equal(driver.held.get(id)!.options!.httpTokens, 'required');
    assert.equal(driver.callsOf('setMetadataOptions').filter((c) => !c.failed).length, 1);
  });

  it('tag changes are pushed to guests that serve their tags, and only to them', async () => {
    const id = await launch(s, n);
    const tag = (tags: Record<string, string>) => s.ecs.tagResources(new $Ecs.TagResourcesRequest({
      regionId: R, resourceType: 'instance', resourceId: [id], tag: Object.entries(tags).map(([key, value]) => ({ key, value })),
    }));
    const generation = async () => Number((await instanceRow(s, id)).metadata_generation);
    const served = () => driver.held.get(id)!.tags;

    const g0 = await generation();
    await tag({ env: 'prod' });
    await s.settle();
    assert.equal(await generation(), g0, 'tags not served: nothing to push');
    assert.equal(served(), undefined);

    await modify({ instanceId: id, instanceMetadataTags: 'enabled' });
    await s.settle();
    assert.deepEqual(served(), { env: 'prod' });
    await tag({ team: 'storage' });
    await s.settle();
    assert.deepEqual(served(), { env: 'prod', team: 'storage' });
    await s.ecs.untagResources(new $Ecs.UntagResourcesRequest({ regionId: R, resourceType: 'instance', resourceId: [id], tagKey: ['env'] }));
    await s.settle();
    assert.deepEqual(served(), { team: 'storage' });
    assert.equal(driver.held.get(id)!.metadataGeneration, await generation());
  });

  it('a stopped guest gets the current options at its next boot, with nothing left to push', async () => {
    const id = await launch(s, n);
    await power(s, id, 'stop');
    const calls = pushes();
    await modify({ instanceId: id, httpEndpoint: 'disabled' });
    await s.settle();
    assert.equal(pushes(), calls, 'no guest to push to');
    await power(s, id, 'start');
    const boot = driver.boots.at(-1)!;
    assert.equal(boot.instanceId, id);
    assert.equal(boot.metadataOptions!.httpEndpoint, 'disabled');
    assert.equal(boot.metadataGeneration, Number((await instanceRow(s, id)).metadata_generation));
    assert.equal(pushes(), calls, 'the boot served the current generation');
  });
});
