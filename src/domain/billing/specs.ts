/**
 * Price specs of what exists: an instance's type, a disk, and what a subscription covers (its
 * type, its subscription disks, its fixed bandwidth: traffic is billed as used). Shared by the
 * meter and the renewal price, so a renewal is quoted as it will be billed.
 */
import { findInstanceType } from '../catalog/instance-types.js';
import type { DiskSpec, InstanceSpec, PriceSpec } from './pricing.js';

export interface InstanceFacts { region_id: string; instance_type: string; cpu: number; memory: number; internet_charge_type: string; internet_max_bandwidth_out: number }
export interface DiskFacts { type: string; category: string; size: number; performance_level: string; charge_type: string }

/** The type as priced: its family from the catalog (or its name), vCPUs and memory (MiB → GiB) as the row has them. */
export function instanceSpecOf(row: { instance_type: string; cpu: number; memory: number }): InstanceSpec {
  const known = findInstanceType(row.instance_type);
  return { id: row.instance_type, family: known?.family ?? row.instance_type.split('.').slice(0, 2).join('.'), cpu: row.cpu, memoryGiB: row.memory / 1024 };
}

/** A disk as priced; the performance level counts for ESSD only. */
export function diskSpecOf(d: { category: string; size: number; performance_level: string }): DiskSpec {
  return { category: d.category, size: d.size, ...(d.category === 'cloud_essd' && d.performance_level ? { performanceLevel: d.performance_level } : {}) };
}

/** What a subscription instance's purchase or renewal costs: `disks` are its disks, of any charge type. */
export function subscriptionSpec(row: InstanceFacts, disks: DiskFacts[]): PriceSpec {
  const own = disks.filter((d) => d.charge_type === 'PrePaid');
  const system = own.find((d) => d.type === 'system');
  return {
    regionId: row.region_id, instanceType: instanceSpecOf(row),
    ...(system ? { systemDisk: diskSpecOf(system) } : {}),
    dataDisks: own.filter((d) => d.type !== 'system').map(diskSpecOf),
    ...(row.internet_charge_type === 'PayByBandwidth' && row.internet_max_bandwidth_out > 0
      ? { bandwidth: { chargeType: row.internet_charge_type, mbps: row.internet_max_bandwidth_out } } : {}),
  };
}

/**
 * The instance as a subscription period starting at `start` is billed: from the start of a planned
 * renewal for configuration downgrade on, at the planned type (vCPUs and memory from the catalog).
 */
export function billedInstance<T extends InstanceFacts & { renew_downgrade_type: string; renew_downgrade_at: number | null }>(row: T, start: number): T {
  if (row.renew_downgrade_at === null || start < row.renew_downgrade_at) return row;
  const planned = findInstanceType(row.renew_downgrade_type);
  return planned ? { ...row, instance_type: planned.id, cpu: planned.cpu, memory: Math.round(planned.memoryGiB * 1024) } : row;
}
