/**
 * Address ranges in rules: IPv4 (`10.0.0.0/8` or a bare `1.2.3.4`, AuthorizeSecurityGroup
 * "supports CIDR format and IPv4 format") and IPv6. Parsing is strict (four-part decimal IPv4),
 * so `010.0.0.1` or `10.1` are refused rather than read the way inet_aton would.
 */
import ipaddr from 'ipaddr.js';

export type Family = 4 | 6;

export interface Cidr { family: Family; network: string; prefix: number }

function parseAddress(s: string, family: Family): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  if (family === 4) return ipaddr.IPv4.isValidFourPartDecimal(s) ? ipaddr.IPv4.parse(s) : undefined;
  if (!s.includes(':') || !ipaddr.IPv6.isValid(s)) return undefined;
  return ipaddr.IPv6.parse(s);
}

/** Parses `addr` or `addr/prefix` of the given family; undefined when malformed. */
export function parseCidr(text: string, family: Family): Cidr | undefined {
  const s = text.trim();
  const slash = s.indexOf('/');
  const addrText = slash < 0 ? s : s.slice(0, slash);
  const addr = parseAddress(addrText, family);
  if (!addr) return undefined;
  const max = family === 4 ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = s.slice(slash + 1);
    if (!/^\d{1,3}$/.test(p) || Number(p) > max) return undefined;
    prefix = Number(p);
  }
  const network = family === 4
    ? ipaddr.IPv4.networkAddressFromCIDR(`${addr.toString()}/${prefix}`).toString()
    : ipaddr.IPv6.networkAddressFromCIDR(`${addr.toString()}/${prefix}`).toString();
  return { family, network, prefix };
}

/**
 * The stored form: a bare address stays bare (as entered, normalized), a block gets its host
 * bits cleared so `10.1.2.3/8` and `10.0.0.0/8` are one rule.
 */
export function normalizeCidr(text: string, family: Family): string | undefined {
  const c = parseCidr(text, family);
  if (!c) return undefined;
  return text.includes('/') ? `${c.network}/${c.prefix}` : c.network;
}

/** The comparison form: always `network/prefix`, so `1.2.3.4` equals `1.2.3.4/32`. */
export function cidrKey(text: string): string {
  if (!text) return '';
  const c = parseCidr(text, text.includes(':') ? 6 : 4);
  return c ? `${c.network}/${c.prefix}` : text;
}

export function familyOfAddress(s: string): Family | undefined {
  if (parseAddress(s, 4)) return 4;
  if (parseAddress(s, 6)) return 6;
  return undefined;
}

/** Whether the address lies in the range (both of one family). */
export function cidrContains(range: string, address: string): boolean {
  const family: Family = range.includes(':') ? 6 : 4;
  const c = parseCidr(range, family);
  const a = parseAddress(address.trim(), family);
  if (!c || !a) return false;
  return (a as any).match(ipaddr.parse(c.network), c.prefix) as boolean;
}
