/**
 * `openecs check`: the invariant checker (src/engine/invariants.ts) over a data dir's store and,
 * with the qemu driver, this host: undocumented states, storage rows that disagree, ClientTokens
 * without their answer, guests, QEMU processes, taps, nftables sets and files the store does not
 * know, duplicate DHCP or metadata services. `--settled`: the server has had time to converge, so
 * transitional states and due operations count too. Exits 1 when anything is found.
 */
import { parseArgs } from 'node:util';
import { configFromEnv } from '../config.js';
import { QemuDriver } from '../compute/qemu/driver.js';
import { checkInvariants } from '../engine/invariants.js';
import { openStore } from '../store/db.js';

export async function check(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' }, driver: { type: 'string' }, settled: { type: 'boolean' }, json: { type: 'boolean' } },
  });
  const env = { ...process.env };
  if (values['data-dir']) env.OPENECS_DATA_DIR = values['data-dir'];
  if (values['database-url']) env.OPENECS_DATABASE_URL = values['database-url'];
  if (values.driver) env.OPENECS_DRIVER = values.driver;
  const config = configFromEnv(env);
  const db = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  try {
    // The sim driver's guests live in the server's memory: only the store is checked then.
    const driver = config.driver === 'qemu' ? new QemuDriver({ dataDir: config.dataDir, env, sampleMonitoring: false }) : undefined;
    const found = await checkInvariants(db, driver, { settled: values.settled === true, now: Date.now() });
    if (values.json) console.log(JSON.stringify(found, null, 2));
    else if (!found.length) console.log(`ok    no invariant broken (store${driver ? ' and host' : ''}${values.settled ? ', settled' : ''})`);
    else for (const v of found) console.log(`FAIL  ${v.kind} ${v.resource}: ${v.detail}`);
    if (found.length) process.exitCode = 1;
  } finally {
    await db.destroy();
  }
}
