/**
 * AttachDisk / DetachDisk on a running real guest, through the official SDK: the disk is
 * hot-plugged (QMP onto the guest's SHPC bridge) and the guest sees it without a restart, by its
 * ECS serial (the disk id without `d-`); bytes written in the guest stay on the disk after the
 * detach and are read back after a second attach; a data disk created with the instance
 * (cold-plugged) detaches from the running guest too; an online ResizeDisk reaches the running
 * guest; released with the instance, a disk with DeleteWithInstance=false keeps its bytes and
 * DeleteDisk removes them. Skips without QEMU, netns or ssh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { run } from '../../src/host/exec.js';
import { $Ecs, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { disk } from '../api/storage-fixtures.js';
import { createKeyFile, guestSsh, qemuSkipReason, startQemuServer, until, waitStatus } from './fixtures.js';

const R = 'cn-hangzhou';

const diskStatus = async (s: TestServer, diskId: string) => (await disk(s.ecs, diskId))!;

test('qemu hot-plug: AttachDisk, online ResizeDisk and DetachDisk on a running guest, bytes kept across detach and re-attach', async (t) => {
  const reason = await qemuSkipReason({ netns: true, ssh: true });
  if (reason) { t.skip(reason); return; }
  const { s, driver, nsName, dataDir, close } = await startQemuServer('hp');
  try {
    const n = await createNetwork(s, R, '192.168.0.0/16');
    const keyFile = await createKeyFile(s, R, dataDir, 'hp-key');
    const ran = await s.ecs.runInstances(runRequest(n, {
      keyPairName: 'hp-key', dataDisk: [new $Ecs.RunInstancesRequestDataDisk({ size: 20, category: 'cloud_essd' })],
    }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await waitStatus(s, R, id, 'Running');
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0',
    }));
    await s.settle();
    const ip = (await driver.record(id))!.privateIp!;
    const ssh = guestSsh(nsName, keyFile, ip);
    // The guest's block devices by serial: "vda:<serial> vdb:<serial> …".
    const guestDisks = async () => {
      const out = await ssh('for b in /sys/block/vd*; do echo "${b##*/}:$(cat $b/serial 2>/dev/null)"; done').catch(() => '');
      return new Map(out.split('\n').filter(Boolean).map((l) => l.split(':') as [string, string]).map(([dev, serial]) => [serial, dev]));
    };
    const serial = (diskId: string) => diskId.replace(/^d-/, '');

    const disks = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id }));
    const coldDisk = disks.body!.disks!.disk!.find((d) => d.type === 'data')!.diskId!;
    const systemDisk = disks.body!.disks!.disk!.find((d) => d.type === 'system')!.diskId!;
    await until(s, 'SSH', async () => (await guestDisks()).size > 0, 60_000);
    const atBoot = await guestDisks();
    assert.equal(atBoot.get(serial(systemDisk)), 'vda', 'the system disk is vda, with the disk id as its serial');
    assert.ok(atBoot.has(serial(coldDisk)), 'the data disk made with the instance is there');

    // AttachDisk while Running: the guest sees the disk without a restart.
    const created = await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: n.zoneId, size: 20, diskCategory: 'cloud_essd' }));
    const hotDisk = created.body!.diskId!;
    await until(s, 'the new disk to be Available', async () => (await diskStatus(s, hotDisk)).status === 'Available', 30_000);
    const t0 = Date.now();
    await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: id, diskId: hotDisk }));
    await until(s, 'In_use', async () => (await diskStatus(s, hotDisk)).status === 'In_use', 30_000);
    const inUseMs = Date.now() - t0;
    let dev = '';
    await until(s, 'the guest to see the attached disk', async () => !!(dev = (await guestDisks()).get(serial(hotDisk)) ?? ''), 30_000);
    t.diagnostic(`AttachDisk → In_use ${inUseMs} ms, → visible in the guest as /dev/${dev}: ${Date.now() - t0} ms`);
    assert.equal(await driver.powerState(id), 'running');
    const marker = `HOTMARK${Date.now()}`; // letters and digits: qemu-io shows other bytes as dots
    await ssh(`echo ${marker} > /dev/${dev} && sync`);

    // ResizeDisk online: the running guest sees the new capacity (QMP block_resize), bytes kept.
    await s.ecs.resizeDisk(new $Ecs.ResizeDiskRequest({ diskId: hotDisk, newSize: 30, type: 'online' }));
    await until(s, 'the guest to see 30 GiB', async () => (await ssh(`cat /sys/block/${dev}/size`).catch(() => '')) === String((30 * 1024 ** 3) / 512), 30_000);
    assert.equal(await ssh(`head -c ${marker.length} /dev/${dev}`), marker);

    // DetachDisk while Running: Available once the guest has let go; the bytes stay on the disk.
    const t1 = Date.now();
    await s.ecs.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: id, diskId: hotDisk }));
    assert.equal((await diskStatus(s, hotDisk)).status, 'Detaching');
    await until(s, 'Available', async () => (await diskStatus(s, hotDisk)).status === 'Available', 60_000);
    t.diagnostic(`DetachDisk → Available: ${Date.now() - t1} ms`);
    assert.equal((await guestDisks()).has(serial(hotDisk)), false, 'the guest no longer has the disk');
    const onHost = await run('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -v 0 32', driver.diskFile(hotDisk)]);
    assert.match(onHost.stdout, new RegExp(marker.slice(0, 16)), 'the bytes written in the guest are on the disk file');

    // The cold-plugged data disk detaches from the running guest as well.
    await s.ecs.detachDisk(new $Ecs.DetachDiskRequest({ instanceId: id, diskId: coldDisk }));
    await until(s, 'the cold disk to be Available', async () => (await diskStatus(s, coldDisk)).status === 'Available', 60_000);
    assert.equal((await guestDisks()).has(serial(coldDisk)), false);

    // Attached again, the guest reads the marker back.
    await s.ecs.attachDisk(new $Ecs.AttachDiskRequest({ instanceId: id, diskId: hotDisk }));
    await until(s, 'the guest to see the disk again', async () => !!(dev = (await guestDisks()).get(serial(hotDisk)) ?? ''), 60_000);
    assert.equal(await ssh(`head -c ${marker.length} /dev/${dev}`), marker);
    assert.equal((await diskStatus(s, hotDisk)).status, 'In_use');
    const rec = (await driver.record(id))!;
    assert.deepEqual(rec.disks.map((d) => d.diskId).sort(), [systemDisk, hotDisk].sort(), 'the VM record follows attach and detach');

    // Released with the instance: the system disk goes; the attached disk (DeleteWithInstance=false) stays, bytes and all.
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    await until(s, 'the instance to be gone', async () => (await driver.powerState(id)) === 'absent', 60_000);
    await until(s, 'the disk to be Available', async () => (await diskStatus(s, hotDisk)).status === 'Available', 30_000);
    assert.equal(existsSync(driver.diskFile(systemDisk)), false, 'the system disk released with the instance is removed');
    const kept = await run('qemu-io', ['-r', '-f', 'qcow2', '-c', 'read -v 0 32', driver.diskFile(hotDisk)]);
    assert.match(kept.stdout, new RegExp(marker.slice(0, 16)), 'the data disk left behind keeps its bytes');
    assert.equal(existsSync(driver.diskFile(coldDisk)), true);
    await s.ecs.deleteDisk(new $Ecs.DeleteDiskRequest({ diskId: hotDisk }));
    // The file goes in the engine (a disk-content operation written with the deletion).
    await until(s, 'DeleteDisk to remove its file', async () => !existsSync(driver.diskFile(hotDisk)), 30_000);
  } finally {
    await close();
  }
});
