/**
 * DescribeInstances answers are served again from the read cache only while nothing changed: API
 * writes, engine transitions, tag changes and another connection's commit each show at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { createAccount } from '../../src/auth/accounts.js';
import { connectStore } from '../../src/store/db.js';
import { VERSION_POLL_MS } from '../../src/store/postgres.js';
import { v2Request } from '../helpers/raw.js';

const R = 'cn-hangzhou';

describe('read cache: repeated DescribeInstances never serves a stale answer', () => {
  let s: TestServer;
  let net: Network;
  let dir: string;
  let ids: string[];
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openecs-read-cache-'));
    s = await startTestServer({ dataDir: dir });
    net = await createNetwork(s);
    ids = (await s.ecs.runInstances(runRequest(net, { amount: 2, instanceName: 'rc-[1,2]' }))).body!.instanceIdSets!.instanceIdSet!;
  });
  after(async () => { await s.close(); rmSync(dir, { recursive: true, force: true }); });

  const describeRaw = async (extra: Record<string, string> = {}) => s.pop.request('DescribeInstances', { RegionId: R, ...extra }) as Promise<Record<string, any>>;
  const names = async () => (await describeRaw()).Instances.Instance.map((i: any) => `${i.InstanceName}:${i.Status}`).sort();

  it('the same answer twice, each with its own RequestId', async () => {
    const a = await describeRaw();
    const b = await describeRaw();
    assert.notEqual(a.RequestId, b.RequestId);
    assert.deepEqual({ ...a, RequestId: '' }, { ...b, RequestId: '' });
    assert.equal(a.TotalCount, 2);
  });

  it('an API write shows at once', async () => {
    await names();
    await s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: ids[0], instanceName: 'renamed' }));
    assert.deepEqual(await names(), ['rc-02:Pending', 'renamed:Pending']);
  });

  it('engine transitions show at once', async () => {
    await names();
    await s.advance(5000);
    assert.deepEqual(await names(), ['rc-02:Running', 'renamed:Running']);
  });

  it('tag changes show in the items and in the Tag filter', async () => {
    const tagged = async () => (await describeRaw({ 'Tag.1.Key': 'team', 'Tag.1.Value': 'a' })).TotalCount;
    assert.equal(await tagged(), 0);
    await s.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: R, resourceType: 'instance', resourceId: [ids[1]!], tag: [new $Ecs.TagResourcesRequestTag({ key: 'team', value: 'a' })] }));
    assert.equal(await tagged(), 1);
    const item = (await describeRaw()).Instances.Instance.find((i: any) => i.InstanceId === ids[1]);
    assert.deepEqual(item.Tags.Tag.map((t: any) => ({ ...t })), [{ TagKey: 'team', TagValue: 'a' }]);
  });

  it("another connection's commit on the same file shows at once", async () => {
    await names();
    const url = s.app.services.config.databaseUrl;
    if (url) {
      // PostgreSQL: another OpenECS process on the database; its commit shows within the version poll.
      const other = await connectStore({ dataDir: ':memory:', databaseUrl: url });
      try {
        await other.updateTable('instances').set({ name: 'edited-elsewhere' }).where('id', '=', ids[1]!).execute();
      } finally { await other.destroy(); }
      const deadline = Date.now() + VERSION_POLL_MS * 4;
      while (Date.now() < deadline && !(await names()).includes('edited-elsewhere:Running')) await new Promise((r) => setTimeout(r, 20));
    } else {
      const other = new BetterSqlite3(join(dir, 'openecs.db'));
      try {
        other.prepare('UPDATE instances SET name = ? WHERE id = ?').run('edited-elsewhere', ids[1]);
      } finally { other.close(); }
    }
    assert.deepEqual(await names(), ['edited-elsewhere:Running', 'renamed:Running']);
  });

  it('XML and JSON, and each account, have their own answers', async () => {
    const xml = async () => v2Request(s.url, 'DescribeInstances', { RegionId: R }, { format: 'XML' });
    const x1 = await xml();
    const x2 = await xml();
    assert.match(x1.text, /^<\?xml[^>]*\?><DescribeInstancesResponse><RequestId>[^<]+<\/RequestId>/);
    assert.equal(x1.text.replace(/<RequestId>[^<]+/, ''), x2.text.replace(/<RequestId>[^<]+/, ''));
    assert.equal((await describeRaw()).TotalCount, 2);
    const tenant = await createAccount(s.app.services.db, 'rc-tenant', s.clock.now());
    const c = s.clients(tenant);
    assert.equal((await c.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!.totalCount, 0);
    assert.equal((await describeRaw()).TotalCount, 2);
    assert.equal((await c.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!.totalCount, 0);
  });
});
