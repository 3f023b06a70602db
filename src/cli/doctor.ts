/**
 * `openecs doctor`: what this host can do for the qemu driver: QEMU version, the KVM/TCG
 * verdict (a real boot, cached in the data dir; --reprobe to redo it), nftables and network
 * namespaces, and the guest image.
 */
import { parseArgs } from 'node:util';
import { configFromEnv } from '../config.js';
import { probeAccelerator, qemuBinary, qemuVersion } from '../compute/host-probe.js';
import { run, which } from '../host/exec.js';
import { loadImage, missingBuildInputs } from '../compute/qemu/image.js';
import { netnsUnavailable } from '../network/netns.js';

async function check(name: string, fn: () => Promise<string>): Promise<boolean> {
  try { console.log(`ok    ${name}: ${await fn()}`); return true; } catch (e) {
    console.log(`FAIL  ${name}: ${e instanceof Error ? e.message.split('\n')[0] : e}`);
    return false;
  }
}

export async function doctor(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, reprobe: { type: 'boolean' } } });
  const env = { ...process.env };
  if (values['data-dir']) env.OPENECS_DATA_DIR = values['data-dir'];
  const config = configFromEnv(env);
  await check('qemu', async () => {
    const bin = await qemuBinary();
    if (!bin) throw new Error('qemu-system-x86_64 not found (apt-get install qemu-system-x86)');
    return `${await qemuVersion(bin)} (${bin})`;
  });
  await check('qemu-img', async () => {
    if (!(await which('qemu-img'))) throw new Error('not found (apt-get install qemu-utils)');
    return (await run('qemu-img', ['--version'])).stdout.split('\n')[0];
  });
  await check('accelerator', async () => {
    const v = await probeAccelerator({ dataDir: config.dataDir, force: values.reprobe });
    return `${v.accelerator} (${v.reason}; probed ${v.probedAt})`;
  });
  await check('nftables', async () => {
    if (!(await which('nft'))) throw new Error('nft not found (apt-get install nftables)');
    const ns = `openecs-doctor-${process.pid}`;
    await run('ip', ['netns', 'add', ns]);
    try {
      await run('ip', ['netns', 'exec', ns, 'nft', 'add table bridge openecs_probe']);
      return 'nft works (bridge family) inside a network namespace';
    } finally {
      await run('ip', ['netns', 'del', ns]).catch(() => {});
    }
  });
  await check('netns', async () => {
    if (!(await which('ip'))) throw new Error('ip not found (apt-get install iproute2)');
    const ns = `openecs-doctor-br-${process.pid}`;
    await run('ip', ['netns', 'add', ns]);
    try {
      await run('ip', ['-n', ns, 'link', 'add', 'br0', 'type', 'bridge']);
      await run('ip', ['-n', ns, 'tuntap', 'add', 'tap0', 'mode', 'tap']);
      await run('ip', ['-n', ns, 'link', 'set', 'tap0', 'master', 'br0']);
      return 'namespaces, bridges and taps work';
    } finally {
      await run('ip', ['netns', 'del', ns]).catch(() => {});
    }
  });
  await check('instance network', async () => {
    const why = await netnsUnavailable();
    if (process.env.OPENECS_QEMU_NET === 'user' || process.env.OPENECS_QEMU_NET === 'none') return `${process.env.OPENECS_QEMU_NET} (OPENECS_QEMU_NET)`;
    if (why) return `user-mode networking fallback (no metadata service, no security groups on the wire): ${why}`;
    return `netns "${process.env.OPENECS_NETNS || 'openecs'}": VPC bridges, instance taps, metadata at 100.100.100.200, security groups in nftables`;
  });
  await check('image', async () => {
    const img = await loadImage();
    if (img) return `${img.name} built ${img.builtAt}, kernel ${img.kernelVersion} (${img.kernelFormat})`;
    const missing = await missingBuildInputs();
    throw new Error(missing.length
      ? `not built; missing ${missing.map((m) => m.debianPackage).join(', ')}`
      : 'not built; run: openecs images build');
  });
}
