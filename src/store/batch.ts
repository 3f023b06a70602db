/**
 * Multi-row INSERTs: one statement per table for a whole RunInstances batch instead of one per
 * row (a round trip each on PostgreSQL), split where a statement would pass the stores' limits on
 * bound parameters (SQLite 32,766; PostgreSQL 65,535).
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

const MAX_PARAMETERS = 30_000;

/** Rows of `table`, all with the same columns, in as few statements as the parameter limit allows. */
export async function insertRows<T extends keyof Database & string>(db: Q, table: T, rows: Insertable<Database[T]>[]): Promise<void> {
  for (const chunk of statementChunks(rows)) await db.insertInto(table).values(chunk as any).execute();
}

/** Rows (all with the same columns) split so each statement's bound parameters stay under the stores' limits. */
export function statementChunks<R extends object>(rows: R[]): R[][] {
  if (rows.length === 0) return [];
  const per = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, Object.keys(rows[0]!).length)));
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += per) out.push(rows.slice(i, i + per));
  return out;
}
