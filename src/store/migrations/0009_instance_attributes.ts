import type { Kysely } from 'kysely';
import { macAddress } from '../../domain/instances/mac.js';

/**
 * What Terraform's instance Read needs beyond the instance row of 0001:
 * - maintenance attributes and private pool options per instance (columns with ECS's defaults);
 * - network interfaces as stored resources (the primary ENI of every instance now; secondary
 *   ENIs, detached ones with `instance_id` '', later — issue 14), and their secondary private
 *   addresses in `private_ips`;
 * - public addresses handed out from the operator's pool, one row per address so that the
 *   primary key makes two holders of one address impossible.
 * Live instances get their primary ENI with the id DescribeInstances showed before (`eni-` and
 * the instance id's suffix), so a client that kept that id still finds it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const addText = (c: string, d: string) => db.schema.alterTable('instances').addColumn(c, 'text', (col) => col.notNull().defaultTo(d)).execute();
  await addText('maintenance_start_time', '');
  await addText('maintenance_end_time', '');
  await addText('maintenance_action', 'AutoRecover');
  await db.schema.alterTable('instances').addColumn('maintenance_notify', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await addText('private_pool_match_criteria', 'Open');
  await addText('private_pool_id', '');
  await db.schema.alterTable('instances').addColumn('enable_jumbo_frame', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  // Subscriptions: the expiry bought (null: pay-as-you-go, or a subscription from before this) and renewal.
  await db.schema.alterTable('instances').addColumn('expires_at', 'bigint').execute();
  await addText('renewal_status', '');
  await db.schema.alterTable('instances').addColumn('renewal_duration', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await addText('renewal_unit', '');
  await db.updateTable('instances').set({ renewal_status: 'Normal', renewal_unit: 'Month' }).where('instance_charge_type', '=', 'PrePaid').execute();

  let t: any = db.schema.createTable('network_interfaces').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'zone_id', 'vpc_id', 'vswitch_id', 'instance_id', 'type', 'status', 'name', 'description',
    'mac_address', 'primary_ip', 'traffic_mode', 'resource_group_id']) {
    t = t.addColumn(c, 'text', (col: any) => col.notNull().defaultTo(''));
  }
  for (const c of ['device_index', 'network_card_index', 'queue_number', 'queue_pair_number', 'source_dest_check', 'delete_on_release']) {
    t = t.addColumn(c, 'integer', (col: any) => col.notNull().defaultTo(0));
  }
  t = t.addColumn('created_at', 'bigint', (col: any) => col.notNull().defaultTo(0));
  await t.execute();
  await db.schema.createIndex('network_interfaces_listing').on('network_interfaces').columns(['account_id', 'region_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('network_interfaces_instance').on('network_interfaces').columns(['instance_id']).execute();

  await db.schema.createTable('public_ips')
    .addColumn('ip', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('region_id', 'text', (c) => c.notNull())
    .addColumn('instance_id', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('instance'))
    .addColumn('allocated_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('public_ips_instance').on('public_ips').columns(['instance_id']).execute();
  await db.schema.createIndex('public_ips_region').on('public_ips').columns(['region_id', 'ip']).execute();

  // Secondary private addresses of an ENI live beside the primary ones, so one primary key keeps
  // every address of a VSwitch unique.
  await db.schema.alterTable('private_ips').addColumn('network_interface_id', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('private_ips_interface').on('private_ips').columns(['network_interface_id']).execute();

  const live = await db.selectFrom('instances')
    .select(['id', 'account_id', 'region_id', 'zone_id', 'vpc_id', 'vswitch_id', 'private_ip', 'public_ip', 'cpu', 'resource_group_id', 'created_at'])
    .where('deleted_at', 'is', null).execute();
  const enis = live.map((i: any) => ({
    id: `eni-${String(i.id).slice(2)}`, account_id: i.account_id, region_id: i.region_id, zone_id: i.zone_id, vpc_id: i.vpc_id,
    vswitch_id: i.vswitch_id, instance_id: i.id, type: 'Primary', status: 'InUse', name: '', description: '',
    mac_address: macAddress(i.id), primary_ip: i.private_ip, traffic_mode: 'Standard', resource_group_id: i.resource_group_id,
    device_index: 0, network_card_index: 0, queue_number: Math.max(1, Math.min(Number(i.cpu), 8)), queue_pair_number: 0,
    source_dest_check: 0, delete_on_release: 1, created_at: i.created_at,
  }));
  const seen = new Set<string>();
  const ips = live.filter((i: any) => i.public_ip && !seen.has(i.public_ip) && seen.add(i.public_ip))
    .map((i: any) => ({ ip: i.public_ip, account_id: i.account_id, region_id: i.region_id, instance_id: i.id, kind: 'instance', allocated_at: i.created_at }));
  // Small batches: SQLite caps the bound variables of one statement.
  for (let k = 0; k < enis.length; k += 40) await db.insertInto('network_interfaces').values(enis.slice(k, k + 40)).execute();
  for (let k = 0; k < ips.length; k += 100) await db.insertInto('public_ips').values(ips.slice(k, k + 100)).execute();
}
