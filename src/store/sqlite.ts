/** The embedded store: one SQLite file in the data dir (or in memory), through better-sqlite3. */
import BetterSqlite3 from 'better-sqlite3';
import { SqliteDialect } from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing was a
 * large share of a DescribeInstances call, so statements are kept by their SQL text. Every
 * statement that is not a plain SELECT counts as a write (see storeVersion).
 */
function withStatementCache(sqlite: BetterSqlite3.Database, onWrite: () => void) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (!stmt) {
        if (cache.size >= 2000) cache.clear();
        stmt = sqlite.prepare(sql);
        cache.set(sql, stmt);
      }
      if (!/^\s*select\b/i.test(sql)) onWrite();
      return stmt;
    },
  };
}

/**
 * The dialect and its version: this process's writes (every non-SELECT statement, counted before
 * it runs, COMMIT included) and other connections' commits (SQLite's data_version, e.g. an
 * operator command on the same file).
 */
export function openSqlite(dataDir: string): { dialect: SqliteDialect; version: () => string } {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = join(dataDir, 'openecs.db');
  }
  const sqlite = new BetterSqlite3(file);
  // WAL + synchronous=NORMAL keeps every committed transaction across a process kill (not an OS crash).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  let writes = 0;
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const dialect = new SqliteDialect({ database: withStatementCache(sqlite, () => { writes++; }) });
  return { dialect, version: () => `${writes}:${String(dataVersion.get())}` };
}
