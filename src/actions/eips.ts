/**
 * Elastic IP addresses, VPC API (2016-04-28): AllocateEipAddress, AssociateEipAddress,
 * UnassociateEipAddress, ReleaseEipAddress, DescribeEipAddresses, ModifyEipAddressAttribute. The
 * ECS API's copies (2014-05-26) are these handlers answering in the ECS shapes (ecs-vpc.ts).
 *
 * An EIP's address comes from the operator's public pool (`OPENECS_PUBLIC_IP_POOL`), the one the
 * instances' NAT public addresses come from (src/store/public-ips.ts), so the two never collide.
 * Pay-as-you-go (PostPaid) only, line BGP, network type public; associated with ECS instances of a
 * VPC (InstanceType EcsInstance): one EIP per instance, none on an instance with a NAT public
 * address; or with a private address of a secondary ENI (InstanceType NetworkInterface,
 * PrivateIpAddress), one EIP per address. Associate, Unassociate and Release write the transitional status (Associating,
 * Unassociating, Releasing) and an operation in one transaction; the engine settles it
 * (src/engine/reconcilers/eip.ts) one driver transition time later. Rules: src/domain/eips.ts.
 */
import { EcsError, errors } from '../domain/errors.js';
import { given, type Params } from '../api/params.js';
import {
  checkAssociation, checkEniAssociation, EIP_CHARGE_TYPES, EIP_DEFAULT_BANDWIDTH, EIP_STATUSES, isValidEipDescription, isValidEipName, parseBandwidth, bandwidthRange,
} from '../domain/eips.js';
import { newId } from '../domain/ids.js';
import { fitsQuota } from '../domain/quotas.js';
import { isoSecond } from '../domain/time.js';
import type { Tag } from '../domain/tags.js';
import { countEips, eipsOfInterfaces, findEip, insertEip, instanceHasEip, listEips, setEipStatus, updateEip, type EipRow } from '../store/eips.js';
import { findNetworkInterface, secondaryIpsOf } from '../store/network-interfaces.js';
import { getInstance } from '../store/instances.js';
import { allocatePublicIp } from '../store/public-ips.js';
import { quotaFor } from '../store/quotas.js';
import { lockAccount, lockRow } from '../store/row-locks.js';
import { idsWithTags, tagsOf } from '../store/tags.js';
import { requestSecurityPolicy } from '../engine/security-policy.js';
import { EIP } from '../engine/reconcilers/eip.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';
import { tagFilterOf } from './storage-view.js';
import { vpcHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';

/** The tags table's resource type of EIPs (VPC TagResources ResourceType=EIP, stored lower-case). */
export const EIP_TAG = 'eip';
const MAX_IDS = 50;
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 100;
const ECS_INSTANCE = 'EcsInstance';
const NETWORK_INTERFACE = 'NetworkInterface';
/** The other documented InstanceType values: resources OpenECS does not have. */
const OTHER_INSTANCE_TYPES = ['Nat', 'SlbInstance', 'HaVip', 'IpAddress'];

const scope = (ctx: ActionContext) => ({ accountId: ctx.principal.accountId, regionId: ctx.regionId || undefined });

function allocationNotFound(id: string): EcsError {
  return new EcsError('InvalidAllocationId.NotFound', `Specified allocation ID "${id}" is not found.`);
}

async function requireEip(ctx: ActionContext, id: string): Promise<EipRow> {
  const eip = await findEip(ctx.db, scope(ctx), id);
  if (!eip) throw allocationNotFound(id);
  return eip;
}

/** A compare-and-set lost to a concurrent request: the EIP as it is now. */
async function movedOn(ctx: ActionContext, trx: Tx, id: string, wanted: string): Promise<EcsError> {
  const now = await findEip(trx, scope(ctx), id);
  return now ? incorrectStatus(now, wanted) : allocationNotFound(id);
}

function incorrectStatus(eip: EipRow, wanted: string): EcsError {
  return new EcsError('IncorrectEipStatus', `Current elastic IP status does not support this operation: ${eip.id} is ${eip.status}, the operation needs ${wanted}.`);
}

/** AssociateEipAddress / UnassociateEipAddress InstanceType: EcsInstance (the default) or NetworkInterface (a secondary ENI). */
function checkInstanceType(value: unknown): typeof ECS_INSTANCE | typeof NETWORK_INTERFACE {
  if (!given(value) || value === ECS_INSTANCE) return ECS_INSTANCE;
  if (value === NETWORK_INTERFACE) return NETWORK_INTERFACE;
  const why = OTHER_INSTANCE_TYPES.includes(String(value)) ? 'OpenECS has no such resources' : 'it is not a documented value';
  throw new EcsError('InvalidInstanceType.ValueNotSupported', `The specified value of InstanceType "${value}" is not supported (${why}): use EcsInstance or NetworkInterface.`);
}

function checkNameAndDescription(p: Params, nameCode: string, descriptionCode: string): void {
  if (given(p.Name) && !isValidEipName(p.Name)) {
    throw new EcsError(nameCode, `The specified Name "${p.Name}" is not valid: 1 to 128 characters, starting with a letter, then letters, digits, ".", "_" or "-".`);
  }
  if (given(p.Description) && !isValidEipDescription(p.Description)) {
    throw new EcsError(descriptionCode, 'The specified Description is not valid: 2 to 256 characters, starting with a letter, not with http:// or https://.');
  }
}

/** The pool's errors in the EIP actions' own codes. */
function poolError(ctx: ActionContext, e: unknown): unknown {
  if (!(e instanceof EcsError)) return e;
  switch (e.code) {
    case 'InvalidOperation.PublicIpAddressNoStock':
      return ctx.product === 'ecs'
        ? new EcsError('InsufficientEipCapacity', `Insufficient EIP capacity to fulfill your request: ${e.message}`, 500)
        : new EcsError('OperationFailed.InsufficientEIP', `Eip resource is not enough: ${e.message}`);
    case 'InvalidIpAddress.Malformed': return new EcsError('InvalidParameter', e.message);
    case 'InvalidIpAddress.NotFound': return new EcsError('ResourceNotFound.Ip', e.message);
    case 'IpInUse': return new EcsError('Ip.Allocated', `The reserve ip has been allocated: ${e.message}`);
    default: return e;
  }
}

/** DescribeEipAddresses Filter.N: CreationStartTime / CreationEndTime as `YYYY-MM-DDThh:mmZ`. */
function creationWindow(p: Params): { from?: number; to?: number } {
  const out: { from?: number; to?: number } = {};
  for (const n of [1, 2]) {
    const key = p[`Filter.${n}.Key`];
    const value = p[`Filter.${n}.Value`];
    if (!given(key)) continue;
    if (key !== 'CreationStartTime' && key !== 'CreationEndTime') throw new EcsError('InvalidFilterKey.NotFound', `The specified Filter.${n}.Key "${key}" is not supported: CreationStartTime or CreationEndTime.`);
    const ms = given(value) ? Date.parse(value) : NaN;
    if (!Number.isFinite(ms)) throw new EcsError('InvalidFilterValue', `The specified Filter.${n}.Value "${value ?? ''}" is not a UTC time such as 2026-11-23T06:00Z.`);
    if (key === 'CreationStartTime') out.from = ms; else out.to = ms;
  }
  return out;
}

function idList(value: unknown, what: string): string[] | undefined {
  if (!given(value)) return undefined;
  const ids = [...new Set(value.split(',').map((s) => s.trim()).filter(Boolean))];
  if (ids.length > MAX_IDS) throw new EcsError('InvalidParameter', `At most ${MAX_IDS} ${what} can be given.`);
  return ids;
}

function renderEip(e: EipRow, tags: Tag[] | undefined) {
  const associated = e.instance_id !== '';
  return {
    AllocationId: e.id,
    IpAddress: e.ip_address,
    RegionId: e.region_id,
    Status: e.status,
    InstanceId: e.instance_id,
    InstanceType: e.instance_type,
    InstanceRegionId: associated ? e.region_id : '',
    PrivateIpAddress: e.private_ip,
    Mode: 'NAT',
    Bandwidth: String(e.bandwidth),
    EipBandwidth: String(e.bandwidth),
    InternetChargeType: e.internet_charge_type,
    ChargeType: e.charge_type,
    AllocationTime: isoSecond(Number(e.created_at)),
    ExpiredTime: '',
    Name: e.name,
    Description: e.description,
    ISP: e.isp,
    Netmode: 'public',
    ResourceGroupId: e.resource_group_id,
    DeletionProtection: e.deletion_protection === 1,
    HDMonitorStatus: 'OFF',
    BusinessStatus: 'Normal',
    SecondLimited: false,
    ServiceManaged: 0,
    BandwidthPackageId: '',
    BandwidthPackageType: '',
    BandwidthPackageBandwidth: '',
    PublicIpAddressPoolId: '',
    HasReservationData: 'false',
    OperationLocks: { LockReason: [] as { LockReason: string }[] },
    Tags: { Tag: (tags ?? []).map((t) => ({ Key: t.Key, Value: t.Value })) },
    SecurityProtectionTypes: { SecurityProtectionType: [] as string[] },
  };
}

/**
 * VPC DeletionProtection for Type EIP (src/actions/vpc-defaults.ts serves the other types):
 * ReleaseEipAddress refuses a protected EIP with InvalidOperation.DeletionProtection.
 */
export async function setEipDeletionProtection(ctx: ActionContext, id: string, enable: boolean): Promise<Record<string, never>> {
  const eip = await findEip(ctx.db, scope(ctx), id);
  if (!eip) throw new EcsError('DeletionProtection.ResourceNotExist', `The resource "${id}" does not exist.`);
  const check = (e: EipRow) => {
    if (enable && e.deletion_protection === 1) throw new EcsError('DeletionProtection.AlreadyEnabled', `The deletion protection of ${id} is already enabled.`);
    if (!enable && e.deletion_protection === 0) throw new EcsError('DeletionProtection.NotExist', `The deletion protection of ${id} is not enabled.`);
  };
  check(eip);
  return ctx.mutate(async (trx) => {
    const now = await findEip(trx, scope(ctx), id);
    if (!now) throw new EcsError('DeletionProtection.ResourceNotExist', `The resource "${id}" does not exist.`);
    check(now);
    await updateEip(trx, id, { deletion_protection: enable ? 1 : 0 });
    return {};
  });
}

/**
 * AssociateEipAddress InstanceType=NetworkInterface: the EIP maps to one private address of a
 * secondary ENI (PrivateIpAddress, else the ENI's primary one), one EIP per address. On the wire
 * once the ENI is attached (src/network/enforcer.ts gatherEipMappings).
 */
async function associateWithInterface(ctx: ActionContext, eip: EipRow, eniId: string, requested: string | undefined): Promise<Record<string, never>> {
  const notFound = () => new EcsError('InvalidParams.NotFound', `The specified network interface "${eniId}" is not found.`);
  const facts = async (q: Tx | ActionContext['db'], e: EipRow) => {
    const eni = await findNetworkInterface(q, ctx.principal.accountId, e.region_id, eniId);
    if (!eni) throw notFound();
    const privateIp = requested ?? eni.primary_ip;
    const bound = (await eipsOfInterfaces(q, [eni.id])).get(eni.id);
    const refusal = checkEniAssociation({
      eipStatus: e.status, eipRegionId: e.region_id,
      eni: { id: eni.id, type: eni.type, status: eni.status, regionId: eni.region_id, addresses: [eni.primary_ip, ...((await secondaryIpsOf(q, [eni.id])).get(eni.id) ?? [])] },
      privateIp, addressHasEip: bound?.has(privateIp) ?? false,
    });
    if (refusal) throw new EcsError(refusal.code, refusal.message);
    return { eni, privateIp };
  };
  await facts(ctx.db, eip);
  return ctx.mutate(async (trx, enqueue) => {
    // The ENI's row first (UnassignPrivateIpAddresses and DeleteNetworkInterface lock it too), then everything again.
    if (!(await lockRow(trx, 'network_interfaces', eniId))) throw notFound();
    const now = await findEip(trx, scope(ctx), eip.id);
    if (!now) throw allocationNotFound(eip.id);
    const { eni, privateIp } = await facts(trx, now);
    if (!(await setEipStatus(trx, now, 'Associating', ctx.now(), { instance_id: eni.id, instance_type: NETWORK_INTERFACE, private_ip: privateIp }))) {
      throw await movedOn(ctx, trx, eip.id, 'Available');
    }
    await requestSecurityPolicy(trx, ctx.now());
    await enqueue({ kind: EIP, resourceId: eip.id, accountId: eip.account_id, dueAt: ctx.now() + ctx.driver.transitionMs });
    return {};
  });
}

export const eipActions = vpcHandlers({
  async AllocateEipAddress(ctx, p) {
    if (given(p.InstanceChargeType) && p.InstanceChargeType !== 'PostPaid') {
      if (p.InstanceChargeType === 'PrePaid') throw new EcsError('UnsupportedParameter', 'OpenECS does not sell subscription EIPs: InstanceChargeType "PrePaid" is not supported; leave it out or give "PostPaid".', 400);
      throw new EcsError('InvalidParameter', `Specified value of "InstanceChargeType" is not valid: "${p.InstanceChargeType}" (PostPaid).`);
    }
    const chargeType: string = given(p.InternetChargeType) ? p.InternetChargeType : 'PayByBandwidth';
    if (!(EIP_CHARGE_TYPES as readonly string[]).includes(chargeType)) {
      throw new EcsError('InvalidParameter', `Specified value of "InternetChargeType" is not valid: "${chargeType}" (PayByBandwidth or PayByTraffic).`);
    }
    const bandwidth = given(p.Bandwidth) ? parseBandwidth(p.Bandwidth, chargeType) : EIP_DEFAULT_BANDWIDTH;
    if (bandwidth === undefined) {
      const { min, max } = bandwidthRange(chargeType);
      throw new EcsError('InvalidBandwidth.Malformed', `The specified Bandwidth "${p.Bandwidth}" is invalid: ${min} to ${max} Mbit/s for ${chargeType}.`);
    }
    if (given(p.ISP) && p.ISP !== 'BGP') throw new EcsError('IllegalParam.Isp', `The param of ISP "${p.ISP}" is illegal: OpenECS offers the BGP line only.`);
    if (given(p.Netmode) && p.Netmode !== 'public') throw new EcsError('InvalidParameter', `Specified value of "Netmode" is not valid: "${p.Netmode}" (public).`);
    checkNameAndDescription(p, 'InvalidParameter', 'InvalidParameter');
    const { accountId } = ctx.principal;
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const checkQuota = async (q: Tx | ActionContext['db']) => {
      const limit = await quotaFor(q, accountId, 'eips-per-region');
      if (!fitsQuota(await countEips(q, accountId, ctx.regionId), limit)) {
        throw new EcsError('QuotaExceeded.Eip', `Elastic IP address quota exceeded: at most ${limit} EIPs per region.`);
      }
    };
    await checkQuota(ctx.db);
    const id = newId('eip-');
    return ctx.mutate(async (trx) => {
      // Again with the account locked: concurrent allocations are counted one after the other.
      await lockAccount(trx, accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      await checkQuota(trx);
      let ip: string;
      try {
        ip = await allocatePublicIp(trx, ctx.config.publicIpPool, {
          accountId, regionId: ctx.regionId, instanceId: id, kind: 'eip', now: ctx.now(), requested: given(p.IpAddress) ? p.IpAddress : undefined,
        });
      } catch (e) {
        throw poolError(ctx, e);
      }
      await insertEip(trx, {
        id, account_id: accountId, region_id: ctx.regionId, ip_address: ip, name: p.Name ?? '', description: p.Description ?? '',
        bandwidth, internet_charge_type: chargeType, charge_type: 'PostPaid', isp: 'BGP', status: 'Available',
        instance_id: '', instance_type: '', private_ip: '', resource_group_id: resourceGroupId, deletion_protection: 0, created_at: ctx.now(),
      });
      return { AllocationId: id, EipAddress: ip, ResourceGroupId: resourceGroupId };
    });
  },

  async AssociateEipAddress(ctx, p) {
    const type = checkInstanceType(p.InstanceType);
    if (given(p.Mode) && p.Mode !== 'NAT') throw new EcsError('IllegalParam.Mode', `The Mode "${p.Mode}" is not supported: NAT (BINDED and MULTI_BINDED, the EIP visible on the ENI, are not offered).`);
    if (type === ECS_INSTANCE && given(p.PrivateIpAddress)) {
      throw new EcsError('InvalidParameter', 'PrivateIpAddress applies to InstanceType NetworkInterface: an instance\'s EIP maps to its primary private address.');
    }
    const eip = await requireEip(ctx, p.AllocationId);
    if (type === NETWORK_INTERFACE) return associateWithInterface(ctx, eip, p.InstanceId, given(p.PrivateIpAddress) ? p.PrivateIpAddress : undefined);
    const instanceNotFound = () => new EcsError('InvalidInstanId.NotFound', `Specified instance "${p.InstanceId}" does not exist.`);
    const facts = async (q: Tx | ActionContext['db'], e: EipRow) => {
      const instance = await getInstance(q, ctx.principal.accountId, p.InstanceId);
      if (!instance) throw instanceNotFound();
      const refusal = checkAssociation({
        eipStatus: e.status, eipRegionId: e.region_id,
        instance: { status: instance.status, regionId: instance.region_id, vpcId: instance.vpc_id, publicIp: instance.public_ip },
        instanceHasEip: await instanceHasEip(q, instance.id),
      }, instance.id);
      if (refusal) throw new EcsError(refusal.code, refusal.message);
      return instance;
    };
    await facts(ctx.db, eip);
    return ctx.mutate(async (trx, enqueue) => {
      // The instance's row first (lock order), then everything again: AllocatePublicIpAddress and a
      // second association to the same instance write that row, so they wait for this one or it for them.
      if (!(await lockRow(trx, 'instances', p.InstanceId))) throw instanceNotFound();
      const now = await findEip(trx, scope(ctx), eip.id);
      if (!now) throw allocationNotFound(eip.id);
      const instance = await facts(trx, now);
      if (!(await setEipStatus(trx, now, 'Associating', ctx.now(), { instance_id: instance.id, instance_type: ECS_INSTANCE }))) throw await movedOn(ctx, trx, eip.id, 'Available');
      // The NAT goes on the wire now (src/network/enforcer.ts), ahead of the status turning InUse.
      await requestSecurityPolicy(trx, ctx.now());
      await enqueue({ kind: EIP, resourceId: eip.id, accountId: eip.account_id, dueAt: ctx.now() + ctx.driver.transitionMs });
      return {};
    });
  },

  async UnassociateEipAddress(ctx, p) {
    const type = checkInstanceType(p.InstanceType);
    const eip = await requireEip(ctx, p.AllocationId);
    const check = (e: EipRow) => {
      if (e.status !== 'InUse') throw incorrectStatus(e, 'InUse');
      // PrivateIpAddress names the ENI's address an EIP maps to (an instance's EIP maps to its primary one, not recorded).
      const otherAddress = given(p.PrivateIpAddress) && e.private_ip !== '' && p.PrivateIpAddress !== e.private_ip;
      if ((given(p.InstanceId) && p.InstanceId !== e.instance_id) || (given(p.InstanceType) && type !== e.instance_type) || otherAddress) {
        throw new EcsError('InvalidBindingStatus', `The EIP ${e.id} is not associated with the ${type} "${p.InstanceId ?? ''}"${given(p.PrivateIpAddress) ? ` at ${p.PrivateIpAddress}` : ''}.`);
      }
    };
    check(eip);
    // Force concerns the DNAT/SNAT entries of a NAT gateway, which OpenECS does not have: with or without it, the EIP is let go.
    return ctx.mutate(async (trx, enqueue) => {
      const now = await findEip(trx, scope(ctx), eip.id);
      if (!now) throw allocationNotFound(eip.id);
      check(now);
      if (!(await setEipStatus(trx, now, 'Unassociating', ctx.now()))) throw await movedOn(ctx, trx, eip.id, 'InUse');
      await enqueue({ kind: EIP, resourceId: eip.id, accountId: eip.account_id, dueAt: ctx.now() + ctx.driver.transitionMs });
      return {};
    });
  },

  async ReleaseEipAddress(ctx, p) {
    const eip = await requireEip(ctx, p.AllocationId);
    if (eip.status !== 'Available') throw incorrectStatus(eip, 'Available');
    const protectedError = () => new EcsError('InvalidOperation.DeletionProtection', `The EIP ${eip.id} has deletion protection enabled; disable it (DeletionProtection) before releasing it.`);
    if (eip.deletion_protection === 1) throw protectedError();
    return ctx.mutate(async (trx, enqueue) => {
      // Compare-and-set on the protection too: a DeletionProtection committed meanwhile wins.
      if (!(await setEipStatus(trx, eip, 'Releasing', ctx.now(), {}, true))) {
        const now = await findEip(trx, scope(ctx), eip.id);
        throw now?.deletion_protection === 1 ? protectedError() : await movedOn(ctx, trx, eip.id, 'Available');
      }
      await enqueue({ kind: EIP, resourceId: eip.id, accountId: eip.account_id, dueAt: ctx.now() + ctx.driver.transitionMs });
      return {};
    });
  },

  async ModifyEipAddressAttribute(ctx, p) {
    const eip = await requireEip(ctx, p.AllocationId);
    checkNameAndDescription(p, 'InvalidEipAddressName.Malformed', 'InvalidDescription.Malformed');
    let bandwidth: number | undefined;
    if (given(p.Bandwidth)) {
      bandwidth = parseBandwidth(p.Bandwidth, eip.internet_charge_type);
      if (bandwidth === undefined) {
        const { min, max } = bandwidthRange(eip.internet_charge_type);
        throw new EcsError('InvalidParameter', `Specified value of "Bandwidth" is not supported: "${p.Bandwidth}" (${min} to ${max} Mbit/s for ${eip.internet_charge_type}).`);
      }
    }
    // Only queries while the EIP is being associated, unassociated or released (the API descriptions).
    const settled = (e: EipRow) => e.status === 'Available' || e.status === 'InUse';
    if (!settled(eip)) throw incorrectStatus(eip, 'Available or InUse');
    return ctx.mutate(async (trx) => {
      const now = await findEip(trx, scope(ctx), eip.id);
      if (!now) throw allocationNotFound(eip.id);
      if (!settled(now)) throw incorrectStatus(now, 'Available or InUse');
      await updateEip(trx, eip.id, {
        ...(given(p.Name) ? { name: p.Name } : {}),
        ...(given(p.Description) ? { description: p.Description } : {}),
        ...(bandwidth !== undefined ? { bandwidth } : {}),
      });
      // The limit on the wire follows the bandwidth.
      if (bandwidth !== undefined && bandwidth !== now.bandwidth) await requestSecurityPolicy(trx, ctx.now());
      return {};
    });
  },

  async DescribeEipAddresses(ctx, p) {
    const ids = idList(p.AllocationId, 'AllocationIds');
    const addresses = idList(p.EipAddress, 'EipAddresses');
    if (given(p.Status) && !(EIP_STATUSES as readonly string[]).includes(p.Status)) {
      throw new EcsError('InvalidParameter', `The specified Status "${p.Status}" is not valid: ${EIP_STATUSES.join(', ')}.`);
    }
    if (given(p.AssociatedInstanceType) && ![ECS_INSTANCE, NETWORK_INTERFACE, ...OTHER_INSTANCE_TYPES].includes(p.AssociatedInstanceType)) {
      throw new EcsError('InvalidIAssociatedInstanceType.ValueNotSupported', `The specified value of AssociatedInstanceType "${p.AssociatedInstanceType}" is not supported.`);
    }
    if (given(p.ChargeType) && p.ChargeType !== 'PostPaid' && p.ChargeType !== 'PrePaid') {
      throw new EcsError('InvalidChargeType.ValueNotSupported', `The specified ChargeType "${p.ChargeType}" is not supported: PostPaid or PrePaid.`);
    }
    if (given(p.LockReason) && p.LockReason !== 'financial' && p.LockReason !== 'security') {
      throw new EcsError('InvalidLockReason.NotFound', `The specified LockReason "${p.LockReason}" is not found: financial or security.`);
    }
    const window = creationWindow(p);
    const pageNumber: number = p.PageNumber ?? 1;
    const pageSize: number = p.PageSize ?? DEFAULT_PAGE_SIZE;
    if (!Number.isInteger(pageNumber) || pageNumber < 1) throw new EcsError('InvalidParameter', 'PageNumber must be at least 1.');
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw new EcsError('InvalidParameter', `PageSize must be from 1 to ${MAX_PAGE_SIZE}.`);
    if (ctx.dryRun) throw errors.dryRun();
    const tagged = await idsWithTags(ctx.db, ctx.principal.accountId, EIP_TAG, tagFilterOf(p));
    const narrowed = tagged ? (ids ? ids.filter((i) => tagged.includes(i)) : tagged) : ids;
    // No EIP here is ever locked (no arrears, no security locks): a LockReason filter finds none.
    const { rows, total } = given(p.LockReason) ? { rows: [], total: 0 } : await listEips(ctx.db, {
      ...scope(ctx), ids: narrowed, addresses,
      status: given(p.Status) ? p.Status : undefined,
      instanceId: given(p.AssociatedInstanceId) ? p.AssociatedInstanceId : undefined,
      instanceType: given(p.AssociatedInstanceType) ? p.AssociatedInstanceType : undefined,
      resourceGroupId: given(p.ResourceGroupId) ? p.ResourceGroupId : undefined,
      name: given(p.EipName) ? p.EipName : undefined,
      chargeType: given(p.ChargeType) ? p.ChargeType : undefined,
      isp: given(p.ISP) ? p.ISP : undefined,
      createdFrom: window.from, createdTo: window.to,
    }, { offset: (pageNumber - 1) * pageSize, limit: pageSize });
    const tags = await tagsOf(ctx.db, rows.map((r) => r.id));
    return {
      TotalCount: total, PageNumber: pageNumber, PageSize: pageSize,
      EipAddresses: { EipAddress: rows.map((e) => renderEip(e, tags.get(e.id))) },
    };
  },
});
