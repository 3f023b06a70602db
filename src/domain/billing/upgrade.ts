/**
 * What upgrading a subscription's instance type costs (ModifyPrepayInstanceSpec; quoted by
 * DescribeInstanceModificationPrice): the difference of the two hourly prices for the hours left of
 * the period, a started hour counting whole. Throws PriceNotFound for what the table does not price.
 */
import type { PriceTable } from './price-table.js';
import { instanceHourPrice, roundPrice, type InstanceSpec } from './pricing.js';

const HOUR_MS = 3_600_000;

export interface UpgradePrice {
  /** Hourly prices of the current and the new type. */
  was: number;
  will: number;
  /** Hours left of the period at `now`. */
  hours: number;
  /** (will − was) × hours, rounded as prices are; ≤ 0 when the new type is not dearer. */
  amount: number;
}

export function upgradePrice(t: PriceTable, regionId: string, from: InstanceSpec, to: InstanceSpec, expiresAt: number, now: number): UpgradePrice {
  const was = instanceHourPrice(t, regionId, from);
  const will = instanceHourPrice(t, regionId, to);
  const hours = Math.max(0, Math.ceil((expiresAt - now) / HOUR_MS));
  return { was, will, hours, amount: roundPrice((will - was) * hours) };
}
