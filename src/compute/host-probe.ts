/**
 * KVM or TCG? Opening /dev/kvm proves nothing: on some hosts (nested or micro VMs) guest kernels
 * die under KVM with "KVM internal error ... emulation failure". So we really boot a tiny guest
 * once under KVM (the image's kernel and stage-1 initramfs with `openecs.probe`, which prints a
 * marker and powers off; or the bare kernel, whose root-mount panic also proves it ran), with a
 * short timeout, and cache the verdict keyed by QEMU version, host kernel and guest kernel.
 * `OPENECS_QEMU_ACCEL=kvm|tcg` overrides the probe.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { release } from 'node:os';
import { dirname, join } from 'node:path';
import { run, which } from '../host/exec.js';
import { PROBE_MARKER } from './qemu/guest-scripts.js';
import { loadImage } from './qemu/image.js';
import { findDebianKernel } from './qemu/kernel.js';
import { cacheDir } from './qemu/paths.js';

export type Accelerator = 'kvm' | 'tcg';

export interface ProbeVerdict {
  accelerator: Accelerator;
  reason: string;
  key: string;
  qemuVersion: string;
  probedAt: string;
  /** KVM boot time to the marker, when KVM worked. */
  kvmBootMs?: number;
  /** The -cpu model that booted under KVM. */
  cpu?: string;
}

export async function qemuBinary(env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return env.OPENECS_QEMU_BINARY || (await which('qemu-system-x86_64'));
}

export async function qemuVersion(bin: string): Promise<string> {
  const { stdout } = await run(bin, ['--version']);
  return stdout.split('\n')[0].trim();
}

function probeFile(dataDir: string) {
  return dataDir === ':memory:' || !dataDir ? join(cacheDir(), 'host-probe.json') : join(dataDir, 'host-probe.json');
}

interface ProbeBoot { kernel: string; initramfs?: string }

async function probeBootFiles(): Promise<ProbeBoot | undefined> {
  const img = await loadImage();
  if (img) return { kernel: img.kernel, initramfs: img.initramfs };
  const k = await findDebianKernel();
  return k ? { kernel: k.bzImage } : undefined;
}

/** Boots once under KVM; resolves with the time to the marker, or throws why it did not work. */
export async function bootUnderKvm(bin: string, boot: ProbeBoot, timeoutMs: number, cpu = 'host'): Promise<number> {
  const args = ['-accel', 'kvm', '-cpu', cpu, '-m', '128', '-smp', '1', '-nodefaults', '-no-user-config', '-display', 'none',
    '-no-reboot', '-serial', 'stdio', '-kernel', boot.kernel, ...(boot.initramfs ? ['-initrd', boot.initramfs] : []),
    '-append', 'console=ttyS0 panic=-1 openecs.probe'];
  const t0 = Date.now();
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise<number>((resolve, reject) => {
    const finish = (err?: Error) => {
      clearTimeout(timer);
      if (child.exitCode === null) child.kill('SIGKILL');
      if (err) reject(err); else resolve(Date.now() - t0);
    };
    const check = () => {
      if (out.includes(PROBE_MARKER) || /Kernel panic - not syncing: VFS/.test(out)) finish();
      else if (/KVM internal error|emulation failure|Could not access KVM|failed to initialize kvm/i.test(out)) {
        finish(new Error((out.match(/.*(KVM internal error|emulation failure|Could not access KVM|failed to initialize kvm).*/i)?.[0] ?? 'KVM failed').trim()));
      }
    };
    child.stdout.on('data', (d) => { out += d; check(); });
    child.stderr.on('data', (d) => { out += d; check(); });
    child.on('error', (e) => finish(e));
    child.on('exit', () => setTimeout(() => { check(); finish(new Error(`guest exited before the marker: ${out.trim().split('\n').slice(-3).join(' | ')}`)); }, 20));
    const timer = setTimeout(() => finish(new Error(`no marker within ${timeoutMs} ms under KVM`)), timeoutMs);
  });
}

/** The accelerator verdict, from the cache when its key still matches. */
export async function probeAccelerator(opts: { dataDir: string; force?: boolean; timeoutMs?: number; env?: NodeJS.ProcessEnv } ): Promise<ProbeVerdict> {
  const env = opts.env ?? process.env;
  const bin = await qemuBinary(env);
  if (!bin) throw new Error('qemu-system-x86_64 not found (apt-get install qemu-system-x86)');
  const version = await qemuVersion(bin);
  const override = env.OPENECS_QEMU_ACCEL;
  if (override === 'kvm' || override === 'tcg') {
    return { accelerator: override, reason: 'OPENECS_QEMU_ACCEL', key: 'override', qemuVersion: version, probedAt: new Date().toISOString() };
  }
  const boot = await probeBootFiles();
  const key = [version, release(), boot?.kernel ?? 'none'].join('|');
  const file = probeFile(opts.dataDir);
  // The data dir holds the verdict; the shared cache saves a fresh data dir (tests) the probe.
  const shared = join(cacheDir(env), 'host-probe.json');
  if (!opts.force) {
    for (const f of [file, shared]) {
      try {
        const cached = JSON.parse(await readFile(f, 'utf8')) as ProbeVerdict;
        if (cached.key === key) {
          if (f !== file) { await mkdir(dirname(file), { recursive: true }); await writeFile(file, JSON.stringify(cached, null, 2)); }
          return cached;
        }
      } catch { /* probe */ }
    }
  }
  let verdict: ProbeVerdict | undefined;
  const base = { key, qemuVersion: version, probedAt: new Date().toISOString() };
  try {
    await access('/dev/kvm', constants.R_OK | constants.W_OK);
    if (!boot) throw new Error('no guest kernel to probe with');
    // `host` is the fast model; some hosts refuse its MSRs, so the portable default is tried next.
    const failures: string[] = [];
    for (const cpu of ['host', 'qemu64']) {
      try {
        const ms = await bootUnderKvm(bin, boot, opts.timeoutMs ?? 10_000, cpu);
        verdict = { accelerator: 'kvm', reason: `a guest booted under KVM (-cpu ${cpu}) in ${ms} ms`, kvmBootMs: ms, cpu, ...base };
        break;
      } catch (e) {
        failures.push(`-cpu ${cpu}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    verdict ??= { accelerator: 'tcg', reason: failures.join('; '), ...base };
  } catch (e) {
    verdict = { accelerator: 'tcg', reason: e instanceof Error ? e.message : String(e), ...base };
  }
  for (const f of new Set([file, shared])) {
    await mkdir(dirname(f), { recursive: true });
    await writeFile(f, JSON.stringify(verdict, null, 2));
  }
  return verdict!;
}
