import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, AK, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createAccount } from '../../src/auth/accounts.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { KEYS } from '../unit/ssh-keys.fixture.js';

const R = 'cn-hangzhou';

describe('tags', () => {
  let s: TestServer;
  let me: string;
  let i1: string; let i2: string; let disk: string; let sg: string;
  before(async () => {
    s = await startTestServer();
    me = (await s.app.services.db.selectFrom('access_keys').select('account_id').where('id', '=', AK).executeTakeFirstOrThrow()).account_id;
    i1 = await instance(); i2 = await instance();
    disk = await diskRow();
    sg = await groupRow();
    await s.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: R, keyPairName: 'tag-key', publicKeyBody: KEYS.ed25519 }));
  });
  after(async () => { await s.close(); });

  // Resources come from the public API: a network per (account, region), RunInstances, CreateDisk.
  const networks = new Map<string, Promise<Network>>();
  const clientsOf = (accountId: string) => (accountId === me ? s : s.clients(creds.get(accountId)!));
  const creds = new Map<string, { accessKeyId: string; accessKeySecret: string }>();
  function networkOf(accountId: string, regionId: string): Promise<Network> {
    const k = `${accountId}/${regionId}`;
    if (!networks.has(k)) networks.set(k, createNetwork(clientsOf(accountId), regionId));
    return networks.get(k)!;
  }
  async function tenant(name: string) {
    const other = await createAccount(s.app.services.db, name, Date.now());
    creds.set(other.accountId, { accessKeyId: other.accessKeyId, accessKeySecret: other.accessKeySecret });
    return other;
  }
  async function instance(accountId = me, regionId = R): Promise<string> {
    const n = await networkOf(accountId, regionId);
    const r = await clientsOf(accountId).ecs.runInstances(runRequest(n, { regionId }));
    const id = r.body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(1000); await s.advance(1000); // Pending → Starting → Running
    return id;
  }
  async function diskRow(): Promise<string> {
    const n = await networkOf(me, R);
    const r = await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: n.zoneId, diskCategory: 'cloud_essd', size: 20 }));
    await s.settle();
    return r.body!.diskId!;
  }
  async function groupRow(): Promise<string> {
    const n = await networkOf(me, R);
    const r = await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: n.vpcId, securityGroupName: 'tag-group' }));
    return r.body!.securityGroupId!;
  }

  const T = (key: string, value?: string) => new $Ecs.TagResourcesRequestTag({ key, value });
  const tagRes = (type: string, ids: string[], tags: $Ecs.TagResourcesRequestTag[], ecs = s.ecs) =>
    ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: R, resourceType: type, resourceId: ids, tag: tags }));
  const untag = (type: string, ids: string[], extra: Record<string, unknown>) =>
    s.ecs.untagResources(new $Ecs.UntagResourcesRequest({ regionId: R, resourceType: type, resourceId: ids, ...extra }));
  const list = async (type: string, extra: Record<string, unknown>, ecs = s.ecs) =>
    (await ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: R, resourceType: type, ...extra }))).body!;
  const pairs = (body: Awaited<ReturnType<typeof list>>) => body.tagResources!.tagResource!.map((t) => [t.resourceId, t.resourceType, t.tagKey, t.tagValue]);

  it('TagResources adds and overwrites tags; ListTagResources lists them per resource', async () => {
    await tagRes('instance', [i1, i2], [T('env', 'prod'), T('team', 'core')]);
    await tagRes('instance', [i1], [T('env', 'staging'), T('empty')]);
    const r = await list('instance', { resourceId: [i1] });
    assert.deepEqual(pairs(r), [[i1, 'instance', 'empty', ''], [i1, 'instance', 'env', 'staging'], [i1, 'instance', 'team', 'core']]);
    assert.equal(r.nextToken, '');
    // DescribeInstances (another family) renders the same rows.
    const d = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([i2]) }));
    assert.deepEqual(d.body!.instances!.instance![0]!.tags!.tag!.map((t) => [t.tagKey, t.tagValue]), [['env', 'prod'], ['team', 'core']]);
  });

  it('key pairs are tagged by KeyPairName, and DescribeKeyPairs shows and filters by the tags', async () => {
    await tagRes('keypair', ['tag-key'], [T('owner', 'ops')]);
    assert.deepEqual(pairs(await list('keypair', { resourceId: ['tag-key'] })), [['tag-key', 'keypair', 'owner', 'ops']]);
    const d = (await s.ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: R, tag: [new $Ecs.DescribeKeyPairsRequestTag({ key: 'owner', value: 'ops' })] }))).body!;
    assert.deepEqual(d.keyPairs!.keyPair!.map((k) => [k.keyPairName, k.tags!.tag!.map((t) => t.tagKey).join()]), [['tag-key', 'owner']]);
    await tagRes('disk', [disk], [T('env', 'prod')]);
    await tagRes('securitygroup', [sg], [T('env', 'prod')], s.ecsV2);
    assert.deepEqual(pairs(await list('securitygroup', { resourceId: [sg] })), [[sg, 'securitygroup', 'env', 'prod']]);
  });

  it('refuses TagResources with the documented codes and statuses', async () => {
    const other = await tenant('tag-tenant-a');
    const theirs = await instance(other.accountId);
    const elsewhere = await instance(me, 'cn-beijing');
    const many = Array.from({ length: 51 }, (_, i) => `i-${String(i).padStart(20, '0')}`);
    const cases: [() => Promise<unknown>, string, number][] = [
      [() => tagRes('vpc', [i1], [T('a', 'b')]), 'InvalidResourceType.NotFound', 404],
      [() => tagRes('Instance', [i1], [T('a', 'b')]), 'InvalidResourceType.NotFound', 404],
      [() => tagRes('instance', ['i-nope'], [T('a', 'b')]), 'InvalidResourceId.NotFound', 404],
      [() => tagRes('instance', [i1, theirs], [T('a', 'b')]), 'InvalidResourceId.NotFound', 404],
      [() => tagRes('instance', [elsewhere], [T('a', 'b')]), 'InvalidResourceId.NotFound', 404],
      [() => tagRes('disk', [i1], [T('a', 'b')]), 'InvalidResourceId.NotFound', 404],
      [() => tagRes('eni', ['eni-1'], [T('a', 'b')]), 'InvalidResourceId.NotFound', 404],
      [() => tagRes('instance', many, [T('a', 'b')]), 'NumberExceed.ResourceIds', 400],
      [() => tagRes('instance', [i1], Array.from({ length: 21 }, (_, i) => T(`k${i}`, 'v'))), 'NumberExceed.Tags', 400],
      [() => tagRes('instance', [i1], [T('aliyun-x', 'v')]), 'InvalidTagKey.Malformed', 400],
      [() => tagRes('instance', [i1], [T('acs:x', 'v')]), 'InvalidTagKey.Malformed', 400],
      [() => tagRes('instance', [i1], [T('k', 'see https://x')]), 'InvalidTagValue.Malformed', 400],
      [() => tagRes('instance', [i1], [T('k', 'a'), T('k', 'b')]), 'Duplicate.TagKey', 400],
      [() => tagRes('instance', [i1], [new $Ecs.TagResourcesRequestTag({ value: 'orphan' })]), 'InvalidTagKey.Malformed', 400],
    ];
    for (const [call, code, status] of cases) {
      const e = await expectEcsError(call);
      assert.deepEqual([e.code, e.statusCode], [code, status], `${code}: ${e.message}`);
    }
    assert.deepEqual(pairs(await list('instance', { resourceId: [theirs] })), [], 'their instance is invisible, and untouched');
    const rows = await s.app.services.db.selectFrom('tags').select('key').where('resource_id', '=', theirs).execute();
    assert.equal(rows.length, 0);
  });

  it('20 tags per resource; the 21st is QuotaExceed.Tags 403 and nothing of that call is written', async () => {
    const id = await instance();
    await tagRes('instance', [id], Array.from({ length: 20 }, (_, i) => T(`k${i}`, 'v')));
    await tagRes('instance', [id], [T('k3', 'overwritten')]); // an existing key does not count again
    const e = await expectEcsError(() => tagRes('instance', [i2, id], [T('one-more', 'v')]));
    assert.deepEqual([e.code, e.statusCode], ['QuotaExceed.Tags', 403]);
    const after = await list('instance', { resourceId: [id, i2] });
    assert.equal(after.tagResources!.tagResource!.filter((t) => t.resourceId === id).length, 20);
    assert.ok(!after.tagResources!.tagResource!.some((t) => t.tagKey === 'one-more'), 'the whole call is refused');
    assert.equal(after.tagResources!.tagResource!.find((t) => t.tagKey === 'k3')!.tagValue, 'overwritten');
  });

  it('UntagResources removes keys, or all with All=true; All with TagKey.N is Param.Conflict', async () => {
    const id = await instance();
    await tagRes('instance', [id], [T('a', '1'), T('b', '2'), T('c', '3')]);
    await untag('instance', [id], { tagKey: ['a', 'missing'] });
    assert.deepEqual(pairs(await list('instance', { resourceId: [id] })).map((p) => p[2]), ['b', 'c']);
    await untag('instance', [id], {});
    assert.equal(pairs(await list('instance', { resourceId: [id] })).length, 2, 'no TagKey.N and no All removes nothing');
    let e = await expectEcsError(() => untag('instance', [id], { all: true, tagKey: ['b'] }));
    assert.deepEqual([e.code, e.statusCode], ['Param.Conflict', 403]);
    e = await expectEcsError(() => untag('instance', ['i-nope'], { all: true }));
    assert.deepEqual([e.code, e.statusCode], ['InvalidResourceId.NotFound', 404]);
    e = await expectEcsError(() => untag('instance', [id], { tagKey: Array.from({ length: 21 }, (_, i) => `k${i}`) }));
    assert.deepEqual([e.code, e.statusCode], ['NumberExceed.Tags', 400]);
    await untag('instance', [id], { all: true });
    assert.deepEqual(pairs(await list('instance', { resourceId: [id] })), []);
  });

  it('ListTagResources: Tag.N exact, TagFilter.N fuzzy, and their refusals', async () => {
    const a = await instance(); const b = await instance(); const c = await instance();
    await tagRes('instance', [a], [T('stage', 'production'), T('app', 'shop')]);
    await tagRes('instance', [b], [T('stage', 'preprod'), T('app', 'shop')]);
    await tagRes('instance', [c], [T('stage', 'test')]);
    const ids = async (extra: Record<string, unknown>) => [...new Set(pairs(await list('instance', extra)).map((p) => p[0]))].filter((x) => [a, b, c].includes(x as string)).sort();
    const LT = (key: string, value?: string) => new $Ecs.ListTagResourcesRequestTag({ key, value });
    const TF = (tagKey: string, tagValues?: string[]) => new $Ecs.ListTagResourcesRequestTagFilter({ tagKey, tagValues });
    assert.deepEqual(await ids({ tag: [LT('app', 'shop')] }), [a, b].sort());
    assert.deepEqual(await ids({ tag: [LT('app', 'shop'), LT('stage', 'preprod')] }), [b]);
    assert.deepEqual(await ids({ tag: [LT('stage')] }), [a, b, c].sort());
    assert.deepEqual(await ids({ tag: [LT('stage')], resourceId: [c] }), [c]);
    assert.deepEqual(await ids({ tagFilter: [TF('sta*')] }), [a, b, c].sort());
    assert.deepEqual(await ids({ tagFilter: [TF('stage', ['*prod*'])] }), [a, b].sort());
    assert.deepEqual(await ids({ tagFilter: [TF('stage', ['test', 'pre*'])] }), [b, c].sort());
    assert.deepEqual(await ids({ tagFilter: [TF('stage', ['*prod*']), TF('app')] }), [a, b].sort());
    // A matched resource is listed with all its tags.
    assert.deepEqual(pairs(await list('instance', { tag: [LT('stage', 'production')] })).filter((p) => p[0] === a).map((p) => p[2]), ['app', 'stage']);
    const cases: [Record<string, unknown>, string, number][] = [
      [{}, 'BothEmpty.TagsAndResources', 403],
      [{ tag: [LT('app')], tagFilter: [TF('app')] }, 'InvalidTags.MalFormed', 400],
      [{ tag: [new $Ecs.ListTagResourcesRequestTag({ value: 'x' })] }, 'InvalidTag.Mismatch', 400],
      [{ tagFilter: [TF('st*', ['x'])] }, 'InvalidTagFilter.Malformed', 403],
      [{ resourceId: [a], nextToken: 'not-a-token' }, 'Invalid.NextToken', 403],
    ];
    for (const [extra, code, status] of cases) {
      const e = await expectEcsError(() => list('instance', extra));
      assert.deepEqual([e.code, e.statusCode], [code, status], `${code}: ${e.message}`);
    }
    const e = await expectEcsError(() => list('nope', { resourceId: [a] }));
    assert.deepEqual([e.code, e.statusCode], ['InvalidResourceType.NotFound', 404]);
  });

  it('ListTagResources pages 50 entries at a time with NextToken', async () => {
    const ids = [await instance(), await instance(), await instance()];
    await tagRes('instance', ids, Array.from({ length: 20 }, (_, i) => T(`p${String(i).padStart(2, '0')}`, 'v')));
    const first = await list('instance', { resourceId: ids });
    assert.equal(first.tagResources!.tagResource!.length, 50);
    assert.ok(first.nextToken);
    const second = await list('instance', { resourceId: ids, nextToken: first.nextToken });
    assert.equal(second.tagResources!.tagResource!.length, 10);
    assert.equal(second.nextToken, '');
    const all = [...pairs(first), ...pairs(second)].map((p) => `${p[0]}/${p[2]}`);
    assert.equal(new Set(all).size, 60);
  });

  it('tags of released instances and deleted key pairs disappear', async () => {
    const id = await instance();
    await tagRes('instance', [id], [T('gone', 'soon')]);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    await s.settle();
    assert.deepEqual(pairs(await list('instance', { resourceId: [id] })), []);
    assert.deepEqual(pairs(await list('instance', { tag: [new $Ecs.ListTagResourcesRequestTag({ key: 'gone' })] })), []);
    const e = await expectEcsError(() => tagRes('instance', [id], [T('a', 'b')]));
    assert.equal(e.code, 'InvalidResourceId.NotFound');
  });

  it('AddTags / RemoveTags on one resource (legacy actions)', async () => {
    const id = await instance();
    await s.ecs.addTags(new $Ecs.AddTagsRequest({ regionId: R, resourceType: 'instance', resourceId: id, tag: [new $Ecs.AddTagsRequestTag({ key: 'x', value: '1' }), new $Ecs.AddTagsRequestTag({ key: 'y', value: '2' }), new $Ecs.AddTagsRequestTag({ key: 'z', value: '3' })] }));
    assert.deepEqual(pairs(await list('instance', { resourceId: [id] })).map((p) => `${p[2]}=${p[3]}`), ['x=1', 'y=2', 'z=3']);
    // A key with a different value is kept; with no value, or the same value, it goes.
    await s.ecs.removeTags(new $Ecs.RemoveTagsRequest({ regionId: R, resourceType: 'instance', resourceId: id, tag: [new $Ecs.RemoveTagsRequestTag({ key: 'x', value: 'other' }), new $Ecs.RemoveTagsRequestTag({ key: 'y' })] }));
    assert.deepEqual(pairs(await list('instance', { resourceId: [id] })).map((p) => p[2]), ['x', 'z']);
    await s.ecs.removeTags(new $Ecs.RemoveTagsRequest({ regionId: R, resourceType: 'instance', resourceId: id, tag: [new $Ecs.RemoveTagsRequestTag({ key: 'x', value: '1' })] }));
    assert.deepEqual(pairs(await list('instance', { resourceId: [id] })).map((p) => p[2]), ['z']);
    await s.ecs.removeTags(new $Ecs.RemoveTagsRequest({ regionId: R, resourceType: 'instance', resourceId: id }));
    assert.deepEqual(pairs(await list('instance', { resourceId: [id] })), []);
    const cases: [() => Promise<unknown>, string, number][] = [
      [() => s.ecs.addTags(new $Ecs.AddTagsRequest({ regionId: R, resourceType: 'instance', resourceId: 'i-nope', tag: [new $Ecs.AddTagsRequestTag({ key: 'x', value: '1' })] })), 'InvalidResourceId.NotFound', 404],
      [() => s.ecs.addTags(new $Ecs.AddTagsRequest({ regionId: R, resourceType: 'thing', resourceId: id, tag: [new $Ecs.AddTagsRequestTag({ key: 'x', value: '1' })] })), 'InvalidResourceType.NotFound', 404],
      [() => s.ecs.addTags(new $Ecs.AddTagsRequest({ regionId: R, resourceType: 'instance', resourceId: id, tag: [new $Ecs.AddTagsRequestTag({ key: 'aliyun', value: '1' })] })), 'InvalidTagKey.Malformed', 400],
      [() => s.ecs.removeTags(new $Ecs.RemoveTagsRequest({ regionId: R, resourceType: 'instance', resourceId: 'i-nope' })), 'InvalidResourceId.NotFound', 404],
    ];
    for (const [call, code, status] of cases) {
      const e = await expectEcsError(call);
      assert.deepEqual([e.code, e.statusCode], [code, status], `${code}: ${e.message}`);
    }
  });

  it('DescribeTags counts resources per tag and type, with ResourceType, ResourceId, Tag.N filters and paging', async () => {
    const other = await tenant('tag-tenant-b');
    const c = s.clients(other);
    const theirs = await instance(other.accountId);
    await tagRes('instance', [theirs], [T('env', 'prod')], c.ecs);
    const describeTags = async (extra: Record<string, unknown>, ecs = s.ecs) => (await ecs.describeTags(new $Ecs.DescribeTagsRequest({ regionId: R, ...extra }))).body!;
    const all = await describeTags({});
    const prod = all.tags!.tag!.find((t) => t.tagKey === 'env' && t.tagValue === 'prod')!;
    // i2 (env=prod since the first test), the disk and the security group; not the other tenant's instance.
    assert.deepEqual([prod.resourceTypeCount!.instance, prod.resourceTypeCount!.disk, prod.resourceTypeCount!.securitygroup, prod.resourceTypeCount!.keyPair], [1, 1, 1, 0]);
    assert.equal(all.pageSize, 50);
    assert.equal(all.totalCount, all.tags!.tag!.length);
    const owner = (await describeTags({ resourceType: 'keypair' })).tags!.tag!;
    assert.deepEqual(owner.map((t) => [t.tagKey, t.tagValue, t.resourceTypeCount!.keyPair]), [['owner', 'ops', 1]]);
    assert.deepEqual((await describeTags({ resourceType: 'keypair', resourceId: 'tag-key' })).tags!.tag!.map((t) => t.tagKey), ['owner']);
    assert.deepEqual((await describeTags({ resourceId: i1 })).tags!.tag!.map((t) => `${t.tagKey}=${t.tagValue}`), ['empty=', 'env=staging', 'team=core']);
    const envOnly = await describeTags({ tag: [new $Ecs.DescribeTagsRequestTag({ key: 'env' })] });
    assert.deepEqual(envOnly.tags!.tag!.map((t) => `${t.tagKey}=${t.tagValue}`), ['env=prod', 'env=staging']);
    const exact = await describeTags({ tag: [new $Ecs.DescribeTagsRequestTag({ key: 'env', value: 'staging' })] });
    assert.deepEqual(exact.tags!.tag!.map((t) => t.resourceTypeCount!.instance), [1]);
    const page = await describeTags({ pageSize: 2, pageNumber: 2 });
    assert.deepEqual([page.pageNumber, page.pageSize, page.totalCount, page.tags!.tag!.length], [2, 2, all.totalCount, 2]);
    assert.deepEqual(page.tags!.tag!.map((t) => t.tagKey), all.tags!.tag!.slice(2, 4).map((t) => t.tagKey));
    assert.equal((await describeTags({ pageSize: 100 })).pageSize, 100);
    let e = await expectEcsError(() => describeTags({ pageSize: 101 }));
    assert.equal(e.statusCode, 400);
    e = await expectEcsError(() => describeTags({ resourceType: 'vpc' }));
    assert.deepEqual([e.code, e.statusCode], ['InvalidResourceType.NotFound', 404]);
    // The other tenant sees only its own tag.
    const theirsView = await describeTags({}, c.ecs);
    assert.deepEqual(theirsView.tags!.tag!.map((t) => [t.tagKey, t.tagValue, t.resourceTypeCount!.instance]), [['env', 'prod', 1]]);
    assert.deepEqual(pairs(await list('instance', { tag: [new $Ecs.ListTagResourcesRequestTag({ key: 'env', value: 'prod' })] }, c.ecs)), [[theirs, 'instance', 'env', 'prod']]);
  });

  it('tags stay in their region', async () => {
    const far = await instance(me, 'cn-shanghai');
    await s.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: 'cn-shanghai', resourceType: 'instance', resourceId: [far], tag: [T('where', 'sh')] }));
    const here = await list('instance', { tag: [new $Ecs.ListTagResourcesRequestTag({ key: 'where' })] });
    assert.deepEqual(pairs(here), []);
    const there = (await s.ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: 'cn-shanghai', resourceType: 'instance', tag: [new $Ecs.ListTagResourcesRequestTag({ key: 'where' })] }))).body!;
    assert.deepEqual(pairs(there), [[far, 'instance', 'where', 'sh']]);
  });
});
