import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { prng } from '../helpers/random.js';
import {
  emptyRule, evaluateAccess, validateRule,
  type Direction, type EvaluatedGroup, type GroupContext, type GroupType, type InnerAccessPolicy, type Packet, type RuleInput, type RuleSpec,
} from '../../src/domain/security-rules/index.js';

const ACCOUNT = '1000000000000001';

function rule(direction: Direction, input: RuleInput, type: GroupType = 'normal', network: 'vpc' | 'classic' = 'vpc'): RuleSpec {
  const g: GroupContext = { type, network, accountId: ACCOUNT };
  return validateRule(input, direction, g, 'authorize').spec;
}
const inbound = (input: RuleInput) => rule('ingress', input);
const outbound = (input: RuleInput) => rule('egress', input);

function group(id: string, rules: RuleSpec[], type: GroupType = 'normal', inner?: InnerAccessPolicy): EvaluatedGroup {
  return { id, type, innerAccessPolicy: inner ?? (type === 'enterprise' ? 'Drop' : 'Accept'), rules };
}

const tcpIn = (port: number, from: string, extra: Partial<Packet> = {}): Packet => ({ direction: 'ingress', ipProtocol: 'tcp', port, peerAddress: from, ...extra });
const tcpOut = (port: number, to: string, extra: Partial<Packet> = {}): Packet => ({ direction: 'egress', ipProtocol: 'tcp', port, peerAddress: to, ...extra });

interface Case { name: string; groups: EvaluatedGroup[]; packet: Packet; want: 'Allow' | 'Deny'; basis?: string; rulePolicy?: 'accept' | 'drop'; rulePriority?: number }

const allowSsh1234 = inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '1.2.3.4/32' });
const scenario4 = [
  outbound({ IpProtocol: 'all', PortRange: '-1/-1', DestCidrIp: '0.0.0.0/0', Policy: 'drop', Priority: '2' }),
  outbound({ IpProtocol: 'tcp', PortRange: '1/65535', DestCidrIp: '1.2.3.4/32', Priority: '1' }),
];
const defaultSgRules = [
  inbound({ IpProtocol: 'icmp', SourceCidrIp: '0.0.0.0/0', Priority: '100' }),
  inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Priority: '100' }),
  inbound({ IpProtocol: 'tcp', PortRange: '3389/3389', SourceCidrIp: '0.0.0.0/0', Priority: '100' }),
];

const cases: Case[] = [
  // T-DEF-BASIC / T-DEF-ADV (guide L116, L250)
  { name: 'T-DEF-BASIC inbound denied', groups: [group('sg-a', [])], packet: tcpIn(22, '1.2.3.4'), want: 'Deny', basis: 'default' },
  { name: 'T-DEF-BASIC outbound allowed', groups: [group('sg-a', [])], packet: tcpOut(443, '8.8.8.8'), want: 'Allow', basis: 'default' },
  { name: 'T-DEF-ADV inbound denied', groups: [group('sg-e', [], 'enterprise')], packet: tcpIn(22, '1.2.3.4'), want: 'Deny' },
  { name: 'T-DEF-ADV outbound denied', groups: [group('sg-e', [], 'enterprise')], packet: tcpOut(443, '8.8.8.8'), want: 'Deny', basis: 'default' },
  {
    name: 'T-ADV-CONSOLE-EGRESS: allow-all outbound rule', want: 'Allow', basis: 'rule',
    groups: [group('sg-e', [rule('egress', { IpProtocol: 'all', DestCidrIp: '0.0.0.0/0' }, 'enterprise')], 'enterprise')], packet: tcpOut(443, '8.8.8.8'),
  },
  // T-INTRA-BASIC / T-INTRA-ADV (guide L124, L217) and ModifySecurityGroupPolicy's precedence
  { name: 'T-INTRA-BASIC members reach each other', groups: [group('sg-a', [])], packet: tcpIn(3306, '192.168.0.9', { peerGroupIds: ['sg-a'] }), want: 'Allow', basis: 'intra-group' },
  {
    name: 'InnerAccessPolicy Accept beats a drop rule', want: 'Allow', basis: 'intra-group',
    groups: [group('sg-a', [inbound({ IpProtocol: 'all', SourceCidrIp: '0.0.0.0/0', Policy: 'drop' })])], packet: tcpIn(22, '192.168.0.9', { peerGroupIds: ['sg-a'] }),
  },
  { name: 'InnerAccessPolicy Drop isolates members', groups: [group('sg-a', [], 'normal', 'Drop')], packet: tcpIn(22, '192.168.0.9', { peerGroupIds: ['sg-a'] }), want: 'Deny' },
  {
    name: 'InnerAccessPolicy Drop: a rule naming the group connects members', want: 'Allow', basis: 'rule',
    groups: [group('sg-a', [inbound({ IpProtocol: 'all', SourceGroupId: 'sg-a' })], 'normal', 'Drop')], packet: tcpIn(22, '192.168.0.9', { peerGroupIds: ['sg-a'] }),
  },
  { name: 'T-INTRA-ADV members isolated', groups: [group('sg-e', [], 'enterprise')], packet: tcpIn(22, '192.168.0.9', { peerGroupIds: ['sg-e'] }), want: 'Deny' },
  {
    name: 'T-INTRA-ADV a CIDR rule connects members', want: 'Allow',
    groups: [group('sg-e', [rule('ingress', { IpProtocol: 'all', SourceCidrIp: '192.168.0.0/24' }, 'enterprise')], 'enterprise')],
    packet: tcpIn(22, '192.168.0.9', { peerGroupIds: ['sg-e'] }),
  },
  // T-INTER-SG and scenario 1 (guide L338–341)
  { name: 'T-INTER-SG denied by default', groups: [group('sg-b', [])], packet: tcpIn(80, '192.168.0.7', { peerGroupIds: ['sg-a'] }), want: 'Deny' },
  {
    name: 'T-INTER-SG allowed by a rule naming sg-a', want: 'Allow', rulePolicy: 'accept',
    groups: [group('sg-b', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceGroupId: 'sg-a' })])], packet: tcpIn(80, '192.168.0.7', { peerGroupIds: ['sg-a'] }),
  },
  {
    name: 'scenario 1: a group rule does not match an address outside the group', want: 'Deny',
    groups: [group('sg-b', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceGroupId: 'sg-a' })])], packet: tcpIn(80, '192.168.0.7', { peerGroupIds: ['sg-c'] }),
  },
  // Scenario 2: classic, another account's group, internal NIC (guide L348–368)
  {
    name: 'scenario 2: cross-account group on the internal NIC', want: 'Allow',
    groups: [group('sg-a', [rule('ingress', { IpProtocol: 'tcp', PortRange: '1/65535', SourceGroupId: 'sg-b', SourceGroupOwnerId: '2000000000000002' }, 'normal', 'classic')])],
    packet: tcpIn(8080, '10.1.1.1', { peerGroupIds: ['sg-b'], nicType: 'intranet' }),
  },
  {
    name: 'scenario 2: the same rule does not open the Internet NIC', want: 'Deny',
    groups: [group('sg-a', [rule('ingress', { IpProtocol: 'tcp', PortRange: '1/65535', SourceGroupId: 'sg-b' }, 'normal', 'classic')])],
    packet: tcpIn(8080, '10.1.1.1', { peerGroupIds: ['sg-b'], nicType: 'internet' }),
  },
  // Scenario 3: only specified IPs (guide L370–387)
  { name: 'scenario 3: SSH from the allowed IP', groups: [group('sg-a', [allowSsh1234])], packet: tcpIn(22, '1.2.3.4'), want: 'Allow' },
  { name: 'scenario 3: SSH from elsewhere', groups: [group('sg-a', [allowSsh1234])], packet: tcpIn(22, '5.6.7.8'), want: 'Deny', basis: 'default' },
  {
    name: 'scenario 3: RDP from 10.0.0.0/8', want: 'Allow',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '3389/3389', SourceCidrIp: '10.0.0.0/8' })])], packet: tcpIn(3389, '10.20.30.40'),
  },
  // Scenario 4 / T-PRIO-ORDER (guide L389–405)
  { name: 'scenario 4: the allowed public IP', groups: [group('sg-a', scenario4)], packet: tcpOut(443, '1.2.3.4'), want: 'Allow', rulePriority: 1 },
  { name: 'scenario 4: any other IP', groups: [group('sg-a', scenario4)], packet: tcpOut(443, '8.8.8.8'), want: 'Deny', rulePriority: 2 },
  {
    name: 'scenario 4 with both at priority 1: drop wins', want: 'Deny', rulePolicy: 'drop',
    groups: [group('sg-a', [{ ...scenario4[0]!, priority: 1 }, scenario4[1]!])], packet: tcpOut(443, '1.2.3.4'),
  },
  // Scenario 5 (guide L407–413)
  {
    name: 'scenario 5: the denied IP', want: 'Deny',
    groups: [group('sg-a', [outbound({ IpProtocol: 'all', DestCidrIp: '1.2.3.4/32', Policy: 'drop' })])], packet: tcpOut(80, '1.2.3.4'),
  },
  {
    name: 'scenario 5: other outbound still allowed', want: 'Allow', basis: 'default',
    groups: [group('sg-a', [outbound({ IpProtocol: 'all', DestCidrIp: '1.2.3.4/32', Policy: 'drop' })])], packet: tcpOut(80, '1.2.3.5'),
  },
  // Scenario 6 and 8 (guide L415–429, L457–487)
  ...[22, 3389, 8080, 80, 443].map((port): Case => ({
    name: `scenarios 6/8: public ${port}`, want: 'Allow',
    groups: [group('sg-a', [22, 3389, 8080, 80, 443].map((p) => inbound({ IpProtocol: 'tcp', PortRange: `${p}/${p}`, SourceCidrIp: '0.0.0.0/0' })))],
    packet: tcpIn(port, '203.0.113.9'),
  })),
  {
    name: 'scenario 6: an unlisted port stays closed', want: 'Deny',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '8080/8080', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(8081, '203.0.113.9'),
  },
  {
    name: 'scenario 8b: HTTPS only from the listed IPs', want: 'Deny',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '443/443', SourceCidrIp: '1.2.3.4/32' })])], packet: tcpIn(443, '1.2.3.5'),
  },
  // Scenario 7 (guide L431–455): another account's instance, by private IP or by group
  {
    name: 'scenario 7a: by the peer private IP', want: 'Allow',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '172.16.0.5' })])], packet: tcpIn(22, '172.16.0.5'),
  },
  {
    name: 'scenario 7b: by the peer account group', want: 'Allow',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceGroupId: 'sg-x', SourceGroupOwnerId: '3000000000000003' })])],
    packet: tcpIn(22, '172.16.0.5', { peerGroupIds: ['sg-x'] }),
  },
  // T-PRIO-TIE (guide L139, L692)
  {
    name: 'T-PRIO-TIE: drop beats accept at equal priority', want: 'Deny', rulePolicy: 'drop',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' }), inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Policy: 'drop' })])],
    packet: tcpIn(80, '1.1.1.1'),
  },
  // T-MULTI-SG (guide L139): rules of all groups are merged
  {
    name: 'T-MULTI-SG: drop at 1 in SG2 beats allow at 5 in SG1', want: 'Deny', rulePriority: 1,
    groups: [group('sg-1', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Priority: '5' })]),
      group('sg-2', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Priority: '1', Policy: 'drop' })])],
    packet: tcpIn(22, '1.1.1.1'),
  },
  {
    name: 'T-MULTI-SG swapped: allow at 1 beats drop at 5', want: 'Allow', rulePriority: 1,
    groups: [group('sg-1', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Priority: '1' })]),
      group('sg-2', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', Priority: '5', Policy: 'drop' })])],
    packet: tcpIn(22, '1.1.1.1'),
  },
  // The user guide's priority scenarios (000 L2215–2240); scenario 2 follows the rule text (SPEC Decisions)
  {
    name: 'user guide scenario 1: reject 100 (newer) vs allow 100 (older)', want: 'Deny',
    groups: [group('sg-b2014', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: '100' })]),
      group('sg-a2015', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: '100', Policy: 'drop' })])],
    packet: tcpIn(80, '1.1.1.1'),
  },
  {
    name: 'user guide scenario 2 (documented inconsistency): reject at 90 beats allow at 100', want: 'Deny', rulePriority: 90,
    groups: [group('sg-a2015', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: '100' })]),
      group('sg-b2014', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: '90', Policy: 'drop' })])],
    packet: tcpIn(80, '1.1.1.1'),
  },
  {
    name: 'user guide scenario 3: reject 90 vs allow 100', want: 'Deny',
    groups: [group('sg-a2015', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: '90', Policy: 'drop' })]),
      group('sg-b2014', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0', Priority: '100' })])],
    packet: tcpIn(80, '1.1.1.1'),
  },
  // Typical applications (guide L516–528), FAQ NGINX on 8000 (L2334), T-DEFAULT-SG (L151–164)
  ...[20, 21].map((port): Case => ({
    name: `FTP 20/21 opens ${port}`, want: 'Allow',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '20/21', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(port, '1.1.1.1'),
  })),
  { name: 'FTP 20/21 leaves 22 closed', want: 'Deny', groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '20/21', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(22, '1.1.1.1') },
  { name: 'FAQ: only 80 open, NGINX on 8000 unreachable', want: 'Deny', groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(8000, '1.1.1.1') },
  { name: 'T-DEFAULT-SG: ping allowed', want: 'Allow', groups: [group('sg-d', defaultSgRules)], packet: { direction: 'ingress', ipProtocol: 'icmp', peerAddress: '1.1.1.1' } },
  { name: 'T-DEFAULT-SG: 3389 allowed at priority 100', want: 'Allow', rulePriority: 100, groups: [group('sg-d', defaultSgRules)], packet: tcpIn(3389, '1.1.1.1') },
  { name: 'T-DEFAULT-SG: 80 not opened', want: 'Deny', groups: [group('sg-d', defaultSgRules)], packet: tcpIn(80, '1.1.1.1') },
  // Matching details
  { name: 'an all rule matches udp', want: 'Allow', groups: [group('sg-a', [inbound({ IpProtocol: 'all', SourceCidrIp: '0.0.0.0/0' })])], packet: { direction: 'ingress', ipProtocol: 'udp', port: 53, peerAddress: '9.9.9.9' } },
  { name: 'an icmp rule does not match tcp', want: 'Deny', groups: [group('sg-a', [inbound({ IpProtocol: 'icmp', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(22, '9.9.9.9') },
  { name: 'a udp rule does not match tcp', want: 'Deny', groups: [group('sg-a', [inbound({ IpProtocol: 'udp', PortRange: '1/65535', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(22, '9.9.9.9') },
  { name: 'an ingress rule does not open egress', want: 'Deny', groups: [group('sg-e', [rule('ingress', { IpProtocol: 'all', SourceCidrIp: '0.0.0.0/0' }, 'enterprise')], 'enterprise')], packet: tcpOut(22, '9.9.9.9') },
  {
    name: 'five-tuple: DestCidrIp covers the local address', want: 'Allow',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', DestCidrIp: '192.168.1.0/24' })])], packet: tcpIn(22, '1.1.1.1', { localAddress: '192.168.1.5' }),
  },
  {
    name: 'five-tuple: another local address', want: 'Deny',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0', DestCidrIp: '192.168.1.0/24' })])], packet: tcpIn(22, '1.1.1.1', { localAddress: '192.168.2.5' }),
  },
  {
    name: 'source port range', want: 'Allow',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourcePortRange: '1024/65535', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(22, '1.1.1.1', { sourcePort: 40000 }),
  },
  {
    name: 'source port outside the range', want: 'Deny',
    groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourcePortRange: '1024/65535', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(22, '1.1.1.1', { sourcePort: 80 }),
  },
  { name: 'IPv6 range matches an IPv6 peer', want: 'Allow', groups: [group('sg-a', [inbound({ IpProtocol: 'all', Ipv6SourceCidrIp: '2001:db8::/32' })])], packet: tcpIn(22, '2001:db8::7') },
  { name: 'IPv6 range ignores an IPv4 peer', want: 'Deny', groups: [group('sg-a', [inbound({ IpProtocol: 'all', Ipv6SourceCidrIp: '::/0' })])], packet: tcpIn(22, '1.2.3.4') },
  { name: 'no groups: denied', want: 'Deny', groups: [], packet: tcpOut(22, '1.2.3.4') },
  // Outbound TCP 25 to the internet stays blocked whatever the rules say (002 L3203, 001 L726).
  { name: 'T-SMTP default outbound: port 25 to the internet blocked', want: 'Deny', basis: 'platform', groups: [group('sg-a', [])], packet: tcpOut(25, '8.8.8.8') },
  {
    name: 'T-SMTP allow-all egress at priority 1 does not open port 25', want: 'Deny', basis: 'platform',
    groups: [group('sg-a', [outbound({ IpProtocol: 'all', DestCidrIp: '0.0.0.0/0', Priority: '1' })])], packet: tcpOut(25, '203.0.113.9'),
  },
  {
    name: 'T-SMTP an explicit accept of tcp 25 does not open it', want: 'Deny', basis: 'platform',
    groups: [group('sg-e', [rule('egress', { IpProtocol: 'tcp', PortRange: '25/25', DestCidrIp: '0.0.0.0/0', Priority: '1' }, 'enterprise')], 'enterprise')], packet: tcpOut(25, '1.2.3.4'),
  },
  { name: 'T-SMTP IPv6 internet blocked too', want: 'Deny', basis: 'platform', groups: [group('sg-a', [outbound({ IpProtocol: 'all', Ipv6DestCidrIp: '::/0' })])], packet: tcpOut(25, '2001:db8::25') },
  { name: 'T-SMTP port 25 inside the VPC is the rules\' to decide', want: 'Allow', basis: 'default', groups: [group('sg-a', [])], packet: tcpOut(25, '192.168.1.20') },
  { name: 'T-SMTP port 587 to the internet follows the rules', want: 'Allow', basis: 'default', groups: [group('sg-a', [])], packet: tcpOut(587, '8.8.8.8') },
  { name: 'T-SMTP udp 25 is not SMTP', want: 'Allow', groups: [group('sg-a', [])], packet: { direction: 'egress', ipProtocol: 'udp', port: 25, peerAddress: '8.8.8.8' } },
  { name: 'T-SMTP inbound 25 follows the rules', want: 'Allow', basis: 'rule', groups: [group('sg-a', [inbound({ IpProtocol: 'tcp', PortRange: '25/25', SourceCidrIp: '0.0.0.0/0' })])], packet: tcpIn(25, '8.8.8.8') },
];

describe('the rule engine on the guides\' scenarios', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = evaluateAccess(c.groups, c.packet);
      assert.equal(d.decision, c.want, d.reason);
      if (c.basis) assert.equal(d.basis, c.basis);
      if (c.rulePolicy) assert.equal(d.decidingRule?.rule.policy, c.rulePolicy);
      if (c.rulePriority) assert.equal(d.decidingRule?.rule.priority, c.rulePriority);
      assert.equal(d.decidingRule === null, d.basis !== 'rule');
      assert.ok(d.reason.length > 10);
    });
  }
  it('names the deciding rule and its group', () => {
    const r = { ...inbound({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '1.2.3.4' }), id: 'sgr-1' };
    const d = evaluateAccess([group('sg-x', []), group('sg-y', [r])], tcpIn(22, '1.2.3.4'));
    assert.equal(d.decidingRule?.groupId, 'sg-y');
    assert.equal(d.decidingRule?.rule.id, 'sgr-1');
    assert.match(d.reason, /sgr-1/);
  });
});

// ---- property test: the engine against an independent brute-force model -----------------


function ipv4ToInt(s: string): number {
  return s.split('.').reduce((n, x) => n * 256 + Number(x), 0);
}

/** Independent of src: integer arithmetic on addresses, a scan for the best priority, no sorting. */
function model(groups: EvaluatedGroup[], p: Packet): { decision: 'Allow' | 'Deny'; best?: number } {
  if (groups.length === 0) return { decision: 'Deny' };
  for (const g of groups) if (g.type === 'normal' && g.innerAccessPolicy === 'Accept' && (p.peerGroupIds ?? []).includes(g.id)) return { decision: 'Allow' };
  let best = Infinity;
  let dropAtBest = false;
  for (const g of groups) {
    for (const r of g.rules) {
      if (r.direction !== p.direction) continue;
      if (r.ipProtocol !== 'all' && r.ipProtocol !== p.ipProtocol) continue;
      if (r.ipProtocol === 'tcp' || r.ipProtocol === 'udp') {
        const [lo, hi] = r.portRange.split('/').map(Number);
        if (p.port === undefined || p.port < lo! || p.port > hi!) continue;
      }
      const peerGroup = p.direction === 'ingress' ? r.sourceGroupId : r.destGroupId;
      const peerCidr = p.direction === 'ingress' ? r.sourceCidrIp : r.destCidrIp;
      if (peerGroup) {
        if (!(p.peerGroupIds ?? []).includes(peerGroup)) continue;
      } else {
        const [net, bits] = peerCidr.includes('/') ? peerCidr.split('/') : [peerCidr, '32'];
        const size = 2 ** (32 - Number(bits));
        const start = Math.floor(ipv4ToInt(net!) / size) * size;
        const a = ipv4ToInt(p.peerAddress!);
        if (a < start || a >= start + size) continue;
      }
      if (r.priority < best) { best = r.priority; dropAtBest = r.policy === 'drop'; }
      else if (r.priority === best && r.policy === 'drop') dropAtBest = true;
    }
  }
  if (best !== Infinity) return { decision: dropAtBest ? 'Deny' : 'Allow', best };
  if (p.direction === 'ingress') return { decision: 'Deny' };
  return { decision: groups.some((g) => g.type === 'normal') ? 'Allow' : 'Deny' };
}

describe('property: engine = brute-force model on random rule sets', () => {
  it('500 seeded cases, 20 packets each', () => {
    const rnd = prng(20261123);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const groupPool = ['sg-1', 'sg-2', 'sg-3', 'sg-4'];
    const cidrs = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.3/32', '10.1.2.3', '192.168.0.0/24', '192.168.0.128/25', '8.8.8.8/32'];
    const addresses = ['10.1.2.3', '10.1.9.9', '10.200.0.1', '192.168.0.5', '192.168.0.200', '8.8.8.8', '1.1.1.1'];
    const ports = [1, 22, 80, 443, 1024, 3389, 8080, 65535];
    const ranges = ['1/65535', '22/22', '80/80', '1/1024', '443/8080', '3389/3389', '1000/2000'];
    let checked = 0;
    let byRule = 0;
    for (let n = 0; n < 500; n++) {
      const type: GroupType = rnd() < 0.25 ? 'enterprise' : 'normal';
      const groups: EvaluatedGroup[] = [];
      const count = 1 + Math.floor(rnd() * 3);
      for (let gi = 0; gi < count; gi++) {
        const rules: RuleSpec[] = [];
        const rc = Math.floor(rnd() * 8);
        for (let ri = 0; ri < rc; ri++) {
          const r = emptyRule(pick(['ingress', 'egress'] as const));
          r.ipProtocol = pick(['tcp', 'udp', 'icmp', 'gre', 'all'] as const);
          r.portRange = r.ipProtocol === 'tcp' || r.ipProtocol === 'udp' ? pick(ranges) : '-1/-1';
          r.policy = type === 'enterprise' ? 'accept' : pick(['accept', 'drop'] as const);
          r.priority = type === 'enterprise' ? 1 : pick([1, 1, 2, 5, 50, 100]);
          const byGroup = type === 'normal' && rnd() < 0.3;
          if (r.direction === 'ingress') { if (byGroup) r.sourceGroupId = pick(groupPool); else r.sourceCidrIp = pick(cidrs); }
          else if (byGroup) r.destGroupId = pick(groupPool); else r.destCidrIp = pick(cidrs);
          rules.push(r);
        }
        const inner: InnerAccessPolicy = type === 'enterprise' ? 'Drop' : pick(['Accept', 'Drop'] as const);
        groups.push({ id: groupPool[gi]!, type, innerAccessPolicy: inner, rules });
      }
      for (let k = 0; k < 20; k++) {
        const packet: Packet = {
          direction: pick(['ingress', 'egress'] as const),
          ipProtocol: pick(['tcp', 'udp', 'icmp', 'gre'] as const),
          port: pick(ports),
          peerAddress: pick(addresses),
          peerGroupIds: groupPool.filter(() => rnd() < 0.25),
        };
        if (packet.ipProtocol === 'icmp' || packet.ipProtocol === 'gre') delete packet.port;
        const got = evaluateAccess(groups, packet);
        const want = model(groups, packet);
        const ctx = JSON.stringify({ n, k, packet, groups });
        assert.equal(got.decision, want.decision, ctx);
        if (want.best !== undefined) {
          byRule++;
          assert.equal(got.basis, 'rule', ctx);
          assert.equal(got.decidingRule!.rule.priority, want.best, ctx);
          assert.equal(got.decidingRule!.rule.policy, want.decision === 'Allow' ? 'accept' : 'drop', ctx);
        }
        checked++;
      }
    }
    assert.equal(checked, 10000);
    assert.ok(byRule > 2000, `enough packets decided by rules (${byRule})`);
  });
});
