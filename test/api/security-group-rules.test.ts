import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type EcsClientT, type TestServer, type VpcClientT } from '../helpers/server.js';
import { createAccount } from '../../src/auth/accounts.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { makeContext } from '../../src/actions/context.js';
import { explainSecurityGroupAccess } from '../../src/actions/security-group-rules.js';
import { isReferencedByRules } from '../../src/store/security-group-rules.js';

const R = 'cn-hangzhou';

describe('security group rules through the official clients', () => {
  let s: TestServer;
  let vpcA: string;
  let vpcB: string;
  let bob: { accountId: string; ecs: EcsClientT; vpc: VpcClientT };

  let netA: Network;

  /** A group through CreateSecurityGroup; without a VPC it is a classic-network group. */
  async function group(opts: { vpcId: string; type?: 'normal' | 'enterprise'; client?: EcsClientT; name?: string }): Promise<string> {
    const client = opts.client ?? s.ecs;
    const r = await client.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({
      regionId: R, ...(opts.vpcId ? { vpcId: opts.vpcId } : {}), securityGroupType: opts.type ?? 'normal', securityGroupName: opts.name ?? 'sg-test',
    }));
    return r.body!.securityGroupId!;
  }

  /** Whether DeleteSecurityGroup is implemented yet (the groups family). */
  async function deletable(): Promise<boolean> {
    const e = await expectEcsError(() => s.ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId: 'sg-doesnotexist00000000' })));
    return e.code !== 'UnsupportedOperation';
  }

  async function rules(id: string, extra: Record<string, unknown> = {}) {
    const r = await s.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: R, securityGroupId: id, ...extra }));
    return r.body!;
  }

  const authorize = (id: string, extra: Record<string, unknown>, client = s.ecs) =>
    client.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: R, securityGroupId: id, ...extra }));
  const authorizeEgress = (id: string, extra: Record<string, unknown>) =>
    s.ecs.authorizeSecurityGroupEgress(new $Ecs.AuthorizeSecurityGroupEgressRequest({ regionId: R, securityGroupId: id, ...extra }));
  const perm = (x: Record<string, unknown>) => new $Ecs.AuthorizeSecurityGroupRequestPermissions(x);
  const permOut = (x: Record<string, unknown>) => new $Ecs.AuthorizeSecurityGroupEgressRequestPermissions(x);

  before(async () => {
    s = await startTestServer();
    netA = await createNetwork(s);
    vpcA = netA.vpcId;
    vpcB = (await createNetwork(s, R, '172.16.0.0/16')).vpcId;
    const made = await createAccount(s.app.services.db, 'bob', Date.now());
    const bobClients = s.clients(made);
    bob = { accountId: made.accountId, ecs: bobClients.ecs, vpc: bobClients.vpc };
  });
  after(async () => { await s.close(); });

  it('AuthorizeSecurityGroup (single-rule form) and DescribeSecurityGroupAttribute render as ECS does', async () => {
    const sg = await group({ vpcId: vpcA, name: 'web' });
    await authorize(sg, { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8', description: 'ssh' });
    const d = await rules(sg);
    assert.equal(d.securityGroupId, sg);
    assert.equal(d.securityGroupName, 'web');
    assert.equal(d.vpcId, vpcA);
    assert.equal(d.regionId, R);
    assert.equal(d.innerAccessPolicy, 'Accept');
    const [p] = d.permissions!.permission!;
    assert.match(p!.securityGroupRuleId!, /^sgr-[a-z0-9]{20}$/);
    assert.equal(p!.ipProtocol, 'TCP');
    assert.equal(p!.portRange, '22/22');
    assert.equal(p!.sourceCidrIp, '10.0.0.0/8');
    assert.equal(p!.policy, 'Accept');
    assert.equal(p!.priority, '1');
    assert.equal(p!.direction, 'ingress');
    assert.equal(p!.nicType, 'intranet');
    assert.equal(p!.description, 'ssh');
    assert.equal(p!.createTime, '2026-11-23T06:00:00Z');
  });

  it('an identical rule is not created twice (V3 and V2 signing)', async () => {
    const sg = await group({ vpcId: vpcA });
    const rule = { ipProtocol: 'TCP', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' };
    await authorize(sg, rule);
    await authorize(sg, { ...rule, description: 'again' });
    await s.ecsV2.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: R, securityGroupId: sg, ...rule, ipProtocol: 'tcp' }));
    assert.equal((await rules(sg)).permissions!.permission!.length, 1);
    await authorize(sg, { ...rule, priority: '2' });
    assert.equal((await rules(sg)).permissions!.permission!.length, 2, 'another priority is another rule');
  });

  it('Permissions.N, egress, and the Direction filter', async () => {
    const sg = await group({ vpcId: vpcA });
    const peer = await group({ vpcId: vpcA, name: 'peer' });
    await authorize(sg, { permissions: [
      perm({ ipProtocol: 'icmp', portRange: '-1/-1', sourceCidrIp: '0.0.0.0/0', priority: '100' }),
      perm({ ipProtocol: 'all', sourceGroupId: peer, policy: 'drop', priority: '5' }),
      perm({ ipProtocol: 'icmpv6', ipv6SourceCidrIp: '2001:DB8::/32' }),
    ] });
    await authorizeEgress(sg, { permissions: [permOut({ ipProtocol: 'udp', portRange: '53/53', destCidrIp: '8.8.8.8', sourcePortRange: '1024/65535' })] });
    const all = (await rules(sg)).permissions!.permission!;
    assert.equal(all.length, 4);
    const byGroup = all.find((p) => p.sourceGroupId === peer)!;
    assert.equal(byGroup.sourceGroupName, 'peer');
    assert.equal(byGroup.sourceGroupOwnerAccount, s.app.root.accountId);
    assert.equal(byGroup.policy, 'Drop');
    assert.equal(byGroup.ipProtocol, 'ALL');
    assert.equal(byGroup.portRange, '-1/-1');
    assert.equal(all.find((p) => p.ipProtocol === 'ICMPv6')!.ipv6SourceCidrIp, '2001:db8::/32');
    const egress = (await rules(sg, { direction: 'egress' })).permissions!.permission!;
    assert.deepEqual(egress.map((p) => [p.direction, p.destCidrIp, p.sourcePortRange]), [['egress', '8.8.8.8', '1024/65535']]);
    assert.equal((await rules(sg, { direction: 'ingress' })).permissions!.permission!.length, 3);
  });

  it('refuses bad inbound rules with the documented codes and statuses', async () => {
    const sg = await group({ vpcId: vpcA });
    const other = await group({ vpcId: vpcB });
    const ent = await group({ vpcId: vpcA, type: 'enterprise' });
    const base = { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0' };
    const cases: [Record<string, unknown>, string, number][] = [
      [{ ...base, ipProtocol: 'sctp' }, 'InvalidIpProtocol.ValueNotSupported', 400],
      [{ ...base, portRange: '0/22' }, 'InvalidParam.PortRange', 400],
      [{ ...base, portRange: '22' }, 'InvalidParam.PortRange', 400],
      [{ ...base, portRange: undefined }, 'InvalidPortRange.Malformed', 400],
      [{ ...base, portRange: '-1/-1' }, 'OperationDenied', 400],
      [{ ...base, priority: '101' }, 'InvalidPriority.ValueNotSupported', 400],
      [{ ...base, priority: 'high' }, 'InvalidPriority.Malformed', 400],
      [{ ...base, policy: 'reject' }, 'InvalidPolicy.Malformed', 400],
      [{ ...base, nicType: 'wifi' }, 'InvalidNicType.ValueNotSupported', 400],
      [{ ...base, sourceCidrIp: undefined }, 'MissingParameter.Source', 400],
      [{ ...base, sourceCidrIp: '10.0.0.300' }, 'InvalidSourceCidrIp.Malformed', 400],
      [{ ...base, sourceCidrIp: '10.0.0.0/8', ipv6SourceCidrIp: '::/0' }, 'InvalidParam.SourceIp', 400],
      [{ ...base, sourceCidrIp: undefined, ipv6SourceCidrIp: 'zz::/0' }, 'InvalidParam.Ipv6SourceCidrIp', 400],
      [{ ipProtocol: 'icmp', portRange: '-1/-1', ipv6SourceCidrIp: '::/0' }, 'InvalidParam.Ipv4ProtocolConflictWithIpv6Address', 400],
      [{ ...base, description: 'x'.repeat(513) }, 'InvalidSecurityGroupDiscription.Malformed', 400],
      [{ ...base, sourceCidrIp: undefined, sourcePrefixListId: 'pl-nothere' }, 'InvalidPrefixListId.NotFound', 404],
      [{ ...base, sourceCidrIp: undefined, sourceGroupId: 'sg-doesnotexist00000000' }, 'InvalidSourceGroupId.NotFound', 404],
      [{ ...base, sourceCidrIp: undefined, sourceGroupId: other }, 'InvalidSourceGroupId.Mismatch', 400],
      [{ ...base, sourceCidrIp: undefined, sourceGroupId: ent }, 'InvalidGroupAuthParameter.OperationDenied', 400],
      [{ ...base, sourceCidrIp: undefined, sourceGroupId: other, sourceGroupOwnerAccount: 'nobody' }, 'InvalidSourceGroupId.NotFound', 404],
      [{ ...base, permissions: [perm(base)] }, 'InvalidParam.Permissions', 400],
      [{ permissions: [perm(base), perm({ ...base, description: 'same tuple' })] }, 'InvalidParam.DuplicatePermissions', 400],
    ];
    for (const [extra, code, status] of cases) {
      const e = await expectEcsError(() => authorize(sg, extra));
      assert.equal(e.code, code, JSON.stringify(extra).slice(0, 100));
      assert.equal(e.statusCode, status, code);
    }
    const missing = await expectEcsError(() => authorize('sg-doesnotexist00000000', base));
    assert.deepEqual([missing.code, missing.statusCode], ['InvalidSecurityGroupId.NotFound', 404]);
    assert.equal((await rules(sg)).permissions!.permission!.length, 0, 'nothing was written');
  });

  it('refuses bad outbound rules with the documented codes and statuses', async () => {
    const sg = await group({ vpcId: vpcA });
    const cases: [Record<string, unknown>, string, number][] = [
      [{ ipProtocol: 'tcp', portRange: '80/80' }, 'MissingParameter.Dest', 400],
      [{ ipProtocol: 'all', destGroupId: sg }, 'InvalidSecurityGroup.IsSame', 403],
      [{ ipProtocol: 'all', destGroupId: 'sg-doesnotexist00000000' }, 'InvalidDestGroupId.NotFound', 404],
      [{ ipProtocol: 'all', destCidrIp: 'ten' }, 'InvalidDestCidrIp.Malformed', 400],
      [{ ipProtocol: 'icmp', portRange: '1/2', destCidrIp: '0.0.0.0/0' }, 'OperationDenied', 400],
    ];
    for (const [extra, code, status] of cases) {
      const e = await expectEcsError(() => authorizeEgress(sg, extra));
      assert.equal(e.code, code);
      assert.equal(e.statusCode, status, code);
    }
  });

  it('advanced (enterprise) groups: accept only, no group authorization, priority 1 only', async () => {
    const ent = await group({ vpcId: vpcA, type: 'enterprise' });
    const peer = await group({ vpcId: vpcA });
    const base = { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0' };
    for (const [extra, code] of [
      [{ ...base, policy: 'drop' }, 'InvalidGroupParameter.OperationDenied'],
      [{ ...base, sourceCidrIp: undefined, sourceGroupId: peer }, 'InvalidGroupParameter.OperationDenied'],
      [{ ...base, priority: '2' }, 'InvalidPriority.ValueNotSupported'],
    ] as const) {
      const e = await expectEcsError(() => authorize(ent, extra));
      assert.deepEqual([e.code, e.statusCode], [code, 400]);
    }
    await authorize(ent, { ...base, policy: 'accept', priority: '1' });
    const d = await rules(ent);
    assert.equal(d.innerAccessPolicy, 'Drop');
    assert.equal(d.permissions!.permission!.length, 1);
  });

  it('200 rules per group (inbound + outbound): the 201st is AuthorizationLimitExceed 403', async () => {
    const sg = await group({ vpcId: vpcA });
    const ports = (from: number) => Array.from({ length: 100 }, (_, i) => from + i);
    await authorize(sg, { permissions: ports(1).map((p) => perm({ ipProtocol: 'tcp', portRange: `${p}/${p}`, sourceCidrIp: '0.0.0.0/0' })) });
    await authorizeEgress(sg, { permissions: ports(1).map((p) => permOut({ ipProtocol: 'tcp', portRange: `${p}/${p}`, destCidrIp: '0.0.0.0/0' })) });
    const e = await expectEcsError(() => authorize(sg, { ipProtocol: 'tcp', portRange: '999/999', sourceCidrIp: '0.0.0.0/0' }));
    assert.deepEqual([e.code, e.statusCode], ['AuthorizationLimitExceed', 403]);
    await authorize(sg, { ipProtocol: 'tcp', portRange: '1/1', sourceCidrIp: '0.0.0.0/0' });
    const page = await rules(sg, { maxResults: 150 });
    assert.equal(page.permissions!.permission!.length, 150);
    const rest = await rules(sg, { maxResults: 150, nextToken: page.nextToken });
    assert.equal(rest.permissions!.permission!.length, 50);
    assert.equal(rest.nextToken, '');
    assert.equal((await rules(sg)).permissions!.permission!.length, 200, 'without MaxResults every rule is listed');
  });

  it('at most 20 authorized groups per group: AuthorizedGroupRule.LimitExceed', async () => {
    const sg = await group({ vpcId: vpcA });
    const peers: string[] = [];
    for (let i = 0; i < 21; i++) peers.push(await group({ vpcId: vpcA, name: `peer${i}` }));
    await authorize(sg, { permissions: peers.slice(0, 20).map((g) => perm({ ipProtocol: 'all', sourceGroupId: g })) });
    await authorize(sg, { ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: peers[0] });
    const e = await expectEcsError(() => authorize(sg, { ipProtocol: 'all', sourceGroupId: peers[20] }));
    assert.deepEqual([e.code, e.statusCode], ['AuthorizedGroupRule.LimitExceed', 400]);
  });

  it('cross-account group authorization by SourceGroupOwnerId or SourceGroupOwnerAccount', async () => {
    const sg = await group({ vpcId: vpcA });
    const bobVpc = (await createNetwork(bob)).vpcId;
    const bobSg = await group({ vpcId: bobVpc, client: bob.ecs });
    const e = await expectEcsError(() => authorize(sg, { ipProtocol: 'all', sourceGroupId: bobSg }));
    assert.deepEqual([e.code, e.statusCode], ['InvalidSourceGroupId.NotFound', 404], 'without an owner the group is looked up in the caller account');
    await authorize(sg, { ipProtocol: 'all', sourceGroupId: bobSg, sourceGroupOwnerAccount: 'bob' });
    // SourceGroupOwnerId is an int64 the SDK holds as a JS number: exact only up to 2^53.
    if (Number.isSafeInteger(Number(bob.accountId))) {
      await authorize(sg, { ipProtocol: 'all', sourceGroupId: bobSg, sourceGroupOwnerId: Number(bob.accountId) });
    }
    await authorize(sg, { ipProtocol: 'all', sourceGroupId: bobSg, sourceGroupOwnerAccount: bob.accountId });
    const p = (await rules(sg)).permissions!.permission!;
    assert.equal(p.length, 1, 'owner by id and by name are one rule');
    assert.equal(p[0]!.sourceGroupOwnerAccount, bob.accountId);
    const other = await expectEcsError(() => bob.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: R, securityGroupId: sg })));
    assert.deepEqual([other.code, other.statusCode], ['InvalidSecurityGroupId.NotFound', 404], 'tenants do not see each other');
    const refs = await s.ecs.describeSecurityGroupReferences(new $Ecs.DescribeSecurityGroupReferencesRequest({ regionId: R, securityGroupId: [sg] }));
    assert.deepEqual(refs.body!.securityGroupReferences!.securityGroupReference![0]!.referencingSecurityGroups!.referencingSecurityGroup, []);
    const bobRefs = await bob.ecs.describeSecurityGroupReferences(new $Ecs.DescribeSecurityGroupReferencesRequest({ regionId: R, securityGroupId: [bobSg] }));
    assert.deepEqual(bobRefs.body!.securityGroupReferences!.securityGroupReference![0]!.referencingSecurityGroups!.referencingSecurityGroup!
      .map((r) => [r.securityGroupId, r.aliUid]), [[sg, s.app.root.accountId]]);
  });

  it('RevokeSecurityGroup[Egress] by tuple and by SecurityGroupRuleId.N', async () => {
    const sg = await group({ vpcId: vpcA });
    await authorize(sg, { permissions: [
      perm({ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '1.2.3.4', description: 'a' }),
      perm({ ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0', priority: '10', policy: 'drop' }),
      perm({ ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '0.0.0.0/0' }),
    ] });
    await authorizeEgress(sg, { ipProtocol: 'all', destCidrIp: '0.0.0.0/0' });
    // The tuple matches whatever the description; 1.2.3.4 and 1.2.3.4/32 are one address.
    await s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ regionId: R, securityGroupId: sg, ipProtocol: 'TCP', portRange: '22/22', sourceCidrIp: '1.2.3.4/32' }));
    const noPolicy = await expectEcsError(() => s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ regionId: R, securityGroupId: sg, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' })));
    assert.deepEqual([noPolicy.code, noPolicy.statusCode], ['InvalidSecurityGroupRule.RuleNotExist', 400], 'policy and priority are part of the tuple');
    await s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ regionId: R, securityGroupId: sg, permissions: [
      new $Ecs.RevokeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0', policy: 'Drop', priority: '10' }),
    ] }));
    const left = (await rules(sg)).permissions!.permission!;
    assert.deepEqual(left.map((p) => p.portRange).sort(), ['-1/-1', '443/443']);
    const ingressId = left.find((p) => p.direction === 'ingress')!.securityGroupRuleId!;
    const egressId = left.find((p) => p.direction === 'egress')!.securityGroupRuleId!;
    const revokeIds = (ids: string[], egress = false) => egress
      ? s.ecs.revokeSecurityGroupEgress(new $Ecs.RevokeSecurityGroupEgressRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: ids }))
      : s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: ids }));
    for (const [ids, egress, code, status] of [
      [[egressId], false, 'InvalidSecurityGroupRuleId.NotFound', 404],
      [['sgr-doesnotexist000000'], false, 'InvalidSecurityGroupRuleId.NotFound', 404],
      [['rule-1'], false, 'InvalidParam.SecurityGroupRuleId', 400],
      [[ingressId, ingressId], false, 'InvalidParam.SecurityGroupRuleIdRepeated', 400],
    ] as const) {
      const e = await expectEcsError(() => revokeIds([...ids], egress));
      assert.deepEqual([e.code, e.statusCode], [code, status]);
    }
    await revokeIds([ingressId]);
    await revokeIds([egressId], true);
    assert.equal((await rules(sg)).permissions!.permission!.length, 0);
    const gone = await expectEcsError(() => revokeIds([ingressId]));
    assert.equal(gone.code, 'InvalidSecurityGroupRuleId.NotFound');
    const badPort = await expectEcsError(() => s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ regionId: R, securityGroupId: sg, ipProtocol: 'icmp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' })));
    assert.deepEqual([badPort.code, badPort.statusCode], ['InvalidIpPortRange.Malformed', 400]);
  });

  it('ModifySecurityGroupRule / ModifySecurityGroupEgressRule by id and by tuple', async () => {
    const sg = await group({ vpcId: vpcA });
    const peer = await group({ vpcId: vpcA });
    await authorize(sg, { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8', priority: '7', policy: 'drop', description: 'old' });
    await authorizeEgress(sg, { ipProtocol: 'all', destCidrIp: '0.0.0.0/0' });
    const find = async (dir: string) => (await rules(sg)).permissions!.permission!.find((p) => p.direction === dir)!;
    const id = (await find('ingress')).securityGroupRuleId!;
    await s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: id, portRange: '2222/2222', policy: 'accept' }));
    let p = await find('ingress');
    assert.deepEqual([p.securityGroupRuleId, p.portRange, p.policy, p.priority, p.sourceCidrIp, p.description], [id, '2222/2222', 'Accept', '7', '10.0.0.0/8', 'old']);
    // Tuple form: the rule is found by protocol, ports and object; only what is sent changes.
    await s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId: R, securityGroupId: sg, ipProtocol: 'tcp', portRange: '2222/2222', sourceCidrIp: '10.0.0.0/8', description: 'new' }));
    p = await find('ingress');
    assert.deepEqual([p.policy, p.priority, p.description], ['Accept', '7', 'new']);
    const eid = (await find('egress')).securityGroupRuleId!;
    await s.ecs.modifySecurityGroupEgressRule(new $Ecs.ModifySecurityGroupEgressRuleRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: eid, destCidrIp: '10.0.0.0/8', priority: '3' }));
    const e2 = await find('egress');
    assert.deepEqual([e2.destCidrIp, e2.priority], ['10.0.0.0/8', '3']);
    const cases: [() => Promise<unknown>, string, number][] = [
      [() => s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: id, sourceGroupId: peer })), 'InvalidOperation.ModifySgRuleEntityType', 400],
      [() => s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: 'sgr-doesnotexist000000', priority: '2' })), 'InvalidSecurityGroupRuleId.NotFound', 404],
      [() => s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: id, portRange: '-1/-1' })), 'InvalidParam.ProtocolAndPortRangeMismatch', 400],
      [() => s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: id, priority: '0' })), 'InvalidPriority.ValueNotSupported', 400],
      [() => s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId: R, securityGroupId: sg, ipProtocol: 'udp', portRange: '53/53', sourceCidrIp: '0.0.0.0/0' })), 'SecurityGroupRule.NotFound', 404],
      [() => s.ecs.modifySecurityGroupEgressRule(new $Ecs.ModifySecurityGroupEgressRuleRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: id, priority: '2' })), 'InvalidSecurityGroupRuleId.NotFound', 404],
    ];
    for (const [call, code, status] of cases) {
      const e = await expectEcsError(call);
      assert.deepEqual([e.code, e.statusCode], [code, status]);
    }
  });

  it('classic network groups: NicType per rule, internal inbound CIDRs are single hosts', async () => {
    const sg = await group({ vpcId: '' });
    await authorize(sg, { ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' });
    await authorize(sg, { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.7/32', nicType: 'intranet' });
    const e = await expectEcsError(() => authorize(sg, { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/24', nicType: 'intranet' }));
    assert.deepEqual([e.code, e.statusCode], ['InvalidSourceCidrIp.Malformed', 400]);
    const pl = await expectEcsError(() => authorize(sg, { ipProtocol: 'all', sourcePrefixListId: 'pl-1' }));
    assert.deepEqual([pl.code, pl.statusCode], ['NotSupported.ClassicNetworkPrefixList', 400]);
    const internet = (await rules(sg)).permissions!.permission!;
    assert.deepEqual(internet.map((p) => [p.nicType, p.portRange]), [['internet', '80/80']], 'the internet NIC by default');
    const intranet = (await rules(sg, { nicType: 'intranet' })).permissions!.permission!;
    assert.deepEqual(intranet.map((p) => [p.nicType, p.portRange]), [['intranet', '22/22']]);
    const vpcSg = await group({ vpcId: vpcA });
    const mixed = await expectEcsError(() => authorize(vpcSg, { ipProtocol: 'all', sourceGroupId: sg }));
    assert.deepEqual([mixed.code, mixed.statusCode], ['InvalidNetworkType.Mismatch', 403]);
  });

  it('DescribeSecurityGroupAttribute refusals and paging checks', async () => {
    const sg = await group({ vpcId: vpcA });
    for (const [extra, code, status] of [
      [{ direction: 'sideways' }, 'InvalidParamter', 400],
      [{ nicType: 'wifi' }, 'InvalidNicType.ValueNotSupported', 400],
      [{ nextToken: 'garbage!' }, 'InvalidParameter.NextToken', 400],
      [{ securityGroupId: 'sg-doesnotexist00000000' }, 'InvalidSecurityGroupId.NotFound', 404],
      [{ regionId: 'xx-nowhere-1' }, 'InvalidRegionId.NotFound', 404],
    ] as const) {
      const e = await expectEcsError(() => rules(sg, extra));
      assert.deepEqual([e.code, e.statusCode], [code, status], JSON.stringify(extra));
    }
    const small = await expectEcsError(() => rules(sg, { maxResults: 5 }));
    assert.equal(small.statusCode, 400, 'MaxResults is 10 to 1000');
  });

  it('ModifySecurityGroupPolicy: Accept/Drop for basic groups, fixed for advanced ones', async () => {
    const sg = await group({ vpcId: vpcA });
    const ent = await group({ vpcId: vpcA, type: 'enterprise' });
    const set = (id: string, v: string) => s.ecs.modifySecurityGroupPolicy(new $Ecs.ModifySecurityGroupPolicyRequest({ regionId: R, securityGroupId: id, innerAccessPolicy: v }));
    await set(sg, 'Drop');
    assert.equal((await rules(sg)).innerAccessPolicy, 'Drop');
    await set(sg, 'accept');
    assert.equal((await rules(sg)).innerAccessPolicy, 'Accept');
    for (const [id, v, code, status] of [
      [sg, 'Maybe', 'InvalidPolicy.Malformed', 400],
      [ent, 'Accept', 'InvalidParameter.InnerAccessPolicy', 404],
      ['sg-doesnotexist00000000', 'Drop', 'InvalidSecurityGroupId.NotFound', 404],
    ] as const) {
      const e = await expectEcsError(() => set(id, v));
      assert.deepEqual([e.code, e.statusCode], [code, status]);
    }
  });

  it('DescribeSecurityGroupReferences and isReferencedByRules (DeleteSecurityGroup DependencyViolation)', async () => {
    const a = await group({ vpcId: vpcA });
    const b = await group({ vpcId: vpcA });
    const c = await group({ vpcId: vpcA });
    await authorize(b, { ipProtocol: 'all', sourceGroupId: a });
    await authorizeEgress(c, { ipProtocol: 'all', destGroupId: a });
    await authorize(a, { ipProtocol: 'all', sourceGroupId: a });
    const r = await s.ecs.describeSecurityGroupReferences(new $Ecs.DescribeSecurityGroupReferencesRequest({ regionId: R, securityGroupId: [a, b] }));
    const list = r.body!.securityGroupReferences!.securityGroupReference!;
    assert.deepEqual(list.map((x) => x.securityGroupId), [a, b]);
    assert.deepEqual(list[0]!.referencingSecurityGroups!.referencingSecurityGroup!.map((x) => x.securityGroupId).sort(), [b, c].sort());
    assert.equal(list[0]!.referencingSecurityGroups!.referencingSecurityGroup![0]!.aliUid, s.app.root.accountId);
    assert.deepEqual(list[1]!.referencingSecurityGroups!.referencingSecurityGroup, []);
    assert.equal(await isReferencedByRules(s.app.services.db, a), true);
    assert.equal(await isReferencedByRules(s.app.services.db, b), false, 'its own rule naming itself does not count');
    // DeleteSecurityGroup: refused while referenced (DependencyViolation 403); a group's rules go with it.
    if (await deletable()) {
      const del = (id: string) => s.ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId: id }));
      const refused = await expectEcsError(() => del(a));
      assert.deepEqual([refused.code, refused.statusCode], ['DependencyViolation', 403]);
      await del(b);
      await del(c);
      await del(a);
      const left = await s.app.services.db.selectFrom('security_group_rules').select('id').where('security_group_id', 'in', [a, b, c]).execute();
      assert.deepEqual(left, []);
    }
    const many = await expectEcsError(() => s.ecs.describeSecurityGroupReferences(new $Ecs.DescribeSecurityGroupReferencesRequest({ regionId: R, securityGroupId: Array(11).fill(a) })));
    assert.deepEqual([many.code, many.statusCode], ['InvalidSecurityGroupId.Malformed', 400]);
    const missing = await expectEcsError(() => s.ecs.describeSecurityGroupReferences(new $Ecs.DescribeSecurityGroupReferencesRequest({ regionId: R, securityGroupId: ['sg-doesnotexist00000000'] })));
    assert.deepEqual([missing.code, missing.statusCode], ['InvalidSecurityGroupId.NotFound', 404]);
  });

  it('ExplainSecurityGroupAccess names the deciding rule', async () => {
    const web = await group({ vpcId: vpcA, name: 'web' });
    const db = await group({ vpcId: vpcA, name: 'db' });
    await authorize(web, { permissions: [
      perm({ ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0', priority: '10' }),
      perm({ ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '6.6.6.0/24', priority: '1', policy: 'drop' }),
    ] });
    await authorize(db, { ipProtocol: 'tcp', portRange: '3306/3306', sourceGroupId: web });
    // An instance in `web`, launched through RunInstances and Running.
    const run = await s.ecs.runInstances(runRequest(netA, { securityGroupId: web }));
    const instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(1000); await s.advance(1000); // Pending → Starting → Running
    const described = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([instanceId]) }));
    const vm = described.body!.instances!.instance![0]!;
    assert.equal(vm.status, 'Running');
    const privateIp = vm.vpcAttributes!.privateIpAddress!.ipAddress![0]!;

    const principal = { accountId: s.app.root.accountId, accountName: 'root', isAdmin: true, accessKeyId: 'x', type: 'root' as const };
    const explain = (p: Omit<Parameters<typeof explainSecurityGroupAccess>[1], 'RegionId'>) => explainSecurityGroupAccess(
      makeContext(s.app.services, { requestId: 'r', product: 'openecs', action: 'ExplainSecurityGroupAccess', principal, regionId: R, dryRun: false }),
      { RegionId: R, ...p });
    const allowed: any = await explain({ InstanceId: instanceId, Direction: 'ingress', IpProtocol: 'tcp', Port: 80, PeerAddress: '1.1.1.1' });
    assert.equal(allowed.Decision, 'Allow');
    assert.equal(allowed.DecidingRule.SecurityGroupId, web);
    assert.equal(allowed.DecidingRule.Priority, '10');
    assert.match(allowed.DecidingRule.SecurityGroupRuleId, /^sgr-/);
    const dropped: any = await explain({ InstanceId: instanceId, Direction: 'ingress', IpProtocol: 'tcp', Port: 80, PeerAddress: '6.6.6.6' });
    assert.deepEqual([dropped.Decision, dropped.DecidingRule.Policy, dropped.DecidingRule.SourceCidrIp], ['Deny', 'Drop', '6.6.6.0/24']);
    const closed: any = await explain({ InstanceId: instanceId, Direction: 'ingress', IpProtocol: 'tcp', Port: 22, PeerAddress: '1.1.1.1' });
    assert.deepEqual([closed.Decision, closed.DecidingRule], ['Deny', null]);
    assert.match(closed.Reason, /denied by default/);
    // The peer address of an instance in `web` brings its groups: db's rule naming web matches.
    const viaPeer: any = await explain({ SecurityGroupId: [db], Direction: 'ingress', IpProtocol: 'tcp', Port: 3306, PeerAddress: privateIp });
    assert.equal(viaPeer.Decision, 'Allow');
    assert.equal(viaPeer.DecidingRule.SourceGroupId, web);
    const byGroup: any = await explain({ SecurityGroupId: [db], Direction: 'ingress', IpProtocol: 'tcp', Port: 3306, PeerSecurityGroupId: db });
    assert.deepEqual([byGroup.Decision, byGroup.Basis], ['Allow', 'intra-group']);
    const out: any = await explain({ InstanceId: instanceId, Direction: 'egress', IpProtocol: 'udp', Port: 53, PeerAddress: '8.8.8.8' });
    assert.equal(out.Decision, 'Allow');
    // Outbound TCP 25 to the internet stays blocked under an allow-all egress rule (002 L3203), with the reason.
    await authorizeEgress(web, { ipProtocol: 'all', portRange: '-1/-1', destCidrIp: '0.0.0.0/0', priority: '1' });
    const smtp: any = await explain({ InstanceId: instanceId, Direction: 'egress', IpProtocol: 'tcp', Port: 25, PeerAddress: '8.8.8.8' });
    assert.deepEqual([smtp.Decision, smtp.Basis, smtp.DecidingRule], ['Deny', 'platform', null]);
    assert.match(smtp.Reason, /port 25 .*blocked by the platform/);
    const smtpInside: any = await explain({ InstanceId: instanceId, Direction: 'egress', IpProtocol: 'tcp', Port: 25, PeerAddress: '192.168.3.4' });
    assert.deepEqual([smtpInside.Decision, smtpInside.Basis], ['Allow', 'rule']);
    const submission: any = await explain({ InstanceId: instanceId, Direction: 'egress', IpProtocol: 'tcp', Port: 587, PeerAddress: '8.8.8.8' });
    assert.deepEqual([submission.Decision, submission.Basis], ['Allow', 'rule']);
    // Over the wire once the extension product routes it (Version 2026-11-01).
    const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
    const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    try {
      const wire: any = await ext.request('ExplainSecurityGroupAccess', {
        RegionId: R, 'SecurityGroupId.1': web, Direction: 'ingress', IpProtocol: 'tcp', Port: 80, PeerAddress: '6.6.6.6',
      }, { method: 'POST' });
      assert.deepEqual([wire.Decision, wire.DecidingRule.Policy], ['Deny', 'Drop']);
    } catch (e: any) {
      if (e.code !== 'UnsupportedOperation') throw e;
    }
    for (const [p, code] of [
      [{ Direction: 'ingress', IpProtocol: 'tcp', Port: 1, PeerAddress: '1.1.1.1' }, 'MissingParameter'],
      [{ InstanceId: instanceId, Direction: 'ingress', IpProtocol: 'tcp', PeerAddress: '1.1.1.1' }, 'MissingParameter'],
      [{ InstanceId: instanceId, Direction: 'ingress', IpProtocol: 'all', PeerAddress: '1.1.1.1' }, 'InvalidIpProtocol.ValueNotSupported'],
      [{ InstanceId: instanceId, Direction: 'ingress', IpProtocol: 'tcp', Port: 1, PeerAddress: 'nope' }, 'InvalidParameter.PeerAddress'],
      [{ InstanceId: 'i-doesnotexist', Direction: 'ingress', IpProtocol: 'tcp', Port: 1, PeerAddress: '1.1.1.1' }, 'InvalidInstanceId.NotFound'],
      [{ SecurityGroupId: ['sg-doesnotexist00000000'], Direction: 'ingress', IpProtocol: 'tcp', Port: 1, PeerAddress: '1.1.1.1' }, 'InvalidSecurityGroupId.NotFound'],
    ] as const) {
      await assert.rejects(() => explain(p as any), (e: any) => e.code === code, code);
    }
  });
});
