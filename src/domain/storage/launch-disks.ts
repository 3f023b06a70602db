/**
 * The data disks a new instance gets: those of its image's DiskDeviceMapping (002:L2319 "Data-disk
 * snapshots in an image produce new data disks at instance creation, matched by mount device")
 * merged with RunInstances/CreateInstance `DataDisk.N`. A `DataDisk.N.Device` naming one of the
 * image's data devices changes that disk (the API's description of Device); the others are added
 * on the next free devices. A disk made from a snapshot is at least the snapshot's size
 * (`InvalidDiskSize.TooSmall`).
 */
import { EcsError } from '../errors.js';
import { DATA_DEVICES, isDataDevice, MAX_DATA_DISKS_PER_INSTANCE } from './disks.js';

/** One data disk of the image (a snapshot-backed or an empty one). */
export interface ImageDataDisk { device: string; size: number; snapshotId: string }

/** `DataDisk.N` as decoded (wire names). */
export type DataDiskRequest = Record<string, unknown> & { Device?: unknown; Size?: unknown; SnapshotId?: unknown };

export type PlannedDataDisk = DataDiskRequest & {
  Device: string;
  SnapshotId: string;
  Size: number | undefined;
  /** The size came from the image's mapping alone: the caller may raise it to the category's minimum. */
  FromImage: boolean;
};

function tooSmall(size: number, floor: number, what: string): EcsError {
  return new EcsError('InvalidDiskSize.TooSmall', `Specified disk size ${size} GiB is less than the size of ${what} (${floor} GiB).`);
}

function sizeOf(v: unknown): number | undefined {
  return v === undefined || v === '' ? undefined : Number(v);
}

/**
 * Orders the data disks by device. `snapshotSize` answers the size of each requested SnapshotId
 * (the caller has already checked that the snapshots exist and are usable).
 */
export function planDataDisks(requested: DataDiskRequest[], image: ImageDataDisk[], snapshotSize: (id: string) => number): PlannedDataDisk[] {
  const used = new Set<string>();
  for (const r of requested) {
    if (r.Device === undefined || r.Device === '') continue;
    const device = String(r.Device);
    if (!isDataDevice(device)) throw new EcsError('InvalidDataDevice.Malformed', `The specified parameter "DataDisk.n.Device" (${device}) is not valid: use /dev/xvdb to /dev/xvdz.`);
    if (used.has(device)) throw new EcsError('InvalidDevice.InUse', `The specified device ${device} has been occupied.`);
    used.add(device);
  }
  const byDevice = new Map(requested.filter((r) => r.Device).map((r) => [String(r.Device), r]));
  const out: PlannedDataDisk[] = [];
  for (const m of image) {
    const r = byDevice.get(m.device);
    byDevice.delete(m.device);
    used.add(m.device);
    const own = r?.SnapshotId ? String(r.SnapshotId) : '';
    const floor = own ? snapshotSize(own) : m.size;
    const size = sizeOf(r?.Size);
    if (size !== undefined && size < floor) throw tooSmall(size, floor, own ? `snapshot ${own}` : `the image's disk ${m.device}`);
    out.push({ ...r, Device: m.device, SnapshotId: own || m.snapshotId, Size: size ?? floor, FromImage: size === undefined && !own });
  }
  const consumed = new Set(image.map((m) => m.device));
  for (const r of requested) {
    if (r.Device && consumed.has(String(r.Device))) continue;
    let device = r.Device ? String(r.Device) : '';
    if (!device) {
      device = DATA_DEVICES.find((d) => !used.has(d)) ?? '';
      if (!device) throw new EcsError('InstanceDiskNumber.LimitExceed', `An instance can have at most ${MAX_DATA_DISKS_PER_INSTANCE} data disks.`);
      used.add(device);
    }
    const snapshotId = r.SnapshotId ? String(r.SnapshotId) : '';
    let size = sizeOf(r.Size);
    if (snapshotId) {
      const floor = snapshotSize(snapshotId);
      if (size !== undefined && size < floor) throw tooSmall(size, floor, `snapshot ${snapshotId}`);
      size ??= floor;
    }
    out.push({ ...r, Device: device, SnapshotId: snapshotId, Size: size, FromImage: false });
  }
  if (out.length > MAX_DATA_DISKS_PER_INSTANCE) throw new EcsError('InstanceDiskNumber.LimitExceed', `An instance can have at most ${MAX_DATA_DISKS_PER_INSTANCE} data disks.`);
  return out.sort((a, b) => a.Device.localeCompare(b.Device));
}
