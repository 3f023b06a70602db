/**
 * The engine's operator settings (environment variables; see the README's "Engine" section).
 * Durations in milliseconds, retention in hours or days as named.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { DEFAULT_RETRY, type RetryPolicy } from './backoff.js';

export interface EngineSettings {
  /**
   * This process's name in `operations.lease_owner`: `<replica>#<pid>:<random>`, where the replica
   * (host and data dir) stays the same across restarts, so a restarted replica takes back at once
   * the leases its killed predecessor held (see Engine.recover) instead of waiting them out.
   */
  owner: string;
  /** Operations run at once by this process (OPENECS_ENGINE_CONCURRENCY). */
  concurrency: number;
  /** How long a claim holds without renewal (OPENECS_ENGINE_LEASE_MS); renewed every third of it while a run lasts. */
  leaseMs: number;
  /** A run longer than this is abandoned and retried (OPENECS_OPERATION_TIMEOUT_MS). */
  timeoutMs: number;
  retry: RetryPolicy;
  retention: RetentionSettings;
}

export interface RetentionSettings {
  /** Finished (done / failed) operations, by their last update. */
  operationsMs: number;
  /** Status transitions, by their time. */
  transitionsMs: number;
  /** ClientToken answers, by the time of the first request. */
  idempotencyMs: number;
  /** How often the retention sweep runs at most. */
  intervalMs: number;
  /** Rows deleted per statement. */
  batch: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export const DEFAULT_RETENTION: RetentionSettings = {
  operationsMs: 7 * DAY, transitionsMs: 30 * DAY, idempotencyMs: 24 * HOUR, intervalMs: 10 * 60_000, batch: 1000,
};

/** The part of a lease owner that names the replica: the same for every process on one host and data dir. */
export function replicaName(dataDir: string): string {
  return `${hostname()}:${dataDir}`;
}

export function engineSettingsFromEnv(env: NodeJS.ProcessEnv = process.env, replica = replicaName(':memory:')): EngineSettings {
  return {
    owner: `${replica}#${process.pid}:${randomBytes(3).toString('hex')}`,
    concurrency: int(env, 'OPENECS_ENGINE_CONCURRENCY', 4, 1),
    leaseMs: int(env, 'OPENECS_ENGINE_LEASE_MS', 30_000, 1000),
    timeoutMs: int(env, 'OPENECS_OPERATION_TIMEOUT_MS', 120_000, 100),
    retry: {
      baseMs: int(env, 'OPENECS_OPERATION_BACKOFF_MS', DEFAULT_RETRY.baseMs, 1),
      capMs: int(env, 'OPENECS_OPERATION_BACKOFF_CAP_MS', DEFAULT_RETRY.capMs, 1),
      giveUpAfter: int(env, 'OPENECS_OPERATION_GIVE_UP_ATTEMPTS', DEFAULT_RETRY.giveUpAfter, 1),
    },
    retention: {
      operationsMs: int(env, 'OPENECS_RETAIN_OPERATIONS_DAYS', 7, 0) * DAY,
      transitionsMs: int(env, 'OPENECS_RETAIN_TRANSITIONS_DAYS', 30, 0) * DAY,
      idempotencyMs: int(env, 'OPENECS_RETAIN_CLIENT_TOKENS_HOURS', 24, 0) * HOUR,
      intervalMs: int(env, 'OPENECS_RETENTION_INTERVAL_MS', DEFAULT_RETENTION.intervalMs, 0),
      batch: DEFAULT_RETENTION.batch,
    },
  };
}

function int(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}, not ${v}`);
  return n;
}
