/**
 * The price table: data an operator can replace (OPENECS_PRICE_TABLE; the shipped one is
 * src/domain/billing/prices.json). Hourly list prices per instance family (per vCPU and per GiB of
 * memory, or per instance type), per disk category (per GiB-month, scaled by ESSD performance
 * level), per Mbps of fixed bandwidth; a multiplier per region; discounts of subscriptions by
 * period. `parsePriceTable` checks a table whole, so a malformed one stops the server at start
 * with the path of the bad field instead of mispricing later.
 */

export const PRICE_UNITS = ['Hour', 'Week', 'Month', 'Year'] as const;
export type PriceUnit = typeof PRICE_UNITS[number];

export interface FamilyPrice { vcpuHour: number; memoryGiBHour: number }
export interface DiskPrice { gibMonth: number; performanceLevels?: Record<string, number> }
export interface SubscriptionDiscount { unit: 'Week' | 'Month' | 'Year'; period: number; rate: number; ruleId: number; description: string }

export interface PriceTable {
  currency: string;
  /** What each account may spend (QueryAccountBalance starts from it). */
  accountCredit: number;
  regions: Record<string, number>;
  instanceFamilies: Record<string, FamilyPrice>;
  /** Hourly prices of single types, ahead of their family's per-vCPU/per-GiB price. */
  instanceTypes: Record<string, number>;
  diskCategories: Record<string, DiskPrice>;
  bandwidth: { payByBandwidthMbpsHour: number; payByTrafficGB: number };
  /** Hours a price unit stands for: the list price of a period is the hourly price times them. */
  hoursPerUnit: Record<PriceUnit, number>;
  subscriptionDiscounts: SubscriptionDiscount[];
}

export class PriceTableError extends Error {}

type Json = unknown;

function fail(path: string, why: string): never {
  throw new PriceTableError(`price table: "${path}" ${why}`);
}

function object(v: Json, path: string): Record<string, Json> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) fail(path, 'must be an object');
  return v as Record<string, Json>;
}

function amount(v: Json, path: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(path, 'must be a number of at least 0');
  return v;
}

function map<T>(v: Json, path: string, each: (x: Json, p: string) => T): Record<string, T> {
  const out: Record<string, T> = {};
  for (const [k, x] of Object.entries(object(v, path))) out[k] = each(x, `${path}.${k}`);
  return out;
}

/** The table, checked field by field; throws PriceTableError naming the first bad one. */
export function parsePriceTable(raw: Json): PriceTable {
  const t = object(raw, '$');
  if (typeof t.currency !== 'string' || !/^[A-Z]{3}$/.test(t.currency)) fail('currency', 'must be a three-letter currency code');
  const hours = object(t.hoursPerUnit, 'hoursPerUnit');
  const hoursPerUnit = {} as Record<PriceUnit, number>;
  for (const u of PRICE_UNITS) {
    hoursPerUnit[u] = amount(hours[u], `hoursPerUnit.${u}`);
    if (hoursPerUnit[u] === 0) fail(`hoursPerUnit.${u}`, 'must be more than 0');
  }
  const bw = object(t.bandwidth, 'bandwidth');
  if (!Array.isArray(t.subscriptionDiscounts)) fail('subscriptionDiscounts', 'must be a list');
  const subscriptionDiscounts = (t.subscriptionDiscounts as Json[]).map((d, i): SubscriptionDiscount => {
    const path = `subscriptionDiscounts[${i}]`;
    const o = object(d, path);
    if (o.unit !== 'Week' && o.unit !== 'Month' && o.unit !== 'Year') fail(`${path}.unit`, 'must be Week, Month or Year');
    const period = amount(o.period, `${path}.period`);
    if (!Number.isInteger(period) || period < 1) fail(`${path}.period`, 'must be a whole number of at least 1');
    const rate = amount(o.rate, `${path}.rate`);
    if (rate >= 1) fail(`${path}.rate`, 'must be less than 1 (a fraction off the list price)');
    const ruleId = amount(o.ruleId, `${path}.ruleId`);
    if (typeof o.description !== 'string') fail(`${path}.description`, 'must be a string');
    return { unit: o.unit, period, rate, ruleId, description: o.description };
  });
  return {
    currency: t.currency,
    accountCredit: amount(t.accountCredit, 'accountCredit'),
    regions: map(t.regions, 'regions', amount),
    instanceFamilies: map(t.instanceFamilies, 'instanceFamilies', (f, p) => {
      const o = object(f, p);
      return { vcpuHour: amount(o.vcpuHour, `${p}.vcpuHour`), memoryGiBHour: amount(o.memoryGiBHour, `${p}.memoryGiBHour`) };
    }),
    instanceTypes: map(t.instanceTypes ?? {}, 'instanceTypes', amount),
    diskCategories: map(t.diskCategories, 'diskCategories', (d, p) => {
      const o = object(d, p);
      const out: DiskPrice = { gibMonth: amount(o.gibMonth, `${p}.gibMonth`) };
      if (o.performanceLevels !== undefined) out.performanceLevels = map(o.performanceLevels, `${p}.performanceLevels`, amount);
      return out;
    }),
    bandwidth: {
      payByBandwidthMbpsHour: amount(bw.payByBandwidthMbpsHour, 'bandwidth.payByBandwidthMbpsHour'),
      payByTrafficGB: amount(bw.payByTrafficGB, 'bandwidth.payByTrafficGB'),
    },
    hoursPerUnit,
    subscriptionDiscounts,
  };
}
