import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import * as foundation from '../../src/store/migrations/0001_foundation.js';
import * as routeTables from '../../src/store/migrations/0011_route_tables.js';

describe('migration 0011_route_tables', () => {
  it('gives every existing VPC the system route table it was shown with (vrt-X → vtb-X)', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    await foundation.up(db);
    const row = { account_id: '1', region_id: 'cn-hangzhou', name: '', description: '', cidr_block: '10.0.0.0/8', status: 'Available', is_default: 0, resource_group_id: '' };
    await db.insertInto('vpcs').values([
      { ...row, id: 'vpc-a', vrouter_id: 'vrt-aaa', created_at: 1000 },
      { ...row, id: 'vpc-b', vrouter_id: 'vrt-bbb', created_at: 2000 },
    ]).execute();
    await routeTables.up(db);
    const tables = await db.selectFrom('route_tables').selectAll().orderBy('id').execute();
    assert.deepEqual(tables.map((t) => [t.id, t.vpc_id, t.vrouter_id, t.type, t.name, t.route_propagation_enable, Number(t.created_at)]), [
      ['vtb-aaa', 'vpc-a', 'vrt-aaa', 'System', '', 1, 1000],
      ['vtb-bbb', 'vpc-b', 'vrt-bbb', 'System', '', 1, 2000],
    ]);
    const vpc = await db.selectFrom('vpcs').selectAll().where('id', '=', 'vpc-a').executeTakeFirstOrThrow();
    assert.deepEqual([vpc.vrouter_name, vpc.vrouter_description, vpc.user_cidrs, vpc.secondary_cidr_blocks], ['', '', '', '']);
    await db.destroy();
  });
});
