/**
 * What connections may hold of the server: slow clients (headers trickled a byte at a time, a body
 * that never completes, a connection that never sends a byte) are closed by the server within the
 * configured timeouts while a normal client is answered at once; many idle kept-alive connections
 * do not stop a normal client; the per-address connection cap refuses the connection past it.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect, type Socket } from 'node:net';
import { configFromEnv, type HttpLimits } from '../../src/config.js';
import { checkingIntervalMs } from '../../src/api/connection-limits.js';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';

const DEFAULTS = configFromEnv({}).limits;

interface Watched { socket: Socket; opened: number; closedAfterMs?: number; received: string; closed: Promise<void> }

/** A connection whose closing by the server (not by us: we never end it) is timed. */
function watch(port: number): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let done!: () => void;
    const w: Watched = { socket, opened: 0, received: '', closed: new Promise<void>((r) => { done = r; }) };
    socket.on('data', (c: Buffer) => { w.received += c.toString('utf8'); });
    socket.on('error', () => undefined);
    socket.on('close', () => { w.closedAfterMs = performance.now() - w.opened; done(); });
    socket.once('connect', () => { w.opened = performance.now(); resolve(w); });
    socket.once('error', reject);
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes `text` one byte every `everyMs` until the socket closes. */
function trickle(w: Watched, text: string, everyMs: number): void {
  let i = 0;
  const timer = setInterval(() => {
    if (w.socket.destroyed || i >= text.length) { clearInterval(timer); return; }
    w.socket.write(text[i++]!);
  }, everyMs);
  void w.closed.then(() => clearInterval(timer));
}

async function describeRegions(s: TestServer): Promise<number> {
  const t0 = performance.now();
  const r = await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
  assert.ok(r.body!.regions!.region!.length > 0);
  return performance.now() - t0;
}

for (const tls of [true, false]) {
  describe(`slow clients (${tls ? 'HTTP and HTTPS on one port' : 'plain HTTP'})`, () => {
    const limits: HttpLimits = { ...DEFAULTS, headersTimeoutMs: 3000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 1000 };
    const slack = checkingIntervalMs(limits) + 1500;
    let s: TestServer;
    before(async () => { s = await startTestServer({ limits, tls: { enabled: tls } }); });
    after(async () => { await s.close(); });

    it('cannot hold the server: a normal client is answered while they wait, and the server closes them in time', async () => {
      const N = 30;
      const trickling = await Promise.all(Array.from({ length: N }, () => watch(s.port)));
      for (const w of trickling) trickle(w, 'GET /?Action=DescribeRegions&Version=2014-05-26 HTTP/1.1\r\nHost: x\r\nX-Slow: ' + 'y'.repeat(1000), 200);
      const stalledBodies = await Promise.all(Array.from({ length: N }, () => watch(s.port)));
      for (const w of stalledBodies) {
        w.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\nAction=Desc');
      }
      const silent = await Promise.all(Array.from({ length: N }, () => watch(s.port)));

      // The normal client, while all of them are open.
      for (let i = 0; i < 5; i++) await describeRegions(s);
      const slow = [...trickling, ...stalledBodies, ...silent];
      assert.ok(slow.every((w) => w.closedAfterMs === undefined), 'the normal calls were answered before any slow connection timed out');

      await Promise.race([Promise.all(slow.map((w) => w.closed)), sleep(limits.requestTimeoutMs + slack + 2000)]);
      const check = (group: Watched[], timeoutMs: number, what: string) => {
        for (const w of group) {
          assert.ok(w.closedAfterMs !== undefined, `${what}: still open`);
          assert.ok(w.closedAfterMs >= timeoutMs * 0.9, `${what}: closed after ${Math.round(w.closedAfterMs!)} ms, before its ${timeoutMs} ms`);
          assert.ok(w.closedAfterMs <= timeoutMs + slack, `${what}: closed after ${Math.round(w.closedAfterMs!)} ms, beyond ${timeoutMs} + ${slack} ms`);
        }
      };
      check(trickling, limits.headersTimeoutMs, 'headers trickled');
      check(stalledBodies, limits.requestTimeoutMs, 'body never completed');
      check(silent, limits.headersTimeoutMs, 'no byte sent');
      // Those that began a request are told why, in an ECS body.
      for (const w of [...trickling, ...stalledBodies]) {
        assert.match(w.received, /^HTTP\/1\.1 408 /);
        assert.match(w.received, /"Code":"RequestTimeout"/);
      }
      // The server is still there for everyone.
      await describeRegions(s);
    });

    it('closes a kept-alive connection idle past the keep-alive timeout', async () => {
      const w = await watch(s.port);
      w.socket.write('GET /?Action=DescribeRegions&Version=2014-05-26&Format=JSON HTTP/1.1\r\nHost: x\r\n\r\n');
      await w.closed;
      assert.match(w.received, /^HTTP\/1\.1 400 /);
      // The answer tells the client the timeout; Node closes a second after it, so that a client
      // reusing the connection at the last moment does not meet a closed one.
      assert.match(w.received, /\r\nKeep-Alive: timeout=1\r\n/i);
      const graceMs = 1000;
      assert.ok(w.closedAfterMs! >= limits.keepAliveTimeoutMs && w.closedAfterMs! <= limits.keepAliveTimeoutMs + graceMs + slack, `closed after ${w.closedAfterMs} ms`);
    });
  });
}

describe('many kept-alive connections', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ limits: { ...DEFAULTS, keepAliveTimeoutMs: 120_000 } }); });
  after(async () => { await s.close(); });

  it('1,000 open connections, each after a request, do not stop a normal client', async () => {
    const N = 1000;
    const baseline: number[] = [];
    for (let i = 0; i < 5; i++) baseline.push(await describeRegions(s));
    const held: Watched[] = [];
    for (let i = 0; i < N; i += 100) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => watch(s.port)));
      for (const w of batch) w.socket.write('GET /?Action=DescribeRegions&Version=2014-05-26&Format=JSON HTTP/1.1\r\nHost: x\r\n\r\n');
      held.push(...batch);
    }
    // Every connection got its answer and stays open.
    const deadline = Date.now() + 30_000;
    while (held.some((w) => !w.received.includes('"Code"')) && Date.now() < deadline) await sleep(50);
    assert.equal(held.filter((w) => w.received.startsWith('HTTP/1.1 400 ')).length, N);
    const during: number[] = [];
    for (let i = 0; i < 20; i++) during.push(await describeRegions(s));
    assert.equal(held.filter((w) => w.closedAfterMs !== undefined).length, 0, 'the server closed none of them');
    // Still answered on the held connections themselves.
    held[0]!.received = '';
    held[0]!.socket.write('GET /?Action=DescribeRegions&Version=2014-05-26&Format=JSON HTTP/1.1\r\nHost: x\r\n\r\n');
    while (!held[0]!.received.includes('"Code"')) await sleep(10);
    for (const w of held) w.socket.destroy();
    await Promise.all(held.map((w) => w.closed));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    console.log(`[connections] ${N} held; normal client median ${median(baseline).toFixed(1)} ms before, ${median(during).toFixed(1)} ms during`);
  });
});

describe('connections per address', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ limits: { ...DEFAULTS, maxConnectionsPerIp: 5 } }); });
  after(async () => { await s.close(); });

  it('past the cap a new connection is closed at once; one freed lets the next in', async () => {
    const open = await Promise.all(Array.from({ length: 5 }, () => watch(s.port)));
    const refused = await watch(s.port);
    await Promise.race([refused.closed, sleep(3000)]);
    assert.ok(refused.closedAfterMs !== undefined && refused.closedAfterMs < 1000, 'the sixth connection was closed at once');
    assert.equal(refused.received, '');
    assert.ok(open.every((w) => w.closedAfterMs === undefined));
    open[0]!.socket.destroy();
    await open[0]!.closed;
    // The server's side of the close may lag the client's by a moment.
    await sleep(100);
    await describeRegions(s);
    for (const w of open.slice(1)) w.socket.destroy();
  });
});
