/**
 * DescribeNetworkInterfaces: the stored network interfaces (every instance's primary ENI and the
 * secondary ones, src/store/network-interfaces.ts), every filter of the metadata that applies to them and
 * both paging modes. Terraform's instance Read asks for each ENI id DescribeInstances lists and
 * type-asserts `PrivateIpSets`, `Ipv6Sets`, `SecurityGroupIds` and `Attachment` as objects and
 * `Primary` as a JSON boolean.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { isoSecond } from '../domain/time.js';
import { securityGroupsOf } from '../store/instances.js';
import {
  addressesOfVSwitch, addSecondaryIps, countNetworkInterfaces, findNetworkInterface, interfaceGroupsOf, listNetworkInterfaces, removeSecondaryIps, secondaryIpsOf,
  type NetworkInterfaceFilter, type NetworkInterfaceRow, type NetworkInterfaceView,
} from '../store/network-interfaces.js';
import { getInstance } from '../store/instances.js';
import { dropEipsOfInterface, eipsOfInstances, eipsOfInterfaces, type EipRow } from '../store/eips.js';
import { findVSwitch } from '../store/network.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import { interfacesWithIpv6, ipv6AddressesByInterface } from '../store/ipv6-addresses.js';
import { canonicalIpv6 } from '../domain/ipv6.js';
import { findInstanceType } from '../domain/catalog/instance-types.js';
import { parseIpv4 } from '../domain/cidr.js';
import { planSecondaryIps } from '../domain/instances/secondary-ips.js';
import { MAX_UNATTACHED_ENI_IPS } from '../domain/network-interfaces.js';
import { idsWithTags, renderTags, tagsOf } from '../store/tags.js';
import type { Tag } from '../domain/tags.js';
import { pageFields, pageOf } from './paging.js';
import type { ActionContext, Tx } from './types.js';
import { lockRow } from '../store/row-locks.js';
import { ecsHandlers } from './typed-handlers.js';
import type { EcsActions } from '../api/generated/ecs-types.js';

type NetworkInterfaceSet = NonNullable<NonNullable<EcsActions['DescribeNetworkInterfaces']['response']['NetworkInterfaceSets']>['NetworkInterfaceSet']>[number];

const TYPES = ['Primary', 'Secondary'];
const STATUSES = ['Available', 'Attaching', 'InUse', 'Detaching', 'Deleting'];

/** `eips`: the EIP of each of the ENI's private addresses (an instance's EIP is on its primary ENI's primary address). */
function interfaceItem(n: NetworkInterfaceView, groups: string[], tags: Tag[] | undefined, secondary: string[], eips: Map<string, EipRow>, ipv6: string[]) {
  const attached = n.instance_id !== '';
  const publicIpOf = (ip: string) => ({ PublicIpAddress: eips.get(ip)?.ip_address ?? '', AllocationId: eips.get(ip)?.id ?? '' });
  const publicIp = publicIpOf(n.primary_ip);
  const item = {
    NetworkInterfaceId: n.id,
    NetworkInterfaceName: n.name,
    Description: n.description,
    Type: n.type,
    Status: n.status,
    InstanceId: n.instance_id,
    VpcId: n.vpc_id,
    VSwitchId: n.vswitch_id,
    ZoneId: n.zone_id,
    MacAddress: n.mac_address,
    PrivateIpAddress: n.primary_ip,
    PrivateIpSets: {
      PrivateIpSet: [n.primary_ip, ...secondary].map((ip, i) => ({ PrivateIpAddress: ip, Primary: i === 0, AssociatedPublicIp: publicIpOf(ip) })),
    },
    Ipv6Sets: { Ipv6Set: ipv6.map((a) => ({ Ipv6Address: a })) },
    Ipv4PrefixSets: { Ipv4PrefixSet: [] as { Ipv4Prefix: string }[] },
    Ipv6PrefixSets: { Ipv6PrefixSet: [] as { Ipv6Prefix: string }[] },
    SecurityGroupIds: { SecurityGroupId: groups },
    AssociatedPublicIp: publicIp,
    Attachment: attached
      ? { InstanceId: n.instance_id, DeviceIndex: n.device_index, NetworkCardIndex: n.network_card_index, TrunkNetworkInterfaceId: '' }
      : {},
    NetworkInterfaceTrafficMode: n.traffic_mode,
    QueueNumber: n.queue_number,
    QueuePairNumber: n.queue_pair_number,
    DeleteOnRelease: n.delete_on_release === 1,
    ServiceManaged: false,
    OwnerId: n.account_id,
    ResourceGroupId: n.effective_resource_group_id,
    CreationTime: isoSecond(n.created_at),
    Tags: renderTags(tags),
  } satisfies NetworkInterfaceSet;
  // Read by Terraform's provider, newer than the 2024-06 metadata's response shape.
  const beyondSpec: Record<string, unknown> = { SourceDestCheck: n.source_dest_check === 1 };
  return { ...item, ...beyondSpec };
}

/** The interfaces as DescribeNetworkInterfaces lists them (and DescribeNetworkInterfaceAttribute shows one). */
export async function renderInterfaces(db: ActionContext['db'] | Tx, rows: NetworkInterfaceView[]) {
  const ids = rows.map((r) => r.id);
  const instanceIds = rows.filter((r) => r.type === 'Primary').map((r) => r.instance_id);
  const [groups, own, tagMap, secondary, ipv6] = await Promise.all([
    securityGroupsOf(db, instanceIds), interfaceGroupsOf(db, ids), tagsOf(db, ids), secondaryIpsOf(db, ids), ipv6AddressesByInterface(db, ids),
  ]);
  const [eips, eniEips] = await Promise.all([eipsOfInstances(db, instanceIds), eipsOfInterfaces(db, ids)]);
  const eipsOf = (r: NetworkInterfaceView): Map<string, EipRow> => {
    if (r.type !== 'Primary') return eniEips.get(r.id) ?? new Map();
    const eip = eips.get(r.instance_id);
    return eip ? new Map([[r.primary_ip, eip]]) : new Map();
  };
  return rows.map((r) => interfaceItem(r, (r.type === 'Primary' ? groups.get(r.instance_id) : own.get(r.id)) ?? [], tagMap.get(r.id), secondary.get(r.id) ?? [], eipsOf(r), ipv6.get(r.id) ?? []));
}

function oneOf(p: Params, name: string, allowed: string[]): string | undefined {
  const v: string | undefined = p[name] || undefined;
  if (v !== undefined && !allowed.includes(v)) {
    throw new EcsError('InvalidParameter', `The specified parameter "${name}" "${v}" is not valid: ${allowed.join(', ')}.`);
  }
  return v;
}

/**
 * The interface whose addresses change, and how many private addresses it may hold: an
 * unattached secondary ENI (Available) its own limit; an attached one its instance type's
 * EniPrivateIpAddressQuantity (EniIpv6AddressQuantity for IPv6), the instance being Running or Stopped.
 */
export async function requireAddressableInterface(ctx: ActionContext, id: string): Promise<{ eni: NetworkInterfaceRow; limit: number; ipv6Limit: number }> {
  const eni = await findNetworkInterface(ctx.db, ctx.principal.accountId, ctx.regionId, id);
  if (!eni) throw new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${id}" does not exist.`);
  if (eni.type !== 'Primary' && eni.status === 'Available') return { eni, limit: MAX_UNATTACHED_ENI_IPS, ipv6Limit: MAX_UNATTACHED_ENI_IPS };
  if (eni.status !== 'InUse') throw new EcsError('InvalidOperation.InvalidEniState', `The network interface ${id} is ${eni.status}; its addresses change while Available or InUse.`);
  const inst = eni.instance_id ? await getInstance(ctx.db, ctx.principal.accountId, eni.instance_id) : undefined;
  if (!inst) throw new EcsError('InvalidOperation.InvalidEniState', `The network interface ${id} is not attached to an instance.`);
  if (inst.status !== 'Running' && inst.status !== 'Stopped') {
    throw new EcsError('InvalidOperation.InvalidEcsState', `The instance ${inst.id} is ${inst.status}; its addresses change while Running or Stopped.`);
  }
  const type = findInstanceType(inst.instance_type);
  return { eni, limit: type?.eniPrivateIps ?? 1, ipv6Limit: type?.eniIpv6 ?? 0 };
}

export const networkInterfaceActions = ecsHandlers({
  /**
   * Secondary private addresses of an interface (an instance's primary ENI, or a secondary ENI
   * attached or not). The QEMU guest adds them itself from the metadata service (its NIC watcher,
   * guest-scripts.ts); on the wire they meet the NIC's security group chains (nft-compiler.ts).
   */
  async AssignPrivateIpAddresses(ctx, p) {
    const { eni, limit } = await requireAddressableInterface(ctx, p.NetworkInterfaceId);
    const vsw = await findVSwitch(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, eni.vswitch_id);
    if (!vsw) throw new EcsError('InvalidVSwitchId.NotFound', `The VSwitch ${eni.vswitch_id} of the network interface does not exist.`);
    const planIn = async (q: Tx | ActionContext['db']) => {
      const current = (await secondaryIpsOf(q, [eni.id])).get(eni.id) ?? [];
      const used = new Set((await addressesOfVSwitch(q, vsw.id)).map(parseIpv4).filter((n): n is number => n !== undefined));
      const plan = planSecondaryIps({
        vswitchCidr: vsw.cidr_block, used, current: current.length, limit,
        requested: p.PrivateIpAddress, count: p.SecondaryPrivateIpAddressCount,
      });
      if (!plan.ok) throw new EcsError(plan.code, plan.message);
      return plan;
    };
    await planIn(ctx.db);
    return ctx.mutate(async (trx) => {
      // Planned again with the VSwitch's row locked (as every address allocation takes it): two
      // concurrent assignments neither pick one free address nor pass the interface's limit together.
      if (!(await lockRow(trx, 'vswitches', vsw.id))) throw new EcsError('InvalidVSwitchId.NotFound', `The VSwitch ${eni.vswitch_id} of the network interface does not exist.`);
      const plan = await planIn(trx);
      await addSecondaryIps(trx, eni, plan.ips);
      await requestSecurityPolicy(trx, ctx.now());
      return { AssignedPrivateIpAddressesSet: { NetworkInterfaceId: eni.id, PrivateIpSet: { PrivateIpAddress: plan.ips } } };
    });
  },

  async UnassignPrivateIpAddresses(ctx, p) {
    const { eni } = await requireAddressableInterface(ctx, p.NetworkInterfaceId);
    const ips: string[] = (p.PrivateIpAddress ?? []).filter((x: string) => x !== '');
    if (ips.length === 0) throw new EcsError('MissingParameter', 'The input parameter "PrivateIpAddress.N" that is mandatory for processing this request is not supplied.');
    const current = new Set((await secondaryIpsOf(ctx.db, [eni.id])).get(eni.id) ?? []);
    const stranger = ips.find((ip) => !current.has(ip));
    if (stranger) {
      throw new EcsError('InvalidIp.IpUnassigned', stranger === eni.primary_ip
        ? `The address ${stranger} is the primary address of ${eni.id} and cannot be unassigned.`
        : `The address ${stranger} is not a secondary address of ${eni.id}.`);
    }
    return ctx.mutate(async (trx) => {
      // The ENI's row locked, as AssociateEipAddress locks it: an EIP is never bound to an address going away.
      await lockRow(trx, 'network_interfaces', eni.id);
      await removeSecondaryIps(trx, eni.id, ips);
      // An EIP on an unassigned address is let go (Available; no code of the metadata refuses it).
      await dropEipsOfInterface(trx, eni.id, ctx.now(), ips);
      await requestSecurityPolicy(trx, ctx.now());
      return {};
    });
  },


  async DescribeNetworkInterfaces(ctx, p) {
    // MaxResults below 10 counts as 10 and above 500 as 500 (the metadata's description).
    const q: Params = { ...p };
    if (q.MaxResults !== undefined) q.MaxResults = Math.min(500, Math.max(10, q.MaxResults));
    const page = pageOf(q, { defaultSize: 10, maxSize: 1000, maxResultsMin: 10, maxResultsMax: 500, maxResultsDefault: 10 });
    const f: NetworkInterfaceFilter = {
      accountId: ctx.principal.accountId,
      regionId: ctx.regionId,
      ids: p.NetworkInterfaceId?.length ? p.NetworkInterfaceId : undefined,
      instanceId: p.InstanceId || undefined,
      vswitchId: p.VSwitchId || undefined,
      vpcId: p.VpcId || undefined,
      primaryIp: p.PrimaryIpAddress || undefined,
      privateIps: p.PrivateIpAddress?.length ? p.PrivateIpAddress : undefined,
      securityGroupId: p.SecurityGroupId || undefined,
      type: oneOf(p, 'Type', TYPES),
      status: oneOf(p, 'Status', STATUSES),
      name: p.NetworkInterfaceName || undefined,
      resourceGroupId: p.ResourceGroupId || undefined,
    };
    const tags = (p.Tag ?? []).map((t: Record<string, string>) => ({ Key: t.Key ?? '', Value: t.Value }))
      .filter((t: { Key: string }) => t.Key);
    f.taggedIds = await idsWithTags(ctx.db, ctx.principal.accountId, 'eni', tags);
    // No interface here is managed by a cloud service.
    if (p.ServiceManaged === true) f.ids = [];
    const ipv6 = (p.Ipv6Address ?? []).filter((x: string) => x !== '');
    if (ipv6.length) {
      // Ipv6Address.N: the interfaces holding any of them (a malformed address matches none).
      const holders = await interfacesWithIpv6(ctx.db, ipv6.map((a: string) => canonicalIpv6(a) ?? a));
      f.ids = f.ids ? f.ids.filter((i) => holders.includes(i)) : holders;
    }
    const [total, rows] = await Promise.all([countNetworkInterfaces(ctx.db, f), listNetworkInterfaces(ctx.db, f, page.offset, page.limit)]);
    return {
      ...pageFields(page, rows.length, total),
      NetworkInterfaceSets: { NetworkInterfaceSet: await renderInterfaces(ctx.db, rows) },
    };
  },
});
