import type { Kysely } from 'kysely';
import { randomAlnum } from '../../domain/ids.js';

/** Tables whose rows carry `resource_group_id` ('' before this migration meant "no group"). */
const GROUPED_TABLES = ['instances', 'disks', 'snapshots', 'images', 'security_groups', 'key_pairs', 'auto_snapshot_policies', 'vpcs'];

/**
 * Resource groups (Resource Manager): one default group per account, created here for the
 * accounts that exist; every resource without a group moves into its account's default group, as
 * the real service shows them. VSwitches get their own group (MoveResourceGroup VSwitch), starting
 * as their VPC's.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('resource_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('OK'))
    .addColumn('is_default', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resource_groups_account_name').on('resource_groups').columns(['account_id', 'name']).unique().execute();

  await db.schema.alterTable('vswitches').addColumn('resource_group_id', 'text', (c) => c.notNull().defaultTo('')).execute();

  const accounts = await db.selectFrom('accounts').select(['id', 'created_at']).execute();
  for (const a of accounts) {
    const groupId = 'rg-acfm' + randomAlnum(11);
    await db.insertInto('resource_groups').values({
      id: groupId, account_id: a.id, name: 'default', display_name: '默认资源组', status: 'OK', is_default: 1, created_at: a.created_at,
    }).execute();
    for (const table of GROUPED_TABLES) {
      await db.updateTable(table).set({ resource_group_id: groupId }).where('account_id', '=', a.id).where('resource_group_id', '=', '').execute();
    }
  }
  const vpcs = await db.selectFrom('vpcs').select(['id', 'resource_group_id']).execute();
  for (const v of vpcs) {
    await db.updateTable('vswitches').set({ resource_group_id: v.resource_group_id }).where('vpc_id', '=', v.id).where('resource_group_id', '=', '').execute();
  }
}
