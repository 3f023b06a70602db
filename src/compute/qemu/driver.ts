/**
 * The qemu driver: every ECS instance is a real virtual machine, one QEMU process each.
 *
 * Layout under `<dataDir>/qemu/`:
 *   `<instanceId>/`  vm.json (what was started, ports, sockets), initrd.img (image initramfs +
 *                    seed), console.log (serial console, appended across boots), qemu.pid, qmp.sock
 *   `disks/<diskId>.qcow2`          copy-on-write clones of the image's base disk (or blank)
 *   `snapshots/<snapshotId>.qcow2`  frozen copies of disks
 * QEMU runs daemonized (`-daemonize`), so guests outlive the server; a restarted server finds
 * them again through the pid file and QMP.
 *
 * Networking (`OPENECS_QEMU_NET`): `netns` (the default where it works: root, iproute2, nftables)
 * puts each guest on a tap in its VPC's bridge inside the instance namespace (src/network/netns.ts),
 * with its private IP, the metadata service at 100.100.100.200 and security groups compiled to
 * nftables; `user` is QEMU user-mode networking (the guest on its private IP, SSH/HTTP forwarded
 * to 127.0.0.1 ports recorded in vm.json, no metadata service, no security groups); `none`.
 */
import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { appendFile, link, mkdir, readFile, readdir, rename, rm, stat, writeFile, unlink } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import type { ComputeDriver, GuestDisk, GuestSpec, MonitorSample, NicSecurityPolicy, PowerState } from '../driver.js';
import { RETENTION_MS, parseSamples, processCpuSeconds } from './monitor.js';
import { Netns, netnsUnavailable, tapName } from '../../network/netns.js';
import type { InstanceMetadata } from '../../network/metadata.js';
import { renderRuleset } from '../../network/nft-compiler.js';
import { probeAccelerator, qemuBinary, type ProbeVerdict } from '../host-probe.js';
import { run } from './exec.js';
import { exportImageFile, importImageFile } from './image-files.js';
import type { ExportFormat, ImportFormat } from '../../domain/storage/image-files.js';
import { READY_MARKER } from './guest-scripts.js';
import { BASE_DISK_GIB, ensureImage, type GuestImage } from './image.js';
import { QmpClient, withQmp } from './qmp.js';
import { bootModeOf, type BootMode } from './boot-mode.js';
import { DhcpService } from '../../network/dhcp.js';
import { diskArguments, HOTPLUG_BUS, plugDisk, unplugDisk, type PlacedDisk } from './hotplug.js';
import { guestNetwork, seedArchive } from './seed.js';
import { guestSize, sizeCapsFromEnv } from './sizing.js';
import { Sealer } from '../../auth/secrets.js';
import { macAddress } from '../../domain/instances/mac.js';
import type { MetadataOptions } from '../../domain/instances/metadata-options.js';
import { VncProxy } from './vnc-proxy.js';

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
  vcpus: number;
  memoryMiB: number;
  startedAt: number;
  /** console.log size when this boot started: the boot's own output begins there. */
  consoleOffset: number;
}

export interface QemuDriverOptions {
  dataDir: string;
  /** Graceful stop: after this long without a guest poweroff, QEMU is told to quit. */
  stopTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  /** false: no periodic monitoring samples (tests and CLI drivers that only look). */
  sampleMonitoring?: boolean;
}

const INSTANCE_DIR = /^i-[A-Za-z0-9-]+$/;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
    srv.on('error', reject);
  });
}

/** Unix socket paths must fit sun_path (108 bytes); long data dirs get a stable name in the temp dir. */
function socketPath(dir: string, name: string) {
  const p = join(dir, name);
  if (Buffer.byteLength(p) < 100) return p;
  return join(tmpdir(), `openecs-${createHash('sha256').update(p).digest('hex').slice(0, 16)}-${name}`);
}

function pidAlive(pid: number) {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

const HELPER = fileURLToPath(new URL('../../network/metadata-helper.ts', import.meta.url));

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

export class QemuDriver implements ComputeDriver {
  readonly name = 'qemu';
  /** Power changes are observed (process + QMP), not timed. */
  readonly transitionMs = 0;
  readonly root: string;
  private readonly stopTimeoutMs: number;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: NonNullable<QemuDriverOptions['log']>;
  private verdict?: Promise<ProbeVerdict>;
  private stopRequests = new Map<string, { at: number; lastPowerdown: number }>();
  private netMode?: Promise<'netns' | 'user' | 'none'>;
  /** The instance namespace (netns mode); `owner` tells this data dir's taps and nft table apart. */
  readonly netns: Netns;
  readonly owner: string;
  private readonly dhcp: DhcpService;
  /** When each pending unplug (`<instance>/<disk>`) was last requested. */
  private unplugRequests = new Map<string, number>();
  /** Boot mode per system disk (a qemu-io read each start otherwise); forgotten when the disk's bytes are replaced. */
  private bootModes = new Map<string, BootMode>();
  private lastRuleset = '';
  private vnc?: VncProxy;
  /** VPC bridges in the namespace, for the isolation rule (read once, then kept as start() adds them). */
  private bridges?: Set<string>;
  private sampler?: NodeJS.Timeout;
  private sampling = false;
  private imageMemo?: { at: number; p: Promise<GuestImage> };
  lastAppliedAt = 0;
  /** How long the last `nft -f` took (diagnostics). */
  lastApplyMs = 0;

  constructor(opts: QemuDriverOptions) {
    if (opts.dataDir === ':memory:') throw new Error('the qemu driver needs a data directory (OPENECS_DATA_DIR), not :memory:');
    this.root = join(opts.dataDir, 'qemu');
    this.env = opts.env ?? process.env;
    this.stopTimeoutMs = opts.stopTimeoutMs ?? Number(this.env.OPENECS_QEMU_STOP_TIMEOUT_MS ?? 30_000);
    this.log = opts.log ?? (() => {});
    this.owner = createHash('sha256').update(this.root).digest('hex').slice(0, 8);
    this.netns = new Netns(this.env.OPENECS_NETNS || 'openecs', this.owner);
    this.dhcp = new DhcpService(this.netns, join(this.runtimeDir(), 'dhcp'), this.log);
    // Monitoring: one sample per interval (default a minute, ECS's finest Period) of every running guest.
    const every = Number(this.env.OPENECS_MONITOR_INTERVAL_MS || 60_000);
    if (every > 0 && opts.sampleMonitoring !== false) {
      this.sampler = setInterval(() => void this.sampleAll(), every);
      this.sampler.unref();
    }
  }

  /** Appends one monitoring sample per running guest. */
  async sampleAll(): Promise<void> {
    if (this.sampling) return;
    this.sampling = true;
    try {
      let names: string[] = [];
      try { names = await readdir(this.root); } catch { return; }
      for (const id of names.filter((n) => INSTANCE_DIR.test(n))) await this.sample(id).catch(() => {});
    } finally { this.sampling = false; }
  }

  async sample(instanceId: string): Promise<MonitorSample | undefined> {
    const pid = await this.pid(instanceId);
    const rec = await this.record(instanceId);
    if (!pid || !rec) return undefined;
    const cpuSeconds = await processCpuSeconds(pid);
    if (cpuSeconds === undefined) return undefined;
    const s: MonitorSample = { t: Date.now(), cpuSeconds, vcpus: rec.vcpus, netRxBytes: 0, netTxBytes: 0, disks: {} };
    for (const b of await withQmp(rec.qmpSocket, (c) => c.blockStats()).catch(() => [])) {
      const st = b.stats as typeof b.stats & { rd_total_time_ns?: number; wr_total_time_ns?: number };
      if (!b.device) continue;
      s.disks[b.device] = { readBytes: st.rd_bytes, writeBytes: st.wr_bytes, readOps: st.rd_operations, writeOps: st.wr_operations, readNs: st.rd_total_time_ns ?? 0, writeNs: st.wr_total_time_ns ?? 0 };
    }
    if (rec.tap) {
      // The host side of a tap receives what the guest sends.
      const link = await this.netns.ip(['-s', '-j', 'link', 'show', 'dev', rec.tap]).then((r) => JSON.parse(r.stdout)[0], () => undefined);
      s.netTxBytes = Number(link?.stats64?.rx?.bytes ?? 0);
      s.netRxBytes = Number(link?.stats64?.tx?.bytes ?? 0);
    }
    const file = join(this.dir(instanceId), 'monitor.jsonl');
    await appendFile(file, JSON.stringify(s) + '\n');
    // Trim to the retention now and then (the file grows by a line a minute).
    if (Math.random() < 0.01) {
      const kept = parseSamples(await readFile(file, 'utf8'), Date.now() - RETENTION_MS);
      await writeFile(file, kept.map((k) => JSON.stringify(k) + '\n').join(''));
    }
    return s;
  }

  async monitorSamples(instanceId: string, since: number): Promise<MonitorSample[]> {
    if (!INSTANCE_DIR.test(instanceId)) return [];
    return parseSamples(await readFile(join(this.dir(instanceId), 'monitor.jsonl'), 'utf8').catch(() => ''), since);
  }

  /** How guests are networked here: OPENECS_QEMU_NET, else netns when it works, else user mode (logged once). */
  network(): Promise<'netns' | 'user' | 'none'> {
    this.netMode ??= (async () => {
      const want = this.env.OPENECS_QEMU_NET;
      if (want === 'user' || want === 'none') return want;
      const why = await netnsUnavailable();
      if (!why) return 'netns';
      if (want === 'netns') throw new Error(`OPENECS_QEMU_NET=netns but the instance namespace cannot be used: ${why}`);
      this.log('instance network: user-mode networking (no namespace, metadata service or security groups)', { reason: why });
      return 'user';
    })();
    return this.netMode;
  }

  /** Per-namespace runtime files: the metadata documents (one per private IP) and the helper's pid. */
  runtimeDir() { return join(this.env.OPENECS_RUN_DIR || '/run/openecs', this.netns.name); }
  metadataDocPath(ip: string) { return join(this.runtimeDir(), 'meta', `${ip}.json`); }

  /** Starts the metadata service in the namespace unless it already runs (it outlives the server). */
  async ensureMetadataService(): Promise<void> {
    const dir = this.runtimeDir();
    await mkdir(join(dir, 'meta'), { recursive: true });
    const pidFile = join(dir, 'metadata.pid');
    const old = await readFile(pidFile, 'utf8').then(Number, () => 0);
    if (old && pidAlive(old)) {
      const cmd = await readFile(`/proc/${old}/cmdline`, 'utf8').catch(() => '');
      if (cmd.includes('metadata-helper') && (await this.netns.pids()).includes(old)) return;
    }
    const tsx = fileURLToPath(import.meta.resolve('tsx'));
    const log = openSync(join(dir, 'metadata.log'), 'a');
    const child = spawn('ip', ['netns', 'exec', this.netns.name, process.execPath, '--import', tsx, HELPER, join(dir, 'meta')],
      { detached: true, stdio: ['ignore', log, log] });
    child.unref();
    // `ip netns exec` execs node in place, so the child's pid is the helper's.
    await writeFile(pidFile, String(child.pid));
    this.log('metadata service started', { netns: this.netns.name, pid: child.pid });
  }

  private metadataDoc(spec: GuestSpec, net: NonNullable<ReturnType<typeof guestNetwork>>): InstanceMetadata {
    const mask = net.prefix === 0 ? 0 : (0xffffffff << (32 - net.prefix)) >>> 0;
    return {
      instanceId: spec.instanceId, hostname: spec.hostName || spec.instanceId, privateIp: net.ip, mac: macAddress(spec.instanceId),
      regionId: spec.regionId ?? '', zoneId: spec.zoneId ?? '', imageId: spec.imageId, instanceType: spec.instanceType ?? '',
      vpcId: spec.vpcId, vswitchId: spec.vswitchId, vpcCidr: spec.vpcCidr ?? '', vswitchCidr: spec.vswitchCidr ?? net.cidr,
      gateway: net.gateway, netmask: [24, 16, 8, 0].map((b) => (mask >>> b) & 255).join('.'),
      serialNumber: spec.serialNumber ?? '', ownerAccountId: spec.accountId ?? '',
      publicKeys: spec.publicKey ? [spec.publicKey] : [], userData: spec.userData,
      eniId: spec.eniId ?? `eni-${createHash('sha256').update(spec.instanceId).digest('hex').slice(0, 20)}`,
      httpEndpoint: spec.metadataOptions?.httpEndpoint, httpTokens: spec.metadataOptions?.httpTokens, tags: spec.metadataTags,
    };
  }

  dir(instanceId: string) {
    if (!INSTANCE_DIR.test(instanceId)) throw new Error(`bad instance id ${instanceId}`);
    return join(this.root, instanceId);
  }
  diskFile(diskId: string) { return join(this.root, 'disks', `${diskId.replace(/[^A-Za-z0-9-]/g, '')}.qcow2`); }
  snapshotFile(snapshotId: string) { return join(this.root, 'snapshots', `${snapshotId.replace(/[^A-Za-z0-9-]/g, '')}.qcow2`); }
  consolePath(instanceId: string) { return join(this.dir(instanceId), 'console.log'); }

  accelerator(): Promise<ProbeVerdict> {
    this.verdict ??= probeAccelerator({ dataDir: join(this.root, '..'), env: this.env });
    return this.verdict;
  }

  async record(instanceId: string): Promise<VmRecord | undefined> {
    try { return JSON.parse(await readFile(join(this.dir(instanceId), 'vm.json'), 'utf8')) as VmRecord; } catch { return undefined; }
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

  /**
   * The guest image, checked at most once a minute: checking means spawning `file` and hashing
   * inputs, and the engine calls ensureCreated on every step of a start.
   */
  private image(): Promise<GuestImage> {
    if (!this.imageMemo || Date.now() - this.imageMemo.at > 60_000) {
      const p = ensureImage({ log: (m) => this.log(`image: ${m}`) });
      this.imageMemo = { at: Date.now(), p };
      p.catch(() => { if (this.imageMemo?.p === p) this.imageMemo = undefined; });
    }
    return this.imageMemo.p;
  }

  async ensureCreated(spec: GuestSpec): Promise<void> {
    await mkdir(this.dir(spec.instanceId), { recursive: true });
    // Independent files: created at once.
    await Promise.all(spec.disks.map((d) => this.ensureDiskFile(d)));
  }

  /** A disk's qcow2 file, created when missing: a clone of its snapshot or (system disk) of the image, else blank. */
  private async ensureDiskFile(d: GuestDisk): Promise<void> {
    const file = this.diskFile(d.diskId);
    if (existsSync(file)) return;
    const snap = d.snapshotId ? this.snapshotFile(d.snapshotId) : '';
    const backing = snap && existsSync(snap) ? snap : d.type === 'system' ? (await this.image()).baseDisk : '';
    const sizeGiB = Math.max(d.sizeGiB || 0, d.type === 'system' ? BASE_DISK_GIB : 1);
    await mkdir(join(this.root, 'disks'), { recursive: true });
    await run('qemu-img', ['create', '-q', '-f', 'qcow2', ...(backing ? ['-b', backing, '-F', 'qcow2'] : []), `${file}.tmp`, `${sizeGiB}G`]);
    await rename(`${file}.tmp`, file);
  }

  /**
   * AttachDisk on a running guest: the disk is hot-plugged onto the SHPC bridge (hotplug.ts) and
   * the guest sees it about 5 s later. A stopped guest gets it at its next start (start() reads the
   * store's disks); so does a guest started before the bridge existed.
   */
  async attachDisk(instanceId: string, disk: GuestDisk): Promise<void> {
    const rec = await this.record(instanceId);
    if (disk.type !== 'data' || !rec || !(await this.pid(instanceId))) return;
    await this.ensureDiskFile(disk);
    const placed: PlacedDisk = { diskId: disk.diskId, file: this.diskFile(disk.diskId), type: disk.type, device: disk.device };
    if (!rec.hotplugBus) {
      this.log('no hot-plug bus in this guest: the disk appears at its next start', { instanceId, diskId: disk.diskId });
      return;
    }
    await withQmp(rec.qmpSocket, (c) => plugDisk(c, placed));
    await this.updateRecord(instanceId, (r) => ({ ...r, disks: [...r.disks.filter((d) => d.diskId !== disk.diskId), placed] }));
    this.log('disk hot-plugged', { instanceId, diskId: disk.diskId });
  }

  /** A system disk cloned from the built-in image (no snapshot) boots directly; others are read once. */
  private async bootMode(d: GuestDisk): Promise<BootMode> {
    if (!d.snapshotId) return 'direct';
    let mode = this.bootModes.get(d.diskId);
    if (!mode) this.bootModes.set(d.diskId, (mode = await bootModeOf(this.diskFile(d.diskId))));
    return mode;
  }

  /**
   * DetachDisk: true once the guest has let go of the disk (or is not running), false while the
   * unplug is pending. The request is sent once, and again only after 30 s of silence (a guest
   * still booting may not have listened).
   */
  async detachDisk(instanceId: string, diskId: string): Promise<boolean> {
    const rec = await this.record(instanceId);
    if (!rec || !(await this.pid(instanceId)) || !rec.hotplugBus) return true;
    const key = `${instanceId}/${diskId}`;
    const last = this.unplugRequests.get(key);
    const request = last === undefined || Date.now() - last > 30_000;
    const state = await withQmp(rec.qmpSocket, (c) => unplugDisk(c, diskId, request));
    if (state === 'pending') {
      if (request) this.unplugRequests.set(key, Date.now());
      return false;
    }
    this.unplugRequests.delete(key);
    await this.updateRecord(instanceId, (r) => ({ ...r, disks: r.disks.filter((d) => d.diskId !== diskId) }));
    this.log('disk unplugged', { instanceId, diskId });
    return true;
  }

  private async updateRecord(instanceId: string, fn: (r: VmRecord) => VmRecord): Promise<void> {
    const rec = await this.record(instanceId);
    if (!rec) return;
    const path = join(this.dir(instanceId), 'vm.json');
    await writeFile(`${path}.tmp`, JSON.stringify(fn(rec), null, 2));
    await rename(`${path}.tmp`, path);
  }

  async start(spec: GuestSpec): Promise<void> {
    if (await this.pid(spec.instanceId)) return;
    // Host-side setup in parallel (disks, image, accelerator, network): on a loaded host each
    // spawned `ip`/`qemu-img` waits for a CPU, and the guest boot cannot begin before all are done.
    const [image, verdict, bin, mode] = await Promise.all([this.image(), this.accelerator(), qemuBinary(this.env), this.network(),
      this.ensureCreated(spec)]);
    const system = spec.disks.find((d) => d.type === 'system');
    const boot = system ? await this.bootMode(system) : 'direct';
    if (!bin) throw new Error('qemu-system-x86_64 not found (apt-get install qemu-system-x86)');
    const dir = this.dir(spec.instanceId);
    const initrd = join(dir, 'initrd.img');
    const metadataService = mode === 'netns';
    if (!spec.password && spec.passwordSealed) {
      try { spec = { ...spec, password: Sealer.forDataDir(join(this.root, '..')).open(spec.passwordSealed) }; } catch (e) {
        this.log('cannot open the sealed password (was the data dir key replaced?)', { instance: spec.instanceId, error: String(e) });
      }
    }
    const consoleFile = this.consolePath(spec.instanceId);
    const size = guestSize(spec.cpu, spec.memoryMiB, sizeCapsFromEnv(this.env));
    const qmpSocket = socketPath(dir, 'qmp.sock');
    const disks = [...spec.disks].sort((a, b) => (a.type === 'system' ? -1 : b.type === 'system' ? 1 : a.device.localeCompare(b.device)))
      .map((d): PlacedDisk => ({ diskId: d.diskId, file: this.diskFile(d.diskId), type: d.type, device: d.device }));
    const net = mode === 'none' ? undefined : guestNetwork(spec.privateIp, spec.vswitchCidr);
    const network = async (): Promise<string | undefined> => {
      if (!net || mode !== 'netns') return undefined;
      // The address moved while the guest was stopped (ModifyInstanceVpcAttribute): the metadata
      // service must stop answering the old address with this instance's document.
      const before = await this.record(spec.instanceId);
      // Only while the document there is still this instance's: another guest may hold that address now.
      if (before?.privateIp && before.privateIp !== net.ip && before.network === 'netns') {
        const old = this.metadataDocPath(before.privateIp);
        const doc = await readFile(old, 'utf8').then((t) => JSON.parse(t) as { instanceId?: string }, () => undefined);
        if (doc?.instanceId === spec.instanceId) await rm(old, { force: true });
      }
      // Not `this.bridges?.add(await …)`: optional chaining would skip the call when bridges is unset.
      const bridge = await this.netns.ensureBridge(spec.vpcId, [`${net.gateway}/${net.prefix}`]);
      this.bridges?.add(bridge);
      // Not awaited: only guests that configure themselves use DHCP, seconds into their boot.
      void this.dhcp.addHost({ instanceId: spec.instanceId, mac: macAddress(spec.instanceId), ip: net.ip, hostname: spec.hostName || spec.instanceId, cidr: net.cidr })
        .catch((e) => this.log('DHCP host not served', { instance: spec.instanceId, error: String(e) }));
      const [tap] = await Promise.all([
        this.netns.ensureTap(spec.instanceId, spec.vpcId),
        // The service's folder exists once ensureMetadataService has run.
        this.ensureMetadataService().then(() => writeFile(this.metadataDocPath(net.ip), JSON.stringify(this.metadataDoc(spec, net)), { mode: 0o600 })),
      ]);
      return tap;
    };
    const [tap, consoleOffset] = await Promise.all([
      network(),
      stat(consoleFile).then((s) => s.size, () => 0),
      boot === 'direct' && readFile(image.initramfs).then((base) => writeFile(initrd, Buffer.concat([base, seedArchive(spec, { metadataService })]), { mode: 0o600 })),
      rm(qmpSocket, { force: true }),
      rm(this.vncSocket(spec.instanceId), { force: true }),
      rm(join(dir, 'qemu.pid'), { force: true }),
      rm(join(dir, 'stop-requested'), { force: true }),
    ]);
    const sshPort = net && !tap ? await freePort() : undefined;
    const httpPort = net && !tap ? await freePort() : undefined;
    const args = this.commandLine({ spec, image, verdict, size, dir, initrd, consoleFile, qmpSocket, disks, net, sshPort, httpPort, tap, boot });
    const rec: VmRecord = {
      instanceId: spec.instanceId, image: image.name, accelerator: verdict.accelerator, qmpSocket, disks, sshPort, httpPort,
      network: net ? mode : 'none', tap, privateIp: net?.ip, hotplugBus: HOTPLUG_BUS, boot,
      vcpus: size.vcpus, memoryMiB: size.memoryMiB, startedAt: Date.now(), consoleOffset,
    };
    await writeFile(join(dir, 'vm.json'), JSON.stringify(rec, null, 2));
    this.stopRequests.delete(spec.instanceId);
    // -daemonize returns once QEMU is set up (or failed), with the error on stderr.
    // Inside the namespace QEMU can open the tap; it daemonizes there.
    if (tap) await this.netns.exec(bin, args, { timeoutMs: 60_000 });
    else await run(bin, args, { timeoutMs: 60_000 });
    await this.applyVncPassword(spec.instanceId, rec.qmpSocket).catch((e) => this.log('vnc password not set', { instance: spec.instanceId, error: String(e) }));
    // The monitoring baseline of this boot; not awaited, the boot does not depend on it.
    void this.sample(spec.instanceId).catch(() => {});
    this.log('qemu started', { instance: spec.instanceId, accelerator: verdict.accelerator, network: rec.network, tap, sshPort, httpPort });
  }

  commandLine(o: {
    spec: GuestSpec; image: GuestImage; verdict: ProbeVerdict; size: { vcpus: number; memoryMiB: number }; dir: string; initrd: string;
    consoleFile: string; qmpSocket: string; disks: VmRecord['disks']; net?: ReturnType<typeof guestNetwork>; sshPort?: number; httpPort?: number;
    tap?: string; boot?: BootMode;
  }): string[] {
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
      '-vnc', `unix:${this.vncSocket(o.spec.instanceId)},password=on`, ...(direct ? ['-vga', 'none', '-device', 'virtio-gpu-pci'] : ['-vga', 'std']),
      '-pidfile', join(o.dir, 'qemu.pid'), '-daemonize',
    ];
    args.push(...diskArguments(o.disks, { firmwareBoot: !direct }));
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
    if (!(await this.pid(instanceId))) return;
    const rec = await this.record(instanceId);
    if (!rec) return;
    const now = Date.now();
    let req = this.stopRequests.get(instanceId);
    if (!req) {
      const persisted = await readFile(join(this.dir(instanceId), 'stop-requested'), 'utf8').then(Number, () => 0);
      req = { at: persisted || now, lastPowerdown: 0 };
      this.stopRequests.set(instanceId, req);
      if (!persisted) await writeFile(join(this.dir(instanceId), 'stop-requested'), String(now));
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

  private async kill(instanceId: string, rec?: VmRecord) {
    const pid = await this.pid(instanceId);
    if (!pid) return;
    if (rec) await withQmp(rec.qmpSocket, (c) => c.quit()).catch(() => {});
    for (let i = 0; i < 40 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 50));
    if (pidAlive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    for (let i = 0; i < 40 && pidAlive(pid); i++) await new Promise((r) => setTimeout(r, 25));
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

  async destroy(instanceId: string): Promise<void> {
    const rec = await this.record(instanceId);
    await this.kill(instanceId, rec);
    // A QEMU whose folder is gone (a half-finished destroy before a crash) is found by its command line.
    for (const [id, pid] of await this.qemuProcesses()) {
      if (id === instanceId) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    }
    this.stopRequests.delete(instanceId);
    if (rec?.privateIp && rec.network === 'netns') await rm(this.metadataDocPath(rec.privateIp), { force: true });
    await this.netns.deleteTap(instanceId);
    await this.dhcp.removeHost(instanceId);
    // The disks stay: collectDisks removes those the store released with the instance.
    await rm(this.dir(instanceId), { recursive: true, force: true });
  }

  async collectDisks(live: ReadonlySet<string>, asOf = Date.now()): Promise<void> {
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

  /** Live QEMU processes started from this data dir: instance id → pid (from /proc command lines). */
  async qemuProcesses(): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    let pids: string[] = [];
    try { pids = await readdir('/proc'); } catch { return out; }
    const marker = `${this.root}/`;
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
    if (!existsSync(this.dir(instanceId))) return 'absent';
    if (!(await this.pid(instanceId))) return 'stopped';
    const rec = await this.record(instanceId);
    if (!rec) return 'running';
    // Booting (no READY marker yet): running, without asking QMP. The engine looks every 50 ms
    // while a guest boots, and each QMP session takes QEMU's big lock from the vCPU thread.
    if (!(await this.bootMarkerSeen(rec, instanceId))) return 'running';
    try {
      const st = await withQmp(rec.qmpSocket, (c) => c.queryStatus());
      // `shutdown`: the guest powered off and QEMU is on its way out.
      return st.status === 'shutdown' ? 'stopped' : 'running';
    } catch {
      return (await this.pid(instanceId)) ? 'running' : 'stopped';
    }
  }

  /** Instance folders, plus this data dir's taps and QEMU processes (so converge can remove orphans of either). */
  async list(): Promise<string[]> {
    let names: string[] = [];
    try { names = await readdir(this.root); } catch { /* none yet */ }
    const ids = new Set(names.filter((n) => INSTANCE_DIR.test(n)));
    for (const id of (await this.netns.taps().catch(() => new Map())).keys()) if (INSTANCE_DIR.test(id)) ids.add(id);
    for (const id of (await this.qemuProcesses()).keys()) ids.add(id);
    return [...ids].sort();
  }

  /** The guest printed its READY marker in this boot. */
  async ready(instanceId: string): Promise<boolean> {
    const rec = await this.record(instanceId);
    if (!rec || !(await this.pid(instanceId))) return false;
    return this.bootMarkerSeen(rec, instanceId);
  }

  /** A firmware-booted guest has no READY marker: as on ECS, Running then means its machine runs. */
  private async bootMarkerSeen(rec: VmRecord, instanceId: string): Promise<boolean> {
    if (rec.boot === 'firmware') return true;
    const text = await readFile(this.consolePath(instanceId)).then((b) => b.subarray(rec.consoleOffset).toString('utf8'), () => '');
    return text.includes(`${READY_MARKER} instance=${instanceId}`);
  }

  /** Compiles the security groups into this data dir's nft table in the namespace; applies only changes. */
  async applySecurityPolicy(nics: NicSecurityPolicy[], members: Record<string, string[]>): Promise<void> {
    if ((await this.network()) !== 'netns') return;
    this.bridges ??= new Set((await this.netns.links().catch(() => [])).filter((l) => l.ifalias?.startsWith('openecs-vpc:')).map((l) => l.ifname));
    const text = renderRuleset({ table: `openecs_${this.owner}`, nics, members, bridges: [...this.bridges] });
    // Unchanged text is skipped, but re-applied now and then in case the namespace was recreated.
    if (text === this.lastRuleset && Date.now() - this.lastAppliedAt < 30_000) return;
    const t0 = Date.now();
    await this.netns.applyNft(text);
    this.lastRuleset = text;
    this.lastAppliedAt = Date.now();
    this.lastApplyMs = this.lastAppliedAt - t0;
  }

  /** The metadata document of a started guest follows ModifyInstanceMetadataOptions and tag changes (the service reads it per request). */
  async setMetadataOptions(instanceId: string, options: MetadataOptions, tags?: Record<string, string>): Promise<void> {
    const ip = (await this.record(instanceId))?.privateIp;
    if (!ip) return;
    const file = this.metadataDocPath(ip);
    const doc = await readFile(file, 'utf8').then((t) => JSON.parse(t) as InstanceMetadata, () => undefined);
    if (!doc || doc.instanceId !== instanceId) return;
    await writeFile(`${file}.tmp`, JSON.stringify({ ...doc, httpEndpoint: options.httpEndpoint, httpTokens: options.httpTokens, tags }), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  vncSocket(instanceId: string) { return socketPath(this.dir(instanceId), 'vnc.sock'); }
  private sealer() { return Sealer.forDataDir(join(this.root, '..')); }

  /** The stored VNC password, or a random one nobody knows until ModifyInstanceVncPasswd sets one. */
  private async applyVncPassword(instanceId: string, qmpSocket: string) {
    const sealed = await readFile(join(this.dir(instanceId), 'vnc-password'), 'utf8').catch(() => '');
    const password = sealed ? this.sealer().open(sealed.trim()) : randomBytes(6).toString('base64url').slice(0, 8);
    await withQmp(qmpSocket, (c) => c.execute('set_password', { protocol: 'vnc', password }));
  }

  async setVncPassword(instanceId: string, password: string): Promise<void> {
    await mkdir(this.dir(instanceId), { recursive: true });
    await writeFile(join(this.dir(instanceId), 'vnc-password'), this.sealer().seal(password), { mode: 0o600 });
    const rec = await this.record(instanceId);
    if (rec && (await this.pid(instanceId))) await this.applyVncPassword(instanceId, rec.qmpSocket);
  }

  async vncUrl(instanceId: string): Promise<string> {
    if (!(await this.pid(instanceId))) throw new Error(`${instanceId} is not running`);
    this.vnc ??= new VncProxy(this.env.OPENECS_VNC_HOST || '127.0.0.1', Number(this.env.OPENECS_VNC_PORT || 0), this.env.OPENECS_VNC_PUBLIC_URL || undefined);
    return this.vnc.url(instanceId, this.vncSocket(instanceId));
  }

  /** The private IP and the namespace to reach a netns guest from the host (`ip netns exec <netns> …`). */
  async address(instanceId: string): Promise<{ netns?: string; ip?: string; sshPort?: number; httpPort?: number }> {
    const rec = await this.record(instanceId);
    if (!rec) return {};
    return rec.network === 'netns' ? { netns: this.netns.name, ip: rec.privateIp } : { ip: '127.0.0.1', sshPort: rec.sshPort, httpPort: rec.httpPort };
  }

  /** Guests keep running without the server; only the VNC proxy closes. */
  async close(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    await this.vnc?.close();
  }

  async discardDisk(diskId: string): Promise<void> {
    this.bootModes.delete(diskId);
    await rm(this.diskFile(diskId), { force: true });
  }

  /**
   * ResizeDisk: a disk a running QEMU holds (its image is locked) grows through QMP `block_resize`,
   * so the guest sees the new capacity at once (online resize); otherwise the file is resized.
   */
  async resizeDisk(diskId: string, sizeGiB: number): Promise<void> {
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
  async snapshotDisk(diskId: string, snapshotId: string): Promise<void> {
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
    const names = await readdir(this.root).catch(() => [] as string[]);
    for (const id of names.filter((n) => INSTANCE_DIR.test(n))) {
      const rec = await this.record(id);
      if (rec?.disks.some((d) => d.file === file) && (await this.pid(id))) return rec;
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
  private async backingFiles(): Promise<Set<string>> {
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
  async resetDisk(diskId: string, snapshotId: string): Promise<void> {
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

  /** Waits for the READY marker of the current boot on the serial console; returns ms since start. */
  async waitReady(instanceId: string, timeoutMs = 60_000): Promise<number> {
    const rec = await this.record(instanceId);
    if (!rec) throw new Error(`${instanceId} was never started`);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const text = await readFile(this.consolePath(instanceId)).then((b) => b.subarray(rec.consoleOffset).toString('utf8'), () => '');
      if (text.includes(`${READY_MARKER} instance=${instanceId}`)) return Date.now() - rec.startedAt;
      if (Date.now() > deadline) throw new Error(`${instanceId}: no ${READY_MARKER} within ${timeoutMs} ms; console tail: ${text.slice(-400)}`);
      if (!(await this.pid(instanceId))) throw new Error(`${instanceId}: QEMU exited before ${READY_MARKER}; console tail: ${text.slice(-400)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** The serial console output of the current boot. */
  async consoleOutput(instanceId: string): Promise<string> {
    const rec = await this.record(instanceId);
    return readFile(this.consolePath(instanceId)).then((b) => b.subarray(rec?.consoleOffset ?? 0).toString('utf8'), () => '');
  }

  async blockStats(instanceId: string) {
    const rec = await this.record(instanceId);
    if (!rec || !(await this.pid(instanceId))) return [];
    return withQmp(rec.qmpSocket, (c) => c.blockStats());
  }
}

export { QmpClient, tapName };
