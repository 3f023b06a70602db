/**
 * DescribeInstances reads a page's ids and row versions and renders in full only the instances
 * whose inputs moved (src/actions/instance-view.ts): every UPDATE of an instance row moves its
 * `row_version` (a trigger, migration 0035), whoever makes it — a handler, the engine, or SQL
 * typed by an operator — so a changed instance is never served from its old rendering.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

const R = 'cn-hangzhou';

describe('DescribeInstances items follow every change of the row', () => {
  let s: TestServer;
  let n: Network;
  before(async () => { s = await startTestServer({ simDelayMs: 0 }); n = await createNetwork(s, R); });
  after(async () => { await s.close(); });

  const listed = async () => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: 100 }))).body!.instances!.instance!;
  const versionOf = async (id: string) => Number((await s.app.services.db.selectFrom('instances').select('row_version').where('id', '=', id).executeTakeFirstOrThrow()).row_version);

  it('an update through the API, the engine or plain SQL moves the row version and the listed item', async () => {
    const ids = (await s.ecs.runInstances(runRequest(n, { amount: 3 }))).body!.instanceIdSets!.instanceIdSet!;
    await s.settle();
    const [a, b, c] = ids as [string, string, string];
    assert.deepEqual((await listed()).map((i) => i.status), ['Running', 'Running', 'Running'], 'the engine\'s status changes are listed');
    const v0 = await versionOf(a);
    assert.ok(v0 > 0, 'the engine\'s updates moved the version');

    await s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: a, instanceName: 'renamed' }));
    assert.equal(await versionOf(a), v0 + 1);
    // An operator's SQL, outside every handler (the store version moves with it: a write of this process).
    await sql`update instances set description = 'typed by hand' where id = ${b}`.execute(s.app.services.db);
    const items = new Map((await listed()).map((i) => [i.instanceId, i]));
    assert.equal(items.get(a)!.instanceName, 'renamed');
    assert.equal(items.get(b)!.description, 'typed by hand');
    assert.equal(items.get(c)!.instanceName, c, 'the unchanged one as it was');

    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: c }));
    await s.settle();
    assert.equal((await listed()).find((i) => i.instanceId === c)!.status, 'Stopped');
  });
});
