/**
 * What happens to a subscription (PrePaid) instance after its ExpiredTime, by the user guide's
 * renewal chapter (002 L1299–1330):
 * - for 15 days after expiry it keeps running; it can be renewed by hand or automatically, and a
 *   renewal then extends the period from the old expiry (expired 04-25, renewed 05-09 → 05-25);
 * - 15 days after expiry it is stopped (DescribeInstances `OperationLocks` LockReason `financial`)
 *   until renewed; only a manual renewal is possible then, and the new period starts at the
 *   renewal, its end rounded up to the next whole day (renewed 05-23 08:09:35 → 06-24 00:00:00);
 * - 15 days after it was stopped, it is released.
 * Auto-renewal (RenewalStatus AutoRenewal) renews for AutoRenewPeriod at expiry. NotRenewal only
 * changes the reminders ECS sends, not this sequence.
 */
import { addPeriod, type PeriodUnit } from './subscription.js';

const DAY_MS = 86_400_000;
/** Days an expired subscription keeps running, then days it stays stopped before release. */
export const GRACE_MS = 15 * DAY_MS;
export const RETENTION_MS = 15 * DAY_MS;
/** The longest a subscription can be bought ahead (RunInstances' longest Period, 60 months). */
export const MAX_AHEAD_MONTHS = 60;

export type RenewUnit = PeriodUnit | 'Year';

export interface Lifecycle {
  expiresAt: number;
  /** When it was stopped for expiry (the `financial` lock), null while not. */
  stoppedAt: number | null;
  autoRenew: boolean;
  renewDuration: number;
  renewUnit: string;
}

export type ExpiryStep =
  | { kind: 'renew'; expiresAt: number }
  | { kind: 'stop'; at: number }
  | { kind: 'release' }
  | { kind: 'none' };

/** `from` plus `n` of a renewal unit (a Year is 12 calendar months). */
export function addRenewPeriod(from: number, n: number, unit: RenewUnit): number {
  return unit === 'Year' ? addPeriod(from, 12 * n, 'Month') : addPeriod(from, n, unit);
}

/** The next UTC midnight at or after `t`. */
export function ceilToDay(t: number): number {
  return Math.ceil(t / DAY_MS) * DAY_MS;
}

/** The expiry a manual renewal of `n` `unit` gives at `now` (see the header for the two cases). */
export function renewedExpiry(l: Pick<Lifecycle, 'expiresAt' | 'stoppedAt'>, n: number, unit: RenewUnit, now: number): number {
  if (l.stoppedAt === null) return addRenewPeriod(l.expiresAt, n, unit);
  return ceilToDay(addRenewPeriod(now, n, unit));
}

/** Whether an expiry lies beyond what can be bought at `now`. */
export function beyondMaximum(expiresAt: number, now: number): boolean {
  return expiresAt > addPeriod(now, MAX_AHEAD_MONTHS, 'Month') + DAY_MS;
}

/**
 * What the engine does with a subscription at `now`. An auto-renewal that the clock overtook by
 * several periods (a server that was down, an AdvanceClock) renews period after period, as the
 * renewals at each expiry would have.
 */
export function expiryStep(l: Lifecycle, now: number): ExpiryStep {
  if (l.stoppedAt !== null) return now >= l.stoppedAt + RETENTION_MS ? { kind: 'release' } : { kind: 'none' };
  if (l.expiresAt > now) return { kind: 'none' };
  const unit = l.renewUnit === 'Week' || l.renewUnit === 'Year' ? l.renewUnit : 'Month';
  if (l.autoRenew && l.renewDuration > 0) {
    let t = l.expiresAt;
    for (let i = 0; t <= now && i < 10_000; i++) t = addRenewPeriod(t, l.renewDuration, unit);
    return { kind: 'renew', expiresAt: t };
  }
  // Stopped at the documented moment, so retention counts from it even when the clock jumped past.
  if (now >= l.expiresAt + GRACE_MS) return { kind: 'stop', at: l.expiresAt + GRACE_MS };
  return { kind: 'none' };
}
