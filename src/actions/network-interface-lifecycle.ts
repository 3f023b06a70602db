/**
 * Secondary elastic network interfaces: CreateNetworkInterface, DeleteNetworkInterface,
 * ModifyNetworkInterfaceAttribute, DescribeNetworkInterfaceAttribute, AttachNetworkInterface and
 * DetachNetworkInterface. The rules are src/domain/network-interfaces.ts; each is checked before
 * the DryRun gate and again inside the writing transaction on locked rows. Attach, detach and
 * delete write the transitional status and an operation in one transaction; the engine
 * (src/engine/reconcilers/network-interface.ts) tells the driver and settles the status.
 *
 * A secondary ENI is in its own security groups (eni_security_groups), which count toward each
 * group's member limit; its addresses are its own, kept across detach.
 */
import { EcsError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { macAddress } from '../domain/instances/mac.js';
import { isValidResourceDescription, isValidResourceName } from '../domain/names.js';
import {
  checkAttach, checkDelete, checkDetach, checkEniGroups, checkModify, MAX_UNATTACHED_ENI_IPS, nextDeviceIndex,
  type EniGroup, type EniState, type Refusal,
} from '../domain/network-interfaces.js';
import { planSecondaryIps } from '../domain/instances/secondary-ips.js';
import { parseIpv4 } from '../domain/cidr.js';
import { tagsFromParams } from '../domain/tags.js';
import { findInstanceType } from '../domain/catalog/instance-types.js';
import { getInstance, securityGroupsOf, type InstanceRow } from '../store/instances.js';
import {
  addressesOfVSwitch, addSecondaryIps, findNetworkInterface, getInterfaceForEngine, insertNetworkInterface, interfaceGroupsOf, interfacesOfInstance,
  listNetworkInterfaces, secondaryIpsOf, setInterfaceGroups, setInterfaceStatus, updateInterface, type NetworkInterfaceRow,
} from '../store/network-interfaces.js';
import { allocatePrivateIp, findSecurityGroup, findVSwitch } from '../store/network.js';
import { lockRow, lockRows } from '../store/row-locks.js';
import { putTags } from '../store/tags.js';
import { mayAttach } from '../store/eni-permissions.js';
import { dropEipsOfInterface } from '../store/eips.js';
import { NETWORK_INTERFACE } from '../engine/reconcilers/network-interface.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import { checkGroupCapacity } from './launch-deps.js';
import { CREATE_ENI_IPV6_CODES, wantsIpv6 } from '../domain/instances/ipv6-addresses.js';
import { planIpv6, takeIpv6Addresses, type Ipv6Take } from './ipv6-addresses.js';
import { ipv6AddressesByInterface } from '../store/ipv6-addresses.js';
import { requireInstance } from './instance-describe.js';
import { renderInterfaces } from './network-interfaces.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';

type Q = Tx | ActionContext['db'];

function raise(r: Refusal | undefined): void {
  if (r) throw new EcsError(r.code, r.message, r.status);
}

const stateOf = (e: NetworkInterfaceRow): EniState => ({ id: e.id, type: e.type, status: e.status, instanceId: e.instance_id });

async function requireInterface(ctx: ActionContext, id: string, q: Q = ctx.db): Promise<NetworkInterfaceRow> {
  const eni = await findNetworkInterface(q, ctx.principal.accountId, ctx.regionId, id);
  if (!eni) throw new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${id}" does not exist.`, 404);
  return eni;
}

/**
 * The caller's interface, or another account's that the caller may attach (a permission granted
 * by CreateNetworkInterfacePermission); to anyone else it does not exist.
 */
export async function requireAttachable(ctx: ActionContext, id: string, q: Q = ctx.db): Promise<NetworkInterfaceRow> {
  const own = await findNetworkInterface(q, ctx.principal.accountId, ctx.regionId, id);
  if (own) return own;
  const other = await getInterfaceForEngine(q, id);
  if (other && other.region_id === ctx.regionId && (await mayAttach(q, id, ctx.principal.accountId))) return other;
  throw new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${id}" does not exist.`, 404);
}

/** The interface's row locked for this transaction and read again (lock order: instances → network_interfaces). */
async function lockedInterface(ctx: ActionContext, trx: Tx, id: string, find = requireInterface): Promise<NetworkInterfaceRow> {
  if (!(await lockRow(trx, 'network_interfaces', id))) throw new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${id}" does not exist.`, 404);
  return find(ctx, id, trx);
}

/** The groups named that exist, for checkEniGroups. */
async function groupsNamed(ctx: ActionContext, ids: string[], q: Q): Promise<EniGroup[]> {
  const out: EniGroup[] = [];
  for (const id of new Set(ids)) {
    const g = await findSecurityGroup(q, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, id);
    if (g) out.push({ id: g.id, vpcId: g.vpc_id, type: g.type });
  }
  return out;
}

/**
 * The groups an ENI joins, checked (existence, VPC, count, one type) and with room for one more
 * member each; `codes` are the action's where its table spells them otherwise.
 */
async function checkJoin(ctx: ActionContext, ids: string[], vpcId: string, mixedCode: string, current: string[], q: Q,
  codes: { full?: string; tooMany?: string } = {}): Promise<EniGroup[]> {
  const groups = await groupsNamed(ctx, ids, q);
  const refusal = checkEniGroups(ids, groups, vpcId, mixedCode);
  if (refusal?.code === 'JoinedGroupLimitExceed' && codes.tooMany) refusal.code = codes.tooMany;
  raise(refusal);
  await checkGroupCapacity(ctx, groups.filter((g) => !current.includes(g.id)), 1, codes.full ?? 'SecurityGroupInstanceLimitExceed', q);
  return groups;
}

/**
 * JoinSecurityGroup / LeaveSecurityGroup with NetworkInterfaceId (instead of InstanceId): a
 * secondary ENI joins or leaves one group; a primary ENI follows its instance (InstanceId).
 */
export async function regroupInterface(ctx: ActionContext, p: { NetworkInterfaceId?: string; InstanceId?: string; SecurityGroupId: string }, join: boolean): Promise<Record<string, never>> {
  if (p.InstanceId) throw new EcsError('InvalidParam.EniIdAndInstanceId.Conflict', 'InstanceId and NetworkInterfaceId cannot be given together.', 403);
  const eni = await requireInterface(ctx, p.NetworkInterfaceId!);
  const next = (e: NetworkInterfaceRow, current: string[]): string[] => {
    if (e.type === 'Primary') throw new EcsError('InvalidOperation.InvalidEniType', `The network interface ${e.id} is a primary one: its groups are its instance's (use InstanceId).`, 403);
    if (e.status !== 'Available' && e.status !== 'InUse') throw new EcsError('InvalidOperation.InvalidEniState', `The network interface ${e.id} is ${e.status}; its groups change while Available or InUse.`);
    if (join) {
      if (current.includes(p.SecurityGroupId)) throw new EcsError('InvalidInstanceId.AlreadyExists', `The network interface ${e.id} is already in the security group ${p.SecurityGroupId}.`, 403);
      return [...current, p.SecurityGroupId];
    }
    if (!current.includes(p.SecurityGroupId)) throw new EcsError('InstanceNotInSecurityGroup', `The network interface ${e.id} is not in the security group ${p.SecurityGroupId}.`, 403);
    if (current.length === 1) throw new EcsError('InvalidOperation.AtLeastInOneGroup', `The network interface ${e.id} must stay in at least one security group.`, 403);
    return current.filter((g) => g !== p.SecurityGroupId);
  };
  const codes = { full: 'SecurityGroupInstanceLimitExceeded', tooMany: 'InstanceSecurityGroupLimitExceeded' };
  const current = (await interfaceGroupsOf(ctx.db, [eni.id])).get(eni.id) ?? [];
  if (!join && !(await groupsNamed(ctx, [p.SecurityGroupId], ctx.db)).length) {
    throw new EcsError('InvalidSecurityGroupId.NotFound', `The SecurityGroupId "${p.SecurityGroupId}" provided does not exist in our records.`, 404);
  }
  const wanted = next(eni, current);
  if (join) await checkJoin(ctx, wanted, eni.vpc_id, 'InvalidOperation.MultiGroupType', current, ctx.db, codes);
  return ctx.mutate(async (trx) => {
    if (join) await lockRows(trx, 'security_groups', [p.SecurityGroupId]);
    const now = await lockedInterface(ctx, trx, eni.id);
    const before = (await interfaceGroupsOf(trx, [eni.id])).get(eni.id) ?? [];
    const after = next(now, before);
    if (join) await checkJoin(ctx, after, now.vpc_id, 'InvalidOperation.MultiGroupType', before, trx, codes);
    await setInterfaceGroups(trx, eni.id, after);
    return {};
  });
}

/**
 * CreateNetworkInterface's table spells the address refusals of the shared allocators otherwise:
 * a malformed address is InvalidIp.Address, one outside the VSwitch or reserved InvalidVSwitchId.IpInvalid.
 */
const CREATE_ADDRESS_CODES: Record<string, [string, number]> = {
  'InvalidPrivateIpAddress.Malformed': ['InvalidIp.Address', 403],
  InvalidPrivateIpAddress: ['InvalidVSwitchId.IpInvalid', 403],
};

function inCreateCodes(e: unknown): unknown {
  const mapped = e instanceof EcsError ? CREATE_ADDRESS_CODES[e.code] : undefined;
  return mapped ? new EcsError(mapped[0], (e as EcsError).message, mapped[1]) : e;
}

function checkNames(p: { NetworkInterfaceName?: string; Description?: string }): void {
  if (p.NetworkInterfaceName !== undefined && p.NetworkInterfaceName !== '' && !isValidResourceName(p.NetworkInterfaceName)) {
    throw new EcsError('InvalidParams.NetworkInterfaceName', 'The specified NetworkInterfaceName is not valid: 2-128 characters starting with a letter, then letters, digits, ":", "_", "." or "-", not starting with http:// or https://.', 403);
  }
  if (p.Description !== undefined && p.Description !== '' && !isValidResourceDescription(p.Description)) {
    throw new EcsError('InvalidParameter', 'The specified Description is not valid: 2-256 characters, not starting with http:// or https://.');
  }
}

/** The groups of an instance's primary ENI, with their types (an attached ENI's must be of the same type). */
async function instanceGroupTypes(q: Q, accountId: string, instanceId: string, regionId: string): Promise<string[]> {
  const ids = (await securityGroupsOf(q, [instanceId])).get(instanceId) ?? [];
  const types: string[] = [];
  for (const id of ids) {
    const g = await findSecurityGroup(q, { accountId, regionId }, id);
    if (g) types.push(g.type);
  }
  return types;
}

/** Everything AttachNetworkInterface checks, read through `q` (again inside the transaction on locked rows). */
async function attachRefusal(ctx: ActionContext, eni: NetworkInterfaceRow, inst: InstanceRow, q: Q): Promise<Refusal | undefined> {
  const type = findInstanceType(inst.instance_type);
  const [onInstance, secondary, groups] = await Promise.all([
    interfacesOfInstance(q, inst.id), secondaryIpsOf(q, [eni.id]), interfaceGroupsOf(q, [eni.id]),
  ]);
  const crossAccount = eni.account_id !== ctx.principal.accountId;
  const eniGroupTypes = crossAccount ? [] : (await groupsNamed(ctx, groups.get(eni.id) ?? [], q)).map((g) => g.type);
  return checkAttach(
    { ...stateOf(eni), vpcId: eni.vpc_id, zoneId: eni.zone_id, privateIps: 1 + (secondary.get(eni.id)?.length ?? 0), groupTypes: eniGroupTypes, crossAccount },
    {
      id: inst.id, status: inst.status, vpcId: inst.vpc_id, zoneId: inst.zone_id, attached: onInstance.length,
      eniQuantity: type?.eniQuantity ?? 1, eniPrivateIps: type?.eniPrivateIps ?? 1,
      groupTypes: await instanceGroupTypes(q, ctx.principal.accountId, inst.id, inst.region_id),
    },
  ) ?? ipv6AttachRefusal((await ipv6AddressesByInterface(q, [eni.id])).get(eni.id)?.length ?? 0, inst.instance_type, type?.eniIpv6 ?? 0);
}

/** An ENI's IPv6 addresses must fit the instance type's EniIpv6AddressQuantity (AttachNetworkInterface codes). */
function ipv6AttachRefusal(count: number, typeId: string, limit: number): Refusal | undefined {
  if (count === 0) return undefined;
  if (limit === 0) return { code: 'InvalidOperation.Ipv6NotSupport', message: `The instance type ${typeId} does not support IPv6; the network interface has ${count} IPv6 addresses.`, status: 403 };
  if (count > limit) return { code: 'InvalidOperation.Ipv6CountExceeded', message: `The number of IPv6 supported by the instance type ${typeId} (${limit}) is less than the network interface's ${count}.`, status: 400 };
  return undefined;
}

async function lockedInstance(ctx: ActionContext, trx: Tx, id: string): Promise<InstanceRow> {
  const row = await lockRow(trx, 'instances', id) ? await getInstance(trx, ctx.principal.accountId, id) : undefined;
  if (!row) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${id}" does not exist.`, 403);
  return row;
}

export const networkInterfaceLifecycleActions = ecsHandlers({
  async CreateNetworkInterface(ctx, p) {
    const { accountId } = ctx.principal;
    const vsw = await findVSwitch(ctx.db, { accountId, regionId: ctx.regionId }, p.VSwitchId);
    if (!vsw) throw new EcsError('InvalidVSwitchId.NotFound', `The specified VSwitchId "${p.VSwitchId}" does not exist.`, 404);
    if (vsw.status !== 'Available') throw new EcsError('IncorrectVSwitchStatus', 'The current status of vSwitch does not support this operation.');
    if (p.InstanceType !== undefined && p.InstanceType !== '' && p.InstanceType !== 'Secondary') {
      throw new EcsError('InvalidOperation.TrunkingIsNotAllowed', `The network interface type "${p.InstanceType}" is not available: only Secondary network interfaces are created here.`, 403);
    }
    const single = p.SecurityGroupId ? [p.SecurityGroupId] : [];
    const multi = (p.SecurityGroupIds ?? []).filter((x: string) => x !== '');
    if (single.length && multi.length) {
      throw new EcsError('InvalidSecurityGroupId.SingleIdAndMultiIdConflict', 'SecurityGroupId and SecurityGroupIds.N cannot be given together.');
    }
    const groupIds = multi.length ? multi : single;
    checkNames(p);
    // Repeated keys answer Duplicate.TagKey (tagsFromParams).
    const tags = tagsFromParams(p.Tag);
    await checkJoin(ctx, groupIds, vsw.vpc_id, 'EnterpriseGroupLimited.MutliGroupType', [], ctx.db);
    const named: string[] = (p.PrivateIpAddress ?? []).filter((x: string) => x !== '');
    const wantsSecondary = named.length > 0 || p.SecondaryPrivateIpAddressCount !== undefined;
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const id = newId('eni-');
    // Ipv6Address.N / Ipv6AddressCount: from the VSwitch's /64, at most what an unattached ENI holds.
    const ipv6: Ipv6Take | undefined = wantsIpv6(p.Ipv6Address, p.Ipv6AddressCount)
      ? { interfaceId: id, vswitchId: vsw.id, requested: p.Ipv6Address, count: p.Ipv6AddressCount, limit: MAX_UNATTACHED_ENI_IPS, codes: CREATE_ENI_IPV6_CODES }
      : undefined;
    if (ipv6) await planIpv6(ctx, ctx.db, ipv6);
    return ctx.mutate(async (trx) => {
      await holdResourceGroup(ctx, trx, resourceGroupId);
      // The groups locked, then checked again: concurrent joins count each other against the member limit.
      await lockRows(trx, 'security_groups', groupIds);
      await checkJoin(ctx, groupIds, vsw.vpc_id, 'EnterpriseGroupLimited.MutliGroupType', [], trx);
      // Takes the VSwitch's row lock (as every address allocation does): addresses stay unique.
      const primaryIp = await allocatePrivateIp(trx, { vswitchId: vsw.id, instanceId: '', requested: p.PrimaryIpAddress || undefined, networkInterfaceId: id })
        .catch((e: unknown) => { throw inCreateCodes(e); });
      const now = ctx.now();
      const row: NetworkInterfaceRow = {
        id, account_id: accountId, region_id: ctx.regionId, zone_id: vsw.zone_id, vpc_id: vsw.vpc_id, vswitch_id: vsw.id,
        instance_id: '', type: 'Secondary', status: 'Available', name: p.NetworkInterfaceName ?? '', description: p.Description ?? '',
        mac_address: macAddress(id), primary_ip: primaryIp, traffic_mode: 'Standard', resource_group_id: resourceGroupId,
        device_index: 0, network_card_index: 0, queue_number: 1, queue_pair_number: 0, source_dest_check: 0,
        delete_on_release: p.DeleteOnRelease ? 1 : 0, created_at: now,
      };
      await insertNetworkInterface(trx, row);
      await setInterfaceGroups(trx, id, groupIds);
      if (wantsSecondary) {
        const used = new Set((await addressesOfVSwitch(trx, vsw.id)).map(parseIpv4).filter((n): n is number => n !== undefined));
        const plan = planSecondaryIps({ vswitchCidr: vsw.cidr_block, used, current: 0, limit: MAX_UNATTACHED_ENI_IPS, requested: named, count: p.SecondaryPrivateIpAddressCount });
        if (!plan.ok) throw inCreateCodes(new EcsError(plan.code, plan.message));
        await addSecondaryIps(trx, row, plan.ips);
      }
      if (ipv6) await takeIpv6Addresses(ctx, trx, ipv6);
      await putTags(trx, { accountId, regionId: ctx.regionId, resourceType: 'eni', resourceId: id }, tags);
      const [item] = await renderInterfaces(trx, [{ ...row, effective_resource_group_id: resourceGroupId }]);
      // Returned from the transaction: what a ClientToken replays.
      return {
        NetworkInterfaceId: id, Status: row.status, Type: row.type, VpcId: row.vpc_id, VSwitchId: row.vswitch_id, ZoneId: row.zone_id,
        NetworkInterfaceName: row.name, Description: row.description, MacAddress: row.mac_address, PrivateIpAddress: primaryIp,
        OwnerId: accountId, ResourceGroupId: resourceGroupId, ServiceManaged: false,
        SecurityGroupIds: item!.SecurityGroupIds,
        PrivateIpSets: { PrivateIpSet: item!.PrivateIpSets.PrivateIpSet.map(({ PrivateIpAddress, Primary }) => ({ PrivateIpAddress, Primary })) },
        Tags: { Tag: tags.map((t) => ({ TagKey: t.Key, TagValue: t.Value })) },
        Ipv6Sets: item!.Ipv6Sets, Ipv4PrefixSets: { Ipv4PrefixSet: [] }, Ipv6PrefixSets: { Ipv6PrefixSet: [] },
      };
    });
  },

  async DeleteNetworkInterface(ctx, p) {
    const eni = await requireInterface(ctx, p.NetworkInterfaceId);
    raise(checkDelete(stateOf(eni)));
    return ctx.mutate(async (trx, enqueue) => {
      const now = await lockedInterface(ctx, trx, eni.id);
      raise(checkDelete(stateOf(now)));
      if (!(await setInterfaceStatus(trx, now, 'Deleting', ctx.now()))) raise(checkDelete({ ...stateOf(now), status: 'Deleting' }));
      // No code of the metadata refuses an ENI with an EIP: the EIPs are let go (Available), as DeleteInstance does.
      await dropEipsOfInterface(trx, eni.id, ctx.now());
      // No code refuses an ENI that is a route entry's next hop: the entry stays, routed nowhere (route-wire.ts).
      await requestSecurityPolicy(trx, ctx.now());
      await enqueue({ kind: NETWORK_INTERFACE, resourceId: eni.id, dueAt: ctx.now() + ctx.driver.transitionMs });
      return {};
    });
  },

  async ModifyNetworkInterfaceAttribute(ctx, p) {
    const eni = await requireInterface(ctx, p.NetworkInterfaceId);
    const groupIds: string[] | undefined = p.SecurityGroupId?.length ? p.SecurityGroupId.filter((x: string) => x !== '') : undefined;
    const beyondName = groupIds !== undefined || p.DeleteOnRelease !== undefined;
    raise(checkModify(stateOf(eni), beyondName));
    checkNames(p);
    const current = (await interfaceGroupsOf(ctx.db, [eni.id])).get(eni.id) ?? [];
    if (groupIds) await checkJoin(ctx, groupIds, eni.vpc_id, 'InvalidOperation.MultiGroupType', current, ctx.db);
    return ctx.mutate(async (trx) => {
      if (groupIds) await lockRows(trx, 'security_groups', groupIds);
      const now = await lockedInterface(ctx, trx, eni.id);
      raise(checkModify(stateOf(now), beyondName));
      const set: Partial<NetworkInterfaceRow> = {};
      if (p.NetworkInterfaceName !== undefined) set.name = p.NetworkInterfaceName;
      if (p.Description !== undefined) set.description = p.Description;
      if (p.DeleteOnRelease !== undefined) set.delete_on_release = p.DeleteOnRelease ? 1 : 0;
      await updateInterface(trx, eni.id, set);
      if (groupIds) {
        const before = (await interfaceGroupsOf(trx, [eni.id])).get(eni.id) ?? [];
        await checkJoin(ctx, groupIds, now.vpc_id, 'InvalidOperation.MultiGroupType', before, trx);
        // The ENI's groups become exactly these (the metadata: "joins them and leaves the others").
        await setInterfaceGroups(trx, eni.id, groupIds);
      }
      return {};
    });
  },

  async DescribeNetworkInterfaceAttribute(ctx, p) {
    // `attachment` asks for a member ENI's attachment, which every answer here carries anyway.
    if (p.Attribute !== undefined && p.Attribute !== '' && p.Attribute !== 'attachment') {
      throw new EcsError('InvalidParameter', `The specified parameter "Attribute" "${p.Attribute}" is not valid: attachment.`);
    }
    await requireInterface(ctx, p.NetworkInterfaceId);
    const [row] = await listNetworkInterfaces(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId, ids: [p.NetworkInterfaceId] }, 0, 1);
    if (!row) throw new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${p.NetworkInterfaceId}" does not exist.`, 404);
    const [item] = await renderInterfaces(ctx.db, [row]);
    const { Attachment, ...rest } = item!;
    return {
      ...rest,
      Attachment: 'InstanceId' in Attachment ? { ...Attachment, MemberNetworkInterfaceIds: { MemberNetworkInterfaceId: [] } } : {},
      NetworkInterfaceTrafficConfig: { NetworkInterfaceTrafficMode: row.traffic_mode, QueueNumber: row.queue_number, QueuePairNumber: row.queue_pair_number },
      BondInterfaceSpecification: {},
      SlaveInterfaceSpecification: {},
      ConnectionTrackingConfiguration: {},
      TcpOptionAddressEnabled: '',
    };
  },

  async AttachNetworkInterface(ctx, p) {
    const eni = await requireAttachable(ctx, p.NetworkInterfaceId);
    const inst = await requireInstance(ctx, p.InstanceId);
    raise(await attachRefusal(ctx, eni, inst, ctx.db));
    return ctx.mutate(async (trx, enqueue) => {
      // The instance, then the ENI (row-locks.ts order): two attaches to one instance count each other.
      const locked = await lockedInstance(ctx, trx, inst.id);
      const now = await lockedInterface(ctx, trx, eni.id, requireAttachable);
      raise(await attachRefusal(ctx, now, locked, trx));
      const device = nextDeviceIndex((await interfacesOfInstance(trx, locked.id)).map((n) => n.device_index));
      const at = ctx.now();
      if (!(await setInterfaceStatus(trx, now, 'Attaching', at, { instance_id: locked.id, device_index: device }))) {
        throw new EcsError('InvalidOperation.InvalidEniState', `The network interface ${eni.id} changed state meanwhile; it can be attached while Available.`);
      }
      await enqueue({ kind: NETWORK_INTERFACE, resourceId: eni.id, dueAt: at + ctx.driver.transitionMs });
      return {};
    });
  },

  async DetachNetworkInterface(ctx, p) {
    const eni = await requireAttachable(ctx, p.NetworkInterfaceId);
    const inst = await requireInstance(ctx, p.InstanceId);
    // Detaching again while it is Detaching is accepted (the metadata: "Detaching or InUse").
    if (eni.status === 'Detaching' && eni.instance_id === inst.id) return ctx.mutate(async () => ({}));
    raise(checkDetach(stateOf(eni), inst));
    return ctx.mutate(async (trx, enqueue) => {
      const locked = await lockedInstance(ctx, trx, inst.id);
      const now = await lockedInterface(ctx, trx, eni.id, requireAttachable);
      raise(checkDetach(stateOf(now), locked));
      const at = ctx.now();
      if (!(await setInterfaceStatus(trx, now, 'Detaching', at))) {
        throw new EcsError('InvalidOperation.InvalidEniState', `The network interface ${eni.id} changed state meanwhile; it can be detached while InUse.`);
      }
      await enqueue({ kind: NETWORK_INTERFACE, resourceId: eni.id, dueAt: at + ctx.driver.transitionMs });
      return {};
    });
  },
});
