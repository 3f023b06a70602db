/**
 * A store conflict answers an ECS error, never InternalError: every unique index the migrations
 * create is listed in store/conflicts.ts (on each store a run has), a violation of one answers the
 * first of its codes the action documents, and any other conflict (an index the action documents
 * no code for, a serialization failure, a deadlock) answers the retryable OperationConflict (409).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { openStore, type Db } from '../../src/store/db.js';
import { conflictAnswer, UNIQUE_INDEXES, violatedIndex } from '../../src/store/conflicts.js';
import { answerStatus } from '../../src/api/errors.js';
import { storesUnderTest } from '../helpers/pg.js';

const pgViolation = (index: string) => Object.assign(new Error(`duplicate key value violates unique constraint "${index}"`), { code: '23505', constraint: index });
const sqliteViolation = (table: string, columns: readonly string[]) => Object.assign(
  new Error(`UNIQUE constraint failed: ${columns.map((c) => `${table}.${c}`).join(', ')}`), { code: 'SQLITE_CONSTRAINT_UNIQUE' });

/** Each unique index of the migrated store: [table, index name (PostgreSQL) or '', its columns]. */
async function uniqueIndexes(store: string, db: Db): Promise<[string, string, string[]][]> {
  if (store === 'postgres') {
    const r = await sql<{ tablename: string; indexname: string; indexdef: string }>`
      select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' and indexdef like 'CREATE UNIQUE%'`.execute(db);
    return r.rows.map((x) => [x.tablename, x.indexname,
      /\(([^)]*)\)/.exec(x.indexdef.replace(/^.* USING btree /, ''))![1]!.split(',').map((c) => c.trim().replace(/"/g, ''))]);
  }
  const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(db);
  const out: [string, string, string[]][] = [];
  for (const { name } of tables.rows) {
    const list = await sql<{ name: string; unique: number }>`select name, "unique" from pragma_index_list(${name})`.execute(db);
    for (const ix of list.rows.filter((i) => i.unique === 1)) {
      const cols = await sql<{ name: string }>`select name from pragma_index_info(${ix.name}) order by seqno`.execute(db);
      out.push([name, '', cols.rows.map((c) => c.name)]);
    }
    // An `integer primary key` is the rowid, with no index to list; its collision is a unique violation too.
    const pk = await sql<{ name: string; pk: number; type: string }>`select name, pk, type from pragma_table_info(${name})`.execute(db);
    const rowid = pk.rows.filter((c) => c.pk > 0);
    if (rowid.length === 1 && rowid[0]!.type.toLowerCase() === 'integer') out.push([name, '', [rowid[0]!.name]]);
  }
  return out;
}

/** Tables whose key is a number the store assigns itself: never collides, so not listed. */
const SERIAL_KEYS = new Set(['transitions.id', 'audit_events.id', 'kysely_migration_lock.id', 'openecs_store_version.id']);

for (const [store, open] of storesUnderTest(openStore)) {
  describe(`every unique index of the ${store} store is mapped`, () => {
    it('each index the migrations create is listed (same table and columns), and each listed one exists', async () => {
      const { db, done } = await open();
      try {
        const found = await uniqueIndexes(store, db);
        assert.ok(found.length > 40, `${found.length} unique indexes`);
        for (const [table, index, columns] of found) {
          const key = store === 'postgres'
            ? UNIQUE_INDEXES.find((k) => k.index === index)
            : UNIQUE_INDEXES.find((k) => k.table === table && k.columns.length === columns.length && k.columns.every((c) => columns.includes(c)));
          if (!key && columns.length === 1 && SERIAL_KEYS.has(`${table}.${columns[0]}`)) continue;
          assert.ok(key, `${table} (${columns.join(', ')}) ${index}: not in UNIQUE_INDEXES`);
          assert.equal(key.table, table, index);
          assert.deepEqual([...key.columns].sort(), [...columns].sort(), `${table} ${index}`);
        }
        if (store === 'postgres') {
          const names = new Set(found.map(([, index]) => index));
          for (const k of UNIQUE_INDEXES) assert.ok(names.has(k.index), `${k.index} is listed but the schema has no such index`);
        }
      } finally {
        await done();
      }
    });

    it('a real duplicate route entry answers InvalidCIDRBlock.Duplicate (documented) or OperationConflict (not)', async () => {
      const { db, done } = await open();
      try {
        const row = { id: 'rte-1', route_table_id: 'vtb-1', destination_cidr_block: '10.9.0.0/16', type: 'Custom', next_hop_type: 'Instance', next_hop_id: 'i-1', name: '', description: '', status: 'Available', created_at: 1 };
        await db.insertInto('route_entries').values(row).execute();
        const e = await db.insertInto('route_entries').values({ ...row, id: 'rte-2' }).execute().then(() => undefined, (x: unknown) => x);
        assert.ok(e, 'the duplicate is refused');
        assert.equal(conflictAnswer(e, (c) => c === 'InvalidCIDRBlock.Duplicate')?.code, 'InvalidCIDRBlock.Duplicate');
        assert.equal(conflictAnswer(e, () => false)?.code, 'OperationConflict');
        const again = await db.insertInto('route_entries').values({ ...row, destination_cidr_block: '10.8.0.0/16' }).execute().then(() => undefined, (x: unknown) => x);
        assert.equal(violatedIndex(again)?.index, 'route_entries_pkey', 'the same id violates the primary key');
      } finally {
        await done();
      }
    });
  });
}

describe('UNIQUE_INDEXES', () => {
  it('no two entries share an index name, nor a table and column set (SQLite names columns, not indexes)', () => {
    const names = UNIQUE_INDEXES.map((k) => k.index);
    assert.equal(new Set(names).size, names.length);
    const shapes = UNIQUE_INDEXES.map((k) => `${k.table}(${[...k.columns].sort().join(',')})`);
    assert.equal(new Set(shapes).size, shapes.length);
  });

  for (const k of UNIQUE_INDEXES) {
    it(`${k.index}: recognised from either store's error`, () => {
      assert.equal(violatedIndex(pgViolation(k.index)), k);
      assert.equal(violatedIndex(sqliteViolation(k.table, k.columns)), k);
    });
  }
});

describe('conflictAnswer', () => {
  const none = () => false;
  const cases: [string, unknown, (code: string) => boolean, string | undefined][] = [
    ['an image name, documented', pgViolation('images_live_name'), (c) => c === 'InvalidImageName.Duplicated', 'InvalidImageName.Duplicated'],
    ['an image name, on SQLite', sqliteViolation('images', ['account_id', 'region_id', 'name']), (c) => c === 'InvalidImageName.Duplicated', 'InvalidImageName.Duplicated'],
    ['an image name, undocumented for the action', pgViolation('images_live_name'), none, 'OperationConflict'],
    ['the second code when the action lists only it', pgViolation('vswitches_default_zone'), (c) => c === 'DefaultVswitch.Existed', 'DefaultVswitch.Existed'],
    ['the first code when the action lists both', pgViolation('route_entries_destination'), () => true, 'InvalidCIDRBlock.Duplicate'],
    ['a private address', pgViolation('private_ips_pk'), (c) => c === 'InvalidPrivateIpAddress.Duplicated', 'InvalidPrivateIpAddress.Duplicated'],
    ['a key with no ECS code (a pending operation)', pgViolation('operations_one_pending'), () => true, 'OperationConflict'],
    ['a generated id', sqliteViolation('instances', ['id']), () => true, 'OperationConflict'],
    ['an index nobody listed', pgViolation('made_up_index'), () => true, 'OperationConflict'],
    ['a SQLite primary key', Object.assign(new Error('UNIQUE constraint failed: vpcs.id'), { code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }), () => true, 'OperationConflict'],
    ['a serialization failure', Object.assign(new Error('could not serialize access'), { code: '40001' }), () => true, 'OperationConflict'],
    ['a deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' }), () => true, 'OperationConflict'],
    ['a lock not available', Object.assign(new Error('could not obtain lock'), { code: '55P03' }), () => true, 'OperationConflict'],
    ['a busy SQLite file', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' }), () => true, 'OperationConflict'],
    ['a not-null violation is a fault', Object.assign(new Error('null value'), { code: '23502' }), () => true, undefined],
    ['a SQLite NOT NULL constraint is a fault', Object.assign(new Error('NOT NULL constraint failed: vpcs.name'), { code: 'SQLITE_CONSTRAINT_NOTNULL' }), () => true, undefined],
    ['a plain error is a fault', new Error('boom'), () => true, undefined],
    ['not an object', 'boom', () => true, undefined],
  ];
  for (const [name, e, documented, want] of cases) {
    it(`${name} → ${want ?? 'not a conflict'}`, () => assert.equal(conflictAnswer(e, documented)?.code, want));
  }

  it('OperationConflict answers 409 whatever the action lists, a documented duplicate its 4xx', () => {
    const conflict = conflictAnswer(pgViolation('operations_one_pending'), none)!;
    assert.equal(answerStatus(conflict, undefined), 409);
    assert.equal(answerStatus(conflict, 409), 409);
    const dup = conflictAnswer(pgViolation('key_pairs_account_region_name'), () => true)!;
    assert.equal(answerStatus(dup, 400), 400);
  });
});
