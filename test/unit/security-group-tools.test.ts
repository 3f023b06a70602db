import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateAccess, ruleKey, validateRule, type GroupContext, type RuleInput, type RuleSpec } from '../../src/domain/security-rules/index.js';
import {
  DEFAULT_GROUP_DESCRIPTION, defaultGroupRules, isDefaultGroup, planClone, ruleAsInput, type GroupPlace,
} from '../../src/domain/security-rules/tools.js';

const ACC = '1000000000000001';
const VPC: GroupContext = { type: 'normal', network: 'vpc', accountId: ACC };
const CLASSIC: GroupContext = { type: 'normal', network: 'classic', accountId: ACC };
const ENTERPRISE: GroupContext = { type: 'enterprise', network: 'vpc', accountId: ACC };

const specs = (ctx: GroupContext, open: boolean) =>
  defaultGroupRules(ctx.network, open).map((d) => validateRule(d.input, d.direction, ctx, 'authorize').spec);

describe('default security group rules (guide 001:L149–164, L2323)', () => {
  const cases: [string, boolean, string[]][] = [
    ['without HTTP', false, ['icmp -1/-1', 'tcp 22/22', 'tcp 3389/3389']],
    ['with OpenHttpPorts', true, ['icmp -1/-1', 'tcp 22/22', 'tcp 3389/3389', 'tcp 80/80', 'tcp 443/443']],
  ];
  for (const [name, open, expected] of cases) {
    it(name, () => {
      const rules = specs(VPC, open);
      assert.deepEqual(rules.map((r) => `${r.ipProtocol} ${r.portRange}`), expected);
      for (const r of rules) {
        assert.deepEqual([r.direction, r.sourceCidrIp, r.policy, r.priority, r.nicType], ['ingress', '0.0.0.0/0', 'accept', 100, 'intranet']);
      }
    });
  }
  it('classic default rules are on the internet NIC', () => {
    assert.ok(specs(CLASSIC, false).every((r) => r.nicType === 'internet'));
  });

  const group = { id: 'sg-d', type: 'normal' as const, innerAccessPolicy: 'Accept' as const, rules: specs(VPC, false) };
  const table: [string, Parameters<typeof evaluateAccess>[1], 'Allow' | 'Deny'][] = [
    ['ssh from anywhere', { direction: 'ingress', ipProtocol: 'tcp', port: 22, peerAddress: '203.0.113.9' }, 'Allow'],
    ['rdp from anywhere', { direction: 'ingress', ipProtocol: 'tcp', port: 3389, peerAddress: '203.0.113.9' }, 'Allow'],
    ['ping', { direction: 'ingress', ipProtocol: 'icmp', peerAddress: '203.0.113.9' }, 'Allow'],
    ['http is opt-in', { direction: 'ingress', ipProtocol: 'tcp', port: 80, peerAddress: '203.0.113.9' }, 'Deny'],
    ['mysql closed', { direction: 'ingress', ipProtocol: 'tcp', port: 3306, peerAddress: '203.0.113.9' }, 'Deny'],
    ['all outbound allowed', { direction: 'egress', ipProtocol: 'udp', port: 53, peerAddress: '8.8.8.8' }, 'Allow'],
  ];
  for (const [name, packet, decision] of table) {
    it(`evaluates: ${name}`, () => assert.equal(evaluateAccess([group], packet).decision, decision));
  }

  it('isDefaultGroup: a normal group named by its id with the system description', () => {
    assert.equal(isDefaultGroup({ id: 'sg-1', name: 'sg-1', description: DEFAULT_GROUP_DESCRIPTION, type: 'normal' }), true);
    assert.equal(isDefaultGroup({ id: 'sg-1', name: 'web', description: DEFAULT_GROUP_DESCRIPTION, type: 'normal' }), false);
    assert.equal(isDefaultGroup({ id: 'sg-1', name: 'sg-1', description: 'mine', type: 'normal' }), false);
    assert.equal(isDefaultGroup({ id: 'sg-1', name: 'sg-1', description: DEFAULT_GROUP_DESCRIPTION, type: 'enterprise' }), false);
  });
});

describe('planClone (guide 001:L878–910)', () => {
  const inb = (ctx: GroupContext, i: RuleInput) => validateRule(i, 'ingress', ctx, 'authorize').spec;
  const outb = (ctx: GroupContext, i: RuleInput) => validateRule(i, 'egress', ctx, 'authorize').spec;
  const from: GroupPlace = { groupId: 'sg-src', regionId: 'cn-hangzhou', vpcId: 'vpc-a', accountId: ACC };
  const vpcRules: RuleSpec[] = [
    inb(VPC, { IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.0/8', Priority: '5', Description: 'ssh' }),
    inb(VPC, { IpProtocol: 'all', SourceGroupId: 'sg-src' }),
    inb(VPC, { IpProtocol: 'tcp', PortRange: '3306/3306', SourceGroupId: 'sg-other', Policy: 'drop' }),
    outb(VPC, { IpProtocol: 'udp', PortRange: '53/53', DestCidrIp: '8.8.8.8/32' }),
  ];
  const keysOf = (rs: RuleSpec[]) => rs.map(ruleKey).sort();

  it('ruleAsInput validates back to the same rule', () => {
    for (const r of vpcRules) assert.equal(ruleKey(validateRule(ruleAsInput(r), r.direction, VPC, 'authorize').spec), ruleKey(r));
  });

  const cases: [string, GroupPlace, GroupContext, { added: number; self?: boolean; skipped: string[] }][] = [
    ['same VPC: everything, self-reference renamed', { groupId: 'sg-new', regionId: 'cn-hangzhou', vpcId: 'vpc-a', accountId: ACC }, VPC, { added: 4, self: true, skipped: [] }],
    ['other VPC: the other group rule is skipped', { groupId: 'sg-new', regionId: 'cn-hangzhou', vpcId: 'vpc-b', accountId: ACC }, VPC, { added: 3, self: true, skipped: ['InvalidSourceGroupId.Mismatch'] }],
    ['other region: likewise', { groupId: 'sg-new', regionId: 'cn-beijing', vpcId: 'vpc-c', accountId: ACC }, VPC, { added: 3, self: true, skipped: ['InvalidSourceGroupId.Mismatch'] }],
    ['to an advanced group: drop rules and group rules are refused', { groupId: 'sg-new', regionId: 'cn-hangzhou', vpcId: 'vpc-a', accountId: ACC }, ENTERPRISE,
      { added: 1, skipped: ['InvalidGroupParameter.OperationDenied', 'InvalidGroupParameter.OperationDenied', 'InvalidPriority.ValueNotSupported'] }],
  ];
  for (const [name, to, ctx, want] of cases) {
    it(name, () => {
      const plan = planClone(vpcRules, from, to, ctx);
      assert.equal(plan.toAdd.length, want.added);
      assert.deepEqual(plan.skipped.map((s) => s.code).sort(), [...want.skipped].sort());
      if (want.self) {
        const self = plan.toAdd.find((r) => r.ipProtocol === 'all')!;
        assert.deepEqual([self.sourceGroupId, self.sourceGroupOwnerId], ['sg-new', ACC]);
      }
      if (want.added === 4) assert.deepEqual(keysOf(plan.toAdd.filter((r) => r.ipProtocol !== 'all')), keysOf(vpcRules.filter((r) => r.ipProtocol !== 'all')));
    });
  }

  it('classic → VPC: internet and intranet twins become one intranet rule', () => {
    const classic = [
      inb(CLASSIC, { IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '1.2.3.4/32', NicType: 'internet' }),
      inb(CLASSIC, { IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '1.2.3.4/32', NicType: 'intranet' }),
    ];
    const plan = planClone(classic, { ...from, vpcId: '' }, { groupId: 'sg-new', regionId: 'cn-hangzhou', vpcId: 'vpc-a', accountId: ACC }, VPC);
    assert.equal(plan.toAdd.length, 1);
    assert.equal(plan.toAdd[0]!.nicType, 'intranet');
    assert.deepEqual(plan.skipped.map((s) => [s.index, s.code]), [[1, 'Duplicate']]);
  });
});
