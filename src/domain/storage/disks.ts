/**
 * The disk state machine and attachment rules (api-protocol.md §3.2; user guide 000:L853–985,
 * SPEC.md "Decisions": data disks attach and detach with the instance Running or Stopped, the
 * system disk only when Stopped; 16 data disks per instance on /dev/xvdb–/dev/xvdz).
 */
export type DiskStatus = 'Creating' | 'Available' | 'Attaching' | 'In_use' | 'Detaching' | 'ReIniting';
export const DISK_STATUSES: readonly DiskStatus[] = ['In_use', 'Available', 'Attaching', 'Detaching', 'Creating', 'ReIniting'];

export type DiskAction = 'Attach' | 'Detach' | 'Delete' | 'Resize' | 'ReInit' | 'Reset' | 'Snapshot' | 'ApplyPolicy';

interface Rule {
  /** Disk statuses the action accepts. */
  disk: DiskStatus[];
  /** Instance statuses accepted when the disk is (or will be) attached, for a data disk and a system disk. */
  instanceData?: string[];
  instanceSystem?: string[];
  /** The transitional status the disk shows until the engine settles it. */
  via?: DiskStatus;
  /** Where the engine settles it. */
  to?: DiskStatus;
}

export const DISK_RULES: Record<DiskAction, Rule> = {
  Attach: { disk: ['Available'], instanceData: ['Running', 'Stopped'], instanceSystem: ['Stopped'], via: 'Attaching', to: 'In_use' },
  Detach: { disk: ['In_use'], instanceData: ['Running', 'Stopped'], instanceSystem: ['Stopped'], via: 'Detaching', to: 'Available' },
  // 002:L1910 "the disk status must be Available"; an In_use disk is detached first.
  Delete: { disk: ['Available'] },
  // ResizeDisk: "磁盘挂载的实例的状态必须为运行中（Running）或者已停止（Stopped）".
  Resize: { disk: ['In_use', 'Available'], instanceData: ['Running', 'Stopped'], instanceSystem: ['Running', 'Stopped'] },
  // ReInitDisk: disk In_use, instance Stopped (000:L1189).
  ReInit: { disk: ['In_use'], instanceData: ['Stopped'], instanceSystem: ['Stopped'], via: 'ReIniting', to: 'In_use' },
  // ResetDisk: disk In_use or Available; "实例的状态必须为已停止" (000:L1206).
  Reset: { disk: ['In_use', 'Available'], instanceData: ['Stopped'], instanceSystem: ['Stopped'] },
  // CreateSnapshot: the instance must be Running or Stopped.
  Snapshot: { disk: ['In_use', 'Available'], instanceData: ['Running', 'Stopped'], instanceSystem: ['Running', 'Stopped'] },
  ApplyPolicy: { disk: ['In_use', 'Available', 'Attaching', 'Detaching', 'Creating', 'ReIniting'] },
};

export function diskStatusAllows(action: DiskAction, status: string): boolean {
  return (DISK_RULES[action].disk as string[]).includes(status);
}

/** Whether the attached instance's status allows the action on a disk of this type. */
export function instanceStatusAllows(action: DiskAction, diskType: string, instanceStatus: string): boolean {
  const r = DISK_RULES[action];
  const list = diskType === 'system' ? r.instanceSystem : r.instanceData;
  return !list || list.includes(instanceStatus);
}

/** Where a transitional status settles (undefined for settled statuses). */
export function settledDiskStatus(status: string): DiskStatus | undefined {
  switch (status) {
    case 'Creating': return 'Available';
    case 'Attaching': return 'In_use';
    case 'Detaching': return 'Available';
    case 'ReIniting': return 'In_use';
    default: return undefined;
  }
}

export const SYSTEM_DEVICE = '/dev/xvda';
/** 002:L1528 and the API: one system disk plus up to 16 data disks. */
export const MAX_DATA_DISKS_PER_INSTANCE = 16;
/** 000:L165 "/dev/xvd[b-z]". */
export const DATA_DEVICES: readonly string[] = Array.from({ length: 25 }, (_, i) => `/dev/xvd${String.fromCharCode(98 + i)}`);

export function isDataDevice(device: string): boolean {
  return DATA_DEVICES.includes(device);
}

/** The first free data device, or undefined when all 25 names are taken. */
export function nextDataDevice(used: readonly string[]): string | undefined {
  const taken = new Set(used);
  return DATA_DEVICES.find((d) => !taken.has(d));
}

/** ResizeDisk `Type`: online needs a Running instance and a category that supports it. */
export const ONLINE_RESIZE_CATEGORIES: ReadonlySet<string> = new Set(['cloud_efficiency', 'cloud_ssd', 'cloud_essd', 'cloud_auto', 'cloud_essd_entry']);

/** The guide's quota table (000:L792): cloud disks per account. */
export const MAX_DISKS_PER_ACCOUNT = 250;
