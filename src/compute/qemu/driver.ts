/**
 * The qemu driver: every ECS instance is a real virtual machine, one QEMU process each.
 *
 * Layout under `<dataDir>/qemu/` (layout.ts):
 *   `<instanceId>/`  vm.json (what was started, ports, sockets, applied settings), initrd.img (image
 *                    initramfs + seed), console.log (serial console, appended across boots), qemu.pid, qmp.sock
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
 *
 * One job per module, composed here: the QEMU process (process.ts), disk files (disks.ts), the
 * host network (host-network.ts), monitoring (sampler.ts) and the VNC console (console.ts).
 */
import { readFile, mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EipMapping } from '../../network/eip-wire.js';
import type { TrafficCounter } from '../../domain/billing/traffic.js';
import type { WireEntry } from '../../network/route-wire.js';
import type { ComputeDriver, GuestDisk, GuestNic, GuestSettings, GuestSpec, HostInventory, MonitorSample, NicSecurityPolicy, PowerState } from '../driver.js';
import { tapName, type Netns } from '../../network/netns.js';
import { qemuBinary, type ProbeVerdict } from '../host-probe.js';
import type { ExportFormat, ImportFormat } from '../../domain/storage/image-files.js';
import { ensureImage, type GuestImage } from './image.js';
import { QmpClient } from './qmp.js';
import { guestNetwork, seedArchive } from './seed.js';
import { guestSize, sizeCapsFromEnv } from './sizing.js';
import { Sealer } from '../../auth/secrets.js';
import type { MetadataOptions } from '../../domain/instances/metadata-options.js';
import { HOTPLUG_BUS } from './hotplug.js';
import { plugNic, unplugNic } from './nics.js';
import { withQmp } from './qmp.js';
import { INSTANCE_DIR, QemuLayout, socketPath, type VmRecord } from './layout.js';
import { QemuProcess, freePort, type CommandLineInput } from './process.js';
import { QemuDisks } from './disks.js';
import { QemuHostNetwork, type NetworkMode } from './host-network.js';
import { QemuSampler } from './sampler.js';
import { QemuConsole } from './console.js';
import { hostInventory } from './inventory.js';

export type { VmRecord } from './layout.js';
export { GUEST_KERNEL_ARGS, TCG_CPU, fastFirmware } from './process.js';

export interface QemuDriverOptions {
  dataDir: string;
  /** Graceful stop: after this long without a guest poweroff, QEMU is told to quit. */
  stopTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  log?: (msg: string, extra?: Record<string, unknown>) => void;
  /** false: no periodic monitoring samples (tests and CLI drivers that only look). */
  sampleMonitoring?: boolean;
  /** Opens the sealed passwords the store hands over; default: the server key (OPENECS_SERVER_KEY_FILE or the data dir's). */
  sealer?: Sealer;
}

export class QemuDriver implements ComputeDriver {
  readonly name = 'qemu';
  /** Power changes are observed (process + QMP), not timed. */
  readonly transitionMs = 0;
  readonly root: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: NonNullable<QemuDriverOptions['log']>;
  private readonly layout: QemuLayout;
  private readonly process: QemuProcess;
  private readonly disks: QemuDisks;
  private readonly hostNetwork: QemuHostNetwork;
  private readonly sampler: QemuSampler;
  private readonly console: QemuConsole;
  private imageMemo?: { at: number; p: Promise<GuestImage> };
  /** When each pending NIC unplug was last requested (instance/eni → ms). */
  private readonly nicUnplugs = new Map<string, number>();
  private readonly givenSealer?: Sealer;
  private ownSealer?: Sealer;

  constructor(opts: QemuDriverOptions) {
    if (opts.dataDir === ':memory:') throw new Error('the qemu driver needs a data directory (OPENECS_DATA_DIR), not :memory:');
    this.root = join(opts.dataDir, 'qemu');
    this.env = opts.env ?? process.env;
    this.log = opts.log ?? (() => {});
    this.givenSealer = opts.sealer;
    this.layout = new QemuLayout(this.root);
    this.process = new QemuProcess({
      layout: this.layout, env: this.env, log: this.log,
      stopTimeoutMs: opts.stopTimeoutMs ?? Number(this.env.OPENECS_QEMU_STOP_TIMEOUT_MS ?? 30_000),
    });
    this.disks = new QemuDisks({ layout: this.layout, image: () => this.image(), log: this.log });
    this.hostNetwork = new QemuHostNetwork({ root: this.root, env: this.env, log: this.log });
    this.sampler = new QemuSampler({ layout: this.layout, netns: this.hostNetwork.netns, env: this.env, periodic: opts.sampleMonitoring !== false });
    this.console = new QemuConsole({ layout: this.layout, env: this.env, sealer: () => this.sealer() });
  }

  /** The instance namespace (netns mode); `owner` tells this data dir's taps and nft table apart. */
  get netns(): Netns { return this.hostNetwork.netns; }
  get owner(): string { return this.hostNetwork.owner; }
  /** When the security-group ruleset was last applied, and how long the last `nft -f` took (diagnostics). */
  get lastAppliedAt(): number { return this.hostNetwork.lastAppliedAt; }
  get lastApplyMs(): number { return this.hostNetwork.lastApplyMs; }

  // Where things are, and what was started.
  dir(instanceId: string) { return this.layout.dir(instanceId); }
  diskFile(diskId: string) { return this.layout.diskFile(diskId); }
  snapshotFile(snapshotId: string) { return this.layout.snapshotFile(snapshotId); }
  consolePath(instanceId: string) { return this.layout.consolePath(instanceId); }
  vncSocket(instanceId: string) { return this.layout.vncSocket(instanceId); }
  record(instanceId: string): Promise<VmRecord | undefined> { return this.layout.record(instanceId); }
  /** The QEMU pid when that process is alive and really ours (guards against pid reuse). */
  pid(instanceId: string): Promise<number | undefined> { return this.layout.pid(instanceId); }
  private sealer(): Sealer {
    if (this.givenSealer) return this.givenSealer;
    this.ownSealer ??= Sealer.forDataDir(join(this.root, '..'), this.env.OPENECS_SERVER_KEY_FILE || undefined);
    return this.ownSealer;
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
    await Promise.all(spec.disks.map((d) => this.disks.ensureDiskFile(d)));
  }

  async start(spec: GuestSpec): Promise<void> {
    if (await this.pid(spec.instanceId)) return;
    // Host-side setup in parallel (disks, image, accelerator, network): on a loaded host each
    // spawned `ip`/`qemu-img` waits for a CPU, and the guest boot cannot begin before all are done.
    const [image, verdict, bin, mode] = await Promise.all([this.image(), this.accelerator(), qemuBinary(this.env), this.network(),
      this.ensureCreated(spec)]);
    const system = spec.disks.find((d) => d.type === 'system');
    const boot = system ? await this.disks.bootMode(system) : 'direct';
    if (!bin) throw new Error('qemu-system-x86_64 not found (apt-get install qemu-system-x86)');
    const dir = this.dir(spec.instanceId);
    const initrd = join(dir, 'initrd.img');
    const metadataService = mode === 'netns';
    if (!spec.password && spec.passwordSealed) {
      try { spec = { ...spec, password: this.sealer().open(spec.passwordSealed) }; } catch (e) {
        this.log('cannot open the sealed password (was the server key replaced?)', { instance: spec.instanceId, error: String(e) });
      }
    }
    const consoleFile = this.consolePath(spec.instanceId);
    const size = guestSize(spec.cpu, spec.memoryMiB, sizeCapsFromEnv(this.env));
    const qmpSocket = socketPath(dir, 'qmp.sock');
    const disks = this.disks.placed(spec.disks);
    const net = mode === 'none' ? undefined : guestNetwork(spec.privateIp, spec.vswitchCidr);
    const network = async (): Promise<string | undefined> =>
      net && mode === 'netns' ? this.hostNetwork.plug(spec, net, await this.record(spec.instanceId)) : undefined;
    // Attached ENIs: each a tap of its own in its VPC's bridge (the namespace only; attachNic refuses elsewhere).
    const nicsOf = async () => mode !== 'netns' ? [] : Promise.all((spec.nics ?? []).map(async (n) =>
      ({ eniId: n.eniId, mac: n.mac, deviceIndex: n.deviceIndex, tap: await this.hostNetwork.plugNic(n) })));
    const [tap, consoleOffset, nics] = await Promise.all([
      network(),
      stat(consoleFile).then((s) => s.size, () => 0),
      boot === 'direct' && readFile(image.initramfs).then((base) => writeFile(initrd, Buffer.concat([base, seedArchive(spec, { metadataService })]), { mode: 0o600 })),
      this.process.clearForBoot(spec.instanceId, qmpSocket),
    ]).then(async ([t, offset]) => [t, offset, await nicsOf()] as const);
    const sshPort = net && !tap ? await freePort() : undefined;
    const httpPort = net && !tap ? await freePort() : undefined;
    const args = this.commandLine({ spec, image, verdict, size, dir, initrd, consoleFile, qmpSocket, disks, net, sshPort, httpPort, tap, boot, nics });
    const rec: VmRecord = {
      instanceId: spec.instanceId, image: image.name, accelerator: verdict.accelerator, qmpSocket, disks, sshPort, httpPort,
      network: net ? mode : 'none', tap, privateIp: net?.ip, hotplugBus: HOTPLUG_BUS, boot, nics: nics.map((n) => n.eniId),
      vcpus: size.vcpus, memoryMiB: size.memoryMiB, startedAt: Date.now(), consoleOffset,
      // The metadata document plug() wrote is this generation's (in other modes there is nothing to serve).
      metadataGeneration: spec.metadataGeneration ?? 0,
    };
    await this.layout.writeRecord(rec);
    this.process.forgetStop(spec.instanceId);
    await this.process.launch(bin, args, tap ? this.netns : undefined);
    // Recorded only once applied: the engine sees a guest without it and sets it again (setVncPassword).
    const sealed = await this.console.bootPassword(spec.instanceId, spec.vncPasswordSealed);
    await this.console.applyPassword(qmpSocket, sealed)
      .then(() => this.layout.updateRecord(spec.instanceId, (r) => ({ ...r, vncPasswordSealed: sealed })))
      .catch((e) => this.log('vnc password not set', { instance: spec.instanceId, error: String(e) }));
    // The monitoring baseline of this boot; not awaited, the boot does not depend on it.
    void this.sample(spec.instanceId).catch(() => {});
    this.log('qemu started', { instance: spec.instanceId, accelerator: verdict.accelerator, network: rec.network, tap, sshPort, httpPort });
  }

  commandLine(o: CommandLineInput): string[] { return this.process.commandLine(o); }
  accelerator(): Promise<ProbeVerdict> { return this.process.accelerator(); }

  /**
   * Asks for a stop and returns (the engine polls powerState): force quits QEMU at once;
   * otherwise ACPI power button (repeated), then quit once the stop timeout has passed.
   */
  stop(instanceId: string, force: boolean): Promise<void> { return this.process.stop(instanceId, force); }
  /** Stops and waits until the guest is down (CLI and tests; the engine uses stop + powerState). */
  stopAndWait(instanceId: string, force = false, timeoutMs?: number): Promise<void> { return this.process.stopAndWait(instanceId, force, timeoutMs); }
  powerState(instanceId: string): Promise<PowerState> { return this.process.powerState(instanceId); }
  /** The guest printed its READY marker in this boot. */
  ready(instanceId: string): Promise<boolean> { return this.process.ready(instanceId); }
  /** Waits for the READY marker of the current boot on the serial console; returns ms since start. */
  waitReady(instanceId: string, timeoutMs?: number): Promise<number> { return this.process.waitReady(instanceId, timeoutMs); }
  /** The serial console output of the current boot. */
  consoleOutput(instanceId: string): Promise<string> { return this.process.consoleOutput(instanceId); }
  /** Live QEMU processes started from this data dir: instance id → pid (from /proc command lines). */
  qemuProcesses(): Promise<Map<string, number>> { return this.process.qemuProcesses(); }

  async destroy(instanceId: string): Promise<void> {
    const rec = await this.record(instanceId);
    await this.process.killAll(instanceId, rec);
    await this.hostNetwork.unplug(instanceId, rec);
    for (const eniId of rec?.nics ?? []) await this.hostNetwork.unplugNic(eniId);
    // The disks stay: collectDisks removes those the store released with the instance.
    await rm(this.dir(instanceId), { recursive: true, force: true });
  }

  /** Instance folders, plus this data dir's taps and QEMU processes (so converge can remove orphans of either). */
  async list(): Promise<string[]> {
    const ids = new Set(await this.layout.instanceIds());
    for (const id of (await this.netns.taps().catch(() => new Map())).keys()) if (INSTANCE_DIR.test(id)) ids.add(id);
    for (const id of (await this.qemuProcesses()).keys()) ids.add(id);
    return [...ids].sort();
  }

  // Disks.
  attachDisk(instanceId: string, disk: GuestDisk): Promise<void> { return this.disks.attach(instanceId, disk); }
  detachDisk(instanceId: string, diskId: string): Promise<boolean> { return this.disks.detach(instanceId, diskId); }
  discardDisk(diskId: string): Promise<void> { return this.disks.discard(diskId); }
  resizeDisk(diskId: string, sizeGiB: number): Promise<void> { return this.disks.resize(diskId, sizeGiB); }
  snapshotDisk(diskId: string, snapshotId: string): Promise<void> { return this.disks.snapshot(diskId, snapshotId); }
  deleteSnapshot(snapshotId: string): Promise<void> { return this.disks.deleteSnapshot(snapshotId); }
  collectSnapshots(): Promise<void> { return this.disks.collectSnapshots(); }
  importDisk(snapshotId: string, file: string, format: ImportFormat): Promise<void> { return this.disks.importDisk(snapshotId, file, format); }
  exportDisk(snapshotId: string, file: string, format: ExportFormat): Promise<void> { return this.disks.exportDisk(snapshotId, file, format); }
  resetDisk(diskId: string, snapshotId: string): Promise<void> { return this.disks.reset(diskId, snapshotId); }
  collectDisks(live: ReadonlySet<string>, asOf?: number): Promise<void> { return this.disks.collect(live, asOf); }

  // Network interfaces (nics.ts): only in the instance namespace, where a NIC has a VPC bridge to sit on.
  /**
   * AttachNetworkInterface: a running guest gets the NIC hot-plugged (the guest sees it about 5 s
   * later); a stopped one gets it at its next start (GuestSpec.nics). Without the namespace, or in
   * a guest started before the hot-plug bridge existed, the attach fails (the ENI stays Available).
   */
  async attachNic(instanceId: string, nic: GuestNic): Promise<void> {
    const mode = await this.network();
    if (mode !== 'netns') throw new Error(`qemu: cannot attach ${nic.eniId}: the ${mode} network mode has no VPC bridge for a second NIC (OPENECS_QEMU_NET=netns)`);
    const rec = await this.record(instanceId);
    if (!rec || !(await this.pid(instanceId))) return;
    if (!rec.hotplugBus) throw new Error(`qemu: cannot attach ${nic.eniId}: the guest ${instanceId} was started without a hot-plug bus; restart it first`);
    const tap = await this.hostNetwork.plugNic(nic);
    await withQmp(rec.qmpSocket, (c) => plugNic(c, { eniId: nic.eniId, mac: nic.mac, tap, deviceIndex: nic.deviceIndex }));
    await this.layout.updateRecord(instanceId, (r) => ({ ...r, nics: [...new Set([...(r.nics ?? []), nic.eniId])] }));
    this.log('network interface hot-plugged', { instanceId, eniId: nic.eniId, mac: nic.mac });
  }

  /** DetachNetworkInterface: true once the guest has let go of the NIC (its tap removed), false while the unplug is pending. */
  async detachNic(instanceId: string, eniId: string): Promise<boolean> {
    const rec = await this.record(instanceId);
    if (rec?.hotplugBus && (await this.pid(instanceId))) {
      const key = `${instanceId}/${eniId}`;
      const last = this.nicUnplugs.get(key);
      const request = last === undefined || Date.now() - last > 30_000;
      if ((await withQmp(rec.qmpSocket, (c) => unplugNic(c, eniId, request))) === 'pending') {
        if (request) this.nicUnplugs.set(key, Date.now());
        return false;
      }
      this.nicUnplugs.delete(key);
    }
    await this.hostNetwork.unplugNic(eniId);
    if (rec) await this.layout.updateRecord(instanceId, (r) => ({ ...r, nics: (r.nics ?? []).filter((n) => n !== eniId) }));
    return true;
  }

  // Host network.
  /** How guests are networked here: OPENECS_QEMU_NET, else netns when it works, else user mode (logged once). */
  network(): Promise<NetworkMode> { return this.hostNetwork.mode(); }
  runtimeDir() { return this.hostNetwork.runtimeDir(); }
  metadataDocPath(ip: string) { return this.hostNetwork.metadataDocPath(ip); }
  async guestGatewayDir(): Promise<string | undefined> {
    return (await this.hostNetwork.mode()) === 'netns' ? this.hostNetwork.gatewayDir() : undefined;
  }
  ensureMetadataService(): Promise<void> { return this.hostNetwork.ensureMetadataService(); }
  applySecurityPolicy(nics: NicSecurityPolicy[], members: Record<string, string[]>): Promise<void> { return this.hostNetwork.applySecurityPolicy(nics, members); }
  applyEipWire(mappings: EipMapping[]): Promise<void> { return this.hostNetwork.applyEipWire(mappings); }
  publicTrafficCounters(): Promise<TrafficCounter[]> { return this.hostNetwork.publicTrafficCounters(); }
  applyRouteWire(entries: WireEntry[], vswitches: { vpcId: string; cidr: string }[]): Promise<void> { return this.hostNetwork.applyRouteWire(entries, vswitches); }
  applyIpv6Wire(vswitches: { vpcId: string; ipv6Cidr: string }[]): Promise<void> { return this.hostNetwork.applyIpv6Wire(vswitches); }
  /** The private IP and the namespace to reach a netns guest from the host (`ip netns exec <netns> …`). */
  async address(instanceId: string): Promise<{ netns?: string; ip?: string; sshPort?: number; httpPort?: number }> {
    const rec = await this.record(instanceId);
    return rec ? this.hostNetwork.address(rec) : {};
  }

  // Settings the engine keeps a running guest at (the instance row holds them).
  async guestSettings(instanceId: string): Promise<GuestSettings | undefined> {
    const rec = await this.layout.running(instanceId);
    return rec && { vncPasswordSealed: rec.vncPasswordSealed ?? '', metadataGeneration: rec.metadataGeneration ?? 0 };
  }

  /** The metadata document of a started guest follows ModifyInstanceMetadataOptions and tag changes (the service reads it per request). */
  async setMetadataOptions(instanceId: string, generation: number, options: MetadataOptions, tags?: Record<string, string>, spotTerminationTime?: string): Promise<void> {
    const rec = await this.layout.running(instanceId);
    if (!rec) return;
    await this.hostNetwork.writeMetadataOptions(rec, options, tags, spotTerminationTime);
    await this.layout.updateRecord(instanceId, (r) => ({ ...r, metadataGeneration: generation }));
  }

  async setVncPassword(instanceId: string, passwordSealed: string): Promise<void> {
    const rec = await this.layout.running(instanceId);
    if (!rec) return;
    await this.console.applyPassword(rec.qmpSocket, passwordSealed);
    await this.layout.updateRecord(instanceId, (r) => ({ ...r, vncPasswordSealed: passwordSealed }));
  }

  vncUrl(instanceId: string): Promise<string> { return this.console.url(instanceId); }

  /** What is on the host now (processes, taps, nftables, files, helpers), for the invariant checker. */
  hostInventory(): Promise<HostInventory> { return hostInventory(this.layout, this.disks, this.hostNetwork); }

  // Monitoring.
  /** Appends one monitoring sample per running guest. */
  sampleAll(): Promise<void> { return this.sampler.sampleAll(); }
  sample(instanceId: string): Promise<MonitorSample | undefined> { return this.sampler.sample(instanceId); }
  monitorSamples(instanceId: string, since: number): Promise<MonitorSample[]> { return this.sampler.monitorSamples(instanceId, since); }
  blockStats(instanceId: string) { return this.sampler.blockStats(instanceId); }

  /**
   * Guests keep running without the server, and so do the namespace's DHCP and metadata services
   * while a guest needs them; with no guest left they stop (nothing else would ever stop them).
   */
  async close(): Promise<void> {
    this.sampler.close();
    await this.console.close();
    await this.hostNetwork.stopIdleHelpers().catch((e) => this.log('instance network helpers not stopped', { error: String(e) }));
  }
}

export { QmpClient, tapName };
