/**
 * An ENI's IPv6 addresses (table ipv6_addresses, canonical compressed lowercase, unique by
 * address so two takers of one address cannot both commit). They belong to the ENI: they go with
 * it (deleteInterfaceRow) and stay with a secondary ENI across detach. The data plane reads them
 * per interface (ipv6AddressesByInterface).
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';

type Q = Kysely<Database> | Transaction<Database>;

/** Each interface's IPv6 addresses, in the order they were taken (interfaces without any left out). */
export async function ipv6AddressesByInterface(db: Q, interfaceIds: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (interfaceIds.length === 0) return out;
  const rows = await db.selectFrom('ipv6_addresses').select(['network_interface_id', 'address'])
    .where('network_interface_id', 'in', [...interfaceIds]).orderBy('created_at').orderBy('address').execute();
  for (const r of rows) out.set(r.network_interface_id, [...(out.get(r.network_interface_id) ?? []), r.address]);
  return out;
}

/** Every IPv6 address taken in the VSwitch, whoever holds it. */
export async function ipv6AddressesOfVSwitch(db: Q, vswitchId: string): Promise<Set<string>> {
  return new Set((await db.selectFrom('ipv6_addresses').select('address').where('vswitch_id', '=', vswitchId).execute()).map((r) => r.address));
}

/** The interfaces holding any of these addresses (DescribeNetworkInterfaces Ipv6Address.N). */
export async function interfacesWithIpv6(db: Q, addresses: readonly string[]): Promise<string[]> {
  if (addresses.length === 0) return [];
  const rows = await db.selectFrom('ipv6_addresses').select('network_interface_id').distinct().where('address', 'in', [...addresses]).execute();
  return rows.map((r) => r.network_interface_id);
}

/** Records addresses for the interface (the unique index refuses one taken meanwhile); the data plane follows. */
export async function addIpv6Addresses(trx: Q, o: { interfaceId: string; vswitchId: string; accountId: string; now: number }, addresses: readonly string[]): Promise<void> {
  if (addresses.length === 0) return;
  await trx.insertInto('ipv6_addresses')
    .values(addresses.map((address) => ({ address, network_interface_id: o.interfaceId, vswitch_id: o.vswitchId, account_id: o.accountId, created_at: o.now })))
    .execute();
  await requestSecurityPolicy(trx, o.now);
}

/** Frees the interface's given addresses (all of them without a list). */
export async function removeIpv6Addresses(trx: Q, interfaceId: string, now: number, addresses?: readonly string[]): Promise<void> {
  let q = trx.deleteFrom('ipv6_addresses').where('network_interface_id', '=', interfaceId);
  if (addresses) {
    if (addresses.length === 0) return;
    q = q.where('address', 'in', [...addresses]);
  }
  await q.execute();
  await requestSecurityPolicy(trx, now);
}

/** How many IPv6 addresses the VSwitches hold (DeleteVSwitch / ModifyVSwitchAttribute EnableIPv6=false refuse while any). */
export async function ipv6AddressCount(db: Q, vswitchIds: readonly string[]): Promise<number> {
  if (vswitchIds.length === 0) return 0;
  const r = await db.selectFrom('ipv6_addresses').select((eb) => eb.fn.countAll<number>().as('n')).where('vswitch_id', 'in', [...vswitchIds]).executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** Every VPC's IPv6 /56 (all accounts: the pool is the server's). */
export async function takenVpcIpv6Blocks(db: Q): Promise<string[]> {
  return (await db.selectFrom('vpcs').select('ipv6_cidr_block').where('ipv6_cidr_block', '<>', '').execute()).map((r) => r.ipv6_cidr_block);
}
