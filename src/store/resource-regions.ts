/**
 * The region of resources named by id, for RAM ARNs of calls that carry no RegionId (StopInstance,
 * DeleteDisk …: ECS finds the region from the resource, and so does a policy's
 * `acs:ecs:cn-hangzhou:*:instance/*`).
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

const TABLES = {
  instance: 'instances', disk: 'disks', snapshot: 'snapshots', image: 'images', securitygroup: 'security_groups',
  networkinterface: 'network_interfaces', autosnapshotpolicy: 'auto_snapshot_policies', vpc: 'vpcs', vswitch: 'vswitches',
  routetable: 'route_tables',
} as const;

/** ARN type → region of each id found (the caller's account, or public: images). Types without a table answer nothing. */
export async function regionsOf(db: Kysely<Database>, accountId: string, type: string, ids: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (ids.length === 0) return out;
  if (type === 'keypair') {
    const rows = await db.selectFrom('key_pairs').select(['name', 'region_id']).where('account_id', '=', accountId).where('name', 'in', ids).execute();
    for (const r of rows) out.set(r.name, r.region_id);
    return out;
  }
  const table = TABLES[type as keyof typeof TABLES];
  if (!table) return out;
  const rows = await db.selectFrom(table).select(['id', 'region_id']).where('id', 'in', ids).execute();
  for (const r of rows as { id: string; region_id: string }[]) out.set(r.id, r.region_id);
  return out;
}
