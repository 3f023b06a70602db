/**
 * The shell programs the guest runs (busybox ash). Two stages:
 * - initramfs `/init`: loads the virtio/ext4 modules, mounts the system disk (/dev/vda) and
 *   hands the per-instance seed (metadata, user data, keys) to it on a tmpfs at /run/openecs;
 *   under TCG every exec and module load is tens of ms of emulated CPU, so both stages keep them few;
 * - on the disk, busybox `init` runs `/etc/openecs/boot`: hostname, eth0, root password,
 *   authorized key, user data once per instance, sshd (dropbear), a marker HTTP service, and
 *   finally prints the READY marker the driver and tests wait for on the serial console.
 */

/** Printed on the serial console once the guest is fully up; followed by `instance=<id>`. */
export const READY_MARKER = 'OPENECS-READY';

/** Printed by stage 1 when booted with \`openecs.probe\` (host-probe: did the kernel reach userspace?). */
export const PROBE_MARKER = 'OPENECS-PROBE-OK';

/** Stage 1 copies the modules the boot does not wait for here (under the guest's /run/openecs). */
export const LATE_MODULES_DIR = 'modules';

/**
 * `modules`: what mounting the root and the network need, loaded before switch_root. `late`: the
 * rest (power button, evdev for acpid, virtio-rng, the virtio-gpu display), handed to the root's
 * boot script, which loads them once the guest serves: under TCG each module costs tens of ms of
 * emulated CPU.
 * A root without `/etc/openecs/late-modules` (a disk from an older image) gets them here.
 */
export function initramfsInit(modules: string[], late: string[] = []): string {
  return `#!/bin/sh
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
read -r cmdline < /proc/cmdline
case " $cmdline " in *" openecs.probe "*) echo ${PROBE_MARKER}; poweroff -f;; esac
for m in ${modules.join(' ')}; do insmod /lib/modules/$m.ko 2>/dev/null; done
root=/dev/vda
i=0
while [ ! -b $root ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
mkdir -p /newroot
if ! mount -t ext4 -o noinit_itable $root /newroot; then
  # What the journal does not cover can be half done at a power cut (a killed QEMU): an online
  # resize2fs, say, leaves a superblock that counts groups whose descriptors were never written.
  # Repair as a distribution's initramfs would (fsck -y, from the backup superblocks if need be).
  echo "openecs: $root does not mount, checking it"
  [ -x /sbin/e2fsck ] && /sbin/e2fsck -y $root
  mount -t ext4 -o noinit_itable $root /newroot || { echo "openecs: cannot mount $root"; exec sh; }
fi
mount -t tmpfs -o mode=0755 run /newroot/run
mkdir -p /newroot/run/openecs
# One copy brings the seed and the late modules (the image ships them as /seed/${LATE_MODULES_DIR}).
[ -d /seed ] && cp -a /seed/. /newroot/run/openecs/
[ -f /newroot/etc/openecs/late-modules ] || for m in ${late.join(' ')}; do insmod /seed/${LATE_MODULES_DIR}/$m.ko 2>/dev/null; done
chmod 700 /newroot/run/openecs
# proc and sys move with /dev (the boot script mounts them only when absent): fewer execs under TCG.
mount --move /proc /newroot/proc
mount --move /sys /newroot/sys
mount --move /dev /newroot/dev
exec switch_root /newroot /sbin/init
`;
}

export const INITTAB = `::sysinit:/etc/openecs/boot
ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100
tty1::respawn:/sbin/getty 38400 tty1
::ctrlaltdel:/sbin/reboot
::shutdown:/etc/openecs/shutdown
`;

export const BOOT = `#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
# Stage 1 moved /proc, /sys and /dev here and mounted / read-write; older stage 1s did not move them.
[ -f /proc/mounts ] || mount -t proc proc /proc
[ -d /sys/kernel ] || mount -t sysfs sys /sys
mkdir -p /dev/pts /dev/shm /tmp /var/log /var/run /var/lib/openecs /root/.ssh /etc/dropbear
mount -t devpts devpts /dev/pts
mount -t tmpfs tmpfs /tmp
SEED=/run/openecs
[ -f $SEED/meta ] && . $SEED/meta
ip link set lo up
if [ -n "$PRIVATE_IP" ]; then
  ip link set eth0 up 2>/dev/null
  ip addr add "$PRIVATE_IP/\${PREFIX:-24}" dev eth0 2>/dev/null
  [ -n "$GATEWAY" ] && ip route add default via "$GATEWAY" 2>/dev/null
fi
# The metadata service (netns network) is the source of truth, as cloud-init's AliYun datasource
# reads it; the seed is the fallback (user-mode network, or the service unreachable).
if [ "$METADATA" = 1 ]; then
  MD=http://100.100.100.200/latest
  D=/run/openecs/md
  mkdir -p $D
  # The four documents at once, so each answer's latency overlaps the others' work. eth0 needs a
  # moment after link up (carrier, ARP for the gateway): retry briefly while instance-id fails.
  # busybox 1.35 wget -T segfaults (Debian 1:1.35.0-4), hence timeout(1).
  i=0
  until timeout 3 sh -c "
      wget -q -O $D/hostname $MD/meta-data/hostname || rm -f $D/hostname &
      wget -q -O $D/key $MD/meta-data/public-keys/0/openssh-key || rm -f $D/key &
      wget -q -O $D/user-data $MD/user-data || rm -f $D/user-data &
      wget -q -O $D/instance-id $MD/meta-data/instance-id; s=\\$?; wait; exit \\$s" 2>/dev/null || [ $i -ge 20 ]; do
    sleep 0.2; i=$((i+1))
  done
  if [ -s /run/openecs/md/instance-id ]; then
    echo "openecs: metadata from 100.100.100.200 ($(cat /run/openecs/md/instance-id))"
    [ -f /run/openecs/md/hostname ] && read -r HOSTNAME < /run/openecs/md/hostname
    [ -f /run/openecs/md/key ] && cp /run/openecs/md/key $SEED/authorized_keys
    [ -f /run/openecs/md/user-data ] && cp /run/openecs/md/user-data $SEED/user-data
  else
    echo "openecs: metadata service unreachable, using the seed"
  fi
fi
hostname "\${HOSTNAME:-localhost}"
echo "\${HOSTNAME:-localhost}" > /etc/hostname
printf '127.0.0.1 localhost\\n%s %s\\n' "\${PRIVATE_IP:-127.0.1.1}" "\${HOSTNAME:-localhost}" > /etc/hosts
[ -n "$NAMESERVER" ] && echo "nameserver $NAMESERVER" > /etc/resolv.conf
if [ -f $SEED/password ]; then
  h=$(mkpasswd -m sha512 "$(cat $SEED/password)")
  echo "root:$h:19000:0:99999:7:::" > /etc/shadow
  chmod 600 /etc/shadow
fi
if [ -f $SEED/authorized_keys ]; then
  cp $SEED/authorized_keys /root/.ssh/authorized_keys
  chmod 700 /root/.ssh; chmod 600 /root/.ssh/authorized_keys
fi
dropbear -R -p 22 2>/dev/null
mkdir -p /var/www
echo "$INSTANCE_ID" > /var/www/index.html
httpd -p 80 -h /var/www 2>/dev/null
# User data runs once per instance, like cloud-init's per-instance scripts.
if [ -f $SEED/user-data ] && [ ! -f /var/lib/openecs/user-data.done.$INSTANCE_ID ]; then
  if head -c 2 $SEED/user-data | grep -q '#!'; then
    cp $SEED/user-data /var/lib/openecs/user-data
    chmod 700 /var/lib/openecs/user-data
    /var/lib/openecs/user-data > /var/log/user-data.log 2>&1
    echo "openecs: user-data exit $?"
  fi
  touch /var/lib/openecs/user-data.done.$INSTANCE_ID
  # The once-per-instance mark must survive a power cut; what else the boot wrote it rewrites next time.
  sync
fi
echo "${READY_MARKER} instance=$INSTANCE_ID"
# NICs beyond eth0 (attached ENIs, hot-plugged or present at boot) configure themselves by DHCP.
/etc/openecs/nics </dev/null >/dev/null 2>&1 &
# Not needed to serve, so after the marker: the power button (acpid needs evdev for it), the
# display (virtio-gpu DRM: fbcon then shows tty1's getty on the VNC management terminal), the rest
# of the modules, and growing the filesystem when the disk is larger than the image.
for m in $SEED/${LATE_MODULES_DIR}/*.ko; do [ -f "$m" ] && insmod "$m" 2>/dev/null; done
acpid -c /etc/acpi 2>/dev/null
(resize2fs /dev/vda >/var/log/resize2fs.log 2>&1 &)
`;

/**
 * The NIC watcher the boot script starts: every second it starts busybox udhcpc (with NIC_DHCP as
 * its hook) on each ethN beyond eth0 that has none running, so a NIC hot-plugged by
 * AttachNetworkInterface, or present at boot, gets the ENI's address from the namespace's DHCP
 * server; the udhcpc of a NIC that was unplugged is stopped. Builtins only between changes: under
 * TCG every exec costs tens of ms.
 *
 * Every other second it also gives each NIC (eth0 included) its secondary private IPv4 addresses
 * (AssignPrivateIpAddresses), as ECS images configure them from the metadata service: the NIC's
 * `network/interfaces/macs/<mac>/private-ipv4s` lists its own address first, then the secondary
 * ones, which are added (/32: the subnet route stays the primary's) and, once unassigned, removed.
 * What was added is remembered per NIC; the DHCP hook forgets it when it flushes the NIC.
 *
 * Likewise its IPv6 addresses (Ipv6AddressCount at launch, AssignIpv6Addresses): the NIC's
 * `ipv6s` (served where its VSwitch has IPv6) are added as /64s of the VSwitch's block (without
 * duplicate address detection: the platform hands each address out once) and removed once
 * unassigned; eth0's default IPv6 route goes via the VSwitch's gateway, the first address of its
 * `vswitch-ipv6-cidr-block`, while it has addresses. The busybox here has no DHCPv6 client.
 */
export const NIC_WATCHER = `#!/bin/sh
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
R=/var/run/openecs-nics
A=/var/run/openecs-addrs
rm -rf $A
mkdir -p $R $A
MD=
[ -f /run/openecs/meta ] && . /run/openecs/meta
[ "$METADATA" = 1 ] && MD=http://100.100.100.200/latest/meta-data/network/interfaces/macs
# The words of metadata list $2 of NIC $1 in $words (and its MAC in $mac); fails when unanswered.
md_words() {
  read -r mac < /sys/class/net/$1/address || return 1
  list=$(timeout 2 wget -q -O - "$MD/$mac/$2" 2>/dev/null) || return 1
  IFS='[]", '; set -- $list; unset IFS
  words=
  for a in "$@"; do [ -n "$a" ] && words="$words $a"; done
  return 0
}
sync_addrs() {
  n=$1
  md_words "$n" private-ipv4s || return
  set -- $words
  [ $# -gt 0 ] && shift
  had=
  [ -f $A/$n ] && read -r had < $A/$n
  for a in $had; do case " $* " in *" $a "*) ;; *) ip addr del "$a/32" dev "$n" 2>/dev/null;; esac; done
  for a in "$@"; do case " $had " in *" $a "*) ;; *) ip addr add "$a/32" dev "$n" 2>/dev/null;; esac; done
  echo "$*" > $A/$n
}
sync_ipv6() {
  n=$1
  md_words "$n" ipv6s || return
  set -- $words
  had=
  [ -f $A/$n.6 ] && read -r had < $A/$n.6
  [ "$*" = "$had" ] && return
  echo 0 > /proc/sys/net/ipv6/conf/$n/accept_dad
  for a in $had; do case " $* " in *" $a "*) ;; *) ip -6 addr del "$a/64" dev "$n" 2>/dev/null;; esac; done
  for a in "$@"; do case " $had " in *" $a "*) ;; *) ip -6 addr add "$a/64" dev "$n" 2>/dev/null;; esac; done
  if [ "$n" = eth0 ] && [ $# -gt 0 ]; then
    c=$(timeout 2 wget -q -O - "$MD/$mac/vswitch-ipv6-cidr-block" 2>/dev/null) && ip -6 route replace default via "\${c%/*}" dev eth0 2>/dev/null
  fi
  echo "$*" > $A/$n.6
}
tick=0
while :; do
  for d in /sys/class/net/eth*; do
    n=\${d##*/}
    [ "$n" = eth0 ] || [ ! -e "$d" ] && continue
    pid=
    [ -f $R/$n.pid ] && read -r pid < $R/$n.pid
    [ -n "$pid" ] && [ -d /proc/$pid ] && continue
    ip link set "$n" up 2>/dev/null
    udhcpc -f -i "$n" -s /etc/openecs/nic-dhcp -t 3 -T 2 -A 3 >>/var/log/udhcpc.log 2>&1 &
    echo $! > $R/$n.pid
  done
  for p in $R/*.pid; do
    [ -f "$p" ] || continue
    n=\${p##*/}; n=\${n%.pid}
    [ -e /sys/class/net/$n ] && continue
    read -r pid < "$p"; kill "$pid" 2>/dev/null; rm -f "$p" $A/$n $A/$n.6
  done
  tick=$((tick + 1))
  [ -n "$MD" ] && [ $((tick % 2)) = 0 ] && for d in /sys/class/net/eth*; do [ -e "$d" ] || continue; sync_addrs "\${d##*/}"; sync_ipv6 "\${d##*/}"; done
  sleep 1
done
`;

/**
 * udhcpc's hook for a NIC beyond eth0: the leased address (with its subnet route) and nothing
 * else, so the default route and the resolver stay eth0's, as on an ECS image with a secondary ENI.
 */
export const NIC_DHCP = `#!/bin/sh
case "$1" in
  deconfig) ip -4 addr flush dev "$interface"; rm -f /var/run/openecs-addrs/"$interface"; ip link set "$interface" up ;;
  bound|renew)
    ip -4 addr show dev "$interface" | grep -q " $ip/" && exit 0
    ip -4 addr flush dev "$interface"
    # The flush took the secondary addresses too: the NIC watcher adds them again.
    rm -f /var/run/openecs-addrs/"$interface"
    ip addr add "$ip/\${mask:-$subnet}" dev "$interface" ;;
esac
exit 0
`;

/**
 * busybox init runs ::shutdown actions before it kills processes, and never unmounts: so end
 * every other process here (kill -1 spares init and us), then make the root read-only, so the
 * next boot finds a clean filesystem.
 */
export const SHUTDOWN = `#!/bin/sh
kill -TERM -1 2>/dev/null
sleep 0.3
kill -KILL -1 2>/dev/null
sync
mount -o remount,ro / 2>/dev/null || echo "openecs: root still writable"
echo "openecs: powering off"
`;

/** busybox acpid: the ACPI power button (QMP system_powerdown) runs a clean poweroff. */
export const ACPI_POWER = `#!/bin/sh
poweroff
`;
