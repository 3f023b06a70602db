/**
 * Settles an EIP's transitional status: Associating → InUse, Unassociating → Available (the
 * instance let go), Releasing → gone (its address back in the pool). AssociateEipAddress,
 * UnassociateEipAddress and ReleaseEipAddress write the transitional status and enqueue this
 * operation one driver transition time ahead in one transaction, so a client polling
 * DescribeEipAddresses sees the transitional status, as on the real service, and a restart loses
 * nothing. Every change is compare-and-set against the status read. The address translation on
 * the wire is compiled from the settled rows with the security policy (requested here).
 */
import { settledEipStatus } from '../../domain/eips.js';
import { deleteEip, getEipForEngine, setEipStatus } from '../../store/eips.js';
import { requestSecurityPolicy } from '../security-policy.js';
import type { EngineEnv, OperationRow, ReconcileResult } from '../engine.js';

export const EIP = 'eip';

export async function reconcileEip(op: OperationRow, env: EngineEnv): Promise<ReconcileResult> {
  const { db, clock } = env;
  const eip = await getEipForEngine(db, op.resource_id);
  const to = eip && settledEipStatus(eip.status);
  if (!eip || !to) return { done: true };
  const now = clock.now();
  const moved = await db.transaction().execute(async (trx) => {
    const ok = to === 'Released'
      ? await deleteEip(trx, eip, now)
      : await setEipStatus(trx, eip, to, now, to === 'Available' ? { instance_id: '', instance_type: '', private_ip: '' } : {});
    if (ok) await requestSecurityPolicy(trx, now);
    return ok;
  });
  // Moved by a request or another replica since it was read: the next run re-reads it.
  return moved ? { done: true } : { retryAt: now };
}
