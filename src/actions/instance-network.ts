/**
 * An instance's network after launch: ModifyInstanceVpcAttribute (another VSwitch, private address
 * or VPC while Stopped; the guest gets the new address at its next start, since the driver is
 * given the instance row's address at every start), ModifyInstanceNetworkSpec (public bandwidth
 * and its billing) and AllocatePublicIpAddress (a public address from the operator's pool,
 * src/domain/public-ip-pool.ts; on the wire as 1:1 NAT to the private address, shaped to
 * InternetMaxBandwidthOut, like an EIP: src/network/eip-wire.ts).
 */
import { randomInt } from 'node:crypto';
import { refuseIfExpiryLocked } from './expiry-lock.js';
import { EcsError } from '../domain/errors.js';
import { parseIpv4 } from '../domain/cidr.js';
import { planVpcMove, type MoveGroup } from '../domain/instances/vpc-move.js';
import { addressesHeldByOthers, setPublicIpIfNone, setSecurityGroups, updateInstance, updateInstanceIfStatus, type InstanceRow } from '../store/instances.js';
import { allocatePrivateIp, findSecurityGroup, findVSwitch, releasePrivateIps } from '../store/network.js';
import { interfacesOfInstance, movePrimaryInterface, primaryInterfacesOf } from '../store/network-interfaces.js';
import { allocatePublicIp } from '../store/public-ips.js';
import { instanceHasEip } from '../store/eips.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import { requireInstance } from './instance-describe.js';
import { checkGroupCapacity } from './launch-deps.js';
import { lockRow, lockRows } from '../store/row-locks.js';
import type { ActionContext, Tx } from './types.js';
import { ecsHandlers } from './typed-handlers.js';

const CHARGE_TYPES = ['PayByBandwidth', 'PayByTraffic'];

async function groupsOf(ctx: ActionContext, row: InstanceRow, ids: string[]): Promise<MoveGroup[]> {
  const scope = { accountId: ctx.principal.accountId, regionId: row.region_id };
  const found = await Promise.all(ids.map((id) => findSecurityGroup(ctx.db, scope, id)));
  return found.filter((g) => g !== undefined).map((g) => ({ id: g!.id, vpcId: g!.vpc_id, type: g!.type }));
}

async function usedAddresses(ctx: ActionContext, vswitchId: string, instanceId: string): Promise<Set<number>> {
  const held = await addressesHeldByOthers(ctx.db, vswitchId, instanceId);
  return new Set(held.map(parseIpv4).filter((n): n is number => n !== undefined));
}

async function givePublicIp(ctx: ActionContext, trx: Tx, row: InstanceRow, requested?: string): Promise<string> {
  const ip = await allocatePublicIp(trx, ctx.config.publicIpPool, {
    accountId: row.account_id, regionId: row.region_id, instanceId: row.id, now: ctx.now(), requested,
  });
  // Compare-and-set: of two concurrent allocations only one keeps its address (the other rolls back).
  if (!(await setPublicIpIfNone(trx, row.id, ip))) throw new EcsError('AllocatedAlready', `The instance ${row.id} already has a public address.`);
  // With the row written (so locked), as AssociateEipAddress locks it: an instance has an EIP or a NAT public address, not both.
  if (await instanceHasEip(trx, row.id)) throw new EcsError('AllocatedAlready', `The instance ${row.id} has an EIP associated; unassociate it first.`);
  // The address goes on the wire: 1:1 NAT to the private address (src/network/enforcer.ts gatherEipMappings).
  await requestSecurityPolicy(trx, ctx.now());
  return ip;
}

/** Secondary ENIs attached (or attaching, detaching) to the instance. */
async function secondaryEnisOf(q: Parameters<typeof interfacesOfInstance>[0], instanceId: string): Promise<number> {
  return (await interfacesOfInstance(q, instanceId)).filter((n) => n.type !== 'Primary').length;
}

export const instanceNetworkActions = ecsHandlers({
  async ModifyInstanceVpcAttribute(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    const scope = { accountId: ctx.principal.accountId, regionId: row.region_id };
    const vsw = await findVSwitch(ctx.db, scope, p.VSwitchId);
    const groupIds: string[] = p.SecurityGroupId ?? [];
    const groups = await groupsOf(ctx, row, groupIds);
    const r = planVpcMove({
      instance: { status: row.status, zoneId: row.zone_id, vpcId: row.vpc_id, vswitchId: row.vswitch_id, privateIp: row.private_ip },
      vswitch: vsw && { id: vsw.id, zoneId: vsw.zone_id, vpcId: vsw.vpc_id, cidr: vsw.cidr_block, status: vsw.status },
      vpcId: p.VpcId, groupIds, groups, privateIp: p.PrivateIpAddress,
      used: vsw ? await usedAddresses(ctx, vsw.id, row.id) : new Set(),
      secondaryIps: [...(await primaryInterfacesOf(ctx.db, [row.id])).values()][0]?.secondary_ips.length ?? 0,
      secondaryEnis: await secondaryEnisOf(ctx.db, row.id),
    });
    if (!r.ok) throw new EcsError(r.code, r.message);
    const plan = r.plan;
    // IPv6 addresses belong to the VSwitch's /64: an instance holding some stays in its VSwitch.
    if (plan.changed && plan.vswitchId !== row.vswitch_id && [...(await primaryInterfacesOf(ctx.db, [row.id])).values()][0]?.ipv6_addresses.length) {
      throw new EcsError('InvalidIp.Ipv6Assigned', `The specified instance ${row.id} has been assigned IPv6 addresses: unassign them before moving it to another VSwitch.`);
    }
    if (plan.groupIds) await checkGroupCapacity(ctx, groups, 1, 'SecurityGroupInstanceLimitExceed');
    return ctx.mutate(async (trx) => {
      if (!plan.changed) return {};
      if (plan.groupIds) {
        // The groups' capacity again with their rows locked: concurrent joins of one group count one another.
        await lockRows(trx, 'security_groups', plan.groupIds);
        await checkGroupCapacity(ctx, groups, 1, 'SecurityGroupInstanceLimitExceed', trx);
      }
      // The target VSwitch before the instance (lock order of store/row-locks.ts); the allocation below takes it anyway.
      await lockRow(trx, 'vswitches', plan.vswitchId);
      const moved = await updateInstanceIfStatus(trx, row.id, 'Stopped', { vpc_id: plan.vpcId, vswitch_id: plan.vswitchId, private_ip: plan.privateIp });
      if (!moved) throw new EcsError('IncorrectInstanceStatus', `The instance ${row.id} is no longer Stopped.`);
      // Again with the instance's row written (so locked, as AttachNetworkInterface locks it).
      if (p.VpcId && (await secondaryEnisOf(trx, row.id))) throw new EcsError('InvalidInstance.AttachedEni', 'The instance has secondary network interfaces attached: detach them before moving it to another VPC.');
      await releasePrivateIps(trx, row.id);
      await allocatePrivateIp(trx, { vswitchId: plan.vswitchId, instanceId: row.id, requested: plan.privateIp });
      await movePrimaryInterface(trx, row.id, { vpcId: plan.vpcId, vswitchId: plan.vswitchId, privateIp: plan.privateIp });
      if (plan.groupIds) await setSecurityGroups(trx, row.id, plan.groupIds);
      // The NIC's address is what the ruleset matches on.
      else await requestSecurityPolicy(trx, ctx.now());
      return {};
    });
  },

  async ModifyInstanceNetworkSpec(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    refuseIfExpiryLocked(row);
    if (row.status !== 'Running' && row.status !== 'Stopped') {
      throw new EcsError('InvalidOperation.InstanceStatusUnsupported', `The instance ${row.id} is ${row.status}; its network spec changes while Running or Stopped.`);
    }
    const out: number = p.InternetMaxBandwidthOut ?? row.internet_max_bandwidth_out;
    if (!Number.isInteger(out) || out < 0 || out > 100) {
      throw new EcsError('InvalidInternetMaxBandwidthOut.ValueNotSupported', `The specified InternetMaxBandwidthOut ${out} is beyond the permitted range 0–100 Mbit/s.`);
    }
    const chargeType: string = p.NetworkChargeType ?? row.internet_charge_type;
    if (!CHARGE_TYPES.includes(chargeType)) {
      throw new EcsError('InvalidInternetChargeType.ValueNotSupported', `The specified NetworkChargeType "${chargeType}" is not valid: PayByBandwidth or PayByTraffic.`);
    }
    const allocate = p.AllocatePublicIp === true;
    if (allocate && out === 0) throw new EcsError('InvalidParam.AllocatePublicIp', 'AllocatePublicIp needs an InternetMaxBandwidthOut above 0.');
    const prePaid = row.instance_charge_type === 'PrePaid';
    return ctx.mutate(async (trx) => {
      await updateInstance(trx, row.id, {
        internet_max_bandwidth_out: out,
        internet_max_bandwidth_in: p.InternetMaxBandwidthIn ?? row.internet_max_bandwidth_in,
        internet_charge_type: chargeType,
      });
      // A subscription instance gets its address when bandwidth goes above 0; a pay-as-you-go one
      // only when asked (AllocatePublicIp, or AllocatePublicIpAddress), as the metadata describes.
      if (!row.public_ip && out > 0 && (prePaid || allocate)) await givePublicIp(ctx, trx, row);
      // The NAT public address is shaped to InternetMaxBandwidthOut (and off the wire at 0).
      else if (row.public_ip && out !== row.internet_max_bandwidth_out) await requestSecurityPolicy(trx, ctx.now());
      return prePaid ? { OrderId: String(randomInt(10 ** 11, 10 ** 12)) } : {};
    });
  },

  async AllocatePublicIpAddress(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    refuseIfExpiryLocked(row);
    if (row.status !== 'Running' && row.status !== 'Stopped') {
      throw new EcsError('IncorrectInstanceStatus', `The instance ${row.id} is ${row.status}; a public address is allocated while Running or Stopped.`);
    }
    if (row.public_ip) throw new EcsError('AllocatedAlready', `The instance ${row.id} already has the public address ${row.public_ip}.`);
    if (row.internet_max_bandwidth_out <= 0) {
      throw new EcsError('AllocateIpInvalidInstanceBandwidth', `The InternetMaxBandwidthOut of the instance ${row.id} is 0: set it above 0 (ModifyInstanceNetworkSpec) first.`);
    }
    return ctx.mutate(async (trx) => ({ IpAddress: await givePublicIp(ctx, trx, row, p.IpAddress || undefined) }));
  },
});
