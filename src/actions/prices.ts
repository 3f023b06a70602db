/**
 * ECS prices from the operator's price table (src/domain/billing): DescribePrice (an instance, a
 * disk or fixed bandwidth, per hour or for a subscription period), DescribeRenewalPrice (a
 * subscription's renewal) and DescribeInstanceModificationPrice (upgrading a subscription's type
 * for the rest of its period).
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { diskSizeRange, findDiskCategory, PERFORMANCE_LEVELS } from '../domain/catalog/disk-categories.js';
import { defaultSystemDiskCategory, findInstanceType } from '../domain/catalog/instance-types.js';
import { findZone } from '../domain/catalog/regions.js';
import type { PriceTable, PriceUnit } from '../domain/billing/price-table.js';
import { PriceNotFound, quote, type DiskSpec, type PriceSpec, type Quote } from '../domain/billing/pricing.js';
import { instanceSpecOf, subscriptionSpec } from '../domain/billing/specs.js';
import { upgradePrice } from '../domain/billing/upgrade.js';
import type { InstanceRow } from '../store/instances.js';
import { requireInstance } from './instance-describe.js';
import type { ActionContext } from './types.js';
import { ecsHandlers } from './typed-handlers.js';

const DEFAULT_SYSTEM_DISK_GIB = 40;
const MAX_BANDWIDTH_MBPS = 100;
const MAX_AMOUNT = 1000;
/** DescribePrice's periods per PriceUnit ("Month: 1~9, Year: 1~5, Hour: 1, Week: 1~4"). */
const PRICE_PERIODS: Record<PriceUnit, number> = { Hour: 1, Week: 4, Month: 9, Year: 5 };
/** DescribeRenewalPrice's: "Month: 1~9, Year: 1~3". */
const RENEWAL_PERIODS: Partial<Record<PriceUnit, number>> = { Month: 9, Year: 3 };

function priceUnitOf(raw: string | undefined, fallback: PriceUnit, allowed: Partial<Record<PriceUnit, number>>): { unit: PriceUnit; max: number } {
  const unit = (raw || fallback) as PriceUnit;
  const max = allowed[unit];
  if (max === undefined) throw new EcsError('InvalidPriceUnit.ValueNotSupported', `The specified parameter PriceUnit "${raw}" is not valid: ${Object.keys(allowed).join(', ')}.`);
  return { unit, max };
}

function periodOf(raw: number | undefined, unit: PriceUnit, max: number): number {
  const period = raw ?? 1;
  if (!Number.isInteger(period) || period < 1 || period > max) throw new EcsError('InvalidPeriod', `The specified period ${period} is not valid for PriceUnit ${unit}: 1 to ${max}.`);
  return period;
}

/** ECS answers PriceNotFound (400) for what the table does not price. */
function priced<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof PriceNotFound) throw new EcsError('PriceNotFound', `The price of your queried resource is not available now, please try other resources. ${e.message}`);
    throw e;
  }
}

const RESOURCE_NAMES = { instanceType: 'instanceType', systemDisk: 'systemDisk', dataDisk: 'dataDisk', bandwidth: 'bandwidth' } as const;

/** The parts of DescribePrice's PriceInfo a quote gives: its rules, its prices and its per-resource details. */
export function priceParts(q: Quote) {
  const rules = q.rule ? [{ RuleId: q.rule.ruleId, Description: q.rule.description }] : [];
  const details = q.items.map((i) => ({
    Resource: RESOURCE_NAMES[i.resource], OriginalPrice: i.original, DiscountPrice: i.discount, TradePrice: i.trade, SubRules: { Rule: rules },
  }));
  return { rules: { Rule: rules }, price: { OriginalPrice: q.original, DiscountPrice: q.discount, TradePrice: q.trade, Currency: q.currency }, details };
}

export function checkDisk(kind: 'system' | 'data', category: string, size: number, level: string | undefined, n = 1): DiskSpec {
  const what = kind === 'system' ? 'SystemDisk' : `DataDisk.${n}`;
  if (!findDiskCategory(category)) {
    throw kind === 'system'
      ? new EcsError('InvalidSystemDiskCategory.ValueNotSupported', `The specified parameter "SystemDisk.Category" "${category}" is not valid.`)
      : new EcsError('InvalidDataDiskCategory.ValueNotSupported', `The specified parameter "DataDisk.${n}.Category" "${category}" is not valid.`);
  }
  if (level !== undefined && level !== '' && (category !== 'cloud_essd' || !(PERFORMANCE_LEVELS as readonly string[]).includes(level))) {
    throw new EcsError('InvalidPerformanceLevel.Malformed', `The specified parameter ${what}.PerformanceLevel "${level}" is not valid: PL0 to PL3, for cloud_essd only.`);
  }
  const pl = category === 'cloud_essd' ? level || 'PL1' : undefined;
  const range = diskSizeRange(kind, category, pl);
  if (!range || !Number.isInteger(size) || size < range.min || size > range.max) {
    throw kind === 'system'
      ? new EcsError('InvalidSystemDiskSize.ValueNotSupported', `The specified parameter "SystemDisk.Size" ${size} is not valid for ${category}: ${range?.min} to ${range?.max} GiB.`)
      : new EcsError('InvalidDataDiskSize.ValueNotSupported', `The specified DataDisk.${n}.Size ${size} beyond the permitted range for ${category}: ${range?.min} to ${range?.max} GiB.`);
  }
  return { category, size, ...(pl ? { performanceLevel: pl } : {}) };
}

/** DataDisk.N as a list, or the flat DataDisk.1–4 names the metadata also declares. */
function dataDisksOf(p: Params): { Category?: string; Size?: number; PerformanceLevel?: string }[] {
  const list: { Category?: string; Size?: number; PerformanceLevel?: string }[] = Array.isArray(p.DataDisk) ? p.DataDisk : [];
  if (list.length) return list;
  const flat = [];
  for (let n = 1; n <= 4; n++) {
    const c = p[`DataDisk.${n}.Category`], s = p[`DataDisk.${n}.Size`], l = p[`DataDisk.${n}.PerformanceLevel`];
    if (c === undefined && s === undefined && l === undefined) continue;
    flat.push({ Category: c, Size: s === undefined ? undefined : Number(s), PerformanceLevel: l });
  }
  return flat;
}

function checkDataDisks(p: Params): DiskSpec[] {
  return dataDisksOf(p).map((d, i) => {
    if (!d.Category) throw new EcsError('InvalidDiskCategory.Missing', `The DataDisk.${i + 1}.Category parameter that is mandatory for processing the request is not provided.`);
    if (d.Size === undefined) throw new EcsError('InvalidDataDiskSize.ValueNotSupported', `The specified DataDisk.${i + 1}.Size is missing.`);
    return checkDisk('data', d.Category, Number(d.Size), d.PerformanceLevel, i + 1);
  });
}

function checkBandwidth(p: Params): { chargeType: string; mbps: number } {
  const chargeType: string = p.InternetChargeType || 'PayByTraffic';
  if (chargeType !== 'PayByTraffic' && chargeType !== 'PayByBandwidth') {
    throw new EcsError('InvalidInternetChargeType.ValueNotSupported', `The specified InternetChargeType "${chargeType}" is not valid: PayByTraffic or PayByBandwidth.`);
  }
  const mbps: number = p.InternetMaxBandwidthOut ?? 0;
  if (!Number.isInteger(mbps) || mbps < 0 || mbps > MAX_BANDWIDTH_MBPS) {
    throw new EcsError('InvalidInternetMaxBandwidthOut.ValueNotSupported', `The specified parameter "InternetMaxBandwidthOut" ${mbps} is not valid: 0 to ${MAX_BANDWIDTH_MBPS}.`);
  }
  return { chargeType, mbps };
}

/** What DescribePrice prices: an instance (its type, system disk, data disks, bandwidth), disks, or bandwidth. */
function describePriceSpec(p: Params, regionId: string): PriceSpec {
  const resourceType: string = p.ResourceType || 'instance';
  if (resourceType === 'disk') {
    const dataDisks = checkDataDisks(p);
    if (!dataDisks.length) throw new EcsError('InvalidDiskCategory.Missing', 'The DataDisk.1.Category parameter that is mandatory for processing the request is not provided.');
    return { regionId, dataDisks };
  }
  if (resourceType === 'bandwidth') return { regionId, bandwidth: checkBandwidth(p) };
  if (resourceType !== 'instance') {
    throw new EcsError('InvalidResourceType.ValueNotSupported', `The specified parameter ResourceType "${resourceType}" is not valid: instance, disk or bandwidth.`);
  }
  if (!p.InstanceType) throw new EcsError('InvalidInstanceType.Missing', 'The InstanceType parameter that is mandatory for processing the request is not provided.', 404);
  const type = findInstanceType(p.InstanceType);
  if (!type) throw new EcsError('InvalidInstanceType.ValueNotSupported', `The specified InstanceType "${p.InstanceType}" does not exist or beyond the permitted range.`);
  const category: string = p['SystemDisk.Category'] || defaultSystemDiskCategory(type);
  return {
    regionId,
    instanceType: { id: type.id, family: type.family, cpu: type.cpu, memoryGiB: type.memoryGiB },
    systemDisk: checkDisk('system', category, p['SystemDisk.Size'] ?? DEFAULT_SYSTEM_DISK_GIB, p['SystemDisk.PerformanceLevel']),
    dataDisks: checkDataDisks(p),
    bandwidth: checkBandwidth(p),
  };
}

/** A subscription instance's renewal, quoted as the meter will bill it. */
async function renewalSpec(ctx: ActionContext, row: InstanceRow): Promise<PriceSpec> {
  const disks = await ctx.db.selectFrom('disks').select(['type', 'category', 'size', 'performance_level', 'charge_type'])
    .where('instance_id', '=', row.id).execute();
  return subscriptionSpec(row, disks);
}

function requireSubscription(row: InstanceRow, message: string): void {
  if (row.instance_charge_type !== 'PrePaid' || row.expires_at === null) throw new EcsError('ChargeTypeViolation', message.replace('$ID', row.id), 403);
}

const prices = (ctx: ActionContext): PriceTable => ctx.config.prices;

export const priceActions = ecsHandlers({
  async DescribePrice(ctx, p) {
    if (p.ZoneId && !findZone(ctx.regionId, p.ZoneId)) throw new EcsError('Invalid.ZoneId', `The specified ZoneId "${p.ZoneId}" is not valid in ${ctx.regionId}.`);
    const { unit, max } = priceUnitOf(p.PriceUnit, 'Hour', PRICE_PERIODS);
    const period = periodOf(p.Period, unit, max);
    const amount = p.Amount ?? 1;
    if (!Number.isInteger(amount) || amount < 1 || amount > MAX_AMOUNT) throw new EcsError('InvalidAmount.Malformed', `The specified parameter Amount ${amount} is not valid: 1 to ${MAX_AMOUNT}.`, 403);
    const spec = describePriceSpec(p, ctx.regionId);
    const { rules, price, details } = priceParts(priced(() => quote(prices(ctx), spec, unit, period, amount)));
    return { PriceInfo: { Rules: rules, Price: { ...price, DetailInfos: { DetailInfo: details } } } };
  },

  async DescribeRenewalPrice(ctx, p) {
    if (p.ResourceType && p.ResourceType !== 'instance') {
      throw new EcsError('InvalidResourceType.ValueNotSupported', `The specified parameter ResourceType "${p.ResourceType}" is not valid: instance.`);
    }
    const { unit, max } = priceUnitOf(p.PriceUnit, 'Month', RENEWAL_PERIODS);
    const period = periodOf(p.Period, unit, max);
    const row = await requireInstance(ctx, p.ResourceId);
    requireSubscription(row, 'The operation is not permitted due to charge type of the instance $ID: it is pay-as-you-go (PostPaid); only a subscription is renewed.');
    const spec = await renewalSpec(ctx, row);
    const { rules, price, details } = priceParts(priced(() => quote(prices(ctx), spec, unit, period)));
    return { PriceInfo: { Rules: rules, Price: { ...price, DetailInfos: { ResourcePriceModel: details } } } };
  },

  async DescribeInstanceModificationPrice(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    if (!p.InstanceType) throw new EcsError('MissingParameter.InstanceTypeOrDataDisk', 'You must specify the parameter InstanceType or DataDisk.');
    requireSubscription(row, 'PostPaid instance do not support this operation: $ID is pay-as-you-go.');
    const now = ctx.now();
    if (row.expires_at! <= now) throw new EcsError('InstanceExpired', `The PrePaid instance ${row.id} has been expired.`, 403);
    const type = findInstanceType(p.InstanceType);
    if (!type) throw new EcsError('InvalidInstanceType.ValueNotSupported', `The specified InstanceType "${p.InstanceType}" does not exist or beyond the permitted range.`);
    const t = prices(ctx);
    const { was, will, amount: original } = priced(() => upgradePrice(t, row.region_id, instanceSpecOf(row), instanceSpecOf({ instance_type: type.id, cpu: type.cpu, memory: type.memoryGiB * 1024 }), row.expires_at!, now));
    if (will <= was) {
      throw new EcsError('InvalidInstanceType.NotSupportUpgrade', `The specified InstanceType ${type.id} can only be downgraded from ${row.instance_type}. This API supports querying prices only of InstanceType that can be upgraded.`, 403);
    }
    return { PriceInfo: { Rules: { Rule: [] }, Price: { OriginalPrice: original, DiscountPrice: 0, TradePrice: original, Currency: t.currency } } };
  },
});
