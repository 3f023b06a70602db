/**
 * End to end through the official client: an instance whose guest cannot start is retried with
 * backoff and then settled as Stopped (not left Starting), the operation keeping why; one whose
 * guest starts on a later try still becomes Running. A second power request's ForceStop, kept in
 * the instance row, reaches the driver.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createApp } from '../../src/app.js';
import { configFromEnv, type Config } from '../../src/config.js';
import { ManualClock } from '../../src/engine/clock.js';
import { SimDriver } from '../../src/compute/sim.js';
import type { GuestSpec } from '../../src/compute/driver.js';
import { $Ecs, AK, SECRET, makeClients } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { createTestDatabase, testDatabaseCluster } from '../helpers/pg.js';

/** A sim driver whose guests fail to start the first `failures` times; it remembers forced stops. */
class FlakyDriver extends SimDriver {
  starts = 0;
  forced: string[] = [];
  constructor(private failures: number) { super(1000); }
  override async start(spec: GuestSpec) {
    if (++this.starts <= this.failures) throw new Error(`qemu: cannot start ${spec.instanceId} (injected)`);
    await super.start(spec);
  }
  override async stop(instanceId: string, force?: boolean) {
    if (force) this.forced.push(instanceId);
    await super.stop(instanceId);
  }
}

async function server(failures: number) {
  const clock = new ManualClock(Date.parse('2026-11-23T06:00:00Z'));
  const driver = new FlakyDriver(failures);
  const cluster = testDatabaseCluster();
  const database = cluster ? await createTestDatabase(cluster) : undefined;
  const config: Config = { ...configFromEnv({}), dataDir: ':memory:', port: 0, accessKeyId: AK, accessKeySecret: SECRET, tls: { enabled: false }, databaseUrl: database?.url };
  const app = await createApp(config, { clock, driver, startEngine: false, engine: { retry: { baseMs: 100, capMs: 400, giveUpAfter: 5 } } });
  const url = await app.listen();
  const clients = makeClients(url, { accessKeyId: AK, accessKeySecret: SECRET });
  const engine = app.services.engine;
  return {
    app, clock, driver, ...clients,
    async advance(ms: number) { clock.advance(ms); await engine.settle(); },
    async status(id: string) {
      return (await clients.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!.status!;
    },
    async close() { await app.close(); await database?.drop(); },
  };
}

test('a guest that never starts: retried with backoff, then the instance is Stopped and the operation says why', async () => {
  const s = await server(Infinity);
  try {
    const n = await createNetwork(s);
    const id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    const seen: string[] = [];
    for (let i = 0; i < 40 && (await s.status(id)) !== 'Stopped'; i++) {
      seen.push(await s.status(id));
      await s.advance(250);
    }
    assert.equal(await s.status(id), 'Stopped');
    assert.ok(seen.includes('Starting'));
    assert.equal(s.driver.starts, 5, 'five tries, then the give-up');
    const op = await s.app.services.db.selectFrom('operations').selectAll().where('resource_id', '=', id).where('kind', '=', 'instance')
      .orderBy('id', 'desc').executeTakeFirstOrThrow();
    assert.equal(op.status, 'failed');
    assert.match(op.error, /cannot start .* \(injected\)/);
    const tr = await s.app.services.db.selectFrom('transitions').select(['from_status', 'to_status']).where('resource_id', '=', id).orderBy('id').execute();
    assert.deepEqual(tr.map((t) => `${t.from_status}>${t.to_status}`).filter((x) => !x.startsWith('>')), ['Pending>Starting', 'Starting>Stopped']);
    // Settled, it takes requests again: StartInstance is accepted (and fails the same way, later).
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    assert.equal(await s.status(id), 'Starting');
  } finally { await s.close(); }
});

test('a guest that starts on the third try becomes Running; a later ForceStop reaches the driver from the row', async () => {
  const s = await server(2);
  try {
    const n = await createNetwork(s);
    const id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    for (let i = 0; i < 40 && (await s.status(id)) !== 'Running'; i++) await s.advance(250);
    assert.equal(await s.status(id), 'Running');
    assert.equal(s.driver.starts, 3);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id, forceStop: true }));
    const row = await s.app.services.db.selectFrom('instances').select('force_stop').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(row.force_stop, 1, 'the intent is in the row');
    for (let i = 0; i < 20 && (await s.status(id)) !== 'Stopped'; i++) await s.advance(250);
    assert.equal(await s.status(id), 'Stopped');
    assert.deepEqual(s.driver.forced, [id]);
    const after = await s.app.services.db.selectFrom('instances').select('force_stop').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(after.force_stop, 0, 'cleared once the stop is done');
  } finally { await s.close(); }
});
