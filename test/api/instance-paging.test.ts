/**
 * DescribeInstances pages (PageNumber and NextToken) are the same whether a page is read by
 * offset or continued from where the page before it ended (src/store/instance-pages.ts), and a
 * change between two rounds (a release, a launch) shows in every later page and in TotalCount.
 * Run with the read cache off, so every answer comes from the listing itself.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

const R = 'cn-hangzhou';

describe('DescribeInstances paging at any depth', () => {
  let s: TestServer;
  let net: Network;
  let all: string[];
  before(async () => {
    s = await startTestServer({ readCacheBytes: 0 });
    net = await createNetwork(s);
    all = [];
    // Three launches at three times: pages cross launch boundaries (ties in CreationTime are broken by id).
    for (let i = 0; i < 3; i++) {
      all.push(...(await s.ecs.runInstances(runRequest(net, { amount: 9 }))).body!.instanceIdSets!.instanceIdSet!);
      await s.advance(60_000);
    }
  });
  after(() => s.close());

  const byPages = async (size: number) => {
    const out: string[] = [];
    let total = -1;
    for (let page = 1; ; page++) {
      const r = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: size, pageNumber: page }))).body!;
      total = r.totalCount!;
      const ids = r.instances!.instance!.map((i) => i.instanceId!);
      out.push(...ids);
      if (ids.length < size) break;
    }
    return { ids: out, total };
  };
  const byTokens = async (size: number) => {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const r = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, maxResults: size, nextToken: token }))).body!;
      out.push(...r.instances!.instance!.map((i) => i.instanceId!));
      token = r.nextToken || undefined;
    } while (token);
    return out;
  };
  const page = async (n: number, size: number) => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: size, pageNumber: n }))).body!.instances!.instance!.map((i) => i.instanceId!);

  it('every round, in order or not, gives every instance once in creation order', async () => {
    const first = await byPages(10);
    assert.equal(first.total, 27);
    assert.deepEqual(new Set(first.ids), new Set(all));
    assert.equal(first.ids.length, 27);
    // Again (now continued from remembered page ends), by tokens, and a deep page asked for first.
    assert.deepEqual((await byPages(10)).ids, first.ids);
    assert.deepEqual(await byTokens(10), first.ids);
    assert.deepEqual(await page(3, 10), first.ids.slice(20));
    assert.deepEqual(await page(2, 7), first.ids.slice(7, 14));
  });

  it('a release and a launch between rounds show in later pages and in TotalCount', async () => {
    const before = (await byPages(10)).ids;
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: before[3]!, force: true }));
    let r = await byPages(10);
    assert.equal(r.total, 26);
    assert.deepEqual(r.ids, before.filter((id) => id !== before[3]));
    await s.advance(60_000);
    const added = (await s.ecs.runInstances(runRequest(net, { amount: 2 }))).body!.instanceIdSets!.instanceIdSet!;
    r = await byPages(10);
    assert.equal(r.total, 28);
    assert.deepEqual(r.ids.slice(0, 26), before.filter((id) => id !== before[3]));
    assert.deepEqual(new Set(r.ids.slice(26)), new Set(added));
    assert.deepEqual(await byTokens(10), r.ids);
  });
});
