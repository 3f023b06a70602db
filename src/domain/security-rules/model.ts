/**
 * A security group rule in the words of the API (AuthorizeSecurityGroup, DescribeSecurityGroupAttribute).
 * Ingress: the Source* fields name the peer and Dest* the instance side; egress the reverse.
 * Unset text fields are ''.
 */
import { cidrKey } from './cidr.js';

export type Direction = 'ingress' | 'egress';
export type IpProtocol = 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'gre' | 'all';
export type RulePolicy = 'accept' | 'drop';
export type NicType = 'intranet' | 'internet';
export type GroupType = 'normal' | 'enterprise';
export type NetworkType = 'vpc' | 'classic';
export type InnerAccessPolicy = 'Accept' | 'Drop';

export const PROTOCOLS: readonly IpProtocol[] = ['tcp', 'udp', 'icmp', 'icmpv6', 'gre', 'all'];

/** "The total number of inbound and outbound rules of a security group cannot exceed 200" (guide L658, L2367). */
export const MAX_RULES_PER_GROUP = 200;
/** "A basic security group can authorize at most 20 security groups" (AuthorizeSecurityGroup, SourceGroupId). */
export const MAX_AUTHORIZED_GROUPS = 20;
/** Rules with this priority are system-level and are not restored from a template (guide L1021). */
export const SYSTEM_RULE_PRIORITY = 110;

export interface RuleSpec {
  direction: Direction;
  ipProtocol: IpProtocol;
  portRange: string;
  sourcePortRange: string;
  policy: RulePolicy;
  priority: number;
  nicType: NicType;
  sourceCidrIp: string;
  ipv6SourceCidrIp: string;
  sourceGroupId: string;
  /** The account id owning SourceGroupId (the caller's when not given). */
  sourceGroupOwnerId: string;
  sourcePrefixListId: string;
  destCidrIp: string;
  ipv6DestCidrIp: string;
  destGroupId: string;
  destGroupOwnerId: string;
  destPrefixListId: string;
  description: string;
}

export interface SecurityGroupRule extends RuleSpec {
  id: string;
  securityGroupId: string;
  createdAt: number;
}

export function emptyRule(direction: Direction): RuleSpec {
  return {
    direction, ipProtocol: 'all', portRange: '-1/-1', sourcePortRange: '', policy: 'accept', priority: 1, nicType: 'intranet',
    sourceCidrIp: '', ipv6SourceCidrIp: '', sourceGroupId: '', sourceGroupOwnerId: '', sourcePrefixListId: '',
    destCidrIp: '', ipv6DestCidrIp: '', destGroupId: '', destGroupOwnerId: '', destPrefixListId: '', description: '',
  };
}

export interface Endpoint { cidr: string; ipv6Cidr: string; groupId: string; groupOwnerId: string; prefixListId: string }

/** The remote side of the rule: who may talk to (ingress) or be reached from (egress) the instance. */
export function peerOf(r: RuleSpec): Endpoint {
  return r.direction === 'ingress'
    ? { cidr: r.sourceCidrIp, ipv6Cidr: r.ipv6SourceCidrIp, groupId: r.sourceGroupId, groupOwnerId: r.sourceGroupOwnerId, prefixListId: r.sourcePrefixListId }
    : { cidr: r.destCidrIp, ipv6Cidr: r.ipv6DestCidrIp, groupId: r.destGroupId, groupOwnerId: r.destGroupOwnerId, prefixListId: r.destPrefixListId };
}

/** The instance side of a five-tuple rule (DestCidrIp of an ingress rule, SourceCidrIp of an egress rule). */
export function localOf(r: RuleSpec): { cidr: string; ipv6Cidr: string } {
  return r.direction === 'ingress' ? { cidr: r.destCidrIp, ipv6Cidr: r.ipv6DestCidrIp } : { cidr: r.sourceCidrIp, ipv6Cidr: r.ipv6SourceCidrIp };
}

/** The id of the security group a rule authorizes, or ''. */
export function referencedGroup(r: RuleSpec): string {
  return r.direction === 'ingress' ? r.sourceGroupId : r.destGroupId;
}

/**
 * Rule identity: everything but the description (guide L139, L692 compare protocol, ports, action,
 * object, priority). An Authorize with an identical tuple creates nothing; Revoke by tuple finds by it.
 */
export function ruleKey(r: RuleSpec): string {
  return JSON.stringify([
    r.direction, r.nicType, r.policy, r.priority, r.ipProtocol, r.portRange, r.sourcePortRange || '-1/-1',
    cidrKey(r.sourceCidrIp), cidrKey(r.ipv6SourceCidrIp), r.sourceGroupId, r.sourceGroupId ? r.sourceGroupOwnerId : '', r.sourcePrefixListId,
    cidrKey(r.destCidrIp), cidrKey(r.ipv6DestCidrIp), r.destGroupId, r.destGroupId ? r.destGroupOwnerId : '', r.destPrefixListId,
  ]);
}

/** IpProtocol as DescribeSecurityGroupAttribute renders it (responseDemo: `TCP`; the value list writes `ICMPv6`). */
export function renderProtocol(p: IpProtocol): string {
  return p === 'icmpv6' ? 'ICMPv6' : p.toUpperCase();
}

/** Policy as rendered: `Accept` / `Drop` (responseDemo). */
export function renderPolicy(p: RulePolicy): string {
  return p === 'accept' ? 'Accept' : 'Drop';
}

export function parsePortRange(s: string): [number, number] | undefined {
  const m = /^(-?\d+)\/(-?\d+)$/.exec(s.trim());
  if (!m) return undefined;
  return [Number(m[1]), Number(m[2])];
}

/** Whether the protocol carries ports (tcp/udp use `a/b`; icmp, gre and all use `-1/-1`, guide L705–712). */
export function hasPorts(p: IpProtocol): boolean {
  return p === 'tcp' || p === 'udp';
}

export function defaultInnerAccessPolicy(type: GroupType): InnerAccessPolicy {
  return type === 'enterprise' ? 'Drop' : 'Accept';
}
