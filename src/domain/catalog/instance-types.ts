/**
 * Instance types. The Generation I families and their sizes are the guide's default
 * pay-as-you-go list (000:L129-139); the current families follow the public naming
 * (ecs.<family>.<size>, burstable ecs.t5-/t6-c<m>m<n>.<size>). Performance figures other than
 * vCPU and memory are plausible, not measured.
 */

export type IoMode = 'optimized' | 'none';
export type FamilyLevel = 'EntryLevel' | 'EnterpriseLevel' | 'CreditEntryLevel';

export interface InstanceType {
  id: string;
  family: string;
  generation: string;
  cpu: number;
  memoryGiB: number;
  category: string;
  level: FamilyLevel;
  cpuArchitecture: 'X86' | 'ARM';
  processor: string;
  speedGHz: number;
  turboGHz: number;
  gpuAmount: number;
  gpuSpec: string;
  /** I/O modes the type runs in; Generation I ran in both (guide 000:L2411 names "I/O optimized instances of Generation I"). */
  ioModes: IoMode[];
  /** Cloud disk categories of an I/O-optimized instance; non-I/O-optimized ones take basic `cloud` disks only. */
  diskCategories: string[];
  /** Most disks attachable, system disk included (Generation I: "API 5 (including the system disk)", 000:L141). */
  diskQuantity: number;
  eniQuantity: number;
  eniPrivateIps: number;
  eniIpv6: number;
  bandwidthKbps: number;
  pps: number;
  queues: number;
  /** Burstable (t5/t6): baseline performance of all vCPUs (%) and initial credits. */
  credit?: { baseline: number; initial: number };
  bootModes: string[];
  nvme: 'required' | 'unsupported';
  /** Sold only in mainland China regions (ecs.e: `props="china"` in the API docs). */
  mainlandOnly?: boolean;
}

interface FamilySpec {
  family: string;
  generation: string;
  category: string;
  level: FamilyLevel;
  processor: string;
  speedGHz: number;
  turboGHz: number;
  ioModes: IoMode[];
  diskCategories: string[];
  mainlandOnly?: boolean;
}

const MODERN_DISKS = ['cloud_efficiency', 'cloud_ssd', 'cloud_essd', 'cloud_auto'];

const FAMILIES: Record<string, FamilySpec> = {};
function family(f: FamilySpec): FamilySpec {
  FAMILIES[f.family] = f;
  return f;
}

const gen1 = (name: string, category: string) => family({
  family: name, generation: 'ecs-1', category, level: 'EntryLevel', processor: 'Intel Xeon E5-2420',
  speedGHz: 1.9, turboGHz: 2.4, ioModes: ['none', 'optimized'], diskCategories: ['cloud_efficiency', 'cloud_ssd'],
});
const enterprise = (name: string, generation: string, category: string, processor: string, speedGHz: number, turboGHz: number, diskCategories = MODERN_DISKS) => family({
  family: name, generation, category, level: 'EnterpriseLevel', processor, speedGHz, turboGHz, ioModes: ['optimized'], diskCategories,
});
const burstable = (name: string, generation: string, processor: string, diskCategories: string[]) => family({
  family: name, generation, category: 'Shared', level: 'CreditEntryLevel', processor, speedGHz: 2.5, turboGHz: 3.2, ioModes: ['optimized'], diskCategories,
});

const SKYLAKE = 'Intel Xeon(Skylake) Platinum 8163';
const CASCADE = 'Intel Xeon(Cascade Lake) Platinum 8269CY';
const ICELAKE = 'Intel Xeon(Ice Lake) Platinum 8369B';

const F = {
  t1: gen1('ecs.t1', 'General-purpose'),
  s1: gen1('ecs.s1', 'General-purpose'),
  s2: gen1('ecs.s2', 'General-purpose'),
  s3: gen1('ecs.s3', 'General-purpose'),
  m1: gen1('ecs.m1', 'Memory-optimized'),
  g5: enterprise('ecs.g5', 'ecs-4', 'General-purpose', SKYLAKE, 2.5, 2.7),
  c5: enterprise('ecs.c5', 'ecs-4', 'Compute-optimized', SKYLAKE, 2.5, 2.7),
  r5: enterprise('ecs.r5', 'ecs-4', 'Memory-optimized', SKYLAKE, 2.5, 2.7),
  g6: enterprise('ecs.g6', 'ecs-5', 'General-purpose', CASCADE, 2.5, 3.2),
  c6: enterprise('ecs.c6', 'ecs-5', 'Compute-optimized', CASCADE, 2.5, 3.2),
  r6: enterprise('ecs.r6', 'ecs-5', 'Memory-optimized', CASCADE, 2.5, 3.2),
  g7: enterprise('ecs.g7', 'ecs-6', 'General-purpose', ICELAKE, 2.7, 3.5),
  c7: enterprise('ecs.c7', 'ecs-6', 'Compute-optimized', ICELAKE, 2.7, 3.5),
  r7: enterprise('ecs.r7', 'ecs-6', 'Memory-optimized', ICELAKE, 2.7, 3.5),
  t5: burstable('ecs.t5', 'ecs-4', SKYLAKE, ['cloud_efficiency', 'cloud_ssd', 'cloud_essd']),
  t6: burstable('ecs.t6', 'ecs-5', CASCADE, ['cloud_efficiency', 'cloud_essd', 'cloud_auto']),
  // ESSD Entry disks only go with ecs.u1 and ecs.e (RunInstances SystemDisk.Category).
  e: family({
    family: 'ecs.e', generation: 'ecs-6', category: 'Shared', level: 'EntryLevel', processor: CASCADE, speedGHz: 2.5, turboGHz: 3.2,
    ioModes: ['optimized'], diskCategories: ['cloud_efficiency', 'cloud_essd', 'cloud_auto', 'cloud_essd_entry'], mainlandOnly: true,
  }),
};

function make(f: FamilySpec, id: string, cpu: number, memoryGiB: number, credit?: { baseline: number; initial: number }): InstanceType {
  const gen1Type = f.generation === 'ecs-1';
  const eniQuantity = gen1Type ? 1 : cpu <= 2 ? 2 : cpu <= 4 ? 3 : cpu <= 8 ? 4 : 8;
  const eniPrivateIps = gen1Type ? 1 : cpu <= 2 ? 6 : cpu <= 8 ? 10 : 20;
  return {
    id, family: f.family, generation: f.generation, cpu, memoryGiB, category: f.category, level: f.level,
    cpuArchitecture: 'X86', processor: f.processor, speedGHz: f.speedGHz, turboGHz: f.turboGHz, gpuAmount: 0, gpuSpec: '',
    ioModes: f.ioModes, diskCategories: f.diskCategories, diskQuantity: gen1Type ? 5 : 17,
    eniQuantity, eniPrivateIps, eniIpv6: gen1Type ? 0 : eniPrivateIps,
    bandwidthKbps: Math.min(cpu * 512_000, 32_000_000), pps: Math.min(cpu * 150_000, 6_000_000), queues: Math.min(cpu, 16),
    credit, bootModes: f.generation >= 'ecs-6' ? ['BIOS', 'UEFI'] : ['BIOS'], nvme: 'unsupported', mainlandOnly: f.mainlandOnly,
  };
}

/** vCPUs of a size name: large 2, xlarge 4, Nxlarge 4N. */
function sizeCpu(size: string): number {
  if (size === 'large') return 2;
  if (size === 'xlarge') return 4;
  return 4 * Number(size.replace('xlarge', ''));
}

const SIZES = ['large', 'xlarge', '2xlarge', '3xlarge', '4xlarge', '6xlarge', '8xlarge', '16xlarge'];
const MEMORY_PER_CPU: Record<string, number> = { 'Compute-optimized': 2, 'General-purpose': 4, 'Memory-optimized': 8 };

function sized(f: FamilySpec, sizes = SIZES): InstanceType[] {
  return sizes.map((s) => {
    const cpu = sizeCpu(s);
    return make(f, `${f.family}.${s}`, cpu, cpu * MEMORY_PER_CPU[f.category]!);
  });
}

/** Burstable sizes: [name, vCPU, GiB, baseline % of one vCPU]; initial credits 30 per vCPU. */
function credited(f: FamilySpec, list: [string, number, number, number][]): InstanceType[] {
  return list.map(([name, cpu, mem, pct]) => make(f, `${f.family}-${name}`, cpu, mem, { baseline: pct * cpu, initial: 30 * cpu }));
}

export const INSTANCE_TYPES: InstanceType[] = [
  // Guide 000:L129-139, the default pay-as-you-go types.
  make(F.t1, 'ecs.t1.small', 1, 1),
  make(F.s1, 'ecs.s1.small', 1, 2),
  make(F.s1, 'ecs.s1.medium', 1, 4),
  make(F.s2, 'ecs.s2.small', 2, 2),
  make(F.s2, 'ecs.s2.large', 2, 4),
  make(F.s2, 'ecs.s2.xlarge', 2, 8),
  make(F.s3, 'ecs.s3.medium', 4, 4),
  make(F.s3, 'ecs.s3.large', 4, 8),
  make(F.m1, 'ecs.m1.medium', 4, 16),
  ...sized(F.g5, SIZES.slice(0, 5)), ...sized(F.c5, SIZES.slice(0, 5)), ...sized(F.r5, SIZES.slice(0, 5)),
  ...sized(F.g6), ...sized(F.c6), ...sized(F.r6),
  ...sized(F.g7), ...sized(F.c7), ...sized(F.r7),
  ...credited(F.t5, [
    ['lc2m1.nano', 1, 0.5, 10], ['lc1m1.small', 1, 1, 10], ['lc1m2.small', 1, 2, 10], ['lc1m2.large', 2, 4, 10], ['lc1m4.large', 2, 8, 10],
    ['c1m1.large', 2, 2, 15], ['c1m2.large', 2, 4, 15], ['c1m4.large', 2, 8, 15], ['c1m1.xlarge', 4, 4, 15], ['c1m2.xlarge', 4, 8, 15], ['c1m4.xlarge', 4, 16, 15],
    ['c1m1.2xlarge', 8, 8, 15], ['c1m2.2xlarge', 8, 16, 15], ['c1m4.2xlarge', 8, 32, 15],
  ]),
  ...credited(F.t6, [
    ['c4m1.large', 2, 0.5, 5], ['c2m1.large', 2, 1, 10], ['c1m1.large', 2, 2, 20], ['c1m2.large', 2, 4, 20], ['c1m4.large', 2, 8, 30],
    ['c1m4.xlarge', 4, 16, 30], ['c1m4.2xlarge', 8, 32, 30],
  ]),
  make(F.e, 'ecs.e-c1m1.large', 2, 2), make(F.e, 'ecs.e-c1m2.large', 2, 4), make(F.e, 'ecs.e-c1m4.large', 2, 8),
  make(F.e, 'ecs.e-c1m2.xlarge', 4, 8), make(F.e, 'ecs.e-c1m4.xlarge', 4, 16), make(F.e, 'ecs.e-c1m4.2xlarge', 8, 32),
];

const byId = new Map(INSTANCE_TYPES.map((t) => [t.id, t]));

export function findInstanceType(id: string): InstanceType | undefined {
  return byId.get(id);
}

export interface InstanceTypeFamily { id: string; generation: string }

export const INSTANCE_TYPE_FAMILIES: InstanceTypeFamily[] = Object.values(FAMILIES).map((f) => ({ id: f.family, generation: f.generation }));

/** Disk categories a type takes in an I/O mode. */
export function diskCategoriesOf(type: InstanceType, io: IoMode = defaultIoMode(type)): string[] {
  if (!type.ioModes.includes(io)) return [];
  return io === 'none' ? ['cloud'] : type.diskCategories;
}

/** RunInstances `IoOptimized`: "已停售的实例规格实例默认值是none，其他实例规格默认值是optimized". */
export function defaultIoMode(type: InstanceType): IoMode {
  return type.generation === 'ecs-1' ? 'none' : 'optimized';
}

/**
 * RunInstances `SystemDisk.Category` default: "已停售的实例规格且非I/O优化实例默认值为cloud，否则默认值为
 * cloud_efficiency".
 */
export function defaultSystemDiskCategory(type: InstanceType, io: IoMode = defaultIoMode(type)): string {
  return io === 'none' ? 'cloud' : 'cloud_efficiency';
}
