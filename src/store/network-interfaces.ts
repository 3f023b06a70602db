/**
 * Network interfaces: the primary ENI every instance gets at launch (deleted with it) and
 * secondary ones (CreateNetworkInterface, attached and detached by the engine). A primary ENI's
 * security groups and resource group are its instance's, so JoinSecurityGroup and
 * JoinResourceGroup on the instance show on the ENI at once; a secondary ENI has its own
 * (eni_security_groups). A secondary ENI's primary address is a private_ips row of the ENI
 * (instance_id ''), like its secondary addresses, so that it outlives any instance it is attached to.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NetworkInterfaceTable } from './schema.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import { dropEipsOfInterface } from './eips.js';
import { ipv6AddressesByInterface } from './ipv6-addresses.js';

type Q = Kysely<Database> | Transaction<Database>;
export type NetworkInterfaceRow = Selectable<NetworkInterfaceTable>;

/** An ENI row with what it takes from its instance. */
export interface NetworkInterfaceView extends NetworkInterfaceRow {
  effective_resource_group_id: string;
}

export interface NetworkInterfaceFilter {
  accountId: string;
  regionId: string;
  ids?: string[];
  instanceId?: string;
  vswitchId?: string;
  vpcId?: string;
  primaryIp?: string;
  privateIps?: string[];
  securityGroupId?: string;
  type?: string;
  status?: string;
  name?: string;
  resourceGroupId?: string;
  /** Restricts to these ids (the Tag.N filter's answer). */
  taggedIds?: string[];
}

const none = (ids: readonly string[]) => (ids.length ? [...ids] : ['']);

function filtered(db: Q, f: NetworkInterfaceFilter) {
  let q = db.selectFrom('network_interfaces as n')
    .leftJoin('instances as i', 'i.id', 'n.instance_id')
    .where('n.account_id', '=', f.accountId)
    .where('n.region_id', '=', f.regionId);
  if (f.ids) q = q.where('n.id', 'in', none(f.ids));
  if (f.taggedIds) q = q.where('n.id', 'in', none(f.taggedIds));
  if (f.instanceId) q = q.where('n.instance_id', '=', f.instanceId);
  if (f.vswitchId) q = q.where('n.vswitch_id', '=', f.vswitchId);
  if (f.vpcId) q = q.where('n.vpc_id', '=', f.vpcId);
  if (f.primaryIp) q = q.where('n.primary_ip', '=', f.primaryIp);
  if (f.privateIps) q = q.where('n.primary_ip', 'in', none(f.privateIps));
  if (f.type) q = q.where('n.type', '=', f.type);
  if (f.status) q = q.where('n.status', '=', f.status);
  if (f.name !== undefined) q = q.where('n.name', '=', f.name);
  if (f.resourceGroupId) {
    const rg = f.resourceGroupId;
    q = q.where((eb) => eb.or([
      eb.and([eb('n.type', '=', 'Primary'), eb('i.resource_group_id', '=', rg)]),
      eb.and([eb('n.type', '!=', 'Primary'), eb('n.resource_group_id', '=', rg)]),
    ]));
  }
  if (f.securityGroupId) {
    const sg = f.securityGroupId;
    q = q.where((eb) => eb.or([
      eb.and([
        eb('n.type', '=', 'Primary'),
        eb('n.instance_id', 'in', eb.selectFrom('instance_security_groups').select('instance_id').where('security_group_id', '=', sg)),
      ]),
      eb('n.id', 'in', eb.selectFrom('eni_security_groups').select('network_interface_id').where('security_group_id', '=', sg)),
    ]));
  }
  return q;
}

export async function countNetworkInterfaces(db: Q, f: NetworkInterfaceFilter): Promise<number> {
  const r = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('c')).executeTakeFirst();
  return Number(r?.c ?? 0);
}

export async function listNetworkInterfaces(db: Q, f: NetworkInterfaceFilter, offset: number, limit: number): Promise<NetworkInterfaceView[]> {
  const rows = await filtered(db, f).selectAll('n').select('i.resource_group_id as instance_rg')
    .orderBy('n.created_at').orderBy('n.id').offset(offset).limit(limit).execute();
  return rows.map(({ instance_rg, ...n }) => ({
    ...(n as NetworkInterfaceRow),
    effective_resource_group_id: n.type === 'Primary' && instance_rg !== null && instance_rg !== undefined ? instance_rg : n.resource_group_id,
  }));
}

/** An interface with its secondary private addresses and its IPv6 addresses. */
export type NetworkInterfaceWithIps = NetworkInterfaceRow & { secondary_ips: string[]; ipv6_addresses: string[] };

/**
 * What DescribeInstances shows of an attached interface: a page reads these columns of its
 * instances' interfaces, not whole rows (a third of an uncached page's time at 10,000 instances).
 */
const ATTACHED_COLUMNS = ['id', 'instance_id', 'type', 'mac_address', 'primary_ip', 'device_index'] as const;
export type AttachedInterface = Pick<NetworkInterfaceRow, typeof ATTACHED_COLUMNS[number]> & { secondary_ips: string[]; ipv6_addresses: string[] };

/** The primary ENIs of instances, by instance id (DescribeInstances' NetworkInterfaces). */
export async function primaryInterfacesOf(db: Q, instanceIds: string[]): Promise<Map<string, NetworkInterfaceWithIps>> {
  const out = new Map<string, NetworkInterfaceWithIps>();
  if (instanceIds.length === 0) return out;
  const rows = await db.selectFrom('network_interfaces').selectAll()
    .where('instance_id', 'in', instanceIds).where('type', '=', 'Primary').execute();
  const [secondary, ipv6] = await Promise.all([secondaryIpsOf(db, rows.map((r) => r.id)), ipv6AddressesByInterface(db, rows.map((r) => r.id))]);
  for (const r of rows) out.set(r.instance_id, { ...r, secondary_ips: secondary.get(r.id) ?? [], ipv6_addresses: ipv6.get(r.id) ?? [] });
  return out;
}

/** The attached (InUse) ENIs of instances, primary first, by instance id (DescribeInstances' NetworkInterfaces). */
export async function attachedInterfacesOf(db: Q, instanceIds: string[]): Promise<Map<string, AttachedInterface[]>> {
  const out = new Map<string, AttachedInterface[]>();
  if (instanceIds.length === 0) return out;
  const rows = await db.selectFrom('network_interfaces').select(ATTACHED_COLUMNS)
    .where('instance_id', 'in', instanceIds).where('status', '=', 'InUse').orderBy('device_index').execute();
  const [secondary, ipv6] = await Promise.all([secondaryIpsOf(db, rows.map((r) => r.id)), ipv6AddressesByInterface(db, rows.map((r) => r.id))]);
  for (const r of rows) out.set(r.instance_id, [...(out.get(r.instance_id) ?? []), { ...r, secondary_ips: secondary.get(r.id) ?? [], ipv6_addresses: ipv6.get(r.id) ?? [] }]);
  return out;
}

export async function insertNetworkInterface(trx: Q, row: NetworkInterfaceRow): Promise<void> {
  await trx.insertInto('network_interfaces').values(row).execute();
}

/** A primary ENI follows its instance's move (ModifyInstanceVpcAttribute). */
export async function movePrimaryInterface(trx: Q, instanceId: string, to: { vpcId: string; vswitchId: string; privateIp: string }): Promise<void> {
  await trx.updateTable('network_interfaces').set({ vpc_id: to.vpcId, vswitch_id: to.vswitchId, primary_ip: to.privateIp })
    .where('instance_id', '=', instanceId).where('type', '=', 'Primary').execute();
}

/**
 * On release: the primary ENI and its tags go with the instance; a secondary ENI goes too when
 * DeleteOnRelease is set (and it is the instance's account's own: another account's ENI, attached
 * by its permission, is never deleted by this one), and is otherwise detached (Available again,
 * its addresses and groups kept).
 */
export async function releaseInstanceInterfaces(trx: Q, instanceId: string, now: number): Promise<void> {
  const owner = (await trx.selectFrom('instances').select('account_id').where('id', '=', instanceId).executeTakeFirst())?.account_id;
  const rows = await trx.selectFrom('network_interfaces').select(['id', 'type', 'status', 'delete_on_release', 'account_id']).where('instance_id', '=', instanceId).execute();
  const goes = (r: typeof rows[number]) => r.type === 'Primary' || (r.delete_on_release === 1 && r.account_id === owner);
  for (const r of rows.filter(goes)) {
    // A secondary ENI deleted with the instance lets go of its EIPs (DeleteNetworkInterface does too).
    if (r.type !== 'Primary') await dropEipsOfInterface(trx, r.id, now);
    await deleteInterfaceRow(trx, r.id);
  }
  for (const r of rows.filter((x) => !goes(x))) {
    await setInterfaceStatus(trx, r, 'Available', now, { instance_id: '', device_index: 0 });
  }
}

/**
 * Deletes an interface with its addresses, group memberships and tags; with `status`, only while
 * it is still in that status (compare-and-set: false when it has moved or is gone).
 */
export async function deleteInterfaceRow(trx: Q, id: string, status?: string): Promise<boolean> {
  let q = trx.deleteFrom('network_interfaces').where('id', '=', id);
  if (status !== undefined) q = q.where('status', '=', status);
  if (Number((await q.executeTakeFirst()).numDeletedRows) === 0) return false;
  await trx.deleteFrom('private_ips').where('network_interface_id', '=', id).execute();
  await trx.deleteFrom('ipv6_addresses').where('network_interface_id', '=', id).execute();
  await trx.deleteFrom('eni_security_groups').where('network_interface_id', '=', id).execute();
  await trx.deleteFrom('eni_permissions').where('network_interface_id', '=', id).execute();
  await trx.deleteFrom('tags').where('resource_id', '=', id).execute();
  await requestSecurityPolicy(trx);
  return true;
}

/**
 * Compare-and-set of an interface's status (with `patch`), recording the transition: false when
 * the interface is gone or no longer in `row.status` (a request or another replica moved it).
 */
export async function setInterfaceStatus(trx: Q, row: Pick<NetworkInterfaceRow, 'id' | 'status'>, to: string, now: number, patch: Partial<NetworkInterfaceRow> = {}): Promise<boolean> {
  const r = await trx.updateTable('network_interfaces').set({ ...patch, status: to }).where('id', '=', row.id).where('status', '=', row.status).executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) return false;
  if (to !== row.status) await trx.insertInto('transitions').values({ resource_id: row.id, from_status: row.status, to_status: to, at: now }).execute();
  // An attached ENI's groups are enforced on its address (src/network/enforcer.ts).
  await requestSecurityPolicy(trx, now);
  return true;
}

export async function updateInterface(trx: Q, id: string, set: Partial<NetworkInterfaceRow>): Promise<void> {
  if (Object.keys(set).length) await trx.updateTable('network_interfaces').set(set).where('id', '=', id).execute();
}

/** The interface by id alone (the engine's read; requests go through findNetworkInterface). */
export async function getInterfaceForEngine(db: Q, id: string): Promise<NetworkInterfaceRow | undefined> {
  return db.selectFrom('network_interfaces').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every interface attached (or attaching) to the instance, the primary one included. */
export async function interfacesOfInstance(db: Q, instanceId: string): Promise<NetworkInterfaceRow[]> {
  return db.selectFrom('network_interfaces').selectAll().where('instance_id', '=', instanceId).orderBy('device_index').execute();
}

/** The instance's attached ENIs (InUse; the primary one first) with their addresses and their VSwitch's and VPC's blocks. */
export async function attachedInterfacesWithNetworks(db: Q, instanceId: string): Promise<(NetworkInterfaceWithIps & { vswitch_cidr: string; vpc_cidr: string; vswitch_ipv6_cidr: string; vpc_ipv6_cidr: string })[]> {
  const rows = await db.selectFrom('network_interfaces as n')
    .innerJoin('vswitches as w', 'w.id', 'n.vswitch_id').innerJoin('vpcs as v', 'v.id', 'n.vpc_id')
    .selectAll('n').select(['w.cidr_block as vswitch_cidr', 'v.cidr_block as vpc_cidr', 'w.ipv6_cidr_block as vswitch_ipv6_cidr', 'v.ipv6_cidr_block as vpc_ipv6_cidr'])
    .where('n.instance_id', '=', instanceId).where('n.status', '=', 'InUse').orderBy('n.device_index').execute();
  const [secondary, ipv6] = await Promise.all([secondaryIpsOf(db, rows.map((r) => r.id)), ipv6AddressesByInterface(db, rows.map((r) => r.id))]);
  return rows.map((r) => ({ ...r, secondary_ips: secondary.get(r.id) ?? [], ipv6_addresses: ipv6.get(r.id) ?? [] }));
}

/** A secondary ENI's groups, in order. */
export async function interfaceGroupsOf(db: Q, eniIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (eniIds.length === 0) return out;
  const rows = await db.selectFrom('eni_security_groups').select(['network_interface_id', 'security_group_id'])
    .where('network_interface_id', 'in', eniIds).orderBy('position').execute();
  for (const r of rows) out.set(r.network_interface_id, [...(out.get(r.network_interface_id) ?? []), r.security_group_id]);
  return out;
}

/** Replaces a secondary ENI's groups (CreateNetworkInterface, ModifyNetworkInterfaceAttribute SecurityGroupId.N). */
export async function setInterfaceGroups(trx: Q, eniId: string, groupIds: string[]): Promise<void> {
  await trx.deleteFrom('eni_security_groups').where('network_interface_id', '=', eniId).execute();
  await requestSecurityPolicy(trx);
  if (groupIds.length === 0) return;
  await trx.insertInto('eni_security_groups')
    .values(groupIds.map((g, i) => ({ network_interface_id: eniId, security_group_id: g, position: i })))
    .execute();
}

export async function findNetworkInterface(db: Q, accountId: string, regionId: string, id: string): Promise<NetworkInterfaceRow | undefined> {
  return db.selectFrom('network_interfaces').selectAll()
    .where('id', '=', id).where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
}

/** Secondary private addresses per interface, in address order (a secondary ENI's own primary address left out). */
export async function secondaryIpsOf(db: Q, eniIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (eniIds.length === 0) return out;
  const rows = await db.selectFrom('private_ips as p').innerJoin('network_interfaces as n', 'n.id', 'p.network_interface_id')
    .select(['p.network_interface_id', 'p.ip'])
    .where('p.network_interface_id', 'in', eniIds).whereRef('p.ip', '!=', 'n.primary_ip').orderBy('p.ip').execute();
  for (const r of rows) out.set(r.network_interface_id, [...(out.get(r.network_interface_id) ?? []), r.ip]);
  return out;
}

/** Every address of a VSwitch, whoever holds it. */
export async function addressesOfVSwitch(db: Q, vswitchId: string): Promise<string[]> {
  return (await db.selectFrom('private_ips').select('ip').where('vswitch_id', '=', vswitchId).execute()).map((r) => r.ip);
}

/**
 * Records secondary addresses (the private_ips primary key refuses an address taken meanwhile).
 * A secondary ENI's addresses are the ENI's alone (instance_id ''): they stay with it across detach.
 */
export async function addSecondaryIps(trx: Q, eni: Pick<NetworkInterfaceRow, 'id' | 'vswitch_id' | 'instance_id' | 'type'>, ips: string[]): Promise<void> {
  if (ips.length === 0) return;
  const holder = eni.type === 'Primary' ? eni.instance_id : '';
  await trx.insertInto('private_ips')
    .values(ips.map((ip) => ({ vswitch_id: eni.vswitch_id, ip, instance_id: holder, network_interface_id: eni.id })))
    .execute();
}

export async function removeSecondaryIps(trx: Q, eniId: string, ips: string[]): Promise<void> {
  if (ips.length === 0) return;
  await trx.deleteFrom('private_ips').where('network_interface_id', '=', eniId).where('ip', 'in', ips).execute();
}
