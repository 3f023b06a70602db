/**
 * RAM users, login profiles, AccessKeys and groups through the official OpenAPI client, as
 * Terraform's alicloud_ram_user drives them: create, read, page, update, force-delete in order.
 * A user's AccessKey signs ECS calls as that user; set Inactive or deleted, it is refused at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createAccount } from '../../src/auth/accounts.js';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, stsClient, type RamClient } from '../helpers/ram.js';

describe('RAM users', () => {
  let s: TestServer;
  let ram: RamClient;
  before(async () => {
    s = await startTestServer();
    ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
  });
  after(() => s.close());

  it('creates, reads, updates and lists users, with RAM\'s name rules and codes', async () => {
    const created = await ram.call('CreateUser', { UserName: 'alice', DisplayName: 'Alice', Email: 'alice@example.com', MobilePhone: '86-18600000000', Comments: 'dev' });
    assert.equal(created.User.UserName, 'alice');
    assert.match(created.User.UserId, /^\d{16}$/);
    assert.equal(created.User.CreateDate, '2026-11-23T06:00:00Z');

    const dup = await expectEcsError(() => ram.call('CreateUser', { UserName: 'alice' }));
    assert.deepEqual([dup.code, dup.statusCode], ['EntityAlreadyExists.User', 409]);
    for (const [params, code] of [
      [{ UserName: 'bad name' }, 'InvalidParameter.UserName.InvalidChars'],
      [{ UserName: 'x'.repeat(65) }, 'InvalidParameter.UserName.Length'],
      [{ UserName: 'ok', Email: 'not-an-email' }, 'InvalidParameter.Email.Format'],
      [{ UserName: 'ok', MobilePhone: '12345' }, 'InvalidParameter.MobilePhone.Format'],
      [{ UserName: 'ok', Comments: 'c'.repeat(129) }, 'InvalidParameter.Comments.Length'],
      [{}, 'MissingParameter'],
    ] as const) {
      const e = await expectEcsError(() => ram.call('CreateUser', params));
      assert.deepEqual([e.code, e.statusCode], [code, 400], JSON.stringify(params));
    }

    // The old typed SDK Terraform's alicloud_ram_user uses signs V2 (HMAC-SHA1).
    const got = await ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET }, { v2: true }).call('GetUser', { UserName: 'alice' });
    assert.equal(got.User.Email, 'alice@example.com');
    assert.equal(got.User.UserId, created.User.UserId);
    const missing = await expectEcsError(() => ram.call('GetUser', { UserName: 'nobody' }));
    assert.deepEqual([missing.code, missing.statusCode], ['EntityNotExist.User', 404]);

    const updated = await ram.call('UpdateUser', { UserName: 'alice', NewUserName: 'alice2', NewDisplayName: 'Alice Two' });
    assert.equal(updated.User.UserName, 'alice2');
    assert.equal(updated.User.UserId, created.User.UserId);
    await ram.call('UpdateUser', { UserName: 'alice2', NewUserName: 'alice' });
  });

  it('pages ListUsers with MaxItems, IsTruncated and Marker', async () => {
    for (const n of ['u1', 'u2', 'u3', 'u4']) await ram.call('CreateUser', { UserName: n });
    const names: string[] = [];
    let marker: string | undefined;
    let pages = 0;
    do {
      const r = await ram.call('ListUsers', { MaxItems: 2, Marker: marker });
      names.push(...r.Users.User.map((u: any) => u.UserName));
      marker = r.IsTruncated ? r.Marker : undefined;
      pages++;
    } while (marker);
    assert.deepEqual(names, ['alice', 'u1', 'u2', 'u3', 'u4']);
    assert.equal(pages, 3);
    const bad = await expectEcsError(() => ram.call('ListUsers', { MaxItems: 1001 }));
    assert.equal(bad.code, 'InvalidParameter.MaxItems');
  });

  it('keeps login profile passwords hashed and checked against the password policy', async () => {
    const weak = await expectEcsError(() => ram.call('CreateLoginProfile', { UserName: 'alice', Password: 'short' }));
    assert.deepEqual([weak.code, weak.statusCode], ['InvalidParameter.Password.TooWeak', 400]);
    const lp = await ram.call('CreateLoginProfile', { UserName: 'alice', Password: 'Secret-Passw0rd', PasswordResetRequired: true });
    assert.equal(lp.LoginProfile.PasswordResetRequired, true);
    const again = await expectEcsError(() => ram.call('CreateLoginProfile', { UserName: 'alice', Password: 'Secret-Passw0rd' }));
    assert.deepEqual([again.code, again.statusCode], ['EntityAlreadyExists.User.LoginProfile', 409]);
    const row = await s.app.services.db.selectFrom('ram_login_profiles').selectAll().executeTakeFirstOrThrow();
    assert.match(row.password_hash, /^scrypt\$/);
    assert.ok(!row.password_hash.includes('Secret-Passw0rd'));

    await ram.call('UpdateLoginProfile', { UserName: 'alice', PasswordResetRequired: false });
    assert.equal((await ram.call('GetLoginProfile', { UserName: 'alice' })).LoginProfile.PasswordResetRequired, false);
    await ram.call('SetPasswordPolicy', { MinimumPasswordLength: 20 });
    const tooShort = await expectEcsError(() => ram.call('UpdateLoginProfile', { UserName: 'alice', Password: 'Secret-Passw0rd' }));
    assert.equal(tooShort.code, 'InvalidParameter.Password.TooWeak');
    await ram.call('SetPasswordPolicy', { MinimumPasswordLength: 8 });
  });

  it('signs ECS calls with a user\'s AccessKey, and refuses it once Inactive or deleted', async () => {
    await ram.call('AttachPolicyToUser', { UserName: 'u1', PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
    const k = (await ram.call('CreateAccessKey', { UserName: 'u1' })).AccessKey;
    assert.equal(k.Status, 'Active');
    assert.match(k.AccessKeySecret, /^[A-Za-z0-9]{30}$/);
    const listed = await ram.call('ListAccessKeys', { UserName: 'u1' });
    assert.deepEqual(listed.AccessKeys.AccessKey.map((x: any) => [x.AccessKeyId, x.Status, 'AccessKeySecret' in x]), [[k.AccessKeyId, 'Active', false]]);

    const creds = { accessKeyId: k.AccessKeyId, accessKeySecret: k.AccessKeySecret };
    const who = await stsClient(s.url, creds).getCallerIdentity();
    assert.equal(who.body!.identityType, 'RAMUser');
    assert.equal(who.body!.arn, `acs:ram::${s.app.root.accountId}:user/u1`);
    const user = s.clients(creds);
    await user.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    await user.ecsV2.describeRegions(new $Ecs.DescribeRegionsRequest({}));

    await ram.call('UpdateAccessKey', { UserName: 'u1', UserAccessKeyId: k.AccessKeyId, Status: 'Inactive' });
    const inactive = await expectEcsError(() => user.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
    assert.equal(inactive.code, 'InvalidAccessKeyId.Inactive');
    await ram.call('UpdateAccessKey', { UserName: 'u1', UserAccessKeyId: k.AccessKeyId, Status: 'Active' });
    await user.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));

    // The user may hold two keys at most.
    await ram.call('CreateAccessKey', { UserName: 'u1' });
    const third = await expectEcsError(() => ram.call('CreateAccessKey', { UserName: 'u1' }));
    assert.deepEqual([third.code, third.statusCode], ['LimitExceeded.User.AccessKey', 409]);

    await ram.call('DeleteAccessKey', { UserName: 'u1', UserAccessKeyId: k.AccessKeyId });
    const gone = await expectEcsError(() => user.ecsV2.describeRegions(new $Ecs.DescribeRegionsRequest({})));
    assert.equal(gone.code, 'InvalidAccessKeyId.NotFound');
    const again = await expectEcsError(() => ram.call('DeleteAccessKey', { UserName: 'u1', UserAccessKeyId: k.AccessKeyId }));
    assert.deepEqual([again.code, again.statusCode], ['EntityNotExist.User.AccessKey', 404]);
  });

  it('groups users, and a user is deleted only once it holds nothing (Terraform\'s force delete order)', async () => {
    const g = await ram.call('CreateGroup', { GroupName: 'Developers', Comments: 'devs' });
    assert.match(g.Group.GroupId, /^g-/);
    await ram.call('AddUserToGroup', { UserName: 'u2', GroupName: 'Developers' });
    const twice = await expectEcsError(() => ram.call('AddUserToGroup', { UserName: 'u2', GroupName: 'Developers' }));
    assert.deepEqual([twice.code, twice.statusCode], ['EntityAlreadyExists.User.Group', 409]);
    assert.deepEqual((await ram.call('ListGroupsForUser', { UserName: 'u2' })).Groups.Group.map((x: any) => x.GroupName), ['Developers']);
    assert.deepEqual((await ram.call('ListUsersForGroup', { GroupName: 'Developers' })).Users.User.map((x: any) => x.UserName), ['u2']);
    const busy = await expectEcsError(() => ram.call('DeleteGroup', { GroupName: 'Developers' }));
    assert.deepEqual([busy.code, busy.statusCode], ['DeleteConflict.Group.User', 409]);
    await ram.call('UpdateGroup', { GroupName: 'Developers', NewGroupName: 'Devs', NewComments: 'renamed' });
    assert.equal((await ram.call('GetGroup', { GroupName: 'Devs' })).Group.Comments, 'renamed');
    assert.deepEqual((await ram.call('ListGroups', {})).Groups.Group.map((x: any) => x.GroupName), ['Devs']);

    await ram.call('AttachPolicyToUser', { UserName: 'u2', PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
    await ram.call('CreateAccessKey', { UserName: 'u2' });
    await ram.call('CreateLoginProfile', { UserName: 'u2', Password: 'Another-Passw0rd' });
    // Terraform's force delete unbinds the MFA device too, and takes "no device" as done.
    const mfa = await expectEcsError(() => ram.call('UnbindMFADevice', { UserName: 'u2' }));
    assert.deepEqual([mfa.code, mfa.statusCode], ['EntityNotExist.User.MFADevice', 404]);
    const conflicts: string[] = [];
    for (;;) {
      const e = await expectEcsError(() => ram.call('DeleteUser', { UserName: 'u2' })).catch(() => undefined);
      if (!e) break;
      conflicts.push(e.code);
      assert.equal(e.statusCode, 409);
      if (e.code === 'DeleteConflict.User.AccessKey') {
        for (const k of (await ram.call('ListAccessKeys', { UserName: 'u2' })).AccessKeys.AccessKey) {
          await ram.call('DeleteAccessKey', { UserName: 'u2', UserAccessKeyId: k.AccessKeyId });
        }
      } else if (e.code === 'DeleteConflict.User.LoginProfile') {
        await ram.call('DeleteLoginProfile', { UserName: 'u2' });
      } else if (e.code === 'DeleteConflict.User.Group') {
        await ram.call('RemoveUserFromGroup', { UserName: 'u2', GroupName: 'Devs' });
      } else if (e.code === 'DeleteConflict.User.Policy') {
        for (const p of (await ram.call('ListPoliciesForUser', { UserName: 'u2' })).Policies.Policy) {
          await ram.call('DetachPolicyFromUser', { UserName: 'u2', PolicyType: p.PolicyType, PolicyName: p.PolicyName });
        }
      } else assert.fail(`unexpected ${e.code}`);
    }
    assert.deepEqual(conflicts.sort(), ['DeleteConflict.User.AccessKey', 'DeleteConflict.User.Group', 'DeleteConflict.User.LoginProfile', 'DeleteConflict.User.Policy']);
    const gone = await expectEcsError(() => ram.call('GetUser', { UserName: 'u2' }));
    assert.equal(gone.code, 'EntityNotExist.User');
    await ram.call('DeleteGroup', { GroupName: 'Devs' });
  });

  it('refuses a deactivated or deleted key on another replica of the same PostgreSQL store within its version poll', {
    skip: !process.env.OPENECS_TEST_DATABASE_URL && 'needs OPENECS_TEST_DATABASE_URL',
  }, async () => {
    const replica = await startTestServer({ databaseUrl: s.app.services.config.databaseUrl });
    try {
      await ram.call('AttachPolicyToUser', { UserName: 'u3', PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
      const k = (await ram.call('CreateAccessKey', { UserName: 'u3' })).AccessKey;
      const onReplica = replica.clients({ accessKeyId: k.AccessKeyId, accessKeySecret: k.AccessKeySecret });
      const describe = () => onReplica.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      await describe();
      // Another replica learns of a commit from the store version it polls every 250 ms.
      const answersWithin = async (want: string) => {
        const start = Date.now();
        for (;;) {
          const got = await describe().then(() => 'accepted', (err) => err.code as string);
          if (got === want) return;
          assert.ok(Date.now() - start < 1000, `still ${got} after ${Date.now() - start} ms`);
          await new Promise((r) => setTimeout(r, 25));
        }
      };
      await ram.call('UpdateAccessKey', { UserName: 'u3', UserAccessKeyId: k.AccessKeyId, Status: 'Inactive' });
      await answersWithin('InvalidAccessKeyId.Inactive');
      await ram.call('UpdateAccessKey', { UserName: 'u3', UserAccessKeyId: k.AccessKeyId, Status: 'Active' });
      await answersWithin('accepted');
      await ram.call('DeleteAccessKey', { UserName: 'u3', UserAccessKeyId: k.AccessKeyId });
      await answersWithin('InvalidAccessKeyId.NotFound');
    } finally {
      await replica.close();
    }
  });

  it('keeps each account\'s users its own', async () => {
    const b = await createAccount(s.app.services.db, 'tenant-b', s.clock.now());
    const ramB = ramClient(s.url, { accessKeyId: b.accessKeyId, accessKeySecret: b.accessKeySecret });
    assert.deepEqual((await ramB.call('ListUsers', {})).Users.User, []);
    const e = await expectEcsError(() => ramB.call('GetUser', { UserName: 'alice' }));
    assert.equal(e.code, 'EntityNotExist.User');
    await ramB.call('CreateUser', { UserName: 'alice' });
    assert.equal((await ramB.call('ListUsers', {})).Users.User.length, 1);
  });
});
