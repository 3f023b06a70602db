/**
 * Instance RAM roles (the security guide, 4.2-4.4) through the official clients: binding a role
 * with AttachInstanceRamRole or at launch (RamRoleName), one role per instance, the role's trust
 * policy must allow ecs.aliyuncs.com, a RAM user needs ram:PassRole; and the credentials a guest
 * reads from the metadata service — served over real HTTP by the metadata server the qemu driver
 * runs in the instance namespace, through the server's guest gateway — which sign API calls
 * (sent through the same metadata address), rotate before they expire and end with a detach.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { $Ecs, AK, SECRET, expectEcsError, makeClients, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { ramClient, type RamClient } from '../helpers/ram.js';
import { formEncode, v2Common, v2Signature, v2StringToSign } from '../helpers/raw.js';
import { startGuestGateway, type GuestGateway } from '../../src/api/guest-gateway.js';
import { createMetadataServer } from '../../src/network/metadata-server.js';

const ecsTrust = JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com'] } }] });
const ROLE = 'EcsRamRoleDocumentTesting';

describe('instance RAM roles', () => {
  let s: TestServer;
  let ram: RamClient;
  let net: Network;
  let accountId: string;

  const run = async (extra: Record<string, unknown> = {}, ecs = s.ecs) => {
    const r = await ecs.runInstances(runRequest(net, extra));
    await s.settle();
    return r.body!.instanceIdSets!.instanceIdSet!;
  };
  const attach = (ids: string[], name: string, ecs = s.ecs) =>
    ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId: 'cn-hangzhou', instanceIds: JSON.stringify(ids), ramRoleName: name }));
  const detach = (ids: string[], name?: string) =>
    s.ecs.detachInstanceRamRole(new $Ecs.DetachInstanceRamRoleRequest({ regionId: 'cn-hangzhou', instanceIds: JSON.stringify(ids), ramRoleName: name }));
  const rolesOf = async (ids: string[]) => {
    const r = await s.ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId: 'cn-hangzhou', instanceIds: JSON.stringify(ids) }));
    return Object.fromEntries(r.body!.instanceRamRoleSets!.instanceRamRoleSet!.map((x) => [x.instanceId, x.ramRoleName]));
  };

  before(async () => {
    s = await startTestServer();
    accountId = s.app.root.accountId;
    ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    net = await createNetwork(s);
    await ram.call('CreateRole', { RoleName: ROLE, AssumeRolePolicyDocument: ecsTrust });
    await ram.call('AttachPolicyToRole', { RoleName: ROLE, PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
    await ram.call('CreateRole', { RoleName: 'OtherEcsRole', AssumeRolePolicyDocument: ecsTrust });
    await ram.call('CreateRole', { RoleName: 'NotForEcs', AssumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: [`acs:ram::${accountId}:root`] } }] }) });
  });
  after(() => s.close());

  it('attaches one role per instance, describes by instance and by role, and detaches', async () => {
    const [a, b] = await run({ amount: 2 });
    assert.deepEqual(await rolesOf([a!, b!]), { [a!]: '', [b!]: '' });

    const r = (await attach([a!, b!], ROLE)).body!;
    assert.deepEqual([r.ramRoleName, r.totalCount, r.failCount], [ROLE, 2, 0]);
    assert.deepEqual(r.attachInstanceRamRoleResults!.attachInstanceRamRoleResult!.map((x) => [x.instanceId, x.success, x.code]), [[a, true, '200'], [b, true, '200']]);
    assert.deepEqual(await rolesOf([a!, b!]), { [a!]: ROLE, [b!]: ROLE });
    // Attaching the role it holds again changes nothing and succeeds.
    assert.equal((await attach([a!], ROLE)).body!.failCount, 0);

    const byRole = (await s.ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId: 'cn-hangzhou', ramRoleName: ROLE }))).body!;
    assert.equal(byRole.totalCount, 2);
    assert.deepEqual(byRole.instanceRamRoleSets!.instanceRamRoleSet!.map((x) => x.instanceId).sort(), [a, b].sort());

    // One role at a time: another role is refused for that instance alone.
    const other = (await attach([a!], 'OtherEcsRole')).body!;
    assert.deepEqual([other.totalCount, other.failCount], [1, 1]);
    const failure = other.attachInstanceRamRoleResults!.attachInstanceRamRoleResult![0]!;
    assert.deepEqual([failure.success, failure.code], [false, 'InvalidInstance.RamRoleAlreadyAttached']);
    assert.equal((await rolesOf([a!]))[a!], ROLE);

    // Detaching names the role it takes away; a wrong name fails for that instance.
    const wrong = (await detach([a!], 'OtherEcsRole')).body!;
    assert.deepEqual([wrong.failCount, wrong.detachInstanceRamRoleResults!.detachInstanceRamRoleResult![0]!.code], [1, 'InvalidRamRole.NotAttached']);
    const d = (await detach([a!, b!], ROLE)).body!;
    assert.deepEqual([d.totalCount, d.failCount], [2, 0]);
    assert.deepEqual(d.detachInstanceRamRoleResults!.detachInstanceRamRoleResult!.map((x) => x.instanceRamRoleSets!.instanceRamRoleSet!.map((y) => [y.instanceId, y.ramRoleName])),
      [[[a, ROLE]], [[b, ROLE]]]);
    assert.deepEqual(await rolesOf([a!, b!]), { [a!]: '', [b!]: '' });
    // Now the other role may take its place.
    assert.equal((await attach([a!], 'OtherEcsRole')).body!.failCount, 0);
    await detach([a!]);
  });

  it('refuses a role that does not exist, does not trust ECS, or is not a role name, and unknown instances', async () => {
    const [a] = await run();
    // The statuses are each action's own in the metadata (NotEcsRole: 404 on Attach, 401 on RunInstances).
    for (const [name, code, status, launchStatus] of [
      ['NoSuchRole', 'InvalidRamRole.NotFound', 404, 404],
      ['NotForEcs', 'InvalidRamRole.NotEcsRole', 404, 401],
      ['bad name!', 'InvalidParameter.RamRoleName', 400, 400],
    ] as const) {
      const e = await expectEcsError(() => attach([a!], name));
      assert.deepEqual([e.code, e.statusCode], [code, status], name);
      const l = await expectEcsError(() => run({ ramRoleName: name }));
      assert.deepEqual([l.code, l.statusCode], [code, launchStatus], `RunInstances ${name}`);
    }
    const missing = await expectEcsError(() => attach([a!, 'i-doesnotexist0000000'], ROLE));
    assert.equal(missing.code, 'InvalidInstanceId.NotFound');
    assert.equal((await rolesOf([a!]))[a!], '');
    const malformed = await expectEcsError(() => s.ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId: 'cn-hangzhou', instanceIds: 'i-1', ramRoleName: ROLE })));
    assert.equal(malformed.code, 'InvalidInstanceIds.Malformed');
  });

  it('binds the role at launch with RunInstances and CreateInstance', async () => {
    const [a] = await run({ ramRoleName: ROLE });
    assert.equal((await rolesOf([a!]))[a!], ROLE);
    const c = await s.ecs.createInstance(new $Ecs.CreateInstanceRequest({
      regionId: 'cn-hangzhou', imageId: net.imageId, instanceType: 'ecs.g7.large', vSwitchId: net.vswitchId, securityGroupId: net.securityGroupId, ramRoleName: ROLE,
    }));
    assert.equal((await rolesOf([c.body!.instanceId!]))[c.body!.instanceId!], ROLE);
  });

  it('requires ram:PassRole of a RAM user who binds a role (InvalidUser.PassRoleForbidden)', async () => {
    await ram.call('CreateUser', { UserName: 'operator' });
    await ram.call('AttachPolicyToUser', { UserName: 'operator', PolicyType: 'System', PolicyName: 'AliyunECSFullAccess' });
    await ram.call('AttachPolicyToUser', { UserName: 'operator', PolicyType: 'System', PolicyName: 'AliyunVPCFullAccess' });
    const k = (await ram.call('CreateAccessKey', { UserName: 'operator' })).AccessKey;
    const op = makeClients(s.url, { accessKeyId: k.AccessKeyId, accessKeySecret: k.AccessKeySecret });
    const [a] = await run();
    const before = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }))).body!.totalCount;

    const e = await expectEcsError(() => attach([a!], ROLE, op.ecs));
    assert.deepEqual([e.code, e.statusCode], ['InvalidUser.PassRoleForbidden', 403]);
    const l = await expectEcsError(() => run({ ramRoleName: ROLE }, op.ecs));
    assert.deepEqual([l.code, l.statusCode], ['InvalidUser.PassRoleForbidden', 403]);
    assert.equal((await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }))).body!.totalCount, before, 'a refused launch creates nothing');
    // Launching without a role needs no PassRole.
    await run({}, op.ecs);

    // The guide's policy (4.3.4), narrowed to the one role.
    await ram.call('CreatePolicy', { PolicyName: 'PassEcsRole', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:PassRole', Resource: `acs:ram:*:${accountId}:role/${ROLE}` }] }) });
    await ram.call('AttachPolicyToUser', { UserName: 'operator', PolicyType: 'Custom', PolicyName: 'PassEcsRole' });
    assert.equal((await attach([a!], ROLE, op.ecs)).body!.failCount, 0);
    const [b] = await run({ ramRoleName: ROLE }, op.ecs);
    assert.equal((await rolesOf([b!]))[b!], ROLE);
    const other = await expectEcsError(() => run({ ramRoleName: 'OtherEcsRole' }, op.ecs));
    assert.equal(other.code, 'InvalidUser.PassRoleForbidden');
  });

  describe('credentials from the metadata service', () => {
    let dir: string;
    let gateway: GuestGateway;
    let metadata: Server;
    let base: string;
    let instanceId: string;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'openecs-role-'));
      await mkdir(join(dir, 'meta'));
      gateway = await startGuestGateway(join(dir, 'gateway'), { db: s.app.services.db, sealer: s.app.services.sealer, clock: s.clock, http: s.app.http });
      metadata = createMetadataServer({ docsDir: join(dir, 'meta'), gatewayDir: gateway.dir });
      await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
      [instanceId] = await run({ ramRoleName: ROLE }) as [string];
      // The document the qemu driver writes for the guest at this source address.
      await writeFile(join(dir, 'meta', '127.0.0.1.json'), JSON.stringify({ instanceId, hostname: instanceId, privateIp: '127.0.0.1', mac: '00:16:3e:00:00:01', regionId: 'cn-hangzhou', zoneId: net.zoneId, imageId: net.imageId, instanceType: 'ecs.g7.large', vpcId: net.vpcId, vswitchId: net.vswitchId, vpcCidr: '', vswitchCidr: '', gateway: '', netmask: '', serialNumber: '', ownerAccountId: accountId, publicKeys: [], userData: '', eniId: '' }));
    });
    after(async () => {
      await new Promise<void>((r) => { metadata.close(() => r()); metadata.closeAllConnections(); });
      await gateway.close();
      await rm(dir, { recursive: true, force: true });
    });

    const get = async (path: string) => { const r = await fetch(base + path); return { status: r.status, text: await r.text(), type: r.headers.get('content-type') }; };
    const creds = async (spelling = 'ram') => {
      const r = await get(`/latest/meta-data/${spelling}/security-credentials/${ROLE}`);
      assert.equal(r.status, 200, r.text);
      return JSON.parse(r.text) as Record<string, string>;
    };
    /** The official client pointed at the metadata address, as code in the guest would be. */
    const guestClients = (c: Record<string, string>) => makeClients(base, { accessKeyId: c.AccessKeyId!, accessKeySecret: c.AccessKeySecret!, securityToken: c.SecurityToken } as any);

    it('serves the role name and the guide\'s credentials document (both spellings)', async () => {
      assert.match((await get('/latest/meta-data/')).text, /^ram\/$/m);
      assert.equal((await get('/latest/meta-data/ram/security-credentials/')).text, ROLE);
      const c = await creds('Ram');
      assert.deepEqual(Object.keys(c).sort(), ['AccessKeyId', 'AccessKeySecret', 'Code', 'Expiration', 'LastUpdated', 'SecurityToken']);
      assert.equal(c.Code, 'Success');
      assert.match(c.AccessKeyId!, /^STS\./);
      assert.equal(c.LastUpdated, new Date(s.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      assert.equal(Date.parse(c.Expiration!) - Date.parse(c.LastUpdated!), 6 * 3600_000);
      // Read again: the same session while it has time left.
      assert.equal((await creds()).AccessKeyId, c.AccessKeyId);
      assert.equal((await get(`/latest/meta-data/ram/security-credentials/NoSuchRole`)).status, 404);
    });

    it('signs API calls sent through the metadata address, with the role\'s permissions only', async () => {
      const guest = guestClients(await creds());
      const d = await guest.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', instanceIds: JSON.stringify([instanceId]) }));
      assert.equal(d.body!.instances!.instance![0]!.instanceId, instanceId);
      const v2 = await guest.ecsV2.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      assert.ok(v2.body!.regions!.region!.length > 0);
      const refused = await expectEcsError(() => guest.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId })));
      assert.deepEqual([refused.code, refused.statusCode], ['Forbidden.RAM', 403]);
    });

    it('gives the role\'s policies the guest\'s address as acs:SourceIp', async () => {
      await ram.call('CreatePolicy', { PolicyName: 'NoZonesFromGuest', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Deny', Action: 'ecs:DescribeZones', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '127.0.0.1/32' } } }] }) });
      await ram.call('AttachPolicyToRole', { RoleName: ROLE, PolicyType: 'Custom', PolicyName: 'NoZonesFromGuest' });
      const guest = guestClients(await creds());
      const denied = await expectEcsError(() => guest.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: 'cn-hangzhou' })));
      assert.deepEqual([denied.code, denied.statusCode], ['Forbidden.RAM', 403]);
      // A guest cannot claim another address: the header it sends is replaced.
      const c = await creds();
      const params = { ...v2Common('DescribeZones', { accessKeyId: c.AccessKeyId! }), SecurityToken: c.SecurityToken!, RegionId: 'cn-hangzhou' };
      const signed = formEncode({ ...params, Signature: v2Signature(v2StringToSign('GET', params), c.AccessKeySecret!) });
      const spoofed = await fetch(`${base}/?${signed}`, { headers: { 'x-openecs-guest-ip': '10.0.0.1' } });
      assert.deepEqual([spoofed.status, (await spoofed.json() as { Code: string }).Code], [403, 'Forbidden.RAM']);
      await ram.call('DetachPolicyFromRole', { RoleName: ROLE, PolicyType: 'Custom', PolicyName: 'NoZonesFromGuest' });
    });

    it('rotates the credentials when less than 15 minutes remain', async () => {
      const first = await creds();
      await s.advance(5 * 3600_000);
      assert.equal((await creds()).AccessKeyId, first.AccessKeyId, 'an hour left: the same session');
      await s.advance(46 * 60_000);
      const next = await creds();
      assert.notEqual(next.AccessKeyId, first.AccessKeyId);
      assert.equal(next.LastUpdated, new Date(s.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'));
      // The old session still works until it expires; the new one works too.
      await guestClients(first).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      await guestClients(next).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      await s.advance(15 * 60_000);
      const expired = await expectEcsError(() => guestClients(first).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
      assert.equal(expired.code, 'InvalidSecurityToken.Expired');
    });

    it('stops serving the credentials once the role is detached, and refuses those already handed out', async () => {
      const c = await creds();
      await guestClients(c).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      assert.equal((await detach([instanceId])).body!.failCount, 0);
      assert.equal((await get(`/latest/meta-data/ram/security-credentials/${ROLE}`)).status, 404);
      assert.equal((await get('/latest/meta-data/ram/security-credentials/')).status, 404);
      assert.doesNotMatch((await get('/latest/meta-data/')).text, /^ram\/$/m);
      const refused = await expectEcsError(() => guestClients(c).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
      assert.deepEqual([refused.code, refused.statusCode], ['InvalidAccessKeyId.NotFound', 404]);
      // Bound again: a fresh session.
      await attach([instanceId], ROLE);
      assert.notEqual((await creds()).AccessKeyId, c.AccessKeyId);
    });

    it('ends the credentials of a released instance', async () => {
      const c = await creds();
      await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId, force: true }));
      await s.settle();
      assert.equal((await get(`/latest/meta-data/ram/security-credentials/${ROLE}`)).status, 404);
      const refused = await expectEcsError(() => guestClients(c).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
      assert.equal(refused.code, 'InvalidAccessKeyId.NotFound');
    });
  });
});
