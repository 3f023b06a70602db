import type { Kysely } from 'kysely';

/**
 * Secondary network interfaces (issue 14):
 * - `eni_security_groups`: their security groups, one row per ENI and group, in the order given
 *   (CreateNetworkInterface SecurityGroupIds.N, ModifyNetworkInterfaceAttribute SecurityGroupId.N).
 *   A primary ENI has none here: it follows its instance's groups (instance_security_groups).
 *   Indexed by group for the member counts and DeleteSecurityGroup;
 * - `eni_permissions`: CreateNetworkInterfacePermission's grants (another account may attach the
 *   ENI to its instances), one per ENI, grantee and permission (the unique index).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('eni_security_groups')
    .addColumn('network_interface_id', 'text', (c) => c.notNull())
    .addColumn('security_group_id', 'text', (c) => c.notNull())
    .addColumn('position', 'integer', (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint('eni_security_groups_pk', ['network_interface_id', 'security_group_id'])
    .execute();
  await db.schema.createIndex('eni_security_groups_group').on('eni_security_groups').columns(['security_group_id']).execute();

  let t: any = db.schema.createTable('eni_permissions').addColumn('id', 'text', (c) => c.primaryKey());
  for (const c of ['account_id', 'region_id', 'network_interface_id', 'grantee_account_id', 'permission', 'state']) {
    t = t.addColumn(c, 'text', (col: any) => col.notNull().defaultTo(''));
  }
  await t.addColumn('created_at', 'bigint', (col: any) => col.notNull().defaultTo(0)).execute();
  await db.schema.createIndex('eni_permissions_grant').unique().on('eni_permissions').columns(['network_interface_id', 'grantee_account_id', 'permission']).execute();
}
