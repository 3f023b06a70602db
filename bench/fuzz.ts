/**
 * The full spec-fuzz run (test/fuzz/spec-fuzz-lib.ts) against a real `openecs serve` process on a
 * fresh data dir, with the sim driver on a real clock: 100,000 generated requests over every
 * implemented action of every product, the fixture world rebuilt every 10,000 requests (the
 * fuzzer deletes and stops what it finds). Prints the summary as JSON; exits 1 on any answer
 * >= 500, hang, malformed error body, server exit, or a failed health call at the end.
 *
 * Run: npm run fuzz   (OPENECS_FUZZ_REQUESTS=20000 OPENECS_FUZZ_SEED=7 OPENECS_FUZZ_CONCURRENCY=8
 * OPENECS_FUZZ_SERVER_HEAP_MB=256 to run the server under a heap cap)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AK, SECRET } from '../test/helpers/server.js';
import { freePort, spawnServer } from '../test/helpers/process.js';
import { buildWorld, call, runFuzz, type World } from '../test/fuzz/spec-fuzz-lib.js';

const REQUESTS = Number(process.env.OPENECS_FUZZ_REQUESTS ?? 100_000);
const SEED = Number(process.env.OPENECS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONCURRENCY = Number(process.env.OPENECS_FUZZ_CONCURRENCY ?? 8);
const REBUILD_EVERY = Number(process.env.OPENECS_FUZZ_REBUILD_EVERY ?? 10_000);
/** A V8 old-space cap for the server (MB): memory that only grows then ends the run with an out-of-memory exit. */
const SERVER_HEAP_MB = process.env.OPENECS_FUZZ_SERVER_HEAP_MB;

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const REGIONS = ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'cn-qingdao', 'ap-southeast-1', 'eu-central-1', 'us-west-1', 'ap-northeast-1'];

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'openecs-fuzz-'));
  const port = await freePort();
  const server = await spawnServer({
    OPENECS_DATA_DIR: dir, OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET, OPENECS_SIM_DELAY_MS: '200',
  }, port, [...(SERVER_HEAP_MB ? [`--max-old-space-size=${SERVER_HEAP_MB}`] : []), ...(process.env.OPENECS_FUZZ_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [])]);
  const pid = server.child.pid!;
  let exited = false;
  server.child.on('exit', () => { exited = true; });
  try {
    let generation = 0;
    const world: World = await buildWorld(server.url, () => sleep(1500), `fuzz${generation}`);
    console.error(`[fuzz] seed ${SEED}, ${REQUESTS} requests, concurrency ${CONCURRENCY}, server pid ${pid}, world ${JSON.stringify(world)}`);
    const summary = await runFuzz({
      url: server.url, seed: SEED, requests: REQUESTS, concurrency: CONCURRENCY, timeoutMs: 30_000, world,
      rss: () => rssOf(pid),
      tickEvery: REBUILD_EVERY,
      tick: async () => {
        if (exited) throw new Error(`the server exited:\n${server.output().slice(-3000)}`);
        // The shared object is updated in place: cases generated from now on name the new ids. A new
        // region each time keeps clear of per-region quotas (5 VPCs) the earlier worlds used up.
        generation++;
        const fresh = await buildWorld(server.url, () => sleep(1500), `fuzz${generation}`, REGIONS[generation % REGIONS.length]);
        if (fresh.instance) { for (const k of Object.keys(world)) delete world[k]; Object.assign(world, fresh); }
      },
      progress: (s) => console.error(`[fuzz] ${s.requests} requests, ${s.failureCount} failures, statuses ${JSON.stringify(s.statuses)}, RSS ${s.rssMinMb.toFixed(0)}–${s.rssMaxMb.toFixed(0)} MB`),
    });
    let health = 'ok';
    try {
      const r = await call(server.url, 'ecs', 'DescribeRegions', {});
      if (!r.Regions?.Region?.length) health = 'empty DescribeRegions';
    } catch (e) {
      health = (e as Error).message;
    }
    const fiveHundreds = Object.entries(summary.statuses).filter(([k]) => Number(k) >= 500).reduce((n, [, v]) => n + v, 0);
    const internalErrors = (server.output().match(/internal error/g) ?? []).length;
    const out = {
      seed: summary.seed, requests: summary.requests, seconds: summary.seconds, statuses: summary.statuses, answersOver499: fiveHundreds,
      timeouts: summary.statuses['0'] ?? 0, failures: summary.failureCount, serverExited: exited, health, internalErrorsLogged: internalErrors,
      rssMinMb: Math.round(summary.rssMinMb), rssMaxMb: Math.round(summary.rssMaxMb), slowestMs: summary.slowestMs,
      actions: summary.actions, actionsReachingHandler: summary.actionsReachingHandler, kinds: summary.kinds,
      topCodes: Object.fromEntries(Object.entries(summary.codes).sort((a, b) => b[1] - a[1]).slice(0, 25)),
      firstFailures: summary.failures.slice(0, 20),
    };
    console.log(JSON.stringify(out, null, 1));
    process.exitCode = summary.failureCount || exited || health !== 'ok' || internalErrors ? 1 : 0;
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
