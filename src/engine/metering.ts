/**
 * The meter: a timer that settles every resource's charges up to the service clock, at most once
 * a minute of service time (a test's clock jump settles at once). Pay-as-you-go instances are
 * charged for the hours their status history (transitions) says they ran (src/domain/billing/
 * metering.ts), pay-as-you-go disks for every hour they exist; a subscription is charged once per
 * purchase or renewal, when its expiry moves past what was charged. Each resource's progress is a
 * `billing_marks` row moved compare-and-set in the transaction that writes its usage, so a charge
 * is written once even if two meters ran. Charges are at the spec the resource has when settled.
 */
import type { PriceTable } from '../domain/billing/price-table.js';
import { diskHourPrice, instanceHourPrice, bandwidthHourPrice, PriceNotFound, quote } from '../domain/billing/pricing.js';
import { diskSpecOf, instanceSpecOf, subscriptionSpec } from '../domain/billing/specs.js';
import { boughtPeriod, chargedMs, dayOf, splitByDay, type StatusChange } from '../domain/billing/metering.js';
import { addPeriod } from '../domain/instances/subscription.js';
import type { Db } from '../store/db.js';
import type { Transaction } from 'kysely';
import type { Database } from '../store/schema.js';
import type { EngineEnv, Timer } from './engine.js';

type Tx = Transaction<Database>;
const HOUR_MS = 3_600_000;
/** Released instances are settled up to their release for this long after it. */
const SETTLE_RELEASED_MS = 7 * 24 * HOUR_MS;
export const METER_INTERVAL_MS = 60_000;

/** The ECS billing items of QueryInstanceBill (IsBillingItem=true). */
export type BillingItem = 'InstanceType' | 'SystemDisk' | 'DataDisk' | 'InternetMaxBandwidthOut';

class MovedOn extends Error {}

export function meterTimer(prices: PriceTable, intervalMs = METER_INTERVAL_MS): Timer {
  let last: number | undefined;
  return async (env: EngineEnv) => {
    const now = env.clock.now();
    if (last !== undefined && now - last < intervalMs && now >= last) return;
    last = now;
    await settleUsage(env.db, prices, now, (msg, data) => env.log(msg, data));
  };
}

/** Settles every instance and pay-as-you-go disk up to `now`. */
export async function settleUsage(db: Db, prices: PriceTable, now: number, log: (msg: string, data?: Record<string, unknown>) => void): Promise<void> {
  const marks = new Map((await db.selectFrom('billing_marks').selectAll().execute())
    .map((m) => [m.resource_id, { until: Number(m.metered_until), subscribed: m.subscribed_until === null ? null : Number(m.subscribed_until) }]));
  const instances = await db.selectFrom('instances').selectAll()
    .where((eb) => eb.or([eb('deleted_at', 'is', null), eb('deleted_at', '>', now - SETTLE_RELEASED_MS)])).execute();
  const disks = await db.selectFrom('disks').selectAll().execute();
  for (const row of instances) {
    const mark = marks.get(row.id);
    const end = row.deleted_at === null ? now : Math.min(now, Number(row.deleted_at));
    const from = mark?.until ?? Number(row.created_at);
    const expires = row.instance_charge_type === 'PrePaid' && row.expires_at !== null ? Number(row.expires_at) : null;
    const subscribe = expires !== null && expires > (mark?.subscribed ?? 0);
    if (end <= from && !subscribe) continue;
    await settleOne(db, log, row.id, mark, async (trx) => {
      if (row.instance_charge_type !== 'PrePaid' && end > from) {
        const changes = await trx.selectFrom('transitions').select(['at', 'to_status']).where('resource_id', '=', row.id)
          .where('at', '<', end).orderBy('at').orderBy('id').execute();
        const history: StatusChange[] = changes.map((c) => ({ at: Number(c.at), to: c.to_status }));
        const type = instanceSpecOf(row);
        const hourly = instanceHourPrice(prices, row.region_id, type);
        const bw = bandwidthHourPrice(prices, row.region_id, row.internet_charge_type, row.internet_max_bandwidth_out);
        for (const [a, b] of splitByDay(from, end)) {
          const hours = chargedMs('Pending', history, a, b, row.stopped_mode) / HOUR_MS;
          if (hours <= 0) continue;
          const base = { account_id: row.account_id, region_id: row.region_id, zone_id: row.zone_id, resource_id: row.id, start_at: a, end_at: b };
          await addPayAsYouGo(trx, { ...base, billing_item: 'InstanceType', spec: row.instance_type }, hours, hourly);
          if (bw > 0) await addPayAsYouGo(trx, { ...base, billing_item: 'InternetMaxBandwidthOut', spec: `${row.internet_max_bandwidth_out}Mbps` }, hours, bw);
        }
      }
      // Back to pay-as-you-go, a later subscription is a new purchase (charged from its start).
      if (!subscribe) return { until: Math.max(end, from), subscribed: expires === null ? null : mark?.subscribed ?? null };
      // A purchase (or a renewal: the expiry moved past what was charged) is charged once, whole.
      // A pay-as-you-go instance turned subscription: from when it was last metered as pay-as-you-go.
      const start = mark?.subscribed ?? (mark ? mark.until : Number(row.created_at));
      const bought = boughtPeriod(start, expires!, (ms, n) => addPeriod(ms, n, 'Month'));
      const spec = subscriptionSpec(row, disks.filter((d) => d.instance_id === row.id));
      const q = quote(prices, spec, bought.unit, bought.period);
      const items: Record<string, BillingItem> = { instanceType: 'InstanceType', systemDisk: 'SystemDisk', dataDisk: 'DataDisk', bandwidth: 'InternetMaxBandwidthOut' };
      for (const item of q.items) {
        if (item.original === 0) continue;
        await trx.insertInto('billing_usage').values({
          account_id: row.account_id, region_id: row.region_id, zone_id: row.zone_id, resource_id: row.id,
          billing_item: items[item.resource]!, subscription_type: 'Subscription', spec: row.instance_type,
          day: dayOf(now), billing_cycle: dayOf(now).slice(0, 7), usage: bought.period, usage_unit: bought.unit,
          list_price: item.original / bought.period, list_price_unit: bought.unit, original_amount: item.original, amount: item.trade,
          start_at: start, end_at: expires!,
        }).execute();
      }
      return { until: Math.max(end, from), subscribed: expires };
    });
  }
  for (const d of disks) {
    if (d.charge_type !== 'PostPaid') continue;
    const mark = marks.get(d.id);
    const from = mark?.until ?? Number(d.created_at);
    if (now <= from) continue;
    await settleOne(db, log, d.id, mark, async (trx) => {
      const hourly = diskHourPrice(prices, d.region_id, diskSpecOf(d));
      const item: BillingItem = d.type === 'system' ? 'SystemDisk' : 'DataDisk';
      const spec = `${d.category}${d.category === 'cloud_essd' ? ` ${d.performance_level}` : ''} ${d.size}GiB`;
      for (const [a, b] of splitByDay(from, now)) {
        await addPayAsYouGo(trx, { account_id: d.account_id, region_id: d.region_id, zone_id: d.zone_id, resource_id: d.id, billing_item: item, spec, start_at: a, end_at: b }, (b - a) / HOUR_MS, hourly);
      }
      return { until: now, subscribed: null };
    });
  }
}

/** One resource's charges and its mark in one transaction; a mark another meter moved first leaves it. */
async function settleOne(
  db: Db, log: (msg: string, data?: Record<string, unknown>) => void, resourceId: string,
  mark: { until: number; subscribed: number | null } | undefined,
  charge: (trx: Tx) => Promise<{ until: number; subscribed: number | null }>,
): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      const next = await charge(trx);
      if (mark) {
        const r = await trx.updateTable('billing_marks').set({ metered_until: next.until, subscribed_until: next.subscribed })
          .where('resource_id', '=', resourceId).where('metered_until', '=', mark.until).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw new MovedOn();
      } else {
        await trx.insertInto('billing_marks').values({ resource_id: resourceId, metered_until: next.until, subscribed_until: next.subscribed }).execute();
      }
    });
  } catch (e) {
    if (e instanceof MovedOn) return;
    // Unpriced (the table lacks its region, family or category): left unsettled, charged once the table has it.
    if (e instanceof PriceNotFound) { log('metering: no price', { resourceId, error: e.message }); return; }
    throw e;
  }
}

interface UsageKey {
  account_id: string; region_id: string; zone_id: string; resource_id: string; billing_item: BillingItem; spec: string; start_at: number; end_at: number;
}

/** Adds hours of pay-as-you-go use to the resource's row of that item and day (one row per day). */
async function addPayAsYouGo(trx: Tx, k: UsageKey, hours: number, hourly: number): Promise<void> {
  const day = dayOf(k.start_at);
  const amount = hours * hourly;
  const row = await trx.selectFrom('billing_usage').select(['id', 'usage', 'amount', 'original_amount'])
    .where('resource_id', '=', k.resource_id).where('billing_item', '=', k.billing_item).where('day', '=', day)
    .where('subscription_type', '=', 'PayAsYouGo').where('spec', '=', k.spec).executeTakeFirst();
  if (row) {
    await trx.updateTable('billing_usage').set({
      usage: Number(row.usage) + hours, amount: Number(row.amount) + amount, original_amount: Number(row.original_amount) + amount, end_at: k.end_at,
    }).where('id', '=', row.id).execute();
    return;
  }
  await trx.insertInto('billing_usage').values({
    ...k, subscription_type: 'PayAsYouGo', day, billing_cycle: day.slice(0, 7), usage: hours, usage_unit: 'Hour',
    list_price: hourly, list_price_unit: 'Hour', original_amount: amount, amount,
  }).execute();
}
