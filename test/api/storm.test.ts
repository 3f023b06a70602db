/**
 * Crash storm on the sim driver (scaled for `npm test`; full size: `npx tsx bench/storm.ts`): 60
 * mixed operations against a real `openecs serve` killed with SIGKILL 6 times at random points
 * and restarted each time; then the engine converges and the invariant checker finds nothing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkInvariants } from '../../src/engine/invariants.js';
import { $Ecs, startTestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { runStorm } from '../helpers/storm.js';

test('the invariant checker finds what a crash could break', async () => {
  const s = await startTestServer();
  try {
    const n = await createNetwork(s);
    const ids = (await s.ecs.runInstances(runRequest(n, { amount: 2 }))).body!.instanceIdSets!.instanceIdSet!;
    for (let i = 0; i < 4; i++) await s.advance(1000);
    const { db, driver } = s.app.services;
    const check = async () => (await checkInvariants(db, driver, { settled: true, now: s.clock.now() })).map((v) => `${v.kind} ${v.resource}`).sort();
    assert.deepEqual(await check(), [], 'a converged store and driver');

    await db.updateTable('instances').set({ status: 'Broken' }).where('id', '=', ids[0]!).execute();
    await driver.stop(ids[1]!, true);
    await driver.start({ ...({} as Parameters<typeof driver.start>[0]), instanceId: 'i-orphan0000000000001' });
    const sys = await db.selectFrom('disks').select('id').where('instance_id', '=', ids[1]!).executeTakeFirstOrThrow();
    await db.updateTable('disks').set({ status: 'Attaching' }).where('id', '=', sys.id).execute();
    await db.insertInto('idempotency').values({ account_id: s.app.root.accountId, action: 'ecs:CreateDisk', client_token: 'lost', params_hash: '', response: '{}', created_at: s.clock.now() }).execute();
    assert.deepEqual(await check(), [
      'client-token ecs:CreateDisk:lost', 'disk-unsettled ' + sys.id, 'guest-power ' + ids[1], 'instance-intent ' + ids[0], 'instance-state ' + ids[0],
      'orphan-guest i-orphan0000000000001',
    ].sort());
  } finally {
    await s.close();
  }
});

test('a ClientToken replay answers the first answer of actions that compose it after their write', async () => {
  // Found by the storm: CreateDisk and CreateImage stored an empty answer for their token, so a
  // retried request answered without DiskId / ImageId.
  const s = await startTestServer();
  try {
    const n = await createNetwork(s);
    const id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    for (let i = 0; i < 4; i++) await s.advance(1000);
    const twice = async <T>(call: () => Promise<{ body?: T }>) => [(await call()).body!, (await call()).body!];
    const [d1, d2] = await twice(() => s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: 'cn-hangzhou', zoneId: n.zoneId, diskCategory: 'cloud_essd', size: 20, clientToken: 'ct-disk' })));
    assert.match(d1!.diskId!, /^d-/);
    assert.equal(d2!.diskId, d1!.diskId);
    const [m1, m2] = await twice(() => s.ecs.createImage(new $Ecs.CreateImageRequest({ regionId: 'cn-hangzhou', instanceId: id, imageName: 'ct-image', clientToken: 'ct-image' })));
    assert.match(m1!.imageId!, /^m-/);
    assert.equal(m2!.imageId, m1!.imageId);
    const made = await s.app.services.db.selectFrom('images').select('id').where('name', '=', 'ct-image').execute();
    assert.deepEqual(made.map((r) => r.id), [m1!.imageId], 'made once');
  } finally {
    await s.close();
  }
});

test('a crash storm on the sim driver leaves every invariant intact', async (t) => {
  const seed = Number(process.env.OPENECS_STORM_SEED ?? 16);
  const r = await runStorm({
    driver: 'sim', operations: 60, kills: 6, seed, maxInstances: 6, pauseMs: 80,
    env: { OPENECS_SIM_DELAY_MS: '300' }, convergeTimeoutMs: 60_000,
  });
  t.diagnostic(`seed ${seed}: ${r.operations} operations, ${r.kills} kills (${r.killsInFlight} in flight), ${r.interrupted} requests cut off and retried, ` +
    `${r.clientTokens} ClientTokens replayed, converged in ${r.convergeMs} ms, ${r.durationMs} ms in all; answers ${JSON.stringify(r.answers)}`);
  assert.deepEqual(r.unexpected, [], 'no 5xx and no request lost without a kill');
  assert.deepEqual(r.replayMismatches, [], 'every ClientToken replay answers the first answer and nothing is made twice');
  assert.deepEqual(r.violations, [], 'no invariant broken after the engine converged');
  assert.equal(r.kills, 7, 'six kills in the storm and one before converging');
  assert.ok((r.answers.OK ?? 0) >= 20, `most operations do something: ${JSON.stringify(r.answers)}`);
});
