/**
 * ImportImage / ExportImage with real bytes: an uploaded image file becomes the qcow2 file of the
 * image's snapshot (so instances launched from it are copy-on-write clones of those bytes), and a
 * custom image's snapshot is written out in the format the user asked for. qemu-img does both.
 */
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ExportFormat, ImportFormat } from '../../domain/storage/image-files.js';
import { run } from '../../host/exec.js';

/** ECS format names → qemu-img's (`vhd` is qemu's `vpc`). */
const IMPORT: Record<ImportFormat, string> = { RAW: 'raw', VHD: 'vpc', QCOW2: 'qcow2' };
const EXPORT: Record<ExportFormat, string> = { raw: 'raw', vhd: 'vpc', qcow2: 'qcow2', vmdk: 'vmdk', vdi: 'vdi' };
const LONG = { timeoutMs: 3_600_000 };

/** Converts into `out` through a temporary file, so a failed or interrupted copy leaves nothing behind. */
async function convert(args: string[], out: string): Promise<void> {
  await mkdir(dirname(out), { recursive: true });
  const tmp = `${out}.part`;
  try {
    await run('qemu-img', ['convert', '-q', ...args, tmp], LONG);
    await rename(tmp, out);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

export async function importImageFile(file: string, format: ImportFormat, snapshotFile: string): Promise<void> {
  await convert(['-f', IMPORT[format], '-O', 'qcow2', file], snapshotFile);
}

export async function exportImageFile(snapshotFile: string, format: ExportFormat, file: string): Promise<void> {
  // -U: the snapshot may back a running guest's disk, which holds a shared lock on it.
  await convert(['-U', '-f', 'qcow2', '-O', EXPORT[format], snapshotFile], file);
}
