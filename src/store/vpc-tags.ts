/**
 * Tag queries of the VPC product's tag actions (TagResources, UnTagResources, ListTagResources):
 * which VPCs, VSwitches, route tables and EIPs exist, and their tag rows. Tags themselves live in the
 * shared `tags` table (src/store/tags.ts), under lower-case types as DescribeVpcs stores them.
 */
import type { Kysely, Transaction } from 'kysely';
import type { Database, TagTable } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

export interface VpcTagScope { accountId: string; regionId: string }

/** A system route table's id shares its router's random part (vrt-X ↔ vtb-X, src/actions/vpc.ts). */
export const routerOfRouteTable = (id: string) => 'vrt-' + id.replace(/^vtb-/, '');
export const routeTableOfRouter = (id: string) => 'vtb-' + id.replace(/^vrt-/, '');

/** The ids among `ids` naming existing resources of the (stored, lower-case) type in the scope. */
export async function existingVpcResources(db: Q, s: VpcTagScope, type: string, ids: string[]): Promise<Set<string>> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return new Set();
  if (type === 'vpc' || type === 'vswitch' || type === 'eip') {
    const rows = await db.selectFrom(type === 'vpc' ? 'vpcs' : type === 'eip' ? 'eips' : 'vswitches').select('id')
      .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId).where('id', 'in', wanted).execute();
    return new Set(rows.map((r) => r.id));
  }
  if (type === 'routetable') {
    const rows = await db.selectFrom('vpcs').select('vrouter_id')
      .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId).where('vrouter_id', 'in', wanted.map(routerOfRouteTable)).execute();
    return new Set(rows.map((r) => routeTableOfRouter(r.vrouter_id)));
  }
  return new Set();
}

/** Tag rows of the type in the scope (optionally of some resources), by resource then key. */
export async function vpcTagRows(db: Q, s: VpcTagScope, type: string, ids?: string[]): Promise<TagTable[]> {
  let q = db.selectFrom('tags').selectAll()
    .where('account_id', '=', s.accountId).where('region_id', '=', s.regionId).where('resource_type', '=', type);
  if (ids) q = q.where('resource_id', 'in', ids.length ? ids : ['']);
  return q.orderBy('resource_id').orderBy('key').execute();
}
