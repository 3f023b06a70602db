/**
 * Network queries: VPCs, VSwitches, security groups, and the private addresses handed out from
 * VSwitches. Every lookup takes the account id (tenant isolation); a region narrows it when the
 * request named one (several VPC actions take RegionId as optional).
 *
 * For the instance actions:
 *   allocatePrivateIp(trx, { vswitchId, instanceId, requested? }) → the address taken
 *   releasePrivateIps(trx, instanceId)                           → frees every address of the instance
 */
import type { Insertable, Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { EcsError } from '../domain/errors.js';
import { checkPrivateIp, formatIpv4, lowestFree, lowestFreeN, parseCidr, parseIpv4, usableRange, type Cidr } from '../domain/cidr.js';
import { insertRows } from './batch.js';
import { forUpdate } from './dialect.js';
import type { Database, SecurityGroupTable, VpcTable, VSwitchTable } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;
export type VpcRow = Selectable<VpcTable>;
export type VSwitchRow = Selectable<VSwitchTable>;
export type SecurityGroupRow = Selectable<SecurityGroupTable>;

export interface Scope {
  accountId: string;
  /** Empty or undefined: any region of the account. */
  regionId?: string;
}

export interface Window { offset: number; limit: number }

const none = (ids: readonly string[]) => (ids.length ? [...ids] : ['']);

// ---------------------------------------------------------------- VPCs

export async function findVpc(db: Q, s: Scope, id: string): Promise<VpcRow | undefined> {
  let q = db.selectFrom('vpcs').selectAll().where('id', '=', id).where('account_id', '=', s.accountId);
  if (s.regionId) q = q.where('region_id', '=', s.regionId);
  return q.executeTakeFirst();
}

export async function findVpcByRouter(db: Q, s: Scope, vrouterId: string): Promise<VpcRow | undefined> {
  let q = db.selectFrom('vpcs').selectAll().where('vrouter_id', '=', vrouterId).where('account_id', '=', s.accountId);
  if (s.regionId) q = q.where('region_id', '=', s.regionId);
  return q.executeTakeFirst();
}

export async function countVpcs(db: Q, accountId: string, regionId: string): Promise<number> {
  const r = await db.selectFrom('vpcs').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export interface VpcFilter extends Scope {
  ids?: string[];
  name?: string;
  isDefault?: boolean;
  resourceGroupId?: string;
  /** EnableIpv6: only VPCs with (true) or without (false) an IPv6 block. */
  ipv6?: boolean;
}

/** VPCs matching the filter, oldest first, with the total before paging. */
export async function listVpcs(db: Q, f: VpcFilter, w: Window): Promise<{ rows: VpcRow[]; total: number }> {
  let q = db.selectFrom('vpcs').where('account_id', '=', f.accountId);
  if (f.ipv6 !== undefined) q = q.where('ipv6_cidr_block', f.ipv6 ? '<>' : '=', '');
  if (f.regionId) q = q.where('region_id', '=', f.regionId);
  if (f.ids) q = q.where('id', 'in', none(f.ids));
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.isDefault !== undefined) q = q.where('is_default', '=', f.isDefault ? 1 : 0);
  if (f.resourceGroupId) q = q.where('resource_group_id', '=', f.resourceGroupId);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await q.selectAll().orderBy('created_at').orderBy('id').limit(w.limit).offset(w.offset).execute();
  return { rows, total: Number(total?.n ?? 0) };
}

export async function insertVpc(db: Q, row: Insertable<VpcTable>): Promise<void> {
  await db.insertInto('vpcs').values(row).execute();
}

export async function updateVpc(db: Q, id: string, set: Updateable<VpcTable>): Promise<void> {
  if (Object.keys(set).length) await db.updateTable('vpcs').set(set).where('id', '=', id).execute();
}

export async function deleteVpc(db: Q, id: string): Promise<void> {
  await db.deleteFrom('vpcs').where('id', '=', id).execute();
}

// ---------------------------------------------------------------- VSwitches

export async function findVSwitch(db: Q, s: Scope, id: string): Promise<VSwitchRow | undefined> {
  let q = db.selectFrom('vswitches').selectAll().where('id', '=', id).where('account_id', '=', s.accountId);
  if (s.regionId) q = q.where('region_id', '=', s.regionId);
  return q.executeTakeFirst();
}

/** The VSwitches of VPCs, oldest first (for VSwitchIds lists and CIDR overlap checks). */
export async function vswitchesOfVpcs(db: Q, vpcIds: readonly string[]): Promise<VSwitchRow[]> {
  if (vpcIds.length === 0) return [];
  return db.selectFrom('vswitches').selectAll().where('vpc_id', 'in', [...vpcIds]).orderBy('created_at').orderBy('id').execute();
}

export interface VSwitchFilter extends Scope {
  vpcId?: string;
  ids?: string[];
  zoneId?: string;
  name?: string;
  isDefault?: boolean;
  /** A VSwitch without its own group is in its VPC's. */
  resourceGroupId?: string;
  /** EnableIpv6: only VSwitches with (true) or without (false) an IPv6 block. */
  ipv6?: boolean;
}

export async function listVSwitches(db: Q, f: VSwitchFilter, w: Window): Promise<{ rows: VSwitchRow[]; total: number }> {
  let q = db.selectFrom('vswitches').where('account_id', '=', f.accountId);
  if (f.ipv6 !== undefined) q = q.where('ipv6_cidr_block', f.ipv6 ? '<>' : '=', '');
  if (f.regionId) q = q.where('region_id', '=', f.regionId);
  if (f.vpcId) q = q.where('vpc_id', '=', f.vpcId);
  if (f.ids) q = q.where('id', 'in', none(f.ids));
  if (f.zoneId) q = q.where('zone_id', '=', f.zoneId);
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.isDefault !== undefined) q = q.where('is_default', '=', f.isDefault ? 1 : 0);
  if (f.resourceGroupId) {
    const group = f.resourceGroupId;
    q = q.where((eb) => eb.or([
      eb('resource_group_id', '=', group),
      eb.and([eb('resource_group_id', '=', ''), eb('vpc_id', 'in', eb.selectFrom('vpcs').select('id').where('resource_group_id', '=', group))]),
    ]));
  }
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await q.selectAll().orderBy('created_at').orderBy('id').limit(w.limit).offset(w.offset).execute();
  return { rows, total: Number(total?.n ?? 0) };
}

export async function insertVSwitch(db: Q, row: Insertable<VSwitchTable>): Promise<void> {
  await db.insertInto('vswitches').values(row).execute();
}

export async function updateVSwitch(db: Q, id: string, set: Updateable<VSwitchTable>): Promise<void> {
  if (Object.keys(set).length) await db.updateTable('vswitches').set(set).where('id', '=', id).execute();
}

export async function deleteVSwitch(db: Q, id: string): Promise<void> {
  await db.deleteFrom('vswitches').where('id', '=', id).execute();
}

/** Addresses handed out per VSwitch (for AvailableIpAddressCount). */
export async function usedIpCounts(db: Q, vswitchIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (vswitchIds.length === 0) return out;
  const rows = await db.selectFrom('private_ips').select(['vswitch_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('vswitch_id', 'in', [...vswitchIds]).groupBy('vswitch_id').execute();
  for (const r of rows) out.set(r.vswitch_id, Number(r.n));
  return out;
}

/** Instances of the VSwitch: any address handed out from it, or any instance row not yet gone. */
export async function instancesInVSwitch(db: Q, vswitchId: string): Promise<number> {
  const ips = await db.selectFrom('private_ips').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('vswitch_id', '=', vswitchId).executeTakeFirst();
  const live = await db.selectFrom('instances').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('vswitch_id', '=', vswitchId).where('deleted_at', 'is', null).executeTakeFirst();
  return Math.max(Number(ips?.n ?? 0), Number(live?.n ?? 0));
}

export async function instancesInVpc(db: Q, vpcId: string): Promise<number> {
  const r = await db.selectFrom('instances').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('vpc_id', '=', vpcId).where('deleted_at', 'is', null).executeTakeFirst();
  return Number(r?.n ?? 0);
}

// ---------------------------------------------------------------- private addresses

/**
 * The VSwitch read with its row locked: concurrent allocations in one VSwitch (two RunInstances,
 * another replica's) take turns, each reading the addresses the one before took, instead of both
 * picking the lowest free one; and DeleteVSwitch, which takes the same lock, sees them.
 */
async function lockedVSwitch(trx: Q, id: string): Promise<{ id: string; cidr_block: string; private_ips_free_from: number | null } | undefined> {
  return forUpdate(trx, trx.selectFrom('vswitches').select(['id', 'cidr_block', 'private_ips_free_from']).where('id', '=', id)).executeTakeFirst();
}

/** Which of `ips` the VSwitch has handed out (its primary key answers each). */
async function takenAmong(trx: Q, vswitchId: string, ips: number[]): Promise<Set<number>> {
  if (ips.length === 0) return new Set();
  const rows = await trx.selectFrom('private_ips').select('ip').where('vswitch_id', '=', vswitchId).where('ip', 'in', ips.map(formatIpv4)).execute();
  return new Set(rows.map((r) => parseIpv4(r.ip)!));
}

/** Addresses looked at per read while searching up from a VSwitch's free mark, beyond those wanted. */
const FREE_SEARCH_SLACK = 32;

/**
 * The `n` lowest free addresses of the VSwitch (fewer when it runs out). From its free mark
 * (migration 0040: every usable address below it is taken) only the addresses just above it are
 * read, a window at a time, so the cost follows `n`, not how full the VSwitch is; without the
 * mark, every address it has handed out is read once. The mark is then moved past the last one
 * taken: those are the lowest free ones, so everything below it is taken once they are.
 */
async function takeLowestFree(trx: Q, vsw: { id: string; private_ips_free_from: number | null }, cidr: Cidr, n: number): Promise<number[]> {
  let ips: number[];
  if (vsw.private_ips_free_from === null) {
    const usedRows = await trx.selectFrom('private_ips').select('ip').where('vswitch_id', '=', vsw.id).execute();
    ips = lowestFreeN(cidr, new Set(usedRows.map((r) => parseIpv4(r.ip)).filter((x): x is number => x !== undefined)), n);
  } else {
    ips = [];
    const { first, last } = usableRange(cidr);
    for (let from = Math.max(first, vsw.private_ips_free_from); from <= last && ips.length < n;) {
      const to = Math.min(last, from + n - ips.length + FREE_SEARCH_SLACK - 1);
      const window = Array.from({ length: to - from + 1 }, (_, i) => from + i);
      ips.push(...lowestFreeN(cidr, await takenAmong(trx, vsw.id, window), n - ips.length, { from, to }));
      from = to + 1;
    }
  }
  if (ips.length === n && n > 0) await trx.updateTable('vswitches').set({ private_ips_free_from: ips[n - 1]! + 1 }).where('id', '=', vsw.id).execute();
  return ips;
}

/** Addresses already taken, per VSwitch, shared by the allocations of one transaction. */
export interface IpBatch { used: Map<string, Set<number>> }

/**
 * Takes a private address of the VSwitch for an instance and records it (the table's primary key
 * (vswitch_id, ip) makes two takers of one address impossible). `requested` is checked with the
 * RunInstances codes: InvalidPrivateIpAddress.Malformed, InvalidPrivateIpAddress (outside the
 * VSwitch or one of its reserved addresses), InvalidPrivateIpAddress.Duplicated; without it the
 * lowest free address is taken, and a full VSwitch answers QuotaExceeded.PrivateIpAddress (403).
 */
export async function allocatePrivateIp(trx: Q, o: { vswitchId: string; instanceId: string; requested?: string; batch?: IpBatch; networkInterfaceId?: string }): Promise<string> {
  const vsw = await lockedVSwitch(trx, o.vswitchId);
  if (!vsw) throw new EcsError('InvalidVSwitchId.NotFound', `The specified VSwitchId "${o.vswitchId}" does not exist.`);
  const block = parseCidr(vsw.cidr_block);
  if (!block.ok) throw new EcsError('InternalError', `VSwitch ${vsw.id} has a malformed CIDR block.`, 500);
  // One RunInstances call allocates up to 100 addresses in one transaction: read the used set once.
  let used = o.batch?.used.get(vsw.id);
  if (!used) {
    const usedRows = await trx.selectFrom('private_ips').select('ip').where('vswitch_id', '=', vsw.id).execute();
    used = new Set(usedRows.map((r) => parseIpv4(r.ip)).filter((n): n is number => n !== undefined));
    o.batch?.used.set(vsw.id, used);
  }
  let ip: number;
  if (o.requested !== undefined && o.requested !== '') {
    const c = checkPrivateIp(o.requested, block.cidr);
    if (!c.ok) {
      if (c.reason === 'malformed') throw new EcsError('InvalidPrivateIpAddress.Malformed', `The specified PrivateIpAddress "${o.requested}" is malformed.`);
      const why = c.reason === 'outside' ? `is not in the CIDR block ${vsw.cidr_block} of the VSwitch` : `is reserved by the VSwitch ${vsw.cidr_block} (its first and last three addresses)`;
      throw new EcsError('InvalidPrivateIpAddress', `The specified PrivateIpAddress "${o.requested}" ${why}.`);
    }
    if (used.has(c.ip)) throw new EcsError('InvalidPrivateIpAddress.Duplicated', `The specified PrivateIpAddress "${o.requested}" is already in use.`);
    ip = c.ip;
  } else {
    const free = lowestFree(block.cidr, used);
    if (free === undefined) throw new EcsError('QuotaExceeded.PrivateIpAddress', `Don't have enough private IPs in this switch ${vsw.id}.`, 403);
    ip = free;
  }
  const text = formatIpv4(ip);
  await trx.insertInto('private_ips').values({ vswitch_id: vsw.id, ip: text, instance_id: o.instanceId, network_interface_id: o.networkInterfaceId ?? '' }).execute();
  used.add(ip);
  return text;
}

/**
 * Takes `count` private addresses of the VSwitch at once (RunInstances Amount=N), in one INSERT: from `requested` on, each the next address after the one before (each checked as
 * allocatePrivateIp checks it), or else the lowest free ones in order (takeLowestFree).
 */
export async function allocatePrivateIps(trx: Q, o: { vswitchId: string; instanceIds: string[]; requested?: string }): Promise<string[]> {
  const vsw = await lockedVSwitch(trx, o.vswitchId);
  if (!vsw) throw new EcsError('InvalidVSwitchId.NotFound', `The specified VSwitchId "${o.vswitchId}" does not exist.`);
  const block = parseCidr(vsw.cidr_block);
  if (!block.ok) throw new EcsError('InternalError', `VSwitch ${vsw.id} has a malformed CIDR block.`, 500);
  let ips: number[];
  if (o.requested !== undefined && o.requested !== '') {
    // Each address checked in turn; the first that fails says why (only the ones asked for are read).
    const wanted: { text: string; check: ReturnType<typeof checkPrivateIp> }[] = [];
    for (let next = o.requested; wanted.length < o.instanceIds.length;) {
      const check = checkPrivateIp(next, block.cidr);
      wanted.push({ text: next, check });
      if (!check.ok) break;
      next = formatIpv4(check.ip + 1);
    }
    const used = await takenAmong(trx, vsw.id, wanted.flatMap((w) => (w.check.ok ? [w.check.ip] : [])));
    ips = [];
    for (const { text, check: c } of wanted) {
      if (!c.ok) {
        if (c.reason === 'malformed') throw new EcsError('InvalidPrivateIpAddress.Malformed', `The specified PrivateIpAddress "${text}" is malformed.`);
        const why = c.reason === 'outside' ? `is not in the CIDR block ${vsw.cidr_block} of the VSwitch` : `is reserved by the VSwitch ${vsw.cidr_block} (its first and last three addresses)`;
        throw new EcsError('InvalidPrivateIpAddress', `The specified PrivateIpAddress "${text}" ${why}.`);
      }
      if (used.has(c.ip)) throw new EcsError('InvalidPrivateIpAddress.Duplicated', `The specified PrivateIpAddress "${text}" is already in use.`);
      ips.push(c.ip);
    }
  } else {
    ips = await takeLowestFree(trx, vsw, block.cidr, o.instanceIds.length);
    if (ips.length < o.instanceIds.length) throw new EcsError('QuotaExceeded.PrivateIpAddress', `Don't have enough private IPs in this switch ${vsw.id}.`, 403);
  }
  const texts = ips.map(formatIpv4);
  await insertRows(trx, 'private_ips', texts.map((ip, i) => ({ vswitch_id: vsw.id, ip, instance_id: o.instanceIds[i]! })));
  return texts;
}

/** Frees every address held by the instance (on release). */
export async function releasePrivateIps(trx: Q, instanceId: string): Promise<void> {
  await trx.deleteFrom('private_ips').where('instance_id', '=', instanceId).execute();
}

// ---------------------------------------------------------------- security groups

export async function findSecurityGroup(db: Q, s: Scope, id: string): Promise<SecurityGroupRow | undefined> {
  let q = db.selectFrom('security_groups').selectAll().where('id', '=', id).where('account_id', '=', s.accountId);
  if (s.regionId) q = q.where('region_id', '=', s.regionId);
  return q.executeTakeFirst();
}

export async function countSecurityGroups(db: Q, accountId: string, regionId: string): Promise<number> {
  const r = await db.selectFrom('security_groups').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export async function securityGroupsInVpc(db: Q, vpcId: string): Promise<number> {
  const r = await db.selectFrom('security_groups').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('vpc_id', '=', vpcId).executeTakeFirst();
  return Number(r?.n ?? 0);
}

export interface SecurityGroupFilter extends Scope {
  ids?: string[];
  name?: string;
  vpcId?: string;
  type?: string;
  /** vpc: groups of a VPC; classic: groups without one. */
  networkType?: 'vpc' | 'classic';
  resourceGroupId?: string;
}

/** Groups matching the filter, newest first (as the console lists them), with the total before paging. */
export async function listSecurityGroups(db: Q, f: SecurityGroupFilter, w: Window): Promise<{ rows: SecurityGroupRow[]; total: number }> {
  let q = db.selectFrom('security_groups').where('account_id', '=', f.accountId);
  if (f.regionId) q = q.where('region_id', '=', f.regionId);
  if (f.ids) q = q.where('id', 'in', none(f.ids));
  if (f.name !== undefined) q = q.where('name', '=', f.name);
  if (f.vpcId) q = q.where('vpc_id', '=', f.vpcId);
  if (f.type) q = q.where('type', '=', f.type);
  if (f.networkType === 'vpc') q = q.where('vpc_id', '!=', '');
  if (f.networkType === 'classic') q = q.where('vpc_id', '=', '');
  if (f.resourceGroupId) q = q.where('resource_group_id', '=', f.resourceGroupId);
  const total = await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await q.selectAll().orderBy('created_at', 'desc').orderBy('id').limit(w.limit).offset(w.offset).execute();
  return { rows, total: Number(total?.n ?? 0) };
}

export async function insertSecurityGroup(db: Q, row: Insertable<SecurityGroupTable>): Promise<void> {
  await db.insertInto('security_groups').values(row).execute();
}

export async function updateSecurityGroup(db: Q, id: string, set: Updateable<SecurityGroupTable>): Promise<void> {
  if (Object.keys(set).length) await db.updateTable('security_groups').set(set).where('id', '=', id).execute();
}

export async function deleteSecurityGroup(db: Q, id: string): Promise<void> {
  await db.deleteFrom('security_groups').where('id', '=', id).execute();
}

/**
 * Members of each group: instances (their primary ENIs) and secondary ENIs, which count toward a
 * group's member limit as instances do (guide 001 §1.2) — EcsCount, the capacity checks and
 * DeleteSecurityGroup's DependencyViolation.
 */
export async function memberCounts(db: Q, groupIds: readonly string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (groupIds.length === 0) return out;
  const ids = [...groupIds];
  // One after the other: `db` may be a transaction (one connection).
  const instances = await db.selectFrom('instance_security_groups').select(['security_group_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('security_group_id', 'in', ids).groupBy('security_group_id').execute();
  const enis = await db.selectFrom('eni_security_groups').select(['security_group_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('security_group_id', 'in', ids).groupBy('security_group_id').execute();
  for (const r of [...instances, ...enis]) out.set(r.security_group_id, (out.get(r.security_group_id) ?? 0) + Number(r.n));
  return out;
}
