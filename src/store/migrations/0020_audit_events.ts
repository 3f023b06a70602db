import type { Kysely } from 'kysely';

/**
 * The audit trail: one row per API call (ActionTrail's event history), refused calls included.
 * Parameters are stored with their secrets masked (src/audit/redact.ts). The resources a call
 * named are `;`-delimited lists (`;i-abc;d-xyz;`) so LookupEvents' ResourceName/ResourceType
 * filters are a portable LIKE within the account's time range the indexes narrow to.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('event_time', 'bigint', (c) => c.notNull())
    .addColumn('event_name', 'text', (c) => c.notNull())
    .addColumn('event_rw', 'text', (c) => c.notNull())
    .addColumn('service_name', 'text', (c) => c.notNull())
    .addColumn('api_version', 'text', (c) => c.notNull())
    .addColumn('event_source', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('source_ip', 'text', (c) => c.notNull())
    .addColumn('user_agent', 'text', (c) => c.notNull())
    .addColumn('identity_type', 'text', (c) => c.notNull())
    .addColumn('principal_id', 'text', (c) => c.notNull())
    .addColumn('access_key_id', 'text', (c) => c.notNull())
    .addColumn('user_name', 'text', (c) => c.notNull())
    .addColumn('session_name', 'text', (c) => c.notNull())
    .addColumn('request_parameters', 'text', (c) => c.notNull())
    .addColumn('http_status', 'integer', (c) => c.notNull())
    .addColumn('error_code', 'text', (c) => c.notNull())
    .addColumn('error_message', 'text', (c) => c.notNull())
    .addColumn('resource_names', 'text', (c) => c.notNull())
    .addColumn('resource_types', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_events_time').on('audit_events').columns(['account_id', 'event_time', 'id']).execute();
  await db.schema.createIndex('audit_events_name').on('audit_events').columns(['account_id', 'event_name', 'event_time']).execute();
  await db.schema.createIndex('audit_events_key').on('audit_events').columns(['account_id', 'access_key_id', 'event_time']).execute();
  await db.schema.createIndex('audit_events_user').on('audit_events').columns(['account_id', 'user_name', 'event_time']).execute();
  await db.schema.createIndex('audit_events_request').on('audit_events').columns(['account_id', 'request_id']).execute();
  // Retention deletes by age across accounts.
  await db.schema.createIndex('audit_events_age').on('audit_events').columns(['event_time']).execute();
}
