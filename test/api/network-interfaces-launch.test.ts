/**
 * RunInstances' NetworkInterface.N through the official client: the primary entry as the flat
 * network parameters, a secondary ENI created per instance and attached through the engine
 * (Attaching → InUse, a NIC of the simulated guest), an existing ENI attached at launch,
 * DeleteOnRelease's launch default, and the refusals of the metadata's error table.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { runRequest, type Network } from '../helpers/fixtures.js';
import { LINUX, networkOf, R, running } from './storage-fixtures.js';
import { SimDriver } from '../../src/compute/sim.js';
import { checkInvariants } from '../../src/engine/invariants.js';

const NI = (o: Record<string, unknown>) => new $Ecs.RunInstancesRequestNetworkInterface(o);

describe('RunInstances NetworkInterface.N', () => {
  let s: TestServer;
  let net: Network;
  const driver = new SimDriver(1000);
  let vswitch2: string;
  let group2: string;

  before(async () => {
    s = await startTestServer({}, { driver });
    net = await networkOf(s);
    vswitch2 = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: net.vpcId, zoneId: net.zoneId, cidrBlock: '192.168.100.0/24' }))).body!.vSwitchId!;
    group2 = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId }))).body!.securityGroupId!;
  });
  after(async () => { await s.close(); });

  const run = (extra: Record<string, unknown>) => s.ecs.runInstances(runRequest(net, { imageId: LINUX, ...extra }));
  async function enis(instanceId: string) {
    const r = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, instanceId }));
    return r.body!.networkInterfaceSets!.networkInterfaceSet!.sort((a, b) => a.type!.localeCompare(b.type!));
  }
  async function eni(id: string) {
    const r = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [id] }));
    return r.body!.networkInterfaceSets!.networkInterfaceSet![0];
  }
  const remove = (instanceId: string) => s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId, force: true }));

  it('a primary and a secondary entry: the instance on the primary\'s VSwitch and groups, the secondary ENI created, attached and a NIC of the guest', async () => {
    const r = await run({
      vSwitchId: undefined, securityGroupId: undefined,
      networkInterface: [
        NI({ instanceType: 'Primary', vSwitchId: net.vswitchId, securityGroupIds: [net.securityGroupId], primaryIpAddress: '192.168.0.77', queueNumber: 2 }),
        NI({ instanceType: 'Secondary', vSwitchId: vswitch2, securityGroupId: group2, networkInterfaceName: 'second-nic', description: 'launched with it', primaryIpAddress: '192.168.100.20' }),
      ],
    });
    const vm = r.body!.instanceIdSets!.instanceIdSet![0]!;
    const [primary, secondary] = await enis(vm);
    assert.equal(secondary!.status, 'Attaching', 'attached by the engine, not by the request');
    await running(s, s.ecs, vm);
    await s.advance(1000);
    const [p, sec] = await enis(vm);
    assert.deepEqual([p!.type, p!.privateIpAddress, p!.vSwitchId, p!.queueNumber], ['Primary', '192.168.0.77', net.vswitchId, 2]);
    assert.deepEqual(p!.securityGroupIds!.securityGroupId, [net.securityGroupId]);
    assert.deepEqual(
      [sec!.type, sec!.status, sec!.instanceId, sec!.vSwitchId, sec!.privateIpAddress, sec!.networkInterfaceName, sec!.description, sec!.deleteOnRelease],
      ['Secondary', 'InUse', vm, vswitch2, '192.168.100.20', 'second-nic', 'launched with it', true],
    );
    assert.deepEqual(sec!.securityGroupIds!.securityGroupId, [group2]);
    assert.equal(secondary!.networkInterfaceId, sec!.networkInterfaceId);
    assert.deepEqual(driver.nicsOf(vm).map((n) => [n.eniId, n.mac, n.privateIp, n.deviceIndex]), [[sec!.networkInterfaceId, sec!.macAddress, '192.168.100.20', 1]]);
    const inst = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([vm]) }))).body!.instances!.instance![0]!;
    assert.deepEqual(inst.networkInterfaces!.networkInterface!.map((n) => [n.type, n.networkInterfaceId]), [['Primary', primary!.networkInterfaceId], ['Secondary', sec!.networkInterfaceId]]);
    // DeleteOnRelease defaults to true at launch: the ENI goes with its instance.
    await remove(vm);
    for (let i = 0; i < 3; i++) await s.advance(1000);
    assert.equal(await eni(sec!.networkInterfaceId!), undefined);
  });

  it('Amount=2: one secondary ENI per instance, on the instance\'s VSwitch and groups by default; DeleteOnRelease=false keeps it', async () => {
    const r = await run({ amount: 2, networkInterface: [NI({ deleteOnRelease: false })] });
    const ids = r.body!.instanceIdSets!.instanceIdSet!;
    for (const id of ids) await running(s, s.ecs, id);
    await s.advance(1000);
    const seconds = [];
    for (const id of ids) {
      const [, sec] = await enis(id);
      assert.deepEqual([sec!.status, sec!.vSwitchId, sec!.securityGroupIds!.securityGroupId, sec!.deleteOnRelease], ['InUse', net.vswitchId, [net.securityGroupId], false]);
      seconds.push(sec!.networkInterfaceId!);
    }
    assert.notEqual(seconds[0], seconds[1]);
    for (const id of ids) await remove(id);
    for (let i = 0; i < 3; i++) await s.advance(1000);
    for (const id of seconds) {
      const kept = (await eni(id))!;
      assert.deepEqual([kept.status, kept.instanceId], ['Available', '']);
      await s.ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: R, networkInterfaceId: id }));
    }
    await s.advance(1000);
  });

  it('NetworkInterfaceId: an existing Available ENI attached at launch; one attached elsewhere is refused', async () => {
    const id = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: R, vSwitchId: vswitch2, securityGroupIds: [net.securityGroupId] }))).body!.networkInterfaceId!;
    const vm = (await run({ networkInterface: [NI({ networkInterfaceId: id })] })).body!.instanceIdSets!.instanceIdSet![0]!;
    await running(s, s.ecs, vm);
    await s.advance(1000);
    const attached = (await eni(id))!;
    assert.deepEqual([attached.status, attached.instanceId], ['InUse', vm]);
    assert.deepEqual(driver.nicsOf(vm).map((n) => n.eniId), [id]);
    const taken = await expectEcsError(() => run({ networkInterface: [NI({ networkInterfaceId: id })] }));
    assert.deepEqual([taken.code, taken.statusCode], ['InvalidOperation.InvalidNetworkInterfaceId', 403]);
    const missing = await expectEcsError(() => run({ networkInterface: [NI({ networkInterfaceId: 'eni-none0000000000000' })] }));
    assert.deepEqual([missing.code, missing.statusCode], ['InvalidEniId.NotFound', 403]);
    await remove(vm);
    for (let i = 0; i < 3; i++) await s.advance(1000);
    assert.equal((await eni(id))!.status, 'Available', 'an ENI made apart stays (its own DeleteOnRelease is false)');
  });

  it('refusals: the metadata error table', async () => {
    const otherVpc = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '172.20.0.0/16' }))).body!.vpcId!;
    const foreign = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: otherVpc, zoneId: net.zoneId, cidrBlock: '172.20.0.0/24' }))).body!.vSwitchId!;
    const table: [string, Record<string, unknown>, string, number][] = [
      ['three entries', { networkInterface: [NI({ instanceType: 'Primary', vSwitchId: net.vswitchId }), NI({ instanceType: 'Secondary' }), NI({ instanceType: 'Secondary' })], vSwitchId: undefined }, 'InvalidParam.NetworkInterface', 400],
      ['VSwitchId twice', { networkInterface: [NI({ instanceType: 'Primary', vSwitchId: net.vswitchId })] }, 'InvalidParam.NetworkInterface', 400],
      ['a secondary VSwitch of another VPC', { networkInterface: [NI({ vSwitchId: foreign })] }, 'InvalidParameter.VSwitchId', 400],
      ['a secondary group of another VPC', { networkInterface: [NI({ securityGroupIds: [await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: otherVpc })).then((x) => x.body!.securityGroupId!)] })] }, 'InvalidSecurityGroup.VpcMismatch', 400],
      ['a secondary group that does not exist', { networkInterface: [NI({ securityGroupId: 'sg-none000000000000' })] }, 'InvalidSecurityGroupId.NotFound', 404],
      ['a taken secondary address', { networkInterface: [NI({ primaryIpAddress: (await enis((await run({})).body!.instanceIdSets!.instanceIdSet![0]!))[0]!.privateIpAddress })] }, 'InvalidPrivateIpAddress.Duplicated', 400],
      ['a bad name', { networkInterface: [NI({ networkInterfaceName: '-x' })] }, 'InvalidParams.CreateEniParams', 400],
      ['RDMA', { networkInterface: [NI({ networkInterfaceTrafficMode: 'HighPerformance' })] }, 'InvalidParameter.EniTrafficMode', 403],
      ['queue depths', { networkInterface: [NI({ rxQueueSize: 8192, txQueueSize: 8192 })] }, 'InvalidEniQueueSize.RegionOrUserNotSupported', 400],
      ['a second network card', { networkInterface: [NI({ networkCardIndex: 1 })] }, 'InvalidParameter.NetworkCardIndexInvalid', 400],
      ['too many queues', { networkInterfaceQueueNumber: 64 }, 'InvalidOperation.MaxEniQueueNumberExceeded', 403],
    ];
    for (const [name, extra, code, status] of table) {
      const e = await expectEcsError(() => run(extra)).catch((x: Error) => { throw new Error(`${name}: ${x.message}`); });
      assert.deepEqual([e.code, e.statusCode], [code, status], `${name}: ${e.message}`);
    }
  });

  it('the store holds together: every ENI settled, attached only to live instances', async () => {
    for (let i = 0; i < 3; i++) await s.advance(1000);
    const violations = await checkInvariants(s.app.services.db, undefined, { settled: true, now: s.clock.now() });
    assert.deepEqual(violations.filter((v) => v.kind.startsWith('eni')), []);
  });
});
