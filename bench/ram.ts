/**
 * RAM benchmark (issue 13 "Done when"): DescribeInstances throughput for a RAM user holding 10
 * custom policies of 10 statements each, as a ratio to the account root in the same run (target
 * ≥ 0.9). One server process (sim driver, SQLite in a temporary data dir, or PostgreSQL with
 * OPENECS_BENCH_DATABASE_URL), filled through the API; root and user are measured in turns over
 * the same pages, with the read cache and without it.
 *
 * Run: npx tsx bench/ram.ts
 *   OPENECS_BENCH_INSTANCES=1000   instances in the store
 *   OPENECS_BENCH_REQUESTS=800     DescribeInstances requests per measurement with the read cache
 *   OPENECS_BENCH_UNCACHED_REQUESTS=200   … and without it
 *   OPENECS_BENCH_ROUNDS=6         measurements of each identity, in alternating order
 *   OPENECS_BENCH_CONCURRENCY=8
 *   OPENECS_BENCH_DATABASE_URL=postgres://…   a fresh PostgreSQL database instead of SQLite
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load, type LoadResult } from './load.js';
import { AK, SECRET } from '../test/helpers/server.js';
import { freePort, spawnServer, type ServerProcess } from '../test/helpers/process.js';
import { v2Sign, v2StringToSign } from '../src/api/signature.js';

const INSTANCES = Number(process.env.OPENECS_BENCH_INSTANCES ?? 1000);
const REQUESTS = Number(process.env.OPENECS_BENCH_REQUESTS ?? 800);
const UNCACHED_REQUESTS = Number(process.env.OPENECS_BENCH_UNCACHED_REQUESTS ?? 200);
const ROUNDS = Number(process.env.OPENECS_BENCH_ROUNDS ?? 6);
const CONCURRENCY = Number(process.env.OPENECS_BENCH_CONCURRENCY ?? 8);
const REGION = 'cn-hangzhou';
const TARGET = 0.9;
const log = (m: string) => console.error(`[bench:ram] ${m}`);

interface Creds { id: string; secret: string }
const root: Creds = { id: AK, secret: SECRET };

let nonce = 0;
function signedUrl(base: string, creds: Creds, version: string, params: Record<string, string>): string {
  const all: Record<string, string> = {
    Format: 'JSON', Version: version, AccessKeyId: creds.id, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    SignatureNonce: `ram-bench-${process.pid}-${++nonce}`, Timestamp: new Date().toISOString().slice(0, 19) + 'Z', ...params,
  };
  all.Signature = v2Sign(v2StringToSign('GET', all), creds.secret);
  return `${base}/?${new URLSearchParams(all)}`;
}

async function call(base: string, creds: Creds, version: string, params: Record<string, string>): Promise<any> {
  const res = await fetch(signedUrl(base, creds, version, params));
  const body = await res.json();
  if (res.status !== 200) throw new Error(`${params.Action}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}
const ecs = (base: string, creds: Creds, params: Record<string, string>) => call(base, creds, '2014-05-26', params);
const ram = (base: string, params: Record<string, string>) => call(base, root, '2015-05-01', params);

/**
 * Ten policies of ten statements, as a team's would look: Allows and Denies over ECS, VPC and RAM
 * actions, resource ARNs, tag and network conditions on the writes; the reads allowed on `*`.
 */
function policies(accountId: string): string[] {
  const out: string[] = [];
  for (let p = 0; p < 10; p++) {
    const statements: unknown[] = [];
    for (let s = 0; s < 10; s++) {
      const k = p * 10 + s;
      if (k === 0) statements.push({ Effect: 'Allow', Action: ['ecs:Describe*', 'vpc:Describe*'], Resource: '*' });
      else if (k % 7 === 0) statements.push({ Effect: 'Deny', Action: [`ecs:Delete${['Instance', 'Disk', 'Snapshot'][k % 3]}`], Resource: `acs:ecs:*:${accountId}:*/*` });
      else if (k % 5 === 0) statements.push({ Effect: 'Allow', Action: 'ecs:StartInstance', Resource: `acs:ecs:${REGION}:${accountId}:instance/*`, Condition: { StringEquals: { 'acs:ResourceTag/team': `t${k}` } } });
      else if (k % 3 === 0) statements.push({ Effect: 'Allow', Action: ['vpc:CreateVSwitch', 'vpc:DeleteVSwitch'], Resource: `acs:vpc:*:${accountId}:vswitch/vsw-${k}*` });
      else statements.push({ Effect: 'Allow', Action: [`ecs:Modify${['InstanceAttribute', 'DiskAttribute', 'SnapshotAttribute'][k % 3]}`], Resource: `acs:ecs:*:${accountId}:*/*-${k}` });
    }
    out.push(JSON.stringify({ Version: '1', Statement: statements }));
  }
  return out;
}

async function fill(base: string): Promise<void> {
  const zoneId = (await ecs(base, root, { Action: 'DescribeZones', RegionId: REGION })).Zones.Zone[0].ZoneId;
  const vpcId = (await call(base, root, '2016-04-28', { Action: 'CreateVpc', RegionId: REGION, CidrBlock: '10.0.0.0/8' })).VpcId;
  const vswId = (await call(base, root, '2016-04-28', { Action: 'CreateVSwitch', RegionId: REGION, VpcId: vpcId, ZoneId: zoneId, CidrBlock: '10.0.0.0/16' })).VSwitchId;
  const sgId = (await ecs(base, root, { Action: 'CreateSecurityGroup', RegionId: REGION, VpcId: vpcId })).SecurityGroupId;
  const images = (await ecs(base, root, { Action: 'DescribeImages', RegionId: REGION, ImageOwnerAlias: 'system', PageSize: '100' })).Images.Image;
  const imageId = images.find((i: any) => i.OSType === 'linux').ImageId;
  for (let i = 0; i < INSTANCES / 100; i++) {
    await ecs(base, root, {
      Action: 'RunInstances', RegionId: REGION, ImageId: imageId, InstanceType: 'ecs.g7.large', VSwitchId: vswId,
      SecurityGroupId: sgId, Amount: '100', 'Tag.1.Key': 'team', 'Tag.1.Value': `t${i % 10}`,
    });
  }
}

async function ramUser(base: string): Promise<Creds> {
  const accountId = (await call(base, root, '2015-04-01', { Action: 'GetCallerIdentity' })).AccountId;
  await ram(base, { Action: 'CreateUser', UserName: 'bench' });
  const docs = policies(accountId);
  for (const [i, d] of docs.entries()) {
    await ram(base, { Action: 'CreatePolicy', PolicyName: `bench-${i}`, PolicyDocument: d });
    await ram(base, { Action: 'AttachPolicyToUser', UserName: 'bench', PolicyType: 'Custom', PolicyName: `bench-${i}` });
  }
  const k = (await ram(base, { Action: 'CreateAccessKey', UserName: 'bench' })).AccessKey;
  return { id: k.AccessKeyId, secret: k.AccessKeySecret };
}

async function measure(base: string, creds: Creds, requests: number): Promise<LoadResult> {
  const pages = Math.max(1, Math.ceil(INSTANCES / 100));
  const url = (i: number) => signedUrl(base, creds, '2014-05-26', { Action: 'DescribeInstances', RegionId: REGION, PageSize: '100', PageNumber: String((i % pages) + 1) });
  await load(Array.from({ length: Math.min(pages, requests) }, (_, i) => url(i)), CONCURRENCY);
  const r = await load(Array.from({ length: requests }, (_, i) => url(i)), CONCURRENCY);
  if (r.errors) throw new Error(`${r.errors} DescribeInstances calls failed`);
  return r;
}

/**
 * Root and user in ROUNDS rounds, the order swapped every round so that a machine getting busier
 * or quieter during the run weighs on both alike; the ratio is of their throughputs over all rounds.
 */
async function compare(base: string, user: Creds, label: string, requests: number): Promise<number> {
  const total = { root: { n: 0, s: 0 }, user: { n: 0, s: 0 } };
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? (['root', 'user'] as const) : (['user', 'root'] as const);
    for (const who of order) {
      const r = await measure(base, who === 'root' ? root : user, requests);
      total[who].n += r.requests;
      total[who].s += r.seconds;
      log(`${label} ${who} round ${round + 1}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50ms.toFixed(2)} ms`);
    }
  }
  const rps = { root: total.root.n / total.root.s, user: total.user.n / total.user.s };
  const ratio = rps.user / rps.root;
  console.log(`${label}: root ${rps.root.toFixed(0)} req/s, RAM user (10 policies x 10 statements) ${rps.user.toFixed(0)} req/s, ratio ${ratio.toFixed(2)} (target >= ${TARGET}) ${ratio >= TARGET ? 'OK' : 'BELOW TARGET'}`);
  return ratio;
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'openecs-ram-bench-'));
  const port = await freePort();
  const env = (cache: boolean): Record<string, string> => ({
    OPENECS_DATA_DIR: dataDir, OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET, OPENECS_SIM_DELAY_MS: '3600000',
    ...(process.env.OPENECS_BENCH_DATABASE_URL ? { OPENECS_DATABASE_URL: process.env.OPENECS_BENCH_DATABASE_URL } : {}),
    ...(cache ? {} : { OPENECS_READ_CACHE_MB: '0' }),
  });
  let server: ServerProcess | undefined;
  try {
    server = await spawnServer(env(true), port);
    log(`filling ${INSTANCES} instances`);
    await fill(server.url);
    const user = await ramUser(server.url);
    // Let the engine take its first look at the new instances before measuring.
    await new Promise((r) => setTimeout(r, 3000));
    const cached = await compare(server.url, user, 'DescribeInstances, read cache on', REQUESTS);
    await server.stop();
    server = await spawnServer(env(false), port);
    const uncached = await compare(server.url, user, 'DescribeInstances, read cache off', UNCACHED_REQUESTS);
    process.exitCode = Math.min(cached, uncached) >= TARGET ? 0 : 1;
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
