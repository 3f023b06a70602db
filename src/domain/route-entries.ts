/**
 * Route entry rules of a VPC's route table (VPC API and ECS 2014-05-26 CreateRouteEntry).
 *
 * A system route table holds System entries that follow from the VPC: one per VSwitch CIDR
 * (next hop `local`) and 100.64.0.0/10 for the cloud services (next hop `service`). Custom
 * entries add a DestinationCidrBlock with a next hop; the documents require that the destination
 * is not 100.64.0.0/10 or inside it, that no two entries of a table share a destination, and the
 * VPC product refuses a destination equal to or inside a VSwitch block (its system route would
 * always win). A destination wider than a VSwitch block (0.0.0.0/0, 10.0.0.0/8) is allowed.
 *
 * Next hops: ECS instances and ENIs (attached or not) of the same VPC exist here. The other
 * documented next hop types name resources OpenECS does not have (HaVip, VPN and NAT gateways,
 * router interfaces, ...), so their ids are never found. ECMP lists (NextHopList) carry router
 * interfaces only.
 *
 * The rules return reasons; each action maps a reason to its product's code.
 */
import { containsCidr, parseCidr, type Cidr } from './cidr.js';

export const CLOUD_SERVICE_CIDR = '100.64.0.0/10';

export const INSTANCE_NEXT_HOP = 'Instance';
export const ENI_NEXT_HOP = 'NetworkInterface';
/** The next hop types whose resources exist here (the rest are never found). */
const HOSTED_NEXT_HOP_TYPES: readonly string[] = [INSTANCE_NEXT_HOP, ENI_NEXT_HOP];
/** Documented NextHopType values (CreateRouteEntry), matched exactly as the API does. */
export const DOCUMENTED_NEXT_HOP_TYPES: readonly string[] = [
  'Instance', 'HaVip', 'RouterInterface', 'NetworkInterface', 'VpnGateway', 'IPv6Gateway', 'NatGateway',
  'Attachment', 'VpcPeer', 'Ipv4Gateway', 'GatewayEndpoint', 'Ecr', 'Tunnel',
];
/** Instance states in which an instance can be a next hop (running or stopped, not in transit). */
export const NEXT_HOP_INSTANCE_STATES: readonly string[] = ['Running', 'Stopped'];
/** ENI states in which an ENI can be a next hop: detached or attached, not in transit. */
export const NEXT_HOP_ENI_STATES: readonly string[] = ['Available', 'InUse'];

const SERVICE = (parseCidr(CLOUD_SERVICE_CIDR) as { cidr: Cidr }).cidr;

export type DestinationCheck =
  | { ok: true; cidr: Cidr }
  | { ok: false; reason: 'malformed' | 'ipv6' | 'prefix-list' | 'cloud-service' | 'vswitch' | 'duplicate'; conflict?: string };

/**
 * A custom entry's destination against the table: `vswitchCidrs` the VPC's VSwitch blocks,
 * `taken` the destinations of the table's custom entries.
 */
export function checkDestination(dest: string, vswitchCidrs: readonly string[], taken: readonly string[]): DestinationCheck {
  const text = dest.trim();
  if (/^pl-/.test(text)) return { ok: false, reason: 'prefix-list' };
  if (text.includes(':')) return { ok: false, reason: 'ipv6' };
  const p = parseCidr(text);
  if (!p.ok) return { ok: false, reason: 'malformed' };
  if (containsCidr(SERVICE, p.cidr)) return { ok: false, reason: 'cloud-service', conflict: CLOUD_SERVICE_CIDR };
  for (const v of vswitchCidrs) {
    const c = parseCidr(v);
    if (c.ok && containsCidr(c.cidr, p.cidr)) return { ok: false, reason: 'vswitch', conflict: v };
  }
  if (taken.includes(text)) return { ok: false, reason: 'duplicate', conflict: text };
  return p;
}

export type NextHopCheck =
  | { ok: true; type: string; id: string }
  | { ok: false; reason: 'both-given' | 'ecmp' | 'type' | 'missing-id' | 'absent-type' };

/** Which next hop a CreateRouteEntry names: NextHopType defaults to Instance. */
export function checkNextHop(o: { type?: string; id?: string; list?: readonly unknown[] }): NextHopCheck {
  const listed = (o.list ?? []).length > 0;
  if (listed && (o.type || o.id)) return { ok: false, reason: 'both-given' };
  if (listed) return { ok: false, reason: 'ecmp' };
  const type = o.type || INSTANCE_NEXT_HOP;
  if (!DOCUMENTED_NEXT_HOP_TYPES.includes(type)) return { ok: false, reason: 'type' };
  if (!o.id) return { ok: false, reason: 'missing-id' };
  if (!HOSTED_NEXT_HOP_TYPES.includes(type)) return { ok: false, reason: 'absent-type' };
  return { ok: true, type, id: o.id };
}

/** A route entry as the Describe actions show it. */
export interface RouteEntryView {
  id: string;
  routeTableId: string;
  destination: string;
  type: 'System' | 'Custom';
  nextHopType: string;
  nextHopId: string;
  name: string;
  description: string;
  status: string;
}

/**
 * The System entries of a VPC's system route table: each VSwitch block (next hop `local`) and the
 * cloud-service block. Their ids are derived from the VSwitch and router ids, so they are stable
 * and never collide with the random ids of custom entries.
 */
export function systemEntries(routeTableId: string, vrouterId: string, vswitches: readonly { id: string; cidr: string }[]): RouteEntryView[] {
  const entry = (id: string, destination: string, nextHopType: string): RouteEntryView => ({
    id, routeTableId, destination, type: 'System', nextHopType, nextHopId: '', name: '', description: '', status: 'Available',
  });
  return [
    ...vswitches.map((s) => entry('rte-' + s.id.replace(/^vsw-/, ''), s.cidr, 'local')),
    entry('rte-' + vrouterId.replace(/^vrt-/, ''), CLOUD_SERVICE_CIDR, 'service'),
  ];
}
