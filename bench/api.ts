/**
 * API benchmark: RunInstances (Amount=100) until 10,000 instances exist, then DescribeInstances
 * (100 per page) — each beside a bare HTTP handler serving the same response bytes, measured in
 * the same run, reported as ratios (these machines are noisy; absolute numbers are not compared).
 * DescribeInstances is measured twice: as served (pages repeat while nothing changes, so the read
 * cache answers) and by a server on the same store with the read cache off.
 * Run: npm run bench   (OPENECS_BENCH_INSTANCES=2000 for a quicker run)
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { $Ecs, AK, SECRET, makeClients } from '../test/helpers/server.js';
import { createNetwork } from '../test/helpers/fixtures.js';
import { freePort, spawnServer } from '../test/helpers/process.js';
import { v2Sign, v2StringToSign } from '../src/api/signature.js';
import { load, type LoadResult } from './load.js';

const TOTAL = Number(process.env.OPENECS_BENCH_INSTANCES ?? 10_000);
const CONCURRENCY = Number(process.env.OPENECS_BENCH_CONCURRENCY ?? 8);
const DESCRIBE_REQUESTS = Number(process.env.OPENECS_BENCH_REQUESTS ?? 1500);

let nonce = 0;
function signedUrl(base: string, params: Record<string, string>): string {
  const all: Record<string, string> = {
    Format: 'JSON', Version: '2014-05-26', AccessKeyId: AK, SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0',
    SignatureNonce: `bench-${process.pid}-${++nonce}`, Timestamp: new Date().toISOString().slice(0, 19) + 'Z', ...params,
  };
  all.Signature = v2Sign(v2StringToSign('GET', all), SECRET);
  return `${base}/?${new URLSearchParams(all)}`;
}

async function startBare(body: string): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const file = join(mkdtempSync(join(tmpdir(), 'openecs-bare-')), 'body.json');
  writeFileSync(file, body);
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./bare-server.ts', import.meta.url))], {
    env: { ...process.env, PORT: String(port), BARE_BODY_FILE: file }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve) => child.stdout!.on('data', (d) => { if (String(d).includes('listening')) resolve(); }));
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGKILL') };
}

function row(name: string, ours: LoadResult, bare: LoadResult) {
  return {
    benchmark: name,
    'ours rps': ours.rps.toFixed(1), 'bare rps': bare.rps.toFixed(1), 'throughput ratio': (ours.rps / bare.rps).toFixed(3),
    'ours p50 ms': ours.p50ms.toFixed(2), 'bare p50 ms': bare.p50ms.toFixed(2), 'ours p95 ms': ours.p95ms.toFixed(2),
    errors: ours.errors,
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'openecs-bench-'));
  const port = await freePort();
  // A long sim delay keeps the engine quiet while we measure the API.
  // OPENECS_BENCH_PROFILE=DIR writes a V8 CPU profile of the server there.
  const profile = process.env.OPENECS_BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.OPENECS_BENCH_PROFILE}`] : [];
  const serverEnv = { OPENECS_DATA_DIR: dir, OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET, OPENECS_SIM_DELAY_MS: '3600000' };
  let server = await spawnServer(serverEnv, port, profile);
  try {
    const c = makeClients(server.url, { accessKeyId: AK, accessKeySecret: SECRET });
    const n = await createNetwork(c, 'cn-hangzhou', '10.0.0.0/8', '10.0.0.0/16');
    // A basic group holds 2,000 addresses (security guide §1.2); an advanced one takes all 10,000.
    n.securityGroupId = (await c.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: 'cn-hangzhou', vpcId: n.vpcId, securityGroupType: 'enterprise' }))).body!.securityGroupId!;
    const runParams = (i: number): Record<string, string> => ({
      Action: 'RunInstances', RegionId: 'cn-hangzhou', ImageId: n.imageId, InstanceType: 'ecs.g7.large', VSwitchId: n.vswitchId,
      SecurityGroupId: n.securityGroupId, Amount: '100', InstanceName: `bench-${i}-[1,3]`, 'Tag.1.Key': 'bench', 'Tag.1.Value': String(i % 10),
    });
    // RunInstances: sequential batches of 100 (as Terraform/automation would), 1 connection.
    const runUrls = Array.from({ length: Math.ceil(TOTAL / 100) }, (_, i) => signedUrl(server.url, runParams(i)));
    const ours = await load(runUrls, 1);
    if (ours.errors) throw new Error(`${ours.errors} RunInstances calls failed`);
    const runBody = JSON.stringify({ RequestId: 'X', InstanceIdSets: { InstanceIdSet: Array.from({ length: 100 }, () => 'i-' + 'x'.repeat(20)) } });
    const bareRun = await startBare(runBody);
    const bare = await load(runUrls.map((u) => u.replace(server.url, bareRun.url)), 1);
    bareRun.stop();
    const d0 = await c.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: 'cn-hangzhou', pageSize: 1 }));
    console.log(`instances created: ${d0.body!.totalCount}`);
    await new Promise((r) => setTimeout(r, Number(process.env.OPENECS_BENCH_SETTLE_MS ?? 3000))); // let the engine take its first look at every instance

    const pages = Math.max(1, Math.floor(TOTAL / 100));
    const describeUrls = (base: string) => Array.from({ length: DESCRIBE_REQUESTS }, (_, i) => signedUrl(base, {
      Action: 'DescribeInstances', RegionId: 'cn-hangzhou', PageSize: '100', PageNumber: String((i % pages) + 1),
    }));
    const pageBody = await (await fetch(signedUrl(server.url, { Action: 'DescribeInstances', RegionId: 'cn-hangzhou', PageSize: '100', PageNumber: '1' }))).text();
    const bareDescribe = await startBare(pageBody);
    const bareUrls = describeUrls(bareDescribe.url);
    // Warm-up, the same for both: 100 requests (here: every page once, as a poller's first round).
    await load(bareUrls.slice(0, 100), CONCURRENCY);
    await load(describeUrls(server.url).slice(0, pages), CONCURRENCY);
    const oursDescribe = await load(describeUrls(server.url), CONCURRENCY);
    const bareD = await load(bareUrls, CONCURRENCY);
    // The same store served again without the read cache: every page read and rendered anew
    // (what a poller sees when something changes between its calls).
    await server.stop();
    server = await spawnServer({ ...serverEnv, OPENECS_READ_CACHE_MB: '0' }, port, profile);
    await new Promise((r) => setTimeout(r, Number(process.env.OPENECS_BENCH_SETTLE_MS ?? 3000)));
    await load(describeUrls(server.url).slice(0, 100), CONCURRENCY); // warm-up
    const uncached = await load(describeUrls(server.url), CONCURRENCY);
    const bareU = await load(bareUrls, CONCURRENCY);
    bareDescribe.stop();
    console.log(`\nOpenECS API benchmark (${TOTAL} instances, DescribeInstances page 100 = ${pageBody.length} bytes, concurrency ${CONCURRENCY})`);
    console.table([
      row('RunInstances Amount=100', ours, bare),
      row('DescribeInstances PageSize=100, store unchanged (read cache)', oursDescribe, bareD),
      row('DescribeInstances PageSize=100, read cache off', uncached, bareU),
    ]);
    console.log(`RunInstances: ${(100 * ours.rps).toFixed(0)} instances/s created; DescribeInstances throughput is ${(100 * oursDescribe.rps / bareD.rps).toFixed(1)}% of the bare handler on an unchanged store (target ≥ 30%), ${(100 * uncached.rps / bareU.rps).toFixed(1)}% with every page read anew.`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
