/**
 * What launching an instance needs from other families (catalog, network, key pairs, images),
 * gathered behind one small interface so the instance actions stay readable.
 */
import { EcsError } from '../api/errors.js';
import {
  checkDiskSize, checkImageFitsType as imageFits, checkTypeTakesDiskCategory, checkZoneOffersDiskCategory, checkZoneOffersType,
  defaultSystemDiskCategory, findInstanceType, findSystemImage,
} from '../domain/catalog/index.js';
import type { ActionContext, Tx } from './types.js';

export interface TypeInfo { id: string; cpu: number; memoryMiB: number; memoryGiB: number; cpuArchitecture: string; defaultSystemDiskCategory: string }
export interface ImageInfo { id: string; osType: 'linux' | 'windows'; osName: string; sizeGiB: number; architecture: string }
export interface VSwitchInfo { id: string; vpcId: string; zoneId: string; cidr: string }
export interface GroupInfo { id: string; vpcId: string; type: string }

export function resolveInstanceType(id: string): TypeInfo {
  const t = findInstanceType(id);
  if (!t) throw new EcsError('InvalidInstanceType.ValueNotSupported', `The specified InstanceType "${id}" beyond the permitted range.`);
  return {
    id: t.id, cpu: t.cpu, memoryMiB: Math.round(t.memoryGiB * 1024), memoryGiB: t.memoryGiB, cpuArchitecture: t.cpuArchitecture,
    defaultSystemDiskCategory: defaultSystemDiskCategory(t),
  };
}

/** System images today; custom and shared images join here when the image family lands. */
export async function resolveImage(ctx: ActionContext, id: string): Promise<ImageInfo> {
  void ctx;
  const i = findSystemImage(id);
  if (!i) throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${id}" does not exist.`);
  return { id: i.id, osType: i.osType, osName: i.osNameEn, sizeGiB: i.sizeGiB, architecture: i.architecture };
}

export function checkImageFitsType(image: ImageInfo, type: TypeInfo): void {
  imageFits(image, type);
}

export function checkDisk(kind: 'system' | 'data', category: string, sizeGiB: number, performanceLevel: string | undefined, type: TypeInfo): void {
  checkDiskSize(kind, category, sizeGiB, performanceLevel);
  checkTypeTakesDiskCategory(type.id, category);
}

/** What the zone sells: the instance type and each disk category. */
export function checkZoneOffers(regionId: string, zoneId: string, type: TypeInfo, categories: string[]): void {
  checkZoneOffersType(regionId, zoneId, type.id);
  for (const c of new Set(categories)) checkZoneOffersDiskCategory(regionId, zoneId, c);
}

export async function resolveVSwitch(ctx: ActionContext, id: string): Promise<VSwitchInfo> {
  const v = await ctx.db.selectFrom('vswitches').selectAll()
    .where('id', '=', id).where('account_id', '=', ctx.principal.accountId).where('region_id', '=', ctx.regionId).executeTakeFirst();
  if (!v) throw new EcsError('InvalidVSwitchId.NotFound', `Specified virtual switch "${id}" does not exist.`);
  return { id: v.id, vpcId: v.vpc_id, zoneId: v.zone_id, cidr: v.cidr_block };
}

export async function resolveSecurityGroups(ctx: ActionContext, ids: string[]): Promise<GroupInfo[]> {
  const rows = ids.length === 0 ? [] : await ctx.db.selectFrom('security_groups').selectAll()
    .where('id', 'in', ids).where('account_id', '=', ctx.principal.accountId).where('region_id', '=', ctx.regionId).execute();
  return ids.map((id) => {
    const g = rows.find((r) => r.id === id);
    if (!g) throw new EcsError('InvalidSecurityGroupId.NotFound', `The SecurityGroupId "${id}" provided does not exist in our records.`);
    return { id: g.id, vpcId: g.vpc_id, type: g.type };
  });
}

export async function keyPairExists(ctx: ActionContext, name: string): Promise<boolean> {
  void ctx; void name;
  return false;
}

/** Takes a private address from the VSwitch (the requested one, or the lowest free). */
export async function allocateIp(trx: Tx, vswitchId: string, instanceId: string, requested?: string): Promise<string> {
  void trx; void vswitchId; void instanceId; void requested;
  throw new EcsError('QuotaExceeded.PrivateIpAddress', "Don't have enough private IPs in this switch.");
}

export async function releaseIps(trx: Tx, instanceId: string): Promise<void> {
  await trx.deleteFrom('private_ips').where('instance_id', '=', instanceId).execute();
}
