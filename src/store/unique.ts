/**
 * Unique indexes ECS's rules rest on, and how to recognise their violation on either store, so a
 * handler answers the action's documented error (InvalidImageName.Duplicated, …) when a concurrent
 * request won the race between its check and its insert, instead of an InternalError.
 *
 * PostgreSQL names the violated constraint (SQLSTATE 23505, `constraint`); SQLite names the
 * columns ("UNIQUE constraint failed: images.account_id, images.region_id, images.name").
 */
import { EcsError } from '../domain/errors.js';

export interface UniqueKey {
  /** The index (or primary key constraint) name, as PostgreSQL reports it. */
  index: string;
  table: string;
  columns: readonly string[];
}

export const UNIQUE = {
  /** Migration 0014: one live image of a name per account and region. */
  imageName: { index: 'images_live_name', table: 'images', columns: ['account_id', 'region_id', 'name'] },
  /** Migration 0014: a device of an instance is held by one disk. */
  diskDevice: { index: 'disks_instance_device', table: 'disks', columns: ['instance_id', 'device'] },
  /** Migration 0014: one default VPC per account and region. */
  defaultVpc: { index: 'vpcs_default', table: 'vpcs', columns: ['account_id', 'region_id'] },
  /** Migration 0014: one default VSwitch per zone of a VPC. */
  defaultVSwitch: { index: 'vswitches_default_zone', table: 'vswitches', columns: ['vpc_id', 'zone_id'] },
  /** Migration 0003. */
  keyPairName: { index: 'key_pairs_account_region_name', table: 'key_pairs', columns: ['account_id', 'region_id', 'name'] },
  /** Migration 0008. */
  resourceGroupName: { index: 'resource_groups_account_name', table: 'resource_groups', columns: ['account_id', 'name'] },
  /** Migration 0001: an address of a VSwitch is held once (instances and ENIs alike). */
  privateIp: { index: 'private_ips_pk', table: 'private_ips', columns: ['vswitch_id', 'ip'] },
  /** Migration 0009: a public address is held once. */
  publicIp: { index: 'public_ips_pkey', table: 'public_ips', columns: ['ip'] },
  /** Migration 0011: one custom entry per destination of a route table. */
  routeDestination: { index: 'route_entries_destination', table: 'route_entries', columns: ['route_table_id', 'destination_cidr_block'] },
} as const satisfies Record<string, UniqueKey>;

const SQLITE_UNIQUE = /UNIQUE constraint failed: (.+)$/m;

/** Whether `e` is a violation of `key` (and not of another unique index of the same table). */
export function violates(e: unknown, key: UniqueKey): boolean {
  if (!e || typeof e !== 'object') return false;
  const err = e as { code?: unknown; constraint?: unknown; message?: unknown };
  if (err.code === '23505') return err.constraint === key.index;
  if (typeof err.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT')) {
    const m = SQLITE_UNIQUE.exec(String(err.message ?? ''));
    if (!m) return false;
    const named = m[1]!.split(',').map((s) => s.trim());
    const wanted = key.columns.map((c) => `${key.table}.${c}`);
    return named.length === wanted.length && wanted.every((c) => named.includes(c));
  }
  return false;
}

/**
 * Runs a write; a violation of `key` becomes `error()` (thrown inside the transaction, so it rolls
 * back: on PostgreSQL the failed statement has aborted it anyway).
 */
export async function onViolation<T>(key: UniqueKey, error: () => EcsError, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (e) {
    if (violates(e, key)) throw error();
    throw e;
  }
}
