/**
 * Disks on the QEMU command line and hot-plugged over QMP (AttachDisk / DetachDisk on a running
 * instance).
 *
 * The guest's root PCI bus has no hot-plug here: `pci=noacpi` (GUEST_KERNEL_ARGS) leaves the
 * kernel's acpiphp without its ACPI slots, so a device added there is never seen. Data disks sit
 * instead on a PCI bridge with a standard hot-plug controller (SHPC; Debian's kernel has shpchp
 * built in), with QEMU's ACPI bridge hot-plug turned off so the bridge's own controller signals
 * the guest. Cold- and hot-plugged data disks share that bus, so any of them can be detached
 * while the guest runs. The guest takes about 5 s to accept a hot-plug or an unplug: shpchp waits
 * out the attention button's abort window, as on physical hardware.
 *
 * Each disk is a named block backend (`-drive if=none,id=<diskId>`, or `drive_add` when hot-plugged)
 * under a `virtio-blk-pci` device `vd-<diskId>`: the backend name is what live snapshots and
 * monitoring address; the device id is what unplug addresses. The virtio serial is the disk id
 * without `d-`, as ECS shows it in the guest (/sys/block/vdX/serial, /dev/disk/by-id/virtio-…).
 */
import type { QmpClient } from './qmp.js';

export const HOTPLUG_BUS = 'hp0';
/** Slots 1-31 of the bridge; /dev/xvdb sits in slot 1 … /dev/xvdz in 25. */
const SLOTS = 31;

export interface PlacedDisk { diskId: string; file: string; type: string; device?: string }

export const deviceIdOf = (diskId: string) => `vd-${diskId}`;
/** ECS shows a disk's serial as its id without the `d-` prefix (virtio-blk serials hold 20 bytes). */
export const serialOf = (diskId: string) => diskId.replace(/^d-/, '').slice(0, 20);

/** The bridge slot of a data disk: from its device name when it names one, else the first free. */
export function slotFor(device: string | undefined, taken: ReadonlySet<number>): number | undefined {
  const m = /^\/dev\/(?:xv|v|s)d([b-z])$/.exec(device ?? '');
  const wanted = m ? m[1]!.charCodeAt(0) - 97 : undefined;
  if (wanted !== undefined && !taken.has(wanted)) return wanted;
  for (let s = 1; s <= SLOTS; s++) if (!taken.has(s)) return s;
  return undefined;
}

const driveOptions = (d: PlacedDisk) => `file=${d.file},if=none,format=qcow2,id=${d.diskId},cache=writeback,discard=unmap`;

/**
 * The command-line arguments for the hot-plug bridge and the disks: the system disk on the root
 * bus (first, so the guest names it vda), data disks on the bridge in their slots.
 */
export function diskArguments(disks: PlacedDisk[], opts: { firmwareBoot?: boolean } = {}): string[] {
  const args = ['-global', 'PIIX4_PM.acpi-pci-hotplug-with-bridge-support=off',
    '-device', `pci-bridge,id=${HOTPLUG_BUS},chassis_nr=1,shpc=on`];
  const taken = new Set<number>();
  for (const d of disks) {
    args.push('-drive', driveOptions(d));
    const dev = `virtio-blk-pci,drive=${d.diskId},id=${deviceIdOf(d.diskId)},serial=${serialOf(d.diskId)}`;
    // The firmware boots the system disk; a direct kernel boot holds bootindex 0 itself (linuxboot ROM).
    if (d.type === 'system') { args.push('-device', opts.firmwareBoot ? `${dev},bootindex=0` : dev); continue; }
    const slot = slotFor(d.device, taken);
    if (slot === undefined) throw new Error(`no free hot-plug slot for ${d.diskId}`);
    taken.add(slot);
    args.push('-device', `${dev},bus=${HOTPLUG_BUS},addr=0x${slot.toString(16)}`);
  }
  return args;
}

/** The bridge slots diskArguments placed data disks in (for the devices put on the bridge after them). */
export function bridgeSlots(args: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const a of args) {
    const m = new RegExp(`bus=${HOTPLUG_BUS},addr=0x([0-9a-f]+)`).exec(a);
    if (m) out.add(parseInt(m[1]!, 16));
  }
  return out;
}

/** The bridge slots in use, from the devices on the hot-plug bus. */
export async function slotsInUse(c: QmpClient): Promise<Set<number>> {
  type PciDevice = { slot: number; pci_bridge?: { bus: { number: number }; devices?: PciDevice[] } };
  const buses = await c.execute<{ bus: number; devices: PciDevice[] }[]>('query-pci');
  const bridge = buses.flatMap((b) => b.devices).find((d) => d.pci_bridge);
  return new Set((bridge?.pci_bridge?.devices ?? []).map((d) => d.slot));
}

/** Device ids under /machine/peripheral (devices given an id: ours are `vd-<diskId>`). */
export async function peripheralIds(c: QmpClient): Promise<Set<string>> {
  const list = await c.execute<{ name: string }[]>('qom-list', { path: '/machine/peripheral' });
  return new Set(list.map((p) => p.name));
}

async function backendNames(c: QmpClient): Promise<Set<string>> {
  return new Set((await c.execute<{ device: string }[]>('query-block')).map((b) => b.device).filter(Boolean));
}

async function hmp(c: QmpClient, line: string): Promise<void> {
  // HMP answers errors as text, not as a QMP error.
  const out = await c.execute<string>('human-monitor-command', { 'command-line': line });
  if (out.trim() && !/^OK\b/.test(out.trim())) throw new Error(`${line.split(' ')[0]}: ${out.trim()}`);
}

/** Plugs the disk into the running guest unless it is there already (idempotent). */
export async function plugDisk(c: QmpClient, d: PlacedDisk): Promise<void> {
  if ((await peripheralIds(c)).has(deviceIdOf(d.diskId))) return;
  // The backend keeps its disk-id name (as with -drive) so snapshots and statistics find it.
  if (!(await backendNames(c)).has(d.diskId)) await hmp(c, `drive_add 0 ${driveOptions(d)}`);
  const slot = slotFor(d.device, await slotsInUse(c));
  if (slot === undefined) throw new Error(`no free hot-plug slot for ${d.diskId}`);
  await c.execute('device_add', {
    driver: 'virtio-blk-pci', drive: d.diskId, id: deviceIdOf(d.diskId), serial: serialOf(d.diskId),
    bus: HOTPLUG_BUS, addr: `0x${slot.toString(16)}`,
  });
}

/**
 * Where an unplug stands: `gone` once the guest has let go of the disk (the device is gone and its
 * backend removed); `pending` while the guest has not answered. `request` sends the unplug
 * request: send it once and then only after a long silence, because under SHPC a second press of
 * the attention button within the guest's 5 s window cancels the first.
 */
export async function unplugDisk(c: QmpClient, diskId: string, request: boolean): Promise<'gone' | 'pending'> {
  if ((await peripheralIds(c)).has(deviceIdOf(diskId))) {
    if (request) await c.execute('device_del', { id: deviceIdOf(diskId) });
    return 'pending';
  }
  // A drive_add backend goes with its device; one that never got a device is removed here.
  if ((await backendNames(c)).has(diskId)) await hmp(c, `drive_del ${diskId}`);
  return 'gone';
}
