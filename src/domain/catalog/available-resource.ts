/**
 * DescribeAvailableResource as a pure query over the zone offers. The API docs order the
 * destinations "Zone > IoOptimized > InstanceType = Network = ddh > SystemDisk > DataDisk": a
 * destination answers with the values still possible under every filter given for the others.
 */
import { diskSizeRange, type DiskKind } from './disk-categories.js';
import type { InstanceType, IoMode } from './instance-types.js';
import { diskCategoriesFor, diskCategoriesInZone, ioModesInZone, typesInZone, type ZoneRef } from './offers.js';
import type { Region } from './regions.js';

export const DESTINATIONS = ['Zone', 'IoOptimized', 'InstanceType', 'SystemDisk', 'DataDisk', 'Network', 'ddh'] as const;
export type Destination = typeof DESTINATIONS[number];
export const RESOURCE_TYPES = ['instance', 'disk', 'reservedinstance', 'ddh'] as const;
export type ResourceType = typeof RESOURCE_TYPES[number];

export interface AvailabilityQuery {
  destination: Destination;
  resourceType: ResourceType;
  zoneId?: string;
  ioOptimized?: IoMode;
  instanceType?: string;
  systemDiskCategory?: string;
  dataDiskCategory?: string;
  networkCategory?: string;
  cores?: number;
  memory?: number;
}

export interface SupportedValue { value: string; min?: number; max?: number; unit?: string }
export interface ZoneAvailability { zoneId: string; values: SupportedValue[] }

/** SystemDiskCategory's documented default when DataDisk is asked for with an instance. */
const DEFAULT_SYSTEM_DISK_CATEGORY = 'cloud_efficiency';

interface Combo { io: IoMode; type: InstanceType; system: string[]; data: string[] }

function combos(ref: ZoneRef, q: AvailabilityQuery): Combo[] {
  const ioModes = ioModesInZone(ref).filter((io) => (q.ioOptimized ? io === q.ioOptimized : q.destination === 'IoOptimized' || io === 'optimized'));
  const systemWanted = q.systemDiskCategory ?? (q.destination === 'DataDisk' ? DEFAULT_SYSTEM_DISK_CATEGORY : undefined);
  const out: Combo[] = [];
  for (const type of typesInZone(ref)) {
    if (q.instanceType !== undefined && type.id !== q.instanceType) continue;
    if (q.cores !== undefined && type.cpu !== q.cores) continue;
    if (q.memory !== undefined && type.memoryGiB !== q.memory) continue;
    for (const io of ioModes) {
      if (!type.ioModes.includes(io)) continue;
      const cats = diskCategoriesFor(ref, type, io);
      const system = systemWanted ? cats.filter((c) => c === systemWanted) : cats;
      const data = q.dataDiskCategory ? cats.filter((c) => c === q.dataDiskCategory) : cats;
      if (system.length && data.length) out.push({ io, type, system, data });
    }
  }
  return out;
}

function distinct(values: string[]): string[] {
  return [...new Set(values)];
}

function disks(kind: DiskKind, categories: string[]): SupportedValue[] {
  return distinct(categories).map((c) => {
    const r = diskSizeRange(kind, c)!;
    return { value: c, min: r.min, max: r.max, unit: 'GiB' };
  });
}

/** Values of the destination one zone still offers under the query's filters. */
function zoneValues(ref: ZoneRef, q: AvailabilityQuery): SupportedValue[] {
  if (q.destination === 'ddh' || q.resourceType === 'ddh') return []; // no dedicated hosts here
  if (q.networkCategory !== undefined && q.networkCategory !== 'vpc') return []; // OpenECS networks are VPCs only
  if (q.resourceType === 'disk') {
    // A disk bought alone depends on no instance type: the zone's categories.
    const cats = diskCategoriesInZone(ref).filter((c) => !q.dataDiskCategory || c === q.dataDiskCategory);
    if (q.destination === 'DataDisk') return disks('data', cats);
    if (q.destination === 'Zone') return cats.length ? [{ value: ref.zone.id }] : [];
    return [];
  }
  const found = combos(ref, q);
  if (found.length === 0) return [];
  switch (q.destination) {
    case 'Zone': return [{ value: ref.zone.id }];
    case 'IoOptimized': return distinct(found.map((c) => c.io)).map((value) => ({ value }));
    case 'InstanceType': return distinct(found.map((c) => c.type.id)).map((value) => ({ value }));
    case 'Network': return [{ value: 'vpc' }];
    case 'SystemDisk': return disks('system', found.flatMap((c) => c.system));
    case 'DataDisk': return disks('data', found.flatMap((c) => c.data));
    default: return [];
  }
}

export function availableResources(region: Region, q: AvailabilityQuery): ZoneAvailability[] {
  return region.zones
    .filter((zone) => q.zoneId === undefined || zone.id === q.zoneId)
    .map((zone) => ({ zoneId: zone.id, values: zoneValues({ region, zone }, q) }))
    .filter((z) => z.values.length > 0);
}
