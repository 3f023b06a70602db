/**
 * Boot time of a guest through the qemu driver (driver.start → READY marker on the console)
 * against a bare `qemu-system-x86_64` boot of the same kernel, initramfs + seed and a fresh
 * copy-on-write disk in the same run (spawned directly, serial on stdio). The ratio is what the
 * driver adds (image check, disk clone, seed, daemonize, QMP socket, console file polling). Both
 * boot with the driver's kernel arguments, TCG vCPU model and firmware, so the ratio measures the driver.
 * Targets (issue 5): driver within 20% of bare QEMU, and <= 5 s to guest ready.
 * Usage: tsx bench/qemu-boot.ts [rounds=3]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestSpec } from '../src/compute/driver.js';
import { probeAccelerator, qemuBinary } from '../src/compute/host-probe.js';
import { run } from '../src/host/exec.js';
import { GUEST_KERNEL_ARGS, QemuDriver, TCG_CPU, fastFirmware } from '../src/compute/qemu/driver.js';
import { READY_MARKER } from '../src/compute/qemu/guest-scripts.js';
import { buildImage } from '../src/compute/qemu/image.js';
import { seedArchive } from '../src/compute/qemu/seed.js';
import { processCpuSeconds } from '../src/compute/qemu/monitor.js';
import { Netns } from '../src/network/netns.js';

const rounds = Number(process.argv[2] ?? 3);
const bareCpu: number[] = [], oursCpu: number[] = [];
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
  const child = spawn((await qemuBinary())!, ['-machine', 'pc', '-accel', kvm ? 'kvm' : 'tcg', '-cpu', kvm ? verdict.cpu ?? 'host' : TCG_CPU,
    '-m', '256', '-smp', '1', '-nodefaults', '-no-user-config', '-display', 'none', ...fastFirmware(), '-kernel', image.kernel, '-initrd', initrd,
    '-append', `console=ttyS0 ${GUEST_KERNEL_ARGS}`, '-device', 'virtio-rng-pci', '-drive', `file=${disk},if=virtio,format=qcow2`,
    '-netdev', 'user,id=n0,net=172.16.9.0/24,host=172.16.9.253,dns=172.16.9.254', '-device', 'virtio-net-pci,netdev=n0',
    '-serial', 'stdio'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  let done = false;
  const ms = await new Promise<number>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (done || !out.includes(READY_MARKER)) return;
      done = true;
      const ms = Date.now() - t0;
      void processCpuSeconds(child.pid!).then((c) => { bareCpu.push(Math.round((c ?? 0) * 1000)); resolve(ms); });
    });
    child.once('exit', () => reject(new Error(`bare qemu exited: ${out.slice(-300)}`)));
  });
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  return ms;
}

async function main() {
  if (!(await qemuBinary())) { console.log('qemu-system-x86_64 not installed; nothing to measure'); return; }
  await buildImage({ log: (m) => console.error(m) });
  const dir = await mkdtemp(join(tmpdir(), 'openecs-qemu-bench-'));
  // Its own instance namespace (netns network when root), removed at the end with its metadata service.
  const ns = `oe-boot-${process.pid}`;
  const driver = new QemuDriver({ dataDir: dir, stopTimeoutMs: 10_000, env: { ...process.env, OPENECS_NETNS: ns }, sampleMonitoring: false });
  const ours: number[] = [], bare: number[] = [];
  // The accelerator probe (a boot of its own when the image changed) is not part of either boot.
  await driver.accelerator();
  await probeAccelerator({ dataDir: dir });
  try {
    for (let i = 0; i < rounds; i++) {
      const id = `i-bench${i}`;
      const s = spec(id);
      const t0 = Date.now();
      await driver.ensureCreated(s);
      await driver.start(s);
      await driver.waitReady(id, 120_000);
      ours.push(Date.now() - t0);
      oursCpu.push(Math.round(((await processCpuSeconds((await driver.pid(id))!)) ?? 0) * 1000));
      await driver.destroy(id);
      bare.push(await bareBoot(dir, `i-bare${i}`));
    }
  } finally {
    for (const id of await driver.list()) await driver.destroy(id);
    await new Netns(ns, 'bench').destroy();
    await rm(driver.runtimeDir(), { recursive: true, force: true });
    await rm(dir, { recursive: true, force: true });
  }
  const result = {
    accelerator: (await probeAccelerator({ dataDir: dir })).accelerator, rounds,
    hostLoad: (await run('uptime', [])).stdout.trim().replace(/.*load/, 'load'),
    driverBootMs: { median: median(ours), all: ours }, bareBootMs: { median: median(bare), all: bare },
    // CPU time QEMU used up to READY: the boot's cost whatever else the host runs.
    driverCpuMs: { median: median(oursCpu), all: oursCpu }, bareCpuMs: { median: median(bareCpu), all: bareCpu },
    ratio: Number((median(ours) / median(bare)).toFixed(3)),
  };
  console.log(JSON.stringify(result, null, 2));
  console.log(`target: driver boot within 20% of bare QEMU (ratio <= 1.2): ${result.ratio <= 1.2 ? 'met' : 'NOT met'} (${result.ratio})`);
  console.log(`target: <= 5 s to guest ready: ${median(ours) <= 5000 ? 'met' : 'NOT met'} (driver ${median(ours)} ms, bare ${median(bare)} ms, ${result.accelerator})`);
}

await main();
