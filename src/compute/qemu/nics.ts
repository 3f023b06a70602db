/**
 * Secondary network interfaces (ENIs) of a QEMU guest: a virtio-net-pci device with the ENI's MAC
 * on the SHPC hot-plug bridge (hotplug.ts), backed by a tap in the VPC's bridge of the instance
 * namespace. At boot they are on the command line; AttachNetworkInterface on a running guest
 * hot-plugs one over QMP (netdev_add, device_add), DetachNetworkInterface unplugs it (device_del,
 * then netdev_del once the guest has let go, about 5 s under SHPC).
 *
 * A NIC sits in bridge slot 25 + its device index (1, 2, …) when that slot is free, so cold- and
 * hot-plugged NICs keep their place across reboots; data disks take slots 1-25 by device letter.
 */
import { HOTPLUG_BUS, peripheralIds, slotsInUse } from './hotplug.js';
import { QmpError, type QmpClient } from './qmp.js';

export interface PlacedNic { eniId: string; mac: string; tap: string; deviceIndex: number }

export const nicDeviceId = (eniId: string) => `nic-${eniId}`;
const netdevId = (eniId: string) => `nd-${eniId}`;
const SLOTS = 31;

function slotOf(n: PlacedNic, taken: ReadonlySet<number>): number | undefined {
  const wanted = 25 + n.deviceIndex;
  if (wanted <= SLOTS && !taken.has(wanted)) return wanted;
  for (let s = SLOTS; s >= 1; s--) if (!taken.has(s)) return s;
  return undefined;
}

/** Command-line arguments for the NICs of a boot (after diskArguments, which creates the bridge). */
export function nicArguments(nics: PlacedNic[], diskSlots: ReadonlySet<number>): string[] {
  const taken = new Set(diskSlots);
  const args: string[] = [];
  for (const n of [...nics].sort((a, b) => a.deviceIndex - b.deviceIndex)) {
    const slot = slotOf(n, taken);
    if (slot === undefined) throw new Error(`no free hot-plug slot for ${n.eniId}`);
    taken.add(slot);
    args.push('-netdev', `tap,id=${netdevId(n.eniId)},ifname=${n.tap},script=no,downscript=no`,
      '-device', `virtio-net-pci,netdev=${netdevId(n.eniId)},mac=${n.mac},id=${nicDeviceId(n.eniId)},bus=${HOTPLUG_BUS},addr=0x${slot.toString(16)}`);
  }
  return args;
}

/** Plugs the NIC into the running guest unless it is there already (idempotent). */
export async function plugNic(c: QmpClient, n: PlacedNic): Promise<void> {
  if ((await peripheralIds(c)).has(nicDeviceId(n.eniId))) return;
  try {
    await c.execute('netdev_add', { type: 'tap', id: netdevId(n.eniId), ifname: n.tap, script: 'no', downscript: 'no' });
  } catch (e) {
    // A backend left by an attempt that failed after it: reused.
    if (!(e instanceof QmpError && /duplicate|already/i.test(e.message))) throw e;
  }
  const slot = slotOf(n, await slotsInUse(c));
  if (slot === undefined) throw new Error(`no free hot-plug slot for ${n.eniId}`);
  await c.execute('device_add', {
    driver: 'virtio-net-pci', netdev: netdevId(n.eniId), mac: n.mac, id: nicDeviceId(n.eniId), bus: HOTPLUG_BUS, addr: `0x${slot.toString(16)}`,
  });
}

/**
 * Where an unplug stands: `gone` once the guest has let go of the NIC (its backend removed too),
 * `pending` while it has not. `request` sends the unplug (once, as for disks: a second press of the
 * SHPC attention button within the guest's window cancels the first).
 */
export async function unplugNic(c: QmpClient, eniId: string, request: boolean): Promise<'gone' | 'pending'> {
  if ((await peripheralIds(c)).has(nicDeviceId(eniId))) {
    if (request) await c.execute('device_del', { id: nicDeviceId(eniId) });
    return 'pending';
  }
  try {
    await c.execute('netdev_del', { id: netdevId(eniId) });
  } catch (e) {
    if (!(e instanceof QmpError && /not found|no such/i.test(e.message))) throw e;
  }
  return 'gone';
}
