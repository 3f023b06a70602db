/**
 * The local object store behind ImportImage / ExportImage: a bucket is a folder
 * `<dataDir>/oss/<bucket>/` and an object a file under it (`/` in a key makes sub-folders), so an
 * operator can also drop image files in with `cp`. Who owns a bucket and its region (000:L1807:
 * the bucket must be in the image's region; 002:L2737: and belong to the same account) are kept
 * beside it in `<dataDir>/oss/.buckets/<bucket>.json`; a folder without that file was made by the
 * operator and belongs to the root account, in every region. With `dataDir=':memory:'` each
 * server gets its own temporary folder, removed when the process exits.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { isValidBucketName, isValidObjectKey } from '../domain/storage/image-files.js';

export interface BucketMeta { owner: string; region: string; createdAt: number }
export interface ObjectInfo { key: string; size: number; modifiedAt: number }

const stores = new WeakMap<object, ObjectStore>();
const temporary: string[] = [];
let exitHook = false;

export class ObjectStore {
  constructor(readonly root: string) {}

  /** The store of one server (keyed by its database handle, which handlers and the engine share). */
  static of(db: object, dataDir: string): ObjectStore {
    let s = stores.get(db);
    if (!s) {
      let root: string;
      if (dataDir === ':memory:') {
        root = mkdtempSync(join(tmpdir(), 'openecs-oss-'));
        temporary.push(root);
        if (!exitHook) {
          exitHook = true;
          process.once('exit', () => { for (const d of temporary) rmSync(d, { recursive: true, force: true }); });
        }
      } else root = join(dataDir, 'oss');
      s = new ObjectStore(root);
      stores.set(db, s);
    }
    return s;
  }

  private metaFile(bucket: string) { return join(this.root, '.buckets', `${bucket}.json`); }

  bucketDir(bucket: string): string {
    if (!isValidBucketName(bucket)) throw new Error(`invalid bucket name ${bucket}`);
    return join(this.root, bucket);
  }

  /** The file of an object; throws on a key that is not valid (it could leave the bucket). */
  objectPath(bucket: string, key: string): string {
    if (!isValidObjectKey(key)) throw new Error(`invalid object key ${key}`);
    const dir = resolve(this.bucketDir(bucket));
    const file = resolve(dir, key);
    const rel = relative(dir, file);
    if (!rel || rel.startsWith('..') || rel.startsWith(sep)) throw new Error(`object key ${key} leaves its bucket`);
    return file;
  }

  /** The bucket's owner and region, or undefined when there is no such bucket. */
  async bucket(bucket: string): Promise<BucketMeta | undefined> {
    if (!isValidBucketName(bucket) || !existsSync(this.bucketDir(bucket))) return undefined;
    try {
      return JSON.parse(await readFile(this.metaFile(bucket), 'utf8')) as BucketMeta;
    } catch {
      return { owner: '', region: '', createdAt: 0 };
    }
  }

  async createBucket(bucket: string, meta: BucketMeta): Promise<void> {
    await mkdir(this.bucketDir(bucket), { recursive: true });
    await mkdir(join(this.root, '.buckets'), { recursive: true });
    await writeFile(this.metaFile(bucket), JSON.stringify(meta));
  }

  async stat(bucket: string, key: string): Promise<ObjectInfo | undefined> {
    try {
      const st = await stat(this.objectPath(bucket, key));
      return st.isFile() ? { key, size: st.size, modifiedAt: st.mtimeMs } : undefined;
    } catch { return undefined; }
  }

  async get(bucket: string, key: string): Promise<Buffer> {
    return readFile(this.objectPath(bucket, key));
  }

  /** The first `n` bytes and the last 512 bytes (what format detection needs). */
  async headTail(bucket: string, key: string, n = 4096): Promise<{ head: Buffer; tail: Buffer; size: number }> {
    const fh = await open(this.objectPath(bucket, key), 'r');
    try {
      const { size } = await fh.stat();
      const head = Buffer.alloc(Math.min(n, size));
      await fh.read(head, 0, head.length, 0);
      const tail = Buffer.alloc(Math.min(512, size));
      await fh.read(tail, 0, tail.length, Math.max(0, size - tail.length));
      return { head, tail, size };
    } finally { await fh.close(); }
  }

  async put(bucket: string, key: string, data: Buffer): Promise<void> {
    await this.writeWith(bucket, key, (tmp) => writeFile(tmp, data));
  }

  /** Writes an object through a temporary file that `write` fills, then renames it in place (readers never see half a file). */
  async writeWith(bucket: string, key: string, write: (tmpFile: string) => Promise<void>): Promise<void> {
    const file = this.objectPath(bucket, key);
    const tmpDir = join(this.root, '.tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomBytes(8).toString('hex'));
    try {
      await write(tmp);
      await mkdir(resolve(file, '..'), { recursive: true });
      await rename(tmp, file);
    } finally {
      await rm(tmp, { force: true });
    }
  }

  /** Objects of the bucket whose key starts with `prefix`, in key order. */
  async list(bucket: string, prefix = '', max = 1000): Promise<ObjectInfo[]> {
    const dir = this.bucketDir(bucket);
    const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
    const out: ObjectInfo[] = [];
    for (const n of names.map(String).sort()) {
      const key = n.split(sep).join('/');
      if (!key.startsWith(prefix)) continue;
      const info = await this.stat(bucket, key).catch(() => undefined);
      if (info) out.push(info);
      if (out.length >= max) break;
    }
    return out;
  }
}
