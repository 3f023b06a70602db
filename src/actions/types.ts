/**
 * What an action handler gets and returns. A handler checks, then writes through `ctx.mutate`,
 * which answers DryRunOperation for a dry run, runs one transaction, records the ClientToken's
 * response in it, and wakes the engine for any operation enqueued.
 */
import type { Transaction } from 'kysely';
import type { Params } from '../api/params.js';
import type { Product } from '../api/spec.js';
import type { Principal } from '../auth/accounts.js';
import type { Config } from '../config.js';
import type { Engine } from '../engine/engine.js';
import type { NewOperation } from '../engine/operations.js';
import type { Clock } from '../engine/clock.js';
import type { ComputeDriver } from '../compute/driver.js';
import type { Db } from '../store/db.js';
import type { Sealer } from '../auth/secrets.js';
import type { Database } from '../store/schema.js';

export type Tx = Transaction<Database>;
export type ResponseBody = Record<string, unknown>;

export interface Services {
  db: Db;
  clock: Clock;
  engine: Engine;
  driver: ComputeDriver;
  config: Config;
  /** Seals and opens what the store keeps of secrets, under the server key (src/auth/secrets.ts). */
  sealer: Sealer;
}

export interface ActionContext extends Services {
  requestId: string;
  product: Product;
  action: string;
  principal: Principal;
  /** The request's RegionId when the action takes one. */
  regionId: string;
  dryRun: boolean;
  /** The caller's address as the connection gives it (console sign-in's LoginNetworkMasks). */
  sourceIp?: string;
  now(): number;
  /**
   * Runs `fn` in one transaction after the DryRun gate; `enqueue` schedules durable engine work
   * in the same transaction. The value `fn` returns is the response remembered for ClientToken.
   */
  mutate<T extends ResponseBody>(fn: (trx: Tx, enqueue: (op: NewOperation) => Promise<void>) => Promise<T>): Promise<T>;
}

export type Handler = (ctx: ActionContext, p: Params) => Promise<ResponseBody>;
export type HandlerMap = Record<string, Handler>;
