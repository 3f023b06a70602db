/**
 * The instance network: one network namespace the server creates (`OPENECS_NETNS`, default
 * `openecs`), a Linux bridge per VPC inside it carrying each vSwitch's gateway address, and a
 * persistent tap per instance on its VPC's bridge (QEMU, started inside the namespace, opens it by
 * name). The namespace routes between vSwitches, holds the metadata service address on `lo`, and
 * the host reaches instances with `ip netns exec <ns> …`.
 *
 * Interface names are derived from ids (IFNAMSIZ is 16) and every tap carries an alias
 * `openecs:<owner>:<instanceId>`, so a restarted server finds its taps (and only its own, when
 * several data dirs share a namespace) and removes those the store does not know.
 */
import { createHash } from 'node:crypto';
import { run, which } from '../host/exec.js';
import { formatIpv4, lastAddress, overlaps, parseIpv4, type Cidr } from '../domain/cidr.js';
import { METADATA_ADDRESS } from './nft-compiler.js';

function h(s: string, n = 10) { return createHash('sha256').update(s).digest('hex').slice(0, n); }

export function bridgeName(vpcId: string) { return `ob${h(vpcId)}`; }
export function tapName(instanceId: string, owner: string) { return `ot${h(`${owner}:${instanceId}`)}`; }

export interface LinkInfo { ifname: string; ifalias?: string; master?: string; operstate?: string; linkinfo?: { info_kind?: string } }

/** A VPC bridge of the namespace as `ip -j addr` and `ip -j link` show it. */
/** `ports`: taps on it with a guest attached (a stopped guest's tap stays, without carrier). */
export interface VpcBridge { ifname: string; vpcId: string; addresses: string[]; ports: number }

/** `a.b.c.d/p` (a host address with its prefix) as the block it lies in. */
function blockOf(address: string): Cidr | undefined {
  const [ip, p] = address.split('/');
  const n = parseIpv4(ip ?? '');
  const prefix = Number(p);
  if (n === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return undefined;
  const size = 2 ** (32 - prefix);
  return { base: n - (n % size), prefix };
}

/**
 * All VPCs share the one namespace's routing table, so two VPC bridges carrying overlapping
 * vSwitch blocks make replies (and the metadata service's documents, keyed by private IP) reach
 * the wrong VPC. `conflict`: another VPC's bridge with guests on it holds an overlapping block, so
 * this guest must not be plugged in; `stale`: addresses of bridges without guests (a deleted VPC's)
 * that overlap, to remove.
 */
export function bridgeOverlaps(bridges: VpcBridge[], vpcId: string, gateways: string[]): { conflict?: { vpcId: string; address: string }; stale: { ifname: string; address: string }[] } {
  const mine = gateways.map(blockOf).filter((c): c is Cidr => c !== undefined);
  const stale: { ifname: string; address: string }[] = [];
  for (const b of bridges) {
    if (b.vpcId === vpcId) continue;
    for (const address of b.addresses) {
      const block = blockOf(address);
      if (!block || !mine.some((m) => overlaps(m, block))) continue;
      if (b.ports > 0) return { conflict: { vpcId: b.vpcId, address: `${formatIpv4(block.base)}-${formatIpv4(lastAddress(block))}` }, stale: [] };
      stale.push({ ifname: b.ifname, address });
    }
  }
  return { stale };
}

/** A guest whose vSwitch block overlaps one of another VPC with running guests in the same namespace. */
export class OverlappingVpcError extends Error {}

/** Why the netns network cannot be used here, or undefined when it can (root, ip, nft, bridges, taps). */
export async function netnsUnavailable(): Promise<string | undefined> {
  if (process.getuid && process.getuid() !== 0) return 'network namespaces need root';
  if (!(await which('ip'))) return 'ip not found (apt-get install iproute2)';
  if (!(await which('nft'))) return 'nft not found (apt-get install nftables)';
  const ns = `openecs-probe-${process.pid}`;
  try {
    await run('ip', ['netns', 'add', ns]);
    await run('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge']);
    await run('ip', ['-n', ns, 'tuntap', 'add', 'dev', 'tap0', 'mode', 'tap']);
    await run('ip', ['-n', ns, 'link', 'set', 'tap0', 'master', 'br0']);
    await run('ip', ['netns', 'exec', ns, 'nft', 'add table inet probe; add chain inet probe f { type filter hook forward priority 0; }; add rule inet probe f ct state established accept']);
    return undefined;
  } catch (e) {
    return e instanceof Error ? e.message.split('\n')[0] : String(e);
  } finally {
    await run('ip', ['netns', 'del', ns]).catch(() => {});
  }
}

export class Netns {
  private ready?: Promise<void>;
  constructor(readonly name: string, readonly owner: string) {}

  ip(args: string[]) { return run('ip', ['-n', this.name, ...args]); }
  exec(cmd: string, args: string[], opts: { input?: string; timeoutMs?: number } = {}) {
    return run('ip', ['netns', 'exec', this.name, cmd, ...args], opts);
  }

  async exists() {
    const { stdout } = await run('ip', ['netns', 'list']);
    return stdout.split('\n').some((l) => l.split(' ')[0] === this.name);
  }

  /** Creates the namespace once: loopback, forwarding (IPv4 and IPv6), bridged IPv4 and IPv6 through netfilter, metadata address. */
  ensure(): Promise<void> {
    this.ready ??= (async () => {
      if (!(await this.exists())) await run('ip', ['netns', 'add', this.name]).catch(async (e) => { if (!(await this.exists())) throw e; });
      await this.whenMounted(() => this.ip(['link', 'set', 'lo', 'up']));
      // IPv6 too (guests with AssignIpv6Addresses); sysctl sets every key it can, so a host without IPv6 keeps the rest.
      await this.exec('sysctl', ['-qw', 'net.ipv4.ip_forward=1', 'net.bridge.bridge-nf-call-iptables=1',
        'net.ipv6.conf.all.forwarding=1', 'net.bridge.bridge-nf-call-ip6tables=1']).catch(() => {});
      await this.ip(['addr', 'replace', `${METADATA_ADDRESS}/32`, 'dev', 'lo']);
    })().catch((e) => { this.ready = undefined; throw e; });
    return this.ready;
  }

  /**
   * Runs `first` in a namespace another process may be creating right now: `ip netns add` makes
   * the name before it mounts the namespace on it, and until then entering it fails with EINVAL
   * (seen with two servers starting on one namespace). Retried for up to 2 s, then the error stands.
   */
  private async whenMounted<T>(first: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await first();
      } catch (e) {
        if (i >= 40 || !/Invalid argument/.test(String(e))) throw e;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async links(): Promise<LinkInfo[]> {
    const { stdout } = await this.ip(['-j', '-d', 'link', 'show']);
    return JSON.parse(stdout || '[]') as LinkInfo[];
  }

  /** The VPC's bridge with the gateway address of each vSwitch (`a.b.c.d/prefix`). */
  async ensureBridge(vpcId: string, gateways: string[]): Promise<string> {
    await this.ensure();
    const br = bridgeName(vpcId);
    const links = await this.links();
    const { conflict, stale } = bridgeOverlaps(await this.vpcBridges(links), vpcId, gateways);
    if (conflict) {
      throw new OverlappingVpcError(`the instance namespace ${this.name} already carries ${conflict.address} for ${conflict.vpcId}, which has running guests: `
        + `VPCs with overlapping vSwitch CIDRs cannot have guests running in one namespace at once (give the VPCs distinct CIDRs, or the servers distinct OPENECS_NETNS)`);
    }
    for (const s of stale) await this.ip(['addr', 'del', s.address, 'dev', s.ifname]).catch(() => {});
    if (!links.some((l) => l.ifname === br)) {
      await this.ip(['link', 'add', br, 'type', 'bridge']).catch(async (e) => { if (!(await this.links()).some((l) => l.ifname === br)) throw e; });
      await this.ip(['link', 'set', br, 'alias', `openecs-vpc:${vpcId}`]);
    }
    for (const g of gateways) await this.ip(['addr', 'replace', g, 'dev', br]);
    await this.ip(['link', 'set', br, 'up']);
    return br;
  }

  /** The namespace's VPC bridges with their IPv4 addresses and the number of live ports (taps a QEMU holds) on each. */
  async vpcBridges(links?: LinkInfo[]): Promise<VpcBridge[]> {
    const all = links ?? await this.links();
    const { stdout } = await this.ip(['-j', '-4', 'addr', 'show']);
    const addrs = JSON.parse(stdout || '[]') as { ifname: string; addr_info?: { local: string; prefixlen: number }[] }[];
    return all.filter((l) => l.ifalias?.startsWith('openecs-vpc:')).map((l) => ({
      ifname: l.ifname,
      vpcId: l.ifalias!.slice('openecs-vpc:'.length),
      addresses: (addrs.find((a) => a.ifname === l.ifname)?.addr_info ?? []).map((a) => `${a.local}/${a.prefixlen}`),
      ports: all.filter((p) => p.master === l.ifname && p.operstate !== 'DOWN').length,
    }));
  }

  async ensureTap(instanceId: string, vpcId: string): Promise<string> {
    const br = bridgeName(vpcId);
    const tap = tapName(instanceId, this.owner);
    if (!(await this.links()).some((l) => l.ifname === tap)) {
      await this.ip(['tuntap', 'add', 'dev', tap, 'mode', 'tap', 'vnet_hdr']);
      await this.ip(['link', 'set', tap, 'alias', `openecs:${this.owner}:${instanceId}`]);
    }
    await this.ip(['link', 'set', tap, 'master', br]);
    await this.ip(['link', 'set', tap, 'up']);
    return tap;
  }

  async deleteTap(instanceId: string): Promise<void> {
    if (!(await this.exists())) return;
    await this.ip(['link', 'del', tapName(instanceId, this.owner)]).catch(() => {});
  }

  /** This owner's taps: instance id → tap name. */
  async taps(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!(await this.exists())) return out;
    const prefix = `openecs:${this.owner}:`;
    for (const l of await this.links()) if (l.ifalias?.startsWith(prefix)) out.set(l.ifalias.slice(prefix.length), l.ifname);
    return out;
  }

  async applyNft(text: string): Promise<void> {
    await this.ensure();
    await this.exec('nft', ['-f', '-'], { input: text });
  }

  /** Pids of processes living in the namespace. */
  async pids(): Promise<number[]> {
    const { stdout } = await run('ip', ['netns', 'pids', this.name]).catch(() => ({ stdout: '' }));
    return stdout.split('\n').map(Number).filter((n) => n > 0);
  }

  /** Removes the namespace (tests): its processes are killed first. */
  async destroy(): Promise<void> {
    if (!(await this.exists())) return;
    for (const pid of await this.pids()) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    await run('ip', ['netns', 'del', this.name]).catch(() => {});
    this.ready = undefined;
  }
}
