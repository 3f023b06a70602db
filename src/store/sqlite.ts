/** The embedded store: one SQLite file in the data dir (or in memory), through better-sqlite3. */
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { statementKind } from './postgres.js';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing was a
 * large share of a DescribeInstances call, so statements are kept by their SQL text.
 *
 * `onWrite` runs when a statement changed the data: an INSERT/UPDATE/DELETE that touched a row
 * (its `changes`, or the rows its RETURNING gave back), or any schema statement. A statement that
 * changed nothing (the engine's idle claim, an UPDATE whose condition no longer holds) leaves the
 * store's version alone, so read caches keep their answers across an idle engine's polls. The
 * count comes right after the statement, before anything else can use the one connection, and
 * before a transaction's COMMIT.
 */
type Params = unknown[];
const DATA_STATEMENT = /^\s*(with\b[\s\S]*?\b)?(insert|update|delete|replace)\b/i;
const NO_CHANGE_STATEMENT = /^\s*(select|begin|commit|rollback|end|savepoint|release)\b/i;

/** The audit trail's writes: no cached answer reads audit_events, so they leave the version alone. */
const UNVERSIONED_WRITE = /^\s*(insert\s+into|delete\s+from)\s+"audit_events"/i;

function counted(stmt: BetterSqlite3.Statement, sql: string, onWrite: () => void) {
  if (NO_CHANGE_STATEMENT.test(sql) && !/^\s*rollback\s+to\b/i.test(sql)) return stmt;
  // Tables only the engine reads (its operations and leases, the audit trail; see postgres.ts):
  // the timer lease renewed every few seconds would otherwise retire every cached answer as often.
  if (statementKind(sql) === 'engine') return stmt;
  if (UNVERSIONED_WRITE.test(sql)) return stmt;
  const dml = DATA_STATEMENT.test(sql);
  return {
    get reader() { return stmt.reader; },
    all(params: Params) {
      const rows = stmt.all(...params);
      if (!dml || rows.length > 0) onWrite();
      return rows;
    },
    run(params: Params) {
      const r = stmt.run(...params);
      if (!dml || r.changes > 0) onWrite();
      return r;
    },
    iterate(params: Params) {
      onWrite();
      return stmt.iterate(...params);
    },
  };
}

function withStatementCache(sqlite: BetterSqlite3.Database, onWrite: () => void) {
  const cache = new Map<string, ReturnType<typeof counted>>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= 2000) cache.clear();
        stmt = counted(sqlite.prepare(sql), sql, onWrite);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/**
 * The dialect and its version: this process's writes (statements that changed data, counted as
 * they finish) and other connections' commits (SQLite's data_version, e.g. an
 * operator command on the same file).
 */
export function openSqlite(dataDir: string): { dialect: SqliteDialect; version: () => string } {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    file = join(dataDir, 'openecs.db');
    // Made owner-only before SQLite creates it: its WAL and shared-memory files take the same mode.
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  }
  const sqlite = new BetterSqlite3(file);
  // WAL + synchronous=NORMAL keeps every committed transaction across a process kill (not an OS crash).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A checkpoint every 40 MB of WAL rather than SQLite's 4 MB: a RunInstances of 100 instances
  // dirties a thousand-odd index pages (random ids), so the default checkpointed (and synced the
  // file) on nearly every commit, ~40 ms each at 10,000 instances; one checkpoint now writes the
  // pages many commits shared, once.
  sqlite.pragma('wal_autocheckpoint = 10000');
  let writes = 0;
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const dialect = new SqliteDialect({ database: withStatementCache(sqlite, () => { writes++; }) });
  return { dialect, version: () => `${writes}:${String(dataVersion.get())}` };
}
