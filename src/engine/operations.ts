/**
 * Durable operations: written in the same transaction as the resource change they drive.
 *
 * What a request wants lives in the resource row (status, desired status, `force_stop`, …); an
 * operation only says "look at this resource by then". So `enqueue` keeps one pending operation
 * per (kind, resource), due no later than asked, and bumps its `generation`: a run that began
 * before this request (and may have read the row before it changed) then leaves the operation
 * pending instead of marking it done, and the engine runs it again (see claim.ts `finish`).
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

export interface NewOperation {
  kind: string;
  resourceId: string;
  accountId?: string;
  dueAt: number;
  /** Data that is not intent (intent belongs in the resource row); a later request's replaces an earlier one's. */
  payload?: Record<string, unknown>;
}

export async function enqueue(db: Kysely<Database> | Transaction<Database>, op: NewOperation, now: number): Promise<void> {
  // One statement on the partial unique index (kind, resource_id) where status = 'pending'
  // (migration 0015), so two replicas enqueueing at once cannot both insert.
  await db.insertInto('operations').values({
    kind: op.kind,
    resource_id: op.resourceId,
    account_id: op.accountId ?? '',
    status: 'pending',
    payload: JSON.stringify(op.payload ?? {}),
    due_at: op.dueAt,
    attempts: 0,
    error: '',
    created_at: now,
    updated_at: now,
  }).onConflict((oc) => oc.columns(['kind', 'resource_id']).where(sql.ref('status'), '=', sql.lit('pending')).doUpdateSet((eb) => ({
    due_at: eb.case().when(eb.ref('excluded.due_at'), '<', eb.ref('operations.due_at')).then(eb.ref('excluded.due_at')).else(eb.ref('operations.due_at')).end(),
    generation: eb(eb.ref('operations.generation'), '+', 1),
    // A new request is new intent: the give-up count starts again.
    attempts: 0,
    updated_at: now,
    ...(op.payload ? { payload: eb.ref('excluded.payload') } : {}),
  }))).execute();
}

/**
 * `enqueue` for many resources in one statement (RunInstances Amount=100), with the same
 * on-conflict rule. The operations must not carry payloads (each row would need its own).
 */
export async function enqueueMany(db: Kysely<Database> | Transaction<Database>, ops: NewOperation[], now: number): Promise<void> {
  if (ops.length === 0) return;
  if (ops.some((op) => op.payload)) throw new Error('enqueueMany: operations with a payload go through enqueue');
  await db.insertInto('operations').values(ops.map((op) => ({
    kind: op.kind, resource_id: op.resourceId, account_id: op.accountId ?? '', status: 'pending', payload: '{}', due_at: op.dueAt,
    attempts: 0, error: '', created_at: now, updated_at: now,
  }))).onConflict((oc) => oc.columns(['kind', 'resource_id']).where(sql.ref('status'), '=', sql.lit('pending')).doUpdateSet((eb) => ({
    due_at: eb.case().when(eb.ref('excluded.due_at'), '<', eb.ref('operations.due_at')).then(eb.ref('excluded.due_at')).else(eb.ref('operations.due_at')).end(),
    generation: eb(eb.ref('operations.generation'), '+', 1),
    attempts: 0,
    updated_at: now,
  }))).execute();
}
