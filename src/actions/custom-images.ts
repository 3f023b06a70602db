/**
 * Custom images: CreateImage (InstanceId > DiskDeviceMapping > SnapshotId), ModifyImageAttribute,
 * DeleteImage, CopyImage / CancelCopyImage, sharing (ModifyImageSharePermission,
 * DescribeImageSharePermission, seed 004), ReplaceSystemDisk, and the custom and shared items
 * DescribeImages lists (see images.ts `candidateImages`).
 */
import { EcsError } from '../domain/errors.js';
import { refuseIfExpiryLocked } from './expiry-lock.js';
import type { Params } from '../api/params.js';
import { checkDiskSize, checkImageFitsType as fits, findInstanceType, findRegion, findSystemImage, isKnownRegion } from '../domain/catalog/index.js';
import { newId } from '../domain/ids.js';
import { checkPassword } from '../domain/instances/password.js';
import { SYSTEM_DEVICE } from '../domain/storage/disks.js';
import { mappingSize, planMappings, type MappingInput } from '../domain/storage/images.js';
import { isValidDescription, isValidName } from '../domain/storage/names.js';
import { MAX_SHARE_ACCOUNTS_PER_CALL } from '../domain/storage/quotas.js';
import { progressText, snapshotDurationMs } from '../domain/storage/snapshots.js';
import { MAX_TAGS_PER_RESOURCE, tagsFromParams, type Tag } from '../domain/tags.js';
import { isoSecond } from '../domain/time.js';
import {
  accountsExist, addShare, copiesInFlight, countInstancesUsingImage, countOwnImages, countSharedTo, getImageAny, getOwnImage, imageNameTaken,
  insertImage, listOwnImages, setImageStatus, listPublicImages, listSharedToMe, mappingsOf, removeShares, sharedImageIds, sharesOf, updateImage,
  findUsableImage, exportInProgress, deleteImageRow, type ImageRow, type Mapping,
} from '../store/images.js';
import { enqueueFileRemoval } from '../engine/disk-files.js';
import { deleteDiskRow, deleteSnapshots, disksOn, getDiskForEngine, getSnapshotsByIds, quotaOf, snapshotsOfDisk } from '../store/storage.js';
import { putTags, renderTags, tagsOf } from '../store/tags.js';
import { passwordSealer } from './instance-create.js';
import { requireInstance } from './instance-describe.js';
import { keyPairExists } from './launch-deps.js';
import { imageSystemSnapshot } from './launch-disks.js';
import { addSnapshot, checkCanSnapshot, lockDiskForSnapshot } from './snapshots.js';
import { requireSnapshot } from './storage-view.js';
import { ecsHandlers, type EcsResponse } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import { lockAccount, lockRow, lockRows } from '../store/row-locks.js';
import { holdImage, holdSnapshots } from './launch-holds.js';
import { getInstance } from '../store/instances.js';
import { UNIQUE, onViolation } from '../store/unique.js';
import { holdResourceGroup, resolveResourceGroup } from './resource-groups.js';

export interface ImageTraits { osType: 'linux' | 'windows'; osName: string; osNameEn: string; platform: string; architecture: string; bootMode: string; sizeGiB: number; nvme?: string }

/** OS traits of a system image or of any custom image (deleted ones too: instances still describe them). */
export async function imageTraits(ctx: Pick<ActionContext, 'db'>, id: string): Promise<ImageTraits | undefined> {
  const sys = findSystemImage(id);
  if (sys) return { osType: sys.osType, osName: sys.osName, osNameEn: sys.osNameEn, platform: sys.platform, architecture: sys.architecture, bootMode: sys.bootMode, sizeGiB: sys.sizeGiB, nvme: sys.nvme };
  const row = id ? await getImageAny(ctx.db, id) : undefined;
  if (!row) return undefined;
  return { osType: row.os_type === 'windows' ? 'windows' : 'linux', osName: row.os_name, osNameEn: row.os_name_en, platform: row.platform, architecture: row.architecture, bootMode: row.boot_mode, sizeGiB: row.size, nvme: row.nvme_support };
}

export function checkImageName(name: unknown, code = 'InvalidImageName.Malformed'): void {
  if (name === undefined || name === '') return;
  const s = String(name);
  if (!isValidName(s) || /^(aliyun|acs:)/i.test(s)) {
    throw new EcsError(code, 'The specified Image name is wrongly formed: 2 to 128 characters, starting with a letter or a Chinese character, not with aliyun or acs:, then letters, digits, ".", "_", "-" or ":".');
  }
}

export function checkImageDescription(d: unknown): void {
  if (d !== undefined && d !== '' && !isValidDescription(String(d))) {
    throw new EcsError('InvalidDescription.Malformed', 'The specified description is wrongly formed: 2 to 256 characters, not starting with http:// or https://.');
  }
}

async function requireOwnImage(ctx: ActionContext, id: string, regionId = ctx.regionId): Promise<ImageRow> {
  const row = id ? await getOwnImage(ctx.db, ctx.principal.accountId, regionId, id) : undefined;
  if (!row) {
    const why = findSystemImage(id) ? ' (a public image cannot be changed)' : '';
    throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${id}" does not exist among your custom images in ${regionId}${why}.`);
  }
  return row;
}

export async function checkImageQuota(ctx: ActionContext, regionId: string, q: Tx | ActionContext['db'] = ctx.db): Promise<void> {
  const quota = await quotaOf(q, ctx.principal.accountId, 'images-per-region');
  if (await countOwnImages(q, ctx.principal.accountId, regionId) >= quota) {
    throw new EcsError('QuotaExceed.Image', `The Image Quota exceeds: at most ${quota} custom images per region.`);
  }
}

function duplicateName(name: string): EcsError {
  return new EcsError('InvalidImageName.Duplicated', `The specified Image name "${name}" has already been used.`);
}

export async function checkNameFree(ctx: ActionContext, regionId: string, name: string, exceptId = '', q: Tx | ActionContext['db'] = ctx.db): Promise<void> {
  if (name && await imageNameTaken(q, ctx.principal.accountId, regionId, name, exceptId)) throw duplicateName(name);
}

/**
 * Inserts a new custom image (CreateImage, CopyImage, ImportImage). The quota and the name are
 * checked again here, inside the writing transaction with the account's row locked: two requests
 * that both passed the first look are serialised, the second counts the first's image. The unique
 * index on live names (migration 0014) answers for anything that still slips through.
 */
export async function insertNewImage(ctx: ActionContext, trx: Tx, row: ImageRow): Promise<void> {
  await lockAccount(trx, ctx.principal.accountId);
  await checkImageQuota(ctx, row.region_id, trx);
  await checkNameFree(ctx, row.region_id, row.name, '', trx);
  await onViolation(UNIQUE.imageName, () => duplicateName(row.name), () => insertImage(trx, row));
}

export function baseImageRow(ctx: ActionContext, p: Params, id: string, regionId: string, traits: ImageTraits, mappings: Mapping[], now: number): ImageRow {
  const system = mappings.find((m) => m.type === 'system');
  return {
    id, account_id: ctx.principal.accountId, region_id: regionId, name: p.ImageName ?? '', description: p.Description ?? '',
    family: p.ImageFamily ?? '', version: p.ImageVersion ?? '', os_type: traits.osType, os_name: traits.osName, os_name_en: traits.osNameEn,
    platform: traits.platform, architecture: traits.architecture, boot_mode: p.BootMode ?? traits.bootMode, status: 'Creating',
    license_type: typeof p.LicenseType === 'string' ? p.LicenseType : '', nvme_support: traits.nvme ?? 'unsupported',
    size: system?.size ?? traits.sizeGiB, source_instance_id: '', source_image_id: '', source_region_id: '', mappings: JSON.stringify(mappings),
    import_task_id: '', is_copied: 0, is_public: 0, resource_group_id: p.ResourceGroupId ?? '', created_at: now, completes_at: now, deleted_at: null,
  };
}

/** Traits for an image made from snapshots: the source disk's image if known, else Platform/Architecture. */
async function traitsFromSnapshot(ctx: ActionContext, diskId: string, p: Params): Promise<ImageTraits> {
  const disk = await getDiskForEngine(ctx.db, diskId);
  const fromDisk = disk?.image_id ? await imageTraits(ctx, disk.image_id) : undefined;
  if (fromDisk && !p.Platform && !p.Architecture) return fromDisk;
  const arch = p.Architecture ?? fromDisk?.architecture ?? 'x86_64';
  if (!['x86_64', 'i386', 'arm64'].includes(arch)) throw new EcsError('InvalidArchitecture.Malformed', `The specified Architecture "${arch}" is wrongly formed: use x86_64, i386 or arm64.`);
  const platform = p.Platform ?? fromDisk?.platform ?? 'Others Linux';
  const windows = /windows/i.test(platform);
  return { osType: windows ? 'windows' : 'linux', osName: fromDisk?.osName ?? platform, osNameEn: fromDisk?.osNameEn ?? platform, platform, architecture: arch, bootMode: fromDisk?.bootMode ?? 'BIOS', sizeGiB: fromDisk?.sizeGiB ?? 20 };
}

export type DescribedImage = NonNullable<NonNullable<EcsResponse<'DescribeImages'>['Images']>['Image']>[number];

/** Renders a custom image as a DescribeImages item: `self` for the owner, `others` for receivers. */
export function customImageItem(r: ImageRow, alias: 'self' | 'others', extra: { shared: boolean; inUse: boolean; tags?: Tag[]; now: number; progress?: string }): DescribedImage {
  const mappings = mappingsOf(r);
  return {
    ImageId: r.id, ImageName: r.name, ImageFamily: r.family, ImageVersion: r.version, Description: r.description,
    ImageOwnerAlias: alias, ImageOwnerId: Number(r.account_id), OSType: r.os_type, OSName: r.os_name, OSNameEn: r.os_name_en,
    Platform: r.platform, Architecture: r.architecture, Size: r.size, Status: r.status,
    // Deprecated images still launch instances (ModifyImageAttribute Status); Terraform waits for Usable.
    Usable: r.status === 'Available' || r.status === 'Deprecated',
    Progress: r.status === 'Creating' ? (extra.progress ?? progressText('progressing', r.created_at, r.completes_at, extra.now)) : r.status === 'Available' ? '100%' : '0%',
    CreationTime: isoSecond(r.created_at), Usage: extra.inUse ? 'instance' : 'none',
    IsSupportCloudinit: r.os_type === 'linux', IsSupportIoOptimized: true, IsSubscribed: false, IsCopied: r.is_copied === 1,
    IsSelfShared: alias === 'self' ? (extra.shared ? 'True' : 'False') : '', IsPublic: r.is_public === 1, ProductCode: '',
    ResourceGroupId: r.resource_group_id, SupplierName: '', BootMode: r.boot_mode, LoginAsNonRootSupported: false,
    Features: { NvmeSupport: r.nvme_support || 'unsupported' }, DetectionOptions: { Status: '', Items: { Item: [] } },
    DiskDeviceMappings: {
      DiskDeviceMapping: mappings.map((m) => ({
        Device: m.device, Type: m.type, Size: String(m.size), SnapshotId: m.snapshotId, Format: m.format ?? '',
        ImportOSSBucket: m.ossBucket ?? '', ImportOSSObject: m.ossObject ?? '', Progress: r.status === 'Available' ? '100%' : '', RemainTime: 0,
      })),
    },
    Tags: renderTags(extra.tags),
  };
}

/** The custom images the caller sees for the aliases (`self`: its own, `others`: shared to it, and community with IsPublic). */
export async function customImageItems(ctx: ActionContext, aliases: string[], includePublic = false): Promise<Record<string, any>[]> {
  const own = aliases.includes('self') ? await listOwnImages(ctx.db, ctx.principal.accountId, ctx.regionId) : [];
  const others = aliases.includes('others') ? await listSharedToMe(ctx.db, ctx.principal.accountId, ctx.regionId) : [];
  if (includePublic) others.push(...(await listPublicImages(ctx.db, ctx.principal.accountId, ctx.regionId)).filter((r) => !others.some((o) => o.id === r.id)));
  const ids = [...own, ...others].map((r) => r.id);
  const [shared, tags] = await Promise.all([sharedImageIds(ctx.db, own.map((r) => r.id)), tagsOf(ctx.db, ids)]);
  const now = ctx.now();
  const out: Record<string, any>[] = [];
  for (const r of own) out.push(customImageItem(r, 'self', { shared: shared.has(r.id), inUse: await countInstancesUsingImage(ctx.db, r.id) > 0, tags: tags.get(r.id), now }));
  for (const r of others) out.push(customImageItem(r, 'others', { shared: false, inUse: false, tags: tags.get(r.id), now }));
  return out;
}

async function createFromInstance(ctx: ActionContext, p: Params) {
  const inst = await requireInstance(ctx, p.InstanceId);
  if (!['Running', 'Stopped'].includes(inst.status)) {
    throw new EcsError('IncorrectInstanceStatus', `The current status of the instance (${inst.status}) does not support creating an image: it must be Running or Stopped.`);
  }
  const disks = (await disksOn(ctx.db, inst.id)).filter((d) => d.status === 'In_use');
  if (!disks.some((d) => d.type === 'system')) throw new EcsError('InvalidInstance.NotFoundSystemDisk', 'The specified instance does not have system disk.');
  for (const d of disks) await checkCanSnapshot(ctx, d);
  const traits = (await imageTraits(ctx, inst.image_id)) ?? { osType: inst.os_type === 'windows' ? 'windows' : 'linux', osName: inst.os_name, osNameEn: inst.os_name, platform: '', architecture: 'x86_64', bootMode: 'BIOS', sizeGiB: 20 };
  return { inst, disks, traits };
}

/** DeleteImage's rules, checked to answer early and again in its transaction with the image's row locked. */
async function checkImageDeletable(ctx: ActionContext, image: ImageRow, force: boolean, q: Tx | ActionContext['db'] = ctx.db): Promise<void> {
  if (image.is_copied === 1 && image.status === 'Creating') throw new EcsError('OperationDenied.ImageCopying', 'The Image is coping: cancel the copy with CancelCopyImage.');
  if ((await copiesInFlight(q, image.id)).length) throw new EcsError('OperationDenied.ImageCopying', 'The Image is coping to another region.');
  if (image.import_task_id && (image.status === 'Waiting' || image.status === 'Creating')) throw new EcsError('ImageIsImporting', 'The specified Image is importing: cancel the import with CancelTask first.');
  if (await exportInProgress(q, image.id)) throw new EcsError('ImageIsExporting', 'The specified Image is exporting.');
  if (image.is_public === 1 && !force) throw new EcsError('ImageIsPublic', 'You can not delete public image, please modify it to private.');
  // 004:L31: "first you need to remove all of the relationships for that custom mirror" (or Force).
  if (!force && (await sharesOf(q, image.id)).length) throw new EcsError('ImageUseShared', 'The specified image has been shared to others; remove the shared accounts first or set Force=true.');
  // 000:L1894: instances created from the image block deletion unless forced.
  if (!force && await countInstancesUsingImage(q, image.id) > 0) throw new EcsError('ImageUsingByInstance', 'The specified image has been used to create instances; set Force=true to delete it anyway.');
}

export const customImageActions = ecsHandlers({
  async CreateImage(ctx, p) {
    checkImageName(p.ImageName);
    checkImageDescription(p.Description);
    if (p.ImageFamily && (!isValidName(p.ImageFamily) || /^(aliyun|acs:)/i.test(p.ImageFamily))) throw new EcsError('InvalidImageFamily.Malformed', 'The format of the specified image family is invalid.');
    const tags = tagsFromParams(p.Tag);
    if (tags.length > MAX_TAGS_PER_RESOURCE) throw new EcsError('QuotaExceed.Tags', `An image can have at most ${MAX_TAGS_PER_RESOURCE} tags.`, 403);
    const ddm: MappingInput[] = p.DiskDeviceMapping ?? [];
    if (!p.InstanceId && ddm.length === 0 && !p.SnapshotId) {
      throw new EcsError('MissingParameter', 'The input parameter SnapshotId or InstanceId or DiskDeviceMapping that is mandatory for processing this request is not supplied.');
    }
    await checkImageQuota(ctx, ctx.regionId);
    await checkNameFree(ctx, ctx.regionId, p.ImageName ?? '');
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const id = newId('m-');
    const now = ctx.now();

    if (p.InstanceId) {
      // 000:L1553: "snapshots are automatically created for all disks of the instance".
      const plan = await createFromInstance(ctx, p);
      return ctx.mutate(async (trx, enqueue) => {
        // The account first (the image quota, insertNewImage), then each disk: lock order of store/row-locks.ts.
        await lockAccount(trx, ctx.principal.accountId);
        await holdResourceGroup(ctx, trx, resourceGroupId);
        const mappings: Mapping[] = [];
        for (const planned of plan.disks) {
          // Each disk's snapshot checks again with its row locked (one in progress, the per-disk quota).
          const d = await lockDiskForSnapshot(ctx, trx, planned.id);
          const durationMs = await checkCanSnapshot(ctx, d, trx);
          const s = await addSnapshot(trx, {
            accountId: ctx.principal.accountId, regionId: ctx.regionId, disk: d, type: 'user', name: '',
            description: `Created for image ${id}`, retentionDays: 0, createdAt: now, durationMs, imageId: id,
          });
          // Due now: the bytes are frozen when the image is asked for (see CreateSnapshot).
          await enqueue({ kind: 'snapshot', resourceId: s.id, dueAt: now });
          mappings.push({ device: d.device, type: d.type === 'system' ? 'system' : 'data', size: d.size, snapshotId: s.id });
        }
        const row = baseImageRow(ctx, p, id, ctx.regionId, plan.traits, mappings, now);
        row.source_instance_id = plan.inst.id;
        row.resource_group_id = resourceGroupId;
        await insertNewImage(ctx, trx, row);
        await putTags(trx, { accountId: ctx.principal.accountId, regionId: ctx.regionId, resourceType: 'image', resourceId: id }, tags);
        await enqueue({ kind: 'image', resourceId: id, dueAt: now });
        return { ImageId: id };
      });
    }

    const plan = ddm.length ? planMappings(ddm) : planMappings([{ SnapshotId: p.SnapshotId, DiskType: 'system', Device: SYSTEM_DEVICE }]);
    const system = plan.find((m) => m.type === 'system');
    if (!system || !system.snapshotId) throw new EcsError('InvalidSystemSnapshot.Missing', 'A system disk snapshot (/dev/xvda) is required to create an image.');
    const mappings: Mapping[] = [];
    let traits: ImageTraits | undefined;
    for (const m of plan) {
      if (!m.snapshotId) { mappings.push({ device: m.device, type: m.type, size: m.size!, snapshotId: '' }); continue; }
      const s = await requireSnapshot(ctx, m.snapshotId);
      if (s.status !== 'accomplished') throw new EcsError('InvalidSnapshotId.NotReady', `The current status of the snapshot ${s.id} does not support this operation: it has not completed yet.`);
      // 000:L547–549: "Data disks cannot be used to create custom images" (the SnapshotId form).
      if (m.type === 'system' && !ddm.length && s.source_disk_type !== 'system') {
        throw new EcsError('OperationDenied', `The specified snapshot ${s.id} is not allowed to create image: it is a data disk snapshot; use a system disk snapshot.`);
      }
      if (m.type === 'system') traits = await traitsFromSnapshot(ctx, s.source_disk_id, p);
      mappings.push({ device: m.device, type: m.type, size: mappingSize(m.size, s.source_disk_size), snapshotId: s.id });
    }
    return ctx.mutate(async (trx, enqueue) => {
      // The account (insertNewImage's quota), then the source snapshots, locked: DeleteSnapshot
      // takes a snapshot's row to find it unused, so it either sees this image or it is gone here.
      await lockAccount(trx, ctx.principal.accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      const sources = [...new Set(mappings.map((m) => m.snapshotId).filter((s) => s !== ''))];
      const held = new Set(await lockRows(trx, 'snapshots', sources));
      const gone = sources.find((s) => !held.has(s));
      if (gone) throw new EcsError('InvalidSnapshotId.NotFound', `The specified snapshot "${gone}" does not exist.`);
      await insertNewImage(ctx, trx, { ...baseImageRow(ctx, p, id, ctx.regionId, traits!, mappings, now), resource_group_id: resourceGroupId });
      await putTags(trx, { accountId: ctx.principal.accountId, regionId: ctx.regionId, resourceType: 'image', resourceId: id }, tags);
      // Made of finished snapshots, the image is ready after one engine step.
      await enqueue({ kind: 'image', resourceId: id, dueAt: now + ctx.driver.transitionMs });
      await updateImage(trx, id, { completes_at: now + ctx.driver.transitionMs });
      return { ImageId: id };
    });
  },

  async ModifyImageAttribute(ctx, p) {
    const image = await requireOwnImage(ctx, p.ImageId);
    checkImageName(p.ImageName);
    checkImageDescription(p.Description);
    const patch: Partial<ImageRow> = {};
    if (p.ImageName !== undefined && p.ImageName !== '') {
      await checkNameFree(ctx, image.region_id, p.ImageName, image.id);
      patch.name = p.ImageName;
    }
    if (p.Description !== undefined) patch.description = p.Description;
    if (p.ImageFamily !== undefined) {
      if (p.ImageFamily && (!isValidName(p.ImageFamily) || /^(aliyun|acs:)/i.test(p.ImageFamily))) throw new EcsError('InvalidImageFamily.Malformed', 'The specified parameter "ImageFamily" is malformed.');
      patch.family = p.ImageFamily;
    }
    if (p.BootMode !== undefined) {
      if (!['BIOS', 'UEFI', 'UEFI-Preferred'].includes(p.BootMode)) throw new EcsError('InvalidBootMode.NotSupport', `The specified parameter BootMode "${p.BootMode}" is not supported.`);
      if (await countInstancesUsingImage(ctx.db, image.id) > 0) throw new EcsError('OperationDeined.ImageUsingByInstance', 'The boot mode of the image cannot be modified because it has associated instances.');
      patch.boot_mode = p.BootMode;
    }
    if (p.LicenseType !== undefined && p.LicenseType !== '') {
      // "当前仅支持BYOL" (ModifyImageAttribute LicenseType).
      if (p.LicenseType !== 'BYOL') throw new EcsError('InvalidLicenseType.NotSupported', `The specified parameter LicenseType "${p.LicenseType}" is not supported: only BYOL is.`);
      patch.license_type = p.LicenseType;
    }
    const nvme = (p.Features as { NvmeSupport?: string } | undefined)?.NvmeSupport;
    if (nvme !== undefined && nvme !== '') {
      if (nvme !== 'supported' && nvme !== 'unsupported') throw new EcsError('InvalidParameter', `The specified parameter "Features.NvmeSupport" (${nvme}) is not valid: use supported or unsupported.`, 400);
      patch.nvme_support = nvme;
    }
    if (p.Status !== undefined) {
      if (p.Status === 'Deprecated') {
        if (image.status !== 'Available') throw new EcsError('ImageStatus.NotAvailable', 'The specified image status is not available.');
        if ((await sharesOf(ctx.db, image.id)).length) throw new EcsError('ImageUseShared', 'The specified image has been shared to others, please remove shared accounts first.');
      } else if (p.Status === 'Available') {
        if (image.status !== 'Deprecated') throw new EcsError('ImageStatus.NotDeprecated', 'The specified image status is not deprecated.');
      } else throw new EcsError('InvalidParameter', `The specified Status "${p.Status}" is not valid: use Deprecated or Available.`, 400);
      patch.status = p.Status;
    }
    if (Object.keys(patch).length) {
      await ctx.mutate(async (trx) => {
        await onViolation(UNIQUE.imageName, () => duplicateName(patch.name ?? ''), async () => {
          const { status, ...rest } = patch;
          if (status === undefined) return updateImage(trx, image.id, rest);
          // Deprecated ↔ Available, compare-and-set against the status checked above.
          if (!(await setImageStatus(trx, image, status, ctx.now(), rest))) {
            throw status === 'Deprecated'
              ? new EcsError('ImageStatus.NotAvailable', 'The specified image status is not available.')
              : new EcsError('ImageStatus.NotDeprecated', 'The specified image status is not deprecated.');
          }
        });
        return {};
      });
    }
    return {};
  },

  async DeleteImage(ctx, p) {
    const image = await requireOwnImage(ctx, p.ImageId);
    const force = p.Force === true;
    await checkImageDeletable(ctx, image, force);
    await ctx.mutate(async (trx) => {
      // Again with the image's row locked: RunInstances, CreateInstance, ReplaceSystemDisk and
      // CopyImage hold it until they commit (launch-holds.ts), so their instances and copies count here.
      const locked = await lockRow(trx, 'images', image.id) ? await getOwnImage(trx, ctx.principal.accountId, image.region_id, image.id) : undefined;
      if (!locked) throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${image.id}" does not exist among your custom images in ${image.region_id}.`);
      await checkImageDeletable(ctx, locked, force, trx);
      await removeShares(trx, image.id);
      await trx.deleteFrom('tags').where('resource_id', '=', image.id).execute();
      await updateImage(trx, image.id, { deleted_at: ctx.now(), is_public: 0 });
      await trx.insertInto('transitions').values({ resource_id: image.id, from_status: locked.status, to_status: 'Deleted', at: ctx.now() }).execute();
      return {};
    });
    return {};
  },

  async CopyImage(ctx, p) {
    const dest: string | undefined = p.DestinationRegionId;
    if (!dest) throw new EcsError('MissingParameter', 'The input parameter "DestinationRegionId" that is mandatory for processing this request is not supplied.');
    if (!isKnownRegion(dest)) throw new EcsError('DestinationRegion.NotFound', `The destination region "${dest}" not found.`);
    const own = await getOwnImage(ctx.db, ctx.principal.accountId, ctx.regionId, p.ImageId);
    if (!own) {
      if (await findUsableImage(ctx.db, ctx.principal.accountId, ctx.regionId, p.ImageId)) {
        throw new EcsError('OperationDenied.SameRegionOnly', 'The image shared from others can not be copied to another region directly (004:L25).');
      }
      throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${p.ImageId}" does not exist among your custom images (000:L1596: only custom images can be copied).`);
    }
    if (own.status !== 'Available') throw new EcsError('IncorrectImageStatus', `The image not available (status ${own.status}).`);
    checkImageName(p.DestinationImageName);
    checkImageDescription(p.DestinationDescription);
    if ((await copiesInFlight(ctx.db, own.id)).some((c) => c.region_id === dest)) throw new EcsError('OperationDenied.ImageCopying', `The image ${own.id} is already being copied to ${dest}.`);
    await checkImageQuota(ctx, dest);
    const name = p.DestinationImageName ?? own.name;
    await checkNameFree(ctx, dest, name);
    const tags = tagsFromParams(p.Tag);
    const resourceGroupId = await resolveResourceGroup(ctx, p.ResourceGroupId);
    const id = newId('m-');
    const now = ctx.now();
    // 000:L1606: "A snapshot and a custom image will be automatically created in the target region".
    const duration = snapshotDurationMs(ctx.driver.transitionMs, true);
    const sources = await getSnapshotsByIds(ctx.db, mappingsOf(own).map((m) => m.snapshotId).filter(Boolean));
    return ctx.mutate(async (trx, enqueue) => {
      // The account (insertNewImage's quota), the group, then the source image, locked and read
      // again (a DeleteImage waits, then sees this copy in flight; a second copy to the same region
      // sees this one), then its snapshots, shared: none is deleted under the copy.
      await lockAccount(trx, ctx.principal.accountId);
      await holdResourceGroup(ctx, trx, resourceGroupId);
      const source = await lockRow(trx, 'images', own.id) ? await getOwnImage(trx, ctx.principal.accountId, ctx.regionId, own.id) : undefined;
      if (!source) throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${own.id}" does not exist (it was deleted meanwhile).`);
      if (source.status !== 'Available') throw new EcsError('IncorrectImageStatus', `The image not available (status ${source.status}).`);
      if ((await copiesInFlight(trx, own.id)).some((c) => c.region_id === dest)) throw new EcsError('OperationDenied.ImageCopying', `The image ${own.id} is already being copied to ${dest}.`);
      await holdSnapshots(trx, sources.map((s) => s.id), (id) => new EcsError('InvalidSnapshotId.NotFound', `The snapshot ${id} of the image ${own.id} does not exist.`));
      const mappings: Mapping[] = [];
      for (const m of mappingsOf(own)) {
        const src = sources.find((s) => s.id === m.snapshotId);
        if (!src) { mappings.push({ ...m, snapshotId: '' }); continue; }
        const s = await addSnapshot(trx, {
          accountId: ctx.principal.accountId, regionId: dest,
          disk: { id: src.source_disk_id, type: src.source_disk_type, category: src.source_disk_category, size: src.source_disk_size, instance_id: src.source_instance_id },
          type: 'user', name: '', description: `Copied for image ${id} from ${src.id}`, retentionDays: 0, createdAt: now, durationMs: duration,
          imageId: id, sourceSnapshotId: src.id, sourceRegionId: src.region_id,
        });
        await enqueue({ kind: 'snapshot', resourceId: s.id, dueAt: s.completes_at });
        mappings.push({ ...m, snapshotId: s.id });
      }
      await insertNewImage(ctx, trx, {
        ...own, id, region_id: dest, name, description: p.DestinationDescription ?? own.description, status: 'Creating',
        mappings: JSON.stringify(mappings), source_image_id: own.id, source_region_id: own.region_id, source_instance_id: '', is_copied: 1,
        is_public: 0, resource_group_id: resourceGroupId, created_at: now, completes_at: now + duration, deleted_at: null, import_task_id: '',
      });
      await putTags(trx, { accountId: ctx.principal.accountId, regionId: dest, resourceType: 'image', resourceId: id }, tags);
      await enqueue({ kind: 'image', resourceId: id, dueAt: now + duration });
      return { ImageId: id };
    });
  },

  async CancelCopyImage(ctx, p) {
    const image = await requireOwnImage(ctx, p.ImageId);
    if (image.is_copied !== 1) throw new EcsError('ImageCreatedNotFromCopy', 'The specified image is not the target image of a copy action.');
    if (image.status !== 'Creating') throw new EcsError('IncorrectImageStatus', `The specified image is not being copied (status ${image.status}).`);
    // 002:L2389: cancelling deletes the image record from the target region.
    await ctx.mutate(async (trx) => {
      const snaps = mappingsOf(image).map((m) => m.snapshotId).filter(Boolean);
      await deleteSnapshots(trx, snaps);
      await trx.deleteFrom('tags').where('resource_id', '=', image.id).execute();
      await deleteImageRow(trx, image.id);
      await trx.insertInto('transitions').values({ resource_id: image.id, from_status: image.status, to_status: 'Cancelled', at: ctx.now() }).execute();
      return {};
    });
    return {};
  },

  async ModifyImageSharePermission(ctx, p) {
    const add: string[] = [...new Set<string>((p.AddAccount ?? []).map(String).filter(Boolean))];
    const remove: string[] = [...new Set<string>((p.RemoveAccount ?? []).map(String).filter(Boolean))];
    if (add.length > MAX_SHARE_ACCOUNTS_PER_CALL || remove.length > MAX_SHARE_ACCOUNTS_PER_CALL) {
      throw new EcsError('InvalidParameter', `AddAccount.N and RemoveAccount.N take at most ${MAX_SHARE_ACCOUNTS_PER_CALL} accounts each per call.`, 400);
    }
    if (p.LaunchPermission !== undefined && (add.length || remove.length)) {
      throw new EcsError('UnnecessaryParameter.LaunchPermission', 'The specified parameter "LaunchPermission" is unnecessary if paramter "AddAccounts" or "RemoveAccounts" is specified.');
    }
    // 004:L27: only the owner shares; a receiver's call finds no image of its own.
    const own = await getOwnImage(ctx.db, ctx.principal.accountId, ctx.regionId, p.ImageId);
    if (!own) {
      const why = findSystemImage(p.ImageId) ? 'public images cannot be shared' : (await findUsableImage(ctx.db, ctx.principal.accountId, ctx.regionId, p.ImageId)) ? 'only the owner of a shared image can share it' : 'no such custom image';
      throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${p.ImageId}" does not exist among your custom images: ${why}.`);
    }
    if (own.status === 'Deprecated') throw new EcsError('OperationDenied.InvalidImageStatus', 'The specified image cannot be shared when it is deprecated.');
    if (add.includes(ctx.principal.accountId)) throw new EcsError('InvalidAccount.Forbbiden', 'The specified Account does not yourself: an image cannot be shared with its owner.');
    const known = await accountsExist(ctx.db, add);
    const unknown = add.filter((a) => !known.has(a));
    if (unknown.length) throw new EcsError('InvalidAccount.NotFound', `The specified parameter "AddAccount.n" (${unknown.join(', ')}) does not exist.`);
    /** The accounts to add that do not have the image yet, within both share quotas. */
    const plan = async (q: Tx | ActionContext['db']): Promise<string[]> => {
      const current = new Set((await sharesOf(q, own.id)).map((s) => s.account_id));
      const newcomers = add.filter((a) => !current.has(a));
      const after = new Set([...current, ...newcomers].filter((a) => !remove.includes(a)));
      const perImage = await quotaOf(q, ctx.principal.accountId, 'accounts-per-shared-image');
      if (after.size > perImage) throw new EcsError('QuotaExceed.ShareImageUser', `The shared Image user Quota exceeds: an image can be shared with at most ${perImage} accounts (004:L21).`);
      for (const a of newcomers) {
        const perReceiver = await quotaOf(q, a, 'shared-images-per-account');
        if (await countSharedTo(q, a, own.region_id) >= perReceiver) {
          throw new EcsError('QuotaExceed.ShareImage', `The shared Image Quota exceeds: account ${a} already has ${perReceiver} images shared to it (004:L19).`);
        }
      }
      return newcomers;
    };
    await plan(ctx.db);
    await ctx.mutate(async (trx) => {
      // Again with the owner's and the receivers' rows locked (one statement, in id order): concurrent
      // shares of this image, or to these accounts, count one another.
      await lockRows(trx, 'accounts', [ctx.principal.accountId, ...add]);
      const newcomers = await plan(trx);
      for (const a of newcomers) {
        await addShare(trx, { image_id: own.id, account_id: a, owner_account_id: ctx.principal.accountId, region_id: own.region_id, created_at: ctx.now() });
      }
      await removeShares(trx, own.id, remove);
      if (p.IsPublic !== undefined) await updateImage(trx, own.id, { is_public: p.IsPublic ? 1 : 0 });
      return {};
    });
    return {};
  },

  async DescribeImageSharePermission(ctx, p) {
    const own = await requireOwnImage(ctx, p.ImageId);
    const pageNumber: number = p.PageNumber ?? 1;
    const pageSize: number = p.PageSize ?? 10;
    const shares = await sharesOf(ctx.db, own.id);
    return {
      ImageId: own.id, RegionId: own.region_id, PageNumber: pageNumber, PageSize: pageSize, TotalCount: shares.length,
      ShareGroups: { ShareGroup: own.is_public === 1 ? [{ Group: 'all' }] : [] },
      Accounts: { Account: shares.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map((s) => ({ AliyunId: s.account_id, SharedTime: isoSecond(s.created_at) })) },
    };
  },

  async ReplaceSystemDisk(ctx, p) {
    const inst = await requireInstance(ctx, p.InstanceId);
    refuseIfExpiryLocked(inst);
    if (p.DiskId) throw new EcsError('InvalidParameter.NotMatch', 'Replacing the system disk with an existing disk (DiskId) is not supported by OpenECS; use ImageId.', 403);
    const imageId = p.ImageId;
    if (!imageId) throw new EcsError('MissingParameter', 'The input parameter "ImageId" that is mandatory for processing this request is not supplied.');
    // 000:L1066–1068: the instance must be Stopped.
    if (inst.status !== 'Stopped') throw new EcsError('IncorrectInstanceStatus', `The current status of the instance (${inst.status}) does not support replacing the system disk: it must be Stopped.`);
    const sys = findSystemImage(imageId);
    const custom = sys ? undefined : await findUsableImage(ctx.db, ctx.principal.accountId, inst.region_id, imageId);
    if (!sys && (!custom || custom.status !== 'Available')) throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${imageId}" does not exist (or is not available to you in ${inst.region_id}).`);
    // 002:L2320: "Custom images that contain data-disk data cannot be used to replace a system disk."
    if (custom && mappingsOf(custom).some((m) => m.type === 'data')) throw new EcsError('OperationDenied', 'The specified image contains the snapshot of the data disk,does not support this operation.');
    const traits = (await imageTraits(ctx, imageId))!;
    // 000 L584, L993; 002 L962: outside mainland China a system disk changes only within its OS
    // type (another Linux, another Windows version), never between Linux and Windows.
    if (traits.osType !== inst.os_type && !findRegion(inst.region_id)?.mainland) {
      throw new EcsError('OperationDenied.ImageNotValid',
        `The region ${inst.region_id} is outside mainland China, where a system disk cannot be replaced between Linux and Windows: the instance runs ${inst.os_type === 'windows' ? 'Windows' : 'Linux'} and the image ${imageId} is ${traits.osType === 'windows' ? 'Windows' : 'Linux'}.`);
    }
    const type = findInstanceType(inst.instance_type);
    if (type) fits({ id: imageId, architecture: traits.architecture, osType: traits.osType, bootMode: traits.bootMode }, type);
    const old = (await disksOn(ctx.db, inst.id)).find((d) => d.type === 'system');
    if (!old) throw new EcsError('InvalidInstance.NotFoundSystemDisk', 'The specified instance has no system disk.');
    if ((await ctx.db.selectFrom('snapshots').select('id').where('source_disk_id', '=', old.id).where('status', '=', 'progressing').executeTakeFirst())) {
      throw new EcsError('DiskCreatingSnapshot', 'The operation is denied due to a snapshot of the specified disk is not completed yet.');
    }
    const size: number = p['SystemDisk.Size'] ?? Math.max(40, traits.sizeGiB);
    if (size < traits.sizeGiB) throw new EcsError('InvalidSystemDiskSize.LessThanImageSize', `The specified parameter SystemDisk.Size (${size}) is less than the image size (${traits.sizeGiB}).`);
    checkDiskSize('system', old.category, size, old.performance_level || undefined);
    let sealed = inst.password_sealed;
    if (p.Password) {
      if (p.PasswordInherit === true) throw new EcsError('InvalidPasswordParam.Mismatch', 'The input password should be null when passwdInherit is true.');
      checkPassword(p.Password, traits.osType);
      sealed = passwordSealer(ctx).seal(p.Password);
    }
    let keyPair = inst.key_pair_name;
    if (p.KeyPairName) {
      if (traits.osType === 'windows') throw new EcsError('DependencyViolation.WindowsInstance', 'The instance creating is windows, cannot use ssh key pair to login.');
      if (!(await keyPairExists(ctx, p.KeyPairName))) throw new EcsError('InvalidKeyPairName.NotFound', `The specified KeyPairName "${p.KeyPairName}" does not exist.`);
      keyPair = p.KeyPairName;
    }
    const id = newId('d-');
    const now = ctx.now();
    const sourceSnapshot = await imageSystemSnapshot(ctx, imageId);
    return ctx.mutate(async (trx, enqueue) => {
      // The image first (store/row-locks.ts order), shared: a DeleteImage waits and then counts this instance.
      if (custom) await holdImage(ctx, trx, imageId, inst.region_id);
      // The instance locked and read again: a StartInstance (or another replacement) that committed
      // since the checks above refuses this one, rather than a disk swapped under a booting guest.
      await lockRow(trx, 'instances', inst.id);
      const current = await getInstance(trx, ctx.principal.accountId, inst.id);
      if (!current || current.status !== 'Stopped') {
        throw new EcsError('IncorrectInstanceStatus', `The current status of the instance (${current?.status ?? 'released'}) does not support replacing the system disk: it must be Stopped.`);
      }
      if ((await disksOn(trx, inst.id)).find((d) => d.type === 'system')?.id !== old.id) {
        throw new EcsError('IncorrectInstanceStatus', 'The system disk of the instance changed while it was being replaced; try again.');
      }
      // 000:L999–1001: the old system disk and (by default) its automatic snapshots go; manual ones stay.
      const oldSnapshots = (await snapshotsOfDisk(trx, old.id)).map((s) => s.id);
      await deleteDiskRow(trx, old.id, now);
      // Their bytes go in the engine (the instance is Stopped, so no guest holds them).
      await enqueueFileRemoval(enqueue, now, { diskIds: [old.id], snapshotIds: oldSnapshots });
      await trx.insertInto('transitions').values({ resource_id: old.id, from_status: old.status, to_status: 'Deleted', at: now }).execute();
      await holdSnapshots(trx, [sourceSnapshot], (sid) => new EcsError('InvalidImageId.NotFound', `The snapshot ${sid} of the image "${imageId}" does not exist.`));
      await trx.insertInto('disks').values({
        ...old, id, size, image_id: imageId, source_snapshot_id: sourceSnapshot, name: '', description: '', status: 'In_use', device: SYSTEM_DEVICE,
        reset_snapshot_id: '', resize_from: 0, charge_type_changed_at: null,
        delete_with_instance: 1, delete_auto_snapshot: 1, enable_auto_snapshot: 0, created_at: now, attached_at: now, detached_at: null,
      }).execute();
      await trx.insertInto('transitions').values({ resource_id: id, from_status: '', to_status: 'In_use', at: now }).execute();
      // 000:L991: the IP address does not change.
      await trx.updateTable('instances').set({
        image_id: imageId, os_type: traits.osType, os_name: traits.osNameEn || traits.osName, password_sealed: sealed, key_pair_name: keyPair,
      }).where('id', '=', inst.id).execute();
      return { DiskId: id };
    });
  },
});
