/**
 * forUpdate() adds `for update` on PostgreSQL only (SQLite refuses the clause and serialises
 * writers anyway), and lockRows() locks in one statement, ids in order, so concurrent lockers of
 * overlapping sets queue instead of deadlocking.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Kysely, PostgresDialect, SqliteDialect, type CompiledQuery } from 'kysely';
import { forUpdate } from '../../src/store/dialect.js';
import { lockRows } from '../../src/store/row-locks.js';

/** A Kysely of the dialect that records the SQL it would run (no server needed). */
function recording(kind: 'sqlite' | 'postgres'): { db: Kysely<any>; seen: CompiledQuery[] } {
  const seen: CompiledQuery[] = [];
  const dialect = kind === 'postgres'
    ? new PostgresDialect({ pool: { async connect() { return { query: async (sql: string, parameters: unknown[]) => { seen.push({ sql, parameters } as any); return { rows: [], command: 'SELECT' }; }, release() { /* pooled */ } } as any; }, async end() { /* nothing */ } } })
    : new SqliteDialect({ database: { close() { /* nothing */ }, prepare() { return { reader: true, all: () => [], run: () => ({ changes: 0, lastInsertRowid: 0 }), iterate: () => [][Symbol.iterator]() } as any; } } });
  return { db: new Kysely<any>({ dialect }), seen };
}

describe('forUpdate', () => {
  const table: ['sqlite' | 'postgres', RegExp][] = [
    ['postgres', /for update$/],
    ['sqlite', /"id" = \?$/],
  ];
  for (const [kind, want] of table) {
    it(`${kind}: ${want}`, () => {
      const { db } = recording(kind);
      const q = forUpdate(db, db.selectFrom('accounts').select('id').where('id', '=', 'a'));
      assert.match(q.compile().sql, want);
    });
  }
});

describe('lockRows', () => {
  it('one statement, ids de-duplicated, in id order (postgres: for update)', async () => {
    const { db, seen } = recording('postgres');
    await lockRows(db as any, 'disks', ['d-b', 'd-a', 'd-b']);
    assert.equal(seen.length, 1);
    assert.match(seen[0]!.sql, /order by "id" for update$/);
    assert.deepEqual([...seen[0]!.parameters], ['d-b', 'd-a']);
  });

  it('nothing to lock: no statement', async () => {
    const { db, seen } = recording('postgres');
    assert.deepEqual(await lockRows(db as any, 'instances', []), []);
    assert.equal(seen.length, 0);
  });
});
