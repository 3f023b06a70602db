/**
 * The store on PostgreSQL (runs when OPENECS_TEST_DATABASE_URL names a cluster, as
 * `npm run test:api:pg` and CI do): what is written survives the process, and a second server on
 * the same database sees the first one's writes through its read cache within a second.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from '../helpers/pg.js';

const cluster = testDatabaseCluster();

describe('the store on PostgreSQL', { skip: cluster ? false : 'OPENECS_TEST_DATABASE_URL is not set' }, () => {
  let database: TestDatabase;
  before(async () => { database = await createTestDatabase(cluster!); });
  after(async () => { await database?.drop(); });

  const describeIds = async (s: TestServer) => {
    const d = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', pageSize: 100 }));
    return d.body!.instances!.instance!.map((i) => `${i.instanceId}:${i.status}:${i.instanceName}`).sort();
  };

  it('keeps everything across a restart of the server', async () => {
    const first = await startTestServer({ databaseUrl: database.url });
    let before: string[];
    let tags: string[];
    let network;
    try {
      network = await createNetwork(first);
      await first.ecs.runInstances(runRequest(network, { amount: 3, instanceName: 'pg-web' }));
      await first.advance(5_000);
      const ids = (await describeIds(first)).map((x) => x.split(':')[0]!);
      await first.ecs.tagResources(new $Ecs.TagResourcesRequest({
        regionId: 'cn-hangzhou', resourceType: 'instance', resourceId: [ids[0]!], tag: [new $Ecs.TagResourcesRequestTag({ key: 'env', value: 'prod' })],
      }));
      await first.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: ids[1]! }));
      await first.advance(5_000);
      before = await describeIds(first);
      tags = await tagsOf(first, ids[0]!);
    } finally {
      await first.close();
    }
    assert.equal(before.length, 3);
    assert.equal(before.filter((x) => x.includes(':Running:')).length, 2, before.join(' '));
    assert.equal(before.filter((x) => x.includes(':Stopped:')).length, 1, before.join(' '));

    const second = await startTestServer({ databaseUrl: database.url });
    try {
      assert.deepEqual(await describeIds(second), before);
      assert.deepEqual(await tagsOf(second, before[0]!.split(':')[0]!), tags);
      const vpcs = await second.vpc.describeVpcs(new (await import('@alicloud/vpc20160428')).DescribeVpcsRequest({ regionId: 'cn-hangzhou' }));
      assert.ok(vpcs.body!.vpcs!.vpc!.some((v) => v.vpcId === network!.vpcId));
      // The operations the engine left are there too: a start after the restart completes.
      const stopped = before.find((x) => x.includes(':Stopped:'))!.split(':')[0]!;
      await second.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: stopped }));
      await second.advance(5_000);
      assert.ok((await describeIds(second)).every((x) => x.includes(':Running:')));
    } finally {
      await second.close();
    }
  });

  it('a second server on the database retires the first one\'s cached pages within a second', async () => {
    const a = await startTestServer({ databaseUrl: database.url });
    const b = await startTestServer({ databaseUrl: database.url });
    try {
      const start = await describeIds(a);
      assert.deepEqual(await describeIds(a), start, 'a cached page');
      const network = await createNetwork(b);
      await b.ecs.runInstances(runRequest(network, { amount: 1, instanceName: 'from-b' }));
      const deadline = Date.now() + 1_000;
      let seen = start;
      while (Date.now() < deadline && seen.length === start.length) {
        await new Promise((r) => setTimeout(r, 50));
        seen = await describeIds(a);
      }
      assert.equal(seen.length, start.length + 1, 'A sees B\'s instance within a second');
      assert.ok(seen.some((x) => x.endsWith(':from-b')));
    } finally {
      await a.close();
      await b.close();
    }
  });
});

async function tagsOf(s: TestServer, id: string): Promise<string[]> {
  const r = await s.ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: 'cn-hangzhou', resourceType: 'instance', resourceId: [id] }));
  return r.body!.tagResources!.tagResource!.map((t) => `${t.tagKey}=${t.tagValue}`).sort();
}
