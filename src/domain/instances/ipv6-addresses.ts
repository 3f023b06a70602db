/**
 * IPv6 addresses of a network interface (AssignIpv6Addresses, CreateNetworkInterface and
 * RunInstances Ipv6Address.N / Ipv6AddressCount): either named addresses or a count chosen by the
 * service, never both; all from the interface's VSwitch's /64, usable (domain/ipv6.ts reserves
 * its first four and last three) and free; the interface's IPv6 addresses at most `limit` (the
 * instance type's EniIpv6AddressQuantity when attached). Each action documents its own codes for
 * the same refusals, so the caller passes its code book.
 */
import { checkIpv6Address, lowestFreeIpv6 } from '../ipv6.js';

export interface Ipv6Codes {
  /** The VSwitch has no IPv6 block. */
  disabled: string;
  /** More addresses than the interface may hold. */
  exceeded: string;
  malformed: string;
  /** Not a usable address of the VSwitch's /64. */
  outside: string;
  /** Held by another interface. */
  taken: string;
  repeated: string;
  conflict: string;
}

export const ASSIGN_IPV6_CODES: Ipv6Codes = {
  disabled: 'InvalidOperation.VSwitchIpv6Disabled', exceeded: 'InvalidOperation.Ipv6CountExceeded', malformed: 'InvalidIp.Address',
  outside: 'InvalidVSwitchId.IpInvalid', taken: 'InvalidIp.IpAssigned', repeated: 'InvalidIp.IpRepeated', conflict: 'InvalidParameter.Conflict',
};

export const CREATE_ENI_IPV6_CODES: Ipv6Codes = {
  disabled: 'InvalidOperation.VSwitchIpv6Disabled', exceeded: 'InvalidOperation.Ipv6CountExceeded', malformed: 'InvalidIp.Address',
  outside: 'InvalidOperation.AddressNotInVSwitchCidr', taken: 'InvalidOperation.AddressAlreadyAllocated', repeated: 'InvalidIp.IpRepeated', conflict: 'InvalidParameter.Conflict',
};

export const RUN_INSTANCES_IPV6_CODES: Ipv6Codes = {
  disabled: 'InvalidVSwitch.Ipv6NotTurnOn', exceeded: 'InvalidOperation.Ipv6CountExceeded', malformed: 'InvalidIp.Address',
  outside: 'InvalidVSwitchId.IpInvalid', taken: 'InvalidIp.IpAssigned', repeated: 'InvalidIp.IpRepeated', conflict: 'InvalidParameter.Conflict',
};

export interface Ipv6Request {
  /** The VSwitch's /64 ('' when it has no IPv6). */
  vswitchBlock: string;
  /** Addresses of the VSwitch already held by anyone (canonical). */
  used: ReadonlySet<string>;
  /** The interface's IPv6 addresses now. */
  current: number;
  limit: number;
  requested?: readonly string[];
  count?: number;
}

export type Ipv6Plan = { ok: true; addresses: string[] } | { ok: false; code: string; message: string };

/** Whether the request asks for any IPv6 address (an empty Ipv6Address.N and no count asks for none). */
export function wantsIpv6(requested: readonly string[] | undefined, count: number | undefined): boolean {
  return (requested ?? []).some((x) => x !== '') || count !== undefined;
}

export function planIpv6Addresses(r: Ipv6Request, codes: Ipv6Codes): Ipv6Plan {
  const refuse = (code: string, message: string): Ipv6Plan => ({ ok: false, code, message });
  const named = (r.requested ?? []).filter((x) => x !== '');
  if (named.length && r.count !== undefined) return refuse(codes.conflict, 'Ipv6Address.N and Ipv6AddressCount cannot be given together.');
  if (!named.length && r.count === undefined) return refuse('MissingParameter', 'Either Ipv6Address.N or Ipv6AddressCount is required.');
  if (!r.vswitchBlock) return refuse(codes.disabled, 'The specified VSwitch does not support Ipv6 feature.');
  const adding = named.length || r.count!;
  if (!Number.isInteger(adding) || adding < 1) return refuse('InvalidParameter', 'The specified parameter "Ipv6AddressCount" is not valid: a positive integer is expected.');
  if (r.limit === 0) return refuse(codes.exceeded, 'The network interface cannot hold IPv6 addresses: its instance type supports none.');
  if (r.current + adding > r.limit) {
    return refuse(codes.exceeded, `The ipv6 address count exceed limitation: the network interface can hold at most ${r.limit} IPv6 addresses; it has ${r.current}.`);
  }
  if (named.length) {
    const out: string[] = [];
    for (const s of named) {
      const c = checkIpv6Address(s, r.vswitchBlock);
      if (!c.ok) {
        if (c.reason === 'malformed') return refuse(codes.malformed, `The specified Ipv6Address "${s}" is not a valid IPv6 address.`);
        return refuse(codes.outside, `The specified ipv6 "${s}" does not match VSwitch cidr scope ${r.vswitchBlock} (or is one of its reserved addresses).`);
      }
      if (out.includes(c.address)) return refuse(codes.repeated, `The specified Ipv6Address.N contain "${s}" more than once.`);
      if (r.used.has(c.address)) return refuse(codes.taken, `The specified ipv6 "${s}" has already been allocated.`);
      out.push(c.address);
    }
    return { ok: true, addresses: out };
  }
  // A /64 does not run out of addresses here; lowestFreeIpv6 gives fewer only for a malformed block.
  const out = lowestFreeIpv6(r.vswitchBlock, r.used, adding);
  if (out.length < adding) return refuse(codes.disabled, `The VSwitch block ${r.vswitchBlock} has fewer than ${adding} free IPv6 addresses.`);
  return { ok: true, addresses: out };
}
