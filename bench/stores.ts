/**
 * The stores a benchmark runs on: SQLite in a fresh data dir, and PostgreSQL in a fresh database
 * on a cluster: OPENECS_BENCH_DATABASE_URL (any database on it, e.g. …/postgres), else a
 * throw-away cluster started with tools/pg-test-cluster.sh and stopped at the end.
 * OPENECS_BENCH_STORES=sqlite|postgres|sqlite,postgres picks them (default: both, PostgreSQL only
 * where its server binaries are installed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '../test/helpers/pg.js';

export type StoreKind = 'sqlite' | 'postgres';

export interface BenchStore {
  kind: StoreKind;
  /** Server environment selecting the store (data dir always; the database URL for PostgreSQL). */
  env: Record<string, string>;
  dataDir: string;
  databaseUrl?: string;
  dispose(): Promise<void>;
}

const clusterScript = fileURLToPath(new URL('../tools/pg-test-cluster.sh', import.meta.url));

function postgresInstalled(): boolean {
  if (existsSync('/usr/lib/postgresql')) return readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`));
  return false;
}

export function requestedStores(): { stores: StoreKind[]; skipped: string[] } {
  const asked = (process.env.OPENECS_BENCH_STORES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const skipped: string[] = [];
  for (const s of asked) if (s !== 'sqlite' && s !== 'postgres') throw new Error(`OPENECS_BENCH_STORES: unknown store ${s} (sqlite, postgres)`);
  if (asked.length) return { stores: asked as StoreKind[], skipped };
  const stores: StoreKind[] = ['sqlite'];
  if (process.env.OPENECS_BENCH_DATABASE_URL || postgresInstalled()) stores.push('postgres');
  else skipped.push('postgres (no OPENECS_BENCH_DATABASE_URL and no PostgreSQL server binaries: apt-get install postgresql)');
  return { stores, skipped };
}

/** A cluster for the whole run, started on first use. */
let cluster: { url: string; stop: () => void } | undefined;

function clusterUrl(): string {
  if (process.env.OPENECS_BENCH_DATABASE_URL) return process.env.OPENECS_BENCH_DATABASE_URL;
  if (!cluster) {
    const dir = mkdtempSync(join(tmpdir(), 'openecs-bench-pg-'));
    const out = execFileSync(clusterScript, ['start', dir], { encoding: 'utf8' });
    const url = /postgres:\/\/\S+/.exec(out)?.[0];
    if (!url) throw new Error(`pg-test-cluster.sh printed no URL:\n${out}`);
    cluster = { url, stop: () => { execFileSync(clusterScript, ['stop', dir], { stdio: 'ignore' }); } };
  }
  return cluster.url;
}

export async function openBenchStore(kind: StoreKind): Promise<BenchStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'openecs-bench-'));
  let database: TestDatabase | undefined;
  if (kind === 'postgres') database = await createTestDatabase(clusterUrl());
  return {
    kind, dataDir, databaseUrl: database?.url,
    env: { OPENECS_DATA_DIR: dataDir, ...(database ? { OPENECS_DATABASE_URL: database.url } : {}) },
    async dispose() {
      rmSync(dataDir, { recursive: true, force: true });
      await database?.drop();
    },
  };
}

export function stopCluster(): void {
  cluster?.stop();
  cluster = undefined;
}
