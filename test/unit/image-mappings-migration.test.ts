/**
 * Migration 0012 moves each image's JSON DiskDeviceMapping list into image_mappings rows, on
 * every store a run has (SQLite always; PostgreSQL with OPENECS_TEST_DATABASE_URL), and the
 * store reads the same lists back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connectStore, migrator, type Db } from '../../src/store/db.js';
import { getImageAny, imagesUsingSnapshot, mappingsOf } from '../../src/store/images.js';
import { storesUnderTest } from '../helpers/pg.js';

const stores = storesUnderTest(connectStore);

const cases: [string, string, unknown[]][] = [
  ['m-system', JSON.stringify([{ device: '/dev/xvda', type: 'system', size: 40, snapshotId: 's-sys' }]),
    [{ device: '/dev/xvda', type: 'system', size: 40, snapshotId: 's-sys' }]],
  ['m-two', JSON.stringify([
    { device: '/dev/xvda', type: 'system', size: 20, snapshotId: 's-a' },
    { device: '/dev/xvdb', type: 'data', size: 100, snapshotId: 's-b' },
  ]), [{ device: '/dev/xvda', type: 'system', size: 20, snapshotId: 's-a' }, { device: '/dev/xvdb', type: 'data', size: 100, snapshotId: 's-b' }]],
  ['m-import', JSON.stringify([{ device: '/dev/xvda', type: 'system', size: 5, snapshotId: '', format: 'qcow2', ossBucket: 'b', ossObject: 'o.qcow2' }]),
    [{ device: '/dev/xvda', type: 'system', size: 5, snapshotId: '', format: 'qcow2', ossBucket: 'b', ossObject: 'o.qcow2' }]],
  ['m-empty', '', []],
  ['m-broken', '{not json', []],
];

for (const [name, open] of stores) {
  describe(`0012_image_mappings on ${name}`, () => {
    it('moves every image\'s mappings into rows and reads them back alike', async () => {
      const { db, done } = await open();
      try {
        const before = await migrator(db).migrateTo('0011_route_tables');
        assert.equal(before.error, undefined);
        const raw = db as any;
        for (const [id, mappings] of cases) {
          await raw.insertInto('images').values({ id, account_id: 'acc', region_id: 'cn-hangzhou', mappings, created_at: 1 }).execute();
        }
        const after = await migrator(db).migrateToLatest();
        assert.equal(after.error, undefined);
        for (const [id, , want] of cases) {
          const row = await getImageAny(db, id);
          assert.deepEqual(mappingsOf(row!), want, id);
        }
        assert.deepEqual((await imagesUsingSnapshot(db, 'acc', 's-b')).map((r) => r.id), ['m-two']);
        assert.deepEqual((await imagesUsingSnapshot(db, 'acc', 's-')).map((r) => r.id), [], 'an id is matched whole, not as a substring');
        assert.deepEqual((await imagesUsingSnapshot(db, 'other', 's-b')).map((r) => r.id), [], 'only the account\'s images');
      } finally {
        await done();
      }
    });
  });
}
