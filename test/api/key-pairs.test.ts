import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import sshpk from 'sshpk';
import { $Ecs, AK, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createAccount } from '../../src/auth/accounts.js';
import { newId } from '../../src/domain/ids.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { createResourceGroup } from '../helpers/resource-groups.js';
import { passwordLogonDisabled } from '../../src/store/key-pairs.js';
import { KEYS } from '../unit/ssh-keys.fixture.js';

const R = 'cn-hangzhou';
const RSA_FP = '76:15:28:8c:b1:ed:c1:7d:46:94:da:e2:e5:39:09:52'; // ssh-keygen -l -E md5 of KEYS.rsa
const ED_FP = 'e3:7c:2f:7c:f4:eb:72:cb:d7:e5:80:11:3d:16:50:41';

describe('key pairs', () => {
  let s: TestServer;
  let me: string;
  before(async () => {
    s = await startTestServer();
    me = (await s.app.services.db.selectFrom('access_keys').select('account_id').where('id', '=', AK).executeTakeFirstOrThrow()).account_id;
  });
  after(async () => { await s.close(); });

  // Instances come from RunInstances, each account with its own network (made once).
  const networks = new Map<string, Promise<Network>>();
  const clientsFor = new Map<string, Pick<TestServer, 'ecs' | 'vpc'>>();
  const clientsOf = (accountId: string) => (accountId === me ? s : clientsFor.get(accountId)!);
  async function tenant(name: string) {
    const acct = await createAccount(s.app.services.db, name, Date.now());
    clientsFor.set(acct.accountId, s.clients(acct));
    return acct;
  }
  function networkOf(accountId: string): Promise<Network> {
    if (!networks.has(accountId)) networks.set(accountId, createNetwork(clientsOf(accountId)));
    return networks.get(accountId)!;
  }
  /** A Running instance (or Stopped with `stopped`), launched with `keyPairName` when given. */
  async function instance(osType: 'linux' | 'windows', opts: { accountId?: string; keyPairName?: string; stopped?: boolean } = {}): Promise<string> {
    const accountId = opts.accountId ?? me;
    const n = await networkOf(accountId);
    const ecs = clientsOf(accountId).ecs;
    const extra: Record<string, unknown> = { imageId: osType === 'linux' ? n.imageId : n.windowsImageId };
    if (opts.keyPairName) extra.keyPairName = opts.keyPairName;
    const id = (await ecs.runInstances(runRequest(n, extra))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(1000); await s.advance(1000); // Pending → Starting → Running
    if (opts.stopped) {
      await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
      await s.advance(1000); await s.advance(1000); // Stopping → Stopped
      const st = (await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!.status;
      assert.equal(st, 'Stopped');
    }
    return id;
  }
  /** The key pair an instance is bound to, as DescribeInstances shows it ('' for none). */
  const keyPairOf = async (id: string) => {
    const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }));
    return r.body!.instances!.instance![0]!.keyPairName ?? '';
  };

  const create = (name: string, extra: Record<string, unknown> = {}) => s.ecs.createKeyPair(new $Ecs.CreateKeyPairRequest({ regionId: R, keyPairName: name, ...extra }));
  const importKey = (name: string, body: string, extra: Record<string, unknown> = {}) =>
    s.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: R, keyPairName: name, publicKeyBody: body, ...extra }));
  const describe_ = (extra: Record<string, unknown> = {}) => s.ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: R, ...extra }));
  const attach = (name: string, ids: unknown) => s.ecs.attachKeyPair(new $Ecs.AttachKeyPairRequest({ regionId: R, keyPairName: name, instanceIds: typeof ids === 'string' ? ids : JSON.stringify(ids) }));
  const detach = (name: string, ids: unknown) => s.ecs.detachKeyPair(new $Ecs.DetachKeyPairRequest({ regionId: R, keyPairName: name, instanceIds: typeof ids === 'string' ? ids : JSON.stringify(ids) }));
  const remove = (names: unknown) => s.ecs.deleteKeyPairs(new $Ecs.DeleteKeyPairsRequest({ regionId: R, keyPairNames: typeof names === 'string' ? names : JSON.stringify(names) }));

  it('CreateKeyPair returns a working RSA 2048 private key once, PEM PKCS#8, matching the stored public key', async () => {
    const r = (await create('web-key', { tag: [new $Ecs.CreateKeyPairRequestTag({ key: 'env', value: 'prod' })] })).body!;
    assert.equal(r.keyPairName, 'web-key');
    assert.match(r.keyPairId!, /^ssh-[a-z0-9]{20}$/);
    assert.match(r.keyPairFingerPrint!, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
    assert.match(r.privateKeyBody!, /^-----BEGIN PRIVATE KEY-----\n/);
    const priv = createPrivateKey(r.privateKeyBody!);
    assert.equal(priv.asymmetricKeyType, 'rsa');
    assert.equal(priv.asymmetricKeyDetails!.modulusLength, 2048);

    const d = (await describe_({ keyPairName: 'web-key', includePublicKey: true })).body!;
    assert.equal(d.totalCount, 1);
    const kp = d.keyPairs!.keyPair![0]!;
    assert.equal(kp.keyPairFingerPrint, r.keyPairFingerPrint);
    assert.equal(kp.creationTime, '2026-11-23T06:00Z');
    assert.deepEqual(kp.tags!.tag!.map((t) => [t.tagKey, t.tagValue]), [['env', 'prod']]);
    // The stored OpenSSH public key is the private key's public half, and the fingerprint its MD5.
    const spki = createPublicKey(priv).export({ type: 'spki', format: 'pem' }) as string;
    const blob = sshpk.parseKey(spki, 'pem').toBuffer('rfc4253');
    assert.equal(kp.publicKey, `ssh-rsa ${blob.toString('base64')}`);
    assert.equal(createHash('md5').update(blob).digest('hex').match(/../g)!.join(':'), r.keyPairFingerPrint);
    // Without IncludePublicKey the public key is not shown.
    assert.equal((await describe_({ keyPairName: 'web-key' })).body!.keyPairs!.keyPair![0]!.publicKey, undefined);
  });

  it('ImportKeyPair computes the MD5 fingerprint ssh-keygen shows, through V3 and V2 signing', async () => {
    const r = (await importKey('imported-rsa', KEYS.rsa)).body!;
    assert.deepEqual([r.keyPairName, r.keyPairFingerPrint], ['imported-rsa', RSA_FP]);
    const v2 = await s.ecsV2.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: R, keyPairName: 'imported-ed', publicKeyBody: KEYS.ed25519 }));
    assert.equal(v2.body!.keyPairFingerPrint, ED_FP);
    const cert = (await importKey('imported-cert', KEYS.ecdsa256Cert)).body!;
    assert.equal(cert.keyPairFingerPrint, 'ba:5f:f5:1e:57:52:0a:e8:47:fd:32:b3:35:7c:c2:6b');
    const pem = (await importKey('imported-pem', KEYS.rsaSpki)).body!;
    assert.equal(pem.keyPairFingerPrint, RSA_FP);
    const byFp = (await describe_({ keyPairFingerPrint: RSA_FP, includePublicKey: true })).body!;
    assert.deepEqual(byFp.keyPairs!.keyPair!.map((k) => k.keyPairName).sort(), ['imported-pem', 'imported-rsa']);
    assert.equal(byFp.keyPairs!.keyPair!.find((k) => k.keyPairName === 'imported-rsa')!.publicKey, KEYS.rsa);
  });

  it('refuses bad names, duplicates and malformed public keys with the documented codes', async () => {
    const cases: [() => Promise<unknown>, string, number][] = [
      [() => create('1key'), 'InvalidKeyPairName.Malformed', 400],
      [() => create('a'), 'InvalidKeyPairName.Malformed', 400],
      [() => create('a'.repeat(129)), 'InvalidKeyPairName.Malformed', 400],
      [() => create('my key'), 'InvalidKeyPairName.Malformed', 400],
      [() => create('http://x'), 'InvalidKeyPairName.Malformed', 400],
      [() => importKey('.dot', KEYS.rsa), 'InvalidKeyPairName.Malformed', 400],
      [() => create('web-key'), 'KeyPair.AlreadyExist', 400],
      [() => importKey('web-key', KEYS.ed25519), 'KeyPair.AlreadyExist', 400],
      [() => importKey('bad-key', 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ'), 'InvalidPublicKeyBody.Malformed', 400],
      [() => importKey('bad-key', `ssh-rsa ${KEYS.ed25519.split(' ')[1]}`), 'InvalidPublicKeyBody.Malformed', 400],
      [() => importKey('bad-key', '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----'), 'InvalidPublicKeyBody.Malformed', 400],
      [() => importKey('bad-key', KEYS.ed25519Cert), 'InvalidPublicKeyBody.Malformed', 400],
      [() => importKey('bad-key', ''), 'MissingParameter', 400],
      [() => create('tagged', { tag: [new $Ecs.CreateKeyPairRequestTag({ key: 'aliyun-x', value: 'v' })] }), 'InvalidTagKey.Malformed', 400],
      [() => create('tagged', { tag: [new $Ecs.CreateKeyPairRequestTag({ key: 'k', value: 'acs:x' })] }), 'InvalidTagValue.Malformed', 400],
      [() => create('tagged', { tag: [new $Ecs.CreateKeyPairRequestTag({ key: 'k' }), new $Ecs.CreateKeyPairRequestTag({ key: 'k', value: '2' })] }), 'Duplicate.TagKey', 400],
    ];
    for (const [call, code, status] of cases) {
      const e = await expectEcsError(call);
      assert.deepEqual([e.code, e.statusCode], [code, status], `${code}: ${e.message}`);
    }
    assert.equal((await describe_({ keyPairName: 'tagged' })).body!.totalCount, 0, 'nothing was made by a refused call');
  });

  it('DescribeKeyPairs: * wildcards, paging (max 50), Tag.N and ResourceGroupId filters', async () => {
    const rg = await createResourceGroup(s, 'key-pair-paging');
    for (let i = 1; i <= 12; i++) {
      s.clock.advance(60_000);
      await importKey(`page-${String(i).padStart(2, '0')}`, KEYS.ed25519, {
        resourceGroupId: i <= 2 ? rg : undefined,
        tag: i % 3 === 0 ? [new $Ecs.ImportKeyPairRequestTag({ key: 'team', value: i % 2 ? 'odd' : 'even' })] : undefined,
      });
    }
    const names = async (extra: Record<string, unknown>) => (await describe_(extra)).body!.keyPairs!.keyPair!.map((k) => k.keyPairName);
    const first = (await describe_({ keyPairName: 'page-*' })).body!;
    assert.deepEqual([first.totalCount, first.pageNumber, first.pageSize], [12, 1, 10]);
    assert.deepEqual(first.keyPairs!.keyPair!.map((k) => k.keyPairName), Array.from({ length: 10 }, (_, i) => `page-${String(i + 1).padStart(2, '0')}`));
    assert.deepEqual(await names({ keyPairName: 'page-*', pageNumber: 2 }), ['page-11', 'page-12']);
    assert.deepEqual(await names({ keyPairName: 'page-*', pageSize: 5, pageNumber: 3 }), ['page-11', 'page-12']);
    assert.deepEqual(await names({ keyPairName: '*-1*' }), ['page-10', 'page-11', 'page-12']);
    assert.deepEqual(await names({ keyPairName: '*ge-0' }), []);
    assert.deepEqual(await names({ keyPairName: 'page-07' }), ['page-07']);
    assert.deepEqual(await names({ keyPairName: 'page-*', tag: [new $Ecs.DescribeKeyPairsRequestTag({ key: 'team' })] }), ['page-03', 'page-06', 'page-09', 'page-12']);
    assert.deepEqual(await names({ tag: [new $Ecs.DescribeKeyPairsRequestTag({ key: 'team', value: 'even' })] }), ['page-06', 'page-12']);
    assert.deepEqual(await names({ resourceGroupId: rg }), ['page-01', 'page-02']);
    assert.equal((await describe_({ keyPairName: 'page-01' })).body!.keyPairs!.keyPair![0]!.resourceGroupId, rg);
    assert.equal((await describe_({ pageSize: 50 })).body!.pageSize, 50);
    const e = await expectEcsError(() => describe_({ pageSize: 51 }));
    assert.equal(e.statusCode, 400);
  });

  it('AttachKeyPair binds Linux instances, reports Windows and unknown ones per instance, replaces the old key', async () => {
    const linux = await instance('linux');
    const stopped = await instance('linux', { stopped: true, keyPairName: 'imported-ed' });
    const win = await instance('windows');
    const r = (await attach('imported-rsa', [linux, stopped, win, 'i-doesnotexist0000000'])).body!;
    assert.deepEqual([r.keyPairName, r.totalCount, r.failCount], ['imported-rsa', '4', '2']);
    const byId = new Map(r.results!.result!.map((x) => [x.instanceId, x]));
    assert.deepEqual([byId.get(linux)!.code, byId.get(linux)!.success, byId.get(linux)!.message], ['200', 'true', 'successful']);
    assert.deepEqual([byId.get(stopped)!.code, byId.get(stopped)!.success], ['200', 'true']);
    assert.deepEqual([byId.get(win)!.code, byId.get(win)!.success], ['DependencyViolation.WindowsInstance', 'false']);
    assert.deepEqual([byId.get('i-doesnotexist0000000')!.code, byId.get('i-doesnotexist0000000')!.success], ['InvalidInstanceId.NotFound', 'false']);
    // Recorded now (the guest takes it at its next start or restart); the old key pair is replaced.
    assert.equal(await keyPairOf(linux), 'imported-rsa');
    assert.equal(await keyPairOf(stopped), 'imported-rsa');
    assert.equal(await keyPairOf(win), '');
    assert.equal(await passwordLogonDisabled(s.app.services.db, linux, 'imported-rsa'), true);
    assert.equal(await passwordLogonDisabled(s.app.services.db, win, ''), false);
  });

  it('AttachKeyPair/DetachKeyPair refusals: unknown key pair, bad InstanceIds, more than 50', async () => {
    const linux = await instance('linux');
    const many = Array.from({ length: 51 }, (_, i) => `i-${String(i).padStart(20, '0')}`);
    const cases: [() => Promise<unknown>, string, number][] = [
      [() => attach('no-such-key', [linux]), 'InvalidKeyPairName.NotFound', 400],
      [() => detach('no-such-key', [linux]), 'InvalidKeyPairName.NotFound', 400],
      [() => attach('imported-rsa', 'i-1,i-2'), 'InvalidInstanceIds.ValueNotSupported', 400],
      [() => attach('imported-rsa', []), 'InvalidInstanceIds.ValueNotSupported', 400],
      [() => detach('imported-rsa', '[1,2]'), 'InvalidInstanceIds.ValueNotSupported', 400],
      [() => attach('imported-rsa', many), 'InstanceKeyPairLimitExceeded', 403],
      [() => detach('imported-rsa', many), 'InstanceKeyPairLimitExceeded', 403],
    ];
    for (const [call, code, status] of cases) {
      const e = await expectEcsError(call);
      assert.deepEqual([e.code, e.statusCode], [code, status], `${code}: ${e.message}`);
    }
    assert.equal(await keyPairOf(linux), '');
  });

  it('DetachKeyPair unbinds (password logon back on), repeats harmlessly, leaves another key pair bound', async () => {
    const a = await instance('linux');
    const b = await instance('linux', { keyPairName: 'imported-ed' });
    const win = await instance('windows');
    await attach('imported-rsa', [a]);
    const r = (await detach('imported-rsa', [a, b, win])).body!;
    assert.deepEqual([r.totalCount, r.failCount], ['3', '2']);
    const byId = new Map(r.results!.result!.map((x) => [x.instanceId, x]));
    assert.equal(byId.get(a)!.success, 'true');
    assert.equal(byId.get(b)!.code, 'InvalidKeyPairName.NotFound');
    assert.equal(byId.get(win)!.code, 'DependencyViolation.WindowsInstance');
    assert.equal(await keyPairOf(a), '');
    assert.equal(await keyPairOf(b), 'imported-ed');
    assert.equal(await passwordLogonDisabled(s.app.services.db, a, ''), false);
    const again = (await detach('imported-rsa', [a])).body!;
    assert.deepEqual([again.totalCount, again.failCount, again.results!.result![0]!.success], ['1', '0', 'true']);
  });

  it('DeleteKeyPairs deletes several, skips unknown names, refuses one bound to an instance', async () => {
    await importKey('del-1', KEYS.ed25519, { tag: [new $Ecs.ImportKeyPairRequestTag({ key: 'gone', value: 'soon' })] });
    await importKey('del-2', KEYS.dsa);
    await importKey('del-bound', KEYS.ecdsa384);
    const bound = await instance('linux');
    await attach('del-bound', [bound]);
    let e = await expectEcsError(() => remove(['del-1', 'del-bound']));
    assert.deepEqual([e.code, e.statusCode], ['InvalidParameter.KeypairAlreadyAttachedInstance', 400]);
    assert.equal((await describe_({ keyPairName: 'del-*' })).body!.totalCount, 3, 'a refused delete deletes nothing');
    await remove(['del-1', 'del-2', 'never-existed']);
    assert.deepEqual((await describe_({ keyPairName: 'del-*' })).body!.keyPairs!.keyPair!.map((k) => k.keyPairName), ['del-bound']);
    const tagRows = await s.app.services.db.selectFrom('tags').select('key').where('key', '=', 'gone').execute();
    assert.equal(tagRows.length, 0, 'tags of a deleted key pair go with it');
    // Once unbound it can go; the instance of a released (deleted) instance does not hold it either.
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: bound, force: true }));
    await s.settle();
    await remove(['del-bound']);
    assert.equal((await describe_({ keyPairName: 'del-*' })).body!.totalCount, 0);
    // The name is free again.
    assert.equal((await importKey('del-1', KEYS.ed25519)).body!.keyPairName, 'del-1');
    const cases: [unknown, string, number][] = [
      ['del-1', 'InvalidKeyPairNames.ValueNotSupported', 400],
      [[], 'InvalidKeyPairNames.ValueNotSupported', 400],
      [Array.from({ length: 101 }, (_, i) => `k${i}`), 'InstanceKeyPairLimitExceeded', 403],
    ];
    for (const [names, code, status] of cases) {
      e = await expectEcsError(() => remove(names));
      assert.deepEqual([e.code, e.statusCode], [code, status]);
    }
    e = await expectEcsError(() => s.pop.request('DeleteKeyPairs', { RegionId: R }, { method: 'POST' }));
    assert.equal(e.code, 'MissingParameter');
  });

  it('500 key pairs per account per region, then QuotaExceed.KeyPair 403; the root can change the quota', async () => {
    const acct = await createAccount(s.app.services.db, 'quota-tenant', s.clock.now());
    const c = s.clients(acct);
    const rows = Array.from({ length: 500 }, (_, i) => ({
      id: newId('ssh-'), account_id: acct.accountId, region_id: R, name: `q${i}`, fingerprint: ED_FP, key_type: 'ssh-ed25519',
      public_key: KEYS.ed25519, authorized_key: KEYS.ed25519, resource_group_id: '', created_at: s.clock.now(),
    }));
    for (let i = 0; i < rows.length; i += 100) await s.app.services.db.insertInto('key_pairs').values(rows.slice(i, i + 100)).execute();
    let e = await expectEcsError(() => c.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: R, keyPairName: 'q500', publicKeyBody: KEYS.rsa })));
    assert.deepEqual([e.code, e.statusCode], ['QuotaExceed.KeyPair', 403]);
    e = await expectEcsError(() => c.ecs.createKeyPair(new $Ecs.CreateKeyPairRequest({ regionId: R, keyPairName: 'q500' })));
    assert.deepEqual([e.code, e.statusCode], ['QuotaExceed.KeyPair', 403]);
    // Another region has its own 500.
    assert.equal((await c.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: 'cn-beijing', keyPairName: 'q500', publicKeyBody: KEYS.rsa }))).body!.keyPairName, 'q500');
    await s.app.services.db.insertInto('quotas').values({ account_id: acct.accountId, name: 'key-pairs-per-region', value: 501 }).execute();
    assert.equal((await c.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: R, keyPairName: 'q500', publicKeyBody: KEYS.rsa }))).body!.keyPairName, 'q500');
  });

  it('tenants do not see, bind, or delete each other\'s key pairs; names are per account', async () => {
    const other = await tenant('kp-tenant');
    const c = clientsOf(other.accountId);
    assert.equal((await c.ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: R }))).body!.totalCount, 0);
    // The same name in another account is fine.
    assert.equal((await c.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: R, keyPairName: 'web-key', publicKeyBody: KEYS.rsa }))).body!.keyPairFingerPrint, RSA_FP);
    const mine = await instance('linux');
    const theirs = await instance('linux', { accountId: other.accountId });
    // My key pair name resolves to theirs in their account only; my instance is unknown to them.
    const r = (await c.ecs.attachKeyPair(new $Ecs.AttachKeyPairRequest({ regionId: R, keyPairName: 'web-key', instanceIds: JSON.stringify([mine, theirs]) }))).body!;
    const byId = new Map(r.results!.result!.map((x) => [x.instanceId, x.code]));
    assert.deepEqual([byId.get(mine), byId.get(theirs)], ['InvalidInstanceId.NotFound', '200']);
    assert.equal(await keyPairOf(mine), '');
    let e = await expectEcsError(() => c.ecs.attachKeyPair(new $Ecs.AttachKeyPairRequest({ regionId: R, keyPairName: 'imported-rsa', instanceIds: JSON.stringify([theirs]) })));
    assert.equal(e.code, 'InvalidKeyPairName.NotFound');
    await c.ecs.deleteKeyPairs(new $Ecs.DeleteKeyPairsRequest({ regionId: R, keyPairNames: JSON.stringify(['imported-rsa']) }));
    assert.equal((await describe_({ keyPairName: 'imported-rsa' })).body!.totalCount, 1, 'their delete cannot touch my key pair');
    e = await expectEcsError(() => c.ecs.deleteKeyPairs(new $Ecs.DeleteKeyPairsRequest({ regionId: R, keyPairNames: JSON.stringify(['web-key']) })));
    assert.equal(e.code, 'InvalidParameter.KeypairAlreadyAttachedInstance');
    assert.equal((await describe_({ keyPairName: 'web-key' })).body!.totalCount, 1);
  });

  it('key pairs are per region', async () => {
    assert.equal((await s.ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: 'cn-shanghai' }))).body!.totalCount, 0);
    assert.equal((await s.ecs.importKeyPair(new $Ecs.ImportKeyPairRequest({ regionId: 'cn-shanghai', keyPairName: 'web-key', publicKeyBody: KEYS.rsa }))).body!.keyPairName, 'web-key');
    const e = await expectEcsError(() => s.ecs.describeKeyPairs(new $Ecs.DescribeKeyPairsRequest({ regionId: 'cn-nowhere' })));
    assert.equal(e.statusCode, 404);
  });
});
