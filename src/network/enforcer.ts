/**
 * Keeps security groups on the wire in step with the store: the reconciler of the
 * `security-policy` operation (src/engine/security-policy.ts) gathers every live NIC's groups and
 * rules, and the member addresses of every group, and hands them to a driver that enforces them
 * (qemu with the netns network compiles them to nftables and applies only when the rendered
 * ruleset changed). The writes that change any of it request the operation in their own
 * transaction, the instance reconciler does when a guest's network comes up (a new VPC bridge
 * changes the isolation rule), and start-up does (a new driver has applied nothing yet).
 */
import type { EvaluatedGroup } from '../domain/security-rules/evaluate.js';
import type { GroupType, InnerAccessPolicy } from '../domain/security-rules/model.js';
import type { NicSecurityPolicy } from '../compute/driver.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine/engine.js';
import type { Db } from '../store/db.js';
import type { EipMapping } from './eip-wire.js';
import { withPrefixListEntries } from '../store/prefix-lists.js';
import { rulesOfGroups } from '../store/security-group-rules.js';
import { routedEntries } from '../store/route-tables.js';
import { ipv6AddressesByInterface } from '../store/ipv6-addresses.js';
import type { Ipv6VSwitch } from './ipv6-wire.js';
import { primaryInterfacesOf, secondaryIpsOf } from '../store/network-interfaces.js';

export interface GatheredPolicy { nics: NicSecurityPolicy[]; members: Record<string, string[]> }

export async function gatherPolicy(db: Db): Promise<GatheredPolicy> {
  const instances = await db.selectFrom('instances').select(['id', 'private_ip'])
    .where('deleted_at', 'is', null).where('private_ip', '!=', '').orderBy('id').execute();
  if (instances.length === 0) return { nics: [], members: {} };
  // Attached secondary ENIs are NICs of their own, in their own groups, on their own address
  // (keyed by the ENI id as instances are by theirs).
  const enis = await db.selectFrom('network_interfaces').select(['id', 'primary_ip as private_ip'])
    .where('type', '!=', 'Primary').where('status', 'in', ['Attaching', 'InUse']).orderBy('id').execute();
  const ipOf = new Map([...instances, ...enis].map((i) => [i.id, i.private_ip]));
  const ipv6Of = await nicIpv6Addresses(db, instances.map((i) => i.id), enis.map((e) => e.id));
  const ipv4Of = await nicSecondaryIpv4s(db, instances.map((i) => i.id), enis.map((e) => e.id));
  const memberships = [
    ...await db.selectFrom('instance_security_groups').select(['instance_id', 'security_group_id', 'position'])
      .orderBy('instance_id').orderBy('position').execute(),
    ...await db.selectFrom('eni_security_groups').select(['network_interface_id as instance_id', 'security_group_id', 'position'])
      .orderBy('network_interface_id').orderBy('position').execute(),
  ];
  const groupsOf = new Map<string, string[]>();
  const members: Record<string, string[]> = {};
  for (const m of memberships) {
    const ip = ipOf.get(m.instance_id);
    if (!ip) continue;
    (groupsOf.get(m.instance_id) ?? groupsOf.set(m.instance_id, []).get(m.instance_id)!).push(m.security_group_id);
    (members[m.security_group_id] ??= []).push(ip, ...(ipv4Of.get(m.instance_id) ?? []), ...(ipv6Of.get(m.instance_id) ?? []));
  }
  const groupIds = [...new Set(memberships.filter((m) => ipOf.has(m.instance_id)).map((m) => m.security_group_id))];
  const groupRows = groupIds.length
    ? await db.selectFrom('security_groups').select(['id', 'type', 'inner_access_policy']).where('id', 'in', groupIds).execute()
    : [];
  // Rules naming a prefix list carry its entries as they are now (ModifyPrefixList requests a new apply).
  const rules = await withPrefixListEntries(db, await rulesOfGroups(db, groupIds));
  const groups = new Map<string, EvaluatedGroup>(groupRows.map((g) => [g.id, {
    id: g.id, type: (g.type === 'enterprise' ? 'enterprise' : 'normal') as GroupType,
    innerAccessPolicy: (g.inner_access_policy === 'Drop' ? 'Drop' : 'Accept') as InnerAccessPolicy, rules: [],
  }]));
  for (const r of rules) groups.get(r.securityGroupId)?.rules.push(r);
  const nics = [...instances, ...enis].map((i) => ({
    instanceId: i.id, ip: i.private_ip, ...(ipv6Of.has(i.id) ? { ipv6: ipv6Of.get(i.id) } : {}),
    ...(ipv4Of.has(i.id) ? { secondaryIps: ipv4Of.get(i.id) } : {}),
    groups: (groupsOf.get(i.id) ?? []).map((g) => groups.get(g)).filter((g): g is EvaluatedGroup => g !== undefined),
  }));
  return { nics, members };
}

/** Each NIC's secondary private IPv4 addresses, keyed as the policy keys NICs (an instance's are its primary ENI's). */
async function nicSecondaryIpv4s(db: Db, instanceIds: string[], eniIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const [id, p] of await primaryInterfacesOf(db, instanceIds)) if (p.secondary_ips.length) out.set(id, p.secondary_ips);
  for (const [id, ips] of await secondaryIpsOf(db, eniIds)) out.set(id, ips);
  return out;
}

/**
 * Each NIC's IPv6 addresses, keyed as the policy keys NICs: an instance (its primary ENI's
 * addresses) by the instance id, a secondary ENI by its own.
 */
async function nicIpv6Addresses(db: Db, instanceIds: string[], eniIds: string[]): Promise<Map<string, string[]>> {
  const out = await ipv6AddressesByInterface(db, eniIds);
  for (const [id, p] of await primaryInterfacesOf(db, instanceIds)) if (p.ipv6_addresses.length) out.set(id, p.ipv6_addresses);
  return out;
}

/**
 * Every VSwitch with its IPv6 /64 ('' without): the namespace's VPC bridges carry the gateways of
 * those with one, and lose those of the others (src/network/ipv6-wire.ts).
 */
export async function ipv6VSwitches(db: Db): Promise<Ipv6VSwitch[]> {
  return db.selectFrom('vswitches').select(['vpc_id as vpcId', 'ipv6_cidr_block as ipv6Cidr']).orderBy('vpc_id').orderBy('id').execute();
}

/**
 * The reconciler: compiles the whole policy from the store and applies it. Idempotent (the same
 * store gives the same ruleset, which the driver skips when unchanged); a failure is retried by
 * the engine with backoff, and the operation stays pending meanwhile, visible to an operator.
 */
export async function reconcileSecurityPolicy(_op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const apply = env.driver.applySecurityPolicy?.bind(env.driver);
  if (!apply) return { done: true };
  const p = await gatherPolicy(env.db);
  await apply(p.nics, p.members);
  // The VSwitches' IPv6 gateways on the VPC bridges (AssignIpv6Addresses, a new bridge or a VSwitch's IPv6 changed request this operation).
  if (env.driver.applyIpv6Wire) await env.driver.applyIpv6Wire(await ipv6VSwitches(env.db));
  // The public addresses' NAT with the groups it leads through (the EIP actions and reconciler, AllocatePublicIpAddress, ModifyInstanceNetworkSpec and ReleasePublicIpAddress request this operation).
  if (env.driver.applyEipWire) await env.driver.applyEipWire(await gatherEipMappings(env.db));
  // The custom route entries with their next hops' addresses (CreateRouteEntry, DeleteRouteEntry, a next hop moved or gone request this operation).
  if (env.driver.applyRouteWire) { const r = await routedEntries(env.db); await env.driver.applyRouteWire(r.entries, r.vswitches); }
  return { done: true };
}

/**
 * Every public address on the wire, with the private address it maps to 1:1 and its bandwidth:
 * the EIPs bound (Associating, InUse, Unassociating) to a live instance (its primary address) or
 * to a secondary ENI attached to one (the ENI's address the EIP names), and the instances' NAT
 * public addresses (AllocatePublicIpAddress, RunInstances InternetMaxBandwidthOut) at the
 * instance's InternetMaxBandwidthOut (none while it is 0: no public traffic is bought).
 */
export async function gatherEipMappings(db: Db): Promise<EipMapping[]> {
  const bound = ['Associating', 'InUse', 'Unassociating'];
  const [onInstances, onInterfaces, natIps] = await Promise.all([
    db.selectFrom('eips').innerJoin('instances', 'instances.id', 'eips.instance_id')
      .select(['eips.ip_address as eip', 'instances.private_ip as privateIp', 'eips.bandwidth as bandwidth'])
      .where('eips.instance_type', '=', 'EcsInstance').where('eips.status', 'in', bound)
      .where('instances.deleted_at', 'is', null).where('instances.private_ip', '!=', '').execute(),
    db.selectFrom('eips').innerJoin('network_interfaces as n', 'n.id', 'eips.instance_id').innerJoin('instances', 'instances.id', 'n.instance_id')
      .select(['eips.ip_address as eip', 'eips.private_ip as privateIp', 'eips.bandwidth as bandwidth'])
      .where('eips.instance_type', '=', 'NetworkInterface').where('eips.status', 'in', bound)
      .where('n.status', 'in', ['Attaching', 'InUse']).where('instances.deleted_at', 'is', null).execute(),
    db.selectFrom('instances').select(['public_ip as eip', 'private_ip as privateIp', 'internet_max_bandwidth_out as bandwidth'])
      .where('deleted_at', 'is', null).where('public_ip', '!=', '').where('private_ip', '!=', '').where('internet_max_bandwidth_out', '>', 0).execute(),
  ]);
  return [...onInstances, ...onInterfaces, ...natIps].map((r) => ({ eip: r.eip, privateIp: r.privateIp, bandwidth: Number(r.bandwidth) }))
    .sort((a, b) => a.eip.localeCompare(b.eip));
}
