import type { Kysely } from 'kysely';

/**
 * Security group rules (AuthorizeSecurityGroup[Egress]). Columns carry the API's field names;
 * `seq` keeps creation order within a group for DescribeSecurityGroupAttribute paging.
 */
export async function up(db: Kysely<any>): Promise<void> {
  let t: any = db.schema.createTable('security_group_rules').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'security_group_id', 'direction', 'ip_protocol', 'port_range', 'source_port_range',
    'policy', 'nic_type', 'source_cidr_ip', 'ipv6_source_cidr_ip', 'source_group_id', 'source_group_owner_id', 'source_prefix_list_id',
    'dest_cidr_ip', 'ipv6_dest_cidr_ip', 'dest_group_id', 'dest_group_owner_id', 'dest_prefix_list_id', 'description']) {
    t = t.addColumn(c, 'text', (col: any) => col.notNull().defaultTo(''));
  }
  for (const c of ['seq', 'priority', 'created_at']) t = t.addColumn(c, 'bigint', (col: any) => col.notNull().defaultTo(0));
  await t.execute();
  await db.schema.createIndex('sgr_group').on('security_group_rules').columns(['security_group_id', 'seq']).execute();
  await db.schema.createIndex('sgr_source_group').on('security_group_rules').columns(['source_group_id']).execute();
  await db.schema.createIndex('sgr_dest_group').on('security_group_rules').columns(['dest_group_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('security_group_rules').execute();
}
