/**
 * Custom image rules: the DiskDeviceMapping plan of CreateImage ("只能指定一个系统盘快照，系统盘的
 * 设备名必须为/dev/xvda"; data disks at most 16, devices /dev/xvdb–/dev/xvdz in order, unique;
 * a blank SnapshotId is an empty disk, 000:L1510 "Default capacity: 5 GB, with up to 2,000 GB"),
 * and image statuses.
 */
import { EcsError } from '../errors.js';
import { DATA_DEVICES, MAX_DATA_DISKS_PER_INSTANCE, SYSTEM_DEVICE } from './disks.js';

export const IMAGE_STATUSES = ['Creating', 'Waiting', 'Available', 'UnAvailable', 'CreateFailed', 'Deprecated'] as const;
export const EMPTY_DATA_DISK_DEFAULT_GIB = 5;
export const EMPTY_DATA_DISK_MAX_GIB = 2000;

export interface MappingInput { SnapshotId?: string; Size?: number; Device?: string; DiskType?: string }
export interface MappingPlan { device: string; type: 'system' | 'data'; snapshotId: string; size?: number }

/** Orders and names the mappings; sizes of snapshot-backed entries are filled in by the caller. */
export function planMappings(list: MappingInput[]): MappingPlan[] {
  const system = list.filter((m) => (m.DiskType ?? 'data') === 'system' || m.Device === SYSTEM_DEVICE);
  if (system.length > 1) throw new EcsError('InvalidDevice.InUse', 'The specified parameter DiskDeviceMapping.n.Device has been occupied: only one system disk snapshot (/dev/xvda) can be given.');
  const data = list.filter((m) => !system.includes(m));
  if (data.length > MAX_DATA_DISKS_PER_INSTANCE) throw new EcsError('InvalidParameter', `DiskDeviceMapping takes at most ${MAX_DATA_DISKS_PER_INSTANCE} data disks.`, 400);
  for (const m of list) {
    if (m.DiskType !== undefined && m.DiskType !== 'system' && m.DiskType !== 'data') {
      throw new EcsError('InvalidDiskType.ValueNotSupported', `The specified DiskDeviceMapping.n.DiskType "${m.DiskType}" is not supported: use system or data.`);
    }
    if (m.Device !== undefined && m.Device !== '' && m.Device !== SYSTEM_DEVICE && !DATA_DEVICES.includes(m.Device)) {
      throw new EcsError('InvalidDevice.Malformed', `The specified parameter DiskDeviceMapping.n.Device "${m.Device}" is not valid: use /dev/xvda for the system disk and /dev/xvdb to /dev/xvdz for data disks.`);
    }
    if (m.DiskType === 'system' && m.Device && m.Device !== SYSTEM_DEVICE) {
      throw new EcsError('InvalidDevice.Malformed', 'The system disk of DiskDeviceMapping must use the device /dev/xvda.');
    }
  }
  const used = new Set<string>();
  for (const m of data) {
    if (!m.Device) continue;
    if (used.has(m.Device)) throw new EcsError('InvalidDevice.InUse', `The specified parameter DiskDeviceMapping.n.Device "${m.Device}" has been occupied.`);
    used.add(m.Device);
  }
  const out: MappingPlan[] = [];
  const s = system[0];
  if (s) out.push({ device: SYSTEM_DEVICE, type: 'system', snapshotId: s.SnapshotId ?? '', size: s.Size });
  for (const m of data) {
    const device = m.Device || DATA_DEVICES.find((d) => !used.has(d))!;
    used.add(device);
    if (!m.SnapshotId) {
      const size = m.Size ?? EMPTY_DATA_DISK_DEFAULT_GIB;
      if (!Number.isInteger(size) || size < 1 || size > EMPTY_DATA_DISK_MAX_GIB) {
        throw new EcsError('InvalidSize.ValueNotSupported', `The specified parameter DiskDeviceMapping.n.Size (${size}) beyond the permitted range 1-${EMPTY_DATA_DISK_MAX_GIB} GiB.`);
      }
      out.push({ device, type: 'data', snapshotId: '', size });
    } else out.push({ device, type: 'data', snapshotId: m.SnapshotId, size: m.Size });
  }
  return out.sort((a, b) => a.device.localeCompare(b.device));
}

/** Size of a mapping backed by a snapshot: the snapshot's unless larger is asked ("can be increased but not decreased", 000:L570). */
export function mappingSize(requested: number | undefined, snapshotSize: number): number {
  if (requested === undefined) return snapshotSize;
  if (!Number.isInteger(requested) || requested < snapshotSize) {
    throw new EcsError('InvalidSize.ValueNotSupported', `The specified parameter DiskDeviceMapping.n.Size (${requested}) is less than the snapshot size ${snapshotSize} GiB.`);
  }
  return requested;
}
