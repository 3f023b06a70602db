/**
 * The account's security preference for its RAM users (Get/SetSecurityPreference): what a user may
 * do for itself without a policy (change its password, manage its AccessKeys and MFA devices), how
 * long a console sign-in lasts, and the networks console sign-in is allowed from. Defaults and
 * ranges are RAM's (SetSecurityPreference: LoginSessionDuration 1..24 hours, default 6; at most
 * 25 LoginNetworkMasks, 512 characters in all). Pure: the store keeps the fields set as JSON.
 */
import ipaddr from 'ipaddr.js';
import { ramError } from './errors.js';

export interface SecurityPreference {
  EnableSaveMFATicket: boolean;
  AllowUserToChangePassword: boolean;
  AllowUserToManageAccessKeys: boolean;
  AllowUserToManagePublicKeys: boolean;
  AllowUserToManageMFADevices: boolean;
  LoginSessionDuration: number;
  /** `;`-separated CIDR blocks, '' for every network. */
  LoginNetworkMasks: string;
}

export const DEFAULT_SECURITY_PREFERENCE: SecurityPreference = {
  EnableSaveMFATicket: false,
  AllowUserToChangePassword: true,
  AllowUserToManageAccessKeys: false,
  AllowUserToManagePublicKeys: false,
  AllowUserToManageMFADevices: true,
  LoginSessionDuration: 6,
  LoginNetworkMasks: '',
};

const MAX_MASKS = 25;
const MAX_MASKS_LENGTH = 512;

/** What a user may do for itself when the preference allows it, by the preference's field. */
export type SelfService = 'AllowUserToChangePassword' | 'AllowUserToManageAccessKeys' | 'AllowUserToManageMFADevices';

export function readSecurityPreference(stored: string | undefined): SecurityPreference {
  if (!stored) return { ...DEFAULT_SECURITY_PREFERENCE };
  return { ...DEFAULT_SECURITY_PREFERENCE, ...(JSON.parse(stored) as Partial<SecurityPreference>) };
}

/** Applies a SetSecurityPreference request: each field given replaces the current one, after its check. */
export function mergeSecurityPreference(current: SecurityPreference, change: Partial<SecurityPreference>): SecurityPreference {
  const next = { ...current };
  for (const [k, v] of Object.entries(change) as [keyof SecurityPreference, unknown][]) {
    if (v === undefined) continue;
    if (k === 'LoginSessionDuration') {
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1 || v > 24) {
        throw ramError('InvalidParameter.LoginSessionDuration', 'The parameter - "LoginSessionDuration" MUST be in the range of 1 and 24 (hours).');
      }
    }
    if (k === 'LoginNetworkMasks') checkLoginNetworkMasks(String(v));
    (next as Record<string, unknown>)[k] = v;
  }
  return next;
}

export function loginNetworkMasks(text: string): string[] {
  return text.split(';').map((m) => m.trim()).filter(Boolean);
}

export function checkLoginNetworkMasks(text: string): void {
  const bad = (why: string) => ramError('InvalidParameter.LoginNetworkMasks', `The parameter - "LoginNetworkMasks" is invalid: ${why}`);
  if (text.length > MAX_MASKS_LENGTH) throw bad(`at most ${MAX_MASKS_LENGTH} characters.`);
  const masks = loginNetworkMasks(text);
  if (masks.length > MAX_MASKS) throw bad(`at most ${MAX_MASKS} masks.`);
  for (const m of masks) {
    try {
      if (m.includes('/')) ipaddr.parseCIDR(m);
      else ipaddr.parse(m);
    } catch {
      throw bad(`"${m}" is not an IP address or CIDR block (separate masks with ";", e.g. 192.168.0.0/16;10.0.0.0/8).`);
    }
  }
}

/** Whether console sign-in from `ip` is allowed: no masks, or one of them covers it. An unknown address is refused when masks are set. */
export function signInAllowedFrom(text: string, ip: string | undefined): boolean {
  const masks = loginNetworkMasks(text);
  if (masks.length === 0) return true;
  if (!ip) return false;
  let addr: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    addr = ipaddr.process(ip.trim());
  } catch {
    return false;
  }
  return masks.some((m) => {
    const [net, bits] = m.includes('/') ? ipaddr.parseCIDR(m) : [ipaddr.process(m), -1] as const;
    const range = net.kind() === 'ipv6' && (net as ipaddr.IPv6).isIPv4MappedAddress() ? (net as ipaddr.IPv6).toIPv4Address() : net;
    if (range.kind() !== addr.kind()) return false;
    return bits < 0 ? range.toString() === addr.toString() : addr.match(range as never, bits);
  });
}
