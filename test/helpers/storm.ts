/**
 * A crash storm: mixed operations (launch, start/stop/reboot, resize, snapshot, image, delete,
 * disks created, attached and detached) through the official SDK against a real `openecs serve`
 * child process that is killed with SIGKILL at random points — some while a request is in flight —
 * and restarted on the same data dir and store each time. Then a server in this process, on the
 * same store, lets the engine converge, replays every ClientToken, and runs the invariant checker
 * (src/engine/invariants.ts) over the store and the host.
 *
 * Used by test/api/storm.test.ts (sim), test/qemu/storm.test.ts (qemu) and bench/storm.ts (full size).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp, type App } from '../../src/app.js';
import { configFromEnv } from '../../src/config.js';
import { checkInvariants, type Violation } from '../../src/engine/invariants.js';
import { $Ecs, AK, SECRET, makeClients, type EcsClientT } from './server.js';
import { createNetwork, runRequest, type Network } from './fixtures.js';
import { freePort, spawnServer, type ServerProcess } from './process.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from './pg.js';
import { prng } from './random.js';

export interface StormOptions {
  driver: 'sim' | 'qemu';
  operations: number;
  kills: number;
  seed: number;
  /** Live instances at most (each RunInstances launches one). */
  maxInstances: number;
  /** Environment of every server (OPENECS_NETNS, OPENECS_SIM_DELAY_MS, …); the data dir and credentials are the storm's. */
  env?: Record<string, string>;
  /** Pause between operations (ms), so kills also land while the engine works on its own. */
  pauseMs?: number;
  /** Before each operation, wait up to this long for an instance to leave its transitional state (real guests boot for seconds). */
  settleWaitMs?: number;
  /** How long the engine may take to converge after the storm. */
  convergeTimeoutMs?: number;
  /** The VPC's CIDR (qemu tests give each run its own). */
  cidr?: string;
  log?: (msg: string) => void;
  /** Runs on the converging server after the checks, before it closes (the qemu test removes its guests there). */
  beforeClose?: (app: App) => Promise<void>;
}

export interface StormReport {
  operations: number;
  kills: number;
  /** Kills that landed while a request was in flight. */
  killsInFlight: number;
  /** Answers by code ('OK' for success), over the whole storm (retries after a kill included). */
  answers: Record<string, number>;
  /** Requests cut off by a kill (then retried, with the same ClientToken where the action takes one). */
  interrupted: number;
  /** Answers that must never happen: HTTP ≥ 500, or a failure that is not an ECS error. */
  unexpected: string[];
  clientTokens: number;
  /** ClientToken replays after the storm whose answer differs from the first, or that created twice. */
  replayMismatches: string[];
  convergeMs: number;
  violations: Violation[];
  durationMs: number;
}

const R = 'cn-hangzhou';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface SdkError { code?: string; statusCode?: number; data?: { statusCode?: number }; message?: string }
type Outcome = { kind: 'ok'; body: any } | { kind: 'error'; code: string; status: number } | { kind: 'cut'; message: string };

async function outcome(p: Promise<{ body?: unknown }>): Promise<Outcome> {
  try {
    return { kind: 'ok', body: (await p).body };
  } catch (e) {
    const err = e as SdkError;
    const status = err.statusCode ?? err.data?.statusCode;
    if (typeof status === 'number') return { kind: 'error', code: err.code ?? '?', status };
    return { kind: 'cut', message: String(err.message ?? e).slice(0, 200) };
  }
}

/** A ClientToken request and its first answer: what a replay must answer again. */
interface TokenRecord { action: string; call: (ecs: EcsClientT) => Promise<{ body?: unknown }>; first?: string; ids: (body: any) => string[]; name?: string; amount?: number }

export async function runStorm(o: StormOptions): Promise<StormReport> {
  const t0 = Date.now();
  const log = o.log ?? (() => {});
  const rand = prng(o.seed);
  const pick = <T>(xs: T[]): T | undefined => (xs.length ? xs[Math.floor(rand() * xs.length)] : undefined);
  const dataDir = await mkdtemp(join(tmpdir(), `openecs-storm-${o.driver}-`));
  const cluster = testDatabaseCluster();
  const database: TestDatabase | undefined = cluster ? await createTestDatabase(cluster) : undefined;
  const env: Record<string, string> = {
    OPENECS_DRIVER: o.driver, OPENECS_DATA_DIR: dataDir, OPENECS_ACCESS_KEY_ID: AK, OPENECS_ACCESS_KEY_SECRET: SECRET,
    OPENECS_TLS: '0', OPENECS_OPERATION_BACKOFF_CAP_MS: '2000', OPENECS_QEMU_STOP_TIMEOUT_MS: '4000', ...o.env,
  };
  if (database) env.OPENECS_DATABASE_URL = database.url;
  const port = await freePort();
  const report: StormReport = {
    operations: 0, kills: 0, killsInFlight: 0, answers: {}, interrupted: 0, unexpected: [], clientTokens: 0, replayMismatches: [],
    convergeMs: 0, violations: [], durationMs: 0,
  };
  let server: ServerProcess | undefined;
  let app: App | undefined;
  const restoreEnv = setProcessEnv(env);
  try {
    server = await spawnServer(env, port, [], 120_000);
    const { ecs } = makeClients(server.url, { accessKeyId: AK, accessKeySecret: SECRET });
    const net = await createNetwork({ ecs, vpc: makeClients(server.url, { accessKeyId: AK, accessKeySecret: SECRET }).vpc }, R, o.cidr ?? '192.168.0.0/16');
    const tokens: TokenRecord[] = [];
    const killAt = new Set<number>();
    while (killAt.size < Math.min(o.kills, o.operations - 1)) killAt.add(1 + Math.floor(rand() * (o.operations - 1)));

    const restart = async () => {
      report.kills++;
      await server!.kill9();
      server = await spawnServer(env, port, [], 120_000);
    };
    const note = (r: Outcome) => {
      const key = r.kind === 'ok' ? 'OK' : r.kind === 'error' ? r.code : 'cut-by-kill';
      report.answers[key] = (report.answers[key] ?? 0) + 1;
      if (r.kind === 'error' && r.status >= 500) report.unexpected.push(`${r.code} (HTTP ${r.status})`);
    };

    for (let i = 0; i < o.operations; i++) {
      if (o.settleWaitMs) await untilOneSettled(ecs, o.settleWaitMs);
      const op = await chooseOperation(ecs, net, rand, pick, o, i, tokens);
      report.operations++;
      let r: Outcome;
      if (killAt.has(i)) {
        // The kill lands somewhere in the request or in what the engine does right after it.
        const pending = outcome(op.call(ecs));
        await sleep(Math.floor(rand() * (o.driver === 'qemu' ? 400 : 20)));
        const inFlight = await Promise.race([pending.then(() => false), sleep(0).then(() => true)]);
        if (inFlight) report.killsInFlight++;
        await restart();
        r = await pending;
        log(`op ${i} ${op.label}: killed ${inFlight ? 'in flight' : 'after the answer'} → ${r.kind === 'ok' ? 'OK' : r.kind === 'error' ? r.code : 'cut'}`);
      } else {
        r = await outcome(op.call(ecs));
      }
      note(r);
      if (r.kind === 'cut' && !killAt.has(i)) {
        report.unexpected.push(`${op.label}: cut off without a kill (${r.message})${server.child.exitCode !== null ? `; the server exited: ${server.output().slice(-2000)}` : ''}`);
        if (server.child.exitCode !== null) server = await spawnServer(env, port, [], 120_000);
      }
      if (r.kind === 'cut') {
        report.interrupted++;
        // A client whose request was cut off retries it; with a ClientToken it must not act twice.
        r = await outcome(op.call(ecs));
        note(r);
        if (r.kind === 'cut') report.unexpected.push(`${op.label}: no answer after restart (${r.message})`);
      }
      // Only an answered token is stored (a refused request keeps nothing to replay).
      if (op.token && r.kind === 'ok') {
        op.token.first = JSON.stringify(op.token.ids(r.body));
        tokens.push(op.token);
      }
      if (o.pauseMs) await sleep(Math.floor(rand() * o.pauseMs));
    }

    // The last kill: nothing is stopped gracefully before the engine that converges takes over.
    await server.kill9();
    server = undefined;
    report.kills++;
    const config = { ...configFromEnv(env), port: 0 };
    app = await createApp(config);
    const url = await app.listen();
    const after = makeClients(url, { accessKeyId: AK, accessKeySecret: SECRET }).ecs;
    const tConverge = Date.now();
    const deadline = tConverge + (o.convergeTimeoutMs ?? 60_000);
    for (;;) {
      report.violations = await checkInvariants(app.services.db, app.services.driver, { settled: true, now: app.services.clock.now() });
      if (!report.violations.length || Date.now() > deadline) break;
      await sleep(500);
    }
    report.convergeMs = Date.now() - tConverge;

    for (const t of tokens) {
      report.clientTokens++;
      const r = await outcome(t.call(after));
      if (r.kind !== 'ok') { report.replayMismatches.push(`${t.action}: replay answered ${r.kind === 'error' ? r.code : r.message}`); continue; }
      const again = JSON.stringify(t.ids(r.body));
      if (t.first !== undefined && again !== t.first) report.replayMismatches.push(`${t.action}: first ${t.first}, replay ${again}`);
      if (t.name) {
        // Created once, whatever the kills and retries: every instance ever made under this token's name.
        const made = await app.services.db.selectFrom('instances').select('id').where('name', '=', t.name).execute();
        if (made.length !== (t.amount ?? 1)) report.replayMismatches.push(`${t.action} ${t.name}: ${made.length} instances made`);
      }
    }
    if (o.beforeClose) await o.beforeClose(app);
  } finally {
    await server?.kill9().catch(() => {});
    await app?.close().catch(() => {});
    restoreEnv();
    await database?.drop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    report.durationMs = Date.now() - t0;
  }
  return report;
}

async function untilOneSettled(ecs: EcsClientT, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const list = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: 100 })).then((r) => r.body!.instances!.instance!, () => []);
    if (!list.length || list.some((x) => x.status === 'Running' || x.status === 'Stopped')) return;
    await sleep(500);
  }
}

/** The qemu driver reads its settings from process.env; the converging server in this process gets the storm's. */
function setProcessEnv(env: Record<string, string>): () => void {
  const keys = ['OPENECS_NETNS', 'OPENECS_QEMU_STOP_TIMEOUT_MS', 'OPENECS_QEMU_NET', 'OPENECS_RUN_DIR', 'OPENECS_OPERATION_BACKOFF_CAP_MS'];
  const before = Object.fromEntries(keys.map((k) => [k, process.env[k]]));
  for (const k of keys) if (env[k] !== undefined) process.env[k] = env[k];
  return () => { for (const k of keys) { if (before[k] === undefined) delete process.env[k]; else process.env[k] = before[k]; } };
}

interface Operation { label: string; call: (ecs: EcsClientT) => Promise<{ body?: unknown }>; token?: TokenRecord }

/**
 * The next operation, from what the server shows now. Any resource may be in any state, so many
 * operations are refused with their documented 4xx code (IncorrectInstanceStatus, …): that is
 * part of the storm; only a 5xx, a missing answer or a broken invariant is a failure.
 */
async function chooseOperation(
  ecs: EcsClientT, net: Network, rand: () => number, pick: <T>(xs: T[]) => T | undefined, o: StormOptions, i: number, tokens: TokenRecord[],
): Promise<Operation> {
  const list = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: 100 })).then((r) => r.body!.instances!.instance!, () => []);
  const inst = list.map((x) => ({ id: x.instanceId!, status: x.status! }));
  const disks = await ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, pageSize: 100 })).then((r) => r.body!.disks!.disk!, () => []);
  const statusOf = new Map(inst.map((x) => [x.id, x.status]));
  // Mostly what the resource's state allows (so the storm changes things), sometimes anything (the refusals).
  const fitting = <T>(all: T[], fits: (x: T) => boolean): T | undefined => pick(rand() < 0.8 ? all.filter(fits) : all) ?? pick(all);
  const settled = (x: { status: string }) => x.status === 'Running' || x.status === 'Stopped';
  // A launch with its ClientToken recorded, to replay after the storm.
  const launch = (): Operation => {
    const name = `storm-${o.seed}-${i}`;
    const token: TokenRecord = {
      action: 'RunInstances', name, amount: 1,
      call: (c) => c.runInstances(runRequest(net, { instanceName: name, clientToken: `run-${o.seed}-${i}`, amount: 1 })),
      ids: (b) => b.instanceIdSets?.instanceIdSet ?? [],
    };
    return { label: `RunInstances ${name}`, call: token.call, token };
  };
  const weights: Array<[number, () => Operation | undefined]> = [
    [inst.length < o.maxInstances ? 4 : 0, launch],
    [3, () => { const x = fitting(inst, (y) => y.status === 'Running'); return x && { label: `StopInstance ${x.id}`, call: (c) => c.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: x.id, forceStop: rand() < 0.3 })) }; }],
    [3, () => { const x = fitting(inst, (y) => y.status === 'Stopped'); return x && { label: `StartInstance ${x.id}`, call: (c) => c.startInstance(new $Ecs.StartInstanceRequest({ instanceId: x.id })) }; }],
    [2, () => { const x = fitting(inst, (y) => y.status === 'Running'); return x && { label: `RebootInstance ${x.id}`, call: (c) => c.rebootInstance(new $Ecs.RebootInstanceRequest({ instanceId: x.id })) }; }],
    [2, () => {
      const d = fitting(disks, (x) => !x.instanceId || settled({ status: statusOf.get(x.instanceId) ?? '' }));
      const online = d?.instanceId ? statusOf.get(d.instanceId) === 'Running' : false;
      return d && { label: `ResizeDisk ${d.diskId}`, call: (c) => c.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: d.diskId, newSize: (d.size ?? 20) + 1 + Math.floor(rand() * 4), type: online ? 'online' : 'offline', clientToken: `resize-${o.seed}-${i}` })) };
    }],
    [3, () => {
      const d = fitting(disks, (x) => x.status === 'In_use' && settled({ status: statusOf.get(x.instanceId ?? '') ?? '' }));
      if (!d) return undefined;
      const token: TokenRecord = { action: 'CreateSnapshot', call: (c) => c.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId: d.diskId, snapshotName: `storm-${o.seed}-${i}`, clientToken: `snap-${o.seed}-${i}` })), ids: (b) => [b.snapshotId] };
      return { label: `CreateSnapshot ${d.diskId}`, call: token.call, token };
    }],
    [2, () => {
      const x = fitting(inst, settled);
      if (!x) return undefined;
      const token: TokenRecord = { action: 'CreateImage', call: (c) => c.createImage(new $Ecs.CreateImageRequest({ regionId: R, instanceId: x.id, imageName: `storm-${o.seed}-${i}`, clientToken: `image-${o.seed}-${i}` })), ids: (b) => [b.imageId] };
      return { label: `CreateImage ${x.id}`, call: token.call, token };
    }],
    [2, () => {
      const token: TokenRecord = { action: 'CreateDisk', call: (c) => c.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: net.zoneId, diskCategory: 'cloud_essd', size: 20, diskName: `storm-${o.seed}-${i}`, clientToken: `disk-${o.seed}-${i}` })), ids: (b) => [b.diskId] };
      return { label: 'CreateDisk', call: token.call, token };
    }],
    [3, () => {
      const d = pick(disks.filter((x) => x.type === 'data' && x.status === 'Available'));
      const x = fitting(inst, settled);
      return d && x && { label: `AttachDisk ${d.diskId} → ${x.id}`, call: (c) => c.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: x.id, diskId: d.diskId })) };
    }],
    [2, () => {
      const d = pick(disks.filter((x) => x.type === 'data' && x.instanceId));
      return d && { label: `DetachDisk ${d.diskId}`, call: (c) => c.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: d.instanceId, diskId: d.diskId })) };
    }],
    [1, () => {
      const d = pick(disks.filter((x) => x.type === 'data' && x.status === 'Available'));
      return d && { label: `DeleteDisk ${d.diskId}`, call: (c) => c.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: d.diskId })) };
    }],
    [inst.length >= 2 ? 2 : 0.5, () => {
      const x = pick(inst);
      return x && { label: `DeleteInstance ${x.id}`, call: (c) => c.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: x.id, force: rand() < 0.7 })) };
    }],
    [1, () => {
      const t = pick(tokens.filter((k) => k.action === 'CreateSnapshot' && k.first));
      const id = t && (JSON.parse(t.first!) as string[])[0];
      return id ? { label: `DeleteSnapshot ${id}`, call: (c) => c.deleteSnapshot(new $Ecs.DeleteSnapshotRequest({ snapshotId: id, force: true })) } : undefined;
    }],
    [1, () => {
      const t = pick(tokens.filter((k) => k.action === 'CreateImage' && k.first));
      const id = t && (JSON.parse(t.first!) as string[])[0];
      return id ? { label: `DeleteImage ${id}`, call: (c) => c.deleteImage(new $Ecs.DeleteImageRequest({ regionId: R, imageId: id, force: true })) } : undefined;
    }],
  ];
  for (let tries = 0; tries < 20; tries++) {
    const total = weights.reduce((a, [w]) => a + w, 0);
    let x = rand() * total;
    for (const [w, make] of weights) {
      if ((x -= w) > 0) continue;
      const op = make();
      if (op) return op;
      break;
    }
  }
  // Nothing to act on yet: a launch (the cap only holds when instances exist).
  return launch();
}
