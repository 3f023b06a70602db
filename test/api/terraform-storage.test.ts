/**
 * The storage, image, key pair and security group calls of Terraform's alicloud provider
 * (../shared/spec/terraform-calls.md §4–§12, §20–21), sent the way it sends them: signature
 * version 1.0, tea-rpc's split (common parameters in the query, API parameters in a form body,
 * RegionId only where the provider puts it) and the old SDK's query-string POSTs. Every answer
 * is checked against the metadata's response shape (JSON types), and each field the provider
 * type-asserts or Atoi-s is checked by itself.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { v2Request } from '../helpers/raw.js';
import { shapeMismatches } from '../helpers/response-shape.js';
import { LINUX, R, launch, type Launched } from './storage-fixtures.js';

const I386 = 'ubuntu_16_0402_32_40G_alibase_20170711.vhd';
/** Fields the provider reads that the metadata's response shapes lack. */
const EXTRA_FIELDS: Record<string, string[]> = { DescribeImages: ['$.Images.Image[].Usable'] };

describe('Terraform storage, image, key pair and security group calls', () => {
  let s: TestServer;
  let vm: Launched;

  /** tea-rpc (RpcPost): common parameters and Signature in the query, the API's in the form body. */
  async function rpc(action: string, params: Record<string, unknown>) {
    const api = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
    const r = await v2Request(s.url, action, api, { method: 'POST', placement: 'split' });
    return { status: r.status, body: r.json };
  }
  /** The old typed SDK: everything in the query string of a POST, RegionId always added. */
  async function sdk(action: string, params: Record<string, unknown>) {
    const api = Object.fromEntries(Object.entries({ RegionId: R, ...params }).map(([k, v]) => [k, String(v)]));
    const r = await v2Request(s.url, action, api, { method: 'POST', placement: 'query' });
    return { status: r.status, body: r.json };
  }
  async function ok(p: Promise<{ status: number; body: any }>, action?: string) {
    const r = await p;
    assert.equal(r.status, 200, JSON.stringify(r.body));
    if (action) assert.deepEqual(shapeMismatches(action, r.body, EXTRA_FIELDS[action]), [], `${action} departs from its response shape`);
    return r.body;
  }
  async function fails(p: Promise<{ status: number; body: any }>, code: string, status: number) {
    const r = await p;
    assert.equal(r.body?.Code, code, JSON.stringify(r.body));
    assert.equal(r.status, status);
    return r.body;
  }
  const disk = async (id: string) => (await ok(rpc('DescribeDisks', { RegionId: R, DiskIds: JSON.stringify([id]) }), 'DescribeDisks')).Disks.Disk[0];
  const images = async (params: Record<string, unknown>) => (await ok(rpc('DescribeImages', { RegionId: R, ...params }), 'DescribeImages')).Images.Image as any[];

  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    vm = await launch(s, { dataDisks: 1 });
  });
  after(async () => { await s.close(); });

  describe('alicloud_security_group and _rule', () => {
    let sg: string;
    let vpcId: string;
    before(async () => {
      const groups = await ok(sdk('DescribeSecurityGroups', {}), 'DescribeSecurityGroups');
      vpcId = groups.SecurityGroups.SecurityGroup[0].VpcId;
      sg = (await ok(rpc('CreateSecurityGroup', { RegionId: R, VpcId: vpcId, SecurityGroupName: 'tf-sg', ClientToken: 'tf-sg-1' }))).SecurityGroupId;
      await ok(rpc('AuthorizeSecurityGroup', {
        RegionId: R, SecurityGroupId: sg, 'Permissions.1.IpProtocol': 'tcp', 'Permissions.1.PortRange': '22/22',
        'Permissions.1.SourceCidrIp': '10.0.0.0/8', 'Permissions.1.Policy': 'accept', 'Permissions.1.Priority': '1', 'Permissions.1.Description': 'ssh',
      }));
      await ok(rpc('AuthorizeSecurityGroupEgress', {
        RegionId: R, SecurityGroupId: sg, 'Permissions.1.IpProtocol': 'tcp', 'Permissions.1.PortRange': '22/22',
        'Permissions.1.DestCidrIp': '10.0.0.0/8', 'Permissions.1.Policy': 'accept', 'Permissions.1.Priority': '1',
      }));
    });

    it('DescribeSecurityGroupAttribute with NicType=<nil> (an unset nic_type in the rule id) reads the rule, filtered by Direction', async () => {
      const body = await ok(sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: sg, Direction: 'ingress', NicType: '<nil>' }), 'DescribeSecurityGroupAttribute');
      assert.equal(body.SecurityGroupId, sg);
      assert.equal(body.VpcId, vpcId);
      assert.equal(typeof body.InnerAccessPolicy, 'string');
      const rules = body.Permissions.Permission as any[];
      assert.ok(rules.length > 0 && rules.every((r) => r.Direction === 'ingress'), 'only ingress rules');
      // The provider's match: lower(IpProtocol), exact PortRange, the CIDR, lower(Policy), Priority == "1" (Atoi'd).
      const rule = rules.find((r) => r.IpProtocol.toLowerCase() === 'tcp' && r.PortRange === '22/22' && r.SourceCidrIp === '10.0.0.0/8'
        && r.Policy.toLowerCase() === 'accept' && r.Priority === '1');
      assert.ok(rule, JSON.stringify(rules));
      assert.equal(Number.parseInt(rule.Priority, 10), 1);
      assert.equal(rule.NicType, 'intranet');
      assert.match(rule.SecurityGroupRuleId, /^sgr-/);
      const egress = await ok(sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: sg, Direction: 'egress', NicType: '<nil>' }));
      assert.ok(egress.Permissions.Permission.length > 0 && egress.Permissions.Permission.every((r: any) => r.Direction === 'egress'));
      // Any other unknown NicType is still refused.
      await fails(sdk('DescribeSecurityGroupAttribute', { SecurityGroupId: sg, NicType: 'bogus' }), 'InvalidNicType.ValueNotSupported', 400);
    });

    it('DescribeSecurityGroups honours the singular SecurityGroupId (the provider takes element 0 unchecked)', async () => {
      const body = await ok(rpc('DescribeSecurityGroups', { RegionId: R, SecurityGroupId: sg }), 'DescribeSecurityGroups');
      assert.deepEqual(body.SecurityGroups.SecurityGroup.map((g: any) => g.SecurityGroupId), [sg]);
      const none = await ok(rpc('DescribeSecurityGroups', { RegionId: R, SecurityGroupId: 'sg-doesnotexist00000000' }));
      assert.deepEqual(none.SecurityGroups.SecurityGroup, []);
    });
  });

  describe('alicloud_ecs_disk, the disk attachment and ModifyDiskSpec', () => {
    let diskId: string;
    before(async () => {
      diskId = (await ok(rpc('CreateDisk', { RegionId: R, ZoneId: vm.zoneId, DiskCategory: 'cloud_essd', Size: 20, DiskName: 'tf-disk', ClientToken: 'tf-disk-1' }))).DiskId;
      await s.advance(1000);
    });

    it('DescribeDisks by DiskIds answers the one disk with booleans as JSON booleans', async () => {
      const d = await disk(diskId);
      assert.equal(d.DiskId, diskId);
      assert.equal(d.Status, 'Available');
      for (const f of ['DeleteAutoSnapshot', 'DeleteWithInstance', 'EnableAutoSnapshot', 'Encrypted', 'BurstingEnabled', 'Portable']) {
        assert.equal(typeof d[f], 'boolean', f);
      }
      assert.equal(d.MultiAttach, 'Disabled');
      assert.equal(d.DiskChargeType, 'PostPaid');
      assert.equal(d.PerformanceLevel, 'PL1');
      assert.equal(d.ProvisionedIops, 0);
      assert.ok(Number.isInteger(d.Size));
      assert.ok(Array.isArray(d.Tags.Tag));
    });

    it('DescribeDisks InstanceId + DiskType=system finds the instance system disk', async () => {
      const body = await ok(sdk('DescribeDisks', { InstanceId: vm.instanceId, DiskType: 'system' }), 'DescribeDisks');
      assert.deepEqual(body.Disks.Disk.map((d: any) => d.DiskId), [vm.systemDiskId]);
      assert.equal(body.Disks.Disk[0].InstanceId, vm.instanceId);
    });

    it('attachment: AttachDisk without RegionId, In_use, DeleteAutoSnapshot a JSON bool before and after', async () => {
      const before = (await disk(diskId)).DeleteAutoSnapshot;
      await ok(rpc('AttachDisk', { DiskId: diskId, InstanceId: vm.instanceId, DeleteWithInstance: 'false' }));
      await s.advance(1000);
      const d = await disk(diskId);
      assert.equal(d.Status, 'In_use');
      assert.equal(d.InstanceId, vm.instanceId);
      assert.equal(typeof d.DeleteAutoSnapshot, 'boolean');
      assert.equal(d.DeleteAutoSnapshot, before);
      await ok(rpc('ModifyDiskAttribute', { DiskId: diskId, RegionId: R, DeleteAutoSnapshot: 'false', BurstingEnabled: 'false' }));
      assert.equal((await disk(diskId)).DeleteAutoSnapshot, false);
    });

    it('ModifyDiskSpec: a PL2 needs 461 GiB; after ResizeDisk the level changes and shows in DescribeDisks', async () => {
      await fails(rpc('ModifyDiskSpec', { DiskId: diskId, PerformanceLevel: 'PL2' }), 'OperationDenied.PerformanceLevelNotMatch', 403);
      await fails(rpc('ModifyDiskSpec', { DiskId: diskId, PerformanceLevel: 'PL9' }), 'InvalidPerformanceLevel.Malformed', 400);
      await fails(rpc('ModifyDiskSpec', { DiskId: diskId, PerformanceLevel: 'PL1' }), 'NoChangeInDiskCategoryAndPerformanceLevel', 403);
      await fails(rpc('ModifyDiskSpec', { DiskId: diskId, DiskCategory: 'cloud_ssd', PerformanceLevel: 'PL1' }), 'InvalidPerformanceLevelParam.Mismatch', 400);
      await fails(rpc('ModifyDiskSpec', { DiskId: diskId, ProvisionedIops: 100 }), 'ProvisionedIopsForDiskCategoryUnsupported', 400);
      await ok(rpc('ResizeDisk', { DiskId: diskId, NewSize: 500, ClientToken: 'tf-resize-1', Type: 'online' }));
      await fails(rpc('ModifyDiskSpec', { DiskId: diskId, PerformanceLevel: 'PL2', DryRun: 'true' }), 'DryRunOperation', 400);
      assert.equal((await disk(diskId)).PerformanceLevel, 'PL1');
      const r = await ok(rpc('ModifyDiskSpec', { DiskId: diskId, PerformanceLevel: 'PL2' }), 'ModifyDiskSpec');
      assert.equal(r.TaskId, undefined);
      const d = await disk(diskId);
      assert.equal(d.PerformanceLevel, 'PL2');
      assert.equal(d.Category, 'cloud_essd');
      assert.equal(d.Status, 'In_use');
    });

    it('ModifyDiskSpec changes categories the API lists (ESSD → ESSD AutoPL with provisioned IOPS → SSD), not basic disks', async () => {
      await ok(rpc('ModifyDiskSpec', { DiskId: diskId, DiskCategory: 'cloud_auto', ProvisionedIops: 20000 }));
      let d = await disk(diskId);
      assert.equal(d.Category, 'cloud_auto');
      assert.equal(d.PerformanceLevel, '');
      assert.equal(d.ProvisionedIops, 20000);
      // 500 GiB: baseline min{1,800+50×500, 50,000} = 26,800; at most min{50,000, 500,000 − 26,800}.
      await fails(rpc('ModifyDiskSpec', { DiskId: diskId, ProvisionedIops: 50001 }), 'InvalidProvisionedIops.LimitExceed', 400);
      await ok(rpc('ModifyDiskAttribute', { DiskId: diskId, RegionId: R, BurstingEnabled: 'true' }));
      assert.equal((await disk(diskId)).BurstingEnabled, true);
      await ok(rpc('ModifyDiskSpec', { DiskId: diskId, DiskCategory: 'cloud_ssd' }));
      d = await disk(diskId);
      assert.deepEqual([d.Category, d.ProvisionedIops, d.BurstingEnabled], ['cloud_ssd', 0, false]);
      await fails(rpc('ModifyDiskSpec', { DiskId: diskId, DiskCategory: 'cloud' }), 'InvalidDiskCategory.ValueNotSupported', 400);
      await fails(rpc('ModifyDiskSpec', { DiskId: 'd-doesnotexist000000000' }), 'InvalidDiskId.NotFound', 404);
    });

    it('CreateDisk acts on ProvisionedIops, BurstingEnabled and MultiAttach, refusing what it cannot honour', async () => {
      await fails(rpc('CreateDisk', { RegionId: R, ZoneId: vm.zoneId, DiskCategory: 'cloud_essd', Size: 40, ProvisionedIops: 100 }), 'ProvisionedIopsForDiskCategoryUnsupported', 400);
      await fails(rpc('CreateDisk', { RegionId: R, ZoneId: vm.zoneId, DiskCategory: 'cloud_essd', Size: 40, BurstingEnabled: 'true' }), 'BurstingEnabledForDiskCategoryUnsupported', 400);
      await fails(rpc('CreateDisk', { RegionId: R, ZoneId: vm.zoneId, DiskCategory: 'cloud_essd', Size: 40, MultiAttach: 'Enabled' }), 'InvalidParameter.MultiAttach', 403);
      const id = (await ok(rpc('CreateDisk', { RegionId: R, ZoneId: vm.zoneId, DiskCategory: 'cloud_auto', Size: 40, ProvisionedIops: 1000, BurstingEnabled: 'true', MultiAttach: 'Disabled' }))).DiskId;
      await s.advance(1000);
      const d = await disk(id);
      assert.deepEqual([d.Category, d.ProvisionedIops, d.BurstingEnabled, d.MultiAttach], ['cloud_auto', 1000, true, 'Disabled']);
      const pl0 = (await ok(rpc('CreateDisk', { RegionId: R, ZoneId: vm.zoneId, DiskCategory: 'cloud_essd', PerformanceLevel: 'PL0', Size: 10 }))).DiskId;
      assert.equal((await disk(pl0)).PerformanceLevel, 'PL0');
    });
  });

  describe('alicloud_ecs_snapshot', () => {
    let snapId: string;
    it('CreateSnapshot without RegionId, waited for as `accomplished`, Category and RetentionDays read back', async () => {
      snapId = (await ok(rpc('CreateSnapshot', { DiskId: vm.systemDiskId, SnapshotName: 'tf-snap', RetentionDays: 3, Category: 'flash', ClientToken: 'tf-snap-1' }))).SnapshotId;
      await s.advance(60_000);
      const body = await ok(rpc('DescribeSnapshots', { RegionId: R, SnapshotIds: JSON.stringify([snapId]) }), 'DescribeSnapshots');
      const snap = body.Snapshots.Snapshot[0];
      assert.equal(snap.Status, 'accomplished');
      assert.equal(snap.Category, 'flash');
      assert.equal(snap.RetentionDays, 3);
      assert.equal(snap.SourceDiskId, vm.systemDiskId);
      const flash = await ok(rpc('DescribeSnapshots', { RegionId: R, Category: 'flash' }));
      assert.deepEqual(flash.Snapshots.Snapshot.map((x: any) => x.SnapshotId), [snapId]);
    });

    it('ModifySnapshotAttribute without RegionId changes RetentionDays; DeleteSnapshot of an unknown id is InvalidSnapshotId.NotFound', async () => {
      await ok(rpc('ModifySnapshotAttribute', { SnapshotId: snapId, RetentionDays: 10, Description: 'kept ten days' }));
      const snap = (await ok(rpc('DescribeSnapshots', { RegionId: R, SnapshotIds: JSON.stringify([snapId]) }))).Snapshots.Snapshot[0];
      assert.deepEqual([snap.RetentionDays, snap.Description, snap.Status], [10, 'kept ten days', 'accomplished']);
      await ok(rpc('DeleteSnapshot', { SnapshotId: snapId, Force: 'false' }));
      await fails(rpc('DeleteSnapshot', { SnapshotId: snapId, Force: 'false' }), 'InvalidSnapshotId.NotFound', 404);
      const gone = await ok(rpc('DescribeSnapshots', { RegionId: R, SnapshotIds: JSON.stringify([snapId]) }));
      assert.deepEqual(gone.Snapshots.Snapshot, []);
    });
  });

  describe('alicloud_image and data alicloud_images', () => {
    it('DescribeImages Status=ALL finds a public image, Usable true, Features an object', async () => {
      const [img] = await images({ ImageId: LINUX, Status: 'ALL' });
      assert.equal(img.ImageId, LINUX);
      assert.equal(img.Usable, true);
      assert.equal(typeof img.Features, 'object');
      assert.equal(img.Features.NvmeSupport, 'supported');
      const m = img.DiskDeviceMappings.DiskDeviceMapping[0];
      for (const f of ['Device', 'Type', 'Format', 'ImportOSSObject', 'ImportOSSBucket', 'Progress', 'Size', 'SnapshotId']) assert.equal(typeof m[f], 'string', f);
      assert.ok(Number.isInteger(m.RemainTime));
    });

    it('the data source pages with PageNumber until a page is short, and DescribeTags per image answers an empty list for a public image', async () => {
      const all = await images({ ImageOwnerAlias: 'system', PageSize: 100 });
      const paged: string[] = [];
      for (let page = 1; page < 20; page++) {
        const list = await images({ ImageOwnerAlias: 'system', PageSize: 5, PageNumber: page });
        paged.push(...list.map((i) => i.ImageId));
        if (list.length < 5) break;
      }
      assert.deepEqual(paged, all.map((i) => i.ImageId));
      for (const i of all.slice(0, 3)) {
        const tags = await ok(sdk('DescribeTags', { ResourceType: 'image', ResourceId: i.ImageId }), 'DescribeTags');
        assert.deepEqual(tags.Tags.Tag, []);
      }
    });

    it('CreateImage → wait Usable under Status=ALL → ModifyImageAttribute (LicenseType, Features.NvmeSupport, BootMode) → DeleteImage', async () => {
      const id = (await ok(rpc('CreateImage', { RegionId: R, InstanceId: vm.instanceId, ImageName: 'tf-image', ClientToken: 'tf-image-1', 'Tag.1.Key': 'team', 'Tag.1.Value': 'infra' }))).ImageId;
      let [img] = await images({ ImageId: id, Status: 'ALL' });
      assert.equal(img.Status, 'Creating');
      assert.equal(img.Usable, false);
      assert.deepEqual(await images({ ImageId: id }), [], 'Creating images are not in the default Available listing');
      // Like the provider's wait: poll until Usable (the image follows its snapshots one engine step later).
      for (let i = 0; i < 10 && !img.Usable; i++) {
        await s.advance(10_000);
        [img] = await images({ ImageId: id, Status: 'ALL' });
      }
      assert.equal(img.Usable, true);
      assert.equal(img.Status, 'Available');
      // The data source's ImageOwnerId filter: the account's own images, no public ones.
      assert.deepEqual((await images({ ImageOwnerId: img.ImageOwnerId, Status: 'ALL', ActionType: 'ChangeOS' })).map((i) => i.ImageId), [id]);
      const tags = await ok(sdk('DescribeTags', { ResourceType: 'image', ResourceId: id }), 'DescribeTags');
      assert.deepEqual(tags.Tags.Tag.map((t: any) => [t.TagKey, t.TagValue]), [['team', 'infra']]);

      await fails(rpc('ModifyImageAttribute', { RegionId: R, ImageId: id, LicenseType: 'Auto' }), 'InvalidLicenseType.NotSupported', 400);
      await ok(rpc('ModifyImageAttribute', { RegionId: R, ImageId: id, Description: 'by terraform', ImageFamily: 'tf-family', LicenseType: 'BYOL', 'Features.NvmeSupport': 'unsupported', BootMode: 'UEFI' }));
      [img] = await images({ ImageId: id, Status: 'ALL' });
      assert.deepEqual([img.Description, img.ImageFamily, img.BootMode, img.Features.NvmeSupport], ['by terraform', 'tf-family', 'UEFI', 'unsupported']);
      await fails(rpc('ModifyImageAttribute', { RegionId: R, ImageId: id, 'Features.NvmeSupport': 'maybe' }), 'InvalidParameter', 400);

      // A UEFI image runs only on types that boot UEFI (g7, not g6).
      const support = await ok(rpc('DescribeImageSupportInstanceTypes', { RegionId: R, ImageId: id }), 'DescribeImageSupportInstanceTypes');
      const ids = support.InstanceTypes.InstanceType.map((t: any) => t.InstanceTypeId);
      assert.ok(ids.includes('ecs.g7.large') && !ids.includes('ecs.g6.large'), ids.join(','));

      await ok(rpc('DeleteImage', { RegionId: R, ImageId: id, Force: 'true' }));
      assert.deepEqual(await images({ ImageId: id, Status: 'Creating,Waiting,Available,UnAvailable,CreateFailed' }), []);
      assert.deepEqual(await images({ ImageId: id, Status: 'ALL' }), []);
    });

    it('DescribeImageSupportInstanceTypes: the types the image fits by the RunInstances rule; ImageId or Filter.N imageId', async () => {
      const body = await ok(rpc('DescribeImageSupportInstanceTypes', { RegionId: R, ImageId: LINUX, ActionType: 'CreateEcs' }), 'DescribeImageSupportInstanceTypes');
      assert.equal(body.ImageId, LINUX);
      const types = body.InstanceTypes.InstanceType as any[];
      const ids = types.map((t) => t.InstanceTypeId);
      assert.ok(ids.includes('ecs.g7.large') && ids.includes('ecs.g6.large'));
      assert.ok(types.every((t) => Number.isInteger(t.CpuCoreCount) && typeof t.MemorySize === 'number' && typeof t.InstanceTypeFamily === 'string'));
      // 32-bit images: no type with 4 GiB of memory or more (000:L156).
      const small = await ok(rpc('DescribeImageSupportInstanceTypes', { RegionId: R, 'Filter.1.Key': 'imageId', 'Filter.1.Value': I386 }));
      const list = small.InstanceTypes.InstanceType as any[];
      assert.ok(list.length > 0 && list.every((t) => t.MemorySize < 4), JSON.stringify(list.map((t) => t.InstanceTypeId)));
      await fails(rpc('DescribeImageSupportInstanceTypes', { RegionId: R, ImageId: 'm-doesnotexist0000000' }), 'InvalidImageId.NotFound', 404);
      await fails(rpc('DescribeImageSupportInstanceTypes', { RegionId: R }), 'MissingParameter', 400);
    });
  });

  describe('alicloud_ecs_key_pair', () => {
    it('DescribeKeyPairs by KeyPairName matches the exact name (the provider takes element 0) and Tags is an object', async () => {
      await ok(rpc('CreateKeyPair', { RegionId: R, KeyPairName: 'tf-key' }));
      await ok(rpc('CreateKeyPair', { RegionId: R, KeyPairName: 'tf-key-2' }));
      const body = await ok(rpc('DescribeKeyPairs', { RegionId: R, KeyPairName: 'tf-key' }), 'DescribeKeyPairs');
      assert.deepEqual(body.KeyPairs.KeyPair.map((k: any) => k.KeyPairName), ['tf-key']);
      const kp = body.KeyPairs.KeyPair[0];
      assert.equal(typeof kp.Tags, 'object');
      assert.ok(Array.isArray(kp.Tags.Tag));
      assert.match(kp.KeyPairFingerPrint, /^([0-9a-f]{2}:){15}[0-9a-f]{2}$/);
      await ok(rpc('DeleteKeyPairs', { RegionId: R, KeyPairNames: JSON.stringify(['tf-key', 'tf-key-2']) }));
      assert.deepEqual((await ok(rpc('DescribeKeyPairs', { RegionId: R, KeyPairName: 'tf-key' }))).KeyPairs.KeyPair, []);
    });
  });

  describe('alicloud_ecs_auto_snapshot_policy', () => {
    /** The provider's lower-camel names, sent as they are (pop-core would capitalise them). */
    let policyId: string;

    it('Create with lower-camel names; DescribeAutoSnapshotPolicyEx answers the lists as JSON strings', async () => {
      policyId = (await ok(rpc('CreateAutoSnapshotPolicy', {
        regionId: R, autoSnapshotPolicyName: 'tf-policy', retentionDays: 3, timePoints: '["0","1"]', repeatWeekdays: '["1"]',
        EnableCrossRegionCopy: 'true', TargetCopyRegions: '["cn-shanghai"]', CopiedSnapshotsRetentionDays: 5,
        'CopyEncryptionConfiguration.Encrypted': 'true', 'Tag.1.Key': 'tf', 'Tag.1.Value': 'yes',
      }))).AutoSnapshotPolicyId;
      assert.match(policyId, /^sp-/);
      const body = await ok(rpc('DescribeAutoSnapshotPolicyEx', { RegionId: R, AutoSnapshotPolicyId: policyId }), 'DescribeAutoSnapshotPolicyEx');
      const p = body.AutoSnapshotPolicies.AutoSnapshotPolicy[0];
      for (const f of ['TimePoints', 'RepeatWeekdays', 'TargetCopyRegions']) assert.equal(typeof p[f], 'string', f);
      assert.deepEqual(JSON.parse(p.TimePoints), ['0', '1']);
      assert.deepEqual(JSON.parse(p.RepeatWeekdays), ['1']);
      assert.deepEqual(JSON.parse(p.TargetCopyRegions), ['cn-shanghai']);
      assert.deepEqual([p.EnableCrossRegionCopy, p.CopiedSnapshotsRetentionDays, p.RetentionDays, p.Status], [true, 5, 3, 'Normal']);
      assert.deepEqual(p.CopyEncryptionConfiguration, { Encrypted: true, KMSKeyId: '' });
      assert.deepEqual(p.Tags.Tag, [{ TagKey: 'tf', TagValue: 'yes' }]);
    });

    it('refuses a bad target region, a retention out of range and a KMS key (no KMS here)', async () => {
      const base = { regionId: R, timePoints: '["0"]', repeatWeekdays: '["1"]', retentionDays: 1 };
      await fails(rpc('CreateAutoSnapshotPolicy', { ...base, EnableCrossRegionCopy: 'true', TargetCopyRegions: '["cn-hangzhou"]' }), 'InvalidParameter.TargetCopyRegions', 403);
      await fails(rpc('CreateAutoSnapshotPolicy', { ...base, EnableCrossRegionCopy: 'true' }), 'InvalidParameter.TargetCopyRegions', 403);
      await fails(rpc('CreateAutoSnapshotPolicy', { ...base, TargetCopyRegions: '["cn-shanghai","cn-beijing"]' }), 'InvalidParameter.TargetCopyRegions', 403);
      await fails(rpc('CreateAutoSnapshotPolicy', { ...base, CopiedSnapshotsRetentionDays: 0 }), 'InvalidParameter.CopiedSnapshotsRetentionDays', 403);
      await fails(rpc('CreateAutoSnapshotPolicy', { ...base, 'CopyEncryptionConfiguration.KMSKeyId': 'key-1' }), 'InvalidOperation.KMSKeyIdNotFound', 403);
    });

    it('Modify and Apply (autoSnapshotPolicyId, diskIds); the automatic snapshot is copied to the target region', async () => {
      await ok(rpc('ModifyAutoSnapshotPolicyEx', { regionId: R, autoSnapshotPolicyId: policyId, retentionDays: 7, timePoints: '["2"]', repeatWeekdays: '["1","2","3","4","5","6","7"]', autoSnapshotPolicyName: 'tf-policy-2' }));
      let p = (await ok(rpc('DescribeAutoSnapshotPolicyEx', { RegionId: R, AutoSnapshotPolicyId: policyId }))).AutoSnapshotPolicies.AutoSnapshotPolicy[0];
      assert.deepEqual([p.AutoSnapshotPolicyName, p.RetentionDays, p.TimePoints, p.TargetCopyRegions], ['tf-policy-2', 7, '["2"]', '["cn-shanghai"]']);
      await ok(rpc('ApplyAutoSnapshotPolicy', { regionId: R, autoSnapshotPolicyId: policyId, diskIds: JSON.stringify([vm.systemDiskId]) }));
      assert.equal((await disk(vm.systemDiskId)).AutoSnapshotPolicyId, policyId);
      // 02:00 UTC+8 is 18:00 UTC; the clock starts at 06:00 UTC.
      await s.advance(13 * 3_600_000);
      await s.advance(600_000);
      const autos = (await ok(rpc('DescribeSnapshots', { RegionId: R, DiskId: vm.systemDiskId, SnapshotType: 'auto' }))).Snapshots.Snapshot;
      assert.equal(autos.length, 1);
      assert.equal(autos[0].Status, 'accomplished');
      await s.advance(600_000);
      const copies = (await ok(rpc('DescribeSnapshots', { RegionId: 'cn-shanghai', DiskId: vm.systemDiskId }), 'DescribeSnapshots')).Snapshots.Snapshot;
      assert.equal(copies.length, 1, JSON.stringify(copies));
      assert.deepEqual([copies[0].SourceSnapshotId, copies[0].SourceRegionId, copies[0].RetentionDays, copies[0].Encrypted, copies[0].Status],
        [autos[0].SnapshotId, R, 5, true, 'accomplished']);
      // Turning copying off stops further copies; the setting reads back.
      await ok(rpc('ModifyAutoSnapshotPolicyEx', { regionId: R, autoSnapshotPolicyId: policyId, EnableCrossRegionCopy: 'false' }));
      p = (await ok(rpc('DescribeAutoSnapshotPolicyEx', { RegionId: R, AutoSnapshotPolicyId: policyId }))).AutoSnapshotPolicies.AutoSnapshotPolicy[0];
      assert.equal(p.EnableCrossRegionCopy, false);
    });

    it('DeleteAutoSnapshotPolicy (lower-camel) → the describe list is empty (not found)', async () => {
      await ok(rpc('DeleteAutoSnapshotPolicy', { regionId: R, autoSnapshotPolicyId: policyId }));
      const body = await ok(rpc('DescribeAutoSnapshotPolicyEx', { RegionId: R, AutoSnapshotPolicyId: policyId }));
      assert.deepEqual(body.AutoSnapshotPolicies.AutoSnapshotPolicy, []);
    });
  });

  describe('data sources: zones, instance types', () => {
    it('alicloud_zones: DescribeAvailableResource (Zone) and DescribeZones with non-empty type and disk lists', async () => {
      const avail = await ok(sdk('DescribeAvailableResource', { DestinationResource: 'Zone', IoOptimized: 'optimized', InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot', NetworkCategory: 'vpc' }), 'DescribeAvailableResource');
      const zoneIds = avail.AvailableZones.AvailableZone.filter((z: any) => z.Status !== 'SoldOut').map((z: any) => z.ZoneId);
      assert.ok(zoneIds.length > 0);
      const zones = await ok(sdk('DescribeZones', { InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot' }), 'DescribeZones');
      for (const z of zones.Zones.Zone) {
        assert.ok(z.AvailableInstanceTypes.InstanceTypes.length > 0, z.ZoneId);
        assert.ok(z.AvailableDiskCategories.DiskCategories.length > 0, z.ZoneId);
      }
      assert.ok(zoneIds.every((id: string) => zones.Zones.Zone.some((z: any) => z.ZoneId === id)));
    });

    it('alicloud_instance_types: DescribeAvailableResource (InstanceType, Cores, Memory) and DescribeInstanceTypes paged by NextToken', async () => {
      const avail = await ok(sdk('DescribeAvailableResource', {
        DestinationResource: 'InstanceType', IoOptimized: 'optimized', InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot',
        NetworkCategory: 'vpc', SystemDiskCategory: 'cloud_efficiency', Cores: 2, Memory: 8,
      }), 'DescribeAvailableResource');
      const offered = new Set<string>(avail.AvailableZones.AvailableZone.flatMap((z: any) => z.AvailableResources.AvailableResource
        .flatMap((r: any) => r.SupportedResources.SupportedResource.map((x: any) => x.Value))));
      assert.ok(offered.has('ecs.g7.large'));
      const all: any[] = [];
      let token = '';
      for (let i = 0; i < 50; i++) {
        const page = await ok(rpc('DescribeInstanceTypes', { MaxResults: 20, ...(token ? { NextToken: token } : {}) }), 'DescribeInstanceTypes');
        all.push(...page.InstanceTypes.InstanceType);
        token = page.NextToken;
        if (!token) break;
      }
      assert.equal(token, '', 'paging ends with an empty NextToken');
      assert.equal(new Set(all.map((t) => t.InstanceTypeId)).size, all.length);
      for (const id of offered) {
        const t = all.find((x) => x.InstanceTypeId === id);
        assert.ok(t, id);
        assert.deepEqual([t.CpuCoreCount, t.MemorySize], [2, 8]);
      }
      assert.ok(all.every((t) => typeof t.LocalStorageCapacity === 'number' && Number.isInteger(t.CpuCoreCount) && Number.isInteger(t.EniQuantity)));
    });
  });
});
