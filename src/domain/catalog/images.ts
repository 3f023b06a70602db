/**
 * The public (system) images: ImageOwnerAlias `system`, ids in the vendor's style
 * (<os>_<version>_<arch>_<size>G_alibase_<date>.vhd), and the image × instance type rules.
 */
import { EcsError } from '../errors.js';

export type Architecture = 'x86_64' | 'i386' | 'arm64';
export type OsType = 'linux' | 'windows';

export interface SystemImage {
  id: string;
  family: string;
  osType: OsType;
  platform: string;
  /** Chinese OS name (DescribeImages `OSName`); `osNameEn` is `OSNameEn`. */
  osName: string;
  osNameEn: string;
  architecture: Architecture;
  sizeGiB: number;
  cloudInit: boolean;
  bootMode: 'BIOS' | 'UEFI' | 'UEFI-Preferred';
  nvme: 'supported' | 'unsupported';
  loginAsNonRoot: boolean;
  /** `yyyy-MM-ddTHH:mm:ssZ`. */
  creationTime: string;
  description: string;
}

interface Seed { id: string; family: string; platform: string; osName: string; osNameEn: string; date: string; uefi?: boolean; cloudInit?: boolean; nonRoot?: boolean }

function linux(s: Seed): SystemImage {
  const arch = /_(x64|32|arm64)_/.exec(s.id)![1];
  const size = /_(\d+)G_/.exec(s.id)![1];
  const architecture: Architecture = arch === '32' ? 'i386' : arch === 'arm64' ? 'arm64' : 'x86_64';
  return {
    id: s.id, family: s.family, osType: 'linux', platform: s.platform, osName: s.osName, osNameEn: s.osNameEn,
    architecture, sizeGiB: Number(size), cloudInit: s.cloudInit ?? true, bootMode: s.uefi ? 'UEFI-Preferred' : 'BIOS',
    nvme: s.uefi ? 'supported' : 'unsupported', loginAsNonRoot: s.nonRoot ?? false,
    creationTime: `${s.date.slice(0, 4)}-${s.date.slice(4, 6)}-${s.date.slice(6, 8)}T00:00:00Z`, description: '',
  };
}

function windows(s: Seed): SystemImage {
  return { ...linux(s), osType: 'windows', cloudInit: false, loginAsNonRoot: false };
}

export const SYSTEM_IMAGES: SystemImage[] = [
  linux({ id: 'aliyun_3_x64_20G_alibase_20240528.vhd', family: 'acs:alibaba_cloud_linux_3_2104_lts_x64', platform: 'Aliyun', osName: 'Alibaba Cloud Linux  3.2104 LTS 64位', osNameEn: 'Alibaba Cloud Linux  3.2104 LTS 64 bit', date: '20240528', uefi: true, nonRoot: true }),
  linux({ id: 'aliyun_2_1903_x64_20G_alibase_20240130.vhd', family: 'acs:alibaba_cloud_linux_2_1903_lts_x64', platform: 'Aliyun', osName: 'Alibaba Cloud Linux  2.1903 LTS 64位', osNameEn: 'Alibaba Cloud Linux  2.1903 LTS 64 bit', date: '20240130' }),
  linux({ id: 'centos_7_9_x64_20G_alibase_20240128.vhd', family: 'acs:centos_7_9_x64', platform: 'CentOS', osName: 'CentOS  7.9 64位', osNameEn: 'CentOS  7.9 64 bit', date: '20240128' }),
  linux({ id: 'ubuntu_22_04_x64_20G_alibase_20240130.vhd', family: 'acs:ubuntu_22_04_x64', platform: 'Ubuntu', osName: 'Ubuntu  22.04 64位', osNameEn: 'Ubuntu  22.04 64 bit', date: '20240130', uefi: true }),
  linux({ id: 'ubuntu_20_04_x64_20G_alibase_20240130.vhd', family: 'acs:ubuntu_20_04_x64', platform: 'Ubuntu', osName: 'Ubuntu  20.04 64位', osNameEn: 'Ubuntu  20.04 64 bit', date: '20240130' }),
  linux({ id: 'debian_12_5_x64_20G_alibase_20240416.vhd', family: 'acs:debian_12_x64', platform: 'Debian', osName: 'Debian  12.5 64位', osNameEn: 'Debian  12.5 64 bit', date: '20240416', uefi: true }),
  linux({ id: 'debian_11_9_x64_20G_alibase_20240416.vhd', family: 'acs:debian_11_x64', platform: 'Debian', osName: 'Debian  11.9 64位', osNameEn: 'Debian  11.9 64 bit', date: '20240416' }),
  linux({ id: 'rockylinux_9_3_x64_20G_alibase_20240222.vhd', family: 'acs:rockylinux_9_x64', platform: 'Rocky Linux', osName: 'Rocky Linux  9.3 64位', osNameEn: 'Rocky Linux  9.3 64 bit', date: '20240222', uefi: true }),
  linux({ id: 'almalinux_9_3_x64_20G_alibase_20240222.vhd', family: 'acs:almalinux_9_x64', platform: 'AlmaLinux', osName: 'AlmaLinux  9.3 64位', osNameEn: 'AlmaLinux  9.3 64 bit', date: '20240222', uefi: true }),
  // A 32-bit image, for the guide's "Instances with 4 GB or more of memory cannot use 32-bit images" (000:L156).
  linux({ id: 'ubuntu_16_0402_32_40G_alibase_20170711.vhd', family: '', platform: 'Ubuntu', osName: 'Ubuntu  16.04 32位', osNameEn: 'Ubuntu  16.04 32 bit', date: '20170711', cloudInit: false }),
  windows({ id: 'win2022_21H2_x64_dtc_en-us_40G_alibase_20240220.vhd', family: 'acs:windows_server_2022_datacenter_en_x64', platform: 'Windows Server 2022', osName: 'Windows Server  2022 数据中心版 64位英文版', osNameEn: 'Windows Server  2022 Data Center Edition 64bit English Edition', date: '20240220' }),
  windows({ id: 'win2022_21H2_x64_dtc_zh-cn_40G_alibase_20240220.vhd', family: 'acs:windows_server_2022_datacenter_zh_x64', platform: 'Windows Server 2022', osName: 'Windows Server  2022 数据中心版 64位中文版', osNameEn: 'Windows Server  2022 Data Center Edition 64bit Chinese Edition', date: '20240220' }),
  windows({ id: 'win2019_1809_x64_dtc_en-us_40G_alibase_20240220.vhd', family: 'acs:windows_server_2019_datacenter_en_x64', platform: 'Windows Server 2019', osName: 'Windows Server  2019 数据中心版 64位英文版', osNameEn: 'Windows Server  2019 Data Center Edition 64bit English Edition', date: '20240220' }),
  windows({ id: 'win2019_1809_x64_dtc_zh-cn_40G_alibase_20240220.vhd', family: 'acs:windows_server_2019_datacenter_zh_x64', platform: 'Windows Server 2019', osName: 'Windows Server  2019 数据中心版 64位中文版', osNameEn: 'Windows Server  2019 Data Center Edition 64bit Chinese Edition', date: '20240220' }),
];

const byId = new Map(SYSTEM_IMAGES.map((i) => [i.id, i]));

export function findSystemImage(imageId: string): SystemImage | undefined {
  return byId.get(imageId);
}

/** The least an image and an instance type need to expose to the fit rule. */
export interface ImageTraits { id: string; architecture: string; osType: string; bootMode?: string }
export interface TypeTraits { id: string; cpu: number; memoryGiB: number; cpuArchitecture?: string; bootModes?: readonly string[] }

/** 32-bit images go only on types below this memory (000:L156 "4 GB or more … cannot use 32-bit images"). */
export const I386_MEMORY_LIMIT_GIB = 4;
/** "32-bit Windows OS support CPUs with up to 4 cores" (000:L80). */
export const I386_WINDOWS_MAX_CPU = 4;

/** Whether an image can boot on a type; throws ImageNotSupportInstanceType (403) otherwise. */
export function checkImageFitsType(image: ImageTraits, type: TypeTraits): void {
  const refuse = (why: string) => new EcsError('ImageNotSupportInstanceType', `The specified image ${image.id} does not support the specified InstanceType ${type.id}: ${why}.`, 403);
  const arm = (type.cpuArchitecture ?? 'X86') === 'ARM';
  if (arm !== (image.architecture === 'arm64')) throw refuse(`a ${image.architecture} image cannot run on ${arm ? 'ARM' : 'x86'} processors`);
  if (image.architecture === 'i386') {
    if (type.memoryGiB >= I386_MEMORY_LIMIT_GIB) throw refuse(`32-bit images cannot be used with instance types of ${I386_MEMORY_LIMIT_GIB} GiB memory or more`);
    if (image.osType === 'windows' && type.cpu > I386_WINDOWS_MAX_CPU) throw refuse(`32-bit Windows supports at most ${I386_WINDOWS_MAX_CPU} vCPUs`);
  }
  // A BIOS or UEFI image boots only where the type offers that mode (DescribeInstanceTypes
  // SupportedBootModes); UEFI-Preferred boots either way.
  if (type.bootModes && (image.bootMode === 'BIOS' || image.bootMode === 'UEFI') && !type.bootModes.includes(image.bootMode)) {
    throw refuse(`the image boots in ${image.bootMode} mode, which the instance type does not support (${type.bootModes.join(', ')})`);
  }
}

/** Whether an image can boot on a type (the DescribeImages `InstanceType` filter). */
export function imageFitsType(image: ImageTraits, type: TypeTraits): boolean {
  try {
    checkImageFitsType(image, type);
    return true;
  } catch {
    return false;
  }
}

/** RunInstances `SystemDisk.Size` default: "max{40, 参数ImageId对应的镜像大小}". */
export function defaultSystemDiskSize(image: { sizeGiB: number }): number {
  return Math.max(40, image.sizeGiB);
}
