/**
 * How the console shows and offers a subscription: charge type names, the expiry, the
 * `financial` lock, and the periods each action takes. The period lists are those of the
 * actions' metadata (RunInstances Period, RenewInstance Period, ModifyInstanceAutoRenewAttribute
 * Duration), the same the server checks (src/domain/instances/subscription.ts), so the forms
 * offer only what the server takes.
 */
// Relative, with the extension: the server's tsc follows this file too (test/unit/console-lists.test.ts imports it).
import type { Instance } from '../api/types.js';

export const CHARGE_TYPE_LABELS: Record<string, string> = { PostPaid: 'Pay-As-You-Go', PrePaid: 'Subscription' };

export const chargeTypeLabel = (t?: string) => (t ? CHARGE_TYPE_LABELS[t] ?? t : '-');

export const isSubscription = (i: Instance) => i.InstanceChargeType === 'PrePaid';

/** A pay-as-you-go instance bought at the spot price (SpotStrategy other than NoSpot). */
export const isSpot = (i: Instance) => !!i.SpotStrategy && i.SpotStrategy !== 'NoSpot';

/** Stopped because its subscription ran out (OperationLocks `financial`): only a renewal starts it again. */
export const isExpiryLocked = (i: Instance) => (i.OperationLocks?.LockReason ?? []).some((l) => l.LockReason === 'financial');

/** ExpiredTime as the API gives it (`2026-12-23T06:00Z`, UTC) shown as `2026-12-23 06:00 UTC`. */
export const expiryText = (expiredTime?: string) => (expiredTime ? `${expiredTime.replace('T', ' ').replace(/Z$/, '')} UTC` : '-');

export type PeriodUnit = 'Month' | 'Week';
export const PERIOD_UNITS: PeriodUnit[] = ['Month', 'Week'];

/** What RunInstances and RenewInstance take as Period. */
export const PURCHASE_PERIODS: Record<PeriodUnit, number[]> = { Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60], Week: [1, 2, 3, 4] };
/** What RunInstances' AutoRenewPeriod and ModifyInstanceAutoRenewAttribute's Duration take. */
export const RENEW_DURATIONS: Record<PeriodUnit, number[]> = { Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Week: [1, 2, 3] };

export const periodOptions = (periods: number[], unit: string) =>
  periods.map((n) => ({ value: n, label: `${n} ${unit.toLowerCase()}${n === 1 ? '' : 's'}` }));

/** RenewalStatus values of ModifyInstanceAutoRenewAttribute, as the console names them. */
export const RENEWAL_STATUS_LABELS: Record<string, string> = {
  AutoRenewal: 'Auto-renew at expiry',
  Normal: 'Renew manually',
  NotRenewal: 'Do not renew (released after expiry)',
};

/**
 * DescribeRenewalPrice's term for a renewal of `period` `unit`s: it quotes Month 1–9 and Year 1–3
 * only (its metadata), so weekly renewals and 4–5 years get no quote.
 */
export function renewalPriceTerm(period: number, unit: string): { Period: number; PriceUnit: 'Month' | 'Year' } | undefined {
  if (unit !== 'Month') return undefined;
  if (period <= 9) return { Period: period, PriceUnit: 'Month' };
  return period % 12 === 0 && period / 12 <= 3 ? { Period: period / 12, PriceUnit: 'Year' } : undefined;
}
