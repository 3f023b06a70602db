/**
 * The guest kernel comes from Debian's linux-image-amd64 (/boot/vmlinuz-*). Under TCG an
 * uncompressed ELF vmlinux boots in about half the time of the bzImage (no in-guest
 * decompression; QEMU loads it through its PVH entry), so we extract it: the bzImage header
 * names where the compressed payload sits (boot protocol 2.08+: payload_offset at 0x248,
 * payload_length at 0x24c, relative to the protected-mode code after the setup sectors).
 */
import { gunzipSync } from 'node:zlib';
import { readdir, readFile } from 'node:fs/promises';
import { filter } from '../../host/exec.js';

export interface DebianKernel { version: string; bzImage: string; modulesDir: string }

/** The newest kernel under /boot that also has its modules installed. */
export async function findDebianKernel(bootDir = '/boot', modulesRoot = '/lib/modules'): Promise<DebianKernel | undefined> {
  let names: string[] = [];
  try { names = await readdir(bootDir); } catch { return undefined; }
  let mods: string[] = [];
  try { mods = await readdir(modulesRoot); } catch { return undefined; }
  const versions = names.filter((n) => n.startsWith('vmlinuz-')).map((n) => n.slice('vmlinuz-'.length))
    .filter((v) => mods.includes(v))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  const version = versions.at(-1);
  if (!version) return undefined;
  return { version, bzImage: `${bootDir}/vmlinuz-${version}`, modulesDir: `${modulesRoot}/${version}` };
}

const MAGICS: { name: string; magic: Buffer }[] = [
  { name: 'xz', magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) },
  { name: 'gzip', magic: Buffer.from([0x1f, 0x8b, 0x08]) },
  { name: 'zstd', magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]) },
];

/** Locates the compressed payload: from the header when it is sane, else by scanning for a magic. */
export function findPayload(bz: Buffer): { format: string; data: Buffer } | undefined {
  if (bz.length > 0x250 && bz.toString('latin1', 0x202, 0x206) === 'HdrS') {
    const setupSects = bz[0x1f1] || 4;
    const pmStart = (setupSects + 1) * 512;
    const off = bz.readUInt32LE(0x248), len = bz.readUInt32LE(0x24c);
    const data = bz.subarray(pmStart + off, pmStart + off + len);
    const m = MAGICS.find((x) => data.subarray(0, x.magic.length).equals(x.magic));
    if (m && data.length === len) return { format: m.name, data };
  }
  for (const m of MAGICS) {
    const at = bz.indexOf(m.magic);
    if (at >= 0) return { format: m.name, data: bz.subarray(at) };
  }
  return undefined;
}

/** Returns the uncompressed ELF vmlinux, or undefined when it cannot be extracted here. */
export async function extractVmlinux(bzImagePath: string): Promise<Buffer | undefined> {
  const bz = await readFile(bzImagePath);
  const payload = findPayload(bz);
  if (!payload) return undefined;
  let out: Buffer | undefined;
  try {
    if (payload.format === 'gzip') out = gunzipSync(payload.data);
    else if (payload.format === 'xz') out = await filter('xz', ['-dc', '--single-stream', '-q'], payload.data);
    else if (payload.format === 'zstd') out = await filter('zstd', ['-dcq'], payload.data.subarray(0, payload.data.length - 4));
  } catch { return undefined; }
  if (!out || out.length < 4 || out.readUInt32BE(0) !== 0x7f454c46) return undefined;
  return out;
}
