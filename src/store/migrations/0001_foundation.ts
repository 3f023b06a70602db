import type { Kysely } from 'kysely';
import { dialectOf, serialKey } from '../dialect.js';

/** Accounts, network, instances, disks, tags, and the engine's durable operations. */
export async function up(db: Kysely<any>): Promise<void> {
  const text = (t: any, c: string) => t.addColumn(c, 'text', (col: any) => col.notNull().defaultTo(''));
  const int = (t: any, c: string) => t.addColumn(c, 'bigint', (col: any) => col.notNull().defaultTo(0));
  const serial = serialKey(dialectOf(db));

  await db.schema.createTable('accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull().unique())
    .addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('access_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('Active'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('quotas')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('quotas_pk', ['account_id', 'name'])
    .execute();

  let t: any = db.schema.createTable('vpcs').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'name', 'description', 'cidr_block', 'status', 'vrouter_id', 'resource_group_id']) t = text(t, c);
  for (const c of ['is_default', 'created_at']) t = int(t, c);
  await t.execute();

  t = db.schema.createTable('vswitches').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'vpc_id', 'zone_id', 'name', 'description', 'cidr_block', 'status']) t = text(t, c);
  for (const c of ['is_default', 'created_at']) t = int(t, c);
  await t.execute();

  await db.schema.createTable('private_ips')
    .addColumn('vswitch_id', 'text', (c) => c.notNull())
    .addColumn('ip', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('private_ips_pk', ['vswitch_id', 'ip'])
    .execute();

  t = db.schema.createTable('security_groups').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'vpc_id', 'name', 'description', 'type', 'inner_access_policy', 'resource_group_id']) t = text(t, c);
  t = int(t, 'created_at');
  await t.execute();

  t = db.schema.createTable('instances').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'zone_id', 'name', 'description', 'host_name', 'instance_type', 'image_id',
    'os_type', 'os_name', 'status', 'desired_status', 'vpc_id', 'vswitch_id', 'private_ip', 'public_ip', 'key_pair_name',
    'password_sealed', 'user_data', 'instance_charge_type', 'internet_charge_type', 'stopped_mode',
    'credit_specification', 'serial_number', 'resource_group_id']) t = text(t, c);
  for (const c of ['cpu', 'memory', 'status_changed_at', 'internet_max_bandwidth_out', 'internet_max_bandwidth_in',
    'deletion_protection', 'created_at']) t = int(t, c);
  for (const c of ['auto_release_time', 'started_at', 'deleted_at']) t = t.addColumn(c, 'bigint');
  await t.execute();

  await db.schema.createTable('instance_security_groups')
    .addColumn('instance_id', 'text', (c) => c.notNull())
    .addColumn('security_group_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('instance_security_groups_pk', ['instance_id', 'security_group_id'])
    .execute();

  t = db.schema.createTable('disks').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'zone_id', 'instance_id', 'type', 'category', 'name', 'description', 'status',
    'device', 'image_id', 'source_snapshot_id', 'performance_level', 'resource_group_id']) t = text(t, c);
  for (const c of ['size', 'delete_with_instance', 'delete_auto_snapshot', 'enable_auto_snapshot', 'encrypted', 'portable', 'created_at']) t = int(t, c);
  for (const c of ['attached_at', 'detached_at']) t = t.addColumn(c, 'bigint');
  await t.execute();

  await db.schema.createTable('tags')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull().defaultTo(''))
    .addPrimaryKeyConstraint('tags_pk', ['resource_id', 'key'])
    .execute();

  await db.schema.createTable('operations')
    .addColumn('id', serial.type, serial.build)
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('payload', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('due_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('idempotency')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('client_token', 'text', (c) => c.notNull())
    .addColumn('params_hash', 'text', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('idempotency_pk', ['account_id', 'action', 'client_token'])
    .execute();

  await db.schema.createTable('transitions')
    .addColumn('id', serial.type, serial.build)
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text', (c) => c.notNull())
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .execute();

  const indexes: [string, string, string[]][] = [
    ['instances_account_region', 'instances', ['account_id', 'region_id', 'created_at']],
    ['disks_account_region', 'disks', ['account_id', 'region_id']],
    ['disks_instance', 'disks', ['instance_id']],
    ['vpcs_account_region', 'vpcs', ['account_id', 'region_id']],
    ['vswitches_vpc', 'vswitches', ['vpc_id']],
    ['security_groups_account_region', 'security_groups', ['account_id', 'region_id']],
    ['isg_group', 'instance_security_groups', ['security_group_id']],
    ['tags_lookup', 'tags', ['account_id', 'resource_type', 'key', 'value']],
    ['operations_due', 'operations', ['status', 'due_at']],
    ['private_ips_instance', 'private_ips', ['instance_id']],
    ['transitions_resource', 'transitions', ['resource_id']],
  ];
  for (const [name, table, cols] of indexes) await db.schema.createIndex(name).on(table).columns(cols).execute();
}
