/** Operator settings: environment variables, overridable by `openecs serve` flags. */
import { resolve } from 'node:path';
import { REGIONS } from './domain/catalog/regions.js';
import { parsePublicIpPool } from './domain/public-ip-pool.js';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** postgres://… (OPENECS_DATABASE_URL): the store on PostgreSQL instead of SQLite in the data dir. */
  databaseUrl?: string;
  accessKeyId?: string;
  accessKeySecret?: string;
  driver: 'sim' | 'qemu';
  simDelayMs: number;
  /** `system` (wall time) or `offset` (wall time an operator can move forward: emulator mode). */
  clock: 'system' | 'offset';
  /** Request freshness window for Timestamp / x-acs-date and nonce replay. */
  signatureWindowMs: number;
  logRequests: boolean;
  /** Bytes of rendered read answers kept until the store changes (0: off). */
  readCacheBytes: number;
  /** Public addresses per region (src/domain/public-ip-pool.ts); undefined: 198.18.0.0/15 split among the regions. */
  publicIpPool?: string;
  /** HTTPS on the API port beside HTTP; the certificate is the operator's or made in the data dir. */
  tls: { enabled: boolean; certFile?: string; keyFile?: string };
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const driver = env.OPENECS_DRIVER ?? 'sim';
  if (driver !== 'sim' && driver !== 'qemu') throw new Error(`OPENECS_DRIVER must be sim or qemu, not ${driver}`);
  return {
    host: env.OPENECS_HOST ?? '127.0.0.1',
    port: intOf('OPENECS_PORT', env.OPENECS_PORT, 8080),
    dataDir: env.OPENECS_DATA_DIR === ':memory:' ? ':memory:' : resolve(env.OPENECS_DATA_DIR ?? '.openecs'),
    databaseUrl: databaseUrlOf(env.OPENECS_DATABASE_URL),
    accessKeyId: env.OPENECS_ACCESS_KEY_ID || undefined,
    accessKeySecret: env.OPENECS_ACCESS_KEY_SECRET || undefined,
    driver,
    simDelayMs: intOf('OPENECS_SIM_DELAY_MS', env.OPENECS_SIM_DELAY_MS, 1000),
    clock: env.OPENECS_CLOCK === 'offset' ? 'offset' : 'system',
    signatureWindowMs: 15 * 60_000,
    logRequests: env.OPENECS_LOG_REQUESTS === '1',
    readCacheBytes: intOf('OPENECS_READ_CACHE_MB', env.OPENECS_READ_CACHE_MB, 32) * 1024 * 1024,
    publicIpPool: publicIpPoolOf(env.OPENECS_PUBLIC_IP_POOL),
    tls: { enabled: env.OPENECS_TLS !== '0', certFile: env.OPENECS_TLS_CERT || undefined, keyFile: env.OPENECS_TLS_KEY || undefined },
  };
}

function databaseUrlOf(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (!/^postgres(ql)?:\/\//.test(v)) throw new Error(`OPENECS_DATABASE_URL must be a postgres:// (or postgresql://) URL, not ${v.split('@').pop()}`);
  return v;
}

/** A malformed pool stops the server at start rather than failing the first launch with a public address. */
function publicIpPoolOf(v: string | undefined): string | undefined {
  if (!v) return undefined;
  const parsed = parsePublicIpPool(v, REGIONS.map((r) => r.id));
  if (!parsed.ok) throw new Error(parsed.message);
  return v;
}

function intOf(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not ${v}`);
  return n;
}
