/**
 * The spot (preemptible) instance market: a deterministic price per region, zone and instance
 * type for every hour, so DescribeSpotPriceHistory, DescribeSpotAdvice, the launch check of
 * SpotPriceLimit and the engine's interruption timer all agree, on every replica, at any clock.
 *
 * The price is a fraction of the pay-as-you-go (origin) price: a per-market base level, a slow
 * wave (period 12-48 hours) and a small hourly jitter, all from a hash of the market's key and
 * the hour, constant within the hour. Prices have 3 decimals, as SpotPriceLimit does.
 *
 * The origin price is the price table's hourly price of the type (src/domain/billing, what
 * DescribePrice answers for pay-as-you-go), plus a Windows licence per vCPU for OSType=windows:
 * the table has no OS dimension, and the spot history is asked per OS.
 */
import { instanceHourPrice, type InstanceSpec } from './billing/pricing.js';
import type { PriceTable } from './billing/price-table.js';

export const HOUR_MS = 3_600_000;
/** The Windows licence an hour per vCPU (in the price table's currency) a Windows spot instance's origin price adds. */
export const WINDOWS_LICENCE_PER_VCPU_HOUR = 0.05;
/** Spot prices stay within these fractions of the origin price. */
export const MIN_SPOT_FRACTION = 0.1;
export const MAX_SPOT_FRACTION = 0.9;

export type SpotOsType = 'linux' | 'windows';

export interface MarketKey { regionId: string; zoneId: string; instanceType: string }

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/** The origin price of a spot market (3 decimals, at least 0.001): the pay-as-you-go hourly price, with the Windows licence for Windows. */
export function originPrice(payAsYouGoHour: number, cpu: number, os: SpotOsType = 'linux'): number {
  return Math.max(0.001, round3(payAsYouGoHour + (os === 'windows' ? cpu * WINDOWS_LICENCE_PER_VCPU_HOUR : 0)));
}

/** The origin price of a type from the price table (throws the table's PriceNotFound for a type or region it does not price). */
export function tableOriginPrice(table: PriceTable, regionId: string, type: InstanceSpec, os: SpotOsType = 'linux'): number {
  return originPrice(instanceHourPrice(table, regionId, type), type.cpu, os);
}

/** FNV-1a of a string: the market's seed. */
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A number in [0, 1) from two integers (a splitmix-style finaliser). */
function unit(a: number, b: number): number {
  let h = (a ^ Math.imul(b + 0x9e3779b9, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** The start of the hour containing `at` (epoch ms): the price's Timestamp. */
export const hourStart = (at: number) => Math.floor(at / HOUR_MS) * HOUR_MS;

/** The market's price as a fraction of the origin price during the hour containing `at`. */
export function spotFraction(m: MarketKey, at: number): number {
  const seed = fnv(`${m.regionId}/${m.zoneId}/${m.instanceType}`);
  const hour = Math.floor(at / HOUR_MS);
  const base = 0.15 + 0.2 * unit(seed, 1);
  const amplitude = 0.05 + 0.15 * unit(seed, 2);
  const period = 12 + Math.floor(36 * unit(seed, 3));
  const phase = unit(seed, 4);
  const jitter = (unit(seed ^ hour, 5) - 0.5) * 0.04;
  const f = base + amplitude * Math.sin(2 * Math.PI * (hour / period + phase)) + jitter;
  return Math.min(MAX_SPOT_FRACTION, Math.max(MIN_SPOT_FRACTION, f));
}

/** The spot price an hour (3 decimals) of the market whose origin price is `origin`, during the hour containing `at`. */
export function spotPrice(m: MarketKey, origin: number, at: number): number {
  return Math.max(0.001, round3(origin * spotFraction(m, at)));
}

export interface PricePoint { timestamp: number; spotPrice: number; originPrice: number }

/** One point per hour whose start lies in [from, to] (the hour containing `from` included), oldest first. */
export function priceHistory(m: MarketKey, origin: number, from: number, to: number): PricePoint[] {
  const points: PricePoint[] = [];
  for (let h = hourStart(from); h <= to; h += HOUR_MS) points.push({ timestamp: h, spotPrice: spotPrice(m, origin, h), originPrice: origin });
  return points;
}

/** DescribeSpotPriceHistory's window: at most 30 days, 3 hours before the end by default. */
export const MAX_HISTORY_MS = 30 * 86_400_000;
export const DEFAULT_HISTORY_MS = 3 * HOUR_MS;

/**
 * How often the market interrupts: the share of the last 30 days' hours (%) in which the price
 * rose by more than 5 % of the origin price over the hour before — the moves that pass bidders'
 * limits. With the market's average fraction: DescribeSpotAdvice's InterruptionRate and
 * AverageSpotDiscount (the average price as a % of the origin price, 1-100).
 */
export interface SpotAdvice { interruptionRate: number; interruptRateDesc: string; averageSpotDiscount: number }

const RATE_LEVELS: readonly [number, string][] = [[3, '0-3%'], [5, '3-5%'], [10, '5-10%'], [Infinity, '10-100%']];

export function interruptRateDesc(rate: number): string {
  return RATE_LEVELS.find(([max]) => rate < max)![1];
}

export function spotAdvice(m: MarketKey, now: number): SpotAdvice {
  const end = hourStart(now);
  const hours = MAX_HISTORY_MS / HOUR_MS;
  let sum = 0;
  let jumps = 0;
  let prev = spotFraction(m, end - hours * HOUR_MS);
  for (let i = hours - 1; i >= 0; i--) {
    const f = spotFraction(m, end - i * HOUR_MS);
    sum += f;
    if (f - prev > 0.05) jumps++;
    prev = f;
  }
  const interruptionRate = Math.round((jumps / hours) * 10_000) / 100;
  return {
    interruptionRate,
    interruptRateDesc: interruptRateDesc(interruptionRate),
    averageSpotDiscount: Math.min(100, Math.max(1, Math.round((sum / hours) * 100))),
  };
}

/** The first hour start after `after` (up to `horizonHours` ahead) whose price is above `limit`; null if none. */
export function nextPriceAbove(m: MarketKey, origin: number, limit: number, after: number, horizonHours = 24 * 14): number | null {
  for (let h = hourStart(after) + HOUR_MS, i = 0; i < horizonHours; h += HOUR_MS, i++) {
    if (spotPrice(m, origin, h) > limit) return h;
  }
  return null;
}

/** The market price of a type in a zone at `at`, its origin from the price table. */
export function marketPrice(table: PriceTable, m: MarketKey, type: InstanceSpec, at: number, os: SpotOsType = 'linux'): number {
  return spotPrice(m, tableOriginPrice(table, m.regionId, type, os), at);
}
