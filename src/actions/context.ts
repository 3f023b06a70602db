/** Builds the ActionContext for one request (see types.ts). */
import { errors } from '../domain/errors.js';
import { enqueue as enqueueOp } from '../engine/operations.js';
import type { ActionContext, ResponseBody, Services, Tx } from './types.js';
import type { Principal } from '../auth/accounts.js';
import type { Product } from '../api/spec.js';

export interface Idempotency {
  clientToken: string;
  paramsHash: string;
}

export function makeContext(
  services: Services,
  req: { requestId: string; product: Product; action: string; principal: Principal; regionId: string; dryRun: boolean; sourceIp?: string },
  idempotency?: Idempotency,
): ActionContext {
  return {
    ...services,
    ...req,
    now: () => services.clock.now(),
    async mutate<T extends ResponseBody>(fn: (trx: Tx, enqueue: (op: Parameters<typeof enqueueOp>[1]) => Promise<void>) => Promise<T>): Promise<T> {
      if (req.dryRun) throw errors.dryRun();
      const result = await services.db.transaction().execute(async (trx) => {
        const key = idempotency && { account_id: req.principal.accountId, action: `${req.product}:${req.action}`, client_token: idempotency.clientToken };
        // The ClientToken's key is taken first: a concurrent request with the same token (on this
        // or another replica) waits on it and then fails on it, and dispatch replays this answer;
        // taken last, the two would race on other unique keys first (addresses, names) and one
        // would fail with an error that is not the token's.
        if (key) {
          await trx.insertInto('idempotency').values({ ...key, params_hash: idempotency!.paramsHash, response: '{}', created_at: services.clock.now() }).execute();
        }
        const value = await fn(trx, async (op) => {
          await enqueueOp(trx, { accountId: req.principal.accountId, ...op }, services.clock.now());
        });
        if (key) {
          await trx.updateTable('idempotency').set({ response: JSON.stringify(value) })
            .where('account_id', '=', key.account_id).where('action', '=', key.action).where('client_token', '=', key.client_token).execute();
        }
        return value;
      });
      // A committed change may have enqueued operations (the store's writers request the
      // security-policy one themselves), so the engine looks at once rather than at its next poll.
      services.engine.wake();
      return result;
    },
  };
}
