/**
 * Subscription (PrePaid) instances: the period bought at RunInstances / ModifyInstanceChargeType,
 * the expiry it gives, and the auto-renewal settings (metadata of RunInstances Period/PeriodUnit/
 * AutoRenew/AutoRenewPeriod and ModifyInstanceAutoRenewAttribute Duration/PeriodUnit/
 * RenewalStatus):
 * - Period: Month 1–9, 12, 24, 36, 48, 60; Week 1–4; required for PrePaid, refused for PostPaid;
 * - AutoRenewPeriod / Duration: Month 1, 2, 3, 6, 12, 24, 36, 48, 60; Week 1, 2, 3;
 * - RenewalStatus: AutoRenewal, Normal (renewed by hand) or NotRenewal (released at expiry).
 */

export const PERIOD_UNITS = ['Month', 'Week'] as const;
export type PeriodUnit = typeof PERIOD_UNITS[number];
const PERIODS: Record<PeriodUnit, readonly number[]> = { Month: [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 24, 36, 48, 60], Week: [1, 2, 3, 4] };
const RENEW_PERIODS: Record<PeriodUnit, readonly number[]> = { Month: [1, 2, 3, 6, 12, 24, 36, 48, 60], Week: [1, 2, 3] };
export const RENEWAL_STATUSES = ['AutoRenewal', 'Normal', 'NotRenewal'] as const;

export function isPeriodUnit(s: string): s is PeriodUnit {
  return (PERIOD_UNITS as readonly string[]).includes(s);
}

export function validPeriod(period: number, unit: PeriodUnit): boolean {
  return PERIODS[unit].includes(period);
}

export function validRenewPeriod(duration: number, unit: PeriodUnit): boolean {
  return RENEW_PERIODS[unit].includes(duration);
}

/** `from` plus `n` months (calendar months in UTC, the day clamped to the month's end) or weeks. */
export function addPeriod(from: number, n: number, unit: PeriodUnit): number {
  if (unit === 'Week') return from + n * 7 * 86_400_000;
  const d = new Date(from);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

export interface SubscriptionRequest {
  chargeType: string;
  period?: number;
  periodUnit?: string;
  autoRenew?: boolean;
  autoRenewPeriod?: number;
}

export interface Subscription {
  expiresAt: number | null;
  renewalStatus: string;
  renewalDuration: number;
  renewalUnit: string;
}

export type SubscriptionCheck = { ok: true; subscription: Subscription } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): SubscriptionCheck => ({ ok: false, code, message });

export const PAY_AS_YOU_GO: Subscription = { expiresAt: null, renewalStatus: '', renewalDuration: 0, renewalUnit: '' };

/** The subscription a launch (or a switch to PrePaid) buys at `now`, with RunInstances' codes. */
export function checkSubscription(r: SubscriptionRequest, now: number): SubscriptionCheck {
  const unit = r.periodUnit ?? 'Month';
  if (!isPeriodUnit(unit)) return refuse('InvalidPeriodType.ValueNotSupported', `The specified PeriodUnit "${unit}" is not valid: Month or Week.`);
  if (r.chargeType !== 'PrePaid') {
    if (r.period !== undefined || r.autoRenew === true) {
      return refuse('InvalidParameter', 'Period, PeriodUnit, AutoRenew and AutoRenewPeriod apply to subscription (PrePaid) instances only.');
    }
    return { ok: true, subscription: PAY_AS_YOU_GO };
  }
  if (r.period === undefined) return refuse('InvalidPeriod', 'Period is required for a subscription (PrePaid) instance.');
  if (!validPeriod(r.period, unit)) return refuse('InvalidPeriod', `The specified Period ${r.period} is not valid for PeriodUnit ${unit}.`);
  const renewPeriod = r.autoRenewPeriod ?? 1;
  if (r.autoRenew && !validRenewPeriod(renewPeriod, unit)) {
    return refuse('InvalidAutoRenewPeriod.ValueNotSupported', `The specified AutoRenewPeriod ${renewPeriod} is not valid for PeriodUnit ${unit}.`);
  }
  return {
    ok: true,
    subscription: {
      expiresAt: addPeriod(now, r.period, unit),
      renewalStatus: r.autoRenew ? 'AutoRenewal' : 'Normal',
      renewalDuration: r.autoRenew ? renewPeriod : 0,
      renewalUnit: unit,
    },
  };
}
