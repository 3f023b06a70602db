/**
 * What Terraform's alicloud_vpc and alicloud_vswitch need of the VPC API beyond CRUD
 * (terraform-calls.md §2, §3, §21): the attribute reads and their not-found shapes, default VPCs
 * and VSwitches, DeletionProtection, the system route table's attributes, route entries,
 * UnTagResources on route tables, and the ClassicLink switches.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, expectEcsError, startTestServer, type TestServer, type VpcClientT } from '../helpers/server.js';
import { createAccount } from '../../src/auth/accounts.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { shapeMismatches } from '../helpers/response-shape.js';
import { v2Request } from '../helpers/raw.js';

const R = 'cn-hangzhou';

describe('VPC API: what Terraform needs beyond CRUD', () => {
  let s: TestServer;
  let vpc: VpcClientT;
  before(async () => { s = await startTestServer(); vpc = s.vpc; });
  after(async () => { await s.close(); });

  /**
   * The raw JSON of a V1-signed form POST (2016-04-28), for the types the provider asserts
   * (pop-core's json-bigint would turn a 16-digit OwnerId into an object).
   */
  const raw = async (action: string, params: Record<string, string>): Promise<any> => {
    const r = await v2Request(s.url, action, { RegionId: R, ...params }, { version: '2016-04-28', method: 'POST', placement: 'form' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(shapeMismatches(action, r.json, [], 'vpc'), [], action);
    return r.json;
  };
  async function refused(fn: () => Promise<unknown>, code: string, status: number) {
    const e = await expectEcsError(fn);
    assert.equal(e.code, code, e.message);
    assert.equal(e.statusCode, status);
  }

  it('DescribeVpcAttribute: every field the provider reads, with JSON types; unknown id → 200 with VpcId ""', async () => {
    const { VpcId: vpcId } = await raw('CreateVpc', { CidrBlock: '10.0.0.0/16', VpcName: 'tf', Description: 'd', UserCidr: '11.0.0.0/16' });
    const a = await raw('DescribeVpcAttribute', { VpcId: vpcId });
    assert.equal(a.VpcId, vpcId);
    for (const k of ['CidrBlock', 'CreationTime', 'Description', 'Ipv6CidrBlock', 'RegionId', 'ResourceGroupId', 'VRouterId', 'Status', 'VpcName']) {
      assert.equal(typeof a[k], 'string', k);
    }
    for (const k of ['ClassicLinkEnabled', 'EnabledIpv6', 'IsDefault']) assert.equal(typeof a[k], 'boolean', k);
    assert.equal(a.ClassicLinkEnabled, false);
    assert.deepEqual(a.Ipv6CidrBlocks, { Ipv6CidrBlock: [] });
    assert.deepEqual(a.SecondaryCidrBlocks, { SecondaryCidrBlock: [] });
    assert.deepEqual(a.UserCidrs, { UserCidr: ['11.0.0.0/16'] });
    assert.deepEqual(a.Tags, { Tag: [] });
    const gone = await raw('DescribeVpcAttribute', { VpcId: 'vpc-doesnotexist' });
    assert.equal(gone.VpcId, '');

    const { VSwitchId: vswId } = await raw('CreateVSwitch', { VpcId: vpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.1.0/24', VSwitchName: 'sw' });
    const w = await raw('DescribeVSwitchAttributes', { VSwitchId: vswId });
    for (const k of ['CidrBlock', 'CreationTime', 'Description', 'Ipv6CidrBlock', 'Status', 'VSwitchName', 'VpcId', 'ZoneId']) assert.equal(typeof w[k], 'string', k);
    assert.equal(typeof w.IsDefault, 'boolean');
    assert.deepEqual(w.Tags, { Tag: [] });
    assert.equal((await raw('DescribeVSwitchAttributes', { VSwitchId: 'vsw-doesnotexist' })).VSwitchId, '');
    await raw('DeleteVSwitch', { VSwitchId: vswId });
    await raw('DeleteVpc', { VpcId: vpcId });
  });

  it('CreateDefaultVpc and CreateDefaultVSwitch: one default VPC per region, one /20 per zone', async () => {
    const acct = await createAccount(s.app.services.db, 'defaults', s.clock.now());
    const c = s.clients(acct).vpc;
    await refused(() => c.createDefaultVSwitch(new $Vpc.CreateDefaultVSwitchRequest({ regionId: R, zoneId: 'cn-hangzhou-h' })), 'OperationFailed.DefaultVpcNotExist', 400);
    const made = (await c.createDefaultVpc(new $Vpc.CreateDefaultVpcRequest({ regionId: R }))).body!;
    assert.match(made.vpcId!, /^vpc-/);
    assert.equal(made.routeTableId, 'vtb-' + made.VRouterId!.slice(4));
    const a = (await c.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: R, vpcId: made.vpcId }))).body!;
    assert.equal(a.isDefault, true);
    assert.equal(a.cidrBlock, '172.16.0.0/12');
    await refused(() => c.createDefaultVpc(new $Vpc.CreateDefaultVpcRequest({ regionId: R })), 'OperationFailed.DefaultVpcExist', 400);
    // Another region has its own.
    assert.match((await c.createDefaultVpc(new $Vpc.CreateDefaultVpcRequest({ regionId: 'cn-shanghai' }))).body!.vpcId!, /^vpc-/);
    await refused(() => c.createDefaultVpc(new $Vpc.CreateDefaultVpcRequest({ regionId: R, enableIpv6: true })), 'OperationUnsupported.Ipv6Feature', 400);

    const h = (await c.createDefaultVSwitch(new $Vpc.CreateDefaultVSwitchRequest({ regionId: R, zoneId: 'cn-hangzhou-h' }))).body!.vSwitchId!;
    const i = (await c.createDefaultVSwitch(new $Vpc.CreateDefaultVSwitchRequest({ regionId: R, zoneId: 'cn-hangzhou-i' }))).body!.vSwitchId!;
    const attrs = async (id: string) => (await c.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: R, vSwitchId: id }))).body!;
    assert.deepEqual([(await attrs(h)).cidrBlock, (await attrs(h)).isDefault, (await attrs(h)).vpcId], ['172.16.0.0/20', true, made.vpcId]);
    assert.deepEqual([(await attrs(i)).cidrBlock, (await attrs(i)).zoneId], ['172.16.16.0/20', 'cn-hangzhou-i']);
    await refused(() => c.createDefaultVSwitch(new $Vpc.CreateDefaultVSwitchRequest({ regionId: R, zoneId: 'cn-hangzhou-h' })), 'OperationFailed.DefaultVSwitchExist', 400);
    await refused(() => c.createDefaultVSwitch(new $Vpc.CreateDefaultVSwitchRequest({ regionId: R, zoneId: 'cn-nowhere-z' })), 'InvalidZoneId.NotFound', 404);
    const listed = (await c.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, isDefault: true }))).body!;
    assert.deepEqual(listed.vpcs!.vpc!.map((v) => v.vpcId), [made.vpcId]);
    // The answers are these actions' own: CreateVpc's ResourceGroupId is not a CreateDefaultVpc field (raw checks the shape).
    const own = await raw('CreateDefaultVpc', { RegionId: 'cn-qingdao', ClientToken: 'default-vpc-qd' });
    assert.deepEqual(Object.keys(own).sort(), ['RequestId', 'RouteTableId', 'VRouterId', 'VpcId']);
    const replayed = await raw('CreateDefaultVpc', { RegionId: 'cn-qingdao', ClientToken: 'default-vpc-qd' });
    assert.deepEqual({ ...replayed, RequestId: '' }, { ...own, RequestId: '' });
    assert.deepEqual(Object.keys(await raw('CreateDefaultVSwitch', { RegionId: 'cn-qingdao', ZoneId: 'cn-qingdao-b' })).sort(), ['RequestId', 'VSwitchId']);
  });

  it('DeletionProtection: EIP, CBWP and NATGW only; an id nobody has is ResourceNotExist (EIPs: eip.test.ts)', async () => {
    const dp = (type: string) => () => vpc.deletionProtection(new $Vpc.DeletionProtectionRequest({ regionId: R, instanceId: 'eip-1', type, protectionEnable: true }));
    await refused(dp('EIP'), 'DeletionProtection.ResourceNotExist', 400);
    await refused(dp('NATGW'), 'DeletionProtection.ResourceNotExist', 400);
    await refused(dp('VPC'), 'DeletionProtection.TypeNotSupport', 400);
  });

  it('ModifyRouteTableAttributes is stored and shown by DescribeRouteTableList; UnTagResources on ROUTETABLE', async () => {
    const { VpcId: vpcId, RouteTableId: tableId, VRouterId: routerId } = await raw('CreateVpc', { CidrBlock: '192.168.0.0/16' });
    const list = async (extra: Partial<$Vpc.DescribeRouteTableListRequest> = {}) =>
      (await vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: R, vpcId, ...extra }))).body!;
    let t = (await list()).routerTableList!.routerTableListType![0]!;
    assert.deepEqual([t.routeTableId, t.routeTableType, t.routerId, t.vpcId, t.routeTableName, t.description, t.routePropagationEnable],
      [tableId, 'System', routerId, vpcId, '', '', true]);
    await vpc.modifyRouteTableAttributes(new $Vpc.ModifyRouteTableAttributesRequest({
      regionId: R, routeTableId: tableId, routeTableName: 'main', description: 'the system table', routePropagationEnable: false,
    }));
    t = (await list()).routerTableList!.routerTableListType![0]!;
    assert.deepEqual([t.routeTableName, t.description, t.routePropagationEnable], ['main', 'the system table', false]);
    assert.equal((await list({ routeTableName: 'main' })).totalCount, 1);
    assert.equal((await list({ routeTableName: 'other' })).totalCount, 0);
    const raws = await raw('DescribeRouteTableList', { VpcId: vpcId });
    for (const [action, params] of [['DescribeRouteTables', { RouteTableId: tableId }], ['DescribeVRouters', { VRouterId: routerId }], ['DescribeRouteEntryList', { RouteTableId: tableId }]] as const) {
      await raw(action, params); // shapes checked
    }
    assert.equal(raws.RouterTableList.RouterTableListType[0].RoutePropagationEnable, false); // a JSON boolean
    const tables = (await vpc.describeRouteTables(new $Vpc.DescribeRouteTablesRequest({ regionId: R, routeTableId: tableId }))).body!;
    assert.equal(tables.routeTables!.routeTable![0]!.routeTableId, tableId);

    const modify = (req: Partial<$Vpc.ModifyRouteTableAttributesRequest>) => () =>
      vpc.modifyRouteTableAttributes(new $Vpc.ModifyRouteTableAttributesRequest({ regionId: R, routeTableId: tableId, ...req }));
    await refused(modify({ routeTableId: 'vtb-missing', routeTableName: 'x' }), 'Abs.InvalidRouteTableId.NotExist', 400);
    await refused(modify({ routeTableName: 'http://x' }), 'Abs.InvaliTableName.Malformed', 400);
    await refused(modify({ description: 'https://x' }), 'InvalidDescription.Malformed', 400);

    await vpc.tagResources(new $Vpc.TagResourcesRequest({
      regionId: R, resourceType: 'ROUTETABLE', resourceId: [tableId],
      tag: [new $Vpc.TagResourcesRequestTag({ key: 'a', value: '1' }), new $Vpc.TagResourcesRequestTag({ key: 'b', value: '2' }), new $Vpc.TagResourcesRequestTag({ key: 'c', value: '3' })],
    }));
    const tagsOf = async () => ((await list()).routerTableList!.routerTableListType![0]!.tags!.tag ?? []).map((x) => x.key).sort();
    assert.deepEqual(await tagsOf(), ['a', 'b', 'c']);
    await vpc.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId: R, resourceType: 'ROUTETABLE', resourceId: [tableId], tagKey: ['a'] }));
    assert.deepEqual(await tagsOf(), ['b', 'c']);
    await vpc.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId: R, resourceType: 'ROUTETABLE', resourceId: [tableId], all: true }));
    assert.deepEqual(await tagsOf(), []);
    await vpc.tagResources(new $Vpc.TagResourcesRequest({ regionId: R, resourceType: 'VPC', resourceId: [vpcId], tag: [new $Vpc.TagResourcesRequestTag({ key: 'k', value: 'v' })] }));
    await vpc.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId: R, resourceType: 'VPC', resourceId: [vpcId], tagKey: ['k'] }));
    assert.deepEqual((await vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: R, vpcId }))).body!.tags!.tag, []);
    await refused(() => vpc.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId: R, resourceType: 'ROUTETABLE', resourceId: ['vtb-missing'], all: true })), 'InvalidInstanceIds.NotFound', 400);
    await raw('DeleteVpc', { VpcId: vpcId });
    assert.equal((await list()).totalCount, 0);
  });

  it('route entries through the VPC API: ids, DescribeRouteEntryList, delete by id, the VPC product codes', async () => {
    const n = await createNetwork(s, R, '10.10.0.0/16', '10.10.1.0/24');
    const run = await s.ecs.runInstances(runRequest(n, { amount: 1 }));
    const instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(5000);
    const tableId = (await vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: R, vpcId: n.vpcId }))).body!.routerTableList!.routerTableListType![0]!.routeTableId!;
    const create = (req: Partial<$Vpc.CreateRouteEntryRequest>) =>
      vpc.createRouteEntry(new $Vpc.CreateRouteEntryRequest({ regionId: R, routeTableId: tableId, nextHopType: 'Instance', nextHopId: instanceId, ...req }));
    const made = (await create({ destinationCidrBlock: '0.0.0.0/0', routeEntryName: 'default', description: 'to the gateway' })).body!;
    assert.match(made.routeEntryId!, /^rte-/);

    const entries = async (req: Partial<$Vpc.DescribeRouteEntryListRequest> = {}) =>
      (await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: R, routeTableId: tableId, ...req }))).body!;
    const all = (await entries()).routeEntrys!.routeEntry!;
    assert.deepEqual(all.map((e) => [e.destinationCidrBlock, e.type, e.nextHops!.nextHop![0]!.nextHopType]), [
      ['10.10.1.0/24', 'System', 'local'], ['100.64.0.0/10', 'System', 'service'], ['0.0.0.0/0', 'Custom', 'Instance'],
    ]);
    const custom = all[2]!;
    assert.deepEqual([custom.routeEntryId, custom.routeEntryName, custom.description, custom.status, custom.nextHops!.nextHop![0]!.nextHopId],
      [made.routeEntryId, 'default', 'to the gateway', 'Available', instanceId]);
    assert.deepEqual((await entries({ routeEntryType: 'Custom' })).routeEntrys!.routeEntry!.map((e) => e.routeEntryId), [made.routeEntryId]);
    const firstPage = await entries({ maxResult: 2 });
    assert.equal(firstPage.routeEntrys!.routeEntry!.length, 2);
    assert.deepEqual((await entries({ maxResult: 2, nextToken: firstPage.nextToken })).routeEntrys!.routeEntry!.map((e) => e.routeEntryId), [made.routeEntryId]);
    await refused(() => entries({ routeTableId: 'vtb-missing' }), 'InvalidRouteTable.NotFound', 400);

    await refused(() => create({ destinationCidrBlock: '10.10.1.0/25' }), 'OperationUnsupported.DestinationCidrBlockOverlapWithVSwitch', 400);
    await refused(() => create({ destinationCidrBlock: '0.0.0.0/0' }), 'InvalidCIDRBlock.Duplicate', 400);
    await refused(() => create({ destinationCidrBlock: '2408::/64' }), 'OperationDenied.VpcIpv6NotEnabled', 400);
    await refused(() => create({ destinationCidrBlock: '10.20.0.0/16', nextHopType: undefined, nextHopId: undefined,
      nextHopList: [new $Vpc.CreateRouteEntryRequestNextHopList({ nextHopId: 'ri-1', nextHopType: 'RouterInterface' }), new $Vpc.CreateRouteEntryRequestNextHopList({ nextHopId: 'ri-2', nextHopType: 'RouterInterface' })] }),
    'OperationUnsupported.EcmpRiTypeOrNumber', 400);

    // A quota of one custom entry per table (SetAccountQuota's table) is enforced.
    await s.app.services.db.insertInto('quotas').values({ account_id: (await s.app.services.db.selectFrom('vpcs').select('account_id').where('id', '=', n.vpcId).executeTakeFirstOrThrow()).account_id, name: 'route-entries-per-table', value: 1 }).execute();
    await refused(() => create({ destinationCidrBlock: '10.30.0.0/16' }), 'QuotaExceeded', 400);

    // The instance a route entry leads to cannot be released while the entry exists.
    await refused(() => s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId, force: true })), 'DependencyViolation.RouteEntry', 400);
    await refused(() => s.ecs.deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: R, instanceId: [instanceId], force: true })), 'DependencyViolation.RouteEntry', 400);
    await refused(() => vpc.deleteRouteEntry(new $Vpc.DeleteRouteEntryRequest({ regionId: R, routeEntryId: 'rte-missing' })), 'InvalidRouteEntryId.NotFound', 400);
    await refused(() => vpc.deleteRouteEntry(new $Vpc.DeleteRouteEntryRequest({ regionId: R, routeEntryId: made.routeEntryId, routeTableId: tableId })),
      'ParamExclusive.RouteEntryIdAndRouteTableIdOrDestCidrBlock', 400);
    await vpc.deleteRouteEntry(new $Vpc.DeleteRouteEntryRequest({ regionId: R, routeEntryId: made.routeEntryId }));
    assert.equal((await entries({ routeEntryType: 'Custom' })).routeEntrys!.routeEntry!.length, 0);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId, force: true }));

    const routers = (await vpc.describeVRouters(new $Vpc.DescribeVRoutersRequest({ regionId: R }))).body!;
    assert.ok(routers.VRouters!.VRouter!.some((r) => r.vpcId === n.vpcId && r.routeTableIds!.routeTableId!.includes(tableId)));
  });

  it('route entries to an ENI (NextHopType NetworkInterface): its VPC, its state; DeleteNetworkInterface leaves the entry', async () => {
    // The test above set a quota of one entry per table; this one needs two.
    await s.app.services.db.deleteFrom('quotas').where('name', '=', 'route-entries-per-table').execute();
    const n = await createNetwork(s, R, '10.11.0.0/16', '10.11.1.0/24');
    const other = await createNetwork(s, R, '10.12.0.0/16', '10.12.1.0/24');
    const eniIn = async (net: typeof n) => (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({
      regionId: R, vSwitchId: net.vswitchId, securityGroupIds: [net.securityGroupId],
    }))).body!.networkInterfaceId!;
    const eniId = await eniIn(n);
    const foreign = await eniIn(other);
    const tableId = (await vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: R, vpcId: n.vpcId }))).body!.routerTableList!.routerTableListType![0]!.routeTableId!;
    const create = (req: Partial<$Vpc.CreateRouteEntryRequest>) =>
      vpc.createRouteEntry(new $Vpc.CreateRouteEntryRequest({ regionId: R, routeTableId: tableId, nextHopType: 'NetworkInterface', nextHopId: eniId, ...req }));
    await refused(() => create({ destinationCidrBlock: '10.40.0.0/16', nextHopId: 'eni-missing' }), 'InvalidNetworkInterface.NotFound', 404);
    await refused(() => create({ destinationCidrBlock: '10.40.0.0/16', nextHopId: foreign }), 'InvalidNexthop', 400);
    const made = (await create({ destinationCidrBlock: '10.40.0.0/16' })).body!.routeEntryId!;
    const custom = async () => (await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: R, routeTableId: tableId, routeEntryType: 'Custom' })))
      .body!.routeEntrys!.routeEntry!;
    assert.deepEqual((await custom()).map((e) => [e.routeEntryId, e.destinationCidrBlock, e.nextHops!.nextHop![0]!.nextHopType, e.nextHops!.nextHop![0]!.nextHopId]),
      [[made, '10.40.0.0/16', 'NetworkInterface', eniId]]);
    assert.deepEqual((await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: R, routeTableId: tableId, nextHopType: 'NetworkInterface' })))
      .body!.routeEntrys!.routeEntry!.map((e) => e.routeEntryId), [made]);
    // An ENI being deleted is no next hop; no code refuses deleting one that is: the entry stays, routed nowhere.
    await s.ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eniId }));
    await refused(() => create({ destinationCidrBlock: '10.41.0.0/16' }), 'IncorrectInstanceStatus', 403);
    await s.advance(60_000);
    assert.deepEqual((await custom()).map((e) => e.routeEntryId), [made]);
    await refused(() => create({ destinationCidrBlock: '10.41.0.0/16' }), 'InvalidNetworkInterface.NotFound', 404);
    await vpc.deleteRouteEntry(new $Vpc.DeleteRouteEntryRequest({ regionId: R, routeEntryId: made }));
    assert.equal((await custom()).length, 0);
  });

  it('secondary CIDR blocks: associate, a VSwitch inside one, in use, unassociate', async () => {
    const { VpcId: vpcId } = await raw('CreateVpc', { CidrBlock: '192.168.0.0/16' });
    const assoc = (block: string) => vpc.associateVpcCidrBlock(new $Vpc.AssociateVpcCidrBlockRequest({ regionId: R, vpcId, secondaryCidrBlock: block, ipVersion: 'IPV4' }));
    const unassoc = (block: string) => vpc.unassociateVpcCidrBlock(new $Vpc.UnassociateVpcCidrBlockRequest({ regionId: R, vpcId, secondaryCidrBlock: block }));
    await assoc('10.0.0.0/16');
    await assoc('172.20.0.0/16');
    const a = await raw('DescribeVpcAttribute', { VpcId: vpcId });
    assert.deepEqual(a.SecondaryCidrBlocks, { SecondaryCidrBlock: ['10.0.0.0/16', '172.20.0.0/16'] });
    assert.equal(a.Status, 'Available');
    assert.deepEqual((await raw('DescribeVpcs', { VpcId: vpcId })).Vpcs.Vpc[0].SecondaryCidrBlocks.SecondaryCidrBlock, ['10.0.0.0/16', '172.20.0.0/16']);
    await refused(() => assoc('10.0.0.0/16'), 'Duplicated.SecondaryCidrBlock', 400);
    await refused(() => assoc('192.168.3.0/24'), 'InvalidCidrBlock', 400);
    await refused(() => assoc('8.8.8.0/24'), 'IllegalParam.SecondaryCidrBlock', 400);
    await refused(() => assoc('10.9.0.1/16'), 'InvalidCidrBlock.Malformed', 400);
    await refused(() => vpc.associateVpcCidrBlock(new $Vpc.AssociateVpcCidrBlockRequest({ regionId: R, vpcId, IPv6CidrBlock: 'fd00::/48' })), 'IllegalParam.IpVersion', 400);
    await refused(() => vpc.associateVpcCidrBlock(new $Vpc.AssociateVpcCidrBlockRequest({ regionId: R, vpcId: 'vpc-missing', secondaryCidrBlock: '10.1.0.0/16' })), 'InvalidVpc.NotFound', 400);

    const { VSwitchId: vswId } = await raw('CreateVSwitch', { VpcId: vpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '10.0.1.0/24' });
    await refused(() => unassoc('10.0.0.0/16'), 'OperationFailed.CidrInUse', 400);
    await refused(() => unassoc('10.7.0.0/16'), 'InvalidSecondaryCidrBlock.NotFound', 400);
    // The primary block may shrink: the VSwitch in the secondary block keeps its place.
    await vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId, cidrBlock: '192.168.0.0/24' }));
    await refused(() => vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId, cidrBlock: '10.0.0.0/8' })), 'InvalidCidrBlock.Malformed', 400);
    await raw('DeleteVSwitch', { VSwitchId: vswId });
    await unassoc('10.0.0.0/16');
    assert.deepEqual((await raw('DescribeVpcAttribute', { VpcId: vpcId })).SecondaryCidrBlocks, { SecondaryCidrBlock: ['172.20.0.0/16'] });
    await raw('DeleteVpc', { VpcId: vpcId });
  });

  it('ClassicLink: enabling is refused (no classic network), disabling keeps the state every VPC has', async () => {
    const { VpcId: vpcId } = await raw('CreateVpc', { CidrBlock: '192.168.0.0/16' });
    await refused(() => vpc.enableVpcClassicLink(new $Vpc.EnableVpcClassicLinkRequest({ regionId: R, vpcId })), 'Forbidden.EnableClassicLink', 400);
    await refused(() => vpc.enableVpcClassicLink(new $Vpc.EnableVpcClassicLinkRequest({ regionId: R, vpcId: 'vpc-missing' })), 'InvalidVpcId.NotFound', 404);
    await vpc.disableVpcClassicLink(new $Vpc.DisableVpcClassicLinkRequest({ regionId: R, vpcId }));
    assert.equal((await raw('DescribeVpcAttribute', { VpcId: vpcId })).ClassicLinkEnabled, false);
    await raw('DeleteVpc', { VpcId: vpcId });
  });
});
