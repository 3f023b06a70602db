import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, expectEcsError, startTestServer, type TestServer, type VpcClientT } from '../helpers/server.js';
import { createAccount } from '../../src/auth/accounts.js';
import { allocatePrivateIp, releasePrivateIps } from '../../src/store/network.js';
import { EcsError } from '../../src/domain/errors.js';

const R = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-h';

describe('VPC API: VPCs and VSwitches', () => {
  let s: TestServer;
  let vpc: VpcClientT;
  before(async () => { s = await startTestServer(); vpc = s.vpc; });
  after(async () => { await s.close(); });

  // Lists are oldest first: each create moves the clock a second so the order is certain.
  const later = <T>(r: T) => { s.clock.advance(1000); return r; };
  const createVpc = async (req: Partial<$Vpc.CreateVpcRequest> = {}, client = vpc) =>
    later(await client.createVpc(new $Vpc.CreateVpcRequest({ regionId: R, ...req })));
  const createVsw = async (req: Partial<$Vpc.CreateVSwitchRequest>, client = vpc) =>
    later(await client.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, zoneId: ZONE, ...req })));
  const vpcAttr = (vpcId: string, client = vpc) => client.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: R, vpcId }));
  const vswAttr = (vSwitchId: string, client = vpc) => client.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: R, vSwitchId }));
  const deleteVpc = (vpcId: string, client = vpc) => client.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: R, vpcId }));
  const deleteVsw = (vSwitchId: string, client = vpc) => client.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: R, vSwitchId }));

  async function refused(fn: () => Promise<unknown>, code: string, status: number) {
    const e = await expectEcsError(fn);
    assert.equal(e.code, code, e.message);
    assert.equal(e.statusCode, status);
    return e;
  }

  it('CreateVpc defaults to 172.16.0.0/12 and is Available at once, with a router and a route table', async () => {
    const r = (await createVpc({ vpcName: 'first', description: 'the first VPC' })).body!;
    assert.match(r.vpcId!, /^vpc-[a-z0-9]{20}$/);
    assert.match(r.VRouterId!, /^vrt-[a-z0-9]{20}$/);
    assert.match(r.routeTableId!, /^vtb-[a-z0-9]{20}$/);
    assert.match(r.resourceGroupId!, /^rg-acfm/, 'created without a group: in the default resource group');
    assert.match(r.requestId!, /^[0-9A-F-]{36}$/);
    const a = (await vpcAttr(r.vpcId!)).body!;
    assert.equal(a.vpcId, r.vpcId);
    assert.equal(a.status, 'Available');
    assert.equal(a.cidrBlock, '172.16.0.0/12');
    assert.equal(a.vpcName, 'first');
    assert.equal(a.description, 'the first VPC');
    assert.equal(a.regionId, R);
    assert.equal(a.isDefault, false);
    assert.match(a.creationTime!, /^2026-11-23T06:00:0\dZ$/);
    assert.deepEqual(a.vSwitchIds!.vSwitchId, []);
    await deleteVpc(r.vpcId!);
  });

  it('DescribeVpcs filters by id list, name, tag, and pages (max 50)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const tag = i === 1 ? [new $Vpc.CreateVpcRequestTag({ key: 'env', value: 'prod' })] : undefined;
      ids.push((await createVpc({ cidrBlock: `10.${i}.0.0/16`, vpcName: `list-${i}`, tag })).body!.vpcId!);
    }
    const all = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R }))).body!;
    assert.equal(all.totalCount, 3);
    assert.equal(all.pageNumber, 1);
    assert.equal(all.pageSize, 10);
    assert.deepEqual(all.vpcs!.vpc!.map((v) => v.vpcId), ids);
    const one = all.vpcs!.vpc![0]!;
    assert.equal(one.cidrBlock, '10.0.0.0/16');
    assert.equal(one.status, 'Available');
    assert.equal(typeof one.ownerId, 'number');
    assert.equal(one.routerTableIds!.routerTableIds!.length, 1);

    const byIds = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, vpcId: `${ids[0]},${ids[2]}` }))).body!;
    assert.deepEqual(byIds.vpcs!.vpc!.map((v) => v.vpcId), [ids[0], ids[2]]);
    const byName = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, vpcName: 'list-2' }))).body!;
    assert.deepEqual(byName.vpcs!.vpc!.map((v) => v.vpcId), [ids[2]]);
    const byTag = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, tag: [new $Vpc.DescribeVpcsRequestTag({ key: 'env', value: 'prod' })] }))).body!;
    assert.deepEqual(byTag.vpcs!.vpc!.map((v) => v.vpcId), [ids[1]]);
    assert.deepEqual(byTag.vpcs!.vpc![0]!.tags!.tag!.map((t) => [t.key, t.value]), [['env', 'prod']]);
    const p2 = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, pageSize: 2, pageNumber: 2 }))).body!;
    assert.equal(p2.totalCount, 3);
    assert.deepEqual(p2.vpcs!.vpc!.map((v) => v.vpcId), [ids[2]]);
    const other = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: 'cn-beijing' }))).body!;
    assert.equal(other.totalCount, 0);
    const unknown = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, vpcId: 'vpc-doesnotexist' }))).body!;
    assert.deepEqual(unknown.vpcs!.vpc, []);

    await refused(() => vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, pageSize: 51 })), 'InvalidParameter', 400);
    const many = Array.from({ length: 21 }, (_, i) => `vpc-${i}`).join(',');
    await refused(() => vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, vpcId: many })), 'InvalidVpcIdNumber.NotSupported', 400);
    for (const id of ids) await deleteVpc(id);
  });

  it('CreateVpc refuses bad CIDR blocks, names and descriptions', async () => {
    for (const cidr of ['10.0.0.0/30', '8.8.8.0/24', '172.32.0.0/16', 'abc', '192.168.1.1/24', '100.64.0.0/10']) {
      await refused(() => createVpc({ cidrBlock: cidr }), 'InvalidParameter', 400);
    }
    await refused(() => createVpc({ vpcName: 'http://x' }), 'InvalidVpcName.Malformed', 400);
    await refused(() => createVpc({ vpcName: 'x'.repeat(129) }), 'InvalidVpcName.Malformed', 400);
    await refused(() => createVpc({ description: 'https://d' }), 'InvalidVpcDiscription.Malformed', 400);
    // IPv6 (test/api/ipv6.test.ts): a block is taken with EnableIpv6=true only.
    await refused(() => createVpc({ ipv6CidrBlock: '2001:db8::/56' }), 'MissingParam.EnableIpv6', 400);
    await refused(() => vpc.createVpc(new $Vpc.CreateVpcRequest({})), 'MissingParameter', 400);
    const left = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R }))).body!;
    assert.equal(left.totalCount, 0);
  });

  it('DryRun checks and answers DryRunOperation 400 without creating', async () => {
    await refused(() => createVpc({ dryRun: true, cidrBlock: '192.168.0.0/16' }), 'DryRunOperation', 400);
    await refused(() => createVpc({ dryRun: true, cidrBlock: '1.0.0.0/8' }), 'InvalidParameter', 400);
    assert.equal((await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R }))).body!.totalCount, 0);
    await refused(() => vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, dryRun: true })), 'DryRunOperation', 400);
    const id = (await createVpc()).body!.vpcId!;
    await refused(() => vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: R, vpcId: id, dryRun: true })), 'DryRunOperation', 400);
    assert.equal((await vpcAttr(id)).body!.vpcId, id);
    await refused(() => vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: R, vpcId: 'vpc-nope', dryRun: true })), 'InvalidVpcId.NotFound', 404);
    await refused(() => vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: R, dryRun: true })), 'DryRunOperation', 400);
    await deleteVpc(id);
  });

  it('ClientToken replays the first answer; other parameters answer IdempotentParameterMismatch 403', async () => {
    const a = (await createVpc({ clientToken: 'tok-1', vpcName: 'idem' })).body!;
    const b = (await createVpc({ clientToken: 'tok-1', vpcName: 'idem' })).body!;
    assert.equal(b.vpcId, a.vpcId);
    assert.equal(b.VRouterId, a.VRouterId);
    assert.notEqual(b.requestId, a.requestId);
    assert.equal((await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R }))).body!.totalCount, 1);
    await refused(() => createVpc({ clientToken: 'tok-1', vpcName: 'other' }), 'IdempotentParameterMismatch', 403);
    const sw1 = (await createVsw({ vpcId: a.vpcId, cidrBlock: '172.16.0.0/24', clientToken: 'tok-2' })).body!;
    const sw2 = (await createVsw({ vpcId: a.vpcId, cidrBlock: '172.16.0.0/24', clientToken: 'tok-2' })).body!;
    assert.equal(sw2.vSwitchId, sw1.vSwitchId);
    await deleteVsw(sw1.vSwitchId!);
    await deleteVpc(a.vpcId!);
  });

  it('the VPC quota is 5 per region by default and follows the quotas table', async () => {
    const region = 'cn-shanghai';
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: `10.${i}.0.0/16` }))).body!.vpcId!);
    await refused(() => vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region })), 'QuotaExceeded.Vpc', 400);
    // Other regions keep their own count.
    const elsewhere = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: 'cn-qingdao' }))).body!.vpcId!;
    const root = await s.app.services.db.selectFrom('accounts').select('id').where('is_admin', '=', 1).executeTakeFirstOrThrow();
    await s.app.services.db.insertInto('quotas').values({ account_id: root.id, name: 'vpcs-per-region', value: 6 }).execute();
    ids.push((await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region }))).body!.vpcId!);
    await refused(() => vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region })), 'QuotaExceeded.Vpc', 400);
    await s.app.services.db.deleteFrom('quotas').where('account_id', '=', root.id).execute();
    for (const id of ids) await vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: region, vpcId: id }));
    await vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: 'cn-qingdao', vpcId: elsewhere }));
  });

  it('ModifyVpcAttribute changes name, description and CIDR block (keeping VSwitches inside)', async () => {
    const id = (await createVpc({ cidrBlock: '192.168.0.0/16' })).body!.vpcId!;
    await vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId: id, vpcName: 'renamed', description: 'new words' }));
    let a = (await vpcAttr(id)).body!;
    assert.equal(a.vpcName, 'renamed');
    assert.equal(a.description, 'new words');
    await vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId: id, cidrBlock: '192.168.0.0/20' }));
    a = (await vpcAttr(id)).body!;
    assert.equal(a.cidrBlock, '192.168.0.0/20');
    const sw = (await createVsw({ vpcId: id, cidrBlock: '192.168.8.0/24' })).body!.vSwitchId!;
    await refused(() => vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId: id, cidrBlock: '192.168.0.0/21' })), 'IllegalCidrBlock', 400);
    await refused(() => vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId: id, cidrBlock: '8.0.0.0/8' })), 'InvalidCidrBlock.Malformed', 400);
    await refused(() => vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId: id, vpcName: 'https://n' })), 'InvalidVpcName.Malformed', 400);
    await refused(() => vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId: 'vpc-nope', vpcName: 'x' })), 'InvalidVpcId.NotFound', 404);
    await deleteVsw(sw);
    await deleteVpc(id);
  });

  it('CreateVSwitch: zone of the region, CIDR inside the VPC, no overlap, mask 16–29', async () => {
    const id = (await createVpc({ cidrBlock: '192.168.0.0/16' })).body!.vpcId!;
    const sw = (await createVsw({ vpcId: id, cidrBlock: '192.168.1.0/24', vSwitchName: 'web', description: 'web tier' })).body!;
    assert.match(sw.vSwitchId!, /^vsw-[a-z0-9]{20}$/);
    const a = (await vswAttr(sw.vSwitchId!)).body!;
    assert.equal(a.vSwitchId, sw.vSwitchId);
    assert.equal(a.vpcId, id);
    assert.equal(a.status, 'Available');
    assert.equal(a.zoneId, ZONE);
    assert.equal(a.cidrBlock, '192.168.1.0/24');
    assert.equal(a.vSwitchName, 'web');
    assert.equal(a.description, 'web tier');
    assert.equal(a.availableIpAddressCount, 252);
    assert.equal(a.routeTable!.routeTableType, 'System');
    assert.deepEqual((await vpcAttr(id)).body!.vSwitchIds!.vSwitchId, [sw.vSwitchId]);

    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.1.128/25' }), 'InvalidCidrBlock.Overlapped', 400);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.0.0/16' }), 'InvalidCidrBlock.Overlapped', 400);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '10.0.0.0/24' }), 'InvalidParameter', 400);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.2.0/30' }), 'InvalidCirdrBlock.MaskLength', 400);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.2.0' }), 'InvalidCidrBlock.Malformed', 400);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.2.1/24' }), 'InvalidCidrBlock.Malformed', 400);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.2.0/24', zoneId: 'cn-hangzhou-z' }), 'InvalidZoneId.NotFound', 404);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.2.0/24', zoneId: 'cn-shanghai-e' }), 'InvalidZoneId.NotFound', 404);
    await refused(() => createVsw({ vpcId: 'vpc-nope', cidrBlock: '192.168.2.0/24' }), 'InvalidVpcId.NotFound', 404);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.2.0/24', vSwitchName: 'http://sw' }), 'InvalidVSwitchName.Malformed', 400);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.2.0/24', description: 'http://d' }), 'InvalidVSwitchDiscription.Malformed', 400);
    await refused(() => vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: R, vpcId: id, cidrBlock: '192.168.2.0/24' })), 'MissingParameter', 400);
    await deleteVsw(sw.vSwitchId!);
    await deleteVpc(id);
  });

  it('the VSwitch quota per VPC follows the quotas table (default 150)', async () => {
    const id = (await createVpc({ cidrBlock: '192.168.0.0/16' })).body!.vpcId!;
    const root = await s.app.services.db.selectFrom('accounts').select('id').where('is_admin', '=', 1).executeTakeFirstOrThrow();
    await s.app.services.db.insertInto('quotas').values({ account_id: root.id, name: 'vswitches-per-vpc', value: 2 }).execute();
    const a = (await createVsw({ vpcId: id, cidrBlock: '192.168.0.0/24' })).body!.vSwitchId!;
    const b = (await createVsw({ vpcId: id, cidrBlock: '192.168.1.0/24' })).body!.vSwitchId!;
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.2.0/24' }), 'QuotaExceeded.VSwitch', 400);
    await s.app.services.db.deleteFrom('quotas').where('account_id', '=', root.id).execute();
    const c = (await createVsw({ vpcId: id, cidrBlock: '192.168.2.0/24' })).body!.vSwitchId!;
    for (const sw of [a, b, c]) await deleteVsw(sw);
    await deleteVpc(id);
  });

  it('DescribeVSwitches filters by VPC, zone, id and route table, and pages', async () => {
    const v1 = (await createVpc({ cidrBlock: '192.168.0.0/16' })).body!;
    const v2 = (await createVpc({ cidrBlock: '10.0.0.0/8' })).body!;
    const a = (await createVsw({ vpcId: v1.vpcId, cidrBlock: '192.168.0.0/24', zoneId: 'cn-hangzhou-h' })).body!.vSwitchId!;
    const b = (await createVsw({ vpcId: v1.vpcId, cidrBlock: '192.168.1.0/24', zoneId: 'cn-hangzhou-i' })).body!.vSwitchId!;
    const c = (await createVsw({ vpcId: v2.vpcId, cidrBlock: '10.1.0.0/16', zoneId: 'cn-hangzhou-h', tag: [new $Vpc.CreateVSwitchRequestTag({ key: 'tier', value: 'db' })] })).body!.vSwitchId!;
    const list = async (req: Partial<$Vpc.DescribeVSwitchesRequest>) =>
      (await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: R, ...req }))).body!;
    const ids = (b: $Vpc.DescribeVSwitchesResponseBody) => b.vSwitches!.vSwitch!.map((x) => x.vSwitchId);
    assert.deepEqual(ids(await list({})), [a, b, c]);
    assert.deepEqual(ids(await list({ vpcId: v1.vpcId })), [a, b]);
    assert.deepEqual(ids(await list({ zoneId: 'cn-hangzhou-h' })), [a, c]);
    assert.deepEqual(ids(await list({ vSwitchId: b })), [b]);
    assert.deepEqual(ids(await list({ routeTableId: v2.routeTableId })), [c]);
    assert.deepEqual(ids(await list({ tag: [new $Vpc.DescribeVSwitchesRequestTag({ key: 'tier' })] })), [c]);
    const page = await list({ pageSize: 2, pageNumber: 2 });
    assert.equal(page.totalCount, 3);
    assert.equal(page.pageSize, 2);
    assert.deepEqual(ids(page), [c]);
    const one = (await list({ vSwitchId: c })).vSwitches!.vSwitch![0]!;
    assert.equal(one.availableIpAddressCount, 65532);
    assert.equal(one.routeTable!.routeTableId, v2.routeTableId);
    assert.deepEqual(one.tags!.tag!.map((t) => [t.key, t.value]), [['tier', 'db']]);
    const noRegion = (await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ vpcId: v2.vpcId }))).body!;
    assert.deepEqual(ids(noRegion), [c]);
    await refused(() => vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: R, pageSize: 51 })), 'InvalidParameter', 400);
    for (const sw of [a, b, c]) await deleteVsw(sw);
    await deleteVpc(v1.vpcId!);
    await deleteVpc(v2.vpcId!);
  });

  it('ModifyVSwitchAttribute renames; unknown ids answer InvalidVSwitchId.NotFound 404', async () => {
    const id = (await createVpc({ cidrBlock: '192.168.0.0/16' })).body!.vpcId!;
    const sw = (await createVsw({ vpcId: id, cidrBlock: '192.168.0.0/24' })).body!.vSwitchId!;
    await vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: R, vSwitchId: sw, vSwitchName: 'renamed', description: 'desc' }));
    const a = (await vswAttr(sw)).body!;
    assert.equal(a.vSwitchName, 'renamed');
    assert.equal(a.description, 'desc');
    await refused(() => vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: R, vSwitchId: sw, vSwitchName: 'http://x' })), 'InvalidVSwitchName.Malformed', 400);
    await refused(() => vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: R, vSwitchId: 'vsw-nope', vSwitchName: 'x' })), 'InvalidVSwitchId.NotFound', 404);
    await refused(() => deleteVsw('vsw-nope'), 'InvalidVSwitchId.NotFound', 404);
    // An unknown VSwitch reads as empty, as the real service answers (Terraform treats "" as gone).
    assert.equal((await vswAttr('vsw-nope')).body!.vSwitchId, '');
    await deleteVsw(sw);
    await deleteVpc(id);
  });

  it('private addresses: lowest free, requested, refusals; DeleteVSwitch refused while in use', async () => {
    const id = (await createVpc({ cidrBlock: '192.168.0.0/16' })).body!.vpcId!;
    const sw = (await createVsw({ vpcId: id, cidrBlock: '192.168.5.0/29' })).body!.vSwitchId!;
    const db = s.app.services.db;
    const take = (instanceId: string, requested?: string) =>
      db.transaction().execute((trx) => allocatePrivateIp(trx, { vswitchId: sw, instanceId, requested }));
    const code = async (fn: () => Promise<unknown>) => {
      try { await fn(); } catch (e) { return e instanceof EcsError ? [e.code, e.status ?? 0] : ['?', 0]; }
      return ['ok', 0];
    };
    assert.equal(await take('i-1'), '192.168.5.1');
    assert.equal(await take('i-2', '192.168.5.3'), '192.168.5.3');
    assert.equal(await take('i-3'), '192.168.5.2');
    assert.deepEqual(await code(() => take('i-4', '192.168.5.3')), ['InvalidPrivateIpAddress.Duplicated', 0]);
    assert.deepEqual(await code(() => take('i-4', '192.168.5.0')), ['InvalidPrivateIpAddress', 0]);
    assert.deepEqual(await code(() => take('i-4', '192.168.5.5')), ['InvalidPrivateIpAddress', 0]);
    assert.deepEqual(await code(() => take('i-4', '192.168.6.1')), ['InvalidPrivateIpAddress', 0]);
    assert.deepEqual(await code(() => take('i-4', '192.168.5')), ['InvalidPrivateIpAddress.Malformed', 0]);
    assert.equal(await take('i-4'), '192.168.5.4');
    assert.deepEqual(await code(() => take('i-5')), ['QuotaExceeded.PrivateIpAddress', 403]);
    assert.equal((await vswAttr(sw)).body!.availableIpAddressCount, 0);

    await refused(() => deleteVsw(sw), 'DependencyViolation', 400);
    await db.transaction().execute((trx) => releasePrivateIps(trx, 'i-2'));
    assert.equal((await vswAttr(sw)).body!.availableIpAddressCount, 1);
    assert.equal(await take('i-6'), '192.168.5.3');
    for (const i of ['i-1', 'i-3', 'i-4', 'i-6']) await db.transaction().execute((trx) => releasePrivateIps(trx, i));
    assert.equal((await vswAttr(sw)).body!.availableIpAddressCount, 4);
    await deleteVsw(sw);
    await deleteVpc(id);
  });

  it('DeleteVpc is refused while VSwitches or security groups exist', async () => {
    const id = (await createVpc({ cidrBlock: '192.168.0.0/16' })).body!.vpcId!;
    const sw = (await createVsw({ vpcId: id, cidrBlock: '192.168.0.0/24' })).body!.vSwitchId!;
    await refused(() => deleteVpc(id), 'DependencyViolation.VSwitch', 400);
    await deleteVsw(sw);
    const sg = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: id }))).body!.securityGroupId!;
    await refused(() => deleteVpc(id), 'DependencyViolation.SecurityGroup', 400);
    await s.ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId: sg }));
    await deleteVpc(id);
    assert.equal((await vpcAttr(id)).body!.vpcId, '');
    await refused(() => deleteVpc(id), 'InvalidVpcId.NotFound', 404);
    assert.equal((await vswAttr(sw)).body!.vSwitchId, '');
  });

  it('tenants do not see each other\'s VPCs and VSwitches', async () => {
    const id = (await createVpc({ cidrBlock: '192.168.0.0/16' })).body!.vpcId!;
    const sw = (await createVsw({ vpcId: id, cidrBlock: '192.168.0.0/24' })).body!.vSwitchId!;
    const other = await createAccount(s.app.services.db, 'other-vpc', Date.now());
    const them = s.clients({ accessKeyId: other.accessKeyId, accessKeySecret: other.accessKeySecret }).vpc;
    assert.equal((await them.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R }))).body!.totalCount, 0);
    assert.equal((await them.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R, vpcId: id }))).body!.totalCount, 0);
    assert.equal((await vpcAttr(id, them)).body!.vpcId, '');
    assert.equal((await vswAttr(sw, them)).body!.vSwitchId, '');
    assert.equal((await them.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: R, vpcId: id }))).body!.totalCount, 0);
    await refused(() => them.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId: id, vpcName: 'mine' })), 'InvalidVpcId.NotFound', 404);
    await refused(() => deleteVpc(id, them), 'InvalidVpcId.NotFound', 404);
    await refused(() => createVsw({ vpcId: id, cidrBlock: '192.168.1.0/24' }, them), 'InvalidVpcId.NotFound', 404);
    await refused(() => deleteVsw(sw, them), 'InvalidVSwitchId.NotFound', 404);
    await refused(() => them.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: R, vSwitchId: sw, vSwitchName: 'x' })), 'InvalidVSwitchId.NotFound', 404);
    // Their own VPC may reuse the same block; their quota is their own.
    const theirs = (await createVpc({ cidrBlock: '192.168.0.0/16' }, them)).body!.vpcId!;
    assert.equal((await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: R }))).body!.totalCount, 1);
    await deleteVpc(theirs, them);
    assert.equal((await vpcAttr(id)).body!.vpcName, '');
    await deleteVsw(sw);
    await deleteVpc(id);
  });

  it('pop-core (RPC JSON) reaches the same actions', async () => {
    const made: any = await s.popVpc.request('CreateVpc', { RegionId: R, CidrBlock: '10.0.0.0/8', VpcName: 'pop' }, { method: 'POST' });
    assert.match(made.VpcId, /^vpc-/);
    const sw: any = await s.popVpc.request('CreateVSwitch', { RegionId: R, VpcId: made.VpcId, ZoneId: ZONE, CidrBlock: '10.0.0.0/16' }, { method: 'POST' });
    const list: any = await s.popVpc.request('DescribeVSwitches', { RegionId: R, VpcId: made.VpcId });
    assert.equal(list.TotalCount, 1);
    assert.equal(list.VSwitches.VSwitch[0].VSwitchId, sw.VSwitchId);
    assert.equal(list.VSwitches.VSwitch[0].AvailableIpAddressCount, 65532);
    const vpcs: any = await s.popVpc.request('DescribeVpcs', { RegionId: R, VpcId: made.VpcId });
    assert.deepEqual(vpcs.Vpcs.Vpc[0].VSwitchIds.VSwitchId, [sw.VSwitchId]);
    await s.popVpc.request('DeleteVSwitch', { RegionId: R, VSwitchId: sw.VSwitchId }, { method: 'POST' });
    await s.popVpc.request('DeleteVpc', { RegionId: R, VpcId: made.VpcId }, { method: 'POST' });
    try {
      await s.popVpc.request('DeleteVpc', { RegionId: R, VpcId: made.VpcId }, { method: 'POST' });
      assert.fail('expected an error');
    } catch (e: any) {
      assert.equal(e.code, 'InvalidVpcId.NotFound');
    }
  });
});
