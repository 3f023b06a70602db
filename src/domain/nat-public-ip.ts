/**
 * An instance's NAT public address (AllocatePublicIpAddress, RunInstances InternetMaxBandwidthOut),
 * pure: what ConvertNatPublicIpToEip and ReleasePublicIpAddress check, in the metadata's codes.
 */
import type { Refusal } from './eips.js';

const HOUR = 3_600_000;
/** ReleasePublicIpAddress: within 6 hours of the instance's creation (Forbidden.ExceedDuration). */
export const RELEASE_WINDOW_MS = 6 * HOUR;
/** ConvertNatPublicIpToEip: a subscription instance must not expire within 24 hours. */
export const CONVERT_EXPIRY_MARGIN_MS = 24 * HOUR;

export interface NatIpInstance {
  id: string;
  status: string;
  publicIp: string;
  bandwidthOut: number;
  instanceChargeType: string;
  internetChargeType: string;
  createdAt: number;
  expiresAt: number | null;
}

const settled = (status: string) => status === 'Running' || status === 'Stopped';

/** ConvertNatPublicIpToEip (its description's conditions, then its error table's codes). */
export function checkConversion(i: NatIpInstance, now: number): Refusal | undefined {
  if (!settled(i.status)) return { code: 'IncorrectInstanceStatus', message: `The instance ${i.id} is ${i.status}; its public address is converted while Running or Stopped.` };
  if (!i.publicIp) return { code: 'InvalidInstance.IpAddressMissing', message: `The instance ${i.id} has no NAT public address to convert.` };
  if (i.bandwidthOut <= 0) return { code: 'InvalidInstance.ZeroBandwidth', message: `The public bandwidth of the instance ${i.id} is 0 Mbit/s.` };
  if (i.instanceChargeType === 'PrePaid') {
    if (i.internetChargeType !== 'PayByTraffic') {
      return { code: 'InvalidInternetChargeType.ValueNotSupported', message: `The subscription instance ${i.id} pays for its public bandwidth ${i.internetChargeType}: only PayByTraffic is converted.` };
    }
    if (i.expiresAt !== null && i.expiresAt - now < CONVERT_EXPIRY_MARGIN_MS) {
      return { code: 'InvalidEndTime.OperateNotSupport', message: `The subscription instance ${i.id} expires within 24 hours.` };
    }
  }
  return undefined;
}

/** ReleasePublicIpAddress of the instance's address `address`. */
export function checkRelease(i: NatIpInstance, address: string, now: number): Refusal | undefined {
  if (!i.publicIp || i.publicIp !== address) return { code: 'InvalidIpAddress.NotFound', message: `The specified PublicIpAddress "${address}" is not the public address of the instance ${i.id}.` };
  if (!settled(i.status)) return { code: 'IncorrectInstanceStatus', message: `The instance ${i.id} is ${i.status}; its public address is released while Running or Stopped.` };
  if (now - i.createdAt > RELEASE_WINDOW_MS) {
    return { code: 'Forbidden.ExceedDuration', message: `Instance nat public ip can only be released in 6 hours after ecs created: ${i.id} was created more than 6 hours ago.` };
  }
  return undefined;
}
