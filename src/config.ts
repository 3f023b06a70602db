/** Operator settings: environment variables, overridable by `openecs serve` flags. */
import { resolve } from 'node:path';

export interface Config {
  host: string;
  port: number;
  dataDir: string;
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
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): Config {
  const driver = env.OPENECS_DRIVER ?? 'sim';
  if (driver !== 'sim' && driver !== 'qemu') throw new Error(`OPENECS_DRIVER must be sim or qemu, not ${driver}`);
  return {
    host: env.OPENECS_HOST ?? '127.0.0.1',
    port: intOf('OPENECS_PORT', env.OPENECS_PORT, 8080),
    dataDir: env.OPENECS_DATA_DIR === ':memory:' ? ':memory:' : resolve(env.OPENECS_DATA_DIR ?? '.openecs'),
    accessKeyId: env.OPENECS_ACCESS_KEY_ID || undefined,
    accessKeySecret: env.OPENECS_ACCESS_KEY_SECRET || undefined,
    driver,
    simDelayMs: intOf('OPENECS_SIM_DELAY_MS', env.OPENECS_SIM_DELAY_MS, 1000),
    clock: env.OPENECS_CLOCK === 'offset' ? 'offset' : 'system',
    signatureWindowMs: 15 * 60_000,
    logRequests: env.OPENECS_LOG_REQUESTS === '1',
    readCacheBytes: intOf('OPENECS_READ_CACHE_MB', env.OPENECS_READ_CACHE_MB, 32) * 1024 * 1024,
  };
}

function intOf(name: string, v: string | undefined, fallback: number): number {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, not ${v}`);
  return n;
}
