/**
 * Crash storm on the qemu driver (scaled: 20 operations, 3 kills, at most 2 small guests; full
 * size: `npx tsx bench/storm.ts --driver qemu`): a real `openecs serve` with netns networking,
 * killed with SIGKILL at random points and restarted; then the engine converges and the checker
 * finds every Running instance with exactly one QEMU, no orphan QEMU, tap, nftables set or disk
 * file, one dnsmasq and one metadata helper in the namespace. Once the guests are gone and the
 * last server has stopped, no helper is left running.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { QemuDriver } from '../../src/compute/qemu/driver.js';
import { findProcesses } from '../../src/host/processes.js';
import { Netns } from '../../src/network/netns.js';
import { buildImage } from '../../src/compute/qemu/image.js';
import { runStorm } from '../helpers/storm.js';
import { qemuSkipReason } from './fixtures.js';

test('a crash storm on the qemu driver leaves no orphan and one helper of each kind', async (t) => {
  const reason = await qemuSkipReason({ netns: true });
  if (reason) { t.skip(reason); return; }
  await buildImage();
  const nsName = `oe-storm-${process.pid}`;
  const runDir = join(process.env.OPENECS_RUN_DIR || '/run/openecs', nsName);
  const seed = Number(process.env.OPENECS_STORM_SEED ?? 12);
  let helpersAfter: number[] = [];
  try {
    const r = await runStorm({
      driver: 'qemu', operations: 20, kills: 3, seed, maxInstances: 2, pauseMs: 500, settleWaitMs: 20_000, cidr: '10.31.0.0/16',
      env: { OPENECS_NETNS: nsName, OPENECS_QEMU_NET: 'netns' }, convergeTimeoutMs: 150_000,
      log: (m) => t.diagnostic(m),
      async beforeClose(app) {
        // The guests go; the server that stops last must then stop the namespace's helpers.
        const driver = app.services.driver as QemuDriver;
        for (const id of await driver.list()) await driver.destroy(id);
      },
    });
    helpersAfter = await findProcesses((argv) => argv.some((a) => a.startsWith(runDir)));
    t.diagnostic(`seed ${seed}: ${r.operations} operations, ${r.kills} kills (${r.killsInFlight} in flight), ${r.interrupted} cut off and retried, ` +
      `${r.clientTokens} ClientTokens replayed, converged in ${r.convergeMs} ms, ${r.durationMs} ms in all; answers ${JSON.stringify(r.answers)}`);
    assert.deepEqual(r.unexpected, [], 'no 5xx and no request lost without a kill');
    assert.deepEqual(r.replayMismatches, [], 'every ClientToken replay answers the first answer');
    assert.deepEqual(r.violations, [], 'no invariant broken on the store or the host');
    assert.deepEqual(helpersAfter, [], 'no dnsmasq or metadata helper once the last guest and server are gone');
  } finally {
    await new Netns(nsName, 'test').destroy();
    await rm(runDir, { recursive: true, force: true });
  }
});
