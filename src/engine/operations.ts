/** Durable operations: written in the same transaction as the resource change they drive. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/schema.js';

export interface NewOperation {
  kind: string;
  resourceId: string;
  accountId?: string;
  dueAt: number;
  payload?: Record<string, unknown>;
}

export async function enqueue(db: Kysely<Database> | Transaction<Database>, op: NewOperation, now: number): Promise<void> {
  // One pending operation per resource and kind: a reconciler is level-triggered, so a second
  // request only needs the existing one to run soon.
  const existing = await db.selectFrom('operations').select(['id', 'due_at'])
    .where('kind', '=', op.kind).where('resource_id', '=', op.resourceId).where('status', '=', 'pending')
    .executeTakeFirst();
  if (existing) {
    if (existing.due_at > op.dueAt) await db.updateTable('operations').set({ due_at: op.dueAt, updated_at: now }).where('id', '=', existing.id).execute();
    return;
  }
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
  }).execute();
}
