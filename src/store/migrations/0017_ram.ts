import type { Kysely } from 'kysely';

/**
 * RAM (users, groups, roles, custom policies and their versions, attachments, account alias and
 * password policy) and STS sessions. System policies are not rows: they are the same for every
 * account and live in code (src/auth/system-policies.ts), so an attachment names a policy by type
 * and name. Attachments and memberships point at user/group/role ids, so a rename keeps them.
 * A RAM user's AccessKeys are rows of access_keys with its user id (empty for the account's own).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('access_keys').addColumn('user_id', 'text', (c) => c.notNull().defaultTo('')).execute();
  await db.schema.createIndex('access_keys_user').on('access_keys').columns(['user_id']).execute();

  await db.schema.createTable('ram_users')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('display_name', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('mobile_phone', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('email', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('comments', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('last_login_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('ram_users_name').on('ram_users').columns(['account_id', 'name']).unique().execute();

  await db.schema.createTable('ram_login_profiles')
    .addColumn('user_id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('password_reset_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mfa_bind_required', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema.createTable('ram_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('comments', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ram_groups_name').on('ram_groups').columns(['account_id', 'name']).unique().execute();

  await db.schema.createTable('ram_group_members')
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('joined_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_group_members_pk', ['group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('ram_group_members_user').on('ram_group_members').columns(['user_id']).execute();

  await db.schema.createTable('ram_roles')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('trust_policy', 'text', (c) => c.notNull())
    .addColumn('max_session_duration', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('ram_roles_name').on('ram_roles').columns(['account_id', 'name']).unique().execute();

  await db.schema.createTable('ram_policies')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('default_version', 'text', (c) => c.notNull())
    .addColumn('next_version', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_policies_pk', ['account_id', 'name'])
    .execute();

  await db.schema.createTable('ram_policy_versions')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('version_id', 'text', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_policy_versions_pk', ['account_id', 'policy_name', 'version_id'])
    .execute();

  await db.schema.createTable('ram_policy_attachments')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('policy_type', 'text', (c) => c.notNull())
    .addColumn('policy_name', 'text', (c) => c.notNull())
    .addColumn('principal_type', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('attached_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_policy_attachments_pk', ['account_id', 'policy_type', 'policy_name', 'principal_type', 'principal_id'])
    .execute();
  await db.schema.createIndex('ram_policy_attachments_principal').on('ram_policy_attachments').columns(['principal_id']).execute();

  await db.schema.createTable('ram_account_settings')
    .addColumn('account_id', 'text', (c) => c.primaryKey())
    .addColumn('alias', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('password_policy', 'text', (c) => c.notNull().defaultTo(''))
    .execute();

  // Tags of roles and policies (RAM TagResources), keyed by the resource's ARN.
  await db.schema.createTable('ram_tags')
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('resource_type', 'text', (c) => c.notNull())
    .addColumn('resource_arn', 'text', (c) => c.notNull())
    .addColumn('resource_name', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('ram_tags_pk', ['resource_arn', 'key'])
    .execute();
  await db.schema.createIndex('ram_tags_account').on('ram_tags').columns(['account_id', 'resource_type']).execute();

  await db.schema.createTable('sts_sessions')
    .addColumn('access_key_id', 'text', (c) => c.primaryKey())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('security_token', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('role_id', 'text', (c) => c.notNull())
    .addColumn('role_name', 'text', (c) => c.notNull())
    .addColumn('session_name', 'text', (c) => c.notNull())
    .addColumn('policy', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('sts_sessions_expiry').on('sts_sessions').columns(['expires_at']).execute();
}
