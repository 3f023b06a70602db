/**
 * What the engine does after a reconciler fails: retry later with capped exponential backoff,
 * forever if need be; never leave a resource in a transitional state with nobody working on it.
 * After `giveUpAfter` failed attempts the kind's give-up (if it has one) moves the resource to a
 * documented settled state (an instance that cannot start is Stopped again); only then is the
 * operation `failed`, and if the give-up itself fails, retries go on.
 */
export interface RetryPolicy {
  /** Delay after the first failure; doubled for each further one. */
  baseMs: number;
  /** The longest delay between two attempts. */
  capMs: number;
  /** Failed attempts in a row after which the kind's give-up is tried. */
  giveUpAfter: number;
}

export const DEFAULT_RETRY: RetryPolicy = { baseMs: 500, capMs: 30_000, giveUpAfter: 20 };

/** The delay before attempt `attempts + 1`, `attempts` being the failures so far (≥ 1). */
export function backoffMs(policy: RetryPolicy, attempts: number): number {
  const n = Math.max(1, attempts);
  // 2 ** n overflows to Infinity long after the cap: min() keeps it finite.
  return Math.min(policy.baseMs * 2 ** (n - 1), policy.capMs);
}

export type AfterFailure = { next: 'retry'; inMs: number } | { next: 'give-up' };

/** After the `attempts`-th failure in a row: retry in a while, or try the kind's give-up. */
export function afterFailure(policy: RetryPolicy, attempts: number, canGiveUp: boolean): AfterFailure {
  if (canGiveUp && attempts >= policy.giveUpAfter) return { next: 'give-up' };
  return { next: 'retry', inMs: backoffMs(policy, attempts) };
}
