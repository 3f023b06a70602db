/**
 * The few places where SQLite and PostgreSQL need different SQL, kept in one module so migrations
 * and queries stay on Kysely's portable builder everywhere else.
 */
import { PostgresAdapter, sql, type ColumnDefinitionBuilder, type Expression, type Kysely, type SqlBool } from 'kysely';

export type DialectName = 'sqlite' | 'postgres';

/** Which store a Kysely instance (or a migration's `db`) talks to. */
export function dialectOf(db: Pick<Kysely<any>, 'getExecutor'>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}

/**
 * A surrogate key numbered by the store: SQLite's `integer primary key autoincrement` (ids never
 * reused, as migration 0001 always made them there) or PostgreSQL's identity column (bigint,
 * which `autoincrement` does not compile to).
 */
export function serialKey(dialect: DialectName): { type: 'integer' | 'bigint'; build: (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder } {
  return dialect === 'postgres'
    ? { type: 'bigint', build: (c) => c.generatedByDefaultAsIdentity().primaryKey() }
    : { type: 'integer', build: (c) => c.primaryKey().autoIncrement() };
}

/**
 * ECS name filters with `*`: the wildcard matches any run of characters, everything else matches
 * itself (`%`, `_` and `\` included), letters in any case for ASCII, on both stores. SQLite's LIKE
 * has no escape character unless one is named, and PostgreSQL's LIKE is case-sensitive.
 */
export function wildcardPattern(filter: string): string {
  return escapeLike(filter).replace(/\*/g, '%');
}

function escapeLike(s: string): string {
  return s.replace(/[%_\\]/g, '\\$&');
}

function likeMatch(dialect: DialectName, column: string, pattern: string): Expression<SqlBool> {
  return dialect === 'postgres'
    ? sql<SqlBool>`${sql.ref(column)} ilike ${pattern} escape '\\'`
    : sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

export function matchesWildcard(dialect: DialectName, column: string, filter: string): Expression<SqlBool> {
  return likeMatch(dialect, column, wildcardPattern(filter));
}

/** `column` starts with `prefix` (case-insensitive for ASCII, as SQLite's LIKE always was). */
export function startsWith(dialect: DialectName, column: string, prefix: string): Expression<SqlBool> {
  return likeMatch(dialect, column, `${escapeLike(prefix)}%`);
}

/**
 * `qb … FOR UPDATE` on PostgreSQL, `qb` unchanged on SQLite: a check made inside a writing
 * transaction locks the rows it reads, so a concurrent transaction (another connection of the pool,
 * another replica) checking the same rows waits for this one's commit and then sees its writes.
 * SQLite refuses the clause and needs none: it runs one writing transaction at a time.
 */
export function forUpdate<QB extends { forUpdate(): QB }>(db: Pick<Kysely<any>, 'getExecutor'>, qb: QB): QB {
  return dialectOf(db) === 'postgres' ? qb.forUpdate() : qb;
}

/** `qb … FOR SHARE` on PostgreSQL (many readers, no writer until they commit), `qb` on SQLite (see forUpdate). */
export function forShare<QB extends { forShare(): QB }>(db: Pick<Kysely<any>, 'getExecutor'>, qb: QB): QB {
  return dialectOf(db) === 'postgres' ? qb.forShare() : qb;
}
