/**
 * Shared by the disk, snapshot, policy and image actions: finding the caller's resources with the
 * documented NotFound codes, the `Filter.N` creation-time filter, and the response items.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { progressText, remainSeconds, usageOf } from '../domain/storage/snapshots.js';
import { renderPoints } from '../domain/storage/schedule.js';
import { isoSecond, parseUtc } from '../domain/time.js';
import type { Tag } from '../domain/tags.js';
import { getDisk, getSnapshot, snapshotsOfDisk, type DiskRow, type PolicyRow, type SnapshotRow } from '../store/storage.js';
import { renderTags } from '../store/tags.js';
import type { ActionContext } from './types.js';

export async function requireDisk(ctx: ActionContext, id: string | undefined): Promise<DiskRow> {
  const row = id ? await getDisk(ctx.db, ctx.principal.accountId, id) : undefined;
  if (!row || (ctx.regionId && row.region_id !== ctx.regionId)) {
    throw new EcsError('InvalidDiskId.NotFound', `The specified disk "${id ?? ''}" does not exist.`);
  }
  return row;
}

export async function requireSnapshot(ctx: ActionContext, id: string | undefined, code = 'InvalidSnapshotId.NotFound'): Promise<SnapshotRow> {
  const row = id ? await getSnapshot(ctx.db, ctx.principal.accountId, id) : undefined;
  if (!row || (ctx.regionId && row.region_id !== ctx.regionId)) {
    throw new EcsError(code, `The specified SnapshotId "${id ?? ''}" does not exist.`);
  }
  return row;
}

/** A progressing snapshot of the disk (copies elsewhere aside), if any: most actions refuse while one runs. */
export async function unfinishedSnapshot(ctx: ActionContext, diskId: string): Promise<SnapshotRow | undefined> {
  return (await snapshotsOfDisk(ctx.db, diskId)).find((s) => s.status === 'progressing' && s.source_snapshot_id === '');
}

/** `Filter.1.Key`/`Filter.2.Key` = CreationStartTime | CreationEndTime with UTC values. */
export function creationFilter(p: Params): { from?: number; to?: number } {
  const out: { from?: number; to?: number } = {};
  for (let i = 1; i <= 2; i++) {
    const key = p[`Filter.${i}.Key`];
    const value = p[`Filter.${i}.Value`];
    if (!key && !value) continue;
    if (key !== 'CreationStartTime' && key !== 'CreationEndTime') {
      throw new EcsError('InvalidFilterKey.NotFound', `The specified Filter.${i}.Key "${key ?? ''}" is not found: use CreationStartTime or CreationEndTime.`);
    }
    const at = value ? parseUtc(value) : undefined;
    if (at === undefined) throw new EcsError('InvalidFilterValue', `The specified Filter.${i}.Value "${value ?? ''}" is not valid: use yyyy-MM-ddTHH:mmZ (UTC).`);
    if (key === 'CreationStartTime') out.from = at;
    else out.to = at;
  }
  return out;
}

export function tagFilterOf(p: Params): { Key: string; Value?: string }[] {
  return ((p.Tag ?? []) as Record<string, string>[])
    .map((t) => ({ Key: t.Key ?? t.key ?? '', Value: t.Value ?? t.value }))
    .filter((t) => t.Key);
}

const time = (ms: number | null | undefined) => (ms ? isoSecond(ms) : '');

export function diskItem(d: DiskRow, policyId: string | undefined, tags: Tag[] | undefined) {
  const attached = d.instance_id && d.status !== 'Available';
  return {
    DiskId: d.id,
    DiskName: d.name,
    Description: d.description,
    RegionId: d.region_id,
    ZoneId: d.zone_id,
    Type: d.type,
    Category: d.category,
    Size: d.size,
    PerformanceLevel: d.performance_level,
    Status: d.status,
    InstanceId: attached ? d.instance_id : '',
    Device: attached ? d.device : '',
    ImageId: d.image_id,
    SourceSnapshotId: d.source_snapshot_id,
    DeleteWithInstance: d.delete_with_instance === 1,
    DeleteAutoSnapshot: d.delete_auto_snapshot === 1,
    EnableAutoSnapshot: d.enable_auto_snapshot === 1,
    AutoSnapshotPolicyId: policyId ?? '',
    EnableAutomatedSnapshotPolicy: policyId !== undefined,
    Portable: d.portable === 1,
    Encrypted: d.encrypted === 1,
    KMSKeyId: '',
    DiskChargeType: d.charge_type || 'PostPaid',
    ResourceGroupId: d.resource_group_id,
    SerialNumber: d.id.slice(2),
    CreationTime: time(d.created_at),
    AttachedTime: time(d.attached_at),
    DetachedTime: time(d.detached_at),
    ExpiredTime: '2999-09-08T16:00Z',
    MultiAttach: 'Disabled',
    MountInstanceNum: attached ? 1 : 0,
    IOPS: 0, IOPSRead: 0, IOPSWrite: 0, Throughput: 0, ThroughputRead: 0, ThroughputWrite: 0,
    ProvisionedIops: d.provisioned_iops,
    BurstingEnabled: d.bursting_enabled === 1,
    BdfId: '', ProductCode: '', StorageSetId: '', StorageSetPartitionNumber: 0, StorageClusterId: '',
    OperationLocks: { OperationLock: [] },
    Attachments: { Attachment: attached ? [{ InstanceId: d.instance_id, Device: d.device, AttachedTime: time(d.attached_at) }] : [] },
    MountInstances: { MountInstance: [] },
    Tags: renderTags(tags),
  };
}

export function snapshotItem(s: SnapshotRow, now: number, deps: { image: boolean; disk: boolean }, tags: Tag[] | undefined) {
  return {
    SnapshotId: s.id,
    SnapshotName: s.name,
    Description: s.description,
    RegionId: s.region_id,
    SourceDiskId: s.source_disk_id,
    SourceDiskSize: String(s.source_disk_size),
    SourceDiskType: s.source_disk_type === 'system' ? 'System' : 'Data',
    SourceStorageType: 'disk',
    SnapshotType: s.type,
    Category: s.category,
    Status: s.status,
    Progress: progressText(s.status, s.created_at, s.completes_at, now),
    RemainTime: remainSeconds(s.status, s.completes_at, now),
    Available: s.status === 'accomplished',
    Usage: usageOf(deps.image, deps.disk),
    RetentionDays: s.retention_days,
    Encrypted: s.encrypted === 1,
    KMSKeyId: '',
    InstantAccess: false,
    InstantAccessRetentionDays: 0,
    SourceSnapshotId: s.source_snapshot_id,
    SourceRegionId: s.source_region_id,
    SnapshotSN: s.id.slice(2),
    SnapshotLinkId: `sl-${s.source_disk_id.slice(2)}`,
    ProductCode: '',
    ResourceGroupId: s.resource_group_id,
    CreationTime: time(s.created_at),
    LastModifiedTime: time(s.modified_at || s.created_at),
    Tags: renderTags(tags),
  };
}

export function policyItem(p: PolicyRow, diskNums: number, tags: Tag[] | undefined) {
  return {
    AutoSnapshotPolicyId: p.id,
    AutoSnapshotPolicyName: p.name,
    RegionId: p.region_id,
    TimePoints: renderPoints(JSON.parse(p.time_points)),
    RepeatWeekdays: renderPoints(JSON.parse(p.repeat_weekdays)),
    RetentionDays: p.retention_days,
    DiskNums: diskNums,
    VolumeNums: 0,
    Status: 'Normal',
    Type: 'Custom',
    CreationTime: time(p.created_at),
    EnableCrossRegionCopy: p.enable_cross_region_copy === 1,
    // A JSON list in a string, like TimePoints: Terraform type-asserts a string and parses it.
    TargetCopyRegions: p.target_copy_regions,
    CopiedSnapshotsRetentionDays: p.copied_snapshots_retention_days,
    ResourceGroupId: p.resource_group_id,
    CopyEncryptionConfiguration: { Encrypted: p.copy_encrypted === 1, KMSKeyId: p.copy_kms_key_id },
    Tags: renderTags(tags),
  };
}

/** Boolean filter params may arrive typed or as strings. */
export function boolParam(v: unknown): boolean | undefined {
  if (v === undefined || v === '' || v === null) return undefined;
  if (typeof v === 'boolean') return v;
  return String(v).toLowerCase() === 'true';
}
