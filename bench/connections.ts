/**
 * Connections benchmark (issue 16 point 4): a server process holds OPENECS_BENCH_CONNECTIONS
 * (default 10,000) kept-alive connections, each of which has made one request and stays open,
 * while a normal client (the official ECS SDK) goes on calling DescribeRegions. Reported: the
 * connections held and lost, the SDK client's failures, and its latency while they are held as a
 * ratio to its latency measured before them in the same run (no absolute timing is judged: the
 * machines are shared).
 *
 * The server and this process each hold one end of every connection, so each needs an open-file
 * limit above the count (checked below; `ulimit -n 20000` covers 10,000). The server runs with
 * OPENECS_KEEP_ALIVE_TIMEOUT_MS above the run's length: idle connections are otherwise closed
 * after the keep-alive timeout (5 s by default), as they should be.
 *
 * Run: npx tsx bench/connections.ts
 *   OPENECS_BENCH_CONNECTIONS=10000   connections to hold
 *   OPENECS_BENCH_CALLS=200           SDK calls per measurement (before, during)
 *   OPENECS_BENCH_TLS=0               plain HTTP on the port (default: HTTP and HTTPS on one port)
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { $Ecs, AK, SECRET, makeClients } from '../test/helpers/server.js';
import { freePort, spawnServer } from '../test/helpers/process.js';

const N = Number(process.env.OPENECS_BENCH_CONNECTIONS ?? 10_000);
const CALLS = Number(process.env.OPENECS_BENCH_CALLS ?? 200);
const BATCH = 500;
const REQUEST = 'GET /?Action=DescribeRegions&Version=2014-05-26&Format=JSON HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n';

const log = (m: string) => console.error(`[connections] ${m}`);

/** The soft open-file limit of a process, from /proc (Node has no getrlimit). */
function openFileLimit(pid: number | 'self'): number {
  const line = readFileSync(`/proc/${pid}/limits`, 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.split(/\s{2,}/)[1];
  return soft === 'unlimited' ? Infinity : Number(soft);
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

interface Held { socket: Socket; answered: boolean; closed: boolean; error?: string }

/** Opens one connection, sends one request and resolves once its answer has arrived; the socket stays open. */
function hold(port: number): Promise<Held> {
  return new Promise((resolve) => {
    const h: Held = { socket: connect(port, '127.0.0.1'), answered: false, closed: false };
    let text = '';
    h.socket.setNoDelay(true);
    h.socket.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      // Unsigned: the server's MissingParameter answer, a complete JSON body.
      if (!h.answered && text.includes('"Code"') && text.endsWith('}')) { h.answered = true; resolve(h); }
    });
    h.socket.on('error', (e) => { h.error ??= e.message; });
    h.socket.on('close', () => { h.closed = true; if (!h.answered) resolve(h); });
    h.socket.once('connect', () => h.socket.write(REQUEST));
  });
}

/** `CALLS` sequential SDK calls: their latencies and failures. */
async function sdkCalls(ecs: ReturnType<typeof makeClients>['ecs']): Promise<{ ms: number[]; failures: number; firstFailure?: string }> {
  const ms: number[] = [];
  let failures = 0;
  let firstFailure: string | undefined;
  for (let i = 0; i < CALLS; i++) {
    const t0 = performance.now();
    try {
      const r = await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      if (!r.body?.regions?.region?.length) throw new Error('no regions');
      ms.push(performance.now() - t0);
    } catch (e) {
      failures++;
      firstFailure ??= String(e);
    }
  }
  return { ms, failures, firstFailure };
}

const pct = (xs: number[], p: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN; };

async function main() {
  const mine = openFileLimit('self');
  if (mine < N + 200) throw new Error(`this process may open ${mine} files; ${N} connections need ${N + 200}: raise it (ulimit -n ${N + 1000})`);
  const dataDir = mkdtempSync(join(tmpdir(), 'openecs-connections-'));
  const port = await freePort();
  const server = await spawnServer({
    OPENECS_DATA_DIR: dataDir, OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET,
    OPENECS_KEEP_ALIVE_TIMEOUT_MS: '600000', OPENECS_REQUEST_TIMEOUT_MS: '600000',
    ...(process.env.OPENECS_BENCH_TLS === '0' ? { OPENECS_TLS: '0' } : {}),
  }, port);
  const pid = server.child.pid!;
  try {
    const theirs = openFileLimit(pid);
    if (theirs < N + 200) throw new Error(`the server may open ${theirs} files; ${N} connections need ${N + 200}`);
    const { ecs } = makeClients(server.url, { accessKeyId: AK, accessKeySecret: SECRET });
    await sdkCalls(ecs); // warm-up: code paths compiled, caches filled
    const rssBefore = rssMiB(pid);
    const before = await sdkCalls(ecs);
    log(`baseline: ${CALLS} SDK calls, median ${pct(before.ms, 0.5).toFixed(1)} ms, p95 ${pct(before.ms, 0.95).toFixed(1)} ms, failures ${before.failures}`);

    const t0 = performance.now();
    const held: Held[] = [];
    // The normal client keeps calling while the connections are being opened, too.
    let opening = true;
    const whileOpening = { calls: 0, failures: 0, firstFailure: undefined as string | undefined };
    const churn = (async () => {
      while (opening) {
        whileOpening.calls++;
        try { await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})); } catch (e) { whileOpening.failures++; whileOpening.firstFailure ??= String(e); }
      }
    })();
    for (let i = 0; i < N; i += BATCH) {
      held.push(...await Promise.all(Array.from({ length: Math.min(BATCH, N - i) }, () => hold(port))));
    }
    opening = false;
    await churn;
    const openedS = (performance.now() - t0) / 1000;
    const notAnswered = held.filter((h) => !h.answered).length;
    log(`${N} connections opened and answered once in ${openedS.toFixed(1)} s; ${notAnswered} not answered${held.find((h) => h.error) ? ` (first error: ${held.find((h) => h.error)!.error})` : ''}`);

    const during = await sdkCalls(ecs);
    const stillOpen = held.filter((h) => h.answered && !h.closed).length;
    const rssDuring = rssMiB(pid);
    // The held connections still serve requests themselves: a second request on a sample.
    const sample = held.filter((h) => !h.closed).slice(0, 1000);
    const reused = await Promise.all(sample.map((h) => new Promise<boolean>((resolve) => {
      let text = '';
      const onData = (c: Buffer) => { text += c.toString('latin1'); if (text.includes('"Code"') && text.endsWith('}')) { h.socket.off('data', onData); resolve(true); } };
      h.socket.on('data', onData);
      h.socket.once('close', () => resolve(false));
      h.socket.write(REQUEST);
    })));
    for (const h of held) h.socket.destroy();

    const ratio = pct(during.ms, 0.5) / pct(before.ms, 0.5);
    const result = {
      connections: N, held: stillOpen, lost: N - stillOpen, openedInS: Number(openedS.toFixed(1)),
      sdkCalls: {
        before: before.ms.length + before.failures, whileOpening: whileOpening.calls, during: during.ms.length + during.failures,
        failuresBefore: before.failures, failuresWhileOpening: whileOpening.failures, failuresDuring: during.failures,
        firstFailure: whileOpening.firstFailure ?? during.firstFailure,
      },
      sdkMedianMs: { before: Number(pct(before.ms, 0.5).toFixed(2)), during: Number(pct(during.ms, 0.5).toFixed(2)) },
      sdkP95Ms: { before: Number(pct(before.ms, 0.95).toFixed(2)), during: Number(pct(during.ms, 0.95).toFixed(2)) },
      medianRatio: Number(ratio.toFixed(2)),
      heldAnsweredAgain: `${reused.filter(Boolean).length}/${sample.length}`,
      serverRssMiB: { before: Math.round(rssBefore), during: Math.round(rssDuring) },
    };
    console.log(JSON.stringify(result, null, 2));
    const ok = result.lost === 0 && during.failures === 0 && before.failures === 0 && whileOpening.failures === 0 && reused.every(Boolean);
    if (!ok) process.exitCode = 1;
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
