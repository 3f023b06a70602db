/**
 * Disk bytes at scale (issue 5 "Done when": snapshot <= 200 ms regardless of disk size): a data
 * disk holding 1 GiB of written data, then the qemu driver's CreateSnapshot hook (snapshotDisk),
 * CreateDisk-from-snapshot (a new disk file backed by the snapshot) and ResetDisk, each beside a
 * full `cp` of the same disk file in the same run. No guest boots; needs qemu-utils only.
 * Usage: tsx bench/qemu-disk.ts [GiB=1] [rounds=3]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestSpec } from '../src/compute/driver.js';
import { run, which } from '../src/host/exec.js';
import { QemuDriver } from '../src/compute/qemu/driver.js';

const gib = Number(process.argv[2] ?? 1);
const rounds = Number(process.argv[3] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const timed = async (fn: () => Promise<unknown>) => { const t0 = performance.now(); await fn(); return performance.now() - t0; };

async function main() {
  if (!(await which('qemu-img')) || !(await which('qemu-io'))) { console.log('qemu-utils not installed; nothing to measure'); return; }
  const dataDir = await mkdtemp(join(tmpdir(), 'openecs-qemu-disk-bench-'));
  const driver = new QemuDriver({ dataDir, env: { ...process.env, OPENECS_QEMU_NET: 'none' }, sampleMonitoring: false });
  const spec = (id: string, diskId: string, snapshotId = ''): GuestSpec => ({
    instanceId: id, hostName: 'h', cpu: 1, memoryMiB: 256, imageId: 'x', osType: 'linux', vpcId: '', vswitchId: '', privateIp: '', userData: '', keyPairName: '',
    disks: [{ diskId, type: 'data', sizeGiB: Math.max(gib * 2, 2), device: '/dev/xvdb', imageId: '', snapshotId }],
  });
  const snap: number[] = [], fromSnap: number[] = [], reset: number[] = [], cp: number[] = [];
  try {
    await driver.ensureCreated(spec('i-bench0', 'd-bench'));
    const disk = driver.diskFile('d-bench');
    const fill = await timed(() => run('qemu-io', ['-f', 'qcow2', '-c', `write -P 0x5a 0 ${gib}G`, disk], { timeoutMs: 600_000 }));
    console.log(`wrote ${gib} GiB into the disk in ${fill.toFixed(0)} ms`);
    for (let i = 0; i < rounds; i++) {
      // Each round the disk's data lives in the chain below its overlay; cp copies what a full copy would read.
      cp.push(await timed(() => run('qemu-img', ['convert', '-q', '-O', 'qcow2', disk, join(dataDir, `copy-${i}.qcow2`)], { timeoutMs: 600_000 })));
      await rm(join(dataDir, `copy-${i}.qcow2`), { force: true });
      snap.push(await timed(() => driver.snapshotDisk('d-bench', `s-bench-${i}`)));
      fromSnap.push(await timed(() => driver.ensureCreated(spec(`i-bench${i + 1}`, `d-from-${i}`, `s-bench-${i}`))));
      await run('qemu-io', ['-f', 'qcow2', '-c', 'write -P 0x11 0 1M', disk]);
      reset.push(await timed(() => driver.resetDisk('d-bench', `s-bench-${i}`)));
    }
    // The plain file copy of round 0's frozen snapshot file: all 1 GiB of data in one file.
    const raw: number[] = [];
    for (let i = 0; i < rounds; i++) {
      raw.push(await timed(() => run('cp', [driver.snapshotFile('s-bench-0'), join(dataDir, 'cp.qcow2')], { timeoutMs: 600_000 })));
      await rm(join(dataDir, 'cp.qcow2'), { force: true });
    }
    const m = { snap: median(snap), fromSnap: median(fromSnap), reset: median(reset), cp: median(raw), convert: median(cp) };
    console.log(`disk with ${gib} GiB of data, median of ${rounds}:`);
    console.log(`  CreateSnapshot (snapshotDisk)      ${m.snap.toFixed(1)} ms   (cp of the disk / this: ${(m.cp / m.snap).toFixed(0)}x)`);
    console.log(`  CreateDisk from snapshot           ${m.fromSnap.toFixed(1)} ms   (cp / this: ${(m.cp / m.fromSnap).toFixed(0)}x)`);
    console.log(`  ResetDisk (resetDisk)              ${m.reset.toFixed(1)} ms   (cp / this: ${(m.cp / m.reset).toFixed(0)}x)`);
    console.log(`  cp of the disk's file              ${m.cp.toFixed(1)} ms`);
    console.log(`  qemu-img convert (old snapshot)    ${m.convert.toFixed(1)} ms`);
    console.log(`  target: snapshot <= 200 ms: ${m.snap <= 200 ? 'met' : 'NOT met'}`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
