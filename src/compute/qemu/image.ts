/**
 * Builds the guest image from Debian packages only: the kernel and its modules from
 * linux-image-amd64, the userland from busybox-static, sshd from dropbear-bin (plus the shared
 * libraries `ldd` names), resize2fs and e2fsck from e2fsprogs. Outputs, in the image cache folder:
 * - `vmlinux` (extracted, boots faster under TCG) or `bzImage` when extraction is impossible;
 * - `initramfs.cpio`: busybox + the modules needed to mount /dev/vda, and e2fsck to repair it (stage 1);
 * - `base.qcow2`: the system disk, an ext4 filesystem made by `mke2fs -d` holding the real root
 *   (busybox init, dropbear, the boot script). Instance disks are copy-on-write clones of it.
 * A build key (versions of the inputs and of the scripts) decides whether a rebuild is needed.
 */
import { createHash } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cpioArchive, type CpioEntry } from './cpio.js';
import { filter, run, which } from '../../host/exec.js';
import { ACPI_POWER, BOOT, INITTAB, LATE_MODULES_DIR, NIC_DHCP, NIC_WATCHER, SHUTDOWN, initramfsInit } from './guest-scripts.js';
import { extractVmlinux, findDebianKernel } from './kernel.js';
import { DEFAULT_IMAGE, imageDir } from './paths.js';

/** Stage-1 modules (mounting the root, the network), in load order (dependencies first, per modules.dep). */
const WANTED_MODULES = ['virtio_pci', 'virtio_blk', 'virtio_net', 'crc32c_generic', 'ext4'];
/**
 * Loaded by the boot script once the guest serves (guest-scripts.ts); dependencies come from
 * modules.dep. `virtio_gpu` drives the display (driver.ts: `-device virtio-gpu-pci`): the guest
 * boots through the PVH entry, so the kernel gets no VGA screen_info and has only the dummy
 * console until a DRM driver registers a framebuffer; then fbcon (built in) takes the VTs and the
 * VNC management terminal shows the console and tty1's login prompt. It pulls drm,
 * drm_kms_helper, drm_shmem_helper and virtio_dma_buf (~2 MB), all loaded after READY.
 */
const LATE_MODULES = ['virtio_rng', 'button', 'evdev', 'virtio_gpu'];
/** Size of the image's filesystem; the ECS minimum system disk, so no resize is needed at 20 GiB. */
export const BASE_DISK_GIB = 20;
const SCRIPT_VERSION = 5;

export interface GuestImage {
  name: string;
  dir: string;
  kernel: string;
  kernelFormat: 'vmlinux' | 'bzImage';
  initramfs: string;
  baseDisk: string;
  kernelVersion: string;
  buildKey: string;
  builtAt: string;
}

export interface Missing { what: string; debianPackage: string }

const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];

async function exists(p: string) { try { await stat(p); return true; } catch { return false; } }

async function firstExisting(paths: string[]) {
  for (const p of paths) if (await exists(p)) return p;
  return undefined;
}

/** What the host lacks to build the image, as Debian package names. */
export async function missingBuildInputs(): Promise<Missing[]> {
  const missing: Missing[] = [];
  if (!(await findDebianKernel())) missing.push({ what: '/boot/vmlinuz-* with /lib/modules', debianPackage: 'linux-image-amd64' });
  const bb = await firstExisting(BUSYBOX_PATHS);
  if (!bb || !(await run('file', ['-b', bb]).then((r) => r.stdout.includes('statically'), () => true))) {
    missing.push({ what: 'static busybox', debianPackage: 'busybox-static' });
  }
  if (!(await which('dropbear'))) missing.push({ what: 'dropbear', debianPackage: 'dropbear-bin' });
  if (!(await which('qemu-img'))) missing.push({ what: 'qemu-img', debianPackage: 'qemu-utils' });
  if (!(await which('mke2fs'))) missing.push({ what: 'mke2fs', debianPackage: 'e2fsprogs' });
  if (!(await which('xz'))) missing.push({ what: 'xz', debianPackage: 'xz-utils' });
  return missing;
}

async function fileHash(path: string) {
  const s = await stat(path);
  return `${path}:${s.size}:${s.mtimeMs}`;
}

async function computeBuildKey(kernelPath: string, bins: string[]) {
  const h = createHash('sha256');
  h.update(`v${SCRIPT_VERSION}\n${BOOT}\n${INITTAB}\n${NIC_WATCHER}\n${NIC_DHCP}\n${initramfsInit(WANTED_MODULES, LATE_MODULES)}\n`);
  for (const p of [kernelPath, ...bins]) h.update(await fileHash(p));
  return h.digest('hex').slice(0, 16);
}

/**
 * Reads the manifest of a built image (the latest build, or the build `buildKey`), or undefined
 * when absent or incomplete. Each build lives in its own folder `<image>/<buildKey>/` and is never
 * overwritten: instance disks are qcow2 overlays naming their base by path, so replacing a base in
 * place (a rebuild, or another checkout sharing the cache with other guest scripts) would change
 * the bytes under every existing instance.
 */
export async function loadImage(name = DEFAULT_IMAGE, buildKey?: string): Promise<GuestImage | undefined> {
  const dir = buildKey ? join(imageDir(name), buildKey) : imageDir(name);
  try {
    const img = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as GuestImage;
    for (const f of [img.kernel, img.initramfs, img.baseDisk]) if (!(await exists(f))) return undefined;
    return img;
  } catch { return undefined; }
}

/** Modules plus their dependencies, dependencies first, from modules.dep. */
async function resolveModules(modulesDir: string, wanted: string[]): Promise<string[]> {
  const dep = await readFile(join(modulesDir, 'modules.dep'), 'utf8');
  const byName = new Map<string, { path: string; deps: string[] }>();
  for (const line of dep.split('\n')) {
    const [path, rest] = line.split(':');
    if (!path || rest === undefined) continue;
    const name = path.split('/').pop()!.replace(/\.ko(\.\w+)?$/, '').replace(/-/g, '_');
    byName.set(name, { path, deps: rest.trim() ? rest.trim().split(/\s+/) : [] });
  }
  const byPath = new Map([...byName.values()].map((v) => [v.path, v]));
  const order: string[] = [];
  const visit = (path: string) => {
    if (order.includes(path)) return;
    const e = byPath.get(path);
    // modules.dep lists the full closure, deepest last; load them in reverse.
    for (const d of [...(e?.deps ?? [])].reverse()) visit(d);
    order.push(path);
  };
  for (const w of wanted) {
    const e = byName.get(w);
    if (e) visit(e.path); // absent = built into this kernel
  }
  return order;
}

const SIG_MAGIC = Buffer.from('~Module signature appended~\n');

/**
 * The module without its appended signature (struct module_signature, 12 bytes, sig_len last,
 * big-endian, then the magic). Debian signs its modules but does not enforce signatures, and
 * checking one (SHA-512 over the whole module plus an RSA verify) costs the guest ~0.1-0.4 s
 * per large module under TCG; an unsigned module only taints the kernel once.
 */
export function stripModuleSignature(ko: Buffer): Buffer {
  if (ko.length < SIG_MAGIC.length + 12 || !ko.subarray(ko.length - SIG_MAGIC.length).equals(SIG_MAGIC)) return ko;
  const sigLen = ko.readUInt32BE(ko.length - SIG_MAGIC.length - 4);
  const end = ko.length - SIG_MAGIC.length - 12 - sigLen;
  return end > 0 ? ko.subarray(0, end) : ko;
}

async function sharedLibs(binary: string): Promise<string[]> {
  const { stdout } = await run('ldd', [binary]).catch(() => ({ stdout: '' }));
  const libs: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = line.match(/=>\s*(\/\S+)/) ?? line.match(/^\s*(\/\S+)\s+\(/);
    if (m) libs.push(m[1]);
  }
  return libs;
}

async function copyInto(root: string, hostPath: string, guestPath = hostPath, mode = 0o755) {
  const dst = join(root, guestPath);
  await mkdir(dirname(dst), { recursive: true });
  await copyFile(hostPath, dst);
  await chmod(dst, mode);
}

export interface BuildOptions { name?: string; force?: boolean; log?: (msg: string) => void }

let building: Promise<GuestImage> | undefined;

/** Builds (or returns the cached) guest image. Concurrent callers share one build. */
export function buildImage(opts: BuildOptions = {}): Promise<GuestImage> {
  if (!building) building = doBuild(opts).finally(() => { building = undefined; });
  return building;
}

async function doBuild({ name = DEFAULT_IMAGE, force = false, log = () => {} }: BuildOptions): Promise<GuestImage> {
  const missing = await missingBuildInputs();
  if (missing.length) {
    throw new Error(`cannot build the guest image, missing: ${missing.map((m) => `${m.what} (apt-get install ${m.debianPackage})`).join(', ')}`);
  }
  const kernel = (await findDebianKernel())!;
  const busybox = (await firstExisting(BUSYBOX_PATHS))!;
  const dropbear = (await which('dropbear'))!;
  const resize2fs = await which('resize2fs');
  const e2fsck = await which('e2fsck');
  const buildKey = await computeBuildKey(kernel.bzImage, [busybox, dropbear, ...(resize2fs ? [resize2fs] : []), ...(e2fsck ? [e2fsck] : [])]);
  const existing = await loadImage(name, buildKey);
  if (existing && !force) {
    await writeFile(join(imageDir(name), 'manifest.json'), JSON.stringify(existing, null, 2)).catch(() => {});
    return existing;
  }

  // A forced rebuild goes to a new folder too: the existing one may back running instances.
  const dir = join(imageDir(name), existing ? `${buildKey}-${Date.now().toString(36)}` : buildKey);
  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(tmpdir(), 'openecs-image-'));
  try {
    const t0 = Date.now();
    // 1. Kernel.
    log(`kernel ${kernel.version} from ${kernel.bzImage}`);
    const vmlinux = await extractVmlinux(kernel.bzImage);
    const kernelFormat = vmlinux ? 'vmlinux' : 'bzImage';
    const kernelOut = join(dir, kernelFormat);
    if (vmlinux) await writeFile(`${kernelOut}.tmp`, vmlinux);
    else await copyFile(kernel.bzImage, `${kernelOut}.tmp`);
    await rename(`${kernelOut}.tmp`, kernelOut);
    log(`kernel written as ${kernelFormat} (${vmlinux ? 'extracted' : 'extraction impossible, using bzImage'})`);

    // 2. Stage-1 initramfs: busybox and modules.
    const modPaths = await resolveModules(kernel.modulesDir, WANTED_MODULES);
    const lateAll = await resolveModules(kernel.modulesDir, LATE_MODULES);
    const latePaths = lateAll.filter((p) => !modPaths.includes(p));
    const nameOf = (p: string) => p.split('/').pop()!.replace(/\.ko(\.\w+)?$/, '');
    const modNames = modPaths.map(nameOf);
    // Late modules are named `NN-name` so that a glob loads them in dependency order.
    const lateNames = latePaths.map((p, i) => `${String(i).padStart(2, '0')}-${nameOf(p)}`);
    const entries: CpioEntry[] = [];
    for (const d of ['bin', 'sbin', 'dev', 'proc', 'sys', 'newroot', 'lib', 'lib/modules', 'seed', `seed/${LATE_MODULES_DIR}`]) entries.push({ type: 'dir', path: d });
    entries.push({ type: 'char', path: 'dev/console', major: 5, minor: 1 });
    entries.push({ type: 'file', path: 'bin/busybox', data: await readFile(busybox), mode: 0o755 });
    for (const app of ['sh', 'mount', 'umount', 'insmod', 'sleep', 'mkdir', 'cp', 'chmod', 'switch_root', 'cat', 'echo', 'poweroff']) {
      entries.push({ type: 'symlink', path: `bin/${app}`, target: 'busybox' });
    }
    const moduleBytes = async (p: string) => {
      let data: Buffer = await readFile(join(kernel.modulesDir, p));
      if (p.endsWith('.xz')) data = await filter('xz', ['-dc'], data);
      return stripModuleSignature(data);
    };
    for (const [p, n] of modPaths.map((p, i) => [p, modNames[i]] as const)) {
      entries.push({ type: 'file', path: `lib/modules/${n}.ko`, data: await moduleBytes(p) });
    }
    for (const [p, n] of latePaths.map((p, i) => [p, lateNames[i]] as const)) {
      entries.push({ type: 'file', path: `seed/${LATE_MODULES_DIR}/${n}.ko`, data: await moduleBytes(p) });
    }
    // e2fsck (and the libraries it links) repairs a root that does not mount after a power cut.
    if (e2fsck) {
      const dirs = new Set(entries.filter((e) => e.type === 'dir').map((e) => e.path));
      const add = async (hostPath: string, guestPath: string, mode: number) => {
        const parts = guestPath.split('/').slice(0, -1);
        for (let i = 1; i <= parts.length; i++) {
          const d = parts.slice(0, i).join('/');
          if (!dirs.has(d)) { dirs.add(d); entries.push({ type: 'dir', path: d }); }
        }
        entries.push({ type: 'file', path: guestPath, data: await readFile(hostPath), mode });
      };
      await add(e2fsck, 'sbin/e2fsck', 0o755);
      for (const lib of await sharedLibs(e2fsck)) await add(lib, lib.slice(1), 0o755);
    }
    entries.push({ type: 'file', path: 'init', data: initramfsInit(modNames, lateNames), mode: 0o755 });
    const initramfs = join(dir, 'initramfs.cpio');
    await writeFile(`${initramfs}.tmp`, cpioArchive(entries));
    await rename(`${initramfs}.tmp`, initramfs);
    log(`initramfs: ${modNames.length} modules, ${lateNames.length} loaded after boot`);

    // 3. Root filesystem tree → ext4 → qcow2.
    const root = join(work, 'root');
    for (const d of ['bin', 'sbin', 'usr/bin', 'usr/sbin', 'etc/openecs', 'etc/dropbear', 'etc/acpi/PWRF', 'dev', 'proc', 'sys', 'run', 'tmp', 'root/.ssh', 'var/lib/openecs', 'var/log', 'var/www', 'lib64', 'mnt', 'home']) {
      await mkdir(join(root, d), { recursive: true });
    }
    await copyInto(root, busybox, '/bin/busybox');
    const { stdout: list } = await run(busybox, ['--list-full']);
    for (const app of list.split('\n').map((s) => s.trim()).filter(Boolean)) {
      const dst = join(root, app);
      if (app === 'bin/busybox' || (await exists(dst))) continue;
      await mkdir(dirname(dst), { recursive: true });
      await symlink('/bin/busybox', dst);
    }
    for (const bin of [dropbear, ...(resize2fs ? [resize2fs] : [])]) {
      await copyInto(root, bin, bin.startsWith('/usr/') ? bin : `/usr${bin}`);
      for (const lib of await sharedLibs(bin)) if (!(await exists(join(root, lib)))) await copyInto(root, lib);
    }
    const etc = (p: string, text: string, mode = 0o644) => writeFile(join(root, 'etc', p), text, { mode });
    await etc('passwd', 'root:x:0:0:root:/root:/bin/sh\n');
    await etc('group', 'root:x:0:\n');
    await etc('shadow', 'root:*:19000:0:99999:7:::\n', 0o600);
    await etc('shells', '/bin/sh\n/bin/ash\n');
    // Shown by getty above the login prompt (serial console and the VNC management terminal, tty1).
    await etc('issue', 'OpenECS guest (Debian kernel, busybox userland) \\n \\l\n\n');
    await etc('inittab', INITTAB);
    await etc('fstab', '/dev/vda / ext4 rw,noinit_itable 0 1\n');
    await etc('os-release', 'NAME="OpenECS busybox"\nID=openecs\nPRETTY_NAME="OpenECS guest (Debian kernel, busybox userland)"\n');
    await etc('openecs/boot', BOOT, 0o755);
    await etc('openecs/shutdown', SHUTDOWN, 0o755);
    await etc('openecs/nics', NIC_WATCHER, 0o755);
    await etc('openecs/nic-dhcp', NIC_DHCP, 0o755);
    await etc('acpi/PWRF/00000080', ACPI_POWER, 0o755);
    // Tells stage 1 that this root's boot script loads the late modules itself.
    await etc('openecs/late-modules', '');
    await chmod(join(root, 'tmp'), 0o1777);
    const raw = join(work, 'base.raw');
    await run('mke2fs', ['-q', '-F', '-t', 'ext4', '-L', 'openecs-root', '-E', 'lazy_itable_init=1,lazy_journal_init=1,root_owner=0:0',
      '-d', root, raw, `${BASE_DISK_GIB}G`], { timeoutMs: 300_000 });
    const baseDisk = join(dir, 'base.qcow2');
    await run('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, `${baseDisk}.tmp`], { timeoutMs: 300_000 });
    await rename(`${baseDisk}.tmp`, baseDisk);
    log(`base disk: ${BASE_DISK_GIB} GiB ext4 → ${baseDisk}`);

    const img: GuestImage = {
      name, dir, kernel: kernelOut, kernelFormat, initramfs, baseDisk, kernelVersion: kernel.version, buildKey,
      builtAt: new Date().toISOString(),
    };
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(img, null, 2));
    await writeFile(join(imageDir(name), 'manifest.json'), JSON.stringify(img, null, 2));
    // A previous build's other kernel format would be stale.
    await rm(join(dir, kernelFormat === 'vmlinux' ? 'bzImage' : 'vmlinux'), { force: true });
    log(`built in ${Date.now() - t0} ms`);
    return img;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The built image, building it first when absent or stale. */
export async function ensureImage(opts: BuildOptions = {}): Promise<GuestImage> {
  return buildImage(opts);
}

