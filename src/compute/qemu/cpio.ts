/**
 * A cpio "newc" writer: the initramfs format the Linux kernel unpacks (Documentation/
 * driver-api/early-userspace/buffer-format.rst). Written here so building an image needs no
 * cpio binary and entries get exact modes and owners (root) regardless of who builds.
 */
export type CpioEntry =
  | { type: 'dir'; path: string; mode?: number }
  | { type: 'file'; path: string; data: Buffer | string; mode?: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'char'; path: string; major: number; minor: number; mode?: number };

const S_IFDIR = 0o040000, S_IFREG = 0o100000, S_IFLNK = 0o120000, S_IFCHR = 0o020000;

function hex8(n: number) { return n.toString(16).padStart(8, '0'); }
function pad4(n: number) { return (4 - (n % 4)) % 4; }

export function cpioArchive(entries: CpioEntry[]): Buffer {
  const parts: Buffer[] = [];
  let ino = 1;
  const push = (name: string, mode: number, data: Buffer, devMajor = 0, devMinor = 0) => {
    const nameBuf = Buffer.from(`${name}\0`);
    const header = '070701' + [ino++, mode, 0, 0, 1, 0, data.length, 0, 0, devMajor, devMinor, nameBuf.length, 0].map(hex8).join('');
    parts.push(Buffer.from(header), nameBuf, Buffer.alloc(pad4(110 + nameBuf.length)), data, Buffer.alloc(pad4(data.length)));
  };
  for (const e of entries) {
    const name = e.path.replace(/^\/+/, '');
    switch (e.type) {
      case 'dir': push(name, S_IFDIR | (e.mode ?? 0o755), Buffer.alloc(0)); break;
      case 'file': push(name, S_IFREG | (e.mode ?? 0o644), Buffer.isBuffer(e.data) ? e.data : Buffer.from(e.data)); break;
      case 'symlink': push(name, S_IFLNK | 0o777, Buffer.from(e.target)); break;
      case 'char': push(name, S_IFCHR | (e.mode ?? 0o600), Buffer.alloc(0), e.major, e.minor); break;
    }
  }
  push('TRAILER!!!', 0, Buffer.alloc(0));
  const out = Buffer.concat(parts);
  // Archives are concatenated (base image + per-instance seed); keep each 512-byte aligned.
  return Buffer.concat([out, Buffer.alloc((512 - (out.length % 512)) % 512)]);
}
