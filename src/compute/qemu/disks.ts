/**
 * Disk files: every ECS disk is a qcow2 file (`disks/<diskId>.qcow2`), every snapshot a frozen
 * one (`snapshots/<snapshotId>.qcow2`). Created, resized, reset, snapshotted, discarded and
 * collected here; plugged into and out of a running guest over QMP (hotplug.ts).
 */
import { existsSync } from 'node:fs';
import { link, mkdir, readdir, rename, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GuestDisk } from '../driver.js';
import type { ExportFormat, ImportFormat } from '../../domain/storage/image-files.js';
import { bootModeOf, type BootMode } from './boot-mode.js';
import { run } from '../../host/exec.js';
import { plugDisk, unplugDisk, type PlacedDisk } from './hotplug.js';
import { exportImageFile, importImageFile } from './image-files.js';
import { BASE_DISK_GIB, type GuestImage } from './image.js';
import type { QemuLayout, VmRecord } from './layout.js';
import { withQmp } from './qmp.js';

export interface QemuDisksOptions {
  layout: QemuLayout;
  /** The guest image whose base disk system disks without a snapshot are cloned from. */
  image: () => Promise<GuestImage>;
  log: (msg: string, extra?: Record<string, unknown>) => void;
}

export class QemuDisks {
  private readonly layout: QemuLayout;
  private readonly image: QemuDisksOptions['image'];
  private readonly log: QemuDisksOptions['log'];
  /** When each pending unplug (`<instance>/<disk>`) was last requested. */
  private unplugRequests = new Map<string, number>();
  /** Boot mode per system disk (a qemu-io read each start otherwise); forgotten when the disk's bytes are replaced. */
  private bootModes = new Map<string, BootMode>();

  constructor(o: QemuDisksOptions) {
    this.layout = o.layout;
    this.image = o.image;
    this.log = o.log;
  }

  private get root() { return this.layout.root; }
  private diskFile(diskId: string) { return this.layout.diskFile(diskId); }
  private snapshotFile(snapshotId: string) { return this.layout.snapshotFile(snapshotId); }

  /** How the disks sit in QEMU's command line: the system disk first, data disks by device name. */
  placed(disks: GuestDisk[]): PlacedDisk[] {
    return [...disks].sort((a, b) => (a.type === 'system' ? -1 : b.type === 'system' ? 1 : a.device.localeCompare(b.device)))
      .map((d): PlacedDisk => ({ diskId: d.diskId, file: this.diskFile(d.diskId), type: d.type, device: d.device }));
  }

  /** A disk's qcow2 file, created when missing: a clone of its snapshot or (system disk) of the image, else blank. */
  async ensureDiskFile(d: GuestDisk): Promise<void> {
    const file = this.diskFile(d.diskId);
    if (existsSync(file)) return;
    const snap = d.snapshotId ? this.snapshotFile(d.snapshotId) : '';
    const backing = snap && existsSync(snap) ? snap : d.type === 'system' ? (await this.image()).baseDisk : '';
    const sizeGiB = Math.max(d.sizeGiB || 0, d.type === 'system' ? BASE_DISK_GIB : 1);
    await mkdir(join(this.root, 'disks'), { recursive: true });
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', ...(backing ? ['-b', backing, '-F', 'qcow2'] : []), `${file}.tmp`, `${sizeGiB}G`]);
    await rename(`${file}.tmp`, file);
  }

  /** A system disk cloned from the built-in image (no snapshot) boots directly; others are read once. */
  async bootMode(d: GuestDisk): Promise<BootMode> {
    if (!d.snapshotId) return 'direct';
    let mode = this.bootModes.get(d.diskId);
    if (!mode) this.bootModes.set(d.diskId, (mode = await bootModeOf(this.diskFile(d.diskId))));
    return mode;
  }

  /**
   * AttachDisk on a running guest: the disk is hot-plugged onto the SHPC bridge (hotplug.ts) and
   * the guest sees it about 5 s later. A stopped guest gets it at its next start (start() reads the
   * store's disks); so does a guest started before the bridge existed.
   */
  async attach(instanceId: string, disk: GuestDisk): Promise<void> {
    const rec = await this.layout.record(instanceId);
    if (disk.type !== 'data' || !rec || !(await this.layout.pid(instanceId))) return;
    await this.ensureDiskFile(disk);
    const placed: PlacedDisk = { diskId: disk.diskId, file: this.diskFile(disk.diskId), type: disk.type, device: disk.device };
    if (!rec.hotplugBus) {
      this.log('no hot-plug bus in this guest: the disk appears at its next start', { instanceId, diskId: disk.diskId });
      return;
    }
    await withQmp(rec.qmpSocket, (c) => plugDisk(c, placed));
    await this.layout.updateRecord(instanceId, (r) => ({ ...r, disks: [...r.disks.filter((d) => d.diskId !== disk.diskId), placed] }));
    this.log('disk hot-plugged', { instanceId, diskId: disk.diskId });
  }

  /**
   * DetachDisk: true once the guest has let go of the disk (or is not running), false while the
   * unplug is pending. The request is sent once, and again only after 30 s of silence (a guest
   * still booting may not have listened).
   */
  async detach(instanceId: string, diskId: string): Promise<boolean> {
    const rec = await this.layout.record(instanceId);
    if (!rec || !(await this.layout.pid(instanceId)) || !rec.hotplugBus) return true;
    const key = `${instanceId}/${diskId}`;
    const last = this.unplugRequests.get(key);
    const request = last === undefined || Date.now() - last > 30_000;
    const state = await withQmp(rec.qmpSocket, (c) => unplugDisk(c, diskId, request));
    if (state === 'pending') {
      if (request) this.unplugRequests.set(key, Date.now());
      return false;
    }
    this.unplugRequests.delete(key);
    await this.layout.updateRecord(instanceId, (r) => ({ ...r, disks: r.disks.filter((d) => d.diskId !== diskId) }));
    this.log('disk unplugged', { instanceId, diskId });
    return true;
  }

  async discard(diskId: string): Promise<void> {
    this.bootModes.delete(diskId);
    await rm(this.diskFile(diskId), { force: true });
  }

  /**
   * ResizeDisk: a disk a running QEMU holds (its image is locked) grows through QMP `block_resize`,
   * so the guest sees the new capacity at once (online resize); otherwise the file is resized.
   */
  async resize(diskId: string, sizeGiB: number): Promise<void> {
    const file = this.diskFile(diskId);
    const rec = await this.guestHolding(file);
    if (rec) {
      await withQmp(rec.qmpSocket, (c) => c.execute('block_resize', { device: diskId, size: sizeGiB * 1024 ** 3 }));
      return;
    }
    if (existsSync(file)) await run('qemu-img', ['resize', '-q', file, `${sizeGiB}G`]);
  }

  /**
   * O(1) whatever the data: the disk's current file becomes the snapshot's frozen file and the
   * disk continues on a fresh qcow2 overlay backed by it (issue 5: snapshot <= 200 ms regardless of
   * size). A disk open in a running QEMU (its write lock is held) goes through QMP
   * `blockdev-snapshot-sync` so the guest keeps running; without a reachable QEMU it is copied.
   */
  async snapshot(diskId: string, snapshotId: string): Promise<void> {
    const out = this.snapshotFile(snapshotId);
    const file = this.diskFile(diskId);
    await mkdir(join(this.root, 'snapshots'), { recursive: true });
    if (existsSync(out)) return;
    if (!existsSync(file)) throw new Error(`disk ${diskId} has no file`);
    // Without -U, info fails while a QEMU holds the image's write lock: the guest is running.
    const info = await run('qemu-img', ['info', '--output=json', file]).then((r) => JSON.parse(r.stdout) as { 'virtual-size': number }, () => undefined);
    if (!info) {
      if (await this.snapshotLive(diskId, file, out)) return;
      await run('qemu-img', ['convert', '-q', '-U', '-O', 'qcow2', file, `${out}.tmp`], { timeoutMs: 600_000 });
      await run('mv', [`${out}.tmp`, out]);
      return;
    }
    const size = info['virtual-size'];
    await rename(file, out);
    try {
      await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', out, '-F', 'qcow2', `${file}.tmp`, String(size)]);
      await rename(`${file}.tmp`, file);
    } catch (e) {
      await rename(out, file).catch(() => {});
      throw e;
    }
  }

  /**
   * External snapshot of a disk a running QEMU writes: a hard link names the current layer as the
   * snapshot, QEMU moves its writes to a new overlay (blockdev-snapshot-sync), whose backing name is
   * then pointed at the snapshot's path (change-backing-file) and which takes the disk's name.
   */
  private async snapshotLive(diskId: string, file: string, out: string): Promise<boolean> {
    const rec = await this.guestHolding(file);
    if (!rec) return false;
    const next = `${file}.next`;
    await unlink(next).catch(() => {});
    await link(file, out);
    try {
      await withQmp(rec.qmpSocket, async (c) => {
        await c.execute('blockdev-snapshot-sync', { device: diskId, 'snapshot-file': next, format: 'qcow2', mode: 'absolute-paths' });
        const blocks = await c.execute<{ device: string; inserted?: { 'node-name'?: string } }[]>('query-block');
        const node = blocks.find((b) => b.device === diskId)?.inserted?.['node-name'];
        await c.execute('change-backing-file', { device: diskId, 'image-node-name': node, 'backing-file': out });
      });
      await rename(next, file);
      return true;
    } catch (e) {
      this.log('live snapshot failed; copying instead', { diskId, error: String(e) });
      await unlink(out).catch(() => {});
      return false;
    }
  }

  /** The record of the running QEMU that has `file` among its disks. */
  private async guestHolding(file: string): Promise<VmRecord | undefined> {
    for (const id of await this.layout.instanceIds()) {
      const rec = await this.layout.record(id);
      if (rec?.disks.some((d) => d.file === file) && (await this.layout.pid(id))) return rec;
    }
    return undefined;
  }

  /**
   * A deleted snapshot's file goes once no disk and no other snapshot file is backed by it; until
   * then a `.deleted` mark remembers it, and it is collected when its last user goes (reset,
   * another snapshot's deletion, disk removal).
   */
  async deleteSnapshot(snapshotId: string): Promise<void> {
    const file = this.snapshotFile(snapshotId);
    if (!existsSync(file)) return;
    await writeFile(`${file}.deleted`, '');
    await this.collectSnapshots();
  }

  /** Removes marked snapshot files nothing depends on, repeating as chains free up. */
  async collectSnapshots(): Promise<void> {
    for (;;) {
      const dir = join(this.root, 'snapshots');
      const names = await readdir(dir).catch(() => [] as string[]);
      const marked = names.filter((n) => n.endsWith('.qcow2.deleted')).map((n) => join(dir, n.slice(0, -'.deleted'.length)));
      if (!marked.length) return;
      const used = await this.backingFiles();
      const free = marked.filter((f) => !used.has(f));
      if (!free.length) {
        this.log('snapshot files kept: disks or snapshots are backed by them', { files: marked });
        return;
      }
      for (const f of free) { await unlink(f).catch(() => {}); await unlink(`${f}.deleted`).catch(() => {}); }
    }
  }

  /** Every file some disk or snapshot file names as its backing file. */
  async backingFiles(): Promise<Set<string>> {
    const out = new Set<string>();
    for (const sub of ['disks', 'snapshots']) {
      const dir = join(this.root, sub);
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const n of names.filter((x) => x.endsWith('.qcow2'))) {
        const info = await run('qemu-img', ['info', '-U', '--output=json', join(dir, n)]).then((r) => JSON.parse(r.stdout), () => ({}));
        if (info['full-backing-filename']) out.add(info['full-backing-filename']);
        if (info['backing-filename']) out.add(info['backing-filename']);
      }
    }
    return out;
  }

  /** ImportImage: the uploaded file becomes the image snapshot's bytes (engine task hook). */
  async importDisk(snapshotId: string, file: string, format: ImportFormat): Promise<void> {
    await importImageFile(file, format, this.snapshotFile(snapshotId));
  }

  /** ExportImage: the image snapshot's bytes written as `format` (engine task hook). */
  async exportDisk(snapshotId: string, file: string, format: ExportFormat): Promise<void> {
    const snap = this.snapshotFile(snapshotId);
    if (!existsSync(snap)) throw new Error(`snapshot ${snapshotId} has no file`);
    await exportImageFile(snap, format, file);
  }

  /** The disk becomes a fresh overlay on the snapshot's frozen file, keeping its size: O(1) whatever the data. */
  async reset(diskId: string, snapshotId: string): Promise<void> {
    const snap = this.snapshotFile(snapshotId);
    if (!existsSync(snap)) throw new Error(`snapshot ${snapshotId} has no file`);
    const file = this.diskFile(diskId);
    this.bootModes.delete(diskId);
    const size = existsSync(file)
      ? Number(JSON.parse((await run('qemu-img', ['info', '-U', '--output=json', file])).stdout)['virtual-size'])
      : Number(JSON.parse((await run('qemu-img', ['info', '-U', '--output=json', snap])).stdout)['virtual-size']);
    await mkdir(join(this.root, 'disks'), { recursive: true });
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', snap, '-F', 'qcow2', `${file}.tmp`, String(size)]);
    await run('mv', [`${file}.tmp`, file]);
    await this.collectSnapshots();
  }

  /** Removes disk files the store no longer has (see ComputeDriver.collectDisks). */
  async collect(live: ReadonlySet<string>, asOf = Date.now()): Promise<void> {
    const dir = join(this.root, 'disks');
    const names = await readdir(dir).catch(() => [] as string[]);
    const gone = names.filter((n) => n.endsWith('.qcow2') && !live.has(n.slice(0, -'.qcow2'.length)));
    for (const n of gone) {
      const file = join(dir, n);
      if (await this.guestHolding(file)) continue; // still open in a guest: next time
      // A disk's file is created only after its row is committed, so one written since `asOf` may be unknown to `live`.
      if (((await stat(file).catch(() => undefined))?.mtimeMs ?? 0) >= asOf) continue;
      this.bootModes.delete(n.slice(0, -'.qcow2'.length));
      await rm(file, { force: true });
    }
    if (gone.length) await this.collectSnapshots();
  }
}
