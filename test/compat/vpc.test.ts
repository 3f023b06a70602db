/**
 * alicloud_vpc and alicloud_vswitch (terraform-calls.md §2, §3) as the provider drives them over
 * the VPC API (tea RPC), and the ECS-hosted VPC actions (Version 2014-05-26) in the sequence
 * fog-aliyun and aliyungo send them, through pop-core.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fails, ok, ProviderClient, refreshFrom, waitFor, type ProviderResponse } from './provider-client.js';
import { expectCleanSuccess, expectFields } from './expect.js';
import type { Doc } from './json.js';

const tok = () => `tf-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

function vpcAttr(tf: ProviderClient, id: string) {
  return tf.rpc('Vpc', 'DescribeVpcAttribute', { VpcId: id, RegionId: tf.region });
}
/** Gone only on 404 / a NotFound message, or `VpcId: ""` (a missing key is not "gone"). */
function vpcState(tf: ProviderClient, id: string) {
  return refreshFrom(() => vpcAttr(tf, id), (d) => (d.str('VpcId') === '' ? { found: false } : { found: true, state: d.str('Status') }));
}
/** DescribeVSwitchAttributes sends VSwitchId in the URL query and RegionId in the body. */
function vswAttr(tf: ProviderClient, id: string) {
  return tf.rpc('Vpc', 'DescribeVSwitchAttributes', { RegionId: tf.region }, { VSwitchId: id });
}
function vswState(tf: ProviderClient, id: string) {
  return refreshFrom(() => vswAttr(tf, id), (d) => (d.str('VSwitchId') === '' ? { found: false } : { found: true, state: d.str('Status') }));
}

function systemRouteTable(d: Doc, vpcId: string): Doc {
  const list = d.items('RouterTableList.RouterTableListType');
  const sys = list.find((t) => t.str('RouteTableType') === 'System' && t.str('VpcId') === vpcId);
  assert.ok(sys, `DescribeRouteTableList has no System route table for ${vpcId}: ${JSON.stringify(d.plain())}`);
  expectFields(sys, { ResourceGroupId: 's', RouteTableId: 's', RouterId: 's', Description: 's', RouteTableName: 's', RoutePropagationEnable: 'b' }, 'System route table');
  return sys;
}

const VPC_FIELDS = {
  VpcId: 's', CidrBlock: 's', ClassicLinkEnabled: 'b', CreationTime: 's', Description: 's', DnsHostnameStatus: 's?',
  EnabledIpv6: 'b', Ipv6CidrBlock: 's', RegionId: 's', IsDefault: 'b', ResourceGroupId: 's', VRouterId: 's',
  Status: 's', VpcName: 's', 'Ipv6CidrBlocks.Ipv6CidrBlock': 'a', 'SecondaryCidrBlocks.SecondaryCidrBlock': 'a',
  'Tags.Tag': 'a', 'UserCidrs.UserCidr': 'a',
} as const;

const VSW_FIELDS = {
  VSwitchId: 's', CidrBlock: 's', CreationTime: 's', Description: 's', Ipv6CidrBlock: 's', IsDefault: 'b',
  Status: 's', VSwitchName: 's', VpcId: 's', ZoneId: 's', 'Tags.Tag': 'a',
} as const;

function tagsOf(d: Doc): string[] {
  return (d.plain('Tags.Tag') as { Key?: string; Value?: string; TagKey?: string; TagValue?: string }[])
    .map((t) => `${t.Key ?? t.TagKey}=${t.Value ?? t.TagValue}`).sort();
}

describe('alicloud_vpc: create → read → update → read → delete', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let vpcId = '';
  let routeTableId = '';
  before(async () => { s = await startTestServer(); tf = ProviderClient.for(s); });
  after(async () => { await s.close(); });

  it('CreateVpc (tags in the body), wait Available, DescribeRouteTableList finds the System table, VPC TagResources', async () => {
    const d = ok(await tf.rpc('Vpc', 'CreateVpc', {
      RegionId: tf.region, ClientToken: tok(), CidrBlock: '172.16.0.0/12', VpcName: 'tf-vpc', Description: 'by terraform',
      EnableDnsHostname: false, DryRun: false, Tag: [{ Key: 'env', Value: 'tf' }],
    }));
    expectCleanSuccess(d);
    vpcId = d.str('VpcId');
    await waitFor(s, { pending: [], target: ['Available'], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: vpcState(tf, vpcId) });
    routeTableId = systemRouteTable(ok(await tf.rpc('Vpc', 'DescribeRouteTableList', { VpcId: vpcId, RegionId: tf.region })), vpcId).str('RouteTableId');
    ok(await tf.rpc('Vpc', 'TagResources', { ResourceId: [vpcId], RegionId: tf.region, ResourceType: 'VPC', Tag: [{ Key: 'env', Value: 'tf' }] }));
  });

  it('Read: DescribeVpcAttribute fields and the System route table', async () => {
    const d = ok(await vpcAttr(tf, vpcId));
    expectCleanSuccess(d);
    expectFields(d, VPC_FIELDS, 'DescribeVpcAttribute');
    assert.equal(d.str('VpcId'), vpcId);
    assert.equal(d.str('Status'), 'Available');
    assert.equal(d.str('CidrBlock'), '172.16.0.0/12');
    assert.equal(d.str('VpcName'), 'tf-vpc');
    assert.deepEqual(tagsOf(d), ['env=tf']);
    const sys = systemRouteTable(ok(await tf.rpc('Vpc', 'DescribeRouteTableList', { VpcId: vpcId, RegionId: tf.region })), vpcId);
    assert.equal(sys.str('RouterId'), d.str('VRouterId'));
  });

  it('update: ModifyVpcAttribute + wait, MoveResourceGroup, ModifyRouteTableAttributes, UnTagResources/TagResources', async () => {
    ok(await tf.rpc('Vpc', 'ModifyVpcAttribute', { VpcId: vpcId, RegionId: tf.region, Description: 'changed', VpcName: 'tf-vpc-2' }));
    await waitFor(s, { pending: [], target: ['Available'], timeoutMs: 10 * 60_000, refresh: vpcState(tf, vpcId) });
    const rg = ok(await tf.rpc('ResourceManager', 'CreateResourceGroup', { Name: 'tf-vpc-rg', DisplayName: 'vpc rg' })).str('ResourceGroup.Id');
    ok(await tf.rpc('Vpc', 'MoveResourceGroup', { ResourceId: vpcId, RegionId: tf.region, NewResourceGroupId: rg, ResourceType: 'VPC' }));
    ok(await tf.rpc('Vpc', 'ModifyRouteTableAttributes', { RegionId: tf.region, RouteTableId: routeTableId, Description: 'main table', RouteTableName: 'tf-rt' }));
    ok(await tf.rpc('Vpc', 'UnTagResources', { ResourceId: [vpcId], RegionId: tf.region, TagKey: ['env'], ResourceType: 'VPC' }));
    ok(await tf.rpc('Vpc', 'TagResources', { ResourceId: [vpcId], RegionId: tf.region, ResourceType: 'VPC', Tag: [{ Key: 'tier', Value: 'net' }] }));
    const d = ok(await vpcAttr(tf, vpcId));
    assert.equal(d.str('VpcName'), 'tf-vpc-2');
    assert.equal(d.str('Description'), 'changed');
    assert.equal(d.str('ResourceGroupId'), rg);
    assert.deepEqual(tagsOf(d), ['tier=net']);
    const sys = systemRouteTable(ok(await tf.rpc('Vpc', 'DescribeRouteTableList', { VpcId: vpcId, RegionId: tf.region })), vpcId);
    assert.equal(sys.str('RouteTableName'), 'tf-rt');
    assert.equal(sys.str('Description'), 'main table');
  });

  it('update secondary_cidr_blocks: AssociateVpcCidrBlock / UnassociateVpcCidrBlock, each followed by a wait', async () => {
    ok(await tf.rpc('Vpc', 'AssociateVpcCidrBlock', { VpcId: vpcId, RegionId: tf.region, SecondaryCidrBlock: '10.0.0.0/16', IpVersion: 'IPV4' }));
    await waitFor(s, { pending: [], target: ['Created', 'Available'], delayMs: 10_000, timeoutMs: 10 * 60_000, refresh: vpcState(tf, vpcId) });
    assert.deepEqual(ok(await vpcAttr(tf, vpcId)).plain('SecondaryCidrBlocks.SecondaryCidrBlock'), ['10.0.0.0/16']);
    ok(await tf.rpc('Vpc', 'UnassociateVpcCidrBlock', { VpcId: vpcId, RegionId: tf.region, SecondaryCidrBlock: '10.0.0.0/16' }));
    await waitFor(s, { pending: [], target: ['Created', 'Available'], delayMs: 10_000, timeoutMs: 10 * 60_000, refresh: vpcState(tf, vpcId) });
    assert.deepEqual(ok(await vpcAttr(tf, vpcId)).plain('SecondaryCidrBlocks.SecondaryCidrBlock'), []);
  });

  it('delete: DeleteVpc, then wait until DescribeVpcAttribute answers 404 or VpcId ""', async () => {
    ok(await tf.rpc('Vpc', 'DeleteVpc', { VpcId: vpcId, RegionId: tf.region, ClientToken: tok() }));
    await waitFor(s, { pending: [], target: [], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: vpcState(tf, vpcId) });
    const again = await tf.rpc('Vpc', 'DeleteVpc', { VpcId: vpcId, RegionId: tf.region, ClientToken: tok() });
    if (again.isError) assert.ok(again.isNotFound || again.isExpected(['InvalidResource.NotFound']), again.describe());
  });

  it('DeleteVpc with a VSwitch inside answers DependencyViolation.VSwitch (retried by the provider), never 5xx', async () => {
    const v = ok(await tf.rpc('Vpc', 'CreateVpc', { RegionId: tf.region, ClientToken: tok(), CidrBlock: '192.168.0.0/16' })).str('VpcId');
    await s.advance(5000);
    const zone = ok(await tf.sdk('DescribeZones', {})).str('Zones.Zone[0].ZoneId');
    ok(await tf.rpc('Vpc', 'CreateVSwitch', { RegionId: tf.region, ClientToken: tok(), CidrBlock: '192.168.1.0/24', VpcId: v, ZoneId: zone }));
    const r = fails(await tf.rpc('Vpc', 'DeleteVpc', { VpcId: v, RegionId: tf.region, ClientToken: tok() }));
    assert.ok(r.isExpected(['DependencyViolation.VSwitch', 'DependencyViolation.SecurityGroup', 'IncorrectVpcStatus']), r.describe());
  });

  it('is_default: CreateDefaultVpc and CreateDefaultVSwitch', async () => {
    const d = ok(await tf.rpc('Vpc', 'CreateDefaultVpc', { RegionId: 'cn-beijing', ClientToken: tok() }));
    const v = d.str('VpcId');
    const tfb = ProviderClient.for(s, 'cn-beijing');
    await waitFor(s, { pending: [], target: ['Available'], delayMs: 5000, timeoutMs: 10 * 60_000, refresh: vpcState(tfb, v) });
    assert.equal(ok(await vpcAttr(tfb, v)).bool('IsDefault'), true);
    systemRouteTable(ok(await tfb.rpc('Vpc', 'DescribeRouteTableList', { VpcId: v, RegionId: 'cn-beijing' })), v);
    const zone = ok(await tfb.sdk('DescribeZones', {})).str('Zones.Zone[0].ZoneId');
    const w = ok(await tfb.rpc('Vpc', 'CreateDefaultVSwitch', { RegionId: 'cn-beijing', ClientToken: tok(), ZoneId: zone })).str('VSwitchId');
    await waitFor(s, { pending: [], target: ['Available'], timeoutMs: 5 * 60_000, refresh: vswState(tfb, w) });
    const a = ok(await vswAttr(tfb, w));
    assert.equal(a.bool('IsDefault'), true);
    assert.equal(a.str('VpcId'), v);
  });
});

describe('alicloud_vswitch: create → read → update → read → delete', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let vpcId = '';
  let zoneId = '';
  let vswId = '';
  before(async () => {
    s = await startTestServer();
    tf = ProviderClient.for(s);
    vpcId = ok(await tf.rpc('Vpc', 'CreateVpc', { RegionId: tf.region, ClientToken: tok(), CidrBlock: '10.0.0.0/8', VpcName: 'tf' })).str('VpcId');
    await s.advance(5000);
    zoneId = ok(await tf.sdk('DescribeZones', {})).str('Zones.Zone[0].ZoneId');
  });
  after(async () => { await s.close(); });

  it('CreateVSwitch, wait Available (no delay), VPC TagResources ResourceType=VSWITCH', async () => {
    const d = ok(await tf.rpc('Vpc', 'CreateVSwitch', { RegionId: tf.region, ClientToken: tok(), CidrBlock: '10.1.0.0/16', VpcId: vpcId, VSwitchName: 'tf-vsw', Description: 'by terraform', ZoneId: zoneId }));
    expectCleanSuccess(d);
    vswId = d.str('VSwitchId');
    await waitFor(s, { pending: [], target: ['Available'], timeoutMs: 5 * 60_000, refresh: vswState(tf, vswId) });
    ok(await tf.rpc('Vpc', 'TagResources', { ResourceId: [vswId], RegionId: tf.region, ResourceType: 'VSWITCH', Tag: [{ Key: 'env', Value: 'tf' }] }));
  });

  it('Read: DescribeVSwitchAttributes (VSwitchId in the query) fields', async () => {
    const d = ok(await vswAttr(tf, vswId));
    expectCleanSuccess(d);
    expectFields(d, VSW_FIELDS, 'DescribeVSwitchAttributes');
    assert.equal(d.str('VSwitchId'), vswId);
    assert.equal(d.str('VpcId'), vpcId);
    assert.equal(d.str('ZoneId'), zoneId);
    assert.equal(d.str('CidrBlock'), '10.1.0.0/16');
    assert.deepEqual(tagsOf(d), ['env=tf']);
  });

  it('update: ModifyVSwitchAttribute + wait Available, UnTagResources/TagResources', async () => {
    ok(await tf.rpc('Vpc', 'ModifyVSwitchAttribute', { VSwitchId: vswId, RegionId: tf.region, VSwitchName: 'tf-vsw-2', Description: 'changed' }));
    await waitFor(s, { pending: [], target: ['Available'], timeoutMs: 5 * 60_000, refresh: vswState(tf, vswId) });
    ok(await tf.rpc('Vpc', 'UnTagResources', { ResourceId: [vswId], RegionId: tf.region, TagKey: ['env'], ResourceType: 'VSWITCH' }));
    ok(await tf.rpc('Vpc', 'TagResources', { ResourceId: [vswId], RegionId: tf.region, ResourceType: 'VSWITCH', Tag: [{ Key: 'tier', Value: 'app' }] }));
    const d = ok(await vswAttr(tf, vswId));
    assert.equal(d.str('VSwitchName'), 'tf-vsw-2');
    assert.equal(d.str('Description'), 'changed');
    assert.deepEqual(tagsOf(d), ['tier=app']);
  });

  it('delete: DeleteVSwitch, wait until DescribeVSwitchAttributes answers 404 / NotFound or VSwitchId ""', async () => {
    ok(await tf.rpc('Vpc', 'DeleteVSwitch', { VSwitchId: vswId, RegionId: tf.region }));
    await waitFor(s, { pending: [], target: [], timeoutMs: 10 * 60_000, refresh: vswState(tf, vswId) });
    const r: ProviderResponse = await vswAttr(tf, vswId);
    if (r.isError) assert.ok(r.isNotFound, r.describe());
    else assert.equal(r.doc!.str('VSwitchId'), '', 'a 200 without VSwitchId:"" makes the provider wait forever');
    const again = await tf.rpc('Vpc', 'DeleteVSwitch', { VSwitchId: vswId, RegionId: tf.region });
    if (again.isError) assert.ok(again.isExpected(['InvalidVswitchID.NotFound', 'InvalidVSwitchId.NotFound']) || again.isNotFound, again.describe());
  });

  it('DescribeVpcAttribute of an unknown VPC: 404 / NotFound or VpcId "" (never a 200 without VpcId)', async () => {
    const r = await vpcAttr(tf, 'vpc-doesnotexist000000');
    if (r.isError) { fails(r); assert.ok(r.isNotFound, r.describe()); } else assert.equal(r.doc!.str('VpcId'), '');
  });
});

describe('ECS-hosted VPC actions (Version 2014-05-26) as fog-aliyun and aliyungo send them, through pop-core', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('CreateVpc → DescribeVpcs → CreateVSwitch → DescribeVSwitches → DescribeVRouters / DescribeRouteTables → DeleteVSwitch → DeleteVpc', async () => {
    const R = 'cn-hangzhou';
    const call = (action: string, params: Record<string, unknown>) => s.pop.request<any>(action, { RegionId: R, ...params });
    const vpc = await call('CreateVpc', { CidrBlock: '172.16.0.0/16', VpcName: 'fog-vpc', Description: 'fog' });
    assert.match(vpc.VpcId, /^vpc-/);
    assert.match(vpc.VRouterId, /^vrt-/);
    assert.match(vpc.RouteTableId, /^vtb-/);
    await s.advance(5000);
    const vpcs = await call('DescribeVpcs', { VpcId: vpc.VpcId });
    assert.equal(vpcs.TotalCount, 1);
    const v = vpcs.Vpcs.Vpc[0];
    for (const f of ['VpcId', 'RegionId', 'Status', 'VpcName', 'CidrBlock', 'VRouterId', 'Description', 'CreationTime']) assert.equal(typeof v[f], 'string', f);
    assert.equal(v.VRouterId, vpc.VRouterId);
    assert.equal(v.Status, 'Available');
    assert.equal(typeof v.IsDefault, 'boolean');
    assert.deepEqual(v.VSwitchIds.VSwitchId, []);

    const zone = (await call('DescribeZones', {})).Zones.Zone[0].ZoneId;
    const vsw = await call('CreateVSwitch', { ZoneId: zone, CidrBlock: '172.16.1.0/24', VpcId: vpc.VpcId, VSwitchName: 'fog-vsw', Description: 'fog' });
    assert.match(vsw.VSwitchId, /^vsw-/);
    await s.advance(5000);
    const list = await call('DescribeVSwitches', { VpcId: vpc.VpcId, ZoneId: zone });
    assert.equal(list.TotalCount, 1);
    const w = list.VSwitches.VSwitch[0];
    assert.equal(w.VSwitchId, vsw.VSwitchId);
    assert.equal(w.Status, 'Available');
    assert.equal(typeof w.AvailableIpAddressCount, 'number');
    for (const f of ['VpcId', 'CidrBlock', 'ZoneId', 'Description', 'VSwitchName', 'CreationTime']) assert.equal(typeof w[f], 'string', f);
    assert.deepEqual((await call('DescribeVpcs', { VpcId: vpc.VpcId })).Vpcs.Vpc[0].VSwitchIds.VSwitchId, [vsw.VSwitchId]);

    const routers = await call('DescribeVRouters', { VRouterId: vpc.VRouterId });
    assert.equal(routers.VRouters.VRouter[0].VpcId, vpc.VpcId);
    const tables = await call('DescribeRouteTables', { VRouterId: vpc.VRouterId });
    assert.equal(tables.RouteTables.RouteTable[0].RouteTableId, vpc.RouteTableId);

    await call('ModifyVRouterAttribute', { VRouterId: vpc.VRouterId, VRouterName: 'fog-router', Description: 'fog router' });
    assert.equal((await call('DescribeVRouters', { VRouterId: vpc.VRouterId })).VRouters.VRouter[0].VRouterName, 'fog-router');
    await call('ModifyVpcAttribute', { VpcId: vpc.VpcId, VpcName: 'fog-vpc-2' });
    await call('ModifyVSwitchAttribute', { VSwitchId: vsw.VSwitchId, VSwitchName: 'fog-vsw-2' });
    assert.equal((await call('DescribeVpcs', { VpcId: vpc.VpcId })).Vpcs.Vpc[0].VpcName, 'fog-vpc-2');

    await call('DeleteVSwitch', { VSwitchId: vsw.VSwitchId });
    await s.advance(5000);
    assert.deepEqual((await call('DescribeVSwitches', { VpcId: vpc.VpcId })).VSwitches.VSwitch, []);
    await call('DeleteVpc', { VpcId: vpc.VpcId });
    await s.advance(5000);
    assert.deepEqual((await call('DescribeVpcs', { VpcId: vpc.VpcId })).Vpcs.Vpc, []);
  });

  it('the same actions as a signed POST (aliyungo sends GET, fog POST with the form)', async () => {
    const vpc = await s.pop.request<any>('CreateVpc', { RegionId: 'cn-hangzhou', CidrBlock: '10.0.0.0/8' }, { method: 'POST' });
    assert.match(vpc.VpcId, /^vpc-/);
    const vpcs = await s.pop.request<any>('DescribeVpcs', { RegionId: 'cn-hangzhou', PageSize: 50, PageNumber: 1 }, { method: 'POST' });
    assert.ok(vpcs.Vpcs.Vpc.some((v: any) => v.VpcId === vpc.VpcId));
    assert.equal(vpcs.PageSize, 50);
  });
});
