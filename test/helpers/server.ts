/**
 * Starts a real OpenECS server in-process on a free port with an in-memory store and a manual
 * clock, and hands out the official clients pointed at it. With OPENECS_TEST_DATABASE_URL set,
 * the store is a fresh PostgreSQL database on that cluster instead, dropped on close.
 */
import Ecs, * as $Ecs from '@alicloud/ecs20140526';
import Vpc from '@alicloud/vpc20160428';
import * as $OpenApi from '@alicloud/openapi-core';
import PopCore from '@alicloud/pop-core';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createApp, type App } from '../../src/app.js';
import { Sealer } from '../../src/auth/secrets.js';
import { configFromEnv, type Config } from '../../src/config.js';
import { ManualClock } from '../../src/engine/clock.js';
import type { ComputeDriver } from '../../src/compute/driver.js';
import { createTestDatabase, testDatabaseCluster, type TestDatabase } from './pg.js';

export const AK = 'LTAItestaccesskey0000001';
export const SECRET = 'testSecretForOpenEcs000000000001';
/** The server key of every in-memory test server: a restart or second replica on one database opens what the first sealed. */
const TEST_SEALER = new Sealer(randomBytes(32));

// The clients are CommonJS modules whose class is `exports.default`.
const EcsClient: typeof Ecs.default = (Ecs as any).default ?? Ecs;
const VpcClient: typeof Vpc.default = (Vpc as any).default ?? Vpc;
const PopClient: typeof PopCore = (PopCore as any).default ?? PopCore;
export type EcsClientT = InstanceType<typeof Ecs.default>;
export type VpcClientT = InstanceType<typeof Vpc.default>;
export { $Ecs };

export interface Credentials { accessKeyId: string; accessKeySecret: string }

export interface TestServer {
  app: App;
  url: string;
  port: number;
  clock: ManualClock;
  /** The PostgreSQL database the store is on; undefined for the in-memory SQLite store. */
  databaseUrl?: string;
  /** ECS SDK with its default V3 (ACS3-HMAC-SHA256) signing. */
  ecs: EcsClientT;
  /** The same SDK with `signatureAlgorithm: 'v2'` (HMAC-SHA1). */
  ecsV2: EcsClientT;
  vpc: VpcClientT;
  /** Legacy pop-core RPC client (GET by default; pass { method: 'POST' } as the third argument). */
  pop: InstanceType<typeof PopCore>;
  popVpc: InstanceType<typeof PopCore>;
  clients(creds: Credentials): { ecs: EcsClientT; ecsV2: EcsClientT; vpc: VpcClientT; pop: InstanceType<typeof PopCore> };
  /** Moves the manual clock and lets the engine finish everything now due. */
  advance(ms: number): Promise<void>;
  /** Runs the engine until nothing is due at the current clock time. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

/** `driver`: a compute driver of the test's own (e.g. one that fails on purpose) instead of the configured one. */
export interface TestServerOptions {
  driver?: ComputeDriver;
  /**
   * A second server on this server's store and clock, as a second replica behind a load balancer
   * (PostgreSQL only: an in-memory SQLite store is one process's own). The first server drops the
   * database when it closes; close this one first.
   */
  sameStoreAs?: TestServer;
}

export async function startTestServer(overrides: Partial<Config> = {}, opts: TestServerOptions = {}): Promise<TestServer> {
  const shared = opts.sameStoreAs;
  if (shared && !shared.databaseUrl) throw new Error('startTestServer: sameStoreAs needs a server on PostgreSQL (OPENECS_TEST_DATABASE_URL)');
  const clock = shared?.clock ?? new ManualClock(Date.parse('2026-11-23T06:00:00Z'));
  const config: Config = {
    ...configFromEnv({}),
    dataDir: ':memory:',
    port: 0,
    simDelayMs: 1000,
    accessKeyId: AK,
    accessKeySecret: SECRET,
    ...overrides,
  };
  if (shared) config.databaseUrl = shared.databaseUrl;
  const cluster = testDatabaseCluster();
  let database: TestDatabase | undefined;
  if (cluster && config.databaseUrl === undefined) {
    database = await createTestDatabase(cluster);
    config.databaseUrl = database.url;
  }
  let app: App;
  try {
    // Servers on one database share a server key, as replicas given one OPENECS_SERVER_KEY_FILE do.
    app = await createApp(config, { clock, startEngine: false, driver: opts.driver, sealer: config.dataDir === ':memory:' ? TEST_SEALER : undefined });
  } catch (e) {
    await database?.drop();
    throw e;
  }
  const url = await app.listen();
  const port = Number(new URL(url).port);
  const clients = (c: Credentials) => makeClients(url, c);
  const mine = clients({ accessKeyId: AK, accessKeySecret: SECRET });
  return {
    app, url, port, clock, databaseUrl: config.databaseUrl, ...mine,
    popVpc: new PopClient({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: url, apiVersion: '2016-04-28' }),
    clients,
    async advance(ms: number) {
      clock.advance(ms);
      await app.services.engine.settle();
    },
    settle: () => app.services.engine.settle(),
    async close() {
      try {
        await app.close();
      } finally {
        await database?.drop();
      }
    },
  };
}

/** The official clients for a server at `url` (http://host:port). */
export function makeClients(url: string, c: Credentials) {
  const { host } = new URL(url);
  const base = { ...c, endpoint: host, protocol: 'http', regionId: 'cn-hangzhou' };
  return {
    ecs: new EcsClient(new $OpenApi.$OpenApiUtil.Config(base)),
    ecsV2: new EcsClient(new $OpenApi.$OpenApiUtil.Config({ ...base, signatureAlgorithm: 'v2' })),
    vpc: new VpcClient(new $OpenApi.$OpenApiUtil.Config(base)),
    pop: new PopClient({ ...c, endpoint: url, apiVersion: '2014-05-26' }),
  };
}

/**
 * Runs `fn`, expecting a refusal with `code` and HTTP `status`, from any client: the Tea clients
 * carry the status as statusCode (or data.statusCode), pop-core in its response entry.
 */
export async function expectRefused(fn: () => Promise<unknown>, code: string, status: number, why = ''): Promise<void> {
  let e: any;
  try { await fn(); } catch (err) { e = err; }
  if (!e) assert.fail(`expected ${code}, but the call succeeded (${why})`);
  assert.deepEqual([e.code, e.statusCode ?? e.data?.statusCode ?? e.entry?.response?.statusCode], [code, status], `${why} ${e.message}`);
}

/** Runs `fn`, expecting it to throw an SDK error; returns { code, statusCode, data }. */
export async function expectEcsError(fn: () => Promise<unknown>): Promise<{ code: string; statusCode: number; data: any; message: string }> {
  try {
    await fn();
  } catch (e: any) {
    return { code: e.code, statusCode: e.statusCode ?? e.data?.statusCode, data: e.data, message: e.message };
  }
  throw new Error('expected an ECS error, but the call succeeded');
}
