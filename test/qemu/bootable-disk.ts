/**
 * A disk image that boots like a third-party cloud image, built from Debian packages only: an MBR
 * (syslinux's mbr.bin) and a FAT partition holding the syslinux boot loader, Debian's compressed
 * kernel and an initramfs that is the whole system. Nothing of OpenECS's boot path is in it: the
 * firmware loads the boot loader, which loads its own kernel with its own arguments; the system
 * then takes its address by DHCP and configures itself from the metadata service at
 * 100.100.100.200, as cloud-init's AliYun datasource does on a stock image (hostname, user data
 * run once), serves its instance id over HTTP and prints a marker on the serial console.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cpioArchive } from '../../src/compute/qemu/cpio.js';
import { run, which } from '../../src/host/exec.js';
import { buildImage } from '../../src/compute/qemu/image.js';
import { findDebianKernel } from '../../src/compute/qemu/kernel.js';

export const IMPORTED_READY = 'IMPORTED-IMAGE-READY';
const MBR = '/usr/lib/syslinux/mbr/mbr.bin';

/** Why the disk cannot be built here, or undefined. */
export async function bootableDiskSkipReason(): Promise<string | undefined> {
  for (const [cmd, pkg] of [['syslinux', 'syslinux'], ['mcopy', 'mtools'], ['mkfs.fat', 'dosfstools'], ['sfdisk', 'fdisk']] as const) {
    if (!(await which(cmd))) return `${cmd} is not installed (apt-get install ${pkg})`;
  }
  if (!(await readFile(MBR).catch(() => undefined))) return `${MBR} is missing (apt-get install syslinux-common)`;
  return undefined;
}

// The system: busybox from the built-in image's initramfs (it also brings the virtio modules).
const INIT = `#!/bin/busybox sh
B=/bin/busybox
$B mount -t proc proc /proc; $B mount -t sysfs sys /sys; $B mount -t devtmpfs dev /dev
# The modules in a few passes, so each finds what it depends on loaded.
for pass in 1 2 3; do for m in /lib/modules/*.ko; do $B insmod $m 2>/dev/null; done; done
$B mkdir -p /tmp /var/www
echo "imported image: kernel $($B uname -r), command line: $($B cat /proc/cmdline)"
# What cloud-init's ds-identify reads to choose its AliYun datasource.
echo "dmi: $($B cat /sys/class/dmi/id/sys_vendor) / $($B cat /sys/class/dmi/id/product_name)"
$B ip link set lo up
i=0; while [ ! -e /sys/class/net/eth0 ] && [ $i -lt 100 ]; do $B sleep 0.1; i=$((i+1)); done
$B ip link set eth0 up
$B udhcpc -i eth0 -s /dhcp-event -q -f -n -t 30 -T 1
MD=http://100.100.100.200/latest
IID=$($B wget -q -O - $MD/meta-data/instance-id)
$B hostname "$($B wget -q -O - $MD/meta-data/hostname)"
if $B wget -q -O /tmp/user-data $MD/user-data; then $B chmod 700 /tmp/user-data; /tmp/user-data > /tmp/user-data.log 2>&1; fi
echo "$IID" > /var/www/index.html
$B httpd -p 80 -h /var/www
echo "${IMPORTED_READY} instance=$IID hostname=$($B hostname) address=$($B ip -4 -o addr show dev eth0 | $B awk '{print $4}')"
while :; do $B sleep 3600; done
`;

// busybox udhcpc's event script: $ip, $mask (prefix length), $router, $hostname from the lease.
const DHCP_EVENT = `#!/bin/busybox sh
B=/bin/busybox
case "$1" in
  bound|renew)
    $B ip addr flush dev "$interface"
    $B ip addr add "$ip/$mask" dev "$interface"
    [ -n "$router" ] && $B ip route replace default via "\${router%% *}" dev "$interface"
    echo "dhcp: $ip/$mask router $router hostname $hostname";;
esac
`;

const SYSLINUX_CFG = 'DEFAULT linux\nPROMPT 0\nLABEL linux\n  KERNEL vmlinuz\n  APPEND initrd=initrd.img console=ttyS0 quiet\n';

/** Writes the raw disk to `out` (about 80 MiB, mostly sparse). */
export async function buildBootableDisk(work: string, out: string): Promise<void> {
  const image = await buildImage();
  const kernel = (await findDebianKernel())!;
  const initrd = join(work, 'initrd.img');
  await writeFile(initrd, Buffer.concat([await readFile(image.initramfs), cpioArchive([
    { type: 'file', path: 'init', data: INIT, mode: 0o755 },
    { type: 'file', path: 'dhcp-event', data: DHCP_EVENT, mode: 0o755 },
  ])]));
  const cfg = join(work, 'syslinux.cfg');
  await writeFile(cfg, SYSLINUX_CFG);
  // The partition: FAT16, 64 MiB, starting at sector 2048.
  const part = join(work, 'part.img');
  await rm(part, { force: true });
  await run('mkfs.fat', ['-C', '-F', '16', '-n', 'BOOT', part, String(64 * 1024)]);
  await run('mcopy', ['-i', part, kernel.bzImage, '::/vmlinuz']);
  await run('mcopy', ['-i', part, initrd, cfg, '::/']);
  await run('syslinux', ['--install', part]);
  await rm(out, { force: true });
  await run('truncate', ['-s', `${80}M`, out]);
  await run('sfdisk', ['-q', out], { input: 'label: dos\nstart=2048, size=131072, type=6, bootable\n' });
  await run('dd', [`if=${MBR}`, `of=${out}`, 'bs=440', 'count=1', 'conv=notrunc', 'status=none']);
  await run('dd', [`if=${part}`, `of=${out}`, 'bs=1M', 'seek=1', 'conv=notrunc,sparse', 'status=none']);
}
