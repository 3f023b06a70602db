/**
 * Disks: CreateDisk, AttachDisk, DetachDisk, DeleteDisk, ResizeDisk, ReInitDisk, ResetDisk,
 * ModifyDiskAttribute, DescribeDisks. Transitional statuses (Creating, Attaching, Detaching,
 * ReIniting) are settled by the `disk` reconciler one driver transition time later.
 */
import { refuseIfInArrears } from './account-balance.js';
import { EcsError } from '../domain/errors.js';
import { refuseIfExpiryLocked } from './expiry-lock.js';
import { refuseWithDowngradePlan } from './downgrade-plan.js';
import { DISK_CONTENT, enqueueFileRemoval } from '../engine/disk-files.js';
import { checkTypeTakesDiskCategory, checkZoneOffersDiskCategory, diskSizeRange, performanceLevelFor, findDiskCategory, findSystemImage, findZone, checkDiskSize } from '../domain/catalog/index.js';
import { newId } from '../domain/ids.js';
import { checkPassword } from '../domain/instances/password.js';
import {
  DISK_STATUSES, MAX_DATA_DISKS_PER_INSTANCE, ONLINE_RESIZE_CATEGORIES, SYSTEM_DEVICE, diskStatusAllows, instanceStatusAllows,
  isDataDevice, nextDataDevice, type DiskAction,
} from '../domain/storage/disks.js';
import { checkProvisionedIops, planDiskSpec } from '../domain/storage/disk-spec.js';
import { isValidDescription, isValidName } from '../domain/storage/names.js';
import { MAX_TAGS_PER_RESOURCE, tagsFromParams } from '../domain/tags.js';
import { findUsableImage, getImageAny } from '../store/images.js';
import { getInstance, type InstanceRow } from '../store/instances.js';
import {
  countAccountDisks, countDisks, deleteDiskRow, disksOn, getDisk, listDisks, policiesOfDisks, quotaOf, setDiskStatus, snapshotsOfDisk, updateDisk, updateDiskIfStatus,
  type DiskFilter, type DiskRow,
} from '../store/storage.js';
import { idsWithTags, putTags, tagsOf } from '../store/tags.js';
import { dropReset, requestReset, requestResize } from '../store/disk-intent.js';
import { jsonList, requireInstance } from './instance-describe.js';
import { keyPairExists } from './launch-deps.js';
import { pageFields, pageOf } from './paging.js';
import { boolParam, creationFilter, diskItem, requireDisk, requireSnapshot, tagFilterOf, unfinishedSnapshot } from './storage-view.js';
import { ecsHandlers, type EcsRequest } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import { lockAccount, lockRow } from '../store/row-locks.js';
import { holdSnapshots } from './launch-holds.js';
import { UNIQUE, onViolation } from '../store/unique.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';

export function checkDiskName(name: unknown): void {
  if (name !== undefined && name !== '' && !isValidName(String(name))) {
    throw new EcsError('InvalidDiskName.Malformed', 'The specified disk name is wrongly formed: 2 to 128 characters, starting with a letter, then letters, digits, ".", "_", "-" or ":".');
  }
}

export function checkDescription(d: unknown): void {
  if (d !== undefined && d !== '' && !isValidDescription(String(d))) {
    throw new EcsError('InvalidDescription.Malformed', 'The specified description is wrongly formed: 2 to 256 characters, not starting with http:// or https://.');
  }
}

function incorrectDiskStatus(d: DiskRow, what: string): EcsError {
  return new EcsError('IncorrectDiskStatus', `The current disk status (${d.status}) does not support ${what}.`);
}

/** The account's disk quota (`disks-per-account`) has room for one more. */
async function checkDiskQuota(ctx: ActionContext, q: Tx | ActionContext['db']): Promise<void> {
  if (await countAccountDisks(q, ctx.principal.accountId) >= await quotaOf(q, ctx.principal.accountId, 'disks-per-account')) {
    throw new EcsError('QuotaExceed.PostPaidDisk', 'Living postPaid disks quota exceeded.', 403);
  }
}

/** CreateDisk with InstanceId: the data device the new disk takes on the instance. */
function newDiskDevice(on: DiskRow[]): string {
  const data = on.filter((d) => d.type === 'data');
  const free = data.length < MAX_DATA_DISKS_PER_INSTANCE ? nextDataDevice(on.map((d) => d.device)) : undefined;
  if (!free) throw new EcsError('InstanceDiskLimitExceeded', `An instance can have at most ${MAX_DATA_DISKS_PER_INSTANCE} data disks.`, 403);
  return free;
}

/** AttachDisk's rules for one disk and instance (the device slots aside: attachDevice). */
function checkAttach(instance: InstanceRow, d: DiskRow): void {
  refuseIfExpiryLocked(instance);
  if (d.region_id !== instance.region_id) throw new EcsError('InvalidDiskId.NotFound', `The specified disk "${d.id}" does not exist in the region of the instance.`);
  if (!diskStatusAllows('Attach', d.status)) throw incorrectDiskStatus(d, 'attaching: the disk must be Available');
  if (d.type === 'data' && d.portable !== 1) throw new EcsError('DiskNotPortable', 'The specified disk is not a portable disk.');
  // 000:L871 "A cloud disk can be attached to an instance of the same zone only."
  if (d.zone_id !== instance.zone_id) throw new EcsError('ResourcesNotInSameZone', `The specified instance (${instance.zone_id}) and disk (${d.zone_id}) are not in the same zone.`);
  if (!instanceStatusAllows('Attach', d.type, instance.status)) {
    throw new EcsError('IncorrectInstanceStatus', `The current status of the instance (${instance.status}) does not support attaching ${d.type === 'system' ? 'a system disk (the instance must be Stopped)' : 'a data disk (the instance must be Running or Stopped)'}.`);
  }
}

function deviceInUse(device: string): EcsError {
  return new EcsError('InvalidDevice.InUse', `The specified device ${device} has been occupied.`);
}

/** The device a disk attaches as, given the disks `on` the instance and the requested Device. */
function attachDevice(d: DiskRow, on: DiskRow[], requested: string | undefined): string {
  if (d.type === 'system') {
    if (on.some((x) => x.type === 'system')) throw new EcsError('InvalidDevice.InUse', `The device ${SYSTEM_DEVICE} of the instance is occupied by its system disk.`);
    if (requested && requested !== SYSTEM_DEVICE) throw new EcsError('InvalidDevice.Malformed', `A system disk attaches as ${SYSTEM_DEVICE}.`);
    return SYSTEM_DEVICE;
  }
  const data = on.filter((x) => x.type === 'data');
  if (data.length >= MAX_DATA_DISKS_PER_INSTANCE) throw new EcsError('InstanceDiskLimitExceeded', `The instance already has ${MAX_DATA_DISKS_PER_INSTANCE} data disks, the most it can have.`);
  if (requested) {
    if (!isDataDevice(requested)) throw new EcsError('InvalidDevice.Malformed', `The specified device "${requested}" is not valid: use /dev/xvdb to /dev/xvdz.`);
    if (on.some((x) => x.device === requested)) throw deviceInUse(requested);
    return requested;
  }
  const free = nextDataDevice(on.map((x) => x.device));
  if (!free) throw new EcsError('InstanceDiskLimitExceeded', 'The instance has no free device name left.');
  return free;
}

/** DetachDisk's rules for one disk and instance. */
function checkDetach(instance: InstanceRow, d: DiskRow): void {
  if (d.status === 'Available') throw new EcsError('InvalidDisk.AlreadyDetached', `The specified disk ${d.id} has been detached.`);
  if (d.instance_id !== instance.id) throw new EcsError('DependencyViolation', `The specified disk ${d.id} has not been attached on the instance ${instance.id}.`);
  if (!diskStatusAllows('Detach', d.status)) throw incorrectDiskStatus(d, 'detaching: the disk must be In_use');
  // Portable concerns data disks; a system disk detaches from a Stopped instance (SPEC.md "Decisions").
  if (d.type === 'data' && d.portable !== 1) throw new EcsError('DiskNotPortable', 'The specified disk is not a portable disk.');
  if (!instanceStatusAllows('Detach', d.type, instance.status)) {
    throw new EcsError('IncorrectInstanceStatus', `The current status of the instance (${instance.status}) does not support detaching ${d.type === 'system' ? 'the system disk (the instance must be Stopped)' : 'a data disk (the instance must be Running or Stopped)'}.`);
  }
}

/**
 * Locks the instance (its device slots) then the disk, in that order everywhere (store/locks.ts),
 * and reads both again inside the transaction.
 */
async function lockedPair(ctx: ActionContext, trx: Tx, instanceId: string, diskId: string): Promise<{ inst: InstanceRow; disk: DiskRow }> {
  await lockRow(trx, 'instances', instanceId);
  await lockRow(trx, 'disks', diskId);
  const inst = await getInstance(trx, ctx.principal.accountId, instanceId);
  if (!inst) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${instanceId}" does not exist.`);
  const disk = await getDisk(trx, ctx.principal.accountId, diskId);
  if (!disk) throw new EcsError('InvalidDiskId.NotFound', `The specified disk "${diskId}" does not exist.`);
  return { inst, disk };
}

/** The instance a disk is on, when the rule needs its status; checks the rule for that status. */
async function checkAttachedInstance(ctx: ActionContext, d: DiskRow, action: DiskAction, what: string): Promise<InstanceRow | undefined> {
  if (!d.instance_id) return undefined;
  const inst = await getInstance(ctx.db, ctx.principal.accountId, d.instance_id);
  if (!inst) return undefined;
  // Resize, ReInit, Reset: their metadata refuse a subscription stopped for expiry.
  refuseIfExpiryLocked(inst);
  if (!instanceStatusAllows(action, d.type, inst.status)) {
    throw new EcsError('IncorrectInstanceStatus', `The current status of the instance ${inst.id} (${inst.status}) does not support ${what}.`);
  }
  return inst;
}

/** CreateDisk `MultiAttach`: one instance per disk here, so only the default (Disabled) is taken. */
function checkMultiAttach(v: unknown): void {
  if (v === undefined || v === '' || v === 'Disabled') return;
  if (v === 'Enabled') throw new EcsError('InvalidParameter.MultiAttach', 'The specified param MultiAttach is not valid: OpenECS attaches a disk to one instance at a time (MultiAttach=Enabled is not supported).', 403);
  throw new EcsError('InvalidParameter.MultiAttach', `The specified param MultiAttach "${String(v)}" is not valid: use Disabled or Enabled.`, 403);
}

function transitionDue(ctx: ActionContext): number {
  return ctx.now() + ctx.driver.transitionMs;
}

async function describeFilter(ctx: ActionContext, p: EcsRequest<'DescribeDisks'>): Promise<DiskFilter> {
  const f: DiskFilter = {
    accountId: ctx.principal.accountId,
    regionId: ctx.regionId,
    ids: jsonList(p, 'DiskIds', 100, 'InvalidDiskIds.Malformed'),
    zoneId: p.ZoneId || undefined,
    instanceId: p.InstanceId || undefined,
    snapshotId: p.SnapshotId || undefined,
    portable: boolParam(p.Portable),
    deleteWithInstance: boolParam(p.DeleteWithInstance),
    deleteAutoSnapshot: boolParam(p.DeleteAutoSnapshot),
    enableAutoSnapshot: boolParam(p.EnableAutoSnapshot),
    hasPolicy: boolParam(p.EnableAutomatedSnapshotPolicy),
    policyId: p.AutoSnapshotPolicyId || undefined,
    name: p.DiskName || undefined,
    encrypted: boolParam(p.Encrypted),
    resourceGroupId: p.ResourceGroupId || undefined,
  };
  if (p.ZoneId && !findZone(ctx.regionId, p.ZoneId)) throw new EcsError('InvalidZoneId.NotFound', `The zoneId "${p.ZoneId}" provided does not exist in our records.`);
  const type = p.DiskType ?? 'all';
  if (!['all', 'system', 'data'].includes(type)) throw new EcsError('InvalidDiskType.ValueNotSupported', `The specified disk type "${type}" is not supported: use all, system or data.`);
  if (type !== 'all') f.type = type;
  const category = p.Category ?? 'all';
  if (category !== 'all' && !findDiskCategory(category) && !['ephemeral', 'ephemeral_ssd', 'local_ssd_pro', 'local_hdd_pro'].includes(category)) {
    throw new EcsError('InvalidCategory.ValueNotSupported', `The specified disk category "${category}" is not supported.`);
  }
  if (category !== 'all') f.category = category;
  const status = p.Status ?? 'All';
  if (status !== 'All' && !(DISK_STATUSES as readonly string[]).includes(status)) {
    throw new EcsError('InvalidStatus.ValueNotSupported', `The specified disk status "${status}" is not supported: use ${DISK_STATUSES.join(', ')} or All.`);
  }
  if (status !== 'All') f.status = status;
  if (p.DiskChargeType && !['PrePaid', 'PostPaid'].includes(p.DiskChargeType)) {
    throw new EcsError('InvalidDiskChargeType.NotFound', `The DiskChargeType "${p.DiskChargeType}" does not exist in our records.`);
  }
  if (p.DiskChargeType) f.chargeType = p.DiskChargeType;
  if (p.LockReason && !['financial', 'security', 'recycling', 'dedicatedhostfinancial'].includes(p.LockReason)) {
    throw new EcsError('InvalidLockReason.NotFound', `The specified LockReason "${p.LockReason}" is not found.`);
  }
  if (p.LockReason) f.ids = [];
  const created = creationFilter(p);
  f.createdFrom = created.from;
  f.createdTo = created.to;
  f.taggedIds = await idsWithTags(ctx.db, ctx.principal.accountId, 'disk', tagFilterOf(p));
  return f;
}

export const diskActions = ecsHandlers({
  async CreateDisk(ctx, p) {
    if (p.ZoneId && p.InstanceId) throw new EcsError('InvalidParam.ZoneIdAndInstanceId.Conflict', "The specified parameter 'ZoneId' and 'InstanceId' are not blank at the same time.");
    let instance: InstanceRow | undefined;
    let zoneId: string = p.ZoneId ?? '';
    if (p.InstanceId) {
      instance = await requireInstance(ctx, p.InstanceId);
      zoneId = instance.zone_id;
      if (!['Running', 'Stopped'].includes(instance.status)) {
        throw new EcsError('IncorrectInstanceStatus', `The current status of the instance ${instance.id} (${instance.status}) does not support attaching a new disk.`, 403);
      }
    }
    if (!zoneId) throw new EcsError('MissingParameter', 'The input parameter "ZoneId" or "InstanceId" that is mandatory for processing this request is not supplied.');
    if (!findZone(ctx.regionId, zoneId)) throw new EcsError('InvalidZoneId.NotFound', `The specified zone "${zoneId}" does not exist.`);
    const category: string = p.DiskCategory ?? 'cloud';
    if (!findDiskCategory(category)) throw new EcsError('InvalidDiskCategory.ValueNotSupported', `The specified parameter "DiskCategory" (${category}) is not valid.`);
    checkDiskName(p.DiskName);
    checkDescription(p.Description);
    if (p.Size === undefined && !p.SnapshotId) throw new EcsError('MissingParameter', 'The input parameter either "SnapshotId" or "Size" should be specified.');
    let size: number | undefined = p.Size;
    let snapshotId = '';
    if (p.SnapshotId) {
      const snap = await requireSnapshot(ctx, p.SnapshotId);
      if (snap.status !== 'accomplished') throw new EcsError('InvalidSnapshotId.NotReady', `The specified snapshot ${snap.id} has not completed yet.`);
      if (size === undefined) size = snap.source_disk_size;
      // "can be increased but not decreased" (000:L570).
      if (size < snap.source_disk_size) throw new EcsError('InvalidDiskSize.TooSmall', `Specified disk size ${size} GiB is less than the size of snapshot (${snap.source_disk_size} GiB).`);
      snapshotId = snap.id;
    }
    const performanceLevel = performanceLevelFor(category, p.PerformanceLevel);
    checkDiskSize('data', category, size!, performanceLevel || undefined);
    checkMultiAttach(p.MultiAttach);
    checkProvisionedIops(category, size!, p.ProvisionedIops);
    if (p.BurstingEnabled === true && category !== 'cloud_auto') {
      throw new EcsError('BurstingEnabledForDiskCategoryUnsupported', `The specified disk category ${category} does not support bursting enabled: only cloud_auto does.`);
    }
    checkZoneOffersDiskCategory(ctx.regionId, zoneId, category);
    const tags = tagsFromParams(p.Tag);
    if (tags.length > MAX_TAGS_PER_RESOURCE) throw new EcsError('QuotaExceed.Tags', `A disk can have at most ${MAX_TAGS_PER_RESOURCE} tags.`, 403);
    await checkDiskQuota(ctx, ctx.db);
    // A disk CreateDisk makes is pay-as-you-go: refused while the account is in arrears.
    await refuseIfInArrears(ctx, 400);
    if (instance) newDiskDevice(await disksOn(ctx.db, instance.id));
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const id = newId('d-');
    const now = ctx.now();
    return ctx.mutate(async (trx, enqueue) => {
      // Quota and device slot again, with the account (and the instance) locked for this transaction.
      await lockAccount(trx, ctx.principal.accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      await checkDiskQuota(ctx, trx);
      let device = '';
      if (instance) {
        await lockRow(trx, 'instances', instance.id);
        device = newDiskDevice(await disksOn(trx, instance.id));
      }
      // The source snapshot locked (DeleteSnapshot takes it too): deleted meanwhile, it is not found.
      if (snapshotId && !(await lockRow(trx, 'snapshots', snapshotId))) throw new EcsError('InvalidSnapshotId.NotFound', `The specified snapshot "${snapshotId}" does not exist.`);
      await onViolation(UNIQUE.diskDevice, () => deviceInUse(device), () => trx.insertInto('disks').values({
        id, account_id: ctx.principal.accountId, region_id: ctx.regionId, zone_id: zoneId,
        instance_id: instance?.id ?? '', type: 'data', category, size: size!, name: p.DiskName ?? '', description: p.Description ?? '',
        status: 'Creating', device, delete_with_instance: instance ? 1 : 0, delete_auto_snapshot: 1, enable_auto_snapshot: 0,
        image_id: '', source_snapshot_id: snapshotId, performance_level: performanceLevel, encrypted: p.Encrypted === true ? 1 : 0,
        provisioned_iops: category === 'cloud_auto' ? p.ProvisionedIops ?? 0 : 0, bursting_enabled: p.BurstingEnabled === true ? 1 : 0,
        portable: 1, resource_group_id: resourceGroupId, created_at: now, attached_at: instance ? now : null, detached_at: null,
      }).execute());
      await trx.insertInto('transitions').values({ resource_id: id, from_status: '', to_status: 'Creating', at: now }).execute();
      await putTags(trx, { accountId: ctx.principal.accountId, regionId: ctx.regionId, resourceType: 'disk', resourceId: id }, tags);
      await enqueue({ kind: 'disk', resourceId: id, dueAt: transitionDue(ctx) });
      // The answer is returned from the transaction: it is what a ClientToken replays.
      return { DiskId: id, OrderId: '' };
    });
  },

  async AttachDisk(ctx, p) {
    const instance = await requireInstance(ctx, p.InstanceId);
    const d = await requireDisk(ctx, p.DiskId);
    checkAttach(instance, d);
    attachDevice(d, await disksOn(ctx.db, instance.id), p.Device);
    if (p.KeyPairName && !(await keyPairExists(ctx, p.KeyPairName))) throw new EcsError('InvalidKeyPairName.NotFound', `The specified KeyPairName "${p.KeyPairName}" does not exist.`, 404);
    if (p.Password) checkPassword(p.Password, instance.os_type === 'windows' ? 'windows' : 'linux');
    const now = ctx.now();
    await ctx.mutate(async (trx, enqueue) => {
      // The checks again, on rows locked for this transaction: a concurrent attach of this disk,
      // or of another disk to this instance's slots, may have committed since the first look.
      const { inst, disk } = await lockedPair(ctx, trx, instance.id, d.id);
      checkAttach(inst, disk);
      const device = attachDevice(disk, await disksOn(trx, inst.id), p.Device);
      const patch: Partial<DiskRow> = { instance_id: inst.id, device, attached_at: now };
      if (p.DeleteWithInstance !== undefined) patch.delete_with_instance = p.DeleteWithInstance ? 1 : 0;
      const moved = await onViolation(UNIQUE.diskDevice, () => deviceInUse(device), () => setDiskStatus(trx, disk, 'Attaching', now, patch));
      if (!moved) throw incorrectDiskStatus(disk, 'attaching: the disk must be Available');
      await enqueue({ kind: 'disk', resourceId: d.id, dueAt: transitionDue(ctx) });
      return {};
    });
    return {};
  },

  async DetachDisk(ctx, p) {
    const instance = await requireInstance(ctx, p.InstanceId);
    const d = await requireDisk(ctx, p.DiskId);
    checkDetach(instance, d);
    const now = ctx.now();
    await ctx.mutate(async (trx, enqueue) => {
      const { inst, disk } = await lockedPair(ctx, trx, instance.id, d.id);
      checkDetach(inst, disk);
      const patch: Partial<DiskRow> = {};
      if (p.DeleteWithInstance !== undefined) patch.delete_with_instance = p.DeleteWithInstance ? 1 : 0;
      if (!(await setDiskStatus(trx, disk, 'Detaching', now, patch))) throw incorrectDiskStatus(disk, 'detaching: the disk must be In_use');
      await enqueue({ kind: 'disk', resourceId: d.id, dueAt: transitionDue(ctx) });
      return {};
    });
    return {};
  },

  async DeleteDisk(ctx, p) {
    const d = await requireDisk(ctx, p.DiskId);
    if (d.status === 'In_use' || d.status === 'Attaching' || d.status === 'Detaching') {
      throw incorrectDiskStatus(d, 'deletion: detach the disk first (the disk must be Available)');
    }
    if (!diskStatusAllows('Delete', d.status)) throw incorrectDiskStatus(d, 'deletion');
    if (await unfinishedSnapshot(ctx, d.id)) throw new EcsError('DiskCreatingSnapshot', 'The operation is denied due to a snapshot of the specified disk is not completed yet.');
    await ctx.mutate(async (trx, enqueue) => {
      // Locked and read again: an AttachDisk that committed since the check keeps the disk.
      await lockRow(trx, 'disks', d.id);
      const now = await getDisk(trx, ctx.principal.accountId, d.id);
      if (!now) throw new EcsError('InvalidDiskId.NotFound', `The specified disk "${d.id}" does not exist.`);
      if (now.status !== d.status) throw incorrectDiskStatus(now, 'deletion: detach the disk first (the disk must be Available)');
      // Its automatic snapshots may go with it (DeleteAutoSnapshot): each snapshot's operation looks.
      const snapshotIds = (await snapshotsOfDisk(trx, d.id)).map((s) => s.id);
      await deleteDiskRow(trx, d.id, ctx.now());
      await trx.insertInto('transitions').values({ resource_id: d.id, from_status: d.status, to_status: 'Deleted', at: ctx.now() }).execute();
      await enqueueFileRemoval(enqueue, ctx.now(), { diskIds: [d.id], snapshotIds });
      return {};
    });
    return {};
  },

  async ResizeDisk(ctx, p) {
    const d = await requireDisk(ctx, p.DiskId);
    const type: string = p.Type ?? 'offline';
    if (type !== 'offline' && type !== 'online') throw new EcsError('InvalidParam.Type', `The specified type "${type}" is not supported: use offline or online.`);
    if (!diskStatusAllows('Resize', d.status)) throw incorrectDiskStatus(d, 'resizing');
    const newSize: number = p.NewSize;
    if (newSize < d.size) throw new EcsError('InvalidDiskSize.TooSmall', `Specified new disk size ${newSize} GiB is less than the original disk size ${d.size} GiB.`);
    if (newSize === d.size) throw new EcsError('InvalidDiskSize', `Specified new disk size ${newSize} GiB is equal to the original disk size.`);
    const range = diskSizeRange(d.type === 'system' ? 'system' : 'data', d.category, d.performance_level || undefined);
    if (range && newSize > range.max) throw new EcsError('InvalidDiskSize.TooLarge', `Specified new disk size ${newSize} GiB is beyond the permitted range (at most ${range.max} GiB for ${d.category}).`);
    const inst = await checkAttachedInstance(ctx, d, 'Resize', 'resizing a disk');
    // A subscription disk keeps its size while its instance's renewal for configuration downgrade is planned.
    if (inst && d.charge_type === 'PrePaid') refuseWithDowngradePlan(inst, 'InvalidOperation.InstanceRenewWithDowngradeInPlan');
    if (type === 'online') {
      if (!ONLINE_RESIZE_CATEGORIES.has(d.category)) throw new EcsError('InvalidDiskCategory.NotSupported', `The disk category ${d.category} does not support resizing online.`);
      if (inst && inst.status !== 'Running') throw new EcsError('InvalidInstanceStatus.NotRunning', 'The status of instance to which the disk attachs must be running when resizing online.');
    }
    if (await unfinishedSnapshot(ctx, d.id)) throw new EcsError('DiskCreatingSnapshot', 'The operation is denied due to a snapshot of the specified disk is not completed yet.');
    return ctx.mutate(async (trx, enqueue) => {
      // The bytes grow in the engine (disk-content); an instance does not boot from the disk before.
      if (!(await requestResize(trx, d, newSize))) throw new EcsError('IncorrectDiskStatus', `The disk ${d.id} changed while being resized; try again.`, 403);
      await enqueue({ kind: DISK_CONTENT, resourceId: d.id, dueAt: ctx.now() });
      return { OrderId: '' };
    });
  },

  async ReInitDisk(ctx, p) {
    const d = await requireDisk(ctx, p.DiskId);
    if (!diskStatusAllows('ReInit', d.status)) throw incorrectDiskStatus(d, 're-initialization: the disk must be In_use');
    const inst = await checkAttachedInstance(ctx, d, 'ReInit', 're-initializing a disk (the instance must be Stopped)');
    if (await unfinishedSnapshot(ctx, d.id)) throw new EcsError('DiskCreatingSnapshot', 'The operation is denied due to a snapshot of the specified disk is not completed yet.');
    if (d.type === 'system' && d.image_id && !findSystemImage(d.image_id)) {
      // 004:L35, L61: once the image is deleted or unshared, re-initializing fails.
      const usable = await findUsableImage(ctx.db, ctx.principal.accountId, d.region_id, d.image_id);
      if (!usable) {
        const any = await getImageAny(ctx.db, d.image_id);
        if (any && any.account_id !== ctx.principal.accountId) {
          throw new EcsError('SharedImageDeleted', `The image ${d.image_id} shared by another account was deleted or is no longer shared with you; the system disk cannot be re-initialized.`);
        }
        throw new EcsError('InvalidDiskId.OperationNotSupported', `The operation is not supported due to image ${d.image_id} not exist.`);
      }
    }
    if (d.type === 'data' && d.source_snapshot_id) {
      const snap = await ctx.db.selectFrom('snapshots').select('id').where('id', '=', d.source_snapshot_id).executeTakeFirst();
      if (!snap) throw new EcsError('InvalidSourceSnapshot', `The snapshot ${d.source_snapshot_id} which is used to create the specified disk has been deleted.`);
    }
    if (p.Password) {
      if (d.type !== 'system') throw new EcsError('InvalidParameter', 'Password applies to re-initializing a system disk only.', 400);
      checkPassword(p.Password, inst?.os_type === 'windows' ? 'windows' : 'linux');
    }
    if (p.KeyPairName) {
      if (inst?.os_type === 'windows') throw new EcsError('DependencyViolation.WindowsInstance', 'The instance creating is windows, cannot use ssh key pair to login.');
      if (!(await keyPairExists(ctx, p.KeyPairName))) throw new EcsError('InvalidKeyPairName.NotFound', `The specified KeyPairName "${p.KeyPairName}" does not exist.`);
    }
    const now = ctx.now();
    await ctx.mutate(async (trx, enqueue) => {
      if (!(await setDiskStatus(trx, d, 'ReIniting', now))) throw incorrectDiskStatus(d, 're-initialization: the disk must be In_use');
      await dropReset(trx, d.id);
      if (inst && p.KeyPairName) await trx.updateTable('instances').set({ key_pair_name: p.KeyPairName }).where('id', '=', inst.id).execute();
      // ReIniting itself is the intent (the disk reconciler discards the bytes): nothing rides on the operation.
      await enqueue({ kind: 'disk', resourceId: d.id, dueAt: transitionDue(ctx) });
      return {};
    });
    return {};
  },

  async ResetDisk(ctx, p) {
    const d = await requireDisk(ctx, p.DiskId);
    const snap = await requireSnapshot(ctx, p.SnapshotId);
    if (!diskStatusAllows('Reset', d.status)) throw incorrectDiskStatus(d, 'rolling back');
    await checkAttachedInstance(ctx, d, 'Reset', 'rolling back a disk (the instance must be Stopped, 000:L1206)');
    // 000:L1000: a snapshot of another disk (or of the disk this one replaced) cannot roll it back.
    if (snap.source_disk_id !== d.id) throw new EcsError('InvalidParameter.Mismatch', `The specified snapshot ${snap.id} is not created from the specified disk ${d.id}.`);
    if (snap.status !== 'accomplished') throw new EcsError('InvalidSnapshotId.NotReady', `The specified snapshot ${snap.id} has not completed yet.`);
    if (await unfinishedSnapshot(ctx, d.id)) throw new EcsError('IncorrectDiskStatus.HasUnfinishedSnapshot', 'The current disk has unfinished snapshot.');
    await ctx.mutate(async (trx, enqueue) => {
      // The disk, then the snapshot, shared (store/row-locks.ts order): a concurrent DeleteSnapshot
      // waits and then sees the rollback pending (the snapshot's file stays until the engine has
      // rolled back to it), or went first and the snapshot is not found here.
      await lockRow(trx, 'disks', d.id);
      await holdSnapshots(trx, [snap.id], (id) => new EcsError('InvalidSnapshotId.NotFound', `The specified snapshot "${id}" does not exist.`));
      // The bytes roll back in the engine (disk-content; qemu: a fresh overlay on the snapshot's
      // file); the instance does not boot from the disk before.
      if (!(await requestReset(trx, d, snap.id, ctx.now()))) throw incorrectDiskStatus(d, 'rolling back: it changed meanwhile; try again');
      await enqueue({ kind: DISK_CONTENT, resourceId: d.id, dueAt: ctx.now() });
      return {};
    });
    return {};
  },

  async ModifyDiskAttribute(ctx, p) {
    const many: string[] = p.DiskIds ?? [];
    if (p.DiskId && many.length) throw new EcsError('ParameterConflict.DiskIdAndDiskIds', 'Specified parameter DiskId and DiskIds conflict, only one can be chosen.');
    const ids = p.DiskId ? [p.DiskId] : many;
    if (ids.length === 0) throw new EcsError('MissingParameter.DiskIdOrDiskIds', 'Specified parameter DiskId or DiskIds is missing.');
    checkDiskName(p.DiskName);
    checkDescription(p.Description);
    const patch: Partial<DiskRow> = {};
    if (p.DiskName !== undefined) patch.name = p.DiskName;
    if (p.Description !== undefined) patch.description = p.Description;
    if (p.DeleteWithInstance !== undefined) patch.delete_with_instance = p.DeleteWithInstance ? 1 : 0;
    if (p.DeleteAutoSnapshot !== undefined) patch.delete_auto_snapshot = p.DeleteAutoSnapshot ? 1 : 0;
    if (p.EnableAutoSnapshot !== undefined) patch.enable_auto_snapshot = p.EnableAutoSnapshot ? 1 : 0;
    if (p.BurstingEnabled !== undefined) patch.bursting_enabled = p.BurstingEnabled ? 1 : 0;
    if (Object.keys(patch).length === 0) throw new EcsError('NoAttributeToModify', 'No attribute to be modified in this request.');
    const disks: DiskRow[] = [];
    for (const id of ids) disks.push(await requireDisk(ctx, id));
    for (const d of disks) {
      if (patch.delete_with_instance !== undefined && d.portable !== 1) throw new EcsError('DiskNotPortable', `The disk ${d.id} is not a portable disk.`);
      // Terraform sends its default (false) for every disk; only turning burst on needs ESSD AutoPL.
      if (patch.bursting_enabled === 1 && d.category !== 'cloud_auto') {
        throw new EcsError('BurstingEnabledForDiskCategoryUnsupported', `The disk ${d.id} (${d.category}) does not support bursting enabled: only cloud_auto does.`);
      }
    }
    await ctx.mutate(async (trx) => {
      for (const d of disks) await updateDisk(trx, d.id, patch);
      return {};
    });
    return {};
  },

  async ModifyDiskSpec(ctx, p) {
    const d = await requireDisk(ctx, p.DiskId);
    if (p.PerformanceControlOptions !== undefined) {
      throw new EcsError('InvalidPerformanceParameter.DiskNotInDedicatedStorageCluster', `The specified disk ${d.id} is not in a dedicated block storage cluster: PerformanceControlOptions cannot be modified.`, 403);
    }
    if (d.status !== 'In_use' && d.status !== 'Available') {
      throw new EcsError('InvalidStatus.DiskNotReady', `This specified disk is not ready (${d.status}): its status needs to be either In_use or Available.`, 403);
    }
    const change = planDiskSpec(
      { kind: d.type === 'system' ? 'system' : 'data', category: d.category, performanceLevel: d.performance_level, provisionedIops: d.provisioned_iops, size: d.size },
      { category: p.DiskCategory || undefined, performanceLevel: p.PerformanceLevel || undefined, provisionedIops: p.ProvisionedIops },
    );
    if (change.categoryChanged) {
      try {
        checkZoneOffersDiskCategory(d.region_id, d.zone_id, change.category);
      } catch {
        throw new EcsError('InvalidDiskCategory.NotSupported', `The specified disk category ${change.category} is not offered in the disk's zone ${d.zone_id}.`, 403);
      }
      if (d.instance_id && d.status === 'In_use') {
        const inst = await getInstance(ctx.db, ctx.principal.accountId, d.instance_id);
        if (inst) checkTypeTakesDiskCategory(inst.instance_type, change.category);
      }
    }
    if (d.instance_id && d.charge_type === 'PrePaid') {
      // A subscription disk keeps its spec while its instance's renewal for configuration downgrade is planned.
      const inst = await getInstance(ctx.db, ctx.principal.accountId, d.instance_id);
      if (inst) refuseWithDowngradePlan(inst, 'InvalidOperation.InstanceRenewWithDowngradeInPlan');
    }
    if (await unfinishedSnapshot(ctx, d.id)) throw new EcsError('DiskCreatingSnapshot', 'The operation is denied due to a snapshot of the specified disk is not completed yet.');
    await ctx.mutate(async (trx) => {
      const patch: Partial<DiskRow> = { category: change.category, performance_level: change.performanceLevel, provisioned_iops: change.provisionedIops };
      if (change.category !== 'cloud_auto') patch.bursting_enabled = 0;
      if (!(await updateDiskIfStatus(trx, d.id, d.status, patch))) {
        throw new EcsError('IncorrectDiskStatus', `The disk ${d.id} changed its status while being modified; try again.`, 403);
      }
      return {};
    });
    // The change applies at once (no task to follow), so no TaskId is answered; OrderId is for subscription disks only.
    return {};
  },

  async DescribeDisks(ctx, p) {
    const page = pageOf(p, { defaultSize: 10, maxSize: 100, maxResultsMax: 500, maxResultsDefault: 10 });
    const f = await describeFilter(ctx, p);
    if (ctx.dryRun) throw new EcsError('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    const [total, rows] = await Promise.all([countDisks(ctx.db, f), listDisks(ctx.db, f, page.offset, page.limit)]);
    const ids = rows.map((r) => r.id);
    const [policies, tags] = await Promise.all([policiesOfDisks(ctx.db, ids), tagsOf(ctx.db, ids)]);
    return {
      ...pageFields(page, rows.length, total),
      Disks: { Disk: rows.map((r) => diskItem(r, policies.get(r.id), tags.get(r.id))) },
    };
  },
});
