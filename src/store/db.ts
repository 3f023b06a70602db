/** Opens the store (embedded SQLite in the data dir by default) and brings its schema up to date. */
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect, type Migration, type MigrationProvider } from 'kysely';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from './schema.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_security_group_rules.js';
import * as m0003 from './migrations/0003_key_pairs.js';
import * as m0004 from './migrations/0004_storage.js';
import * as m0005 from './migrations/0005_instance_listing.js';
import * as m0006 from './migrations/0006_operation_lookup.js';
import * as m0007 from './migrations/0007_metadata_options.js';

export type Db = Kysely<Database>;

/** Ordered plain modules; a new migration is one line here. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_security_group_rules': m0002,
  '0003_key_pairs': m0003,
  '0004_storage': m0004,
  '0005_instance_listing': m0005,
  '0006_operation_lookup': m0006,
  '0007_metadata_options': m0007,
};

class StaticMigrations implements MigrationProvider {
  async getMigrations() { return migrations; }
}

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

const versions = new WeakMap<Db, () => string>();

/**
 * A value that changes whenever the store's data may have changed: this process's writes (every
 * non-SELECT statement, counted before it runs, COMMIT included) and other connections' commits
 * (SQLite's data_version, e.g. an operator command on the same file). Read caches key on it.
 */
export function storeVersion(db: Db): string {
  const v = versions.get(db);
  if (!v) throw new Error('storeVersion: not a store opened by openStore');
  return v();
}

export interface StoreOptions {
  /** A folder for `openecs.db`, or ':memory:'. */
  dataDir: string;
}

export async function openStore(opts: StoreOptions): Promise<Db> {
  let file = ':memory:';
  if (opts.dataDir !== ':memory:') {
    mkdirSync(opts.dataDir, { recursive: true });
    file = join(opts.dataDir, 'openecs.db');
  }
  const sqlite = new BetterSqlite3(file);
  // WAL + synchronous=NORMAL keeps every committed transaction across a process kill (not an OS crash).
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  let writes = 0;
  const dataVersion = sqlite.prepare('PRAGMA data_version').pluck();
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite, () => { writes++; }) }) });
  versions.set(db, () => `${writes}:${String(dataVersion.get())}`);
  const { error, results } = await new Migrator({ db, provider: new StaticMigrations() }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`store migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return db;
}
