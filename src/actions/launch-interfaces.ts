/**
 * The secondary ENI of RunInstances / CreateInstance (`NetworkInterface.N` with InstanceType
 * Secondary; src/domain/instances/launch-interfaces.ts splits the entries): resolved and checked
 * before the launch's transaction, then created (or, for `NetworkInterfaceId`, taken) inside it,
 * one per instance, in status Attaching with an engine operation — the durable path
 * AttachNetworkInterface takes. The engine attaches it once the instance exists
 * (src/engine/reconcilers/network-interface.ts); a guest booting meanwhile has it from boot.
 */
import { EcsError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { macAddress } from '../domain/instances/mac.js';
import { isValidResourceDescription, isValidResourceName } from '../domain/names.js';
import { checkAttach, checkEniGroups, type EniGroup } from '../domain/network-interfaces.js';
import type { SecondaryLaunchInterface } from '../domain/instances/launch-interfaces.js';
import { insertNetworkInterface, interfaceGroupsOf, secondaryIpsOf, setInterfaceGroups, setInterfaceStatus, type NetworkInterfaceRow } from '../store/network-interfaces.js';
import { allocatePrivateIp, findSecurityGroup, findVSwitch } from '../store/network.js';
import { lockRow } from '../store/row-locks.js';
import type { NewOperation } from '../engine/operations.js';
import { NETWORK_INTERFACE } from '../engine/reconcilers/network-interface.js';
import { checkGroupCapacity, resolveSecurityGroups, type GroupInfo, type VSwitchInfo } from './launch-deps.js';
import { requireAttachable } from './network-interface-lifecycle.js';
import type { ActionContext, Tx } from './types.js';

/** The device index of the one secondary ENI a launch attaches (the primary is 0). */
const LAUNCH_DEVICE_INDEX = 1;

export interface LaunchInterfacePlan {
  spec: SecondaryLaunchInterface;
  /** Resolved: the ENI's VSwitch and groups (for a new ENI), or the existing ENI. */
  vswitch: VSwitchInfo;
  groups: GroupInfo[];
  existing?: NetworkInterfaceRow;
  queueNumber: number;
}

interface LaunchTarget { vswitch: VSwitchInfo; groups: GroupInfo[]; type: { id: string; eniQuantity: number; eniPrivateIps: number }; amount: number }

/** RunInstances' table answers an ENI not found with 403 (AttachNetworkInterface's with 404). */
function inLaunchCodes(e: unknown): never {
  if (e instanceof EcsError && e.code === 'InvalidEniId.NotFound') throw new EcsError(e.code, e.message.replace('NetworkInterfaceId', 'NetworkInterface.N.NetworkInterfaceId'), 403);
  throw e;
}

/** Everything checked against an existing ENI, before and inside the transaction. */
async function checkExisting(ctx: ActionContext, eni: NetworkInterfaceRow, t: LaunchTarget, q: Tx | ActionContext['db']): Promise<void> {
  const [ips, groupIds] = await Promise.all([secondaryIpsOf(q, [eni.id]), interfaceGroupsOf(q, [eni.id])]);
  const crossAccount = eni.account_id !== ctx.principal.accountId;
  const groupTypes = crossAccount ? [] : (await resolveSecurityGroups(ctx, groupIds.get(eni.id) ?? [], q)).map((g) => g.type);
  // Checked as AttachNetworkInterface checks it, against the instance being launched (it will be Running or Stopped).
  const r = checkAttach(
    { id: eni.id, type: eni.type, status: eni.status, instanceId: eni.instance_id, vpcId: eni.vpc_id, zoneId: eni.zone_id, privateIps: 1 + (ips.get(eni.id)?.length ?? 0), groupTypes, crossAccount },
    { id: 'the instance launched', status: 'Stopped', vpcId: t.vswitch.vpcId, zoneId: t.vswitch.zoneId, attached: 1, eniQuantity: t.type.eniQuantity, eniPrivateIps: t.type.eniPrivateIps, groupTypes: t.groups.map((g) => g.type) },
  );
  if (r) throw new EcsError('InvalidOperation.InvalidNetworkInterfaceId', `NetworkInterface.N.NetworkInterfaceId: ${r.message}`, 403);
}

/** Resolves and checks the secondary ENI of a launch (no writes). */
export async function planLaunchInterface(ctx: ActionContext, spec: SecondaryLaunchInterface, t: LaunchTarget): Promise<LaunchInterfacePlan> {
  if (spec.existingId) {
    const existing = await requireAttachable(ctx, spec.existingId).catch(inLaunchCodes);
    await checkExisting(ctx, existing, t, ctx.db);
    return { spec, vswitch: t.vswitch, groups: [], existing, queueNumber: existing.queue_number };
  }
  let vswitch = t.vswitch;
  if (spec.vswitchId && spec.vswitchId !== t.vswitch.id) {
    const v = await findVSwitch(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, spec.vswitchId);
    if (!v) throw new EcsError('InvalidVSwitchId.NotFound', `Specified virtual switch "${spec.vswitchId}" does not exist.`, 404);
    if (v.status !== 'Available') throw new EcsError('IncorrectVSwitchStatus', 'The current status of virtual switch does not support this operation.');
    if (v.vpc_id !== t.vswitch.vpcId) throw new EcsError('InvalidParameter.VSwitchId', `The VSwitch ${v.id} of NetworkInterface.N is in the VPC ${v.vpc_id}; the instance's is in ${t.vswitch.vpcId}.`);
    if (v.zone_id !== t.vswitch.zoneId) throw new EcsError('InvalidParameter.VSwitchId', `The VSwitch ${v.id} of NetworkInterface.N is in the zone ${v.zone_id}; the instance's is in ${t.vswitch.zoneId}.`);
    vswitch = { id: v.id, vpcId: v.vpc_id, zoneId: v.zone_id, cidr: v.cidr_block };
  }
  if (spec.name && !isValidResourceName(spec.name)) {
    throw new EcsError('InvalidParams.CreateEniParams', 'The specified NetworkInterface.N.NetworkInterfaceName is not valid: 2-128 characters starting with a letter, then letters, digits, ":", "_", "." or "-".');
  }
  if (spec.description && !isValidResourceDescription(spec.description)) {
    throw new EcsError('InvalidParams.CreateEniParams', 'The specified NetworkInterface.N.Description is not valid: 2-256 characters, not starting with http:// or https://.');
  }
  const ids = spec.groupIds ?? t.groups.map((g) => g.id);
  // Those that exist: checkEniGroups names the first missing one.
  const found: EniGroup[] = [];
  for (const id of new Set(ids)) {
    const g = await findSecurityGroup(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, id);
    if (g) found.push({ id: g.id, vpcId: g.vpc_id, type: g.type });
  }
  const refusal = checkEniGroups(ids, found, vswitch.vpcId, 'EnterpriseGroupLimited.MutliGroupType');
  // RunInstances' table spells a group of another VPC InvalidSecurityGroup.VpcMismatch (400).
  if (refusal?.code === 'InvalidOperation.VpcMismatch') throw new EcsError('InvalidSecurityGroup.VpcMismatch', refusal.message);
  if (refusal) throw new EcsError(refusal.code, refusal.message, refusal.status);
  if (new Set([...found, ...t.groups].map((g) => g.type)).size > 1) {
    throw new EcsError('EnterpriseGroupLimited.MutliGroupType', 'The secondary network interface and its instance must be in security groups of one type (basic or advanced).', 403);
  }
  const plan: LaunchInterfacePlan = { spec, vswitch, groups: found, queueNumber: spec.queueNumber ?? 1 };
  await checkCapacity(ctx, plan, t);
  return plan;
}

/** The ENIs count toward their groups' member limit: twice per instance in a group both are in. */
async function checkCapacity(ctx: ActionContext, plan: LaunchInterfacePlan, t: LaunchTarget, q: Tx | ActionContext['db'] = ctx.db): Promise<void> {
  const shared = new Set(t.groups.map((g) => g.id));
  await checkGroupCapacity(ctx, plan.groups.filter((g) => shared.has(g.id)), 2 * t.amount, 'SecurityGroupInstanceLimitExceed', q);
  await checkGroupCapacity(ctx, plan.groups.filter((g) => !shared.has(g.id)), t.amount, 'SecurityGroupInstanceLimitExceed', q);
}

/** The group and VSwitch rows the launch's transaction locks for this ENI (with its own, in lock order). */
export function launchInterfaceLocks(plan: LaunchInterfacePlan | undefined): { groupIds: string[]; vswitchIds: string[] } {
  if (!plan || plan.existing) return { groupIds: [], vswitchIds: [] };
  return { groupIds: plan.groups.map((g) => g.id), vswitchIds: [plan.vswitch.id] };
}

/**
 * Inside the launch's transaction, after its groups and VSwitches are locked: the ENI of each
 * instance, Attaching, and the operations that settle them. An existing ENI is locked (after the
 * image: images → instances → network_interfaces) and checked again.
 */
export async function attachLaunchInterfaces(ctx: ActionContext, trx: Tx, plan: LaunchInterfacePlan, t: LaunchTarget, instances: { id: string; accountId: string; resourceGroupId: string }[], now: number): Promise<NewOperation[]> {
  const ops: NewOperation[] = [];
  if (plan.existing) {
    const id = plan.existing.id;
    if (!(await lockRow(trx, 'network_interfaces', id))) inLaunchCodes(new EcsError('InvalidEniId.NotFound', `The specified NetworkInterfaceId "${id}" does not exist.`, 404));
    const eni = await requireAttachable(ctx, id, trx).catch(inLaunchCodes);
    await checkExisting(ctx, eni, t, trx);
    if (!(await setInterfaceStatus(trx, eni, 'Attaching', now, { instance_id: instances[0]!.id, device_index: LAUNCH_DEVICE_INDEX }))) {
      throw new EcsError('InvalidOperation.InvalidNetworkInterfaceId', `The network interface ${id} changed state meanwhile; it is attached while Available.`, 403);
    }
    return [{ kind: NETWORK_INTERFACE, resourceId: id, accountId: eni.account_id, dueAt: now + ctx.driver.transitionMs }];
  }
  await checkCapacity(ctx, plan, t, trx);
  for (const inst of instances) {
    const id = newId('eni-');
    const primaryIp = await allocatePrivateIp(trx, { vswitchId: plan.vswitch.id, instanceId: '', requested: plan.spec.primaryIp, networkInterfaceId: id });
    await insertNetworkInterface(trx, {
      id, account_id: inst.accountId, region_id: ctx.regionId, zone_id: plan.vswitch.zoneId, vpc_id: plan.vswitch.vpcId, vswitch_id: plan.vswitch.id,
      instance_id: inst.id, type: 'Secondary', status: 'Attaching', name: plan.spec.name, description: plan.spec.description,
      mac_address: macAddress(id), primary_ip: primaryIp, traffic_mode: 'Standard', resource_group_id: inst.resourceGroupId,
      device_index: LAUNCH_DEVICE_INDEX, network_card_index: 0, queue_number: plan.queueNumber, queue_pair_number: 0, source_dest_check: 0,
      delete_on_release: plan.spec.deleteOnRelease ? 1 : 0, created_at: now,
    });
    await trx.insertInto('transitions').values({ resource_id: id, from_status: '', to_status: 'Attaching', at: now }).execute();
    await setInterfaceGroups(trx, id, plan.groups.map((g) => g.id));
    ops.push({ kind: NETWORK_INTERFACE, resourceId: id, accountId: inst.accountId, dueAt: now + ctx.driver.transitionMs });
  }
  return ops;
}
