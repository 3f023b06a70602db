/**
 * BssOpenApi inquiry: GetPayAsYouGoPrice (hourly) and GetSubscriptionPrice (a new order or a
 * renewal of months or years) of ECS pricing modules, from the same price table as ECS
 * DescribePrice. Modules and their Config attributes are those ECS documents for inquiry:
 * InstanceType (`InstanceType:ecs.g7.large,IoOptimized:IoOptimized,ImageOs:linux`), SystemDisk
 * (`SystemDisk.Category:cloud_essd,SystemDisk.Size:40[,SystemDisk.PerformanceLevel:PL1]`),
 * DataDisk (the same with `DataDisk.`) and InternetMaxBandwidthOut (`InternetMaxBandwidthOut:5`,
 * fixed bandwidth). Any other module or attribute value is refused by name.
 */
import { EcsError } from '../domain/errors.js';
import { ECS_PRODUCT_CODE } from '../domain/billing.js';
import { findInstanceType } from '../domain/catalog/instance-types.js';
import { isKnownRegion } from '../domain/catalog/regions.js';
import type { PriceTable, PriceUnit } from '../domain/billing/price-table.js';
import { PriceNotFound, quote, roundPrice, type PriceSpec, type Quote } from '../domain/billing/pricing.js';
import { invalid } from './bss.js';
import { checkDisk } from './prices.js';
import { bssOpenApiHandlers } from './typed-handlers.js';

const DEFAULT_REGION = 'cn-hangzhou';
const MODULE_CODES = ['InstanceType', 'SystemDisk', 'DataDisk', 'InternetMaxBandwidthOut'] as const;
type ModuleCode = typeof MODULE_CODES[number];
/** Subscription periods BSS takes for ECS: months 1–9, years 1–5. */
const MAX_PERIOD: Partial<Record<PriceUnit, number>> = { Month: 9, Year: 5 };
const MAX_QUANTITY = 1000;

interface Module { ModuleCode: string; Config: string; PriceType?: string }

/** `AA:aa,BB:bb` → { AA: 'aa', BB: 'bb' }. */
function configOf(m: Module, n: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of String(m.Config ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const i = part.indexOf(':');
    if (i <= 0) throw invalid(`ModuleList.${n}.Config`, `"${part}" is not an attribute:value pair.`);
    out[part.slice(0, i)] = part.slice(i + 1);
  }
  return out;
}

function only(cfg: Record<string, string>, n: number, allowed: Record<string, string[] | null>): void {
  for (const [k, v] of Object.entries(cfg)) {
    if (!(k in allowed)) throw invalid(`ModuleList.${n}.Config`, `OpenECS does not price the attribute "${k}".`);
    const values = allowed[k];
    if (values && !values.includes(v)) throw invalid(`ModuleList.${n}.Config`, `OpenECS prices ${k} ${values.join(' or ')} only, not "${v}".`);
  }
}

/** ECS's validation of a disk, answered as BssOpenApi's InvalidParameter naming the module. */
function disk(kind: 'system' | 'data', cfg: Record<string, string>, prefix: string, n: number) {
  only(cfg, n, { [`${prefix}.Category`]: null, [`${prefix}.Size`]: null, [`${prefix}.PerformanceLevel`]: null });
  const category = cfg[`${prefix}.Category`];
  const size = Number(cfg[`${prefix}.Size`]);
  if (!category || !cfg[`${prefix}.Size`]) throw invalid(`ModuleList.${n}.Config`, `${prefix}.Category and ${prefix}.Size are required.`);
  try {
    return checkDisk(kind, category, size, cfg[`${prefix}.PerformanceLevel`]);
  } catch (e) {
    if (e instanceof EcsError) throw invalid(`ModuleList.${n}.Config`, e.message);
    throw e;
  }
}

/** One module as a price spec of its own, so each is quoted apart (ModuleDetails). */
function moduleSpec(regionId: string, m: Module, n: number): { code: ModuleCode; spec: PriceSpec } {
  if (!(MODULE_CODES as readonly string[]).includes(m.ModuleCode)) {
    throw invalid(`ModuleList.${n}.ModuleCode`, `OpenECS prices the ECS modules ${MODULE_CODES.join(', ')}.`);
  }
  const code = m.ModuleCode as ModuleCode;
  const cfg = configOf(m, n);
  switch (code) {
    case 'InstanceType': {
      only(cfg, n, { InstanceType: null, IoOptimized: ['IoOptimized'], ImageOs: ['linux'] });
      const type = findInstanceType(cfg.InstanceType ?? '');
      if (!type) throw invalid(`ModuleList.${n}.Config`, `The instance type "${cfg.InstanceType ?? ''}" does not exist.`);
      return { code, spec: { regionId, instanceType: { id: type.id, family: type.family, cpu: type.cpu, memoryGiB: type.memoryGiB } } };
    }
    case 'SystemDisk': return { code, spec: { regionId, systemDisk: disk('system', cfg, 'SystemDisk', n) } };
    case 'DataDisk': return { code, spec: { regionId, dataDisks: [disk('data', cfg, 'DataDisk', n)] } };
    case 'InternetMaxBandwidthOut': {
      only(cfg, n, { InternetMaxBandwidthOut: null });
      const mbps = Number(cfg.InternetMaxBandwidthOut);
      if (!Number.isInteger(mbps) || mbps < 0 || mbps > 100) throw invalid(`ModuleList.${n}.Config`, 'InternetMaxBandwidthOut is 0 to 100 (Mbps).');
      return { code, spec: { regionId, bandwidth: { chargeType: 'PayByBandwidth', mbps } } };
    }
  }
}

function common(p: { ProductCode: string; ProductType?: string; SubscriptionType: string; Region?: string }, subscriptionType: string): string {
  if (p.ProductCode !== ECS_PRODUCT_CODE || (p.ProductType && p.ProductType !== ECS_PRODUCT_CODE)) {
    throw invalid('ProductCode', `OpenECS prices the product "${ECS_PRODUCT_CODE}" only.`);
  }
  if (p.SubscriptionType !== subscriptionType) throw invalid('SubscriptionType', `This inquiry is for ${subscriptionType}.`);
  const region = p.Region || DEFAULT_REGION;
  if (!isKnownRegion(region)) throw invalid('Region', `The region "${region}" does not exist.`);
  return region;
}

function modulesOf(p: { ModuleList?: Module[] }): Module[] {
  const list = p.ModuleList ?? [];
  if (!list.length) throw new EcsError('MissingParameter', 'The input parameter "ModuleList" that is mandatory for processing this request is not supplied.');
  return list;
}

function priced(t: PriceTable, spec: PriceSpec, unit: PriceUnit, period: number, quantity: number, n: number): Quote {
  try {
    return quote(t, spec, unit, period, quantity);
  } catch (e) {
    if (e instanceof PriceNotFound) throw invalid(`ModuleList.${n}`, e.message);
    throw e;
  }
}

function detail(code: ModuleCode, q: Quote, unitPrice: number) {
  return { ModuleCode: code, OriginalCost: q.original, CostAfterDiscount: q.trade, InvoiceDiscount: q.discount, UnitPrice: roundPrice(unitPrice) };
}

const ok = <T>(data: T) => ({ Code: 'Success', Message: 'Successful!', Success: true, Data: data });

export const bssPriceActions = bssOpenApiHandlers({
  async GetPayAsYouGoPrice(ctx, p) {
    const region = common(p, 'PayAsYouGo');
    const t = ctx.config.prices;
    const details = modulesOf(p).map((m, i) => {
      if (m.PriceType !== 'Hour') throw invalid(`ModuleList.${i + 1}.PriceType`, 'OpenECS prices pay-as-you-go ECS modules per Hour.');
      const { code, spec } = moduleSpec(region, m, i + 1);
      const q = priced(t, spec, 'Hour', 1, 1, i + 1);
      return detail(code, q, q.original);
    });
    return ok({ Currency: t.currency, ModuleDetails: { ModuleDetail: details }, PromotionDetails: { PromotionDetail: [] } });
  },

  async GetSubscriptionPrice(ctx, p) {
    const region = common(p, 'Subscription');
    if (p.OrderType !== 'NewOrder' && p.OrderType !== 'Renewal') throw invalid('OrderType', 'OpenECS prices NewOrder and Renewal orders.');
    const unit = (p.ServicePeriodUnit || 'Month') as PriceUnit;
    const max = MAX_PERIOD[unit];
    if (max === undefined) throw invalid('ServicePeriodUnit', 'Valid values: Month, Year.');
    const period = p.ServicePeriodQuantity ?? 1;
    if (!Number.isInteger(period) || period < 1 || period > max) throw invalid('ServicePeriodQuantity', `It must be from 1 to ${max} for ${unit}.`);
    const quantity = p.Quantity ?? 1;
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw invalid('Quantity', `It must be from 1 to ${MAX_QUANTITY}.`);
    const t = ctx.config.prices;
    const quotes = modulesOf(p).map((m, i) => {
      const { code, spec } = moduleSpec(region, m, i + 1);
      const q = priced(t, spec, unit, period, quantity, i + 1);
      return { code, q };
    });
    const sum = (k: 'original' | 'discount' | 'trade') => roundPrice(quotes.reduce((s, { q }) => s + q[k], 0));
    const rule = quotes.find(({ q }) => q.rule)?.q.rule;
    return ok({
      OriginalPrice: sum('original'), DiscountPrice: sum('discount'), TradePrice: sum('trade'), Currency: t.currency, Quantity: quantity,
      ModuleDetails: { ModuleDetail: quotes.map(({ code, q }) => detail(code, q, q.original / (period * quantity))) },
      PromotionDetails: { PromotionDetail: rule ? [{ PromotionId: rule.ruleId, PromotionName: rule.description, PromotionDesc: rule.description }] : [] },
    });
  },
});
