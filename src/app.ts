/** Composes the server: store, clock, driver, engine, authentication, dispatcher, HTTP. */
import type { FastifyInstance } from 'fastify';
import { allHandlers } from './actions/index.js';
import type { Services } from './actions/types.js';
import { Authenticator } from './api/authenticate.js';
import { createDispatcher } from './api/dispatch.js';
import { buildHttpServer } from './api/server.js';
import { bootstrapRoot, type BootstrapResult } from './auth/accounts.js';
import type { ComputeDriver } from './compute/driver.js';
import { SimDriver } from './compute/sim.js';
import { QemuDriver } from './compute/qemu/driver.js';
import type { Config } from './config.js';
import { OffsetClock, SystemClock, type Clock } from './engine/clock.js';
import { Engine } from './engine/engine.js';
import { registerReconcilers } from './engine/reconcilers/index.js';
import { convergeAll } from './engine/converge.js';
import { openStore } from './store/db.js';
import { loadTlsIdentity, type TlsIdentity } from './api/tls-cert.js';

export interface App {
  services: Services;
  http: FastifyInstance;
  root: BootstrapResult;
  /** The address the server listens on, once listening. */
  url?: string;
  /** The TLS identity the API port also answers HTTPS with (unless OPENECS_TLS=0). */
  tls?: TlsIdentity;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface AppOverrides {
  clock?: Clock;
  driver?: ComputeDriver;
  /** Tests drive the engine themselves with a manual clock. */
  startEngine?: boolean;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  const db = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const clock = overrides.clock ?? (config.clock === 'offset' ? new OffsetClock() : new SystemClock());
  const log = (msg: string, extra?: Record<string, unknown>) => console.error(`[openecs] ${msg}`, extra ? JSON.stringify(extra) : '');
  const driver = overrides.driver
    ?? (config.driver === 'qemu' ? new QemuDriver({ dataDir: config.dataDir, log }) : new SimDriver(config.simDelayMs));
  const engine = new Engine({ db, clock, driver, log });
  registerReconcilers(engine);
  const services: Services = { db, clock, engine, driver, config };
  const root = await bootstrapRoot(db, config.dataDir, clock.now(),
    config.accessKeyId && config.accessKeySecret ? { id: config.accessKeyId, secret: config.accessKeySecret } : undefined);
  const dispatcher = createDispatcher(services, new Authenticator(db, config.signatureWindowMs), allHandlers());
  const tls = config.tls.enabled
    ? await loadTlsIdentity({ dataDir: config.dataDir, host: config.host, certFile: config.tls.certFile, keyFile: config.tls.keyFile })
    : undefined;
  const http = buildHttpServer(dispatcher, { logRequests: config.logRequests, tls });

  const app: App = {
    services,
    http,
    root,
    tls,
    async listen() {
      await http.listen({ host: config.host, port: config.port });
      const addr = http.server.address();
      const port = typeof addr === 'object' && addr ? addr.port : config.port;
      app.url = `http://${config.host}:${port}`;
      await convergeAll(engine.env);
      if (overrides.startEngine !== false) engine.start();
      return app.url;
    },
    async close() {
      await engine.stop();
      await http.close();
      await driver.close();
      await db.destroy();
    },
  };
  return app;
}
