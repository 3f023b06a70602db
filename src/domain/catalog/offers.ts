/**
 * What each zone sells: instance types, I/O modes and disk categories. Every zone sells the
 * current families; legacy zones also sell Generation I, non-I/O-optimized instances and basic
 * `cloud` disks; mainland China regions also sell ecs.e and ESSD Entry disks.
 */
import { EcsError } from '../errors.js';
import { DISK_CATEGORIES } from './disk-categories.js';
import { diskCategoriesOf, findInstanceType, INSTANCE_TYPES, type InstanceType, type IoMode } from './instance-types.js';
import { findRegion, type Region, type Zone } from './regions.js';

export interface ZoneRef { region: Region; zone: Zone }

export function typesInZone({ region, zone }: ZoneRef): InstanceType[] {
  return INSTANCE_TYPES.filter((t) => (zone.legacy || t.generation !== 'ecs-1') && (region.mainland || !t.mainlandOnly));
}

/** The types sold in at least one zone of the region. */
export function typesInRegion(region: Region): InstanceType[] {
  const sold = new Set(region.zones.flatMap((zone) => typesInZone({ region, zone }).map((t) => t.id)));
  return INSTANCE_TYPES.filter((t) => sold.has(t.id));
}

export function ioModesInZone({ zone }: ZoneRef): IoMode[] {
  return zone.legacy ? ['optimized', 'none'] : ['optimized'];
}

export function diskCategoriesInZone({ region, zone }: ZoneRef): string[] {
  return DISK_CATEGORIES.map((c) => c.id)
    .filter((c) => (c !== 'cloud' || zone.legacy) && (c !== 'cloud_essd_entry' || region.mainland));
}

/** Disk categories a type takes in a zone and I/O mode: the type's that the zone sells. */
export function diskCategoriesFor(ref: ZoneRef, type: InstanceType, io: IoMode): string[] {
  if (!ioModesInZone(ref).includes(io)) return [];
  const sold = new Set(diskCategoriesInZone(ref));
  return diskCategoriesOf(type, io).filter((c) => sold.has(c));
}

export function zoneRef(regionId: string, zoneId: string): ZoneRef | undefined {
  const region = findRegion(regionId);
  const zone = region?.zones.find((z) => z.id === zoneId);
  return region && zone ? { region, zone } : undefined;
}

/** RunInstances in a zone that does not sell the type: InvalidInstanceType.ZoneNotSupported (403). */
export function checkZoneOffersType(regionId: string, zoneId: string, typeId: string): void {
  const ref = zoneRef(regionId, zoneId);
  if (!ref) throw new EcsError('InvalidZoneId.NotFound', `The ZoneId "${zoneId}" provided does not exist in our records.`);
  if (!typesInZone(ref).some((t) => t.id === typeId)) {
    throw new EcsError('InvalidInstanceType.ZoneNotSupported', `The specified zone ${zoneId} does not support the instance type ${typeId}.`, 403);
  }
}

/** A disk category the zone does not sell: CategoryNotSupported (403). */
export function checkZoneOffersDiskCategory(regionId: string, zoneId: string, category: string): void {
  const ref = zoneRef(regionId, zoneId);
  if (!ref) throw new EcsError('InvalidZoneId.NotFound', `The ZoneId "${zoneId}" provided does not exist in our records.`);
  if (!diskCategoriesInZone(ref).includes(category)) {
    throw new EcsError('CategoryNotSupported', `The specified zone ${zoneId} does not offer the disk category ${category}.`, 403);
  }
}

/** A disk category the instance type cannot take: InvalidInstanceType.NotSupportDiskCategory (403). */
export function checkTypeTakesDiskCategory(typeId: string, category: string, io?: IoMode): void {
  const type = findInstanceType(typeId);
  if (!type) return;
  if (!diskCategoriesOf(type, io).includes(category)) {
    throw new EcsError('InvalidInstanceType.NotSupportDiskCategory', `The instance type ${typeId} does not support the disk category ${category}.`, 403);
  }
}
