/** Regions, zones and the catalog (DescribeRegions, DescribeZones, ...). */
import type { HandlerMap } from './types.js';
import { REGIONS } from '../domain/catalog/regions.js';

export const regionActions: HandlerMap = {
  async DescribeRegions() {
    return {
      Regions: {
        Region: REGIONS.map((r) => ({ RegionId: r.id, LocalName: r.localName, RegionEndpoint: `ecs.${r.id}.aliyuncs.com`, Status: 'available' })),
      },
    };
  },
};
