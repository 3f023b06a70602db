/**
 * A spot interruption seen from inside a real guest: a SpotAsPriceGo instance with
 * SpotInterruptionBehavior=Stop on the qemu driver and the netns network; the guest reads
 * http://100.100.100.200/latest/meta-data/instance/spot/termination-time (404: no notice), the
 * InterruptSpotInstance drill gives the notice, the guest then reads the termination time (now +
 * 5 minutes), and when the clock reaches it the instance is stopped. Skips (with the reason)
 * without QEMU, root/netns or ssh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import PopCore from '@alicloud/pop-core';
import { $Ecs, AK, SECRET } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { createKeyFile, qemuSkipReason, sshIntoInstance, startQemuServer, until, waitStatus } from './fixtures.js';

const R = 'cn-hangzhou';
const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
const URL_PATH = 'http://100.100.100.200/latest/meta-data/instance/spot/termination-time';

test('qemu: a spot interruption shows its notice in the guest before the guest is stopped', async (t) => {
  const reason = await qemuSkipReason({ netns: true, ssh: true });
  if (reason) { t.skip(reason); return; }
  const { s, dataDir, nsName, close } = await startQemuServer('spot');
  try {
    const n = await createNetwork(s, R, '192.168.0.0/16');
    const keyFile = await createKeyFile(s, R, dataDir, 'spot-key');
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0', policy: 'accept', priority: '1',
    }));
    const ran = await s.ecs.runInstances(runRequest(n, {
      keyPairName: 'spot-key', instanceName: 'qemu-spot', spotStrategy: 'SpotAsPriceGo', spotDuration: 0, spotInterruptionBehavior: 'Stop',
    }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await waitStatus(s, R, id, 'Running');
    const { ssh } = await sshIntoInstance(s, R, nsName, keyFile, id);

    // busybox wget: the body on success, "server returned error: HTTP/1.1 404 …" otherwise.
    const read = () => ssh(`wget -qO- ${URL_PATH} 2>&1; echo " exit=$?"`);
    assert.match(await read(), /404/, 'no notice yet');

    const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    const r: any = await ext.request('InterruptSpotInstance', { RegionId: R, InstanceId: id }, { method: 'POST' });
    assert.match(r.TerminationTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(Date.parse(r.TerminationTime) - s.clock.now() <= 5 * 60_000 && Date.parse(r.TerminationTime) - s.clock.now() > 4 * 60_000, true);
    // The engine pushes the notice to the guest's metadata service (instance operation → driver).
    let seen = '';
    await until(s, 'the guest to read the termination time', async () => (seen = await read()).startsWith(r.TerminationTime), 60_000);
    t.diagnostic(`inside the guest: ${seen}`);
    assert.equal((await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0]!.status, 'Running', 'running while noticed');

    // Five minutes on the clock: stopped (SpotInterruptionBehavior=Stop), without charging.
    await s.advance(5 * 60_000);
    await waitStatus(s, R, id, 'Stopped');
    const stopped = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0]!;
    assert.deepEqual([stopped.stoppedMode, stopped.operationLocks!.lockReason], ['StopCharging', []]);
  } finally {
    await close();
  }
});
