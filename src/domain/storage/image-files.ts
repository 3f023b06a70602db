/**
 * Image import and export rules (ImportImage, ExportImage and the local object store):
 * bucket, object and prefix names, file formats and how to tell them from the bytes, the sizes
 * of the DiskDeviceMapping, OS type / platform / architecture / boot mode, task timing.
 * Facts: API metadata of ImportImage/ExportImage/DescribeTasks; 002:L2729–2898 (catalog-other-seeds
 * B.8.6–B.8.9); 000:L1735–1865.
 */
import { EcsError } from '../errors.js';

// ---------------------------------------------------------------- object store names

/** OSS bucket names: 3–63 lower-case letters, digits and hyphens, starting and ending with a letter or digit. */
export function isValidBucketName(b: string): boolean {
  return /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(b);
}

/**
 * Object keys: 1–1023 bytes of UTF-8, not starting with `/` or `\`. Keys become paths under the
 * bucket folder, so `.`/`..` segments, backslashes, empty segments and control characters are
 * refused too (a key must never reach outside its bucket), and so is a segment over 255 bytes
 * (no file system takes a longer file name: such a PutObject answered HTTP 500).
 */
export function isValidObjectKey(k: string): boolean {
  const bytes = Buffer.byteLength(k, 'utf8');
  if (bytes < 1 || bytes > 1023) return false;
  if (/[\x00-\x1f\x7f\\]/.test(k) || k.startsWith('/') || k.endsWith('/')) return false;
  return k.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..' && Buffer.byteLength(seg, 'utf8') <= 255);
}

/** ExportImage `OSSPrefix`: "可以由数字或者字母组成，字符长度为1~30". */
export function isValidOssPrefix(p: string): boolean {
  return /^[A-Za-z0-9]{1,30}$/.test(p);
}

// ---------------------------------------------------------------- formats

export type ImportFormat = 'RAW' | 'VHD' | 'QCOW2';
export const IMPORT_FORMATS: readonly ImportFormat[] = ['RAW', 'VHD', 'QCOW2'];
export type ExportFormat = 'raw' | 'vhd' | 'qcow2' | 'vmdk' | 'vdi';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['raw', 'vhd', 'qcow2', 'vmdk', 'vdi'];

/** ImportImage `Format` (case-insensitive; empty: detected from the file). */
export function parseImportFormat(v: unknown): ImportFormat | undefined {
  if (v === undefined || v === '') return undefined;
  const f = String(v).toUpperCase();
  if (!(IMPORT_FORMATS as readonly string[]).includes(f)) {
    throw new EcsError('InvalidImageFormat.Malformed', `The specified Image Format "${String(v)}" is wrongly formed: use RAW, VHD or QCOW2.`, 400);
  }
  return f as ImportFormat;
}

/** ExportImage `ImageFormat` (default raw, 002:L2862). */
export function parseExportFormat(v: unknown): ExportFormat {
  if (v === undefined || v === '') return 'raw';
  const f = String(v).toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(f)) {
    throw new EcsError('InvalidImageFormat.Malformed', `The specified ImageFormat "${String(v)}" is wrongly formed: use raw, vhd, qcow2, vmdk or vdi.`);
  }
  return f as ExportFormat;
}

/** Object suffixes that are archives or installers, not disk images (UnsupportedSuffix.OSSObject). */
const UNSUPPORTED_SUFFIXES = ['.iso', '.zip', '.rar', '.7z', '.exe', '.msi', '.tar', '.gz', '.tgz', '.bz2', '.xz'];

export function hasUnsupportedSuffix(key: string): boolean {
  const k = key.toLowerCase();
  return UNSUPPORTED_SUFFIXES.some((s) => k.endsWith(s));
}

/**
 * What the bytes are: qcow2 starts with `QFI\xfb`; a VHD has the `conectix` footer in its last
 * 512 bytes (a dynamic VHD also copies it at the start); anything else is taken as raw.
 * `head` is the first bytes of the file, `tail` its last 512 bytes.
 */
export function detectFormat(head: Buffer, tail: Buffer): ImportFormat {
  if (head.length >= 4 && head[0] === 0x51 && head[1] === 0x46 && head[2] === 0x49 && head[3] === 0xfb) return 'QCOW2';
  if (tail.subarray(0, 8).toString('latin1') === 'conectix' || head.subarray(0, 8).toString('latin1') === 'conectix') return 'VHD';
  return 'RAW';
}

/** The disk size the file describes, in bytes: qcow2 header offset 24, VHD footer "current size" at 48, raw its length. */
export function virtualSizeBytes(format: ImportFormat, head: Buffer, tail: Buffer, fileBytes: number): number {
  if (format === 'QCOW2' && head.length >= 32) return Number(head.readBigUInt64BE(24));
  if (format === 'VHD') {
    const footer = tail.subarray(0, 8).toString('latin1') === 'conectix' ? tail : head;
    if (footer.length >= 56) return Number(footer.readBigUInt64BE(48));
  }
  return fileBytes;
}

const GIB = 1024 ** 3;
export function bytesToGiB(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / GIB));
}

// ---------------------------------------------------------------- ImportImage mapping sizes

/** DiskImageSize: N=1 (system) 5–500 GiB, N=2–17 (data) 5–2000 GiB (API metadata). */
export const IMPORT_SIZE = { system: { min: 5, max: 500 }, data: { min: 5, max: 2000 } } as const;

/** The size of an imported disk: the given DiskImageSize (at least the file's virtual size), else the virtual size. */
export function importDiskSize(kind: 'system' | 'data', requested: number | undefined, virtualGiB: number): number {
  const r = IMPORT_SIZE[kind];
  const code = kind === 'system' ? 'InvalidImageSize' : 'InvalidDataDiskSize';
  const size = requested ?? Math.max(r.min, virtualGiB);
  if (!Number.isInteger(size) || size < r.min || size > r.max) {
    throw new EcsError(code, `The specified DiskDeviceMapping.N.DiskImageSize (${size}) should be in the range ${r.min}-${r.max} GiB for a ${kind} disk.`, 400);
  }
  if (size < virtualGiB) {
    throw new EcsError(code, `The specified DiskDeviceMapping.N.DiskImageSize (${size} GiB) is less than the size of the image file (${virtualGiB} GiB).`, 400);
  }
  return size;
}

// ---------------------------------------------------------------- OS traits

export const IMPORT_ARCHITECTURES = ['x86_64', 'i386', 'arm64'] as const;

/** ImportImage `Platform` values (API metadata; default "Others Linux"). */
export const IMPORT_PLATFORMS = [
  'Aliyun', 'Anolis', 'CentOS', 'Ubuntu', 'CoreOS', 'SUSE', 'Debian', 'OpenSUSE', 'FreeBSD', 'RedHat', 'Kylin', 'UOS', 'Fedora',
  'Fedora CoreOS', 'CentOS Stream', 'AlmaLinux', 'Rocky Linux', 'Gentoo', 'Customized Linux', 'Others Linux',
  'Windows Server 2022', 'Windows Server 2019', 'Windows Server 2016', 'Windows Server 2012', 'Windows Server 2008', 'Windows Server 2003',
] as const;

export interface ImportTraits { osType: 'linux' | 'windows'; platform: string; architecture: string; bootMode: string }

/** OSType, Platform, Architecture and BootMode of ImportImage, with their defaults and codes. */
export function importTraits(p: { OSType?: unknown; Platform?: unknown; Architecture?: unknown; BootMode?: unknown }): ImportTraits {
  const arch = p.Architecture === undefined || p.Architecture === '' ? 'x86_64' : String(p.Architecture);
  if (!(IMPORT_ARCHITECTURES as readonly string[]).includes(arch)) {
    throw new EcsError('InvalidArchitecture.Malformed', `The specified Architecture "${arch}" is wrongly formed: use x86_64, i386 or arm64.`);
  }
  const platformGiven = p.Platform !== undefined && p.Platform !== '';
  const platform = platformGiven ? String(p.Platform) : '';
  if (platformGiven && !(IMPORT_PLATFORMS as readonly string[]).includes(platform)) {
    throw new EcsError('InvalidPlatform.Malformed', `The specified Platform "${platform}" is wrongly formed.`);
  }
  let osType: 'linux' | 'windows';
  if (p.OSType === undefined || p.OSType === '') osType = /^Windows/.test(platform) ? 'windows' : 'linux';
  else {
    const o = String(p.OSType).toLowerCase();
    if (o !== 'linux' && o !== 'windows') throw new EcsError('InvalidOSType.Malformed', `The specified OSType "${String(p.OSType)}" is wrongly formed: use linux or windows.`);
    osType = o;
  }
  const finalPlatform = platform || (osType === 'windows' ? 'Windows Server 2022' : 'Others Linux');
  if (/^Windows/.test(finalPlatform) !== (osType === 'windows')) {
    throw new EcsError('InvalidPlatform.Malformed', `The specified Platform "${finalPlatform}" does not match OSType ${osType}.`);
  }
  if (osType === 'windows' && arch === 'arm64') {
    throw new EcsError('InvalidArchitecture.PlatformUnsupported', 'The OS platform you selected does not support the specified architecture.', 403);
  }
  // "如果Architecture=arm64，则该参数默认值为UEFI，且只能设置为UEFI".
  const bootMode = p.BootMode === undefined || p.BootMode === '' ? (arch === 'arm64' ? 'UEFI' : 'BIOS') : String(p.BootMode);
  if (bootMode !== 'BIOS' && bootMode !== 'UEFI') throw new EcsError('InvalidBootMode.Malformed', `The specified parameter "BootMode" (${bootMode}) is malformed: use BIOS or UEFI.`);
  if (arch === 'arm64' && bootMode !== 'UEFI') throw new EcsError('InvalidBootMode.NotSupport', 'The specified parameter BootMode is not supported for current image architecture: arm64 images boot with UEFI.');
  return { osType, platform: finalPlatform, architecture: arch, bootMode };
}

// ---------------------------------------------------------------- tasks

export type TaskAction = 'ImportImage' | 'ExportImage';
export type TaskStatus = 'Processing' | 'Finished' | 'Failed' | 'Cancelled';
/** DescribeTasks: "只支持查询状态为Finished、Processing和Failed的任务，填入其他取值将不会生效". */
export const FILTERABLE_TASK_STATUSES: readonly string[] = ['Finished', 'Processing', 'Failed'];

/**
 * How long the work takes in engine transition times. Import: Waiting one step, then Creating
 * ("usually several hours", 000:L1863, compressed to the clock); export: two steps.
 */
export function taskDurationMs(action: TaskAction, transitionMs: number): number {
  const base = Math.max(1, transitionMs);
  return action === 'ImportImage' ? 3 * base : 2 * base;
}

/** TaskProcess "NN%": 100% when finished, else the elapsed share (at most 99%). */
export function taskProgress(status: string, createdAt: number, completesAt: number, now: number): string {
  if (status === 'Finished') return '100%';
  if (status !== 'Processing') return '0%';
  const span = Math.max(1, completesAt - createdAt);
  return `${Math.max(0, Math.min(99, Math.floor(((now - createdAt) / span) * 100)))}%`;
}

/** The exported object's key, after the API's example `MYOSSPRE_m-23f8tcp***_t-23ym6mv***.vhd`. */
export function exportObjectKey(prefix: string, imageId: string, taskId: string, format: ExportFormat): string {
  return `${prefix ? `${prefix}_` : ''}${imageId}_${taskId}.${format}`;
}
