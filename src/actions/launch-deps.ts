/**
 * What launching an instance needs from other families (catalog, network, key pairs, images),
 * gathered behind one small interface so the instance actions stay readable.
 */
import { EcsError } from '../domain/errors.js';
import {
  checkDiskSize, checkImageFitsType as imageFits, checkTypeTakesDiskCategory, checkZoneOffersDiskCategory, checkZoneOffersType,
  defaultSystemDiskCategory, findInstanceType, findSystemImage,
} from '../domain/catalog/index.js';
import { findUsableImage } from '../store/images.js';
import { securityGroupCapacity } from '../domain/quotas.js';
import { allocatePrivateIp, findSecurityGroup, findVSwitch, memberCounts, type IpBatch } from '../store/network.js';
import { getKeyPair } from '../store/key-pairs.js';
import type { ActionContext, Tx } from './types.js';

export interface TypeInfo { id: string; cpu: number; memoryMiB: number; memoryGiB: number; cpuArchitecture: string; defaultSystemDiskCategory: string; bootModes: string[] }
export interface ImageInfo { id: string; osType: 'linux' | 'windows'; osName: string; sizeGiB: number; architecture: string; bootMode: string }
export interface VSwitchInfo { id: string; vpcId: string; zoneId: string; cidr: string }
export interface GroupInfo { id: string; vpcId: string; type: string }

export function resolveInstanceType(id: string): TypeInfo {
  const t = findInstanceType(id);
  if (!t) throw new EcsError('InvalidInstanceType.ValueNotSupported', `The specified InstanceType "${id}" beyond the permitted range.`);
  return {
    id: t.id, cpu: t.cpu, memoryMiB: Math.round(t.memoryGiB * 1024), memoryGiB: t.memoryGiB, cpuArchitecture: t.cpuArchitecture,
    defaultSystemDiskCategory: defaultSystemDiskCategory(t), bootModes: t.bootModes,
  };
}

/**
 * System images, the account's own custom images and images shared to it, in the request's region
 * (004:L25: a shared image launches only in its source region); a custom image must be Available.
 */
export async function resolveImage(ctx: ActionContext, id: string): Promise<ImageInfo> {
  const i = findSystemImage(id);
  if (i) return { id: i.id, osType: i.osType, osName: i.osNameEn, sizeGiB: i.sizeGiB, architecture: i.architecture, bootMode: i.bootMode };
  const c = await findUsableImage(ctx.db, ctx.principal.accountId, ctx.regionId, id);
  if (!c || c.status !== 'Available') throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${id}" does not exist.`);
  return { id: c.id, osType: c.os_type === 'windows' ? 'windows' : 'linux', osName: c.os_name_en || c.os_name, sizeGiB: c.size, architecture: c.architecture, bootMode: c.boot_mode };
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
  const v = await findVSwitch(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, id);
  if (!v) throw new EcsError('InvalidVSwitchId.NotFound', `Specified virtual switch "${id}" does not exist.`);
  return { id: v.id, vpcId: v.vpc_id, zoneId: v.zone_id, cidr: v.cidr_block };
}

export async function resolveSecurityGroups(ctx: ActionContext, ids: string[], q: Tx | ActionContext['db'] = ctx.db): Promise<GroupInfo[]> {
  const scope = { accountId: ctx.principal.accountId, regionId: ctx.regionId };
  const out: GroupInfo[] = [];
  for (const id of ids) {
    const g = await findSecurityGroup(q, scope, id);
    if (!g) throw new EcsError('InvalidSecurityGroupId.NotFound', `The SecurityGroupId "${id}" provided does not exist in our records.`);
    out.push({ id: g.id, vpcId: g.vpc_id, type: g.type });
  }
  return out;
}

/**
 * A security group holds at most 2,000 private addresses when basic, 65,536 when advanced (guide
 * §1.2, 001:L123, L216); an instance here has one private address, so `adding` more members must
 * fit. `code` is the action's: SecurityGroupInstanceLimitExceed (RunInstances, CreateInstance,
 * ModifyInstanceAttribute) or SecurityGroupInstanceLimitExceeded (JoinSecurityGroup).
 */
export async function checkGroupCapacity(ctx: ActionContext, groups: GroupInfo[], adding: number, code: string, q: Tx | ActionContext['db'] = ctx.db): Promise<void> {
  const counts = await memberCounts(q, groups.map((g) => g.id));
  for (const g of groups) {
    const cap = securityGroupCapacity(g.type);
    if ((counts.get(g.id) ?? 0) + adding > cap) {
      throw new EcsError(code, `The maximum number of instances in a security group is exceeded: ${g.id} holds at most ${cap} private IP addresses (${g.type === 'enterprise' ? 'advanced' : 'basic'} security group).`, 403);
    }
  }
}

export async function keyPairExists(ctx: ActionContext, name: string): Promise<boolean> {
  return (await getKeyPair(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, name)) !== undefined;
}

/** Takes a private address from the VSwitch (the requested one, or the lowest free). */
export function allocateIp(trx: Tx, vswitchId: string, instanceId: string, requested: string | undefined, batch: IpBatch): Promise<string> {
  return allocatePrivateIp(trx, { vswitchId, instanceId, requested, batch });
}
