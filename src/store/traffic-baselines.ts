/**
 * The meter's traffic progress per public address (migration 0043): the driver's byte counter
 * (and its epoch) each address was last billed up to. A charge is written only if its baseline
 * moved compare-and-set from the one the meter read (or was inserted where none was), in the
 * transaction that adds the traffic to the bill, so two meters never bill the same bytes.
 */
import type { Kysely } from 'kysely';
import type { TrafficBaseline } from '../domain/billing/traffic.js';
import { addPayAsYouGo, type PayAsYouGoUse } from './billing-settlements.js';
import type { Database } from './schema.js';

export interface TrafficCharge {
  address: string;
  seen: TrafficBaseline | undefined;
  next: TrafficBaseline;
  /** The traffic billed; none for an address no PayByTraffic resource holds (its baseline still moves). */
  use?: PayAsYouGoUse;
}

export async function trafficBaselines(db: Kysely<Database>, addresses: string[]): Promise<Map<string, TrafficBaseline>> {
  const out = new Map<string, TrafficBaseline>();
  for (let i = 0; i < addresses.length; i += 1000) {
    const rows = await db.selectFrom('traffic_baselines').selectAll().where('address', 'in', addresses.slice(i, i + 1000)).execute();
    for (const r of rows) out.set(r.address, { epoch: r.epoch, bytes: Number(r.bytes) });
  }
  return out;
}

export async function writeTrafficCharges(db: Kysely<Database>, charges: TrafficCharge[]): Promise<void> {
  if (!charges.length) return;
  await db.transaction().execute(async (trx) => {
    const won: PayAsYouGoUse[] = [];
    for (const c of charges) {
      const moved = c.seen === undefined
        ? await trx.insertInto('traffic_baselines').values({ address: c.address, ...c.next })
          .onConflict((oc) => oc.column('address').doNothing()).returning('address').executeTakeFirst()
        : await trx.updateTable('traffic_baselines').set(c.next).where('address', '=', c.address)
          .where('epoch', '=', c.seen.epoch).where('bytes', '=', c.seen.bytes).returning('address').executeTakeFirst();
      if (moved && c.use) won.push(c.use);
    }
    await addPayAsYouGo(trx, won);
  });
}
