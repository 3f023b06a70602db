/**
 * Public addresses handed out from the operator's pool (src/domain/public-ip-pool.ts). The `ip`
 * primary key makes two holders of one address impossible, even for two writers at once.
 *
 *   allocatePublicIp(trx, pool, { accountId, regionId, instanceId, requested?, batch? }) → the address
 *   releasePublicIps(trx, holderId)                                                     → frees its addresses (an instance's, an EIP's)
 *   releasePublicIp(trx, holderId, ip)                                                  → frees one of them
 *   transferPublicIp(trx, ip, { holderId, kind })                                       → the address to another holder
 */
import type { Kysely, Transaction } from 'kysely';
import { EcsError } from '../domain/errors.js';
import { formatIpv4, parseIpv4, type Cidr } from '../domain/cidr.js';
import { REGIONS } from '../domain/catalog/regions.js';
import { inPool, lowestFreePublic, parsePublicIpPool } from '../domain/public-ip-pool.js';
import type { Database } from './schema.js';

type Q = Kysely<Database> | Transaction<Database>;

const pools = new Map<string, Map<string, Cidr>>();

/** The region blocks of a pool setting (parsed once per setting). */
export function poolBlocks(setting: string | undefined): Map<string, Cidr> {
  const key = setting ?? '';
  let blocks = pools.get(key);
  if (!blocks) {
    const parsed = parsePublicIpPool(setting, REGIONS.map((r) => r.id));
    if (!parsed.ok) throw new EcsError('InternalError', `The public address pool is misconfigured: ${parsed.message}`, 500);
    blocks = parsed.blocks;
    pools.set(key, blocks);
  }
  return blocks;
}

/** Addresses already taken in a region, shared by the allocations of one transaction (RunInstances Amount=100). */
export interface PublicIpBatch { used?: Set<number> }

export interface PublicIpRequest {
  accountId: string;
  regionId: string;
  /** The holder: the instance (kind `instance`) or the EIP's allocation id (kind `eip`). */
  instanceId: string;
  kind?: 'instance' | 'eip';
  now: number;
  /** AllocatePublicIpAddress IpAddress: a given address of the pool. */
  requested?: string;
  batch?: PublicIpBatch;
}

/**
 * Takes an address of the region's block. Codes: InvalidOperation.PublicIpAddressNoStock (403)
 * when the block is exhausted or the region has none; for a requested address
 * InvalidIpAddress.Malformed, InvalidIpAddress.NotFound (not in the pool), IpInUse.
 */
export async function allocatePublicIp(trx: Q, poolSetting: string | undefined, r: PublicIpRequest): Promise<string> {
  const block = poolBlocks(poolSetting).get(r.regionId);
  const noStock = () => new EcsError('InvalidOperation.PublicIpAddressNoStock', `The public IP address pool of region ${r.regionId} is out of stock.`, 403);
  if (!block) throw noStock();
  let used = r.batch?.used;
  if (!used) {
    const rows = await trx.selectFrom('public_ips').select('ip').where('region_id', '=', r.regionId).execute();
    used = new Set(rows.map((x) => parseIpv4(x.ip)).filter((n): n is number => n !== undefined));
    if (r.batch) r.batch.used = used;
  }
  let ip: number;
  if (r.requested) {
    const n = parseIpv4(r.requested);
    if (n === undefined) throw new EcsError('InvalidIpAddress.Malformed', `The specified IpAddress "${r.requested}" is not valid.`, 400);
    if (!inPool(block, n)) throw new EcsError('InvalidIpAddress.NotFound', `The specified IpAddress "${r.requested}" is not in the public address pool of region ${r.regionId}.`, 404);
    if (used.has(n)) throw new EcsError('IpInUse', `The specified IpAddress "${r.requested}" is already in use.`, 403);
    ip = n;
  } else {
    const free = lowestFreePublic(block, used);
    if (free === undefined) throw noStock();
    ip = free;
  }
  const text = formatIpv4(ip);
  await trx.insertInto('public_ips').values({
    ip: text, account_id: r.accountId, region_id: r.regionId, instance_id: r.instanceId, kind: r.kind ?? 'instance', allocated_at: r.now,
  }).execute();
  used.add(ip);
  return text;
}

export async function releasePublicIps(trx: Q, instanceId: string): Promise<void> {
  await trx.deleteFrom('public_ips').where('instance_id', '=', instanceId).execute();
}

/** Hands an address to another holder (ConvertNatPublicIpToEip: an instance's NAT address becomes its EIP's). */
export async function transferPublicIp(trx: Q, ip: string, to: { holderId: string; kind: 'instance' | 'eip' }): Promise<void> {
  await trx.updateTable('public_ips').set({ instance_id: to.holderId, kind: to.kind }).where('ip', '=', ip).execute();
}

/** Frees one address of a holder (ReleasePublicIpAddress). */
export async function releasePublicIp(trx: Q, holderId: string, ip: string): Promise<void> {
  await trx.deleteFrom('public_ips').where('instance_id', '=', holderId).where('ip', '=', ip).execute();
}
