/**
 * ENIs in the security tools: ExplainSecurityGroupAccess judges a secondary ENI by its own groups
 * and address (a primary ENI by its instance's), and the policy put on the wire gives an ENI's
 * secondary private addresses (AssignPrivateIpAddresses) its chains, until they are unassigned.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { runRequest, type Network } from '../helpers/fixtures.js';
import { networkOf, R, running } from './storage-fixtures.js';
import { gatherPolicy } from '../../src/network/enforcer.js';
import { otherAccount } from './storage-fixtures.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;

describe('ENIs in ExplainSecurityGroupAccess and on the wire', () => {
  let s: TestServer;
  let net: Network;
  let ext: InstanceType<typeof PopCore>;
  let vm: string;
  let eni: string;
  let primaryEni: string;

  before(async () => {
    s = await startTestServer();
    net = await networkOf(s);
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    const web = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId }))).body!.securityGroupId!;
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: R, securityGroupId: web, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' }));
    vm = (await s.ecs.runInstances(runRequest(net, {
      networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Secondary', securityGroupId: web })],
    }))).body!.instanceIdSets!.instanceIdSet![0]!;
    await running(s, s.ecs, vm);
    await s.advance(1000);
    const enis = (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, instanceId: vm }))).body!.networkInterfaceSets!.networkInterfaceSet!;
    eni = enis.find((n) => n.type === 'Secondary')!.networkInterfaceId!;
    primaryEni = enis.find((n) => n.type === 'Primary')!.networkInterfaceId!;
  });
  after(async () => { await s.close(); });

  const explain = (target: Record<string, unknown>, client = ext): Promise<any> => client.request('ExplainSecurityGroupAccess', {
    RegionId: R, Direction: 'ingress', IpProtocol: 'tcp', Port: 80, PeerAddress: '203.0.113.9', ...target,
  }, { method: 'POST' });

  it('NetworkInterfaceId: a secondary ENI by its own groups, a primary one by its instance\'s', async () => {
    const bySecondary = await explain({ NetworkInterfaceId: eni });
    assert.equal(bySecondary.Decision, 'Allow');
    assert.match(bySecondary.DecidingRule.PortRange, /^80\/80$/);
    assert.equal((await explain({ NetworkInterfaceId: primaryEni })).Decision, 'Deny');
    assert.equal((await explain({ InstanceId: vm })).Decision, 'Deny');
  });

  it('refusals: none or two targets, an ENI that is not the caller\'s', async () => {
    const code = (p: Promise<unknown>) => p.then(() => 'ok', (e: { data?: { Code?: string } }) => e.data?.Code);
    assert.equal(await code(explain({ NetworkInterfaceId: eni, InstanceId: vm })), 'InvalidParameter.Conflict');
    assert.equal(await code(explain({})), 'MissingParameter');
    assert.equal(await code(explain({ NetworkInterfaceId: 'eni-none00000000000000' })), 'InvalidEniId.NotFound');
    const other = await otherAccount(s, 'explain-other');
    const theirs = new Pop({ accessKeyId: other.creds.accessKeyId, accessKeySecret: other.creds.accessKeySecret, endpoint: s.url, apiVersion: '2026-11-01' });
    assert.equal(await code(explain({ NetworkInterfaceId: eni }, theirs)), 'InvalidEniId.NotFound');
  });

  it('an ENI\'s secondary private addresses are on the wire with its groups, until unassigned', async () => {
    const assigned = (await s.ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId: R, networkInterfaceId: eni, secondaryPrivateIpAddressCount: 2 }))).body!;
    const ips = assigned.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress!;
    const onWire = async () => (await gatherPolicy(s.app.services.db)).nics.find((n) => n.instanceId === eni);
    assert.deepEqual((await onWire())!.secondaryIps, [...ips].sort());
    await s.ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId: R, networkInterfaceId: eni, privateIpAddress: ips }));
    assert.equal((await onWire())!.secondaryIps, undefined);
  });
});
