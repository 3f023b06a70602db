/**
 * DescribeImages. `candidateImages` lists what the caller may see for an ImageOwnerAlias (only
 * the system catalogue today: custom, shared and marketplace images join there later);
 * `filterImages` (domain) narrows the items and the handler pages them.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { filterImages, imageStatusesOf, systemImageItem, type ImageFilter, type ImageItem } from '../domain/catalog/image-query.js';
import { findSystemImage, imageFitsType, SYSTEM_IMAGES } from '../domain/catalog/images.js';
import { findInstanceType } from '../domain/catalog/instance-types.js';
import { typesInRegion } from '../domain/catalog/offers.js';
import { findRegion } from '../domain/catalog/regions.js';
import { findUsableImage } from '../store/images.js';
import { parseUtc } from '../domain/time.js';
import { idsWithTags } from '../store/tags.js';
import { pageOf } from './paging.js';
import { customImageItems } from './custom-images.js';
import { ecsHandlers, type EcsRequest } from './typed-handlers.js';
import type { ActionContext } from './types.js';

const OWNER_ALIASES = ['system', 'self', 'others', 'marketplace'] as const;
type OwnerAlias = typeof OWNER_ALIASES[number];

const SYSTEM_ITEMS = SYSTEM_IMAGES.map(systemImageItem);

/** Images visible to the caller from the given sources ("空表示返回取值为system、self以及others的结果"). */
async function candidateImages(ctx: ActionContext, aliases: OwnerAlias[], includePublic = false): Promise<ImageItem[]> {
  const out: ImageItem[] = [];
  if (aliases.includes('system')) out.push(...SYSTEM_ITEMS);
  // self (custom images) and others (shared to the caller; community images with IsPublic=true); marketplace: none exist.
  out.push(...await customImageItems(ctx, aliases, includePublic));
  return out;
}

function listParam(s: unknown): string[] | undefined {
  if (s === undefined || s === '') return undefined;
  return String(s).split(',').map((x) => x.trim()).filter(Boolean);
}

function enumParam(p: Params, name: string, allowed: string[], code: string): string | undefined {
  const v = p[name];
  if (v === undefined || v === '') return undefined;
  if (!allowed.includes(v)) throw new EcsError(code, `The specified ${name} "${v}" is not valid. Valid values: ${allowed.join(', ')}.`);
  return v;
}

/** DescribeImages/DescribeImageSupportInstanceTypes `ActionType`: every image here serves both uses. */
const ACTION_TYPES = ['CreateEcs', 'ChangeOS'];

async function filterOf(ctx: ActionContext, p: EcsRequest<'DescribeImages'>): Promise<ImageFilter> {
  enumParam(p, 'ActionType', ACTION_TYPES, 'InvalidParameter');
  if (p.InstanceType && !findInstanceType(p.InstanceType)) {
    throw new EcsError('InvalidInstanceType.ValueNotSupported', `The specified InstanceType "${p.InstanceType}" does not exist or beyond the permitted range.`);
  }
  const f: ImageFilter = {
    ids: listParam(p.ImageId),
    name: p.ImageName || undefined,
    family: p.ImageFamily || undefined,
    osType: enumParam(p, 'OSType', ['linux', 'windows'], 'InvalidOSType'),
    architecture: enumParam(p, 'Architecture', ['i386', 'x86_64', 'arm64'], 'InvalidArchitecture'),
    usage: enumParam(p, 'Usage', ['instance', 'none'], 'InvalidUsage'),
    // "如果不配置此参数，默认只返回Available状态的镜像"; several values are comma-separated.
    statuses: imageStatusesOf(listParam(p.Status)),
    cloudInit: p.IsSupportCloudinit,
    ioOptimized: p.IsSupportIoOptimized,
    instanceType: p.InstanceType || undefined,
    snapshotId: p.SnapshotId || undefined,
    resourceGroupId: p.ResourceGroupId || undefined,
    ownerId: p.ImageOwnerId,
  };
  for (const [n, item] of ((p.Filter ?? []) as Record<string, string>[]).entries()) {
    if (!item.Key && !item.Value) continue;
    if (item.Key !== 'CreationStartTime' && item.Key !== 'CreationEndTime') {
      throw new EcsError('InvalidFilterKey.NotFound', `The specified Filter.${n + 1}.Key "${item.Key ?? ''}" is not found: use CreationStartTime or CreationEndTime.`);
    }
    const at = item.Value ? parseUtc(item.Value) : undefined;
    if (at === undefined) throw new EcsError('InvalidFilterValue', `The specified Filter.${n + 1}.Value "${item.Value ?? ''}" is not valid: use yyyy-MM-ddTHH:mmZ (UTC).`);
    if (item.Key === 'CreationStartTime') f.createdFrom = at;
    else f.createdTo = at;
  }
  const tags = ((p.Tag ?? []) as Record<string, string>[])
    .map((t) => ({ Key: t.Key ?? t.key ?? '', Value: t.Value ?? t.value }))
    .filter((t) => t.Key);
  f.taggedIds = await idsWithTags(ctx.db, ctx.principal.accountId, 'image', tags);
  return f;
}

/** The image a caller may launch from in the region: a system image, its own, shared or community. */
async function usableImageTraits(ctx: ActionContext, id: string): Promise<{ id: string; architecture: string; osType: string; bootMode: string } | undefined> {
  const sys = findSystemImage(id);
  if (sys) return { id, architecture: sys.architecture, osType: sys.osType, bootMode: sys.bootMode };
  const row = await findUsableImage(ctx.db, ctx.principal.accountId, ctx.regionId, id);
  return row ? { id, architecture: row.architecture, osType: row.os_type, bootMode: row.boot_mode } : undefined;
}

export const imagesActions = ecsHandlers({
  /**
   * The instance types of the region an image can run on, by the same fit rule RunInstances
   * applies (architecture, 32-bit limits, boot mode). `Filter.N` Key `imageId` (or `filter`)
   * names the image when ImageId is not given.
   */
  async DescribeImageSupportInstanceTypes(ctx, p) {
    const filters = ((p.Filter ?? []) as { Key?: string; Value?: string }[]).filter((f) => f.Key || f.Value);
    for (const f of filters) {
      if (f.Key !== 'imageId' && f.Key !== 'filter') throw new EcsError('InvalidParamter', `Invalid Parameter: Filter.N.Key "${f.Key ?? ''}" must be imageId.`);
    }
    const ids = [...new Set([p.ImageId, ...filters.map((f) => f.Value)].filter((x): x is string => !!x))];
    if (ids.length === 0) throw new EcsError('MissingParameter', 'The input parameter "ImageId" that is mandatory for processing this request is not supplied.');
    if (ids.length > 1) throw new EcsError('InvalidParamter', `Invalid Parameter: one image at a time (${ids.join(', ')}).`);
    // Launching and replacing a system disk accept the same types here, so ActionType is only checked.
    enumParam(p, 'ActionType', ACTION_TYPES, 'InvalidParamter');
    const image = await usableImageTraits(ctx, ids[0]!);
    if (!image) throw new EcsError('InvalidImageId.NotFound', `The specified image "${ids[0]}" does not exist.`);
    const region = findRegion(ctx.regionId)!;
    const types = typesInRegion(region).filter((t) => imageFitsType(image, t));
    return {
      RegionId: ctx.regionId,
      ImageId: image.id,
      InstanceTypes: {
        InstanceType: types.map((t) => ({ InstanceTypeId: t.id, InstanceTypeFamily: t.family, CpuCoreCount: t.cpu, MemorySize: t.memoryGiB })),
      },
    };
  },

  async DescribeImages(ctx, p) {
    const alias = enumParam(p, 'ImageOwnerAlias', [...OWNER_ALIASES], 'InvalidImageOwnerAlias.ValueNotSupported') as OwnerAlias | undefined;
    const page = pageOf(p, { defaultSize: 10, maxSize: 100 });
    const f = await filterOf(ctx, p);
    if (ctx.dryRun) throw new EcsError('DryRunOperation', 'Request validation has been passed with DryRun flag set.');
    // Community images (IsPublic=true) are a kind of `others`.
    const aliases: OwnerAlias[] = p.IsPublic === true ? [] : alias ? [alias] : ['system', 'self', 'others'];
    const matched = filterImages(await candidateImages(ctx, aliases, p.IsPublic === true), f);
    return {
      RegionId: ctx.regionId,
      PageNumber: page.pageNumber,
      PageSize: page.pageSize,
      TotalCount: matched.length,
      Images: { Image: matched.slice(page.offset, page.offset + page.limit) },
    };
  },
});
