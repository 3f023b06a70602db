/**
 * Security groups on the wire: compiles every instance NIC's effective rules to one nftables
 * table (inet family) for the instance network namespace. Pure: policy in, ruleset text out.
 *
 * Two stages, so the semantics can be tested without a kernel:
 * 1. `nicPrograms`: per NIC and direction an ordered list of {match, verdict} steps plus a
 *    default, built with the rule engine's own ordering (`compareRules`: smallest Priority first,
 *    drop before accept at equal priority; groups merged; intra-group Accept first; default
 *    inbound deny, outbound allow for basic groups) — `runProgram` interprets it on a packet;
 * 2. `renderRuleset`: the steps as nft text.
 *
 * Wire model (the namespace bridges instance taps and routes between vSwitches; br_netfilter
 * hands bridged IPv4 to the inet hooks, where conntrack works — the bridge family here has no
 * conntrack): groups are stateful (guide L107), so `ct state established,related accept` comes
 * first and only a session's first packet meets the rules. A packet from instance A to B runs
 * A's egress chain (drop, or `return` = allowed) and then B's ingress chain (accept / drop); a
 * packet routed to B as a route entry's next hop (its destination behind B) meets B's ingress chain.
 * Traffic the namespace itself originates (the host, tests) meets only the ingress chain; traffic
 * to the namespace (gateway, metadata service) only the egress chain, and the metadata service
 * (100.100.100.200:80) is always reachable, as on ECS. Every egress chain starts with the
 * platform's block on TCP 25 to the internet, which no rule can open (evaluate.ts `platformBlock`).
 */
import { cidrContains, familyOfAddress } from '../domain/security-rules/cidr.js';
import { BLOCKED_EGRESS_TCP_PORT, compareRules, NON_INTERNET_CIDRS, type EvaluatedGroup, type EvaluatedRule } from '../domain/security-rules/evaluate.js';
import { hasPorts, localOf, parsePortRange, peerOf, type Direction, type RuleSpec } from '../domain/security-rules/model.js';

export const METADATA_ADDRESS = '100.100.100.200';

export interface NicPolicy {
  instanceId: string;
  /** The NIC's private IPv4 address. */
  ip: string;
  /** The instance's groups, in their order, each with all its rules. */
  groups: EvaluatedGroup[];
}

export interface PolicyInput {
  /** nft table name (one per server data dir, so servers sharing a namespace do not collide). */
  table: string;
  nics: NicPolicy[];
  /** Member addresses of every group (those referenced by rules and the NICs' own groups). */
  members: Record<string, string[]>;
  /** The VPC bridges: traffic routed from one to another is dropped (VPCs are isolated). */
  bridges?: string[];
  /** The internet bridge (src/network/eip-wire.ts): every VPC may reach it, through its EIPs' NAT. */
  internet?: string;
}

/** One match step: every present field must hold. */
export interface Match {
  /** The peer address is in this CIDR (v4 `ip`, v6 `ip6`). */
  peerCidr?: string;
  /** The peer is a member of this group (an address set). */
  peerGroup?: string;
  /** The peer is in one of a prefix list's CIDR blocks (a named interval set of the list, `pl_<id>`). */
  peerPrefixList?: { id: string; cidrs: readonly string[] };
  /** The peer is on the internet: outside NON_INTERNET_CIDRS. */
  internet?: boolean;
  proto?: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'gre';
  /** Inclusive destination / source port ranges (tcp/udp). */
  dport?: [number, number];
  sport?: [number, number];
}

export type Verdict = 'accept' | 'drop';
export interface Step { match: Match; verdict: Verdict; why: string }
export interface Program { steps: Step[]; fallback: Verdict; fallbackWhy: string }
export interface NicProgram { nic: NicPolicy; ingress: Program; egress: Program }

function rangeOf(s: string): [number, number] | undefined {
  if (!s || s === '-1/-1') return undefined;
  return parsePortRange(s);
}

/**
 * A rule as a step, or null when it can never match this NIC: a prefix list with no entries, a
 * five-tuple local constraint the NIC's address is outside of, an IPv6 local constraint (guests
 * are IPv4-only), or an unparseable port range (the validator refuses those).
 */
export function ruleStep(rule: EvaluatedRule, nicIp: string): Match | null {
  const peer = peerOf(rule);
  const m: Match = {};
  if (peer.groupId) m.peerGroup = peer.groupId;
  else if (peer.cidr || peer.ipv6Cidr) m.peerCidr = peer.cidr || peer.ipv6Cidr;
  else if (peer.prefixListId && rule.prefixListCidrs?.length) m.peerPrefixList = { id: peer.prefixListId, cidrs: rule.prefixListCidrs };
  else return null;
  const local = localOf(rule);
  if (local.ipv6Cidr) return null;
  if (local.cidr && !cidrContains(local.cidr, nicIp)) return null;
  if (rule.ipProtocol !== 'all') {
    m.proto = rule.ipProtocol;
    if (hasPorts(rule.ipProtocol)) {
      if (rule.portRange && rule.portRange !== '-1/-1') {
        const r = rangeOf(rule.portRange);
        if (!r) return null;
        m.dport = r;
      }
      if (rule.sourcePortRange && rule.sourcePortRange !== '-1/-1') {
        const r = rangeOf(rule.sourcePortRange);
        if (!r) return null;
        m.sport = r;
      }
    }
  }
  return m;
}

function describe(rule: RuleSpec & { id?: string }, groupId: string) {
  return `${rule.id ?? 'rule'} ${groupId} p${rule.priority} ${rule.policy}`;
}

/** The platform's step ahead of every egress rule: SMTP to the internet is dropped (002 L3203). */
export const SMTP_BLOCK: Step = {
  match: { internet: true, proto: 'tcp', dport: [BLOCKED_EGRESS_TCP_PORT, BLOCKED_EGRESS_TCP_PORT] },
  verdict: 'drop', why: 'platform: outbound tcp 25 to the internet is blocked',
};

export function program(groups: EvaluatedGroup[], direction: Direction, nicIp: string): Program {
  const platform = direction === 'egress' ? [SMTP_BLOCK] : [];
  if (groups.length === 0) return { steps: platform, fallback: 'drop', fallbackWhy: 'in no security group' };
  const steps: Step[] = [...platform];
  // Intra-group Accept of basic groups precedes every rule (ModifySecurityGroupPolicy).
  for (const g of groups) {
    if (g.type === 'normal' && g.innerAccessPolicy === 'Accept') steps.push({ match: { peerGroup: g.id }, verdict: 'accept', why: `intra-group ${g.id}` });
  }
  const matching: { groupId: string; rule: EvaluatedRule }[] = [];
  for (const g of groups) for (const rule of g.rules) if (rule.direction === direction) matching.push({ groupId: g.id, rule });
  matching.sort((a, b) => compareRules(a.rule, b.rule));
  for (const { groupId, rule } of matching) {
    const match = ruleStep(rule, nicIp);
    if (match) steps.push({ match, verdict: rule.policy, why: describe(rule, groupId) });
  }
  if (direction === 'ingress') return { steps, fallback: 'drop', fallbackWhy: 'default inbound deny' };
  return groups.some((g) => g.type === 'normal')
    ? { steps, fallback: 'accept', fallbackWhy: 'default outbound allow (basic group)' }
    : { steps, fallback: 'drop', fallbackWhy: 'default outbound deny (advanced groups)' };
}

export function nicPrograms(input: PolicyInput): NicProgram[] {
  return input.nics.map((nic) => ({ nic, ingress: program(nic.groups, 'ingress', nic.ip), egress: program(nic.groups, 'egress', nic.ip) }));
}

/** What a packet meets on the wire, for `runProgram`. */
export interface WirePacket {
  peerAddress: string;
  proto: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'gre';
  dport?: number;
  sport?: number;
}

function inCidr(cidr: string, address: string): boolean {
  const fam = familyOfAddress(address);
  return fam !== undefined && (fam === 6) === cidr.includes(':') && cidrContains(cidr, address);
}

function stepMatches(m: Match, p: WirePacket, members: Record<string, string[]>): boolean {
  if (m.peerGroup && !(members[m.peerGroup] ?? []).includes(p.peerAddress)) return false;
  if (m.internet) {
    const fam = familyOfAddress(p.peerAddress);
    if (!fam || NON_INTERNET_CIDRS.some((c) => c.includes(':') === (fam === 6) && cidrContains(c, p.peerAddress))) return false;
  }
  if (m.peerCidr && !inCidr(m.peerCidr, p.peerAddress)) return false;
  if (m.peerPrefixList && !m.peerPrefixList.cidrs.some((c) => inCidr(c, p.peerAddress))) return false;
  if (m.proto && m.proto !== p.proto) return false;
  if (m.dport && (p.dport === undefined || p.dport < m.dport[0] || p.dport > m.dport[1])) return false;
  if (m.sport && (p.sport === undefined || p.sport < m.sport[0] || p.sport > m.sport[1])) return false;
  return true;
}

/** Interprets a program the way nft runs the rendered chain: first matching step decides. */
export function runProgram(prog: Program, p: WirePacket, members: Record<string, string[]>): Verdict {
  for (const s of prog.steps) if (stepMatches(s.match, p, members)) return s.verdict;
  return prog.fallback;
}

// ---- rendering ---------------------------------------------------------------------------

/** nft identifiers: letters, digits, underscore. */
export function ident(id: string) { return id.replace(/[^A-Za-z0-9_]/g, '_'); }
export function setName(groupId: string) { return `m_${ident(groupId)}`; }
export function prefixListSetName(listId: string) { return `pl_${ident(listId)}`; }

function isIpv6List(cidrs: readonly string[]) { return cidrs.some((c) => c.includes(':')); }

function ports(r: [number, number]) { return r[0] === r[1] ? String(r[0]) : `${r[0]}-${r[1]}`; }

const L4: Record<NonNullable<Match['proto']>, string> = { tcp: 'tcp', udp: 'udp', icmp: 'icmp', icmpv6: 'ipv6-icmp', gre: 'gre' };

/** The peer is the source of an inbound packet and the destination of an outbound one. */
function renderMatch(m: Match, direction: Direction): string {
  const side = direction === 'ingress' ? 'saddr' : 'daddr';
  const parts: string[] = [];
  if (m.peerGroup) parts.push(`ip ${side} @${setName(m.peerGroup)}`);
  // Guests are IPv4-only on the wire (the forward chain drops IPv6), so the IPv4 blocks suffice.
  if (m.internet) parts.push(`ip ${side} != { ${NON_INTERNET_CIDRS.filter((c) => !c.includes(':')).join(', ')} }`);
  if (m.peerCidr) parts.push(`${m.peerCidr.includes(':') ? 'ip6' : 'ip'} ${side} ${m.peerCidr}`);
  if (m.peerPrefixList) parts.push(`${isIpv6List(m.peerPrefixList.cidrs) ? 'ip6' : 'ip'} ${side} @${prefixListSetName(m.peerPrefixList.id)}`);
  if (m.proto) {
    if ((m.proto === 'tcp' || m.proto === 'udp') && (m.dport || m.sport)) {
      if (m.dport) parts.push(`${m.proto} dport ${ports(m.dport)}`);
      if (m.sport) parts.push(`${m.proto} sport ${ports(m.sport)}`);
    } else parts.push(`meta l4proto ${L4[m.proto]}`);
  }
  return parts.join(' ');
}

/** Egress chains end in `return` for an allowed packet, so the peer's ingress chain still runs. */
function renderVerdict(v: Verdict, direction: Direction) {
  return v === 'drop' ? 'drop' : direction === 'egress' ? 'return' : 'accept';
}

function renderChain(name: string, prog: Program, direction: Direction): string[] {
  const lines = [`  chain ${name} {`];
  for (const s of prog.steps) {
    const m = renderMatch(s.match, direction);
    lines.push(`    ${m ? m + ' ' : ''}${renderVerdict(s.verdict, direction)} comment "${s.why.replace(/"/g, '')}"`);
  }
  lines.push(`    ${renderVerdict(prog.fallback, direction)} comment "${prog.fallbackWhy}"`);
  lines.push('  }');
  return lines;
}

function isIpv4(a: string) { return familyOfAddress(a) === 4; }

/**
 * One interval set per referenced prefix list with its current entries (overlapping blocks such
 * as 10.0.0.0/8 and 10.1.0.0/16 are both valid entries: auto-merge folds them). An edit of the
 * list changes only these elements; the table is still replaced whole, atomically.
 */
function renderPrefixListSets(progs: NicProgram[]): string[] {
  const lists = new Map<string, readonly string[]>();
  for (const p of progs) for (const prog of [p.ingress, p.egress]) for (const s of prog.steps) {
    if (s.match.peerPrefixList) lists.set(s.match.peerPrefixList.id, s.match.peerPrefixList.cidrs);
  }
  const out: string[] = [];
  for (const [id, cidrs] of [...lists].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`  set ${prefixListSetName(id)} {`, `    type ${isIpv6List(cidrs) ? 'ipv6_addr' : 'ipv4_addr'}`, '    flags interval', '    auto-merge',
      `    elements = { ${[...cidrs].sort().join(', ')} }`, '  }');
  }
  return out;
}

/**
 * The whole table, replaced atomically by one `nft -f` transaction (`add` + `delete` makes the
 * delete safe when the table does not exist yet).
 */
export function renderRuleset(input: PolicyInput): string {
  const t = ident(input.table);
  const progs = nicPrograms(input);
  const out = [`add table inet ${t}`, `delete table inet ${t}`, `table inet ${t} {`];
  const groups = new Set<string>(Object.keys(input.members));
  for (const p of progs) for (const prog of [p.ingress, p.egress]) for (const s of prog.steps) if (s.match.peerGroup) groups.add(s.match.peerGroup);
  for (const g of [...groups].sort()) {
    const addrs = [...new Set((input.members[g] ?? []).filter(isIpv4))].sort();
    out.push(`  set ${setName(g)} {`, '    type ipv4_addr', ...(addrs.length ? [`    elements = { ${addrs.join(', ')} }`] : []), '  }');
  }
  out.push(...renderPrefixListSets(progs));
  const nics = progs.filter((p) => isIpv4(p.nic.ip));
  // One NIC per address: a duplicate (overlapping VPCs) would make the vmap invalid; the first wins.
  const seen = new Set<string>();
  const unique = nics.filter((p) => (seen.has(p.nic.ip) ? false : (seen.add(p.nic.ip), true)));
  for (const p of unique) {
    out.push(...renderChain(`in_${ident(p.nic.instanceId)}`, p.ingress, 'ingress'));
    out.push(...renderChain(`eg_${ident(p.nic.instanceId)}`, p.egress, 'egress'));
  }
  const ingressMap = unique.map((p) => `${p.nic.ip} : jump in_${ident(p.nic.instanceId)}`).join(', ');
  const egressMap = unique.map((p) => `${p.nic.ip} : jump eg_${ident(p.nic.instanceId)}`).join(', ');
  const egress = egressMap ? [`    ip saddr vmap { ${egressMap} }`] : [];
  const bridges = [...new Set(input.bridges ?? [])].sort();
  // Routed between two VPC bridges: another VPC (bridged or routed within one VPC keeps one bridge).
  const isolation = bridges.length
    ? [`    iifname . oifname != { ${bridges.map((b) => `"${b}" . "${b}"`).join(', ')} } iifname { ${bridges.map((b) => `"${b}"`).join(', ')} }${input.internet ? ` oifname != "${input.internet}"` : ''} drop`]
    : [];
  const ingress = ingressMap ? [`    ip daddr vmap { ${ingressMap} }`] : [];
  // Routed to a NIC as a custom route entry's next hop (src/network/route-wire.ts): the packet is
  // for an address behind it, and the next hop's ingress chain admits it or not, as on ECS.
  const nextHop = ingressMap ? [`    meta nfproto ipv4 rt ip nexthop vmap { ${ingressMap} }`] : [];
  out.push(
    '  chain forward {', '    type filter hook forward priority filter; policy accept;',
    // Guests get no IPv6 (ECS VPCs have none unless enabled), so none crosses between them unfiltered.
    '    ct state established,related accept', '    ct state invalid drop', '    meta nfproto ipv6 drop', ...isolation, ...egress, ...ingress, ...nextHop, '  }',
    '  chain output {', '    type filter hook output priority filter; policy accept;',
    // DHCP answers from the namespace reach every guest, as ECS's DHCP does whatever the groups say.
    '    ct state established,related accept', '    udp sport 67 udp dport 68 accept', ...ingress, '  }',
    '  chain input {', '    type filter hook input priority filter; policy accept;',
    '    ct state established,related accept', `    ip daddr ${METADATA_ADDRESS} tcp dport 80 accept`, ...egress, '  }',
    '}',
  );
  return out.join('\n') + '\n';
}
