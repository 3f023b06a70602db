/**
 * OpenECS extension actions (Version 2026-11-01) over the local object store that ImportImage
 * reads and ExportImage writes (store/objects.ts): PutObject (creates the bucket on first use, in
 * the request's region, owned by the caller), GetObject, ListObjects. Contents travel as Base64
 * in the request and response (the HTTP body limit is 8 MiB); larger image files are copied into
 * `<dataDir>/oss/<bucket>/` by the operator. This is not the OSS API, only what tests and the
 * console need to hand files to ImportImage and fetch what ExportImage wrote.
 */
import { createHash } from 'node:crypto';
import { EcsError } from '../domain/errors.js';
import { isValidBucketName, isValidObjectKey } from '../domain/storage/image-files.js';
import { isoSecond } from '../domain/time.js';
import { ObjectStore, type BucketMeta } from '../store/objects.js';
import { openEcsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';

export function objectStore(ctx: Pick<ActionContext, 'db' | 'config'>): ObjectStore {
  return ObjectStore.of(ctx.db, ctx.config.dataDir);
}

export function checkBucketName(bucket: unknown): string {
  const b = String(bucket ?? '');
  if (!isValidBucketName(b)) {
    throw new EcsError('InvalidOSSBucket.Malformed', `The specified OSS bucket "${b}" is wrongly formed: 3 to 63 lower-case letters, digits and hyphens, starting and ending with a letter or digit.`, 400);
  }
  return b;
}

export function checkObjectKey(key: unknown): string {
  const k = String(key ?? '');
  if (!isValidObjectKey(k)) {
    throw new EcsError('InvalidOSSObject.Malformed', `The specified OSS object "${k}" is wrongly formed: 1 to 1023 bytes, not starting or ending with "/", without "." or ".." path segments or control characters, each "/"-separated part at most 255 bytes.`, 400);
  }
  return k;
}

/** A bucket belongs to its creator; one the operator made by hand belongs to the root account. */
export function mayUseBucket(meta: BucketMeta, ctx: Pick<ActionContext, 'principal'>): boolean {
  return meta.owner === ctx.principal.accountId || (meta.owner === '' && ctx.principal.isAdmin);
}

async function requireBucket(ctx: ActionContext, bucket: string): Promise<BucketMeta> {
  const meta = await objectStore(ctx).bucket(bucket);
  if (!meta) throw new EcsError('InvalidOSSBucket.NotFound', `The specified OSS bucket "${bucket}" does not exist.`, 404);
  if (!mayUseBucket(meta, ctx)) throw new EcsError('InvalidOSS.NotAuthorized', `The specified OSS bucket "${bucket}" belongs to another account.`, 403);
  return meta;
}

const etag = (data: Buffer) => createHash('md5').update(data).digest('hex').toUpperCase();

export const objectStoreActions = openEcsHandlers({
  async PutObject(ctx, p) {
    const bucket = checkBucketName(p.Bucket);
    const key = checkObjectKey(p.Key);
    const content = String(p.Content ?? '');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(content) || content.length % 4 !== 0) {
      throw new EcsError('InvalidContent.Malformed', 'The specified Content is not valid Base64.', 400);
    }
    const store = objectStore(ctx);
    const meta = await store.bucket(bucket);
    if (meta) {
      if (!mayUseBucket(meta, ctx)) throw new EcsError('InvalidOSS.NotAuthorized', `The specified OSS bucket "${bucket}" belongs to another account.`, 403);
      if (meta.region && meta.region !== ctx.regionId) {
        throw new EcsError('InvalidOSSBucket.NotMatched', `The specified OSS bucket is incorrect, it is in region ${meta.region}, not ${ctx.regionId}.`, 400);
      }
    }
    if (ctx.dryRun) throw new EcsError('DryRunOperation', 'Request validation has been passed with DryRun flag set.', 400);
    if (!meta) await store.createBucket(bucket, { owner: ctx.principal.accountId, region: ctx.regionId, createdAt: ctx.now() });
    const data = Buffer.from(content, 'base64');
    try {
      await store.put(bucket, key, data);
    } catch (e) {
      // Objects are files: `a/b` makes `a` a folder, so `a` cannot also be an object (and the reverse).
      if (['EISDIR', 'ENOTDIR', 'EEXIST', 'ENOTEMPTY'].includes((e as NodeJS.ErrnoException).code ?? '')) {
        throw new EcsError('InvalidOSSObject.Malformed', `The specified OSS object "${key}" conflicts with an existing object: in this object store a key cannot be both an object and the folder of other keys ("a" and "a/b").`, 400);
      }
      throw e;
    }
    return { Bucket: bucket, Key: key, Size: data.length, ETag: etag(data) };
  },

  async GetObject(ctx, p) {
    const bucket = checkBucketName(p.Bucket);
    const key = checkObjectKey(p.Key);
    await requireBucket(ctx, bucket);
    const store = objectStore(ctx);
    const info = await store.stat(bucket, key);
    if (!info) throw new EcsError('InvalidOSSObject.NotFound', `The specified OSS object "${key}" does not exist in bucket ${bucket}.`, 404);
    if (info.size > 6 * 1024 * 1024) {
      throw new EcsError('InvalidOSSObject.TooLarge', `The object is ${info.size} bytes; GetObject returns at most 6 MiB (the operator finds it under oss/${bucket}/${key} in the data directory).`, 400);
    }
    const data = await store.get(bucket, key);
    return { Bucket: bucket, Key: key, Size: data.length, ETag: etag(data), LastModified: isoSecond(info.modifiedAt), Content: data.toString('base64') };
  },

  async ListObjects(ctx, p) {
    const bucket = checkBucketName(p.Bucket);
    const meta = await requireBucket(ctx, bucket);
    const max: number = p.MaxKeys ?? 100;
    const list = await objectStore(ctx).list(bucket, p.Prefix ?? '', max);
    return {
      Bucket: bucket, RegionId: meta.region, Prefix: p.Prefix ?? '',
      Objects: { Object: list.map((o) => ({ Key: o.key, Size: o.size, LastModified: isoSecond(o.modifiedAt) })) },
    };
  },
});
