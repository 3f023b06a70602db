/**
 * Secrets at rest (issue 16 point 5), against a real `openecs serve` with request logging on:
 * calls that carry or answer secrets — AccessKeys (RAM, OpenECS), console passwords and the
 * sign-in's session, AssumeRole, instance and VNC passwords, a key pair's private key, a refused
 * signature echoing a password — leave none of them in the server's output, in the audit trail
 * or anywhere in the database in clear (every text column of every table is scanned), while the
 * sealed keys still sign. Also: a store written before secrets were sealed is sealed at start and
 * keeps working; a replica given another server key refuses to start; the data dir and its
 * secret files are made owner-only. On PostgreSQL too with OPENECS_TEST_DATABASE_URL.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import PopCore from '@alicloud/pop-core';
import * as $OpenApi from '@alicloud/openapi-core';
import OpenApiCore from '@alicloud/openapi-core';
import { $Ecs, AK, SECRET, makeClients } from '../helpers/server.js';
import { $Sts, ramClient, stsClient } from '../helpers/ram.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { freePort, spawnServer, type ServerProcess } from '../helpers/process.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from '../helpers/pg.js';
import { v2Request } from '../helpers/raw.js';
import { connectStore, migrator, openStore, type Db } from '../../src/store/db.js';
import { createApp } from '../../src/app.js';
import { configFromEnv, type Config } from '../../src/config.js';
import { ManualClock } from '../../src/engine/clock.js';
import { Sealer } from '../../src/auth/secrets.js';
import { checkDataDirPermissions } from '../../src/auth/data-dir.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
const OpenApiClient: typeof OpenApiCore.default = (OpenApiCore as any).default ?? OpenApiCore;
const R = 'cn-hangzhou';
const cluster = testDatabaseCluster();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const tag = () => randomBytes(6).toString('hex');

/** Every value of every row of every table, as text, with where it was found. */
async function everyValue(db: Db): Promise<{ where: string; text: string }[]> {
  const out: { where: string; text: string }[] = [];
  const tables = await db.introspection.getTables();
  assert.ok(tables.length > 30, `${tables.length} tables`);
  for (const t of tables) {
    const rows = await (db as any).selectFrom(t.name).selectAll().execute() as Record<string, unknown>[];
    for (const row of rows) {
      for (const [col, v] of Object.entries(row)) {
        if (v === null || v === undefined) continue;
        out.push({ where: `${t.name}.${col}`, text: Buffer.isBuffer(v) ? v.toString('latin1') : String(v) });
      }
    }
  }
  return out;
}

function leaks(haystack: { where: string; text: string }[], secrets: Record<string, string>): string[] {
  const found: string[] = [];
  for (const [name, secret] of Object.entries(secrets)) {
    for (const h of haystack) if (h.text.includes(secret)) found.push(`${name} in ${h.where}`);
  }
  return found;
}

describe('secrets are never logged, audited or stored in clear', () => {
  let root: string;
  let dataDir: string;
  let database: TestDatabase | undefined;
  let server: ServerProcess;
  /** Each secret the calls below send or receive, by what it is. */
  const secrets: Record<string, string> = { 'root AccessKeySecret': SECRET };

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'openecs-secrets-'));
    dataDir = join(root, 'data'); // made by the server
    if (cluster) database = await createTestDatabase(cluster);
    server = await spawnServer({
      OPENECS_DATA_DIR: dataDir, OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET, OPENECS_LOG_REQUESTS: '1',
      OPENECS_SIM_DELAY_MS: '100', OPENECS_DRIVER: 'sim', ...(database ? { OPENECS_DATABASE_URL: database.url } : {}),
    }, await freePort());
  });
  after(async () => {
    await server?.stop().catch(() => undefined);
    await database?.drop();
    rmSync(root, { recursive: true, force: true });
  });

  it('drives the calls that carry secrets, and the sealed keys still sign', async () => {
    const url = server.url;
    const root = { accessKeyId: AK, accessKeySecret: SECRET };
    const ram = ramClient(url, root);
    const { ecs, ecsV2, vpc } = makeClients(url, root);
    const accountId = (await stsClient(url, root).getCallerIdentity()).body!.accountId!;

    // RAM: a user's AccessKey, its console password (set, then changed), the sign-in's session.
    await ram.call('CreateUser', { UserName: 'alice' });
    for (const p of ['AliyunECSReadOnlyAccess', 'AliyunSTSAssumeRoleAccess']) await ram.call('AttachPolicyToUser', { UserName: 'alice', PolicyType: 'System', PolicyName: p });
    const key = (await ram.call('CreateAccessKey', { UserName: 'alice' })).AccessKey;
    secrets['RAM user AccessKeySecret'] = key.AccessKeySecret;
    const alice = { accessKeyId: key.AccessKeyId, accessKeySecret: key.AccessKeySecret };
    secrets['login password'] = `Lp${tag()}!a`;
    await ram.call('CreateLoginProfile', { UserName: 'alice', Password: secrets['login password'] });
    secrets['changed login password'] = `Lq${tag()}!b`;
    await ram.call('UpdateLoginProfile', { UserName: 'alice', Password: secrets['changed login password'] });
    const anonymous = new OpenApiClient(new $OpenApi.$OpenApiUtil.Config({ endpoint: new URL(url).host, protocol: 'http', regionId: R }));
    const signIn = (await anonymous.callApi(new $OpenApi.$OpenApiUtil.Params({
      action: 'SignInWithPassword', version: '2026-11-01', protocol: 'HTTP', pathname: '/', method: 'POST', authType: 'Anonymous', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
    }), new $OpenApi.$OpenApiUtil.OpenApiRequest({ query: $OpenApi.OpenApiUtil.query({ PrincipalName: `alice@${accountId}`, Password: secrets['changed login password']! }) }), {} as any)).body as any;
    secrets['sign-in session secret'] = signIn.Credentials.AccessKeySecret;
    secrets['sign-in session token'] = signIn.Credentials.SecurityToken;

    // STS: AssumeRole's temporary credentials.
    await ram.call('CreateRole', {
      RoleName: 'Reader', AssumeRolePolicyDocument: JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: [`acs:ram::${accountId}:root`] } }] }),
    });
    await ram.call('AttachPolicyToRole', { RoleName: 'Reader', PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
    const assumed = (await stsClient(url, alice).assumeRole(new $Sts.AssumeRoleRequest({ roleArn: `acs:ram::${accountId}:role/reader`, roleSessionName: 's1' }))).body!.credentials!;
    secrets['AssumeRole secret'] = assumed.accessKeySecret!;
    secrets['AssumeRole token'] = assumed.securityToken!;

    // OpenECS: an account and an AccessKey made by the extension actions.
    const ext = new Pop({ ...root, endpoint: url, apiVersion: '2026-11-01' });
    const made: any = await ext.request('CreateAccount', { AccountName: `acct-${tag()}` }, { method: 'POST' });
    secrets['CreateAccount AccessKeySecret'] = made.AccessKeySecret;
    const extra: any = await ext.request('CreateAccessKey', {}, { method: 'POST' });
    secrets['CreateAccessKey AccessKeySecret'] = extra.AccessKeySecret;

    // ECS: instance passwords (V3 puts them in the URL; pop-core GET too), the VNC password, a private key.
    const n = await createNetwork({ ecs, vpc }, R);
    secrets['RunInstances password'] = `Ec${tag()}!Z9`;
    const id = (await ecs.runInstances(runRequest(n, { password: secrets['RunInstances password'] }))).body!.instanceIdSets!.instanceIdSet![0]!;
    secrets['ModifyInstanceAttribute password'] = `Em${tag()}#Y8`;
    await new Pop({ ...root, endpoint: url, apiVersion: '2014-05-26' }).request('ModifyInstanceAttribute', { RegionId: R, InstanceId: id, Password: secrets['ModifyInstanceAttribute password'] }, { method: 'GET' });
    for (let i = 0; i < 100; i++) {
      const st = (await ecs.describeInstanceStatus(new $Ecs.DescribeInstanceStatusRequest({ regionId: R, instanceId: [id] }))).body!.instanceStatuses!.instanceStatus![0]!.status;
      if (st === 'Running') break;
      await sleep(100);
    }
    const pick = (set: string, k: number) => [...randomBytes(k)].map((b) => set[b % set.length]).join('');
    secrets['VNC password'] = 'V' + pick('abcdefghijkmnpqrstuvwxyz', 2) + pick('0123456789', 3);
    await ecs.modifyInstanceVncPasswd(new $Ecs.ModifyInstanceVncPasswdRequest({ regionId: R, instanceId: id, vncPassword: secrets['VNC password'] }));
    const pair = (await ecsV2.createKeyPair(new $Ecs.CreateKeyPairRequest({ regionId: R, keyPairName: `kp-${tag()}` }))).body!;
    const pem = pair.privateKeyBody!.split('\n').filter((l) => l && !l.startsWith('-----'));
    secrets['private key (a middle line)'] = pem[Math.floor(pem.length / 2)]!;

    // A request whose signature does not match: the answer quotes the string to sign, password and all.
    secrets['password in a refused request'] = `Eb${tag()}$X7`;
    const refused = await v2Request(url, 'ModifyInstanceAttribute', { RegionId: R, InstanceId: id, Password: secrets['password in a refused request'] }, { secret: 'not-the-secret' });
    assert.equal(refused.status, 400);
    assert.equal(refused.json?.Code, 'SignatureDoesNotMatch');

    // The sealed keys sign: the RAM user's, the sign-in session's, AssumeRole's, the extension's.
    await makeClients(url, alice).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const session = { accessKeyId: signIn.Credentials.AccessKeyId, accessKeySecret: signIn.Credentials.AccessKeySecret, securityToken: signIn.Credentials.SecurityToken };
    assert.equal((await stsClient(url, session).getCallerIdentity()).body!.identityType, 'RAMUser');
    const role = { accessKeyId: assumed.accessKeyId!, accessKeySecret: assumed.accessKeySecret!, securityToken: assumed.securityToken! };
    assert.equal((await stsClient(url, role).getCallerIdentity()).body!.identityType, 'AssumedRoleUser');
    await makeClients(url, { accessKeyId: extra.AccessKeyId, accessKeySecret: extra.AccessKeySecret }).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    assert.equal(Object.keys(secrets).length, 15);
    for (const [name, v] of Object.entries(secrets)) assert.ok(v && v.length >= 6, `${name}: ${v}`);
  });

  it('leaves no secret in the server\'s output', async () => {
    await server.stop(); // an orderly stop writes the audit events still buffered
    const out = server.output();
    assert.match(out, /incoming request/, 'requests were logged');
    assert.match(out, /Password=\*{6}/, 'a logged URL shows the password masked');
    assert.deepEqual(leaks([{ where: 'output', text: out }], secrets), []);
  });

  it('leaves no secret in the audit trail, and the trail shows each was given', async () => {
    const db = await openStore({ dataDir, databaseUrl: database?.url });
    try {
      const rows = await db.selectFrom('audit_events').selectAll().execute();
      const byName = (n: string) => rows.filter((r) => r.event_name === n);
      for (const n of ['CreateLoginProfile', 'UpdateLoginProfile', 'RunInstances', 'ModifyInstanceVncPasswd']) {
        const e = byName(n);
        assert.ok(e.length >= 1, n);
        const params = JSON.parse(e[0]!.request_parameters);
        assert.equal(params.Password ?? params.VncPassword, '******', n);
      }
      const refused = rows.find((r) => r.error_code === 'SignatureDoesNotMatch');
      assert.ok(refused, 'the refused call is in the trail');
      assert.match(refused.error_message, /server string to sign is:.*\*{6}/);
      assert.ok(byName('CreateAccessKey').length >= 2 && byName('AssumeRole').length === 1 && byName('CreateKeyPair').length === 1);
      assert.deepEqual(leaks(rows.flatMap((r) => Object.entries(r).map(([c, v]) => ({ where: `audit_events.${c}`, text: String(v) }))), secrets), []);
    } finally {
      await db.destroy();
    }
  });

  it('leaves no secret in clear anywhere in the database; the secret columns are sealed', async () => {
    const db = await openStore({ dataDir, databaseUrl: database?.url });
    try {
      assert.deepEqual(leaks(await everyValue(db), secrets), []);
      const keys = await db.selectFrom('access_keys').select(['id', 'secret']).execute();
      assert.ok(keys.length >= 4);
      for (const k of keys) assert.ok(Sealer.isSealed(k.secret), k.id);
      const sessions = await db.selectFrom('sts_sessions').select(['access_key_id', 'secret', 'security_token']).execute();
      assert.ok(sessions.length >= 2);
      for (const s of sessions) assert.ok(Sealer.isSealed(s.secret) && Sealer.isSealed(s.security_token), s.access_key_id);
      const inst = await db.selectFrom('instances').select(['password_sealed', 'vnc_password_sealed']).execute();
      assert.ok(inst.every((i) => Sealer.isSealed(i.password_sealed) && Sealer.isSealed(i.vnc_password_sealed)));
      // Opened with the data dir's key they are what was sent.
      const sealer = Sealer.forDataDir(dataDir);
      assert.ok(keys.some((k) => sealer.open(k.secret) === secrets['RAM user AccessKeySecret']));
      assert.equal(sealer.open(inst[0]!.vnc_password_sealed), secrets['VNC password']);
    } finally {
      await db.destroy();
    }
  });

  it('made the data dir and its secret files owner-only', () => {
    const r = checkDataDirPermissions(dataDir);
    assert.deepEqual(r.problems, []);
    const checked = r.checked.map((c) => c.path.slice(dataDir.length));
    for (const f of ['', '/server.key', '/tls', '/tls/server-key.pem', ...(database ? [] : ['/openecs.db'])]) assert.ok(checked.includes(f), `${f || 'the data dir'} checked: ${checked.join(' ')}`);
  });
});

describe('a store written before secrets were sealed', () => {
  let dir: string;
  let database: TestDatabase | undefined;
  const OLD_KEY = { id: 'LTAIoldplainkey000000001', secret: 'oldPlainSecretKeptInClear000001' };
  const STS = { id: 'STS.oldsession00000000000001', secret: 'oldStsSecretKeptInClear00000000000000000001', token: 'CAIS' + randomBytes(60).toString('base64') };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'openecs-unsealed-'));
    if (cluster) database = await createTestDatabase(cluster);
  });
  after(async () => {
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const config = (): Config => ({
    ...configFromEnv({}), dataDir: dir, databaseUrl: database?.url, port: 0, accessKeyId: AK, accessKeySecret: SECRET, tls: { enabled: false },
  });
  const clock = () => new ManualClock(Date.parse('2026-11-23T06:00:00Z'));

  it('is sealed at the first start, in clear nowhere after, and its keys still sign', async () => {
    // The schema as the previous version left it, with secrets in clear.
    const old = await connectStore({ dataDir: dir, databaseUrl: database?.url });
    try {
      const { error } = await migrator(old).migrateTo('0021_fault_rules');
      assert.equal(error, undefined);
      const now = Date.parse('2026-11-23T05:00:00Z');
      await old.insertInto('accounts').values({ id: '1000000000000001', name: 'root', is_admin: 1, created_at: now }).execute();
      await old.insertInto('access_keys').values([
        { id: AK, secret: SECRET, account_id: '1000000000000001', status: 'Active', created_at: now },
        { id: OLD_KEY.id, secret: OLD_KEY.secret, account_id: '1000000000000001', status: 'Active', created_at: now + 1 },
      ]).execute();
      await old.insertInto('sts_sessions').values({
        access_key_id: STS.id, secret: STS.secret, security_token: STS.token, account_id: '1000000000000001', role_id: '300000000000000001',
        role_name: 'gone', session_name: 's', policy: '', created_at: now, expires_at: now + 3600_000,
      }).execute();
    } finally {
      await old.destroy();
    }

    const app = await createApp(config(), { clock: clock(), startEngine: false });
    try {
      const url = await app.listen();
      await makeClients(url, { accessKeyId: OLD_KEY.id, accessKeySecret: OLD_KEY.secret }).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      await makeClients(url, { accessKeyId: AK, accessKeySecret: SECRET }).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      const db = app.services.db;
      assert.deepEqual(leaks(await everyValue(db), { old: OLD_KEY.secret, root: SECRET, sts: STS.secret, token: STS.token }), []);
      const session = await db.selectFrom('sts_sessions').selectAll().where('access_key_id', '=', STS.id).executeTakeFirstOrThrow();
      assert.equal(app.services.sealer.open(session.secret), STS.secret);
      assert.equal(app.services.sealer.open(session.security_token), STS.token);
      const marker = await db.selectFrom('sealed_store').selectAll().execute();
      assert.equal(marker.length, 1);
    } finally {
      await app.close();
    }

    // A restart with the same key finds the store sealed and changes nothing.
    const again = await createApp(config(), { clock: clock(), startEngine: false });
    try {
      const url = await again.listen();
      await makeClients(url, { accessKeyId: OLD_KEY.id, accessKeySecret: OLD_KEY.secret }).ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    } finally {
      await again.close();
    }
  });

  it('refuses to start with another server key, saying which setting fixes it', async () => {
    await assert.rejects(
      createApp(config(), { clock: clock(), startEngine: false, sealer: new Sealer(randomBytes(32)) }),
      /server key does not open this store's secrets.*OPENECS_SERVER_KEY_FILE/,
    );
  });
});
