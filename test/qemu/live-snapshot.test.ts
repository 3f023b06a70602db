/**
 * A snapshot of a running guest's disk (qemu driver, QMP blockdev-snapshot-sync): O(1), the guest
 * keeps running and serving, the disk continues on an overlay backed by the snapshot's file, and
 * after a stop the snapshot's bytes boot again through ResetDisk's hook.
 * Skips when QEMU or the image inputs are missing.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestSpec } from '../../src/compute/driver.js';
import { run } from '../../src/host/exec.js';
import { QemuDriver } from '../../src/compute/qemu/driver.js';
import { buildImage } from '../../src/compute/qemu/image.js';
import { httpGet, qemuSkipReason } from './fixtures.js';

test('qemu: a live snapshot keeps the guest running and its bytes boot again after ResetDisk', async (t) => {
  const reason = await qemuSkipReason();
  if (reason) { t.skip(reason); return; }
  await buildImage();
  const dataDir = await mkdtemp(join(tmpdir(), 'openecs-qemu-live-'));
  const driver = new QemuDriver({ dataDir, stopTimeoutMs: 20_000, sampleMonitoring: false, env: { ...process.env, OPENECS_QEMU_NET: 'user' } });
  const id = `i-ls${process.pid.toString(36)}`;
  const diskId = `d-ls${process.pid.toString(36)}`;
  const s: GuestSpec = {
    instanceId: id, hostName: 'live', cpu: 1, memoryMiB: 512, imageId: 'debian_12_busybox', osType: 'linux',
    vpcId: 'vpc-t', vswitchId: 'vsw-t', vswitchCidr: '172.16.5.0/24', privateIp: '172.16.5.21', keyPairName: '',
    userData: Buffer.from('#!/bin/sh\necho v1 > /var/www/f.txt\nsync\n').toString('base64'),
    disks: [{ diskId, type: 'system', sizeGiB: 20, device: '/dev/xvda', imageId: 'debian_12_busybox', snapshotId: '' }],
  };
  try {
    await driver.start(s);
    await driver.waitReady(id, 120_000);
    const port = (await driver.record(id))!.httpPort!;
    assert.deepEqual(await httpGet(port, '/f.txt'), { status: 200, body: 'v1' });

    const t0 = Date.now();
    await driver.snapshotDisk(diskId, 's-live');
    const ms = Date.now() - t0;
    t.diagnostic(`live snapshot of the running guest's system disk: ${ms} ms`);
    assert.equal(await driver.powerState(id), 'running', 'the guest keeps running');
    assert.deepEqual(await httpGet(port, '/f.txt'), { status: 200, body: 'v1' }, 'and keeps serving from its disk');
    const info = JSON.parse((await run('qemu-img', ['info', '-U', '--output=json', driver.diskFile(diskId)])).stdout);
    assert.equal(info['backing-filename'], driver.snapshotFile('s-live'), 'the disk continues on an overlay of the snapshot');
    await run('qemu-img', ['check', '-q', driver.snapshotFile('s-live')]);

    await driver.stopAndWait(id, true);
    await driver.resetDisk(diskId, 's-live');
    await driver.start(s);
    await driver.waitReady(id, 120_000);
    const port2 = (await driver.record(id))!.httpPort!;
    assert.deepEqual(await httpGet(port2, '/f.txt'), { status: 200, body: 'v1' }, 'the snapshot boots with the bytes it froze');
    await driver.stopAndWait(id, true);
  } finally {
    await driver.destroy(id).catch(() => {});
    await rm(join(driver.runtimeDir()), { recursive: true, force: true }).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }
});
