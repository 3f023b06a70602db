/**
 * The meter: a timer that settles charges up to the service clock, looking at most once a minute
 * of service time (a test's clock jump settles at once). Pay-as-you-go instances are charged for
 * the hours their status history (transitions) says they ran (src/domain/billing/metering.ts),
 * pay-as-you-go disks for every hour they exist, EIPs with fixed bandwidth (PayByBandwidth) for
 * every hour they are allocated; a subscription is charged once per purchase or renewal, when
 * its expiry moves past what was charged. Outbound traffic of PayByTraffic addresses (an
 * instance's NAT public address, an EIP) is billed per GB at each clock hour: the delta of the
 * driver's per-address byte counters since what was billed (src/domain/billing/traffic.ts,
 * src/store/traffic-baselines.ts); no traffic, no write.
 *
 * Billing is hourly, as ECS bills pay-as-you-go: at each clock hour every resource is settled up
 * to the clock; between hours only what changed is — an instance with a status change since its
 * mark (so a window never holds two stops of different modes), a subscription bought or renewed,
 * an instance back to pay-as-you-go, a deleted disk (src/store/released-disks.ts), a released EIP
 * (`released_eips`, src/store/eips.ts). An idle fleet costs four reads a minute and writes nothing, so the read caches keyed on the store version
 * stay warm. Each resource's progress is a `billing_marks` row moved compare-and-set in
 * the batched transaction that writes its usage (src/store/billing-settlements.ts), so a charge is
 * written once even if two meters ran. Charges are at the spec the resource has when settled.
 */
import type { ExpressionBuilder, Nullable, Selectable } from 'kysely';
import type { PriceTable } from '../domain/billing/price-table.js';
import { diskHourPrice, instanceHourPrice, bandwidthHourPrice, PriceNotFound, quote, trafficGBPrice } from '../domain/billing/pricing.js';
import { BYTES_PER_GB, unbilledBytes, type TrafficCounter } from '../domain/billing/traffic.js';
import { trafficBaselines, writeTrafficCharges, type TrafficCharge } from '../store/traffic-baselines.js';
import { billedInstance, diskSpecOf, instanceSpecOf, subscriptionSpec } from '../domain/billing/specs.js';
import { boughtPeriod, chargedMs, dayOf, hourStart, splitByDay, type StatusChange } from '../domain/billing/metering.js';
import { addPeriod } from '../domain/instances/subscription.js';
import type { Db } from '../store/db.js';
import { writeSettlements, type Mark, type PayAsYouGoUse, type Settlement } from '../store/billing-settlements.js';
import type { BillingMarkTable, Database, DiskTable, EipTable, InstanceTable } from '../store/schema.js';
import type { InstanceRow } from '../store/instances.js';
import type { EngineEnv, Timer } from './engine.js';
import { balancesOf, markOverdue } from '../store/account-balances.js';
import { isOverdueBalance } from '../domain/billing/arrears.js';

const HOUR_MS = 3_600_000;
/** Released instances are settled up to their release for this long after it. */
const SETTLE_RELEASED_MS = 7 * 24 * HOUR_MS;
export const METER_INTERVAL_MS = 60_000;

/** The billing items of QueryInstanceBill (IsBillingItem=true): ECS's, and an EIP's Bandwidth; Traffic is either's PayByTraffic GB. */
export type BillingItem = 'InstanceType' | 'SystemDisk' | 'DataDisk' | 'InternetMaxBandwidthOut' | 'Bandwidth' | 'Traffic';

type Log = (msg: string, data?: Record<string, unknown>) => void;
/** Conditions on an instance (`i`) beside its mark (`m`, left joined). */
type Eb = ExpressionBuilder<Database & { i: InstanceTable; m: Nullable<BillingMarkTable> }, 'i' | 'm'>;

/** What one meter remembers between passes: when it last settled (a change back to pay-as-you-go is charged from after it). */
export interface MeterMemory { lastPass?: number }

export function meterTimer(prices: PriceTable, intervalMs = METER_INTERVAL_MS): Timer {
  const memory: MeterMemory = {};
  let last: number | undefined;
  return async (env: EngineEnv) => {
    const now = env.clock.now();
    if (last !== undefined && now - last < intervalMs && now >= last) return;
    last = now;
    const driver = env.driver;
    const traffic = driver.publicTrafficCounters ? () => driver.publicTrafficCounters!() : undefined;
    await settleUsage(env.db, prices, now, (msg, data) => env.log(msg, data), memory, traffic);
  };
}

const markOf = (r: { marked: string | null; metered_until: number | null; subscribed_until: number | null }): Mark | undefined =>
  r.marked === null ? undefined : { until: Number(r.metered_until), subscribed: r.subscribed_until === null ? null : Number(r.subscribed_until) };

/** Settles what is due at `now`: everything at a new clock hour (with `traffic`, the driver's counters), what changed in between. */
export async function settleUsage(
  db: Db, prices: PriceTable, now: number, log: Log, memory: MeterMemory = {}, traffic?: () => Promise<TrafficCounter[]>,
): Promise<void> {
  const hour = hourStart(now);
  // A new clock hour (or a meter's first pass) looks at everything; between hours, indexed reads of what changed.
  const full = memory.lastPass === undefined || hourStart(memory.lastPass) < hour;
  const settlements: Settlement[] = [];
  const add = (resourceId: string, settle: () => Settlement | undefined) => {
    try {
      const s = settle();
      if (s) settlements.push(s);
    } catch (e) {
      // Unpriced (the table lacks its region, family or category): left unsettled, charged once the table has it.
      if (e instanceof PriceNotFound) { log('metering: no price', { resourceId, error: e.message }); return; }
      throw e;
    }
  };
  const instances = await dueInstances(db, now, hour, full);
  if (instances.length) {
    const subscriptions = instances.filter((r) => r.instance_charge_type === 'PrePaid').map((r) => r.id);
    const disksOf = new Map<string, Selectable<DiskTable>[]>();
    for (const d of subscriptions.length ? await db.selectFrom('disks').selectAll().where('instance_id', 'in', subscriptions).execute() : []) {
      disksOf.set(d.instance_id, [...(disksOf.get(d.instance_id) ?? []), d]);
    }
    const history = await historyOf(db, instances.map((r) => r.id), now);
    for (const r of instances) {
      add(r.id, () => settleInstance(prices, r, markOf(r), history.get(r.id) ?? [], disksOf.get(r.id) ?? [], now, memory.lastPass));
    }
  }
  for (const d of full ? await dueDisks(db, hour) : []) {
    const mark = markOf(d);
    add(d.id, () => settleDisk(prices, d, mark, mark?.until ?? Number(d.created_at), now, { until: now, subscribed: null }));
  }
  for (const d of await db.selectFrom('released_disks as r').leftJoin('billing_marks as m', 'm.resource_id', 'r.disk_id')
    .selectAll('r').select(['m.resource_id as marked', 'm.metered_until', 'm.subscribed_until']).execute()) {
    const mark = markOf(d);
    add(d.disk_id, () => settleDisk(prices, { ...d, id: d.disk_id }, mark, mark?.until ?? Number(d.created_at), Number(d.released_at), null));
  }
  for (const e of full ? await dueEips(db, hour) : []) {
    const mark = markOf(e);
    add(e.id, () => settleEip(prices, e, mark, mark?.until ?? Number(e.created_at), now, { until: now, subscribed: null }));
  }
  for (const e of await db.selectFrom('released_eips as r').leftJoin('billing_marks as m', 'm.resource_id', 'r.eip_id')
    .selectAll('r').select(['m.resource_id as marked', 'm.metered_until', 'm.subscribed_until']).execute()) {
    const mark = markOf(e);
    add(e.eip_id, () => settleEip(prices, { ...e, id: e.eip_id }, mark, mark?.until ?? Number(e.created_at), Number(e.released_at), null));
  }
  await writeSettlements(db, settlements);
  const charges = full && traffic ? await trafficCharges(db, prices, await traffic(), hour, now, log) : [];
  await writeTrafficCharges(db, charges);
  const billed = [...settlements, { payAsYouGo: charges.flatMap((c) => (c.use ? [c.use] : [])) }];
  await markArrears(db, prices, billed, now);
  memory.lastPass = now;
}

/**
 * An account billed for pay-as-you-go usage whose balance is now below zero is overdue from now
 * (src/engine/arrears.ts stops its pay-as-you-go instances). Read only after usage was written, so
 * an idle fleet still writes nothing.
 */
async function markArrears(db: Db, prices: PriceTable, settlements: Pick<Settlement, 'payAsYouGo'>[], now: number): Promise<void> {
  const payers = [...new Set(settlements.flatMap((s) => s.payAsYouGo.map((u) => u.account_id)))];
  if (!payers.length) return;
  const overdue = [...(await balancesOf(db, payers, prices.accountCredit)).entries()]
    .filter(([, b]) => b.overdueAt === null && isOverdueBalance(b.available)).map(([id]) => id);
  if (overdue.length) await markOverdue(db, overdue, now);
}

/**
 * Instances with something to settle: at a new clock hour every one whose mark is behind it (and
 * that has time left to settle); any time, one with a status change since its mark, a
 * subscription bought or renewed past what was charged, or one back to pay-as-you-go. Between
 * hours (`full` false) each of those is its own read through an index (transitions by time,
 * instances by expiry, marks holding a subscription), so an idle fleet is not scanned.
 */
async function dueInstances(db: Db, now: number, hour: number, full: boolean) {
  const marked = () => db.selectFrom('instances as i').leftJoin('billing_marks as m', 'm.resource_id', 'i.id')
    .selectAll('i').select(['m.resource_id as marked', 'm.metered_until', 'm.subscribed_until'])
    .where((eb) => eb.or([eb('i.deleted_at', 'is', null), eb('i.deleted_at', '>', now - SETTLE_RELEASED_MS)]));
  const changed = (eb: Eb) => eb.exists(eb.selectFrom('transitions as t').select('t.id').whereRef('t.resource_id', '=', 'i.id')
    .where('t.at', '>=', hour).where((t) => t('t.at', '>=', t.fn.coalesce('m.metered_until', t.val(0)))));
  const bought = (eb: Eb) => eb.and([eb('i.instance_charge_type', '=', 'PrePaid'), eb('i.expires_at', '>', 0),
    eb('i.expires_at', '>', eb.fn.coalesce('m.subscribed_until', eb.val(0)))]);
  const backToPayAsYouGo = (eb: Eb) => eb.and([eb('i.instance_charge_type', '<>', 'PrePaid'), eb('i.expires_at', 'is', null), eb('m.subscribed_until', 'is not', null)]);
  if (full) {
    return marked().where((eb) => eb.or([
      eb.and([
        eb.or([eb('m.metered_until', 'is', null), eb('m.metered_until', '<', hour)]),
        eb.or([eb('i.deleted_at', 'is', null), eb('i.deleted_at', '>', eb.fn.coalesce('m.metered_until', 'i.created_at'))]),
      ]),
      changed(eb), bought(eb), backToPayAsYouGo(eb),
    ])).execute();
  }
  const found = [
    ...await marked().where('i.id', 'in', db.selectFrom('transitions').select('resource_id').where('at', '>=', hour)).where(changed).execute(),
    ...await marked().where('i.expires_at', '>', 0).where(bought).execute(),
    ...await marked().where('i.id', 'in', db.selectFrom('billing_marks').select('resource_id').where('subscribed_until', 'is not', null))
      .where(backToPayAsYouGo).execute(),
  ];
  return [...new Map(found.map((r) => [r.id, r])).values()];
}

/** Pay-as-you-go disks behind the current clock hour (between hours only a deletion settles a disk: it is billed at the spec it has when settled). */
async function dueDisks(db: Db, hour: number) {
  return db.selectFrom('disks as d').leftJoin('billing_marks as m', 'm.resource_id', 'd.id')
    .selectAll('d').select(['m.resource_id as marked', 'm.metered_until', 'm.subscribed_until'])
    .where('d.charge_type', '=', 'PostPaid').where((eb) => eb.or([eb('m.metered_until', 'is', null), eb('m.metered_until', '<', hour)]))
    .execute();
}

/** Pay-as-you-go EIPs with fixed bandwidth behind the current clock hour (a released one settles from `released_eips`). */
async function dueEips(db: Db, hour: number) {
  return db.selectFrom('eips as e').leftJoin('billing_marks as m', 'm.resource_id', 'e.id')
    .selectAll('e').select(['m.resource_id as marked', 'm.metered_until', 'm.subscribed_until'])
    .where('e.charge_type', '=', 'PostPaid').where('e.internet_charge_type', '=', 'PayByBandwidth')
    .where((eb) => eb.or([eb('m.metered_until', 'is', null), eb('m.metered_until', '<', hour)]))
    .execute();
}

/**
 * The traffic each counted address sent since it was last billed (the counters' delta past their
 * baselines), charged to the PayByTraffic EIP or instance holding the address; an address no such
 * resource holds only moves its baseline. Counters with no new bytes are left alone (no write).
 */
async function trafficCharges(db: Db, prices: PriceTable, counters: TrafficCounter[], hour: number, now: number, log: Log): Promise<TrafficCharge[]> {
  if (!counters.length) return [];
  const baselines = await trafficBaselines(db, counters.map((c) => c.address));
  const due = counters.map((c) => ({ c, bytes: unbilledBytes(baselines.get(c.address), c) })).filter((x) => x.bytes > 0);
  if (!due.length) return [];
  const addresses = due.map((x) => x.c.address);
  type Holder = { id: string; account_id: string; region_id: string; zone_id: string; internet_charge_type: string };
  const holders = new Map<string, Holder>();
  for (const e of await db.selectFrom('eips').select(['id', 'ip_address', 'account_id', 'region_id', 'internet_charge_type'])
    .where('ip_address', 'in', addresses).execute()) holders.set(e.ip_address, { ...e, zone_id: '' });
  for (const i of await db.selectFrom('instances').select(['id', 'public_ip', 'account_id', 'region_id', 'zone_id', 'internet_charge_type'])
    .where('public_ip', 'in', addresses).where('deleted_at', 'is', null).execute()) holders.set(i.public_ip, i);
  const start = Math.min(hour - HOUR_MS, now);
  const charges: TrafficCharge[] = [];
  for (const { c, bytes } of due) {
    const h = holders.get(c.address);
    const charge: TrafficCharge = { address: c.address, seen: baselines.get(c.address), next: { epoch: c.epoch, bytes: c.bytes } };
    if (h?.internet_charge_type === 'PayByTraffic') {
      let perGB: number;
      try {
        perGB = trafficGBPrice(prices, h.region_id);
      } catch (e) {
        // Unpriced region: the bytes stay unbilled (the baseline does not move) until the table has it.
        if (e instanceof PriceNotFound) { log('metering: no price', { resourceId: h.id, error: e.message }); continue; }
        throw e;
      }
      charge.use = {
        account_id: h.account_id, region_id: h.region_id, zone_id: h.zone_id, resource_id: h.id, billing_item: 'Traffic' satisfies BillingItem,
        spec: 'PayByTraffic', day: dayOf(start), start_at: start, end_at: now, hours: bytes / BYTES_PER_GB, hourly: perGB, unit: 'GB',
      };
    }
    charges.push(charge);
  }
  return charges;
}

/** The status history of these instances before `now`, oldest first, in one read per chunk. */
async function historyOf(db: Db, ids: string[], now: number): Promise<Map<string, StatusChange[]>> {
  const out = new Map<string, StatusChange[]>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db.selectFrom('transitions').select(['resource_id', 'at', 'to_status'])
      .where('resource_id', 'in', ids.slice(i, i + 1000)).where('at', '<', now).orderBy('at').orderBy('id').execute();
    for (const c of rows) {
      const list = out.get(c.resource_id);
      const change = { at: Number(c.at), to: c.to_status };
      if (list) list.push(change); else out.set(c.resource_id, [change]);
    }
  }
  return out;
}

const SUBSCRIPTION_ITEMS: Record<string, BillingItem> = { instanceType: 'InstanceType', systemDisk: 'SystemDisk', dataDisk: 'DataDisk', bandwidth: 'InternetMaxBandwidthOut' };

function settleInstance(
  prices: PriceTable, row: InstanceRow, mark: Mark | undefined, changes: StatusChange[], disks: Selectable<DiskTable>[], now: number, lastPass: number | undefined,
): Settlement | undefined {
  const end = row.deleted_at === null ? now : Math.min(now, Number(row.deleted_at));
  let from = mark?.until ?? Number(row.created_at);
  const expires = row.instance_charge_type === 'PrePaid' && row.expires_at !== null ? Number(row.expires_at) : null;
  const subscribe = expires !== null && expires > (mark?.subscribed ?? 0);
  if (end <= from && !subscribe) return undefined;
  const next: Mark = { until: Math.max(end, from), subscribed: expires === null ? null : mark?.subscribed ?? null };
  const payAsYouGo: PayAsYouGoUse[] = [];
  const orders: Settlement['orders'] = [];
  // A charge type changed since the last pass changed after it: the time before is billed as it was.
  const changedSinceLastPass = (t: number) => (lastPass === undefined ? t : Math.min(end, Math.max(t, lastPass)));
  let paidUntil = from;
  if (row.instance_charge_type !== 'PrePaid') {
    // Back to pay-as-you-go: charged from the change (the subscription covered the time before).
    if (mark?.subscribed != null) from = changedSinceLastPass(from);
    paidUntil = end;
  } else if (subscribe && mark && mark.subscribed === null) {
    // Pay-as-you-go turned subscription: pay-as-you-go up to the change.
    paidUntil = changedSinceLastPass(from);
  }
  if (paidUntil > from) {
    const hourly = instanceHourPrice(prices, row.region_id, instanceSpecOf(row));
    const bw = bandwidthHourPrice(prices, row.region_id, row.internet_charge_type, row.internet_max_bandwidth_out);
    for (const [a, b] of splitByDay(from, paidUntil)) {
      const hours = chargedMs('Pending', changes, a, b, row.stopped_mode) / HOUR_MS;
      if (hours <= 0) continue;
      const base = { account_id: row.account_id, region_id: row.region_id, zone_id: row.zone_id, resource_id: row.id, day: dayOf(a), start_at: a, end_at: b, hours };
      payAsYouGo.push({ ...base, billing_item: 'InstanceType', spec: row.instance_type, hourly });
      if (bw > 0) payAsYouGo.push({ ...base, billing_item: 'InternetMaxBandwidthOut', spec: `${row.internet_max_bandwidth_out}Mbps`, hourly: bw });
    }
  }
  if (subscribe) {
    // A purchase (or a renewal: the expiry moved past what was charged) is charged once, whole.
    // A pay-as-you-go instance turned subscription: from when it was last metered as pay-as-you-go.
    const start = mark?.subscribed ?? (mark ? paidUntil : Number(row.created_at));
    // A renewal for configuration downgrade is billed at the lower type it bought, from when it starts
    // (a purchase and such a renewal settled together are two orders).
    const at = row.renew_downgrade_at;
    const periods = at !== null && at > start && at < expires! ? [[start, at], [at, expires!]] : [[start, expires!]];
    for (const [from, to] of periods as [number, number][]) {
      const bought = boughtPeriod(from, to, (ms, n) => addPeriod(ms, n, 'Month'));
      const billed = billedInstance(row, from);
      const q = quote(prices, subscriptionSpec(billed, disks), bought.unit, bought.period);
      for (const item of q.items) {
        if (item.original === 0) continue;
        orders.push({
          account_id: row.account_id, region_id: row.region_id, zone_id: row.zone_id, resource_id: row.id,
          billing_item: SUBSCRIPTION_ITEMS[item.resource]!, subscription_type: 'Subscription', spec: billed.instance_type,
          day: dayOf(now), billing_cycle: dayOf(now).slice(0, 7), usage: bought.period, usage_unit: bought.unit,
          list_price: item.original / bought.period, list_price_unit: bought.unit, original_amount: item.original, amount: item.trade,
          start_at: from, end_at: to,
        });
      }
    }
    next.subscribed = expires;
  }
  return { resourceId: row.id, seen: mark, next, payAsYouGo, orders };
}

type EipFacts = Pick<Selectable<EipTable>, 'id' | 'account_id' | 'region_id' | 'bandwidth' | 'internet_charge_type'>;

/** A pay-as-you-go EIP's hours of fixed bandwidth from `from` to `to` (PayByTraffic: none, billed per GB); `next` null: a released EIP, whose mark goes. */
function settleEip(prices: PriceTable, e: EipFacts, seen: Mark | undefined, from: number, to: number, next: Mark | null): Settlement | undefined {
  if (to <= from && next !== null) return undefined;
  const hourly = bandwidthHourPrice(prices, e.region_id, e.internet_charge_type, e.bandwidth);
  const payAsYouGo = hourly <= 0 ? [] : splitByDay(from, to).map(([a, b]): PayAsYouGoUse => ({
    account_id: e.account_id, region_id: e.region_id, zone_id: '', resource_id: e.id, billing_item: 'Bandwidth' satisfies BillingItem,
    spec: `${e.bandwidth}Mbps`, day: dayOf(a), start_at: a, end_at: b, hours: (b - a) / HOUR_MS, hourly,
  }));
  return { resourceId: e.id, seen, next, payAsYouGo, orders: [] };
}

type DiskFacts = Pick<Selectable<DiskTable>, 'id' | 'account_id' | 'region_id' | 'zone_id' | 'type' | 'category' | 'size' | 'performance_level'>;

/** A pay-as-you-go disk's hours from `from` to `to`; `next` null: a deleted disk, whose mark goes. */
function settleDisk(prices: PriceTable, d: DiskFacts, seen: Mark | undefined, from: number, to: number, next: Mark | null): Settlement | undefined {
  if (to <= from && next !== null) return undefined;
  const hourly = diskHourPrice(prices, d.region_id, diskSpecOf(d));
  const billing_item: BillingItem = d.type === 'system' ? 'SystemDisk' : 'DataDisk';
  const spec = `${d.category}${d.category === 'cloud_essd' ? ` ${d.performance_level}` : ''} ${d.size}GiB`;
  const payAsYouGo = splitByDay(from, to).map(([a, b]): PayAsYouGoUse => ({
    account_id: d.account_id, region_id: d.region_id, zone_id: d.zone_id, resource_id: d.id, billing_item, spec,
    day: dayOf(a), start_at: a, end_at: b, hours: (b - a) / HOUR_MS, hourly,
  }));
  return { resourceId: d.id, seen, next, payAsYouGo, orders: [] };
}
