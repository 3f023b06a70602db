/**
 * ModifyInstanceAttribute, ModifyInstanceSpec, ModifyInstanceAutoReleaseTime, and security group
 * membership (JoinSecurityGroup, LeaveSecurityGroup). Host name, password and user data take
 * effect at the next start, as the guide says.
 */
import { EcsError } from '../domain/errors.js';
import { checkHostName, checkInstanceName } from '../domain/instances/naming.js';
import { checkPassword } from '../domain/instances/password.js';
import { allowed } from '../domain/instances/states.js';
import { checkReleaseTime } from '../domain/instances/release-time.js';
import { supportsJumboFrames } from '../domain/instances/jumbo-frames.js';
import { getInstance, securityGroupsOf, setSecurityGroups, updateInstance, type InstanceRow } from '../store/instances.js';
import { lockRow, lockRows } from '../store/row-locks.js';
import { decodeUserData, passwordSealer } from './instance-create.js';
import { requireInstance } from './instance-describe.js';
import { checkGroupCapacity, resolveInstanceType, resolveSecurityGroups } from './launch-deps.js';
import { ecsHandlers } from './typed-handlers.js';
import { regroupInterface } from './network-interface-lifecycle.js';
import type { ActionContext, Tx } from './types.js';

const MAX_GROUPS_PER_INSTANCE = 5;

async function checkGroupsFor(ctx: ActionContext, row: InstanceRow, ids: string[], q: Tx | ActionContext['db'] = ctx.db) {
  if (new Set(ids).size !== ids.length) throw new EcsError('InvalidParameter', 'The specified SecurityGroupIds.N contain duplicates.');
  if (ids.length > MAX_GROUPS_PER_INSTANCE) throw new EcsError('InstanceSecurityGroupLimitExceeded', `An instance can join at most ${MAX_GROUPS_PER_INSTANCE} security groups.`, 403);
  const groups = await resolveSecurityGroups(ctx, ids, q);
  for (const g of groups) {
    if (g.vpcId !== row.vpc_id) throw new EcsError('InvalidOperation.VpcMismatch', `The security group ${g.id} is not in the VPC ${row.vpc_id} of the instance.`, 403);
  }
  if (new Set(groups.map((g) => g.type)).size > 1) {
    throw new EcsError('EnterpriseGroupLimited.MutliGroupType', 'An instance cannot join basic and advanced (enterprise) security groups at the same time.', 403);
  }
  const current = (await securityGroupsOf(q, [row.id])).get(row.id) ?? [];
  await checkGroupCapacity(ctx, groups.filter((g) => !current.includes(g.id)), 1,
    ctx.action === 'JoinSecurityGroup' ? 'SecurityGroupInstanceLimitExceeded' : 'SecurityGroupInstanceLimitExceed', q);
}

/**
 * Inside the writing transaction: the groups' rows (`groupIds`) locked, then the instance's, and the
 * instance and its groups read again. Two requests adding members to one group count each other
 * (capacity), and two changing one instance's groups do not lose each other's change (the groups
 * are rewritten whole). Lock order: security_groups → instances (store/row-locks.ts).
 */
async function lockForRegroup(ctx: ActionContext, trx: Tx, instanceId: string, groupIds: string[]): Promise<{ row: InstanceRow; current: string[] }> {
  await lockRows(trx, 'security_groups', groupIds);
  const row = await lockRow(trx, 'instances', instanceId) ? await getInstance(trx, ctx.principal.accountId, instanceId) : undefined;
  if (!row) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${instanceId}" does not exist.`);
  return { row, current: (await securityGroupsOf(trx, [row.id])).get(row.id) ?? [] };
}

function checkRegroupStatus(row: InstanceRow): void {
  if (!['Running', 'Stopped'].includes(row.status)) throw new EcsError('IncorrectInstanceStatus', `Security groups can be changed while the instance is Running or Stopped; ${row.id} is ${row.status}.`);
}

export const instanceModifyActions = ecsHandlers({
  async ModifyInstanceAttribute(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    const patch: Partial<InstanceRow> = {};
    if (p.InstanceName !== undefined) { checkInstanceName(p.InstanceName); patch.name = p.InstanceName; }
    if (p.Description !== undefined) {
      if (p.Description.length > 256 || /^https?:\/\//i.test(p.Description)) throw new EcsError('InvalidDescription.Malformed', 'The specified parameter "Description" is not valid: at most 256 characters, not starting with http:// or https://.');
      patch.description = p.Description;
    }
    if (p.HostName !== undefined) { checkHostName(p.HostName, row.os_type === 'windows' ? 'windows' : 'linux'); patch.host_name = p.HostName; }
    if (p.Password !== undefined && p.Password !== '') {
      checkPassword(p.Password, row.os_type === 'windows' ? 'windows' : 'linux');
      patch.password_sealed = passwordSealer(ctx).seal(p.Password);
    }
    if (p.UserData !== undefined) {
      // User data is read by the guest at start; ECS requires a stopped instance to change it.
      if (row.status !== 'Stopped') throw new EcsError('IncorrectInstanceStatus', `The current status of the resource does not support this operation: changing UserData needs a Stopped instance, ${row.id} is ${row.status}.`);
      patch.user_data = p.UserData === '' ? '' : decodeUserData(p.UserData);
    }
    if (p.DeletionProtection === true && row.spot_strategy !== 'NoSpot') {
      throw new EcsError('InvalidChargeType.ValueNotSupported', 'Deletion protection is only valid for postPaid instance, not for prePaid or spot instance.', 403);
    }
    if (p.DeletionProtection !== undefined) patch.deletion_protection = p.DeletionProtection ? 1 : 0;
    if (p.EnableJumboFrame !== undefined) {
      if (p.EnableJumboFrame && !supportsJumboFrames(row.instance_type)) {
        throw new EcsError('InvalidParam.NotSupportJumboFrame', `The instance type ${row.instance_type} does not support jumbo frames.`);
      }
      patch.enable_jumbo_frame = p.EnableJumboFrame ? 1 : 0;
    }
    if (p.CreditSpecification !== undefined) {
      if (!row.instance_type.startsWith('ecs.t')) throw new EcsError('InvalidParameter.CreditSpecification', 'CreditSpecification applies to burstable (t) instances only.');
      patch.credit_specification = p.CreditSpecification;
    }
    const groupIds: string[] | undefined = p.SecurityGroupIds;
    if (groupIds?.length) await checkGroupsFor(ctx, row, groupIds);
    return ctx.mutate(async (trx) => {
      if (groupIds?.length) {
        const locked = await lockForRegroup(ctx, trx, row.id, groupIds);
        await checkGroupsFor(ctx, locked.row, groupIds, trx);
      }
      if (Object.keys(patch).length) await updateInstance(trx, row.id, patch);
      if (groupIds?.length) await setSecurityGroups(trx, row.id, groupIds);
      return {};
    });
  },

  async ModifyInstanceSpec(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    const patch: Partial<InstanceRow> = {};
    if (p.InstanceType !== undefined && p.InstanceType !== row.instance_type) {
      const type = resolveInstanceType(p.InstanceType);
      // A subscription's type changes through ModifyPrepayInstanceSpec (instance-renewal.ts).
      if (row.instance_charge_type === 'PrePaid') throw new EcsError('ChargeTypeViolation', `The instance ${row.id} is a subscription (PrePaid): change its type with ModifyPrepayInstanceSpec.`);
      if (!allowed('ModifySpec', row.status)) throw new EcsError('IncorrectInstanceStatus', `The instance type can only be changed while the instance is Stopped; ${row.id} is ${row.status}.`);
      Object.assign(patch, { instance_type: type.id, cpu: type.cpu, memory: type.memoryMiB });
    }
    for (const [param, column] of [['InternetMaxBandwidthOut', 'internet_max_bandwidth_out'], ['InternetMaxBandwidthIn', 'internet_max_bandwidth_in']] as const) {
      if (p[param] === undefined) continue;
      if (p[param] < 0 || p[param] > (param === 'InternetMaxBandwidthOut' ? 100 : 200)) throw new EcsError('InvalidParameter.Bandwidth', `${param} is out of range.`);
      if (!['Running', 'Stopped'].includes(row.status)) throw new EcsError('IncorrectInstanceStatus', `Bandwidth can be changed while the instance is Running or Stopped; ${row.id} is ${row.status}.`);
      patch[column] = p[param];
    }
    if (Object.keys(patch).length === 0) throw new EcsError('InvalidParameter', 'Specify InstanceType or a bandwidth to change.');
    return ctx.mutate(async (trx) => {
      await updateInstance(trx, row.id, patch);
      return {};
    });
  },

  async ModifyInstanceAutoReleaseTime(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId).catch(() => {
      throw new EcsError('NoSuchResource', `The specified instance "${p.InstanceId}" does not exist.`);
    });
    if (row.instance_charge_type !== 'PostPaid') throw new EcsError('ChargeTypeViolation', 'Automatic release applies to pay-as-you-go instances only.');
    const at = p.AutoReleaseTime ? checkReleaseTime(p.AutoReleaseTime, ctx.now()) : null;
    return ctx.mutate(async (trx) => {
      await updateInstance(trx, row.id, { auto_release_time: at });
      return {};
    });
  },

  async JoinSecurityGroup(ctx, p) {
    if (p.NetworkInterfaceId) return regroupInterface(ctx, p, true);
    if (!p.InstanceId) throw new EcsError('MissingParameter', 'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.');
    const join = async (row: InstanceRow, current: string[], q: Tx | ActionContext['db']): Promise<string[]> => {
      checkRegroupStatus(row);
      if (current.includes(p.SecurityGroupId)) throw new EcsError('InvalidInstanceId.AlreadyExists', `The instance ${row.id} is already in the security group ${p.SecurityGroupId}.`);
      const next = [...current, p.SecurityGroupId];
      await checkGroupsFor(ctx, row, next, q);
      return next;
    };
    const row = await requireInstance(ctx, p.InstanceId);
    await join(row, (await securityGroupsOf(ctx.db, [row.id])).get(row.id) ?? [], ctx.db);
    return ctx.mutate(async (trx) => {
      const locked = await lockForRegroup(ctx, trx, row.id, [p.SecurityGroupId]);
      await setSecurityGroups(trx, row.id, await join(locked.row, locked.current, trx));
      return {};
    });
  },

  async LeaveSecurityGroup(ctx, p) {
    if (p.NetworkInterfaceId) return regroupInterface(ctx, p, false);
    if (!p.InstanceId) throw new EcsError('MissingParameter', 'The input parameter "InstanceId" that is mandatory for processing this request is not supplied.');
    const leave = (row: InstanceRow, current: string[]): string[] => {
      checkRegroupStatus(row);
      if (!current.includes(p.SecurityGroupId)) throw new EcsError('InstanceNotInSecurityGroup', `The instance ${row.id} is not in the security group ${p.SecurityGroupId}.`, 403);
      if (current.length === 1) throw new EcsError('InstanceLastSecurityGroup', 'The instance must stay in at least one security group.', 403);
      return current.filter((g) => g !== p.SecurityGroupId);
    };
    const row = await requireInstance(ctx, p.InstanceId);
    await resolveSecurityGroups(ctx, [p.SecurityGroupId]);
    leave(row, (await securityGroupsOf(ctx.db, [row.id])).get(row.id) ?? []);
    return ctx.mutate(async (trx) => {
      // Two concurrent leaves of an instance's last two groups: the second sees the first's.
      const locked = await lockForRegroup(ctx, trx, row.id, []);
      await setSecurityGroups(trx, row.id, leave(locked.row, locked.current));
      return {};
    });
  },
});
