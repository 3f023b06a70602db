/**
 * Two real `openecs serve` processes (sim driver, own ports and data dirs) on one PostgreSQL
 * database, as behind a load balancer: requests alternate between them through the official
 * client; one is killed with SIGKILL while it holds leases on operations; the other finishes
 * them (the expired leases taken over), nothing lost, nothing done twice. Also: both start
 * together on an empty database (one root account), a ClientToken sent to both creates once,
 * and an AccessKey disabled or deleted through one is refused by the other within a second.
 *
 * Several replicas need PostgreSQL (SQLite is one process's embedded store), so without
 * OPENECS_TEST_DATABASE_URL this suite is skipped.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { $Ecs, AK, SECRET, expectEcsError, makeClients, type EcsClientT } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from '../helpers/pg.js';
import { ramClient } from '../helpers/ram.js';

const cluster = testDatabaseCluster();
const LEASE_MS = 2000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two replicas on one PostgreSQL', { skip: cluster ? false : 'several replicas need PostgreSQL: set OPENECS_TEST_DATABASE_URL (tools/pg-test-cluster.sh)' }, () => {
  let database: TestDatabase;
  let sql: pg.Client;
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  let a: ServerProcess;
  let b: ServerProcess;
  let ecsA: EcsClientT;
  let ecsB: EcsClientT;
  let n: Network;
  /** The server key every replica is given (their secrets in the store are sealed with it). */
  let keyFile: string;

  async function replica(): Promise<ServerProcess> {
    const dir = mkdtempSync(join(tmpdir(), 'openecs-replica-'));
    dirs.push(dir);
    const server = await spawnServer({
      OPENECS_DATABASE_URL: database.url, OPENECS_DATA_DIR: dir, OPENECS_DRIVER: 'sim', OPENECS_SIM_DELAY_MS: '1000', OPENECS_TLS: '0',
      OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET, OPENECS_ENGINE_LEASE_MS: String(LEASE_MS),
      OPENECS_SERVER_KEY_FILE: keyFile,
    }, await freePort());
    servers.push(server);
    return server;
  }

  before(async () => {
    database = await createTestDatabase(cluster!);
    const keyDir = mkdtempSync(join(tmpdir(), 'openecs-replica-key-'));
    dirs.push(keyDir);
    keyFile = join(keyDir, 'server.key');
    writeFileSync(keyFile, randomBytes(32).toString('base64') + '\n', { mode: 0o600 });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    // Both at once on the empty database: migrations, the version row and the root account race.
    [a, b] = await Promise.all([replica(), replica()]);
    ecsA = makeClients(a.url, { accessKeyId: AK, accessKeySecret: SECRET }).ecs;
    ecsB = makeClients(b.url, { accessKeyId: AK, accessKeySecret: SECRET }).ecs;
    n = await createNetwork({ ecs: ecsA, vpc: makeClients(b.url, { accessKeyId: AK, accessKeySecret: SECRET }).vpc });
  });
  after(async () => {
    for (const s of servers) await s.stop().catch(() => undefined);
    await sql?.end().catch(() => undefined);
    await database?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  /** Alternates between the replicas (a load balancer's round robin). */
  let turn = 0;
  const next = () => (turn++ % 2 === 0 || b.child.exitCode !== null ? (a.child.exitCode === null ? ecsA : ecsB) : ecsB);

  async function statuses(ids: string[], via: () => EcsClientT = next): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (let k = 0; k < ids.length; k += 100) {
      const r = await via().describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', instanceIds: JSON.stringify(ids.slice(k, k + 100)), pageSize: 100 }));
      for (const i of r.body!.instances!.instance!) out.set(i.instanceId!, i.status!);
    }
    return out;
  }

  async function waitFor(ids: string[], status: string, ms: number, via?: () => EcsClientT) {
    const deadline = Date.now() + ms;
    let last = new Map<string, string>();
    while (Date.now() < deadline) {
      last = await statuses(ids, via);
      if (ids.every((id) => last.get(id) === status)) return;
      await sleep(200);
    }
    const off = ids.filter((id) => last.get(id) !== status).map((id) => `${id}=${last.get(id)}`);
    assert.fail(`not ${status} after ${ms} ms: ${off.join(', ')}`);
  }

  it('started together on an empty database, they made one root account', async () => {
    const r = await sql.query('select count(*)::int as n from accounts where is_admin = 1');
    assert.equal(r.rows[0].n, 1);
    for (const s of [a, b]) assert.match(s.output(), new RegExp(`AccessKeyId ${AK}`));
  });

  it('one ClientToken sent to both replicas at once creates the instances once', async () => {
    const req = () => runRequest(n, { amount: 3, clientToken: 'replica-token-1', instanceName: 'tok' });
    const [ra, rb] = await Promise.all([ecsA.runInstances(req()), ecsB.runInstances(req())]);
    const ids = ra.body!.instanceIdSets!.instanceIdSet!;
    assert.equal(ids.length, 3);
    assert.deepEqual(rb.body!.instanceIdSets!.instanceIdSet, ids);
    const named = await sql.query(`select count(*)::int as n from instances where name like 'tok%'`);
    assert.equal(named.rows[0].n, 3);
    await waitFor(ids, 'Running', 20_000);
  });

  it('an AccessKey disabled or deleted through one replica is refused by the other within a second', async () => {
    const ramA = ramClient(a.url, { accessKeyId: AK, accessKeySecret: SECRET });
    const ramB = ramClient(b.url, { accessKeyId: AK, accessKeySecret: SECRET });
    await ramA.call('CreateUser', { UserName: 'replica-user' });
    const key = (await ramB.call('CreateAccessKey', { UserName: 'replica-user' })).AccessKey;
    const as = (url: string) => makeClients(url, { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret }).ecs;
    const describe = (c: EcsClientT) => c.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    /** What a replica answers the key: '' when it authenticates (allowed or not by policy), else the refusal's code. */
    const refusal = async (c: EcsClientT) => {
      try { await describe(c); return ''; } catch (e: any) { return /^InvalidAccessKeyId/.test(e.code ?? '') ? String(e.code) : ''; }
    };
    // Both replicas know the key (and have cached it).
    assert.equal(await refusal(as(a.url)), '');
    assert.equal(await refusal(as(b.url)), '');

    const refusedWithin = async (c: EcsClientT) => {
      const t0 = Date.now();
      while (Date.now() - t0 < 3000) {
        const code = await refusal(c);
        if (code) return { code, ms: Date.now() - t0 };
        await sleep(25);
      }
      return { code: '', ms: Infinity };
    };
    await ramA.call('UpdateAccessKey', { UserName: 'replica-user', UserAccessKeyId: key.AccessKeyId, Status: 'Inactive' });
    const disabled = await refusedWithin(as(b.url));
    assert.ok(disabled.code, 'replica B never refused the disabled key');
    assert.ok(disabled.ms <= 1000, `replica B refused the disabled key only after ${disabled.ms} ms`);

    await ramA.call('UpdateAccessKey', { UserName: 'replica-user', UserAccessKeyId: key.AccessKeyId, Status: 'Active' });
    assert.equal((await refusedWithin(as(a.url))).code, '', 'active again');
    await sleep(600);
    assert.equal(await refusal(as(b.url)), '', 'B sees it active again');
    await ramB.call('DeleteAccessKey', { UserName: 'replica-user', UserAccessKeyId: key.AccessKeyId });
    const deleted = await refusedWithin(as(a.url));
    assert.ok(deleted.code, 'replica A never refused the deleted key');
    assert.ok(deleted.ms <= 1000, `replica A refused the deleted key only after ${deleted.ms} ms`);
  });

  it('killed with SIGKILL while holding leases, one replica leaves its work to the other: nothing lost, nothing done twice', async () => {
    const first = (await next().runInstances(runRequest(n, { amount: 10, instanceName: 'first' }))).body!.instanceIdSets!.instanceIdSet!;
    await waitFor(first, 'Running', 30_000);

    // A burst of work for both engines: a batch of stops through A, a launch of 20 through B.
    const stop = ecsA.stopInstances(new $Ecs.StopInstancesRequest({ regionId: 'cn-hangzhou', instanceId: first, batchOptimization: 'AllTogether' }));
    const launch = ecsB.runInstances(runRequest(n, { amount: 20, instanceName: 'burst' }));
    const [stopped, launched] = await Promise.all([stop, launch]);
    assert.equal(stopped.body!.instanceResponses!.instanceResponse!.length, 10);
    const burst = launched.body!.instanceIdSets!.instanceIdSet!;

    // Freeze A until it is caught holding a lease on a running reconciler, then kill it there.
    const owner = `%#${a.child.pid}:%`;
    let held: number[] = [];
    for (let i = 0; i < 400 && held.length === 0; i++) {
      a.child.kill('SIGSTOP');
      const r = await sql.query(`select id from operations where status = 'pending' and lease_owner like $1`, [owner]);
      held = r.rows.map((x) => Number(x.id));
      if (held.length === 0) { a.child.kill('SIGCONT'); await sleep(2 + (i % 7)); }
    }
    await a.kill9();
    assert.ok(held.length > 0, 'replica A was never caught holding a lease (no work in flight?)');

    // B takes over the dead replica's leases once they run out, and finishes everything.
    await waitFor(first, 'Stopped', 30_000, () => ecsB);
    await waitFor(burst, 'Running', 30_000, () => ecsB);
    const orphans = await sql.query(`select id, kind, resource_id, status, lease_owner from operations where id = any($1::bigint[])`, [held]);
    assert.equal(orphans.rows.length, held.length);
    for (const op of orphans.rows) {
      assert.ok(!String(op.lease_owner).includes(`#${a.child.pid}:`), `operation ${op.id} (${op.kind} ${op.resource_id}) is still leased by the dead replica`);
      assert.notEqual(op.status, 'failed');
    }
    const stuck = await sql.query(`select count(*)::int as n from operations where status = 'pending' and lease_owner like $1`, [owner]);
    assert.equal(stuck.rows[0].n, 0, 'leases of the dead replica remain');
    const failed = await sql.query(`select kind, resource_id, error from operations where status = 'failed'`);
    assert.deepEqual(failed.rows, []);

    // Each instance went through each step exactly once.
    const all = [...first, ...burst];
    const tr = await sql.query('select resource_id, from_status, to_status from transitions where resource_id = any($1::text[]) order by id', [all]);
    const steps = new Map<string, string[]>();
    for (const t of tr.rows) steps.set(t.resource_id, [...(steps.get(t.resource_id) ?? []), `${t.from_status}>${t.to_status}`]);
    for (const id of burst) assert.deepEqual(steps.get(id)?.filter((s) => !s.startsWith('>')), ['Pending>Starting', 'Starting>Running'], id);
    for (const id of first) {
      assert.deepEqual(steps.get(id)?.filter((s) => !s.startsWith('>')), ['Pending>Starting', 'Starting>Running', 'Running>Stopping', 'Stopping>Stopped'], id);
    }
    const count = await sql.query(`select count(*)::int as n from instances where name like 'burst%' or name like 'first%'`);
    assert.equal(count.rows[0].n, 30, 'no instance created twice');
  });
});
