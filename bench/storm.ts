/**
 * The full crash storm (test/helpers/storm.ts): 200 mixed operations against a real `openecs
 * serve`, killed with SIGKILL at random points (20 times on sim, 10 on qemu) and restarted each
 * time; then the engine converges, every ClientToken is replayed and the invariant checker runs
 * over the store and the host. Prints the figures as JSON; exits 1 on any violation, replay
 * mismatch, 5xx or lost request, and (qemu) on any helper left once the guests and server are gone.
 *
 * Run: npx tsx bench/storm.ts [--driver sim|qemu] [--operations 200] [--kills N] [--seed S]
 * (qemu needs root, QEMU and the guest image inputs: see `openecs doctor`; the store is SQLite,
 * or PostgreSQL with OPENECS_TEST_DATABASE_URL set.)
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { QemuDriver } from '../src/compute/qemu/driver.js';
import { buildImage } from '../src/compute/qemu/image.js';
import { findProcesses } from '../src/host/processes.js';
import { Netns } from '../src/network/netns.js';
import { runStorm } from '../test/helpers/storm.js';

const { values } = parseArgs({ options: { driver: { type: 'string' }, operations: { type: 'string' }, kills: { type: 'string' }, seed: { type: 'string' } } });
const driver = values.driver === 'qemu' ? 'qemu' : 'sim';
const operations = Number(values.operations ?? 200);
const kills = Number(values.kills ?? (driver === 'qemu' ? 10 : 20));
const seed = Number(values.seed ?? Math.floor(Math.random() * 2 ** 31));
const nsName = `oe-bstorm-${process.pid}`;
const runDir = join(process.env.OPENECS_RUN_DIR || '/run/openecs', nsName);
let leftovers: number[] = [];
const qemu = driver === 'qemu';
if (qemu) await buildImage();
const t0 = Date.now();
const report = await runStorm({
  driver, operations, kills, seed,
  maxInstances: qemu ? 3 : 8, pauseMs: qemu ? 500 : 80, settleWaitMs: qemu ? 30_000 : undefined,
  env: qemu ? { OPENECS_NETNS: nsName, OPENECS_QEMU_NET: 'netns' } : { OPENECS_SIM_DELAY_MS: '300' },
  convergeTimeoutMs: qemu ? 300_000 : 120_000, cidr: qemu ? '10.32.0.0/16' : undefined,
  log: (m) => console.error(m),
  async beforeClose(app) {
    if (!qemu) return;
    const d = app.services.driver as QemuDriver;
    for (const id of await d.list()) await d.destroy(id);
  },
}).finally(async () => {
  if (!qemu) return;
  leftovers = await findProcesses((argv) => argv.some((a) => a.startsWith(runDir)));
  await new Netns(nsName, 'bench').destroy();
  await rm(runDir, { recursive: true, force: true });
});
const failed = report.violations.length + report.replayMismatches.length + report.unexpected.length + leftovers.length > 0;
console.log(JSON.stringify({
  driver, seed, operations: report.operations, kills: report.kills, killsInFlight: report.killsInFlight, interrupted: report.interrupted,
  answers: report.answers, clientTokensReplayed: report.clientTokens, replayMismatches: report.replayMismatches, unexpected: report.unexpected,
  violations: report.violations, helpersLeftAfterStop: leftovers.length, convergeMs: report.convergeMs, durationMs: Date.now() - t0,
}, null, 2));
process.exit(failed ? 1 : 0);
