/**
 * IPv6 gateways on the wire: each VPC bridge of the instance namespace carries the first address
 * of every one of its VSwitches' IPv6 /64s (domain/ipv6.ts reserves it for the gateway), as it
 * carries their IPv4 gateways, so the namespace routes IPv6 between VSwitches and answers the
 * guests' neighbour discovery for it. The bridges of VPCs this store knows are converged whole:
 * a gateway of a VSwitch that no longer has IPv6 (or no longer exists) is removed; bridges of
 * other servers sharing the namespace are left alone. Applied with the security-policy operation
 * (src/network/enforcer.ts), which runs whenever addresses or bridges change.
 */
import { canonicalIpv6, parseIpv6Block } from '../domain/ipv6.js';
import type { Netns } from './netns.js';

export interface Ipv6VSwitch { vpcId: string; ipv6Cidr: string }

/** The gateway of a VSwitch's IPv6 block: its first address (`2001:db8:0:1::/64` → `2001:db8:0:1::`); undefined when malformed. */
export function ipv6Gateway(block: string): string | undefined {
  if (!parseIpv6Block(block)) return undefined;
  return canonicalIpv6(block.split('/')[0]!);
}

/**
 * What each known VPC's bridge should carry: `gateway/prefix` of each of its VSwitches' IPv6
 * blocks (an empty list: none). `vswitches` may hold VSwitches without IPv6 (`ipv6Cidr` ''), so
 * that their VPCs count as known and get stale gateways removed.
 */
export function planIpv6Wire(vswitches: readonly Ipv6VSwitch[], bridges: ReadonlyMap<string, string>): Map<string, string[]> {
  const plan = new Map<string, string[]>();
  for (const v of vswitches) {
    const br = bridges.get(v.vpcId);
    if (!br) continue;
    const list = plan.get(br) ?? plan.set(br, []).get(br)!;
    const gw = v.ipv6Cidr ? ipv6Gateway(v.ipv6Cidr) : undefined;
    if (gw) list.push(`${gw}/${v.ipv6Cidr.split('/')[1]}`);
  }
  for (const [br, list] of plan) plan.set(br, [...new Set(list)].sort());
  return plan;
}

/** The global IPv6 addresses (`addr/prefix`) of the namespace's interfaces, by interface. */
async function globalIpv6Addresses(netns: Netns): Promise<Map<string, string[]>> {
  const { stdout } = await netns.ip(['-j', '-6', 'addr', 'show', 'scope', 'global']);
  // iproute2 prints the addresses its filter leaves out as empty objects.
  const links = JSON.parse(stdout || '[]') as { ifname: string; addr_info?: { local?: string; prefixlen?: number }[] }[];
  return new Map(links.map((l) => [l.ifname, (l.addr_info ?? []).flatMap((a) => (a.local ? [`${canonicalIpv6(a.local) ?? a.local}/${a.prefixlen}`] : []))]));
}

/**
 * Converges the bridges on the plan: missing gateways added (`nodad`: the address is the
 * gateway's by construction, and duplicate address detection would hold it back a second or
 * more), stale ones removed. Returns what it changed, for the log.
 */
export async function applyIpv6Wire(netns: Netns, plan: ReadonlyMap<string, string[]>): Promise<{ added: string[]; removed: string[] }> {
  const added: string[] = [];
  const removed: string[] = [];
  if (plan.size === 0) return { added, removed };
  const current = await globalIpv6Addresses(netns);
  for (const [br, want] of plan) {
    const have = current.get(br) ?? [];
    for (const a of want) if (!have.includes(a)) { await netns.ip(['-6', 'addr', 'replace', a, 'dev', br, 'nodad']); added.push(`${a} on ${br}`); }
    for (const a of have) if (!want.includes(a)) { await netns.ip(['-6', 'addr', 'del', a, 'dev', br]); removed.push(`${a} on ${br}`); }
  }
  return { added, removed };
}
