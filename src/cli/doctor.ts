/**
 * `openecs doctor`: whether the data dir and its secret files are the server's alone (owner-only
 * modes, owned by the running user; `--permissions` checks only that), then what this host can do
 * for the qemu driver: QEMU version, the KVM/TCG verdict (a real boot, cached in the data dir;
 * --reprobe to redo it), nftables and network namespaces, and the guest image.
 */
import { parseArgs } from 'node:util';
import { configFromEnv, type Config } from '../config.js';
import { checkDataDirPermissions } from '../auth/data-dir.js';
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

/**
 * The data dir lines of the report: one `ok` line, or one `FAIL` line per problem with the command
 * that fixes it. `uid`: the user the server runs as (this process's by default).
 */
export function dataDirReport(config: Pick<Config, 'dataDir' | 'serverKeyFile' | 'tls'>, uid?: number): { ok: boolean; lines: string[] } {
  if (config.dataDir === ':memory:') return { ok: true, lines: ['ok    data dir: none (:memory:)'] };
  const extraFiles = [config.serverKeyFile, config.tls.enabled ? config.tls.keyFile : undefined].filter((f): f is string => !!f);
  const r = checkDataDirPermissions(config.dataDir, { extraFiles, uid });
  if (r.problems.length === 0) {
    return { ok: true, lines: [`ok    data dir: ${config.dataDir} and its secret files (${r.checked.length} checked) are readable by their owner, the running user, alone`] };
  }
  return { ok: false, lines: r.problems.map((p) => `FAIL  data dir: ${p.path}: ${p.problem}; fix: ${p.fix}`) };
}

export async function doctor(argv: string[]) {
  const { values } = parseArgs({ args: argv, options: { 'data-dir': { type: 'string' }, reprobe: { type: 'boolean' }, permissions: { type: 'boolean' } } });
  const env = { ...process.env };
  if (values['data-dir']) env.OPENECS_DATA_DIR = values['data-dir'];
  const config = configFromEnv(env);
  const perms = dataDirReport(config);
  for (const line of perms.lines) console.log(line);
  if (values.permissions) {
    if (!perms.ok) process.exitCode = 1;
    return;
  }
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
