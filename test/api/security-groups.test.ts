import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, expectEcsError, startTestServer, type EcsClientT, type TestServer } from '../helpers/server.js';
import { createAccount } from '../../src/auth/accounts.js';
import { EcsError } from '../../src/domain/errors.js';
import { onSecurityGroupDelete, securityGroupDeleteHooks } from '../../src/actions/security-groups.js';

const R = 'cn-hangzhou';

describe('ECS security groups: create, describe, modify, delete', () => {
  let s: TestServer;
  let ecs: EcsClientT;
  let vpcId: string;
  let otherVpcId: string;
  before(async () => {
    s = await startTestServer();
    ecs = s.ecs;
    vpcId = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
    otherVpcId = (await s.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
  });
  after(async () => { await s.close(); });

  const create = async (req: Partial<$Ecs.CreateSecurityGroupRequest> = {}, client = ecs) => {
    const r = await client.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId, ...req }));
    s.clock.advance(1000); // lists are newest first: distinct creation times keep the order certain
    return r.body!.securityGroupId!;
  };
  const list = async (req: Partial<$Ecs.DescribeSecurityGroupsRequest> = {}, client = ecs) =>
    (await client.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, ...req }))).body!;
  const ids = (b: $Ecs.DescribeSecurityGroupsResponseBody) => b.securityGroups!.securityGroup!.map((g) => g.securityGroupId);
  const remove = (securityGroupId: string, client = ecs) => client.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId }));
  async function refused(fn: () => Promise<unknown>, code: string, status: number) {
    const e = await expectEcsError(fn);
    assert.equal(e.code, code, e.message);
    assert.equal(e.statusCode, status);
    return e;
  }
  async function clear() {
    for (const id of ids(await list({ pageSize: 100 }))) await remove(id!);
  }

  it('CreateSecurityGroup makes a normal VPC group; DescribeSecurityGroups shows it', async () => {
    const id = await create({ securityGroupName: 'web-sg', description: 'web servers', tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'env', value: 'prod' })] });
    assert.match(id, /^sg-[a-z0-9]{20}$/);
    const b = await list({ securityGroupId: id });
    assert.equal(b.regionId, R);
    assert.equal(b.totalCount, 1);
    const g = b.securityGroups!.securityGroup![0]!;
    assert.equal(g.securityGroupName, 'web-sg');
    assert.equal(g.description, 'web servers');
    assert.equal(g.securityGroupType, 'normal');
    assert.equal(g.vpcId, vpcId);
    assert.match(g.creationTime!, /^2026-11-23T06:00:\d\dZ$/);
    assert.equal(g.ecsCount, 0);
    assert.equal(g.availableInstanceAmount, 2000);
    assert.match(g.resourceGroupId!, /^rg-acfm/, 'created without a group: in the default resource group');
    assert.deepEqual(g.tags!.tag!.map((t) => [t.tagKey, t.tagValue]), [['env', 'prod']]);
    await remove(id);
  });

  it('enterprise groups are VPC-only and hold 65,536 private addresses; classic groups have no VPC', async () => {
    const ent = await create({ securityGroupType: 'enterprise', securityGroupName: 'ent' });
    const g = (await list({ securityGroupId: ent })).securityGroups!.securityGroup![0]!;
    assert.equal(g.securityGroupType, 'enterprise');
    assert.equal(g.availableInstanceAmount, 65536);
    await refused(() => create({ vpcId: undefined, securityGroupType: 'enterprise' }), 'InvalidParams.VpcIdGroupType', 400);
    const classic = await create({ vpcId: undefined, securityGroupName: 'classic' });
    assert.equal((await list({ securityGroupId: classic })).securityGroups!.securityGroup![0]!.vpcId, '');
    assert.deepEqual(ids(await list({ networkType: 'classic' })), [classic]);
    assert.deepEqual(ids(await list({ networkType: 'vpc' })), [ent]);
    assert.deepEqual(ids(await list({ securityGroupType: 'enterprise' })), [ent]);
    await refused(() => list({ networkType: 'satellite' }), 'InvalidParameter', 400);
    await clear();
  });

  it('CreateSecurityGroup refuses bad input with the documented codes', async () => {
    await refused(() => create({ securityGroupType: 'premium' }), 'InvalidParams.GroupType', 400);
    for (const name of ['1sg', 's', 'sg web', 'http://sg', 'x'.repeat(129)]) {
      await refused(() => create({ securityGroupName: name }), 'InvalidSecurityGroupName.Malformed', 400);
    }
    await refused(() => create({ description: 'https://d' }), 'InvalidSecurityGroupDiscription.Malformed', 400);
    await refused(() => create({ description: 'x' }), 'InvalidSecurityGroupDiscription.Malformed', 400);
    await refused(() => create({ vpcId: 'vpc-doesnotexist' }), 'InvalidVpcId.NotFound', 404);
    await refused(() => create({ regionId: 'cn-beijing' }), 'InvalidVpcId.NotFound', 404); // the VPC is in cn-hangzhou
    await refused(() => create({ regionId: 'xx-nowhere-1' }), 'InvalidRegionId.NotFound', 404);
    await refused(() => create({ tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'a', value: '1' }), new $Ecs.CreateSecurityGroupRequestTag({ key: 'a', value: '2' })] }), 'Duplicate.TagKey', 400);
    await refused(() => create({ tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'aliyun:x', value: '1' })] }), 'InvalidTagKey.Malformed', 400);
    await refused(() => ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ vpcId })), 'MissingParameter', 400);
    assert.equal((await list()).totalCount, 0);
  });

  it('DescribeSecurityGroups filters by ids (JSON), id, name, VPC and tag', async () => {
    const a = await create({ securityGroupName: 'alpha' });
    const b = await create({ securityGroupName: 'beta', tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'team', value: 'red' })] });
    const c = await create({ securityGroupName: 'gamma', vpcId: otherVpcId, tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'team', value: 'blue' })] });
    assert.deepEqual(ids(await list()), [c, b, a]);
    assert.deepEqual(ids(await list({ securityGroupIds: JSON.stringify([a, c, 'sg-unknown']) })), [c, a]);
    assert.deepEqual(ids(await list({ securityGroupIds: JSON.stringify([a, c]), securityGroupId: a })), [a]);
    assert.deepEqual(ids(await list({ securityGroupName: 'beta' })), [b]);
    assert.deepEqual(ids(await list({ vpcId: otherVpcId })), [c]);
    assert.deepEqual(ids(await list({ tag: [new $Ecs.DescribeSecurityGroupsRequestTag({ key: 'team' })] })), [c, b]);
    assert.deepEqual(ids(await list({ tag: [new $Ecs.DescribeSecurityGroupsRequestTag({ key: 'team', value: 'red' })] })), [b]);
    assert.deepEqual(ids(await list({ regionId: 'cn-beijing' })), []);
    await refused(() => list({ securityGroupIds: 'sg-1,sg-2' }), 'InvalidParameter', 400);
    await refused(() => list({ securityGroupIds: JSON.stringify(Array.from({ length: 101 }, (_, i) => `sg-${i}`)) }), 'InvalidParameter', 400);
    await refused(() => list({ securityGroupType: 'premium' }), 'InvalidParameter.SecurityGroupType', 400);
    await refused(() => ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({})), 'MissingParameter.RegionId', 400);
    // V2 signing sees the same.
    const v2 = (await s.ecsV2.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, securityGroupId: b }))).body!;
    assert.equal(v2.securityGroups!.securityGroup![0]!.securityGroupName, 'beta');
    await clear();
  });

  it('pages by PageNumber/PageSize (max 100) or MaxResults/NextToken, never both', async () => {
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push(await create({ securityGroupName: `page${i}` }));
    const newest = [...made].reverse();
    const p2 = await list({ pageNumber: 2, pageSize: 2 });
    assert.equal(p2.totalCount, 5);
    assert.equal(p2.pageNumber, 2);
    assert.equal(p2.pageSize, 2);
    assert.deepEqual(ids(p2), newest.slice(2, 4));
    const defaults = await list();
    assert.equal(defaults.pageSize, 10);
    assert.equal(defaults.pageNumber, 1);

    const seen: string[] = [];
    let token: string | undefined;
    let calls = 0;
    do {
      const b = await list({ maxResults: 2, nextToken: token });
      assert.equal(b.totalCount, undefined); // token mode answers no TotalCount
      seen.push(...ids(b).map(String));
      token = b.nextToken || undefined;
      calls++;
    } while (token);
    assert.equal(calls, 3);
    assert.deepEqual(seen, newest);

    await refused(() => list({ maxResults: 2, pageNumber: 1 }), 'NotSupported.PageNumberAndPageSize', 400);
    await refused(() => list({ nextToken: 'x', pageSize: 5 }), 'NotSupported.PageNumberAndPageSize', 400);
    await refused(() => list({ nextToken: '!!not-a-token' }), 'InValidParameter.NextToken', 400);
    await refused(() => list({ pageSize: 101 }), 'InvalidParameter', 400);
    await refused(() => list({ maxResults: 101 }), 'InvalidParameter', 400);
    await clear();
  });

  it('DryRun on DescribeSecurityGroups answers DryRunOperation 400', async () => {
    await refused(() => list({ dryRun: true }), 'DryRunOperation', 400);
    await refused(() => list({ dryRun: true, securityGroupType: 'x' }), 'InvalidParameter.SecurityGroupType', 400);
  });

  it('ClientToken replays CreateSecurityGroup; changed parameters answer IdempotentParameterMismatch 403', async () => {
    const a = await create({ clientToken: 'sg-token-1', securityGroupName: 'idem' });
    const b = await create({ clientToken: 'sg-token-1', securityGroupName: 'idem' });
    assert.equal(b, a);
    assert.equal((await list()).totalCount, 1);
    await refused(() => create({ clientToken: 'sg-token-1', securityGroupName: 'changed' }), 'IdempotentParameterMismatch', 403);
    await clear();
  });

  it('ModifySecurityGroupAttribute changes name and description', async () => {
    const id = await create({ securityGroupName: 'before' });
    await ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: R, securityGroupId: id, securityGroupName: 'after', description: 'now described' }));
    const g = (await list({ securityGroupId: id })).securityGroups!.securityGroup![0]!;
    assert.equal(g.securityGroupName, 'after');
    assert.equal(g.description, 'now described');
    await refused(() => ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: R, securityGroupId: id, securityGroupName: '_x' })), 'InvalidSecurityGroupName.Malformed', 400);
    await refused(() => ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: R, securityGroupId: id, description: 'http://x' })), 'InvalidSecurityGroupDiscription.Malformed', 400);
    await refused(() => ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: R, securityGroupId: 'sg-nope', securityGroupName: 'x1' })), 'InvalidSecurityGroupId.NotFound', 404);
    await refused(() => ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: 'cn-beijing', securityGroupId: id, securityGroupName: 'x1' })), 'InvalidSecurityGroupId.NotFound', 404);
    await clear();
  });

  it('DeleteSecurityGroup: DependencyViolation 403 while an instance is in it; hooks can refuse; then gone', async () => {
    const id = await create({ securityGroupName: 'busy', tag: [new $Ecs.CreateSecurityGroupRequestTag({ key: 'k', value: 'v' })] });
    const db = s.app.services.db;
    const zoneId = (await ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R }))).body!.zones!.zone![0]!.zoneId!;
    const vSwitchId = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId, zoneId, cidrBlock: '192.168.0.0/24' }))).body!.vSwitchId!;
    const imageId = (await ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: R, OSType: 'linux', imageOwnerAlias: 'system' }))).body!.images!.image![0]!.imageId!;
    const member = (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: R, imageId, instanceType: 'ecs.g7.large', vSwitchId, securityGroupId: id }))).body!.instanceIdSets!.instanceIdSet![0]!;
    const g = (await list({ securityGroupId: id })).securityGroups!.securityGroup![0]!;
    assert.equal(g.ecsCount, 1);
    assert.equal(g.availableInstanceAmount, 1999);
    await refused(() => remove(id), 'DependencyViolation', 403);
    await s.advance(5000);
    await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: member, force: true }));
    await s.settle();
    assert.equal((await list({ securityGroupId: id })).securityGroups!.securityGroup![0]!.ecsCount, 0);

    const cleaned: string[] = [];
    onSecurityGroupDelete({
      name: 'test-hook',
      async check(_ctx, group) { if (group.name === 'busy') throw new EcsError('DependencyViolation', 'referenced by another group\'s rule'); },
      async cleanup(_trx, group) { cleaned.push(group.id); },
    });
    try {
      await refused(() => remove(id), 'DependencyViolation', 403);
      await ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: R, securityGroupId: id, securityGroupName: 'idle' }));
      await remove(id);
      assert.deepEqual(cleaned, [id]);
    } finally {
      securityGroupDeleteHooks.splice(securityGroupDeleteHooks.findIndex((h) => h.name === 'test-hook'), 1);
    }
    assert.equal((await list({ securityGroupId: id })).totalCount, 0);
    assert.equal((await db.selectFrom('tags').select('key').where('resource_id', '=', id).execute()).length, 0);
    await refused(() => remove(id), 'InvalidSecurityGroup.NotFound', 404);
  });

  it('the security group quota is 100 per region by default and follows the quotas table', async () => {
    const db = s.app.services.db;
    const root = await db.selectFrom('accounts').select('id').where('is_admin', '=', 1).executeTakeFirstOrThrow();
    await db.insertInto('quotas').values({ account_id: root.id, name: 'security-groups-per-region', value: 2 }).execute();
    await create();
    await create();
    await refused(() => create(), 'QuotaExceed.SecurityGroup', 403);
    await db.deleteFrom('quotas').where('account_id', '=', root.id).execute();
    await create();
    assert.equal((await list()).totalCount, 3);
    await clear();
  });

  it('tenants do not see or touch each other\'s groups or VPCs', async () => {
    const id = await create({ securityGroupName: 'private' });
    const other = await createAccount(s.app.services.db, 'other-sg', Date.now());
    const them = s.clients({ accessKeyId: other.accessKeyId, accessKeySecret: other.accessKeySecret });
    assert.equal((await list({}, them.ecs)).totalCount, 0);
    assert.equal((await list({ securityGroupId: id }, them.ecsV2)).totalCount, 0);
    await refused(() => them.ecs.modifySecurityGroupAttribute(new $Ecs.ModifySecurityGroupAttributeRequest({ regionId: R, securityGroupId: id, securityGroupName: 'mine' })), 'InvalidSecurityGroupId.NotFound', 404);
    await refused(() => remove(id, them.ecs), 'InvalidSecurityGroup.NotFound', 404);
    await refused(() => create({}, them.ecs), 'InvalidVpcId.NotFound', 404); // the first account's VPC
    const theirVpc = (await them.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R }))).body!.vpcId!;
    const theirs = await create({ vpcId: theirVpc }, them.ecs);
    assert.deepEqual(ids(await list({}, them.ecs)), [theirs]);
    assert.deepEqual(ids(await list()), [id]);
    await remove(theirs, them.ecs);
    await clear();
  });
});
