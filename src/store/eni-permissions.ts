/**
 * CreateNetworkInterfacePermission's grants: the ENI's owner lets another account attach the ENI
 * to that account's instances (InstanceAttach). Revoking deletes the grant.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, EniPermissionTable } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;
export type EniPermissionRow = Selectable<EniPermissionTable>;

export interface EniPermissionFilter { accountId: string; regionId: string; eniId?: string; ids?: string[] }

function filtered(db: Q, f: EniPermissionFilter) {
  let q = db.selectFrom('eni_permissions').where('account_id', '=', f.accountId).where('region_id', '=', f.regionId);
  if (f.eniId) q = q.where('network_interface_id', '=', f.eniId);
  if (f.ids) q = q.where('id', 'in', f.ids.length ? f.ids : ['']);
  return q;
}

export async function listEniPermissions(db: Q, f: EniPermissionFilter, offset: number, limit: number): Promise<{ rows: EniPermissionRow[]; total: number }> {
  const total = await filtered(db, f).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
  const rows = await filtered(db, f).selectAll().orderBy('created_at').orderBy('id').offset(offset).limit(limit).execute();
  return { rows, total: Number(total?.n ?? 0) };
}

export async function findEniPermission(db: Q, accountId: string, regionId: string, id: string): Promise<EniPermissionRow | undefined> {
  return filtered(db, { accountId, regionId, ids: [id] }).selectAll().executeTakeFirst();
}

/** Whether `granteeAccountId` may attach the ENI to its instances. */
export async function mayAttach(db: Q, eniId: string, granteeAccountId: string): Promise<boolean> {
  const r = await db.selectFrom('eni_permissions').select('id')
    .where('network_interface_id', '=', eniId).where('grantee_account_id', '=', granteeAccountId)
    .where('permission', '=', 'InstanceAttach').where('state', '=', 'Granted').executeTakeFirst();
  return r !== undefined;
}

export async function insertEniPermission(trx: Q, row: EniPermissionRow): Promise<void> {
  await trx.insertInto('eni_permissions').values(row).execute();
}

export async function deleteEniPermission(trx: Q, id: string): Promise<void> {
  await trx.deleteFrom('eni_permissions').where('id', '=', id).execute();
}
