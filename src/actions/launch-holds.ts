/**
 * What a launch (RunInstances, CreateInstance), ReplaceSystemDisk or CopyImage holds inside its
 * transaction: the custom image and the snapshots the new disks (or copies) start from, locked
 * shared in the order of store/row-locks.ts (images, then snapshots) and found again. DeleteImage
 * locks the image to count the instances made of it and the copies in flight, DeleteSnapshot the
 * snapshot to find the images and disks made of it: each waits for the holder's commit and then
 * counts what it made, or went first and the holder answers not found.
 */
import { findSystemImage } from '../domain/catalog/index.js';
import { EcsError } from '../domain/errors.js';
import { findUsableImage, type ImageRow } from '../store/images.js';
import { lockRow, lockRows } from '../store/row-locks.js';
import type { ActionContext, Tx } from './types.js';

/** The custom image `imageId` still usable by the caller in `regionId`; nothing for a system image. */
export async function holdImage(ctx: ActionContext, trx: Tx, imageId: string, regionId: string): Promise<ImageRow | undefined> {
  if (findSystemImage(imageId)) return undefined;
  const row = await lockRow(trx, 'images', imageId, 'share') ? await findUsableImage(trx, ctx.principal.accountId, regionId, imageId) : undefined;
  if (!row || row.status !== 'Available') throw new EcsError('InvalidImageId.NotFound', `The specified ImageId "${imageId}" does not exist (it was deleted meanwhile).`);
  return row;
}

/** Holds every snapshot of `ids` ('' skipped); the first one gone answers `notFound(id)`. */
export async function holdSnapshots(trx: Tx, ids: string[], notFound: (id: string) => EcsError): Promise<void> {
  const wanted = [...new Set(ids.filter((id) => id !== ''))];
  const held = new Set(await lockRows(trx, 'snapshots', wanted, 'share'));
  const gone = wanted.find((id) => !held.has(id));
  if (gone) throw notFound(gone);
}
