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

function compareAll(input: PolicyInput): { checked: number; mismatches: string[] } {
  const mismatches: string[] = [];
  let checked = 0;
  for (const prog of nicPrograms(input)) {
    for (const direction of ['ingress', 'egress'] as const) {
      for (const p of packets()) {
        const peerGroupIds = Object.entries(input.members).filter(([, ips]) => ips.includes(p.peerAddress)).map(([g]) => g);
        const expected = evaluateAccess(prog.nic.groups, {
          direction, ipProtocol: p.proto, port: p.dport, sourcePort: p.sport, peerAddress: p.peerAddress, peerGroupIds, localAddress: prog.nic.ip,
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
