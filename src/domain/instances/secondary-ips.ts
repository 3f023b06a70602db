/**
 * AssignPrivateIpAddresses on a network interface: either named addresses (PrivateIpAddress.N)
 * or a count of addresses chosen by the service (SecondaryPrivateIpAddressCount), never both; all
 * from the interface's VSwitch, usable (not reserved) and free; the interface's addresses, its
 * primary one included, at most the instance type's EniPrivateIpAddressQuantity. Each refusal is
 * the action's documented code.
 */
import { checkPrivateIp, formatIpv4, lowestFree, parseCidr } from '../cidr.js';

export interface AssignRequest {
  vswitchCidr: string;
  /** Addresses of the VSwitch already held by anyone. */
  used: ReadonlySet<number>;
  /** The interface's secondary addresses now. */
  current: number;
  /** EniPrivateIpAddressQuantity of the instance type (the primary address included). */
  limit: number;
  requested?: string[];
  count?: number;
}

export type AssignResult = { ok: true; ips: string[] } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): AssignResult => ({ ok: false, code, message });

export function planSecondaryIps(r: AssignRequest): AssignResult {
  const named = r.requested?.filter((x) => x !== '') ?? [];
  if (named.length && r.count !== undefined) return refuse('InvalidParameter.Conflict', 'PrivateIpAddress.N and SecondaryPrivateIpAddressCount cannot be given together.');
  if (!named.length && r.count === undefined) return refuse('MissingParameter', 'Either PrivateIpAddress.N or SecondaryPrivateIpAddressCount is required.');
  const adding = named.length || r.count!;
  if (!Number.isInteger(adding) || adding < 1) return refuse('InvalidSecondaryPrivateIpAddressCount.Malformed', 'SecondaryPrivateIpAddressCount must be a positive integer.');
  if (1 + r.current + adding > r.limit) {
    return refuse('MaxEniPrivateIpsCountExceeded', `The network interface can hold at most ${r.limit} private addresses (the primary one included); it has ${1 + r.current}.`);
  }
  const block = parseCidr(r.vswitchCidr);
  if (!block.ok) return refuse('InvalidVSwitchId.IpInvalid', `The VSwitch block ${r.vswitchCidr} is malformed.`);
  const taken = new Set(r.used);
  const out: string[] = [];
  if (named.length) {
    if (new Set(named).size !== named.length) return refuse('InvalidIp.IpRepeated', 'The specified PrivateIpAddress.N contain duplicates.');
    for (const s of named) {
      const c = checkPrivateIp(s, block.cidr);
      if (!c.ok) {
        if (c.reason === 'malformed') return refuse('InvalidPrivateIpAddress.Malformed', `The specified PrivateIpAddress "${s}" is malformed.`);
        return refuse('InvalidVSwitchId.IpInvalid', `The specified PrivateIpAddress "${s}" is not a usable address of the VSwitch ${r.vswitchCidr}.`);
      }
      if (taken.has(c.ip)) return refuse('InvalidPrivateIpAddress.Duplicated', `The specified PrivateIpAddress "${s}" is already in use.`);
      out.push(formatIpv4(c.ip));
    }
    return { ok: true, ips: out };
  }
  for (let i = 0; i < adding; i++) {
    const free = lowestFree(block.cidr, taken);
    if (free === undefined) return refuse('InvalidVSwitchId.IpNotEnough', `The VSwitch ${r.vswitchCidr} has fewer than ${adding} free addresses.`);
    taken.add(free);
    out.push(formatIpv4(free));
  }
  return { ok: true, ips: out };
}
