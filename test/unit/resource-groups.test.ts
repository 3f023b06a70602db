/** Resource group rules (names, display names, delete rules, resource types) and the 0008 back-fill. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import {
  checkDeletable, checkDisplayName, checkGroupName, fuzzyMatch, isEcsGroupResourceType, isWellFormedGroupId, vpcGroupResourceType,
} from '../../src/domain/resource-groups.js';
import * as m0001 from '../../src/store/migrations/0001_foundation.js';
import * as m0002 from '../../src/store/migrations/0002_security_group_rules.js';
import * as m0003 from '../../src/store/migrations/0003_key_pairs.js';
import * as m0004 from '../../src/store/migrations/0004_storage.js';
import * as m0005 from '../../src/store/migrations/0005_instance_listing.js';
import * as m0006 from '../../src/store/migrations/0006_operation_lookup.js';
import * as m0007 from '../../src/store/migrations/0007_metadata_options.js';
import * as m0008 from '../../src/store/migrations/0008_resource_groups.js';

const code = (r: { ok: boolean; code?: string }) => (r.ok ? 'ok' : r.code);

describe('resource group Name', () => {
  const cases: Array<[string, string]> = [
    ['my-project', 'ok'],
    ['abc', 'ok'],
    ['A1-b2', 'ok'],
    ['a'.repeat(50), 'ok'],
    ['ab', 'InvalidParameter.Name.Length'],
    ['', 'InvalidParameter.Name.Length'],
    ['a'.repeat(51), 'InvalidParameter.Name.Length'],
    ['1abc', 'InvalidParameter.Name.InvalidChars'],
    ['-abc', 'InvalidParameter.Name.InvalidChars'],
    ['my_project', 'InvalidParameter.Name.InvalidChars'],
    ['my project', 'InvalidParameter.Name.InvalidChars'],
    ['项目组', 'InvalidParameter.Name.InvalidChars'],
  ];
  for (const [name, want] of cases) it(`${JSON.stringify(name.length > 20 ? name.slice(0, 8) + '…' + name.length : name)} → ${want}`, () => assert.equal(code(checkGroupName(name)), want));
});

describe('resource group DisplayName', () => {
  const cases: Array<[string | undefined, string]> = [
    ['My Project', 'ok'],
    ['默认资源组', 'ok'],
    ['x', 'ok'],
    ['汉'.repeat(50), 'ok'],
    ['汉'.repeat(51), 'InvalidParameter.DisplayName.Length'],
    ['x'.repeat(51), 'InvalidParameter.DisplayName.Length'],
    [undefined, 'MissingParameter.DisplayName'],
    ['', 'MissingParameter.DisplayName'],
    ['   ', 'InvalidParameter.DisplayName'],
    ['a\nb', 'InvalidParameter.DisplayName'],
  ];
  for (const [value, want] of cases) it(`${JSON.stringify(value)?.slice(0, 20)} → ${want}`, () => assert.equal(code(checkDisplayName(value)), want));
});

describe('resource group delete rules', () => {
  const cases: Array<[boolean, number, string]> = [
    [false, 0, 'ok'],
    [false, 1, 'DeleteConflict.ResourceGroup.Resource'],
    [false, 40, 'DeleteConflict.ResourceGroup.Resource'],
    [true, 0, 'DeleteConflict.ResourceGroup.Default'],
    [true, 3, 'DeleteConflict.ResourceGroup.Default'],
  ];
  for (const [isDefault, count, want] of cases) {
    it(`default=${isDefault}, ${count} resources → ${want}`, () => assert.equal(code(checkDeletable({ isDefault }, count)), want));
  }
});

describe('resource group filters, ids and resource types', () => {
  it('Name/DisplayName filters are case-insensitive substrings', () => {
    const cases: Array<[string, string | undefined, boolean]> = [
      ['my-project', 'proj', true], ['my-project', 'PROJ', true], ['my-project', 'other', false], ['x', undefined, true], ['x', '', true],
    ];
    for (const [value, filter, want] of cases) assert.equal(fuzzyMatch(value, filter), want, `${value} ~ ${filter}`);
  });
  it('group ids: rg- and at most 15 letters or digits', () => {
    const cases: Array<[string, boolean]> = [['rg-acfmzawhxxc6kmi', true], ['rg-9gLOoK', true], ['rg-', false], ['rg-acfmzawhxxc6kmi1', false], ['sg-abc', false]];
    for (const [id, want] of cases) assert.equal(isWellFormedGroupId(id), want, id);
  });
  it('JoinResourceGroup types are the ECS lower-case names; MoveResourceGroup takes any case of VPC, VSwitch and EIP', () => {
    const ecs: Array<[string, boolean]> = [['instance', true], ['disk', true], ['snapshot', true], ['image', true], ['securitygroup', true],
      ['keypair', true], ['snapshotpolicy', true], ['Instance', false], ['eni', false], ['toString', false]];
    for (const [t, want] of ecs) assert.equal(isEcsGroupResourceType(t), want, t);
    const vpc: Array<[string, string | undefined]> = [['VPC', 'vpc'], ['Vpc', 'vpc'], ['VSWITCH', 'vswitch'], ['VSwitch', 'vswitch'], ['Eip', 'eip'], ['EIP', 'eip'],
      ['BandwidthPackage', undefined], ['constructor', undefined]];
    for (const [t, want] of vpc) assert.equal(vpcGroupResourceType(t), want, t);
  });
});

describe('migration 0008_resource_groups', () => {
  it('gives every existing account a default group and moves its ungrouped resources there', async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new BetterSqlite3(':memory:') }) });
    for (const m of [m0001, m0002, m0003, m0004, m0005, m0006, m0007]) await m.up(db);
    for (const id of ['1000000000000001', '1000000000000002']) {
      await db.insertInto('accounts').values({ id, name: `a${id}`, is_admin: 0, created_at: 1 }).execute();
    }
    const vpc = (id: string, account: string, group: string) => ({ id, account_id: account, region_id: 'cn-hangzhou', resource_group_id: group, created_at: 1 });
    await db.insertInto('vpcs').values([vpc('vpc-a', '1000000000000001', ''), vpc('vpc-b', '1000000000000002', 'rg-keepthisone')]).execute();
    await db.insertInto('vswitches').values([
      { id: 'vsw-a', account_id: '1000000000000001', vpc_id: 'vpc-a', created_at: 1 },
      { id: 'vsw-b', account_id: '1000000000000002', vpc_id: 'vpc-b', created_at: 1 },
    ]).execute();
    await db.insertInto('security_groups').values({ id: 'sg-a', account_id: '1000000000000001', region_id: 'cn-hangzhou', resource_group_id: '', created_at: 1 }).execute();
    await m0008.up(db);

    const groups = await db.selectFrom('resource_groups').selectAll().orderBy('account_id').execute();
    assert.deepEqual(groups.map((g) => [g.account_id, g.name, g.display_name, g.status, g.is_default]), [
      ['1000000000000001', 'default', '默认资源组', 'OK', 1],
      ['1000000000000002', 'default', '默认资源组', 'OK', 1],
    ]);
    for (const g of groups) assert.match(g.id, /^rg-acfm[a-z0-9]{11}$/);
    const groupOf = async (table: string, id: string) => (await db.selectFrom(table).select('resource_group_id').where('id', '=', id).executeTakeFirstOrThrow()).resource_group_id;
    assert.equal(await groupOf('vpcs', 'vpc-a'), groups[0]!.id);
    assert.equal(await groupOf('security_groups', 'sg-a'), groups[0]!.id);
    assert.equal(await groupOf('vswitches', 'vsw-a'), groups[0]!.id, 'a VSwitch starts in its VPC group');
    assert.equal(await groupOf('vpcs', 'vpc-b'), 'rg-keepthisone', 'a group already set stays');
    assert.equal(await groupOf('vswitches', 'vsw-b'), 'rg-keepthisone');
    await db.destroy();
  });
});
