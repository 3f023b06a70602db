/**
 * The catalog's Describe* actions: DescribeRegions, DescribeZones, DescribeInstanceTypes,
 * DescribeInstanceTypeFamilies, DescribeAvailableResource. All read the static catalog in
 * src/domain/catalog; none touches the store.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import {
  availableResources, DESTINATIONS, RESOURCE_TYPES, type AvailabilityQuery, type Destination, type ResourceType,
} from '../domain/catalog/available-resource.js';
import { filterInstanceTypes, instanceTypeItem } from '../domain/catalog/instance-type-query.js';
import { INSTANCE_TYPE_FAMILIES, INSTANCE_TYPES, type IoMode } from '../domain/catalog/instance-types.js';
import { diskCategoriesFor, diskCategoriesInZone, ioModesInZone, typesInZone, type ZoneRef } from '../domain/catalog/offers.js';
import { DEFAULT_LANGUAGE, findRegion, isLanguage, REGIONS, type Language, type Region } from '../domain/catalog/regions.js';
import { decodeToken, encodeToken } from './paging.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

const CHARGE_TYPES = ['PrePaid', 'PostPaid'];
const SPOT_STRATEGIES = ['NoSpot', 'SpotWithPriceLimit', 'SpotAsPriceGo'];
const REGION_RESOURCE_TYPES = ['instance', 'disk', 'reservedinstance', 'scu'];

function languageOf(p: Params): Language {
  const lang: string = p.AcceptLanguage ?? DEFAULT_LANGUAGE;
  if (!isLanguage(lang)) throw new EcsError('InvalidAcceptLanguage.NotFound', 'Only Chinese (zh-CN), English (en-US), and Japanese (ja) are allowed.');
  return lang;
}

function oneOf(value: unknown, allowed: readonly string[], code: string, name: string): void {
  if (value !== undefined && !allowed.includes(String(value))) {
    throw new EcsError(code, `The specified ${name} "${String(value)}" is not valid. Valid values: ${allowed.join(', ')}.`);
  }
}

function regionOf(ctx: ActionContext): Region {
  // The dispatcher has already refused unknown regions; this guards a missing one.
  const region = findRegion(ctx.regionId);
  if (!region) throw new EcsError('InvalidRegionId.NotFound', `The specified RegionId "${ctx.regionId}" does not exist.`);
  return region;
}

/** One DescribeZones `ResourcesInfo` entry per I/O mode the zone sells (note the lower-case inner keys). */
function resourcesInfo(ref: ZoneRef) {
  return ioModesInZone(ref).map((io: IoMode) => {
    const types = typesInZone(ref).filter((t) => t.ioModes.includes(io));
    const cats = [...new Set(types.flatMap((t) => diskCategoriesFor(ref, t, io)))];
    return {
      IoOptimized: io === 'optimized',
      InstanceGenerations: { supportedInstanceGeneration: [...new Set(types.map((t) => t.generation))] },
      InstanceTypeFamilies: { supportedInstanceTypeFamily: [...new Set(types.map((t) => t.family))] },
      InstanceTypes: { supportedInstanceType: types.map((t) => t.id) },
      SystemDiskCategories: { supportedSystemDiskCategory: cats },
      DataDiskCategories: { supportedDataDiskCategory: cats },
      NetworkTypes: { supportedNetworkCategory: ['vpc'] },
    };
  });
}

function availabilityQuery(p: Params): AvailabilityQuery {
  oneOf(p.DestinationResource, DESTINATIONS, 'Invalid.DestinationResource', 'DestinationResource');
  oneOf(p.ResourceType, RESOURCE_TYPES, 'Invalid.ResourceType', 'ResourceType');
  oneOf(p.InstanceChargeType, CHARGE_TYPES, 'Invalid.InstanceChargeType', 'InstanceChargeType');
  oneOf(p.SpotStrategy, SPOT_STRATEGIES, 'Invalid.SpotStrategy', 'SpotStrategy');
  oneOf(p.IoOptimized, ['none', 'optimized'], 'Invalid.IoOptimized', 'IoOptimized');
  oneOf(p.NetworkCategory, ['vpc', 'classic'], 'Invalid.NetworkCategory', 'NetworkCategory');
  oneOf(p.Scope, ['Region', 'Zone'], 'InvalidParameter.Scope', 'Scope');
  const destination = p.DestinationResource as Destination;
  if (p.InstanceType && (p.Cores !== undefined || p.Memory !== undefined)) {
    throw new EcsError('InvalidParam.TypeAndCpuMem.Conflict', "The specified 'InstanceType' and 'Cores','Memory' are not blank at the same time.");
  }
  // Cores and Memory only narrow DestinationResource=InstanceType (API docs).
  if (p.Cores !== undefined && destination !== 'InstanceType') throw new EcsError('InvalidParam.Cores', "The specified parameter 'Cores' should be empty");
  if (p.Memory !== undefined && destination !== 'InstanceType') throw new EcsError('InvalidParam.Memory', "The specified parameter 'Memory' should be empty");
  if (p.DedicatedHostId) throw new EcsError('InvalidDedicatedHostId.NotFound', `The specified DedicatedHostId "${p.DedicatedHostId}" does not exist.`);
  return {
    destination,
    resourceType: (p.ResourceType ?? 'instance') as ResourceType,
    zoneId: p.ZoneId || undefined,
    ioOptimized: p.IoOptimized,
    instanceType: p.InstanceType || undefined,
    systemDiskCategory: p.SystemDiskCategory || undefined,
    dataDiskCategory: p.DataDiskCategory || undefined,
    networkCategory: p.NetworkCategory,
    cores: p.Cores,
    memory: p.Memory,
  };
}

/** DescribeInstanceTypes: "默认只返回规格第一页（不超过100条）" without NextToken. */
const INSTANCE_TYPES_PAGE = 100;

export const regionActions = ecsHandlers({
  async DescribeRegions(_ctx, p) {
    const lang = languageOf(p);
    oneOf(p.InstanceChargeType, CHARGE_TYPES, 'Invalid.InstanceChargeType', 'InstanceChargeType');
    oneOf(p.ResourceType, REGION_RESOURCE_TYPES, 'InvalidResourceType.NotFound', 'ResourceType');
    return {
      Regions: {
        Region: REGIONS.map((r) => ({ RegionId: r.id, LocalName: r.names[lang], RegionEndpoint: `ecs.${r.id}.aliyuncs.com`, Status: 'available' })),
      },
    };
  },

  async DescribeZones(ctx, p) {
    const lang = languageOf(p);
    oneOf(p.InstanceChargeType, CHARGE_TYPES, 'InvalidInstanceChargeType.NotFound', 'InstanceChargeType');
    oneOf(p.SpotStrategy, SPOT_STRATEGIES, 'InvalidSpotStrategy', 'SpotStrategy');
    const region = regionOf(ctx);
    const verbose = p.Verbose !== false;
    return {
      Zones: {
        Zone: region.zones.map((zone) => {
          const ref = { region, zone };
          const brief = {
            ZoneId: zone.id,
            LocalName: zone.names[lang],
            ZoneType: 'AvailabilityZone',
            AvailableResourceCreation: { ResourceTypes: ['VSwitch', 'IoOptimized', 'Instance', 'Disk'] },
            AvailableDiskCategories: { DiskCategories: diskCategoriesInZone(ref) },
            AvailableVolumeCategories: { VolumeCategories: [] },
          };
          if (!verbose) return brief;
          return {
            ...brief,
            AvailableInstanceTypes: { InstanceTypes: typesInZone(ref).map((t) => t.id) },
            AvailableResources: { ResourcesInfo: resourcesInfo(ref) },
            AvailableDedicatedHostTypes: { DedicatedHostType: [] },
            DedicatedHostGenerations: { DedicatedHostGeneration: [] },
          };
        }),
      },
    };
  },

  async DescribeInstanceTypes(_ctx, p) {
    const offset = p.NextToken ? decodeToken(p.NextToken) : 0;
    const limit: number = p.MaxResults ?? INSTANCE_TYPES_PAGE;
    const matched = filterInstanceTypes(INSTANCE_TYPES.map(instanceTypeItem), p);
    const page = matched.slice(offset, offset + limit);
    return {
      InstanceTypes: { InstanceType: page },
      NextToken: offset + page.length < matched.length ? encodeToken(offset + page.length) : '',
    };
  },

  async DescribeInstanceTypeFamilies(ctx, p) {
    const region = regionOf(ctx);
    const sold = new Set(region.zones.flatMap((zone) => typesInZone({ region, zone }).map((t) => t.family)));
    const families = INSTANCE_TYPE_FAMILIES.filter((f) => sold.has(f.id) && (!p.Generation || f.generation === p.Generation));
    return {
      InstanceTypeFamilies: { InstanceTypeFamily: families.map((f) => ({ InstanceTypeFamilyId: f.id, Generation: f.generation })) },
    };
  },

  async DescribeAvailableResource(ctx, p) {
    const query = availabilityQuery(p);
    const region = regionOf(ctx);
    return {
      AvailableZones: {
        AvailableZone: availableResources(region, query).map((z) => ({
          RegionId: region.id,
          ZoneId: z.zoneId,
          Status: 'Available',
          StatusCategory: 'WithStock',
          AvailableResources: {
            AvailableResource: [{
              Type: query.destination,
              SupportedResources: {
                SupportedResource: z.values.map((v) => ({
                  Value: v.value, Status: 'Available', StatusCategory: 'WithStock', Min: v.min, Max: v.max, Unit: v.unit,
                })),
              },
            }],
          },
        })),
      },
    };
  },
});
