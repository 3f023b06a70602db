/**
 * DescribeInstanceTypes: an instance type as the API returns it, and the request's filters as a
 * table over those response fields (Minimum… and Maximum… bounds, exact values, value lists).
 */
import type { InstanceType } from './instance-types.js';

export type InstanceTypeItem = Record<string, unknown>;

export function instanceTypeItem(t: InstanceType): InstanceTypeItem {
  const eniQueues = Math.min(t.cpu, 8);
  return {
    InstanceTypeId: t.id,
    InstanceTypeFamily: t.family,
    InstanceCategory: t.category,
    InstanceFamilyLevel: t.level,
    CpuCoreCount: t.cpu,
    MemorySize: t.memoryGiB,
    CpuArchitecture: t.cpuArchitecture,
    PhysicalProcessorModel: t.processor,
    CpuSpeedFrequency: t.speedGHz,
    CpuTurboFrequency: t.turboGHz,
    GPUAmount: t.gpuAmount,
    GPUSpec: t.gpuSpec,
    GPUMemorySize: 0,
    LocalStorageCategory: '',
    LocalStorageAmount: 0,
    LocalStorageCapacity: 0,
    DiskQuantity: t.diskQuantity,
    EniQuantity: t.eniQuantity,
    EniTotalQuantity: t.eniQuantity,
    EniPrivateIpAddressQuantity: t.eniPrivateIps,
    EniIpv6AddressQuantity: t.eniIpv6,
    EniTrunkSupported: t.generation >= 'ecs-5',
    PrimaryEniQueueNumber: eniQueues,
    SecondaryEniQueueNumber: eniQueues,
    MaximumQueueNumberPerEni: eniQueues,
    TotalEniQueueQuantity: eniQueues * t.eniQuantity,
    QueuePairNumber: 0,
    EriQuantity: 0,
    InstanceBandwidthRx: t.bandwidthKbps,
    InstanceBandwidthTx: t.bandwidthKbps,
    InstancePpsRx: t.pps,
    InstancePpsTx: t.pps,
    BaselineCredit: t.credit?.baseline ?? 0,
    InitialCredit: t.credit?.initial ?? 0,
    NvmeSupport: t.nvme,
    NetworkEncryptionSupport: t.generation >= 'ecs-6',
    NetworkCardQuantity: 1,
    NetworkCards: { NetworkCardInfo: [{ NetworkCardIndex: 0 }] },
    SupportedBootModes: { SupportedBootMode: t.bootModes },
  };
}

/** [request parameter, response field]. */
const MINIMUMS: [string, string][] = [
  ['MinimumCpuCoreCount', 'CpuCoreCount'], ['MinimumMemorySize', 'MemorySize'], ['MinimumGPUAmount', 'GPUAmount'],
  ['MinimumCpuSpeedFrequency', 'CpuSpeedFrequency'], ['MinimumCpuTurboFrequency', 'CpuTurboFrequency'],
  ['MinimumInstancePpsRx', 'InstancePpsRx'], ['MinimumInstancePpsTx', 'InstancePpsTx'],
  ['MinimumInstanceBandwidthRx', 'InstanceBandwidthRx'], ['MinimumInstanceBandwidthTx', 'InstanceBandwidthTx'],
  ['MinimumPrimaryEniQueueNumber', 'PrimaryEniQueueNumber'], ['MinimumSecondaryEniQueueNumber', 'SecondaryEniQueueNumber'],
  ['MinimumEniQuantity', 'EniQuantity'], ['MinimumQueuePairNumber', 'QueuePairNumber'], ['MinimumEriQuantity', 'EriQuantity'],
  ['MinimumEniPrivateIpAddressQuantity', 'EniPrivateIpAddressQuantity'], ['MinimumEniIpv6AddressQuantity', 'EniIpv6AddressQuantity'],
  ['MinimumLocalStorageAmount', 'LocalStorageAmount'], ['MinimumLocalStorageCapacity', 'LocalStorageCapacity'],
  ['MinimumDiskQuantity', 'DiskQuantity'], ['MinimumBaselineCredit', 'BaselineCredit'], ['MinimumInitialCredit', 'InitialCredit'],
];
const MAXIMUMS: [string, string][] = [
  ['MaximumCpuCoreCount', 'CpuCoreCount'], ['MaximumMemorySize', 'MemorySize'], ['MaximumGPUAmount', 'GPUAmount'],
  ['MaximumCpuSpeedFrequency', 'CpuSpeedFrequency'], ['MaximumCpuTurboFrequency', 'CpuTurboFrequency'],
];
/** A single value and its list form filter the same field; a type passes when it matches any given value. */
const VALUES: [string, string, string][] = [
  ['InstanceTypeFamily', 'InstanceTypeFamilies', 'InstanceTypeFamily'],
  ['', 'InstanceTypes', 'InstanceTypeId'],
  ['GPUSpec', 'GpuSpecs', 'GPUSpec'],
  ['InstanceCategory', 'InstanceCategories', 'InstanceCategory'],
  ['CpuArchitecture', 'CpuArchitectures', 'CpuArchitecture'],
  ['PhysicalProcessorModel', 'PhysicalProcessorModels', 'PhysicalProcessorModel'],
  ['LocalStorageCategory', 'LocalStorageCategories', 'LocalStorageCategory'],
  ['InstanceFamilyLevel', '', 'InstanceFamilyLevel'],
  ['NvmeSupport', '', 'NvmeSupport'],
];

/** Keeps the items matching every filter present in `p` (params keyed by wire name). */
export function filterInstanceTypes(items: InstanceTypeItem[], p: Record<string, any>): InstanceTypeItem[] {
  const tests: ((i: InstanceTypeItem) => boolean)[] = [];
  for (const [param, field] of MINIMUMS) if (p[param] !== undefined) tests.push((i) => (i[field] as number) >= p[param]);
  for (const [param, field] of MAXIMUMS) if (p[param] !== undefined) tests.push((i) => (i[field] as number) <= p[param]);
  for (const [single, list, field] of VALUES) {
    const wanted = [...(single && p[single] ? [p[single]] : []), ...(list && Array.isArray(p[list]) ? p[list] : [])].map(String);
    if (wanted.length) tests.push((i) => wanted.includes(String(i[field])));
  }
  return items.filter((i) => tests.every((t) => t(i)));
}
