/**
 * A subscription stopped for expiry (src/domain/instances/subscription-lifecycle.ts) carries the
 * `financial` lock: the actions whose metadata lists `InstanceExpiredOrInArrears` (or its
 * relatives) refuse it until RenewInstance lifts the lock.
 */
import { EcsError } from '../domain/errors.js';
import type { InstanceRow } from '../store/instances.js';

export function isExpiryLocked(row: Pick<InstanceRow, 'expiry_stopped_at'>): boolean {
  return row.expiry_stopped_at !== null && row.expiry_stopped_at !== undefined;
}

/** The lock's refusal, with the code the action's metadata lists (InstanceExpiredOrInArrears by default). */
export function expiryLockError(row: Pick<InstanceRow, 'id' | 'expires_at'>, code = 'InstanceExpiredOrInArrears'): EcsError {
  const at = row.expires_at ? new Date(row.expires_at).toISOString() : 'its expiry';
  return new EcsError(code, `The specified operation is denied as your prepay instance ${row.id} is expired (since ${at}) and stopped; renew it (RenewInstance) first.`, 403);
}

export function refuseIfExpiryLocked(row: Pick<InstanceRow, 'id' | 'expires_at' | 'expiry_stopped_at'>, code?: string): void {
  if (isExpiryLocked(row)) throw expiryLockError(row, code);
}
