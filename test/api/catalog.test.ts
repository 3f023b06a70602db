import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { INSTANCE_TYPES, SYSTEM_IMAGES } from '../../src/domain/catalog/index.js';

describe('catalog actions', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  describe('DescribeRegions', () => {
    it('lists the regions with names in zh-CN by default, en-US and ja on request (V3 and V2)', async () => {
      for (const c of [s.ecs, s.ecsV2]) {
        const zh = (await c.describeRegions(new $Ecs.DescribeRegionsRequest({}))).body!.regions!.region!;
        assert.ok(zh.length >= 9);
        const hz = zh.find((r) => r.regionId === 'cn-hangzhou')!;
        assert.deepEqual([hz.localName, hz.status, hz.regionEndpoint], ['华东1（杭州）', 'available', 'ecs.cn-hangzhou.aliyuncs.com']);
      }
      const en = (await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({ acceptLanguage: 'en-US' }))).body!.regions!.region!;
      assert.equal(en.find((r) => r.regionId === 'us-west-1')!.localName, 'US (Silicon Valley)');
      const ja = (await s.ecsV2.describeRegions(new $Ecs.DescribeRegionsRequest({ acceptLanguage: 'ja' }))).body!.regions!.region!;
      assert.equal(ja.find((r) => r.regionId === 'ap-northeast-1')!.localName, '日本 (東京)');
      for (const id of ['cn-shanghai', 'cn-beijing', 'cn-shenzhen', 'ap-southeast-1', 'cn-qingdao', 'eu-central-1']) assert.ok(en.some((r) => r.regionId === id), id);
    });
    it('refuses bad AcceptLanguage, InstanceChargeType and ResourceType with the documented codes', async () => {
      const cases: [Record<string, string>, string, number][] = [
        [{ acceptLanguage: 'fr' }, 'InvalidAcceptLanguage.NotFound', 404],
        [{ instanceChargeType: 'Free' }, 'Invalid.InstanceChargeType', 403],
        [{ resourceType: 'planet' }, 'InvalidResourceType.NotFound', 404],
      ];
      for (const [req, code, status] of cases) {
        const e = await expectEcsError(() => s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest(req)));
        assert.deepEqual([e.code, e.statusCode], [code, status], JSON.stringify(req));
      }
      await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({ instanceChargeType: 'PrePaid', resourceType: 'disk' }));
    });
  });

  describe('DescribeZones', () => {
    it('lists zones with resources per I/O mode, wrapped as the SDK expects', async () => {
      for (const c of [s.ecs, s.ecsV2]) {
        const zones = (await c.describeZones(new $Ecs.DescribeZonesRequest({ regionId: 'cn-hangzhou', acceptLanguage: 'en-US' }))).body!.zones!.zone!;
        assert.deepEqual(zones.map((z) => z.zoneId), ['cn-hangzhou-h', 'cn-hangzhou-i', 'cn-hangzhou-j', 'cn-hangzhou-k']);
        const [h, , , k] = zones;
        assert.deepEqual([h!.localName, h!.zoneType], ['Hangzhou Zone H', 'AvailabilityZone']);
        assert.ok(h!.availableResourceCreation!.resourceTypes!.includes('Instance'));
        assert.ok(h!.availableInstanceTypes!.instanceTypes!.includes('ecs.g7.large'));
        assert.ok(h!.availableInstanceTypes!.instanceTypes!.includes('ecs.s2.large'));
        assert.ok(!k!.availableInstanceTypes!.instanceTypes!.includes('ecs.s2.large'));
        assert.ok(h!.availableDiskCategories!.diskCategories!.includes('cloud'));
        assert.ok(!k!.availableDiskCategories!.diskCategories!.includes('cloud'));
        assert.deepEqual(k!.availableVolumeCategories!.volumeCategories, []);
        const infoH = h!.availableResources!.resourcesInfo!;
        assert.deepEqual(infoH.map((i) => i.ioOptimized), [true, false]);
        const none = infoH[1]!;
        assert.deepEqual(none.systemDiskCategories!.supportedSystemDiskCategory, ['cloud']);
        assert.deepEqual(none.instanceGenerations!.supportedInstanceGeneration, ['ecs-1']);
        assert.ok(none.instanceTypeFamilies!.supportedInstanceTypeFamily!.includes('ecs.s2'));
        const opt = k!.availableResources!.resourcesInfo!;
        assert.equal(opt.length, 1);
        assert.ok(opt[0]!.instanceTypes!.supportedInstanceType!.includes('ecs.g7.large'));
        assert.ok(opt[0]!.dataDiskCategories!.supportedDataDiskCategory!.includes('cloud_essd'));
        assert.deepEqual(opt[0]!.networkTypes!.supportedNetworkCategory, ['vpc']);
      }
    });
    it('keeps the lower-case wrapper keys on the wire and names zones in Chinese by default', async () => {
      const raw: any = await s.pop.request('DescribeZones', { RegionId: 'ap-southeast-1' });
      const z = raw.Zones.Zone[0];
      assert.equal(z.LocalName, '新加坡 可用区 A');
      assert.ok(Array.isArray(z.AvailableResources.ResourcesInfo[0].InstanceTypes.supportedInstanceType));
      assert.ok(!z.AvailableInstanceTypes.InstanceTypes.includes('ecs.e-c1m1.large')); // ecs.e is mainland-only
    });
    it('Verbose=false leaves out the resource details', async () => {
      const z = (await s.ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: 'cn-beijing', verbose: false }))).body!.zones!.zone![0]!;
      assert.equal(z.zoneId, 'cn-beijing-g');
      assert.equal(z.availableResources, undefined);
      assert.equal(z.availableInstanceTypes, undefined);
    });
    it('refuses unknown regions and bad enums', async () => {
      const cases: [Record<string, string>, string, number][] = [
        [{ regionId: 'cn-nowhere' }, 'InvalidRegionId.NotFound', 404],
        [{ regionId: 'cn-hangzhou', spotStrategy: 'Cheap' }, 'InvalidSpotStrategy', 400],
        [{ regionId: 'cn-hangzhou', instanceChargeType: 'Free' }, 'InvalidInstanceChargeType.NotFound', 404],
        [{ regionId: 'cn-hangzhou', acceptLanguage: 'de' }, 'InvalidAcceptLanguage.NotFound', 404],
      ];
      for (const [req, code, status] of cases) {
        const e = await expectEcsError(() => s.ecsV2.describeZones(new $Ecs.DescribeZonesRequest(req)));
        assert.deepEqual([e.code, e.statusCode], [code, status], JSON.stringify(req));
      }
    });
  });

  describe('DescribeInstanceTypes', () => {
    it('returns every type with its declared fields, memory in GiB', async () => {
      for (const c of [s.ecs, s.ecsV2]) {
        const body = (await c.describeInstanceTypes(new $Ecs.DescribeInstanceTypesRequest({}))).body!;
        const list = body.instanceTypes!.instanceType!;
        assert.equal(list.length, Math.min(100, INSTANCE_TYPES.length));
        const g7 = list.find((t) => t.instanceTypeId === 'ecs.g7.large')!;
        assert.deepEqual([g7.instanceTypeFamily, g7.cpuCoreCount, g7.memorySize, g7.GPUAmount, g7.cpuArchitecture, g7.instanceCategory],
          ['ecs.g7', 2, 8, 0, 'X86', 'General-purpose']);
        assert.deepEqual(g7.supportedBootModes!.supportedBootMode, ['BIOS', 'UEFI']);
        assert.equal(g7.networkCards!.networkCardInfo!.length, 1);
        const nano = list.find((t) => t.instanceTypeId === 'ecs.t5-lc2m1.nano')!;
        assert.equal(nano.memorySize, 0.5);
        assert.equal(nano.instanceFamilyLevel, 'CreditEntryLevel');
        assert.ok(nano.baselineCredit! > 0 && nano.initialCredit! > 0);
      }
    });
    it('filters by family, list, cpu and memory bounds', async () => {
      const ids = async (req: ConstructorParameters<typeof $Ecs.DescribeInstanceTypesRequest>[0]) =>
        (await s.ecs.describeInstanceTypes(new $Ecs.DescribeInstanceTypesRequest(req))).body!.instanceTypes!.instanceType!.map((t) => t.instanceTypeId);
      assert.deepEqual(await ids({ instanceTypeFamily: 'ecs.g7', minimumMemorySize: 64, maximumMemorySize: 128 }), ['ecs.g7.4xlarge', 'ecs.g7.6xlarge', 'ecs.g7.8xlarge']);
      assert.deepEqual(await ids({ instanceTypes: ['ecs.s2.large', 'ecs.m1.medium', 'ecs.nope.large'] }), ['ecs.s2.large', 'ecs.m1.medium']);
      assert.deepEqual(await ids({ instanceTypeFamilies: ['ecs.c7'], minimumCpuCoreCount: 32, maximumCpuCoreCount: 32 }), ['ecs.c7.8xlarge']);
      assert.deepEqual(await ids({ instanceTypes: ['ecs.nope.large'] }), []);
      assert.deepEqual(await ids({ minimumGPUAmount: 1 }), []);
      assert.ok((await ids({ instanceCategory: 'Memory-optimized' })).every((id) => /^ecs\.(r\d|m1)\./.test(id!)));
    });
    it('pages with MaxResults and NextToken until the token is empty', async () => {
      const seen: string[] = [];
      let token: string | undefined;
      let pages = 0;
      do {
        const body = (await s.ecsV2.describeInstanceTypes(new $Ecs.DescribeInstanceTypesRequest({ maxResults: 40, nextToken: token }))).body!;
        const page = body.instanceTypes!.instanceType!;
        assert.ok(page.length <= 40 && page.length > 0);
        seen.push(...page.map((t) => t.instanceTypeId!));
        token = body.nextToken || undefined;
        pages++;
      } while (token && pages < 10);
      assert.equal(pages, Math.ceil(INSTANCE_TYPES.length / 40));
      assert.deepEqual(seen, INSTANCE_TYPES.map((t) => t.id));
    });
    it('refuses a bad NextToken or MaxResults', async () => {
      let e = await expectEcsError(() => s.ecs.describeInstanceTypes(new $Ecs.DescribeInstanceTypesRequest({ nextToken: 'garbage!' })));
      assert.deepEqual([e.code, e.statusCode], ['InvalidParameter.NextToken', 400]);
      e = await expectEcsError(() => s.ecs.describeInstanceTypes(new $Ecs.DescribeInstanceTypesRequest({ maxResults: 0 })));
      assert.equal(e.statusCode, 400);
    });
  });

  describe('DescribeInstanceTypeFamilies', () => {
    it('lists the families sold in the region, by generation', async () => {
      const fams = async (regionId: string, generation?: string) =>
        (await s.ecs.describeInstanceTypeFamilies(new $Ecs.DescribeInstanceTypeFamiliesRequest({ regionId, generation }))).body!
          .instanceTypeFamilies!.instanceTypeFamily!.map((f) => `${f.instanceTypeFamilyId}/${f.generation}`);
      const hz = await fams('cn-hangzhou');
      for (const f of ['ecs.s2/ecs-1', 'ecs.g6/ecs-5', 'ecs.g7/ecs-6', 'ecs.t5/ecs-4', 'ecs.t6/ecs-5', 'ecs.e/ecs-6']) assert.ok(hz.includes(f), f);
      assert.deepEqual(await fams('cn-hangzhou', 'ecs-1'), ['ecs.t1/ecs-1', 'ecs.s1/ecs-1', 'ecs.s2/ecs-1', 'ecs.s3/ecs-1', 'ecs.m1/ecs-1']);
      assert.deepEqual(await fams('ap-northeast-1', 'ecs-1'), []); // no legacy zone there
      assert.ok(!(await fams('us-west-1')).includes('ecs.e/ecs-6'));
      const v2 = (await s.ecsV2.describeInstanceTypeFamilies(new $Ecs.DescribeInstanceTypeFamiliesRequest({ regionId: 'cn-shanghai', generation: 'ecs-6' }))).body!;
      assert.deepEqual(v2.instanceTypeFamilies!.instanceTypeFamily!.map((f) => f.instanceTypeFamilyId), ['ecs.g7', 'ecs.c7', 'ecs.r7', 'ecs.e']);
    });
    it('refuses an unknown region', async () => {
      const e = await expectEcsError(() => s.ecs.describeInstanceTypeFamilies(new $Ecs.DescribeInstanceTypeFamiliesRequest({ regionId: 'xx-1' })));
      assert.deepEqual([e.code, e.statusCode], ['InvalidRegionId.NotFound', 404]);
    });
  });

  describe('DescribeAvailableResource', () => {
    type Req = ConstructorParameters<typeof $Ecs.DescribeAvailableResourceRequest>[0];
    const ask = async (req: Req, v2 = false) =>
      (await (v2 ? s.ecsV2 : s.ecs).describeAvailableResource(new $Ecs.DescribeAvailableResourceRequest({ regionId: 'cn-hangzhou', ...req }))).body!
        .availableZones!.availableZone!;
    const valuesOf = (zones: Awaited<ReturnType<typeof ask>>) => zones.map((z): [string, string[]] => [z.zoneId!, z.availableResources!.availableResource![0]!.supportedResources!.supportedResource!.map((r) => r.value!)]);

    it('Zone: the zones selling an instance type', async () => {
      for (const v2 of [false, true]) {
        const zones = await ask({ destinationResource: 'Zone', instanceType: 'ecs.s2.large', ioOptimized: 'optimized' }, v2);
        assert.deepEqual(valuesOf(zones), [['cn-hangzhou-h', ['cn-hangzhou-h']], ['cn-hangzhou-i', ['cn-hangzhou-i']]]);
        const z = zones[0]!;
        assert.deepEqual([z.regionId, z.status, z.statusCategory], ['cn-hangzhou', 'Available', 'WithStock']);
        assert.equal(z.availableResources!.availableResource![0]!.type, 'Zone');
      }
      assert.deepEqual(await ask({ destinationResource: 'Zone', instanceType: 'ecs.nope.large' }), []);
    });
    it('IoOptimized, InstanceType (by cores and memory) and Network', async () => {
      assert.deepEqual(valuesOf(await ask({ destinationResource: 'IoOptimized', zoneId: 'cn-hangzhou-i' })), [['cn-hangzhou-i', ['optimized', 'none']]]);
      const types = valuesOf(await ask({ destinationResource: 'InstanceType', zoneId: 'cn-hangzhou-j', cores: 4, memory: 16 }))[0]![1];
      assert.ok(types.includes('ecs.g7.xlarge') && types.includes('ecs.g6.xlarge') && types.includes('ecs.t5-c1m4.xlarge'));
      assert.ok(!types.includes('ecs.c7.xlarge'));
      assert.deepEqual(valuesOf(await ask({ destinationResource: 'Network', zoneId: 'cn-hangzhou-k' })), [['cn-hangzhou-k', ['vpc']]]);
    });
    it('SystemDisk and DataDisk carry their GiB ranges', async () => {
      const sys = (await ask({ destinationResource: 'SystemDisk', zoneId: 'cn-hangzhou-k', instanceType: 'ecs.g7.large' }))[0]!
        .availableResources!.availableResource![0]!;
      assert.equal(sys.type, 'SystemDisk');
      const essd = sys.supportedResources!.supportedResource!.find((r) => r.value === 'cloud_essd')!;
      assert.deepEqual([essd.min, essd.max, essd.unit, essd.status, essd.statusCategory], [20, 2048, 'GiB', 'Available', 'WithStock']);
      const data = (await ask({ destinationResource: 'DataDisk', resourceType: 'disk', zoneId: 'cn-hangzhou-h' }, true))[0]!
        .availableResources!.availableResource![0]!.supportedResources!.supportedResource!;
      assert.deepEqual(data.find((r) => r.value === 'cloud')!.max, 2000);
      assert.deepEqual(data.find((r) => r.value === 'cloud_essd_entry')!.min, 10);
      const basic = await ask({ destinationResource: 'DataDisk', instanceType: 'ecs.s2.large', ioOptimized: 'none', systemDiskCategory: 'cloud' });
      assert.deepEqual(valuesOf(basic), [['cn-hangzhou-h', ['cloud']], ['cn-hangzhou-i', ['cloud']]]);
    });
    it('refuses bad enums and conflicting filters with the documented codes', async () => {
      const cases: [Req, string, number][] = [
        [{ destinationResource: 'Planet' }, 'Invalid.DestinationResource', 404],
        [{ destinationResource: 'Zone', ioOptimized: 'maybe' }, 'Invalid.IoOptimized', 404],
        [{ destinationResource: 'Zone', resourceType: 'boat' }, 'Invalid.ResourceType', 404],
        [{ destinationResource: 'Zone', instanceChargeType: 'Free' }, 'Invalid.InstanceChargeType', 400],
        [{ destinationResource: 'Zone', networkCategory: 'mesh' }, 'Invalid.NetworkCategory', 404],
        [{ destinationResource: 'InstanceType', instanceType: 'ecs.g7.large', cores: 2 }, 'InvalidParam.TypeAndCpuMem.Conflict', 403],
        [{ destinationResource: 'Zone', cores: 2 }, 'InvalidParam.Cores', 403],
        [{ destinationResource: 'SystemDisk', memory: 8 }, 'InvalidParam.Memory', 403],
        [{ regionId: 'moon-1', destinationResource: 'Zone' }, 'InvalidRegionId.NotFound', 404],
      ];
      for (const [req, code, status] of cases) {
        const e = await expectEcsError(() => s.ecs.describeAvailableResource(new $Ecs.DescribeAvailableResourceRequest({ regionId: 'cn-hangzhou', ...req })));
        assert.deepEqual([e.code, e.statusCode], [code, status], JSON.stringify(req));
      }
      const missing = await expectEcsError(() => s.ecs.describeAvailableResource(new $Ecs.DescribeAvailableResourceRequest({ regionId: 'cn-hangzhou' })));
      assert.equal(missing.statusCode, 400);
    });
  });

  describe('DescribeImages', () => {
    type Req = ConstructorParameters<typeof $Ecs.DescribeImagesRequest>[0];
    const list = async (req: Req, v2 = false) =>
      (await (v2 ? s.ecsV2 : s.ecs).describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou', ...req }))).body!;

    it('lists the system images with their fields, ten per page by default', async () => {
      for (const v2 of [false, true]) {
        const first = await list({}, v2);
        assert.deepEqual([first.totalCount, first.pageNumber, first.pageSize, first.regionId, first.images!.image!.length], [SYSTEM_IMAGES.length, 1, 10, 'cn-hangzhou', 10]);
        const all = (await list({ imageOwnerAlias: 'system', pageSize: 100 }, v2)).images!.image!;
        assert.equal(all.length, SYSTEM_IMAGES.length);
        const u = all.find((i) => i.imageId === 'ubuntu_22_04_x64_20G_alibase_20240130.vhd')!;
        assert.deepEqual([u.OSType, u.architecture, u.size, u.status, u.imageOwnerAlias, u.usage, u.isSupportCloudinit, u.platform, u.imageFamily],
          ['linux', 'x86_64', 20, 'Available', 'system', 'instance', true, 'Ubuntu', 'acs:ubuntu_22_04_x64']);
        assert.equal(u.OSNameEn, 'Ubuntu  22.04 64 bit');
        assert.equal(u.creationTime, '2024-01-30T00:00:00Z');
        assert.deepEqual(u.diskDeviceMappings!.diskDeviceMapping!.map((m) => [m.device, m.size, m.type]), [['/dev/xvda', '20', 'system']]);
        assert.deepEqual(u.tags!.tag, []);
        const w = all.find((i) => i.imageId === 'win2022_21H2_x64_dtc_en-us_40G_alibase_20240220.vhd')!;
        assert.deepEqual([w.OSType, w.size, w.isSupportCloudinit], ['windows', 40, false]);
      }
      const second = await list({ pageNumber: 2, pageSize: 10 });
      assert.equal(second.images!.image!.length, SYSTEM_IMAGES.length - 10);
    });
    it('filters by ids, OS, architecture, instance type, cloud-init, family, creation time and status', async () => {
      const ids = async (req: Req) => (await list({ pageSize: 100, ...req })).images!.image!.map((i) => i.imageId!);
      const u22 = 'ubuntu_22_04_x64_20G_alibase_20240130.vhd';
      const u16 = 'ubuntu_16_0402_32_40G_alibase_20170711.vhd';
      assert.deepEqual(await ids({ imageId: `${u22}, ${u16},nope.vhd` }), [u22, u16]);
      assert.equal((await ids({ OSType: 'windows' })).length, 4);
      assert.deepEqual(await ids({ architecture: 'i386' }), [u16]);
      assert.ok(!(await ids({ instanceType: 'ecs.g7.large' })).includes(u16));
      assert.ok((await ids({ instanceType: 'ecs.t1.small' })).includes(u16));
      assert.ok((await ids({ isSupportCloudinit: false })).every((id) => id.startsWith('win') || id === u16));
      assert.deepEqual(await ids({ imageFamily: 'acs:debian_12_x64' }), ['debian_12_5_x64_20G_alibase_20240416.vhd']);
      assert.deepEqual(await ids({ imageName: u22 }), [u22]);
      assert.deepEqual(await ids({ filter: [new $Ecs.DescribeImagesRequestFilter({ key: 'CreationEndTime', value: '2018-01-01T00:00Z' })] }), [u16]);
      assert.deepEqual(await ids({ status: 'Creating,CreateFailed' }), []);
      assert.equal((await ids({ status: 'Available,Creating' })).length, SYSTEM_IMAGES.length);
      assert.deepEqual(await ids({ usage: 'none' }), []);
    });
    it('has no custom, shared, community or marketplace images yet, and tags match no system image', async () => {
      for (const imageOwnerAlias of ['self', 'others', 'marketplace']) assert.equal((await list({ imageOwnerAlias })).totalCount, 0, imageOwnerAlias);
      assert.equal((await list({ isPublic: true, imageOwnerAlias: 'others' })).totalCount, 0);
      assert.equal((await list({ tag: [new $Ecs.DescribeImagesRequestTag({ key: 'env', value: 'prod' })] })).totalCount, 0);
    });
    it('refuses bad input with the documented codes', async () => {
      const cases: [Req, string, number][] = [
        [{ imageOwnerAlias: 'friends' }, 'InvalidImageOwnerAlias.ValueNotSupported', 400],
        [{ instanceType: 'ecs.nope.large' }, 'InvalidInstanceType.ValueNotSupported', 400],
        [{ OSType: 'beos' }, 'InvalidOSType', 404],
        [{ architecture: 'sparc' }, 'InvalidArchitecture', 404],
        [{ usage: 'sometimes' }, 'InvalidUsage', 404],
        [{ filter: [new $Ecs.DescribeImagesRequestFilter({ key: 'Colour', value: 'red' })] }, 'InvalidFilterKey.NotFound', 404],
        [{ filter: [new $Ecs.DescribeImagesRequestFilter({ key: 'CreationStartTime', value: 'yesterday' })] }, 'InvalidFilterValue', 404],
        [{ dryRun: true }, 'DryRunOperation', 400],
        [{ regionId: 'nowhere-1' }, 'InvalidRegionId.NotFound', 404],
      ];
      for (const [req, code, status] of cases) {
        const e = await expectEcsError(() => s.ecsV2.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou', ...req })));
        assert.deepEqual([e.code, e.statusCode], [code, status], JSON.stringify(req));
      }
      const big = await expectEcsError(() => s.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId: 'cn-hangzhou', pageSize: 101 })));
      assert.equal(big.statusCode, 400);
    });
  });
});
