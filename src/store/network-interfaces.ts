/**
 * Network interfaces: the primary ENI every instance gets at launch (deleted with it) and, later,
 * secondary ones (issue 14). A primary ENI's security groups and resource group are its
 * instance's, so JoinSecurityGroup and JoinResourceGroup on the instance show on the ENI at once.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, NetworkInterfaceTable } from './schema.js';

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
    q = q.where('n.type', '=', 'Primary')
      .where('n.instance_id', 'in', (eb) => eb.selectFrom('instance_security_groups').select('instance_id').where('security_group_id', '=', sg));
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

/** An interface with its secondary private addresses. */
export type NetworkInterfaceWithIps = NetworkInterfaceRow & { secondary_ips: string[] };

/** The primary ENIs of instances, by instance id (DescribeInstances' NetworkInterfaces). */
export async function primaryInterfacesOf(db: Q, instanceIds: string[]): Promise<Map<string, NetworkInterfaceWithIps>> {
  const out = new Map<string, NetworkInterfaceWithIps>();
  if (instanceIds.length === 0) return out;
  const rows = await db.selectFrom('network_interfaces').selectAll()
    .where('instance_id', 'in', instanceIds).where('type', '=', 'Primary').execute();
  const secondary = await secondaryIpsOf(db, rows.map((r) => r.id));
  for (const r of rows) out.set(r.instance_id, { ...r, secondary_ips: secondary.get(r.id) ?? [] });
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

/** On release: the primary ENI and its tags go with the instance. */
export async function releaseInstanceInterfaces(trx: Q, instanceId: string): Promise<void> {
  const ids = (await trx.selectFrom('network_interfaces').select('id').where('instance_id', '=', instanceId).where('type', '=', 'Primary').execute()).map((r) => r.id);
  if (ids.length === 0) return;
  await trx.deleteFrom('tags').where('resource_id', 'in', ids).execute();
  await trx.deleteFrom('network_interfaces').where('id', 'in', ids).execute();
}

export async function findNetworkInterface(db: Q, accountId: string, regionId: string, id: string): Promise<NetworkInterfaceRow | undefined> {
  return db.selectFrom('network_interfaces').selectAll()
    .where('id', '=', id).where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
}

/** Secondary private addresses per interface, in address order of assignment. */
export async function secondaryIpsOf(db: Q, eniIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (eniIds.length === 0) return out;
  const rows = await db.selectFrom('private_ips').select(['network_interface_id', 'ip'])
    .where('network_interface_id', 'in', eniIds).orderBy('ip').execute();
  for (const r of rows) out.set(r.network_interface_id, [...(out.get(r.network_interface_id) ?? []), r.ip]);
  return out;
}

/** Every address of a VSwitch, whoever holds it. */
export async function addressesOfVSwitch(db: Q, vswitchId: string): Promise<string[]> {
  return (await db.selectFrom('private_ips').select('ip').where('vswitch_id', '=', vswitchId).execute()).map((r) => r.ip);
}

/** Records secondary addresses (the private_ips primary key refuses an address taken meanwhile). */
export async function addSecondaryIps(trx: Q, eni: Pick<NetworkInterfaceRow, 'id' | 'vswitch_id' | 'instance_id'>, ips: string[]): Promise<void> {
  if (ips.length === 0) return;
  await trx.insertInto('private_ips')
    .values(ips.map((ip) => ({ vswitch_id: eni.vswitch_id, ip, instance_id: eni.instance_id, network_interface_id: eni.id })))
    .execute();
}

export async function removeSecondaryIps(trx: Q, eniId: string, ips: string[]): Promise<void> {
  if (ips.length === 0) return;
  await trx.deleteFrom('private_ips').where('network_interface_id', '=', eniId).where('ip', 'in', ips).execute();
}
