/**
 * RAM policies (System and Custom, versions), attachments, roles, the account alias and the
 * password policy through the official OpenAPI client, in the call sequences of Terraform's
 * alicloud_ram_policy and alicloud_ram_role; and the documents policyDocumentsFor hands the
 * policy engine for a user through its groups.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, type RamClient } from '../helpers/ram.js';
import { policyDocumentsFor } from '../../src/store/ram.js';

const doc = (actions: string[], effect = 'Allow') => JSON.stringify({ Version: '1', Statement: [{ Effect: effect, Action: actions, Resource: '*' }] });
const trust = (principal: Record<string, string[]>) =>
  JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: principal }] });

describe('RAM policies and roles', () => {
  let s: TestServer;
  let ram: RamClient;
  before(async () => {
    s = await startTestServer();
    ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
  });
  after(() => s.close());

  it('serves the system policies the guide names, with their statements', async () => {
    const all = await ram.call('ListPolicies', { PolicyType: 'System', MaxItems: 1000 });
    const names = all.Policies.Policy.map((p: any) => p.PolicyName);
    for (const n of ['AdministratorAccess', 'AliyunECSFullAccess', 'AliyunECSReadOnlyAccess', 'AliyunECSNetworkInterfaceManagementAccess',
      'AliyunVPCFullAccess', 'AliyunVPCReadOnlyAccess', 'AliyunRAMFullAccess', 'AliyunRAMReadOnlyAccess', 'AliyunSTSAssumeRoleAccess']) {
      assert.ok(names.includes(n), n);
    }
    const ro = await ram.call('GetPolicy', { PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
    const statements = JSON.parse(ro.DefaultPolicyVersion.PolicyDocument).Statement;
    assert.deepEqual(statements.map((x: any) => x.Action), ['ecs:Describe*', 'ecs:List*', ['vpc:DescribeVpcs', 'vpc:DescribeVSwitches']]);
    assert.equal(ro.Policy.PolicyType, 'System');
    const e = await expectEcsError(() => ram.call('GetPolicy', { PolicyType: 'System', PolicyName: 'NoSuchPolicy' }));
    assert.deepEqual([e.code, e.statusCode], ['EntityNotExist.Policy', 404]);
    const badType = await expectEcsError(() => ram.call('GetPolicy', { PolicyType: 'Other', PolicyName: 'x' }));
    assert.deepEqual([badType.code, badType.statusCode], ['InvalidParameter.PolicyType', 400]);
  });

  it('creates a custom policy and walks Terraform\'s alicloud_ram_policy lifecycle', async () => {
    const created = await ram.call('CreatePolicy', { PolicyName: 'ecs-describe', Description: 'read', PolicyDocument: doc(['ecs:Describe*']) });
    assert.deepEqual([created.Policy.PolicyName, created.Policy.PolicyType, created.Policy.DefaultVersion], ['ecs-describe', 'Custom', 'v1']);
    const dup = await expectEcsError(() => ram.call('CreatePolicy', { PolicyName: 'ecs-describe', PolicyDocument: doc(['ecs:*']) }));
    assert.deepEqual([dup.code, dup.statusCode], ['EntityAlreadyExists.Policy', 409]);
    for (const [params, code] of [
      [{ PolicyName: 'bad_name', PolicyDocument: doc(['ecs:*']) }, 'InvalidParameter.PolicyName.InvalidChars'],
      [{ PolicyName: 'p', PolicyDocument: '{"Version":"1"' }, 'MalformedPolicyDocument'],
      [{ PolicyName: 'p', PolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Effect: 'Maybe', Action: 'ecs:*', Resource: '*' }] }) }, 'MalformedPolicyDocument'],
      [{ PolicyName: 'p', PolicyDocument: doc(['ecs:' + 'A'.repeat(6200)]) }, 'InvalidParameter.PolicyDocument.Length'],
    ] as const) {
      const e = await expectEcsError(() => ram.call('CreatePolicy', params));
      assert.deepEqual([e.code, e.statusCode], [code, 400], JSON.stringify(params).slice(0, 80));
    }

    // Update: CreatePolicyVersion SetAsDefault with rotation, as the provider sends it.
    for (let i = 2; i <= 5; i++) {
      const v = await ram.call('CreatePolicyVersion', { PolicyName: 'ecs-describe', PolicyDocument: doc([`ecs:Describe${i}*`]), SetAsDefault: true });
      assert.deepEqual([v.PolicyVersion.VersionId, v.PolicyVersion.IsDefaultVersion], [`v${i}`, true]);
    }
    const full = await expectEcsError(() => ram.call('CreatePolicyVersion', { PolicyName: 'ecs-describe', PolicyDocument: doc(['ecs:*']) }));
    assert.deepEqual([full.code, full.statusCode], ['LimitExceeded.Policy.Version', 409]);
    const rotated = await ram.call('CreatePolicyVersion', {
      PolicyName: 'ecs-describe', PolicyDocument: doc(['ecs:DescribeInstances']), SetAsDefault: true, RotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded',
    });
    assert.equal(rotated.PolicyVersion.VersionId, 'v6');
    const versions = await ram.call('ListPolicyVersions', { PolicyType: 'Custom', PolicyName: 'ecs-describe' });
    assert.deepEqual(versions.PolicyVersions.PolicyVersion.map((v: any) => v.VersionId), ['v2', 'v3', 'v4', 'v5', 'v6']);
    const got = await ram.call('GetPolicy', { PolicyType: 'Custom', PolicyName: 'ecs-describe' });
    assert.equal(got.DefaultPolicyVersion.VersionId, 'v6');
    assert.equal(JSON.parse(got.DefaultPolicyVersion.PolicyDocument).Statement[0].Action[0], 'ecs:DescribeInstances');
    await ram.call('SetDefaultPolicyVersion', { PolicyName: 'ecs-describe', VersionId: 'v3' });
    assert.equal((await ram.call('GetPolicyVersion', { PolicyType: 'Custom', PolicyName: 'ecs-describe', VersionId: 'v3' })).PolicyVersion.IsDefaultVersion, true);
    const dflt = await expectEcsError(() => ram.call('DeletePolicyVersion', { PolicyName: 'ecs-describe', VersionId: 'v3' }));
    assert.deepEqual([dflt.code, dflt.statusCode], ['DeleteConflict.Policy.Version.Default', 409]);
    const updated = await ram.call('UpdatePolicyDescription', { PolicyName: 'ecs-describe', NewDescription: 'describe only' });
    assert.equal(updated.Policy.Description, 'describe only');

    // Attach to a user, a group and a role; ListEntitiesForPolicy names them.
    await ram.call('CreateUser', { UserName: 'dev' });
    await ram.call('CreateGroup', { GroupName: 'devs' });
    await ram.call('CreateRole', { RoleName: 'EcsOps', AssumeRolePolicyDocument: trust({ RAM: [`acs:ram::${s.app.root.accountId}:root`] }) });
    await ram.call('AttachPolicyToUser', { PolicyType: 'Custom', PolicyName: 'ecs-describe', UserName: 'dev' });
    await ram.call('AttachPolicyToGroup', { PolicyType: 'Custom', PolicyName: 'ecs-describe', GroupName: 'devs' });
    await ram.call('AttachPolicyToRole', { PolicyType: 'Custom', PolicyName: 'ecs-describe', RoleName: 'EcsOps' });
    const twice = await expectEcsError(() => ram.call('AttachPolicyToUser', { PolicyType: 'Custom', PolicyName: 'ecs-describe', UserName: 'dev' }));
    assert.deepEqual([twice.code, twice.statusCode], ['EntityAlreadyExists.User.Policy', 409]);
    const entities = await ram.call('ListEntitiesForPolicy', { PolicyType: 'Custom', PolicyName: 'ecs-describe' });
    assert.deepEqual(entities.Users.User.map((u: any) => u.UserName), ['dev']);
    assert.deepEqual(entities.Groups.Group.map((g: any) => g.GroupName), ['devs']);
    assert.deepEqual(entities.Roles.Role.map((r: any) => r.Arn), [`acs:ram::${s.app.root.accountId}:role/EcsOps`]);
    assert.equal((await ram.call('GetPolicy', { PolicyType: 'Custom', PolicyName: 'ecs-describe' })).Policy.AttachmentCount, 3);
    const held = await expectEcsError(() => ram.call('DeletePolicy', { PolicyName: 'ecs-describe' }));
    assert.deepEqual([held.code, held.statusCode], ['DeleteConflict.Policy.User', 409]);

    // Delete (force): detach everywhere, delete the non-default versions, then the policy.
    await ram.call('DetachPolicyFromUser', { PolicyType: 'Custom', PolicyName: 'ecs-describe', UserName: 'dev' });
    await ram.call('DetachPolicyFromGroup', { PolicyType: 'Custom', PolicyName: 'ecs-describe', GroupName: 'devs' });
    await ram.call('DetachPolicyFromRole', { PolicyType: 'Custom', PolicyName: 'ecs-describe', RoleName: 'EcsOps' });
    const notHeld = await expectEcsError(() => ram.call('DetachPolicyFromUser', { PolicyType: 'Custom', PolicyName: 'ecs-describe', UserName: 'dev' }));
    assert.deepEqual([notHeld.code, notHeld.statusCode], ['EntityNotExist.User.Policy', 404]);
    const extra = await expectEcsError(() => ram.call('DeletePolicy', { PolicyName: 'ecs-describe' }));
    assert.equal(extra.code, 'DeleteConflict.Policy.Version');
    for (const v of (await ram.call('ListPolicyVersions', { PolicyType: 'Custom', PolicyName: 'ecs-describe' })).PolicyVersions.PolicyVersion) {
      if (!v.IsDefaultVersion) await ram.call('DeletePolicyVersion', { PolicyName: 'ecs-describe', VersionId: v.VersionId });
    }
    await ram.call('DeletePolicy', { PolicyName: 'ecs-describe' });
    const gone = await expectEcsError(() => ram.call('GetPolicy', { PolicyType: 'Custom', PolicyName: 'ecs-describe' }));
    assert.equal(gone.code, 'EntityNotExist.Policy');
  });

  it('hands the policy engine a user\'s documents, direct and through its groups, at their default versions', async () => {
    await ram.call('CreateUser', { UserName: 'ops' });
    await ram.call('CreateGroup', { GroupName: 'ops-team' });
    await ram.call('AddUserToGroup', { UserName: 'ops', GroupName: 'ops-team' });
    await ram.call('CreatePolicy', { PolicyName: 'deny-stop', PolicyDocument: doc(['ecs:StopInstance'], 'Deny') });
    await ram.call('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunECSFullAccess', UserName: 'ops' });
    await ram.call('AttachPolicyToGroup', { PolicyType: 'Custom', PolicyName: 'deny-stop', GroupName: 'ops-team' });
    const user = await ram.call('GetUser', { UserName: 'ops' });
    const principal = {
      accountId: s.app.root.accountId, accountName: 'root', isAdmin: false, accessKeyId: 'x', type: 'user' as const, userId: user.User.UserId, userName: 'ops',
    };
    const docs = await policyDocumentsFor(s.app.services.db, principal);
    assert.deepEqual(docs.map((d) => [d.source, d.version]), [['System:AliyunECSFullAccess', 'v1'], ['Custom:deny-stop', 'v1']]);
    assert.equal(JSON.parse(docs[1]!.document).Statement[0].Effect, 'Deny');
    await ram.call('CreatePolicyVersion', { PolicyName: 'deny-stop', PolicyDocument: doc(['ecs:StopInstance', 'ecs:DeleteInstance'], 'Deny'), SetAsDefault: true });
    const after = await policyDocumentsFor(s.app.services.db, principal);
    assert.deepEqual(after.map((d) => d.version), ['v1', 'v2']);
    await ram.call('RemoveUserFromGroup', { UserName: 'ops', GroupName: 'ops-team' });
    assert.deepEqual((await policyDocumentsFor(s.app.services.db, principal)).map((d) => d.source), ['System:AliyunECSFullAccess']);
    assert.deepEqual(await policyDocumentsFor(s.app.services.db, { ...principal, type: 'root' }), []);
  });

  it('creates, reads, updates and deletes roles as alicloud_ram_role does', async () => {
    const accountId = s.app.root.accountId;
    const created = await ram.call('CreateRole', {
      RoleName: 'ECSAdmin', Description: 'ECS admin', MaxSessionDuration: 7200, AssumeRolePolicyDocument: trust({ Service: ['ecs.aliyuncs.com'] }),
    });
    assert.equal(created.Role.Arn, `acs:ram::${accountId}:role/ECSAdmin`);
    assert.match(created.Role.RoleId, /^\d{16}$/);
    assert.equal(created.Role.MaxSessionDuration, 7200);
    for (const [params, code] of [
      [{ RoleName: 'r', AssumeRolePolicyDocument: trust({ Service: ['ecs.aliyuncs.com'] }), MaxSessionDuration: 3599 }, 'InvalidParameter.MaxSessionDuration'],
      [{ RoleName: 'r_1', AssumeRolePolicyDocument: trust({ Service: ['ecs.aliyuncs.com'] }) }, 'InvalidParameter.RoleName.InvalidChars'],
      [{ RoleName: 'r', AssumeRolePolicyDocument: doc(['sts:AssumeRole']) }, 'MalformedPolicyDocument'],
    ] as const) {
      const e = await expectEcsError(() => ram.call('CreateRole', params));
      assert.deepEqual([e.code, e.statusCode], [code, 400], JSON.stringify(params).slice(0, 60));
    }
    const dup = await expectEcsError(() => ram.call('CreateRole', { RoleName: 'ECSAdmin', AssumeRolePolicyDocument: trust({ Service: ['ecs.aliyuncs.com'] }) }));
    assert.deepEqual([dup.code, dup.statusCode], ['EntityAlreadyExists.Role', 409]);

    const updated = await ram.call('UpdateRole', { RoleName: 'ECSAdmin', NewDescription: 'ops', NewMaxSessionDuration: 43200, NewAssumeRolePolicyDocument: trust({ RAM: [`acs:ram::${accountId}:root`] }) });
    assert.deepEqual([updated.Role.Description, updated.Role.MaxSessionDuration], ['ops', 43200]);
    const got = await ram.call('GetRole', { RoleName: 'ECSAdmin' });
    assert.equal(JSON.parse(got.Role.AssumeRolePolicyDocument).Statement[0].Principal.RAM[0], `acs:ram::${accountId}:root`);
    assert.ok((await ram.call('ListRoles', {})).Roles.Role.some((r: any) => r.RoleName === 'ECSAdmin'));

    await ram.call('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'AliyunECSFullAccess', RoleName: 'ECSAdmin' });
    const busy = await expectEcsError(() => ram.call('DeleteRole', { RoleName: 'ECSAdmin' }));
    assert.deepEqual([busy.code, busy.statusCode], ['DeleteConflict.Role.Policy', 409]);
    for (const p of (await ram.call('ListPoliciesForRole', { RoleName: 'ECSAdmin' })).Policies.Policy) {
      await ram.call('DetachPolicyFromRole', { PolicyType: p.PolicyType, PolicyName: p.PolicyName, RoleName: 'ECSAdmin' });
    }
    await ram.call('DeleteRole', { RoleName: 'ECSAdmin' });
    const gone = await expectEcsError(() => ram.call('GetRole', { RoleName: 'ECSAdmin' }));
    assert.deepEqual([gone.code, gone.statusCode], ['EntityNotExist.Role', 404]);
  });

  it('tags roles and policies as alicloud_ram_role and alicloud_ram_policy read and update them', async () => {
    const list = async (type: string, name: string) => (await ram.call('ListTagResources', { ResourceType: type, ResourceNames: JSON.stringify([name]) }))
      .TagResources.map((t: any) => `${t.ResourceName}:${t.TagKey}=${t.TagValue}`);
    await ram.call('CreateRole', {
      RoleName: 'Tagged', AssumeRolePolicyDocument: trust({ Service: ['ecs.aliyuncs.com'] }), Tag: JSON.stringify([{ Key: 'env', Value: 'prod' }]),
    });
    assert.deepEqual(await list('role', 'Tagged'), ['Tagged:env=prod']);
    await ram.call('TagResources', { ResourceType: 'role', ResourceNames: JSON.stringify(['Tagged']), Tag: JSON.stringify([{ Key: 'team', Value: 'ops' }, { Key: 'env', Value: 'dev' }]) });
    assert.deepEqual(await list('role', 'Tagged'), ['Tagged:env=dev', 'Tagged:team=ops']);
    await ram.call('UntagResources', { ResourceType: 'role', ResourceNames: JSON.stringify(['Tagged']), TagKeys: JSON.stringify(['env']) });
    assert.deepEqual(await list('role', 'Tagged'), ['Tagged:team=ops']);

    await ram.call('CreatePolicy', { PolicyName: 'tagged-policy', PolicyDocument: doc(['ecs:Describe*']) });
    await ram.call('TagResources', { ResourceType: 'policy', ResourceNames: JSON.stringify(['tagged-policy']), Tag: JSON.stringify([{ Key: 'owner', Value: 'me' }]) });
    assert.deepEqual(await list('policy', 'tagged-policy'), ['tagged-policy:owner=me']);
    const byTag = await ram.call('ListTagResources', { ResourceType: 'policy', Tag: JSON.stringify([{ Key: 'owner', Value: 'me' }]) });
    assert.deepEqual(byTag.TagResources.map((t: any) => t.ResourceName), ['tagged-policy']);

    for (const [params, code] of [
      [{ ResourceType: 'role', ResourceNames: '["NoSuchRole"]', Tag: '[{"Key":"a","Value":"b"}]' }, 'EntityNotExist.Role'],
      [{ ResourceType: 'policy', ResourceNames: '["AdministratorAccess"]', Tag: '[{"Key":"a","Value":"b"}]' }, 'EntityNotExist.Policy'],
      [{ ResourceType: 'role', ResourceNames: '["Tagged"]', Tag: '[{"Key":"aliyun:x","Value":"b"}]' }, 'InvalidParameter.Tag.Key'],
      [{ ResourceType: 'user', ResourceNames: '["Tagged"]', Tag: '[{"Key":"a","Value":"b"}]' }, 'InvalidParameter'],
    ] as const) {
      const e = await expectEcsError(() => ram.call('TagResources', params));
      assert.equal(e.code, code, JSON.stringify(params));
    }
    const many = Array.from({ length: 20 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const over = await expectEcsError(() => ram.call('TagResources', { ResourceType: 'role', ResourceNames: '["Tagged"]', Tag: JSON.stringify(many) }));
    assert.deepEqual([over.code, over.statusCode], ['LimitExceeded.Tag', 409]);
    assert.deepEqual(await list('role', 'Tagged'), ['Tagged:team=ops']);

    // Deleting the role takes its tags with it: a role made again under the name starts bare.
    await ram.call('DeleteRole', { RoleName: 'Tagged' });
    await ram.call('CreateRole', { RoleName: 'Tagged', AssumeRolePolicyDocument: trust({ Service: ['ecs.aliyuncs.com'] }) });
    assert.deepEqual(await list('role', 'Tagged'), []);
  });

  it('sets, reads and clears the account alias, unique across accounts, and the password policy', async () => {
    assert.equal((await ram.call('GetAccountAlias')).AccountAlias, s.app.root.accountId);
    await ram.call('SetAccountAlias', { AccountAlias: 'my-company' });
    assert.equal((await ram.call('GetAccountAlias')).AccountAlias, 'my-company');
    for (const alias of ['-bad', 'Bad', 'a--b', 'ab']) {
      const e = await expectEcsError(() => ram.call('SetAccountAlias', { AccountAlias: alias }));
      assert.match(e.code, /^InvalidParameter\.AccountAlias\./, alias);
    }
    const { createAccount } = await import('../../src/auth/accounts.js');
    const b = await createAccount(s.app.services.db, 'tenant-b', s.clock.now());
    const ramB = ramClient(s.url, { accessKeyId: b.accessKeyId, accessKeySecret: b.accessKeySecret });
    const taken = await expectEcsError(() => ramB.call('SetAccountAlias', { AccountAlias: 'my-company' }));
    assert.deepEqual([taken.code, taken.statusCode], ['EntityAlreadyExists.AccountAlias', 409]);
    await ram.call('ClearAccountAlias');
    await ramB.call('SetAccountAlias', { AccountAlias: 'my-company' });

    const policy = await ram.call('GetPasswordPolicy');
    assert.equal(policy.PasswordPolicy.MinimumPasswordLength, 8);
    const set = await ram.call('SetPasswordPolicy', { MinimumPasswordLength: 12, RequireSymbols: true });
    assert.deepEqual([set.PasswordPolicy.MinimumPasswordLength, set.PasswordPolicy.RequireSymbols, set.PasswordPolicy.RequireNumbers], [12, true, true]);
    const range = await expectEcsError(() => ram.call('SetPasswordPolicy', { MinimumPasswordLength: 7 }));
    assert.deepEqual([range.code, range.statusCode], ['InvalidParameter.MinimumPasswordLength.Range', 400]);
  });
});
