/**
 * API benchmark (issue 12 "Done when"), on SQLite and on PostgreSQL (see stores.ts): the cost of a
 * call must not grow with the size of the store.
 *
 * Per store, one server (sim driver, engine on) is filled through the API with RunInstances
 * Amount=100 (batches spread over /16 VSwitches) and measured at three sizes:
 *   - 1,000 instances and SCALE instances (default 100,000): DescribeInstances page latency (p50,
 *     PageSize=100, every page in turn, concurrency 8), with the read cache and without it
 *     (the server restarted with OPENECS_READ_CACHE_MB=0: every page read and rendered anew).
 *   - 10,000 instances: DescribeInstances throughput as a ratio to a bare node:http handler serving
 *     the same bytes in the same run (these machines are noisy; ratios are compared, not ms), with
 *     and without the read cache.
 *   - RunInstances Amount=100 (with a ClientToken, as Terraform sends) p50, over the calls that
 *     took the store from 1,000 to 10,000 and over the last 10 calls before SCALE, each call made
 *     once the engine has finished its first look at the batch before (its time is reported too).
 * The engine is let finish its first look at the new instances before each measurement. Beside
 * each time, the server's CPU time per call (from /proc): steadier than times on a shared host.
 *
 * Run: npm run bench
 *   OPENECS_BENCH_STORES=sqlite|postgres  one store only (default both; PostgreSQL on a throw-away
 *                                          cluster, or OPENECS_BENCH_DATABASE_URL=postgres://…/postgres)
 *   OPENECS_BENCH_SCALE=100000             the large size (0: skip it; 10,000 at least otherwise)
 *   OPENECS_BENCH_REQUESTS=800             DescribeInstances requests per measurement
 *   OPENECS_BENCH_CONCURRENCY=8
 *   OPENECS_BENCH_PROFILE=DIR              V8 CPU profiles of the server processes
 */
import { load, type LoadResult } from './load.js';
import { openBenchStore, requestedStores, stopCluster, type StoreKind } from './stores.js';
import { BenchServer, EngineWatch, buildWorld, cpuMs, describeUrl, runUrl, startBare, type World } from './world.js';

const MID = 10_000;
const SMALL = 1_000;
const SCALE = Number(process.env.OPENECS_BENCH_SCALE ?? 100_000);
const CONCURRENCY = Number(process.env.OPENECS_BENCH_CONCURRENCY ?? 8);
const REQUESTS = Number(process.env.OPENECS_BENCH_REQUESTS ?? 800);

const TARGETS = { cachedRatio: 0.6, uncachedRatio: 0.25, pageGrowth: 2, runP50Ms: 50 };

interface Pages { cached: LoadResult; uncached: LoadResult }
interface StoreResult {
  kind: StoreKind;
  small: Pages;
  mid: Pages & { bareCached: LoadResult; bareUncached: LoadResult; pageBytes: number };
  large?: Pages & { size: number };
  run: LoadResult;
  runLarge?: LoadResult;
  runBare: LoadResult;
  /** Median time the engine took to take its first look at a batch of 100 new instances. */
  engineMs: number;
}

const log = (m: string) => console.error(`[bench] ${m}`);

/** Every page in turn (a poller's round), `REQUESTS` in all, after one warm-up round. */
async function measurePages(s: { url: string; pid: number }, size: number): Promise<LoadResult> {
  const pages = Math.max(1, Math.ceil(size / 100));
  const urls = Array.from({ length: REQUESTS }, (_, i) => describeUrl(s.url, (i % pages) + 1));
  await load(Array.from({ length: Math.min(pages, REQUESTS) }, (_, i) => describeUrl(s.url, i + 1)), CONCURRENCY);
  const c0 = cpuMs(s.pid);
  const r = await load(urls, CONCURRENCY);
  r.cpuMsPerCall = (cpuMs(s.pid) - c0) / urls.length;
  if (r.errors) throw new Error(`${r.errors} DescribeInstances calls failed, first: ${r.firstError}`);
  return r;
}

class Filler {
  calls = 0;
  /** Time the engine took to take its first look at each batch, after the call answered. */
  engineMs: number[] = [];
  constructor(private s: BenchServer, private w: World, private engine: EngineWatch) {}
  /**
   * RunInstances Amount=100, one call at a time (as automation would), until `size` instances
   * exist. `alone`: each call waits for the engine to finish with the batch before it, so a
   * call's latency and CPU are its own, not the engine's work on the last 100 instances.
   */
  async to(size: number, alone = false): Promise<LoadResult> {
    const urls: string[] = [];
    for (; this.calls < size / 100; this.calls++) urls.push(runUrl(this.s.url, this.w, this.calls));
    if (!alone) {
      const c0 = cpuMs(this.s.pid);
      const r = await load(urls, 1);
      r.cpuMsPerCall = (cpuMs(this.s.pid) - c0) / Math.max(1, urls.length);
      if (r.errors) throw new Error(`${r.errors} RunInstances calls failed, first: ${r.firstError}`);
      return r;
    }
    const each: LoadResult[] = [];
    let cpu = 0;
    for (const url of urls) {
      const c0 = cpuMs(this.s.pid);
      const r = await load([url], 1);
      cpu += cpuMs(this.s.pid) - c0;
      if (r.errors) throw new Error(`RunInstances failed: ${r.firstError}`);
      each.push(r);
      this.engineMs.push(await this.engine.idle());
    }
    const lat = each.map((r) => r.p50ms).sort((a, b) => a - b);
    const seconds = each.reduce((t, r) => t + r.seconds, 0);
    return {
      requests: each.length, seconds, rps: each.length / seconds, p50ms: lat[Math.floor(lat.length / 2)]!, p95ms: lat[Math.min(lat.length - 1, Math.floor(lat.length * 0.95))]!,
      errors: 0, bytes: 0, cpuMsPerCall: cpu / each.length,
    };
  }
}

async function pagesBoth(s: BenchServer, engine: EngineWatch, size: number, cachedFirst: boolean): Promise<Pages> {
  const out: Partial<Pages> = {};
  for (const cache of cachedFirst ? [true, false] : [false, true]) {
    await s.start(cache);
    await engine.idle();
    out[cache ? 'cached' : 'uncached'] = await measurePages(s, size);
    log(`${s.store.kind} ${size}: ${cache ? 'cached' : 'uncached'} page p50 ${out[cache ? 'cached' : 'uncached']!.p50ms.toFixed(2)} ms`);
  }
  return out as Pages;
}

async function benchStore(kind: StoreKind): Promise<StoreResult> {
  const store = await openBenchStore(kind);
  const s = new BenchServer(store);
  const engine = new EngineWatch(store);
  try {
    await s.start(true);
    const world = await buildWorld(s.url, Math.max(SCALE, MID));
    const fill = new Filler(s, world, engine);
    await fill.to(SMALL);
    await engine.idle();
    const small = await pagesBoth(s, engine, SMALL, true);
    // The server now serves without the cache; the fill does not care.
    const run = await fill.to(MID, true);
    log(`${kind} RunInstances 1,000 → 10,000: p50 ${run.p50ms.toFixed(1)} ms`);
    const runBareServer = await startBare(JSON.stringify({ RequestId: 'X', InstanceIdSets: { InstanceIdSet: Array.from({ length: 100 }, () => 'i-' + 'x'.repeat(20)) } }));
    const runBare = await load(Array.from({ length: run.requests }, (_, i) => runUrl(runBareServer.url, world, i)), 1);
    runBareServer.stop();

    await engine.idle();
    const pageBody = await (await fetch(describeUrl(s.url, 1))).text();
    const bare = await startBare(pageBody);
    const mid = await pagesBoth(s, engine, MID, false);
    const bareCached = await measurePages(bare, MID);
    const bareUncached = await measurePages(bare, MID);
    bare.stop();

    let large: StoreResult['large'];
    let runLarge: LoadResult | undefined;
    if (SCALE > MID) {
      const t0 = Date.now();
      await fill.to(SCALE - 1000);
      runLarge = await fill.to(SCALE, true);
      log(`${kind} filled to ${SCALE} in ${((Date.now() - t0) / 1000).toFixed(0)} s; last 10 RunInstances p50 ${runLarge.p50ms.toFixed(1)} ms`);
      await engine.idle();
      large = { ...(await pagesBoth(s, engine, SCALE, true)), size: SCALE };
    }
    const engineMs = [...fill.engineMs].sort((a, b) => a - b)[Math.floor(fill.engineMs.length / 2)] ?? 0;
    return { kind, small, mid: { ...mid, bareCached, bareUncached, pageBytes: pageBody.length }, large, run, runLarge, runBare, engineMs };
  } catch (e) {
    console.error(`[bench] ${kind} failed; the server said:\n${s.server?.output().slice(-4000)}`);
    throw e;
  } finally {
    await s.stop();
    await engine.close();
    await store.dispose();
  }
}

const f = (n: number, d = 2) => n.toFixed(d);
const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

function report(r: StoreResult): { lines: string[]; met: boolean } {
  const cachedRatio = r.mid.cached.rps / r.mid.bareCached.rps;
  const uncachedRatio = r.mid.uncached.rps / r.mid.bareUncached.rps;
  const checks: [string, boolean][] = [
    [`DescribeInstances over ${MID} instances, read cache: ${f(cachedRatio, 3)} of the bare handler (target ≥ ${TARGETS.cachedRatio})`, cachedRatio >= TARGETS.cachedRatio],
    [`DescribeInstances over ${MID} instances, no read cache: ${f(uncachedRatio, 3)} of the bare handler (target ≥ ${TARGETS.uncachedRatio})`, uncachedRatio >= TARGETS.uncachedRatio],
    [`RunInstances Amount=100 p50 (${SMALL} → ${MID} instances): ${f(r.run.p50ms, 1)} ms (target ≤ ${TARGETS.runP50Ms} ms)`, r.run.p50ms <= TARGETS.runP50Ms],
  ];
  if (r.runLarge) checks.push([`RunInstances Amount=100 p50 (last 10 calls before ${r.large!.size}): ${f(r.runLarge.p50ms, 1)} ms (target ≤ ${TARGETS.runP50Ms} ms)`, r.runLarge.p50ms <= TARGETS.runP50Ms]);
  if (r.large) {
    for (const mode of ['cached', 'uncached'] as const) {
      const growth = r.large[mode].p50ms / r.small[mode].p50ms;
      checks.push([`page p50 ${mode === 'cached' ? 'with' : 'without'} the read cache: ${f(r.small[mode].p50ms)} ms at ${SMALL}, ${f(r.large[mode].p50ms)} ms at ${r.large.size} = ${f(growth)}× (target ≤ ${TARGETS.pageGrowth}×)`, growth <= TARGETS.pageGrowth]);
    }
  }
  return { lines: checks.map(([t, ok]) => `  ${verdict(ok).padEnd(7)} ${t}`), met: checks.every(([, ok]) => ok) };
}

function table(r: StoreResult) {
  const row = (name: string, ours: LoadResult, bare?: LoadResult) => ({
    benchmark: name, 'ours rps': f(ours.rps, 1), 'bare rps': bare ? f(bare.rps, 1) : '', ratio: bare ? f(ours.rps / bare.rps, 3) : '',
    'p50 ms': f(ours.p50ms), 'p95 ms': f(ours.p95ms), 'bare p50 ms': bare ? f(bare.p50ms) : '',
    // Server CPU per call (includes the engine's work meanwhile): steadier than times on a shared host.
    'cpu ms/call': ours.cpuMsPerCall === undefined ? '' : f(ours.cpuMsPerCall), 'bare cpu ms/call': bare?.cpuMsPerCall === undefined ? '' : f(bare.cpuMsPerCall),
  });
  const rows = [
    row(`RunInstances Amount=100 (${SMALL} → ${MID})`, r.run, r.runBare),
    ...(r.runLarge ? [row(`RunInstances Amount=100 (last 10 before ${r.large!.size})`, r.runLarge)] : []),
    row(`DescribeInstances page, ${SMALL}, read cache`, r.small.cached),
    row(`DescribeInstances page, ${SMALL}, no read cache`, r.small.uncached),
    row(`DescribeInstances page, ${MID}, read cache`, r.mid.cached, r.mid.bareCached),
    row(`DescribeInstances page, ${MID}, no read cache`, r.mid.uncached, r.mid.bareUncached),
  ];
  if (r.large) rows.push(row(`DescribeInstances page, ${r.large.size}, read cache`, r.large.cached), row(`DescribeInstances page, ${r.large.size}, no read cache`, r.large.uncached));
  console.table(rows);
}

async function main() {
  if (SCALE !== 0 && SCALE < MID) throw new Error(`OPENECS_BENCH_SCALE must be 0 or at least ${MID}`);
  const { stores, skipped } = requestedStores();
  const results: StoreResult[] = [];
  try {
    for (const kind of stores) {
      const t0 = Date.now();
      log(`${kind}: starting`);
      results.push(await benchStore(kind));
      log(`${kind}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    }
  } finally {
    stopCluster();
  }
  let allMet = true;
  for (const r of results) {
    console.log(`\n${r.kind === 'sqlite' ? 'SQLite' : 'PostgreSQL'} (concurrency ${CONCURRENCY}, ${REQUESTS} requests per DescribeInstances measurement, page of 100 = ${r.mid.pageBytes} bytes)`);
    table(r);
    const { lines, met } = report(r);
    console.log(lines.join('\n'));
    console.log(`  (the engine took ${r.engineMs} ms, median, for its first look at each batch of 100 new instances)`);
    allMet &&= met;
  }
  for (const s of skipped) console.log(`\nskipped: ${s}`);
  console.log(`\n${allMet ? 'all targets met' : 'some targets NOT met'}`);
}

main().catch((e) => { stopCluster(); console.error(e); process.exit(1); });
