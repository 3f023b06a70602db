/**
 * IPv6 addresses of network interfaces (issue 14 item 3): AssignIpv6Addresses and
 * UnassignIpv6Addresses, and `takeIpv6Addresses`, which CreateNetworkInterface and RunInstances
 * use for Ipv6Address.N / Ipv6AddressCount. The rules are src/domain/instances/ipv6-addresses.ts;
 * the addresses are planned before the DryRun gate and again in the writing transaction with the
 * VSwitch's row locked (as every address allocation takes it), and the unique index on
 * ipv6_addresses.address settles anything else. The data plane follows through the
 * security-policy operation the store requests (src/store/ipv6-addresses.ts).
 */
import { EcsError } from '../domain/errors.js';
import { canonicalIpv6 } from '../domain/ipv6.js';
import { ASSIGN_IPV6_CODES, planIpv6Addresses, RUN_INSTANCES_IPV6_CODES, wantsIpv6, type Ipv6Codes } from '../domain/instances/ipv6-addresses.js';
import { addIpv6Addresses, ipv6AddressesByInterface, ipv6AddressesOfVSwitch, removeIpv6Addresses } from '../store/ipv6-addresses.js';
import { findVSwitch } from '../store/network.js';
import { lockRow } from '../store/row-locks.js';
import { requireAddressableInterface } from './network-interfaces.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';

type Q = Tx | ActionContext['db'];

export interface Ipv6Take {
  interfaceId: string;
  vswitchId: string;
  requested?: readonly string[];
  count?: number;
  /** How many the interface may hold in all. */
  limit: number;
  codes: Ipv6Codes;
}

/** The addresses a request would get, read through `q` (nothing written). */
export async function planIpv6(ctx: ActionContext, q: Q, t: Ipv6Take): Promise<string[]> {
  const vsw = await findVSwitch(q, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, t.vswitchId);
  if (!vsw) throw new EcsError('InvalidVSwitchId.NotFound', `The specified VSwitchId "${t.vswitchId}" does not exist.`);
  const current = (await ipv6AddressesByInterface(q, [t.interfaceId])).get(t.interfaceId)?.length ?? 0;
  const plan = planIpv6Addresses({
    vswitchBlock: vsw.ipv6_cidr_block, used: await ipv6AddressesOfVSwitch(q, vsw.id), current, limit: t.limit,
    requested: t.requested, count: t.count,
  }, t.codes);
  if (!plan.ok) throw new EcsError(plan.code, plan.message);
  return plan.addresses;
}

/** Plans and records the interface's new addresses in the transaction, the VSwitch's row locked. */
export async function takeIpv6Addresses(ctx: ActionContext, trx: Tx, t: Ipv6Take): Promise<string[]> {
  if (!(await lockRow(trx, 'vswitches', t.vswitchId))) throw new EcsError('InvalidVSwitchId.NotFound', `The specified VSwitchId "${t.vswitchId}" does not exist.`);
  const addresses = await planIpv6(ctx, trx, t);
  await addIpv6Addresses(trx, { interfaceId: t.interfaceId, vswitchId: t.vswitchId, accountId: ctx.principal.accountId, now: ctx.now() }, addresses);
  return addresses;
}

export const ipv6AddressActions = ecsHandlers({
  async AssignIpv6Addresses(ctx, p) {
    const { eni, ipv6Limit } = await requireAddressableInterface(ctx, p.NetworkInterfaceId);
    const take: Ipv6Take = { interfaceId: eni.id, vswitchId: eni.vswitch_id, requested: p.Ipv6Address, count: p.Ipv6AddressCount, limit: ipv6Limit, codes: ASSIGN_IPV6_CODES };
    await planIpv6(ctx, ctx.db, take);
    return ctx.mutate(async (trx) => {
      const addresses = await takeIpv6Addresses(ctx, trx, take);
      return { NetworkInterfaceId: eni.id, Ipv6Sets: { Ipv6Address: addresses }, Ipv6PrefixSets: { Ipv6Prefix: [] } };
    });
  },

  async UnassignIpv6Addresses(ctx, p) {
    const { eni } = await requireAddressableInterface(ctx, p.NetworkInterfaceId);
    const given = (p.Ipv6Address ?? []).filter((x: string) => x !== '');
    if (given.length === 0) throw new EcsError('MissingParameter', 'The input parameter "Ipv6Address.N" that is mandatory for processing this request is not supplied.');
    const addresses: string[] = [];
    for (const s of given) {
      const a = canonicalIpv6(s);
      if (!a) throw new EcsError('InvalidIp.Address', `The specified Ipv6Address "${s}" is not a valid IPv6 address.`);
      if (addresses.includes(a)) throw new EcsError('InvalidIp.IpRepeated', `The specified Ipv6Address.N contain "${s}" more than once.`);
      addresses.push(a);
    }
    const check = async (q: Q) => {
      const current = new Set((await ipv6AddressesByInterface(q, [eni.id])).get(eni.id) ?? []);
      const stranger = addresses.find((a) => !current.has(a));
      if (stranger) throw new EcsError('InvalidIp.IpUnassigned', `The address ${stranger} is not an IPv6 address of ${eni.id}.`);
    };
    await check(ctx.db);
    return ctx.mutate(async (trx) => {
      await lockRow(trx, 'network_interfaces', eni.id);
      await check(trx);
      await removeIpv6Addresses(trx, eni.id, ctx.now(), addresses);
      return {};
    });
  },
});

/** RunInstances Ipv6Address.N / Ipv6AddressCount for each instance's primary ENI. */
export interface LaunchIpv6 { vswitchId: string; requested?: string[]; count?: number; limit: number }

/**
 * Checks a launch's IPv6 request (before the DryRun gate): the instance type must support IPv6
 * (EniIpv6AddressQuantity > 0) and named addresses go to one instance only.
 */
export async function planLaunchIpv6(ctx: ActionContext, p: { Ipv6Address?: string[]; Ipv6AddressCount?: number }, o: { vswitchId: string; amount: number; eniIpv6: number; typeId: string }): Promise<LaunchIpv6 | undefined> {
  if (!wantsIpv6(p.Ipv6Address, p.Ipv6AddressCount)) return undefined;
  if (o.eniIpv6 === 0) throw new EcsError('InvalidOperation.Ipv6NotSupport', `The instance type ${o.typeId} does not support IPv6.`);
  const requested = (p.Ipv6Address ?? []).filter((x) => x !== '');
  if (requested.length && o.amount > 1) throw new EcsError('InvalidParameter', 'The specified parameter "Ipv6Address.N" is valid only when Amount is 1.');
  const plan: LaunchIpv6 = { vswitchId: o.vswitchId, requested: requested.length ? requested : undefined, count: p.Ipv6AddressCount, limit: o.eniIpv6 };
  await planIpv6(ctx, ctx.db, takeOf(plan, ''));
  return plan;
}

function takeOf(plan: LaunchIpv6, interfaceId: string): Ipv6Take {
  return { interfaceId, vswitchId: plan.vswitchId, requested: plan.requested, count: plan.count, limit: plan.limit, codes: RUN_INSTANCES_IPV6_CODES };
}

/** Gives each new primary ENI its addresses, in the launching transaction (after the ENI rows are written). */
export async function takeLaunchIpv6(ctx: ActionContext, trx: Tx, plan: LaunchIpv6 | undefined, interfaceIds: readonly string[]): Promise<void> {
  if (!plan) return;
  for (const id of interfaceIds) await takeIpv6Addresses(ctx, trx, takeOf(plan, id));
}
