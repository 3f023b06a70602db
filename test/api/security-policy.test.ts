/**
 * The security-group enforcer as an engine operation: every action that changes what reaches the
 * wire requests `security-policy` in its own transaction (the pending row is there when the
 * answer arrives, before the engine has run), requests coalesce into one apply, actions that
 * change nothing on the wire request nothing, and a failed apply is retried. The driver here is
 * the simulator with a recording `applySecurityPolicy`, so the test sees exactly what the qemu
 * driver would be handed (test/qemu/wire.test.ts checks the same path on live traffic).
 */
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import type { NicSecurityPolicy } from '../../src/compute/driver.js';
import { SECURITY_POLICY } from '../../src/engine/security-policy.js';

const R = 'cn-hangzhou';

interface Applied { nics: NicSecurityPolicy[]; members: Record<string, string[]> }

describe('security-policy operation', () => {
  let s: TestServer;
  let net: Network;
  let applied: Applied[] = [];
  let failNext = 0;
  let instanceId: string;
  let otherGroup: string;

  const pending = async () => (await s.app.services.db.selectFrom('operations').select(['id', 'attempts'])
    .where('kind', '=', SECURITY_POLICY).where('status', '=', 'pending').execute());
  const last = () => applied.at(-1)!;
  const nicOf = (a: Applied, id: string) => a.nics.find((n) => n.instanceId === id);
  const ingress = (extra: Record<string, unknown> = {}) => new $Ecs.AuthorizeSecurityGroupRequest({
    regionId: R, securityGroupId: net.securityGroupId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8', ...extra,
  });

  /** The action's transaction requested the apply (before any engine run); settling applies it once. */
  async function expectOneApply(what: string, call: () => Promise<unknown>): Promise<Applied> {
    await s.settle();
    applied = [];
    await call();
    assert.equal((await pending()).length, 1, `${what}: one pending security-policy operation after the answer`);
    assert.equal(applied.length, 0, `${what}: nothing applied before the engine runs`);
    await s.settle();
    assert.equal(applied.length, 1, `${what}: applied once`);
    assert.equal((await pending()).length, 0);
    return last();
  }

  before(async () => {
    s = await startTestServer();
    const driver = s.app.services.driver as { applySecurityPolicy?: (nics: NicSecurityPolicy[], members: Record<string, string[]>) => Promise<void> };
    driver.applySecurityPolicy = async (nics, members) => {
      if (failNext > 0) { failNext--; throw new Error('nft: simulated failure'); }
      applied.push(structuredClone({ nics, members }));
    };
    net = await createNetwork(s);
    const sg = await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId, securityGroupName: 'other' }));
    otherGroup = sg.body!.securityGroupId!;
  });
  after(async () => { await s?.close(); });
  beforeEach(() => { failNext = 0; });

  it('is requested at start-up, so a new driver gets the ruleset', async () => {
    // startTestServer's listen() ran the start-up converge before the recorder was installed.
    assert.equal((await pending()).length, 1);
    await s.settle();
    assert.deepEqual(applied, [{ nics: [], members: {} }]);
  });

  it('RunInstances: the new NIC with its group', async () => {
    const a = await expectOneApply('RunInstances', async () => {
      const r = await s.ecs.runInstances(runRequest(net, { amount: 1 }));
      instanceId = r.body!.instanceIdSets!.instanceIdSet![0]!;
    });
    const nic = nicOf(a, instanceId);
    assert.ok(nic && nic.ip, 'the instance is on the wire');
    assert.deepEqual(nic.groups.map((g) => g.id), [net.securityGroupId]);
    assert.deepEqual(a.members[net.securityGroupId], [nic.ip]);
  });

  it('a guest that starts requests it again (its network is up: a VPC\'s first guest adds a bridge)', async () => {
    applied = [];
    await s.advance(60_000);
    const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([instanceId]) }));
    assert.equal(r.body!.instances!.instance![0]!.status, 'Running');
    assert.ok(applied.length >= 1, 'applied after the guest started');
    assert.equal((await pending()).length, 0);
  });

  it('AuthorizeSecurityGroup: the rule reaches the NIC', async () => {
    const a = await expectOneApply('AuthorizeSecurityGroup', () => s.ecs.authorizeSecurityGroup(ingress()));
    const rules = nicOf(a, instanceId)!.groups[0]!.rules;
    assert.ok(rules.some((r) => r.direction === 'ingress' && r.portRange === '22/22' && r.sourceCidrIp === '10.0.0.0/8'), JSON.stringify(rules));
  });

  it('ModifySecurityGroupRule: the changed rule', async () => {
    const attr = await s.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: R, securityGroupId: net.securityGroupId }));
    const ruleId = attr.body!.permissions!.permission!.find((p) => p.portRange === '22/22')!.securityGroupRuleId!;
    const a = await expectOneApply('ModifySecurityGroupRule', () => s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({
      regionId: R, securityGroupId: net.securityGroupId, securityGroupRuleId: ruleId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '172.16.0.0/12',
    })));
    const rules = nicOf(a, instanceId)!.groups[0]!.rules.filter((r) => r.portRange === '22/22');
    assert.deepEqual(rules.map((r) => r.sourceCidrIp), ['172.16.0.0/12']);
  });

  it('requests coalesce: five rules, one pending operation, one apply with all of them', async () => {
    const a = await expectOneApply('five AuthorizeSecurityGroup', async () => {
      for (let port = 8001; port <= 8005; port++) await s.ecs.authorizeSecurityGroup(ingress({ portRange: `${port}/${port}` }));
    });
    const ports = nicOf(a, instanceId)!.groups[0]!.rules.map((r) => r.portRange).filter((p) => p.startsWith('800'));
    assert.deepEqual(ports.sort(), ['8001/8001', '8002/8002', '8003/8003', '8004/8004', '8005/8005']);
  });

  it('RevokeSecurityGroup: the rule leaves the NIC', async () => {
    const a = await expectOneApply('RevokeSecurityGroup', () => s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({
      regionId: R, securityGroupId: net.securityGroupId, ipProtocol: 'tcp', portRange: '8001/8001', sourceCidrIp: '10.0.0.0/8',
    })));
    assert.ok(!nicOf(a, instanceId)!.groups[0]!.rules.some((r) => r.portRange === '8001/8001'));
  });

  it('ModifySecurityGroupPolicy: the inner-access policy', async () => {
    const a = await expectOneApply('ModifySecurityGroupPolicy', () => s.ecs.modifySecurityGroupPolicy(new $Ecs.ModifySecurityGroupPolicyRequest({
      regionId: R, securityGroupId: net.securityGroupId, innerAccessPolicy: 'Drop',
    })));
    assert.equal(nicOf(a, instanceId)!.groups[0]!.innerAccessPolicy, 'Drop');
  });

  it('JoinSecurityGroup and LeaveSecurityGroup: the NIC\'s groups and the members', async () => {
    let a = await expectOneApply('JoinSecurityGroup', () => s.ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ regionId: R, instanceId, securityGroupId: otherGroup })));
    assert.deepEqual(nicOf(a, instanceId)!.groups.map((g) => g.id), [net.securityGroupId, otherGroup]);
    assert.deepEqual(a.members[otherGroup], [nicOf(a, instanceId)!.ip]);
    a = await expectOneApply('LeaveSecurityGroup', () => s.ecs.leaveSecurityGroup(new $Ecs.LeaveSecurityGroupRequest({ regionId: R, instanceId, securityGroupId: otherGroup })));
    assert.deepEqual(nicOf(a, instanceId)!.groups.map((g) => g.id), [net.securityGroupId]);
    assert.equal(a.members[otherGroup], undefined);
  });

  it('ModifyInstanceAttribute with SecurityGroupIds replaces the groups', async () => {
    const a = await expectOneApply('ModifyInstanceAttribute', () => s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({
      instanceId, securityGroupIds: [otherGroup],
    })));
    assert.deepEqual(nicOf(a, instanceId)!.groups.map((g) => g.id), [otherGroup]);
  });

  it('actions that change nothing on the wire request nothing', async () => {
    await s.settle();
    applied = [];
    await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }));
    await s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId, instanceName: 'renamed' }));
    await s.ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: R, securityGroupId: otherGroup, securityGroupName: 'renamed' }));
    assert.equal((await pending()).length, 0);
    await s.settle();
    assert.equal(applied.length, 0);
  });

  it('a failed apply stays pending and is retried', async () => {
    await s.settle();
    applied = [];
    failNext = 1;
    await s.ecs.authorizeSecurityGroup(ingress({ securityGroupId: otherGroup, portRange: '443/443' }));
    // Runs it once: it fails and is due again after a backoff, later than the (manual) clock.
    await s.settle();
    const [op] = await pending();
    assert.ok(op, 'still pending after the failure');
    assert.equal(op.attempts, 1);
    assert.equal(applied.length, 0);
    await s.advance(60_000);
    assert.equal(applied.length, 1);
    assert.ok(nicOf(last(), instanceId)!.groups[0]!.rules.some((r) => r.portRange === '443/443'));
    assert.equal((await pending()).length, 0);
  });

  it('DeleteInstance: the NIC leaves the wire', async () => {
    await s.advance(60_000);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
    await s.advance(60_000);
    const a = await expectOneApply('DeleteInstance', () => s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId })));
    assert.equal(nicOf(a, instanceId), undefined);
    assert.equal(a.members[otherGroup], undefined);
  });
});
