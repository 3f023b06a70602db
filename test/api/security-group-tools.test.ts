/**
 * The console's security group conveniences as OpenECS extension actions (Version 2026-11-01):
 * clone, export, import, restore (security guide §1.10.3, §1.11) and the default security group
 * (§1.3), called over the wire with pop-core and the openapi-core generic client.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import * as $OpenApi from '@alicloud/openapi-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

const R = 'cn-hangzhou';
const R2 = 'cn-beijing';
const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;

describe('security group tools (OpenECS extension actions)', () => {
  let s: TestServer;
  let ext: InstanceType<typeof PopCore>;
  let net: Network;
  let net2: Network;

  before(async () => {
    s = await startTestServer();
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    net = await createNetwork(s);
    net2 = await createNetwork(s, R2, '172.16.0.0/16');
  });
  after(async () => { await s.close(); });

  const call = (action: string, params: Record<string, unknown>): Promise<any> => ext.request(action, params, { method: 'POST' });
  async function fails(action: string, params: Record<string, unknown>): Promise<[string, number]> {
    try {
      await call(action, params);
    } catch (e: any) {
      return [e.code, e.entry?.response?.statusCode];
    }
    throw new Error(`${action} succeeded`);
  }

  async function group(opts: { vpcId?: string; regionId?: string; type?: string; name?: string } = {}): Promise<string> {
    const r = await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({
      regionId: opts.regionId ?? R, vpcId: opts.vpcId ?? net.vpcId, securityGroupType: opts.type ?? 'normal', securityGroupName: opts.name ?? 'tools',
    }));
    return r.body!.securityGroupId!;
  }
  const perm = (x: Record<string, unknown>) => new $Ecs.AuthorizeSecurityGroupRequestPermissions(x);
  const authorize = (id: string, perms: Record<string, unknown>[], regionId = R) =>
    s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId, securityGroupId: id, permissions: perms.map(perm) }));
  const authorizeEgress = (id: string, x: Record<string, unknown>) =>
    s.ecs.authorizeSecurityGroupEgress(new $Ecs.AuthorizeSecurityGroupEgressRequest({ regionId: R, securityGroupId: id, ...x }));
  async function rules(id: string, regionId = R) {
    const r = await s.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId, securityGroupId: id }));
    return r.body!.permissions!.permission!;
  }
  const brief = (list: Awaited<ReturnType<typeof rules>>) =>
    list.map((p) => `${p.direction} ${p.ipProtocol} ${p.portRange} ${p.sourceCidrIp || p.destCidrIp || p.sourceGroupId || p.destGroupId} ${p.policy} ${p.priority}`).sort();

  describe('CreateDefaultSecurityGroup (console flow, guide 001:L149–164)', () => {
    it('creates the VPC default group once, with ICMP, 22 and 3389 from 0.0.0.0/0 at priority 100', async () => {
      const a = await call('CreateDefaultSecurityGroup', { RegionId: R, VpcId: net.vpcId });
      assert.equal(a.Created, true);
      assert.match(a.SecurityGroupId, /^sg-/);
      assert.equal(a.VpcId, net.vpcId);
      assert.deepEqual(brief(await rules(a.SecurityGroupId)), [
        'ingress ICMP -1/-1 0.0.0.0/0 Accept 100', 'ingress TCP 22/22 0.0.0.0/0 Accept 100', 'ingress TCP 3389/3389 0.0.0.0/0 Accept 100',
      ]);
      const g = (await s.ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, securityGroupId: a.SecurityGroupId }))).body!.securityGroups!.securityGroup![0]!;
      assert.deepEqual([g.securityGroupType, g.description, g.securityGroupName], ['normal', 'System created security group.', a.SecurityGroupId]);

      // Again: the same group; OpenHttpPorts adds 80 and 443.
      const b = await call('CreateDefaultSecurityGroup', { RegionId: R, VpcId: net.vpcId, OpenHttpPorts: true });
      assert.deepEqual([b.SecurityGroupId, b.Created], [a.SecurityGroupId, false]);
      const after = brief(await rules(a.SecurityGroupId));
      assert.equal(after.length, 5);
      assert.ok(after.includes('ingress TCP 80/80 0.0.0.0/0 Accept 100') && after.includes('ingress TCP 443/443 0.0.0.0/0 Accept 100'));

      // All outbound traffic is allowed (a basic group's default), inbound 3306 is not.
      const explain = (x: Record<string, unknown>) => call('ExplainSecurityGroupAccess', { RegionId: R, 'SecurityGroupId.1': a.SecurityGroupId, ...x });
      assert.equal((await explain({ Direction: 'egress', IpProtocol: 'tcp', Port: 5432, PeerAddress: '8.8.8.8' })).Decision, 'Allow');
      assert.equal((await explain({ Direction: 'ingress', IpProtocol: 'tcp', Port: 22, PeerAddress: '203.0.113.1' })).Decision, 'Allow');
      assert.equal((await explain({ Direction: 'ingress', IpProtocol: 'tcp', Port: 3306, PeerAddress: '203.0.113.1' })).Decision, 'Deny');

      // RunInstances itself still refuses a launch without a group; with the default group it launches.
      const none = await expectEcsError(() => s.ecs.runInstances(runRequest(net, { securityGroupId: undefined })));
      assert.equal(none.code, 'MissingParameter');
      const run = await s.ecs.runInstances(runRequest(net, { securityGroupId: a.SecurityGroupId }));
      assert.equal(run.body!.instanceIdSets!.instanceIdSet!.length, 1);
    });

    it('refuses a missing or unknown VPC', async () => {
      assert.deepEqual(await fails('CreateDefaultSecurityGroup', { RegionId: R }), ['MissingParameter', 400]);
      assert.deepEqual(await fails('CreateDefaultSecurityGroup', { RegionId: R, VpcId: 'vpc-doesnotexist' }), ['InvalidVpcId.NotFound', 404]);
      // A VPC of another region is not found in this one.
      assert.deepEqual(await fails('CreateDefaultSecurityGroup', { RegionId: R, VpcId: net2.vpcId }), ['InvalidVpcId.NotFound', 404]);
      assert.deepEqual(await fails('CreateDefaultSecurityGroup', { RegionId: R, VpcId: net.vpcId, DryRun: true }), ['DryRunOperation', 400]);
    });
  });

  describe('ExportSecurityGroupRules (guide L1059, L1191)', () => {
    it('JSON with the ecs_${region_id}_${groupID}.json name; CSV with the guide\'s CSV name', async () => {
      const g = await group({ name: 'exported' });
      await authorize(g, [{ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8', description: 'ssh, "office"' }]);
      await authorizeEgress(g, { ipProtocol: 'udp', portRange: '53/53', destCidrIp: '8.8.8.8/32', priority: '7' });
      const j = await call('ExportSecurityGroupRules', { RegionId: R, SecurityGroupId: g });
      assert.deepEqual([j.FileName, j.FileFormat, j.RuleCount], [`ecs_${R}_${g}.json`, 'json', 2]);
      const doc = JSON.parse(j.Content);
      assert.equal(doc.SecurityGroupId, g);
      assert.deepEqual(doc.Permissions.map((x: any) => [x.Direction, x.IpProtocol, x.PortRange, x.Priority]), [['ingress', 'TCP', '22/22', '1'], ['egress', 'UDP', '53/53', '7']]);

      const c = await call('ExportSecurityGroupRules', { RegionId: R, SecurityGroupId: g, Format: 'csv' });
      assert.equal(c.FileName, `ecs_sgRule_${g}_${R}_2026-11-23.csv`);
      const lines = c.Content.trim().split('\r\n');
      assert.equal(lines.length, 3);
      assert.match(lines[0], /^Direction,IpProtocol,PortRange,/);
      assert.match(lines[1], /"ssh, ""office"""/);
      // FileFormat names the format too; the openapi-core generic client gets the same answer.
      const params = new $OpenApi.$OpenApiUtil.Params({
        action: 'ExportSecurityGroupRules', version: '2026-11-01', protocol: 'HTTP', pathname: '/', method: 'POST',
        authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
      });
      const r: any = await s.ecs.callApi(params, new $OpenApi.$OpenApiUtil.OpenApiRequest({ query: { RegionId: R, SecurityGroupId: g, FileFormat: 'CSV' } }), {} as any);
      assert.equal(r.body.FileName, c.FileName);

      assert.deepEqual(await fails('ExportSecurityGroupRules', { RegionId: R, SecurityGroupId: g, FileFormat: 'xml' }), ['InvalidParameter.FileFormat', 400]);
      assert.deepEqual(await fails('ExportSecurityGroupRules', { RegionId: R, SecurityGroupId: 'sg-doesnotexist' }), ['InvalidSecurityGroupId.NotFound', 404]);
    });
  });

  describe('ImportSecurityGroupRules (guide L1066–1084, L1203–1224)', () => {
    it('previews, imports, does not overwrite existing rules, and reads a file exported in another region', async () => {
      const src = await group({ regionId: R2, vpcId: net2.vpcId });
      await authorize(src, [
        { ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '0.0.0.0/0', priority: '10' },
        { ipProtocol: 'icmp', portRange: '-1/-1', sourceCidrIp: '192.168.0.0/16', policy: 'drop' },
      ], R2);
      const file = (await call('ExportSecurityGroupRules', { RegionId: R2, SecurityGroupId: src })).Content;
      const dst = await group();
      await authorize(dst, [{ ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '0.0.0.0/0', priority: '10' }]);

      const preview = await call('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dst, Content: file, Preview: true });
      assert.deepEqual([preview.Preview, preview.RuleCount, preview.ImportCount, preview.TruncatedCount], [true, 2, 1, 0]);
      assert.deepEqual(preview.SkippedRules.Item.map((x: any) => [x.Index, x.Code]), [[1, 'Duplicate']]);
      assert.deepEqual(preview.FailedRules.Item, []);
      assert.equal((await rules(dst)).length, 1, 'a preview changes nothing');

      const done = await call('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dst, Content: file });
      assert.deepEqual([done.Preview, done.ImportCount], [false, 1]);
      assert.deepEqual(brief(await rules(dst)), ['ingress ICMP -1/-1 192.168.0.0/16 Drop 1', 'ingress TCP 443/443 0.0.0.0/0 Accept 10']);
      const again = await call('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dst, Content: file });
      assert.equal(again.ImportCount, 0);
      assert.equal((await rules(dst)).length, 2);
    });

    it('CSV files, the 100-rule cap, and bad files', async () => {
      const dst = await group();
      const rows = Array.from({ length: 150 }, (_, i) => `ingress,tcp,${1000 + i}/${1000 + i},10.0.0.1/32`);
      const csv = ['Direction,IpProtocol,PortRange,SourceCidrIp', ...rows].join('\n');
      const r = await call('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dst, Content: csv, Format: 'csv' });
      assert.deepEqual([r.RuleCount, r.ImportCount, r.TruncatedCount], [150, 100, 50]);
      assert.equal((await rules(dst)).length, 100);
      // Format detected from the content when not given.
      const one = await call('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dst, Content: 'Direction,IpProtocol,PortRange,DestCidrIp\negress,udp,53/53,8.8.8.8/32\n' });
      assert.equal(one.ImportCount, 1);
      assert.deepEqual(await fails('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dst, Content: '{"Permissions": 5}' }), ['InvalidFile.Malformed', 400]);
      assert.deepEqual(await fails('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dst, Content: 'a,b\n1,2' }), ['InvalidFile.Malformed', 400]);
      assert.deepEqual(await fails('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dst }), ['MissingParameter', 400]);
    });

    it('every rule is checked with the codes of AuthorizeSecurityGroup; one bad rule imports nothing', async () => {
      const dst = await group();
      const adv = await group({ type: 'enterprise' });
      const file = (perms: Record<string, unknown>[]) => JSON.stringify({ Permissions: perms });
      const good = { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '80/80', SourceCidrIp: '0.0.0.0/0' };
      const table: [string, Record<string, unknown>, string, number, string?][] = [
        ['port range of tcp', { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '0/10', SourceCidrIp: '1.1.1.1' }, 'InvalidParam.PortRange', 400],
        ['protocol', { Direction: 'ingress', IpProtocol: 'sctp', PortRange: '1/1', SourceCidrIp: '1.1.1.1' }, 'InvalidIpProtocol.ValueNotSupported', 400],
        ['cidr', { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '1/1', SourceCidrIp: '1.1.1.300/32' }, 'InvalidSourceCidrIp.Malformed', 400],
        ['priority', { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '1/1', SourceCidrIp: '1.1.1.1', Priority: '101' }, 'InvalidPriority.ValueNotSupported', 400],
        ['direction', { Direction: 'sideways', IpProtocol: 'tcp', PortRange: '1/1', SourceCidrIp: '1.1.1.1' }, 'InvalidDirection.Malformed', 400],
        ['unknown authorized group', { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '1/1', SourceGroupId: 'sg-doesnotexist' }, 'InvalidSourceGroupId.NotFound', 404],
        ['drop rule into an advanced group', { Direction: 'ingress', IpProtocol: 'tcp', PortRange: '1/1', SourceCidrIp: '1.1.1.1', Policy: 'drop' }, 'InvalidGroupParameter.OperationDenied', 400, adv],
      ];
      for (const [name, bad, code, status, target] of table) {
        const content = file([good, bad]);
        const got = await fails('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: target ?? dst, Content: content });
        assert.deepEqual(got, [code, status], name);
        const pre = await call('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: target ?? dst, Content: content, Preview: true });
        assert.deepEqual(pre.FailedRules.Item.map((x: any) => [x.Index, x.Code]), [[2, code]], name);
        assert.equal(pre.ImportCount, 1, name);
      }
      assert.equal((await rules(dst)).length, 0);
      // The status matches AuthorizeSecurityGroup's for the same rule.
      const direct = await expectEcsError(() => authorize(adv, [{ ipProtocol: 'tcp', portRange: '1/1', sourceCidrIp: '1.1.1.1', policy: 'drop' }]));
      assert.deepEqual([direct.code, direct.statusCode], ['InvalidGroupParameter.OperationDenied', 400]);
    });
  });

  describe('RestoreSecurityGroupRules (guide L1008–1040, L1130–1170)', () => {
    it('previews and applies a complete or partial restore', async () => {
      const a = await group({ name: 'restored' });
      const b = await group({ name: 'template' });
      await authorize(a, [{ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8' }, { ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' }]);
      await authorize(b, [{ ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' }, { ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '0.0.0.0/0' }]);
      const peer = await group({ name: 'peer' });
      await authorizeEgress(b, { ipProtocol: 'all', portRange: '-1/-1', destGroupId: peer });
      const before = brief(await rules(a));

      const full = await call('RestoreSecurityGroupRules', { RegionId: R, SecurityGroupId: a, SourceSecurityGroupId: b, Preview: true });
      assert.deepEqual([full.Mode, full.Preview, full.Identical], ['Complete', true, false]);
      assert.deepEqual(full.ToAdd.Permission.map((x: any) => `${x.Direction} ${x.PortRange}`).sort(), ['egress -1/-1', 'ingress 443/443']);
      assert.deepEqual(full.ToRemove.Permission.map((x: any) => x.PortRange), ['22/22']);
      assert.match(full.ToRemove.Permission[0].SecurityGroupRuleId, /^sgr-/);
      const part = await call('RestoreSecurityGroupRules', { RegionId: R, SecurityGroupId: a, SourceSecurityGroupId: b, Mode: 'Partial', Preview: true });
      assert.deepEqual([part.ToAdd.Permission.length, part.ToRemove.Permission.length], [2, 0]);
      assert.deepEqual(brief(await rules(a)), before, 'previews change nothing');

      await call('RestoreSecurityGroupRules', { RegionId: R, SecurityGroupId: a, SourceSecurityGroupId: b, Mode: 'partial' });
      assert.equal((await rules(a)).length, 4);
      await call('RestoreSecurityGroupRules', { RegionId: R, SecurityGroupId: a, SourceSecurityGroupId: b });
      assert.deepEqual(brief(await rules(a)), brief(await rules(b)));
      const same = await call('RestoreSecurityGroupRules', { RegionId: R, SecurityGroupId: a, SourceSecurityGroupId: b, Preview: true });
      assert.equal(same.Identical, true);
    });

    it('same region and same network type only (guide L1017–1019)', async () => {
      const a = await group();
      const other = await group({ regionId: R2, vpcId: net2.vpcId });
      // CreateSecurityGroup without VpcId makes a classic-network group.
      const classic = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, securityGroupName: 'classic' }))).body!.securityGroupId!;
      assert.equal((await s.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: R, securityGroupId: classic }))).body!.vpcId, '');
      const adv = await group({ type: 'enterprise' });
      const dropper = await group();
      await authorize(dropper, [{ ipProtocol: 'tcp', portRange: '25/25', sourceCidrIp: '0.0.0.0/0', policy: 'drop' }]);
      const table: [Record<string, unknown>, string, number][] = [
        [{ SecurityGroupId: a, SourceSecurityGroupId: other }, 'InvalidParameter.RegionMismatch', 400],
        [{ SecurityGroupId: a, SourceSecurityGroupId: classic }, 'InvalidParameter.NetworkTypeMismatch', 400],
        [{ SecurityGroupId: a, SourceSecurityGroupId: a }, 'InvalidParameter.SameSecurityGroup', 400],
        [{ SecurityGroupId: a, SourceSecurityGroupId: 'sg-doesnotexist' }, 'InvalidSourceSecurityGroupId.NotFound', 404],
        [{ SecurityGroupId: a, SourceSecurityGroupId: dropper, Mode: 'Sideways' }, 'InvalidParameter.Mode', 400],
        // The template's drop rule cannot go into an advanced group (Authorize's code).
        [{ SecurityGroupId: adv, SourceSecurityGroupId: dropper }, 'InvalidGroupParameter.OperationDenied', 400],
      ];
      for (const [params, code, status] of table) {
        assert.deepEqual(await fails('RestoreSecurityGroupRules', { RegionId: R, ...params }), [code, status], code);
      }
      const pre = await call('RestoreSecurityGroupRules', { RegionId: R, SecurityGroupId: adv, SourceSecurityGroupId: dropper, Preview: true });
      assert.deepEqual(pre.FailedRules.Item.map((x: any) => x.Code), ['InvalidGroupParameter.OperationDenied']);
    });
  });

  describe('CloneSecurityGroup (guide 001:L878–910)', () => {
    it('clones in the region: same type, policy, rules; a rule naming the group itself names the clone', async () => {
      const g = await group({ name: 'origin' });
      await s.ecs.modifySecurityGroupPolicy(new $Ecs.ModifySecurityGroupPolicyRequest({ regionId: R, securityGroupId: g, innerAccessPolicy: 'Drop' }));
      await authorize(g, [{ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8', priority: '3' }, { ipProtocol: 'all', portRange: '-1/-1', sourceGroupId: g }]);
      const c = await call('CloneSecurityGroup', { RegionId: R, SecurityGroupId: g, SecurityGroupName: 'origin-copy' });
      assert.notEqual(c.SecurityGroupId, g);
      assert.deepEqual([c.RegionId, c.VpcId, c.SecurityGroupType, c.RuleCount, c.SkippedRules.Item.length], [R, net.vpcId, 'normal', 2, 0]);
      const attr = (await s.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: R, securityGroupId: c.SecurityGroupId }))).body!;
      assert.deepEqual([attr.securityGroupName, attr.innerAccessPolicy, attr.vpcId], ['origin-copy', 'Drop', net.vpcId]);
      const self = attr.permissions!.permission!.find((p) => p.sourceGroupId)!;
      assert.equal(self.sourceGroupId, c.SecurityGroupId);
      // The original can be deleted: the clone references itself, not the original.
      await s.ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: R, securityGroupId: g }));
    });

    it('clones to another region and VPC; rules naming other groups are skipped and reported', async () => {
      const peer = await group({ name: 'peer' });
      const adv = await group({ type: 'enterprise', name: 'adv' });
      await authorize(adv, [{ ipProtocol: 'tcp', portRange: '443/443', sourceCidrIp: '0.0.0.0/0' }]);
      const g = await group({ name: 'web' });
      await authorize(g, [{ ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' }, { ipProtocol: 'tcp', portRange: '3306/3306', sourceGroupId: peer }]);

      const far = await call('CloneSecurityGroup', { RegionId: R, SecurityGroupId: g, DestinationRegionId: R2, DestinationVpcId: net2.vpcId });
      assert.deepEqual([far.RegionId, far.VpcId, far.RuleCount], [R2, net2.vpcId, 1]);
      assert.deepEqual(far.SkippedRules.Item.map((x: any) => [x.Index, x.Code, x.Permission.SourceGroupId]), [[2, 'InvalidSourceGroupId.Mismatch', peer]]);
      assert.deepEqual(brief(await rules(far.SecurityGroupId, R2)), ['ingress TCP 80/80 0.0.0.0/0 Accept 1']);
      const inR2 = await s.ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R2, securityGroupId: far.SecurityGroupId }));
      assert.equal(inR2.body!.securityGroups!.securityGroup![0]!.securityGroupName, 'web', 'the name defaults to the original');

      const advClone = await call('CloneSecurityGroup', { RegionId: R, SecurityGroupId: adv, DestinationRegionId: R2, DestinationVpcId: net2.vpcId, SecurityGroupName: 'adv2' });
      assert.deepEqual([advClone.SecurityGroupType, advClone.RuleCount], ['enterprise', 1]);

      const table: [Record<string, unknown>, string, number][] = [
        [{ SecurityGroupId: g, DestinationRegionId: R2 }, 'MissingParameter.DestinationVpcId', 400],
        [{ SecurityGroupId: g, DestinationRegionId: R2, DestinationVpcId: net.vpcId }, 'InvalidVpcId.NotFound', 404],
        [{ SecurityGroupId: g, DestinationRegionId: 'xx-nowhere-1', DestinationVpcId: net2.vpcId }, 'InvalidRegionId.NotFound', 404],
        [{ SecurityGroupId: g, SecurityGroupName: 'http://bad' }, 'InvalidSecurityGroupName.Malformed', 400],
        [{ SecurityGroupId: 'sg-doesnotexist' }, 'InvalidSecurityGroupId.NotFound', 404],
        [{ SecurityGroupId: g, DryRun: true }, 'DryRunOperation', 400],
      ];
      for (const [params, code, status] of table) {
        assert.deepEqual(await fails('CloneSecurityGroup', { RegionId: R, ...params }), [code, status], code);
      }
    });

    it('counts against the security group quota of the destination region', async () => {
      const g = await group();
      const fresh = await createNetwork(s, R, '10.10.0.0/16');
      await call('SetAccountQuota', { AccountId: s.app.root.accountId, QuotaName: 'security-groups-per-region', Value: 0 });
      try {
        assert.deepEqual(await fails('CloneSecurityGroup', { RegionId: R, SecurityGroupId: g }), ['QuotaExceed.SecurityGroup', 403]);
        // A VPC without a default group needs a new one; the VPC that has one answers it.
        assert.deepEqual(await fails('CreateDefaultSecurityGroup', { RegionId: R, VpcId: fresh.vpcId }), ['QuotaExceed.SecurityGroup', 403]);
        assert.equal((await call('CreateDefaultSecurityGroup', { RegionId: R, VpcId: net.vpcId })).Created, false);
      } finally {
        await call('SetAccountQuota', { AccountId: s.app.root.accountId, QuotaName: 'security-groups-per-region', Value: 100 });
      }
    });
  });
});
