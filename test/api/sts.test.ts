/**
 * STS AssumeRole and temporary credentials through the official @alicloud/sts20150401 client:
 * who may assume a role (its trust policy; never the account root), for how long, the session's
 * narrowing policy, and requests signed with the SecurityToken (V3 header, V2 parameter) refused
 * once expired or with a token that is not theirs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { $Sts, ramClient, stsClient, type RamClient } from '../helpers/ram.js';
import { policyDocumentsFor } from '../../src/store/ram.js';

const trust = (ram: string[]) => JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: ram } }] });

describe('STS AssumeRole and temporary credentials', () => {
  let s: TestServer;
  let ram: RamClient;
  let accountId: string;
  let alice: { accessKeyId: string; accessKeySecret: string };
  const roleArn = () => `acs:ram::${accountId}:role/EcsReader`;

  before(async () => {
    s = await startTestServer();
    accountId = s.app.root.accountId;
    ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    await ram.call('CreateUser', { UserName: 'alice' });
    await ram.call('AttachPolicyToUser', { UserName: 'alice', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
    const k = (await ram.call('CreateAccessKey', { UserName: 'alice' })).AccessKey;
    alice = { accessKeyId: k.AccessKeyId, accessKeySecret: k.AccessKeySecret };
    await ram.call('CreateRole', { RoleName: 'EcsReader', MaxSessionDuration: 7200, AssumeRolePolicyDocument: trust([`acs:ram::${accountId}:root`]) });
    await ram.call('AttachPolicyToRole', { RoleName: 'EcsReader', PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
  });
  after(() => s.close());

  const assume = (creds: typeof alice, req: Partial<$Sts.AssumeRoleRequest>, v2 = false) =>
    stsClient(s.url, creds, { v2 }).assumeRole(new $Sts.AssumeRoleRequest({ roleArn: roleArn(), roleSessionName: 'alice-session', ...req }));

  it('gives a trusted RAM user temporary credentials that sign as the assumed role (V3 and V2)', async () => {
    const r = (await assume(alice, { durationSeconds: 1800 })).body!;
    const c = r.credentials!;
    assert.match(c.accessKeyId!, /^STS\./);
    assert.match(c.securityToken!, /^CAIS/);
    assert.equal(c.expiration, '2026-11-23T06:30:00Z');
    assert.match(r.assumedRoleUser!.assumedRoleId!, /^\d{16}:alice-session$/);

    for (const v2 of [false, true]) {
      const temp = { accessKeyId: c.accessKeyId!, accessKeySecret: c.accessKeySecret!, securityToken: c.securityToken! };
      const who = (await stsClient(s.url, temp, { v2 }).getCallerIdentity()).body!;
      assert.equal(who.identityType, 'AssumedRoleUser');
      assert.equal(who.arn, `acs:ram::${accountId}:assumed-role/EcsReader/alice-session`);
      assert.equal(who.principalId, r.assumedRoleUser!.assumedRoleId);
      const ecs = s.clients(temp);
      await (v2 ? ecs.ecsV2 : ecs.ecs).describeRegions(new $Ecs.DescribeRegionsRequest({}));
    }
  });

  it('refuses temporary credentials without their token, with another session\'s token, or expired', async () => {
    const a = (await assume(alice, {})).body!.credentials!;
    const b = (await assume(alice, { roleSessionName: 'other' })).body!.credentials!;
    const creds = { accessKeyId: a.accessKeyId!, accessKeySecret: a.accessKeySecret! };
    const none = await expectEcsError(() => stsClient(s.url, creds).getCallerIdentity());
    assert.deepEqual([none.code, none.statusCode], ['MissingSecurityToken', 400]);
    const wrong = await expectEcsError(() => stsClient(s.url, { ...creds, securityToken: b.securityToken! }).getCallerIdentity());
    assert.deepEqual([wrong.code, wrong.statusCode], ['InvalidSecurityToken.MismatchWithAccessKey', 400]);
    const garbage = await expectEcsError(() => stsClient(s.url, { ...creds, securityToken: 'not a token' }, { v2: true }).getCallerIdentity());
    assert.deepEqual([garbage.code, garbage.statusCode], ['InvalidSecurityToken.Malformed', 400]);
    const longTerm = await expectEcsError(() => stsClient(s.url, { ...alice, securityToken: a.securityToken! }).getCallerIdentity());
    assert.equal(longTerm.code, 'InvalidSecurityToken.MismatchWithAccessKey');

    const temp = { ...creds, securityToken: a.securityToken! };
    await stsClient(s.url, temp).getCallerIdentity();
    await s.advance(3600_000);
    for (const v2 of [false, true]) {
      const expired = await expectEcsError(() => stsClient(s.url, temp, { v2 }).getCallerIdentity());
      assert.deepEqual([expired.code, expired.statusCode], ['InvalidSecurityToken.Expired', 400]);
    }
  });

  it('checks the session name, the duration against the role\'s limit, and the narrowing policy\'s grammar', async () => {
    for (const [req, code] of [
      [{ durationSeconds: 899 }, 'InvalidParameter.DurationSeconds'],
      [{ durationSeconds: 7201 }, 'InvalidParameter.DurationSeconds'],
      [{ roleSessionName: 'a' }, 'InvalidParameter.RoleSessionName'],
      [{ roleSessionName: 'has space' }, 'InvalidParameter.RoleSessionName'],
      [{ roleArn: 'arn:aws:iam::1:role/x' }, 'InvalidParameter.RoleArn'],
      [{ policy: '{"Version":"1","Statement":[{"Effect":"Allow"}]}' }, 'InvalidParameter.PolicyGrammar'],
    ] as const) {
      const e = await expectEcsError(() => assume(alice, req));
      assert.deepEqual([e.code, e.statusCode], [code, 400], JSON.stringify(req));
    }
    await assume(alice, { durationSeconds: 7200 });
    const missing = await expectEcsError(() => assume(alice, { roleArn: `acs:ram::${accountId}:role/NoSuchRole` }));
    assert.deepEqual([missing.code, missing.statusCode], ['EntityNotExist.Role', 404]);
  });

  it('refuses the account root, and callers the trust policy does not name', async () => {
    const root = await expectEcsError(() => assume({ accessKeyId: AK, accessKeySecret: SECRET }, {}));
    assert.deepEqual([root.code, root.statusCode], ['NoPermission', 403]);

    await ram.call('CreateRole', { RoleName: 'BobOnly', AssumeRolePolicyDocument: trust([`acs:ram::${accountId}:user/bob`]) });
    const notTrusted = await expectEcsError(() => assume(alice, { roleArn: `acs:ram::${accountId}:role/BobOnly` }));
    assert.deepEqual([notTrusted.code, notTrusted.statusCode], ['NoPermission', 403]);
    await ram.call('UpdateRole', { RoleName: 'BobOnly', NewAssumeRolePolicyDocument: trust([`acs:ram::${accountId}:user/bob`, `acs:ram::${accountId}:user/alice`]) });
    await assume(alice, { roleArn: `acs:ram::${accountId}:role/bobonly` });
  });

  it('keeps the session\'s narrowing Policy for the policy engine, after the role\'s own', async () => {
    const policy = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:DescribeInstances', Resource: '*' }] });
    const r = (await assume(alice, { policy, roleSessionName: 'narrow' })).body!;
    const temp = { accessKeyId: r.credentials!.accessKeyId!, accessKeySecret: r.credentials!.accessKeySecret!, securityToken: r.credentials!.securityToken! };
    const who = (await stsClient(s.url, temp).getCallerIdentity()).body!;
    const principal = {
      accountId, accountName: 'root', isAdmin: false, accessKeyId: temp.accessKeyId, type: 'role' as const,
      roleId: who.roleId!, roleName: 'EcsReader', sessionName: 'narrow', sessionKeyId: temp.accessKeyId,
    };
    const docs = await policyDocumentsFor(s.app.services.db, principal);
    assert.deepEqual(docs.map((d) => d.source), ['System:AliyunECSReadOnlyAccess', 'Session:narrow']);
    assert.equal(docs[1]!.document, policy);
  });

  it('ends a deleted role\'s sessions', async () => {
    await ram.call('CreateRole', { RoleName: 'Short', AssumeRolePolicyDocument: trust([`acs:ram::${accountId}:root`]) });
    const c = (await assume(alice, { roleArn: `acs:ram::${accountId}:role/Short` })).body!.credentials!;
    const temp = { accessKeyId: c.accessKeyId!, accessKeySecret: c.accessKeySecret!, securityToken: c.securityToken! };
    await stsClient(s.url, temp).getCallerIdentity();
    await ram.call('DeleteRole', { RoleName: 'Short' });
    const e = await expectEcsError(() => stsClient(s.url, temp).getCallerIdentity());
    assert.equal(e.code, 'InvalidAccessKeyId.NotFound');
  });
});
