/**
 * The rule engine: does an instance's set of security groups let one packet (the first packet of
 * a session; groups are stateful, guide L107) through, and which rule decided.
 *
 * Semantics (SPEC "Decisions", guide L116–141, L692, ModifySecurityGroupPolicy):
 * 1. Intra-group: a peer in one of the instance's basic groups whose InnerAccessPolicy is Accept
 *    is always reachable; Accept "takes precedence over user-created rules". Advanced groups
 *    (and Drop) isolate members, so only rules can connect them.
 * 2. The rules of ALL the instance's groups are merged; among the rules matching the packet the
 *    one with the smallest Priority number decides, and at equal priority drop beats accept.
 * 3. No rule matches: inbound is denied; outbound is allowed for basic groups and denied when all
 *    the groups are advanced (an instance cannot mix the types; if it did, basic wins here).
 *
 * 0. Before any of it, the platform's own rule: outbound TCP 25 (SMTP) to the internet is blocked
 *    whatever the rules say (002 L3203, 001 L726: "disabled by default. It cannot be enabled by
 *    security group rules"); mail within private networks is the rules' to decide.
 *
 * A constraint on something the packet does not state (a five-tuple DestCidrIp when the local
 * address is unknown, a SourcePortRange when the source port is unknown) does not match.
 */
import { cidrContains, familyOfAddress } from './cidr.js';
import {
  hasPorts, localOf, parsePortRange, peerOf,
  type Direction, type GroupType, type InnerAccessPolicy, type IpProtocol, type NicType, type RuleSpec,
} from './model.js';

/**
 * A rule as the engine judges it: a rule referencing a prefix list carries the list's current
 * CIDR blocks (`prefixListCidrs`), so an edit of the list changes what the rule matches.
 */
export type EvaluatedRule = RuleSpec & { id?: string; prefixListCidrs?: readonly string[] };

export interface EvaluatedGroup {
  id: string;
  type: GroupType;
  innerAccessPolicy: InnerAccessPolicy;
  rules: EvaluatedRule[];
}

export interface Packet {
  direction: Direction;
  /** A concrete protocol; `all` is a rule wildcard, not a packet's protocol. */
  ipProtocol: Exclude<IpProtocol, 'all'>;
  /** Destination port of an inbound packet, or of the peer for an outbound one (tcp/udp). */
  port?: number;
  sourcePort?: number;
  /** The other side's address. */
  peerAddress?: string;
  /** The security groups of the other side when it is an instance on the internal network. */
  peerGroupIds?: string[];
  /** The instance's own address, for five-tuple rules. */
  localAddress?: string;
  /** Classic network only: which NIC the packet crosses. */
  nicType?: NicType;
}

export interface MatchedRule { groupId: string; rule: EvaluatedRule }

export interface AccessDecision {
  decision: 'Allow' | 'Deny';
  basis: 'platform' | 'intra-group' | 'rule' | 'default';
  decidingRule: MatchedRule | null;
  reason: string;
}

function inRange(range: string, value: number | undefined): boolean {
  if (!range || range === '-1/-1') return true;
  const r = parsePortRange(range);
  if (!r || value === undefined) return false;
  return value >= r[0] && value <= r[1];
}

function addressIn(cidr: string, ipv6Cidr: string, address: string | undefined): boolean {
  const range = cidr || ipv6Cidr;
  if (!range) return true;
  if (!address) return false;
  const fam = familyOfAddress(address);
  if (!fam || (fam === 6) !== Boolean(ipv6Cidr)) return false;
  return cidrContains(range, address);
}

/** Whether one rule applies to the packet. */
export function ruleMatches(rule: EvaluatedRule, p: Packet): boolean {
  if (rule.direction !== p.direction) return false;
  if (p.nicType && rule.nicType !== p.nicType) return false;
  if (rule.ipProtocol !== 'all' && rule.ipProtocol !== p.ipProtocol) return false;
  if (rule.ipProtocol !== 'all' && hasPorts(rule.ipProtocol)) {
    if (!inRange(rule.portRange, p.port)) return false;
    if (!inRange(rule.sourcePortRange, p.sourcePort)) return false;
  }
  const peer = peerOf(rule);
  if (peer.groupId) {
    if (!(p.peerGroupIds ?? []).includes(peer.groupId)) return false;
  } else if (peer.cidr || peer.ipv6Cidr) {
    if (!addressIn(peer.cidr, peer.ipv6Cidr, p.peerAddress)) return false;
  } else if (peer.prefixListId) {
    // Any entry of the list, as it is now; an empty list matches nothing.
    const inList = (rule.prefixListCidrs ?? []).some((c) => (c.includes(':') ? addressIn('', c, p.peerAddress) : addressIn(c, '', p.peerAddress)));
    if (!inList) return false;
  } else return false;
  const local = localOf(rule);
  return addressIn(local.cidr, local.ipv6Cidr, p.localAddress);
}

/** Orders matching rules: priority 1 first; at one priority drop before accept (guide L139). */
export function compareRules(a: RuleSpec, b: RuleSpec): number {
  if (a.priority !== b.priority) return a.priority - b.priority;
  if (a.policy !== b.policy) return a.policy === 'drop' ? -1 : 1;
  return 0;
}

function describeRule(m: MatchedRule): string {
  const r = m.rule;
  const peer = peerOf(r);
  const object = peer.groupId ? `security group ${peer.groupId}`
    : peer.prefixListId ? `prefix list ${peer.prefixListId} (${r.prefixListCidrs?.length ? r.prefixListCidrs.join(', ') : 'no entries'})`
      : peer.cidr || peer.ipv6Cidr;
  const ports = hasPorts(r.ipProtocol) ? ` port ${r.portRange}` : '';
  return `${r.policy} ${r.direction} ${r.ipProtocol}${ports} ${r.direction === 'ingress' ? 'from' : 'to'} ${object} at priority ${r.priority}`
    + ` (${r.id ? r.id + ' in ' : ''}${m.groupId})`;
}

/** SMTP, blocked outbound to the internet by the platform. */
export const BLOCKED_EGRESS_TCP_PORT = 25;

/**
 * Destinations that are not the internet: the private (RFC 1918), shared (RFC 6598, cloud
 * services at 100.64.0.0/10), loopback and link-local IPv4 blocks, IPv6 unique-local and link-local.
 */
export const NON_INTERNET_CIDRS: readonly string[] = [
  '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', 'fc00::/7', 'fe80::/10',
];

function isInternetAddress(address: string): boolean {
  const fam = familyOfAddress(address);
  if (!fam) return false;
  return !NON_INTERNET_CIDRS.some((c) => (c.includes(':') ? fam === 6 : fam === 4) && cidrContains(c, address));
}

/** The platform's block on outbound TCP 25 to the internet, if it applies to the packet. */
export function platformBlock(p: Packet): string | undefined {
  if (p.direction !== 'egress' || p.ipProtocol !== 'tcp' || p.port !== BLOCKED_EGRESS_TCP_PORT) return undefined;
  if (!p.peerAddress || !isInternetAddress(p.peerAddress)) return undefined;
  return 'Outbound TCP port 25 (SMTP) to the internet is blocked by the platform and cannot be opened by security group rules.';
}

export function evaluateAccess(groups: EvaluatedGroup[], p: Packet): AccessDecision {
  const blocked = platformBlock(p);
  if (blocked) return { decision: 'Deny', basis: 'platform', decidingRule: null, reason: blocked };
  if (groups.length === 0) {
    return { decision: 'Deny', basis: 'default', decidingRule: null, reason: 'The instance is in no security group.' };
  }
  const shared = groups.find((g) => g.type === 'normal' && g.innerAccessPolicy === 'Accept' && (p.peerGroupIds ?? []).includes(g.id));
  if (shared) {
    return {
      decision: 'Allow', basis: 'intra-group', decidingRule: null,
      reason: `Both sides are in basic security group ${shared.id}, whose InnerAccessPolicy Accept lets members reach each other regardless of rules.`,
    };
  }
  const matches: MatchedRule[] = [];
  for (const g of groups) for (const rule of g.rules) if (ruleMatches(rule, p)) matches.push({ groupId: g.id, rule });
  // Array.prototype.sort is stable, so equal rules keep group and creation order.
  matches.sort((a, b) => compareRules(a.rule, b.rule));
  const first = matches[0];
  if (first) {
    const overruled = matches.length > 1 ? `; ${matches.length - 1} other matching rule(s) rank lower` : '';
    return {
      decision: first.rule.policy === 'accept' ? 'Allow' : 'Deny', basis: 'rule', decidingRule: first,
      reason: `Decided by rule: ${describeRule(first)}${overruled}.`,
    };
  }
  if (p.direction === 'ingress') {
    return { decision: 'Deny', basis: 'default', decidingRule: null, reason: 'No rule matches; inbound traffic is denied by default.' };
  }
  const basic = groups.some((g) => g.type === 'normal');
  return basic
    ? { decision: 'Allow', basis: 'default', decidingRule: null, reason: 'No rule matches; outbound traffic of a basic security group is allowed by default.' }
    : { decision: 'Deny', basis: 'default', decidingRule: null, reason: 'No rule matches; an advanced security group denies outbound traffic by default.' };
}
