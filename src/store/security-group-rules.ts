/** Security group rule queries: the rows behind DescribeSecurityGroupAttribute and the rule actions' writes. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, SecurityGroupRuleTable, SecurityGroupTable } from './schema.js';
import type { Direction, IpProtocol, NicType, RulePolicy, RuleSpec, SecurityGroupRule } from '../domain/security-rules/model.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';

type Q = Kysely<Database> | Transaction<Database>;
export type RuleRow = Selectable<SecurityGroupRuleTable>;
export type GroupRow = Selectable<SecurityGroupTable>;

export function ruleFromRow(r: RuleRow): SecurityGroupRule {
  return {
    id: r.id, securityGroupId: r.security_group_id, createdAt: Number(r.created_at),
    direction: r.direction as Direction, ipProtocol: r.ip_protocol as IpProtocol, portRange: r.port_range,
    sourcePortRange: r.source_port_range, policy: r.policy as RulePolicy, priority: Number(r.priority), nicType: r.nic_type as NicType,
    sourceCidrIp: r.source_cidr_ip, ipv6SourceCidrIp: r.ipv6_source_cidr_ip, sourceGroupId: r.source_group_id,
    sourceGroupOwnerId: r.source_group_owner_id, sourcePrefixListId: r.source_prefix_list_id,
    destCidrIp: r.dest_cidr_ip, ipv6DestCidrIp: r.ipv6_dest_cidr_ip, destGroupId: r.dest_group_id,
    destGroupOwnerId: r.dest_group_owner_id, destPrefixListId: r.dest_prefix_list_id, description: r.description,
  };
}

function specColumns(s: RuleSpec) {
  return {
    direction: s.direction, ip_protocol: s.ipProtocol, port_range: s.portRange, source_port_range: s.sourcePortRange,
    policy: s.policy, priority: s.priority, nic_type: s.nicType,
    source_cidr_ip: s.sourceCidrIp, ipv6_source_cidr_ip: s.ipv6SourceCidrIp, source_group_id: s.sourceGroupId,
    source_group_owner_id: s.sourceGroupOwnerId, source_prefix_list_id: s.sourcePrefixListId,
    dest_cidr_ip: s.destCidrIp, ipv6_dest_cidr_ip: s.ipv6DestCidrIp, dest_group_id: s.destGroupId,
    dest_group_owner_id: s.destGroupOwnerId, dest_prefix_list_id: s.destPrefixListId, description: s.description,
  };
}

/** A group of the account in the region, or undefined. */
export async function findGroup(db: Q, accountId: string, regionId: string, id: string): Promise<GroupRow | undefined> {
  return db.selectFrom('security_groups').selectAll()
    .where('id', '=', id).where('account_id', '=', accountId).where('region_id', '=', regionId).executeTakeFirst();
}

/** Groups by id in any account (cross-account authorization, names of referenced groups). */
export async function groupsByIds(db: Q, ids: string[]): Promise<GroupRow[]> {
  if (ids.length === 0) return [];
  return db.selectFrom('security_groups').selectAll().where('id', 'in', [...new Set(ids)]).execute();
}

export async function findAccount(db: Q, nameOrId: string): Promise<{ id: string } | undefined> {
  return db.selectFrom('accounts').select('id').where((eb) => eb.or([eb('id', '=', nameOrId), eb('name', '=', nameOrId)])).executeTakeFirst();
}

/** The rules of the groups, in creation order (group by group). */
export async function rulesOfGroups(db: Q, groupIds: string[], direction?: Direction, nicType?: NicType): Promise<SecurityGroupRule[]> {
  if (groupIds.length === 0) return [];
  let q = db.selectFrom('security_group_rules').selectAll().where('security_group_id', 'in', groupIds);
  if (direction) q = q.where('direction', '=', direction);
  if (nicType) q = q.where('nic_type', '=', nicType);
  const rows = await q.orderBy('security_group_id').orderBy('seq').execute();
  const order = new Map(groupIds.map((g, i) => [g, i]));
  return rows.map(ruleFromRow).sort((a, b) => order.get(a.securityGroupId)! - order.get(b.securityGroupId)!);
}

export async function rulesByIds(db: Q, groupId: string, ids: string[]): Promise<SecurityGroupRule[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('security_group_rules').selectAll()
    .where('security_group_id', '=', groupId).where('id', 'in', ids).execute();
  return rows.map(ruleFromRow);
}

export async function insertRules(trx: Q, owner: { accountId: string; regionId: string; groupId: string }, rules: { id: string; spec: RuleSpec }[], now: number): Promise<void> {
  if (rules.length === 0) return;
  const last = await trx.selectFrom('security_group_rules').select((eb) => eb.fn.max('seq').as('m'))
    .where('security_group_id', '=', owner.groupId).executeTakeFirst();
  let seq = Number(last?.m ?? 0);
  await trx.insertInto('security_group_rules').values(rules.map((r) => ({
    id: r.id, account_id: owner.accountId, region_id: owner.regionId, security_group_id: owner.groupId,
    seq: ++seq, created_at: now, ...specColumns(r.spec),
  }))).execute();
  await requestSecurityPolicy(trx, now);
}

export async function updateRule(trx: Q, id: string, spec: RuleSpec): Promise<void> {
  await trx.updateTable('security_group_rules').set(specColumns(spec)).where('id', '=', id).execute();
  await requestSecurityPolicy(trx);
}

export async function deleteRules(trx: Q, groupId: string, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  await trx.deleteFrom('security_group_rules').where('security_group_id', '=', groupId).where('id', 'in', ids).execute();
  await requestSecurityPolicy(trx);
}

/** A group's rules go with it (guide L936: deleting a group deletes its rules). */
export async function deleteRulesOfGroup(trx: Q, groupId: string): Promise<void> {
  await trx.deleteFrom('security_group_rules').where('security_group_id', '=', groupId).execute();
  await requestSecurityPolicy(trx);
}

/** Groups (any account) whose rules authorize each of `groupIds`, excluding a group's own rules. */
export async function referencingGroups(db: Q, groupIds: string[]): Promise<Map<string, { groupId: string; accountId: string }[]>> {
  const out = new Map<string, { groupId: string; accountId: string }[]>(groupIds.map((g) => [g, []]));
  if (groupIds.length === 0) return out;
  const rows = await db.selectFrom('security_group_rules').select(['security_group_id', 'account_id', 'source_group_id', 'dest_group_id'])
    .where((eb) => eb.or([eb('source_group_id', 'in', groupIds), eb('dest_group_id', 'in', groupIds)]))
    .orderBy('security_group_id').execute();
  for (const r of rows) {
    for (const target of new Set([r.source_group_id, r.dest_group_id])) {
      const list = out.get(target);
      if (!list || r.security_group_id === target || list.some((x) => x.groupId === r.security_group_id)) continue;
      list.push({ groupId: r.security_group_id, accountId: r.account_id });
    }
  }
  return out;
}

/**
 * Whether a rule of another group authorizes this one; DeleteSecurityGroup refuses then with
 * DependencyViolation (guide L943). A group's rules naming itself do not count.
 */
export async function isReferencedByRules(db: Q, groupId: string): Promise<boolean> {
  const row = await db.selectFrom('security_group_rules').select('id')
    .where('security_group_id', '!=', groupId)
    .where((eb) => eb.or([eb('source_group_id', '=', groupId), eb('dest_group_id', '=', groupId)]))
    .executeTakeFirst();
  return row !== undefined;
}

export async function setInnerAccessPolicy(trx: Q, groupId: string, policy: string): Promise<void> {
  await trx.updateTable('security_groups').set({ inner_access_policy: policy }).where('id', '=', groupId).execute();
  await requestSecurityPolicy(trx);
}

/** Security groups of an instance, in their order. */
export async function groupIdsOfInstance(db: Q, instanceId: string): Promise<string[]> {
  const rows = await db.selectFrom('instance_security_groups').select('security_group_id')
    .where('instance_id', '=', instanceId).orderBy('position').execute();
  return rows.map((r) => r.security_group_id);
}

/** Live instances of the account holding the address in the region, with their groups: the peer of an explained packet. */
export async function instancesWithAddress(db: Q, accountId: string, regionId: string, address: string): Promise<{ id: string; vpcId: string; groupIds: string[] }[]> {
  const rows = await db.selectFrom('instances').select(['id', 'vpc_id']).where('account_id', '=', accountId).where('region_id', '=', regionId)
    .where('deleted_at', 'is', null).where((eb) => eb.or([eb('private_ip', '=', address), eb('public_ip', '=', address)])).execute();
  const out = [];
  for (const r of rows) out.push({ id: r.id, vpcId: r.vpc_id, groupIds: await groupIdsOfInstance(db, r.id) });
  return out;
}
