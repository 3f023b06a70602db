/**
 * The engine's run loop with stand-in reconcilers: bounded concurrency, one run per resource at a
 * time, a hung run abandoned for retry, failures retried with backoff until the give-up settles
 * the resource, and a request during a run not lost.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Db } from '../../src/store/db.js';
import { Engine, type ReconcileResult } from '../../src/engine/engine.js';
import { ManualClock } from '../../src/engine/clock.js';
import { enqueue } from '../../src/engine/operations.js';
import type { ComputeDriver } from '../../src/compute/driver.js';

const NOW = Date.parse('2026-11-23T06:00:00Z');

async function setup(settings: ConstructorParameters<typeof Engine>[1] = {}) {
  const db = await openStore({ dataDir: ':memory:' });
  const clock = new ManualClock(NOW);
  const logs: { msg: string; extra?: Record<string, unknown> }[] = [];
  const engine = new Engine({ db, clock, driver: {} as ComputeDriver, log: (msg, extra) => logs.push({ msg, extra }) },
    { owner: 'test', leaseMs: 60_000, ...settings });
  return { db, clock, engine, logs };
}

const add = (db: Db, kind: string, resourceId: string, dueAt = NOW) => enqueue(db, { kind, resourceId, dueAt }, NOW);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('runs at most `concurrency` operations at once, never two of one resource', async () => {
  const { db, engine } = await setup({ concurrency: 3 });
  let running = 0;
  let peak = 0;
  const perResource = new Map<string, number>();
  const slow = async (op: { resource_id: string }): Promise<ReconcileResult> => {
    running++; peak = Math.max(peak, running);
    const n = (perResource.get(op.resource_id) ?? 0) + 1;
    perResource.set(op.resource_id, n);
    assert.equal(n, 1, `two runs of ${op.resource_id} at once`);
    await sleep(20);
    perResource.set(op.resource_id, n - 1);
    running--;
    return { done: true };
  };
  engine.register('a', slow);
  engine.register('b', slow);
  for (let i = 0; i < 8; i++) { await add(db, 'a', `r-${i}`); await add(db, 'b', `r-${i}`); }
  await engine.settle();
  assert.equal(peak, 3);
  const left = await db.selectFrom('operations').select('status').where('status', '<>', 'done').execute();
  assert.deepEqual(left, []);
  await db.destroy();
});

test('a hung run is abandoned after the timeout and retried once it settles; its resource stays busy meanwhile', async () => {
  const { db, clock, engine, logs } = await setup({ timeoutMs: 100 });
  let calls = 0;
  let unblock!: () => void;
  engine.register('a', async () => {
    calls++;
    if (calls === 1) await new Promise<void>((r) => { unblock = r; });
    return { done: true };
  });
  await add(db, 'a', 'r-1');
  await engine.settle();
  const op = await db.selectFrom('operations').selectAll().executeTakeFirstOrThrow();
  assert.equal(op.status, 'pending');
  assert.match(op.error, /timed out after 100 ms/);
  assert.equal(op.attempts, 1);
  assert.ok(logs.some((l) => l.msg === 'operation failed'));
  // Due again after the backoff, but the first run has not settled: not run twice at once.
  clock.advance(10_000);
  await engine.settle();
  assert.equal(calls, 1);
  unblock();
  await sleep(10);
  await engine.settle();
  assert.equal(calls, 2);
  assert.equal((await db.selectFrom('operations').select('status').executeTakeFirstOrThrow()).status, 'done');
  await db.destroy();
});

test('failures back off, capped, and after `giveUpAfter` the give-up settles the resource; no give-up: retries for ever', async () => {
  const { db, clock, engine } = await setup({ retry: { baseMs: 100, capMs: 400, giveUpAfter: 5 } });
  const gaveUp: string[] = [];
  engine.register('flaky', async () => { throw new Error('driver says no'); }, { giveUp: async (op, _env, error) => { gaveUp.push(`${op.resource_id}:${error}`); return true; } });
  engine.register('stubborn', async () => { throw new Error('still no'); });
  await add(db, 'flaky', 'i-1');
  await add(db, 'stubborn', 'i-2');
  const delays: number[] = [];
  for (let i = 0; i < 8; i++) {
    await engine.settle();
    const op = await db.selectFrom('operations').selectAll().where('resource_id', '=', 'i-1').executeTakeFirstOrThrow();
    if (op.status !== 'pending') break;
    delays.push(op.due_at - clock.now());
    clock.set(op.due_at);
  }
  assert.deepEqual(delays, [100, 200, 400, 400]);
  assert.deepEqual(gaveUp, ['i-1:Error: driver says no']);
  const flaky = await db.selectFrom('operations').selectAll().where('resource_id', '=', 'i-1').executeTakeFirstOrThrow();
  assert.equal(flaky.status, 'failed');
  assert.equal(flaky.attempts, 5);
  for (let i = 0; i < 10; i++) { clock.advance(1000); await engine.settle(); }
  const stubborn = await db.selectFrom('operations').selectAll().where('resource_id', '=', 'i-2').executeTakeFirstOrThrow();
  assert.equal(stubborn.status, 'pending', 'a kind without a give-up is never left failed');
  assert.ok(stubborn.attempts >= 10);
  await db.destroy();
});

test('a request that arrives while its operation runs is run afterwards, not marked done with the old run', async () => {
  const { db, engine } = await setup();
  const seen: number[] = [];
  let intent = 1;
  engine.register('a', async () => {
    seen.push(intent);
    if (seen.length === 1) { intent = 2; await add(db, 'a', 'r-1'); }
    return { done: true };
  });
  await add(db, 'a', 'r-1');
  await engine.settle();
  assert.deepEqual(seen, [1, 2]);
  await db.destroy();
});
