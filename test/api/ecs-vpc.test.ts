/**
 * The VPC actions the ECS API (2014-05-26) hosts, as fog-aliyun and aliyungo call them: pop-core
 * with apiVersion 2014-05-26 (signature V1, GET and POST). The same VPCs are seen through the VPC
 * API client, since one implementation answers both.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { XMLParser } from 'fast-xml-parser';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { v2Request } from '../helpers/raw.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { shapeMismatches } from '../helpers/response-shape.js';

const R = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-h';

describe('ECS-hosted VPC actions (2014-05-26)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  // pop-core parses into null-prototype objects: made plain for deepEqual.
  const plain = (x: unknown): any => JSON.parse(JSON.stringify(x));
  // Every answer is checked against the ECS action's response shape (field types included).
  const shaped = (action: string, body: any) => {
    assert.deepEqual(shapeMismatches(action, body, [], 'ecs'), [], action);
    return body;
  };
  const get = async (action: string, params: Record<string, unknown>) => shaped(action, plain(await s.pop.request(action, { RegionId: R, ...params })));
  const post = async (action: string, params: Record<string, unknown>) => shaped(action, plain(await s.pop.request(action, { RegionId: R, ...params }, { method: 'POST' })));
  async function refused(fn: () => Promise<unknown>, code: string, status: number) {
    let err: any;
    try { await fn(); } catch (e) { err = e; }
    assert.ok(err, `expected ${code}, but the call succeeded`);
    assert.equal(err.code, code, err.message);
    // pop-core keeps the HTTP status in its log entry.
    assert.equal(err.entry?.response?.statusCode, status, `${code}: HTTP ${err.entry?.response?.statusCode}`);
  }

  it('the fog/aliyungo sequence: create VPC → describe → create VSwitch → describe → delete VSwitch → delete VPC', async () => {
    const created = await get('CreateVpc', { CidrBlock: '10.0.0.0/8', VpcName: 'fog-vpc', Description: 'from fog' });
    assert.deepEqual(Object.keys(created).sort(), ['RequestId', 'RouteTableId', 'VRouterId', 'VpcId']);
    const vpcId: string = created.VpcId;
    assert.match(vpcId, /^vpc-/);
    assert.match(created.VRouterId, /^vrt-/);
    assert.equal(created.RouteTableId, 'vtb-' + created.VRouterId.slice(4));

    const vpcs = await get('DescribeVpcs', { VpcId: vpcId });
    assert.equal(vpcs.TotalCount, 1);
    assert.equal(vpcs.PageNumber, 1);
    assert.equal(vpcs.PageSize, 10);
    const v = vpcs.Vpcs.Vpc[0];
    // The ECS version's shape: no tags, resource group, owner or IPv6 fields of the VPC API.
    assert.deepEqual(Object.keys(v).sort(), ['CidrBlock', 'CreationTime', 'Description', 'IsDefault', 'RegionId', 'Status', 'UserCidrs', 'VRouterId', 'VSwitchIds', 'VpcId', 'VpcName']);
    assert.equal(v.VpcId, vpcId);
    assert.equal(v.Status, 'Available');
    assert.equal(v.VpcName, 'fog-vpc');
    assert.equal(v.VRouterId, created.VRouterId);
    assert.equal(v.IsDefault, false);
    assert.deepEqual(v.VSwitchIds, { VSwitchId: [] });
    assert.deepEqual(v.UserCidrs, { UserCidr: [] });

    const vsw = await post('CreateVSwitch', { VpcId: vpcId, ZoneId: ZONE, CidrBlock: '10.1.0.0/24', VSwitchName: 'fog-vsw' });
    assert.deepEqual(Object.keys(vsw).sort(), ['RequestId', 'VSwitchId']);
    const vswitches = await get('DescribeVSwitches', { VpcId: vpcId });
    assert.equal(vswitches.TotalCount, 1);
    const w = vswitches.VSwitches.VSwitch[0];
    assert.equal(w.VSwitchId, vsw.VSwitchId);
    assert.equal(w.VpcId, vpcId);
    assert.equal(w.ZoneId, ZONE);
    assert.equal(w.CidrBlock, '10.1.0.0/24');
    assert.equal(w.Status, 'Available');
    assert.equal(w.AvailableIpAddressCount, 252);
    assert.equal(w.RouteTable, undefined); // not in the ECS version's shape
    assert.deepEqual((await get('DescribeVpcs', { VpcId: vpcId })).Vpcs.Vpc[0].VSwitchIds.VSwitchId, [vsw.VSwitchId]);

    // The same VPC through the VPC API client: one implementation.
    const a = (await s.vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: R, vpcId }))).body!;
    assert.equal(a.vpcName, 'fog-vpc');
    assert.equal(a.description, 'from fog');
    assert.deepEqual(a.vSwitchIds!.vSwitchId, [vsw.VSwitchId]);
    await s.vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId, vpcName: 'renamed' }));
    assert.equal((await get('DescribeVpcs', { VpcId: vpcId })).Vpcs.Vpc[0].VpcName, 'renamed');
    await post('ModifyVSwitchAttribute', { VSwitchId: vsw.VSwitchId, VSwitchName: 'renamed-vsw' });
    assert.equal((await s.vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: R, vSwitchId: vsw.VSwitchId }))).body!.vSwitchName, 'renamed-vsw');

    await refused(() => get('DeleteVpc', { VpcId: vpcId }), 'DependencyViolation.VSwitch', 400);
    await get('DeleteVSwitch', { VSwitchId: vsw.VSwitchId });
    assert.equal((await get('DescribeVSwitches', { VpcId: vpcId })).TotalCount, 0);
    await get('DeleteVpc', { VpcId: vpcId });
    assert.equal((await get('DescribeVpcs', { VpcId: vpcId })).TotalCount, 0);
    assert.equal((await s.vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: R, vpcId }))).body!.vpcId, '');
  });

  it('answers XML for the old SDKs that ask for it (signature V1, Format=XML)', async () => {
    const created = await get('CreateVpc', { CidrBlock: '192.168.0.0/16' });
    await get('CreateVSwitch', { VpcId: created.VpcId, ZoneId: ZONE, CidrBlock: '192.168.1.0/24' });
    const r = await v2Request(s.url, 'DescribeVpcs', { RegionId: R, VpcId: created.VpcId }, { format: 'XML' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], 'text/xml;charset=utf-8');
    const body = new XMLParser().parse(r.text).DescribeVpcsResponse;
    assert.equal(body.TotalCount, 1);
    assert.equal(body.Vpcs.Vpc.VpcId, created.VpcId);
    assert.equal(body.Vpcs.Vpc.VRouterId, created.VRouterId);
    assert.match(body.Vpcs.Vpc.VSwitchIds.VSwitchId, /^vsw-/);
    const vsw = (await get('DescribeVSwitches', { VpcId: created.VpcId })).VSwitches.VSwitch[0];
    await get('DeleteVSwitch', { VSwitchId: vsw.VSwitchId });
    await get('DeleteVpc', { VpcId: created.VpcId });
  });

  it('refuses with the ECS version codes and statuses', async () => {
    await refused(() => get('CreateVpc', { CidrBlock: '8.8.8.0/24' }), 'InvalidParameter', 400);
    await refused(() => get('CreateVpc', { VpcName: 'http://x' }), 'InvalidVpcName.Malformed', 400);
    await refused(() => get('CreateVpc', { UserCidr: '100.64.0.0/16' }), 'InvalidUserCidr.Malformed', 400);
    await refused(() => get('CreateVpc', { UserCidr: '10.0.0.0/8,11.0.0.0/8,12.0.0.0/8,13.0.0.0/8' }), 'InvalidUserCidr.Quota', 400);
    await refused(() => get('DeleteVpc', { VpcId: 'vpc-missing' }), 'InvalidVpcId.NotFound', 404);
    await refused(() => get('DeleteVSwitch', { VSwitchId: 'vsw-missing' }), 'InvalidVSwitchId.NotFound', 404);
    await refused(() => get('CreateVSwitch', { VpcId: 'vpc-missing', ZoneId: ZONE, CidrBlock: '10.0.0.0/24' }), 'InvalidVpcId.NotFound', 404);
    await refused(() => get('ModifyVRouterAttribute', { VRouterId: 'vrt-missing', VRouterName: 'x' }), 'InvalidVRouterId.NotFound', 404);
    await refused(() => get('DescribeVpcs', { PageSize: 51 }), 'InvalidParameter', 400);
    const v = await get('CreateVpc', { CidrBlock: '172.16.0.0/16', UserCidr: '10.0.0.0/8' });
    assert.deepEqual((await get('DescribeVpcs', { VpcId: v.VpcId })).Vpcs.Vpc[0].UserCidrs.UserCidr, ['10.0.0.0/8']);
    await refused(() => get('CreateVSwitch', { VpcId: v.VpcId, ZoneId: ZONE, CidrBlock: '172.16.0.0/30' }), 'InvalidCirdrBlock.MaskLength', 400);
    await refused(() => get('CreateVSwitch', { VpcId: v.VpcId, ZoneId: 'cn-nowhere-z', CidrBlock: '172.16.0.0/24' }), 'InvalidZoneId.NotFound', 404);
    await refused(() => get('ModifyVRouterAttribute', { VRouterId: v.VRouterId, Description: 'https://x' }), 'InvalidVRouterDiscription.Malformed', 400);
    await get('ModifyVpcAttribute', { VpcId: v.VpcId, UserCidr: '10.0.0.0/8,11.0.0.0/16' });
    assert.deepEqual((await get('DescribeVpcs', { VpcId: v.VpcId })).Vpcs.Vpc[0].UserCidrs.UserCidr, ['10.0.0.0/8', '11.0.0.0/16']);
    await get('DeleteVpc', { VpcId: v.VpcId });
  });

  it('DescribeVRouters, DescribeRouteTables, CreateRouteEntry and DeleteRouteEntry on the stored system route table', async () => {
    const n = await createNetwork(s, R, '192.168.0.0/16', '192.168.1.0/24');
    const run = await s.ecs.runInstances(runRequest(n, { amount: 1 }));
    const instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(5000);
    const vpc = (await get('DescribeVpcs', { VpcId: n.vpcId })).Vpcs.Vpc[0];

    const routers = await get('DescribeVRouters', { VRouterId: vpc.VRouterId });
    assert.equal(routers.TotalCount, 1);
    const router = routers.VRouters.VRouter[0];
    const tableId = 'vtb-' + vpc.VRouterId.slice(4);
    assert.deepEqual(router, {
      VRouterId: vpc.VRouterId, VpcId: n.vpcId, RegionId: R, VRouterName: '', Description: '', CreationTime: vpc.CreationTime,
      RouteTableIds: { RouteTableId: [tableId] },
    });
    await post('ModifyVRouterAttribute', { VRouterId: vpc.VRouterId, VRouterName: 'edge', Description: 'the router' });
    const renamed = (await get('DescribeVRouters', { VRouterId: vpc.VRouterId })).VRouters.VRouter[0];
    assert.deepEqual([renamed.VRouterName, renamed.Description], ['edge', 'the router']);

    const tables = async () => (await get('DescribeRouteTables', { VRouterId: vpc.VRouterId })).RouteTables.RouteTable;
    let [table] = await tables();
    assert.equal(table.RouteTableId, tableId);
    assert.equal(table.RouteTableType, 'System');
    assert.equal(table.VRouterId, vpc.VRouterId);
    assert.deepEqual(table.RouteEntrys.RouteEntry.map((e: any) => [e.DestinationCidrBlock, e.Type, e.NextHopType, e.Status, e.RouteTableId]), [
      ['192.168.1.0/24', 'System', 'local', 'Available', tableId],
      ['100.64.0.0/10', 'System', 'service', 'Available', tableId],
    ]);
    assert.equal(table.RouteEntrys.RouteEntry[0].RouteEntryId, undefined); // the ECS shape has no entry ids

    // aliyungo's CreateRouteEntry: RouteTableId, DestinationCidrBlock, NextHopType=Instance, NextHopId.
    const made = await post('CreateRouteEntry', { RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', NextHopType: 'Instance', NextHopId: instanceId });
    assert.deepEqual(Object.keys(made), ['RequestId']);
    s.clock.advance(1000); // entries list oldest first
    await get('CreateRouteEntry', { RouteTableId: tableId, DestinationCidrBlock: '10.8.0.0/16', NextHopId: instanceId }); // NextHopType defaults to Instance
    [table] = await tables();
    const custom = table.RouteEntrys.RouteEntry.filter((e: any) => e.Type === 'Custom');
    assert.deepEqual(custom.map((e: any) => [e.DestinationCidrBlock, e.NextHopType, e.InstanceId, e.Status]), [
      ['0.0.0.0/0', 'Instance', instanceId, 'Available'],
      ['10.8.0.0/16', 'Instance', instanceId, 'Available'],
    ]);

    const create = (extra: Record<string, unknown>) => () => get('CreateRouteEntry', { RouteTableId: tableId, NextHopId: instanceId, ...extra });
    await refused(create({ DestinationCidrBlock: '0.0.0.0/0' }), 'InvalidCIDRBlock.Duplicate', 400);
    await refused(create({ DestinationCidrBlock: '192.168.1.128/25' }), 'RouteConflict.AlreadyExist', 400);
    await refused(create({ DestinationCidrBlock: '100.64.1.0/24' }), 'InvalidDestinationCidrBlock', 400);
    await refused(create({ DestinationCidrBlock: '10.0.0.1/8' }), 'InvalidCidrBlock.Malformed', 400);
    await refused(create({ DestinationCidrBlock: '10.9.0.0/16', NextHopId: 'i-missing' }), 'InvalidNextHopId.NotFound', 404);
    await refused(create({ DestinationCidrBlock: '10.9.0.0/16', NextHopType: 'Bogus' }), 'InvalidNextHopType', 400);
    await refused(create({ DestinationCidrBlock: '10.9.0.0/16', NextHopType: 'HaVip', NextHopId: 'havip-1' }), 'InvalidNextHop.NotFound', 400);
    await refused(create({ DestinationCidrBlock: '10.9.0.0/16', RouteTableId: 'vtb-missing' }), 'InvalidRouteTableId.NotFound', 404);
    await refused(() => get('CreateRouteEntry', { RouteTableId: tableId, DestinationCidrBlock: '10.9.0.0/16' }), 'MissingParameter', 400);

    // An instance of another VPC cannot be a next hop.
    const other = await createNetwork(s, R, '172.20.0.0/16', '172.20.1.0/24');
    const otherRun = await s.ecs.runInstances(runRequest(other, { amount: 1 }));
    await s.advance(5000);
    await refused(create({ DestinationCidrBlock: '10.9.0.0/16', NextHopId: otherRun.body!.instanceIdSets!.instanceIdSet![0]! }), 'OperationFailed.InstanceDismatchCurrentVpc', 404);

    // A VPC with custom entries cannot go; system entries cannot be deleted.
    await refused(() => get('DeleteRouteEntry', { RouteTableId: tableId, DestinationCidrBlock: '192.168.1.0/24' }), 'OperationDenied', 400);
    await refused(() => get('DeleteRouteEntry', { RouteTableId: tableId, DestinationCidrBlock: '10.99.0.0/16' }), 'InvalidRouteEntry.NotFound', 400);
    await refused(() => get('DeleteRouteEntry', { RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', NextHopId: 'i-other' }), 'InvalidRouteEntry.NotFound', 400);
    await post('DeleteRouteEntry', { RouteTableId: tableId, DestinationCidrBlock: '0.0.0.0/0', NextHopId: instanceId });
    await get('DeleteRouteEntry', { RouteTableId: tableId, DestinationCidrBlock: '10.8.0.0/16' });
    [table] = await tables();
    assert.deepEqual(table.RouteEntrys.RouteEntry.map((e: any) => e.Type), ['System', 'System']);

    // The VPC API sees the same table, with entry ids.
    const list = (await s.vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: R, routeTableId: tableId }))).body!;
    assert.deepEqual(list.routeEntrys!.routeEntry!.map((e) => [e.destinationCidrBlock, e.type]), [['192.168.1.0/24', 'System'], ['100.64.0.0/10', 'System']]);
  });

  it('ClassicLink is refused: there is no classic network', async () => {
    await refused(() => get('AttachClassicLinkVpc', { InstanceId: 'i-missing', VpcId: 'vpc-x' }), 'InvalidInstanceId.NotFound', 403);
    const n = await createNetwork(s, R, '192.168.0.0/16', '192.168.9.0/24');
    const run = await s.ecs.runInstances(runRequest(n, { amount: 1 }));
    await refused(() => get('AttachClassicLinkVpc', { InstanceId: run.body!.instanceIdSets!.instanceIdSet![0]!, VpcId: n.vpcId }), 'InvalidInstanceId.MalFormed', 403);
    await refused(() => get('DetachClassicLinkVpc', { InstanceId: run.body!.instanceIdSets!.instanceIdSet![0]!, VpcId: n.vpcId }), 'InvalidInstanceId.MalFormed', 403);
  });
});
