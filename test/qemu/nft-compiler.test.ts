/**
 * The nftables compiler against the pure rule engine: for table-driven and random rule sets, every
 * sampled packet gets the same verdict from the compiled program as from `evaluateAccess`; the
 * rendered text has the expected shape, and nft itself accepts it (`nft -c`, when available).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyRule, evaluateAccess, type EvaluatedGroup, type RuleSpec } from '../../src/domain/security-rules/index.js';
import { nicPrograms, renderRuleset, runProgram, type NicPolicy, type PolicyInput, type WirePacket } from '../../src/network/nft-compiler.js';
import { prng } from '../helpers/random.js';
import { run, which } from '../../src/host/exec.js';

function rule(direction: 'ingress' | 'egress', x: Partial<RuleSpec>): RuleSpec {
  return { ...emptyRule(direction), ...x };
}

const sgA: EvaluatedGroup = {
  id: 'sg-a', type: 'normal', innerAccessPolicy: 'Accept', rules: [
    rule('ingress', { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0', priority: 1 }),
    rule('ingress', { ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '10.0.0.0/8', priority: 5 }),
    rule('ingress', { ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '10.1.0.0/16', priority: 5, policy: 'drop' }),
    rule('ingress', { ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '10.1.2.0/24', priority: 2 }),
    rule('ingress', { ipProtocol: 'udp', portRange: '53/53', sourcePortRange: '1000/2000', sourceCidrIp: '0.0.0.0/0', priority: 10 }),
    rule('ingress', { ipProtocol: 'icmp', portRange: '-1/-1', sourceGroupId: 'sg-b', priority: 1 }),
    rule('ingress', { ipProtocol: 'tcp', portRange: '8080/8080', sourceCidrIp: '0.0.0.0/0', destCidrIp: '172.16.0.0/12', priority: 1 }),
    rule('ingress', { ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '0.0.0.0/0', destCidrIp: '192.168.1.0/24', priority: 1 }),
    rule('ingress', { ipProtocol: 'all', portRange: '-1/-1', ipv6SourceCidrIp: '2001:db8::/32', priority: 1 }),
    rule('egress', { ipProtocol: 'tcp', portRange: '25/25', destCidrIp: '0.0.0.0/0', priority: 1, policy: 'drop' }),
    rule('egress', { ipProtocol: 'all', portRange: '-1/-1', destCidrIp: '192.168.0.0/16', priority: 100 }),
  ],
};
const sgB: EvaluatedGroup = {
  id: 'sg-b', type: 'normal', innerAccessPolicy: 'Drop', rules: [
    rule('ingress', { ipProtocol: 'gre', portRange: '-1/-1', sourceCidrIp: '10.0.0.0/8', priority: 3 }),
    rule('egress', { ipProtocol: 'udp', portRange: '1/65535', destGroupId: 'sg-a', priority: 1, policy: 'drop' }),
  ],
};
const sgC: EvaluatedGroup = {
  id: 'sg-c', type: 'enterprise', innerAccessPolicy: 'Drop', rules: [
    rule('ingress', { ipProtocol: 'tcp', portRange: '1/1024', sourceGroupId: 'sg-c', priority: 1 }),
    rule('egress', { ipProtocol: 'tcp', portRange: '443/443', destCidrIp: '0.0.0.0/0', priority: 1 }),
  ],
};

const members: Record<string, string[]> = {
  'sg-a': ['192.168.1.10', '192.168.1.20'],
  'sg-b': ['192.168.1.10', '192.168.1.11'],
  'sg-c': ['192.168.1.12', '192.168.1.13'],
};

const peers = ['8.8.8.8', '10.1.2.3', '10.1.9.9', '10.2.0.1', '192.168.1.20', '192.168.1.11', '192.168.1.13', '192.168.7.7', '2001:db8::1'];
const protos: WirePacket['proto'][] = ['tcp', 'udp', 'icmp', 'gre'];
const dports = [22, 25, 53, 80, 443, 8080, 5000];
const sports = [1500, 40000];

function packets(): WirePacket[] {
  const out: WirePacket[] = [];
  for (const peerAddress of peers) for (const proto of protos) {
    if (proto === 'tcp' || proto === 'udp') { for (const dport of dports) for (const sport of sports) out.push({ peerAddress, proto, dport, sport }); }
    else out.push({ peerAddress, proto });
  }
  return out;
}

/**
 * The NIC's addresses a packet from `peer` can be to: its IPv4 one, or for an IPv6 peer each of
 * its IPv6 ones (none without any: IPv6 never reaches its chains, the vmaps key on its addresses).
 */
function localsFor(nic: NicPolicy, peer: string): string[] {
  return peer.includes(':') ? nic.ipv6 ?? [] : [nic.ip];
}

function compareAll(input: PolicyInput, sample: () => WirePacket[] = packets): { checked: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let checked = 0;
  for (const prog of nicPrograms(input)) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const q of sample()) for (const localAddress of localsFor(prog.nic, q.peerAddress)) {
        const p = { ...q, localAddress };
        const peerGroupIds = Object.entries(input.members).filter(([, ips]) => ips.includes(p.peerAddress)).map(([g]) => g);
        const expected = evaluateAccess(prog.nic.groups, {
          direction, ipProtocol: p.proto, port: p.dport, sourcePort: p.sport, peerAddress: p.peerAddress, peerGroupIds, localAddress,
        }).decision === 'Allow' ? 'accept' : 'drop';
        const got = runProgram(direction === 'ingress' ? prog.ingress : prog.egress, p, input.members);
        checked++;
        if (got !== expected) mismatches.push(`${prog.nic.instanceId} ${direction} ${JSON.stringify(p)}: nft ${got}, engine ${expected}`);
      }
    }
  }
  return { checked, mismatches };
}

const nics: NicPolicy[] = [
  { instanceId: 'i-x', ip: '192.168.1.10', groups: [sgA, sgB] },
  { instanceId: 'i-y', ip: '192.168.1.11', groups: [sgB] },
  { instanceId: 'i-z', ip: '192.168.1.12', groups: [sgC] },
  { instanceId: 'i-none', ip: '192.168.1.14', groups: [] },
];

test('compiled programs decide every sampled packet as the rule engine does', () => {
  const { checked, mismatches } = compareAll({ table: 't', nics, members });
  assert.ok(checked > 1000);
  assert.deepEqual(mismatches, []);
});

test('table-driven verdicts: priority, drop beats accept, groups as sources, five-tuple, defaults', () => {
  const [x, , z, none] = nicPrograms({ table: 't', nics, members });
  const cases: [typeof x, 'ingress' | 'egress', WirePacket, 'accept' | 'drop', string][] = [
    [x!, 'ingress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 22 }, 'accept', 'ssh open to all'],
    [x!, 'ingress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 80 }, 'drop', 'no rule: default deny'],
    [x!, 'ingress', { peerAddress: '10.2.0.1', proto: 'tcp', dport: 80 }, 'accept', '10/8 accept at p5'],
    [x!, 'ingress', { peerAddress: '10.1.9.9', proto: 'tcp', dport: 80 }, 'drop', 'drop beats accept at equal priority'],
    [x!, 'ingress', { peerAddress: '10.1.2.3', proto: 'tcp', dport: 80 }, 'accept', 'priority 2 accept before p5 drop'],
    [x!, 'ingress', { peerAddress: '192.168.1.11', proto: 'icmp' }, 'accept', 'group as source (sg-b member)'],
    [x!, 'ingress', { peerAddress: '192.168.1.20', proto: 'tcp', dport: 5000 }, 'accept', 'intra-group Accept (sg-a)'],
    [x!, 'ingress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 8080 }, 'drop', 'five-tuple dest outside the NIC'],
    [x!, 'ingress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 443 }, 'accept', 'five-tuple dest holding the NIC'],
    [x!, 'ingress', { peerAddress: '8.8.8.8', proto: 'udp', dport: 53, sport: 1500 }, 'accept', 'source port in range'],
    [x!, 'ingress', { peerAddress: '8.8.8.8', proto: 'udp', dport: 53, sport: 40000 }, 'drop', 'source port out of range'],
    [x!, 'egress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 25 }, 'drop', 'egress drop'],
    [x!, 'egress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 443 }, 'accept', 'basic group: default outbound allow'],
    [z!, 'egress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 80 }, 'drop', 'advanced group: default outbound deny'],
    [z!, 'egress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 443 }, 'accept', 'advanced group egress rule'],
    [z!, 'ingress', { peerAddress: '192.168.1.13', proto: 'tcp', dport: 22 }, 'accept', 'advanced group: members only by rule'],
    [z!, 'ingress', { peerAddress: '192.168.1.13', proto: 'udp', dport: 22 }, 'drop', 'advanced group isolates members'],
    [none!, 'egress', { peerAddress: '8.8.8.8', proto: 'tcp', dport: 443 }, 'drop', 'no group: deny'],
  ];
  for (const [prog, dir, p, want, why] of cases) {
    assert.equal(runProgram(dir === 'ingress' ? prog.ingress : prog.egress, p, members), want, why);
  }
});

test('random rule sets: compiled programs agree with the rule engine', () => {
  const rnd = prng(20261123);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const cidrs = ['0.0.0.0/0', '10.0.0.0/8', '10.1.0.0/16', '10.1.2.3', '192.168.1.0/24', '192.168.1.20/32', '8.8.0.0/16'];
  const ranges = ['-1/-1', '22/22', '1/1024', '80/443', '53/53', '5000/9000', '1/65535'];
  for (let round = 0; round < 40; round++) {
    const groups: EvaluatedGroup[] = ['sg-a', 'sg-b', 'sg-c'].map((id) => ({
      id, type: rnd() < 0.25 ? 'enterprise' : 'normal', innerAccessPolicy: rnd() < 0.5 ? 'Accept' : 'Drop', rules: [],
    }));
    for (const g of groups) {
      const n = Math.floor(rnd() * 8);
      for (let i = 0; i < n; i++) {
        const direction = rnd() < 0.6 ? 'ingress' : 'egress';
        const ipProtocol = pick(['tcp', 'udp', 'icmp', 'gre', 'all'] as const);
        const ports = ipProtocol === 'tcp' || ipProtocol === 'udp';
        const peer = rnd() < 0.3 ? { group: pick(['sg-a', 'sg-b', 'sg-c']) } : { cidr: pick(cidrs) };
        const r = rule(direction, {
          ipProtocol, portRange: ports ? pick(ranges) : '-1/-1', sourcePortRange: ports && rnd() < 0.2 ? pick(['1000/2000', '40000/65535']) : '',
          policy: rnd() < 0.35 ? 'drop' : 'accept', priority: 1 + Math.floor(rnd() * 4),
        });
        if (direction === 'ingress') { if ('group' in peer) r.sourceGroupId = peer.group!; else r.sourceCidrIp = peer.cidr!; }
        else { if ('group' in peer) r.destGroupId = peer.group!; else r.destCidrIp = peer.cidr!; }
        if (rnd() < 0.1) { if (direction === 'ingress') r.destCidrIp = pick(['192.168.1.0/24', '172.16.0.0/12']); else r.sourceCidrIp = pick(['192.168.1.0/24', '172.16.0.0/12']); }
        g.rules.push(r);
      }
    }
    const input: PolicyInput = {
      table: 't', members,
      nics: [
        { instanceId: 'i-1', ip: '192.168.1.10', groups: [groups[0]!, groups[1]!] },
        { instanceId: 'i-2', ip: '192.168.1.12', groups: [groups[2]!] },
      ],
    };
    const { mismatches } = compareAll(input);
    assert.deepEqual(mismatches.slice(0, 5), [], `round ${round}`);
  }
});

test('outbound TCP 25 to the internet is dropped first in every egress chain, whatever the rules say', () => {
  const openAll: EvaluatedGroup = { id: 'sg-open', type: 'normal', innerAccessPolicy: 'Accept', rules: [
    rule('egress', { ipProtocol: 'all', portRange: '-1/-1', destCidrIp: '0.0.0.0/0', priority: 1 }),
    rule('egress', { ipProtocol: 'tcp', portRange: '25/25', destCidrIp: '0.0.0.0/0', priority: 1 }),
  ] };
  const input: PolicyInput = { table: 't', members: { 'sg-open': ['192.168.1.30'] }, nics: [{ instanceId: 'i-open', ip: '192.168.1.30', groups: [openAll] }] };
  const [open] = nicPrograms(input);
  const cases: [WirePacket, 'accept' | 'drop', string][] = [
    [{ peerAddress: '8.8.8.8', proto: 'tcp', dport: 25 }, 'drop', 'SMTP to the internet'],
    [{ peerAddress: '203.0.113.7', proto: 'tcp', dport: 25, sport: 40000 }, 'drop', 'any internet address'],
    [{ peerAddress: '192.168.7.7', proto: 'tcp', dport: 25 }, 'accept', 'SMTP inside the VPC follows the rules'],
    [{ peerAddress: '100.100.2.3', proto: 'tcp', dport: 25 }, 'accept', 'cloud services (100.64/10) are not the internet'],
    [{ peerAddress: '8.8.8.8', proto: 'tcp', dport: 587 }, 'accept', 'submission port follows the rules'],
    [{ peerAddress: '8.8.8.8', proto: 'udp', dport: 25 }, 'accept', 'udp 25 is not SMTP'],
  ];
  for (const [p, want, why] of cases) assert.equal(runProgram(open!.egress, p, input.members), want, why);
  assert.equal(runProgram(open!.ingress, { peerAddress: '8.8.8.8', proto: 'tcp', dport: 25 }, input.members), 'drop', 'inbound is the rules\' (none here)');
  const text = renderRuleset(input);
  assert.match(text, /chain eg_i_open \{\n    ip daddr != \{ 10\.0\.0\.0\/8, 172\.16\.0\.0\/12, 192\.168\.0\.0\/16, 100\.64\.0\.0\/10, 127\.0\.0\.0\/8, 169\.254\.0\.0\/16 \} tcp dport 25 drop comment "platform: /);
  assert.doesNotMatch(text, /chain in_i_open \{[^}]*platform/, 'ingress chains do not carry it');
  // A NIC in no group gets it too (its egress drops everything anyway, the block comes first).
  assert.match(renderRuleset({ table: 't', members: {}, nics: [{ instanceId: 'i-n', ip: '192.168.1.31', groups: [] }] }), /chain eg_i_n \{\n    ip daddr != \{[^}]*\} tcp dport 25 drop/);
});

test('rendered ruleset: atomic table replacement, sets, per-NIC chains, vmaps, metadata always reachable', () => {
  const text = renderRuleset({ table: 'openecs_t1', nics, members });
  assert.match(text, /^add table inet openecs_t1\ndelete table inet openecs_t1\ntable inet openecs_t1 \{/);
  assert.match(text, /set m_sg_b \{\n    type ipv4_addr\n    elements = \{ 192\.168\.1\.10, 192\.168\.1\.11 \}/);
  assert.match(text, /chain in_i_x \{\n    ip saddr @m_sg_a accept comment "intra-group sg-a"/);
  assert.match(text, /ip saddr 10\.1\.0\.0\/16 tcp dport 80 drop/);
  assert.match(text, /udp dport 53 udp sport 1000-2000 accept/);
  // Each egress chain opens with the platform's SMTP block (its address set holds braces).
  assert.match(text, /chain eg_i_x \{\n    ip daddr != \{[^}]*\} tcp dport 25 drop[^\n]*\n[^}]*tcp dport 25 drop[^}]*return comment "default outbound allow \(basic group\)"/);
  assert.match(text, /chain eg_i_z \{\n    ip daddr != \{[^}]*\} tcp dport 25 drop[^\n]*\n[^}]*drop comment "default outbound deny \(advanced groups\)"/);
  assert.match(text, /ip daddr vmap \{ 192\.168\.1\.10 : jump in_i_x, /);
  assert.match(text, /ip daddr 100\.100\.100\.200 tcp dport 80 accept/);
  assert.doesNotMatch(text, /8080/, 'a rule whose five-tuple destination excludes the NIC is left out');
  // Empty policy: still a valid table.
  assert.match(renderRuleset({ table: 'e', nics: [], members: {} }), /chain forward \{[^}]*ct state established,related accept\n {4}ct state invalid drop\n {4}meta nfproto ipv6 drop\n {2}\}/);
  assert.match(renderRuleset({ table: 'e', nics, members, bridges: ['obb', 'oba'] }),
    /iifname \. oifname != \{ "oba" \. "oba", "obb" \. "obb" \} iifname \{ "oba", "obb" \} drop/, 'VPCs are isolated');
});

test('nft accepts the rendered ruleset (check mode)', async (t) => {
  if (!(await which('nft')) || (process.getuid && process.getuid() !== 0)) { t.skip('nft (root) not available'); return; }
  for (const input of [{ table: 'openecs_check', nics, members, bridges: ['oba', 'obb'] }, { table: 'openecs_check', nics: [], members: {} }]) {
    await run('nft', ['-c', '-f', '-'], { input: renderRuleset(input) });
  }
});

// ---- IPv6: NICs with IPv6 addresses (AssignIpv6Addresses), IPv6 rules, the per-tap source check ----

const sg6: EvaluatedGroup = {
  id: 'sg-6', type: 'normal', innerAccessPolicy: 'Accept', rules: [
    rule('ingress', { ipProtocol: 'tcp', portRange: '80/80', ipv6SourceCidrIp: '2001:db8:0:1::/64', priority: 1 }),
    rule('ingress', { ipProtocol: 'tcp', portRange: '80/80', ipv6SourceCidrIp: '2001:db8:0:1::99', priority: 1, policy: 'drop' }),
    rule('ingress', { ipProtocol: 'tcp', portRange: '443/443', ipv6SourceCidrIp: '::/0', ipv6DestCidrIp: '2001:db8:0:1::5/128', priority: 1 }),
    rule('ingress', { ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: 'sg-p', destCidrIp: '192.168.1.0/24', priority: 1 }),
    rule('ingress', { ipProtocol: 'icmpv6', portRange: '-1/-1', sourceGroupId: 'sg-p', priority: 2 }),
    rule('egress', { ipProtocol: 'all', portRange: '-1/-1', ipv6DestCidrIp: '2001:db8:0:2::/64', priority: 1, policy: 'drop' }),
    rule('egress', { ipProtocol: 'tcp', portRange: '25/25', ipv6DestCidrIp: '::/0', priority: 1 }),
  ],
};
const sgP: EvaluatedGroup = { id: 'sg-p', type: 'normal', innerAccessPolicy: 'Drop', rules: [] };
const members6: Record<string, string[]> = {
  'sg-6': ['192.168.1.10', '2001:db8:0:1::5', '2001:db8:0:1::6', '192.168.1.11', '2001:db8:0:1::8'],
  'sg-p': ['192.168.1.12', '2001:db8:0:1::7'],
};
const nics6: NicPolicy[] = [
  { instanceId: 'i-6', ip: '192.168.1.10', ipv6: ['2001:db8:0:1::5', '2001:db8:0:1::6'], tap: 'ot6', groups: [sg6] },
  { instanceId: 'i-4', ip: '192.168.1.11', tap: 'ot4', groups: [sg6] },
  { instanceId: 'i-p', ip: '192.168.1.12', ipv6: ['2001:db8:0:1::7'], tap: 'otp', groups: [sgP] },
];
const input6: PolicyInput = { table: 'openecs_v6', nics: nics6, members: members6, bridges: ['oba'] };

function packets6(): WirePacket[] {
  const out: WirePacket[] = [];
  for (const peerAddress of ['2001:db8:0:1::7', '2001:db8:0:1::8', '2001:db8:0:1::99', '2001:db8:0:1::42', '2001:db8:0:2::1', '2400:3200::1', 'fd00::1', '8.8.8.8', '192.168.1.12']) {
    for (const proto of ['tcp', 'udp', 'icmpv6', 'icmp'] as const) {
      if (proto === 'tcp' || proto === 'udp') { for (const dport of [22, 25, 80, 443, 5000]) out.push({ peerAddress, proto, dport, sport: 40000 }); }
      else out.push({ peerAddress, proto });
    }
  }
  return out;
}

test('IPv6: compiled programs decide every sampled IPv6 and IPv4 packet as the rule engine does', () => {
  const { checked, mismatches } = compareAll(input6, packets6);
  assert.ok(checked > 300);
  assert.deepEqual(mismatches, []);
});

test('IPv6 table-driven verdicts: Ipv6SourceCidrIp, five-tuple Ipv6DestCidrIp, groups with IPv6 members, SMTP block', () => {
  const [x] = nicPrograms(input6);
  const cases: ['ingress' | 'egress', WirePacket, 'accept' | 'drop', string][] = [
    ['ingress', { peerAddress: '2001:db8:0:1::42', proto: 'tcp', dport: 80, localAddress: '2001:db8:0:1::5' }, 'accept', 'Ipv6SourceCidrIp /64'],
    ['ingress', { peerAddress: '2001:db8:0:1::99', proto: 'tcp', dport: 80, localAddress: '2001:db8:0:1::5' }, 'drop', 'drop beats accept at equal priority'],
    ['ingress', { peerAddress: '2400:3200::1', proto: 'tcp', dport: 80, localAddress: '2001:db8:0:1::5' }, 'drop', 'outside the block: default deny'],
    ['ingress', { peerAddress: '2400:3200::1', proto: 'tcp', dport: 443, localAddress: '2001:db8:0:1::5' }, 'accept', 'five-tuple: to the address its Ipv6DestCidrIp holds'],
    ['ingress', { peerAddress: '2400:3200::1', proto: 'tcp', dport: 443, localAddress: '2001:db8:0:1::6' }, 'drop', 'five-tuple: not to the NIC\'s other address'],
    ['ingress', { peerAddress: '2001:db8:0:1::7', proto: 'tcp', dport: 22, localAddress: '2001:db8:0:1::5' }, 'drop', 'an IPv4 five-tuple rule holds for IPv4 only'],
    ['ingress', { peerAddress: '192.168.1.12', proto: 'tcp', dport: 22, localAddress: '192.168.1.10' }, 'accept', 'the same rule over IPv4'],
    ['ingress', { peerAddress: '2001:db8:0:1::7', proto: 'icmpv6', localAddress: '2001:db8:0:1::5' }, 'accept', 'a group as source: its IPv6 members'],
    ['ingress', { peerAddress: '2001:db8:0:1::42', proto: 'icmpv6', localAddress: '2001:db8:0:1::5' }, 'drop', 'not a member'],
    ['ingress', { peerAddress: '2001:db8:0:1::8', proto: 'udp', dport: 5000, localAddress: '2001:db8:0:1::5' }, 'accept', 'intra-group Accept over IPv6'],
    ['egress', { peerAddress: '2001:db8:0:2::1', proto: 'tcp', dport: 80, localAddress: '2001:db8:0:1::5' }, 'drop', 'Ipv6DestCidrIp drop'],
    ['egress', { peerAddress: '2400:3200::1', proto: 'tcp', dport: 25, localAddress: '2001:db8:0:1::5' }, 'drop', 'SMTP to the IPv6 internet: the platform block'],
    ['egress', { peerAddress: 'fd00::1', proto: 'tcp', dport: 25, localAddress: '2001:db8:0:1::5' }, 'accept', 'unique-local is not the internet'],
  ];
  for (const [dir, p, want, why] of cases) assert.equal(runProgram(dir === 'ingress' ? x!.ingress : x!.egress, p, members6), want, why);
});

test('IPv6 random rule sets: compiled programs agree with the rule engine', () => {
  const rnd = prng(20261207);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const cidrs = ['::/0', '2001:db8::/32', '2001:db8:0:1::/64', '2001:db8:0:1::7', '2400:3200::/32', 'fd00::/8', '0.0.0.0/0', '192.168.1.0/24'];
  const locals = ['2001:db8:0:1::5/128', '2001:db8:0:1::/64', '2001:db8:0:9::/64', '192.168.1.0/24'];
  for (let round = 0; round < 12; round++) {
    const groups: EvaluatedGroup[] = ['sg-6', 'sg-p'].map((id) => ({ id, type: rnd() < 0.25 ? 'enterprise' : 'normal', innerAccessPolicy: rnd() < 0.5 ? 'Accept' : 'Drop', rules: [] }));
    for (const g of groups) {
      for (let i = Math.floor(rnd() * 8); i > 0; i--) {
        const direction = rnd() < 0.6 ? 'ingress' : 'egress';
        const ipProtocol = pick(['tcp', 'udp', 'icmpv6', 'all'] as const);
        const ports = ipProtocol === 'tcp' || ipProtocol === 'udp';
        const r = rule(direction, { ipProtocol, portRange: ports ? pick(['-1/-1', '22/22', '1/1024', '80/443', '25/25']) : '-1/-1', policy: rnd() < 0.35 ? 'drop' : 'accept', priority: 1 + Math.floor(rnd() * 4) });
        const peer = rnd() < 0.3 ? pick(['sg-6', 'sg-p']) : pick(cidrs);
        const local = rnd() < 0.25 ? pick(locals) : '';
        const isGroup = peer.startsWith('sg-');
        const v6 = peer.includes(':') || (isGroup && local.includes(':'));
        if (direction === 'ingress') {
          if (isGroup) r.sourceGroupId = peer; else if (v6) r.ipv6SourceCidrIp = peer; else r.sourceCidrIp = peer;
          if (local && (isGroup || v6 === local.includes(':'))) { if (local.includes(':')) r.ipv6DestCidrIp = local; else r.destCidrIp = local; }
        } else {
          if (isGroup) r.destGroupId = peer; else if (v6) r.ipv6DestCidrIp = peer; else r.destCidrIp = peer;
          if (local && (isGroup || v6 === local.includes(':'))) { if (local.includes(':')) r.ipv6SourceCidrIp = local; else r.sourceCidrIp = local; }
        }
        g.rules.push(r);
      }
    }
    const input: PolicyInput = { table: 't', members: members6, nics: [
      { instanceId: 'i-6', ip: '192.168.1.10', ipv6: ['2001:db8:0:1::5', '2001:db8:0:1::6'], groups: [groups[0]!] },
      { instanceId: 'i-p', ip: '192.168.1.12', ipv6: ['2001:db8:0:1::7'], groups: [groups[1]!] },
    ] };
    const { mismatches } = compareAll(input, packets6);
    assert.deepEqual(mismatches.slice(0, 5), [], `round ${round}`);
  }
});

test('IPv6 rendered: addresses in the vmaps, neighbour discovery passes, other IPv6 dropped, each tap sends from its own addresses only', () => {
  const text = renderRuleset(input6);
  assert.match(text, /ip6 saddr vmap \{ 2001:db8:0:1::5 : jump eg_i_6, 2001:db8:0:1::6 : jump eg_i_6, 2001:db8:0:1::7 : jump eg_i_p \}/);
  assert.match(text, /ip6 daddr vmap \{ 2001:db8:0:1::5 : jump in_i_6, 2001:db8:0:1::6 : jump in_i_6, 2001:db8:0:1::7 : jump in_i_p \}/);
  // The forward chain: ND first (ahead of the chains, whose defaults would drop it), the rest of IPv6 last.
  assert.match(text, /chain forward \{\n[^\n]*\n {4}ct state established,related accept\n {4}ct state invalid drop\n {4}icmpv6 type \{ nd-neighbor-solicit, nd-neighbor-advert, [^}]*\} accept\n/);
  assert.match(text, /jump in_i_p \}\n {4}meta nfproto ipv6 drop\n {2}\}\n {2}chain output/);
  assert.match(text, /chain output \{[^}]*icmpv6 type[^}]*\} accept\n {4}ip daddr vmap[^\n]*\n {4}ip6 daddr vmap/);
  assert.match(text, /chain input \{[^]*icmpv6 type[^\n]*accept\n {4}ip saddr vmap[^\n]*\n {4}ip6 saddr vmap/);
  // Family-neutral steps get an IPv6 line on a NIC with IPv6 (group members inline), none on one without.
  assert.match(text, /chain in_i_6 \{\n {4}ip saddr @m_sg_6 accept comment "intra-group sg-6"\n {4}ip6 saddr \{ 2001:db8:0:1::5, 2001:db8:0:1::6, 2001:db8:0:1::8 \} accept comment "intra-group sg-6"/);
  assert.match(text, /ip6 saddr ::\/0 ip6 daddr 2001:db8:0:1::5\/128 tcp dport 443 accept/);
  assert.match(text, /chain eg_i_6 \{\n {4}ip daddr != \{[^}]*\} tcp dport 25 drop[^\n]*\n {4}ip6 daddr != \{ fc00::\/7, fe80::\/10 \} tcp dport 25 drop/);
  assert.doesNotMatch(text.match(/chain in_i_4 \{[^}]*\}/)![0], /ip6 saddr \{|ip6 daddr/, 'a NIC without IPv6: no IPv6 group lines, no IPv6 five-tuple rules');
  assert.doesNotMatch(text, /set m6|type ipv6_addr/, 'IPv6 members are inline, the named sets stay IPv4');
  // The bridge table: per tap, its own addresses (and link-local, and :: for DAD); router advertisements dropped.
  assert.match(text, /add table bridge openecs_v6\ndelete table bridge openecs_v6\ntable bridge openecs_v6 \{\n {2}chain prerouting \{\n {4}type filter hook prerouting priority filter; policy accept;\n/);
  assert.match(text, /iifname \{ "ot4", "ot6", "otp" \} icmpv6 type \{ nd-router-advert, nd-redirect \} drop/);
  assert.match(text, /iifname "ot6" ip6 saddr != \{ fe80::\/10, ::, 2001:db8:0:1::5, 2001:db8:0:1::6 \} drop/);
  assert.match(text, /iifname "otp" ip6 saddr != \{ fe80::\/10, ::, 2001:db8:0:1::7 \} drop/);
  assert.match(text, /iifname \{ "ot4" \} ip6 saddr != \{ fe80::\/10, :: \} drop/);
  // No NIC with IPv6: the ruleset of before (all IPv6 dropped in forward, no bridge table), taps or not.
  const v4 = renderRuleset({ table: 'openecs_v4', nics: nics.map((n, i) => ({ ...n, tap: `ot${i}` })), members });
  assert.doesNotMatch(v4, /table bridge|ip6 saddr vmap|icmpv6 type/);
  assert.match(v4, /chain forward \{\n[^\n]*\n {4}ct state established,related accept\n {4}ct state invalid drop\n {4}meta nfproto ipv6 drop\n/);
});

test('nft accepts the rendered IPv6 ruleset (check mode)', async (t) => {
  if (!(await which('nft')) || (process.getuid && process.getuid() !== 0)) { t.skip('nft (root) not available'); return; }
  await run('nft', ['-c', '-f', '-'], { input: renderRuleset(input6) });
});
