/**
 * How a system disk boots. The built-in image's root is a bare ext4 filesystem labelled
 * `openecs-root` (image.ts): QEMU loads the built-in kernel directly and the seed goes in with the
 * initramfs, the fast path. Any other disk, such as a cloud image brought in with ImportImage, has
 * its own boot loader and kernel: it boots through the firmware (SeaBIOS) from the disk, and it
 * configures itself as on ECS, by DHCP and the metadata service.
 */
import { run } from '../../host/exec.js';

export type BootMode = 'direct' | 'firmware';

export const ROOT_LABEL = 'openecs-root';

/** The bytes of a `qemu-io -c "read -v …"` hex dump (`00000400:  53 ef …  ascii`). */
export function parseHexDump(out: string): Buffer {
  const bytes: number[] = [];
  for (const line of out.split('\n')) {
    const m = /^[0-9a-f]{8}:\s+((?:[0-9a-f]{2}\s)+)/i.exec(line);
    if (m) for (const h of m[1]!.trim().split(/\s+/)) bytes.push(parseInt(h, 16));
  }
  return Buffer.from(bytes);
}

/** The boot mode from an ext4 superblock (the 1 KiB at byte 1024 of the disk), or anything else read there. */
export function bootModeOfSuperblock(sb: Buffer): BootMode {
  const isExt = sb.length >= 0x88 && sb.readUInt16LE(0x38) === 0xef53;
  const label = isExt ? sb.subarray(0x78, 0x88).toString('latin1').replace(/\0.*$/s, '') : '';
  return label === ROOT_LABEL ? 'direct' : 'firmware';
}

/** Reads the disk's superblock area through its whole backing chain (-U: the disk may be open in a running QEMU). */
export async function bootModeOf(diskFile: string): Promise<BootMode> {
  const { stdout } = await run('qemu-io', ['-r', '-U', '-f', 'qcow2', '-c', 'read -v 1024 256', diskFile]);
  return bootModeOfSuperblock(parseHexDump(stdout));
}
