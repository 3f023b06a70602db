/**
 * Cluster-wide mutual exclusion for the few jobs that must not run on two replicas at once
 * (bootstrapping the root account on an empty database, claiming operations).
 *
 * PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock`), released by the
 * transaction's end, so a replica killed while holding it frees it with its connection. SQLite
 * has one writer per file and the server one connection: nothing to take.
 */
import { sql, type Transaction } from 'kysely';
import type { Database } from './schema.js';
import { dialectOf } from './dialect.js';

/** Waits for the lock `name` for the rest of `trx`. */
export async function lockFor(trx: Transaction<Database>, name: string): Promise<void> {
  if (dialectOf(trx) !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtext(${name}))`.execute(trx);
}
