/**
 * Route tables and their custom route entries. Every lookup takes the account (tenant isolation);
 * a region narrows it when the request named one.
 */
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { Database, RouteEntryTable, RouteTableTable } from './schema.js';
import type { Scope } from './network.js';

type Q = Kysely<Database> | Transaction<Database>;
export type RouteTableRow = Selectable<RouteTableTable>;
export type RouteEntryRow = Selectable<RouteEntryTable>;

/** A system route table's id shares its router's random part (`vrt-X` → `vtb-X`), as it always has. */
export const systemRouteTableId = (vrouterId: string) => 'vtb-' + vrouterId.replace(/^vrt-/, '');

export async function insertRouteTable(db: Q, row: Insertable<RouteTableTable>): Promise<void> {
  await db.insertInto('route_tables').values(row).execute();
}

/** The system route table every VPC gets with its router (CreateVpc, CreateDefaultVpc). */
export async function insertSystemRouteTable(db: Q, v: { id: string; account_id: string; region_id: string; vrouter_id: string; created_at: number }): Promise<string> {
  const id = systemRouteTableId(v.vrouter_id);
  await insertRouteTable(db, {
    id, account_id: v.account_id, region_id: v.region_id, vpc_id: v.id, vrouter_id: v.vrouter_id, type: 'System',
    name: '', description: '', route_propagation_enable: 1, created_at: v.created_at,
  });
  return id;
}

export async function findRouteTable(db: Q, s: Scope, id: string): Promise<RouteTableRow | undefined> {
  let q = db.selectFrom('route_tables').selectAll().where('id', '=', id).where('account_id', '=', s.accountId);
  if (s.regionId) q = q.where('region_id', '=', s.regionId);
  return q.executeTakeFirst();
}

export interface RouteTableFilter extends Scope {
  ids?: string[];
  vpcIds?: string[];
  vrouterId?: string;
  name?: string;
  type?: string;
}

/** Route tables matching the filter, oldest first. */
export async function listRouteTables(db: Q, f: RouteTableFilter): Promise<RouteTableRow[]> {
  let q = db.selectFrom('route_tables').selectAll().where('account_id', '=', f.accountId);
  if (f.regionId) q = q.where('region_id', '=', f.regionId);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  if (f.vpcIds) q = q.where('vpc_id', 'in', f.vpcIds.length ? f.vpcIds : ['']);
  if (f.vrouterId) q = q.where('vrouter_id', '=', f.vrouterId);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.type) q = q.where('type', '=', f.type);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function updateRouteTable(db: Q, id: string, set: Updateable<RouteTableTable>): Promise<void> {
  if (Object.keys(set).length) await db.updateTable('route_tables').set(set).where('id', '=', id).execute();
}

/** A VPC's route tables and their entries go with it (DeleteVpc, after its dependency checks). */
export async function deleteRouteTablesOfVpc(db: Q, vpcId: string): Promise<string[]> {
  const ids = (await db.selectFrom('route_tables').select('id').where('vpc_id', '=', vpcId).execute()).map((r) => r.id);
  if (ids.length) {
    await db.deleteFrom('route_entries').where('route_table_id', 'in', ids).execute();
    await db.deleteFrom('route_tables').where('id', 'in', ids).execute();
  }
  return ids;
}

export async function customEntriesOf(db: Q, tableIds: readonly string[]): Promise<RouteEntryRow[]> {
  if (tableIds.length === 0) return [];
  return db.selectFrom('route_entries').selectAll().where('route_table_id', 'in', [...tableIds]).orderBy('created_at').orderBy('id').execute();
}

export async function countCustomEntriesOfVpc(db: Q, vpcId: string): Promise<number> {
  const r = await db.selectFrom('route_entries').innerJoin('route_tables', 'route_tables.id', 'route_entries.route_table_id')
    .select((eb) => eb.fn.countAll<number>().as('n')).where('route_tables.vpc_id', '=', vpcId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** A custom entry by its id, within the caller's route tables. */
export async function findCustomEntry(db: Q, s: Scope, id: string): Promise<RouteEntryRow | undefined> {
  let q = db.selectFrom('route_entries').innerJoin('route_tables', 'route_tables.id', 'route_entries.route_table_id')
    .selectAll('route_entries').where('route_entries.id', '=', id).where('route_tables.account_id', '=', s.accountId);
  if (s.regionId) q = q.where('route_tables.region_id', '=', s.regionId);
  return q.executeTakeFirst();
}

export async function insertRouteEntry(db: Q, row: Insertable<RouteEntryTable>): Promise<void> {
  await db.insertInto('route_entries').values(row).execute();
}

export async function deleteRouteEntry(db: Q, id: string): Promise<void> {
  await db.deleteFrom('route_entries').where('id', '=', id).execute();
}

/** Which of the instances are next hops of route entries (DeleteInstance refuses those). */
export async function nextHopInstanceIds(db: Q, instanceIds: readonly string[]): Promise<Set<string>> {
  if (instanceIds.length === 0) return new Set();
  const rows = await db.selectFrom('route_entries').select('next_hop_id').where('next_hop_type', '=', 'Instance')
    .where('next_hop_id', 'in', [...instanceIds]).execute();
  return new Set(rows.map((r) => r.next_hop_id));
}

/** An instance that may be a next hop: its VPC and status, if it exists and is not released. */
export async function nextHopInstance(db: Q, s: Scope, id: string): Promise<{ vpc_id: string; status: string } | undefined> {
  let q = db.selectFrom('instances').select(['vpc_id', 'status']).where('id', '=', id).where('account_id', '=', s.accountId).where('deleted_at', 'is', null);
  if (s.regionId) q = q.where('region_id', '=', s.regionId);
  return q.executeTakeFirst();
}

/** An ENI that may be a next hop: its VPC and status, if it exists in the caller's account. */
export async function nextHopInterface(db: Q, s: Scope, id: string): Promise<{ vpc_id: string; status: string } | undefined> {
  let q = db.selectFrom('network_interfaces').select(['vpc_id', 'status']).where('id', '=', id).where('account_id', '=', s.accountId);
  if (s.regionId) q = q.where('region_id', '=', s.regionId);
  return q.executeTakeFirst();
}

/** A custom entry as the wire needs it: the VPC, the destination and the next hop's private address ('' when it has none now). */
export interface RoutedEntry { vpcId: string; destination: string; via: string }

/**
 * Every custom entry of every account with its next hop's address: an instance's private IP (a
 * released or moved-away instance has none), an ENI's primary IP (a Deleting one has none). The
 * entries of one VPC and the VSwitch blocks of those VPCs, for src/network/route-wire.ts.
 */
export async function routedEntries(db: Q): Promise<{ entries: RoutedEntry[]; vswitches: { vpcId: string; cidr: string }[] }> {
  const rows = await db.selectFrom('route_entries').innerJoin('route_tables', 'route_tables.id', 'route_entries.route_table_id')
    .leftJoin('instances', (j) => j.onRef('instances.id', '=', 'route_entries.next_hop_id').on('route_entries.next_hop_type', '=', 'Instance')
      .onRef('instances.vpc_id', '=', 'route_tables.vpc_id').on('instances.deleted_at', 'is', null))
    .leftJoin('network_interfaces', (j) => j.onRef('network_interfaces.id', '=', 'route_entries.next_hop_id').on('route_entries.next_hop_type', '=', 'NetworkInterface')
      .onRef('network_interfaces.vpc_id', '=', 'route_tables.vpc_id').on('network_interfaces.status', '!=', 'Deleting'))
    .select(['route_tables.vpc_id as vpcId', 'route_entries.destination_cidr_block as destination', 'instances.private_ip as instanceIp', 'network_interfaces.primary_ip as eniIp'])
    .orderBy('route_tables.vpc_id').orderBy('route_entries.destination_cidr_block').execute();
  const vpcIds = [...new Set(rows.map((r) => r.vpcId))];
  const vswitches = vpcIds.length
    ? await db.selectFrom('vswitches').select(['vpc_id as vpcId', 'cidr_block as cidr']).where('vpc_id', 'in', vpcIds).orderBy('vpc_id').orderBy('cidr_block').execute()
    : [];
  return { entries: rows.map((r) => ({ vpcId: r.vpcId, destination: r.destination, via: r.instanceIp || r.eniIp || '' })), vswitches };
}
