/**
 * Turns one rule as sent on the wire (the legacy single-rule parameters or one `Permissions.N`
 * item; both use the same field names) into a normalized RuleSpec, or throws the code the
 * action's metadata lists. Checks that need the store (does the referenced group exist, same
 * VPC, limits) are the action's; everything decidable from the text is here.
 */
import { EcsError } from '../errors.js';
import { normalizeCidr, parseCidr } from './cidr.js';
import {
  emptyRule, hasPorts, parsePortRange, PROTOCOLS,
  type Direction, type GroupType, type IpProtocol, type NetworkType, type NicType, type RuleSpec,
} from './model.js';

export type RuleAction = 'authorize' | 'revoke' | 'modify';

export interface GroupContext {
  type: GroupType;
  network: NetworkType;
  /** The caller's account: the owner of an authorized group when no owner is named. */
  accountId: string;
}

export interface ValidatedRule {
  spec: RuleSpec;
  /** SourceGroupOwnerAccount / DestGroupOwnerAccount as sent (an account name or id) for the action to resolve. */
  ownerAccount: string;
}

/** Every rule field of the single-rule form; any of them next to `Permissions` is refused. */
export const RULE_FIELDS = [
  'Policy', 'Priority', 'IpProtocol', 'PortRange', 'SourcePortRange', 'NicType', 'Description',
  'SourceCidrIp', 'Ipv6SourceCidrIp', 'SourceGroupId', 'SourcePrefixListId', 'SourceGroupOwnerAccount', 'SourceGroupOwnerId',
  'DestCidrIp', 'Ipv6DestCidrIp', 'DestGroupId', 'DestPrefixListId', 'DestGroupOwnerAccount', 'DestGroupOwnerId',
] as const;

export type RuleInput = Partial<Record<(typeof RULE_FIELDS)[number], unknown>>;

function text(v: unknown): string {
  return v === undefined || v === null ? '' : String(v).trim();
}

const fail = (code: string, message: string) => new EcsError(code, message);

export function parseProtocol(v: unknown): IpProtocol {
  const s = text(v).toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(s)) {
    throw fail('InvalidIpProtocol.ValueNotSupported', 'The parameter IpProtocol must be specified with case insensitive TCP, UDP, ICMP, ICMPv6, GRE or All.');
  }
  return s as IpProtocol;
}

/**
 * PortRange per protocol (AuthorizeSecurityGroup PortRange; guide L705–712): tcp/udp `start/end`
 * within 1–65535 with start ≤ end; icmp, icmpv6, gre and all only `-1/-1` (the default when omitted).
 */
export function checkPortRange(protocol: IpProtocol, v: unknown, action: RuleAction, field = 'PortRange'): string {
  const s = text(v);
  const source = field === 'SourcePortRange';
  if (!s) {
    if (source || !hasPorts(protocol)) return source ? '' : '-1/-1';
    throw fail(action === 'modify' ? 'InvalidParam.PortRange' : 'InvalidPortRange.Malformed', 'The specified parameter PortRange must set.');
  }
  const range = parsePortRange(s);
  const malformed = () => source
    ? fail('InvalidSourcePortRange.Malformed', `The specified parameter SourcePortRange "${s}" is not valid.`)
    : fail('InvalidParam.PortRange', `The specified parameter PortRange "${s}" is not valid. It should be two integers less than 65535 in ?/? format.`);
  if (!range) throw malformed();
  const [lo, hi] = range;
  const wildcard = lo === -1 && hi === -1;
  if (!wildcard && (lo < 1 || hi > 65535 || lo > hi)) throw malformed();
  if (source) {
    // A source range narrows tcp/udp only; -1/-1 means any source port.
    if (wildcard) return '';
    if (!hasPorts(protocol)) throw malformed();
    return `${lo}/${hi}`;
  }
  if (hasPorts(protocol) === wildcard) {
    const code = action === 'authorize' ? 'OperationDenied' : action === 'modify' ? 'InvalidParam.ProtocolAndPortRangeMismatch' : 'InvalidIpPortRange.Malformed';
    throw fail(code, `The specified IpProtocol "${protocol}" and PortRange "${s}" do not match: tcp and udp take start/end within 1-65535, other protocols take -1/-1.`);
  }
  return `${lo}/${hi}`;
}

export function parsePolicy(v: unknown): 'accept' | 'drop' {
  const s = text(v).toLowerCase();
  if (!s) return 'accept';
  if (s !== 'accept' && s !== 'drop') throw fail('InvalidPolicy.Malformed', `The specified parameter Policy "${text(v)}" is not valid: accept or drop.`);
  return s;
}

/** Priority 1–100, 1 the highest and the default (guide L698). */
export function parsePriority(v: unknown): number {
  const s = text(v);
  if (!s) return 1;
  if (!/^[-+]?\d+$/.test(s)) throw fail('InvalidPriority.Malformed', `The parameter Priority "${s}" is invalid.`);
  const n = Number(s);
  if (n < 1 || n > 100) throw fail('InvalidPriority.ValueNotSupported', `The specified parameter Priority "${s}" is invalid: 1 to 100.`);
  return n;
}

export function parseNicType(v: unknown): NicType | undefined {
  const s = text(v).toLowerCase();
  if (!s) return undefined;
  if (s !== 'intranet' && s !== 'internet') throw fail('InvalidNicType.ValueNotSupported', `The specified NicType "${text(v)}" does not exist.`);
  return s;
}

/** Description: up to 512 characters, not starting with http:// or https:// (the API's text rule). */
export function checkRuleDescription(v: unknown): string {
  if (v === undefined || v === null) return '';
  const s = String(v);
  if ([...s].length > 512 || /^https?:\/\//i.test(s)) {
    throw fail('InvalidSecurityGroupDiscription.Malformed', 'The specified security group rule description parameter is not valid: at most 512 characters, not starting with http:// or https://.');
  }
  return s;
}

interface SideFields { cidr: string; ipv6: string; group: string; ownerAccount: string; ownerId: string; prefix: string }

function side(input: RuleInput, which: 'Source' | 'Dest'): SideFields {
  const i = input as Record<string, unknown>;
  return {
    cidr: text(i[`${which}CidrIp`]),
    ipv6: text(i[`Ipv6${which}CidrIp`]),
    group: text(i[`${which}GroupId`]),
    ownerAccount: text(i[`${which}GroupOwnerAccount`]),
    ownerId: text(i[`${which}GroupOwnerId`]),
    prefix: text(i[`${which}PrefixListId`]),
  };
}

function cidrCode(field: string, direction: Direction): string {
  switch (field) {
    case 'SourceCidrIp': return direction === 'ingress' ? 'InvalidSourceCidrIp.Malformed' : 'InvalidParam.SourceCidrIp';
    case 'DestCidrIp': return 'InvalidDestCidrIp.Malformed';
    case 'Ipv6SourceCidrIp': return 'InvalidParam.Ipv6SourceCidrIp';
    default: return 'InvalidParam.Ipv6DestCidrIp';
  }
}

function checkCidr(value: string, family: 4 | 6, field: string, direction: Direction): string {
  if (!value) return '';
  const n = normalizeCidr(value, family);
  if (n === undefined) throw fail(cidrCode(field, direction), `The specified parameter ${field} "${value}" is not valid.`);
  return n;
}

export function validateRule(input: RuleInput, direction: Direction, group: GroupContext, action: RuleAction): ValidatedRule {
  const r = emptyRule(direction);
  const ingress = direction === 'ingress';
  const peerWord = ingress ? 'Source' : 'Dest';
  const localWord = ingress ? 'Dest' : 'Source';
  const peer = side(input, peerWord);
  const local = side(input, localWord);

  r.ipProtocol = parseProtocol(input.IpProtocol);
  r.portRange = checkPortRange(r.ipProtocol, input.PortRange, action);
  r.sourcePortRange = checkPortRange(r.ipProtocol, input.SourcePortRange, action, 'SourcePortRange');
  r.policy = parsePolicy(input.Policy);
  r.priority = parsePriority(input.Priority);
  const nic = parseNicType(input.NicType);
  r.description = checkRuleDescription(input.Description);

  // Each side takes an IPv4 or an IPv6 range, not both (InvalidParam.SourceIp / DestIp).
  if (peer.cidr && peer.ipv6) throw fail(`InvalidParam.${peerWord}Ip`, `The Parameters ${peerWord}CidrIp and Ipv6${peerWord}CidrIp cannot be set at the same time.`);
  if (local.cidr && local.ipv6) throw fail(`InvalidParam.${localWord}Ip`, `The Parameters ${localWord}CidrIp and Ipv6${localWord}CidrIp cannot be set at the same time.`);
  const peerCidr = checkCidr(peer.cidr, 4, `${peerWord}CidrIp`, direction);
  const peerIpv6 = checkCidr(peer.ipv6, 6, `Ipv6${peerWord}CidrIp`, direction);
  const localCidr = checkCidr(local.cidr, 4, `${localWord}CidrIp`, direction);
  const localIpv6 = checkCidr(local.ipv6, 6, `Ipv6${localWord}CidrIp`, direction);

  // Precedence of the peer fields (SourceGroupId: "if both SourceGroupId and SourceCidrIp are
  // specified, SourceCidrIp wins"; SourcePrefixListId is ignored when any other is given).
  const byAddress = Boolean(peerCidr || peerIpv6);
  const peerGroup = byAddress ? '' : peer.group;
  const prefixList = byAddress || peerGroup ? '' : peer.prefix;
  if (!byAddress && !peerGroup && !prefixList) {
    throw fail(`MissingParameter.${peerWord}`, `One of the parameters ${peerWord}CidrIp, Ipv6${peerWord}CidrIp, ${peerWord}GroupId or ${peerWord}PrefixListId must be specified.`);
  }

  if ((peerCidr && localIpv6) || (peerIpv6 && localCidr)) {
    throw fail('InvalidParameter.Conflict', 'IPv6 and IPv4 addresses cannot exist at the same time.');
  }
  const anyV4 = Boolean(peerCidr || localCidr);
  const anyV6 = Boolean(peerIpv6 || localIpv6);
  if (r.ipProtocol === 'icmp' && anyV6) {
    throw fail(action === 'modify' ? 'InvalidParam.ProtocolAndAddressFamilyMismatch' : 'InvalidParam.Ipv4ProtocolConflictWithIpv6Address', 'IPv6 address cannot be specified for IPv4-specific protocol.');
  }
  if (r.ipProtocol === 'icmpv6' && anyV4) {
    throw fail(action === 'modify' ? 'InvalidParam.ProtocolAndAddressFamilyMismatch' : 'InvalidParam.Ipv6ProtocolConflictWithIpv4Address', 'IPv4 address cannot be specified for IPv6-specific protocol.');
  }
  if (peerCidr && localCidr && peerCidr === localCidr) {
    throw fail('InvalidParamter.Conflict', 'The specified SourceCidrIp should be different from the DestCidrIp.');
  }

  // Advanced (enterprise) groups: accept only, CIDR objects only, no priorities (guide L657, L692,
  // L698–699; SPEC Decisions).
  if (group.type === 'enterprise') {
    if (r.policy === 'drop' || peerGroup) {
      throw fail('InvalidGroupParameter.OperationDenied', 'The attributes Policy, SourceGroupId, DestGroupId of enterprise level security groups are not allowed to be set or modified.');
    }
    if (r.priority !== 1) throw fail('InvalidPriority.ValueNotSupported', 'Rules of an enterprise level security group have no priority; only 1 is allowed.');
  }

  // A prefix list's existence and address family are the action's to check (they need the store).
  if (prefixList && group.network === 'classic') {
    throw fail('NotSupported.ClassicNetworkPrefixList', 'The prefix list is not supported when the network type of security group is classic.');
  }

  // NicType: VPC rules are always intranet (the API: "only intranet"); classic defaults to
  // internet, and group authorization is internal only (guide L702).
  if (group.network === 'vpc') r.nicType = 'intranet';
  else if (peerGroup) {
    if (nic === 'internet') throw fail('InvalidNicType.Mismatch', 'The specified NicType conflicts with the authorization record: security group authorization is intranet only.');
    r.nicType = 'intranet';
  } else r.nicType = nic ?? 'internet';

  // Classic internal inbound rules by address take one host only, a.b.c.d/32 (guide L368, L702).
  if (group.network === 'classic' && ingress && r.nicType === 'intranet' && peerCidr && parseCidr(peerCidr, 4)!.prefix !== 32) {
    throw fail('InvalidSourceCidrIp.Malformed', 'An internal inbound rule of a classic network security group takes a single address (a.b.c.d/32).');
  }

  if (ingress) {
    Object.assign(r, { sourceCidrIp: peerCidr, ipv6SourceCidrIp: peerIpv6, sourceGroupId: peerGroup, sourcePrefixListId: prefixList, destCidrIp: localCidr, ipv6DestCidrIp: localIpv6 });
  } else {
    Object.assign(r, { destCidrIp: peerCidr, ipv6DestCidrIp: peerIpv6, destGroupId: peerGroup, destPrefixListId: prefixList, sourceCidrIp: localCidr, ipv6SourceCidrIp: localIpv6 });
  }
  let ownerAccount = '';
  if (peerGroup) {
    const ownerId = peer.ownerId || group.accountId;
    if (ingress) r.sourceGroupOwnerId = ownerId; else r.destGroupOwnerId = ownerId;
    ownerAccount = peer.ownerId ? '' : peer.ownerAccount;
  }
  return { spec: r, ownerAccount };
}
