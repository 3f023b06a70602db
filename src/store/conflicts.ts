/**
 * What a request answers when the store refused its transaction for a conflict with another one:
 * a unique index violated (the second of two concurrent creates, a check that ran outside the
 * transaction), or on PostgreSQL a serialization failure, a deadlock or a lock not available.
 *
 * Handlers map the violations they expect with `onViolation` (store/unique.ts) to the code a serial
 * request gets. Anything else reaching the API layer is answered here instead of InternalError:
 * every unique index of the schema is listed below with the documented code(s) of a duplicate
 * (the first one the action's error table lists is used), and a conflict with no such code, or an
 * index the action documents no code for, answers `OperationConflict` (409, "please try again
 * later"), the code ECS documents for a request that lost to a concurrent one and that clients and
 * Terraform retry. test/unit/conflicts.test.ts checks that this list covers every unique index the
 * migrations create, on each store.
 */
import { EcsError } from '../domain/errors.js';
import { violates, type UniqueKey } from './unique.js';

export interface UniqueIndex extends UniqueKey {
  /** The documented codes of a duplicate, in order of preference; none for the store's own keys. */
  codes: readonly string[];
  /** The message of those codes. */
  message: string;
}

const ID = 'A resource of this id was created by a concurrent request.';

/** A resource whose primary key is a generated id: a collision is a conflict, never the caller's fault. */
const byId = (table: string, index = `${table}_pkey`): UniqueIndex => ({ index, table, columns: ['id'], codes: [], message: ID });

/** A row of the store's own bookkeeping (no ECS resource): only a concurrent request collides. */
const internal = (index: string, table: string, columns: string[]): UniqueIndex => ({ index, table, columns, codes: [], message: ID });

/** Every unique index and primary key the migrations create, PostgreSQL's names (a new one fails test/unit/conflicts.test.ts until listed). */
export const UNIQUE_INDEXES: readonly UniqueIndex[] = [
  // Resources with generated ids.
  ...['access_keys', 'audit_events', 'auto_snapshot_policies', 'billing_usage', 'disks', 'fault_rules', 'images', 'instances', 'key_pairs',
    'network_interfaces', 'operations', 'ram_groups', 'ram_roles', 'ram_users', 'resource_groups', 'route_entries', 'route_tables',
    'security_group_rules', 'security_groups', 'snapshots', 'system_events', 'tasks', 'transitions', 'vpcs', 'vswitches'].map((t) => byId(t)),
  byId('accounts'),
  byId('eni_permissions'),
  byId('prefix_lists'),
  byId('eips'),
  byId('cms_events'),
  byId('kysely_migration_lock'),
  byId('openecs_store_version'),
  // ECS rules.
  { index: 'accounts_name_key', table: 'accounts', columns: ['name'], codes: ['AccountName.AlreadyExist'], message: 'The account name is already used.' },
  { index: 'images_live_name', table: 'images', columns: ['account_id', 'region_id', 'name'], codes: ['InvalidImageName.Duplicated'], message: 'The specified Image name has already been used.' },
  { index: 'disks_instance_device', table: 'disks', columns: ['instance_id', 'device'], codes: ['InvalidDevice.InUse'], message: 'The specified device has been occupied.' },
  { index: 'vpcs_default', table: 'vpcs', columns: ['account_id', 'region_id'], codes: ['OperationFailed.DefaultVpcExist'], message: 'A default VPC already exists in the region.' },
  { index: 'vswitches_default_zone', table: 'vswitches', columns: ['vpc_id', 'zone_id'], codes: ['OperationFailed.DefaultVSwitchExist', 'DefaultVswitch.Existed'], message: 'A default vSwitch already exists in the zone.' },
  { index: 'key_pairs_account_region_name', table: 'key_pairs', columns: ['account_id', 'region_id', 'name'], codes: ['KeyPair.AlreadyExist'], message: 'The key pair already exist.' },
  { index: 'resource_groups_account_name', table: 'resource_groups', columns: ['account_id', 'name'], codes: ['EntityAlreadyExists.ResourceGroup'], message: 'The resource group name is already used in this account.' },
  { index: 'private_ips_pk', table: 'private_ips', columns: ['vswitch_id', 'ip'], codes: ['InvalidPrivateIpAddress.Duplicated', 'InvalidIpAddress.AlreadyExist'], message: 'The specified private IP address is already in use.' },
  // Two VPCs created at once may pick the same free /56 of the IPv6 pool: the loser retries.
  { index: 'vpcs_ipv6_cidr_block', table: 'vpcs', columns: ['ipv6_cidr_block'], codes: [], message: ID },
  { index: 'ipv6_addresses_address', table: 'ipv6_addresses', columns: ['address'], codes: ['InvalidIp.IpAssigned', 'InvalidOperation.AddressAlreadyAllocated'], message: 'The specified ipv6 has already been allocated.' },
  { index: 'public_ips_pkey', table: 'public_ips', columns: ['ip'], codes: ['IpInUse', 'InvalidIpAddress.AlreadyExist'], message: 'The specified public IP address is already in use.' },
  // An address is one EIP's (public_ips_pkey already refuses the second holder; this is the EIP table's own guard).
  { index: 'eips_region_address', table: 'eips', columns: ['region_id', 'ip_address'], codes: ['Ip.Allocated'], message: 'The reserve ip has been allocated.' },
  { index: 'route_entries_destination', table: 'route_entries', columns: ['route_table_id', 'destination_cidr_block'], codes: ['InvalidCIDRBlock.Duplicate', 'InvalidRouteEntry.Duplicate'], message: 'The specified CIDR block already has a route entry in the route table.' },
  { index: 'instance_security_groups_pk', table: 'instance_security_groups', columns: ['instance_id', 'security_group_id'], codes: ['InvalidInstanceId.AlreadyExists'], message: 'The instance is already in the security group.' },
  { index: 'eni_security_groups_pk', table: 'eni_security_groups', columns: ['network_interface_id', 'security_group_id'], codes: ['InvalidParameter.SecurityGroupIdRepeated'], message: 'The network interface is already in the security group.' },
  { index: 'eni_permissions_grant', table: 'eni_permissions', columns: ['network_interface_id', 'grantee_account_id', 'permission'], codes: ['InvalidOperation.PermissionExisted'], message: 'The permission already exists.' },
  // ModifyPrefixList holds the list's row: a CIDR added twice is its own request's duplicate.
  { index: 'prefix_list_entries_pk', table: 'prefix_list_entries', columns: ['prefix_list_id', 'cidr'], codes: ['InvalidParameter.CidrDuplicated'], message: 'The specified CIDR block is already an entry of the prefix list.' },
  { index: 'tags_pk', table: 'tags', columns: ['resource_id', 'key'], codes: ['Duplicate.TagKey', 'TagKey.Duplication'], message: 'The specified tag key already exists on the resource.' },
  { index: 'quotas_pk', table: 'quotas', columns: ['account_id', 'name'], codes: [], message: ID },
  // A share, a policy application, a key pair binding, mappings: written whole by one request at a time.
  { index: 'image_shares_pk', table: 'image_shares', columns: ['image_id', 'account_id'], codes: [], message: ID },
  { index: 'image_mappings_pk', table: 'image_mappings', columns: ['image_id', 'position'], codes: [], message: ID },
  { index: 'disk_policies_pkey', table: 'disk_policies', columns: ['disk_id'], codes: [], message: ID },
  { index: 'instance_logon_pkey', table: 'instance_logon', columns: ['instance_id'], codes: [], message: ID },
  // The meter's progress per resource, moved compare-and-set by the one replica holding the timers.
  internal('billing_marks_pkey', 'billing_marks', ['resource_id']),
  // A deleted disk's billing facts, written once by the transaction deleting it.
  internal('released_disks_pkey', 'released_disks', ['disk_id']),
  internal('released_eips_pkey', 'released_eips', ['eip_id']),
  internal('traffic_baselines_pkey', 'traffic_baselines', ['address']),
  // An account's balance adjustment, upserted by the operator's SetAccountBalance.
  internal('account_balances_pkey', 'account_balances', ['account_id']),
  // One pay-as-you-go row per resource, item, spec and day, added to by the meter only.
  internal('billing_usage_payg_day', 'billing_usage', ['resource_id', 'billing_item', 'day', 'spec']),
  // RAM (its handlers answer their EntityAlreadyExists codes themselves: ram/users.ts isDuplicate).
  { index: 'ram_users_name', table: 'ram_users', columns: ['account_id', 'name'], codes: ['EntityAlreadyExists.User'], message: 'The user does already EXIST.' },
  { index: 'ram_groups_name', table: 'ram_groups', columns: ['account_id', 'name'], codes: ['EntityAlreadyExists.Group'], message: 'The group does already EXIST.' },
  { index: 'ram_roles_name', table: 'ram_roles', columns: ['account_id', 'name'], codes: ['EntityAlreadyExists.Role'], message: 'The role does already EXIST.' },
  { index: 'ram_policies_pk', table: 'ram_policies', columns: ['account_id', 'name'], codes: ['EntityAlreadyExists.Policy'], message: 'The policy does already EXIST.' },
  { index: 'ram_policy_versions_pk', table: 'ram_policy_versions', columns: ['account_id', 'policy_name', 'version_id'], codes: [], message: ID },
  {
    index: 'ram_policy_attachments_pk', table: 'ram_policy_attachments', columns: ['account_id', 'policy_type', 'policy_name', 'principal_type', 'principal_id'],
    codes: ['EntityAlreadyExists.User.Policy', 'EntityAlreadyExists.Group.Policy', 'EntityAlreadyExists.Role.Policy'], message: 'The policy is already attached.',
  },
  { index: 'ram_group_members_pk', table: 'ram_group_members', columns: ['group_id', 'user_id'], codes: ['EntityAlreadyExists.User.Group'], message: 'The user has already joined the group.' },
  { index: 'ram_login_profiles_pkey', table: 'ram_login_profiles', columns: ['user_id'], codes: ['EntityAlreadyExists.User.LoginProfile'], message: 'The user login profile does already EXIST.' },
  { index: 'ram_tags_pk', table: 'ram_tags', columns: ['resource_arn', 'key'], codes: [], message: ID },
  internal('ram_account_settings_pkey', 'ram_account_settings', ['account_id']),
  internal('sts_sessions_pkey', 'sts_sessions', ['access_key_id']),
  internal('access_key_usage_pkey', 'access_key_usage', ['access_key_id']),
  // The engine and the store's own rows.
  internal('idempotency_pk', 'idempotency', ['account_id', 'action', 'client_token']),
  internal('operations_one_pending', 'operations', ['kind', 'resource_id']),
  internal('engine_leases_pkey', 'engine_leases', ['name']),
  internal('sealed_store_pkey', 'sealed_store', ['name']),
  internal('kysely_migration_pkey', 'kysely_migration', ['name']),
];

/** PostgreSQL's SQLSTATEs of a transaction that lost to a concurrent one (retrying it can succeed). */
const PG_CONFLICTS = new Set(['40001', '40P01', '55P03']);

export function operationConflict(): EcsError {
  return new EcsError('OperationConflict', 'Request was denied due to conflict with a previous request, please try again later.', 409);
}

/** The unique index `e` violates, if it is a unique violation of a listed one. */
export function violatedIndex(e: unknown): UniqueIndex | undefined {
  return UNIQUE_INDEXES.find((k) => violates(e, k));
}

function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  if (!err || typeof err !== 'object') return false;
  if (err.code === '23505') return true;
  return typeof err.code === 'string' && err.code.startsWith('SQLITE_CONSTRAINT') && /UNIQUE constraint failed/.test(String(err.message ?? ''));
}

/**
 * The ECS answer to a store error that is a conflict with a concurrent request, or undefined when
 * `e` is no such error (a real fault stays an InternalError). `documented(code)` tells whether the
 * action's error table lists a code.
 */
export function conflictAnswer(e: unknown, documented: (code: string) => boolean): EcsError | undefined {
  const err = e as { code?: unknown } | null;
  if (!err || typeof err !== 'object') return undefined;
  if (typeof err.code === 'string' && (PG_CONFLICTS.has(err.code) || err.code === 'SQLITE_BUSY')) return operationConflict();
  if (!isUniqueViolation(e)) return undefined;
  const key = violatedIndex(e);
  const code = key?.codes.find(documented);
  return code ? new EcsError(code, key!.message) : operationConflict();
}
