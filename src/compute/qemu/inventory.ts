/**
 * What the qemu driver has on the host, found there rather than remembered (the invariant
 * checker compares it with the store): QEMU processes by their command lines, taps and the
 * nftables table in the namespace, disk and snapshot files, and the namespace's helpers.
 */
import { readdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { HostInventory } from '../driver.js';
import { commandLine, findProcesses } from '../../host/processes.js';
import { which } from '../../host/exec.js';
import type { QemuDisks } from './disks.js';
import type { QemuHostNetwork } from './host-network.js';
import type { QemuLayout } from './layout.js';

interface NftObject { set?: { name: string }; chain?: { name: string } }

async function qcow2Ids(dir: string, suffix: string): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return names.filter((n) => n.endsWith(suffix)).map((n) => n.slice(0, -suffix.length)).sort();
}

export async function hostInventory(layout: QemuLayout, disks: QemuDisks, net: QemuHostNetwork): Promise<HostInventory> {
  const marker = `${layout.root}/`;
  const guestProcesses: Record<string, number[]> = {};
  for (const pid of await findProcesses((argv) => argv.includes('-pidfile') && argv.some((a) => a.startsWith(marker)))) {
    const argv = (await commandLine(pid)) ?? [];
    const pf = argv[argv.indexOf('-pidfile') + 1] ?? '';
    const m = pf.startsWith(marker) ? /^(i-[A-Za-z0-9-]+)\/qemu\.pid$/.exec(pf.slice(marker.length)) : null;
    if (m) (guestProcesses[m[1]!] ??= []).push(pid);
  }
  const snapshotsDir = join(layout.root, 'snapshots');
  const deleted = await qcow2Ids(snapshotsDir, '.qcow2.deleted');
  const backing = deleted.length ? await disks.backingFiles() : new Set<string>();
  const mode = await net.mode();
  const inv: HostInventory = {
    guestProcesses,
    instanceDirs: (await layout.instanceIds()).sort(),
    taps: [],
    diskFiles: await qcow2Ids(join(layout.root, 'disks'), '.qcow2'),
    snapshotFiles: (await qcow2Ids(snapshotsDir, '.qcow2')).filter((id) => !deleted.includes(id)),
    unusedDeletedSnapshotFiles: deleted.filter((id) => !backing.has(join(snapshotsDir, `${id}.qcow2`))),
    nftSets: [], nftChains: [],
    network: mode, dnsmasq: [], metadataHelpers: [], namespaceGuests: 0,
    dnsmasqInstalled: Boolean(await which('dnsmasq')),
  };
  if (mode !== 'netns' || !(await net.netns.exists())) return inv;
  inv.taps = [...(await net.netns.taps()).keys()].sort();
  const table = await net.netns.exec('nft', ['-j', 'list', 'table', 'inet', `openecs_${net.owner}`])
    .then((r) => (JSON.parse(r.stdout) as { nftables?: NftObject[] }).nftables ?? [], () => [] as NftObject[]);
  inv.nftSets = table.flatMap((o) => (o.set ? [o.set.name] : [])).sort();
  inv.nftChains = table.flatMap((o) => (o.chain ? [o.chain.name] : [])).sort();
  inv.dnsmasq = await net.dhcpPids();
  inv.metadataHelpers = await net.metadataHelperPids();
  for (const pid of await net.netns.pids()) {
    if (basename((await commandLine(pid))?.[0] ?? '').startsWith('qemu-system')) inv.namespaceGuests++;
  }
  return inv;
}
