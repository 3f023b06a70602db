/**
 * BssOpenApi bills and balance from the meter's usage (src/engine/metering.ts: settled at each
 * clock hour, and within a minute of a status change or a purchase): QueryInstanceBill (per
 * resource, or per billing item with IsBillingItem; MONTHLY or DAILY), QueryBill (bill records: each day's pay-as-you-go charges,
 * each subscription order) and QueryAccountBalance (the price table's account credit, with the
 * operator's SetAccountBalance, less everything charged; below zero the account is in arrears,
 * src/engine/arrears.ts). Amounts are the trade prices; OpenECS has no coupons or vouchers.
 * Two products are billed: ECS (instances, disks, their bandwidth and traffic) and EIP (`eip`).
 */
import { balanceOf } from '../store/account-balances.js';
import { ECS_PRODUCT_CODE, EIP_PRODUCT_CODE, productOf, SUBSCRIPTION_TYPES } from '../domain/billing.js';
import { isoSecond } from '../domain/time.js';
import { invalid } from './bss.js';
import type { ActionContext } from './types.js';
import { bssOpenApiHandlers } from './typed-handlers.js';

const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 300;
const PRODUCT_NAMES: Record<string, string> = { [ECS_PRODUCT_CODE]: 'Elastic Compute Service', [EIP_PRODUCT_CODE]: 'Elastic IP Address' };
const BILL_TYPES = ['SubscriptionOrder', 'PayAsYouGoBill', 'Refund', 'Adjustment'] as const;

const money = (x: number) => Math.round(x * 100) / 100;
const ok = <T>(data: T) => ({ Code: 'Success', Message: 'Successful!', Success: true, Data: data });

interface Paging { pageNum: number; pageSize: number }

function paging(p: { PageNum?: number; PageSize?: number }): Paging {
  const pageNum = p.PageNum ?? 1;
  const pageSize = p.PageSize ?? DEFAULT_PAGE_SIZE;
  if (pageNum < 1) throw invalid('PageNum', 'It must be at least 1.');
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) throw invalid('PageSize', `It must be from 1 to ${MAX_PAGE_SIZE}.`);
  return { pageNum, pageSize };
}

function cycleOf(raw: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(raw ?? '')) throw invalid('BillingCycle', 'Use the format YYYY-MM.');
  return raw;
}

/** ProductCode / ProductType / SubscriptionType filters: a product other than ECS and EIP has no usage (an empty bill). */
function filters(p: { ProductCode?: string; ProductType?: string; SubscriptionType?: string; BillOwnerId?: number }, ctx: ActionContext) {
  const sub = p.SubscriptionType || undefined;
  if (sub && !(SUBSCRIPTION_TYPES as readonly string[]).includes(sub)) throw invalid('SubscriptionType', `Valid values: ${SUBSCRIPTION_TYPES.join(', ')}.`);
  if (sub && !p.ProductCode) throw invalid('SubscriptionType', 'It is used together with ProductCode.');
  const other = (p.ProductCode && p.ProductType && p.ProductCode !== p.ProductType)
    || (p.BillOwnerId !== undefined && String(p.BillOwnerId) !== ctx.principal.accountId);
  return { sub, product: p.ProductCode || p.ProductType || undefined, other: Boolean(other) };
}

/** The product's fields of a bill item. */
function productFields(resourceId: string) {
  const code = productOf(resourceId);
  const name = PRODUCT_NAMES[code]!;
  return { ProductCode: code, ProductType: code, ProductName: name, ProductDetail: name, CommodityCode: code, PipCode: code };
}

async function usageRows(ctx: ActionContext, cycle: string, sub: string | undefined, product: string | undefined) {
  let q = ctx.db.selectFrom('billing_usage').selectAll()
    .where('account_id', '=', ctx.principal.accountId).where('billing_cycle', '=', cycle);
  if (sub) q = q.where('subscription_type', '=', sub);
  const rows = await q.orderBy('start_at').orderBy('id').execute();
  return rows.filter((r) => !product || productOf(r.resource_id) === product).map((r) => ({
    ...r, usage: Number(r.usage), amount: Number(r.amount), original_amount: Number(r.original_amount), list_price: Number(r.list_price),
    start_at: Number(r.start_at), end_at: Number(r.end_at),
  }));
}
type UsageRow = Awaited<ReturnType<typeof usageRows>>[number];

/** Rows grouped by a key, in first-seen order. */
function groupBy(rows: UsageRow[], key: (r: UsageRow) => string): UsageRow[][] {
  const m = new Map<string, UsageRow[]>();
  for (const r of rows) {
    const k = key(r);
    const g = m.get(k);
    if (g) g.push(r); else m.set(k, [r]);
  }
  return [...m.values()];
}

const total = (g: UsageRow[], k: 'amount' | 'original_amount' | 'usage') => g.reduce((s, r) => s + r[k], 0);

function amounts(g: UsageRow[]) {
  const pretax = money(total(g, 'amount'));
  const gross = money(total(g, 'original_amount'));
  return {
    PretaxGrossAmount: gross, PretaxAmount: pretax, PaymentAmount: pretax, CashAmount: pretax, InvoiceDiscount: money(gross - pretax),
    OutstandingAmount: 0, DeductedByCashCoupons: 0, DeductedByCoupons: 0, DeductedByPrepaidCard: 0, AdjustAmount: 0,
  };
}

const itemOf = (subscriptionType: string) => (subscriptionType === 'Subscription' ? 'SubscriptionOrder' : 'PayAsYouGoBill');

function page<T>(list: T[], pg: Paging): T[] {
  return list.slice((pg.pageNum - 1) * pg.pageSize, pg.pageNum * pg.pageSize);
}

export const bssBillActions = bssOpenApiHandlers({
  async QueryAccountBalance(ctx) {
    const t = ctx.config.prices;
    // The table's credit, the operator's SetAccountBalance, less what was billed (below zero: in arrears).
    const available = (await balanceOf(ctx.db, ctx.principal.accountId, t.accountCredit)).available.toFixed(2);
    return ok({
      AvailableAmount: available, AvailableCashAmount: available, CreditAmount: '0.00', MybankCreditAmount: '0.00', QuotaLimit: '0.00', Currency: t.currency,
    });
  },

  async QueryInstanceBill(ctx, p) {
    const cycle = cycleOf(p.BillingCycle);
    const pg = paging(p);
    const granularity = p.Granularity || 'MONTHLY';
    if (granularity !== 'MONTHLY' && granularity !== 'DAILY') throw invalid('Granularity', 'Valid values: MONTHLY, DAILY.');
    if (granularity === 'DAILY' && !p.BillingDate) throw invalid('BillingDate', 'It is required when Granularity is DAILY.');
    if (p.BillingDate && (!/^\d{4}-\d{2}-\d{2}$/.test(p.BillingDate) || !p.BillingDate.startsWith(cycle))) {
      throw invalid('BillingDate', 'Use the format YYYY-MM-DD, a day of the BillingCycle.');
    }
    const { sub, product, other } = filters(p, ctx);
    let rows = other ? [] : await usageRows(ctx, cycle, sub, product);
    if (granularity === 'DAILY') rows = rows.filter((r) => r.day === p.BillingDate);
    const byItem = p.IsBillingItem === true;
    let groups = groupBy(rows, (r) => [r.resource_id, r.subscription_type, byItem ? r.billing_item : ''].join('|'));
    if (p.IsHideZeroCharge === true) groups = groups.filter((g) => money(total(g, 'amount')) !== 0 || money(total(g, 'original_amount')) !== 0);
    const items = page(groups, pg).map((g) => {
      const r = g[0]!;
      const hourly = r.subscription_type !== 'Subscription';
      return {
        InstanceID: r.resource_id, ...productFields(r.resource_id), SubscriptionType: r.subscription_type, Item: itemOf(r.subscription_type),
        ...(granularity === 'DAILY' ? { BillingDate: r.day } : {}),
        ...(byItem ? { BillingItem: r.billing_item, Usage: String(Math.round(total(g, 'usage') * 10_000) / 10_000), UsageUnit: r.usage_unit, ListPrice: String(r.list_price), ListPriceUnit: r.list_price_unit } : {}),
        InstanceSpec: r.spec, InstanceConfig: r.spec, Region: r.region_id, Zone: r.zone_id,
        ...(hourly ? {} : { ServicePeriod: String(r.usage), ServicePeriodUnit: r.usage_unit }),
        OwnerID: ctx.principal.accountId, Currency: ctx.config.prices.currency, BillingType: 'Normal',
        ...amounts(g),
      };
    });
    return ok({
      BillingCycle: cycle, AccountID: ctx.principal.accountId, AccountName: ctx.principal.accountName,
      PageNum: pg.pageNum, PageSize: pg.pageSize, TotalCount: groups.length, Items: { Item: items },
    });
  },

  async QueryBill(ctx, p) {
    const cycle = cycleOf(p.BillingCycle);
    const pg = paging(p);
    const type = p.Type || undefined;
    if (type && !(BILL_TYPES as readonly string[]).includes(type)) throw invalid('Type', `Valid values: ${BILL_TYPES.join(', ')}.`);
    const { sub, product, other } = filters(p, ctx);
    // No refunds or adjustments are ever made.
    const rows = other || type === 'Refund' || type === 'Adjustment' ? [] : await usageRows(ctx, cycle, sub, product);
    // A record: a day's pay-as-you-go charges, or one subscription order (one resource's purchase or renewal).
    let groups = groupBy(rows.filter((r) => !type || itemOf(r.subscription_type) === type),
      (r) => (r.subscription_type === 'Subscription' ? `S|${r.resource_id}|${r.start_at}` : `P|${productOf(r.resource_id)}|${r.day}`));
    if (p.IsHideZeroCharge === true) groups = groups.filter((g) => money(total(g, 'original_amount')) !== 0);
    const items = page(groups, pg).map((g) => {
      const r = g[0]!;
      const start = Math.min(...g.map((x) => x.start_at));
      const end = Math.max(...g.map((x) => x.end_at));
      const eip = productOf(r.resource_id) === EIP_PRODUCT_CODE ? `-${EIP_PRODUCT_CODE}` : '';
      const record = r.subscription_type === 'Subscription' ? `${r.resource_id}-${r.start_at}` : `${r.day}${eip}-PayAsYouGo`;
      return {
        RecordID: record, Item: itemOf(r.subscription_type), Status: 'PayOff', SubscriptionType: r.subscription_type,
        ...productFields(r.resource_id), OwnerID: ctx.principal.accountId, Currency: ctx.config.prices.currency,
        UsageStartTime: isoSecond(start), UsageEndTime: isoSecond(end), PaymentTime: isoSecond(r.subscription_type === 'Subscription' ? start : end),
        RoundDownDiscount: '0.00', ...amounts(g),
      };
    });
    return ok({
      BillingCycle: cycle, AccountID: ctx.principal.accountId, AccountName: ctx.principal.accountName,
      PageNum: pg.pageNum, PageSize: pg.pageSize, TotalCount: groups.length, Items: { Item: items },
    });
  },
});
