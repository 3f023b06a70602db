/**
 * Prefix lists through the official client: the six actions, their limits and error codes,
 * security group rules with SourcePrefixListId / DestPrefixListId (family, quota cost of MaxEntries,
 * DeletePrefixList refused while referenced), the explainer following the list's entries, and an
 * edit of the list reaching the compiled nftables ruleset.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { gatherPolicy } from '../../src/network/enforcer.js';
import { renderRuleset } from '../../src/network/nft-compiler.js';

const R = 'cn-hangzhou';
const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;

describe('prefix lists', () => {
  let s: TestServer;
  let net: Network;
  let ext: InstanceType<typeof PopCore>;

  before(async () => {
    s = await startTestServer();
    net = await createNetwork(s);
    ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
  });
  after(async () => { await s.close(); });

  const entry = (cidr: string, description?: string) => new $Ecs.CreatePrefixListRequestEntry({ cidr, description });
  async function create(x: { family?: string; max?: number; name?: string; entries?: [string, string?][]; description?: string } = {}): Promise<string> {
    const r = await s.ecs.createPrefixList(new $Ecs.CreatePrefixListRequest({
      regionId: R, addressFamily: x.family ?? 'IPv4', maxEntries: x.max ?? 10, prefixListName: x.name ?? 'office', description: x.description,
      entry: (x.entries ?? []).map(([c, d]) => entry(c, d)),
    }));
    return r.body!.prefixListId!;
  }
  const attributes = async (id: string) => (await s.ecs.describePrefixListAttributes(new $Ecs.DescribePrefixListAttributesRequest({ regionId: R, prefixListId: id }))).body!;
  const modify = (id: string, add: [string, string?][] = [], remove: string[] = [], extra: Record<string, unknown> = {}) =>
    s.ecs.modifyPrefixList(new $Ecs.ModifyPrefixListRequest({
      regionId: R, prefixListId: id, ...extra,
      addEntry: add.map(([cidr, description]) => new $Ecs.ModifyPrefixListRequestAddEntry({ cidr, description })),
      removeEntry: remove.map((cidr) => new $Ecs.ModifyPrefixListRequestRemoveEntry({ cidr })),
    }));
  async function group(): Promise<string> {
    return (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId }))).body!.securityGroupId!;
  }
  const ingress = (sg: string, x: Record<string, unknown>) => s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
    regionId: R, securityGroupId: sg, permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '443/443', ...x })],
  }));
  const egress = (sg: string, x: Record<string, unknown>) => s.ecs.authorizeSecurityGroupEgress(new $Ecs.AuthorizeSecurityGroupEgressRequest({
    regionId: R, securityGroupId: sg, permissions: [new $Ecs.AuthorizeSecurityGroupEgressRequestPermissions({ ipProtocol: 'tcp', portRange: '443/443', ...x })],
  }));
  const rules = async (sg: string) => (await s.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: R, securityGroupId: sg, direction: 'all' }))).body!.permissions!.permission!;
  const code = async (fn: () => Promise<unknown>) => { const e = await expectEcsError(fn); return [e.code, e.statusCode]; };

  it('creates, describes, modifies and deletes a list; entries are stored in standard form', async () => {
    const id = await create({ name: 'office', description: 'office egress', entries: [['192.168.1.100', 'one host'], ['10.0.0.0/8']] });
    assert.match(id, /^pl-[a-z0-9]+$/);
    let a = await attributes(id);
    assert.deepEqual([a.prefixListName, a.description, a.addressFamily, a.maxEntries], ['office', 'office egress', 'IPv4', 10]);
    assert.match(a.creationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    assert.deepEqual(a.entries!.entry!.map((e) => [e.cidr, e.description]), [['192.168.1.100/32', 'one host'], ['10.0.0.0/8', '']]);

    // Add, remove and re-describe in one call; an added CIDR already present takes the new description.
    await modify(id, [['172.16.0.0/12', 'branch'], ['10.0.0.0/8', 'corp']], ['192.168.1.100/32'], { prefixListName: 'office-2', description: 'changed' });
    a = await attributes(id);
    assert.deepEqual([a.prefixListName, a.description], ['office-2', 'changed']);
    assert.deepEqual(a.entries!.entry!.map((e) => [e.cidr, e.description]), [['10.0.0.0/8', 'corp'], ['172.16.0.0/12', 'branch']]);

    const six = await create({ family: 'IPv6', max: 2, name: 'six', entries: [['2001:0DB8:0000:0000:0000:0000:0000:0000/32']] });
    assert.deepEqual((await attributes(six)).entries!.entry!.map((e) => e.cidr), ['2001:db8::/32']);

    const listed = (await s.ecs.describePrefixLists(new $Ecs.DescribePrefixListsRequest({ regionId: R, prefixListId: [id, six] }))).body!;
    assert.deepEqual(listed.prefixLists!.prefixList!.map((p) => [p.prefixListId, p.addressFamily, p.associationCount]).sort(), [[id, 'IPv4', 0], [six, 'IPv6', 0]].sort());
    const v6 = (await s.ecs.describePrefixLists(new $Ecs.DescribePrefixListsRequest({ regionId: R, addressFamily: 'IPv6', prefixListName: 'six' }))).body!;
    assert.deepEqual(v6.prefixLists!.prefixList!.map((p) => p.prefixListId), [six]);

    await s.ecs.deletePrefixList(new $Ecs.DeletePrefixListRequest({ regionId: R, prefixListId: six }));
    assert.deepEqual(await code(() => attributes(six)), ['InvalidPrefixListId.NotFound', 404]);
  });

  it('pages DescribePrefixLists and DescribePrefixListAssociations with NextToken/MaxResults', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push(await create({ name: `paged-${i}` }));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const r = (await s.ecs.describePrefixLists(new $Ecs.DescribePrefixListsRequest({ regionId: R, prefixListId: ids, maxResults: 2, nextToken: token }))).body!;
      assert.ok(r.prefixLists!.prefixList!.length <= 2);
      seen.push(...r.prefixLists!.prefixList!.map((p) => p.prefixListId!));
      token = r.nextToken || undefined;
    } while (token);
    assert.deepEqual(seen.sort(), [...ids].sort());

    const groups = [await group(), await group(), await group()];
    for (const g of groups) await ingress(g, { sourcePrefixListId: ids[0] });
    const first = (await s.ecs.describePrefixListAssociations(new $Ecs.DescribePrefixListAssociationsRequest({ regionId: R, prefixListId: ids[0], maxResults: 2 }))).body!;
    assert.equal(first.prefixListAssociations!.prefixListAssociation!.length, 2);
    const rest = (await s.ecs.describePrefixListAssociations(new $Ecs.DescribePrefixListAssociationsRequest({ regionId: R, prefixListId: ids[0], nextToken: first.nextToken }))).body!;
    const all = [...first.prefixListAssociations!.prefixListAssociation!, ...rest.prefixListAssociations!.prefixListAssociation!];
    assert.deepEqual(all.map((x) => x.resourceId).sort(), [...groups].sort());
    assert.ok(all.every((x) => x.resourceType === 'securitygroup'));
    assert.equal(rest.nextToken, '');
    const counted = (await s.ecs.describePrefixLists(new $Ecs.DescribePrefixListsRequest({ regionId: R, prefixListId: [ids[0]!] }))).body!;
    assert.equal(counted.prefixLists!.prefixList![0]!.associationCount, 3);
  });

  it('answers the documented codes for malformed and over-limit requests', async () => {
    const table: [string, () => Promise<unknown>, string, number][] = [
      ['family', () => create({ family: 'IPv5' }), 'InvalidParameter.AddressFamily', 400],
      ['name', () => create({ name: 'com.aliyun.x' }), 'InvalidParameter.PrefixListName', 400],
      ['name start', () => create({ name: '1abc' }), 'InvalidParameter.PrefixListName', 400],
      ['description', () => create({ description: 'http://x' }), 'InvalidDescription.Malformed', 400],
      ['MaxEntries 0', () => create({ max: 0 }), 'InvalidParameter', 400],
      ['MaxEntries 201', () => create({ max: 201 }), 'InvalidParameter', 400],
      ['host bits', () => create({ entries: [['10.0.0.1/8']] }), 'InvalidParameter.CidrMalformed', 400],
      ['wrong family', () => create({ entries: [['2001:db8::/32']] }), 'InvalidParameter.CidrMalformed', 400],
      ['duplicate', () => create({ entries: [['10.0.0.1'], ['10.0.0.1/32']] }), 'InvalidParameter.CidrDuplicated', 400],
      ['over MaxEntries', () => create({ max: 1, entries: [['10.0.0.0/8'], ['11.0.0.0/8']] }), 'LimitExceed.MaxEntries', 400],
      ['not found', () => attributes('pl-nobody0000000000000'), 'InvalidPrefixListId.NotFound', 404],
    ];
    for (const [name, fn, c, status] of table) assert.deepEqual(await code(fn), [c, status], name);

    const id = await create({ max: 2, entries: [['10.0.0.0/8']] });
    assert.deepEqual(await code(() => modify(id, [['11.0.0.0/8'], ['12.0.0.0/8']])), ['LimitExceed.MaxEntries', 400]);
    assert.deepEqual(await code(() => modify(id, [['11.0.0.0/8']], ['11.0.0.0/8'])), ['InvalidParameter.CidrDuplicated', 400]);
    assert.deepEqual(await code(() => modify(id, [], ['13.0.0.0/8'])), ['InvalidParameter', 400]);
    const many = Array.from({ length: 201 }, (_, i) => [`10.${i}.0.0/16`] as [string]);
    assert.deepEqual(await code(() => modify(id, many)), ['LimitExceed.Entry', 400]);
    // Nothing of a refused edit was written.
    assert.deepEqual((await attributes(id)).entries!.entry!.map((e) => e.cidr), ['10.0.0.0/8']);
  });

  it('limits prefix lists per region (the account quota, raised by SetAccountQuota)', async () => {
    await ext.request('SetAccountQuota', { AccountId: s.app.root.accountId, QuotaName: 'prefix-lists-per-region', Value: 12 }, { method: 'POST' });
    const have = (await s.app.services.db.selectFrom('prefix_lists').select('id').where('region_id', '=', R).execute()).length;
    for (let i = have; i < 12; i++) await create({ name: `fill-${i}` });
    assert.deepEqual(await code(() => create({ name: 'one-too-many' })), ['LimitExceed.PrefixListPerRegion', 404]);
    await s.app.services.db.deleteFrom('quotas').where('name', '=', 'prefix-lists-per-region').execute();
  });

  it('security group rules reference lists: names shown, family checked, MaxEntries counted, delete refused while referenced', async () => {
    const sg = await group();
    const v4 = await create({ name: 'web-clients', max: 150, entries: [['203.0.113.0/24']] });
    const v6 = await create({ family: 'IPv6', name: 'v6-clients', max: 5, entries: [['2001:db8::/32']] });
    const db = await create({ name: 'databases', max: 10, entries: [['10.8.0.0/16']] });
    await ingress(sg, { sourcePrefixListId: v4 });
    await egress(sg, { destPrefixListId: db, portRange: '5432/5432', policy: 'drop' });
    const list = await rules(sg);
    const inRule = list.find((r) => r.direction === 'ingress')!;
    const outRule = list.find((r) => r.direction === 'egress')!;
    assert.deepEqual([inRule.sourcePrefixListId, inRule.sourcePrefixListName, inRule.sourceCidrIp], [v4, 'web-clients', '']);
    assert.deepEqual([outRule.destPrefixListId, outRule.destPrefixListName, outRule.policy], [db, 'databases', 'Drop']);

    // The family of the list must be the rule's: icmp is IPv4, a local IPv4 DestCidrIp too.
    assert.deepEqual(await code(() => ingress(sg, { ipProtocol: 'icmp', portRange: '-1/-1', sourcePrefixListId: v6 })), ['InvalidParam.PrefixListAddressFamilyMismatch', 400]);
    assert.deepEqual(await code(() => ingress(sg, { sourcePrefixListId: v6, destCidrIp: '192.168.0.0/24' })), ['InvalidParam.PrefixListAddressFamilyMismatch', 400]);
    assert.deepEqual(await code(() => ingress(sg, { sourcePrefixListId: 'pl-nobody0000000000000' })), ['InvalidPrefixListId.NotFound', 404]);
    // A classic-network group takes no prefix list.
    const classic = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R }))).body!.securityGroupId!;
    assert.deepEqual(await code(() => ingress(classic, { sourcePrefixListId: v4 })), ['NotSupported.ClassicNetworkPrefixList', 400]);

    // A second rule on the 150-entry list makes 150 + 10 + 150 > 200: refused; a 5-entry one fits.
    assert.deepEqual(await code(() => ingress(sg, { portRange: '80/80', sourcePrefixListId: v4 })), ['AuthorizationLimitExceed', 403]);
    await ingress(sg, { portRange: '22/22', sourcePrefixListId: v6, ipProtocol: 'tcp' });

    // Referenced: not deleted; after Revoke by tuple (and by id), it is.
    assert.deepEqual(await code(() => s.ecs.deletePrefixList(new $Ecs.DeletePrefixListRequest({ regionId: R, prefixListId: v4 }))), ['NotAllowed.AssociationExist', 400]);
    await s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({
      regionId: R, securityGroupId: sg, permissions: [new $Ecs.RevokeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '443/443', sourcePrefixListId: v4 })],
    }));
    await s.ecs.revokeSecurityGroupEgress(new $Ecs.RevokeSecurityGroupEgressRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: [outRule.securityGroupRuleId!] }));
    await s.ecs.deletePrefixList(new $Ecs.DeletePrefixListRequest({ regionId: R, prefixListId: v4 }));

    // ModifySecurityGroupRule moves a rule to another list of the same kind; to a CIDR is refused.
    const other = await create({ family: 'IPv6', name: 'v6-other', max: 5 });
    const six = (await rules(sg)).find((r) => r.sourcePrefixListId === v6)!;
    await s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId: R, securityGroupId: sg, securityGroupRuleId: six.securityGroupRuleId, sourcePrefixListId: other }));
    assert.equal((await rules(sg)).find((r) => r.securityGroupRuleId === six.securityGroupRuleId)!.sourcePrefixListName, 'v6-other');
    assert.deepEqual(await code(() => s.ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({
      regionId: R, securityGroupId: sg, securityGroupRuleId: six.securityGroupRuleId, sourceCidrIp: '10.0.0.0/8',
    }))), ['InvalidOperation.ModifySgRuleEntityType', 400]);
  });

  it('a list is referenced by at most 1,000 security groups (LimitExceed.PrefixListAssociationResource)', async () => {
    const pl = await create({ name: 'popular', max: 1 });
    // 999 other groups' rules as rows (only the count of referencing groups matters), then the 1,000th through the API.
    const rows = Array.from({ length: 999 }, (_, i) => ({
      id: `sgr-plfill${i}`, account_id: s.app.root.accountId, region_id: R, security_group_id: `sg-plfill${i}`, direction: 'ingress', source_prefix_list_id: pl,
    }));
    await s.app.services.db.insertInto('security_group_rules').values(rows as any).execute();
    const last = await group();
    await ingress(last, { sourcePrefixListId: pl });
    await ingress(last, { portRange: '444/444', sourcePrefixListId: pl }); // a group already associated adds rules freely
    assert.deepEqual(await code(async () => ingress(await group(), { sourcePrefixListId: pl })), ['LimitExceed.PrefixListAssociationResource', 403]);
    await s.app.services.db.deleteFrom('security_group_rules').where('id', 'like', 'sgr-plfill%').execute();
  });

  it('export/import and clone carry prefix-list rules (a clone to another region skips them)', async () => {
    const call = (action: string, params: Record<string, unknown>): Promise<any> => ext.request(action, params, { method: 'POST' });
    const src = await group();
    const pl = await create({ name: 'carried', max: 3, entries: [['192.0.2.0/24']] });
    await ingress(src, { sourcePrefixListId: pl });
    const exported = await call('ExportSecurityGroupRules', { RegionId: R, SecurityGroupId: src });
    const dest = await group();
    const imported = await call('ImportSecurityGroupRules', { RegionId: R, SecurityGroupId: dest, Content: exported.Content });
    assert.equal(imported.ImportCount, 1);
    assert.deepEqual((await rules(dest)).map((r) => [r.sourcePrefixListId, r.sourcePrefixListName]), [[pl, 'carried']]);
    const same = await call('CloneSecurityGroup', { RegionId: R, SecurityGroupId: src });
    assert.deepEqual((await rules(same.SecurityGroupId)).map((r) => r.sourcePrefixListId), [pl]);
    const other = await createNetwork(s, 'cn-beijing', '172.20.0.0/16');
    const far = await call('CloneSecurityGroup', { RegionId: R, SecurityGroupId: src, DestinationRegionId: 'cn-beijing', DestinationVpcId: other.vpcId });
    assert.equal(far.RuleCount, 0);
    assert.deepEqual(far.SkippedRules.Item.map((x: any) => x.Code), ['InvalidPrefixListId.NotFound']);
    const counted = (await s.ecs.describePrefixLists(new $Ecs.DescribePrefixListsRequest({ regionId: R, prefixListId: [pl] }))).body!;
    assert.equal(counted.prefixLists!.prefixList![0]!.associationCount, 3, 'the source, the import target and the same-region clone');
  });

  it('the explainer and the compiled nftables ruleset follow an edit of the list', async () => {
    const sg = await group();
    const pl = await create({ name: 'partners', max: 10, entries: [['198.51.100.0/24', 'partner a']] });
    await ingress(sg, { portRange: '8443/8443', sourcePrefixListId: pl });
    const run = await s.ecs.runInstances(runRequest(net, { securityGroupId: sg }));
    const instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const explain = (peer: string): Promise<any> => ext.request('ExplainSecurityGroupAccess', {
      RegionId: R, 'SecurityGroupId.1': sg, Direction: 'ingress', IpProtocol: 'tcp', Port: 8443, PeerAddress: peer,
    }, { method: 'POST' });
    const a = await explain('198.51.100.7');
    assert.equal(a.Decision, 'Allow');
    assert.equal(a.DecidingRule.SourcePrefixListId, pl);
    assert.equal(a.DecidingRule.SourcePrefixListName, 'partners');
    assert.match(a.Reason, /prefix list pl-\w+ \(198\.51\.100\.0\/24\)/);
    assert.equal((await explain('192.0.2.9')).Decision, 'Deny');

    const ruleset = async () => { const p = await gatherPolicy(s.app.services.db); return renderRuleset({ table: 't', nics: p.nics, members: p.members }); };
    const setOf = (text: string) => text.split('\n  set ').find((x) => x.startsWith(`pl_${pl.replace(/-/g, '_')} `)) ?? '';
    const nic = (await gatherPolicy(s.app.services.db)).nics.find((n) => n.instanceId === instanceId);
    assert.ok(nic, 'the instance has a NIC in the compiled policy');
    assert.match(setOf(await ruleset()), /elements = \{ 198\.51\.100\.0\/24 \}/);

    // The edit requests the security-policy operation in its transaction, and the next compile has the new entries.
    const requests = async () => {
      const rows = await s.app.services.db.selectFrom('operations').select(['generation']).where('kind', '=', 'security-policy').execute();
      return rows.length + rows.reduce((n, r) => n + Number(r.generation), 0);
    };
    const before = await requests();
    await modify(pl, [['192.0.2.0/24', 'partner b']], ['198.51.100.0/24']);
    assert.ok((await requests()) > before, 'ModifyPrefixList requested the security-policy operation');
    assert.match(setOf(await ruleset()), /elements = \{ 192\.0\.2\.0\/24 \}/);
    assert.equal((await explain('192.0.2.9')).Decision, 'Allow');
    assert.equal((await explain('198.51.100.7')).Decision, 'Deny');

    // An empty list matches nothing (and compiles to no step).
    await modify(pl, [], ['192.0.2.0/24']);
    assert.equal((await explain('192.0.2.9')).Decision, 'Deny');
    assert.doesNotMatch(await ruleset(), new RegExp(`pl_${pl.replace(/-/g, '_')}`));
  });
});
