/**
 * The store version (what read caches key on) moves when data changed, and only then: an engine
 * polling an idle store must not retire every cached answer twice a second. On SQLite, and on
 * PostgreSQL when OPENECS_TEST_DATABASE_URL names a cluster.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, storeVersion, type Db } from '../../src/store/db.js';
import { changedData } from '../../src/store/postgres.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from '../helpers/pg.js';

describe('which PostgreSQL results changed data', () => {
  const cases: [string, { command?: string; rowCount?: number | null }, boolean][] = [
    ['an UPDATE of no row', { command: 'UPDATE', rowCount: 0 }, false],
    ['an UPDATE of a row', { command: 'UPDATE', rowCount: 1 }, true],
    ['an INSERT … ON CONFLICT DO NOTHING that inserted nothing', { command: 'INSERT', rowCount: 0 }, false],
    ['a DELETE of 3 rows', { command: 'DELETE', rowCount: 3 }, true],
    ['DDL', { command: 'CREATE', rowCount: null }, true],
    ['an unknown result', {}, true],
  ];
  for (const [name, r, want] of cases) it(`${name}: ${want}`, () => assert.equal(changedData(r), want));
});

const stores: [string, string | undefined][] = [['SQLite', undefined]];
if (testDatabaseCluster()) stores.push(['PostgreSQL', testDatabaseCluster()]);

for (const [name, cluster] of stores) {
  describe(`store version on ${name}`, () => {
    let db: Db;
    let database: TestDatabase | undefined;
    before(async () => {
      if (cluster) database = await createTestDatabase(cluster);
      db = await openStore({ dataDir: ':memory:', databaseUrl: database?.url });
      await db.insertInto('tags').values({ account_id: 'a', region_id: 'r', resource_type: 'instance', resource_id: 'i-1', key: 'k', value: 'v' }).execute();
    });
    after(async () => { await db.destroy(); await database?.drop(); });

    const cases: [string, (db: Db) => Promise<unknown>, boolean][] = [
      ['a read', (d) => d.selectFrom('tags').selectAll().execute(), false],
      ['an UPDATE whose condition matches no row', (d) => d.updateTable('tags').set({ value: 'x' }).where('resource_id', '=', 'i-none').execute(), false],
      ['a DELETE of no row', (d) => d.deleteFrom('tags').where('resource_id', '=', 'i-none').execute(), false],
      ['a transaction that changed nothing', (d) => d.transaction().execute(async (trx) => {
        await trx.updateTable('tags').set({ value: 'x' }).where('resource_id', '=', 'i-none').execute();
      }), false],
      ['an UPDATE … RETURNING of no row', (d) => d.updateTable('tags').set({ value: 'x' }).where('resource_id', '=', 'i-none').returning('key').execute(), false],
      ['an UPDATE of a row', (d) => d.updateTable('tags').set({ value: 'w' }).where('resource_id', '=', 'i-1').execute(), true],
      ['an UPDATE … RETURNING of a row', (d) => d.updateTable('tags').set({ value: 'u' }).where('resource_id', '=', 'i-1').returning('key').execute(), true],
      ['an INSERT', (d) => d.insertInto('tags').values({ account_id: 'a', region_id: 'r', resource_type: 'instance', resource_id: 'i-2', key: 'k', value: '' }).execute(), true],
      ['a transaction that changed a row', (d) => d.transaction().execute(async (trx) => {
        await trx.updateTable('tags').set({ value: 'z' }).where('resource_id', '=', 'i-1').execute();
      }), true],
      ['a DELETE of a row', (d) => d.deleteFrom('tags').where('resource_id', '=', 'i-2').execute(), true],
    ];
    for (const [what, run, moves] of cases) {
      it(`${what} ${moves ? 'moves' : 'leaves'} the version`, async () => {
        const v = storeVersion(db);
        await run(db);
        if (moves) assert.notEqual(storeVersion(db), v);
        else assert.equal(storeVersion(db), v);
      });
    }
  });
}
