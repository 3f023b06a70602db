/**
 * Elastic IP addresses through the official VPC client (2016-04-28) and, for the ECS API's copies
 * (2014-05-26), pop-core as fog and aliyungo call them: allocation from the public pool (defaults,
 * ClientToken, a requested address, the quota), the Associating → InUse and Unassociating →
 * Available transitions a poller sees, the preconditions' codes, release (Releasing → gone),
 * attribute changes, the Describe filters, what DescribeInstances and DescribeNetworkInterfaces
 * show, and DeleteInstance letting go of the EIP; EIPs on a secondary ENI's addresses
 * (InstanceType NetworkInterface) and what the ENI's delete and UnassignPrivateIpAddresses do to
 * them; the instances' NAT public addresses on the same wire, ConvertNatPublicIpToEip and
 * ReleasePublicIpAddress. The wire's mappings are read as the enforcer gathers them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { shapeMismatches } from '../helpers/response-shape.js';
import { launch, networkOf, otherAccount, R, stop } from './storage-fixtures.js';
import { checkInvariants } from '../../src/engine/invariants.js';
import { gatherEipMappings } from '../../src/network/enforcer.js';

describe('elastic IP addresses', () => {
  let s: TestServer;

  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  async function allocate(extra: Partial<$Vpc.AllocateEipAddressRequest> = {}) {
    return (await s.vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: R, ...extra }))).body!;
  }
  async function describe_(extra: Partial<$Vpc.DescribeEipAddressesRequest> = {}) {
    const body = (await s.vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId: R, ...extra }))).body!;
    return body;
  }
  async function eip(allocationId: string) {
    return (await describe_({ allocationId })).eipAddresses!.eipAddress![0];
  }
  const associate = (allocationId: string, instanceId: string, extra: Partial<$Vpc.AssociateEipAddressRequest> = {}) =>
    s.vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId: R, allocationId, instanceId, ...extra }));
  const unassociate = (allocationId: string, instanceId: string, extra: Partial<$Vpc.UnassociateEipAddressRequest> = {}) =>
    s.vpc.unassociateEipAddress(new $Vpc.UnassociateEipAddressRequest({ regionId: R, allocationId, instanceId, ...extra }));
  const release = (allocationId: string) => s.vpc.releaseEipAddress(new $Vpc.ReleaseEipAddressRequest({ regionId: R, allocationId }));
  const modify = (allocationId: string, extra: Partial<$Vpc.ModifyEipAddressAttributeRequest>) =>
    s.vpc.modifyEipAddressAttribute(new $Vpc.ModifyEipAddressAttributeRequest({ regionId: R, allocationId, ...extra }));
  async function refused(fn: () => Promise<unknown>): Promise<[string, number]> {
    const e = await expectEcsError(fn);
    return [e.code, e.statusCode];
  }
  async function instanceEip(instanceId: string) {
    const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([instanceId]) }));
    return r.body!.instances!.instance![0]!.eipAddress!;
  }
  async function primaryEniPublic(instanceId: string) {
    const r = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, instanceId }));
    return r.body!.networkInterfaceSets!.networkInterfaceSet![0]!.associatedPublicIp!;
  }

  it('allocates from the public pool with the documented defaults; ClientToken answers the same EIP', async () => {
    const a = await allocate({ clientToken: 'eip-token-1' });
    assert.match(a.allocationId!, /^eip-/);
    assert.match(a.eipAddress!, /^198\.18\./);
    assert.match(a.resourceGroupId!, /^rg-/);
    const again = await allocate({ clientToken: 'eip-token-1' });
    assert.equal(again.allocationId, a.allocationId);
    assert.equal(again.eipAddress, a.eipAddress);
    assert.equal((await describe_({ eipAddress: a.eipAddress })).totalCount, 1);
    const e = await eip(a.allocationId!);
    assert.deepEqual(
      [e.status, e.bandwidth, e.internetChargeType, e.chargeType, e.ISP, e.netmode, e.instanceId, e.mode, e.regionId],
      ['Available', '5', 'PayByBandwidth', 'PostPaid', 'BGP', 'public', '', 'NAT', R],
    );
    assert.equal(e.allocationTime, '2026-11-23T06:00:00Z');
    // The raw answer fits the VPC metadata's response shape.
    const raw = await s.popVpc.request('DescribeEipAddresses', { RegionId: R, AllocationId: a.allocationId }, { method: 'POST' });
    assert.deepEqual(shapeMismatches('DescribeEipAddresses', JSON.parse(JSON.stringify(raw)), [], 'vpc'), []);
  });

  it('takes name, description, bandwidth, billing method and a requested address; refuses what it cannot do by name', async () => {
    const a = await allocate({ name: 'web', description: 'the web tier', bandwidth: '20', internetChargeType: 'PayByTraffic', ipAddress: '198.18.0.200' });
    assert.equal(a.eipAddress, '198.18.0.200');
    const e = await eip(a.allocationId!);
    assert.deepEqual([e.name, e.description, e.bandwidth, e.internetChargeType], ['web', 'the web tier', '20', 'PayByTraffic']);
    assert.deepEqual(await refused(() => allocate({ ipAddress: '198.18.0.200' })), ['Ip.Allocated', 400]);
    assert.deepEqual(await refused(() => allocate({ ipAddress: '203.0.113.9' })), ['ResourceNotFound.Ip', 400]);
    assert.deepEqual(await refused(() => allocate({ bandwidth: '201', internetChargeType: 'PayByTraffic' })), ['InvalidBandwidth.Malformed', 400]);
    assert.deepEqual(await refused(() => allocate({ bandwidth: '0' })), ['InvalidBandwidth.Malformed', 400]);
    assert.deepEqual(await refused(() => allocate({ internetChargeType: 'PayByHour' })), ['InvalidParameter', 400]);
    assert.deepEqual(await refused(() => allocate({ instanceChargeType: 'PrePaid' })), ['UnsupportedParameter', 400]);
    assert.deepEqual(await refused(() => allocate({ ISP: 'BGP_PRO' })), ['IllegalParam.Isp', 400]);
    assert.deepEqual(await refused(() => allocate({ name: '1-starts-with-a-digit' })), ['InvalidParameter', 400]);
    assert.deepEqual(await refused(() => allocate({ period: 1 })), ['UnsupportedParameter', 400]);
    // Accepted spelled out: the defaults.
    const d = await allocate({ instanceChargeType: 'PostPaid', ISP: 'BGP', netmode: 'public' });
    await release(d.allocationId!);
    await s.advance(1000);
  });

  it('associates through Associating to InUse, shown by DescribeInstances and the primary ENI; refuses what the real service refuses', async () => {
    const vm = (await launch(s)).instanceId;
    const other = (await launch(s)).instanceId;
    const a = await allocate({ bandwidth: '10' });
    const b = await allocate();
    await associate(a.allocationId!, vm, { instanceType: 'EcsInstance' });
    let e = await eip(a.allocationId!);
    assert.deepEqual([e.status, e.instanceId, e.instanceType], ['Associating', vm, 'EcsInstance']);
    // Only queries while transitional.
    assert.deepEqual(await refused(() => modify(a.allocationId!, { bandwidth: '20' })), ['IncorrectEipStatus', 400]);
    assert.deepEqual(await refused(() => release(a.allocationId!)), ['IncorrectEipStatus', 400]);
    assert.deepEqual(await refused(() => unassociate(a.allocationId!, vm)), ['IncorrectEipStatus', 400]);
    await s.advance(1000);
    e = await eip(a.allocationId!);
    assert.deepEqual([e.status, e.instanceId, e.instanceRegionId], ['InUse', vm, R]);
    assert.deepEqual({ ...(await instanceEip(vm)) }, { allocationId: a.allocationId, ipAddress: a.eipAddress, bandwidth: 10, internetChargeType: 'PayByBandwidth' });
    assert.deepEqual({ ...(await primaryEniPublic(vm)) }, { allocationId: a.allocationId, publicIpAddress: a.eipAddress });
    assert.equal((await instanceEip(other)).ipAddress, '');
    const byEip = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, eipAddresses: JSON.stringify([a.eipAddress, b.eipAddress]) }));
    assert.deepEqual(byEip.body!.instances!.instance!.map((i) => i.instanceId), [vm], 'DescribeInstances EipAddresses');

    // Filters.
    assert.equal((await describe_({ associatedInstanceId: vm })).eipAddresses!.eipAddress![0]!.allocationId, a.allocationId);
    assert.equal((await describe_({ status: 'InUse', allocationId: `${a.allocationId},${b.allocationId}` })).totalCount, 1);
    assert.equal((await describe_({ status: 'Available', allocationId: `${a.allocationId},${b.allocationId}` })).totalCount, 1);
    assert.equal((await describe_({ associatedInstanceType: 'EcsInstance' })).totalCount, 1);

    // The preconditions, each with its code.
    assert.deepEqual(await refused(() => associate(b.allocationId!, vm)), ['InvalidAssociation.Duplicated', 400]);
    assert.deepEqual(await refused(() => associate(a.allocationId!, other)), ['IncorrectEipStatus', 400]);
    assert.deepEqual(await refused(() => associate('eip-nosuchallocation000', other)), ['InvalidAllocationId.NotFound', 404]);
    assert.deepEqual(await refused(() => associate(b.allocationId!, 'i-nosuchinstance0000000')), ['InvalidInstanId.NotFound', 404]);
    assert.deepEqual(await refused(() => associate(b.allocationId!, other, { instanceType: 'NetworkInterface' })), ['InvalidParams.NotFound', 400]);
    assert.deepEqual(await refused(() => associate(b.allocationId!, other, { instanceType: 'Nat' })), ['InvalidInstanceType.ValueNotSupported', 400]);
    // An instance has a NAT public address or an EIP, not both.
    await s.ecs.modifyInstanceNetworkSpec(new $Ecs.ModifyInstanceNetworkSpecRequest({ instanceId: vm, internetMaxBandwidthOut: 5 }));
    assert.deepEqual(await refused(() => s.ecs.allocatePublicIpAddress(new $Ecs.AllocatePublicIpAddressRequest({ instanceId: vm }))), ['AllocatedAlready', 403]);
    await s.ecs.modifyInstanceNetworkSpec(new $Ecs.ModifyInstanceNetworkSpecRequest({ instanceId: other, internetMaxBandwidthOut: 5 }));
    await s.ecs.allocatePublicIpAddress(new $Ecs.AllocatePublicIpAddressRequest({ instanceId: other }));
    assert.deepEqual(await refused(() => associate(b.allocationId!, other)), ['EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP', 400]);
    // An instance on its way up is not associated.
    const pending = (await s.ecs.runInstances(new $Ecs.RunInstancesRequest({
      regionId: R, imageId: 'aliyun_3_x64_20G_alibase_20240528.vhd', instanceType: 'ecs.g7.large',
      vSwitchId: (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([vm]) }))).body!.instances!.instance![0]!.vpcAttributes!.vSwitchId,
      securityGroupId: (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: vm }))).body!.securityGroupIds!.securityGroupId![0],
    }))).body!.instanceIdSets!.instanceIdSet![0]!;
    assert.deepEqual(await refused(() => associate(b.allocationId!, pending)), ['IncorrectInstanceStatus', 400]);
    await s.advance(1000);
    await s.advance(1000);

    // Unassociate: Unassociating, then Available; the instance shows none.
    assert.deepEqual(await refused(() => unassociate(a.allocationId!, other)), ['InvalidBindingStatus', 400]);
    await unassociate(a.allocationId!, vm, { force: false });
    e = await eip(a.allocationId!);
    assert.deepEqual([e.status, e.instanceId], ['Unassociating', vm]);
    await s.advance(1000);
    e = await eip(a.allocationId!);
    assert.deepEqual([e.status, e.instanceId, e.instanceType], ['Available', '', '']);
    assert.equal((await instanceEip(vm)).allocationId, '');
    assert.equal((await primaryEniPublic(vm)).publicIpAddress, '');
    assert.deepEqual(await refused(() => unassociate(a.allocationId!, vm)), ['IncorrectEipStatus', 400]);

    // A Stopped instance takes one too.
    await stop(s, vm);
    await associate(b.allocationId!, vm);
    await s.advance(1000);
    assert.equal((await eip(b.allocationId!)).status, 'InUse');
  });

  it('DeleteInstance lets go of the EIP, which stays in the account, Available', async () => {
    const vm = (await launch(s)).instanceId;
    const a = await allocate();
    await associate(a.allocationId!, vm);
    await s.advance(1000);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: vm, force: true }));
    await s.advance(1000);
    const e = await eip(a.allocationId!);
    assert.deepEqual([e.status, e.instanceId, e.ipAddress], ['Available', '', a.eipAddress]);
    // Every EIP settled, held by live instances or none, its address held in the pool.
    const violations = await checkInvariants(s.app.services.db, undefined, { settled: true, now: s.clock.now() });
    assert.deepEqual(violations.filter((v) => v.kind.startsWith('eip')), []);
  });

  it('modifies name, description and bandwidth within the billing method range', async () => {
    const a = await allocate({ internetChargeType: 'PayByTraffic' });
    await modify(a.allocationId!, { name: 'renamed', description: 'now described', bandwidth: '200' });
    const e = await eip(a.allocationId!);
    assert.deepEqual([e.name, e.description, e.bandwidth], ['renamed', 'now described', '200']);
    assert.deepEqual(await refused(() => modify(a.allocationId!, { bandwidth: '201' })), ['InvalidParameter', 400]);
    assert.deepEqual(await refused(() => modify(a.allocationId!, { name: '-bad' })), ['InvalidEipAddressName.Malformed', 400]);
    assert.deepEqual(await refused(() => modify(a.allocationId!, { description: 'http://x' })), ['InvalidDescription.Malformed', 400]);
    assert.deepEqual(await refused(() => modify('eip-nosuchallocation000', { name: 'x' })), ['InvalidAllocationId.NotFound', 404]);
    assert.equal((await describe_({ eipName: 'renamed' })).totalCount, 1);
  });

  it('releases through Releasing; the address goes back to the pool', async () => {
    const a = await allocate();
    await release(a.allocationId!);
    assert.equal((await eip(a.allocationId!)).status, 'Releasing');
    await s.advance(1000);
    assert.equal((await describe_({ allocationId: a.allocationId })).totalCount, 0);
    assert.deepEqual(await refused(() => release(a.allocationId!)), ['InvalidAllocationId.NotFound', 404]);
    const again = await allocate({ ipAddress: a.eipAddress });
    assert.equal(again.eipAddress, a.eipAddress);
  });

  it('deletion protection (DeletionProtection Type=EIP) keeps an EIP from release', async () => {
    const a = await allocate();
    const protect = (enable: boolean) => s.vpc.deletionProtection(new $Vpc.DeletionProtectionRequest({ regionId: R, instanceId: a.allocationId, type: 'EIP', protectionEnable: enable }));
    await protect(true);
    assert.equal((await eip(a.allocationId!)).deletionProtection, true);
    assert.deepEqual(await refused(() => protect(true)), ['DeletionProtection.AlreadyEnabled', 400]);
    assert.deepEqual(await refused(() => release(a.allocationId!)), ['InvalidOperation.DeletionProtection', 400]);
    await protect(false);
    assert.equal((await eip(a.allocationId!)).deletionProtection, false);
    await release(a.allocationId!);
    await s.advance(1000);
    assert.equal((await describe_({ allocationId: a.allocationId })).totalCount, 0);
  });

  it('pages and filters by creation time; refuses unknown filter keys', async () => {
    const all = await describe_({ pageSize: 100 });
    assert.ok(all.totalCount! >= 5);
    const page2 = await describe_({ pageSize: 2, pageNumber: 2 });
    assert.equal(page2.eipAddresses!.eipAddress!.length, 2);
    assert.deepEqual(page2.eipAddresses!.eipAddress!.map((e) => e.allocationId), all.eipAddresses!.eipAddress!.slice(2, 4).map((e) => e.allocationId));
    const later = await describe_({ filter: [new $Vpc.DescribeEipAddressesRequestFilter({ key: 'CreationStartTime', value: '2026-11-24T00:00Z' })] });
    assert.equal(later.totalCount, 0);
    assert.deepEqual(await refused(() => describe_({ filter: [new $Vpc.DescribeEipAddressesRequestFilter({ key: 'Colour', value: 'x' })] })), ['InvalidFilterKey.NotFound', 404]);
    assert.equal((await describe_({ lockReason: 'financial' })).totalCount, 0);
  });

  it('keeps accounts apart and counts the EIP quota', async () => {
    const mine = await allocate();
    const b = await otherAccount(s, 'eip-other');
    assert.equal((await b.vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId: R, allocationId: mine.allocationId }))).body!.totalCount, 0);
    const e = await expectEcsError(() => b.vpc.releaseEipAddress(new $Vpc.ReleaseEipAddressRequest({ regionId: R, allocationId: mine.allocationId })));
    assert.equal(e.code, 'InvalidAllocationId.NotFound');
    const ext = new PopCore({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    const have = (await describe_({ pageSize: 100 })).totalCount!;
    await ext.request('SetAccountQuota', { AccountId: s.app.root.accountId, QuotaName: 'eips-per-region', Value: have + 1 }, { method: 'POST' });
    await allocate();
    assert.deepEqual(await refused(() => allocate()), ['QuotaExceeded.Eip', 400]);
    await s.app.services.db.deleteFrom('quotas').where('name', '=', 'eips-per-region').execute();
  });

  it('takes tags (ResourceType EIP) and moves between resource groups; Describe filters by both', async () => {
    const a = await allocate();
    await s.vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId: R, resourceType: 'EIP', resourceId: [a.allocationId!], tag: [new $Vpc.TagResourcesRequestTag({ key: 'tier', value: 'web' })] }));
    assert.deepEqual((await eip(a.allocationId!)).tags!.tag!.map((t) => [t.key, t.value]), [['tier', 'web']]);
    const tagged = await describe_({ tag: [new $Vpc.DescribeEipAddressesRequestTag({ key: 'tier', value: 'web' })] });
    assert.deepEqual(tagged.eipAddresses!.eipAddress!.map((e) => e.allocationId), [a.allocationId]);
    const listed = await s.vpc.listTagResources(new $Vpc.ListTagResourcesRequest({ regionId: R, resourceType: 'EIP', resourceId: [a.allocationId!] }));
    assert.equal(listed.body!.tagResources!.tagResource!.length, 1);
    const rm = new PopCore({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2020-03-31' });
    const group = ((await rm.request('CreateResourceGroup', { Name: 'eip-group', DisplayName: 'eip-group' }, { method: 'POST' })) as any).ResourceGroup.Id as string;
    await s.vpc.moveResourceGroup(new $Vpc.MoveResourceGroupRequest({ regionId: R, resourceType: 'EIP', resourceId: a.allocationId, newResourceGroupId: group }));
    assert.equal((await eip(a.allocationId!)).resourceGroupId, group);
    assert.deepEqual((await describe_({ resourceGroupId: group })).eipAddresses!.eipAddress!.map((e) => e.allocationId), [a.allocationId]);
    // A group holding an EIP is not deleted.
    let err: any;
    try { await rm.request('DeleteResourceGroup', { ResourceGroupId: group }, { method: 'POST' }); } catch (e) { err = e; }
    assert.equal(err?.code, 'DeleteConflict.ResourceGroup.Resource');
    await release(a.allocationId!);
    await s.advance(1000);
  });

  it('associates with a secondary ENI\'s addresses (InstanceType NetworkInterface), on the wire once it is attached', async () => {
    const net = await networkOf(s);
    const vm = (await launch(s)).instanceId;
    const created = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({
      regionId: R, vSwitchId: net.vswitchId, securityGroupId: net.securityGroupId, secondaryPrivateIpAddressCount: 1,
    }))).body!;
    const eni = created.networkInterfaceId!;
    const primaryIp = created.privateIpAddress!;
    const secondaryIp = created.privateIpSets!.privateIpSet!.find((x) => !x.primary)!.privateIpAddress!;
    const onEni = { instanceType: 'NetworkInterface' };
    const [a, b, c] = [await allocate(), await allocate({ bandwidth: '3' }), await allocate()];
    await associate(a.allocationId!, eni, onEni);
    let e = await eip(a.allocationId!);
    assert.deepEqual([e.status, e.instanceId, e.instanceType, e.privateIpAddress], ['Associating', eni, 'NetworkInterface', primaryIp]);
    await associate(b.allocationId!, eni, { ...onEni, privateIpAddress: secondaryIp });
    await s.advance(1000);
    e = await eip(b.allocationId!);
    assert.deepEqual([e.status, e.instanceId, e.privateIpAddress], ['InUse', eni, secondaryIp]);

    // The preconditions, each with its code.
    assert.deepEqual(await refused(() => associate(c.allocationId!, eni, { ...onEni, privateIpAddress: primaryIp })), ['InvalidAssociation.Duplicated', 400]);
    assert.deepEqual(await refused(() => associate(c.allocationId!, eni, { ...onEni, privateIpAddress: '10.250.0.9' })), ['OperationFailed.PrivateIpAddressNotExist', 400]);
    assert.deepEqual(await refused(() => associate(c.allocationId!, 'eni-nosuchinterface00000', onEni)), ['InvalidParams.NotFound', 400]);
    const primaryEni = (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, instanceId: vm, type: 'Primary' })))
      .body!.networkInterfaceSets!.networkInterfaceSet![0]!.networkInterfaceId!;
    assert.deepEqual(await refused(() => associate(c.allocationId!, primaryEni, onEni)), ['InvalidParameter.EniInstanceId', 400]);
    assert.deepEqual(await refused(() => associate(c.allocationId!, vm, { privateIpAddress: primaryIp })), ['InvalidParameter', 400]);
    assert.deepEqual(await refused(() => associate(c.allocationId!, eni, { ...onEni, mode: 'BINDED' })), ['IllegalParam.Mode', 400]);

    // What DescribeNetworkInterfaces and DescribeEipAddresses show.
    const shown = async () => (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [eni] })))
      .body!.networkInterfaceSets!.networkInterfaceSet![0]!;
    let n = await shown();
    assert.deepEqual({ ...n.associatedPublicIp }, { allocationId: a.allocationId, publicIpAddress: a.eipAddress });
    assert.deepEqual(n.privateIpSets!.privateIpSet!.map((x) => [x.privateIpAddress, x.associatedPublicIp!.publicIpAddress]), [[primaryIp, a.eipAddress], [secondaryIp, b.eipAddress]]);
    const onInterfaces = await describe_({ associatedInstanceType: 'NetworkInterface', associatedInstanceId: eni });
    assert.deepEqual(onInterfaces.eipAddresses!.eipAddress!.map((x) => x.allocationId).sort(), [a.allocationId, b.allocationId].sort());

    // The wire: only while the ENI is attached to an instance.
    const mapped = async () => (await gatherEipMappings(s.app.services.db)).filter((m) => [a.eipAddress, b.eipAddress].includes(m.eip));
    assert.deepEqual(await mapped(), []);
    await s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni, instanceId: vm }));
    await s.advance(1000);
    assert.deepEqual(await mapped(), [
      { eip: a.eipAddress, privateIp: primaryIp, bandwidth: 5 }, { eip: b.eipAddress, privateIp: secondaryIp, bandwidth: 3 },
    ].sort((x, y) => x.eip!.localeCompare(y.eip!)));

    // Unassigning an address lets go of its EIP (no code of the metadata refuses it).
    await s.ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId: R, networkInterfaceId: eni, privateIpAddress: [secondaryIp] }));
    e = await eip(b.allocationId!);
    assert.deepEqual([e.status, e.instanceId, e.instanceType, e.privateIpAddress], ['Available', '', '', '']);
    assert.deepEqual((await mapped()).map((m) => m.eip), [a.eipAddress]);

    // Unassociate names the ENI (and its type).
    assert.deepEqual(await refused(() => unassociate(a.allocationId!, vm)), ['InvalidBindingStatus', 400]);
    assert.deepEqual(await refused(() => unassociate(a.allocationId!, eni, { ...onEni, privateIpAddress: secondaryIp })), ['InvalidBindingStatus', 400]);
    await unassociate(a.allocationId!, eni, { ...onEni, privateIpAddress: primaryIp });
    await s.advance(1000);
    assert.equal((await eip(a.allocationId!)).status, 'Available');
    assert.equal((await shown()).associatedPublicIp!.publicIpAddress, '');

    // DeleteNetworkInterface lets go of its EIPs, as DeleteInstance does.
    await associate(a.allocationId!, eni, onEni);
    await s.advance(1000);
    await s.ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni, instanceId: vm }));
    await s.advance(1000);
    assert.equal((await eip(a.allocationId!)).status, 'InUse', 'detached, the ENI keeps its EIP');
    assert.deepEqual(await mapped(), [], 'a detached ENI is off the wire');
    await s.ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni }));
    e = await eip(a.allocationId!);
    assert.deepEqual([e.status, e.instanceId, e.ipAddress], ['Available', '', a.eipAddress]);
    await s.advance(1000);
    const violations = await checkInvariants(s.app.services.db, undefined, { settled: true, now: s.clock.now() });
    assert.deepEqual(violations.filter((v) => v.kind.startsWith('eip')), []);
  });

  it('puts instances\' NAT public addresses on the wire at InternetMaxBandwidthOut; converts one to an EIP; releases one', async () => {
    const vm = (await launch(s, { extra: { internetMaxBandwidthOut: 7, internetChargeType: 'PayByTraffic' } })).instanceId;
    const attr = async (id: string) => (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!;
    let row = await attr(vm);
    const ip = row.publicIpAddress!.ipAddress![0]!;
    const privateIp = row.vpcAttributes!.privateIpAddress!.ipAddress![0]!;
    const mapping = async (address: string) => (await gatherEipMappings(s.app.services.db)).filter((m) => m.eip === address);
    assert.deepEqual(await mapping(ip), [{ eip: ip, privateIp, bandwidth: 7 }]);
    // The shaping follows the bandwidth; at 0 the address is off the wire.
    await s.ecs.modifyInstanceNetworkSpec(new $Ecs.ModifyInstanceNetworkSpecRequest({ instanceId: vm, internetMaxBandwidthOut: 9 }));
    assert.deepEqual(await mapping(ip), [{ eip: ip, privateIp, bandwidth: 9 }]);

    // ConvertNatPublicIpToEip: an EIP of the same address, associated, with the bandwidth and its billing method.
    const convert = (instanceId: string) => s.ecs.convertNatPublicIpToEip(new $Ecs.ConvertNatPublicIpToEipRequest({ regionId: R, instanceId }));
    await convert(vm);
    const converted = (await describe_({ eipAddress: ip })).eipAddresses!.eipAddress![0]!;
    assert.deepEqual(
      [converted.status, converted.instanceId, converted.instanceType, converted.bandwidth, converted.internetChargeType],
      ['InUse', vm, 'EcsInstance', '9', 'PayByTraffic'],
    );
    assert.deepEqual({ ...(await instanceEip(vm)) }, { allocationId: converted.allocationId, ipAddress: ip, bandwidth: 9, internetChargeType: 'PayByTraffic' });
    row = await attr(vm);
    assert.deepEqual([row.publicIpAddress!.ipAddress, row.internetMaxBandwidthOut], [[], 0]);
    assert.deepEqual(await mapping(ip), [{ eip: ip, privateIp, bandwidth: 9 }], 'the same NAT, now the EIP\'s');
    assert.deepEqual(await refused(() => convert(vm)), ['InvalidInstance.IpAddressMissing', 404]);
    assert.deepEqual(await refused(() => convert('i-nosuchinstance0000000')), ['InvalidInstanceId.NotFound', 404]);
    // The EIP is an EIP like any other: unassociated, it is off the wire.
    await unassociate(converted.allocationId!, vm);
    await s.advance(1000);
    assert.deepEqual(await mapping(ip), []);

    // ReleasePublicIpAddress: the address goes back to the pool and off the wire.
    const other = (await launch(s, { extra: { internetMaxBandwidthOut: 2 } })).instanceId;
    const otherIp = (await attr(other)).publicIpAddress!.ipAddress![0]!;
    const releaseIp = (extra: Partial<$Ecs.ReleasePublicIpAddressRequest>) => s.ecs.releasePublicIpAddress(new $Ecs.ReleasePublicIpAddressRequest({ regionId: R, publicIpAddress: otherIp, ...extra }));
    assert.deepEqual(await refused(() => releaseIp({})), ['InvalidIpAddress.NeedInstanceId', 403]);
    assert.deepEqual(await refused(() => releaseIp({ instanceId: other, publicIpAddress: ip })), ['InvalidIpAddress.NotFound', 400]);
    assert.deepEqual(await refused(() => releaseIp({ instanceId: other, dryRun: true })), ['DryRunOperation', 400]);
    assert.equal(await mapping(otherIp).then((m) => m.length), 1);
    await releaseIp({ instanceId: other });
    assert.deepEqual((await attr(other)).publicIpAddress!.ipAddress, []);
    assert.deepEqual(await mapping(otherIp), []);
    assert.equal((await s.ecs.allocatePublicIpAddress(new $Ecs.AllocatePublicIpAddressRequest({ instanceId: other, ipAddress: otherIp }))).body!.ipAddress, otherIp);
    const violations = await checkInvariants(s.app.services.db, undefined, { settled: true, now: s.clock.now() });
    assert.deepEqual(violations.filter((v) => v.kind.startsWith('eip')), []);
  });

  it('answers the ECS API copies (2014-05-26) in their own shapes, over the same EIPs', async () => {
    const plain = (x: unknown): any => JSON.parse(JSON.stringify(x));
    const call = async (action: string, params: Record<string, unknown>) => {
      const body = plain(await s.pop.request(action, { RegionId: R, ...params }, { method: 'POST' }));
      assert.deepEqual(shapeMismatches(action, body, [], 'ecs'), [], action);
      return body;
    };
    const vm = (await launch(s)).instanceId;
    const a = await call('AllocateEipAddress', { Bandwidth: '3', InternetChargeType: 'PayByTraffic' });
    assert.deepEqual(Object.keys(a).sort(), ['AllocationId', 'EipAddress', 'RequestId']);
    await call('AssociateEipAddress', { AllocationId: a.AllocationId, InstanceId: vm });
    await s.advance(1000);
    const d = await call('DescribeEipAddresses', { AllocationId: a.AllocationId });
    const item = d.EipAddresses.EipAddress[0];
    assert.deepEqual([item.Status, item.InstanceId, item.InstanceType, item.Bandwidth, item.InternetChargeType], ['InUse', vm, 'EcsInstance', '3', 'PayByTraffic']);
    assert.equal(item.Name, undefined, 'the ECS shape has no Name');
    await call('ModifyEipAddressAttribute', { AllocationId: a.AllocationId, Bandwidth: '4' });
    assert.equal((await eip(a.AllocationId)).bandwidth, '4');
    await call('UnassociateEipAddress', { AllocationId: a.AllocationId, InstanceId: vm });
    await s.advance(1000);
    await call('ReleaseEipAddress', { AllocationId: a.AllocationId });
    await s.advance(1000);
    assert.equal((await call('DescribeEipAddresses', { AllocationId: a.AllocationId })).TotalCount, 0);
    let err: any;
    try { await s.pop.request('ReleaseEipAddress', { RegionId: R, AllocationId: a.AllocationId }, { method: 'POST' }); } catch (e) { err = e; }
    assert.equal(err?.code, 'InvalidAllocationId.NotFound');
  });
});
