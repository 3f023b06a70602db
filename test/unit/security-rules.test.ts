import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsError } from '../../src/domain/errors.js';
import {
  cidrContains, cidrKey, normalizeCidr, renderPolicy, renderProtocol, ruleKey, validateRule,
  type Direction, type GroupContext, type RuleAction, type RuleInput, type RuleSpec,
} from '../../src/domain/security-rules/index.js';

const VPC: GroupContext = { type: 'normal', network: 'vpc', accountId: '1000000000000001' };
const ENT: GroupContext = { type: 'enterprise', network: 'vpc', accountId: '1000000000000001' };
const CLASSIC: GroupContext = { type: 'normal', network: 'classic', accountId: '1000000000000001' };

function codeOf(fn: () => unknown): string {
  try { fn(); } catch (e) { if (e instanceof EcsError) return e.code; throw e; }
  return 'OK';
}

const ok = (input: RuleInput, dir: Direction = 'ingress', g = VPC, action: RuleAction = 'authorize') => validateRule(input, dir, g, action).spec;

describe('rule validation: the codes of the metadata', () => {
  const tcp22 = { IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '0.0.0.0/0' };
  const cases: [string, RuleInput, Direction, GroupContext, RuleAction, string][] = [
    ['valid tcp', tcp22, 'ingress', VPC, 'authorize', 'OK'],
    ['protocol missing', { PortRange: '22/22', SourceCidrIp: '0.0.0.0/0' }, 'ingress', VPC, 'authorize', 'InvalidIpProtocol.ValueNotSupported'],
    ['protocol unknown', { ...tcp22, IpProtocol: 'sctp' }, 'ingress', VPC, 'authorize', 'InvalidIpProtocol.ValueNotSupported'],
    ['protocol any case', { ...tcp22, IpProtocol: 'TcP' }, 'ingress', VPC, 'authorize', 'OK'],
    // T-PORT-RANGE (guide L708–712)
    ['tcp port missing', { IpProtocol: 'tcp', SourceCidrIp: '0.0.0.0/0' }, 'ingress', VPC, 'authorize', 'InvalidPortRange.Malformed'],
    ['tcp 0/10', { ...tcp22, PortRange: '0/10' }, 'ingress', VPC, 'authorize', 'InvalidParam.PortRange'],
    ['tcp 1/65536', { ...tcp22, PortRange: '1/65536' }, 'ingress', VPC, 'authorize', 'InvalidParam.PortRange'],
    ['tcp 80', { ...tcp22, PortRange: '80' }, 'ingress', VPC, 'authorize', 'InvalidParam.PortRange'],
    ['tcp 200/1', { ...tcp22, PortRange: '200/1' }, 'ingress', VPC, 'authorize', 'InvalidParam.PortRange'],
    ['tcp 1/65535', { ...tcp22, PortRange: '1/65535' }, 'ingress', VPC, 'authorize', 'OK'],
    ['tcp -1/-1', { ...tcp22, PortRange: '-1/-1' }, 'ingress', VPC, 'authorize', 'OperationDenied'],
    ['tcp -1/-1 on modify', { ...tcp22, PortRange: '-1/-1' }, 'ingress', VPC, 'modify', 'InvalidParam.ProtocolAndPortRangeMismatch'],
    ['tcp -1/-1 on revoke', { ...tcp22, PortRange: '-1/-1' }, 'ingress', VPC, 'revoke', 'InvalidIpPortRange.Malformed'],
    ['icmp 80/80', { IpProtocol: 'icmp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' }, 'ingress', VPC, 'authorize', 'OperationDenied'],
    ['gre -1/-1', { IpProtocol: 'gre', PortRange: '-1/-1', SourceCidrIp: '0.0.0.0/0' }, 'ingress', VPC, 'authorize', 'OK'],
    ['all without port', { IpProtocol: 'all', SourceCidrIp: '0.0.0.0/0' }, 'ingress', VPC, 'authorize', 'OK'],
    ['source port bad', { ...tcp22, SourcePortRange: '9/1' }, 'ingress', VPC, 'authorize', 'InvalidSourcePortRange.Malformed'],
    ['source port on icmp', { IpProtocol: 'icmp', SourceCidrIp: '0.0.0.0/0', SourcePortRange: '1/2' }, 'ingress', VPC, 'authorize', 'InvalidSourcePortRange.Malformed'],
    ['policy bad', { ...tcp22, Policy: 'reject' }, 'ingress', VPC, 'authorize', 'InvalidPolicy.Malformed'],
    // T-PRIO-RANGE (guide L698)
    ['priority 0', { ...tcp22, Priority: '0' }, 'ingress', VPC, 'authorize', 'InvalidPriority.ValueNotSupported'],
    ['priority 101', { ...tcp22, Priority: '101' }, 'ingress', VPC, 'authorize', 'InvalidPriority.ValueNotSupported'],
    ['priority x', { ...tcp22, Priority: 'x' }, 'ingress', VPC, 'authorize', 'InvalidPriority.Malformed'],
    ['priority 100', { ...tcp22, Priority: '100' }, 'ingress', VPC, 'authorize', 'OK'],
    ['nic bad', { ...tcp22, NicType: 'eth0' }, 'ingress', VPC, 'authorize', 'InvalidNicType.ValueNotSupported'],
    ['no source', { IpProtocol: 'tcp', PortRange: '22/22' }, 'ingress', VPC, 'authorize', 'MissingParameter.Source'],
    ['no dest', { IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.0/8' }, 'egress', VPC, 'authorize', 'MissingParameter.Dest'],
    ['bad source cidr', { ...tcp22, SourceCidrIp: '300.1.1.1/8' }, 'ingress', VPC, 'authorize', 'InvalidSourceCidrIp.Malformed'],
    ['bad prefix', { ...tcp22, SourceCidrIp: '10.0.0.0/33' }, 'ingress', VPC, 'authorize', 'InvalidSourceCidrIp.Malformed'],
    ['bad dest cidr', { IpProtocol: 'all', DestCidrIp: '10.0.0' }, 'egress', VPC, 'authorize', 'InvalidDestCidrIp.Malformed'],
    ['bad ipv6', { IpProtocol: 'all', Ipv6SourceCidrIp: '2001:zz::/64' }, 'ingress', VPC, 'authorize', 'InvalidParam.Ipv6SourceCidrIp'],
    ['v4 and v6 source', { IpProtocol: 'all', SourceCidrIp: '10.0.0.0/8', Ipv6SourceCidrIp: '2001:db8::/32' }, 'ingress', VPC, 'authorize', 'InvalidParam.SourceIp'],
    ['v4 peer v6 local', { IpProtocol: 'all', SourceCidrIp: '10.0.0.0/8', Ipv6DestCidrIp: '2001:db8::/32' }, 'ingress', VPC, 'authorize', 'InvalidParameter.Conflict'],
    ['icmp with v6', { IpProtocol: 'icmp', Ipv6SourceCidrIp: '2001:db8::/32' }, 'ingress', VPC, 'authorize', 'InvalidParam.Ipv4ProtocolConflictWithIpv6Address'],
    ['icmpv6 with v4', { IpProtocol: 'icmpv6', SourceCidrIp: '10.0.0.0/8' }, 'ingress', VPC, 'authorize', 'InvalidParam.Ipv6ProtocolConflictWithIpv4Address'],
    ['icmpv6 with v6', { IpProtocol: 'ICMPv6', Ipv6SourceCidrIp: '2001:db8::/32' }, 'ingress', VPC, 'authorize', 'OK'],
    ['same source and dest', { IpProtocol: 'all', SourceCidrIp: '10.0.0.0/8', DestCidrIp: '10.0.0.0/8' }, 'ingress', VPC, 'authorize', 'InvalidParamter.Conflict'],
    ['description too long', { ...tcp22, Description: 'x'.repeat(513) }, 'ingress', VPC, 'authorize', 'InvalidSecurityGroupDiscription.Malformed'],
    ['description url', { ...tcp22, Description: 'http://x' }, 'ingress', VPC, 'authorize', 'InvalidSecurityGroupDiscription.Malformed'],
    // The list's existence and family are the action's checks (the store): the text is valid.
    ['prefix list', { IpProtocol: 'all', SourcePrefixListId: 'pl-1' }, 'ingress', VPC, 'authorize', 'OK'],
    ['prefix list ignored beside a CIDR', { IpProtocol: 'all', SourcePrefixListId: 'pl-1', SourceCidrIp: '10.0.0.0/8' }, 'ingress', VPC, 'authorize', 'OK'],
    ['prefix list on classic', { IpProtocol: 'all', SourcePrefixListId: 'pl-1' }, 'ingress', CLASSIC, 'authorize', 'NotSupported.ClassicNetworkPrefixList'],
    // T-ADV-NO-DROP / NO-PRIO / NO-SG-AUTH (guide L657)
    ['enterprise drop', { ...tcp22, Policy: 'drop' }, 'ingress', ENT, 'authorize', 'InvalidGroupParameter.OperationDenied'],
    ['enterprise group auth', { IpProtocol: 'all', SourceGroupId: 'sg-a' }, 'ingress', ENT, 'authorize', 'InvalidGroupParameter.OperationDenied'],
    ['enterprise priority 2', { ...tcp22, Priority: '2' }, 'ingress', ENT, 'authorize', 'InvalidPriority.ValueNotSupported'],
    ['enterprise accept 1', { ...tcp22, Priority: '1', Policy: 'Accept' }, 'ingress', ENT, 'authorize', 'OK'],
    // T-CLASSIC-INTERNAL-CIDR (guide L368, L702)
    ['classic intranet /24', { ...tcp22, SourceCidrIp: '10.0.0.0/24', NicType: 'intranet' }, 'ingress', CLASSIC, 'authorize', 'InvalidSourceCidrIp.Malformed'],
    ['classic intranet /32', { ...tcp22, SourceCidrIp: '10.0.0.1/32', NicType: 'intranet' }, 'ingress', CLASSIC, 'authorize', 'OK'],
    ['classic internet /24', { ...tcp22, SourceCidrIp: '10.0.0.0/24' }, 'ingress', CLASSIC, 'authorize', 'OK'],
    ['classic group over internet', { ...tcp22, SourceCidrIp: undefined, SourceGroupId: 'sg-a', NicType: 'internet' }, 'ingress', CLASSIC, 'authorize', 'InvalidNicType.Mismatch'],
  ];
  for (const [name, input, dir, g, action, code] of cases) {
    it(`${name} → ${code}`, () => assert.equal(codeOf(() => validateRule(input, dir, g, action)), code));
  }
});

describe('rule normalization', () => {
  it('defaults: accept, priority 1, intranet on VPC, -1/-1 for all', () => {
    const r = ok({ IpProtocol: 'ALL', SourceCidrIp: '10.0.0.0/8' });
    assert.deepEqual([r.policy, r.priority, r.nicType, r.portRange, r.ipProtocol], ['accept', 1, 'intranet', '-1/-1', 'all']);
  });
  it('classic defaults to internet; a VPC group forces intranet', () => {
    assert.equal(ok({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '1.2.3.4' }, 'ingress', CLASSIC).nicType, 'internet');
    assert.equal(ok({ IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '1.2.3.4', NicType: 'internet' }).nicType, 'intranet');
  });
  it('SourceCidrIp wins over SourceGroupId; the group owner defaults to the caller', () => {
    const both = ok({ IpProtocol: 'all', SourceCidrIp: '10.0.0.0/8', SourceGroupId: 'sg-a' });
    assert.equal(both.sourceGroupId, '');
    const byGroup = ok({ IpProtocol: 'all', SourceGroupId: 'sg-a' });
    assert.equal(byGroup.sourceGroupOwnerId, VPC.accountId);
    assert.equal(ok({ IpProtocol: 'all', SourceGroupId: 'sg-a', SourceGroupOwnerId: 42 }).sourceGroupOwnerId, '42');
    assert.equal(validateRule({ IpProtocol: 'all', SourceGroupId: 'sg-a', SourceGroupOwnerAccount: 'bob' }, 'ingress', VPC, 'authorize').ownerAccount, 'bob');
  });
  it('egress: the peer is Dest*, the local side Source*', () => {
    const r = ok({ IpProtocol: 'udp', PortRange: '53/53', DestCidrIp: '8.8.8.8', SourceCidrIp: '192.168.0.0/16' }, 'egress');
    assert.equal(r.destCidrIp, '8.8.8.8');
    assert.equal(r.sourceCidrIp, '192.168.0.0/16');
    assert.equal(ok({ IpProtocol: 'all', DestGroupId: 'sg-b' }, 'egress').destGroupId, 'sg-b');
    assert.equal(ok({ IpProtocol: 'all', DestPrefixListId: 'pl-b' }, 'egress').destPrefixListId, 'pl-b');
    assert.equal(ok({ IpProtocol: 'all', SourcePrefixListId: 'pl-a' }).sourcePrefixListId, 'pl-a');
    assert.equal(ok({ IpProtocol: 'all', SourcePrefixListId: 'pl-a', SourceGroupId: 'sg-a' }).sourcePrefixListId, '', 'SourceGroupId wins');
  });
  it('CIDRs: host bits cleared, IPv6 lower-cased and compressed, bare address kept', () => {
    assert.equal(normalizeCidr('10.1.2.3/8', 4), '10.0.0.0/8');
    assert.equal(normalizeCidr('1.2.3.4', 4), '1.2.3.4');
    assert.equal(normalizeCidr('2001:DB8:0:0::1/32', 6), '2001:db8::/32');
    assert.equal(normalizeCidr('010.0.0.1', 4), undefined);
    assert.equal(cidrKey('1.2.3.4'), cidrKey('1.2.3.4/32'));
    assert.equal(cidrContains('10.0.0.0/8', '10.200.1.1'), true);
    assert.equal(cidrContains('10.0.0.0/8', '11.0.0.1'), false);
    assert.equal(cidrContains('0.0.0.0/0', '8.8.8.8'), true);
    assert.equal(cidrContains('2001:db8::/32', '2001:db8:1::5'), true);
    assert.equal(cidrContains('10.0.0.0/8', '2001:db8::1'), false);
  });
  it('identity ignores the description and the spelling of one address', () => {
    const a = ok({ IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '1.2.3.4', Description: 'a' });
    const b = ok({ IpProtocol: 'TCP', PortRange: '22/22', SourceCidrIp: '1.2.3.4/32', Description: 'b' });
    assert.equal(ruleKey(a), ruleKey(b));
    const c: RuleSpec = { ...a, priority: 2 };
    assert.notEqual(ruleKey(a), ruleKey(c));
    assert.notEqual(ruleKey(a), ruleKey({ ...a, policy: 'drop' }));
  });
  it('renders as DescribeSecurityGroupAttribute does', () => {
    assert.deepEqual(['tcp', 'udp', 'icmp', 'icmpv6', 'gre', 'all'].map((p) => renderProtocol(p as any)), ['TCP', 'UDP', 'ICMP', 'ICMPv6', 'GRE', 'ALL']);
    assert.deepEqual([renderPolicy('accept'), renderPolicy('drop')], ['Accept', 'Drop']);
  });
});
