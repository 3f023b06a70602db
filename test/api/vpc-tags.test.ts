/**
 * What Terraform needs beyond VPCs and VSwitches: the VPC product's tag actions, its route table
 * list, and STS GetCallerIdentity, through the official VPC SDK and pop-core.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer, type VpcClientT } from '../helpers/server.js';
import { createAccount } from '../../src/auth/accounts.js';

const R = 'cn-hangzhou';
const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;

describe('VPC tags, route tables and STS', () => {
  let s: TestServer;
  let vpcA: { id: string; router: string; table: string };
  let vpcB: { id: string; router: string; table: string };
  let vswA: string;
  let zoneId: string;

  async function vpc(cidr: string, vpc: VpcClientT = s.vpc) {
    const r = await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, cidrBlock: cidr }));
    return { id: r.body!.vpcId!, router: r.body!.VRouterId!, table: r.body!.routeTableId! };
  }

  before(async () => {
    s = await startTestServer();
    vpcA = await vpc('192.168.0.0/16');
    vpcB = await vpc('172.16.0.0/16');
    zoneId = (await s.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: R }))).body!.zones!.zone![0]!.zoneId!;
    vswA = (await s.vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: vpcA.id, zoneId, cidrBlock: '192.168.1.0/24' }))).body!.vSwitchId!;
  });
  after(async () => { await s.close(); });

  const T = (key: string, value?: string) => new $Vpc.TagResourcesRequestTag({ key, value });
  const tag = (type: string, ids: string[], tags: $Vpc.TagResourcesRequestTag[], vpc = s.vpc) =>
    vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId: R, resourceType: type, resourceId: ids, tag: tags }));
  const list = async (type: string, extra: Record<string, unknown>, vpc = s.vpc) =>
    (await vpc.listTagResources(new $Vpc.ListTagResourcesRequest({ regionId: R, resourceType: type, ...extra }))).body!;
  const entries = (b: Awaited<ReturnType<typeof list>>) =>
    b.tagResources!.tagResource!.map((t) => `${t.resourceType}:${t.resourceId}:${t.tagKey}=${t.tagValue}`).sort();

  describe('TagResources / UnTagResources / ListTagResources (VPC API)', () => {
    it('tags VPCs, VSwitches and route tables, with upper-case types read case-insensitively', async () => {
      await tag('VPC', [vpcA.id, vpcB.id], [T('env', 'prod'), T('team', 'net')]);
      await tag('VSWITCH', [vswA], [T('env', 'prod')]);
      await tag('routetable', [vpcA.table], [T('env', 'dev')]);
      assert.deepEqual(entries(await list('VPC', { resourceId: [vpcA.id] })), [`VPC:${vpcA.id}:env=prod`, `VPC:${vpcA.id}:team=net`]);
      assert.deepEqual(entries(await list('Vswitch', { tag: [new $Vpc.ListTagResourcesRequestTag({ key: 'env' })] })), [`VSWITCH:${vswA}:env=prod`]);
      assert.deepEqual(entries(await list('ROUTETABLE', { resourceId: [vpcA.table] })), [`ROUTETABLE:${vpcA.table}:env=dev`]);
      // Tag.N filters the resources, then lists all their tags.
      const both = await list('VPC', { tag: [new $Vpc.ListTagResourcesRequestTag({ key: 'env', value: 'prod' })] });
      assert.equal(both.tagResources!.tagResource!.length, 4);
      // DescribeVpcs sees the same tags (one store).
      const d = await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, vpcId: vpcA.id }));
      assert.deepEqual(d.body!.vpcs!.vpc![0]!.tags!.tag!.map((t) => `${t.key}=${t.value}`).sort(), ['env=prod', 'team=net']);
      const filtered = await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, tag: [new $Vpc.DescribeVpcsRequestTag({ key: 'team', value: 'net' })] }));
      assert.equal(filtered.body!.totalCount, 2);
    });

    it('pages with MaxResults and NextToken', async () => {
      const first = await list('VPC', { resourceId: [vpcA.id, vpcB.id], maxResults: 3 });
      assert.equal(first.tagResources!.tagResource!.length, 3);
      assert.ok(first.nextToken);
      const rest = await list('VPC', { resourceId: [vpcA.id, vpcB.id], maxResults: 3, nextToken: first.nextToken });
      assert.equal(rest.tagResources!.tagResource!.length, 1);
      assert.equal(rest.nextToken, '');
    });

    it('UnTagResources removes named keys, or every tag with All=true', async () => {
      await s.vpc.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId: R, resourceType: 'VPC', resourceId: [vpcB.id], tagKey: ['team'] }));
      assert.deepEqual(entries(await list('VPC', { resourceId: [vpcB.id] })), [`VPC:${vpcB.id}:env=prod`]);
      await s.vpc.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId: R, resourceType: 'VPC', resourceId: [vpcB.id], all: true }));
      assert.deepEqual(entries(await list('VPC', { resourceId: [vpcB.id] })), []);
    });

    it('answers the VPC metadata codes', async () => {
      const many = Array.from({ length: 21 }, (_, i) => T(`k${i}`, 'v'));
      const table: [string, () => Promise<unknown>, string, number][] = [
        ['missing tags (the decoder, Tag is required)', () => tag('VPC', [vpcA.id], []), 'MissingParameter', 400],
        ['unknown VPC', () => tag('VPC', ['vpc-doesnotexist'], [T('a', 'b')]), 'InvalidInstanceIds.NotFound', 400],
        ['a VPC id as a VSwitch', () => tag('VSWITCH', [vpcA.id], [T('a', 'b')]), 'InvalidInstanceIds.NotFound', 400],
        ['reserved key prefix', () => tag('VPC', [vpcA.id], [T('acs:x', 'b')]), 'InvalidTagKey', 400],
        ['bad value', () => tag('VPC', [vpcA.id], [T('a', 'http://x')]), 'InvalidTagValue', 400],
        ['duplicate key', () => tag('VPC', [vpcA.id], [T('a', '1'), T('a', '2')]), 'Forbidden.TagKey.Duplicated', 400],
        ['more than 20 tags in a call', () => tag('VPC', [vpcA.id], many), 'SizeLimitExceeded.TagNum', 400],
        ['unknown type', () => tag('BUCKET', [vpcA.id], [T('a', 'b')]), 'InvalidParameter.ResourceType', 400],
        ['list without ids or tags', () => list('VPC', {}), 'BothEmpty.TagsAndResources', 400],
      ];
      for (const [name, fn, code, status] of table) {
        const e = await expectEcsError(fn);
        assert.deepEqual([e.code, e.statusCode], [code, status], name);
      }
    });

    it('20 tags per resource (QuotaExceeded.TagNum), nothing of the failing call written', async () => {
      const v = await vpc('10.0.0.0/16');
      await tag('VPC', [v.id], Array.from({ length: 19 }, (_, i) => T(`k${i}`, 'v')));
      const e = await expectEcsError(() => tag('VPC', [v.id], [T('x1', '1'), T('x2', '2')]));
      assert.deepEqual([e.code, e.statusCode], ['QuotaExceeded.TagNum', 400]);
      assert.equal((await list('VPC', { resourceId: [v.id] })).tagResources!.tagResource!.length, 19);
      // Deleting the VPC drops its tags and its route table's (the rows, not only their listing).
      await tag('ROUTETABLE', [v.table], [T('rt', '1')]);
      await s.vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: R, vpcId: v.id }));
      assert.equal((await list('VPC', { resourceId: [v.id] })).tagResources!.tagResource!.length, 0);
      const rows = await s.app.services.db.selectFrom('tags').select('key').where('resource_id', 'in', [v.id, v.table]).execute();
      assert.deepEqual(rows, []);
    });

    it('another account sees none of it', async () => {
      const other = await createAccount(s.app.services.db, 'other', s.clock.now());
      const c = s.clients(other);
      const e = await expectEcsError(() => tag('VPC', [vpcA.id], [T('a', 'b')], c.vpc));
      assert.equal(e.code, 'InvalidInstanceIds.NotFound');
      assert.deepEqual(entries(await list('VPC', { resourceId: [vpcA.id] }, c.vpc)), []);
    });
  });

  describe('DescribeRouteTableList', () => {
    it('lists one system route table per VPC, with its VSwitches, filters and tags', async () => {
      const all = (await s.vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: R, pageSize: 50 }))).body!;
      const mine = all.routerTableList!.routerTableListType!.find((t) => t.vpcId === vpcA.id)!;
      assert.deepEqual(
        [mine.routeTableId, mine.routerId, mine.routeTableType, mine.routerType, mine.status, mine.vSwitchIds!.vSwitchId],
        [vpcA.table, vpcA.router, 'System', 'VRouter', 'Available', [vswA]],
      );
      assert.equal(mine.routeTableId!.slice(4), mine.routerId!.slice(4));
      assert.deepEqual(mine.tags!.tag!.map((t) => `${t.key}=${t.value}`), ['env=dev']);
      assert.equal(all.totalCount, all.routerTableList!.routerTableListType!.length);

      const q = async (extra: Record<string, unknown>) =>
        (await s.vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: R, ...extra }))).body!.routerTableList!.routerTableListType!.map((t) => t.routeTableId);
      assert.deepEqual(await q({ vpcId: vpcB.id }), [vpcB.table]);
      assert.deepEqual(await q({ routeTableId: vpcB.table }), [vpcB.table]);
      assert.deepEqual(await q({ routerId: vpcA.router }), [vpcA.table]);
      assert.deepEqual(await q({ tag: [new $Vpc.DescribeRouteTableListRequestTag({ key: 'env', value: 'dev' })] }), [vpcA.table]);
      assert.deepEqual(await q({ routeTableType: 'Custom' }), []);
      assert.deepEqual(await q({ routerType: 'VBR' }), []);
      assert.deepEqual(await q({ vpcId: 'vpc-doesnotexist' }), []);
      const paged = (await s.vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: R, pageSize: 1, pageNumber: 2 }))).body!;
      assert.deepEqual([paged.pageNumber, paged.pageSize, paged.routerTableList!.routerTableListType!.length], [2, 1, 1]);
    });
  });

  describe('STS GetCallerIdentity', () => {
    it('names the account of the AccessKey', async () => {
      const sts = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2015-04-01' });
      const r: any = await sts.request('GetCallerIdentity', {}, { method: 'POST' });
      const id = s.app.root.accountId;
      assert.deepEqual(
        [r.AccountId, r.Arn, r.IdentityType, r.PrincipalId, r.UserId],
        [id, `acs:ram::${id}:root`, 'Account', id, id],
      );
      assert.match(r.RequestId, /^[0-9A-F-]{36}$/);
      const other = await createAccount(s.app.services.db, 'sts-other', s.clock.now());
      const sts2 = new Pop({ accessKeyId: other.accessKeyId, accessKeySecret: other.accessKeySecret, endpoint: s.url, apiVersion: '2015-04-01' });
      assert.equal(((await sts2.request('GetCallerIdentity', {}, { method: 'POST' })) as any).AccountId, other.accountId);
    });
  });
});
