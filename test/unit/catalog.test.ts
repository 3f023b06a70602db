import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsError } from '../../src/domain/errors.js';
import {
  checkDiskSize, checkImageFitsType, checkTypeTakesDiskCategory, checkZoneOffersDiskCategory, checkZoneOffersType,
  defaultIoMode, defaultSystemDiskCategory, defaultSystemDiskSize, diskCategoriesInZone, diskSizeRange, findInstanceType,
  findRegion, findSystemImage, findZone, imageFitsType, INSTANCE_TYPE_FAMILIES, INSTANCE_TYPES, isKnownRegion, REGIONS,
  SYSTEM_IMAGES, typesInZone,
} from '../../src/domain/catalog/index.js';
import { availableResources, type AvailabilityQuery } from '../../src/domain/catalog/available-resource.js';
import { filterInstanceTypes, instanceTypeItem } from '../../src/domain/catalog/instance-type-query.js';
import { filterImages, systemImageItem } from '../../src/domain/catalog/image-query.js';

const code = (c: string) => (e: unknown) => e instanceof EcsError && e.code === c;

describe('regions and zones', () => {
  it('has the required regions, each with 2+ zones and names in three languages', () => {
    for (const id of ['cn-hangzhou', 'cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'ap-southeast-1', 'us-west-1', 'cn-qingdao', 'eu-central-1', 'ap-northeast-1']) {
      const r = findRegion(id);
      assert.ok(r, id);
      assert.ok(r.zones.length >= 2, id);
      for (const n of [r.names, ...r.zones.map((z) => z.names)]) {
        assert.ok(n['zh-CN'] && n['en-US'] && n.ja);
        assert.notEqual(n['zh-CN'], n['en-US']);
      }
    }
  });
  it('keeps the lookups working', () => {
    assert.equal(isKnownRegion('cn-hangzhou'), true);
    assert.equal(isKnownRegion('cn-nowhere'), false);
    assert.equal(findZone('cn-hangzhou', 'cn-hangzhou-h')?.names['en-US'], 'Hangzhou Zone H');
    assert.equal(findZone('ap-southeast-1', 'ap-southeast-1a')?.localName, 'Singapore Zone A');
    assert.equal(findZone('cn-hangzhou', 'cn-shanghai-e'), undefined);
    assert.equal(new Set(REGIONS.flatMap((r) => r.zones.map((z) => z.id))).size, REGIONS.flatMap((r) => r.zones).length);
  });
  it('sells the current families everywhere, Generation I and basic disks only in legacy zones, ecs.e and ESSD Entry only in mainland China', () => {
    for (const region of REGIONS) {
      for (const zone of region.zones) {
        const types = typesInZone({ region, zone }).map((t) => t.id);
        const cats = diskCategoriesInZone({ region, zone });
        assert.ok(types.includes('ecs.g7.large') && types.includes('ecs.g6.xlarge'), zone.id);
        assert.equal(types.includes('ecs.s2.large'), zone.legacy, zone.id);
        assert.equal(cats.includes('cloud'), zone.legacy, zone.id);
        assert.equal(types.includes('ecs.e-c1m2.large'), region.mainland, zone.id);
        assert.equal(cats.includes('cloud_essd_entry'), region.mainland, zone.id);
        for (const c of ['cloud_efficiency', 'cloud_ssd', 'cloud_essd', 'cloud_auto']) assert.ok(cats.includes(c));
      }
    }
    // The test fixtures launch ecs.g7.large with ESSD disks in the first zone of cn-hangzhou.
    assert.equal(findRegion('cn-hangzhou')!.zones[0]!.id, 'cn-hangzhou-h');
  });
  const zoneChecks: [string, string, string, string | undefined][] = [
    ['cn-hangzhou', 'cn-hangzhou-h', 'ecs.s2.large', undefined],
    ['cn-hangzhou', 'cn-hangzhou-k', 'ecs.s2.large', 'InvalidInstanceType.ZoneNotSupported'],
    ['us-west-1', 'us-west-1a', 'ecs.e-c1m1.large', 'InvalidInstanceType.ZoneNotSupported'],
    ['us-west-1', 'us-west-1a', 'ecs.g7.large', undefined],
    ['us-west-1', 'us-west-1z', 'ecs.g7.large', 'InvalidZoneId.NotFound'],
  ];
  for (const [region, zone, type, want] of zoneChecks) {
    it(`zone ${zone} × ${type} → ${want ?? 'ok'}`, () => {
      if (want) assert.throws(() => checkZoneOffersType(region, zone, type), code(want));
      else checkZoneOffersType(region, zone, type);
    });
  }
  it('refuses a disk category the zone does not sell', () => {
    assert.throws(() => checkZoneOffersDiskCategory('us-west-1', 'us-west-1a', 'cloud_essd_entry'), code('CategoryNotSupported'));
    checkZoneOffersDiskCategory('cn-beijing', 'cn-beijing-h', 'cloud_essd_entry');
  });
});

describe('instance types', () => {
  const cases: [string, string, string, number, number][] = [
    ['ecs.t1.small', 'ecs.t1', 'ecs-1', 1, 1],
    ['ecs.s1.small', 'ecs.s1', 'ecs-1', 1, 2],
    ['ecs.s1.medium', 'ecs.s1', 'ecs-1', 1, 4],
    ['ecs.s2.small', 'ecs.s2', 'ecs-1', 2, 2],
    ['ecs.s2.large', 'ecs.s2', 'ecs-1', 2, 4],
    ['ecs.s2.xlarge', 'ecs.s2', 'ecs-1', 2, 8],
    ['ecs.s3.medium', 'ecs.s3', 'ecs-1', 4, 4],
    ['ecs.s3.large', 'ecs.s3', 'ecs-1', 4, 8],
    ['ecs.m1.medium', 'ecs.m1', 'ecs-1', 4, 16],
    ['ecs.g6.large', 'ecs.g6', 'ecs-5', 2, 8],
    ['ecs.c6.xlarge', 'ecs.c6', 'ecs-5', 4, 8],
    ['ecs.r6.2xlarge', 'ecs.r6', 'ecs-5', 8, 64],
    ['ecs.g7.large', 'ecs.g7', 'ecs-6', 2, 8],
    ['ecs.g7.xlarge', 'ecs.g7', 'ecs-6', 4, 16],
    ['ecs.c7.4xlarge', 'ecs.c7', 'ecs-6', 16, 32],
    ['ecs.r7.16xlarge', 'ecs.r7', 'ecs-6', 64, 512],
    ['ecs.g5.large', 'ecs.g5', 'ecs-4', 2, 8],
    ['ecs.t5-lc2m1.nano', 'ecs.t5', 'ecs-4', 1, 0.5],
    ['ecs.t5-c1m2.large', 'ecs.t5', 'ecs-4', 2, 4],
    ['ecs.t6-c1m1.large', 'ecs.t6', 'ecs-5', 2, 2],
    ['ecs.e-c1m2.large', 'ecs.e', 'ecs-6', 2, 4],
  ];
  for (const [id, family, generation, cpu, mem] of cases) {
    it(`${id}: ${family} ${generation} ${cpu} vCPU ${mem} GiB`, () => {
      const t = findInstanceType(id);
      assert.ok(t);
      assert.deepEqual([t.family, t.generation, t.cpu, t.memoryGiB, t.gpuAmount], [family, generation, cpu, mem, 0]);
      assert.ok(INSTANCE_TYPE_FAMILIES.some((f) => f.id === family && f.generation === generation));
    });
  }
  it('knows no made-up types', () => {
    for (const id of ['ecs.nope.large', 'ecs.g7', 'ECS.G7.LARGE', '']) assert.equal(findInstanceType(id), undefined);
  });
  it('has unique ids and burstable credits only on t5/t6', () => {
    assert.equal(new Set(INSTANCE_TYPES.map((t) => t.id)).size, INSTANCE_TYPES.length);
    for (const t of INSTANCE_TYPES) assert.equal(!!t.credit, /^ecs\.t[56]$/.test(t.family), t.id);
  });
  it('defaults: Generation I runs non-I/O-optimized on basic disks, the rest I/O-optimized on ultra disks', () => {
    assert.equal(defaultIoMode(findInstanceType('ecs.s2.large')!), 'none');
    assert.equal(defaultSystemDiskCategory(findInstanceType('ecs.s2.large')!), 'cloud');
    assert.equal(defaultSystemDiskCategory(findInstanceType('ecs.s2.large')!, 'optimized'), 'cloud_efficiency');
    assert.equal(defaultIoMode(findInstanceType('ecs.g7.large')!), 'optimized');
    assert.equal(defaultSystemDiskCategory(findInstanceType('ecs.g7.large')!), 'cloud_efficiency');
  });
  const diskCases: [string, string, 'optimized' | 'none' | undefined, boolean][] = [
    ['ecs.g7.large', 'cloud_essd', undefined, true],
    ['ecs.g7.large', 'cloud_essd_entry', undefined, false],
    ['ecs.e-c1m2.large', 'cloud_essd_entry', undefined, true],
    ['ecs.s2.large', 'cloud', 'none', true],
    ['ecs.s2.large', 'cloud_essd', 'optimized', false],
    ['ecs.s2.large', 'cloud_ssd', 'optimized', true],
    ['ecs.t5-c1m1.large', 'cloud_auto', undefined, false],
  ];
  for (const [type, cat, io, ok] of diskCases) {
    it(`${type} ${io ?? ''} takes ${cat}: ${ok}`, () => {
      if (ok) checkTypeTakesDiskCategory(type, cat, io);
      else assert.throws(() => checkTypeTakesDiskCategory(type, cat, io), code('InvalidInstanceType.NotSupportDiskCategory'));
    });
  }
});

describe('DescribeInstanceTypes filters', () => {
  const items = INSTANCE_TYPES.map(instanceTypeItem);
  const ids = (p: Record<string, unknown>) => filterInstanceTypes(items, p).map((i) => i.InstanceTypeId as string);
  it('renders memory in GiB and every declared field', () => {
    const i = instanceTypeItem(findInstanceType('ecs.t5-lc2m1.nano')!);
    assert.equal(i.MemorySize, 0.5);
    assert.equal(i.CpuCoreCount, 1);
    assert.equal(i.InstanceFamilyLevel, 'CreditEntryLevel');
    assert.ok((i.BaselineCredit as number) > 0 && (i.InitialCredit as number) > 0);
    assert.deepEqual((i.SupportedBootModes as any).SupportedBootMode, ['BIOS']);
  });
  it('narrows by family, list, cpu and memory bounds, level', () => {
    assert.deepEqual(ids({ InstanceTypeFamily: 'ecs.s2' }), ['ecs.s2.small', 'ecs.s2.large', 'ecs.s2.xlarge']);
    assert.deepEqual(ids({ InstanceTypes: ['ecs.g7.large', 'ecs.nope'] }), ['ecs.g7.large']);
    assert.deepEqual(ids({ InstanceTypeFamilies: ['ecs.g7'], MinimumCpuCoreCount: 8, MaximumCpuCoreCount: 16 }), ['ecs.g7.2xlarge', 'ecs.g7.3xlarge', 'ecs.g7.4xlarge']);
    assert.deepEqual(ids({ InstanceTypeFamily: 'ecs.r7', MaximumMemorySize: 16 }), ['ecs.r7.large']);
    assert.ok(ids({ MinimumMemorySize: 0.1, MaximumMemorySize: 0.5 }).every((id) => /nano|c4m1/.test(id)));
    assert.ok(ids({ InstanceFamilyLevel: 'CreditEntryLevel' }).every((id) => /^ecs\.t[56]-/.test(id)));
    assert.deepEqual(ids({ MinimumGPUAmount: 1 }), []);
    assert.deepEqual(ids({ CpuArchitecture: 'ARM' }), []);
    assert.equal(ids({}).length, INSTANCE_TYPES.length);
  });
});

describe('disk sizes (RunInstances SystemDisk.Size / DataDisk.N.Size, CreateDisk Size)', () => {
  const cases: ['system' | 'data', string, string | undefined, number, number][] = [
    ['system', 'cloud', undefined, 20, 500],
    ['data', 'cloud', undefined, 5, 2000],
    ['system', 'cloud_efficiency', undefined, 20, 2048],
    ['data', 'cloud_efficiency', undefined, 20, 32768],
    ['system', 'cloud_ssd', undefined, 20, 2048],
    ['data', 'cloud_ssd', undefined, 20, 32768],
    ['system', 'cloud_essd', undefined, 20, 2048],
    ['system', 'cloud_essd', 'PL0', 1, 2048],
    ['system', 'cloud_essd', 'PL1', 20, 2048],
    ['system', 'cloud_essd', 'PL2', 461, 2048],
    ['system', 'cloud_essd', 'PL3', 1261, 2048],
    ['data', 'cloud_essd', 'PL0', 1, 32768],
    ['data', 'cloud_essd', 'PL1', 20, 32768],
    ['data', 'cloud_essd', 'PL2', 461, 32768],
    ['data', 'cloud_essd', 'PL3', 1261, 32768],
    ['system', 'cloud_auto', undefined, 1, 2048],
    ['data', 'cloud_auto', undefined, 1, 32768],
    ['system', 'cloud_essd_entry', undefined, 20, 2048],
    ['data', 'cloud_essd_entry', undefined, 10, 32768],
  ];
  for (const [kind, cat, pl, min, max] of cases) {
    it(`${kind} ${cat} ${pl ?? ''}: ${min}-${max} GiB`, () => {
      assert.deepEqual(diskSizeRange(kind, cat, pl), { min, max });
      checkDiskSize(kind, cat, min, pl);
      checkDiskSize(kind, cat, max, pl);
      const low = kind === 'system' ? 'InvalidSystemDiskSize.LessThanMinSize' : 'InvalidDataDiskSize.ValueNotSupported';
      const high = kind === 'system' ? 'InvalidSystemDiskSize.MoreThanMaxSize' : 'InvalidDataDiskSize.ValueNotSupported';
      // Below an ESSD level's minimum but within PL0's: the level and the size do not match (403).
      if (min > 1) assert.throws(() => checkDiskSize(kind, cat, min - 1, pl), code(cat === 'cloud_essd' ? 'OperationDenied.PerformanceLevelNotMatch' : low));
      assert.throws(() => checkDiskSize(kind, cat, max + 1, pl), code(high));
    });
  }
  it('refuses unknown categories, bad levels and fractional sizes with the documented codes', () => {
    assert.throws(() => checkDiskSize('system', 'ephemeral_ssd', 40), code('InvalidSystemDiskCategory.ValueNotSupported'));
    assert.throws(() => checkDiskSize('data', 'cloud_nope', 40), code('InvalidDataDiskCategory.ValueNotSupported'));
    assert.throws(() => checkDiskSize('data', 'cloud_essd', 40, 'PL9'), code('InvalidPerformanceLevel.Malformed'));
    assert.throws(() => checkDiskSize('data', 'cloud_essd', 40.5), code('InvalidDataDiskSize.ValueNotSupported'));
    assert.throws(() => checkDiskSize('system', 'cloud_essd', 40.5), code('InvalidSystemDiskSize'));
  });
  it('defaults the system disk to max(40, image size)', () => {
    assert.equal(defaultSystemDiskSize({ sizeGiB: 20 }), 40);
    assert.equal(defaultSystemDiskSize({ sizeGiB: 40 }), 40);
    assert.equal(defaultSystemDiskSize({ sizeGiB: 60 }), 60);
  });
});

describe('system images', () => {
  it('has Linux distributions, Windows Server 2019/2022 and a 32-bit image, all findable', () => {
    for (const i of SYSTEM_IMAGES) assert.equal(findSystemImage(i.id), i);
    const platforms = new Set(SYSTEM_IMAGES.map((i) => i.platform));
    for (const p of ['Aliyun', 'CentOS', 'Ubuntu', 'Debian', 'Rocky Linux', 'AlmaLinux', 'Windows Server 2019', 'Windows Server 2022']) assert.ok(platforms.has(p), p);
    assert.ok(SYSTEM_IMAGES.some((i) => i.architecture === 'i386'));
    assert.equal(findSystemImage('ubuntu_22_04_x64_20G_alibase_20240130.vhd')?.sizeGiB, 20);
    assert.equal(findSystemImage('win2022_21H2_x64_dtc_en-us_40G_alibase_20240220.vhd')?.osType, 'windows');
    assert.equal(findSystemImage('nope.vhd'), undefined);
  });
  // 000:L156 "Instances with 4 GB or more of memory cannot use 32-bit images"; 000:L80 32-bit Windows ≤ 4 cores.
  const i386 = findSystemImage('ubuntu_16_0402_32_40G_alibase_20170711.vhd')!;
  const x64 = findSystemImage('ubuntu_22_04_x64_20G_alibase_20240130.vhd')!;
  const fits: [string, { id: string; architecture: string; osType: string }, string, boolean][] = [
    ['32-bit on 1 GiB', i386, 'ecs.t1.small', true],
    ['32-bit on 2 GiB', i386, 'ecs.s2.small', true],
    ['32-bit on 4 GiB (the limit itself)', i386, 'ecs.s1.medium', false],
    ['32-bit on 8 GiB', i386, 'ecs.g7.large', false],
    ['32-bit on 0.5 GiB', i386, 'ecs.t5-lc2m1.nano', true],
    ['64-bit on 16 GiB', x64, 'ecs.m1.medium', true],
    ['64-bit on 1 GiB', x64, 'ecs.t1.small', true],
    ['arm64 on x86', { id: 'a', architecture: 'arm64', osType: 'linux' }, 'ecs.g7.large', false],
  ];
  for (const [label, image, typeId, ok] of fits) {
    it(`${label} (${typeId}): ${ok ? 'fits' : 'ImageNotSupportInstanceType'}`, () => {
      const type = findInstanceType(typeId)!;
      assert.equal(imageFitsType(image, type), ok);
      if (!ok) assert.throws(() => checkImageFitsType(image, type), (e: EcsError) => e.code === 'ImageNotSupportInstanceType' && e.status === 403);
    });
  }
  it('limits 32-bit Windows to 4 vCPUs', () => {
    const win32 = { id: 'w', architecture: 'i386', osType: 'windows' };
    assert.equal(imageFitsType(win32, { id: 'x', cpu: 4, memoryGiB: 2 }), true);
    assert.equal(imageFitsType(win32, { id: 'x', cpu: 8, memoryGiB: 2 }), false);
  });
  it('filters image items (status default, comma ids, instance type, time window, tags)', () => {
    const items = SYSTEM_IMAGES.map(systemImageItem);
    const base = { statuses: ['Available'] };
    assert.equal(filterImages(items, base).length, items.length);
    assert.equal(filterImages(items, { statuses: ['Creating'] }).length, 0);
    assert.deepEqual(filterImages(items, { ...base, ids: [x64.id, i386.id] }).map((i) => i.ImageId), [x64.id, i386.id]);
    assert.ok(!filterImages(items, { ...base, instanceType: 'ecs.g7.large' }).some((i) => i.Architecture === 'i386'));
    assert.ok(filterImages(items, { ...base, instanceType: 'ecs.t1.small' }).some((i) => i.Architecture === 'i386'));
    assert.ok(filterImages(items, { ...base, osType: 'windows' }).every((i) => i.Platform.startsWith('Windows')));
    assert.deepEqual(filterImages(items, { ...base, createdTo: Date.parse('2018-01-01T00:00:00Z') }).map((i) => i.ImageId), [i386.id]);
    assert.equal(filterImages(items, { ...base, taggedIds: [] }).length, 0);
    assert.equal(filterImages(items, { ...base, usage: 'none' }).length, 0);
  });
});

describe('DescribeAvailableResource query', () => {
  const hz = findRegion('cn-hangzhou')!;
  const q = (over: Partial<AvailabilityQuery>): AvailabilityQuery => ({ destination: 'Zone', resourceType: 'instance', ...over });
  const values = (over: Partial<AvailabilityQuery>) => availableResources(hz, q(over)).map((z) => [z.zoneId, z.values.map((v) => v.value)]);
  it('lists zones, narrowed by instance type', () => {
    assert.deepEqual(values({}).map(([z]) => z), ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j', 'cn-hangzhou-k']);
    assert.deepEqual(values({ instanceType: 'ecs.s2.large' }).map(([z]) => z), ['cn-hangzhou-h', 'cn-hangzhou-i']);
    assert.deepEqual(values({ instanceType: 'ecs.nope' }), []);
    assert.deepEqual(values({ zoneId: 'cn-hangzhou-j' }), [['cn-hangzhou-j', ['cn-hangzhou-j']]]);
  });
  it('lists I/O modes, instance types by cores/memory, networks', () => {
    assert.deepEqual(values({ destination: 'IoOptimized', zoneId: 'cn-hangzhou-h' }), [['cn-hangzhou-h', ['optimized', 'none']]]);
    assert.deepEqual(values({ destination: 'IoOptimized', zoneId: 'cn-hangzhou-k' }), [['cn-hangzhou-k', ['optimized']]]);
    const t = values({ destination: 'InstanceType', zoneId: 'cn-hangzhou-k', cores: 2, memory: 8 })[0]![1];
    assert.ok(t.includes('ecs.g7.large') && t.includes('ecs.g6.large') && !t.includes('ecs.c7.large'));
    assert.deepEqual(values({ destination: 'InstanceType', zoneId: 'cn-hangzhou-h', ioOptimized: 'none' })[0]![1],
      ['ecs.t1.small', 'ecs.s1.small', 'ecs.s1.medium', 'ecs.s2.small', 'ecs.s2.large', 'ecs.s2.xlarge', 'ecs.s3.medium', 'ecs.s3.large', 'ecs.m1.medium']);
    assert.deepEqual(values({ destination: 'Network', zoneId: 'cn-hangzhou-h' }), [['cn-hangzhou-h', ['vpc']]]);
    assert.deepEqual(values({ destination: 'Network', networkCategory: 'classic' }), []);
  });
  it('lists system and data disk categories with their GiB ranges', () => {
    const sys = availableResources(hz, q({ destination: 'SystemDisk', zoneId: 'cn-hangzhou-k', instanceType: 'ecs.g7.large' }))[0]!.values;
    assert.deepEqual(sys.map((v) => v.value), ['cloud_efficiency', 'cloud_ssd', 'cloud_essd', 'cloud_auto']);
    assert.deepEqual(sys.find((v) => v.value === 'cloud_essd'), { value: 'cloud_essd', min: 20, max: 2048, unit: 'GiB' });
    const data = availableResources(hz, q({ destination: 'DataDisk', zoneId: 'cn-hangzhou-h', instanceType: 'ecs.s2.large', ioOptimized: 'none', systemDiskCategory: 'cloud' }))[0]!.values;
    assert.deepEqual(data, [{ value: 'cloud', min: 5, max: 2000, unit: 'GiB' }]);
    const disk = availableResources(hz, q({ destination: 'DataDisk', resourceType: 'disk', zoneId: 'cn-hangzhou-k' }))[0]!.values.map((v) => v.value);
    assert.deepEqual(disk, ['cloud_efficiency', 'cloud_ssd', 'cloud_essd', 'cloud_auto', 'cloud_essd_entry']);
    assert.deepEqual(values({ destination: 'SystemDisk', instanceType: 'ecs.g7.large', systemDiskCategory: 'cloud' }), []);
  });
});
