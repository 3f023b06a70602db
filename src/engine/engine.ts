/**
 * The background engine: runs due operations through their reconcilers and runs timers
 * (auto release, automatic snapshots, retention). Reconcilers are level-triggered and
 * idempotent, so an operation interrupted by `kill -9` is simply run again: by this process
 * after a restart, or by another replica once the dead one's lease has run out (claim.ts).
 *
 * Operations run concurrently, at most `concurrency` at once, never two of one resource at once
 * (here: the busy set; across replicas: the leases). A run that outlives `timeoutMs` is
 * abandoned and retried (its resource stays busy here until its promise settles). Failures are
 * retried with capped backoff; after many, the kind's give-up settles the resource (backoff.ts).
 */
import type { Db } from '../store/db.js';
import type { Clock } from './clock.js';
import type { ComputeDriver } from '../compute/driver.js';
import { afterFailure, DEFAULT_RETRY } from './backoff.js';
import { claimDue, dbNow, finish, renew, type ClaimedOperation, type Finish } from './claim.js';
import { Leadership } from './leadership.js';
import { dialectOf, startsWith } from '../store/dialect.js';
import type { EngineSettings } from './settings.js';
import { DEFAULT_RETENTION } from './settings.js';

export interface EngineEnv {
  db: Db;
  clock: Clock;
  driver: ComputeDriver;
  log: (msg: string, extra?: Record<string, unknown>) => void;
}

export interface OperationRow {
  id: number;
  kind: string;
  resource_id: string;
  account_id: string;
  payload: string;
  attempts: number;
}

/** `done`, or the time to look again. */
export type ReconcileResult = { done: true } | { retryAt: number };
export type Reconciler = (op: OperationRow, env: EngineEnv) => Promise<ReconcileResult>;
export type Timer = (env: EngineEnv) => Promise<void>;
/**
 * After too many failures: move the resource to a settled state and record why (`error` is the
 * last failure). Returns false when there is nothing to settle (the engine keeps retrying).
 */
export type GiveUp = (op: OperationRow, env: EngineEnv, error: string) => Promise<boolean>;

export interface ReconcilerOptions { giveUp?: GiveUp }

const IDLE_POLL_MS = 500;
/** A due operation that could not be claimed (a failing store) is not looked at in a busy loop. */
const MIN_POLL_MS = 10;

export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  owner: `engine:${process.pid}`,
  concurrency: 4,
  leaseMs: 30_000,
  timeoutMs: 120_000,
  retry: DEFAULT_RETRY,
  retention: DEFAULT_RETENTION,
};

class Timeout extends Error {}

export class Engine {
  private reconcilers = new Map<string, { run: Reconciler; giveUp?: GiveUp }>();
  private timers: Timer[] = [];
  private handle: NodeJS.Timeout | undefined;
  private renewal: NodeJS.Timeout | undefined;
  private stopped = true;
  /** Resources with a run in flight in this process (timed-out runs included, until they settle). */
  private busy = new Set<string>();
  /** Operations whose lease this process holds, by id, with their run. */
  private leased = new Map<number, { op: ClaimedOperation; run: Promise<void> }>();
  private filling: Promise<void> | undefined;
  private refill = false;
  private timersRunning: Promise<void> | undefined;
  readonly settings: EngineSettings;
  private timerLease: Leadership;

  constructor(readonly env: EngineEnv, settings: Partial<EngineSettings> = {}) {
    this.settings = { ...DEFAULT_ENGINE_SETTINGS, ...settings };
    this.timerLease = new Leadership(env.db, 'timers', this.settings.owner, this.settings.leaseMs);
    env.clock.onChange(() => this.wake());
  }

  register(kind: string, reconciler: Reconciler, options: ReconcilerOptions = {}) {
    this.reconcilers.set(kind, { run: reconciler, giveUp: options.giveUp });
  }
  /** Sets (or replaces) the give-up of a registered kind. */
  setGiveUp(kind: string, giveUp: GiveUp) {
    const entry = this.reconcilers.get(kind);
    if (entry) entry.giveUp = giveUp;
  }
  addTimer(timer: Timer) { this.timers.push(timer); }

  start() {
    this.stopped = false;
    const every = Math.max(250, Math.floor(this.settings.leaseMs / 3));
    this.renewal = setInterval(() => void this.renewLeases(), every);
    this.renewal.unref?.();
    this.wake();
  }

  /**
   * At start-up: leases held by an earlier process of this replica (same host and data dir, so
   * certainly dead: two processes never share a data dir) are given back at once, so its work is
   * not left waiting for them to run out. On SQLite, the only process on the file, every lease.
   */
  async recover(): Promise<void> {
    const { db } = this.env;
    const sep = this.settings.owner.lastIndexOf('#');
    const replica = sep > 0 ? this.settings.owner.slice(0, sep + 1) : undefined;
    const postgres = dialectOf(db) === 'postgres';
    if (postgres && !replica) return;
    let ops = db.updateTable('operations').set({ lease_owner: '', lease_until: 0 }).where('lease_owner', '<>', '');
    let timers = db.deleteFrom('engine_leases');
    if (postgres) {
      ops = ops.where(startsWith('postgres', 'lease_owner', replica!)).where('lease_owner', '<>', this.settings.owner);
      timers = timers.where(startsWith('postgres', 'owner', replica!)).where('owner', '<>', this.settings.owner);
    }
    const released = await ops.executeTakeFirst();
    await timers.execute();
    const n = Number(released.numUpdatedRows);
    if (n) this.env.log('took back the leases of an earlier process of this replica', { operations: n });
  }

  /** Stops claiming, lets the runs in flight finish (each bounded by the timeout), then returns. */
  async stop() {
    this.stopped = true;
    if (this.handle) clearTimeout(this.handle);
    if (this.renewal) clearInterval(this.renewal);
    await this.timersRunning;
    await this.filling;
    await Promise.all([...this.leased.values()].map((l) => l.run));
    await this.timerLease.release().catch((e) => this.env.log('releasing the timer lease failed', { error: String(e) }));
  }

  /** Runs a tick soon; called after a transaction enqueued work or the clock moved. */
  wake() {
    if (this.stopped) return;
    if (this.handle) clearTimeout(this.handle);
    this.handle = setTimeout(() => void this.tick(), 0);
  }

  /** Resolves when nothing is due right now (tests use it with a manual clock). */
  async settle(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await this.tick();
      await this.drain();
      const due = await this.env.db.selectFrom('operations').select('id')
        .where('status', '=', 'pending').where('due_at', '<=', this.env.clock.now())
        .where('lease_until', '<', dbNow(this.env.db))
        .$if(this.busy.size > 0, (q) => q.where('resource_id', 'not in', [...this.busy]))
        .executeTakeFirst();
      if (!due) return;
    }
    this.env.log('settle: operations still due after 1000 passes', {});
  }

  /** Runs the timers, then starts what is due; schedules the next look. */
  async tick(): Promise<void> {
    await this.runTimers();
    await this.fill();
    if (!this.stopped) await this.schedule();
  }

  private async runTimers(): Promise<void> {
    if (this.timersRunning) return this.timersRunning;
    // One replica at a time runs the timers (two would both take a policy's snapshot): the one
    // holding the `timers` lease; the others skip them.
    this.timersRunning = (async () => {
      if (!(await this.timerLease.held())) return;
      for (const t of this.timers) {
        try { await t(this.env); } catch (e) { this.env.log('timer failed', { error: String(e) }); }
      }
    })().then(() => undefined, (e) => this.env.log('timers failed', { error: String(e) }))
      .finally(() => { this.timersRunning = undefined; });
    return this.timersRunning;
  }

  /** Claims due operations while there is room, and starts them. */
  private async fill(): Promise<void> {
    if (this.filling) { this.refill = true; return this.filling; }
    this.filling = (async () => {
      do {
        this.refill = false;
        const room = this.settings.concurrency - this.leased.size;
        if (room <= 0) break;
        let ops: ClaimedOperation[] = [];
        try {
          ops = await claimDue(this.env.db, {
            owner: this.settings.owner, limit: room, now: this.env.clock.now(), leaseMs: this.settings.leaseMs, busy: this.busy,
          });
        } catch (e) {
          this.env.log('claiming operations failed', { error: String(e) });
          break;
        }
        for (const op of ops) this.launch(op);
        if (ops.length === room) this.refill = true;
      } while (this.refill);
    })().finally(() => { this.filling = undefined; });
    return this.filling;
  }

  private launch(op: ClaimedOperation) {
    this.busy.add(op.resource_id);
    const run = this.runOne(op).finally(() => {
      this.leased.delete(op.id);
      // Room for another: look again soon rather than at the next poll. A macrotask, so a chain
      // of runs (an operation due again at once) never starves the event loop; stopped (tests
      // drive it with settle), the next pass is settle's.
      if (!this.stopped) setImmediate(() => void this.fill());
    });
    this.leased.set(op.id, { op, run });
  }

  /** Waits until no run of this process holds a lease and no claim is under way. */
  private async drain(): Promise<void> {
    while (this.leased.size > 0 || this.filling) {
      await Promise.race([...[...this.leased.values()].map((l) => l.run), this.filling].filter(Boolean));
    }
  }

  private async runOne(op: ClaimedOperation): Promise<void> {
    const { clock, log } = this.env;
    const entry = this.reconcilers.get(op.kind);
    let how: Finish;
    let work: Promise<ReconcileResult> | undefined;
    let timedOut = false;
    try {
      if (!entry) throw new Error(`no reconciler for ${op.kind}`);
      work = Promise.resolve().then(() => entry.run(op, this.env));
      const result = await withTimeout(work, this.settings.timeoutMs);
      how = 'done' in result ? { kind: 'done' } : { kind: 'retry', dueAt: result.retryAt, attempts: 0, error: '' };
    } catch (e) {
      timedOut = e instanceof Timeout;
      how = await this.afterFailure(op, entry?.giveUp, timedOut ? `timed out after ${this.settings.timeoutMs} ms` : String(e));
    }
    if (timedOut && work) {
      // Abandoned, not forgotten: its resource stays busy here until the promise settles.
      work.then(() => undefined, (e) => log('abandoned run failed', { kind: op.kind, resource: op.resource_id, error: String(e) }))
        .finally(() => { this.busy.delete(op.resource_id); this.wake(); });
    } else {
      this.busy.delete(op.resource_id);
    }
    try {
      const outcome = await finish(this.env.db, op, this.settings.owner, how, clock.now());
      if (outcome === 'lost') log('lease lost before the run ended: its outcome is not recorded', { kind: op.kind, resource: op.resource_id });
    } catch (e) {
      // The lease runs out and the operation is run again: reconcilers are idempotent.
      log('recording an operation failed', { kind: op.kind, resource: op.resource_id, error: String(e) });
    }
  }

  private async afterFailure(op: ClaimedOperation, giveUp: GiveUp | undefined, error: string): Promise<Finish> {
    const { clock, log } = this.env;
    const attempts = op.attempts + 1;
    const decision = afterFailure(this.settings.retry, attempts, giveUp !== undefined);
    log('operation failed', { kind: op.kind, resource: op.resource_id, attempts, error });
    if (decision.next === 'give-up') {
      try {
        if (await giveUp!(op, this.env, error)) {
          log('operation given up; the resource is settled', { kind: op.kind, resource: op.resource_id, attempts, error });
          return { kind: 'failed', attempts, error };
        }
      } catch (e) {
        log('give-up failed', { kind: op.kind, resource: op.resource_id, error: String(e) });
      }
    }
    const inMs = decision.next === 'retry' ? decision.inMs : this.settings.retry.capMs;
    return { kind: 'retry', dueAt: clock.now() + inMs, attempts, error };
  }

  private async renewLeases() {
    const ids = [...this.leased.keys()];
    if (!ids.length) return;
    try {
      await renew(this.env.db, this.settings.owner, ids, this.settings.leaseMs);
    } catch (e) {
      this.env.log('renewing leases failed', { error: String(e) });
    }
  }

  private async schedule() {
    const { db, clock } = this.env;
    let due = Infinity;
    // At capacity, a run's end looks again; otherwise the earliest operation this process could claim.
    if (this.leased.size < this.settings.concurrency) {
      try {
        const next = await db.selectFrom('operations').select((eb) => eb.fn.min('due_at').as('due'))
          .where('status', '=', 'pending').where('lease_until', '<', dbNow(db))
          .$if(this.busy.size > 0, (q) => q.where('resource_id', 'not in', [...this.busy]))
          .executeTakeFirst();
        if (next?.due != null) due = Number(next.due);
      } catch (e) {
        this.env.log('engine schedule failed', { error: String(e) });
      }
    }
    // Other replicas' leases run out and their work becomes ours: never sleep longer than the poll.
    const delay = Math.max(MIN_POLL_MS, Math.min(due - clock.now(), IDLE_POLL_MS));
    if (this.stopped) return;
    if (this.handle) clearTimeout(this.handle);
    this.handle = setTimeout(() => void this.tick(), delay);
    this.handle.unref?.();
  }
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Timeout()), ms); });
  return Promise.race([p, limit]).finally(() => clearTimeout(timer));
}
