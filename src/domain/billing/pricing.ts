/**
 * Prices from the price table (price-table.ts), in the shape ECS DescribePrice answers: each
 * resource's original price, discount and trade price, and their sums. A period's list price is
 * the hourly price times the hours of the period (hoursPerUnit); a subscription's discount is the
 * table's rate for its unit and the longest listed period not beyond it (12 months count as a year).
 */
import type { PriceTable, PriceUnit, SubscriptionDiscount } from './price-table.js';

export type PricedResource = 'instanceType' | 'systemDisk' | 'dataDisk' | 'bandwidth';

export interface DiskSpec { category: string; size: number; performanceLevel?: string }
export interface InstanceSpec { id: string; family: string; cpu: number; memoryGiB: number }

export interface PriceSpec {
  regionId: string;
  instanceType?: InstanceSpec;
  systemDisk?: DiskSpec;
  dataDisks?: DiskSpec[];
  /** Fixed bandwidth is priced per Mbps; traffic is billed per GB used, so it adds nothing here. */
  bandwidth?: { chargeType: string; mbps: number };
}

export interface PricedItem { resource: PricedResource; original: number; discount: number; trade: number }

export interface Quote {
  currency: string;
  original: number;
  discount: number;
  trade: number;
  items: PricedItem[];
  rule?: { ruleId: number; description: string };
}

/** What the table has no price for: ECS answers PriceNotFound. */
export class PriceNotFound extends Error {}

/** Prices are kept to 1/10000 of the currency unit, as DescribePrice shows them. */
export function roundPrice(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function regionFactor(t: PriceTable, regionId: string): number {
  const f = t.regions[regionId];
  if (f === undefined) throw new PriceNotFound(`The price table has no prices for the region ${regionId}.`);
  return f;
}

/** The hourly list price of an instance type in a region. */
export function instanceHourPrice(t: PriceTable, regionId: string, type: InstanceSpec): number {
  const own = t.instanceTypes[type.id];
  if (own !== undefined) return own * regionFactor(t, regionId);
  const fam = t.instanceFamilies[type.family];
  if (!fam) throw new PriceNotFound(`The price table has no price for the instance type ${type.id} (family ${type.family}).`);
  return (type.cpu * fam.vcpuHour + type.memoryGiB * fam.memoryGiBHour) * regionFactor(t, regionId);
}

/** The hourly list price of a disk: its GiB-month price (times its performance level's factor) over a month's hours. */
export function diskHourPrice(t: PriceTable, regionId: string, disk: DiskSpec): number {
  const cat = t.diskCategories[disk.category];
  if (!cat) throw new PriceNotFound(`The price table has no price for the disk category ${disk.category}.`);
  const level = disk.performanceLevel && cat.performanceLevels ? cat.performanceLevels[disk.performanceLevel] : 1;
  if (level === undefined) throw new PriceNotFound(`The price table has no price for ${disk.category} ${disk.performanceLevel}.`);
  return (cat.gibMonth * level * disk.size / t.hoursPerUnit.Month) * regionFactor(t, regionId);
}

/** The hourly list price of fixed (PayByBandwidth) public bandwidth; traffic (PayByTraffic) is billed per GB. */
export function bandwidthHourPrice(t: PriceTable, regionId: string, chargeType: string, mbps: number): number {
  if (chargeType !== 'PayByBandwidth' || mbps <= 0) return 0;
  return mbps * t.bandwidth.payByBandwidthMbpsHour * regionFactor(t, regionId);
}

/** The list price of a GB of outbound traffic (PayByTraffic) in a region. */
export function trafficGBPrice(t: PriceTable, regionId: string): number {
  return t.bandwidth.payByTrafficGB * regionFactor(t, regionId);
}

/** A subscription period as the table's discounts count it: whole years when the months make some. */
export function normalPeriod(unit: PriceUnit, period: number): { unit: PriceUnit; period: number } {
  return unit === 'Month' && period >= 12 && period % 12 === 0 ? { unit: 'Year', period: period / 12 } : { unit, period };
}

export function discountFor(t: PriceTable, unit: PriceUnit, period: number): SubscriptionDiscount | undefined {
  if (unit === 'Hour') return undefined;
  const n = normalPeriod(unit, period);
  return t.subscriptionDiscounts
    .filter((d) => d.unit === n.unit && d.period <= n.period)
    .sort((a, b) => b.period - a.period)[0];
}

/** The hourly list price of each resource of a spec. */
export function hourlyPrices(t: PriceTable, spec: PriceSpec): { resource: PricedResource; hourly: number }[] {
  const out: { resource: PricedResource; hourly: number }[] = [];
  regionFactor(t, spec.regionId);
  if (spec.instanceType) out.push({ resource: 'instanceType', hourly: instanceHourPrice(t, spec.regionId, spec.instanceType) });
  if (spec.systemDisk) out.push({ resource: 'systemDisk', hourly: diskHourPrice(t, spec.regionId, spec.systemDisk) });
  const data = (spec.dataDisks ?? []).reduce((sum, d) => sum + diskHourPrice(t, spec.regionId, d), 0);
  if (spec.dataDisks?.length) out.push({ resource: 'dataDisk', hourly: data });
  if (spec.bandwidth) out.push({ resource: 'bandwidth', hourly: bandwidthHourPrice(t, spec.regionId, spec.bandwidth.chargeType, spec.bandwidth.mbps) });
  return out;
}

/**
 * The price of `amount` of a spec for `period` units: per hour (pay-as-you-go, no discount) or a
 * subscription of weeks, months or years (the period's discount applied to every resource).
 */
export function quote(t: PriceTable, spec: PriceSpec, unit: PriceUnit, period = 1, amount = 1): Quote {
  const hours = t.hoursPerUnit[unit] * period * amount;
  const d = discountFor(t, unit, period);
  const rate = d?.rate ?? 0;
  const items = hourlyPrices(t, spec).map(({ resource, hourly }): PricedItem => {
    const original = roundPrice(hourly * hours);
    const trade = roundPrice(original * (1 - rate));
    return { resource, original, discount: roundPrice(original - trade), trade };
  });
  const sum = (k: 'original' | 'discount' | 'trade') => roundPrice(items.reduce((s, i) => s + i[k], 0));
  return {
    currency: t.currency, original: sum('original'), discount: sum('discount'), trade: sum('trade'), items,
    ...(d && d.rate > 0 ? { rule: { ruleId: d.ruleId, description: d.description } } : {}),
  };
}
