/**
 * Where the qemu driver keeps an instance's state, and the record of what was started
 * (`<instanceId>/vm.json`, `qemu.pid`): the one thing every part of the driver reads.
 * The layout under `<dataDir>/qemu/` is described in driver.ts.
 */
import { readFile, readdir, rename, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BootMode } from './boot-mode.js';
import type { PlacedDisk } from './hotplug.js';

export interface VmRecord {
  instanceId: string;
  image: string;
  accelerator: string;
  qmpSocket: string;
  disks: PlacedDisk[];
  /** `direct`: the built-in kernel and seed (READY marker); `firmware`: the disk's own boot loader (boot-mode.ts). */
  boot?: BootMode;
  /** The SHPC bridge data disks sit on (hotplug.ts); absent for guests started before it existed: no hot-plug for them. */
  hotplugBus?: string;
  sshPort?: number;
  httpPort?: number;
  /** `netns`: the guest's tap in the instance namespace; `user`: QEMU user-mode networking. */
  network?: 'netns' | 'user' | 'none';
  tap?: string;
  privateIp?: string;
  /** Secondary NICs (ENI ids) this guest has or had plugged, each with a tap of its own (nics.ts). */
  nics?: string[];
  vcpus: number;
  memoryMiB: number;
  startedAt: number;
  /** console.log size when this boot started: the boot's own output begins there. */
  consoleOffset: number;
  /** The sealed VNC password this boot's console has ('' or absent: a random one nobody knows). */
  vncPasswordSealed?: string;
  /** The metadata generation this boot's metadata document serves (absent: 0). */
  metadataGeneration?: number;
}

export const INSTANCE_DIR = /^i-[A-Za-z0-9-]+$/;

/** Unix socket paths must fit sun_path (108 bytes); long data dirs get a stable name in the temp dir. */
export function socketPath(dir: string, name: string) {
  const p = join(dir, name);
  if (Buffer.byteLength(p) < 100) return p;
  return join(tmpdir(), `openecs-${createHash('sha256').update(p).digest('hex').slice(0, 16)}-${name}`);
}

export function pidAlive(pid: number) {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

export class QemuLayout {
  /** `<dataDir>/qemu` */
  constructor(readonly root: string) {}

  dir(instanceId: string) {
    if (!INSTANCE_DIR.test(instanceId)) throw new Error(`bad instance id ${instanceId}`);
    return join(this.root, instanceId);
  }
  diskFile(diskId: string) { return join(this.root, 'disks', `${diskId.replace(/[^A-Za-z0-9-]/g, '')}.qcow2`); }
  snapshotFile(snapshotId: string) { return join(this.root, 'snapshots', `${snapshotId.replace(/[^A-Za-z0-9-]/g, '')}.qcow2`); }
  consolePath(instanceId: string) { return join(this.dir(instanceId), 'console.log'); }
  vncSocket(instanceId: string) { return socketPath(this.dir(instanceId), 'vnc.sock'); }

  /** The instances that have a folder here. */
  async instanceIds(): Promise<string[]> {
    const names = await readdir(this.root).catch(() => [] as string[]);
    return names.filter((n) => INSTANCE_DIR.test(n));
  }

  async record(instanceId: string): Promise<VmRecord | undefined> {
    try { return JSON.parse(await readFile(join(this.dir(instanceId), 'vm.json'), 'utf8')) as VmRecord; } catch { return undefined; }
  }

  async writeRecord(rec: VmRecord): Promise<void> {
    await writeFile(join(this.dir(rec.instanceId), 'vm.json'), JSON.stringify(rec, null, 2));
  }

  async updateRecord(instanceId: string, fn: (r: VmRecord) => VmRecord): Promise<void> {
    const rec = await this.record(instanceId);
    if (!rec) return;
    const path = join(this.dir(instanceId), 'vm.json');
    await writeFile(`${path}.tmp`, JSON.stringify(fn(rec), null, 2));
    await rename(`${path}.tmp`, path);
  }

  /** The QEMU pid when that process is alive and really ours (guards against pid reuse). */
  async pid(instanceId: string): Promise<number | undefined> {
    let pid: number;
    try { pid = Number((await readFile(join(this.dir(instanceId), 'qemu.pid'), 'utf8')).trim()); } catch { return undefined; }
    if (!pid || !pidAlive(pid)) return undefined;
    try {
      const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(this.dir(instanceId))) return undefined;
    } catch { /* no /proc: trust the pid */ }
    return pid;
  }

  /** The record of a guest whose QEMU runs now. */
  async running(instanceId: string): Promise<VmRecord | undefined> {
    const rec = await this.record(instanceId);
    return rec && (await this.pid(instanceId)) ? rec : undefined;
  }
}
