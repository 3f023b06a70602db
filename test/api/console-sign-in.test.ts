/**
 * SignInWithPassword: a RAM user's `user@alias` / `user@<accountId>` and login-profile password,
 * sent unsigned as RAM's sign-in page takes them, exchanged for temporary credentials that sign
 * official-client calls as that user (its policies apply) until they expire; wrong passwords are
 * refused alike and lock the user after the password policy's MaxLoginAttemps within an hour.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, stsClient, type RamClient, signInWithPassword } from '../helpers/ram.js';

const PASSWORD = 'Secret-Passw0rd';

describe('console sign-in of RAM users (SignInWithPassword)', () => {
  let s: TestServer;
  let ram: RamClient;
  let accountId: string;

  const signIn = (params: Record<string, unknown>) => signInWithPassword(s.url, params);
  const credsOf = (r: any) => ({ accessKeyId: r.Credentials.AccessKeyId, accessKeySecret: r.Credentials.AccessKeySecret, securityToken: r.Credentials.SecurityToken });

  before(async () => {
    s = await startTestServer();
    accountId = s.app.root.accountId;
    ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    await ram.call('SetAccountAlias', { AccountAlias: 'example-corp' });
    for (const name of ['reader', 'newbie', 'nopass', 'victim']) await ram.call('CreateUser', { UserName: name });
    await ram.call('AttachPolicyToUser', { UserName: 'reader', PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
    await ram.call('CreateLoginProfile', { UserName: 'reader', Password: PASSWORD });
    await ram.call('CreateLoginProfile', { UserName: 'newbie', Password: PASSWORD, PasswordResetRequired: true });
    await ram.call('CreateLoginProfile', { UserName: 'victim', Password: PASSWORD });
  });
  after(() => s.close());

  it('signs a user in by alias or account id and the credentials sign as that user until they expire', async () => {
    for (const name of ['reader@example-corp', 'reader@example-corp.onaliyun.com', `reader@${accountId}`]) {
      const r = await signIn({ PrincipalName: name, Password: PASSWORD });
      assert.equal(r.UserName, 'reader');
      assert.equal(r.AccountId, accountId);
      assert.equal(r.Arn, `acs:ram::${accountId}:user/reader`);
      assert.match(r.Credentials.AccessKeyId, /^STS\./);
      assert.equal(r.Credentials.Expiration, '2026-11-23T12:00:00Z');
    }
    const r = await signIn({ PrincipalName: 'reader@example-corp', Password: PASSWORD, DurationSeconds: 900 });
    const creds = credsOf(r);
    const who = (await stsClient(s.url, creds).getCallerIdentity()).body!;
    assert.deepEqual([who.identityType, who.arn], ['RAMUser', `acs:ram::${accountId}:user/reader`]);
    const { ecs } = s.clients(creds);
    await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' }));
    const stop = await expectEcsError(() => ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: 'i-bp1notmine000000000' })));
    assert.deepEqual([stop.code, stop.statusCode], ['Forbidden.RAM', 403]);
    const got = await ram.call('GetUser', { UserName: 'reader' });
    assert.equal(got.User.LastLoginDate, '2026-11-23T06:00:00Z');

    await s.advance(900_000);
    const expired = await expectEcsError(() => ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou' })));
    assert.equal(expired.code, 'InvalidSecurityToken.Expired');
  });

  it('refuses a wrong password, an unknown user or account and a user without a login profile alike', async () => {
    for (const [name, password] of [
      ['reader@example-corp', 'Wrong-Passw0rd'], ['ghost@example-corp', PASSWORD], ['reader@no-such-alias', PASSWORD],
      ['nopass@example-corp', PASSWORD], ['reader@1999999999999999', PASSWORD],
    ]) {
      const e = await expectEcsError(() => signIn({ PrincipalName: name, Password: password }));
      assert.deepEqual([e.code, e.statusCode], ['SignInFailed.InvalidCredentials', 401], name);
      assert.equal(e.message.replace(/ request id: .*$/, '').includes('incorrect'), true);
    }
    const bad = await expectEcsError(() => signIn({ PrincipalName: 'reader', Password: PASSWORD }));
    assert.deepEqual([bad.code, bad.statusCode], ['InvalidParameter.PrincipalName', 400]);
    const missing = await expectEcsError(() => signIn({ PrincipalName: 'reader@example-corp' }));
    assert.equal(missing.code, 'MissingParameter');
  });

  it('makes a user whose profile requires a reset choose a new password that meets the policy', async () => {
    const required = await expectEcsError(() => signIn({ PrincipalName: 'newbie@example-corp', Password: PASSWORD }));
    assert.deepEqual([required.code, required.statusCode], ['PasswordResetRequired', 403]);
    const weak = await expectEcsError(() => signIn({ PrincipalName: 'newbie@example-corp', Password: PASSWORD, NewPassword: 'weak' }));
    assert.deepEqual([weak.code, weak.statusCode], ['InvalidParameter.Password.TooWeak', 400]);
    const same = await expectEcsError(() => signIn({ PrincipalName: 'newbie@example-corp', Password: PASSWORD, NewPassword: PASSWORD }));
    assert.equal(same.code, 'InvalidParameter.NewPassword');
    await signIn({ PrincipalName: 'newbie@example-corp', Password: PASSWORD, NewPassword: 'Brand-New-Passw0rd' });
    assert.equal((await ram.call('GetLoginProfile', { UserName: 'newbie' })).LoginProfile.PasswordResetRequired, false);
    await signIn({ PrincipalName: 'newbie@example-corp', Password: 'Brand-New-Passw0rd' });
    const old = await expectEcsError(() => signIn({ PrincipalName: 'newbie@example-corp', Password: PASSWORD }));
    assert.equal(old.code, 'SignInFailed.InvalidCredentials');
  });

  it('locks password sign-in after MaxLoginAttemps failures within an hour, for an hour', async () => {
    await ram.call('SetPasswordPolicy', { MaxLoginAttemps: 3 });
    for (let i = 0; i < 3; i++) {
      const e = await expectEcsError(() => signIn({ PrincipalName: 'victim@example-corp', Password: `Wrong-Passw0rd${i}` }));
      assert.equal(e.code, 'SignInFailed.InvalidCredentials');
    }
    const locked = await expectEcsError(() => signIn({ PrincipalName: 'victim@example-corp', Password: PASSWORD }));
    assert.deepEqual([locked.code, locked.statusCode], ['SignInLocked', 403]);
    // Other users are not affected, and the lock opens an hour after the first counted failure.
    await signIn({ PrincipalName: 'reader@example-corp', Password: PASSWORD });
    await s.advance(3600_000);
    assert.equal((await signIn({ PrincipalName: 'victim@example-corp', Password: PASSWORD })).UserName, 'victim');
  });

  it('ends the session of a deleted user at once', async () => {
    await ram.call('CreateUser', { UserName: 'leaver' });
    await ram.call('CreateLoginProfile', { UserName: 'leaver', Password: PASSWORD });
    const creds = credsOf(await signIn({ PrincipalName: 'leaver@example-corp', Password: PASSWORD }));
    await stsClient(s.url, creds).getCallerIdentity();
    await ram.call('DeleteLoginProfile', { UserName: 'leaver' });
    await ram.call('DeleteUser', { UserName: 'leaver' });
    const gone = await expectEcsError(() => stsClient(s.url, creds).getCallerIdentity());
    assert.equal(gone.code, 'InvalidAccessKeyId.NotFound');
  });
});
