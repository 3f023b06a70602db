/**
 * alicloud_ram_role, alicloud_ram_user and alicloud_ram_policy (terraform-calls.md §19), call for
 * call: tea-rpc POST with Version=2015-05-01 (ram_user's create/read/delete on the old typed SDK),
 * the JSON paths each read takes, the force-delete sequences and the codes the provider treats
 * as gone (`EntityNotExist.*`) or retries (`DeleteConflict.*`).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { fails, jsonList, ok, ProviderClient } from './provider-client.js';
import type { Doc } from './json.js';
import { expectFields } from './expect.js';

const TRUST = JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com'] } }], Version: '1' });
const TRUST2 = JSON.stringify({ Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com', 'fc.aliyuncs.com'] } }], Version: '1' });
const DOC = (action: string) => JSON.stringify({ Statement: [{ Action: [action], Effect: 'Allow', Resource: ['*'] }], Version: '1' });

describe('alicloud_ram_role, alicloud_ram_user, alicloud_ram_policy', () => {
  let s: TestServer;
  let tf: ProviderClient;
  before(async () => {
    s = await startTestServer();
    tf = ProviderClient.for(s);
  });
  after(async () => { await s.close(); });

  const ram = (action: string, body: Record<string, any>) => tf.rpc('Ram', action, body);
  const tagsOf = async (type: 'role' | 'policy', name: string): Promise<Record<string, string>> => {
    const d = ok(await ram('ListTagResources', { ResourceType: type, ResourceNames: jsonList([name]) }));
    const out: Record<string, string> = {};
    for (const t of d.items('TagResources')) out[t.str('TagKey')] = t.str('TagValue');
    return out;
  };

  describe('alicloud_ram_role', () => {
    const readRole = async (name: string): Promise<Doc> => {
      const d = ok(await ram('GetRole', { RoleName: name }));
      expectFields(d.at('Role'), { RoleName: 's', RoleId: 's', Arn: 's', Description: 's', AssumeRolePolicyDocument: 's', MaxSessionDuration: 'i', CreateDate: 's' }, '$.Role');
      return d.at('Role');
    };

    it('create (CreateRole with Tag as JSON) → read (GetRole $.Role, ListTagResources role)', async () => {
      const c = ok(await ram('CreateRole', { RoleName: 'tf-role', Description: 'by tf', MaxSessionDuration: 3600, Tag: JSON.stringify([{ Key: 'env', Value: 'tf' }]), AssumeRolePolicyDocument: TRUST }));
      assert.equal(c.str('Role.RoleName'), 'tf-role');
      const r = await readRole('tf-role');
      assert.equal(r.str('Description'), 'by tf');
      assert.equal(r.int('MaxSessionDuration'), 3600);
      assert.deepEqual(JSON.parse(r.str('AssumeRolePolicyDocument')), JSON.parse(TRUST));
      assert.deepEqual(await tagsOf('role', 'tf-role'), { env: 'tf' });
      fails(await ram('CreateRole', { RoleName: 'tf-role', AssumeRolePolicyDocument: TRUST }), 'EntityAlreadyExists.Role');
    });

    it('update: UpdateRole (New*), TagResources / UntagResources → read shows them', async () => {
      ok(await ram('UpdateRole', { RoleName: 'tf-role', NewDescription: 'changed', NewMaxSessionDuration: 7200, NewAssumeRolePolicyDocument: TRUST2 }));
      ok(await ram('UntagResources', { ResourceType: 'role', ResourceNames: jsonList(['tf-role']), TagKeys: jsonList(['env']) }));
      ok(await ram('TagResources', { ResourceType: 'role', ResourceNames: jsonList(['tf-role']), Tag: JSON.stringify([{ Key: 'tier', Value: 'ops' }]) }));
      const r = await readRole('tf-role');
      assert.equal(r.str('Description'), 'changed');
      assert.equal(r.int('MaxSessionDuration'), 7200);
      assert.deepEqual(JSON.parse(r.str('AssumeRolePolicyDocument')), JSON.parse(TRUST2));
      assert.deepEqual(await tagsOf('role', 'tf-role'), { tier: 'ops' });
    });

    it('delete (force): DeleteRole conflicts while attached; ListPoliciesForRole → DetachPolicyFromRole → DeleteRole; gone reads EntityNotExist.Role', async () => {
      ok(await ram('AttachPolicyToRole', { PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess', RoleName: 'tf-role' }));
      // Without force the provider retries this code until the timeout: it must be exactly it.
      fails(await ram('DeleteRole', { RoleName: 'tf-role' }), 'DeleteConflict.Role.Policy');
      const l = ok(await ram('ListPoliciesForRole', { RoleName: 'tf-role' }));
      const attached = l.items('Policies.Policy');
      assert.deepEqual(attached.map((p) => [p.str('PolicyName'), p.str('PolicyType')]), [['AliyunECSReadOnlyAccess', 'System']]);
      for (const p of attached) ok(await ram('DetachPolicyFromRole', { PolicyType: p.str('PolicyType'), PolicyName: p.str('PolicyName'), RoleName: 'tf-role' }));
      assert.equal(ok(await ram('ListPoliciesForRole', { RoleName: 'tf-role' })).arr('Policies.Policy').length, 0);
      ok(await ram('DeleteRole', { RoleName: 'tf-role' }));
      const gone = fails(await ram('GetRole', { RoleName: 'tf-role' }), 'EntityNotExist.Role');
      assert.ok(gone.isExpected(['EntityNotExist.Role']));
      // A second delete (a retried apply) is EntityNotExist.Role, which the provider takes as success.
      fails(await ram('DeleteRole', { RoleName: 'tf-role' }), 'EntityNotExist.Role');
    });
  });

  describe('alicloud_ram_user', () => {
    let userId = '';
    /** ListUsers with MaxItems=100 and Marker/IsTruncated paging, matching by UserId or UserName. */
    const findUser = async (idOrName: string): Promise<Doc | undefined> => {
      let marker: string | undefined;
      for (let page = 0; page < 50; page++) {
        const d = ok(await tf.sdk('ListUsers', { MaxItems: 100, Marker: marker }, 'Ram'));
        for (const u of d.items('Users.User')) if (u.str('UserId') === idOrName || u.str('UserName') === idOrName) return u;
        if (!d.bool('IsTruncated')) return undefined;
        marker = d.str('Marker');
      }
      assert.fail('ListUsers never stopped paging');
    };
    const readUser = async (): Promise<Doc> => {
      const listed = await findUser(userId);
      assert.ok(listed, `user ${userId} not listed`);
      const d = ok(await tf.sdk('GetUser', { UserName: listed.str('UserName') }, 'Ram'));
      expectFields(d.at('User'), { UserId: 's', UserName: 's', DisplayName: 's', MobilePhone: 's', Email: 's', Comments: 's', CreateDate: 's' }, '$.User');
      return d.at('User');
    };

    it('create (old SDK CreateUser, id = User.UserId) → wait via ListUsers paging + GetUser', async () => {
      // Other users first, so the wait has to page to find it.
      for (let n = 0; n < 3; n++) ok(await tf.sdk('CreateUser', { UserName: `tf-filler-${n}` }, 'Ram'));
      const c = ok(await tf.sdk('CreateUser', { UserName: 'tf-user', DisplayName: 'TF User', MobilePhone: '86-18600000000', Email: 'tf@example.com', Comments: 'by tf' }, 'Ram'));
      userId = c.str('User.UserId');
      const page = ok(await tf.sdk('ListUsers', { MaxItems: 2 }, 'Ram'));
      assert.equal(page.bool('IsTruncated'), true);
      assert.equal(typeof page.str('Marker'), 'string');
      const u = await readUser();
      assert.deepEqual([u.str('UserName'), u.str('DisplayName'), u.str('Email'), u.str('Comments')], ['tf-user', 'TF User', 'tf@example.com', 'by tf']);
    });

    it('update: RPC UpdateUser (NewUserName, NewDisplayName, NewMobilePhone, NewEmail, NewComments) → read finds it by UserId', async () => {
      ok(await ram('UpdateUser', { UserName: 'tf-user', NewUserName: 'tf-user2', NewDisplayName: 'Renamed', NewMobilePhone: '86-18600000001', NewEmail: 'tf2@example.com', NewComments: 'changed' }));
      const u = await readUser();
      assert.equal(u.str('UserId'), userId);
      assert.deepEqual([u.str('UserName'), u.str('DisplayName'), u.str('MobilePhone'), u.str('Email'), u.str('Comments')], ['tf-user2', 'Renamed', '86-18600000001', 'tf2@example.com', 'changed']);
      fails(await tf.sdk('GetUser', { UserName: 'tf-user' }, 'Ram'), 'EntityNotExist.User');
    });

    it('delete (force): AccessKeys, policies, groups, login profile, MFA removed, then DeleteUser; ListUsers no longer shows it', async () => {
      const name = 'tf-user2';
      ok(await ram('CreateAccessKey', { UserName: name }));
      ok(await ram('AttachPolicyToUser', { PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess', UserName: name }));
      ok(await ram('CreateGroup', { GroupName: 'tf-group' }));
      ok(await ram('AddUserToGroup', { GroupName: 'tf-group', UserName: name }));
      ok(await ram('CreateLoginProfile', { UserName: name, Password: 'Tf-Passw0rd!x' }));
      fails(await tf.sdk('DeleteUser', { UserName: name }, 'Ram'), /^DeleteConflict\.User\./);

      const found = await findUser(userId);
      assert.ok(found);
      ok(await tf.sdk('GetUser', { UserName: name }, 'Ram'));
      const keys = ok(await ram('ListAccessKeys', { UserName: name })).items('AccessKeys.AccessKey');
      assert.equal(keys.length, 1);
      for (const k of keys) ok(await ram('DeleteAccessKey', { UserAccessKeyId: k.str('AccessKeyId'), UserName: name }));
      const pols = ok(await ram('ListPoliciesForUser', { UserName: name })).items('Policies.Policy');
      assert.equal(pols.length, 1);
      for (const p of pols) ok(await ram('DetachPolicyFromUser', { PolicyType: p.str('PolicyType'), PolicyName: p.str('PolicyName'), UserName: name }));
      const groups = ok(await ram('ListGroupsForUser', { UserName: name })).items('Groups.Group');
      assert.deepEqual(groups.map((g) => g.str('GroupName')), ['tf-group']);
      for (const g of groups) ok(await ram('RemoveUserFromGroup', { GroupName: g.str('GroupName'), UserName: name }));
      ok(await ram('DeleteLoginProfile', { UserName: name }));
      // No MFA device bound: the provider ignores exactly this code.
      const mfa = fails(await ram('UnbindMFADevice', { UserName: name }), 'EntityNotExist.User.MFADevice');
      assert.ok(mfa.isExpected(['EntityNotExist.User.MFADevice']));
      // A second DeleteLoginProfile (retried apply) is the code the provider ignores.
      fails(await ram('DeleteLoginProfile', { UserName: name }), 'EntityNotExist.User.LoginProfile');
      ok(await tf.sdk('DeleteUser', { UserName: name }, 'Ram'));
      assert.equal(await findUser(userId), undefined);
      fails(await tf.sdk('GetUser', { UserName: name }, 'Ram'), 'EntityNotExist.User');
      fails(await tf.sdk('DeleteUser', { UserName: name }, 'Ram'), 'EntityNotExist.User');
    });
  });

  describe('alicloud_ram_policy', () => {
    const readPolicy = async (name: string): Promise<Doc> => {
      const d = ok(await ram('GetPolicy', { PolicyName: name, PolicyType: 'Custom' }));
      expectFields(d, {
        'Policy.PolicyName': 's', 'Policy.PolicyType': 's', 'Policy.Description': 's', 'Policy.DefaultVersion': 's',
        'Policy.AttachmentCount': 'i', 'Policy.CreateDate': 's', 'DefaultPolicyVersion.PolicyDocument': 's', 'DefaultPolicyVersion.VersionId': 's',
      }, 'GetPolicy');
      return d;
    };

    it('create (CreatePolicy, reads Policy.PolicyName) → read (GetPolicy Custom, ListTagResources policy)', async () => {
      const c = ok(await ram('CreatePolicy', { PolicyName: 'tf-policy', Description: 'by tf', PolicyDocument: DOC('ecs:Describe*') }));
      assert.equal(c.str('Policy.PolicyName'), 'tf-policy');
      const d = await readPolicy('tf-policy');
      assert.deepEqual(JSON.parse(d.str('DefaultPolicyVersion.PolicyDocument')), JSON.parse(DOC('ecs:Describe*')));
      assert.equal(d.str('Policy.Description'), 'by tf');
      assert.deepEqual(await tagsOf('policy', 'tf-policy'), {});
      fails(await ram('GetPolicy', { PolicyName: 'tf-nope', PolicyType: 'Custom' }), 'EntityNotExist.Policy');
    });

    it('update: CreatePolicyVersion (SetAsDefault, RotateStrategy), UpdatePolicyDescription, TagResources/UntagResources', async () => {
      const v = ok(await ram('CreatePolicyVersion', { PolicyName: 'tf-policy', SetAsDefault: true, PolicyDocument: DOC('ecs:*'), RotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded' }));
      expectFields(v.at('PolicyVersion'), { VersionId: 's', IsDefaultVersion: 'b', PolicyDocument: 's', CreateDate: 's' }, '$.PolicyVersion');
      ok(await ram('UpdatePolicyDescription', { PolicyName: 'tf-policy', NewDescription: 'changed' }));
      ok(await ram('TagResources', { ResourceType: 'policy', ResourceNames: jsonList(['tf-policy']), Tag: JSON.stringify([{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }]) }));
      ok(await ram('UntagResources', { ResourceType: 'policy', ResourceNames: jsonList(['tf-policy']), TagKeys: jsonList(['a']) }));
      const d = await readPolicy('tf-policy');
      assert.deepEqual(JSON.parse(d.str('DefaultPolicyVersion.PolicyDocument')), JSON.parse(DOC('ecs:*')));
      assert.equal(d.str('Policy.DefaultVersion'), v.str('PolicyVersion.VersionId'));
      assert.equal(d.str('Policy.Description'), 'changed');
      assert.deepEqual(await tagsOf('policy', 'tf-policy'), { b: '2' });
      // Five more versions with rotation: the oldest non-default goes instead of LimitExceeded.
      for (let n = 0; n < 5; n++) {
        ok(await ram('CreatePolicyVersion', { PolicyName: 'tf-policy', SetAsDefault: true, PolicyDocument: DOC(`ecs:Describe${n}*`), RotateStrategy: 'DeleteOldestNonDefaultVersionWhenLimitExceeded' }));
      }
      assert.ok(ok(await ram('ListPolicyVersions', { PolicyName: 'tf-policy', PolicyType: 'Custom' })).arr('PolicyVersions.PolicyVersion').length <= 5);
    });

    it('delete (force): ListEntitiesForPolicy → Detach from user/group/role, ListPolicyVersions → DeletePolicyVersion, DeletePolicy', async () => {
      ok(await ram('CreateUser', { UserName: 'tf-pu' }));
      ok(await ram('CreateGroup', { GroupName: 'tf-pg' }));
      ok(await ram('CreateRole', { RoleName: 'tf-pr', AssumeRolePolicyDocument: TRUST }));
      ok(await ram('AttachPolicyToUser', { PolicyType: 'Custom', PolicyName: 'tf-policy', UserName: 'tf-pu' }));
      ok(await ram('AttachPolicyToGroup', { PolicyType: 'Custom', PolicyName: 'tf-policy', GroupName: 'tf-pg' }));
      ok(await ram('AttachPolicyToRole', { PolicyType: 'Custom', PolicyName: 'tf-policy', RoleName: 'tf-pr' }));
      fails(await ram('DeletePolicy', { PolicyName: 'tf-policy' }), /^DeleteConflict\.Policy\./);

      const e = ok(await ram('ListEntitiesForPolicy', { PolicyName: 'tf-policy', PolicyType: 'Custom' }));
      const users = e.items('Users.User');
      const groups = e.items('Groups.Group');
      const roles = e.items('Roles.Role');
      assert.deepEqual([users.map((u) => u.str('UserName')), groups.map((g) => g.str('GroupName')), roles.map((r) => r.str('RoleName'))], [['tf-pu'], ['tf-pg'], ['tf-pr']]);
      for (const u of users) ok(await ram('DetachPolicyFromUser', { PolicyType: 'Custom', PolicyName: 'tf-policy', UserName: u.str('UserName') }));
      for (const g of groups) ok(await ram('DetachPolicyFromGroup', { PolicyType: 'Custom', PolicyName: 'tf-policy', GroupName: g.str('GroupName') }));
      for (const r of roles) ok(await ram('DetachPolicyFromRole', { PolicyType: 'Custom', PolicyName: 'tf-policy', RoleName: r.str('RoleName') }));

      const versions = ok(await ram('ListPolicyVersions', { PolicyName: 'tf-policy', PolicyType: 'Custom' })).items('PolicyVersions.PolicyVersion');
      assert.ok(versions.length > 1);
      for (const v of versions) {
        expectFields(v, { VersionId: 's', IsDefaultVersion: 'b' }, 'PolicyVersion');
        if (v.bool('IsDefaultVersion')) {
          fails(await ram('DeletePolicyVersion', { PolicyName: 'tf-policy', VersionId: v.str('VersionId') }), 'DeleteConflict.Policy.Version.Default');
          continue;
        }
        ok(await ram('DeletePolicyVersion', { PolicyName: 'tf-policy', VersionId: v.str('VersionId') }));
      }
      ok(await ram('DeletePolicy', { PolicyName: 'tf-policy' }));
      const gone = fails(await ram('GetPolicy', { PolicyName: 'tf-policy', PolicyType: 'Custom' }), 'EntityNotExist.Policy');
      assert.ok(gone.isExpected(['EntityNotExist.Policy']));
      fails(await ram('DeletePolicy', { PolicyName: 'tf-policy' }), 'EntityNotExist.Policy');
    });
  });
});
