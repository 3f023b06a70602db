/**
 * UserCidr of CreateVpc (VPC API and ECS 2014-05-26): up to three user CIDR blocks, comma
 * separated, each a strict IPv4 block that does not overlap the cloud services' 100.64.0.0/10.
 */
import { overlaps, parseCidr, type Cidr } from './cidr.js';

export const MAX_USER_CIDRS = 3;
const SERVICE = (parseCidr('100.64.0.0/10') as { cidr: Cidr }).cidr;

export type UserCidrCheck = { ok: true; cidrs: string[] } | { ok: false; reason: 'quota' | 'malformed' | 'cloud-service'; value?: string };

export function checkUserCidrs(text: string): UserCidrCheck {
  const cidrs = [...new Set(text.split(',').map((s) => s.trim()).filter(Boolean))];
  if (cidrs.length > MAX_USER_CIDRS) return { ok: false, reason: 'quota' };
  for (const c of cidrs) {
    const p = parseCidr(c);
    if (!p.ok) return { ok: false, reason: 'malformed', value: c };
    if (overlaps(p.cidr, SERVICE)) return { ok: false, reason: 'cloud-service', value: c };
  }
  return { ok: true, cidrs };
}
