/**
 * Real guests through the qemu driver: boot from the Debian-built image, console marker, user
 * data once, HTTP through the forwarded port, re-attach from a second driver (a restarted
 * server), graceful stop, disk bytes surviving stop/start, destroy. Skips when QEMU or the image
 * inputs are missing (apt-get install qemu-system-x86 qemu-utils busybox-static dropbear-bin linux-image-amd64).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GuestSpec } from '../../src/compute/driver.js';
import { QemuDriver } from '../../src/compute/qemu/driver.js';
import { buildImage } from '../../src/compute/qemu/image.js';
import { httpGet, qemuSkipReason } from './fixtures.js';

function spec(id: string, userData: string): GuestSpec {
  return {
    instanceId: id, hostName: `host-${id.slice(2)}`, cpu: 2, memoryMiB: 4096, imageId: 'debian_12_busybox', osType: 'linux',
    vpcId: 'vpc-t', vswitchId: 'vsw-t', vswitchCidr: '172.16.5.0/24', privateIp: '172.16.5.20', keyPairName: '',
    publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0 test@openecs',
    password: 'OpenEcs-Test1',
    userData: Buffer.from(userData).toString('base64'),
    disks: [{ diskId: `d-${id.slice(2)}`, type: 'system', sizeGiB: 20, device: '/dev/xvda', imageId: 'debian_12_busybox', snapshotId: '' }],
  };
}

test('qemu guest: boot, user data once, network, re-attach, stop/start keeps disk bytes, destroy', async (t) => {
  const reason = await qemuSkipReason();
  if (reason) { t.skip(reason); return; }
  await buildImage();
  const dataDir = await mkdtemp(join(tmpdir(), 'openecs-qemu-test-'));
  // User-mode networking (the fallback where there is no namespace): ports forwarded to 127.0.0.1.
  const driver = new QemuDriver({ dataDir, stopTimeoutMs: 20_000, env: { ...process.env, OPENECS_QEMU_NET: 'user' } });
  const id = `i-qt${process.pid.toString(36)}`;
  const token = `token-${Date.now()}`;
  const s = spec(id, `#!/bin/sh\necho ${token} > /var/www/persist.txt\nhostname > /var/www/hostname.txt\necho USERDATA-RAN\n`);
  try {
    assert.equal(await driver.powerState(id), 'absent');
    await driver.ensureCreated(s);
    assert.equal(await driver.powerState(id), 'stopped');
    assert.deepEqual(await driver.list(), [id]);

    await driver.start(s);
    assert.equal(await driver.powerState(id), 'running');
    const bootMs = await driver.waitReady(id, 90_000);
    t.diagnostic(`boot (driver start → READY marker): ${bootMs} ms`);
    const console1 = await driver.consoleOutput(id);
    assert.match(console1, /USERDATA-RAN|user-data exit 0/);
    assert.match(console1, new RegExp(`${s.hostName} login:|OPENECS-READY instance=${id}`));
    const rec = (await driver.record(id))!;
    assert.ok(rec.httpPort && rec.sshPort);
    assert.deepEqual(await httpGet(rec.httpPort!, '/'), { status: 200, body: id });
    assert.deepEqual(await httpGet(rec.httpPort!, '/persist.txt'), { status: 200, body: token });
    assert.deepEqual(await httpGet(rec.httpPort!, '/hostname.txt'), { status: 200, body: s.hostName });

    // A second driver over the same data dir (a restarted server) sees the running guest.
    const again = new QemuDriver({ dataDir, env: { ...process.env, OPENECS_QEMU_NET: 'user' } });
    assert.equal(await again.powerState(id), 'running');
    assert.deepEqual(await again.list(), [id]);
    const stats = await again.blockStats(id);
    assert.ok(stats.some((b) => b.stats.wr_bytes > 0), 'the guest wrote to its system disk');

    const t0 = Date.now();
    await driver.stopAndWait(id);
    t.diagnostic(`graceful stop (ACPI powerdown → QEMU exit): ${Date.now() - t0} ms`);
    assert.equal(await driver.powerState(id), 'stopped');
    assert.match(await driver.consoleOutput(id), /reboot: Power down/);

    await driver.start(s);
    const boot2 = await driver.waitReady(id, 90_000);
    t.diagnostic(`second boot: ${boot2} ms`);
    const console2 = await driver.consoleOutput(id);
    assert.doesNotMatch(console2, /USERDATA-RAN|user-data exit/, 'user data runs once per instance');
    assert.doesNotMatch(console2, /recovery complete/, 'the filesystem was cleanly unmounted');
    const rec2 = (await driver.record(id))!;
    assert.deepEqual(await httpGet(rec2.httpPort!, '/persist.txt'), { status: 200, body: token }, 'disk bytes survive stop/start');

    await driver.stopAndWait(id, true);
    assert.equal(await driver.powerState(id), 'stopped');
    await driver.destroy(id);
    assert.equal(await driver.powerState(id), 'absent');
    await driver.collectDisks(new Set(), Infinity);
    assert.equal(existsSync(driver.diskFile(s.disks[0].diskId)), false, 'the store released the disk with its instance');
    assert.deepEqual(await driver.list(), []);
  } finally {
    await driver.destroy(id).catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  }
});
