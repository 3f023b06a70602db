/**
 * Claiming operations with leases (src/engine/claim.ts), enqueue's upsert and retention, on
 * SQLite and, when OPENECS_TEST_DATABASE_URL names a cluster, on PostgreSQL too.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Db } from '../../src/store/db.js';
import { enqueue } from '../../src/engine/operations.js';
import { claimDue, finish, release, renew } from '../../src/engine/claim.js';
import { sweep } from '../../src/engine/retention.js';
import { Leadership } from '../../src/engine/leadership.js';
import { statementKind } from '../../src/store/postgres.js';
import { Engine } from '../../src/engine/engine.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { ComputeDriver } from '../../src/compute/driver.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from '../helpers/pg.js';

const NOW = Date.parse('2026-11-23T06:00:00Z');
const DAY = 86_400_000;

interface Store { name: string; open(): Promise<Db> }
const stores: Store[] = [{ name: 'sqlite', open: () => openStore({ dataDir: ':memory:' }) }];
const cluster = testDatabaseCluster();
const dropped: TestDatabase[] = [];
if (cluster) {
  stores.push({
    name: 'postgres',
    async open() {
      const d = await createTestDatabase(cluster);
      dropped.push(d);
      return openStore({ dataDir: ':memory:', databaseUrl: d.url });
    },
  });
}
after(async () => { for (const d of dropped) await d.drop(); });

const pending = (db: Db) => db.selectFrom('operations').selectAll().where('status', '=', 'pending').orderBy('id').execute();
/** Makes every lease look expired, as if its replica had died long ago. */
const expireLeases = (db: Db) => db.updateTable('operations').set({ lease_until: 1 }).where('lease_owner', '<>', '').execute();

test('the engine\'s own writes move no store version (no API answer reads operations)', () => {
  const cases: [string, string][] = [
    ['update "operations" set "lease_owner" = $1 where "id" in (select "o"."id" from "operations" as "o")', 'engine'],
    ['insert into "operations" ("kind") values ($1) on conflict do nothing', 'engine'],
    ['delete from "operations" where "id" in (select "id" from "operations")', 'engine'],
    ['insert into "engine_leases" ("name") values ($1)', 'engine'],
    ['update "operations_archive" set "x" = 1', 'write'],
    ['update "instances" set "status" = $1', 'write'],
    ['delete from "transitions" where "id" in ($1)', 'write'],
    ['delete from "idempotency" where "created_at" <= $1', 'write'],
  ];
  for (const [text, want] of cases) assert.equal(statementKind(text), want, text);
});

for (const store of stores) {
  describe(`operation claims on ${store.name}`, () => {
    test('enqueue keeps one pending operation per (kind, resource), due no later than asked, and counts requests', async () => {
      const db = await store.open();
      try {
        const cases: [dueAt: number, expectDue: number, expectGeneration: number][] = [
          [NOW + 5000, NOW + 5000, 0],
          [NOW + 9000, NOW + 5000, 1],
          [NOW + 1000, NOW + 1000, 2],
          [NOW + 1000, NOW + 1000, 3],
        ];
        for (const [dueAt, expectDue, expectGeneration] of cases) {
          await db.transaction().execute((trx) => enqueue(trx, { kind: 'instance', resourceId: 'i-1', dueAt }, NOW));
          const rows = await pending(db);
          assert.equal(rows.length, 1);
          assert.equal(rows[0]!.due_at, expectDue);
          assert.equal(rows[0]!.generation, expectGeneration);
        }
        // Another kind of the same resource is its own operation.
        await enqueue(db, { kind: 'disk-content', resourceId: 'i-1', dueAt: NOW }, NOW);
        assert.equal((await pending(db)).length, 2);
        // A new request starts the give-up count again.
        await db.updateTable('operations').set({ attempts: 7 }).execute();
        await enqueue(db, { kind: 'instance', resourceId: 'i-1', dueAt: NOW }, NOW);
        const inst = (await pending(db)).find((r) => r.kind === 'instance')!;
        assert.equal(inst.attempts, 0);
      } finally { await db.destroy(); }
    });

    test('a claim takes due operations only, leases them, and another owner cannot take them until the lease runs out', async () => {
      const db = await store.open();
      try {
        for (const [id, due] of [['i-a', NOW - 10], ['i-b', NOW], ['i-c', NOW + 60_000]] as const) await enqueue(db, { kind: 'instance', resourceId: id, dueAt: due }, NOW);
        const a = await claimDue(db, { owner: 'A', limit: 10, now: NOW, leaseMs: 60_000 });
        assert.deepEqual(a.map((o) => o.resource_id), ['i-a', 'i-b']);
        const rows = await pending(db);
        assert.ok(rows.filter((r) => r.resource_id !== 'i-c').every((r) => r.lease_owner === 'A' && r.lease_until > Date.now() - 5000));
        assert.deepEqual(await claimDue(db, { owner: 'B', limit: 10, now: NOW, leaseMs: 60_000 }), [], 'held by A');
        assert.equal(await renew(db, 'A', a.map((o) => o.id), 60_000), 2);
        assert.equal(await renew(db, 'B', a.map((o) => o.id), 60_000), 0, 'B holds none of them');

        // A is killed: once its leases are out, B takes the work over.
        await expireLeases(db);
        const b = await claimDue(db, { owner: 'B', limit: 10, now: NOW, leaseMs: 60_000 });
        assert.deepEqual(b.map((o) => o.resource_id).sort(), ['i-a', 'i-b']);
        // A's late answer changes nothing; B's is recorded.
        assert.equal(await finish(db, a[0]!, 'A', { kind: 'done' }, NOW), 'lost');
        assert.equal(await finish(db, b.find((o) => o.id === a[0]!.id)!, 'B', { kind: 'done' }, NOW), 'recorded');
        const done = await db.selectFrom('operations').selectAll().where('id', '=', a[0]!.id).executeTakeFirstOrThrow();
        assert.equal(done.status, 'done');
        assert.equal(done.lease_owner, '');
      } finally { await db.destroy(); }
    });

    test('never two operations of one resource at once: a live lease, a batch and a busy resource each hold the others back', async () => {
      const db = await store.open();
      try {
        await enqueue(db, { kind: 'disk', resourceId: 'd-1', dueAt: NOW - 2 }, NOW);
        await enqueue(db, { kind: 'disk-content', resourceId: 'd-1', dueAt: NOW - 1 }, NOW);
        await enqueue(db, { kind: 'disk', resourceId: 'd-2', dueAt: NOW }, NOW);
        const first = await claimDue(db, { owner: 'A', limit: 10, now: NOW, leaseMs: 60_000 });
        assert.deepEqual(first.map((o) => `${o.kind}:${o.resource_id}`), ['disk:d-1', 'disk:d-2'], 'one per resource in a batch');
        assert.deepEqual(await claimDue(db, { owner: 'B', limit: 10, now: NOW, leaseMs: 60_000 }), [], 'd-1 is leased by A');
        await finish(db, first[0]!, 'A', { kind: 'done' }, NOW);
        const second = await claimDue(db, { owner: 'B', limit: 10, now: NOW, leaseMs: 60_000 });
        assert.deepEqual(second.map((o) => `${o.kind}:${o.resource_id}`), ['disk-content:d-1']);
        await release(db, 'B', second.map((o) => o.id));
        // A run of d-1 that timed out in this process and has not settled keeps d-1 busy here.
        assert.deepEqual(await claimDue(db, { owner: 'B', limit: 10, now: NOW, leaseMs: 60_000, busy: ['d-1'] }), []);
      } finally { await db.destroy(); }
    });

    test('a request during a run keeps the operation pending; without one it is done', async () => {
      const db = await store.open();
      try {
        const cases: [how: Parameters<typeof finish>[3], requestDuringRun: boolean, status: string, dueAt: number, attempts: number][] = [
          [{ kind: 'done' }, false, 'done', NOW, 0],
          [{ kind: 'done' }, true, 'pending', NOW, 0],
          [{ kind: 'retry', dueAt: NOW + 500, attempts: 3, error: 'boom' }, false, 'pending', NOW + 500, 3],
          [{ kind: 'retry', dueAt: NOW + 500, attempts: 3, error: 'boom' }, true, 'pending', NOW, 0],
          [{ kind: 'failed', attempts: 20, error: 'gave up' }, false, 'failed', NOW, 20],
          [{ kind: 'failed', attempts: 20, error: 'gave up' }, true, 'pending', NOW, 0],
        ];
        for (const [i, [how, during, status, dueAt, attempts]] of cases.entries()) {
          const id = `i-${i}`;
          await enqueue(db, { kind: 'instance', resourceId: id, dueAt: NOW }, NOW);
          const [op] = await claimDue(db, { owner: 'A', limit: 1, now: NOW, leaseMs: 60_000 });
          assert.equal(op!.resource_id, id);
          if (during) await enqueue(db, { kind: 'instance', resourceId: id, dueAt: NOW }, NOW);
          assert.equal(await finish(db, op!, 'A', how, NOW), during ? 'rerun' : 'recorded');
          const row = await db.selectFrom('operations').selectAll().where('id', '=', op!.id).executeTakeFirstOrThrow();
          assert.deepEqual([row.status, row.due_at, row.attempts, row.lease_owner], [status, dueAt, attempts, ''], `case ${i}`);
          if (row.status === 'pending') await db.updateTable('operations').set({ status: 'done' }).where('id', '=', row.id).execute();
        }
      } finally { await db.destroy(); }
    });

    test('two owners claiming at once get disjoint operations and all of them', async () => {
      const db = await store.open();
      try {
        await db.transaction().execute(async (trx) => {
          for (let i = 0; i < 40; i++) await enqueue(trx, { kind: 'instance', resourceId: `i-${i}`, dueAt: NOW }, NOW);
        });
        const got = await Promise.all(['A', 'B', 'C', 'D'].map((owner) => claimDue(db, { owner, limit: 15, now: NOW, leaseMs: 60_000 })));
        const ids = got.flat().map((o) => o.id);
        assert.equal(new Set(ids).size, ids.length, 'no operation claimed twice');
        assert.equal(ids.length, 40);
      } finally { await db.destroy(); }
    });

    test('the timer lease: one holder at a time, taken over once it runs out, given back on release', async () => {
      const db = await store.open();
      try {
        const a = new Leadership(db, 'timers', 'A', 60_000);
        const b = new Leadership(db, 'timers', 'B', 60_000);
        assert.equal(await a.held(), true);
        assert.equal(await b.held(), false);
        assert.equal(await a.held(), true, 'renewed by its holder');
        // A dies: its lease runs out, B takes it; A (had it lived on) learns it lost it.
        await db.updateTable('engine_leases').set({ lease_until: 1 }).execute();
        assert.equal(await b.held(), true);
        const a2 = new Leadership(db, 'timers', 'A', 60_000);
        assert.equal(await a2.held(), false);
        await b.release();
        assert.equal(await a2.held(), true);
      } finally { await db.destroy(); }
    });

    test('a restarted replica takes back the leases of its killed predecessor at once, not those of other replicas', async () => {
      const db = await store.open();
      try {
        const owners = ['host:/var/a#100:aaaaaa', 'host:/var/b#200:bbbbbb', 'host:/var/a#300:cccccc'];
        for (const [i, owner] of owners.entries()) {
          await enqueue(db, { kind: 'instance', resourceId: `i-${i}`, dueAt: NOW }, NOW);
          await claimDue(db, { owner, limit: 1, now: NOW, leaseMs: 60_000 });
        }
        await db.insertInto('engine_leases').values({ name: 'timers', owner: owners[0]!, lease_until: Date.now() + 60_000 }).execute();
        const engine = new Engine({ db, clock: new ManualClock(NOW), driver: {} as ComputeDriver, log: () => undefined }, { owner: 'host:/var/a#400:dddddd' });
        await engine.recover();
        const held = await db.selectFrom('operations').select(['resource_id', 'lease_owner']).orderBy('resource_id').execute();
        // PostgreSQL: /var/b is another live replica and keeps its lease. SQLite has one process: every lease was its own.
        const expected = store.name === 'postgres' ? ['', owners[1], ''] : ['', '', ''];
        assert.deepEqual(held.map((h) => h.lease_owner), expected);
        assert.equal((await db.selectFrom('engine_leases').selectAll().execute()).length, 0);
      } finally { await db.destroy(); }
    });

    test('retention deletes finished operations, old transitions and ClientToken answers in batches, and keeps the rest', async () => {
      const db = await store.open();
      try {
        const op = (status: string, updated: number, i: number) => ({
          kind: 'instance', resource_id: `i-${status}-${i}`, account_id: '', status, payload: '{}', due_at: updated, attempts: 0, error: '', created_at: updated, updated_at: updated,
        });
        const rows = [];
        for (let i = 0; i < 25; i++) rows.push(op('done', NOW - 8 * DAY, i));
        rows.push(op('failed', NOW - 8 * DAY, 0), op('done', NOW - 6 * DAY, 0), op('pending', NOW - 30 * DAY, 0));
        await db.insertInto('operations').values(rows).execute();
        const tr = [];
        for (let i = 0; i < 12; i++) tr.push({ resource_id: `i-${i}`, from_status: 'Starting', to_status: 'Running', at: NOW - 31 * DAY });
        tr.push({ resource_id: 'i-new', from_status: 'Starting', to_status: 'Running', at: NOW - 29 * DAY });
        await db.insertInto('transitions').values(tr).execute();
        const idem = [];
        for (let i = 0; i < 12; i++) idem.push({ account_id: '1', action: 'ecs:RunInstances', client_token: `t-${i}`, params_hash: 'h', response: '{}', created_at: NOW - 25 * 3_600_000 + (i % 3) });
        idem.push({ account_id: '1', action: 'ecs:RunInstances', client_token: 'fresh', params_hash: 'h', response: '{}', created_at: NOW - 23 * 3_600_000 });
        await db.insertInto('idempotency').values(idem).execute();

        const swept = await sweep(db, NOW, { operationsMs: 7 * DAY, transitionsMs: 30 * DAY, idempotencyMs: 24 * 3_600_000, intervalMs: 0, batch: 5 });
        assert.deepEqual(swept, { operations: 26, transitions: 12, idempotency: 12 });
        const left = await db.selectFrom('operations').select(['status', 'updated_at']).orderBy('updated_at').execute();
        assert.deepEqual(left.map((r) => r.status), ['pending', 'done']);
        assert.deepEqual((await db.selectFrom('transitions').select('resource_id').execute()).map((r) => r.resource_id), ['i-new']);
        assert.deepEqual((await db.selectFrom('idempotency').select('client_token').execute()).map((r) => r.client_token), ['fresh']);
        // 0 keeps for ever.
        assert.deepEqual(await sweep(db, NOW + 365 * DAY, { operationsMs: 0, transitionsMs: 0, idempotencyMs: 0, intervalMs: 0, batch: 5 }), { operations: 0, transitions: 0, idempotency: 0 });
      } finally { await db.destroy(); }
    });
  });
}
