/**
 * DescribeImages over response items: any image source (the system catalogue today, custom and
 * shared images from the store later) renders its images as items, and one pure filter applies
 * the request's conditions to all of them.
 */
import { findInstanceType } from './instance-types.js';
import { imageFitsType, type SystemImage } from './images.js';

export type ImageItem = Record<string, any>;

export function systemImageItem(i: SystemImage): ImageItem {
  return {
    ImageId: i.id,
    ImageName: i.id,
    ImageFamily: i.family,
    ImageVersion: '',
    Description: i.description,
    ImageOwnerAlias: 'system',
    OSType: i.osType,
    OSName: i.osName,
    OSNameEn: i.osNameEn,
    Platform: i.platform,
    Architecture: i.architecture,
    Size: i.sizeGiB,
    Status: 'Available',
    Usable: true,
    Progress: '100%',
    CreationTime: i.creationTime,
    Usage: 'instance',
    IsSupportCloudinit: i.cloudInit,
    IsSupportIoOptimized: true,
    IsSubscribed: false,
    IsCopied: false,
    IsSelfShared: '',
    IsPublic: false,
    ProductCode: '',
    ResourceGroupId: '',
    SupplierName: '',
    BootMode: i.bootMode,
    LoginAsNonRootSupported: i.loginAsNonRoot,
    Features: { NvmeSupport: i.nvme },
    DetectionOptions: { Status: '', Items: { Item: [] } },
    DiskDeviceMappings: {
      DiskDeviceMapping: [{
        Device: '/dev/xvda', Type: 'system', Size: String(i.sizeGiB), SnapshotId: '', Format: '',
        ImportOSSBucket: '', ImportOSSObject: '', Progress: '100%', RemainTime: 0,
      }],
    },
    Tags: { Tag: [] },
  };
}

/** Every status DescribeImages `Status` names; `ALL` (what Terraform sends) means all of them. */
export const IMAGE_STATUSES = ['Creating', 'Waiting', 'Available', 'UnAvailable', 'CreateFailed', 'Deprecated'];

export function imageStatusesOf(raw: string[] | undefined): string[] {
  if (!raw || raw.length === 0) return ['Available'];
  return raw.some((s) => s.toUpperCase() === 'ALL') ? IMAGE_STATUSES : raw;
}

export interface ImageFilter {
  ids?: string[];
  name?: string;
  family?: string;
  osType?: string;
  architecture?: string;
  statuses: string[];
  usage?: string;
  cloudInit?: boolean;
  ioOptimized?: boolean;
  instanceType?: string;
  snapshotId?: string;
  resourceGroupId?: string;
  /** The owning account (custom images; public images have none here). */
  ownerId?: number;
  createdFrom?: number;
  createdTo?: number;
  /** Ids carrying every requested tag (the `Tag.N` filter); undefined when no tag was asked for. */
  taggedIds?: string[];
}

export function filterImages(items: ImageItem[], f: ImageFilter): ImageItem[] {
  const type = f.instanceType ? findInstanceType(f.instanceType) : undefined;
  const tagged = f.taggedIds ? new Set(f.taggedIds) : undefined;
  return items.filter((i) => {
    if (f.ids && !f.ids.includes(i.ImageId)) return false;
    if (f.name !== undefined && i.ImageName !== f.name) return false;
    if (f.family !== undefined && i.ImageFamily !== f.family) return false;
    if (f.osType !== undefined && i.OSType !== f.osType) return false;
    if (f.architecture !== undefined && i.Architecture !== f.architecture) return false;
    if (!f.statuses.includes(i.Status)) return false;
    if (f.usage !== undefined && i.Usage !== f.usage) return false;
    if (f.cloudInit !== undefined && i.IsSupportCloudinit !== f.cloudInit) return false;
    if (f.ioOptimized !== undefined && i.IsSupportIoOptimized !== f.ioOptimized) return false;
    if (type && !imageFitsType({ id: i.ImageId, architecture: i.Architecture, osType: i.OSType, bootMode: i.BootMode }, type)) return false;
    if (f.snapshotId !== undefined && !i.DiskDeviceMappings.DiskDeviceMapping.some((m: ImageItem) => m.SnapshotId === f.snapshotId)) return false;
    if (f.resourceGroupId !== undefined && i.ResourceGroupId !== f.resourceGroupId) return false;
    if (f.ownerId !== undefined && i.ImageOwnerId !== f.ownerId) return false;
    const created = Date.parse(i.CreationTime);
    if (f.createdFrom !== undefined && created < f.createdFrom) return false;
    if (f.createdTo !== undefined && created > f.createdTo) return false;
    if (tagged && !tagged.has(i.ImageId)) return false;
    return true;
  });
}
