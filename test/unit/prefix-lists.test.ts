/**
 * Prefix lists as pure rules: names, entries in standard form, the edit of a ModifyPrefixList,
 * the rule quota cost, a rule's family; the rule engine and the nftables compiler on rules that
 * reference a list (same verdicts, the list as a named interval set; `nft -c` accepts it as root).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsError } from '../../src/domain/errors.js';
import {
  applyEntryEdit, checkPrefixListDescription, checkPrefixListName, checkRuleFamily, entryEdit, initialEntries, normalizeEntryCidr,
  parseAddressFamily, ruleAddressFamily, ruleQuotaCost, type AddressFamily,
} from '../../src/domain/prefix-lists.js';
import { emptyRule, evaluateAccess, type EvaluatedGroup, type EvaluatedRule } from '../../src/domain/security-rules/index.js';
import { nicPrograms, renderRuleset, runProgram, type PolicyInput, type WirePacket } from '../../src/network/nft-compiler.js';
import { run, which } from '../../src/host/exec.js';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof EcsError) return e.code;
    throw e;
  }
  return 'ok';
}

describe('prefix list rules', () => {
  it('normalizes entry CIDRs or refuses them with the documented code', () => {
    const table: [string, AddressFamily, string][] = [
      ['192.168.1.100', 'IPv4', '192.168.1.100/32'],
      ['10.0.0.0/8', 'IPv4', '10.0.0.0/8'],
      [' 10.0.0.0/8 ', 'IPv4', '10.0.0.0/8'],
      ['10.0.0.1/8', 'IPv4', 'InvalidParameter.CidrMalformed'],
      ['10.0.0.0/33', 'IPv4', 'InvalidParameter.CidrMalformed'],
      ['010.0.0.1', 'IPv4', 'InvalidParameter.CidrMalformed'],
      ['2001:db8::/32', 'IPv4', 'InvalidParameter.CidrMalformed'],
      ['10.0.0.0/8', 'IPv6', 'InvalidParameter.CidrMalformed'],
      ['2001:0DB8:0000:0000:0000:0000:0000:0000/32', 'IPv6', '2001:db8::/32'],
      ['2001:fd01:0:0:0:0:0:0/32', 'IPv6', '2001:fd01::/32'],
      ['2001:db8::1', 'IPv6', '2001:db8::1/128'],
      ['2001:db8::1/32', 'IPv6', 'InvalidParameter.CidrMalformed'],
    ];
    for (const [cidr, family, want] of table) {
      let got: string;
      try { got = normalizeEntryCidr(cidr, family); } catch (e) { got = (e as EcsError).code; }
      assert.equal(got, want, `${cidr} (${family})`);
    }
  });

  it('checks names, descriptions and the address family', () => {
    const table: [() => unknown, string][] = [
      [() => checkPrefixListName('office'), 'ok'],
      [() => checkPrefixListName('办公网'), 'ok'],
      [() => checkPrefixListName('a'), 'InvalidParameter.PrefixListName'],
      [() => checkPrefixListName('1office'), 'InvalidParameter.PrefixListName'],
      [() => checkPrefixListName('com.aliyun.x'), 'InvalidParameter.PrefixListName'],
      [() => checkPrefixListName('com.alibabacloud'), 'InvalidParameter.PrefixListName'],
      [() => checkPrefixListName('https://x'), 'InvalidParameter.PrefixListName'],
      [() => checkPrefixListName('a'.repeat(129)), 'InvalidParameter.PrefixListName'],
      [() => checkPrefixListDescription(''), 'ok'],
      [() => checkPrefixListDescription('http://x'), 'InvalidDescription.Malformed'],
      [() => checkPrefixListDescription('x'.repeat(257)), 'InvalidDescription.Malformed'],
      [() => parseAddressFamily('ipv6'), 'ok'],
      [() => parseAddressFamily('IPv5'), 'InvalidParameter.AddressFamily'],
      [() => initialEntries([{ Cidr: '10.0.0.0/8', Description: 'x' }], 'IPv4', 5), 'InvalidParameter'],
      [() => initialEntries([{ Cidr: '10.0.0.0/8', Description: 'x'.repeat(33) }], 'IPv4', 5), 'InvalidParameter'],
      [() => initialEntries([{ Cidr: '10.0.0.1' }, { Cidr: '10.0.0.1/32' }], 'IPv4', 5), 'InvalidParameter.CidrDuplicated'],
      [() => initialEntries([{ Cidr: '10.0.0.0/8' }, { Cidr: '11.0.0.0/8' }], 'IPv4', 1), 'LimitExceed.MaxEntries'],
      [() => initialEntries(Array.from({ length: 201 }, (_, i) => ({ Cidr: `10.${i}.0.0/16` })), 'IPv4', 200), 'LimitExceed.Entry'],
      [() => initialEntries([{ Cidr: '' }], 'IPv4', 5), 'MissingParameter'],
    ];
    for (const [i, [fn, want]] of table.entries()) assert.equal(codeOf(fn), want, `case ${i}`);
  });

  it('applies an edit: removals, additions at the end, a re-added CIDR takes its new description', () => {
    const current = [{ cidr: '10.0.0.0/8', description: 'a' }, { cidr: '172.16.0.0/12', description: 'b' }];
    const next = applyEntryEdit(current, entryEdit([{ Cidr: '192.168.0.0/16', Description: 'cc' }, { Cidr: '10.0.0.0/8', Description: 'a2' }], [{ Cidr: '172.16.0.0/12' }], 'IPv4'), 3);
    assert.deepEqual(next, [{ cidr: '10.0.0.0/8', description: 'a2' }, { cidr: '192.168.0.0/16', description: 'cc' }]);
    assert.deepEqual(current[1], { cidr: '172.16.0.0/12', description: 'b' }, 'the current entries are not changed in place');
    const refusals: [() => unknown, string][] = [
      [() => entryEdit([{ Cidr: '10.0.0.0/8' }], [{ Cidr: '10.0.0.0/8' }], 'IPv4'), 'InvalidParameter.CidrDuplicated'],
      [() => entryEdit([{ Cidr: '10.0.0.0/8' }, { Cidr: '10.0.0.0/8' }], [], 'IPv4'), 'InvalidParameter.CidrDuplicated'],
      [() => applyEntryEdit(current, entryEdit([], [{ Cidr: '1.0.0.0/8' }], 'IPv4'), 3), 'InvalidParameter'],
      [() => applyEntryEdit(current, entryEdit([{ Cidr: '1.0.0.0/8' }, { Cidr: '2.0.0.0/8' }], [], 'IPv4'), 3), 'LimitExceed.MaxEntries'],
      [() => applyEntryEdit(current, entryEdit([{ Cidr: '1.0.0.0/8' }], [{ Cidr: '10.0.0.0/8' }], 'IPv4'), 2), 'ok'],
    ];
    for (const [i, [fn, want]] of refusals.entries()) assert.equal(codeOf(fn), want, `case ${i}`);
  });

  it('costs MaxEntries of the rule quota; a rule\'s family comes from its local CIDR or its ICMP version', () => {
    const caps = new Map([['pl-a', 150]]);
    assert.deepEqual([ruleQuotaCost('pl-a', caps), ruleQuotaCost('', caps), ruleQuotaCost('pl-unknown', caps)], [150, 1, 1]);
    const table: [Partial<EvaluatedRule>, AddressFamily | undefined][] = [
      [{ ipProtocol: 'tcp' }, undefined],
      [{ ipProtocol: 'icmp' }, 'IPv4'],
      [{ ipProtocol: 'icmpv6' }, 'IPv6'],
      [{ ipProtocol: 'tcp', destCidrIp: '192.168.0.0/24' }, 'IPv4'],
      [{ ipProtocol: 'tcp', ipv6DestCidrIp: '2001:db8::/64' }, 'IPv6'],
    ];
    for (const [x, want] of table) {
      const r = { ...emptyRule('ingress'), sourcePrefixListId: 'pl-a', ...x };
      assert.equal(ruleAddressFamily(r), want, JSON.stringify(x));
      assert.equal(codeOf(() => checkRuleFamily(r, 'IPv6')), want === 'IPv4' ? 'InvalidParam.PrefixListAddressFamilyMismatch' : 'ok');
    }
  });
});

describe('prefix list rules in the engine and on the wire', () => {
  const cidrs = ['198.51.100.0/24', '203.0.113.7/32', '10.0.0.0/8', '10.1.0.0/16'];
  const group: EvaluatedGroup = {
    id: 'sg-pl', type: 'normal', innerAccessPolicy: 'Drop', rules: [
      { ...emptyRule('ingress'), ipProtocol: 'tcp', portRange: '443/443', sourcePrefixListId: 'pl-web', prefixListCidrs: cidrs, priority: 5, id: 'sgr-1' },
      { ...emptyRule('ingress'), ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '10.1.2.0/24', policy: 'drop', priority: 1, id: 'sgr-2' },
      { ...emptyRule('ingress'), ipProtocol: 'tcp', portRange: '22/22', sourcePrefixListId: 'pl-empty', prefixListCidrs: [], priority: 1, id: 'sgr-3' },
      { ...emptyRule('egress'), ipProtocol: 'all', destPrefixListId: 'pl-web', prefixListCidrs: cidrs, policy: 'drop', priority: 1, id: 'sgr-4' },
      { ...emptyRule('ingress'), ipProtocol: 'tcp', portRange: '8443/8443', ipv6SourceCidrIp: '', sourcePrefixListId: 'pl-six', prefixListCidrs: ['2001:db8::/32'], priority: 1, id: 'sgr-5' },
    ],
  };
  const input: PolicyInput = { table: 'openecs_pl', nics: [{ instanceId: 'i-pl', ip: '192.168.0.10', groups: [group] }], members: {} };

  it('gives the engine\'s verdict and the compiled program\'s for every packet', () => {
    const [prog] = nicPrograms(input);
    const packets: [WirePacket, 'ingress' | 'egress', 'accept' | 'drop'][] = [
      [{ peerAddress: '198.51.100.9', proto: 'tcp', dport: 443 }, 'ingress', 'accept'],
      [{ peerAddress: '203.0.113.7', proto: 'tcp', dport: 443 }, 'ingress', 'accept'],
      [{ peerAddress: '203.0.113.8', proto: 'tcp', dport: 443 }, 'ingress', 'drop'],
      [{ peerAddress: '10.9.9.9', proto: 'tcp', dport: 443 }, 'ingress', 'accept'],
      [{ peerAddress: '10.1.2.3', proto: 'tcp', dport: 443 }, 'ingress', 'drop'],
      [{ peerAddress: '198.51.100.9', proto: 'tcp', dport: 22 }, 'ingress', 'drop'],
      [{ peerAddress: '2001:db8::5', proto: 'tcp', dport: 8443 }, 'ingress', 'accept'],
      [{ peerAddress: '198.51.100.9', proto: 'tcp', dport: 8443 }, 'ingress', 'drop'],
      [{ peerAddress: '198.51.100.9', proto: 'udp', dport: 53 }, 'egress', 'drop'],
      [{ peerAddress: '192.0.2.1', proto: 'udp', dport: 53 }, 'egress', 'accept'],
    ];
    for (const [p, direction, want] of packets) {
      const wire = runProgram(direction === 'ingress' ? prog!.ingress : prog!.egress, p, input.members);
      const engine = evaluateAccess([group], { direction, ipProtocol: p.proto, port: p.dport, peerAddress: p.peerAddress, peerGroupIds: [] });
      assert.equal(wire, want, `wire ${direction} ${p.peerAddress}:${p.dport}`);
      assert.equal(engine.decision === 'Allow' ? 'accept' : 'drop', want, `engine ${direction} ${p.peerAddress}:${p.dport}`);
    }
    const why = evaluateAccess([group], { direction: 'ingress', ipProtocol: 'tcp', port: 443, peerAddress: '198.51.100.9', peerGroupIds: [] });
    assert.equal(why.decidingRule?.rule.id, 'sgr-1');
    assert.match(why.reason, /prefix list pl-web \(198\.51\.100\.0\/24, /);
  });

  it('renders each referenced list as a named interval set, an empty one as nothing', async (t) => {
    const text = renderRuleset(input);
    assert.match(text, /  set pl_pl_web \{\n    type ipv4_addr\n    flags interval\n    auto-merge\n    elements = \{ 10\.0\.0\.0\/8, 10\.1\.0\.0\/16, 198\.51\.100\.0\/24, 203\.0\.113\.7\/32 \}\n  \}/);
    assert.match(text, /  set pl_pl_six \{\n    type ipv6_addr\n/);
    assert.match(text, /ip saddr @pl_pl_web tcp dport 443 accept/);
    assert.match(text, /ip6 saddr @pl_pl_six tcp dport 8443 accept/);
    assert.match(text, /ip daddr @pl_pl_web drop/);
    assert.doesNotMatch(text, /pl_empty/);
    if (!(await which('nft')) || (process.getuid && process.getuid() !== 0)) { t.skip('nft (root) not available'); return; }
    await run('nft', ['-c', '-f', '-'], { input: text });
  });
});
