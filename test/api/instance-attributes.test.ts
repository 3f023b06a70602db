/**
 * What Terraform's alicloud_instance Read and Update need beyond the core instance actions, through
 * pop-core (V1 signature, as the provider signs) and the official V3 client: DescribeInstanceRamRole,
 * DescribeNetworkInterfaces for the primary ENI, maintenance and attachment attributes,
 * ModifyInstanceVpcAttribute, ModifyInstanceNetworkSpec and AllocatePublicIpAddress with the public
 * address pool; each action's happy path and its documented refusals.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

const R = 'cn-hangzhou';

/** Expects an ECS error from the V3 client or pop-core (whose errors carry the HTTP status in `entry`). */
async function refused(fn: () => Promise<unknown>, code: string, status: number, why = '') {
  let e: any;
  try { await fn(); } catch (err) { e = err; }
  if (!e) assert.fail(`expected ${code}, but the call succeeded (${why})`);
  assert.deepEqual([e.code, e.statusCode ?? e.data?.statusCode ?? e.entry?.response?.statusCode], [code, status], `${why} ${e.message}`);
}
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('instance attributes for Terraform', () => {
  let s: TestServer;
  let n: Network;
  before(async () => { s = await startTestServer(); n = await createNetwork(s, R); });
  after(async () => { await s.close(); });

  const post = (action: string, params: Record<string, unknown>) => s.pop.request(action, { RegionId: R, ...params }, { method: 'POST' }) as Promise<any>;
  const run = async (extra: Record<string, unknown> = {}) => (await s.ecs.runInstances(runRequest(n, extra))).body!.instanceIdSets!.instanceIdSet!;
  const describe1 = async (id: string) => (await post('DescribeInstances', { InstanceIds: JSON.stringify([id]) })).Instances.Instance[0];
  const stop = async (id: string) => { await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id })); await s.advance(1000); };

  it('the Read sequence of alicloud_instance answers every call with the types the provider asserts', async () => {
    const [id] = await run({ internetMaxBandwidthOut: 5 });
    await s.advance(2000);
    // Read 1 and 10: DescribeInstances with the provider's AdditionalAttributes.
    const inst = (await post('DescribeInstances', {
      InstanceIds: JSON.stringify([id]), 'AdditionalAttributes.1': 'META_OPTIONS', 'AdditionalAttributes.2': 'NETWORK_PRIMARY_ENI_IP',
      'AdditionalAttributes.3': 'LOGIN_AS_NON_ROOT', 'AdditionalAttributes.4': 'DISK_HIGH_DENSITY_MODE', 'AdditionalAttributes.5': 'CPU_OPTIONS_TOPOLOGY_TYPE',
    })).Instances.Instance[0];
    assert.equal(inst.Status, 'Running');
    assert.equal(inst.SpotInterruptionBehavior, 'Terminate');
    assert.equal(typeof inst.CpuOptions, 'object');
    assert.ok(Number.isInteger(inst.CpuOptions.CoreCount) && Number.isInteger(inst.CpuOptions.ThreadsPerCore));
    assert.equal(typeof inst.CpuOptions.TopologyType, 'string');
    assert.equal(inst.ImageOptions.LoginAsNonRoot, false);
    assert.equal(inst.AdditionalInfo.EnableHighDensityMode, false);
    assert.equal(inst.DeploymentSetGroupNo, 0);
    assert.equal(inst.DeletionProtection, false);
    assert.equal(inst.InternetMaxBandwidthOut, 5);
    assert.match(inst.PublicIpAddress.IpAddress[0], /^198\.1[89]\./, 'a public address of the default pool');
    const nic = inst.NetworkInterfaces.NetworkInterface;
    assert.equal(nic.length, 1);
    assert.equal(nic[0].Type, 'Primary');
    assert.match(nic[0].NetworkInterfaceId, /^eni-[a-z0-9]{20}$/);
    assert.notEqual(nic[0].NetworkInterfaceId, `eni-${id!.slice(2)}`, 'an id of its own, not derived from the instance id');
    await refused(() => post('DescribeInstances', { 'AdditionalAttributes.1': 'EVERYTHING' }), 'InvalidParameter', 400, 'unknown attribute');

    // Read 4: DescribeInstanceRamRole.
    const roles = await post('DescribeInstanceRamRole', { InstanceIds: JSON.stringify([id]) });
    assert.deepEqual(plain(roles.InstanceRamRoleSets.InstanceRamRoleSet), [{ InstanceId: id, RamRoleName: '' }]);
    assert.equal(roles.TotalCount, 1);

    // Read 5: DescribeNetworkInterfaces for each ENI (the primary one twice).
    for (let i = 0; i < 2; i++) {
      const eni = await post('DescribeNetworkInterfaces', { 'NetworkInterfaceId.1': nic[0].NetworkInterfaceId });
      assert.equal(eni.TotalCount, 1);
      const e = eni.NetworkInterfaceSets.NetworkInterfaceSet[0];
      assert.equal(e.NetworkInterfaceId, nic[0].NetworkInterfaceId);
      assert.equal(e.NetworkInterfaceTrafficMode, 'Standard');
      assert.ok(Number.isInteger(e.QueuePairNumber));
      assert.equal(e.SourceDestCheck, false);
      assert.deepEqual(plain(e.Attachment), { InstanceId: id, DeviceIndex: 0, NetworkCardIndex: 0, TrunkNetworkInterfaceId: '' });
      assert.deepEqual(e.PrivateIpSets.PrivateIpSet.map((x: any) => [x.PrivateIpAddress, x.Primary]), [[inst.VpcAttributes.PrivateIpAddress.IpAddress[0], true]]);
      assert.deepEqual(plain(e.Ipv6Sets), { Ipv6Set: [] });
      assert.deepEqual(plain(e.SecurityGroupIds), { SecurityGroupId: [n.securityGroupId] });
      assert.deepEqual([e.Status, e.Type, e.MacAddress, e.ZoneId, e.VpcId, e.VSwitchId, e.InstanceId],
        ['InUse', 'Primary', nic[0].MacAddress, inst.ZoneId, n.vpcId, n.vswitchId, id]);
      assert.match(e.CreationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.deepEqual(plain(e.Tags), { Tag: [] });
    }

    // Read 6: DescribeInstanceMaintenanceAttributes.
    const m = await post('DescribeInstanceMaintenanceAttributes', { 'InstanceId.1': id });
    assert.deepEqual(plain(m.MaintenanceAttributes.MaintenanceAttribute), [{
      InstanceId: id, MaintenanceWindows: { MaintenanceWindow: [] }, NotifyOnMaintenance: false,
      ActionOnMaintenance: { Value: 'AutoRecover', DefaultValue: 'AutoRecover', SupportedValues: { SupportedValue: ['Stop', 'AutoRecover'] } },
    }]);

    // Read 7: DescribeInstanceAttribute echoes the id and answers EnableJumboFrame.
    const attr = await post('DescribeInstanceAttribute', { InstanceId: id });
    assert.equal(attr.InstanceId, id);
    assert.equal(attr.EnableJumboFrame, true, "RunInstances' default where the type supports jumbo frames");

    // Read 9: DescribeInstanceAttachmentAttributes with the JSON list literal.
    const att = await post('DescribeInstanceAttachmentAttributes', { InstanceIds: JSON.stringify([id]) });
    assert.deepEqual(plain(att.Instances.Instance), [{ InstanceId: id, PrivatePoolOptionsMatchCriteria: 'Open', PrivatePoolOptionsId: '' }]);
  });

  it('DescribeNetworkInterfaces: filters, both paging modes, tags, and the ENI goes with its instance', async () => {
    const vpc2 = await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: n.vpcId, zoneId: n.zoneId, cidrBlock: '192.168.64.0/24' }));
    const vsw2 = vpc2.body!.vSwitchId!;
    const ids = await run({ amount: 12, vSwitchId: vsw2 });
    await s.advance(2000);
    const all = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, vSwitchId: vsw2, pageSize: 100 }));
    assert.equal(all.body!.totalCount, 12);
    const sets = all.body!.networkInterfaceSets!.networkInterfaceSet!;
    assert.deepEqual(sets.map((e) => e.instanceId).sort(), [...ids].sort());
    const one = sets[3]!;
    const count = async (extra: Record<string, unknown>) =>
      (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, ...extra }))).body!.totalCount;
    assert.equal(await count({ instanceId: one.instanceId }), 1);
    assert.equal(await count({ primaryIpAddress: one.privateIpAddress }), 1);
    assert.equal(await count({ privateIpAddress: [one.privateIpAddress!, sets[4]!.privateIpAddress!] }), 2);
    assert.equal(await count({ networkInterfaceId: [one.networkInterfaceId!] }), 1);
    assert.equal(await count({ vpcId: n.vpcId, vSwitchId: vsw2 }), 12);
    assert.equal(await count({ securityGroupId: n.securityGroupId, vSwitchId: vsw2 }), 12);
    assert.equal(await count({ vSwitchId: vsw2, type: 'Primary', status: 'InUse' }), 12);
    assert.equal(await count({ vSwitchId: vsw2, type: 'Secondary' }), 0);
    assert.equal(await count({ vSwitchId: vsw2, status: 'Available' }), 0);
    assert.equal(await count({ vSwitchId: vsw2, serviceManaged: true }), 0);
    const group: string = (await describe1(one.instanceId!)).ResourceGroupId;
    assert.ok(group, 'instances are in a resource group');
    assert.equal(one.resourceGroupId, group, "a primary ENI is in its instance's group");
    assert.equal(await count({ vSwitchId: vsw2, resourceGroupId: group }), 12);
    assert.equal(await count({ vSwitchId: vsw2, resourceGroupId: 'rg-other' }), 0);
    await refused(() => count({ type: 'Tertiary' }), 'InvalidParameter', 400);
    await refused(() => count({ status: 'Broken' }), 'InvalidParameter', 400);

    // ENIs are taggable (ResourceType=eni) and filtered by tag.
    await s.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: R, resourceType: 'eni', resourceId: [one.networkInterfaceId!], tag: [new $Ecs.TagResourcesRequestTag({ key: 'role', value: 'db' })] }));
    const tagged = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, tag: [new $Ecs.DescribeNetworkInterfacesRequestTag({ key: 'role', value: 'db' })] }));
    assert.deepEqual(tagged.body!.networkInterfaceSets!.networkInterfaceSet!.map((e) => [e.networkInterfaceId, e.tags!.tag![0]!.tagKey]), [[one.networkInterfaceId, 'role']]);

    // NextToken/MaxResults: 10 then 2, then an empty token.
    const p1 = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, vSwitchId: vsw2, maxResults: 10 }));
    assert.equal(p1.body!.networkInterfaceSets!.networkInterfaceSet!.length, 10);
    assert.ok(p1.body!.nextToken);
    const p2 = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, vSwitchId: vsw2, maxResults: 10, nextToken: p1.body!.nextToken }));
    assert.equal(p2.body!.networkInterfaceSets!.networkInterfaceSet!.length, 2);
    assert.equal(p2.body!.nextToken, '');
    const tiny = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, vSwitchId: vsw2, maxResults: 3 }));
    assert.equal(tiny.body!.networkInterfaceSets!.networkInterfaceSet!.length, 10, 'MaxResults below 10 counts as 10');
    const page2 = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, vSwitchId: vsw2, pageNumber: 2, pageSize: 5 }));
    assert.deepEqual([page2.body!.pageNumber, page2.body!.pageSize, page2.body!.networkInterfaceSets!.networkInterfaceSet!.length], [2, 5, 5]);

    // Every ENI id DescribeInstances lists resolves; released with the instance.
    const inst = await describe1(one.instanceId!);
    assert.equal(inst.NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId, one.networkInterfaceId);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: one.instanceId, force: true }));
    assert.equal(await count({ networkInterfaceId: [one.networkInterfaceId!] }), 0);
    assert.equal(await count({ vSwitchId: vsw2 }), 11);
  });

  it('maintenance attributes: Modify stores them, Describe shows one entry per instance; bad windows are refused', async () => {
    const [a, b] = await run({ amount: 2 });
    const modify = (extra: Record<string, unknown>) =>
      s.ecs.modifyInstanceMaintenanceAttributes(new $Ecs.ModifyInstanceMaintenanceAttributesRequest({ regionId: R, instanceId: [a!], ...extra }));
    await modify({
      maintenanceWindow: [new $Ecs.ModifyInstanceMaintenanceAttributesRequestMaintenanceWindow({ startTime: '18:00:00Z', endTime: '20:00:00Z' })],
      actionOnMaintenance: 'Stop', notifyOnMaintenance: true,
    });
    const d = await s.ecs.describeInstanceMaintenanceAttributes(new $Ecs.DescribeInstanceMaintenanceAttributesRequest({ regionId: R, instanceId: [a!, b!] }));
    const [ma, mb] = d.body!.maintenanceAttributes!.maintenanceAttribute!;
    assert.deepEqual([ma!.instanceId, ma!.actionOnMaintenance!.value, ma!.notifyOnMaintenance], [a, 'Stop', true]);
    assert.deepEqual(ma!.maintenanceWindows!.maintenanceWindow!.map((w) => [w.startTime, w.endTime]), [['18:00:00Z', '20:00:00Z']]);
    assert.deepEqual([mb!.instanceId, mb!.actionOnMaintenance!.value, mb!.notifyOnMaintenance], [b, 'AutoRecover', false]);
    // Parameters left out keep their values.
    await modify({ notifyOnMaintenance: false });
    const again = await post('DescribeInstanceMaintenanceAttributes', { 'InstanceId.1': a });
    assert.deepEqual([again.MaintenanceAttributes.MaintenanceAttribute[0].ActionOnMaintenance.Value, again.MaintenanceAttributes.MaintenanceAttribute[0].NotifyOnMaintenance], ['Stop', false]);

    const w = (startTime?: string, endTime?: string) => ({ maintenanceWindow: [new $Ecs.ModifyInstanceMaintenanceAttributesRequestMaintenanceWindow({ startTime, endTime })] });
    await refused(() => modify(w('02:00:00', '02:00:00')), 'InvalidParameter', 403, 'zero-length window');
    await refused(() => modify(w('02:30:00', '05:00:00')), 'InvalidParameter', 403, 'not a whole hour');
    await refused(() => modify(w('02:00:00')), 'InvalidParameter', 403, 'end missing');
    await refused(() => modify(w('2am', '05:00:00')), 'InvalidParameter', 403, 'malformed');
    await refused(() => modify({ actionOnMaintenance: 'AutoRedeploy' }), 'InvalidParameter', 403, 'no local disks');
    await refused(() => modify({ actionOnMaintenance: 'Reboot' }), 'InvalidParameter', 403, 'unknown action');
    await refused(() => modify({ instanceId: ['i-doesnotexist0000000'] }), 'InvalidInstanceId.NotFound', 404);
    await refused(() => s.ecs.describeInstanceMaintenanceAttributes(new $Ecs.DescribeInstanceMaintenanceAttributesRequest({ regionId: R, instanceId: ['i-doesnotexist0000000'] })), 'InvalidInstanceId.NotFound', 404);
    const unchanged = await post('DescribeInstanceMaintenanceAttributes', { 'InstanceId.1': a });
    assert.deepEqual(plain(unchanged.MaintenanceAttributes.MaintenanceAttribute[0].MaintenanceWindows.MaintenanceWindow), [{ StartTime: '18:00:00Z', EndTime: '20:00:00Z' }]);
    // Without InstanceId.N: every instance of the region, paged.
    const paged = await s.ecs.describeInstanceMaintenanceAttributes(new $Ecs.DescribeInstanceMaintenanceAttributesRequest({ regionId: R, pageSize: 1 }));
    assert.equal(paged.body!.maintenanceAttributes!.maintenanceAttribute!.length, 1);
    assert.ok(paged.body!.totalCount! >= 2);
  });

  it('attachment attributes: private pool options on RunInstances and ModifyInstanceAttachmentAttributes', async () => {
    const [id] = await run();
    const [none] = await run({ privatePoolOptions: new $Ecs.RunInstancesRequestPrivatePoolOptions({ matchCriteria: 'None' }) });
    const describeAtt = async (ids: string[]) =>
      (await s.ecs.describeInstanceAttachmentAttributes(new $Ecs.DescribeInstanceAttachmentAttributesRequest({ regionId: R, instanceIds: JSON.stringify(ids) }))).body!.instances!.instance!
        .map((i) => [i.instanceId, i.privatePoolOptionsMatchCriteria, i.privatePoolOptionsId]);
    assert.deepEqual(await describeAtt([id!, none!]), [[id, 'Open', ''], [none, 'None', '']]);
    const modify = (extra: Record<string, unknown>, instanceId = id) =>
      s.ecs.modifyInstanceAttachmentAttributes(new $Ecs.ModifyInstanceAttachmentAttributesRequest({
        regionId: R, instanceId, privatePoolOptions: new $Ecs.ModifyInstanceAttachmentAttributesRequestPrivatePoolOptions(extra),
      }));
    await modify({ matchCriteria: 'None' });
    assert.deepEqual(await describeAtt([id!]), [[id, 'None', '']]);
    await refused(() => modify({ matchCriteria: 'Target' }), 'MissingParameter.PrivatePoolOptions.Id', 400);
    await refused(() => modify({ matchCriteria: 'Target', id: 'eap-bp67acfmxazb4ph' }), 'Invalid.PrivatePoolOptions.Id', 400, 'no private pools exist');
    await refused(() => modify({ matchCriteria: 'Open' }, 'i-doesnotexist0000000'), 'Invalid.InstanceId', 400);
    await refused(() => s.ecs.runInstances(runRequest(n, { privatePoolOptions: new $Ecs.RunInstancesRequestPrivatePoolOptions({ matchCriteria: 'Target', id: 'eap-x' }) })),
      'Invalid.PrivatePoolOptions.Id', 400);
    await refused(() => post('DescribeInstanceAttachmentAttributes', { InstanceIds: 'i-1,i-2' }), 'Abs.InvalidInstanceIds.MalFormed', 403);
    await refused(() => post('DescribeInstanceAttachmentAttributes', { InstanceIds: JSON.stringify(['i-doesnotexist0000000']) }), 'InvalidInstanceIds.NotFound', 404);
    assert.deepEqual(await describeAtt([id!]), [[id, 'None', '']], 'refusals changed nothing');
  });

  it('EnableJumboFrame: RunInstances NetworkOptions, ModifyInstanceAttribute, DescribeInstanceAttribute', async () => {
    const jumbo = async (id: string) => (await post('DescribeInstanceAttribute', { InstanceId: id })).EnableJumboFrame;
    const [g7] = await run();
    const [g7off] = await run({ networkOptions: new $Ecs.RunInstancesRequestNetworkOptions({ enableJumboFrame: false }) });
    const [g6] = await run({ instanceType: 'ecs.g6.large' });
    assert.deepEqual([await jumbo(g7!), await jumbo(g7off!), await jumbo(g6!)], [true, false, false]);
    const modify = (instanceId: string, enableJumboFrame: boolean) =>
      s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId, enableJumboFrame }));
    await modify(g7off!, true);
    await modify(g7!, false);
    assert.deepEqual([await jumbo(g7!), await jumbo(g7off!)], [false, true]);
    await refused(() => modify(g6!, true), 'InvalidParam.NotSupportJumboFrame', 400);
    await modify(g6!, false);
    assert.equal(await jumbo(g6!), false);
  });

  it('subscriptions: Period on RunInstances, auto-renew attributes, ModifyInstanceChargeType, and DeleteInstance of an unexpired one', async () => {
    const [sub] = await run({ instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month', autoRenew: true, autoRenewPeriod: 3 });
    const [payg] = await run();
    await s.advance(2000);
    const d = await describe1(sub!);
    assert.deepEqual([d.InstanceChargeType, d.ExpiredTime], ['PrePaid', '2026-12-23T06:00Z'], 'one month from the clock');
    const renew = async (id: string) => (await post('DescribeInstanceAutoRenewAttribute', { InstanceId: id })).InstanceRenewAttributes.InstanceRenewAttribute[0];
    assert.deepEqual(plain(await renew(sub!)), { InstanceId: sub, AutoRenewEnabled: true, Duration: 3, PeriodUnit: 'Month', RenewalStatus: 'AutoRenewal' });
    await refused(() => renew(payg!), 'ChargeTypeViolation', 403);
    await refused(() => post('DescribeInstanceAutoRenewAttribute', {}), 'InvalidParameter.RenewalStatusInstanceId', 403);
    const byStatus = await post('DescribeInstanceAutoRenewAttribute', { RenewalStatus: 'AutoRenewal' });
    assert.deepEqual(byStatus.InstanceRenewAttributes.InstanceRenewAttribute.map((x: any) => x.InstanceId), [sub]);
    await s.ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: R, instanceId: sub, renewalStatus: 'NotRenewal' }));
    assert.deepEqual([(await renew(sub!)).RenewalStatus, (await renew(sub!)).AutoRenewEnabled], ['NotRenewal', false]);
    await refused(() => s.ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: R, instanceId: sub, autoRenew: true, duration: 5 })), 'InvalidParameter.Duration', 403);
    await refused(() => s.ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: R, instanceId: payg, autoRenew: true })), 'ChargeTypeViolation', 403);
    await refused(() => s.ecs.runInstances(runRequest(n, { instanceChargeType: 'PrePaid' })), 'InvalidPeriod', 400, 'Period is required');
    await refused(() => s.ecs.runInstances(runRequest(n, { period: 1 })), 'InvalidParameter', 400, 'Period with PostPaid');

    // An unexpired subscription is not released; Terraform's force_delete turns it to PostPaid first.
    await refused(() => s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: sub, force: true })), 'ChargeTypeViolation', 403);
    await post('ModifyInstanceChargeType', { InstanceIds: JSON.stringify([sub]), InstanceChargeType: 'PostPaid', IncludeDataDisks: true });
    const after = await describe1(sub!);
    assert.deepEqual([after.InstanceChargeType, after.ExpiredTime], ['PostPaid', '2099-12-31T15:59Z']);
    await refused(() => post('ModifyInstanceChargeType', { InstanceIds: JSON.stringify([payg]), InstanceChargeType: 'PrePaid' }), 'InvalidPeriod', 400);
    await post('ModifyInstanceChargeType', { InstanceIds: JSON.stringify([payg]), InstanceChargeType: 'PrePaid', Period: 1, PeriodUnit: 'Week' });
    assert.deepEqual([(await describe1(payg!)).InstanceChargeType, (await describe1(payg!)).ExpiredTime], ['PrePaid', '2026-11-30T06:00Z']);
    await refused(() => post('ModifyInstanceChargeType', { InstanceIds: JSON.stringify([payg]), InstanceChargeType: 'PrePaid', Period: 1 }), 'InvalidInstanceChargeType.ValueNotSupported', 400, 'already PrePaid');
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: sub, force: true }));
  });

  it('DescribeInstanceRamRole answers every requested instance; by role name none', async () => {
    const ids = await run({ amount: 3 });
    const all = await s.ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId: R, instanceIds: JSON.stringify(ids), pageSize: 50 }));
    assert.deepEqual(all.body!.instanceRamRoleSets!.instanceRamRoleSet!.map((x) => [x.instanceId, x.ramRoleName]), ids.map((i) => [i, '']));
    assert.equal(all.body!.totalCount, 3);
    const byRole = await s.ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId: R, ramRoleName: 'EcsRole' }));
    assert.deepEqual([byRole.body!.totalCount, byRole.body!.instanceRamRoleSets!.instanceRamRoleSet!.length], [0, 0]);
    await refused(() => s.ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId: R })), 'InvalidParameter.AllEmpty', 403);
    await refused(() => post('DescribeInstanceRamRole', { InstanceIds: 'not-json' }), 'InvalidInstanceIds.Malformed', 400);
    await refused(() => post('DescribeInstanceRamRole', { InstanceIds: JSON.stringify(['i-doesnotexist0000000']) }), 'InvalidInstanceId.NotFound', 404);
    await refused(() => s.ecs.runInstances(runRequest(n, { ramRoleName: 'EcsRole' })), 'InvalidRamRole.NotFound', 404, 'no such role');
    // Attach: the role is not found (this account has none; test/api/instance-ram-role.test.ts binds real ones); Detach: nothing is attached, each instance stays without one.
    await refused(() => post('AttachInstanceRamRole', { InstanceIds: JSON.stringify([ids[0]]), RamRoleName: 'EcsRole' }), 'InvalidRamRole.NotFound', 404);
    await refused(() => post('AttachInstanceRamRole', { InstanceIds: JSON.stringify(['i-doesnotexist0000000']), RamRoleName: 'EcsRole' }), 'InvalidInstanceId.NotFound', 404);
    const detached = await post('DetachInstanceRamRole', { InstanceIds: JSON.stringify(ids) });
    assert.deepEqual([detached.TotalCount, detached.FailCount, detached.DetachInstanceRamRoleResults.DetachInstanceRamRoleResult.map((x: any) => [x.InstanceId, x.Success])],
      [3, 0, ids.map((i) => [i, true])]);
  });

  it('AssignPrivateIpAddresses / UnassignPrivateIpAddresses on the primary ENI', async () => {
    const [id] = await run({ instanceType: 'ecs.g7.large' });
    await s.advance(2000);
    const inst = await describe1(id!);
    const eniId: string = inst.NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId;
    const primary: string = inst.NetworkInterfaces.NetworkInterface[0].PrimaryIpAddress;
    const a = await post('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: 2, ClientToken: 'tf-assign-1' });
    const got: string[] = a.AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress;
    assert.equal(a.AssignedPrivateIpAddressesSet.NetworkInterfaceId, eniId);
    assert.equal(got.length, 2);
    const named = await s.ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId: R, networkInterfaceId: eniId, privateIpAddress: ['192.168.15.100'] }));
    assert.deepEqual(named.body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress, ['192.168.15.100']);
    const sets = async () => (await post('DescribeNetworkInterfaces', { 'NetworkInterfaceId.1': eniId })).NetworkInterfaceSets.NetworkInterfaceSet[0].PrivateIpSets.PrivateIpSet
      .map((x: any) => [x.PrivateIpAddress, x.Primary]);
    assert.deepEqual(await sets(), [[primary, true], ...[...got, '192.168.15.100'].sort().map((ip) => [ip, false])]);
    const again = await describe1(id!);
    assert.equal(again.NetworkInterfaces.NetworkInterface[0].PrivateIpSets.PrivateIpSet.length, 4, 'DescribeInstances lists them (NETWORK_PRIMARY_ENI_IP)');
    // The addresses are taken: neither an instance nor another assignment gets them.
    await refused(() => s.ecs.runInstances(runRequest(n, { privateIpAddress: '192.168.15.100' })), 'InvalidPrivateIpAddress.Duplicated', 400);
    await refused(() => post('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, 'PrivateIpAddress.1': got[0] }), 'InvalidPrivateIpAddress.Duplicated', 400);
    await refused(() => post('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: 3 }), 'MaxEniPrivateIpsCountExceeded', 403, 'ecs.g7.large: 6 per ENI');
    await refused(() => post('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: 1, 'PrivateIpAddress.1': '192.168.15.101' }), 'InvalidParameter.Conflict', 400);
    await refused(() => post('AssignPrivateIpAddresses', { NetworkInterfaceId: 'eni-doesnotexist00000000', SecondaryPrivateIpAddressCount: 1 }), 'InvalidEniId.NotFound', 404);
    // A Stopped instance with secondary addresses keeps its VSwitch.
    await stop(id!);
    await refused(() => s.ecs.modifyInstanceVpcAttribute(new $Ecs.ModifyInstanceVpcAttributeRequest({ instanceId: id, vSwitchId: n.vswitchId, privateIpAddress: '192.168.15.150' })), 'PrimaryEniHasSubIp', 400);
    await refused(() => post('UnassignPrivateIpAddresses', { NetworkInterfaceId: eniId, 'PrivateIpAddress.1': primary }), 'InvalidIp.IpUnassigned', 403, 'the primary address');
    await post('UnassignPrivateIpAddresses', { NetworkInterfaceId: eniId, 'PrivateIpAddress.1': got[0], 'PrivateIpAddress.2': got[1] });
    assert.deepEqual(await sets(), [[primary, true], ['192.168.15.100', false]]);
    // Released with the instance, the addresses are free again.
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id }));
    const [taker] = await run({ privateIpAddress: '192.168.15.100' });
    assert.equal((await describe1(taker!)).VpcAttributes.PrivateIpAddress.IpAddress[0], '192.168.15.100');
  });

  it('ModifyInstanceVpcAttribute moves a Stopped instance to another address, VSwitch or VPC', async () => {
    const [id] = await run();
    await s.advance(2000);
    const vsw = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: n.vpcId, zoneId: n.zoneId, cidrBlock: '192.168.80.0/24' }))).body!.vSwitchId!;
    const modify = (extra: Record<string, unknown>) => s.ecs.modifyInstanceVpcAttribute(new $Ecs.ModifyInstanceVpcAttributeRequest({ instanceId: id, ...extra }));
    await refused(() => modify({ vSwitchId: vsw }), 'IncorrectInstanceStatus', 400, 'while Running');
    await stop(id!);
    const before = await describe1(id!);
    const oldIp: string = before.VpcAttributes.PrivateIpAddress.IpAddress[0];
    const eniId: string = before.NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId;

    // Another address of the same VSwitch (the SDK call Terraform makes: V1, params in the query).
    await s.pop.request('ModifyInstanceVpcAttribute', { InstanceId: id, VSwitchId: n.vswitchId, PrivateIpAddress: '192.168.0.200' }, { method: 'POST' });
    let d = await describe1(id!);
    assert.deepEqual([d.VpcAttributes.VSwitchId, d.VpcAttributes.PrivateIpAddress.IpAddress[0], d.NetworkInterfaces.NetworkInterface[0].PrimaryIpAddress], [n.vswitchId, '192.168.0.200', '192.168.0.200']);
    assert.equal(d.NetworkInterfaces.NetworkInterface[0].NetworkInterfaceId, eniId, 'the ENI keeps its id');
    // The old address is free again: a new instance may take it.
    const [taker] = await run({ privateIpAddress: oldIp });
    assert.equal((await describe1(taker!)).VpcAttributes.PrivateIpAddress.IpAddress[0], oldIp);
    await refused(() => modify({ vSwitchId: n.vswitchId, privateIpAddress: oldIp }), 'InvalidPrivateIpAddress.Duplicated', 400);
    await refused(() => modify({ vSwitchId: n.vswitchId, privateIpAddress: '10.9.9.9' }), 'InvalidPrivateIpAddress.Mismatch', 400);
    await refused(() => modify({ vSwitchId: n.vswitchId, privateIpAddress: '192.168.15.255' }), 'InvalidPrivateIpAddress.Mismatch', 400, 'reserved');
    await refused(() => modify({ vSwitchId: 'vsw-doesnotexist00000000' }), 'InvalidVSwitchId.NotFound', 404);

    // Another VSwitch of the zone: the lowest free address of it.
    await modify({ vSwitchId: vsw });
    d = await describe1(id!);
    assert.deepEqual([d.VpcAttributes.VSwitchId, d.VpcAttributes.PrivateIpAddress.IpAddress[0]], [vsw, '192.168.80.1']);
    const eni = (await post('DescribeNetworkInterfaces', { 'NetworkInterfaceId.1': eniId })).NetworkInterfaceSets.NetworkInterfaceSet[0];
    assert.deepEqual([eni.VSwitchId, eni.PrivateIpAddress], [vsw, '192.168.80.1']);

    // Another zone's VSwitch is refused.
    const zones = (await s.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R }))).body!.zones!.zone!;
    const otherZone = zones.find((z) => z.zoneId !== n.zoneId)!.zoneId!;
    const far = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: n.vpcId, zoneId: otherZone, cidrBlock: '192.168.96.0/24' }))).body!.vSwitchId!;
    await refused(() => modify({ vSwitchId: far }), 'InvalidVSwitchId.Mismatch', 400);

    // Another VPC: its VSwitch, with security groups of that VPC.
    const other = await createNetwork(s, R, '172.16.0.0/16');
    await refused(() => modify({ vSwitchId: other.vswitchId }), 'InvalidVSwitch.NotBelongToVpc', 404, 'without VpcId');
    await refused(() => modify({ vSwitchId: other.vswitchId, vpcId: other.vpcId }), 'InvalidParameter.SecurityGroupId', 400, 'without groups');
    await refused(() => modify({ vSwitchId: other.vswitchId, vpcId: other.vpcId, securityGroupId: [n.securityGroupId] }), 'InvalidSecurityGroupVpc.NotBelongToOneVpc', 404);
    await modify({ vSwitchId: other.vswitchId, vpcId: other.vpcId, securityGroupId: [other.securityGroupId], privateIpAddress: '172.16.0.50' });
    d = await describe1(id!);
    assert.deepEqual([d.VpcAttributes.VpcId, d.VpcAttributes.VSwitchId, d.VpcAttributes.PrivateIpAddress.IpAddress[0], d.SecurityGroupIds.SecurityGroupId],
      [other.vpcId, other.vswitchId, '172.16.0.50', [other.securityGroupId]]);
    const moved = (await post('DescribeNetworkInterfaces', { 'NetworkInterfaceId.1': eniId })).NetworkInterfaceSets.NetworkInterfaceSet[0];
    assert.deepEqual([moved.VpcId, moved.SecurityGroupIds.SecurityGroupId], [other.vpcId, [other.securityGroupId]]);
    // Started again, the instance runs with its new address (the driver is given the row's address at start).
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    await s.advance(2000);
    assert.equal((await describe1(id!)).Status, 'Running');
  });

  it('ModifyInstanceNetworkSpec and AllocatePublicIpAddress: bandwidth, billing and a public address from the pool', async () => {
    const [id] = await run();
    await s.advance(2000);
    assert.deepEqual((await describe1(id!)).PublicIpAddress.IpAddress, [], 'no bandwidth, no public address');
    const alloc = () => s.ecs.allocatePublicIpAddress(new $Ecs.AllocatePublicIpAddressRequest({ instanceId: id }));
    await refused(alloc, 'AllocateIpInvalidInstanceBandwidth', 400);
    const spec = (extra: Record<string, unknown>) => s.ecs.modifyInstanceNetworkSpec(new $Ecs.ModifyInstanceNetworkSpecRequest({ instanceId: id, ...extra }));
    await spec({ internetMaxBandwidthOut: 10, networkChargeType: 'PayByBandwidth' });
    let d = await describe1(id!);
    assert.deepEqual([d.InternetMaxBandwidthOut, d.InternetChargeType, d.PublicIpAddress.IpAddress], [10, 'PayByBandwidth', []], 'pay-as-you-go: no address until asked');
    const ip = (await alloc()).body!.ipAddress!;
    assert.match(ip, /^198\.1[89]\.\d+\.\d+$/);
    assert.deepEqual((await describe1(id!)).PublicIpAddress.IpAddress, [ip]);
    await refused(alloc, 'AllocatedAlready', 403);
    const byIp = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, publicIpAddresses: JSON.stringify([ip]) }));
    assert.deepEqual(byIp.body!.instances!.instance!.map((i) => i.instanceId), [id]);

    await refused(() => spec({ internetMaxBandwidthOut: 101 }), 'InvalidInternetMaxBandwidthOut.ValueNotSupported', 400);
    await refused(() => spec({ networkChargeType: 'PayByDay' }), 'InvalidInternetChargeType.ValueNotSupported', 400);
    await refused(() => spec({ ISP: 'BGP' }), 'UnsupportedParameter', 400, 'ISP is by invitation only');
    await refused(() => spec({ internetMaxBandwidthOut: 0, allocatePublicIp: true }), 'InvalidParam.AllocatePublicIp', 400);
    await refused(() => s.ecs.modifyInstanceNetworkSpec(new $Ecs.ModifyInstanceNetworkSpecRequest({ instanceId: 'i-doesnotexist0000000', internetMaxBandwidthOut: 1 })), 'InvalidInstanceId.NotFound', 404);
    // AllocatePublicIp=true gives an address in the same call.
    const [other] = await run();
    await s.advance(2000);
    await s.ecs.modifyInstanceNetworkSpec(new $Ecs.ModifyInstanceNetworkSpecRequest({ instanceId: other, internetMaxBandwidthOut: 3, allocatePublicIp: true }));
    const otherIp = (await describe1(other!)).PublicIpAddress.IpAddress[0];
    assert.ok(otherIp && otherIp !== ip, 'a second, different address');
    d = await describe1(id!);
    assert.equal(d.PublicIpAddress.IpAddress[0], ip, 'unchanged by the refusals');
  });
});

describe('the public address pool', () => {
  let s: TestServer;
  let n: Network;
  // Two usable addresses: 203.0.113.1 and .2.
  before(async () => { s = await startTestServer({ publicIpPool: 'cn-hangzhou=203.0.113.0/30' }); n = await createNetwork(s, R); });
  after(async () => { await s.close(); });

  it('hands out unique addresses, refuses when exhausted, and takes them back on release', async () => {
    const ids = (await s.ecs.runInstances(runRequest(n, { amount: 2, internetMaxBandwidthOut: 1 }))).body!.instanceIdSets!.instanceIdSet!;
    const ipsOf = async () => {
      const d = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: 100 }));
      return new Map(d.body!.instances!.instance!.map((i) => [i.instanceId!, i.publicIpAddress!.ipAddress![0]]));
    };
    const ips = await ipsOf();
    assert.deepEqual(ids.map((i) => ips.get(i)).sort(), ['203.0.113.1', '203.0.113.2']);
    await refused(() => s.ecs.runInstances(runRequest(n, { internetMaxBandwidthOut: 1 })), 'InvalidOperation.PublicIpAddressNoStock', 403);
    assert.equal((await ipsOf()).size, 2, 'nothing was created');
    // Another region has no block in this pool.
    const [plain] = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet!;
    await s.advance(2000);
    await s.ecs.modifyInstanceNetworkSpec(new $Ecs.ModifyInstanceNetworkSpecRequest({ instanceId: plain, internetMaxBandwidthOut: 2 }));
    await refused(() => s.ecs.allocatePublicIpAddress(new $Ecs.AllocatePublicIpAddressRequest({ instanceId: plain })), 'InvalidOperation.PublicIpAddressNoStock', 403);
    // Released with its instance, the address is handed out again.
    const freed = ips.get(ids[0]!)!;
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: ids[0], force: true }));
    await refused(() => s.ecs.allocatePublicIpAddress(new $Ecs.AllocatePublicIpAddressRequest({ instanceId: plain, ipAddress: ips.get(ids[1]!) })), 'IpInUse', 403);
    await refused(() => s.ecs.allocatePublicIpAddress(new $Ecs.AllocatePublicIpAddressRequest({ instanceId: plain, ipAddress: '8.8.8.8' })), 'InvalidIpAddress.NotFound', 404);
    const got = (await s.ecs.allocatePublicIpAddress(new $Ecs.AllocatePublicIpAddressRequest({ instanceId: plain }))).body!.ipAddress;
    assert.equal(got, freed);
  });
});
