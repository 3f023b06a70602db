/**
 * The host side of guest networking (`OPENECS_QEMU_NET`): in `netns` mode each guest's tap sits in
 * its VPC's bridge inside the instance namespace (src/network/netns.ts), with DHCP, the metadata
 * service at 100.100.100.200 (one document per private IP, read per request) and security groups
 * compiled to nftables; `user` and `none` have none of these.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { basename, join } from 'node:path';
import { commandLine, findProcesses, terminate, withHostLock } from '../../host/processes.js';
import type { GuestNic, GuestSpec, NicSecurityPolicy } from '../driver.js';
import { macAddress } from '../../domain/instances/mac.js';
import type { MetadataOptions } from '../../domain/instances/metadata-options.js';
import { DhcpService } from '../../network/dhcp.js';
import type { InstanceMetadata } from '../../network/metadata.js';
import { Netns, netnsUnavailable, tapName } from '../../network/netns.js';
import { METADATA_ADDRESS, ident, renderRuleset } from '../../network/nft-compiler.js';
import { applyIpv6Wire, planIpv6Wire, type Ipv6VSwitch } from '../../network/ipv6-wire.js';
import { applyEipWire, internetBridgeName, type EipMapping } from '../../network/eip-wire.js';
import { EipTrafficTally } from '../../network/eip-traffic.js';
import type { TrafficCounter } from '../../domain/billing/traffic.js';
import { applyRouteWire, planRouteWire, type WireEntry } from '../../network/route-wire.js';
import type { VmRecord } from './layout.js';
import { guestNetwork } from './seed.js';

export type NetworkMode = 'netns' | 'user' | 'none';
export type GuestNet = NonNullable<ReturnType<typeof guestNetwork>>;

const HELPER = fileURLToPath(new URL('../../network/metadata-helper.ts', import.meta.url));

export interface QemuHostNetworkOptions {
  /** `<dataDir>/qemu`: tells this data dir's taps and nft table apart from another's. */
  root: string;
  env: NodeJS.ProcessEnv;
  log: (msg: string, extra?: Record<string, unknown>) => void;
}

export class QemuHostNetwork {
  /** The instance namespace (netns mode); `owner` tells this data dir's taps and nft table apart. */
  readonly netns: Netns;
  readonly owner: string;
  private readonly env: NodeJS.ProcessEnv;
  private readonly log: QemuHostNetworkOptions['log'];
  private readonly dhcp: DhcpService;
  private netMode?: Promise<NetworkMode>;
  /** VPC bridges in the namespace, for the isolation rule (read once, then kept as start() adds them). */
  private bridges?: Set<string>;
  private lastRuleset = '';
  private lastEipWire = '';
  private lastEipWireAt = 0;
  /** The EIP wire's outbound bytes per address, across its rebuilds (the meter's PayByTraffic counters). */
  private readonly traffic = new EipTrafficTally();
  /** The IPv6 source-check table (a `bridge` table) may exist: a ruleset without it then removes it. */
  private sourceCheckMaybe = true;
  /** The last IPv6 gateway apply found no VSwitch with IPv6 (and removed any gateway left): nothing to do until one has. */
  private ipv6WireIdle = false;
  lastAppliedAt = 0;
  /** How long the last `nft -f` took (diagnostics). */
  lastApplyMs = 0;

  constructor(o: QemuHostNetworkOptions) {
    this.env = o.env;
    this.log = o.log;
    this.owner = createHash('sha256').update(o.root).digest('hex').slice(0, 8);
    this.netns = new Netns(this.env.OPENECS_NETNS || 'openecs', this.owner);
    this.dhcp = new DhcpService(this.netns, join(this.runtimeDir(), 'dhcp'), this.log);
  }

  /** How guests are networked here: OPENECS_QEMU_NET, else netns when it works, else user mode (logged once). */
  mode(): Promise<NetworkMode> {
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
  /** The server's guest gateway sockets (src/api/guest-gateway.ts) the metadata service forwards to. */
  gatewayDir() { return join(this.runtimeDir(), 'gateway'); }

  /** Every metadata helper serving this namespace's documents (there should be at most one). */
  metadataHelperPids(): Promise<number[]> {
    const docs = join(this.runtimeDir(), 'meta');
    return findProcesses((argv) => argv.some((a) => a.endsWith('metadata-helper.ts')) && argv.includes(docs));
  }

  /** The dnsmasq processes of this namespace (at most one). */
  dhcpPids(): Promise<number[]> { return this.dhcp.pids(); }

  /**
   * Exactly one metadata service in the namespace (it outlives the server, so guests keep their
   * metadata across restarts): one serving this gateway is adopted; any other (an older helper,
   * a duplicate a crash or a second server left) is replaced. Servers sharing the namespace take
   * turns on a host lock, so two starting at once cannot both spawn one.
   */
  async ensureMetadataService(): Promise<void> {
    const dir = this.runtimeDir();
    await mkdir(join(dir, 'meta'), { recursive: true });
    // The helper listens on the metadata address the namespace holds.
    await this.netns.ensure();
    await withHostLock(join(dir, 'metadata.lock'), async () => {
      const pids = await this.metadataHelperPids();
      const inNs = new Set(await this.netns.pids());
      const keep: number[] = [];
      for (const pid of pids) if (inNs.has(pid) && (await commandLine(pid))?.includes(this.gatewayDir())) keep.push(pid);
      if (keep.length === 1 && pids.length === 1) {
        await writeFile(join(dir, 'metadata.pid'), String(keep[0]));
        return;
      }
      if (pids.length) await terminate(pids);
      const tsx = fileURLToPath(import.meta.resolve('tsx'));
      const log = openSync(join(dir, 'metadata.log'), 'a');
      const child = spawn('ip', ['netns', 'exec', this.netns.name, process.execPath, '--import', tsx, HELPER, join(dir, 'meta'), METADATA_ADDRESS, '80', this.gatewayDir()],
        { detached: true, stdio: ['ignore', log, log] });
      child.unref();
      closeSync(log);
      // `ip netns exec` execs node in place, so the child's pid is the helper's.
      await writeFile(join(dir, 'metadata.pid'), String(child.pid));
      this.log('metadata service started', { netns: this.netns.name, pid: child.pid, replaced: pids });
    });
  }

  /**
   * The server is stopping: the namespace's helpers stop too unless a guest (of any server sharing
   * the namespace) still runs there and needs them; a later server starts them again with its first guest.
   */
  async stopIdleHelpers(): Promise<void> {
    if ((await this.mode()) !== 'netns' || !(await this.netns.exists())) return;
    for (const pid of await this.netns.pids()) {
      const argv = await commandLine(pid);
      if (argv && basename(argv[0] ?? '').startsWith('qemu-system')) return;
    }
    await withHostLock(join(this.runtimeDir(), 'metadata.lock'), async () => {
      const pids = await this.metadataHelperPids();
      if (pids.length) { await terminate(pids); this.log('metadata service stopped', { netns: this.netns.name, pids }); }
    });
    await this.dhcp.stop();
  }

  private metadataDoc(spec: GuestSpec, net: GuestNet): InstanceMetadata {
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
      spotTerminationTime: spec.spotTerminationTime,
    };
  }

  /**
   * Wires a netns guest for a boot: its VPC's bridge, its DHCP host, its tap and its metadata
   * document. `before` is the record of its previous boot. Returns the tap.
   */
  async plug(spec: GuestSpec, net: GuestNet, before: VmRecord | undefined): Promise<string> {
    // The address moved while the guest was stopped (ModifyInstanceVpcAttribute): the metadata
    // service must stop answering the old address with this instance's document.
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
  }

  /**
   * The host side of a secondary NIC (an attached ENI): its VPC's bridge, a tap of its own in it
   * (named after the ENI), and a DHCP host for its MAC and address. Returns the tap.
   */
  async plugNic(nic: GuestNic): Promise<string> {
    const net = guestNetwork(nic.privateIp, nic.vswitchCidr);
    if (!net) throw new Error(`the address ${nic.privateIp} of ${nic.eniId} is malformed`);
    const bridge = await this.netns.ensureBridge(nic.vpcId, [`${net.gateway}/${net.prefix}`]);
    this.bridges?.add(bridge);
    await this.dhcp.addHost({ instanceId: nic.eniId, mac: nic.mac, ip: net.ip, hostname: nic.eniId, cidr: net.cidr });
    return this.netns.ensureTap(nic.eniId, nic.vpcId);
  }

  /** Removes what plugNic() set up. */
  async unplugNic(eniId: string): Promise<void> {
    await this.netns.deleteTap(eniId);
    await this.dhcp.removeHost(eniId);
  }

  /** Removes what plug() set up for a guest that is destroyed. */
  async unplug(instanceId: string, rec: VmRecord | undefined): Promise<void> {
    if (rec?.privateIp && rec.network === 'netns') await rm(this.metadataDocPath(rec.privateIp), { force: true });
    await this.netns.deleteTap(instanceId);
    await this.dhcp.removeHost(instanceId);
  }

  /** Compiles the security groups into this data dir's nft table in the namespace; applies only changes. */
  async applySecurityPolicy(nics: NicSecurityPolicy[], members: Record<string, string[]>): Promise<void> {
    if ((await this.mode()) !== 'netns') return;
    this.bridges ??= new Set((await this.netns.links().catch(() => [])).filter((l) => l.ifalias?.startsWith('openecs-vpc:')).map((l) => l.ifname));
    const table = `openecs_${this.owner}`;
    // Each NIC's tap, for the IPv6 source check (an instance's is named after it, an ENI's after the ENI).
    const tapped = nics.map((n) => ({ ...n, tap: tapName(n.instanceId, this.owner) }));
    const text = renderRuleset({ table, nics: tapped, members, bridges: [...this.bridges], internet: internetBridgeName(this.owner) });
    // Unchanged text is skipped, but re-applied now and then in case the namespace was recreated.
    if (text === this.lastRuleset && Date.now() - this.lastAppliedAt < 30_000) return;
    const t0 = Date.now();
    const sourceCheck = text.includes(`\ntable bridge ${ident(table)} {`);
    await this.netns.applyNft(text);
    // The last IPv6 address is gone (or a previous server left the table): remove the source check.
    if (!sourceCheck && this.sourceCheckMaybe) {
      await this.netns.exec('nft', ['delete', 'table', 'bridge', ident(table)]).catch((e) => { if (!/No such file or directory/.test(String(e))) throw e; });
    }
    this.sourceCheckMaybe = sourceCheck;
    this.lastRuleset = text;
    this.lastAppliedAt = Date.now();
    this.lastApplyMs = this.lastAppliedAt - t0;
  }

  /** The associated EIPs on the namespace's internet bridge (netns mode); unchanged mappings are re-applied now and then, as the ruleset is. */
  async applyEipWire(mappings: EipMapping[]): Promise<void> {
    if ((await this.mode()) !== 'netns') return;
    const key = JSON.stringify(mappings);
    if (key === this.lastEipWire && Date.now() - this.lastEipWireAt < 30_000) return;
    // OPENECS_INTERNET_GATEWAY (`a.b.c.d/prefix`): the namespace's address on the internet bridge, for what the operator plugs into it.
    await applyEipWire(this.netns, this.owner, mappings, this.env.OPENECS_INTERNET_GATEWAY || undefined, this.traffic);
    this.lastEipWire = key;
    this.lastEipWireAt = Date.now();
  }

  /** Outbound bytes per public address on the EIP wire (netns mode; none in user mode, which has no wire). */
  async publicTrafficCounters(): Promise<TrafficCounter[]> {
    if ((await this.mode()) !== 'netns') return [];
    return this.traffic.counters(this.netns, internetBridgeName(this.owner));
  }

  /**
   * The VSwitches' IPv6 gateways on the VPC bridges that exist (netns mode). Skipped while no
   * VSwitch has IPv6 and none had at the last apply (the first apply after a start always runs,
   * to remove what a previous server left).
   */
  async applyIpv6Wire(vswitches: Ipv6VSwitch[]): Promise<void> {
    if ((await this.mode()) !== 'netns') return;
    const any = vswitches.some((v) => v.ipv6Cidr);
    if (!any && this.ipv6WireIdle) return;
    if (!(await this.netns.exists())) return;
    const bridges = await this.netns.vpcBridges();
    const changed = await applyIpv6Wire(this.netns, planIpv6Wire(vswitches, new Map(bridges.map((b) => [b.vpcId, b.ifname]))));
    if (changed.added.length || changed.removed.length) this.log('IPv6 gateways on the VPC bridges', changed);
    this.ipv6WireIdle = !any;
  }

  /**
   * The VPCs' custom route entries in the namespace (netns mode), for the VPC bridges that exist.
   * Applied whole each time (a handful of `ip` calls per VPC with entries): a new bridge or a
   * recreated namespace needs it, and the security-policy operation runs only on changes.
   */
  async applyRouteWire(entries: WireEntry[], vswitches: { vpcId: string; cidr: string }[]): Promise<void> {
    if ((await this.mode()) !== 'netns') return;
    const exists = await this.netns.exists();
    const bridges = exists ? await this.netns.vpcBridges() : [];
    const tables = planRouteWire({ entries, vswitches, bridges: new Map(bridges.map((b) => [b.vpcId, b.ifname])) });
    await applyRouteWire(this.netns, this.owner, tables);
  }

  /** The metadata document of a started netns guest follows its options and tags (the service reads it per request). */
  async writeMetadataOptions(rec: VmRecord, options: MetadataOptions, tags?: Record<string, string>, spotTerminationTime?: string): Promise<void> {
    const ip = rec.privateIp;
    if (!ip || rec.network !== 'netns') return;
    const file = this.metadataDocPath(ip);
    const doc = await readFile(file, 'utf8').then((t) => JSON.parse(t) as InstanceMetadata, () => undefined);
    if (!doc || doc.instanceId !== rec.instanceId) return;
    await writeFile(`${file}.tmp`, JSON.stringify({ ...doc, httpEndpoint: options.httpEndpoint, httpTokens: options.httpTokens, tags, spotTerminationTime }), { mode: 0o600 });
    await rename(`${file}.tmp`, file);
  }

  /** The private IP and the namespace to reach a netns guest from the host (`ip netns exec <netns> …`). */
  address(rec: VmRecord): { netns?: string; ip?: string; sshPort?: number; httpPort?: number } {
    return rec.network === 'netns' ? { netns: this.netns.name, ip: rec.privateIp } : { ip: '127.0.0.1', sshPort: rec.sshPort, httpPort: rec.httpPort };
  }
}
