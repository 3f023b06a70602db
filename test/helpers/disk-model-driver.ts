/**
 * A compute driver for tests of the durable storage path: the sim driver's guests, plus disks and
 * snapshots modelled in memory the way the qemu driver keeps them in files (a disk has a size and
 * bytes, a snapshot freezes a disk's bytes, a reset copies them back, a guest boots from its disks'
 * bytes). `failNext(hook, n)` makes the next n calls of a hook throw, as a busy host would.
 * One instance can outlive a server (a restart on the same store keeps the "host").
 */
import { SimDriver } from '../../src/compute/sim.js';
import type { ComputeDriver, GuestSpec, PowerState } from '../../src/compute/driver.js';

export type DiskHook = 'resizeDisk' | 'resetDisk' | 'snapshotDisk' | 'deleteSnapshot' | 'collectDisks' | 'discardDisk';

export interface ModelDisk { sizeGiB: number; bytes: string }

export class DiskModelDriver implements ComputeDriver {
  readonly name = 'disk-model';
  readonly clockTimed = true;
  private sim: SimDriver;
  readonly disks = new Map<string, ModelDisk>();
  readonly snapshots = new Map<string, string>();
  /** What each guest's disks held when it last started: instance id → disk id → bytes. */
  readonly bootedWith = new Map<string, Record<string, string>>();
  /** Successful calls per hook, with their arguments. */
  readonly calls: { hook: DiskHook; args: unknown[] }[] = [];
  private failures = new Map<DiskHook, number>();

  constructor(readonly transitionMs: number) {
    this.sim = new SimDriver(transitionMs);
  }

  /** The next `n` calls of `hook` throw (Infinity: every call). */
  failNext(hook: DiskHook, n: number): void { this.failures.set(hook, n); }

  /** What a guest writes to a disk. */
  write(diskId: string, bytes: string): void {
    const d = this.disks.get(diskId);
    if (!d) throw new Error(`no disk ${diskId}`);
    d.bytes = bytes;
  }

  callsOf(hook: DiskHook): unknown[][] { return this.calls.filter((c) => c.hook === hook).map((c) => c.args); }

  private enter(hook: DiskHook, args: unknown[]): void {
    const left = this.failures.get(hook) ?? 0;
    if (left > 0) {
      this.failures.set(hook, left - 1);
      throw new Error(`${hook}: the host is busy (injected failure)`);
    }
    this.calls.push({ hook, args });
  }

  async ensureCreated(spec: GuestSpec): Promise<void> {
    for (const d of spec.disks) {
      if (this.disks.has(d.diskId)) continue;
      const from = d.snapshotId ? this.snapshots.get(d.snapshotId) : undefined;
      this.disks.set(d.diskId, { sizeGiB: d.sizeGiB, bytes: from ?? (d.type === 'system' ? `image:${d.imageId}` : '') });
    }
    await this.sim.ensureCreated(spec);
  }

  async start(spec: GuestSpec): Promise<void> {
    await this.ensureCreated(spec);
    this.bootedWith.set(spec.instanceId, Object.fromEntries(spec.disks.map((d) => [d.diskId, this.disks.get(d.diskId)!.bytes])));
    await this.sim.start(spec);
  }

  stop(instanceId: string, force: boolean): Promise<void> { return this.sim.stop(instanceId); }
  destroy(instanceId: string): Promise<void> { return this.sim.destroy(instanceId); }
  powerState(instanceId: string): Promise<PowerState> { return this.sim.powerState(instanceId); }
  list(): Promise<string[]> { return this.sim.list(); }
  async close(): Promise<void> {}

  async resizeDisk(diskId: string, sizeGiB: number): Promise<void> {
    this.enter('resizeDisk', [diskId, sizeGiB]);
    const d = this.disks.get(diskId);
    if (!d) return; // created at its size when first needed
    if (sizeGiB < d.sizeGiB) throw new Error(`${diskId}: cannot shrink from ${d.sizeGiB} to ${sizeGiB} GiB`);
    d.sizeGiB = sizeGiB;
  }

  async snapshotDisk(diskId: string, snapshotId: string): Promise<void> {
    this.enter('snapshotDisk', [diskId, snapshotId]);
    if (this.snapshots.has(snapshotId)) return;
    const d = this.disks.get(diskId);
    if (!d) throw new Error(`disk ${diskId} has no file`);
    this.snapshots.set(snapshotId, d.bytes);
  }

  async deleteSnapshot(snapshotId: string): Promise<void> {
    this.enter('deleteSnapshot', [snapshotId]);
    this.snapshots.delete(snapshotId);
  }

  async resetDisk(diskId: string, snapshotId: string): Promise<void> {
    this.enter('resetDisk', [diskId, snapshotId]);
    const bytes = this.snapshots.get(snapshotId);
    if (bytes === undefined) throw new Error(`snapshot ${snapshotId} has no file`);
    const d = this.disks.get(diskId);
    this.disks.set(diskId, { sizeGiB: d?.sizeGiB ?? 0, bytes });
  }

  async discardDisk(diskId: string): Promise<void> {
    this.enter('discardDisk', [diskId]);
    this.disks.delete(diskId);
  }

  async collectDisks(live: ReadonlySet<string>): Promise<void> {
    this.enter('collectDisks', [[...live]]);
    for (const id of [...this.disks.keys()]) if (!live.has(id)) this.disks.delete(id);
  }
}
