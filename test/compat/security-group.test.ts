/**
 * alicloud_security_group and alicloud_security_group_rule (terraform-calls.md §4, §5): tea RPC
 * for the group, the old SDK's DescribeSecurityGroupAttribute with Direction and NicType (the
 * literal `<nil>` when nic_type is not configured), Permissions.1.* on authorize, and the
 * CommonRequest GETs over HTTPS with flat parameters, sent twice, for modify and revoke.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, type Network } from '../helpers/fixtures.js';
import { fails, ok, ProviderClient } from './provider-client.js';
import { expectCleanSuccess, expectFields } from './expect.js';
import type { Doc } from './json.js';

const tok = () => `tf-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

describe('alicloud_security_group: create → read → update → read → delete', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let n: Network;
  let sg = '';
  let other = '';
  before(async () => { s = await startTestServer(); tf = ProviderClient.for(s); n = await createNetwork(s); });
  after(async () => { await s.close(); });

  const describeOne = (id: string) => tf.rpc('Ecs', 'DescribeSecurityGroups', { SecurityGroupId: id, RegionId: tf.region });

  it('CreateSecurityGroup, then (update on create) DescribeSecurityGroupAttribute and ModifySecurityGroupPolicy', async () => {
    other = ok(await tf.rpc('Ecs', 'CreateSecurityGroup', { RegionId: tf.region, ClientToken: tok(), VpcId: n.vpcId, SecurityGroupName: 'tf-other' })).str('SecurityGroupId');
    const d = ok(await tf.rpc('Ecs', 'CreateSecurityGroup', {
      RegionId: tf.region, ClientToken: tok(), SecurityGroupType: 'normal', Tag: [{ Key: 'env', Value: 'tf' }],
      Description: 'by terraform', VpcId: n.vpcId, SecurityGroupName: 'tf-sg',
    }));
    expectCleanSuccess(d);
    sg = d.str('SecurityGroupId');
    const a = ok(await tf.rpc('Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: sg, RegionId: tf.region }));
    assert.equal(a.str('SecurityGroupId'), sg);
    assert.equal(a.str('InnerAccessPolicy'), 'Accept');
    ok(await tf.rpc('Ecs', 'ModifySecurityGroupPolicy', { SecurityGroupId: sg, RegionId: tf.region, ClientToken: tok(), InnerAccessPolicy: 'Drop' }));
  });

  it('Read: DescribeSecurityGroups honours SecurityGroupId (element [0] is taken unchecked), then InnerAccessPolicy', async () => {
    for (const id of [sg, other]) {
      const d = ok(await describeOne(id));
      assert.equal(d.arr('SecurityGroups.SecurityGroup').length, 1, 'the filter must be applied');
      assert.equal(d.str('SecurityGroups.SecurityGroup[0].SecurityGroupId'), id);
    }
    const g = ok(await describeOne(sg)).at('SecurityGroups.SecurityGroup[0]');
    expectFields(g, { CreationTime: 's', Description: 's', ResourceGroupId: 's', SecurityGroupName: 's', SecurityGroupType: 's', VpcId: 's', 'Tags.Tag': 'a' }, 'SecurityGroup[0]');
    assert.equal(g.str('SecurityGroupName'), 'tf-sg');
    assert.equal(g.str('SecurityGroupType'), 'normal');
    assert.equal(g.str('VpcId'), n.vpcId);
    assert.deepEqual(g.plain('Tags.Tag'), [{ TagKey: 'env', TagValue: 'tf' }]);
    assert.equal(ok(await tf.rpc('Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: sg, RegionId: tf.region })).str('InnerAccessPolicy'), 'Drop');
  });

  it('update: ModifySecurityGroupAttribute, ModifySecurityGroupPolicy, JoinResourceGroup, UntagResources/TagResources', async () => {
    ok(await tf.rpc('Ecs', 'ModifySecurityGroupAttribute', { SecurityGroupId: sg, RegionId: tf.region, SecurityGroupName: 'tf-sg-2', Description: 'changed' }));
    ok(await tf.rpc('Ecs', 'ModifySecurityGroupPolicy', { SecurityGroupId: sg, RegionId: tf.region, ClientToken: tok(), InnerAccessPolicy: 'Accept' }));
    const rg = ok(await tf.rpc('ResourceManager', 'CreateResourceGroup', { Name: 'tf-sg-rg', DisplayName: 'sg rg' })).str('ResourceGroup.Id');
    ok(await tf.rpc('Ecs', 'JoinResourceGroup', { ResourceId: sg, RegionId: tf.region, ResourceType: 'securitygroup', ResourceGroupId: rg }));
    ok(await tf.rpc('Ecs', 'UntagResources', { ResourceId: [sg], RegionId: tf.region, TagKey: ['env'], ResourceType: 'securitygroup' }));
    ok(await tf.rpc('Ecs', 'TagResources', { ResourceId: [sg], RegionId: tf.region, Tag: [{ Key: 'tier', Value: 'web' }], ResourceType: 'securitygroup' }));
    const g = ok(await describeOne(sg)).at('SecurityGroups.SecurityGroup[0]');
    assert.equal(g.str('SecurityGroupName'), 'tf-sg-2');
    assert.equal(g.str('Description'), 'changed');
    assert.equal(g.str('ResourceGroupId'), rg);
    assert.deepEqual(g.plain('Tags.Tag'), [{ TagKey: 'tier', TagValue: 'web' }]);
    assert.equal(ok(await tf.rpc('Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: sg, RegionId: tf.region })).str('InnerAccessPolicy'), 'Accept');
  });

  it('delete: DeleteSecurityGroup; then the Read finds an empty list; a second delete is NotFound', async () => {
    ok(await tf.rpc('Ecs', 'DeleteSecurityGroup', { SecurityGroupId: sg, RegionId: tf.region }));
    assert.deepEqual(ok(await describeOne(sg)).arr('SecurityGroups.SecurityGroup'), []);
    const again = fails(await tf.rpc('Ecs', 'DeleteSecurityGroup', { SecurityGroupId: sg, RegionId: tf.region }));
    assert.ok(again.isNotFound || again.isExpected(['InvalidSecurityGroupId.NotFound']), again.describe());
    fails(await tf.rpc('Ecs', 'DescribeSecurityGroupAttribute', { SecurityGroupId: sg, RegionId: tf.region }), 'InvalidSecurityGroupId.NotFound');
  });

  it('DeleteSecurityGroup of a group in use answers DependencyViolation (the provider retries it)', async () => {
    const d = ok(await tf.rpc('Ecs', 'RunInstances', {
      RegionId: tf.region, InstanceType: 'ecs.g7.large', ImageId: n.imageId, VSwitchId: n.vswitchId, SecurityGroupIds: [other],
    }));
    d.str('InstanceIdSets.InstanceIdSet[0]');
    const r = fails(await tf.rpc('Ecs', 'DeleteSecurityGroup', { SecurityGroupId: other, RegionId: tf.region }));
    assert.ok(r.isExpected(['DependencyViolation']), r.describe());
  });
});

/** The provider's rule lookup (resource_alicloud_security_group_rule.go Read). */
function findRule(d: Doc, r: { ipProtocol: string; portRange: string; cidr: string; policy: string; priority: number; egress?: boolean }): Doc | undefined {
  return d.items('Permissions.Permission').find((p) => {
    const peer = r.egress
      ? [p.plain('DestCidrIp'), p.plain('DestGroupId'), p.plain('Ipv6DestCidrIp')].find((x) => x) ?? ''
      : [p.plain('SourceCidrIp'), p.plain('SourceGroupId'), p.plain('Ipv6SourceCidrIp')].find((x) => x) ?? '';
    const prefix = r.egress ? p.plain('DestPrefixListId') : p.plain('SourcePrefixListId');
    return String(p.plain('IpProtocol')).toLowerCase() === r.ipProtocol && p.plain('PortRange') === r.portRange
      && (peer === r.cidr || prefix === r.cidr) && String(p.plain('Policy')).toLowerCase() === r.policy
      && String(p.plain('Priority')) === String(r.priority);
  });
}

const PERMISSION_FIELDS = {
  Direction: 's', IpProtocol: 's', NicType: 's', Policy: 's', PortRange: 's', Description: 's', SecurityGroupRuleId: 's',
  Priority: '?', SourceCidrIp: 's', Ipv6SourceCidrIp: 's', SourceGroupId: 's', SourceGroupOwnerAccount: 's', SourcePrefixListId: 's',
  DestCidrIp: 's', DestGroupId: 's', DestPrefixListId: 's',
} as const;

describe('alicloud_security_group_rule: create → read → update (description) → read → delete', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let n: Network;
  let nicType = '';
  before(async () => { s = await startTestServer(); tf = ProviderClient.for(s); n = await createNetwork(s); });
  after(async () => { await s.close(); });

  const ingress = { ipProtocol: 'tcp', portRange: '22/22', cidr: '10.0.0.0/8', policy: 'accept', priority: 1 };
  const egress = { ipProtocol: 'udp', portRange: '53/53', cidr: '0.0.0.0/0', policy: 'drop', priority: 5, egress: true };
  /** The rule id's nic_type part is the text `<nil>` when nic_type is not configured. */
  const readRule = (direction: string, nic: string) => tf.sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: n.securityGroupId, Direction: direction, NicType: nic });

  it('create ingress: SDK DescribeSecurityGroupAttribute (group echo, VpcId), RPC AuthorizeSecurityGroup with Permissions.1.*, Read with NicType=<nil>', async () => {
    const g = ok(await tf.sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: n.securityGroupId }));
    assert.equal(g.str('SecurityGroupId'), n.securityGroupId);
    assert.equal(g.str('VpcId'), n.vpcId);
    ok(await tf.rpc('Ecs', 'AuthorizeSecurityGroup', {
      RegionId: tf.region, SecurityGroupId: n.securityGroupId,
      Permissions: [{ IpProtocol: 'tcp', Policy: 'accept', Priority: '1', SourceCidrIp: '10.0.0.0/8', PortRange: '22/22', Description: 'ssh' }],
    }));
    const d = ok(await readRule('ingress', '<nil>'));
    const rule = findRule(d, ingress);
    assert.ok(rule, `no matching ingress rule in ${JSON.stringify(d.plain('Permissions'))}`);
    expectFields(rule, PERMISSION_FIELDS, 'Permission');
    assert.equal(rule.str('Direction'), 'ingress');
    assert.match(rule.str('SecurityGroupRuleId'), /^sgr-/);
    assert.ok(Number.isInteger(Number(rule.plain('Priority'))), 'Atoi(Priority)');
    nicType = rule.str('NicType');
    assert.equal(rule.str('Description'), 'ssh');
  });

  it('create egress: AuthorizeSecurityGroupEgress, Read with Direction=egress sees only egress rules', async () => {
    ok(await tf.rpc('Ecs', 'AuthorizeSecurityGroupEgress', {
      RegionId: tf.region, SecurityGroupId: n.securityGroupId,
      Permissions: [{ IpProtocol: 'udp', Policy: 'drop', Priority: '5', DestCidrIp: '0.0.0.0/0', PortRange: '53/53', Description: 'no dns' }],
    }));
    const d = ok(await readRule('egress', '<nil>'));
    assert.ok(findRule(d, egress), JSON.stringify(d.plain('Permissions')));
    for (const p of d.items('Permissions.Permission')) assert.equal(p.str('Direction'), 'egress', 'the server filters by Direction');
    assert.equal(findRule(ok(await readRule('ingress', '<nil>')), { ...egress, egress: false }), undefined);
  });

  it('update description: SDK DescribeSecurityGroupAttribute, then CommonRequest ModifySecurityGroupRule / ModifySecurityGroupEgressRule, GET over HTTPS, sent twice', async () => {
    assert.ok(tf.ca, 'the API port answers HTTPS too (CommonRequest forces it)');
    ok(await tf.sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: n.securityGroupId }));
    const flat = { PortRange: '22/22', IpProtocol: 'tcp', Policy: 'accept', Priority: '1', SourceCidrIp: '10.0.0.0/8', NicType: nicType, SecurityGroupId: n.securityGroupId, Description: 'ssh from the office' };
    for (let k = 0; k < 2; k++) ok(await tf.common('ModifySecurityGroupRule', flat));
    const eflat = { PortRange: '53/53', IpProtocol: 'udp', Policy: 'drop', Priority: '5', DestCidrIp: '0.0.0.0/0', NicType: nicType, SecurityGroupId: n.securityGroupId, Description: 'still no dns' };
    for (let k = 0; k < 2; k++) ok(await tf.common('ModifySecurityGroupEgressRule', eflat));
    assert.equal(findRule(ok(await readRule('ingress', nicType)), ingress)!.str('Description'), 'ssh from the office');
    assert.equal(findRule(ok(await readRule('egress', nicType)), egress)!.str('Description'), 'still no dns');
    assert.equal(tf.log.filter((c) => c.wire === 'common').length, 4);
  });

  it('delete: SDK DescribeSecurityGroupAttribute, CommonRequest RevokeSecurityGroup / RevokeSecurityGroupEgress (GET, HTTPS, flat); Read finds no match', async () => {
    ok(await tf.sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: n.securityGroupId }));
    ok(await tf.common('RevokeSecurityGroup', { PortRange: '22/22', IpProtocol: 'tcp', Policy: 'accept', Priority: '1', SourceCidrIp: '10.0.0.0/8', NicType: nicType, SecurityGroupId: n.securityGroupId }));
    ok(await tf.common('RevokeSecurityGroupEgress', { PortRange: '53/53', IpProtocol: 'udp', Policy: 'drop', Priority: '5', DestCidrIp: '0.0.0.0/0', NicType: nicType, SecurityGroupId: n.securityGroupId }));
    assert.equal(findRule(ok(await readRule('ingress', '<nil>')), ingress), undefined);
    assert.equal(findRule(ok(await readRule('egress', '<nil>')), egress), undefined);
  });

  it('revoke of a deleted group: InvalidSecurityGroupId.NotFound (success for the provider), never a 5xx', async () => {
    const g = ok(await tf.rpc('Ecs', 'CreateSecurityGroup', { RegionId: tf.region, VpcId: n.vpcId })).str('SecurityGroupId');
    ok(await tf.rpc('Ecs', 'DeleteSecurityGroup', { SecurityGroupId: g, RegionId: tf.region }));
    const r = fails(await tf.common('RevokeSecurityGroup', { PortRange: '22/22', IpProtocol: 'tcp', Policy: 'accept', Priority: '1', SourceCidrIp: '10.0.0.0/8', SecurityGroupId: g }));
    assert.ok(r.isNotFound || r.isExpected(['InvalidSecurityGroupId.NotFound']), r.describe());
    const read = fails(await tf.sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: g, Direction: 'ingress', NicType: '<nil>' }));
    assert.ok(read.isExpected(['InvalidSecurityGroupId.NotFound']), read.describe());
  });
});
