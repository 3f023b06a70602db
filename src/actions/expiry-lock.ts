/**
 * A subscription stopped for expiry (src/domain/instances/subscription-lifecycle.ts), or a
 * pay-as-you-go instance stopped for its account's arrears (src/engine/arrears.ts), carries the
 * `financial` lock: the actions whose metadata lists `InstanceExpiredOrInArrears` (or its
 * relatives) refuse it until RenewInstance (ReActivateInstances) lifts the lock.
 */
import { EcsError } from '../domain/errors.js';
import type { InstanceRow } from '../store/instances.js';

export function isExpiryLocked(row: Pick<InstanceRow, 'expiry_stopped_at'>): boolean {
  return row.expiry_stopped_at !== null && row.expiry_stopped_at !== undefined;
}

/** The lock's refusal, with the code the action's metadata lists (InstanceExpiredOrInArrears by default). */
export function expiryLockError(row: Pick<InstanceRow, 'id' | 'expires_at'>, code = 'InstanceExpiredOrInArrears'): EcsError {
  // Pay-as-you-go (no expiry): stopped for the account's overdue payment (src/engine/arrears.ts).
  if (row.expires_at === null || row.expires_at === undefined) {
    return new EcsError(code, `The specified operation is denied as your pay-as-you-go instance ${row.id} is stopped for an overdue payment; settle it and reactivate the instance (ReActivateInstances) first.`, 403);
  }
  const at = row.expires_at ? new Date(row.expires_at).toISOString() : 'its expiry';
  return new EcsError(code, `The specified operation is denied as your prepay instance ${row.id} is expired (since ${at}) and stopped; renew it (RenewInstance) first.`, 403);
}

export function refuseIfExpiryLocked(row: Pick<InstanceRow, 'id' | 'expires_at' | 'expiry_stopped_at'>, code?: string): void {
  if (isExpiryLocked(row)) throw expiryLockError(row, code);
}
