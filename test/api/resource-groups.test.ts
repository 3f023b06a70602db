/**
 * Resource groups end to end: Resource Manager through its official SDK (V3), ECS JoinResourceGroup
 * through the ECS SDK (V2 signing) and pop-core, VPC MoveResourceGroup through the VPC SDK; the
 * default group, validation of ResourceGroupId on create, the Describe filters, delete rules and
 * tenant isolation.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { $RM, rmClient, type RmClientT as RM } from '../helpers/resource-groups.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { createAccount } from '../../src/auth/accounts.js';

const R = 'cn-hangzhou';
describe('resource groups', () => {
  let s: TestServer;
  let rm: RM;
  let net: Network;
  let defaultId: string;

  const create = async (name: string, displayName = name, client = rm) =>
    (await client.createResourceGroup(new $RM.CreateResourceGroupRequest({ name, displayName }))).body!.resourceGroup!;
  const list = async (req: Partial<$RM.ListResourceGroupsRequest> = {}, client = rm) =>
    (await client.listResourceGroups(new $RM.ListResourceGroupsRequest(req))).body!;

  before(async () => {
    s = await startTestServer();
    rm = rmClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    net = await createNetwork(s);
  });
  after(async () => { await s.close(); });

  it('lists the account default group first, named default, OK', async () => {
    const body = await list();
    const first = body.resourceGroups!.resourceGroup![0]!;
    assert.equal(first.name, 'default');
    assert.equal(first.displayName, '默认资源组');
    assert.equal(first.status, 'OK');
    assert.match(first.id!, /^rg-acfm[a-z0-9]{11}$/);
    assert.equal(body.totalCount, 1);
    defaultId = first.id!;
  });

  it('creates, gets, lists with filters and pages, and updates a group', async () => {
    const g = await create('my-project', '我的项目');
    assert.match(g.id!, /^rg-[a-z0-9]{15}$/);
    assert.equal(g.status, 'OK');
    assert.equal(g.name, 'my-project');
    assert.ok(g.regionStatuses!.regionStatus!.some((r) => r.regionId === R && r.status === 'OK'));
    assert.match(g.createDate!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const got = (await rm.getResourceGroup(new $RM.GetResourceGroupRequest({ resourceGroupId: g.id }))).body!.resourceGroup!;
    assert.equal(got.displayName, '我的项目');
    await rm.createResourceGroup(new $RM.CreateResourceGroupRequest({ name: 'other-team', displayName: 'Other', tag: [new $RM.CreateResourceGroupRequestTag({ key: 'team', value: 'blue' })] }));
    const tagged = await list({ tag: [new $RM.ListResourceGroupsRequestTag({ key: 'team', value: 'blue' })] });
    assert.deepEqual(tagged.resourceGroups!.resourceGroup!.map((x) => [x.name, x.tags!.tag!.map((t) => `${t.tagKey}=${t.tagValue}`)]), [['other-team', ['team=blue']]]);
    assert.equal((await list({ tag: [new $RM.ListResourceGroupsRequestTag({ key: 'team', value: 'red' })] })).totalCount, 0);
    assert.deepEqual((await list({ name: 'project' })).resourceGroups!.resourceGroup!.map((x) => x.id), [g.id]);
    assert.deepEqual((await list({ displayName: 'oth' })).resourceGroups!.resourceGroup!.map((x) => x.name), ['other-team']);
    assert.deepEqual((await list({ resourceGroupIds: [g.id!, defaultId] })).resourceGroups!.resourceGroup!.map((x) => x.id).sort(), [g.id, defaultId].sort());
    assert.equal((await list({ status: 'PendingDelete' })).totalCount, 0);
    const paged = await list({ pageSize: 2, pageNumber: 2 });
    assert.equal(paged.totalCount, 3);
    assert.equal(paged.resourceGroups!.resourceGroup!.length, 1);
    const updated = (await rm.updateResourceGroup(new $RM.UpdateResourceGroupRequest({ resourceGroupId: g.id, newDisplayName: 'Project' }))).body!.resourceGroup!;
    assert.equal(updated.displayName, 'Project');
    assert.equal((await rm.getResourceGroup(new $RM.GetResourceGroupRequest({ resourceGroupId: g.id }))).body!.resourceGroup!.displayName, 'Project');
  });

  it('refuses bad names, a duplicate name and unknown groups with the metadata codes', async () => {
    const cases: Array<[string, string, string, number]> = [
      ['1abc', 'x', 'InvalidParameter.Name.InvalidChars', 400],
      ['ab', 'x', 'InvalidParameter.Name.Length', 400],
      ['my_project', 'x', 'InvalidParameter.Name.InvalidChars', 400],
      ['okname', 'x'.repeat(51), 'InvalidParameter.DisplayName.Length', 400],
      ['my-project', 'again', 'EntityAlreadyExists.ResourceGroup', 409],
    ];
    for (const [name, displayName, code, status] of cases) {
      const e = await expectEcsError(() => create(name, displayName));
      assert.equal(e.code, code, name);
      assert.equal(e.statusCode, status, name);
    }
    const e = await expectEcsError(() => rm.getResourceGroup(new $RM.GetResourceGroupRequest({ resourceGroupId: 'rg-aek000000000000' })));
    assert.equal(e.code, 'EntityNotExists.ResourceGroup');
    assert.equal(e.statusCode, 404);
    const malformed = await expectEcsError(() => rm.deleteResourceGroup(new $RM.DeleteResourceGroupRequest({ resourceGroupId: 'sg-notagroup' })));
    assert.deepEqual([malformed.code, malformed.statusCode], ['InvalidParameter.ResourceGroupId', 400]);
  });

  it('puts a resource created without a group in the default group, and refuses an unknown group', async () => {
    const sg = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId }))).body!.securityGroupId!;
    const shown = (await s.ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, securityGroupId: sg }))).body!;
    assert.equal(shown.securityGroups!.securityGroup![0]!.resourceGroupId, defaultId);
    const vpc = (await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, vpcId: net.vpcId }))).body!.vpcs!.vpc![0]!;
    assert.equal(vpc.resourceGroupId, defaultId);
    const vsw = (await s.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: R, vSwitchId: net.vswitchId }))).body!.vSwitches!.vSwitch![0]!;
    assert.equal(vsw.resourceGroupId, defaultId);

    const unknown = 'rg-aekzzzzzzzzzzzz';
    const cases: Array<[string, () => Promise<unknown>, string, number]> = [
      ['CreateSecurityGroup', () => s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId, resourceGroupId: unknown })), 'InvalidResourceGroup.NotFound', 404],
      ['RunInstances', () => s.ecs.runInstances(runRequest(net, { resourceGroupId: unknown })), 'InvalidResourceGroup.NotFound', 404],
      ['CreateDisk', () => s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: net.zoneId, size: 20, diskCategory: 'cloud_essd', resourceGroupId: unknown })), 'InvalidResourceGroup.NotFound', 404],
      ['ImportKeyPair', () => s.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: R, keyPairName: 'k1', resourceGroupId: unknown,
        publicKeyBody: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test' })), 'InvalidResourceGroup.NotFound', 404],
      ['CreateVpc', () => s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '10.0.0.0/16', resourceGroupId: unknown })), 'InvalidResourceGroupId', 400],
    ];
    for (const [action, call, code, status] of cases) {
      const e = await expectEcsError(call);
      assert.equal(e.code, code, action);
      assert.equal(e.statusCode, status, action);
    }
  });

  it('creates into a named group, moves with JoinResourceGroup, and the Describe filters follow', async () => {
    const target = await create('moved-here', 'Moved');
    const home = await create('created-in', 'Created in');
    const run = (await s.ecs.runInstances(runRequest(net, { resourceGroupId: home.id, dataDisk: [new $Ecs.RunInstancesRequestDataDisk({ size: 20, category: 'cloud_essd' })] }))).body!;
    const instanceId = run.instanceIdSets!.instanceIdSet![0]!;
    await s.settle();
    const disks = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId }))).body!.disks!.disk!;
    assert.equal(disks.length, 2);
    for (const d of disks) assert.equal(d.resourceGroupId, home.id, `${d.type} disk follows the instance's group`);
    const inst = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, resourceGroupId: home.id }))).body!.instances!.instance!;
    assert.deepEqual(inst.map((i) => i.instanceId), [instanceId]);

    // ECS SDK with V2 signing for the moves, as Terraform's RPC client signs HMAC-SHA1.
    const join = (type: string, id: string) =>
      s.ecsV2.joinResourceGroup(new $Ecs.JoinResourceGroupRequest({ regionId: R, resourceType: type, resourceId: id, resourceGroupId: target.id }));
    const sg = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId, resourceGroupId: home.id }))).body!.securityGroupId!;
    await join('instance', instanceId);
    await join('disk', disks[1]!.diskId!);
    await join('securitygroup', sg);

    const inTarget = async () => ({
      instances: (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, resourceGroupId: target.id }))).body!.instances!.instance!.map((i) => i.instanceId),
      disks: (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, resourceGroupId: target.id }))).body!.disks!.disk!.map((d) => d.diskId),
      groups: (await s.ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, resourceGroupId: target.id }))).body!.securityGroups!.securityGroup!.map((g) => g.securityGroupId),
    });
    assert.deepEqual(await inTarget(), { instances: [instanceId], disks: [disks[1]!.diskId], groups: [sg] });
    const inHome = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, resourceGroupId: home.id }))).body!.disks!.disk!.map((d) => d.diskId);
    assert.deepEqual(inHome, [disks[0]!.diskId]);
    assert.equal((await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, resourceGroupId: home.id }))).body!.instances!.instance!.length, 0);
    const shown = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([instanceId]) }))).body!.instances!.instance![0]!;
    assert.equal(shown.resourceGroupId, target.id);

    // The legacy pop-core client too (query-string GET), with a key pair known by its name.
    await s.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: R, keyPairName: 'kp-move',
      publicKeyBody: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl test' }));
    await s.pop.request('JoinResourceGroup', { RegionId: R, ResourceType: 'keypair', ResourceId: 'kp-move', ResourceGroupId: target.id });
    const kps = (await s.ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: R, resourceGroupId: target.id }))).body!.keyPairs!.keyPair!;
    assert.deepEqual(kps.map((k) => k.keyPairName), ['kp-move']);

    // An automatic snapshot policy, as the Terraform provider moves it (ResourceType=snapshotpolicy).
    const policy = (await s.ecs.createAutoSnapshotPolicy(new $Ecs.CreateAutoSnapshotPolicyRequest({
      regionId: R, autoSnapshotPolicyName: 'nightly', timePoints: '["0"]', repeatWeekdays: '["1"]', retentionDays: 2,
    }))).body!.autoSnapshotPolicyId!;
    const policiesIn = async (group: string) => (await s.ecs.describeAutoSnapshotPolicyEx(new $Ecs.DescribeAutoSnapshotPolicyExRequest({ regionId: R, resourceGroupId: group })))
      .body!.autoSnapshotPolicies!.autoSnapshotPolicy!.map((x) => [x.autoSnapshotPolicyId, x.resourceGroupId]);
    assert.deepEqual(await policiesIn(defaultId), [[policy, defaultId]]);
    await join('snapshotpolicy', policy);
    assert.deepEqual(await policiesIn(defaultId), []);

    const resources = (await rm.listResources(new $RM.ListResourcesRequest({ resourceGroupId: target.id, pageSize: 100 }))).body!.resources!.resource!;
    assert.deepEqual(resources.map((r) => `${r.service}:${r.resourceType}:${r.resourceId}`).sort(),
      [`ecs:disk:${disks[1]!.diskId}`, `ecs:instance:${instanceId}`, 'ecs:keypair:kp-move', `ecs:securitygroup:${sg}`, `ecs:snapshotpolicy:${policy}`].sort());

    const cases: Array<[string, Partial<$Ecs.JoinResourceGroupRequest>, string, number]> = [
      ['unknown type', { resourceType: 'lb', resourceId: instanceId, resourceGroupId: target.id }, 'InvalidResourceType.NotFound', 404],
      ['unknown resource', { resourceType: 'instance', resourceId: 'i-doesnotexist', resourceGroupId: target.id }, 'InvalidResourceId.NotFound', 404],
      ['unknown group', { resourceType: 'instance', resourceId: instanceId, resourceGroupId: 'rg-aekzzzzzzzzzzzz' }, 'InvalidResourceGroup.NotFound', 404],
      ['no group', { resourceType: 'instance', resourceId: instanceId }, 'MissingParameter', 403],
    ];
    for (const [what, req, code, status] of cases) {
      const e = await expectEcsError(() => s.ecsV2.joinResourceGroup(new $Ecs.JoinResourceGroupRequest({ regionId: R, ...req })));
      assert.deepEqual([e.code, e.statusCode], [code, status], what);
    }
  });

  it('moves a VPC and a VSwitch with MoveResourceGroup; DescribeVpcs and DescribeVSwitches filter by group', async () => {
    const g = await create('network', 'Network');
    const vpcId = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '172.16.0.0/16' }))).body!.vpcId!;
    const vswId = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId, zoneId: net.zoneId, cidrBlock: '172.16.1.0/24' }))).body!.vSwitchId!;
    await s.vpc.moveResourceGroup(new $Vpc.MoveResourceGroupRequest({ regionId: R, resourceId: vpcId, resourceType: 'VPC', newResourceGroupId: g.id }));
    const vpcs = (await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, resourceGroupId: g.id }))).body!.vpcs!.vpc!;
    assert.deepEqual(vpcs.map((v) => [v.vpcId, v.resourceGroupId]), [[vpcId, g.id]]);
    // A VSwitch is a resource of its own: it stays where it was made until moved.
    const inG = async () => (await s.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: R, resourceGroupId: g.id }))).body!.vSwitches!.vSwitch!.map((v) => v.vSwitchId);
    assert.deepEqual(await inG(), []);
    await s.vpc.moveResourceGroup(new $Vpc.MoveResourceGroupRequest({ regionId: R, resourceId: vswId, resourceType: 'VSwitch', newResourceGroupId: g.id }));
    assert.deepEqual(await inG(), [vswId]);
    const bad = await expectEcsError(() => s.vpc.moveResourceGroup(new $Vpc.MoveResourceGroupRequest({ regionId: R, resourceId: vpcId, resourceType: 'VPC', newResourceGroupId: 'rg-aekzzzzzzzzzzzz' })));
    assert.equal(bad.code, 'InvalidResourceGroupId');
    const noVpc = await expectEcsError(() => s.vpc.moveResourceGroup(new $Vpc.MoveResourceGroupRequest({ regionId: R, resourceId: 'vpc-nothere', resourceType: 'VPC', newResourceGroupId: g.id })));
    assert.equal(noVpc.code, 'InvalidResourceId.NotFound');
    const badType = await expectEcsError(() => s.vpc.moveResourceGroup(new $Vpc.MoveResourceGroupRequest({ regionId: R, resourceId: vpcId, resourceType: 'BandwidthPackage', newResourceGroupId: g.id })));
    assert.equal(badType.code, 'IllegalParam.ResourceType');
  });

  it('refuses to delete a group with resources or the default group; deletes an empty one', async () => {
    const g = await create('short-lived', 'Short');
    const sg = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId, resourceGroupId: g.id }))).body!.securityGroupId!;
    const busy = await expectEcsError(() => rm.deleteResourceGroup(new $RM.DeleteResourceGroupRequest({ resourceGroupId: g.id })));
    assert.equal(busy.code, 'DeleteConflict.ResourceGroup.Resource');
    assert.equal(busy.statusCode, 409);
    const dflt = await expectEcsError(() => rm.deleteResourceGroup(new $RM.DeleteResourceGroupRequest({ resourceGroupId: defaultId })));
    assert.equal(dflt.code, 'DeleteConflict.ResourceGroup.Default');
    assert.equal(dflt.statusCode, 409);
    await s.ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId: sg }));
    const gone = (await rm.deleteResourceGroup(new $RM.DeleteResourceGroupRequest({ resourceGroupId: g.id }))).body!.resourceGroup!;
    assert.equal(gone.status, 'PendingDelete');
    const e = await expectEcsError(() => rm.getResourceGroup(new $RM.GetResourceGroupRequest({ resourceGroupId: g.id })));
    assert.equal(e.code, 'EntityNotExists.ResourceGroup');
    assert.ok(!(await list({ pageSize: 100 })).resourceGroups!.resourceGroup!.some((x) => x.id === g.id));
    // The name is free again.
    await create('short-lived', 'Again');
  });

  it('keeps groups per account: another account has its own default group and cannot see or use these', async () => {
    const mine = await create('private-one', 'Private');
    const other = await createAccount(s.app.services.db, 'rg-tenant', s.clock.now());
    const creds = { accessKeyId: other.accessKeyId, accessKeySecret: other.accessKeySecret };
    const theirRm = rmClient(s.url, creds);
    const theirs = await list({ pageSize: 100 }, theirRm);
    assert.equal(theirs.totalCount, 1);
    assert.equal(theirs.resourceGroups!.resourceGroup![0]!.name, 'default');
    assert.notEqual(theirs.resourceGroups!.resourceGroup![0]!.id, defaultId);
    assert.equal(theirs.resourceGroups!.resourceGroup![0]!.accountId, other.accountId);
    const get = await expectEcsError(() => theirRm.getResourceGroup(new $RM.GetResourceGroupRequest({ resourceGroupId: mine.id })));
    assert.equal(get.code, 'EntityNotExists.ResourceGroup');
    const del = await expectEcsError(() => theirRm.deleteResourceGroup(new $RM.DeleteResourceGroupRequest({ resourceGroupId: mine.id })));
    assert.equal(del.code, 'EntityNotExists.ResourceGroup');
    const c = s.clients(creds);
    const theirNet = await createNetwork(c);
    const use = await expectEcsError(() => c.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: theirNet.vpcId, resourceGroupId: mine.id })));
    assert.equal(use.code, 'InvalidResourceGroup.NotFound');
    const join = await expectEcsError(() => c.ecs.joinResourceGroup(new $Ecs.JoinResourceGroupRequest({ regionId: R, resourceType: 'securitygroup', resourceId: theirNet.securityGroupId, resourceGroupId: mine.id })));
    assert.equal(join.code, 'InvalidResourceGroup.NotFound');
    // Nor can this account move the other's resources into its own group.
    const steal = await expectEcsError(() => s.ecs.joinResourceGroup(new $Ecs.JoinResourceGroupRequest({ regionId: R, resourceType: 'securitygroup', resourceId: theirNet.securityGroupId, resourceGroupId: mine.id })));
    assert.equal(steal.code, 'InvalidResourceId.NotFound');
    assert.equal((await s.ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, resourceGroupId: mine.id }))).body!.totalCount, 0);

    // 30 groups per account, the default one included; the other account's groups do not count.
    for (let i = 1; i < 30; i++) await create(`tenant-${i}`, `t${i}`, theirRm);
    const full = await expectEcsError(() => create('one-too-many', 'x', theirRm));
    assert.deepEqual([full.code, full.statusCode], ['LimitExceeded.ResourceGroup', 409]);
    await create('still-fits', 'mine');
  });
});
