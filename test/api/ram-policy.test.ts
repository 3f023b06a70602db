/**
 * RAM policies enforced on every call, through the official clients (issue 13 point 2): a user
 * with AliyunECSReadOnlyAccess describes but cannot stop; custom policies limited by tag, by
 * source IP and by time; an explicit Deny beats an Allow; a group's policy applies to its users;
 * a RAM user of account A sees nothing of account B; a refusal is Forbidden.RAM (403) with ECS's
 * AccessDeniedDetail and changes nothing; listings show only what the policies allow. And the
 * access explainer (ExplainRamAccess) naming the deciding policy, version and statement.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type EcsClientT, type TestServer } from '../helpers/server.js';
import { ramClient, type RamClient } from '../helpers/ram.js';
import { LINUX, R, launch, networkOf, otherAccount, running, statusOf, type Launched } from './storage-fixtures.js';
import { runRequest } from '../helpers/fixtures.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '1', Statement });
const tag = (key: string, value: string) => new $Ecs.RunInstancesRequestTag({ key, value });

describe('RAM policies on every call', () => {
  let s: TestServer;
  let ram: RamClient;
  let dev: Launched;
  let prod: Launched;
  let nUsers = 0;

  /** A RAM user holding `policies` ("System:Name" or "Custom:Name"), in `groups`, with an AccessKey: its clients. */
  async function user(policies: string[], groups: string[] = []) {
    const name = `user${++nUsers}`;
    await ram.call('CreateUser', { UserName: name });
    for (const p of policies) {
      const [type, policyName] = p.split(':');
      await ram.call('AttachPolicyToUser', { UserName: name, PolicyType: type, PolicyName: policyName });
    }
    for (const g of groups) await ram.call('AddUserToGroup', { UserName: name, GroupName: g });
    const k = (await ram.call('CreateAccessKey', { UserName: name })).AccessKey;
    const creds = { accessKeyId: k.AccessKeyId, accessKeySecret: k.AccessKeySecret };
    return { name, creds, ...s.clients(creds), ext: new Pop({ ...creds, endpoint: s.url, apiVersion: '2026-11-01' }) };
  }

  async function policy(name: string, ...statements: unknown[]) {
    await ram.call('CreatePolicy', { PolicyName: name, PolicyDocument: doc(...statements) });
  }

  const describeIds = async (ecs: EcsClientT) =>
    ((await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: 100 }))).body!.instances!.instance ?? []).map((i) => i.instanceId!).sort();
  const stopInstance = (ecs: EcsClientT, instanceId: string) => ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
  async function refused(fn: () => Promise<unknown>, action: string, type: 'ImplicitDeny' | 'ExplicitDeny' = 'ImplicitDeny') {
    const e = await expectEcsError(fn);
    assert.deepEqual([e.code, e.statusCode], ['Forbidden.RAM', 403], e.message);
    assert.match(e.data.Message, /^User not authorized to operate on the specified resource, or this API doesn't support RAM\./);
    assert.equal(e.data.AccessDeniedDetail.AuthAction, action);
    assert.equal(e.data.AccessDeniedDetail.NoPermissionType, type);
    assert.equal(e.data.AccessDeniedDetail.AuthPrincipalType, 'SubUser');
    assert.equal(e.data.AccessDeniedDetail.AuthPrincipalOwnerId, s.app.root.accountId);
    return e;
  }

  before(async () => {
    s = await startTestServer();
    ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    dev = await launch(s, { extra: { tag: [tag('env', 'dev')] } });
    prod = await launch(s, { extra: { tag: [tag('env', 'prod')] } });
  });
  after(() => s.close());

  it('a user with AliyunECSReadOnlyAccess describes but cannot stop, and the refusal changes nothing', async () => {
    const u = await user(['System:AliyunECSReadOnlyAccess']);
    assert.deepEqual(await describeIds(u.ecs), [dev.instanceId, prod.instanceId].sort());
    await u.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: dev.instanceId }));
    const e = await refused(() => stopInstance(u.ecs, dev.instanceId), 'ecs:StopInstance');
    assert.match(e.data.Message, new RegExp(`Action: ecs:StopInstance, Resource: acs:ecs:${R}:${s.app.root.accountId}:instance/${dev.instanceId}`));
    await refused(() => u.ecsV2.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: dev.instanceId })), 'ecs:StopInstance');
    await s.advance(2000);
    assert.equal(await statusOf(s.ecs, dev.instanceId), 'Running');
    // Nor may it create: RunInstances is refused before anything is written.
    const before = (await describeIds(s.ecs)).length;
    await refused(() => u.ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: R, imageId: 'm-x', instanceType: 'ecs.g7.large' })), 'ecs:RunInstances');
    assert.equal((await describeIds(s.ecs)).length, before);
    // VPC reads come with the policy; VPC writes do not.
    await u.vpc.describeVpcs(new (await import('@alicloud/vpc20160428')).DescribeVpcsRequest({ regionId: R }));
  });

  it('ReadOnlyAccess reads every product (ECS, VPC, RAM) and changes nothing', async () => {
    const u = await user(['System:ReadOnlyAccess']);
    assert.deepEqual(await describeIds(u.ecs), [dev.instanceId, prod.instanceId].sort());
    await u.vpc.describeVpcs(new (await import('@alicloud/vpc20160428')).DescribeVpcsRequest({ regionId: R }));
    await ramClient(s.url, u.creds).call('ListUsers', {});
    await refused(() => stopInstance(u.ecs, dev.instanceId), 'ecs:StopInstance');
    await refused(() => ramClient(s.url, u.creds).call('CreateUser', { UserName: 'nope' }), 'ram:CreateUser');
  });

  it('a user without any policy is refused even a listing (ECS answers 403 since its 2025 change)', async () => {
    const u = await user([]);
    await refused(() => describeIds(u.ecs), 'ecs:DescribeInstances');
    await refused(() => u.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})), 'ecs:DescribeRegions');
  });

  it('a policy limited by tag: acts on and lists only the tagged instances', async () => {
    await policy('dev-only',
      { Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: { StringEquals: { 'acs:ResourceTag/env': 'dev' } } },
      { Effect: 'Allow', Action: 'ecs:Describe*', Resource: `acs:ecs:*:*:instance/${dev.instanceId}` });
    const u = await user(['Custom:dev-only']);
    assert.deepEqual(await describeIds(u.ecs), [dev.instanceId]);
    const page = await u.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }));
    assert.equal(page.body!.totalCount, 1);
    await refused(() => stopInstance(u.ecs, prod.instanceId), 'ecs:StopInstance');
    await stopInstance(u.ecs, dev.instanceId);
    await s.advance(2000);
    assert.equal(await statusOf(s.ecs, dev.instanceId), 'Stopped');
    await u.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: dev.instanceId }));
    await s.advance(2000);
    // Retagging the instance moves it out of the user's reach at once.
    await s.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: R, resourceType: 'instance', resourceId: [prod.instanceId], tag: [new $Ecs.TagResourcesRequestTag({ key: 'env', value: 'dev' })] }));
    assert.deepEqual(await describeIds(u.ecs), [dev.instanceId, prod.instanceId].sort());
    await s.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: R, resourceType: 'instance', resourceId: [prod.instanceId], tag: [new $Ecs.TagResourcesRequestTag({ key: 'env', value: 'prod' })] }));
    assert.deepEqual(await describeIds(u.ecs), [dev.instanceId]);
  });

  it('a policy on the request\'s tags: creates only what is tagged as it demands', async () => {
    await policy('create-dev', { Effect: 'Allow', Action: 'ecs:RunInstances', Resource: '*', Condition: { StringEquals: { 'acs:RequestTag/env': 'dev' } } });
    const u = await user(['Custom:create-dev']);
    const n = await networkOf(s);
    await refused(() => u.ecs.runInstances(runRequest(n, { imageId: LINUX, tag: [tag('env', 'prod')] })), 'ecs:RunInstances');
    await refused(() => u.ecs.runInstances(runRequest(n, { imageId: LINUX })), 'ecs:RunInstances');
    const made = await u.ecs.runInstances(runRequest(n, { imageId: LINUX, tag: [tag('env', 'dev')] }));
    const id = made.body!.instanceIdSets!.instanceIdSet![0]!;
    await running(s, s.ecs, id);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    await s.advance(5000);
  });

  it('a policy limited by source IP (the test server is on 127.0.0.1)', async () => {
    await policy('from-localhost', { Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': ['127.0.0.0/8', '::1/128'] } } });
    await policy('from-office', { Effect: 'Allow', Action: 'ecs:Describe*', Resource: '*', Condition: { IpAddress: { 'acs:SourceIp': '203.0.113.0/24' } } });
    const here = await user(['Custom:from-localhost']);
    assert.equal((await describeIds(here.ecs)).length, 2);
    const office = await user(['Custom:from-office']);
    const e = await refused(() => office.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: dev.instanceId })), 'ecs:DescribeInstanceAttribute');
    assert.equal(e.data.AccessDeniedDetail.PolicyType, 'AccountLevelIdentityBasedPolicy');
    // A listing its policy could allow from elsewhere is emptied, not refused.
    assert.deepEqual(await describeIds(office.ecs), []);
  });

  it('a policy limited by time follows the server clock', async () => {
    const until = new Date(s.clock.now() + 3600_000).toISOString();
    await policy('until-soon', { Effect: 'Allow', Action: 'ecs:DescribeInstanceAttribute', Resource: '*', Condition: { DateLessThan: { 'acs:CurrentTime': until } } });
    const u = await user(['Custom:until-soon']);
    await u.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: dev.instanceId }));
    await s.advance(3600_000 + 1000);
    await refused(() => u.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: dev.instanceId })), 'ecs:DescribeInstanceAttribute');
  });

  it('an explicit Deny beats every Allow, and a group\'s policy applies to its users', async () => {
    await policy('no-stop', { Effect: 'Deny', Action: ['ecs:StopInstance', 'ecs:StopInstances'], Resource: 'acs:ecs:*:*:instance/*' });
    await ram.call('CreateGroup', { GroupName: 'operators' });
    await ram.call('AttachPolicyToGroup', { GroupName: 'operators', PolicyType: 'Custom', PolicyName: 'no-stop' });
    await ram.call('CreateGroup', { GroupName: 'readers' });
    await ram.call('AttachPolicyToGroup', { GroupName: 'readers', PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });

    const admin = await user(['System:AdministratorAccess'], ['operators']);
    const e = await refused(() => stopInstance(admin.ecs, dev.instanceId), 'ecs:StopInstance', 'ExplicitDeny');
    // RAM's DecodeDiagnosticMessage reads the refusal back for the account, naming the deciding policy.
    const { DecodedDiagnosticMessage: diagnostic } = await ram.call('DecodeDiagnosticMessage', { EncodedDiagnosticMessage: e.data.AccessDeniedDetail.EncodedDiagnosticMessage });
    assert.deepEqual([diagnostic.ExplicitDeny, diagnostic.AuthAction, diagnostic.AuthResource], [true, 'ecs:StopInstance', `acs:ecs:${R}:${s.app.root.accountId}:instance/${dev.instanceId}`]);
    assert.deepEqual(diagnostic.MatchedPolicies.map((m: any) => [m.Effect, m.PolicyType, m.PolicyIdentifier, m.PolicyVersion]), [['Deny', 'Custom', 'no-stop', 'v1']]);
    assert.deepEqual(diagnostic.AuthConditions.find((c: any) => c.ConditionKey === 'acs:SourceIp').ConditionValues, ['127.0.0.1']);
    const other = await otherAccount(s, 'tenant-c');
    const notTheirs = await expectEcsError(() => ramClient(s.url, { accessKeyId: other.creds.accessKeyId, accessKeySecret: other.creds.accessKeySecret })
      .call('DecodeDiagnosticMessage', { EncodedDiagnosticMessage: e.data.AccessDeniedDetail.EncodedDiagnosticMessage }));
    assert.deepEqual([notTheirs.code, notTheirs.statusCode], ['EntityNotExist', 404]);
    await admin.ecs.rebootInstance(new $Ecs.RebootInstanceRequest({ instanceId: dev.instanceId }));
    await s.advance(2000);

    const reader = await user([], ['readers']);
    assert.equal((await describeIds(reader.ecs)).length, 2);
    await refused(() => stopInstance(reader.ecs, dev.instanceId), 'ecs:StopInstance');
    await ram.call('RemoveUserFromGroup', { UserName: reader.name, GroupName: 'readers' });
    await refused(() => describeIds(reader.ecs), 'ecs:DescribeInstances');
  });

  it('a RAM user of account A sees nothing of account B, even as an administrator', async () => {
    const b = await otherAccount(s, 'tenant-b');
    const theirs = await launch(s, { as: b });
    const admin = await user(['System:AdministratorAccess']);
    assert.deepEqual(await describeIds(admin.ecs), [dev.instanceId, prod.instanceId].sort());
    const e = await expectEcsError(() => stopInstance(admin.ecs, theirs.instanceId));
    assert.equal(e.code, 'InvalidInstanceId.NotFound');
    assert.equal(await statusOf(b.ecs, theirs.instanceId), 'Running');
  });

  it('operator actions of the deployment stay the root\'s, whatever a policy says', async () => {
    const admin = await user(['System:AdministratorAccess']);
    await assert.rejects(admin.ext.request('CreateAccount', { AccountName: 'sneaky' }, { method: 'POST' }), (e: any) => e.code === 'Forbidden.RAM');
  });

  it('handing a role to an instance needs ram:PassRole on it (InvalidUser.PassRoleForbidden)', async () => {
    await ram.call('CreateRole', {
      RoleName: 'EcsWorker', AssumeRolePolicyDocument: doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }),
    });
    const attach = (ecs: EcsClientT) => ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId: R, instanceIds: JSON.stringify([dev.instanceId]), ramRoleName: 'EcsWorker' }));
    const ops = await user(['System:AliyunECSFullAccess']);
    const e = await expectEcsError(() => attach(ops.ecs));
    assert.deepEqual([e.code, e.statusCode], ['InvalidUser.PassRoleForbidden', 403]);
    await policy('pass-worker', { Effect: 'Allow', Action: 'ram:PassRole', Resource: 'acs:ram::*:role/EcsWorker' });
    await ram.call('AttachPolicyToUser', { UserName: ops.name, PolicyType: 'Custom', PolicyName: 'pass-worker' });
    // Past RAM, the call is the handler's to answer (it may still refuse the role for its own reasons).
    const passed = await attach(ops.ecs).then(() => 'attached', (err: any) => err.code as string);
    assert.notEqual(passed, 'InvalidUser.PassRoleForbidden');
    assert.notEqual(passed, 'Forbidden.RAM');
  });

  it('ExplainRamAccess names the deciding policy, version and statement', async () => {
    const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    await policy('stop-dev', { Effect: 'Allow', Action: 'ecs:DescribeInstances', Resource: '*' },
      { Effect: 'Allow', Action: 'ecs:StopInstance', Resource: '*', Condition: { StringEquals: { 'acs:ResourceTag/env': 'dev' }, IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } });
    const u = await user(['System:AliyunECSReadOnlyAccess', 'Custom:stop-dev']);
    const arn = `acs:ecs:${R}:${s.app.root.accountId}:instance/${dev.instanceId}`;
    const explain = (extra: Record<string, unknown>) => ext.request('ExplainRamAccess', { UserName: u.name, AuthResource: arn, ...extra }, { method: 'POST' }) as Promise<any>;

    const read = await explain({ AuthAction: 'ecs:DescribeInstances' });
    assert.equal(read.Decision, 'Allow');
    assert.deepEqual([read.DecidingPolicy.PolicyType, read.DecidingPolicy.PolicyName, read.DecidingPolicy.VersionId, read.DecidingPolicy.StatementIndex], ['System', 'AliyunECSReadOnlyAccess', 'v1', 0]);
    assert.deepEqual(read.EvaluatedPolicies.Policy.map((p: any) => p.PolicyName), ['AliyunECSReadOnlyAccess', 'stop-dev']);

    const fromHere = await explain({ AuthAction: 'ecs:StopInstance', SourceIp: '127.0.0.1', 'ResourceTag.1.Key': 'env', 'ResourceTag.1.Value': 'dev' });
    assert.deepEqual([fromHere.Decision, fromHere.DenyType], ['Deny', 'ImplicitDeny']);
    assert.equal(fromHere.DecidingPolicy, undefined);
    const fromOffice = await explain({ AuthAction: 'ecs:StopInstance', SourceIp: '10.1.2.3', 'ResourceTag.1.Key': 'env', 'ResourceTag.1.Value': 'dev' });
    assert.equal(fromOffice.Decision, 'Allow');
    assert.deepEqual([fromOffice.DecidingPolicy.PolicyName, fromOffice.DecidingPolicy.StatementIndex], ['stop-dev', 1]);
    assert.match(fromOffice.DecidingPolicy.Statement, /acs:SourceIp/);

    await ram.call('AttachPolicyToUser', { UserName: u.name, PolicyType: 'Custom', PolicyName: 'no-stop' });
    const denied = await explain({ AuthAction: 'ecs:StopInstance', SourceIp: '10.1.2.3', 'ResourceTag.1.Key': 'env', 'ResourceTag.1.Value': 'dev' });
    assert.deepEqual([denied.Decision, denied.DenyType, denied.DecidingPolicy.PolicyName], ['Deny', 'ExplicitDeny', 'no-stop']);

    await assert.rejects(ext.request('ExplainRamAccess', { UserName: 'nobody', AuthAction: 'ecs:StopInstance' }, { method: 'POST' }), (e: any) => e.code === 'EntityNotExist.User');
    await assert.rejects(ext.request('ExplainRamAccess', { UserName: u.name, AuthAction: 'StopInstance' }, { method: 'POST' }), (e: any) => e.code === 'InvalidParameter.AuthAction');
    // A RAM user may explain only with the permission to.
    await assert.rejects(u.ext.request('ExplainRamAccess', { UserName: u.name, AuthAction: 'ecs:StopInstance' }, { method: 'POST' }), (e: any) => e.code === 'Forbidden.RAM');
  });
});
