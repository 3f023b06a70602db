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
 *
 * IPv6 (a NIC with IPv6 addresses, AssignIpv6Addresses): the same chains, keyed also by its IPv6
 * addresses (`ip6 saddr/daddr vmap`); family-neutral steps (a group as peer, the SMTP block) get
 * one line per family. Neighbour discovery and MLD pass everywhere; any other IPv6 not to or from
 * such a NIC is dropped, as all IPv6 is while no NIC has any. A `bridge` table checks each tap's
 * IPv6 source (its own addresses, link-local, or unspecified for DAD) and drops router
 * advertisements and redirects from guests, so a guest cannot borrow another's address.
 */
import { cidrContains, familyOfAddress } from '../domain/security-rules/cidr.js';
import { BLOCKED_EGRESS_TCP_PORT, compareRules, NON_INTERNET_CIDRS, type EvaluatedGroup, type EvaluatedRule } from '../domain/security-rules/evaluate.js';
import { hasPorts, localOf, parsePortRange, peerOf, type Direction, type RuleSpec } from '../domain/security-rules/model.js';

export const METADATA_ADDRESS = '100.100.100.200';

export interface NicPolicy {
  instanceId: string;
  /** The NIC's private IPv4 address. */
  ip: string;
  /** Its IPv6 addresses (canonical); none: no IPv6 reaches it. */
  ipv6?: string[];
  /** Its secondary private IPv4 addresses (AssignPrivateIpAddresses): they lead to the same chains. */
  secondaryIps?: string[];
  /** Its tap on the VPC bridge (the driver names it), for the IPv6 source check. */
  tap?: string;
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
  /** Only packets of this IP version (a five-tuple rule's local block is of one family). */
  family?: 4 | 6;
  /** The NIC's side of the packet is in this IPv6 block (a five-tuple rule's Ipv6DestCidrIp inbound / Ipv6SourceCidrIp outbound). */
  localCidr?: string;
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
 * five-tuple local constraint none of the NIC's addresses is in, or an unparseable port range
 * (the validator refuses those).
 */
export function ruleStep(rule: EvaluatedRule, nicIp: string, nicIpv6: readonly string[] = []): Match | null {
  const peer = peerOf(rule);
  const m: Match = {};
  if (peer.groupId) m.peerGroup = peer.groupId;
  else if (peer.cidr || peer.ipv6Cidr) m.peerCidr = peer.cidr || peer.ipv6Cidr;
  else if (peer.prefixListId && rule.prefixListCidrs?.length) m.peerPrefixList = { id: peer.prefixListId, cidrs: rule.prefixListCidrs };
  else return null;
  const local = localOf(rule);
  if (local.ipv6Cidr) {
    if (!nicIpv6.some((a) => cidrContains(local.ipv6Cidr, a))) return null;
    m.family = 6;
    m.localCidr = local.ipv6Cidr;
  }
  if (local.cidr) {
    if (!cidrContains(local.cidr, nicIp)) return null;
    m.family = 4;
  }
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

export function program(groups: EvaluatedGroup[], direction: Direction, nicIp: string, nicIpv6: readonly string[] = []): Program {
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
    const match = ruleStep(rule, nicIp, nicIpv6);
    if (match) steps.push({ match, verdict: rule.policy, why: describe(rule, groupId) });
  }
  if (direction === 'ingress') return { steps, fallback: 'drop', fallbackWhy: 'default inbound deny' };
  return groups.some((g) => g.type === 'normal')
    ? { steps, fallback: 'accept', fallbackWhy: 'default outbound allow (basic group)' }
    : { steps, fallback: 'drop', fallbackWhy: 'default outbound deny (advanced groups)' };
}

export function nicPrograms(input: PolicyInput): NicProgram[] {
  return input.nics.map((nic) => ({ nic, ingress: program(nic.groups, 'ingress', nic.ip, nic.ipv6), egress: program(nic.groups, 'egress', nic.ip, nic.ipv6) }));
}

/** What a packet meets on the wire, for `runProgram`. */
export interface WirePacket {
  peerAddress: string;
  proto: 'tcp' | 'udp' | 'icmp' | 'icmpv6' | 'gre';
  dport?: number;
  sport?: number;
  /** The NIC's own address the packet is to (inbound) or from (outbound), for five-tuple rules. */
  localAddress?: string;
}

function inCidr(cidr: string, address: string): boolean {
  const fam = familyOfAddress(address);
  return fam !== undefined && (fam === 6) === cidr.includes(':') && cidrContains(cidr, address);
}

function stepMatches(m: Match, p: WirePacket, members: Record<string, string[]>): boolean {
  if (m.family && familyOfAddress(p.peerAddress) !== m.family) return false;
  if (m.localCidr && !(p.localAddress && inCidr(m.localCidr, p.localAddress))) return false;
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

type Family = 4 | 6;

/** The IP versions a step is rendered for: the one its peer or local block names, else each the NIC has. */
function familiesOf(m: Match, nicFamilies: readonly Family[]): readonly Family[] {
  const own = m.family ?? (m.peerCidr ? (m.peerCidr.includes(':') ? 6 : 4) : m.peerPrefixList ? (isIpv6List(m.peerPrefixList.cidrs) ? 6 : 4) : undefined);
  return own ? [own] : nicFamilies;
}

/**
 * The step's match for one IP version (the peer is the source of an inbound packet and the
 * destination of an outbound one); undefined when it cannot match that version (a group without
 * IPv6 members: its IPv4 members are the named set, its IPv6 ones are written inline).
 */
function renderMatch(m: Match, direction: Direction, family: Family, members: Record<string, string[]>): string | undefined {
  const side = direction === 'ingress' ? 'saddr' : 'daddr';
  const ip = family === 6 ? 'ip6' : 'ip';
  const parts: string[] = [];
  if (m.peerGroup) {
    if (family === 4) parts.push(`ip ${side} @${setName(m.peerGroup)}`);
    else {
      const v6 = [...new Set((members[m.peerGroup] ?? []).filter((a) => familyOfAddress(a) === 6))].sort();
      if (!v6.length) return undefined;
      parts.push(`ip6 ${side} { ${v6.join(', ')} }`);
    }
  }
  if (m.internet) parts.push(`${ip} ${side} != { ${NON_INTERNET_CIDRS.filter((c) => c.includes(':') === (family === 6)).join(', ')} }`);
  if (m.peerCidr) parts.push(`${ip} ${side} ${m.peerCidr}`);
  if (m.peerPrefixList) parts.push(`${ip} ${side} @${prefixListSetName(m.peerPrefixList.id)}`);
  if (m.localCidr) parts.push(`ip6 ${direction === 'ingress' ? 'daddr' : 'saddr'} ${m.localCidr}`);
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

function renderChain(name: string, prog: Program, direction: Direction, nicFamilies: readonly Family[], members: Record<string, string[]>): string[] {
  const lines = [`  chain ${name} {`];
  for (const s of prog.steps) {
    for (const family of familiesOf(s.match, nicFamilies)) {
      const m = renderMatch(s.match, direction, family, members);
      if (m !== undefined) lines.push(`    ${m ? m + ' ' : ''}${renderVerdict(s.verdict, direction)} comment "${s.why.replace(/"/g, '')}"`);
    }
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
    const families: Family[] = p.nic.ipv6?.length ? [4, 6] : [4];
    out.push(...renderChain(`in_${ident(p.nic.instanceId)}`, p.ingress, 'ingress', families, input.members));
    out.push(...renderChain(`eg_${ident(p.nic.instanceId)}`, p.egress, 'egress', families, input.members));
  }
  // A NIC's secondary private addresses meet its chains as its primary one does (the first holder wins a duplicate).
  const v4 = unique.flatMap((p) => [p.nic.ip, ...(p.nic.secondaryIps ?? []).filter(isIpv4)].filter((a) => a === p.nic.ip || !seen.has(a) && !!seen.add(a)).map((a) => [a, ident(p.nic.instanceId)] as const));
  const ingressMap = v4.map(([a, id]) => `${a} : jump in_${id}`).join(', ');
  const egressMap = v4.map(([a, id]) => `${a} : jump eg_${id}`).join(', ');
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
  // The NICs' IPv6 addresses lead to the same chains (one NIC per address, as for IPv4).
  const seen6 = new Set<string>();
  const v6 = unique.flatMap((p) => (p.nic.ipv6 ?? []).filter((a) => (seen6.has(a) ? false : (seen6.add(a), true))).map((a) => [a, ident(p.nic.instanceId)] as const));
  const egress6 = v6.length ? [`    ip6 saddr vmap { ${v6.map(([a, id]) => `${a} : jump eg_${id}`).join(', ')} }`] : [];
  const ingress6 = v6.length ? [`    ip6 daddr vmap { ${v6.map(([a, id]) => `${a} : jump in_${id}`).join(', ')} }`] : [];
  // Neighbour discovery and MLD carry no sessions (conntrack leaves them untracked): they pass, as ARP does.
  const nd = v6.length ? [`    icmpv6 type { ${ND_TYPES.join(', ')} } accept`] : [];
  out.push(
    '  chain forward {', '    type filter hook forward priority filter; policy accept;',
    // Without IPv6 addresses (ECS VPCs have none unless enabled) no IPv6 crosses between guests;
    // with them, only IPv6 to or from a NIC's own addresses (the chains below), the rest at the end.
    '    ct state established,related accept', '    ct state invalid drop', ...(v6.length ? nd : ['    meta nfproto ipv6 drop']),
    ...isolation, ...egress, ...egress6, ...ingress, ...ingress6, ...nextHop, ...(v6.length ? ['    meta nfproto ipv6 drop'] : []), '  }',
    '  chain output {', '    type filter hook output priority filter; policy accept;',
    // DHCP answers from the namespace reach every guest, as ECS's DHCP does whatever the groups say.
    '    ct state established,related accept', '    udp sport 67 udp dport 68 accept', ...nd, ...ingress, ...ingress6, '  }',
    '  chain input {', '    type filter hook input priority filter; policy accept;',
    '    ct state established,related accept', `    ip daddr ${METADATA_ADDRESS} tcp dport 80 accept`, ...nd, ...egress, ...egress6, '  }',
    '}',
    ...renderSourceCheck(t, progs),
  );
  return out.join('\n') + '\n';
}

/** ICMPv6 a link needs whatever the groups say: neighbour discovery, router solicitation, MLD. */
const ND_TYPES = ['nd-neighbor-solicit', 'nd-neighbor-advert', 'nd-router-solicit', 'mld-listener-query', 'mld-listener-report', 'mld-listener-done', 'mld2-listener-report'];

/**
 * IPv6 anti-spoofing per tap, in a `bridge` table of the same name (the inet hooks see the bridge,
 * not the port): a NIC sends IPv6 only from its own addresses, link-local ones, or `::` (duplicate
 * address detection); a NIC without IPv6 addresses only from the last two. Router advertisements
 * and redirects from guests are dropped: the namespace is the only router. Rendered only while
 * some NIC has IPv6 (the driver removes the table once none has).
 */
function renderSourceCheck(t: string, progs: NicProgram[]): string[] {
  const nics = progs.filter((p) => p.nic.tap);
  if (!nics.some((p) => p.nic.ipv6?.length)) return [];
  const q = (tap: string) => `"${tap}"`;
  const taps = [...new Set(nics.map((p) => p.nic.tap!))].sort();
  const bare = [...new Set(nics.filter((p) => !p.nic.ipv6?.length).map((p) => p.nic.tap!))].sort();
  return [
    `add table bridge ${t}`, `delete table bridge ${t}`, `table bridge ${t} {`,
    '  chain prerouting {', '    type filter hook prerouting priority filter; policy accept;',
    `    iifname { ${taps.map(q).join(', ')} } icmpv6 type { nd-router-advert, nd-redirect } drop comment "guests are not routers"`,
    ...nics.filter((p) => p.nic.ipv6?.length).map((p) =>
      `    iifname ${q(p.nic.tap!)} ip6 saddr != { fe80::/10, ::, ${[...new Set(p.nic.ipv6)].sort().join(', ')} } drop comment "${p.nic.instanceId}: its own IPv6 addresses"`),
    ...(bare.length ? [`    iifname { ${bare.map(q).join(', ')} } ip6 saddr != { fe80::/10, :: } drop comment "no IPv6 addresses: link-local only"`] : []),
    '  }', '}',
  ];
}
