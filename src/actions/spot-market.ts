/**
 * The spot market's read actions, answered from the deterministic market model
 * (src/domain/spot-market.ts) over the price table's pay-as-you-go prices (ctx.config.prices):
 * DescribeSpotPriceHistory (hourly prices of a type per zone) and
 * DescribeSpotAdvice (the last 30 days' average discount and interruption rate per zone and type).
 */
import { EcsError } from '../domain/errors.js';
import { defaultIoMode, findInstanceType, type InstanceType } from '../domain/catalog/instance-types.js';
import { typesInZone } from '../domain/catalog/offers.js';
import { findRegion, findZone, type Region } from '../domain/catalog/regions.js';
import { PriceNotFound, type InstanceSpec } from '../domain/billing/pricing.js';
import {
  DEFAULT_HISTORY_MS, marketPrice, MAX_HISTORY_MS, priceHistory, spotAdvice, tableOriginPrice, type SpotOsType,
} from '../domain/spot-market.js';
import { MAX_SPOT_DURATION_HOURS } from '../domain/instances/spot.js';
import { isoSecond, parseUtc } from '../domain/time.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

/** DescribeSpotPriceHistory answers at most this many prices a call; `NextOffset` continues. */
const PRICE_PAGE = 1000;
/** DescribeSpotAdvice's InstanceTypes: "at most 10". */
const MAX_ADVICE_TYPES = 10;

const specOf = (t: InstanceType): InstanceSpec => ({ id: t.id, family: t.family, cpu: t.cpu, memoryGiB: t.memoryGiB });

/** The price table's answer, or `code` (the action's own) when it prices no such type or region. */
function priced<T>(fn: () => T, code: string, message: string): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PriceNotFound) throw new EcsError(code, `${message} ${e.message}`);
    throw e;
  }
}

/** The current market price of a type in a zone of the caller's region (RunInstances' SpotPriceLimit check). */
export function currentSpotPrice(ctx: ActionContext, zoneId: string, instanceType: string, os: SpotOsType): number {
  const type = findInstanceType(instanceType);
  if (!type) throw new EcsError('InvalidInstanceType.ValueNotSupported', `The specified InstanceType "${instanceType}" does not exist.`);
  return priced(() => marketPrice(ctx.config.prices, { regionId: ctx.regionId, zoneId, instanceType }, specOf(type), ctx.now(), os),
    'InvalidSpotPriceLimit', 'The spot market has no price for this instance type here.');
}

function regionOf(ctx: ActionContext): Region {
  const region = findRegion(ctx.regionId);
  if (!region) throw new EcsError('InvalidRegionId.NotFound', `The specified RegionId "${ctx.regionId}" does not exist.`);
  return region;
}

function timeParam(value: string | undefined, code: string, name: string): number | undefined {
  if (!value) return undefined;
  const t = parseUtc(value);
  if (t === undefined) throw new EcsError(code, `The specified ${name} "${value}" is not valid: yyyy-MM-ddTHH:mm:ssZ (UTC).`);
  return t;
}

export const spotMarketActions = ecsHandlers({
  async DescribeSpotPriceHistory(ctx, p) {
    const region = regionOf(ctx);
    if (p.NetworkType !== 'vpc') {
      throw new EcsError('InvalidParams.NetworkType', `The specified NetworkType "${p.NetworkType}" is not valid: vpc (the classic network does not exist here).`);
    }
    const type: InstanceType | undefined = findInstanceType(p.InstanceType);
    if (!type) throw new EcsError('InvalidInstanceType.ValueNotSupported', `The specified InstanceType "${p.InstanceType}" does not exist.`);
    const io = p.IoOptimized || defaultIoMode(type);
    if (io !== 'optimized' && io !== 'none') throw new EcsError('InvalidParams.IoOptimized', `The specified IoOptimized "${io}" is not valid: optimized or none.`);
    if (!type.ioModes.includes(io)) throw new EcsError('DependencyViolation.IoOptimized', 'The specified instancetype must be IoOptimized instance.');
    const os = p.OSType || 'linux';
    if (os !== 'linux' && os !== 'windows') throw new EcsError('InvalidParams.OSType', `The specified OSType "${os}" is not valid: linux or windows.`);
    if (p.SpotDuration !== undefined && (!Number.isInteger(p.SpotDuration) || p.SpotDuration < 0 || p.SpotDuration > MAX_SPOT_DURATION_HOURS)) {
      throw new EcsError('InvalidSpotDuration', 'The specified SpotDuration is not valid.');
    }
    const offset = p.Offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0) throw new EcsError('InvalidParams.Offset', `The specified Offset "${offset}" is not valid.`);
    if (p.ZoneId && !findZone(region.id, p.ZoneId)) throw new EcsError('InvalidZoneId.NotFound', 'The specified zone does not exist.');

    const now = ctx.now();
    // No prices of the future: an EndTime past now ends at now.
    const end = Math.min(timeParam(p.EndTime, 'InvalidParams.EndTime', 'EndTime') ?? now, now);
    const start = timeParam(p.StartTime, 'InvalidParams.StartTime', 'StartTime') ?? end - DEFAULT_HISTORY_MS;
    if (start > end) throw new EcsError('InvalidParams.StartTime', 'The specified StartTime is later than EndTime.');
    if (end - start > MAX_HISTORY_MS) throw new EcsError('InvalidParams.StartTime', 'The specified StartTime is more than 30 days before EndTime.');

    const origin = priced(() => tableOriginPrice(ctx.config.prices, region.id, specOf(type), os), 'OperationDenied.QueryFail', 'Query spot price fail:');
    const zones = region.zones.filter((z) => (!p.ZoneId || z.id === p.ZoneId) && typesInZone({ region, zone: z }).some((t) => t.id === type.id));
    const rows = zones.flatMap((z) => priceHistory({ regionId: region.id, zoneId: z.id, instanceType: type.id }, origin, start, end).map((pt) => ({
      IoOptimized: io, ZoneId: z.id, SpotPrice: pt.spotPrice, Timestamp: isoSecond(pt.timestamp), NetworkType: 'vpc', InstanceType: type.id, OriginPrice: pt.originPrice,
    })));
    const page = rows.slice(offset, offset + PRICE_PAGE);
    return {
      Currency: ctx.config.prices.currency,
      // ECS answers the next page's offset, 0 when none is left.
      NextOffset: offset + PRICE_PAGE < rows.length ? offset + PRICE_PAGE : 0,
      SpotPrices: { SpotPriceType: page },
    };
  },

  async DescribeSpotAdvice(ctx, p) {
    const region = regionOf(ctx);
    const names = p.InstanceTypes ?? [];
    if (names.length > MAX_ADVICE_TYPES) throw new EcsError('Invalid.Param', `The specified InstanceTypes has more than ${MAX_ADVICE_TYPES} instance types.`);
    if (names.length && (p.Cores !== undefined || p.Memory !== undefined)) {
      throw new EcsError('InvalidParam.TypeAndCpuMem.Conflict', "The specified 'InstanceType' and 'Cores','Memory' are not blank at the same time.", 403);
    }
    const fits = (t: InstanceType) => (!names.length || names.includes(t.id))
      && (p.Cores === undefined || t.cpu === p.Cores) && (p.Memory === undefined || t.memoryGiB === p.Memory)
      && (p.MinCores === undefined || t.cpu >= p.MinCores) && (p.MinMemory === undefined || t.memoryGiB >= p.MinMemory)
      && (!p.InstanceTypeFamily || t.family === p.InstanceTypeFamily) && (!p.InstanceFamilyLevel || t.level === p.InstanceFamilyLevel)
      && (!p.GpuSpec || t.gpuSpec === p.GpuSpec) && (p.GpuAmount === undefined || t.gpuAmount === p.GpuAmount);
    const now = ctx.now();
    const zones = region.zones.filter((z) => !p.ZoneId || z.id === p.ZoneId).map((zone) => {
      const resources = typesInZone({ region, zone }).filter(fits).map((t) => {
        const a = spotAdvice({ regionId: region.id, zoneId: zone.id, instanceType: t.id }, now);
        return { InstanceType: t.id, AverageSpotDiscount: a.averageSpotDiscount, InterruptionRate: a.interruptionRate, InterruptRateDesc: a.interruptRateDesc };
      });
      // "Ordered by the types' average discount": the cheapest first.
      resources.sort((a, b) => a.AverageSpotDiscount - b.AverageSpotDiscount || a.InstanceType.localeCompare(b.InstanceType));
      return { ZoneId: zone.id, AvailableSpotResources: { AvailableSpotResource: resources } };
    }).filter((z) => z.AvailableSpotResources.AvailableSpotResource.length);
    return { RegionId: region.id, AvailableSpotZones: { AvailableSpotZone: zones } };
  },
});
