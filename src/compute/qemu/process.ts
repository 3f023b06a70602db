/**
 * The QEMU process of a guest: its command line, launching it (daemonized, so guests outlive the
 * server), stopping it (ACPI, then quit), and what it is doing (pid, power state, boot marker on
 * the serial console).
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { GuestSpec, PowerState } from '../driver.js';
import { probeAccelerator, type ProbeVerdict } from '../host-probe.js';
import { macAddress } from '../../domain/instances/mac.js';
import type { BootMode } from './boot-mode.js';
import { run } from '../../host/exec.js';
import { READY_MARKER } from './guest-scripts.js';
import { bridgeSlots, diskArguments } from './hotplug.js';
import { nicArguments, type PlacedNic } from './nics.js';
import type { GuestImage } from './image.js';
import { pidAlive, type QemuLayout, type VmRecord } from './layout.js';
import { withQmp } from './qmp.js';
import type { guestNetwork } from './seed.js';
import type { Netns } from '../../network/netns.js';

/**
 * Kernel arguments of every guest boot. Measured under TCG (bench/qemu-boot.ts, guest CPU time):
 * `pci=noacpi` routes PCI interrupts from the BIOS table instead of evaluating each ACPI link
 * (~0.3 s per virtio device); `cryptomgr.notests` skips the crypto self-tests at boot (~0.5 s).
 * Neither changes what the guest can do; the ACPI power button still works.
 * Without ACPI's host-bridge windows the kernel would place PCI memory anywhere below 4 GiB,
 * the IOAPIC/HPET/LAPIC range at 0xfec00000 included: a bridge window over the LAPIC's MSI
 * address swallows the MSIs of the disks behind it (the guest hangs on its first read of a data
 * disk). The two `memmap` reservations keep it off the IOAPIC/HPET/LAPIC (0xfec00000-0xfeffffff)
 * and the BIOS (top 256 KiB), leaving 0xff000000 up for 32-bit BARs and bridge windows.
 */
export const GUEST_KERNEL_ARGS = 'quiet panic=-1 pci=noacpi cryptomgr.notests memmap=0x400000$0xfec00000 memmap=0x40000$0xfffc0000';

/**
 * The TCG vCPU: every feature QEMU emulates except ERMS/FSRM. With them the kernel copies and
 * clears pages with `rep movsb`/`rep stosb`, which TCG runs a byte per iteration; without, the
 * 8-byte forms: ~0.8 s less CPU per boot (15%), same guest ABI otherwise.
 */
export const TCG_CPU = 'max,erms=off,fsrm=off';

/**
 * qboot (Debian's qemu-system-data ships it) instead of SeaBIOS when present: it only loads the
 * kernel, ACPI tables included, with no POST, option ROMs or boot menu: ~0.15-0.2 s less per boot
 * under TCG. The display is the same either way for a PVH-booted kernel: no BIOS text console.
 * OPENECS_QEMU_BIOS: `seabios` to keep QEMU's default, or a firmware file to use instead.
 */
export function fastFirmware(env: NodeJS.ProcessEnv = process.env): string[] {
  const want = env.OPENECS_QEMU_BIOS;
  if (want === 'seabios') return [];
  if (want) return ['-bios', want];
  return existsSync('/usr/share/qemu/qboot.rom') ? ['-bios', 'qboot.rom'] : [];
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
    srv.on('error', reject);
  });
}

export interface CommandLineInput {
  spec: GuestSpec; image: GuestImage; verdict: ProbeVerdict; size: { vcpus: number; memoryMiB: number }; dir: string; initrd: string;
  consoleFile: string; qmpSocket: string; disks: VmRecord['disks']; net?: ReturnType<typeof guestNetwork>; sshPort?: number; httpPort?: number;
  tap?: string; boot?: BootMode;
  /** Secondary NICs (attached ENIs), each with its tap. */
  nics?: PlacedNic[];
}

export interface QemuProcessOptions {
  layout: QemuLayout;
  env: NodeJS.ProcessEnv;
  log: (msg: string, extra?: Record<string, unknown>) => void;
  /** Graceful stop: after this long without a guest poweroff, QEMU is told to quit. */
  stopTimeoutMs: number;
}

export class QemuProcess {
  private readonly layout: QemuLayout;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: QemuProcessOptions['log'];
  readonly stopTimeoutMs: number;
  private verdict?: Promise<ProbeVerdict>;
  private stopRequests = new Map<string, { at: number; lastPowerdown: number }>();

  constructor(o: QemuProcessOptions) {
    this.layout = o.layout;
    this.env = o.env;
    this.log = o.log;
    this.stopTimeoutMs = o.stopTimeoutMs;
  }

  accelerator(): Promise<ProbeVerdict> {
    this.verdict ??= probeAccelerator({ dataDir: join(this.layout.root, '..'), env: this.env });
    return this.verdict;
  }

  /** Clears the files a previous boot left that would confuse this one (sockets, pid, stop request). */
  async clearForBoot(instanceId: string, qmpSocket: string): Promise<void> {
    const dir = this.layout.dir(instanceId);
    await Promise.all([
      rm(qmpSocket, { force: true }),
      rm(this.layout.vncSocket(instanceId), { force: true }),
      rm(join(dir, 'qemu.pid'), { force: true }),
      rm(join(dir, 'stop-requested'), { force: true }),
    ]);
  }

  /** A new boot: an earlier stop request no longer applies. */
  forgetStop(instanceId: string) { this.stopRequests.delete(instanceId); }

  /**
   * -daemonize returns once QEMU is set up (or failed), with the error on stderr.
   * Inside the namespace QEMU can open the tap; it daemonizes there.
   */
  async launch(bin: string, args: string[], netns?: Netns): Promise<void> {
    if (netns) await netns.exec(bin, args, { timeoutMs: 60_000 });
    else await run(bin, args, { timeoutMs: 60_000 });
  }

  commandLine(o: CommandLineInput): string[] {
    const kvm = o.verdict.accelerator === 'kvm';
    const direct = o.boot !== 'firmware';
    const args = [
      '-name', `${o.spec.instanceId},process=qemu-${o.spec.instanceId}`,
      '-machine', 'pc', '-accel', kvm ? 'kvm' : 'tcg', '-cpu', kvm ? o.verdict.cpu ?? 'host' : TCG_CPU,
      '-m', String(o.size.memoryMiB), '-smp', String(o.size.vcpus),
      '-nodefaults', '-no-user-config', '-display', 'none',
      // A disk with its own boot loader needs a BIOS that boots disks (SeaBIOS, QEMU's default).
      ...(direct ? [...fastFirmware(this.env), '-kernel', o.image.kernel, '-initrd', o.initrd,
        // OPENECS_QEMU_KERNEL_ARGS: extra arguments (diagnostics, e.g. `loglevel=7 printk.time=1 initcall_debug`).
        '-append', [`console=tty0 console=ttyS0 ${GUEST_KERNEL_ARGS}`, this.env.OPENECS_QEMU_KERNEL_ARGS, `openecs.instance=${o.spec.instanceId}`].filter(Boolean).join(' ')] : []),
      // What ECS's hypervisor tells the guest it is: cloud-init's ds-identify and its AliYun
      // datasource use the metadata service only on product "Alibaba Cloud ECS".
      '-smbios', `type=1,manufacturer=Alibaba Cloud,product=Alibaba Cloud ECS${o.spec.serialNumber ? `,serial=${o.spec.serialNumber.replace(/,/g, ',,')}` : ''}`,
      '-device', 'virtio-rng-pci',
      '-chardev', `file,id=console,path=${o.consoleFile},append=on`, '-serial', 'chardev:console',
      '-qmp', `unix:${o.qmpSocket},server=on,wait=off`,
      // The management terminal: VNC on a unix socket, password set over QMP after start. The
      // display is virtio-gpu, not the std VGA: with `pci=noacpi` the guest sees the host bridge's
      // ACPI window as a conflict and can only place BARs in the small hole above it or above 4 GiB,
      // so the std VGA's 16 MiB 32-bit framebuffer BAR stays unassigned (bochs-drm: "less than
      // 4 MB video memory"); virtio-gpu has only small and 64-bit BARs. The guest loads its
      // driver after READY (image.ts LATE_MODULES) and fbcon shows tty1's login prompt.
      // A firmware boot shows the BIOS and boot loader on the std VGA (their kernel, their arguments).
      '-vnc', `unix:${this.layout.vncSocket(o.spec.instanceId)},password=on`, ...(direct ? ['-vga', 'none', '-device', 'virtio-gpu-pci'] : ['-vga', 'std']),
      '-pidfile', join(o.dir, 'qemu.pid'), '-daemonize',
    ];
    const diskArgs = diskArguments(o.disks, { firmwareBoot: !direct });
    args.push(...diskArgs);
    if (o.nics?.length) args.push(...nicArguments(o.nics, bridgeSlots(diskArgs)));
    if (o.net && o.tap) {
      args.push('-netdev', `tap,id=net0,ifname=${o.tap},script=no,downscript=no`,
        '-device', `virtio-net-pci,netdev=net0,mac=${macAddress(o.spec.instanceId)}`);
    } else if (o.net) {
      const fwd = [`hostfwd=tcp:127.0.0.1:${o.sshPort}-${o.net.ip}:22`, `hostfwd=tcp:127.0.0.1:${o.httpPort}-${o.net.ip}:80`];
      args.push('-netdev', `user,id=net0,net=${o.net.cidr},host=${o.net.gateway},dns=${o.net.dns},${fwd.join(',')}`,
        '-device', `virtio-net-pci,netdev=net0,mac=${macAddress(o.spec.instanceId)}`);
    } else {
      args.push('-nic', 'none');
    }
    return args;
  }

  /**
   * Asks for a stop and returns (the engine polls powerState): force quits QEMU at once;
   * otherwise ACPI power button (repeated, in case the guest was not listening yet), then quit
   * once `stopTimeoutMs` has passed since the first request.
   */
  async stop(instanceId: string, force: boolean): Promise<void> {
    if (!(await this.layout.pid(instanceId))) return;
    const rec = await this.layout.record(instanceId);
    if (!rec) return;
    const now = Date.now();
    let req = this.stopRequests.get(instanceId);
    if (!req) {
      const persisted = await readFile(join(this.layout.dir(instanceId), 'stop-requested'), 'utf8').then(Number, () => 0);
      req = { at: persisted || now, lastPowerdown: 0 };
      this.stopRequests.set(instanceId, req);
      if (!persisted) await writeFile(join(this.layout.dir(instanceId), 'stop-requested'), String(now));
    }
    if (force || now - req.at >= this.stopTimeoutMs) {
      await this.kill(instanceId, rec);
      return;
    }
    if (now - req.lastPowerdown >= 2000) {
      req.lastPowerdown = now;
      await withQmp(rec.qmpSocket, (c) => c.powerdown()).catch((e) => this.log('powerdown failed', { instanceId, error: String(e) }));
    }
  }

  async kill(instanceId: string, rec?: VmRecord) {
    const pid = await this.layout.pid(instanceId);
    if (!pid) return;
    if (rec) await withQmp(rec.qmpSocket, (c) => c.quit()).catch(() => {});
    for (let i = 0; i < 40 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (pidAlive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    for (let i = 0; i < 40 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 25));
  }

  /** Kills the guest's QEMU, also one whose folder is gone (a half-finished destroy before a crash), found by its command line. */
  async killAll(instanceId: string, rec?: VmRecord): Promise<void> {
    await this.kill(instanceId, rec);
    for (const [id, pid] of await this.qemuProcesses()) {
      if (id === instanceId) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    }
    this.stopRequests.delete(instanceId);
  }

  /** Stops and waits until the guest is down (CLI and tests; the engine uses stop + powerState). */
  async stopAndWait(instanceId: string, force = false, timeoutMs = this.stopTimeoutMs + 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while ((await this.powerState(instanceId)) === 'running') {
      if (Date.now() > deadline) throw new Error(`${instanceId} did not stop within ${timeoutMs} ms`);
      await this.stop(instanceId, force);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Live QEMU processes started from this data dir: instance id → pid (from /proc command lines). */
  async qemuProcesses(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    let pids: string[] = [];
    try { pids = await readdir('/proc'); } catch { return out; }
    const marker = `${this.layout.root}/`;
    for (const p of pids) {
      if (!/^\d+$/.test(p)) continue;
      const cmd = await readFile(`/proc/${p}/cmdline`, 'utf8').catch(() => '');
      if (!cmd.includes(marker) || !cmd.includes('-pidfile')) continue;
      const args = cmd.split('\0');
      const pf = args[args.indexOf('-pidfile') + 1] ?? '';
      const m = pf.startsWith(marker) ? /^(i-[A-Za-z0-9-]+)\/qemu\.pid$/.exec(pf.slice(marker.length)) : null;
      if (m) out.set(m[1]!, Number(p));
    }
    return out;
  }

  async powerState(instanceId: string): Promise<PowerState> {
    if (!existsSync(this.layout.dir(instanceId))) return 'absent';
    if (!(await this.layout.pid(instanceId))) return 'stopped';
    const rec = await this.layout.record(instanceId);
    if (!rec) return 'running';
    // Booting (no READY marker yet): running, without asking QMP. The engine looks every 50 ms
    // while a guest boots, and each QMP session takes QEMU's big lock from the vCPU thread.
    if (!(await this.bootMarkerSeen(rec, instanceId))) return 'running';
    try {
      const st = await withQmp(rec.qmpSocket, (c) => c.queryStatus());
      // `shutdown`: the guest powered off and QEMU is on its way out.
      return st.status === 'shutdown' ? 'stopped' : 'running';
    } catch {
      return (await this.layout.pid(instanceId)) ? 'running' : 'stopped';
    }
  }

  /** The guest printed its READY marker in this boot. */
  async ready(instanceId: string): Promise<boolean> {
    const rec = await this.layout.record(instanceId);
    if (!rec || !(await this.layout.pid(instanceId))) return false;
    return this.bootMarkerSeen(rec, instanceId);
  }

  /** A firmware-booted guest has no READY marker: as on ECS, Running then means its machine runs. */
  private async bootMarkerSeen(rec: VmRecord, instanceId: string): Promise<boolean> {
    if (rec.boot === 'firmware') return true;
    const text = await readFile(this.layout.consolePath(instanceId)).then((b) => b.subarray(rec.consoleOffset).toString('utf8'), () => '');
    return text.includes(`${READY_MARKER} instance=${instanceId}`);
  }

  /** Waits for the READY marker of the current boot on the serial console; returns ms since start. */
  async waitReady(instanceId: string, timeoutMs = 60_000): Promise<number> {
    const rec = await this.layout.record(instanceId);
    if (!rec) throw new Error(`${instanceId} was never started`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await readFile(this.layout.consolePath(instanceId)).then((b) => b.subarray(rec.consoleOffset).toString('utf8'), () => '');
      if (text.includes(`${READY_MARKER} instance=${instanceId}`)) return Date.now() - rec.startedAt;
      if (Date.now() > deadline) throw new Error(`${instanceId}: no ${READY_MARKER} within ${timeoutMs} ms; console tail: ${text.slice(-400)}`);
      if (!(await this.layout.pid(instanceId))) throw new Error(`${instanceId}: QEMU exited before ${READY_MARKER}; console tail: ${text.slice(-400)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The serial console output of the current boot. */
  async consoleOutput(instanceId: string): Promise<string> {
    const rec = await this.layout.record(instanceId);
    return readFile(this.layout.consolePath(instanceId)).then((b) => b.subarray(rec?.consoleOffset ?? 0).toString('utf8'), () => '');
  }
}
