/**
 * What a RAM user does for itself, through @alicloud/ram20150501: ChangePassword (old password,
 * password policy, the security preference), GetAccessKeyLastUsed (recorded when a key signs, at
 * most once a minute, seen by every replica), and Get/SetSecurityPreference with what it governs:
 * self-managed AccessKeys without a policy, console sign-in's session length and networks.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { ramClient, stsClient, type RamClient, type TempCredentials, signInWithPassword } from '../helpers/ram.js';

const PASSWORD = 'Secret-Passw0rd';
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('RAM self-service: ChangePassword, GetAccessKeyLastUsed, security preference', () => {
  let s: TestServer;
  let ram: RamClient;
  const keys: Record<string, TempCredentials> = {};

  const signIn = (params: Record<string, unknown>) => signInWithPassword(s.url, params);
  const as = (user: string) => ramClient(s.url, keys[user]!);
  const setPreference = (p: Record<string, unknown>) => ram.call('SetSecurityPreference', p);

  before(async () => {
    s = await startTestServer();
    ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    await ram.call('SetAccountAlias', { AccountAlias: 'self-corp' });
    for (const name of ['bob', 'carol', 'dave', 'erin']) {
      await ram.call('CreateUser', { UserName: name });
      const k = (await ram.call('CreateAccessKey', { UserName: name })).AccessKey;
      keys[name] = { accessKeyId: k.AccessKeyId, accessKeySecret: k.AccessKeySecret };
    }
    await ram.call('CreateLoginProfile', { UserName: 'dave', Password: PASSWORD });
    await ram.call('CreateLoginProfile', { UserName: 'erin', Password: PASSWORD });
  });
  after(() => s.close());

  describe('Get/SetSecurityPreference', () => {
    it('answers RAM\'s defaults, and a Set changes only the fields it names', async () => {
      const d = (await ram.call('GetSecurityPreference')).SecurityPreference;
      assert.deepEqual(d, {
        AccessKeyPreference: { AllowUserToManageAccessKeys: false },
        MFAPreference: { AllowUserToManageMFADevices: true },
        LoginProfilePreference: { EnableSaveMFATicket: false, LoginSessionDuration: 6, LoginNetworkMasks: '', AllowUserToChangePassword: true },
        PublicKeyPreference: { AllowUserToManagePublicKeys: false },
      });
      const set = (await setPreference({ LoginSessionDuration: 12, AllowUserToManageMFADevices: false })).SecurityPreference;
      assert.equal(set.LoginProfilePreference.LoginSessionDuration, 12);
      assert.equal(set.MFAPreference.AllowUserToManageMFADevices, false);
      const got = (await ram.call('GetSecurityPreference')).SecurityPreference;
      assert.deepEqual(got, set);
      assert.equal(got.LoginProfilePreference.AllowUserToChangePassword, true);
      await setPreference({ LoginSessionDuration: 6, AllowUserToManageMFADevices: true, EnableSaveMFATicket: false, AllowUserToManagePublicKeys: false });
    });

    it('refuses out-of-range values and, by name, the preferences nothing here could honour', async () => {
      for (const [p, code] of [
        [{ LoginSessionDuration: 0 }, 'InvalidParameter.LoginSessionDuration'],
        [{ LoginSessionDuration: 25 }, 'InvalidParameter.LoginSessionDuration'],
        [{ LoginNetworkMasks: '10.0.0.0/8;not-a-network' }, 'InvalidParameter.LoginNetworkMasks'],
        [{ LoginNetworkMasks: Array.from({ length: 26 }, (_, i) => `10.${i}.0.0/16`).join(';') }, 'InvalidParameter.LoginNetworkMasks'],
        [{ EnableSaveMFATicket: true }, 'UnsupportedParameter'],
        [{ AllowUserToManagePublicKeys: true }, 'UnsupportedParameter'],
      ] as const) {
        const e = await expectEcsError(() => setPreference(p));
        assert.deepEqual([e.code, e.statusCode], [code, 400], JSON.stringify(p).slice(0, 60));
      }
      assert.equal((await ram.call('GetSecurityPreference')).SecurityPreference.LoginProfilePreference.LoginSessionDuration, 6);
    });

    it('lets a user without policies manage its own AccessKeys only while AllowUserToManageAccessKeys is true', async () => {
      const carol = as('carol');
      const refused = await expectEcsError(() => carol.call('CreateAccessKey'));
      assert.deepEqual([refused.code, refused.statusCode], ['Forbidden.RAM', 403]);
      await setPreference({ AllowUserToManageAccessKeys: true });
      const k = (await carol.call('CreateAccessKey')).AccessKey;
      assert.deepEqual((await carol.call('ListAccessKeys', { UserName: 'carol' })).AccessKeys.AccessKey.map((x: any) => x.AccessKeyId).sort(),
        [keys.carol!.accessKeyId, k.AccessKeyId].sort());
      await carol.call('UpdateAccessKey', { UserAccessKeyId: k.AccessKeyId, Status: 'Inactive' });
      await carol.call('DeleteAccessKey', { UserAccessKeyId: k.AccessKeyId });
      // Only its own: another user's keys still need a policy.
      const other = await expectEcsError(() => carol.call('ListAccessKeys', { UserName: 'bob' }));
      assert.equal(other.code, 'Forbidden.RAM');
      await setPreference({ AllowUserToManageAccessKeys: false });
      assert.equal((await expectEcsError(() => carol.call('ListAccessKeys'))).code, 'Forbidden.RAM');
    });
  });

  describe('ChangePassword', () => {
    it('changes the calling user\'s password given the old one; the new one signs in, the old one no longer does', async () => {
      await as('dave').call('ChangePassword', { OldPassword: PASSWORD, NewPassword: 'Changed-Passw0rd' });
      assert.equal((await signIn({ PrincipalName: 'dave@self-corp', Password: 'Changed-Passw0rd' })).UserName, 'dave');
      const old = await expectEcsError(() => signIn({ PrincipalName: 'dave@self-corp', Password: PASSWORD }));
      assert.equal(old.code, 'SignInFailed.InvalidCredentials');
      // From a console session too, as the console's own page does it.
      const session = (await signIn({ PrincipalName: 'dave@self-corp', Password: 'Changed-Passw0rd' })).Credentials;
      const creds = { accessKeyId: session.AccessKeyId, accessKeySecret: session.AccessKeySecret, securityToken: session.SecurityToken };
      await ramClient(s.url, creds).call('ChangePassword', { OldPassword: 'Changed-Passw0rd', NewPassword: 'Again-Changed-Passw0rd' });
      await signIn({ PrincipalName: 'dave@self-corp', Password: 'Again-Changed-Passw0rd' });
    });

    it('refuses a wrong old password, a new one the password policy refuses, and a reused one when the policy forbids reuse', async () => {
      const erin = as('erin');
      for (const [p, code, status] of [
        [{ OldPassword: 'Wrong-Passw0rd', NewPassword: 'Fresh-Passw0rd' }, 'InvalidParameter.OldPassword', 400],
        [{ OldPassword: PASSWORD, NewPassword: 'weak' }, 'InvalidParameter.Password.TooWeak', 400],
        [{ OldPassword: PASSWORD }, 'MissingParameter', 400],
      ] as const) {
        const e = await expectEcsError(() => erin.call('ChangePassword', p));
        assert.deepEqual([e.code, e.statusCode], [code, status], code);
      }
      await erin.call('ChangePassword', { OldPassword: PASSWORD, NewPassword: PASSWORD });
      await ram.call('SetPasswordPolicy', { PasswordReusePrevention: 3 });
      const reused = await expectEcsError(() => erin.call('ChangePassword', { OldPassword: PASSWORD, NewPassword: PASSWORD }));
      assert.deepEqual([reused.code, reused.statusCode], ['InvalidParameter.NewPassword', 400]);
      await ram.call('SetPasswordPolicy', { PasswordReusePrevention: 0 });
      await signIn({ PrincipalName: 'erin@self-corp', Password: PASSWORD });
    });

    it('is for RAM users with a login profile, while the security preference allows it', async () => {
      const root = await expectEcsError(() => ram.call('ChangePassword', { OldPassword: PASSWORD, NewPassword: 'Fresh-Passw0rd' }));
      assert.deepEqual([root.code, root.statusCode], ['NoPermission', 403]);
      const none = await expectEcsError(() => as('bob').call('ChangePassword', { OldPassword: PASSWORD, NewPassword: 'Fresh-Passw0rd' }));
      assert.deepEqual([none.code, none.statusCode], ['EntityNotExist.User.LoginProfile', 404]);
      await setPreference({ AllowUserToChangePassword: false });
      const off = await expectEcsError(() => as('erin').call('ChangePassword', { OldPassword: PASSWORD, NewPassword: 'Fresh-Passw0rd' }));
      assert.deepEqual([off.code, off.statusCode], ['NoPermission', 403]);
      assert.match(off.message, /AllowUserToChangePassword/);
      await setPreference({ AllowUserToChangePassword: true });
      await signIn({ PrincipalName: 'erin@self-corp', Password: PASSWORD });
    });
  });

  describe('console sign-in under the security preference', () => {
    it('signs in only from LoginNetworkMasks', async () => {
      await setPreference({ LoginNetworkMasks: '10.0.0.0/8;192.168.0.0/16' });
      const e = await expectEcsError(() => signIn({ PrincipalName: 'erin@self-corp', Password: PASSWORD }));
      assert.deepEqual([e.code, e.statusCode], ['SignInForbidden.NetworkMask', 403]);
      // AccessKey calls are not affected (RAM: the masks govern console sign-in only).
      await stsClient(s.url, keys.erin!).getCallerIdentity();
      await setPreference({ LoginNetworkMasks: '10.0.0.0/8;127.0.0.0/8;::1' });
      assert.equal((await signIn({ PrincipalName: 'erin@self-corp', Password: PASSWORD })).UserName, 'erin');
      await setPreference({ LoginNetworkMasks: '' });
    });

    it('makes sessions last LoginSessionDuration hours, and no longer', async () => {
      await setPreference({ LoginSessionDuration: 1 });
      const r = await signIn({ PrincipalName: 'erin@self-corp', Password: PASSWORD });
      assert.equal(r.Credentials.Expiration, iso(s.clock.now() + 3600_000));
      const e = await expectEcsError(() => signIn({ PrincipalName: 'erin@self-corp', Password: PASSWORD, DurationSeconds: 7200 }));
      assert.deepEqual([e.code, e.statusCode], ['InvalidParameter.DurationSeconds', 400]);
      await setPreference({ LoginSessionDuration: 6 });
    });
  });

  describe('GetAccessKeyLastUsed', () => {
    const lastUsed = async (user: string, key: string) =>
      (await ram.call('GetAccessKeyLastUsed', { UserName: user, UserAccessKeyId: key })).AccessKeyLastUsed.LastUsedDate;

    it('answers when the key last signed a call, recorded at most once a minute', async () => {
      const fresh = (await ram.call('CreateAccessKey', { UserName: 'bob' })).AccessKey;
      assert.equal(await lastUsed('bob', fresh.AccessKeyId), '');
      const bob = stsClient(s.url, { accessKeyId: fresh.AccessKeyId, accessKeySecret: fresh.AccessKeySecret });
      const t0 = s.clock.now();
      await bob.getCallerIdentity();
      assert.equal(await lastUsed('bob', fresh.AccessKeyId), iso(t0));
      await s.advance(30_000);
      await bob.getCallerIdentity();
      assert.equal(await lastUsed('bob', fresh.AccessKeyId), iso(t0));
      await s.advance(31_000);
      // A refused call was still signed by the key.
      const refused = await expectEcsError(() => ramClient(s.url, { accessKeyId: fresh.AccessKeyId, accessKeySecret: fresh.AccessKeySecret }).call('ListUsers'));
      assert.equal(refused.code, 'Forbidden.RAM');
      assert.equal(await lastUsed('bob', fresh.AccessKeyId), iso(t0 + 61_000));
      await ram.call('DeleteAccessKey', { UserName: 'bob', UserAccessKeyId: fresh.AccessKeyId });
    });

    it('refuses a key the user does not have', async () => {
      for (const [user, key] of [['bob', 'LTAInosuchkey00000000000'], ['bob', keys.carol!.accessKeyId]]) {
        const e = await expectEcsError(() => ram.call('GetAccessKeyLastUsed', { UserName: user, UserAccessKeyId: key }));
        assert.deepEqual([e.code, e.statusCode], ['EntityNotExist.User.AccessKey', 404]);
      }
      const missing = await expectEcsError(() => ram.call('GetAccessKeyLastUsed', { UserName: 'bob' }));
      assert.equal(missing.code, 'MissingParameter');
    });

    it('sees a use recorded by another replica (PostgreSQL)', async (t) => {
      if (!s.databaseUrl) return t.skip('needs OPENECS_TEST_DATABASE_URL');
      const other = await startTestServer({}, { sameStoreAs: s });
      try {
        await s.advance(120_000);
        await stsClient(other.url, keys.bob!).getCallerIdentity();
        assert.equal(await lastUsed('bob', keys.bob!.accessKeyId), iso(s.clock.now()));
      } finally {
        await other.close();
      }
    });
  });
});
