/**
 * DHCP on the VPC bridges, as ECS gives every ENI its private address by DHCP: guests that
 * configure their own network (imported cloud images booting through the firmware) get their
 * private IP, prefix, gateway and hostname. One dnsmasq (Debian's dnsmasq-base) per namespace,
 * DHCP only (`port=0`: no DNS), answering only the hosts the driver lists: one file per instance
 * in a hosts folder dnsmasq watches, so a new instance needs no restart. Each vSwitch CIDR is a
 * `static` range; a CIDR seen for the first time rewrites the configuration and restarts it
 * (about 50 ms; leases are in a file, so nothing is lost).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { which } from '../host/exec.js';
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
    const conf = join(this.dir, 'dnsmasq.conf');
    const old = await readFile(conf, 'utf8').catch(() => '');
    const cidrs = [...old.matchAll(/^# cidr (\S+)$/gm)].map((m) => m[1]!);
    const want = cidrs.includes(h.cidr) ? cidrs : [...cidrs, h.cidr];
    const text = want.map((c) => `# cidr ${c}\n`).join('') + dnsmasqConfig(this.dir, want);
    if (text !== old) await writeFile(conf, text);
    if (text !== old || !(await this.running())) await this.restart(bin, conf);
  }

  async removeHost(instanceId: string): Promise<void> {
    await rm(join(this.dir, 'hosts', instanceId), { force: true });
  }

  private async pid(): Promise<number | undefined> {
    const pid = await readFile(join(this.dir, 'dnsmasq.pid'), 'utf8').then((t) => Number(t.trim()), () => 0);
    if (!pid) return undefined;
    const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    return cmd.includes('dnsmasq') && cmd.includes(this.dir) ? pid : undefined;
  }

  private async running() { return (await this.pid()) !== undefined; }

  private async restart(bin: string, conf: string): Promise<void> {
    const old = await this.pid();
    if (old) {
      try { process.kill(old, 'SIGTERM'); } catch { /* gone */ }
      for (let i = 0; i < 40 && existsSync(`/proc/${old}`); i++) await new Promise((r) => setTimeout(r, 25));
    }
    await this.netns.ensure();
    // dnsmasq daemonizes itself and writes its pid file; it outlives the server like the guests.
    // The launcher is awaited (not unref'd): it exits once the daemon is up.
    const child = spawn('ip', ['netns', 'exec', this.netns.name, bin, `--conf-file=${conf}`], { stdio: 'ignore', detached: true });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`dnsmasq exited with ${code} (see ${join(this.dir, 'dnsmasq.log')})`))));
      child.once('error', reject);
    });
    this.log('DHCP service started', { netns: this.netns.name });
  }
}
