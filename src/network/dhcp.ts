/**
 * DHCP on the VPC bridges, as ECS gives every ENI its private address by DHCP: guests that
 * configure their own network (imported cloud images booting through the firmware) get their
 * private IP, prefix, gateway and hostname. One dnsmasq (Debian's dnsmasq-base) per namespace,
 * DHCP only (`port=0`: no DNS), answering only the hosts the driver lists: one file per instance
 * in a hosts folder dnsmasq watches, so a new instance needs no restart. Each vSwitch CIDR is a
 * `static` range; a CIDR seen for the first time rewrites the configuration and restarts it
 * (about 50 ms; leases are in a file, so nothing is lost). Exactly one process per namespace:
 * dnsmasq is found by its command line (not its pid file) under a host lock every server sharing
 * the namespace takes, and any duplicate is replaced.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { which } from '../host/exec.js';
import { findProcesses, terminate, withHostLock } from '../host/processes.js';
import type { Netns } from './netns.js';

export interface DhcpHost { instanceId: string; mac: string; ip: string; hostname: string; cidr: string }

/** `a.b.c.d/n` → network address and netmask, as dnsmasq's dhcp-range wants them. */
export function rangeOf(cidr: string): { network: string; netmask: string } {
  const [addr, bits] = cidr.split('/');
  const prefix = Number(bits);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const ip = addr!.split('.').reduce((a, o) => ((a << 8) | Number(o)) >>> 0, 0);
  const dotted = (n: number) => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  return { network: dotted((ip & mask) >>> 0), netmask: dotted(mask) };
}

export function dnsmasqConfig(dir: string, cidrs: string[]): string {
  return [
    'port=0', 'user=root', 'bind-dynamic', 'interface=ob*', 'except-interface=lo', 'dhcp-authoritative', 'no-resolv', 'no-hosts',
    `dhcp-hostsdir=${join(dir, 'hosts')}`, `dhcp-leasefile=${join(dir, 'leases')}`, `pid-file=${join(dir, 'dnsmasq.pid')}`,
    `log-facility=${join(dir, 'dnsmasq.log')}`, 'log-dhcp',
    ...[...new Set(cidrs)].sort().map((c) => { const r = rangeOf(c); return `dhcp-range=${r.network},static,${r.netmask},infinite`; }),
  ].join('\n') + '\n';
}

/** A hosts-folder line: MAC, address, hostname (dnsmasq dhcp-host syntax). */
export function hostLine(h: DhcpHost): string {
  const name = h.hostname.replace(/[^A-Za-z0-9-]/g, '-').slice(0, 63);
  return `${h.mac},${h.ip}${name ? `,${name}` : ''}\n`;
}

export class DhcpService {
  private checked?: Promise<string | undefined>;
  constructor(private readonly netns: Netns, private readonly dir: string, private readonly log: (m: string, e?: Record<string, unknown>) => void) {}

  private binary() {
    this.checked ??= which('dnsmasq').then((p) => {
      if (!p) this.log('no DHCP on the instance network: dnsmasq is not installed (apt-get install dnsmasq-base); imported images that use DHCP get no address');
      return p ?? undefined;
    });
    return this.checked;
  }

  private queue: Promise<void> = Promise.resolve();

  /** Serves `h` (and its vSwitch range) from now on; concurrent starts take turns (one config, one process). */
  addHost(h: DhcpHost): Promise<void> {
    const next = this.queue.then(() => this.add(h));
    this.queue = next.catch(() => {});
    return next;
  }

  private async add(h: DhcpHost): Promise<void> {
    const bin = await this.binary();
    if (!bin) return;
    await mkdir(join(this.dir, 'hosts'), { recursive: true });
    await writeFile(join(this.dir, 'hosts', h.instanceId), hostLine(h));
    await this.exclusive(async () => {
      const conf = this.confFile();
      const old = await readFile(conf, 'utf8').catch(() => '');
      const cidrs = [...old.matchAll(/^# cidr (\S+)$/gm)].map((m) => m[1]!);
      const want = cidrs.includes(h.cidr) ? cidrs : [...cidrs, h.cidr];
      const text = want.map((c) => `# cidr ${c}\n`).join('') + dnsmasqConfig(this.dir, want);
      if (text !== old) await writeFile(conf, text);
      await this.converge(bin, conf, text !== old);
    });
  }

  async removeHost(instanceId: string): Promise<void> {
    await rm(join(this.dir, 'hosts', instanceId), { force: true });
  }

  private confFile() { return join(this.dir, 'dnsmasq.conf'); }

  /** Every dnsmasq serving this folder's configuration (there should be at most one). */
  pids(): Promise<number[]> {
    const flag = `--conf-file=${this.confFile()}`;
    return findProcesses((argv) => basename(argv[0] ?? '') === 'dnsmasq' && argv.includes(flag));
  }

  /** Stops every dnsmasq of this configuration (the last guest of the namespace is gone). */
  stop(): Promise<void> {
    return this.exclusive(async () => {
      const pids = await this.pids();
      if (!pids.length) return;
      await terminate(pids);
      this.log('DHCP service stopped', { netns: this.netns.name, pids });
    });
  }

  /** One owner per namespace: servers sharing it (or one restarted mid-start) take turns on a host lock. */
  private async exclusive<T>(fn: () => Promise<T>): Promise<T> {
    await mkdir(this.dir, { recursive: true });
    return withHostLock(join(this.dir, 'dnsmasq.lock'), fn);
  }

  /**
   * Exactly one dnsmasq on the current configuration: a changed configuration, or more than one
   * process (as a crash mid-restart or two servers could leave), replaces them all with one.
   */
  private async converge(bin: string, conf: string, changed: boolean): Promise<void> {
    const pids = await this.pids();
    if (!changed && pids.length === 1) return;
    if (pids.length) await terminate(pids);
    await this.netns.ensure();
    // dnsmasq daemonizes itself and writes its pid file; it outlives the server like the guests.
    // The launcher is awaited (not unref'd): it exits once the daemon is up.
    const child = spawn('ip', ['netns', 'exec', this.netns.name, bin, `--conf-file=${conf}`], { stdio: 'ignore', detached: true });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dnsmasq exited with ${code} (see ${join(this.dir, 'dnsmasq.log')})`))));
      child.once('error', reject);
    });
    this.log('DHCP service started', { netns: this.netns.name, replaced: pids });
  }
}
