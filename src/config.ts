/** Operator settings: environment variables, overridable by `openecs serve` flags. */
import { resolve } from 'node:path';
import { REGIONS } from './domain/catalog/regions.js';
import { parsePublicIpPool } from './domain/public-ip-pool.js';
import { validIpv6Pool } from './domain/ipv6.js';
import type { PriceTable } from './domain/billing/price-table.js';
import { loadPriceTable } from './price-table-file.js';

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
  /** The IPv6 block VPCs take their /56 from (OPENECS_IPV6_POOL, src/domain/ipv6.ts); undefined: 2001:db8::/32. */
  ipv6Pool?: string;
  /** HTTPS on the API port beside HTTP; the certificate is the operator's or made in the data dir. */
  tls: { enabled: boolean; certFile?: string; keyFile?: string };
  /**
   * The server key sealing the store's secrets (OPENECS_SERVER_KEY_FILE): one file every replica of
   * a database is given; undefined: `server.key` in the data dir, made on first start.
   */
  serverKeyFile?: string;
  /** What one request and one connection may cost the server (src/api/connection-limits.ts). */
  limits: HttpLimits;
  /** Requests per second per AccessKey (src/api/rate-limit.ts); undefined: not limited. */
  rateLimit?: RateLimitSettings;
  /** Prices and the account credit (OPENECS_PRICE_TABLE, else the shipped table), checked at start. */
  prices: PriceTable;
}

export interface HttpLimits {
  /** Request line (URL) and headers together: beyond it, 431. */
  maxHeaderBytes: number;
  /** The URL's query string alone: beyond it, 414. */
  maxQueryBytes: number;
  /** The body: beyond it, 413. */
  maxBodyBytes: number;
  /** Query and form parameters together: beyond it, 400. */
  maxParameters: number;
  /** From a connection's first byte (or the end of its previous answer) to the end of a request's headers. */
  headersTimeoutMs: number;
  /** From a request's first byte to the end of its body. */
  requestTimeoutMs: number;
  /** How long a kept-alive connection may sit idle between requests. */
  keepAliveTimeoutMs: number;
  /** Open connections from one peer address (0: no cap). */
  maxConnectionsPerIp: number;
}

export interface RateLimitSettings {
  /** Tokens added per second to each AccessKey's bucket. */
  perSecond: number;
  /** The bucket's size: calls one AccessKey may make at once after a quiet spell. */
  burst: number;
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
    ipv6Pool: ipv6PoolOf(env.OPENECS_IPV6_POOL),
    tls: { enabled: env.OPENECS_TLS !== '0', certFile: env.OPENECS_TLS_CERT || undefined, keyFile: env.OPENECS_TLS_KEY || undefined },
    serverKeyFile: env.OPENECS_SERVER_KEY_FILE ? resolve(env.OPENECS_SERVER_KEY_FILE) : undefined,
    limits: limitsOf(env),
    rateLimit: rateLimitOf(env),
    prices: loadPriceTable(env.OPENECS_PRICE_TABLE || undefined),
  };
}

/**
 * The V3 SDK puts every parameter, 32 KiB of UserData included, into the URL (api-protocol.md
 * §1.1): 128 KiB of query is about 2.5 times the largest RunInstances seen. The timeouts follow
 * nginx's order of magnitude, shorter for headers (what a slowloris client trickles); the
 * keep-alive idle time stays Node's, which the SDKs' agents already live with.
 */
function limitsOf(env: NodeJS.ProcessEnv): HttpLimits {
  const maxHeaderBytes = intOf('OPENECS_MAX_HEADER_KB', env.OPENECS_MAX_HEADER_KB, 256) * 1024;
  const requestTimeoutMs = intOf('OPENECS_REQUEST_TIMEOUT_MS', env.OPENECS_REQUEST_TIMEOUT_MS, 60_000);
  const limits: HttpLimits = {
    maxHeaderBytes,
    // Unset, it follows a header limit set lower than itself.
    maxQueryBytes: env.OPENECS_MAX_QUERY_KB ? intOf('OPENECS_MAX_QUERY_KB', env.OPENECS_MAX_QUERY_KB, 128) * 1024 : Math.min(128 * 1024, maxHeaderBytes),
    maxBodyBytes: intOf('OPENECS_MAX_BODY_MB', env.OPENECS_MAX_BODY_MB, 8) * 1024 * 1024,
    maxParameters: intOf('OPENECS_MAX_PARAMETERS', env.OPENECS_MAX_PARAMETERS, 5000),
    // Unset, it follows a request timeout set shorter than itself.
    headersTimeoutMs: env.OPENECS_HEADERS_TIMEOUT_MS ? intOf('OPENECS_HEADERS_TIMEOUT_MS', env.OPENECS_HEADERS_TIMEOUT_MS, 20_000) : Math.min(20_000, requestTimeoutMs),
    requestTimeoutMs,
    keepAliveTimeoutMs: intOf('OPENECS_KEEP_ALIVE_TIMEOUT_MS', env.OPENECS_KEEP_ALIVE_TIMEOUT_MS, 5_000),
    maxConnectionsPerIp: intOf('OPENECS_MAX_CONNECTIONS_PER_IP', env.OPENECS_MAX_CONNECTIONS_PER_IP, 0),
  };
  // A zero limit would refuse every request, a zero timeout would mean none (Node's meaning): both
  // are mistakes to stop at start.
  for (const [name, value] of [
    ['OPENECS_MAX_HEADER_KB', limits.maxHeaderBytes], ['OPENECS_MAX_QUERY_KB', limits.maxQueryBytes], ['OPENECS_MAX_BODY_MB', limits.maxBodyBytes],
    ['OPENECS_MAX_PARAMETERS', limits.maxParameters], ['OPENECS_REQUEST_TIMEOUT_MS', limits.requestTimeoutMs],
    ['OPENECS_HEADERS_TIMEOUT_MS', limits.headersTimeoutMs], ['OPENECS_KEEP_ALIVE_TIMEOUT_MS', limits.keepAliveTimeoutMs],
  ] as const) {
    if (value === 0) throw new Error(`${name} must be greater than 0`);
  }
  if (limits.maxQueryBytes > limits.maxHeaderBytes) throw new Error('OPENECS_MAX_QUERY_KB must not exceed OPENECS_MAX_HEADER_KB (the URL is part of the headers)');
  // Node's rule: a request whose headers are late must also be late as a whole.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) throw new Error('OPENECS_HEADERS_TIMEOUT_MS must not exceed OPENECS_REQUEST_TIMEOUT_MS');
  return limits;
}

/**
 * Off unless OPENECS_RATE_LIMIT_RPS is set: OpenECS mostly serves test suites, CI and Terraform
 * runs, where one AccessKey legitimately sends hundreds of calls a second, and real ECS's quotas
 * (per account and per API, tuned by Alibaba) are not published to copy. A shared deployment turns
 * it on; the burst defaults to two seconds' worth.
 */
function rateLimitOf(env: NodeJS.ProcessEnv): RateLimitSettings | undefined {
  const perSecond = intOf('OPENECS_RATE_LIMIT_RPS', env.OPENECS_RATE_LIMIT_RPS, 0);
  if (perSecond === 0) return undefined;
  const burst = intOf('OPENECS_RATE_LIMIT_BURST', env.OPENECS_RATE_LIMIT_BURST, 2 * perSecond);
  if (burst === 0) throw new Error('OPENECS_RATE_LIMIT_BURST must be greater than 0');
  return { perSecond, burst };
}

function databaseUrlOf(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (!/^postgres(ql)?:\/\//.test(v)) throw new Error(`OPENECS_DATABASE_URL must be a postgres:// (or postgresql://) URL, not ${v.split('@').pop()}`);
  return v;
}

/** A malformed pool stops the server at start rather than failing the first launch with a public address. */
function ipv6PoolOf(v: string | undefined): string | undefined {
  if (!v) return undefined;
  if (!validIpv6Pool(v)) throw new Error(`OPENECS_IPV6_POOL must be an IPv6 block of prefix length 56 or shorter without host bits (such as 2001:db8::/32), not ${v}`);
  return v;
}

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
