/**
 * IPv6 through the official clients (issue 14 item 3): a VPC's /56 from the pool (CreateVpc
 * EnableIpv6 / Ipv6CidrBlock, ModifyVpcAttribute EnableIPv6), a VSwitch's /64 (CreateVSwitch
 * Ipv6CidrBlock, ModifyVSwitchAttribute EnableIPv6), addresses on ENIs (RunInstances,
 * CreateNetworkInterface, Assign/UnassignIpv6Addresses with the instance type's
 * EniIpv6AddressQuantity), what Describe* answer, the metadata service's `ipv6s`, the addresses
 * freed with their ENI, and an IPv6 rule judged by ExplainSecurityGroupAccess. Each refusal is
 * the metadata's code.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { runRequest, type Network } from '../helpers/fixtures.js';
import { running, stop } from './storage-fixtures.js';
import { metadataNicsOf } from '../../src/api/guest-gateway.js';
import { metadataTree } from '../../src/network/metadata.js';

const R = 'cn-hangzhou';
const POOL = '2001:db8:4000::/40';

describe('IPv6: VPCs, VSwitches, ENI addresses', () => {
  let s: TestServer;
  let net: Network;
  let vpcBlock: string;
  let vswBlock: string;

  before(async () => {
    s = await startTestServer({ ipv6Pool: POOL });
    const zoneId = (await s.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R }))).body!.zones!.zone![0]!.zoneId!;
    const vpc = await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '192.168.0.0/16', enableIpv6: true }));
    const vpcId = vpc.body!.vpcId!;
    const vsw = await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId, zoneId, cidrBlock: '192.168.0.0/24', ipv6CidrBlock: 3 }));
    const sg = await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId }));
    const images = await s.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, imageOwnerAlias: 'system', pageSize: 100 }));
    const linux = images.body!.images!.image!.find((i) => i.OSType === 'linux')!;
    net = { vpcId, vswitchId: vsw.body!.vSwitchId!, zoneId, securityGroupId: sg.body!.securityGroupId!, imageId: linux.imageId!, windowsImageId: '' };
  });
  after(async () => { await s.close(); });

  const vpcOf = async (id: string) => (await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, vpcId: id }))).body!.vpcs!.vpc![0]!;
  const vswOf = async (id: string) => (await s.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: R, vSwitchId: id }))).body!.vSwitches!.vSwitch![0]!;
  const eniOf = async (id: string) => (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [id] }))).body!.networkInterfaceSets!.networkInterfaceSet![0]!;
  const ipv6Of = async (id: string) => (await eniOf(id)).ipv6Sets!.ipv6Set!.map((x) => x.ipv6Address!);
  const assign = (id: string, extra: Record<string, unknown>) => s.ecs.assignIpv6Addresses(new $Ecs.AssignIpv6AddressesRequest({ regionId: R, networkInterfaceId: id, ...extra }));
  const unassign = (id: string, addresses: string[]) => s.ecs.unassignIpv6Addresses(new $Ecs.UnassignIpv6AddressesRequest({ regionId: R, networkInterfaceId: id, ipv6Address: addresses }));
  async function launched(extra: Record<string, unknown> = {}) {
    const r = await s.ecs.runInstances(runRequest(net, extra));
    const id = r.body!.instanceIdSets!.instanceIdSet![0]!;
    await running(s, s.ecs, id);
    return id;
  }
  async function primaryEni(instanceId: string) {
    const r = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, instanceId, type: 'Primary' }));
    return r.body!.networkInterfaceSets!.networkInterfaceSet![0]!;
  }

  it('CreateVpc EnableIpv6 takes a /56 of the pool; CreateVSwitch Ipv6CidrBlock its /64 number; both described', async () => {
    const vpc = await vpcOf(net.vpcId);
    assert.equal(vpc.enabledIpv6, true);
    vpcBlock = vpc.ipv6CidrBlock!;
    assert.equal(vpcBlock, '2001:db8:4000::/56');
    assert.deepEqual(vpc.ipv6CidrBlocks!.ipv6CidrBlock!.map((b) => [b.ipv6CidrBlock, b.ipv6Isp]), [[vpcBlock, 'BGP']]);
    const attr = (await s.vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: R, vpcId: net.vpcId }))).body!;
    assert.equal(attr.enabledIpv6, true);
    assert.equal(attr.ipv6CidrBlock, vpcBlock);

    const vsw = await vswOf(net.vswitchId);
    assert.equal(vsw.enabledIpv6, true);
    vswBlock = vsw.ipv6CidrBlock!;
    assert.equal(vswBlock, '2001:db8:4000:3::/64');
    const vattr = (await s.vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: R, vSwitchId: net.vswitchId }))).body!;
    assert.equal(vattr.ipv6CidrBlock, vswBlock);
    assert.equal(vattr.enabledIpv6, true);

    // The next VPC takes the next /56; one without IPv6 answers empty.
    const second = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, enableIpv6: true }))).body!.vpcId!;
    assert.equal((await vpcOf(second)).ipv6CidrBlock, '2001:db8:4000:100::/56');
    const plain = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R }))).body!.vpcId!;
    const p = await vpcOf(plain);
    assert.equal(p.enabledIpv6, false);
    assert.equal(p.ipv6CidrBlock, '');
    assert.deepEqual(p.ipv6CidrBlocks!.ipv6CidrBlock, []);
    // The EnableIpv6 filters.
    const withIpv6 = (await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, enableIpv6: true }))).body!.vpcs!.vpc!.map((v) => v.vpcId);
    assert.deepEqual(withIpv6.sort(), [net.vpcId, second].sort());
    const without = (await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, enableIpv6: false }))).body!.vpcs!.vpc!.map((v) => v.vpcId);
    assert.deepEqual(without, [plain]);
    const vsws = (await s.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: R, enableIpv6: true }))).body!.vSwitches!.vSwitch!.map((v) => v.vSwitchId);
    assert.deepEqual(vsws, [net.vswitchId]);
  });

  it('CreateVpc Ipv6CidrBlock: a free /56 of the pool, else the metadata codes', async () => {
    const chosen = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, enableIpv6: true, ipv6CidrBlock: '2001:db8:4000:ff00::/56' }))).body!.vpcId!;
    assert.equal((await vpcOf(chosen)).ipv6CidrBlock, '2001:db8:4000:ff00::/56');
    const create = (extra: Record<string, unknown>) => expectEcsError(() => s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, ...extra })));
    assert.equal((await create({ enableIpv6: true, ipv6CidrBlock: '2001:db8:4000:ff00::/56' })).code, 'OperationFailed.IPv6CidrNotReserved');
    assert.equal((await create({ enableIpv6: true, ipv6CidrBlock: '2001:db9::/56' })).code, 'OperationFailed.IPv6CidrNotReserved');
    assert.equal((await create({ enableIpv6: true, ipv6CidrBlock: '2001:db8:4000::/64' })).code, 'InvalidIpv6CidrBlock.Malformed');
    assert.equal((await create({ enableIpv6: true, ipv6CidrBlock: 'nope' })).code, 'InvalidIpv6CidrBlock.Malformed');
    assert.equal((await create({ ipv6CidrBlock: '2001:db8:4000:fe00::/56' })).code, 'MissingParam.EnableIpv6');
    // Ipv6Isp is not acted on: refused by name.
    assert.equal((await create({ enableIpv6: true, ipv6Isp: 'ChinaMobile' })).code, 'UnsupportedParameter');
  });

  it('CreateVSwitch / ModifyVSwitchAttribute: the VPC must have IPv6, the /64 number 0–255 and free; enable, move, disable', async () => {
    const plain = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '10.0.0.0/16' }))).body!.vpcId!;
    const vsw = (extra: Record<string, unknown>) => s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, zoneId: net.zoneId, ...extra }));
    assert.equal((await expectEcsError(() => vsw({ vpcId: plain, cidrBlock: '10.0.1.0/24', ipv6CidrBlock: 1 }))).code, 'OperationFailed.VpcIpv6Disabled');
    assert.equal((await expectEcsError(() => vsw({ vpcId: net.vpcId, cidrBlock: '192.168.1.0/24', ipv6CidrBlock: 256 }))).code, 'IllegalParam.Ipv6CidrBlock');
    assert.equal((await expectEcsError(() => vsw({ vpcId: net.vpcId, cidrBlock: '192.168.1.0/24', ipv6CidrBlock: 3 }))).code, 'OperationFailed.Ipv6CidrBlockExisted');

    const later = (await vsw({ vpcId: net.vpcId, cidrBlock: '192.168.2.0/24' })).body!.vSwitchId!;
    assert.equal((await vswOf(later)).enabledIpv6, false);
    const modify = (extra: Record<string, unknown>) => s.vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ vSwitchId: later, ...extra }));
    assert.equal((await expectEcsError(() => modify({ enableIPv6: false }))).code, 'OperationFailed.IPv6Disabled');
    await modify({ enableIPv6: true });
    // The lowest /64 number no VSwitch holds.
    assert.equal((await vswOf(later)).ipv6CidrBlock, '2001:db8:4000::/64');
    assert.equal((await expectEcsError(() => modify({ enableIPv6: true }))).code, 'OperationFailed.Ipv6AlreadyEnabled');
    await modify({ ipv6CidrBlock: 9 });
    assert.equal((await vswOf(later)).ipv6CidrBlock, '2001:db8:4000:9::/64');
    assert.equal((await expectEcsError(() => modify({ enableIPv6: false, ipv6CidrBlock: 2 }))).code, 'ParamExclusive.DisableIpv6AndIpv6CidrBlock');
    await modify({ enableIPv6: false });
    const off = await vswOf(later);
    assert.deepEqual([off.enabledIpv6, off.ipv6CidrBlock], [false, '']);

    // ModifyVpcAttribute EnableIPv6 enables a VPC later; disabling waits for its VSwitches.
    const mv = (vpcId: string, extra: Record<string, unknown>) => s.vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ vpcId, ...extra }));
    await mv(plain, { enableIPv6: true });
    assert.match((await vpcOf(plain)).ipv6CidrBlock!, /^2001:db8:40[0-9a-f]{2}:[0-9a-f]*00::\/56$/);
    assert.equal((await expectEcsError(() => mv(plain, { enableIPv6: true, cidrBlock: '10.0.0.0/8' }))).code, 'ParamExclusive.EnableIpv6AndCidrBlock');
    assert.equal((await expectEcsError(() => mv(net.vpcId, { enableIPv6: false }))).code, 'OperationFailed.IpV6VSwitchInuse');
    await mv(plain, { enableIPv6: false });
    assert.equal((await vpcOf(plain)).enabledIpv6, false);
  });

  it('RunInstances Ipv6AddressCount / Ipv6Address.N: the primary ENI\'s addresses in DescribeInstances and DescribeNetworkInterfaces', async () => {
    const vm = await launched({ ipv6AddressCount: 2 });
    const inst = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([vm]) }))).body!.instances!.instance![0]!;
    const listed = inst.networkInterfaces!.networkInterface![0]!.ipv6Sets!.ipv6Set!.map((x) => x.ipv6Address);
    assert.deepEqual(listed, ['2001:db8:4000:3::4', '2001:db8:4000:3::5']);
    const eni = await primaryEni(vm);
    assert.deepEqual(await ipv6Of(eni.networkInterfaceId!), listed);
    const attr = (await s.ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId }))).body!;
    assert.deepEqual(attr.ipv6Sets!.ipv6Set!.map((x) => x.ipv6Address), listed);
    // The Ipv6Address.N filter (any spelling of the address).
    const found = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, ipv6Address: ['2001:DB8:4000:3:0::5'] }));
    assert.deepEqual(found.body!.networkInterfaceSets!.networkInterfaceSet!.map((n) => n.networkInterfaceId), [eni.networkInterfaceId]);
    const none = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, ipv6Address: ['2001:db8:4000:3::99'] }));
    assert.equal(none.body!.totalCount, 0);

    // Named addresses, canonicalized; taken, outside, reserved, too many, IPv4-only VSwitch, unsupported type.
    const named = await launched({ ipv6Address: ['2001:DB8:4000:3::0:abcd'] });
    assert.deepEqual(await ipv6Of((await primaryEni(named)).networkInterfaceId!), ['2001:db8:4000:3::abcd']);
    const run = (extra: Record<string, unknown>) => expectEcsError(() => s.ecs.runInstances(runRequest(net, extra)));
    assert.equal((await run({ ipv6Address: ['2001:db8:4000:3::abcd'] })).code, 'InvalidIp.IpAssigned');
    assert.equal((await run({ ipv6Address: ['2001:db8:4000:4::1'] })).code, 'InvalidVSwitchId.IpInvalid');
    assert.equal((await run({ ipv6Address: ['2001:db8:4000:3::1'] })).code, 'InvalidVSwitchId.IpInvalid');
    assert.equal((await run({ ipv6Address: ['not-an-address'] })).code, 'InvalidIp.Address');
    assert.equal((await run({ ipv6AddressCount: 7 })).code, 'InvalidOperation.Ipv6CountExceeded');
    assert.equal((await run({ ipv6AddressCount: 1, ipv6Address: ['2001:db8:4000:3::77'] })).code, 'InvalidParameter.Conflict');
    assert.equal((await run({ ipv6AddressCount: 1, instanceType: 'ecs.t1.small' })).code, 'InvalidOperation.Ipv6NotSupport');
    const v4 = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: net.vpcId, zoneId: net.zoneId, cidrBlock: '192.168.3.0/24' }))).body!.vSwitchId!;
    assert.equal((await run({ ipv6AddressCount: 1, vSwitchId: v4 })).code, 'InvalidVSwitch.Ipv6NotTurnOn');

    // Released with the instance: the address is free again.
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: named, force: true }));
    await s.advance(10_000);
    const again = await launched({ ipv6Address: ['2001:db8:4000:3::abcd'] });
    assert.deepEqual(await ipv6Of((await primaryEni(again)).networkInterfaceId!), ['2001:db8:4000:3::abcd']);
  });

  it('Assign/UnassignIpv6Addresses: the instance type\'s EniIpv6AddressQuantity, the codes, the metadata service\'s ipv6s', async () => {
    const vm = await launched();
    const eni = (await primaryEni(vm)).networkInterfaceId!;
    assert.deepEqual(await ipv6Of(eni), []);
    const a = (await assign(eni, { ipv6AddressCount: 2 })).body!;
    assert.equal(a.networkInterfaceId, eni);
    assert.equal(a.ipv6Sets!.ipv6Address!.length, 2);
    const b = (await assign(eni, { ipv6Address: ['2001:db8:4000:3::beef'] })).body!;
    assert.deepEqual(b.ipv6Sets!.ipv6Address, ['2001:db8:4000:3::beef']);
    assert.deepEqual(new Set(await ipv6Of(eni)), new Set([...a.ipv6Sets!.ipv6Address!, '2001:db8:4000:3::beef']));

    // ecs.g7.large: EniIpv6AddressQuantity 6.
    assert.equal((await expectEcsError(() => assign(eni, { ipv6AddressCount: 4 }))).code, 'InvalidOperation.Ipv6CountExceeded');
    await assign(eni, { ipv6AddressCount: 3 });
    assert.equal((await ipv6Of(eni)).length, 6);
    const taken = await expectEcsError(() => assign(eni, { ipv6Address: ['2001:db8:4000:3::4'] }));
    assert.ok(['InvalidIp.IpAssigned', 'InvalidOperation.Ipv6CountExceeded'].includes(taken.code));
    assert.equal((await expectEcsError(() => assign(eni, {}))).code, 'MissingParameter');
    assert.equal((await expectEcsError(() => assign('eni-nothere000000000', { ipv6AddressCount: 1 }))).code, 'InvalidEniId.NotFound');
    assert.equal((await expectEcsError(() => assign(eni, { ipv6PrefixCount: 1 }))).code, 'UnsupportedParameter');

    // The metadata service lists them under the ENI's MAC, with the VSwitch's block.
    const nics = await metadataNicsOf(s.app.services.db, vm);
    const tree: any = metadataTree({ mac: nics[0]!.mac, publicKeys: [] } as any, undefined, nics);
    const entry = tree.network.interfaces.macs[nics[0]!.mac];
    assert.deepEqual(new Set(JSON.parse(entry.ipv6s)), new Set(await ipv6Of(eni)));
    assert.equal(entry['vswitch-ipv6-cidr-block'], vswBlock);
    assert.deepEqual(JSON.parse(entry['vpc-ipv6-cidr-blocks']), [vpcBlock]);

    assert.equal((await expectEcsError(() => unassign(eni, ['2001:db8:4000:3::dead']))).code, 'InvalidIp.IpUnassigned');
    assert.equal((await expectEcsError(() => unassign(eni, ['zz::zz::']))).code, 'InvalidIp.Address');
    await unassign(eni, ['2001:DB8:4000:3::BEEF']);
    assert.equal((await ipv6Of(eni)).length, 5);
    assert.ok(!(await ipv6Of(eni)).includes('2001:db8:4000:3::beef'));

    // A VSwitch's /64 stays while an ENI holds an address of it.
    const modify = await expectEcsError(() => s.vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ vSwitchId: net.vswitchId, enableIPv6: false })));
    assert.equal(modify.code, 'OperationFailed.Ipv6InstanceExist');
  });

  it('CreateNetworkInterface Ipv6AddressCount / Ipv6Address.N; the addresses go with DeleteNetworkInterface', async () => {
    const create = (extra: Record<string, unknown>) => s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({
      regionId: R, vSwitchId: net.vswitchId, securityGroupIds: [net.securityGroupId], ...extra,
    }));
    const body = (await create({ ipv6Address: ['2001:db8:4000:3::e1', '2001:db8:4000:3::e2'] })).body!;
    assert.deepEqual(body.ipv6Sets!.ipv6Set!.map((x) => x.ipv6Address), ['2001:db8:4000:3::e1', '2001:db8:4000:3::e2']);
    const counted = (await create({ ipv6AddressCount: 1 })).body!;
    assert.equal(counted.ipv6Sets!.ipv6Set!.length, 1);
    assert.equal((await expectEcsError(() => create({ ipv6Address: ['2001:db8:4000:3::e1'] }))).code, 'InvalidOperation.AddressAlreadyAllocated');
    assert.equal((await expectEcsError(() => create({ ipv6Address: ['2001:db8:4000:7::1'] }))).code, 'InvalidOperation.AddressNotInVSwitchCidr');
    const v4 = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: net.vpcId, zoneId: net.zoneId, cidrBlock: '192.168.4.0/24' }))).body!.vSwitchId!;
    const disabled = await expectEcsError(() => s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({
      regionId: R, vSwitchId: v4, securityGroupIds: [net.securityGroupId], ipv6AddressCount: 1,
    })));
    assert.equal(disabled.code, 'InvalidOperation.VSwitchIpv6Disabled');

    await s.ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: R, networkInterfaceId: body.networkInterfaceId }));
    await s.advance(10_000);
    const reused = (await create({ ipv6Address: ['2001:db8:4000:3::e1'] })).body!;
    assert.deepEqual(reused.ipv6Sets!.ipv6Set!.map((x) => x.ipv6Address), ['2001:db8:4000:3::e1']);
  });

  it('AttachNetworkInterface checks EniIpv6AddressQuantity; ModifyInstanceVpcAttribute keeps an instance with IPv6 in its VSwitch', async () => {
    const vm = await launched();
    const many = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({
      regionId: R, vSwitchId: net.vswitchId, securityGroupIds: [net.securityGroupId], ipv6AddressCount: 7,
    }))).body!.networkInterfaceId!;
    const attach = (eni: string) => s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni, instanceId: vm }));
    assert.equal((await expectEcsError(() => attach(many))).code, 'InvalidOperation.Ipv6CountExceeded');
    await unassign(many, (await ipv6Of(many)).slice(0, 1));
    await attach(many);
    await s.advance(10_000);
    assert.equal((await eniOf(many)).status, 'InUse');

    const holder = await launched({ ipv6AddressCount: 1 });
    await stop(s, holder);
    const other = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: net.vpcId, zoneId: net.zoneId, cidrBlock: '192.168.5.0/24', ipv6CidrBlock: 5 }))).body!.vSwitchId!;
    const move = await expectEcsError(() => s.ecs.modifyInstanceVpcAttribute(new $Ecs.ModifyInstanceVpcAttributeRequest({ instanceId: holder, vSwitchId: other })));
    assert.equal(move.code, 'InvalidIp.Ipv6Assigned');
  });

  it('an IPv6 rule (Ipv6SourceCidrIp) is judged by ExplainSecurityGroupAccess for the instance\'s IPv6 address', async () => {
    const sg = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId }))).body!.securityGroupId!;
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: sg, ipProtocol: 'tcp', portRange: '443/443', ipv6SourceCidrIp: '2001:db8:ffff::/48',
    }));
    const vm = await launched({ securityGroupId: sg, ipv6AddressCount: 1 });
    const ext = new PopCore({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    const explain = (peer: string): Promise<any> => ext.request('ExplainSecurityGroupAccess', {
      RegionId: R, InstanceId: vm, Direction: 'ingress', IpProtocol: 'tcp', Port: 443, PeerAddress: peer,
    }, { method: 'POST' });
    const allowed = await explain('2001:db8:ffff::7');
    assert.equal(allowed.Decision, 'Allow');
    assert.equal(allowed.DecidingRule.Ipv6SourceCidrIp, '2001:db8:ffff::/48');
    assert.equal((await explain('2001:db8:eeee::7')).Decision, 'Deny');
    // The IPv4 side is untouched by the IPv6 rule.
    assert.equal((await explain('198.51.100.7')).Decision, 'Deny');
  });
});
