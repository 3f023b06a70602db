/**
 * ImportImage / ExportImage bytes through the qemu driver's hooks, without booting: a raw file
 * imported becomes the image snapshot's qcow2 with the same bytes, a disk launched from it starts
 * with them, and exporting writes them in each format ECS offers. A file that is not what it says
 * fails and leaves nothing behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestSpec } from '../../src/compute/driver.js';
import { run, which } from '../../src/host/exec.js';
import { QemuDriver } from '../../src/compute/qemu/driver.js';

/** `qemu-img compare` exits 0 when two images (any formats) hold the same guest-visible bytes. */
const same = (a: string, b: string) => run('qemu-img', ['compare', '-q', a, b]).then(() => true, () => false);

test('imported bytes become the image, launch as a clone and export in every format', async (t) => {
  if (!(await which('qemu-img'))) { t.skip('qemu-img not installed (apt-get install qemu-utils)'); return; }
  const dataDir = await mkdtemp(join(tmpdir(), 'openecs-qemu-image-files-'));
  const driver = new QemuDriver({ dataDir, env: { ...process.env, OPENECS_QEMU_NET: 'none' } });
  try {
    const raw = join(dataDir, 'upload.raw');
    const bytes = Buffer.alloc(4 << 20);
    for (let i = 0; i < bytes.length; i += 4096) bytes.write(`block ${i / 4096} of an imported disk`, i);
    await writeFile(raw, bytes);

    await driver.importDisk('s-imported', raw, 'RAW');
    const info = JSON.parse((await run('qemu-img', ['info', '--output=json', driver.snapshotFile('s-imported')])).stdout);
    assert.equal(info.format, 'qcow2');
    assert.equal(await same(raw, driver.snapshotFile('s-imported')), true, 'the snapshot holds the uploaded bytes');

    const spec: GuestSpec = {
      instanceId: 'i-from-import', hostName: 'h', cpu: 1, memoryMiB: 256, imageId: 'm-imported', osType: 'linux', vpcId: '', vswitchId: '', privateIp: '', userData: '', keyPairName: '',
      disks: [{ diskId: 'd-from-import', type: 'data', sizeGiB: 1, device: '/dev/xvdb', imageId: '', snapshotId: 's-imported' }],
    };
    await driver.ensureCreated(spec);
    const disk = JSON.parse((await run('qemu-img', ['info', '--output=json', driver.diskFile('d-from-import')])).stdout);
    assert.equal(disk['backing-filename'], driver.snapshotFile('s-imported'), 'a launched disk is a copy-on-write clone');
    const head = join(dataDir, 'head.raw');
    await run('qemu-img', ['convert', '-O', 'raw', driver.diskFile('d-from-import'), head]);
    assert.equal(disk['virtual-size'], 1 << 30, 'with the size the disk asked for');
    await run('truncate', ['-s', String(bytes.length), head]);
    assert.equal(await same(raw, head), true, 'and starts with the uploaded bytes');

    for (const format of ['raw', 'vhd', 'qcow2', 'vmdk', 'vdi'] as const) {
      const out = join(dataDir, `export.${format}`);
      await driver.exportDisk('s-imported', out, format);
      const fmt = JSON.parse((await run('qemu-img', ['info', '--output=json', out])).stdout).format;
      assert.equal(fmt, format === 'vhd' ? 'vpc' : format);
      assert.equal(await same(raw, out), true, `the ${format} export holds the image's bytes`);
    }

    const fake = join(dataDir, 'fake.qcow2');
    await writeFile(fake, 'not a qcow2 file at all');
    await assert.rejects(driver.importDisk('s-fake', fake, 'QCOW2'));
    assert.equal(existsSync(driver.snapshotFile('s-fake')), false, 'a failed import leaves no snapshot file');
    assert.equal(existsSync(`${driver.snapshotFile('s-fake')}.part`), false, 'nor a partial one');
    await assert.rejects(driver.exportDisk('s-missing', join(dataDir, 'x.raw'), 'raw'), /has no file/);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
