/**
 * Boot time of a guest through the qemu driver (driver.start → READY marker on the console)
 * against a bare `qemu-system-x86_64` boot of the same kernel, initramfs + seed and a fresh
 * copy-on-write disk in the same run (spawned directly, serial on stdio). The ratio is what the
 * driver adds (image check, disk clone, seed, daemonize, QMP socket, console file polling).
 * Usage: tsx bench/qemu-boot.ts [rounds=3]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestSpec } from '../src/compute/driver.js';
import { probeAccelerator, qemuBinary } from '../src/compute/host-probe.js';
import { run } from '../src/compute/qemu/exec.js';
import { QemuDriver } from '../src/compute/qemu/driver.js';
import { READY_MARKER } from '../src/compute/qemu/guest-scripts.js';
import { buildImage } from '../src/compute/qemu/image.js';
import { seedArchive } from '../src/compute/qemu/seed.js';

const rounds = Number(process.argv[2] ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function spec(id: string): GuestSpec {
  return {
    instanceId: id, hostName: id, cpu: 1, memoryMiB: 1024, imageId: 'img', osType: 'linux', vpcId: 'vpc', vswitchId: 'vsw',
    privateIp: '172.16.9.9', vswitchCidr: '172.16.9.0/24', userData: '', keyPairName: '',
    disks: [{ diskId: `d-${id.slice(2)}`, type: 'system', sizeGiB: 20, device: '/dev/xvda', imageId: 'img', snapshotId: '' }],
  };
}

async function bareBoot(dir: string, id: string): Promise<number> {
  const image = await buildImage();
  const verdict = await probeAccelerator({ dataDir: dir });
  const disk = join(dir, `${id}.qcow2`), initrd = join(dir, `${id}.initrd`);
  const t0 = Date.now();
  await run('qemu-img', ['create', '-q', '-f', 'qcow2', '-b', image.baseDisk, '-F', 'qcow2', disk, '20G']);
  await writeFile(initrd, Buffer.concat([await readFile(image.initramfs), seedArchive(spec(id))]));
  const kvm = verdict.accelerator === 'kvm';
  const child = spawn((await qemuBinary())!, ['-machine', 'pc', '-accel', kvm ? 'kvm' : 'tcg', '-cpu', kvm ? verdict.cpu ?? 'host' : 'max',
    '-m', '256', '-smp', '1', '-nodefaults', '-no-user-config', '-display', 'none', '-kernel', image.kernel, '-initrd', initrd,
    '-append', 'console=ttyS0 quiet panic=-1', '-device', 'virtio-rng-pci', '-drive', `file=${disk},if=virtio,format=qcow2`,
    '-netdev', 'user,id=n0,net=172.16.9.0/24,host=172.16.9.253,dns=172.16.9.254', '-device', 'virtio-net-pci,netdev=n0',
    '-serial', 'stdio'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  const ms = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d) => { out += d; if (out.includes(READY_MARKER)) resolve(Date.now() - t0); });
    child.on('exit', () => reject(new Error(`bare qemu exited: ${out.slice(-300)}`)));
  });
  child.kill('SIGKILL');
  return ms;
}

async function main() {
  if (!(await qemuBinary())) { console.log('qemu-system-x86_64 not installed; nothing to measure'); return; }
  await buildImage({ log: (m) => console.error(m) });
  const dir = await mkdtemp(join(tmpdir(), 'openecs-qemu-bench-'));
  const driver = new QemuDriver({ dataDir: dir, stopTimeoutMs: 10_000 });
  const ours: number[] = [], bare: number[] = [];
  try {
    for (let i = 0; i < rounds; i++) {
      const id = `i-bench${i}`;
      const s = spec(id);
      const t0 = Date.now();
      await driver.ensureCreated(s);
      await driver.start(s);
      await driver.waitReady(id, 120_000);
      ours.push(Date.now() - t0);
      await driver.destroy(id);
      bare.push(await bareBoot(dir, `i-bare${i}`));
    }
  } finally {
    for (const id of await driver.list()) await driver.destroy(id);
    await rm(dir, { recursive: true, force: true });
  }
  const result = {
    accelerator: (await probeAccelerator({ dataDir: dir })).accelerator, rounds,
    driverBootMs: { median: median(ours), all: ours }, bareBootMs: { median: median(bare), all: bare },
    ratio: Number((median(ours) / median(bare)).toFixed(3)),
  };
  console.log(JSON.stringify(result, null, 2));
}

await main();
