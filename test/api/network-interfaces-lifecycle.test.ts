/**
 * Secondary elastic network interfaces through the official client: create (addresses, groups,
 * tags, ClientToken), describe (list and attribute), modify (name, groups replaced, DeleteOnRelease),
 * the groups' member counts and DeleteSecurityGroup's dependency, attach and detach through the
 * engine (Attaching → InUse → Detaching → Available) with the instance type's EniQuantity, delete
 * (Deleting → gone), what DeleteInstance does to attached ENIs, an attach the driver refuses, and
 * the permissions that let another account attach an ENI. Each refusal is the metadata's code.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { runRequest, type Network } from '../helpers/fixtures.js';
import { launch, networkOf, otherAccount, R, startWithInstance, stop } from './storage-fixtures.js';
import * as $Vpc from '@alicloud/vpc20160428';
import { SimDriver } from '../../src/compute/sim.js';
import { checkInvariants } from '../../src/engine/invariants.js';
import type { GuestNic } from '../../src/compute/driver.js';

describe('elastic network interfaces: lifecycle', () => {
  let s: TestServer;
  let net: Network;
  let vm: string;

  before(async () => { ({ s, net, vm } = await startWithInstance()); });
  after(async () => { await s.close(); });

  async function create(extra: Record<string, unknown> = {}) {
    const r = await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({
      regionId: R, vSwitchId: net.vswitchId, securityGroupIds: [net.securityGroupId], ...extra,
    }));
    return r.body!;
  }
  async function eni(id: string) {
    const r = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [id] }));
    return r.body!.networkInterfaceSets!.networkInterfaceSet![0];
  }
  async function group(type = 'normal', vpcId = net.vpcId) {
    return (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId, securityGroupType: type }))).body!.securityGroupId!;
  }
  async function ecsCount(groupId: string) {
    const r = await s.ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, securityGroupId: groupId }));
    return r.body!.securityGroups!.securityGroup![0]!.ecsCount!;
  }
  async function primaryOf(instanceId: string) {
    const r = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, instanceId, type: 'Primary' }));
    return r.body!.networkInterfaceSets!.networkInterfaceSet![0]!;
  }
  const attach = (id: string, instanceId = vm) =>
    s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: id, instanceId }));
  const detach = (id: string, instanceId = vm) =>
    s.ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: id, instanceId }));
  const remove = (id: string) => s.ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: R, networkInterfaceId: id }));

  it('CreateNetworkInterface: its addresses, groups, tags and name; listed and described in full; a ClientToken replays it', async () => {
    const body = await create({
      primaryIpAddress: '192.168.0.50', secondaryPrivateIpAddressCount: 2, networkInterfaceName: 'eni-one', description: 'a secondary one',
      tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'team', value: 'net' })], clientToken: 'eni-token-1',
    });
    assert.match(body.networkInterfaceId!, /^eni-/);
    assert.equal(body.status, 'Available');
    assert.equal(body.type, 'Secondary');
    assert.equal(body.privateIpAddress, '192.168.0.50');
    assert.equal(body.privateIpSets!.privateIpSet!.length, 3);
    assert.deepEqual(body.securityGroupIds!.securityGroupId, [net.securityGroupId]);
    assert.equal(body.vpcId, net.vpcId);
    assert.equal(body.zoneId, net.zoneId);
    assert.match(body.macAddress!, /^00:16:3e:/);
    const again = await create({ primaryIpAddress: '192.168.0.50', secondaryPrivateIpAddressCount: 2, networkInterfaceName: 'eni-one', description: 'a secondary one',
      tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'team', value: 'net' })], clientToken: 'eni-token-1' });
    assert.equal(again.networkInterfaceId, body.networkInterfaceId);

    const listed = (await eni(body.networkInterfaceId!))!;
    assert.equal(listed.status, 'Available');
    assert.equal(listed.instanceId, '');
    assert.equal(listed.networkInterfaceName, 'eni-one');
    assert.deepEqual(listed.securityGroupIds!.securityGroupId, [net.securityGroupId]);
    const ips = listed.privateIpSets!.privateIpSet!;
    assert.deepEqual(ips.map((i) => i.primary), [true, false, false]);
    assert.equal(ips[0]!.privateIpAddress, '192.168.0.50');
    assert.deepEqual(listed.tags!.tag!.map((t) => [t.tagKey, t.tagValue]), [['team', 'net']]);
    assert.equal(listed.deleteOnRelease, false);

    const attr = (await s.ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: R, networkInterfaceId: body.networkInterfaceId }))).body!;
    assert.equal(attr.networkInterfaceId, body.networkInterfaceId);
    assert.equal(attr.type, 'Secondary');
    assert.equal(attr.privateIpSets!.privateIpSet!.length, 3);
    assert.equal(attr.networkInterfaceTrafficConfig!.networkInterfaceTrafficMode, 'Standard');
    assert.ok(attr.ipv6Sets && attr.ipv4PrefixSets && attr.associatedPublicIp && attr.attachment);
    assert.equal(attr.resourceGroupId, listed.resourceGroupId);
    const badAttr = await expectEcsError(() => s.ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: R, networkInterfaceId: body.networkInterfaceId, attribute: 'bogus' })));
    assert.equal(badAttr.code, 'InvalidParameter');

    // The address is the ENI's: a launch asking for it is refused, and the VSwitch counts it.
    const taken = await expectEcsError(() => s.ecs.runInstances(runRequest(net, { privateIpAddress: '192.168.0.50' })));
    assert.equal(taken.code, 'InvalidPrivateIpAddress.Duplicated');
    assert.equal(await s.ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: R, networkInterfaceId: body.networkInterfaceId })).then(() => 'ok'), 'ok');
  });

  it('CreateNetworkInterface refuses with the documented codes', async () => {
    const otherVpc = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '172.16.0.0/16' }))).body!.vpcId!;
    const foreign = await group('normal', otherVpc);
    const advanced = await group('enterprise');
    const six = await Promise.all(Array.from({ length: 6 }, () => group()));
    const used = (await primaryOf(vm)).privateIpAddress!;
    const table: [string, Record<string, unknown>, string, number][] = [
      ['unknown VSwitch', { vSwitchId: 'vsw-nothere0000000000' }, 'InvalidVSwitchId.NotFound', 404],
      ['unknown group', { securityGroupIds: ['sg-nothere0000000000'] }, 'InvalidSecurityGroupId.NotFound', 404],
      ['both group parameters', { securityGroupId: net.securityGroupId }, 'InvalidSecurityGroupId.SingleIdAndMultiIdConflict', 400],
      ['a group of another VPC', { securityGroupIds: [foreign] }, 'InvalidOperation.VpcMismatch', 403],
      ['basic and advanced groups', { securityGroupIds: [net.securityGroupId, advanced] }, 'EnterpriseGroupLimited.MutliGroupType', 403],
      ['six groups', { securityGroupIds: six }, 'JoinedGroupLimitExceed', 400],
      ['the same group twice', { securityGroupIds: [net.securityGroupId, net.securityGroupId] }, 'InvalidParameter.SecurityGroupIdRepeated', 400],
      ['an address in use', { primaryIpAddress: used }, 'InvalidPrivateIpAddress.Duplicated', 400],
      ['an address outside the VSwitch', { primaryIpAddress: '10.9.9.9' }, 'InvalidVSwitchId.IpInvalid', 403],
      ['a malformed address', { primaryIpAddress: '192.168.0.999' }, 'InvalidIp.Address', 403],
      ['a malformed secondary address', { privateIpAddress: ['not-an-ip'] }, 'InvalidIp.Address', 403],
      ['a malformed name', { networkInterfaceName: '1abc' }, 'InvalidParams.NetworkInterfaceName', 403],
      ['addresses named and counted', { privateIpAddress: ['192.168.0.60'], secondaryPrivateIpAddressCount: 1 }, 'InvalidParameter.Conflict', 400],
      ['a trunk interface', { instanceType: 'Trunk' }, 'InvalidOperation.TrunkingIsNotAllowed', 403],
    ];
    for (const [name, extra, code, status] of table) {
      const e = await expectEcsError(() => create(extra));
      assert.deepEqual([e.code, e.statusCode], [code, status], name);
    }
    const none = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, type: 'Secondary', status: 'Available' }));
    assert.equal(none.body!.totalCount, 0, 'a refused create leaves nothing behind');
  });

  it('an ENI is a member of its own groups: counted, listed by group, replaced by Modify, and it keeps a group from being deleted', async () => {
    const g1 = await group();
    const g2 = await group();
    const id = (await create({ securityGroupIds: [g1] })).networkInterfaceId!;
    assert.equal(await ecsCount(g1), 1);
    const byGroup = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, securityGroupId: g1 }));
    assert.deepEqual(byGroup.body!.networkInterfaceSets!.networkInterfaceSet!.map((n) => n.networkInterfaceId), [id]);
    const blocked = await expectEcsError(() => s.ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId: g1 })));
    assert.equal(blocked.code, 'DependencyViolation');

    await s.ecs.modifyNetworkInterfaceAttribute(new $Ecs.ModifyNetworkInterfaceAttributeRequest({
      regionId: R, networkInterfaceId: id, securityGroupId: [g2, net.securityGroupId], networkInterfaceName: 'renamed', description: 'changed', deleteOnRelease: true,
    }));
    const after = (await eni(id))!;
    assert.deepEqual(after.securityGroupIds!.securityGroupId, [g2, net.securityGroupId]);
    assert.equal(after.networkInterfaceName, 'renamed');
    assert.equal(after.description, 'changed');
    assert.equal(after.deleteOnRelease, true);
    assert.deepEqual([await ecsCount(g1), await ecsCount(g2)], [0, 1]);
    await s.ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId: g1 }));

    const advanced = await group('enterprise');
    const mixed = await expectEcsError(() => s.ecs.modifyNetworkInterfaceAttribute(new $Ecs.ModifyNetworkInterfaceAttributeRequest({ regionId: R, networkInterfaceId: id, securityGroupId: [g2, advanced] })));
    assert.deepEqual([mixed.code, mixed.statusCode], ['InvalidOperation.MultiGroupType', 403]);
    // A secondary ENI's groups may differ from its instance's; the primary ENI changes only its name and description.
    const primary = (await primaryOf(vm)).networkInterfaceId!;
    const onlyName = await expectEcsError(() => s.ecs.modifyNetworkInterfaceAttribute(new $Ecs.ModifyNetworkInterfaceAttributeRequest({ regionId: R, networkInterfaceId: primary, securityGroupId: [g2] })));
    assert.deepEqual([onlyName.code, onlyName.statusCode], ['InvalidOperation.PrimaryEniOnlySupportModifyNameAndDesc', 404]);
    await s.ecs.modifyNetworkInterfaceAttribute(new $Ecs.ModifyNetworkInterfaceAttributeRequest({ regionId: R, networkInterfaceId: primary, networkInterfaceName: 'primary-one' }));
    assert.equal((await eni(primary))!.networkInterfaceName, 'primary-one');
    await remove(id);
    await s.advance(1000);
    assert.equal(await ecsCount(g2), 0);
  });

  it('JoinSecurityGroup / LeaveSecurityGroup with NetworkInterfaceId change one secondary ENI\'s groups', async () => {
    const g1 = await group();
    const id = (await create()).networkInterfaceId!;
    const join = (p: Record<string, unknown>) => s.ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ regionId: R, securityGroupId: g1, networkInterfaceId: id, ...p }));
    const leave = (p: Record<string, unknown>) => s.ecs.leaveSecurityGroup(new $Ecs.LeaveSecurityGroupRequest({ regionId: R, securityGroupId: g1, networkInterfaceId: id, ...p }));
    await join({});
    assert.deepEqual((await eni(id))!.securityGroupIds!.securityGroupId, [net.securityGroupId, g1]);
    assert.equal(await ecsCount(g1), 1);
    const table: [string, () => Promise<unknown>, string, number][] = [
      ['join again', () => join({}), 'InvalidInstanceId.AlreadyExists', 403],
      ['both ids', () => join({ instanceId: vm }), 'InvalidParam.EniIdAndInstanceId.Conflict', 403],
      ['the primary ENI', async () => join({ networkInterfaceId: (await primaryOf(vm)).networkInterfaceId }), 'InvalidOperation.InvalidEniType', 403],
      ['an unknown ENI', () => join({ networkInterfaceId: 'eni-nothere0000000000' }), 'InvalidEniId.NotFound', 404],
      ['leave a group it is not in', async () => leave({ securityGroupId: await group() }), 'InstanceNotInSecurityGroup', 403],
    ];
    for (const [name, fn, code, status] of table) {
      const e = await expectEcsError(fn);
      assert.deepEqual([e.code, e.statusCode], [code, status], name);
    }
    await leave({});
    const last = await expectEcsError(() => leave({ securityGroupId: net.securityGroupId }));
    assert.deepEqual([last.code, last.statusCode], ['InvalidOperation.AtLeastInOneGroup', 403]);
    assert.deepEqual((await eni(id))!.securityGroupIds!.securityGroupId, [net.securityGroupId]);
    assert.equal(await ecsCount(g1), 0);
    await remove(id);
    await s.advance(1000);
  });

  it('secondary ENIs count toward a group\'s member limit', async () => {
    const g = await group();
    const rows = Array.from({ length: 1999 }, (_, i) => ({ instance_id: `i-filler${i}`, security_group_id: g, position: 0 }));
    for (let i = 0; i < rows.length; i += 500) await s.app.services.db.insertInto('instance_security_groups').values(rows.slice(i, i + 500)).execute();
    const id = (await create({ securityGroupIds: [g] })).networkInterfaceId!;
    assert.equal(await ecsCount(g), 2000);
    const full = await expectEcsError(() => create({ securityGroupIds: [g] }));
    assert.deepEqual([full.code, full.statusCode], ['SecurityGroupInstanceLimitExceed', 403]);
    const join = await expectEcsError(() => s.ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ instanceId: vm, securityGroupId: g })));
    assert.equal(join.code, 'SecurityGroupInstanceLimitExceeded');
    await remove(id);
    await s.advance(1000);
    await s.app.services.db.deleteFrom('instance_security_groups').where('security_group_id', '=', g).execute();
  });

  it('attach and detach go through Attaching → InUse and Detaching → Available; the limits and states are checked', async () => {
    const id = (await create()).networkInterfaceId!;
    await attach(id);
    assert.equal((await eni(id))!.status, 'Attaching');
    assert.equal((await eni(id))!.instanceId, vm);
    await s.advance(1000);
    const inUse = (await eni(id))!;
    assert.equal(inUse.status, 'InUse');
    assert.equal(inUse.attachment!.instanceId, vm);
    assert.equal(inUse.attachment!.deviceIndex, 1);
    const onVm = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, instanceId: vm }));
    assert.deepEqual(onVm.body!.networkInterfaceSets!.networkInterfaceSet!.map((n) => n.type).sort(), ['Primary', 'Secondary']);

    // ecs.g7.large: EniQuantity 2, the primary one included.
    const second = (await create()).networkInterfaceId!;
    const limit = await expectEcsError(() => attach(second));
    assert.deepEqual([limit.code, limit.statusCode], ['EniPerInstanceLimitExceeded', 403]);
    const busy = await expectEcsError(() => remove(id));
    assert.equal(busy.code, 'InvalidOperation.InvalidEniState');
    const again = await expectEcsError(() => attach(id));
    assert.equal(again.code, 'InvalidOperation.InvalidEniState');
    const primary = (await primaryOf(vm)).networkInterfaceId!;
    const primaryOff = await expectEcsError(() => detach(primary));
    assert.equal(primaryOff.code, 'InvalidOperation.DetachPrimaryEniNotAllowed');
    const primaryGone = await expectEcsError(() => remove(primary));
    assert.equal(primaryGone.code, 'InvalidOperation.InvalidEniType');
    const notThere = await expectEcsError(() => detach(second));
    assert.equal(notThere.code, 'InvalidParameter.EniNotBelongEcs');
    const unknown = await expectEcsError(() => attach('eni-nothere0000000000'));
    assert.deepEqual([unknown.code, unknown.statusCode], ['InvalidEniId.NotFound', 404]);

    await detach(id);
    assert.equal((await eni(id))!.status, 'Detaching');
    await detach(id); // again while Detaching: accepted
    await s.advance(1000);
    const back = (await eni(id))!;
    assert.deepEqual([back.status, back.instanceId], ['Available', '']);

    await remove(id);
    assert.equal((await eni(id))!.status, 'Deleting');
    await s.advance(1000);
    assert.equal(await eni(id), undefined);
    await remove(second);
    await s.advance(1000);
    const gone = await expectEcsError(() => remove(second));
    assert.deepEqual([gone.code, gone.statusCode], ['InvalidEniId.NotFound', 404]);
  });

  it('attach needs the same VPC and zone, a Running or Stopped instance, and groups of the instance\'s type', async () => {
    const otherVpc = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '172.17.0.0/16' }))).body!.vpcId!;
    const vsw = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: otherVpc, zoneId: net.zoneId, cidrBlock: '172.17.0.0/24' }))).body!.vSwitchId!;
    const foreignGroup = await group('normal', otherVpc);
    const foreign = (await create({ vSwitchId: vsw, securityGroupIds: [foreignGroup] })).networkInterfaceId!;
    const vpcMismatch = await expectEcsError(() => attach(foreign));
    assert.deepEqual([vpcMismatch.code, vpcMismatch.statusCode], ['InvalidOperation.VpcMismatch', 403]);

    const zones = (await s.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R }))).body!.zones!.zone!;
    const otherZone = zones.find((z) => z.zoneId !== net.zoneId)!.zoneId!;
    const vsw2 = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: net.vpcId, zoneId: otherZone, cidrBlock: '192.168.64.0/24' }))).body!.vSwitchId!;
    const elsewhere = (await create({ vSwitchId: vsw2 })).networkInterfaceId!;
    const zoneMismatch = await expectEcsError(() => attach(elsewhere));
    assert.deepEqual([zoneMismatch.code, zoneMismatch.statusCode], ['InvalidOperation.AvailabilityZoneMismatch', 403]);

    const advanced = await group('enterprise');
    const enterprise = (await create({ securityGroupIds: [advanced] })).networkInterfaceId!;
    const typeMismatch = await expectEcsError(() => attach(enterprise));
    assert.deepEqual([typeMismatch.code, typeMismatch.statusCode], ['InvalidOperation.MultiGroupType', 403]);

    const pending = (await s.ecs.runInstances(runRequest(net))).body!.instanceIdSets!.instanceIdSet![0]!;
    const plain = (await create()).networkInterfaceId!;
    const notYet = await expectEcsError(() => attach(plain, pending));
    assert.equal(notYet.code, 'InvalidOperation.InvalidEcsState');
    for (const x of [foreign, elsewhere, enterprise, plain]) await remove(x);
    await s.advance(1000);
  });

  it('DeleteInstance: an attached ENI is detached and kept, or deleted with DeleteOnRelease', async () => {
    const a = (await launch(s)).instanceId;
    const b = (await launch(s)).instanceId;
    const kept = (await create()).networkInterfaceId!;
    const doomed = (await create({ deleteOnRelease: true })).networkInterfaceId!;
    await attach(kept, a);
    await attach(doomed, b);
    await s.advance(1000);
    assert.deepEqual([(await eni(kept))!.status, (await eni(doomed))!.status], ['InUse', 'InUse']);
    const primaries = [(await primaryOf(a)).networkInterfaceId!, (await primaryOf(b)).networkInterfaceId!];
    for (const id of [a, b]) await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    for (let i = 0; i < 5; i++) await s.advance(1000);
    const k = (await eni(kept))!;
    assert.deepEqual([k.status, k.instanceId, k.privateIpSets!.privateIpSet!.length], ['Available', '', 1]);
    assert.equal(await eni(doomed), undefined);
    for (const p of primaries) assert.equal(await eni(p), undefined, 'the primary ENI goes with its instance');
    await remove(kept);
    await s.advance(1000);
  });
  it('ModifyInstanceVpcAttribute does not move an instance with a secondary ENI to another VPC', async () => {
    const a = (await launch(s)).instanceId;
    const id = (await create()).networkInterfaceId!;
    await attach(id, a);
    await s.advance(1000);
    await stop(s, a);
    const vpc = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '172.18.0.0/16' }))).body!.vpcId!;
    const vsw = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: vpc, zoneId: net.zoneId, cidrBlock: '172.18.0.0/24' }))).body!.vSwitchId!;
    const g = await group('normal', vpc);
    const move = () => s.ecs.modifyInstanceVpcAttribute(new $Ecs.ModifyInstanceVpcAttributeRequest({ instanceId: a, vpcId: vpc, vSwitchId: vsw, securityGroupId: [g] }));
    const refused = await expectEcsError(move);
    assert.deepEqual([refused.code, refused.statusCode], ['InvalidInstance.AttachedEni', 404]);
    await detach(id, a);
    await s.advance(1000);
    await move();
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: a, force: true }));
    await remove(id);
    for (let i = 0; i < 3; i++) await s.advance(1000);
  });

  it('the store holds together: every ENI in a documented, settled state, attached only to live instances', async () => {
    const violations = await checkInvariants(s.app.services.db, undefined, { settled: true, now: s.clock.now() });
    assert.deepEqual(violations.filter((v) => v.kind.startsWith('eni')), []);
  });
});

describe('elastic network interfaces: a driver that cannot attach', () => {
  /** The simulated driver, refusing every NIC hot-plug (as a host that cannot would). */
  class NoHotplug extends SimDriver {
    override async attachNic(instanceId: string, nic: GuestNic): Promise<void> {
      throw new Error(`no hot-plug for ${nic.eniId} on ${instanceId}`);
    }
  }
  let s: TestServer;
  const driver = new NoHotplug(1000);
  before(async () => { s = await startTestServer({}, { driver }); });
  after(async () => { await s.close(); });

  it('the attach is retried, then undone: the ENI is Available again (the documented failure state), never InUse', async () => {
    const net = await networkOf(s);
    const vm = (await launch(s)).instanceId;
    const id = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: R, vSwitchId: net.vswitchId, securityGroupId: net.securityGroupId }))).body!.networkInterfaceId!;
    await s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: id, instanceId: vm }));
    const seen = new Set<string>();
    for (let i = 0; i < 20; i++) {
      await s.advance(1000);
      const n = (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [id] }))).body!.networkInterfaceSets!.networkInterfaceSet![0]!;
      seen.add(n.status!);
      if (n.status === 'Available') {
        assert.equal(n.instanceId, '');
        break;
      }
    }
    assert.ok(seen.has('Available') && !seen.has('InUse'), [...seen].join(','));
    assert.deepEqual(driver.nicsOf(vm), []);
  });
});

describe('elastic network interfaces: the simulated guest', () => {
  let s: TestServer;
  const driver = new SimDriver(1000);
  before(async () => { s = await startTestServer({}, { driver }); });
  after(async () => { await s.close(); });

  it('an attached ENI is a NIC of the guest with its MAC and address, gone after detach', async () => {
    const net = await networkOf(s);
    const vm = (await launch(s)).instanceId;
    const created = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: R, vSwitchId: net.vswitchId, securityGroupId: net.securityGroupId }))).body!;
    await s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: created.networkInterfaceId, instanceId: vm }));
    await s.advance(1000);
    assert.deepEqual(driver.nicsOf(vm).map((n) => [n.eniId, n.mac, n.privateIp, n.deviceIndex]), [[created.networkInterfaceId, created.macAddress, created.privateIpAddress, 1]]);
    await s.ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: created.networkInterfaceId, instanceId: vm }));
    await s.advance(1000);
    assert.deepEqual(driver.nicsOf(vm), []);
  });
});

describe('elastic network interfaces: permissions for another account', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('InstanceAttach lets the grantee attach the ENI to its instance (same zone); revoking needs Force while attached, which detaches it', async () => {
    const net = await networkOf(s);
    const b = await otherAccount(s, 'eni-grantee');
    const vmB = (await launch(s, { as: b })).instanceId;
    const eniId = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: R, vSwitchId: net.vswitchId, securityGroupId: net.securityGroupId }))).body!.networkInterfaceId!;
    const attachAsB = () => b.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eniId, instanceId: vmB }));
    const status = async () => (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [eniId] }))).body!.networkInterfaceSets!.networkInterfaceSet![0]!;

    const before = await expectEcsError(attachAsB);
    assert.deepEqual([before.code, before.statusCode], ['InvalidEniId.NotFound', 404]);

    const grant = (p: Record<string, unknown> = {}) => s.ecs.createNetworkInterfacePermission(new $Ecs.CreateNetworkInterfacePermissionRequest({
      regionId: R, networkInterfaceId: eniId, accountId: Number(b.id), permission: 'InstanceAttach', ...p,
    }));
    const perm = (await grant()).body!.networkInterfacePermission!;
    assert.deepEqual([perm.networkInterfaceId, perm.accountId, perm.permission, perm.permissionState], [eniId, Number(b.id), 'InstanceAttach', 'Granted']);
    const refusals: [string, () => Promise<unknown>, string][] = [
      ['twice', () => grant(), 'InvalidOperation.PermissionExisted'],
      ['another permission', () => grant({ permission: 'InstanceDetach' }), 'InvalidParameter'],
      ['an unknown ENI', () => grant({ networkInterfaceId: 'eni-nothere0000000000' }), 'InvalidEniId.NotFound'],
      ['no scope', () => s.ecs.describeNetworkInterfacePermissions(new $Ecs.DescribeNetworkInterfacePermissionsRequest({ regionId: R })), 'MissingParameter'],
    ];
    for (const [name, fn, code] of refusals) assert.equal((await expectEcsError(fn)).code, code, name);
    const listed = (await s.ecs.describeNetworkInterfacePermissions(new $Ecs.DescribeNetworkInterfacePermissionsRequest({ regionId: R, networkInterfaceId: eniId }))).body!;
    assert.deepEqual([listed.totalCount, listed.networkInterfacePermissions!.networkInterfacePermission![0]!.networkInterfacePermissionId], [1, perm.networkInterfacePermissionId]);
    const byB = (await b.ecs.describeNetworkInterfacePermissions(new $Ecs.DescribeNetworkInterfacePermissionsRequest({ regionId: R, networkInterfaceId: eniId }))).body!;
    assert.equal(byB.totalCount, 0, 'the grant is the owner\'s to list');

    await attachAsB();
    await s.advance(1000);
    const inUse = await status();
    assert.deepEqual([inUse.status, inUse.instanceId], ['InUse', vmB]);

    const busy = await expectEcsError(() => s.ecs.deleteNetworkInterfacePermission(new $Ecs.DeleteNetworkInterfacePermissionRequest({ regionId: R, networkInterfacePermissionId: perm.networkInterfacePermissionId })));
    assert.equal(busy.code, 'InvalidOperation.InvalidEniState');
    await s.ecs.deleteNetworkInterfacePermission(new $Ecs.DeleteNetworkInterfacePermissionRequest({ regionId: R, networkInterfacePermissionId: perm.networkInterfacePermissionId, force: true }));
    assert.equal((await status()).status, 'Detaching');
    await s.advance(1000);
    assert.deepEqual([(await status()).status, (await status()).instanceId], ['Available', '']);
    const after = await expectEcsError(attachAsB);
    assert.equal(after.code, 'InvalidEniId.NotFound');
    const gone = await expectEcsError(() => s.ecs.deleteNetworkInterfacePermission(new $Ecs.DeleteNetworkInterfacePermissionRequest({ regionId: R, networkInterfacePermissionId: perm.networkInterfacePermissionId })));
    assert.deepEqual([gone.code, gone.statusCode], ['InvalidEniPermissionId.NotFound', 404]);
  });
});
