/** Regions and zones of the catalog (extended by the catalog module). */
export interface Zone { id: string; localName: string }
export interface Region { id: string; localName: string; zones: Zone[] }

export const REGIONS: Region[] = [
  { id: 'cn-hangzhou', localName: 'China (Hangzhou)', zones: ['h', 'i', 'j', 'k'].map((z) => ({ id: `cn-hangzhou-${z}`, localName: `Hangzhou Zone ${z.toUpperCase()}` })) },
  { id: 'cn-shanghai', localName: 'China (Shanghai)', zones: ['e', 'f', 'g'].map((z) => ({ id: `cn-shanghai-${z}`, localName: `Shanghai Zone ${z.toUpperCase()}` })) },
  { id: 'cn-beijing', localName: 'China (Beijing)', zones: ['g', 'h', 'i'].map((z) => ({ id: `cn-beijing-${z}`, localName: `Beijing Zone ${z.toUpperCase()}` })) },
  { id: 'cn-shenzhen', localName: 'China (Shenzhen)', zones: ['d', 'e', 'f'].map((z) => ({ id: `cn-shenzhen-${z}`, localName: `Shenzhen Zone ${z.toUpperCase()}` })) },
  { id: 'ap-southeast-1', localName: 'Singapore', zones: ['a', 'b', 'c'].map((z) => ({ id: `ap-southeast-1${z}`, localName: `Singapore Zone ${z.toUpperCase()}` })) },
  { id: 'us-west-1', localName: 'US (Silicon Valley)', zones: ['a', 'b'].map((z) => ({ id: `us-west-1${z}`, localName: `Silicon Valley Zone ${z.toUpperCase()}` })) },
];

const byId = new Map(REGIONS.map((r) => [r.id, r]));

export function isKnownRegion(id: string): boolean {
  return byId.has(id);
}

export function findRegion(id: string): Region | undefined {
  return byId.get(id);
}

export function findZone(regionId: string, zoneId: string): Zone | undefined {
  return byId.get(regionId)?.zones.find((z) => z.id === zoneId);
}
