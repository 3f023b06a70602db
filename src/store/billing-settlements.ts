/**
 * The meter's writes (src/engine/metering.ts), batched: a whole settlement pass — at an hour
 * boundary every resource of the fleet — is a few transactions of many resources, each a handful
 * of statements, instead of one transaction per resource. A resource is charged only if its claim
 * holds: its `billing_marks` row moved compare-and-set from the value the meter read (or inserted
 * where none was), or, for a deleted disk or a released EIP, its `released_disks` / `released_eips` row deleted; a resource another
 * meter settled first is left out of that chunk's charges.
 */
import { sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { insertRows, statementChunks } from './batch.js';
import type { BillingUsageTable, Database } from './schema.js';

type Tx = Transaction<Database>;

export interface Mark { until: number; subscribed: number | null }

/** Hours (or GB of traffic: `unit`) of pay-as-you-go use added to the resource's row of that item, spec and UTC day. */
export interface PayAsYouGoUse {
  account_id: string; region_id: string; zone_id: string; resource_id: string; billing_item: string; spec: string;
  day: string; start_at: number; end_at: number; hours: number; hourly: number; unit?: 'Hour' | 'GB';
}

export interface Settlement {
  resourceId: string;
  /** The mark the meter read (undefined: none yet). */
  seen: Mark | undefined;
  /** The mark after this settlement; null for a deleted disk or released EIP, whose mark goes with its `released_disks` / `released_eips` row. */
  next: Mark | null;
  payAsYouGo: PayAsYouGoUse[];
  /** Subscription purchases and renewals, charged whole. */
  orders: Insertable<BillingUsageTable>[];
}

/** Resources per transaction: bounded so one pass never holds the store long, and `in (…)` lists stay small. */
const CHUNK = 500;

export async function writeSettlements(db: Kysely<Database>, settlements: Settlement[]): Promise<void> {
  for (let i = 0; i < settlements.length; i += CHUNK) {
    // Requests are served between chunks: an hour's pass over a large fleet takes seconds.
    if (i > 0) await new Promise((resolve) => setImmediate(resolve));
    const chunk = settlements.slice(i, i + CHUNK);
    await db.transaction().execute(async (trx) => {
      const won = await claim(trx, chunk);
      const mine = chunk.filter((s) => won.has(s.resourceId));
      await addPayAsYouGo(trx, mine.flatMap((s) => s.payAsYouGo));
      await insertRows(trx, 'billing_usage', mine.flatMap((s) => s.orders));
    });
  }
}

/** Moves the chunk's marks; answers the resources whose claim held. */
async function claim(trx: Tx, chunk: Settlement[]): Promise<Set<string>> {
  const won = new Set<string>();
  const released = chunk.filter((s) => s.next === null).map((s) => s.resourceId);
  if (released.length) {
    const disks = await trx.deleteFrom('released_disks').where('disk_id', 'in', released).returning('disk_id').execute();
    const eips = await trx.deleteFrom('released_eips').where('eip_id', 'in', released).returning('eip_id').execute();
    const ids = [...disks.map((r) => r.disk_id), ...eips.map((r) => r.eip_id)];
    if (ids.length) await trx.deleteFrom('billing_marks').where('resource_id', 'in', ids).execute();
    for (const id of ids) won.add(id);
  }
  const fresh = chunk.filter((s) => s.next !== null && s.seen === undefined);
  if (fresh.length) {
    const inserted = await trx.insertInto('billing_marks')
      .values(fresh.map((s) => ({ resource_id: s.resourceId, metered_until: s.next!.until, subscribed_until: s.next!.subscribed })))
      .onConflict((oc) => oc.column('resource_id').doNothing()).returning('resource_id').execute();
    for (const r of inserted) won.add(r.resource_id);
  }
  // One UPDATE per (seen, next) pair: at an hour boundary most of the fleet moves from the same mark to the same mark.
  const moves = new Map<string, Settlement[]>();
  for (const s of chunk) {
    if (s.next === null || s.seen === undefined) continue;
    const k = `${s.seen.until}|${s.next.until}|${s.next.subscribed}`;
    const g = moves.get(k);
    if (g) g.push(s); else moves.set(k, [s]);
  }
  for (const group of moves.values()) {
    const { seen, next } = group[0]!;
    const moved = await trx.updateTable('billing_marks').set({ metered_until: next!.until, subscribed_until: next!.subscribed })
      .where('resource_id', 'in', group.map((s) => s.resourceId)).where('metered_until', '=', seen!.until)
      .returning('resource_id').execute();
    for (const r of moved) won.add(r.resource_id);
  }
  return won;
}

/**
 * Adds each use to its resource's row of that item, spec and day (the unique `billing_usage_payg_day`),
 * inserting the rows a day does not have yet: one multi-row upsert per few thousand uses.
 */
export async function addPayAsYouGo(trx: Tx, uses: PayAsYouGoUse[]): Promise<void> {
  const rows = uses.map(({ hours, hourly, unit = 'Hour', ...k }): Insertable<BillingUsageTable> => ({
    ...k, subscription_type: 'PayAsYouGo', billing_cycle: k.day.slice(0, 7), usage: hours, usage_unit: unit,
    list_price: hourly, list_price_unit: unit, original_amount: hours * hourly, amount: hours * hourly,
  }));
  for (const chunk of statementChunks(rows)) {
    await trx.insertInto('billing_usage').values(chunk)
      .onConflict((oc) => oc.columns(['resource_id', 'billing_item', 'day', 'spec']).where(sql.ref('subscription_type'), '=', sql.lit('PayAsYouGo'))
        .doUpdateSet((eb) => ({
          usage: eb('billing_usage.usage', '+', eb.ref('excluded.usage')),
          amount: eb('billing_usage.amount', '+', eb.ref('excluded.amount')),
          original_amount: eb('billing_usage.original_amount', '+', eb.ref('excluded.original_amount')),
          end_at: eb.ref('excluded.end_at'),
        })))
      .execute();
  }
}
