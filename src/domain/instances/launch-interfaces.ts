/**
 * RunInstances' `NetworkInterface.N` (its metadata description and error table): at most two
 * entries, one primary and one secondary. The primary entry is another spelling of the flat
 * network parameters (VSwitchId, SecurityGroupId(s), PrivateIpAddress, NetworkInterfaceQueueNumber)
 * and may not be given with them; the secondary one is an ENI created (or an existing Available
 * one, `NetworkInterfaceId`) and attached as part of the launch. Pure: the actions resolve the
 * VSwitch, groups and ENI named.
 */
import type { Refusal } from '../network-interfaces.js';

/** What the metadata lets one entry carry, as the dispatcher hands it over (nested values may be strings). */
export interface LaunchInterfaceParam {
  InstanceType?: string;
  VSwitchId?: string;
  SecurityGroupId?: string;
  SecurityGroupIds?: string[];
  PrimaryIpAddress?: string;
  NetworkInterfaceName?: string;
  Description?: string;
  QueueNumber?: number | string;
  NetworkInterfaceTrafficMode?: string;
  QueuePairNumber?: number | string;
  NetworkCardIndex?: number | string;
  DeleteOnRelease?: boolean | string;
  NetworkInterfaceId?: string;
  RxQueueSize?: number | string;
  TxQueueSize?: number | string;
}

/** The flat parameters the primary entry stands for. */
export interface FlatNetwork {
  VSwitchId?: string;
  SecurityGroupId?: string;
  SecurityGroupIds?: string[];
  PrivateIpAddress?: string;
  NetworkInterfaceQueueNumber?: number;
}

export interface SecondaryLaunchInterface {
  /** An existing Available secondary ENI to attach; nothing else is given with it. */
  existingId?: string;
  /** Empty: the instance's VSwitch and groups. */
  vswitchId?: string;
  groupIds?: string[];
  primaryIp?: string;
  name: string;
  description: string;
  deleteOnRelease: boolean;
  queueNumber?: number;
}

export interface LaunchInterfaces {
  flat: FlatNetwork;
  secondary?: SecondaryLaunchInterface;
}

export interface LaunchTypeLimits { id: string; eniQuantity: number; queues: number }

const refuse = (code: string, message: string, status?: number): { ok: false; refusal: Refusal } => ({ ok: false, refusal: { code, message, status } });

const given = (v: unknown): boolean => v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.every((x) => x === '' || x == null));
const num = (v: unknown): number | undefined => (given(v) ? Number(v) : undefined);
const bool = (v: unknown): boolean | undefined => (given(v) ? v === true || v === 'true' : undefined);
const list = (v: string[] | undefined): string[] => (v ?? []).filter((x) => x !== '' && x != null);

/** The fields creating an ENI needs; none of them may come with an existing ENI's id. */
const CREATE_FIELDS = ['VSwitchId', 'SecurityGroupId', 'SecurityGroupIds', 'PrimaryIpAddress', 'NetworkInterfaceName', 'Description', 'QueueNumber', 'DeleteOnRelease'] as const;

/** Checks the traffic mode, queue and network card fields every entry may carry. */
function checkTraffic(e: LaunchInterfaceParam, n: number, type: LaunchTypeLimits): Refusal | undefined {
  const mode = e.NetworkInterfaceTrafficMode;
  if (given(mode) && mode !== 'Standard') {
    if (mode === 'HighPerformance') return { code: 'InvalidParameter.EniTrafficMode', message: `NetworkInterface.${n}.NetworkInterfaceTrafficMode HighPerformance (ERI, RDMA) is not offered by ${type.id} here: Standard only.`, status: 403 };
    return { code: 'InvalidParameter.EniTrafficMode', message: `The specified NetworkInterface.${n}.NetworkInterfaceTrafficMode "${mode}" is not valid: Standard or HighPerformance.`, status: 403 };
  }
  const pairs = num(e.QueuePairNumber);
  if (pairs !== undefined && pairs !== 0) {
    return { code: 'InvalidParameter.QueuePairNumberMustEmpty', message: `NetworkInterface.${n}.QueuePairNumber is for HighPerformance (RDMA) network interfaces only.`, status: 403 };
  }
  const card = num(e.NetworkCardIndex);
  if (card !== undefined && card !== 0) {
    return { code: 'InvalidParameter.NetworkCardIndexInvalid', message: `Invalid network card index ${card}: the instance type ${type.id} has one network card, index 0.` };
  }
  if (given(e.RxQueueSize) || given(e.TxQueueSize)) {
    return { code: 'InvalidEniQueueSize.RegionOrUserNotSupported', message: `NetworkInterface.${n}.RxQueueSize / TxQueueSize: queue depths are not offered here.` };
  }
  const q = num(e.QueueNumber);
  if (q !== undefined && (!Number.isInteger(q) || q < 1 || q > type.queues)) {
    return { code: 'InvalidOperation.MaxEniQueueNumberExceeded', message: `NetworkInterface.${n}.QueueNumber ${e.QueueNumber} is not valid: 1 to ${type.queues}, the queues per network interface of ${type.id}.`, status: 403 };
  }
  return undefined;
}

/** NetworkInterfaceQueueNumber: 1 to the type's queues per network interface. */
function primaryQueues(flat: FlatNetwork, type: LaunchTypeLimits): { ok: false; refusal: Refusal } | undefined {
  const q = flat.NetworkInterfaceQueueNumber;
  if (q === undefined || (Number.isInteger(q) && q >= 1 && q <= type.queues)) return undefined;
  return refuse('InvalidOperation.MaxEniQueueNumberExceeded', `NetworkInterfaceQueueNumber ${q} is not valid: 1 to ${type.queues}, the queues per network interface of ${type.id}.`, 403);
}

/**
 * Splits `NetworkInterface.N` into the flat network parameters and the secondary ENI, checking
 * what needs no lookup. `flat` is what the request gives at the top level.
 */
export function launchInterfaces(entries: LaunchInterfaceParam[] | undefined, flat: FlatNetwork, amount: number, type: LaunchTypeLimits):
  { ok: true; value: LaunchInterfaces } | { ok: false; refusal: Refusal } {
  const items = (entries ?? []).filter((e) => e && Object.values(e).some(given));
  if (items.length === 0) return primaryQueues(flat, type) ?? { ok: true, value: { flat } };
  if (items.length > 2) return refuse('InvalidParam.NetworkInterface', 'NetworkInterface.N: at most two network interfaces at launch, one primary and one secondary (add more with CreateNetworkInterface and AttachNetworkInterface).');
  let primary: LaunchInterfaceParam | undefined;
  let secondary: LaunchInterfaceParam | undefined;
  for (const [i, e] of items.entries()) {
    const kind = given(e.InstanceType) ? e.InstanceType : 'Secondary';
    if (kind !== 'Primary' && kind !== 'Secondary') {
      return refuse('InvalidParameter.EniType', `The specified NetworkInterface.${i + 1}.InstanceType "${kind}" is not valid: Primary or Secondary.`, 403);
    }
    if (kind === 'Primary' ? primary : secondary) return refuse('InvalidParam.NetworkInterface', `NetworkInterface.N: one ${kind} network interface at most.`);
    const bad = checkTraffic(e, i + 1, type);
    if (bad) return { ok: false, refusal: bad };
    if (kind === 'Primary') primary = e; else secondary = e;
  }

  let out: FlatNetwork = flat;
  if (primary) {
    if (given(primary.NetworkInterfaceId)) return refuse('InvalidOperation.InvalidNetworkInterfaceId', 'NetworkInterface.N.NetworkInterfaceId attaches an existing secondary network interface; a primary one is created with its instance.', 403);
    if (given(flat.VSwitchId) && given(primary.VSwitchId)) return refuse('InvalidParam.NetworkInterface', 'VSwitchId and the primary NetworkInterface.N.VSwitchId cannot be given together.');
    const groups = list(primary.SecurityGroupIds);
    if ((given(flat.SecurityGroupId) || list(flat.SecurityGroupIds).length) && (given(primary.SecurityGroupId) || groups.length)) {
      return refuse('InvalidParam.NetworkInterface', 'SecurityGroupId / SecurityGroupIds.N and the primary NetworkInterface.N.SecurityGroupId(s) cannot be given together.');
    }
    if (given(primary.SecurityGroupId) && groups.length) {
      return refuse('InvalidSecurityGroupId.SingleIdAndMultiIdConflict', 'NetworkInterface.N.SecurityGroupId and NetworkInterface.N.SecurityGroupIds.N cannot be given together.');
    }
    if (given(flat.PrivateIpAddress) && given(primary.PrimaryIpAddress)) return refuse('InvalidParam.NetworkInterface', 'PrivateIpAddress and the primary NetworkInterface.N.PrimaryIpAddress cannot be given together.');
    if (given(flat.NetworkInterfaceQueueNumber) && given(primary.QueueNumber)) return refuse('InvalidParam.NetworkInterface', 'NetworkInterfaceQueueNumber and the primary NetworkInterface.N.QueueNumber cannot be given together.');
    for (const f of ['NetworkInterfaceName', 'Description', 'DeleteOnRelease'] as const) {
      if (given(primary[f])) return refuse('InvalidParam.NetworkInterface', `NetworkInterface.N.${f} is for a secondary network interface; the primary one is its instance's.`);
    }
    if (!given(flat.VSwitchId) && !given(primary.VSwitchId)) return refuse('MissingParameter', 'The input parameter "NetworkInterface.N.VSwitchId" that is mandatory for a primary network interface is not supplied.');
    out = {
      ...flat,
      VSwitchId: flat.VSwitchId || primary.VSwitchId,
      SecurityGroupId: flat.SecurityGroupId || primary.SecurityGroupId || undefined,
      SecurityGroupIds: list(flat.SecurityGroupIds).length ? flat.SecurityGroupIds : groups.length ? groups : undefined,
      PrivateIpAddress: flat.PrivateIpAddress || primary.PrimaryIpAddress || undefined,
      NetworkInterfaceQueueNumber: flat.NetworkInterfaceQueueNumber ?? num(primary.QueueNumber),
    };
  }
  const queues = primaryQueues(out, type);
  if (queues) return queues;
  if (primary && given(primary.PrimaryIpAddress) && amount > 1) {
    return refuse('InvalidPrimaryIpAddress.SizeInvalid', 'The NetworkInterface PrimaryIpAddress is used to create only one instance.');
  }
  if (!secondary) return { ok: true, value: { flat: out } };

  if (type.eniQuantity < 2) {
    return refuse('InvalidInstanceType.ElasticNetworkInterfaceNotSupported', `The instance type ${type.id} does not support elastic network interfaces beyond the primary one (EniQuantity 1).`);
  }
  if (given(secondary.NetworkInterfaceId)) {
    const other = CREATE_FIELDS.find((f) => given(secondary![f]));
    if (other) return refuse('InvalidParam.NetworkInterface', `NetworkInterface.N.NetworkInterfaceId names an existing network interface; NetworkInterface.N.${other} cannot be given with it.`);
    if (amount > 1) return refuse('InvalidParam.NetworkInterface', 'An existing network interface (NetworkInterface.N.NetworkInterfaceId) is attached to one instance: Amount must be 1.');
    return { ok: true, value: { flat: out, secondary: { existingId: secondary.NetworkInterfaceId, name: '', description: '', deleteOnRelease: false } } };
  }
  if (amount > 1 && (given(secondary.PrimaryIpAddress) || given(out.PrivateIpAddress))) {
    return refuse('InvalidParam.SecondaryNetworkInterface', 'When min amount greater than 1 and the PrivateIpAddress or Primary NetworkInterface is specified,the Secondary NetworkInterface IP parameter cannot be specified');
  }
  const groups = list(secondary.SecurityGroupIds);
  if (given(secondary.SecurityGroupId) && groups.length) {
    return refuse('InvalidSecurityGroupId.SingleIdAndMultiIdConflict', 'NetworkInterface.N.SecurityGroupId and NetworkInterface.N.SecurityGroupIds.N cannot be given together.');
  }
  return {
    ok: true,
    value: {
      flat: out,
      secondary: {
        vswitchId: secondary.VSwitchId || undefined,
        groupIds: groups.length ? groups : given(secondary.SecurityGroupId) ? [secondary.SecurityGroupId!] : undefined,
        primaryIp: secondary.PrimaryIpAddress || undefined,
        name: secondary.NetworkInterfaceName ?? '',
        description: secondary.Description ?? '',
        // The metadata: DeleteOnRelease defaults to true at launch (CreateNetworkInterface's to false).
        deleteOnRelease: bool(secondary.DeleteOnRelease) ?? true,
        queueNumber: num(secondary.QueueNumber),
      },
    },
  };
}
