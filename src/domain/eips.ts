/**
 * Elastic IP address rules (VPC API 2016-04-28: AllocateEipAddress, AssociateEipAddress,
 * UnassociateEipAddress, ReleaseEipAddress, ModifyEipAddressAttribute), pure.
 *
 * Statuses: Available ⇄ (Associating → InUse → Unassociating) and Available → Releasing → gone.
 * The transitional ones are settled by the engine (src/engine/reconcilers/eip.ts); while an EIP is
 * in one, only queries are allowed (the API descriptions), anything else is IncorrectEipStatus.
 */

export const EIP_DEFAULT_BANDWIDTH = 5;
export const EIP_CHARGE_TYPES = ['PayByBandwidth', 'PayByTraffic'] as const;
/** The settled status each transitional one moves to; `Released` means the row goes. */
const SETTLED: Record<string, string> = { Associating: 'InUse', Unassociating: 'Available', Releasing: 'Released' };
export const EIP_STATUSES = ['Associating', 'Unassociating', 'InUse', 'Available', 'Releasing'] as const;

export function settledEipStatus(status: string): string | undefined {
  return SETTLED[status];
}

/** AllocateEipAddress / ModifyEipAddressAttribute Bandwidth (Mbit/s) of a pay-as-you-go EIP: 1–500 by bandwidth, 1–200 by traffic. */
export function bandwidthRange(internetChargeType: string): { min: number; max: number } {
  return { min: 1, max: internetChargeType === 'PayByTraffic' ? 200 : 500 };
}

/** The Bandwidth parameter (a string in the metadata) as Mbit/s, or undefined when it is not a whole number in range. */
export function parseBandwidth(text: string, internetChargeType: string): number | undefined {
  if (!/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  const { min, max } = bandwidthRange(internetChargeType);
  return n >= min && n <= max ? n : undefined;
}

const LEADING = /^[\p{L}]/u;
const HTTP = /^https?:\/\//i;

/** Name: 1–128 characters starting with a letter (Chinese included), then letters, digits, `.`, `_`, `-`. */
export function isValidEipName(name: string): boolean {
  const n = [...name].length;
  return n >= 1 && n <= 128 && LEADING.test(name) && /^[\p{L}\p{N}._-]+$/u.test(name);
}

/** Description: 2–256 characters starting with a letter, not `http://` or `https://`. */
export function isValidEipDescription(d: string): boolean {
  const n = [...d].length;
  return n >= 2 && n <= 256 && LEADING.test(d) && !HTTP.test(d);
}

/** What AssociateEipAddress checks of the EIP and the ECS instance, in the real service's order. */
export interface AssociationFacts {
  eipStatus: string;
  eipRegionId: string;
  instance: { status: string; regionId: string; vpcId: string; publicIp: string };
  /** Another EIP associated (or associating) with the instance. */
  instanceHasEip: boolean;
}

export type Refusal = { code: string; message: string };

export function checkAssociation(f: AssociationFacts, instanceId: string): Refusal | undefined {
  if (f.eipStatus !== 'Available') return { code: 'IncorrectEipStatus', message: `The EIP is ${f.eipStatus}; only an Available EIP can be associated.` };
  if (f.instance.regionId !== f.eipRegionId) {
    return { code: 'InvalidParameter.Mismatch', message: `The EIP (${f.eipRegionId}) and the instance ${instanceId} (${f.instance.regionId}) are not in the same region.` };
  }
  if (!f.instance.vpcId) return { code: 'OperationDenied', message: `The instance ${instanceId} is not in a VPC.` };
  if (f.instance.status !== 'Running' && f.instance.status !== 'Stopped') {
    return { code: 'IncorrectInstanceStatus', message: `The instance ${instanceId} is ${f.instance.status}; an EIP is associated with a Running or Stopped instance.` };
  }
  if (f.instanceHasEip) return { code: 'InvalidAssociation.Duplicated', message: `The instance ${instanceId} already has an EIP associated.` };
  if (f.instance.publicIp) {
    return { code: 'EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP', message: `The instance ${instanceId} already has the public address ${f.instance.publicIp}; it cannot also have an EIP.` };
  }
  return undefined;
}

/** What AssociateEipAddress checks of the EIP and a secondary ENI (InstanceType NetworkInterface). */
export interface EniAssociationFacts {
  eipStatus: string;
  eipRegionId: string;
  eni: { id: string; type: string; status: string; regionId: string; addresses: readonly string[] };
  /** The ENI's address the EIP is to map to (PrivateIpAddress, else the ENI's primary address). */
  privateIp: string;
  /** Another EIP associated (or associating) with that address. */
  addressHasEip: boolean;
}

export function checkEniAssociation(f: EniAssociationFacts): Refusal | undefined {
  if (f.eipStatus !== 'Available') return { code: 'IncorrectEipStatus', message: `The EIP is ${f.eipStatus}; only an Available EIP can be associated.` };
  if (f.eni.regionId !== f.eipRegionId) {
    return { code: 'InvalidParameter.Mismatch', message: `The EIP (${f.eipRegionId}) and the network interface ${f.eni.id} (${f.eni.regionId}) are not in the same region.` };
  }
  if (f.eni.type === 'Primary') {
    return { code: 'InvalidParameter.EniInstanceId', message: `The network interface ${f.eni.id} is a primary one: associate the EIP with its instance (InstanceType EcsInstance).` };
  }
  if (f.eni.status !== 'Available' && f.eni.status !== 'InUse') {
    return { code: 'InvalidStatus.EniStatusNotSupport', message: `The network interface ${f.eni.id} is ${f.eni.status}; an EIP is associated with an Available or InUse one.` };
  }
  if (!f.eni.addresses.includes(f.privateIp)) {
    return { code: 'OperationFailed.PrivateIpAddressNotExist', message: `The private address ${f.privateIp} is not an address of the network interface ${f.eni.id}.` };
  }
  if (f.addressHasEip) return { code: 'InvalidAssociation.Duplicated', message: `The address ${f.privateIp} of ${f.eni.id} already has an EIP associated.` };
  return undefined;
}
