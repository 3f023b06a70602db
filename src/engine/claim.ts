/**
 * Claiming operations with leases, so any number of replicas run the engine on one database.
 *
 * A replica claims due operations by writing its name and a lease end into them, in one
 * `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING` (SQLite: the same without
 * the lock clause; it has one writer). An operation whose lease has run out (its replica was
 * killed) is claimable again. A resource is never claimed while another operation of it holds a
 * live lease, so no two reconcilers of one resource run at once anywhere; claims are serialized
 * by an advisory lock so that check sees every other replica's committed claims.
 *
 * Lease times are the database's clock (PostgreSQL `clock_timestamp()`; SQLite: this process's
 * clock, the only one writing the file): replicas' clocks need not agree, and the service clock
 * (which tests move by hand and `due_at` follows) is not a time for leases.
 */
import { sql, type Expression, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import { dialectOf } from '../store/dialect.js';
import { lockFor } from '../store/cluster-locks.js';
import type { OperationRow } from './engine.js';

type Q = Kysely<Database> | Transaction<Database>;

/** An operation as a reconciler sees it, plus what finishing it compares against. */
export interface ClaimedOperation extends OperationRow {
  generation: number;
  due_at: number;
}

/** Milliseconds on the database's clock. */
export function dbNow(db: Q): Expression<number> {
  return dialectOf(db) === 'postgres'
    ? sql<number>`(extract(epoch from clock_timestamp()) * 1000)::bigint`
    : sql<number>`${Date.now()}`;
}

export interface ClaimRequest {
  owner: string;
  /** At most this many. */
  limit: number;
  /** Service-clock time: operations due by then. */
  now: number;
  leaseMs: number;
  /** Resources this process is still busy with (a run that timed out and has not settled). */
  busy?: Iterable<string>;
}

const CLAIM_LOCK = 'openecs_operation_claim';

export async function claimDue(db: Kysely<Database>, req: ClaimRequest): Promise<ClaimedOperation[]> {
  if (req.limit <= 0) return [];
  const busy = [...(req.busy ?? [])];
  const postgres = dialectOf(db) === 'postgres';
  // Most looks find nothing due: one indexed read instead of a locked write transaction.
  const any = await db.selectFrom('operations').select('id')
    .where('status', '=', 'pending').where('due_at', '<=', req.now).where('lease_until', '<', dbNow(db))
    .$if(busy.length > 0, (q) => q.where('resource_id', 'not in', busy))
    // In due order: the (status, due_at) index then stops at the first unleased row, where the
    // (status, lease_until) one would read every unleased operation not yet due.
    .orderBy('due_at').limit(1).executeTakeFirst();
  if (!any) return [];
  const claimed = await db.transaction().execute(async (trx) => {
    await lockFor(trx, CLAIM_LOCK);
    const now = dbNow(trx);
    let pick = trx.selectFrom('operations as o').select('o.id')
      .where('o.status', '=', 'pending').where('o.due_at', '<=', req.now).where('o.lease_until', '<', now)
      // The resources under a live lease, found once (a few rows: operations_leased), not per candidate.
      .where('o.resource_id', 'not in', trx.selectFrom('operations as l').select('l.resource_id')
        .where('l.status', '=', 'pending').where('l.lease_until', '>=', now))
      .orderBy('o.due_at').orderBy('o.id').limit(req.limit);
    if (busy.length) pick = pick.where('o.resource_id', 'not in', busy);
    if (postgres) pick = pick.forUpdate().skipLocked();
    return trx.updateTable('operations')
      .set({ lease_owner: req.owner, lease_until: sql<number>`${now} + ${req.leaseMs}` })
      .where('id', 'in', pick)
      .returning(['id', 'kind', 'resource_id', 'account_id', 'payload', 'attempts', 'generation', 'due_at'])
      .execute();
  });
  // Two operations of one resource may come in one batch: the earliest runs, the others wait.
  claimed.sort((a, b) => a.due_at - b.due_at || a.id - b.id);
  const seen = new Set<string>();
  const keep: ClaimedOperation[] = [];
  const extra: number[] = [];
  for (const op of claimed) {
    if (seen.has(op.resource_id)) extra.push(op.id);
    else { seen.add(op.resource_id); keep.push(op); }
  }
  if (extra.length) await release(db, req.owner, extra);
  return keep;
}

/** Gives leases back untouched (shutdown, a batch's second operation of a resource). */
export async function release(db: Q, owner: string, ids: number[]): Promise<void> {
  if (!ids.length) return;
  await db.updateTable('operations').set({ lease_owner: '', lease_until: 0 })
    .where('id', 'in', ids).where('lease_owner', '=', owner).execute();
}

/** Extends the leases `owner` holds on `ids`; returns how many it still held. */
export async function renew(db: Kysely<Database>, owner: string, ids: number[], leaseMs: number): Promise<number> {
  if (!ids.length) return 0;
  const r = await db.updateTable('operations').set({ lease_until: sql<number>`${dbNow(db)} + ${leaseMs}` })
    .where('id', 'in', ids).where('lease_owner', '=', owner).where('status', '=', 'pending').executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** How a run ended, as the engine decided it (see backoff.ts). */
export type Finish =
  | { kind: 'done' }
  | { kind: 'retry'; dueAt: number; attempts: number; error: string }
  /** Given up: the reconciler's give-up settled the resource; the operation keeps why. */
  | { kind: 'failed'; attempts: number; error: string };

/**
 * Records a run's end and gives the lease back, only if `owner` still holds it (a replica whose
 * lease ran out and was taken over changes nothing). A request that came during the run (a newer
 * `generation`) keeps the operation pending, due when that request asked.
 */
export async function finish(db: Kysely<Database>, op: ClaimedOperation, owner: string, how: Finish, now: number): Promise<'recorded' | 'rerun' | 'lost'> {
  const base = { lease_owner: '', lease_until: 0, updated_at: now };
  const unchanged = how.kind === 'done'
    ? { ...base, status: 'done', error: '' }
    : how.kind === 'retry'
      ? { ...base, due_at: how.dueAt, attempts: how.attempts, error: how.error }
      : { ...base, status: 'failed', attempts: how.attempts, error: how.error };
  const r = await db.updateTable('operations').set(unchanged)
    .where('id', '=', op.id).where('lease_owner', '=', owner).where('generation', '=', op.generation).executeTakeFirst();
  if (Number(r.numUpdatedRows) > 0) return 'recorded';
  // Asked again meanwhile: due as the new request said (or sooner, for a retry), count afresh.
  const dueAt = how.kind === 'retry' ? how.dueAt : Number.MAX_SAFE_INTEGER;
  const again = await db.updateTable('operations')
    .set((eb) => ({
      ...base, attempts: 0, error: how.kind === 'done' ? '' : how.error,
      due_at: eb.case().when('due_at', '<', dueAt).then(eb.ref('due_at')).else(dueAt).end(),
    }))
    .where('id', '=', op.id).where('lease_owner', '=', owner).executeTakeFirst();
  return Number(again.numUpdatedRows) > 0 ? 'rerun' : 'lost';
}
