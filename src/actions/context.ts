/** Builds the ActionContext for one request (see types.ts). */
import { errors } from '../api/errors.js';
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
  req: { requestId: string; product: Product; action: string; principal: Principal; regionId: string; dryRun: boolean },
  idempotency?: Idempotency,
): ActionContext {
  return {
    ...services,
    ...req,
    now: () => services.clock.now(),
    async mutate<T extends ResponseBody>(fn: (trx: Tx, enqueue: (op: Parameters<typeof enqueueOp>[1]) => Promise<void>) => Promise<T>): Promise<T> {
      if (req.dryRun) throw errors.dryRun();
      const result = await services.db.transaction().execute(async (trx) => {
        const value = await fn(trx, async (op) => {
          await enqueueOp(trx, { accountId: req.principal.accountId, ...op }, services.clock.now());
        });
        if (idempotency) {
          await trx.insertInto('idempotency').values({
            account_id: req.principal.accountId,
            action: `${req.product}:${req.action}`,
            client_token: idempotency.clientToken,
            params_hash: idempotency.paramsHash,
            response: JSON.stringify(value),
            created_at: services.clock.now(),
          }).execute();
        }
        return value;
      });
      // Any committed change may concern a timer too (security group rules reach the wire through
      // one), so the engine looks at once rather than at its next poll.
      services.engine.wake();
      return result;
    },
  };
}
