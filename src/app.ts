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
import { withFaults } from './faults/driver.js';
import { QemuDriver } from './compute/qemu/driver.js';
import type { Config } from './config.js';
import { OffsetClock, SystemClock, type Clock } from './engine/clock.js';
import { Engine } from './engine/engine.js';
import { registerReconcilers } from './engine/reconcilers/index.js';
import { convergeAll } from './engine/converge.js';
import { engineSettingsFromEnv, replicaName, type EngineSettings } from './engine/settings.js';
import { retentionTimer } from './engine/retention.js';
import { meterTimer } from './engine/metering.js';
import { spotInterruptionTimer } from './engine/spot-interruptions.js';
import { auditRetentionFromEnv, auditRetentionTimer } from './audit/retention.js';
import { openStore } from './store/db.js';
import { bindSealer, Sealer } from './auth/secrets.js';
import { sealStoreSecrets } from './auth/seal-store.js';
import { ensurePrivateDataDir } from './auth/data-dir.js';
import { loadTlsIdentity, type TlsIdentity } from './api/tls-cert.js';
import { startGuestGateway, type GuestGateway } from './api/guest-gateway.js';

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
  /** Engine settings over those of the environment (OPENECS_ENGINE_*, OPENECS_OPERATION_*, OPENECS_RETAIN_*). */
  engine?: Partial<EngineSettings>;
  /** The server key's sealer (tests give a second replica the first one's, as OPENECS_SERVER_KEY_FILE does). */
  sealer?: Sealer;
}

export async function createApp(config: Config, overrides: AppOverrides = {}): Promise<App> {
  ensurePrivateDataDir(config.dataDir);
  const sealer = overrides.sealer ?? Sealer.forDataDir(config.dataDir, config.serverKeyFile);
  const db = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl });
  const clock = overrides.clock ?? (config.clock === 'offset' ? new OffsetClock() : new SystemClock());
  bindSealer(db, sealer);
  try {
    await sealStoreSecrets(db, sealer, clock.now());
  } catch (e) {
    await db.destroy();
    throw e;
  }
  const log = (msg: string, extra?: Record<string, unknown>) => console.error(`[openecs] ${msg}`, extra ? JSON.stringify(extra) : '');
  // Fault rules (src/faults/) can fail the driver's steps; without rules it is the driver itself.
  const driver = withFaults(overrides.driver
    ?? (config.driver === 'qemu' ? new QemuDriver({ dataDir: config.dataDir, log, sealer }) : new SimDriver(config.simDelayMs)), db);
  const engineSettings = { ...engineSettingsFromEnv(process.env, replicaName(config.dataDir)), ...overrides.engine };
  const engine = new Engine({ db, clock, driver, log }, engineSettings);
  registerReconcilers(engine);
  engine.addTimer(retentionTimer(engineSettings.retention));
  engine.addTimer(auditRetentionTimer(auditRetentionFromEnv()));
  engine.addTimer(meterTimer(config.prices));
  engine.addTimer(spotInterruptionTimer(config.prices));
  const services: Services = { db, clock, engine, driver, config, sealer };
  const root = await bootstrapRoot(db, config.dataDir, clock.now(),
    config.accessKeyId && config.accessKeySecret ? { id: config.accessKeyId, secret: config.accessKeySecret } : undefined);
  const dispatcher = createDispatcher(services, new Authenticator(db, config.signatureWindowMs, sealer, clock), allHandlers());
  const tls = config.tls.enabled
    ? await loadTlsIdentity({ dataDir: config.dataDir, host: config.host, certFile: config.tls.certFile, keyFile: config.tls.keyFile })
    : undefined;
  const http = buildHttpServer(dispatcher, { logRequests: config.logRequests, tls, limits: config.limits });
  let gateway: GuestGateway | undefined;

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
      // The driver's guests reach RAM role credentials and the API through its metadata service.
      const gatewayDir = await (driver as ComputeDriver).guestGatewayDir?.();
      if (gatewayDir) gateway = await startGuestGateway(gatewayDir, { db, sealer, clock, http, log });
      await engine.recover();
      await convergeAll(engine.env);
      if (overrides.startEngine !== false) engine.start();
      return app.url;
    },
    async close() {
      await engine.stop();
      await gateway?.close();
      await http.close();
      // The audit events still buffered, before the store closes.
      await dispatcher.close?.();
      await driver.close();
      await db.destroy();
    },
  };
  return app;
}
