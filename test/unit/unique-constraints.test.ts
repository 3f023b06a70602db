/**
 * The unique indexes ECS's rules rest on (migration 0014 and the older ones store/unique.ts
 * names), on every store a run has (SQLite always; PostgreSQL with OPENECS_TEST_DATABASE_URL):
 * each refuses the second row it exists for, lets through the rows it does not concern (a deleted
 * image's name, an unattached disk, a non-default VPC), and `violates` names the right key from
 * either store's error. The migration also settles duplicates a race let in before it.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectStore, migrator, type Db } from '../../src/store/db.js';
import { UNIQUE, violates, type UniqueKey } from '../../src/store/unique.js';
import { storesUnderTest } from '../helpers/pg.js';

const stores = storesUnderTest(connectStore);

type Row = Record<string, unknown>;

const ROUTE = { destination_cidr_block: '10.9.0.0/16', type: 'Custom', next_hop_type: 'Instance', next_hop_id: 'i-1', name: '', description: '', status: 'Available', created_at: 1 };

/** [key, table, first row, a row that collides with it, rows the index lets through beside the first]. */
const cases: [keyof typeof UNIQUE, string, Row, Row, Row[]][] = [
  ['imageName', 'images', { id: 'm-1', account_id: 'a', region_id: 'r', name: 'web' }, { id: 'm-2', account_id: 'a', region_id: 'r', name: 'web' }, [
    { id: 'm-3', account_id: 'a', region_id: 'r', name: 'web', deleted_at: 5 },
    { id: 'm-4', account_id: 'a', region_id: 'r2', name: 'web' },
    { id: 'm-5', account_id: 'b', region_id: 'r', name: 'web' },
    { id: 'm-6', account_id: 'a', region_id: 'r', name: '' },
    { id: 'm-7', account_id: 'a', region_id: 'r', name: '' },
  ]],
  ['diskDevice', 'disks', { id: 'd-1', instance_id: 'i-1', device: '/dev/xvdb' }, { id: 'd-2', instance_id: 'i-1', device: '/dev/xvdb' }, [
    { id: 'd-3', instance_id: 'i-2', device: '/dev/xvdb' },
    { id: 'd-4', instance_id: '', device: '' },
    { id: 'd-5', instance_id: '', device: '' },
  ]],
  ['defaultVpc', 'vpcs', { id: 'vpc-1', account_id: 'a', region_id: 'r', is_default: 1 }, { id: 'vpc-2', account_id: 'a', region_id: 'r', is_default: 1 }, [
    { id: 'vpc-3', account_id: 'a', region_id: 'r', is_default: 0 },
    { id: 'vpc-4', account_id: 'a', region_id: 'r2', is_default: 1 },
  ]],
  ['defaultVSwitch', 'vswitches', { id: 'vsw-1', vpc_id: 'vpc-1', zone_id: 'z', is_default: 1 }, { id: 'vsw-2', vpc_id: 'vpc-1', zone_id: 'z', is_default: 1 }, [
    { id: 'vsw-3', vpc_id: 'vpc-1', zone_id: 'z', is_default: 0 },
    { id: 'vsw-4', vpc_id: 'vpc-1', zone_id: 'z2', is_default: 1 },
  ]],
  ['keyPairName', 'key_pairs', { id: 'ssh-1', account_id: 'a', region_id: 'r', name: 'k' }, { id: 'ssh-2', account_id: 'a', region_id: 'r', name: 'k' }, [
    { id: 'ssh-3', account_id: 'a', region_id: 'r2', name: 'k' },
  ]],
  ['privateIp', 'private_ips', { vswitch_id: 'vsw-1', ip: '10.0.0.5', instance_id: 'i-1' }, { vswitch_id: 'vsw-1', ip: '10.0.0.5', instance_id: 'i-2' }, [
    { vswitch_id: 'vsw-2', ip: '10.0.0.5', instance_id: 'i-3' },
  ]],
  ['publicIp', 'public_ips', { ip: '47.0.0.1', account_id: 'a', region_id: 'r' }, { ip: '47.0.0.1', account_id: 'b', region_id: 'r' }, []],
  ['routeDestination', 'route_entries', { ...ROUTE, id: 'rte-1', route_table_id: 'vtb-1' }, { ...ROUTE, id: 'rte-2', route_table_id: 'vtb-1' }, [
    { ...ROUTE, id: 'rte-3', route_table_id: 'vtb-2' },
  ]],
];

async function insertError(db: Db, table: string, row: Row): Promise<unknown> {
  try {
    await (db as any).insertInto(table).values(row).execute();
  } catch (e) {
    return e;
  }
  return undefined;
}

for (const [store, open] of stores) {
  describe(`unique constraints on ${store}`, () => {
    it('each index refuses its duplicate, lets the rows it does not concern through, and violates() names it', async () => {
      const { db, done } = await open();
      try {
        assert.equal((await migrator(db).migrateToLatest()).error, undefined);
        for (const [name, table, first, dup, allowed] of cases) {
          const key: UniqueKey = UNIQUE[name];
          assert.equal(await insertError(db, table, first), undefined, `${name}: first row`);
          for (const row of allowed) assert.equal(await insertError(db, table, row), undefined, `${name}: ${JSON.stringify(row)} is allowed`);
          const e = await insertError(db, table, dup);
          assert.ok(e, `${name}: the duplicate is refused`);
          assert.equal(violates(e, key), true, `${name}: violates() recognises ${String(e)}`);
          for (const [other] of cases) if (other !== name) assert.equal(violates(e, UNIQUE[other]), false, `${name} is not ${other}`);
        }
      } finally {
        await done();
      }
    });

    it('0014 settles duplicates made before it: newer defaults demoted, newer image names suffixed with the id', async () => {
      const { db, done } = await open();
      try {
        assert.equal((await migrator(db).migrateTo('0012_image_mappings')).error, undefined);
        const raw = db as any;
        await raw.insertInto('vpcs').values([
          { id: 'vpc-old', account_id: 'a', region_id: 'r', is_default: 1, created_at: 1 },
          { id: 'vpc-new', account_id: 'a', region_id: 'r', is_default: 1, created_at: 2 },
        ]).execute();
        await raw.insertInto('images').values([
          { id: 'm-old', account_id: 'a', region_id: 'r', name: 'web', created_at: 1 },
          { id: 'm-new', account_id: 'a', region_id: 'r', name: 'web', created_at: 2 },
        ]).execute();
        assert.equal((await migrator(db).migrateToLatest()).error, undefined);
        const vpcs = await raw.selectFrom('vpcs').select(['id', 'is_default']).orderBy('id').execute();
        assert.deepEqual(vpcs.map((v: Row) => [v.id, Number(v.is_default)]), [['vpc-new', 0], ['vpc-old', 1]]);
        const images = await raw.selectFrom('images').select(['id', 'name']).orderBy('id').execute();
        assert.deepEqual(images.map((i: Row) => [i.id, i.name]), [['m-new', 'web-m-new'], ['m-old', 'web']]);
      } finally {
        await done();
      }
    });
  });
}

describe('violates()', () => {
  // Errors as each driver raises them, without a store.
  const table: [string, unknown, UniqueKey, boolean][] = [
    ['postgres, the named index', { code: '23505', constraint: 'images_live_name' }, UNIQUE.imageName, true],
    ['postgres, another index', { code: '23505', constraint: 'key_pairs_account_region_name' }, UNIQUE.imageName, false],
    ['postgres, not a unique violation', { code: '23503', constraint: 'images_live_name' }, UNIQUE.imageName, false],
    ['sqlite, the columns in another order', { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: images.region_id, images.account_id, images.name' }, UNIQUE.imageName, true],
    ['sqlite, a primary key', { code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: 'UNIQUE constraint failed: public_ips.ip' }, UNIQUE.publicIp, true],
    ['sqlite, a subset of the columns', { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: images.name' }, UNIQUE.imageName, false],
    ['sqlite, another table', { code: 'SQLITE_CONSTRAINT_UNIQUE', message: 'UNIQUE constraint failed: key_pairs.account_id, key_pairs.region_id, key_pairs.name' }, UNIQUE.imageName, false],
    ['sqlite, NOT NULL', { code: 'SQLITE_CONSTRAINT_NOTNULL', message: 'NOT NULL constraint failed: images.name' }, UNIQUE.imageName, false],
    ['not an error object', 'UNIQUE constraint failed: images.account_id, images.region_id, images.name', UNIQUE.imageName, false],
    ['nothing', undefined, UNIQUE.imageName, false],
  ];
  for (const [name, e, key, want] of table) {
    it(name, () => assert.equal(violates(e, key), want));
  }
});
