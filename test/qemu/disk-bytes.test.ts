/**
 * Disk bytes through the qemu driver's hooks, without booting: a snapshot freezes the bytes,
 * ResetDisk (resetDisk) brings them back as an O(1) overlay, a disk from a snapshot starts with its
 * bytes, and deleting a snapshot that still backs a disk keeps the file. Bytes are written and
 * checked with qemu-io (qemu-utils).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestSpec } from '../../src/compute/driver.js';
import { run, which } from '../../src/host/exec.js';
import { QemuDriver } from '../../src/compute/qemu/driver.js';

const io = (file: string, cmd: string) => run('qemu-io', ['-f', 'qcow2', '-c', cmd, file]).then((r) => r.stdout);
const holds = async (file: string, pattern: number) => !/Pattern verification failed/.test(await io(file, `read -P ${pattern} 0 1M`));

test('snapshot, reset and disk-from-snapshot keep the right bytes', async (t) => {
  if (!(await which('qemu-img')) || !(await which('qemu-io'))) { t.skip('qemu-img / qemu-io not installed (apt-get install qemu-utils)'); return; }
  const dataDir = await mkdtemp(join(tmpdir(), 'openecs-qemu-disks-'));
  const driver = new QemuDriver({ dataDir, env: { ...process.env, OPENECS_QEMU_NET: 'none' } });
  try {
    const spec = (id: string, diskId: string, snapshotId = ''): GuestSpec => ({
      instanceId: id, hostName: 'h', cpu: 1, memoryMiB: 256, imageId: 'x', osType: 'linux', vpcId: '', vswitchId: '', privateIp: '', userData: '', keyPairName: '',
      disks: [{ diskId, type: 'data', sizeGiB: 2, device: '/dev/xvdb', imageId: '', snapshotId }],
    });
    await driver.ensureCreated(spec('i-a', 'd-a'));
    const disk = driver.diskFile('d-a');
    await io(disk, 'write -P 0xab 0 1M');
    let t0 = Date.now();
    await driver.snapshotDisk('d-a', 's-1');
    t.diagnostic(`snapshot of a disk with 1 MiB of data: ${Date.now() - t0} ms`);
    let info = JSON.parse((await run('qemu-img', ['info', '--output=json', disk])).stdout);
    assert.equal(info['backing-filename'], driver.snapshotFile('s-1'), 'O(1): the disk continues on an overlay of the frozen file');
    assert.equal(await holds(driver.snapshotFile('s-1'), 0xab), true);
    await io(disk, 'write -P 0xcd 0 1M');
    assert.equal(await holds(disk, 0xcd), true);
    assert.equal(await holds(driver.snapshotFile('s-1'), 0xab), true, 'writes after the snapshot do not reach it');
    await driver.snapshotDisk('d-a', 's-1');
    assert.equal(await holds(driver.snapshotFile('s-1'), 0xab), true, 'a repeated hook call (reconciler after the action) changes nothing');
    t0 = Date.now();
    await driver.resetDisk('d-a', 's-1');
    t.diagnostic(`resetDisk: ${Date.now() - t0} ms`);
    assert.equal(await holds(disk, 0xab), true, 'ResetDisk brings the snapshot bytes back');
    info = JSON.parse((await run('qemu-img', ['info', '--output=json', disk])).stdout);
    assert.equal(info['virtual-size'], 2 * 1024 ** 3, 'the disk keeps its size');
    assert.equal(info['backing-filename'], driver.snapshotFile('s-1'), 'an overlay, not a copy');

    await driver.ensureCreated(spec('i-b', 'd-b', 's-1'));
    assert.equal(await holds(driver.diskFile('d-b'), 0xab), true, 'a disk from the snapshot starts with its bytes');
    // ReInitDisk: back to the initial bytes, the source snapshot's here, zeros for an empty disk.
    await io(driver.diskFile('d-b'), 'write -P 0xee 0 1M');
    await driver.discardDisk('d-b');
    await driver.ensureCreated(spec('i-b', 'd-b', 's-1'));
    assert.equal(await holds(driver.diskFile('d-b'), 0xab), true, 're-initialized from its source snapshot');
    await driver.ensureCreated(spec('i-e', 'd-e'));
    await io(driver.diskFile('d-e'), 'write -P 0x77 0 1M');
    await driver.discardDisk('d-e');
    await driver.ensureCreated(spec('i-e', 'd-e'));
    assert.equal(await holds(driver.diskFile('d-e'), 0x00), true, 'an empty data disk is empty again');
    await driver.destroy('i-e');
    await driver.collectDisks(new Set(['d-a', 'd-b']), Infinity);

    await driver.deleteSnapshot('s-1');
    assert.equal(existsSync(driver.snapshotFile('s-1')), true, 'a snapshot backing disks keeps its file');
    assert.equal(await holds(disk, 0xab), true);
    await driver.destroy('i-a'); await driver.destroy('i-b');
    assert.equal(existsSync(driver.diskFile('d-a')), true, 'an instance\'s destroy leaves its disks (DeleteWithInstance=false outlives it)');
    await driver.collectDisks(new Set(['d-b']), Date.now() - 60_000);
    assert.equal(existsSync(driver.diskFile('d-a')), true, 'a file written after the ids were read may be a new disk: kept');
    await driver.collectDisks(new Set(['d-b']), Infinity);
    assert.equal(existsSync(driver.diskFile('d-a')), false, 'collectDisks removes a disk the store no longer has');
    assert.equal(existsSync(driver.diskFile('d-b')), true, 'and keeps the ones it has');
    await driver.collectDisks(new Set(), Infinity);
    await driver.deleteSnapshot('s-1');
    assert.equal(existsSync(driver.snapshotFile('s-1')), false, 'deleted once nothing uses it');
    await assert.rejects(driver.resetDisk('d-a', 's-none'), /no file/);

    // A chain: s-2 is backed by s-1, so deleting s-1 first keeps its file until s-2 goes.
    await driver.ensureCreated(spec('i-c', 'd-c'));
    const c = driver.diskFile('d-c');
    await io(c, 'write -P 0x11 0 1M');
    await driver.snapshotDisk('d-c', 's-a');
    await io(c, 'write -P 0x22 1M 1M');
    await driver.snapshotDisk('d-c', 's-b');
    await io(c, 'write -P 0x33 0 1M');
    await driver.deleteSnapshot('s-a');
    assert.equal(existsSync(driver.snapshotFile('s-a')), true, 's-b (and the disk) still read through s-a');
    await driver.resetDisk('d-c', 's-b');
    assert.equal(await holds(c, 0x11), true);
    assert.equal(!/Pattern verification failed/.test(await io(c, 'read -P 0x22 1M 1M')), true, 'both layers are read back');
    await driver.deleteSnapshot('s-b');
    assert.equal(existsSync(driver.snapshotFile('s-b')), true, 'the reset disk is backed by s-b');
    await driver.destroy('i-c');
    await driver.collectDisks(new Set(), Infinity);
    assert.equal(existsSync(driver.snapshotFile('s-b')), false, 'collected with the last disk using it');
    assert.equal(existsSync(driver.snapshotFile('s-a')), false, 'and the chain below it');
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
});
