/**
 * No orphans across a crash: a server (qemu driver, netns network) runs an instance; then the
 * server goes away without stopping anything (as after `kill -9`), the instance's QEMU dies too
 * (host trouble), and leftovers appear that the store does not know: a QEMU whose folder is gone
 * and a bare tap. A new server on the same data dir must start the instance again and remove
 * every QEMU process and tap the store does not know.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QemuDriver } from '../../src/compute/qemu/driver.js';
import { buildImage } from '../../src/compute/qemu/image.js';
import { Netns } from '../../src/network/netns.js';
import { startTestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { qemuSkipReason, until, waitStatus } from './fixtures.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('after a crash and restart the instance runs again and no unknown QEMU or tap is left', async (t) => {
  const reason = await qemuSkipReason({ netns: true });
  if (reason) { t.skip(reason); return; }
  await buildImage();
  const nsName = `oe-rst-${process.pid}`;
  const prevNs = process.env.OPENECS_NETNS;
  process.env.OPENECS_NETNS = nsName;
  const dataDir = await mkdtemp(join(tmpdir(), 'openecs-qemu-restart-'));
  let s = await startTestServer({ driver: 'qemu', dataDir });
  let driver = s.app.services.driver as QemuDriver;
  try {
    const n = await createNetwork(s, 'cn-hangzhou', '10.20.0.0/16');
    const ran = await s.ecs.runInstances(runRequest(n, { instanceName: 'survivor' }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await until(s, 'first boot', () => driver.ready(id));
    const ip = (await driver.record(id))!.privateIp!;

    // Leftovers the store does not know: a QEMU (its folder removed afterwards) and a bare tap.
    const stray = new QemuDriver({ dataDir, env: { ...process.env, OPENECS_NETNS: nsName } });
    const orphanSpec = {
      instanceId: 'i-orphan1', hostName: 'orphan', cpu: 1, memoryMiB: 256, imageId: 'x', osType: 'linux', vpcId: n.vpcId, vswitchId: n.vswitchId,
      vswitchCidr: '10.20.0.0/20', privateIp: '10.20.0.99', userData: '', keyPairName: '',
      disks: [{ diskId: 'd-orphan1', type: 'system' as const, sizeGiB: 20, device: '/dev/xvda', imageId: 'x', snapshotId: '' }],
    };
    await stray.start(orphanSpec);
    await rm(stray.dir('i-orphan1'), { recursive: true, force: true });
    await stray.netns.ensureTap('i-orphan2', n.vpcId);
    assert.deepEqual([...(await driver.qemuProcesses()).keys()].sort(), [id, 'i-orphan1'].sort());
    assert.deepEqual([...(await driver.netns.taps()).keys()].sort(), [id, 'i-orphan1', 'i-orphan2'].sort());

    // The crash: the server goes without stopping guests; the instance's QEMU dies too.
    await s.close();
    process.kill((await driver.pid(id))!, 'SIGKILL');
    await sleep(300);
    assert.equal(await driver.powerState(id), 'stopped');

    const t0 = Date.now();
    s = await startTestServer({ driver: 'qemu', dataDir });
    driver = s.app.services.driver as QemuDriver;
    // Converge ran in listen(): the unknown QEMU and taps are gone at once.
    assert.deepEqual([...(await driver.qemuProcesses()).keys()].filter((k) => k !== id), []);
    assert.deepEqual([...(await driver.netns.taps()).keys()].filter((k) => k !== id), []);
    // The engine records Running once it has seen the guest's READY marker (the manual clock moves
    // it), so wait for the API's status and check the guest had booted by then.
    await waitStatus(s, 'cn-hangzhou', id, 'Running');
    t.diagnostic(`restart → instance Running again: ${Date.now() - t0} ms`);
    assert.equal(await driver.ready(id), true, 'Running only once the guest has booted');
    assert.deepEqual([...(await driver.qemuProcesses()).keys()], [id]);
    assert.deepEqual([...(await driver.netns.taps()).keys()], [id]);
    assert.equal((await driver.record(id))!.privateIp, ip, 'same address after restart');
    assert.deepEqual(await driver.list(), [id]);
  } finally {
    for (const i of await driver.list().catch(() => [])) await driver.destroy(i).catch(() => {});
    await s.close().catch(() => {});
    if (prevNs === undefined) delete process.env.OPENECS_NETNS; else process.env.OPENECS_NETNS = prevNs;
    await new Netns(nsName, 'test').destroy();
    await rm(driver.runtimeDir(), { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
  }
});
