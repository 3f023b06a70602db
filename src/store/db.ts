/**
 * Opens the store (embedded SQLite in the data dir by default, PostgreSQL when a database URL is
 * given) and brings its schema up to date.
 */
import { Kysely, Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Database } from './schema.js';
import { openSqlite } from './sqlite.js';
import { openPostgres } from './postgres.js';
import * as m0001 from './migrations/0001_foundation.js';
import * as m0002 from './migrations/0002_security_group_rules.js';
import * as m0003 from './migrations/0003_key_pairs.js';
import * as m0004 from './migrations/0004_storage.js';
import * as m0005 from './migrations/0005_instance_listing.js';
import * as m0006 from './migrations/0006_operation_lookup.js';
import * as m0007 from './migrations/0007_metadata_options.js';
import * as m0008 from './migrations/0008_resource_groups.js';
import * as m0009 from './migrations/0009_instance_attributes.js';
import * as m0010 from './migrations/0010_storage_specs.js';
import * as m0011 from './migrations/0011_route_tables.js';
import * as m0012 from './migrations/0012_image_mappings.js';
import * as m0013 from './migrations/0013_disk_intent.js';
import * as m0014 from './migrations/0014_unique_constraints.js';
import * as m0015 from './migrations/0015_operation_leases.js';
import * as m0016 from './migrations/0016_instance_console_intent.js';
import * as m0017 from './migrations/0017_ram.js';
import * as m0019 from './migrations/0019_instance_ram_role.js';
import * as m0020 from './migrations/0020_audit_events.js';
import * as m0021 from './migrations/0021_fault_rules.js';
import * as m0027 from './migrations/0027_operation_claims.js';
import * as m0022 from './migrations/0022_sealed_secrets.js';
import * as m0030 from './migrations/0030_system_events.js';
import * as m0028 from './migrations/0028_subscription_lifecycle.js';
import * as m0029 from './migrations/0029_ram_edges.js';
import * as m0031 from './migrations/0031_billing.js';
import * as m0032 from './migrations/0032_spot_instances.js';
import * as m0033 from './migrations/0033_eni_security_groups.js';
import * as m0034 from './migrations/0034_prefix_lists.js';
import * as m0035 from './migrations/0035_meter_batches_row_versions.js';
import * as m0036 from './migrations/0036_eips.js';
import * as m0037 from './migrations/0037_eip_private_ip.js';
import * as m0038 from './migrations/0038_ipv6.js';
import * as m0039 from './migrations/0039_renew_downgrade.js';
import * as m0040 from './migrations/0040_private_ip_free_from.js';
import * as m0041 from './migrations/0041_account_balances.js';
import * as m0042 from './migrations/0042_cms_events.js';
import * as m0043 from './migrations/0043_eip_traffic_billing.js';

export type Db = Kysely<Database>;

/** Ordered plain modules; a new migration is one line here. */
const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_security_group_rules': m0002,
  '0003_key_pairs': m0003,
  '0004_storage': m0004,
  '0005_instance_listing': m0005,
  '0006_operation_lookup': m0006,
  '0007_metadata_options': m0007,
  '0008_resource_groups': m0008,
  '0009_instance_attributes': m0009,
  '0010_storage_specs': m0010,
  '0011_route_tables': m0011,
  '0012_image_mappings': m0012,
  '0013_disk_intent': m0013,
  '0014_unique_constraints': m0014,
  '0015_operation_leases': m0015,
  '0016_instance_console_intent': m0016,
  '0017_ram': m0017,
  '0019_instance_ram_role': m0019,
  '0020_audit_events': m0020,
  '0021_fault_rules': m0021,
  '0027_operation_claims': m0027,
  '0022_sealed_secrets': m0022,
  '0030_system_events': m0030,
  '0028_subscription_lifecycle': m0028,
  '0029_ram_edges': m0029,
  '0031_billing': m0031,
  '0032_spot_instances': m0032,
  '0033_eni_security_groups': m0033,
  '0034_prefix_lists': m0034,
  '0035_meter_batches_row_versions': m0035,
  '0036_eips': m0036,
  '0037_eip_private_ip': m0037,
  '0038_ipv6': m0038,
  '0039_renew_downgrade': m0039,
  '0040_private_ip_free_from': m0040,
  '0041_account_balances': m0041,
  '0042_cms_events': m0042,
  '0043_eip_traffic_billing': m0043,
};

class StaticMigrations implements MigrationProvider {
  async getMigrations() { return migrations; }
}

const versions = new WeakMap<Db, () => string>();

/**
 * A value that changes whenever the store's data may have changed: this process's writes at once,
 * other connections' commits (SQLite's data_version; on PostgreSQL a version row every writing
 * transaction bumps, polled: see postgres.ts). Read caches key on it; reading it costs no query.
 */
export function storeVersion(db: Db): string {
  const v = versions.get(db);
  if (!v) throw new Error('storeVersion: not a store opened by openStore');
  return v();
}

export interface StoreOptions {
  /** A folder for `openecs.db`, or ':memory:' (SQLite). */
  dataDir: string;
  /** postgres://… selects PostgreSQL instead of SQLite. */
  databaseUrl?: string;
}

/** The store without touching its schema (tests of a migration start here). */
export async function connectStore(opts: StoreOptions): Promise<Db> {
  const { dialect, version } = opts.databaseUrl ? await openPostgres(opts.databaseUrl) : openSqlite(opts.dataDir);
  const db = new Kysely<Database>({ dialect });
  versions.set(db, version);
  return db;
}

export function migrator(db: Db): Migrator {
  return new Migrator({ db, provider: new StaticMigrations() });
}

export async function openStore(opts: StoreOptions): Promise<Db> {
  const db = await connectStore(opts);
  const { error, results } = await migrator(db).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    await db.destroy();
    throw new Error(`store migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
  }
  return db;
}
