/**
 * Snapshot and roll back real bytes through the official SDK (issue 5 "Done when"): a guest
 * writes a file (user data), the instance stops, CreateSnapshot freezes the system disk, the
 * instance starts and the file changes over SSH, the instance stops, ResetDisk rolls the disk
 * back, and after the next start the old content is read back over SSH.
 * Skips (with the reason) without QEMU, the image's Debian inputs, root/netns/nftables or ssh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { createKeyFile, guestSsh, qemuSkipReason, startQemuServer, waitStatus } from './fixtures.js';

const R = 'cn-hangzhou';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('qemu through the API: CreateSnapshot then ResetDisk brings the old bytes back', async (t) => {
  const reason = await qemuSkipReason({ netns: true, ssh: true });
  if (reason) { t.skip(reason); return; }
  const { s, driver, nsName, dataDir, close } = await startQemuServer('rst');
  try {
    const n = await createNetwork(s, R, '192.168.0.0/16');
    const keyFile = await createKeyFile(s, R, dataDir, 'reset-key');
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0',
    }));
    const userData = '#!/bin/sh\nmkdir -p /root/data && echo before > /root/data/v.txt && sync\n';
    const ran = await s.ecs.runInstances(runRequest(n, { userData: Buffer.from(userData).toString('base64'), keyPairName: 'reset-key' }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await waitStatus(s, R, id, 'Running');
    const ip = (await driver.record(id))!.privateIp!;
    const once = guestSsh(nsName, keyFile, ip);
    const ssh = async (cmd: string) => {
      const t0 = Date.now();
      for (;;) {
        await s.settle();
        try { return await once(cmd); } catch (e) {
          if (Date.now() - t0 > 30_000) throw e;
          await sleep(500);
        }
      }
    };
    assert.equal(await ssh('cat /root/data/v.txt'), 'before');

    const disks = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id, diskType: 'system' }));
    const diskId = disks.body!.disks!.disk![0]!.diskId!;
    const stopAndWait = async () => {
      await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
      await waitStatus(s, R, id, 'Stopped', 60_000);
    };
    await stopAndWait();
    const t0 = Date.now();
    const snapId = (await s.ecs.createSnapshot(new $Ecs.CreateSnapshotRequest({ diskId, snapshotName: 'before' }))).body!.snapshotId!;
    t.diagnostic(`CreateSnapshot (system disk) through the API: ${Date.now() - t0} ms`);
    for (let i = 0; ; i++) {
      const r = await s.ecs.describeSnapshots(new $Ecs.DescribeSnapshotsRequest({ regionId: R, snapshotIds: JSON.stringify([snapId]) }));
      if (r.body!.snapshots!.snapshot![0]!.status === 'accomplished') break;
      assert.ok(i < 200, 'the snapshot completes');
      await s.advance(60_000);
    }

    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    await waitStatus(s, R, id, 'Running');
    assert.equal(await ssh('echo after > /root/data/v.txt && sync && cat /root/data/v.txt'), 'after');
    await stopAndWait();

    const t1 = Date.now();
    await s.ecs.resetDisk(new $Ecs.ResetDiskRequest({ diskId, snapshotId: snapId }));
    t.diagnostic(`ResetDisk through the API: ${Date.now() - t1} ms`);
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    await waitStatus(s, R, id, 'Running');
    assert.equal(await ssh('cat /root/data/v.txt'), 'before', 'ResetDisk brought the snapshot bytes back');
  } finally {
    await close();
  }
});
