/**
 * An imported image with its own boot loader and kernel, through the official SDK: the disk
 * (test/qemu/bootable-disk.ts: MBR, syslinux, Debian's kernel, a busybox system) is uploaded to
 * the object store, ImportImage makes it an image, and RunInstances boots it through the firmware
 * (SeaBIOS → syslinux → its kernel, its command line: nothing of the built-in boot path). The
 * guest takes its private IP by DHCP, reads its instance id, hostname and user data from the
 * metadata service, and serves over the instance network what the user data wrote.
 * Skips without QEMU, netns, dnsmasq or the boot-loader tools.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import PopCore from '@alicloud/pop-core';
import { run, which } from '../../src/host/exec.js';
import { ObjectStore } from '../../src/store/objects.js';
import { $Ecs, AK, SECRET } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { image } from '../api/storage-fixtures.js';
import { bootableDiskSkipReason, buildBootableDisk, IMPORTED_READY } from './bootable-disk.js';
import { qemuSkipReason, startQemuServer, until, waitStatus } from './fixtures.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
const R = 'cn-hangzhou';

test('an imported image boots through the firmware with its own kernel, DHCP and the metadata service', async (t) => {
  const reason = (await qemuSkipReason({ netns: true })) ?? (await bootableDiskSkipReason())
    ?? ((await which('dnsmasq')) ? undefined : 'dnsmasq is not installed (apt-get install dnsmasq-base)');
  if (reason) { t.skip(reason); return; }
  const { s, driver, nsName, dataDir, close } = await startQemuServer('imp');
  try {
    const raw = join(dataDir, 'cloud.raw');
    await buildBootableDisk(dataDir, raw);
    const qcow2 = join(dataDir, 'cloud.qcow2');
    await run('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, qcow2]);
    // The upload: PutObject makes the bucket (owner, region); the file itself is copied in place,
    // as PutObject's base64 body would be ~40 MB here.
    const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    await ext.request('PutObject', { RegionId: R, Bucket: 'images', Key: 'cloud.qcow2', Content: '' }, { method: 'POST' });
    await copyFile(qcow2, new ObjectStore(join(dataDir, 'oss')).objectPath('images', 'cloud.qcow2'));

    const imported = await s.ecs.importImage(new $Ecs.ImportImageRequest({
      regionId: R, imageName: 'stock-cloud-image', OSType: 'linux', platform: 'Others Linux', architecture: 'x86_64',
      diskDeviceMapping: [new $Ecs.ImportImageRequestDiskDeviceMapping({ OSSBucket: 'images', OSSObject: 'cloud.qcow2', format: 'QCOW2', diskImageSize: 20 })],
    }));
    const imageId = imported.body!.imageId!;
    await until(s, 'the image to be Available', async () => {
      const st = (await image(s.ecs, imageId))?.status;
      assert.notEqual(st, 'CreateFailed');
      return st === 'Available';
    }, 120_000);

    const n = await createNetwork(s, R, '10.20.0.0/16');
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0',
    }));
    const token = `imported-${Date.now()}`;
    const t0 = Date.now();
    const ran = await s.ecs.runInstances(runRequest({ ...n, imageId }, {
      hostName: 'stock-host', userData: Buffer.from(`#!/bin/sh\necho ${token} > /var/www/marker.txt\n`).toString('base64'),
    }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await waitStatus(s, R, id, 'Running');
    const rec = (await driver.record(id))!;
    assert.equal(rec.boot, 'firmware', 'a disk that is not the built-in root boots through the firmware');

    let consoleText = '';
    await until(s, 'the imported system to come up', async () => (consoleText = await driver.consoleOutput(id)).includes(IMPORTED_READY), 180_000);
    t.diagnostic(`RunInstances → imported system up (firmware, boot loader, its kernel, DHCP, metadata): ${Date.now() - t0} ms`);
    assert.match(consoleText, /command line: BOOT_IMAGE=vmlinuz initrd=initrd\.img console=ttyS0 quiet/, 'its own boot loader chose the command line');
    assert.doesNotMatch(consoleText, /openecs\.instance=/);
    assert.match(consoleText, /dmi: Alibaba Cloud \/ Alibaba Cloud ECS/, 'the machine says it is an ECS instance, as stock cloud-init requires');
    const ip = rec.privateIp!;
    const ready = consoleText.split('\n').find((l) => l.includes(IMPORTED_READY))!;
    assert.match(ready, new RegExp(`instance=${id} hostname=stock-host address=${ip.replace(/\./g, '\\.')}/20`), 'DHCP gave it its private IP and prefix; the metadata its id and hostname');
    await s.settle();
    const curl = await run('ip', ['netns', 'exec', nsName, 'curl', '-s', '-m', '5', `http://${ip}/marker.txt`]);
    assert.equal(curl.stdout.trim(), token, 'the user data from the metadata service ran');
  } finally {
    await close();
  }
});
