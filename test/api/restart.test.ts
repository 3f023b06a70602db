import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $Ecs, AK, SECRET, makeClients } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from '../helpers/pg.js';

describe('kill -9 and restart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'openecs-restart-'));
  let server: ServerProcess | undefined;
  // With a PostgreSQL cluster to test on, the killed server's store is a database there.
  let database: TestDatabase | undefined;
  after(async () => { await server?.stop(); await database?.drop(); rmSync(dir, { recursive: true, force: true }); });

  it('loses nothing and finishes in-flight transitions', async () => {
    const port = await freePort();
    const cluster = testDatabaseCluster();
    if (cluster) database = await createTestDatabase(cluster);
    const env: Record<string, string> = { OPENECS_DATA_DIR: dir, OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET, OPENECS_SIM_DELAY_MS: '700' };
    if (database) env.OPENECS_DATABASE_URL = database.url;
    server = await spawnServer(env, port);
    const c = makeClients(server.url, { accessKeyId: AK, accessKeySecret: SECRET });
    const n = await createNetwork(c);
    const ids = (await c.ecs.runInstances(runRequest(n, { amount: 5 }))).body!.instanceIdSets!.instanceIdSet!;
    const created = (await c.ecs.createInstance(new $Ecs.CreateInstanceRequest({
      regionId: 'cn-hangzhou', imageId: n.imageId, instanceType: 'ecs.g7.large', vSwitchId: n.vswitchId, securityGroupId: n.securityGroupId,
    }))).body!.instanceId!;
    // Killed while every instance is still Pending: their operations are durable.
    await server.kill9();
    server = await spawnServer(env, port);
    const deadline = Date.now() + 20_000;
    let statuses: string[] = [];
    while (Date.now() < deadline) {
      const d = await c.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', instanceIds: JSON.stringify([...ids, created]) }));
      statuses = d.body!.instances!.instance!.map((i) => `${i.instanceId}:${i.status}`);
      if (d.body!.totalCount === 6 && statuses.filter((x) => x.endsWith(':Running')).length === 5 && statuses.includes(`${created}:Stopped`)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(statuses.length, 6, 'all instances survived the kill');
    assert.equal(statuses.filter((x) => x.endsWith(':Running')).length, 5, statuses.join(' '));
    assert.ok(statuses.includes(`${created}:Stopped`), statuses.join(' '));
    // Killed mid-stop: the stop completes after restart.
    await c.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: ids[0] }));
    await server.kill9();
    server = await spawnServer(env, port);
    let status = '';
    for (let i = 0; i < 100 && status !== 'Stopped'; i++) {
      status = (await c.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: ids[0] }))).body!.status!;
      if (status !== 'Stopped') await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(status, 'Stopped');
  });
});
