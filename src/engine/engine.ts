/**
 * The background engine: runs due operations through their reconcilers and runs timers
 * (auto release, automatic snapshots). Reconcilers are level-triggered and idempotent, so an
 * operation interrupted by `kill -9` is simply run again after restart.
 */
import type { Db } from '../store/db.js';
import type { Clock } from './clock.js';
import type { ComputeDriver } from '../compute/driver.js';

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

const MAX_ATTEMPTS = 10;
const IDLE_POLL_MS = 500;

export class Engine {
  private reconcilers = new Map<string, Reconciler>();
  private timers: Timer[] = [];
  private handle: NodeJS.Timeout | undefined;
  private running = false;
  private stopped = true;
  private again = false;
  private idle: (() => void)[] = [];

  constructor(readonly env: EngineEnv) {
    env.clock.onChange(() => this.wake());
  }

  register(kind: string, reconciler: Reconciler) { this.reconcilers.set(kind, reconciler); }
  addTimer(timer: Timer) { this.timers.push(timer); }

  start() {
    this.stopped = false;
    this.wake();
  }

  async stop() {
    this.stopped = true;
    if (this.handle) clearTimeout(this.handle);
    while (this.running) await new Promise((r) => setTimeout(r, 5));
  }

  /** Runs a tick soon; called after a transaction enqueued work or the clock moved. */
  wake() {
    if (this.stopped) return;
    if (this.running) { this.again = true; return; }
    if (this.handle) clearTimeout(this.handle);
    this.handle = setTimeout(() => void this.tick(), 0);
  }

  /** Resolves when nothing is due right now (tests use it with a manual clock). */
  async settle(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await this.tick();
      const now = this.env.clock.now();
      const due = await this.env.db.selectFrom('operations').select('id')
        .where('status', '=', 'pending').where('due_at', '<=', now).executeTakeFirst();
      if (!due) return;
    }
  }

  async tick(): Promise<void> {
    if (this.running) { this.again = true; return; }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.runTimers();
        await this.runDue();
      } while (this.again && !this.stopped);
    } catch (e) {
      this.env.log('engine tick failed', { error: String(e) });
    } finally {
      this.running = false;
    }
    if (!this.stopped) await this.schedule();
  }

  private async runTimers() {
    for (const t of this.timers) {
      try { await t(this.env); } catch (e) { this.env.log('timer failed', { error: String(e) }); }
    }
  }

  private async runDue() {
    const { db, clock } = this.env;
    for (;;) {
      const now = clock.now();
      const ops = await db.selectFrom('operations').selectAll()
        .where('status', '=', 'pending').where('due_at', '<=', now)
        .orderBy('due_at').limit(200).execute();
      if (ops.length === 0) return;
      for (const op of ops) await this.runOne(op);
      if (ops.length < 200) return;
    }
  }

  private async runOne(op: OperationRow) {
    const { db, clock } = this.env;
    const reconciler = this.reconcilers.get(op.kind);
    let update: { status?: string; due_at?: number; attempts?: number; error?: string };
    try {
      if (!reconciler) throw new Error(`no reconciler for ${op.kind}`);
      const result = await reconciler(op, this.env);
      update = 'done' in result ? { status: 'done' } : { due_at: result.retryAt, attempts: 0, error: '' };
    } catch (e) {
      const attempts = op.attempts + 1;
      this.env.log('operation failed', { kind: op.kind, resource: op.resource_id, attempts, error: String(e) });
      update = attempts >= MAX_ATTEMPTS
        ? { status: 'failed', attempts, error: String(e) }
        : { attempts, error: String(e), due_at: clock.now() + Math.min(100 * 2 ** attempts, 30_000) };
    }
    await db.updateTable('operations').set({ ...update, updated_at: clock.now() }).where('id', '=', op.id).execute();
  }

  private async schedule() {
    const { db, clock } = this.env;
    const next = await db.selectFrom('operations').select((eb) => eb.fn.min('due_at').as('due'))
      .where('status', '=', 'pending').executeTakeFirst();
    const due = next?.due == null ? Infinity : Number(next.due);
    const delay = Math.max(0, Math.min(due - clock.now(), IDLE_POLL_MS));
    if (this.handle) clearTimeout(this.handle);
    this.handle = setTimeout(() => void this.tick(), delay);
    this.handle.unref?.();
  }
}
