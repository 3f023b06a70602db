#!/usr/bin/env node
/** The `openecs` command: `serve` (default) runs the API server. */
import { parseArgs } from 'node:util';
import { createApp } from '../app.js';
import { configFromEnv } from '../config.js';
import { check } from './check.js';
import { doctor } from './doctor.js';
import { images } from './images.js';

const USAGE = `usage: openecs serve [--host H] [--port P] [--data-dir DIR] [--driver sim|qemu] [--sim-delay-ms N]
       [--read-cache-mb N] [--database-url postgres://USER@HOST:PORT/DB]
       [--access-key-id ID --access-key-secret SECRET]
       openecs images build|status   the qemu driver's guest image
       openecs check [--settled] [--json]   the invariants a crash must not break, over the store and this host
       openecs doctor [--reprobe] [--permissions]   data dir permissions, and what this host offers the qemu driver

Settings also come from the environment: OPENECS_HOST, OPENECS_PORT, OPENECS_DATA_DIR,
OPENECS_ACCESS_KEY_ID, OPENECS_ACCESS_KEY_SECRET, OPENECS_DRIVER, OPENECS_SIM_DELAY_MS, OPENECS_CLOCK,
OPENECS_READ_CACHE_MB, OPENECS_LOG_REQUESTS, OPENECS_TLS (0: no HTTPS on the API port),
OPENECS_TLS_CERT / OPENECS_TLS_KEY (the operator's certificate instead of a generated one),
OPENECS_DATABASE_URL (postgres://…: the store on PostgreSQL instead of SQLite in the data dir),
OPENECS_SERVER_KEY_FILE (the key sealing the store's secrets; every replica of one database needs the same).`;

async function serve(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      host: { type: 'string' }, port: { type: 'string' }, 'data-dir': { type: 'string' }, driver: { type: 'string' },
      'sim-delay-ms': { type: 'string' }, 'access-key-id': { type: 'string' }, 'access-key-secret': { type: 'string' },
      'read-cache-mb': { type: 'string' }, 'database-url': { type: 'string' }, help: { type: 'boolean' },
    },
  });
  if (values.help) { console.log(USAGE); return; }
  const env = { ...process.env };
  const flag = (name: keyof typeof values, key: string) => { if (typeof values[name] === 'string') env[key] = values[name] as string; };
  flag('host', 'OPENECS_HOST'); flag('port', 'OPENECS_PORT'); flag('data-dir', 'OPENECS_DATA_DIR'); flag('driver', 'OPENECS_DRIVER');
  flag('sim-delay-ms', 'OPENECS_SIM_DELAY_MS'); flag('access-key-id', 'OPENECS_ACCESS_KEY_ID'); flag('access-key-secret', 'OPENECS_ACCESS_KEY_SECRET');
  flag('read-cache-mb', 'OPENECS_READ_CACHE_MB'); flag('database-url', 'OPENECS_DATABASE_URL');
  const config = configFromEnv(env);
  const app = await createApp(config);
  const url = await app.listen();
  console.log(`OpenECS listening on ${url} (driver ${config.driver}, data ${config.dataDir}${config.databaseUrl ? ', store on PostgreSQL' : ''})`);
  if (app.tls) console.log(`HTTPS on the same port${app.tls.caFile ? `; clients trust ${app.tls.caFile}` : ''}`);
  console.log(`Root account ${app.root.accountId}, AccessKeyId ${app.root.accessKeyId}`);
  if (app.root.generatedSecret) {
    console.log(`Generated AccessKeySecret (shown once, also stored in ${config.dataDir}/credentials.json): ${app.root.generatedSecret}`);
  }
  const shutdown = async () => { await app.close(); process.exit(0); };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

const [command = 'serve', ...rest] = process.argv.slice(2);
const commands: Record<string, (argv: string[]) => Promise<void>> = { serve, images, doctor, check };
const run = commands[command];
if (!run) { console.error(USAGE); process.exit(2); }
run(rest).catch((e) => { console.error(`openecs ${command}: ${e instanceof Error ? e.message : e}`); process.exit(1); });
