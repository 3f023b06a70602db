/**
 * Regions and zones of the catalog. Names come in the three languages DescribeRegions and
 * DescribeZones accept (AcceptLanguage zh-CN | en-US | ja; zh-CN is the documented default).
 */

export type Language = 'zh-CN' | 'en-US' | 'ja';
export const LANGUAGES: readonly Language[] = ['zh-CN', 'en-US', 'ja'];
export const DEFAULT_LANGUAGE: Language = 'zh-CN';

export type LocalNames = Record<Language, string>;

export interface Zone {
  id: string;
  /** English name (kept for callers that only want one). */
  localName: string;
  names: LocalNames;
  /**
   * Still sells the discontinued Generation I families (ecs.t1/s1/s2/s3/m1), non-I/O-optimized
   * instances and basic `cloud` disks, as older zones of the guide's time did.
   */
  legacy: boolean;
}

export interface Region {
  id: string;
  /** English name (kept for callers that only want one). */
  localName: string;
  names: LocalNames;
  /** Mainland China regions also sell the economy family ecs.e and ESSD Entry disks (the docs mark those `props="china"`). */
  mainland: boolean;
  zones: Zone[];
}

interface RegionSeed { id: string; names: LocalNames; zoneNames: LocalNames; letters: string; dash: boolean; mainland: boolean; legacy?: string }

// zoneNames hold the prefix each language puts before the zone letter.
const SEEDS: RegionSeed[] = [
  { id: 'cn-hangzhou', names: { 'zh-CN': '华东1（杭州）', 'en-US': 'China (Hangzhou)', ja: '華東 1 (杭州)' }, zoneNames: { 'zh-CN': '华东 1 可用区 ', 'en-US': 'Hangzhou Zone ', ja: '華東 1 ゾーン ' }, letters: 'hijk', dash: true, mainland: true, legacy: 'hi' },
  { id: 'cn-shanghai', names: { 'zh-CN': '华东2（上海）', 'en-US': 'China (Shanghai)', ja: '華東 2 (上海)' }, zoneNames: { 'zh-CN': '华东 2 可用区 ', 'en-US': 'Shanghai Zone ', ja: '華東 2 ゾーン ' }, letters: 'efg', dash: true, mainland: true, legacy: 'e' },
  { id: 'cn-qingdao', names: { 'zh-CN': '华北1（青岛）', 'en-US': 'China (Qingdao)', ja: '華北 1 (青島)' }, zoneNames: { 'zh-CN': '华北 1 可用区 ', 'en-US': 'Qingdao Zone ', ja: '華北 1 ゾーン ' }, letters: 'bc', dash: true, mainland: true, legacy: 'b' },
  { id: 'cn-beijing', names: { 'zh-CN': '华北2（北京）', 'en-US': 'China (Beijing)', ja: '華北 2 (北京)' }, zoneNames: { 'zh-CN': '华北 2 可用区 ', 'en-US': 'Beijing Zone ', ja: '華北 2 ゾーン ' }, letters: 'ghi', dash: true, mainland: true, legacy: 'g' },
  { id: 'cn-shenzhen', names: { 'zh-CN': '华南1（深圳）', 'en-US': 'China (Shenzhen)', ja: '華南 1 (深セン)' }, zoneNames: { 'zh-CN': '华南 1 可用区 ', 'en-US': 'Shenzhen Zone ', ja: '華南 1 ゾーン ' }, letters: 'def', dash: true, mainland: true, legacy: 'd' },
  { id: 'ap-southeast-1', names: { 'zh-CN': '新加坡', 'en-US': 'Singapore', ja: 'シンガポール' }, zoneNames: { 'zh-CN': '新加坡 可用区 ', 'en-US': 'Singapore Zone ', ja: 'シンガポール ゾーン ' }, letters: 'abc', dash: false, mainland: false, legacy: 'a' },
  { id: 'ap-northeast-1', names: { 'zh-CN': '日本（东京）', 'en-US': 'Japan (Tokyo)', ja: '日本 (東京)' }, zoneNames: { 'zh-CN': '日本 可用区 ', 'en-US': 'Tokyo Zone ', ja: '東京 ゾーン ' }, letters: 'ab', dash: false, mainland: false },
  { id: 'us-west-1', names: { 'zh-CN': '美国（硅谷）', 'en-US': 'US (Silicon Valley)', ja: '米国 (シリコンバレー)' }, zoneNames: { 'zh-CN': '美国西部 1 可用区 ', 'en-US': 'Silicon Valley Zone ', ja: 'シリコンバレー ゾーン ' }, letters: 'ab', dash: false, mainland: false },
  { id: 'eu-central-1', names: { 'zh-CN': '德国（法兰克福）', 'en-US': 'Germany (Frankfurt)', ja: 'ドイツ (フランクフルト)' }, zoneNames: { 'zh-CN': '欧洲中部 1 可用区 ', 'en-US': 'Frankfurt Zone ', ja: 'フランクフルト ゾーン ' }, letters: 'ab', dash: false, mainland: false },
];

function regionOf(s: RegionSeed): Region {
  const zones = [...s.letters].map((l): Zone => {
    const L = l.toUpperCase();
    const names: LocalNames = { 'zh-CN': s.zoneNames['zh-CN'] + L, 'en-US': s.zoneNames['en-US'] + L, ja: s.zoneNames.ja + L };
    return { id: s.dash ? `${s.id}-${l}` : `${s.id}${l}`, localName: names['en-US'], names, legacy: (s.legacy ?? '').includes(l) };
  });
  return { id: s.id, localName: s.names['en-US'], names: s.names, mainland: s.mainland, zones };
}

export const REGIONS: Region[] = SEEDS.map(regionOf);

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

export function isLanguage(s: string): s is Language {
  return (LANGUAGES as readonly string[]).includes(s);
}
