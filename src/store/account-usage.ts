/** What an account uses in a region, for DescribeAccountAttributes' `used-*` attributes. */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

/** vCPUs of the live pay-as-you-go instances: ordinary ones (`spot: false`) or spot instances (`spot: true`). */
export async function postpaidVcpus(db: Q, accountId: string, regionId: string, spot = false): Promise<number> {
  const r = await db.selectFrom('instances').select((eb) => eb.fn.sum<number>('cpu').as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).where('deleted_at', 'is', null)
    .where('instance_charge_type', '=', 'PostPaid')
    .where('spot_strategy', spot ? '<>' : '=', 'NoSpot').executeTakeFirst();
  return Number(r?.n ?? 0);
}

/** GiB of the pay-as-you-go cloud disks used as data disks. */
export async function postpaidDataDiskGiB(db: Q, accountId: string, regionId: string): Promise<number> {
  const r = await db.selectFrom('disks').select((eb) => eb.fn.sum<number>('size').as('n'))
    .where('account_id', '=', accountId).where('region_id', '=', regionId).where('type', '=', 'data')
    .where('charge_type', '=', 'PostPaid').executeTakeFirst();
  return Number(r?.n ?? 0);
}
