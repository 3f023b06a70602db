/**
 * An EIP on a real guest, through the official SDKs (test/qemu/eip-wire.test.ts proves the wire
 * with veth stand-ins): a booted QEMU guest's EIP answers from the internet side of the instance
 * namespace (a client namespace plugged into its internet bridge, as what an operator plugs in
 * with OPENECS_INTERNET_GATEWAY) on the port its security group opens, and answers nothing once
 * UnassociateEipAddress has run. The rule is authorized with NicType=internet: on a VPC group the
 * API keeps it as an intranet rule (its metadata: "VPC rules need no NIC type, intranet only"), and
 * it applies to the EIP's traffic after DNAT, as every VPC rule does. Skips without QEMU or netns.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as $Vpc from '@alicloud/vpc20160428';
import { run, which } from '../../src/host/exec.js';
import { internetBridgeName } from '../../src/network/eip-wire.js';
import { $Ecs } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { qemuSkipReason, startQemuServer, until, waitStatus } from './fixtures.js';

const R = 'cn-hangzhou';

test('qemu EIP: associated to a booted guest it answers from the internet on the port the group opens; unassociated it is silent', async (t) => {
  const reason = await qemuSkipReason({ netns: true });
  if (reason) { t.skip(reason); return; }
  if (!(await which('curl'))) { t.skip('curl not installed'); return; }
  const prevGateway = process.env.OPENECS_INTERNET_GATEWAY;
  process.env.OPENECS_INTERNET_GATEWAY = '203.0.113.1/24';
  const { s, driver, nsName, close } = await startQemuServer('eipg');
  const client = `oe-eipc-${process.pid}`;
  try {
    const n = await createNetwork(s, R, '192.168.0.0/16');
    const id = (await s.ecs.runInstances(runRequest(n, {}))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0', nicType: 'internet',
    }));
    const rules = (await s.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId: R, securityGroupId: n.securityGroupId }))).body!;
    assert.deepEqual(rules.permissions!.permission!.filter((p) => p.portRange === '80/80').map((p) => p.nicType), ['intranet'], 'a VPC rule is intranet whatever NicType says');
    await waitStatus(s, R, id, 'Running');
    const privateIp = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) })))
      .body!.instances!.instance![0]!.vpcAttributes!.privateIpAddress!.ipAddress![0]!;
    const http = async (ns: string, url: string) => (await run('ip', ['netns', 'exec', ns, 'curl', '-s', '-o', '/dev/null', '-m', '1', '-w', '%{http_code}', url], { timeoutMs: 5000 })
      .then((r) => r.stdout, (e) => String((e as { stdout?: string }).stdout ?? '000'))).trim();
    await until(s, 'the guest to serve port 80', async () => (await http(nsName, `http://${privateIp}/`)) === '200', 180_000);

    const eip = (await s.vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: R }))).body!;
    // The internet side: a client namespace on the instance namespace's internet bridge.
    const inet = internetBridgeName(driver.netns.owner);
    const veth = `oec${process.pid.toString(36).slice(-6)}`;
    await run('ip', ['netns', 'add', client]);
    await run('ip', ['link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', client]);
    await run('ip', ['link', 'set', veth, 'netns', nsName]);
    await run('ip', ['-n', client, 'addr', 'add', '203.0.113.10/24', 'dev', 'eth0']);
    for (const l of ['eth0', 'lo']) await run('ip', ['-n', client, 'link', 'set', l, 'up']);
    await run('ip', ['-n', client, 'route', 'add', 'default', 'via', '203.0.113.1']);
    const t0 = Date.now();
    await s.vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId: R, allocationId: eip.allocationId, instanceId: id }));
    // The bridge is made by the first EIP put on the wire; the client's end joins it then.
    await until(s, 'the internet bridge', async () => (await run('ip', ['-n', nsName, 'link', 'set', veth, 'master', inet, 'up']).then(() => true, () => false)), 60_000);
    await until(s, 'the EIP to answer on port 80', async () => (await http(client, `http://${eip.eipAddress}/`)) === '200', 60_000);
    t.diagnostic(`AssociateEipAddress → ${eip.eipAddress}:80 answers from the internet: ${Date.now() - t0} ms`);
    // The guest's sshd listens on 22, which the group does not open: the connection is never made.
    // curl ends by its timeout either way (telnet:// waits for input): its connect time tells whether a connection was made.
    const connects = async (port: number) => Number((await run('ip', ['netns', 'exec', client, 'sh', '-c',
      `curl -s -o /dev/null -m 1 -w '%{time_connect}' telnet://${eip.eipAddress}:${port} </dev/null; true`], { timeoutMs: 5000 })).stdout.trim()) > 0;
    assert.ok(await connects(80), 'the check tells a made connection');
    assert.equal(await connects(22), false, 'a port the group does not open stays closed');
    assert.equal(await http(client, `http://${privateIp}/`), '000', 'the private address is not reachable from the internet');

    const t1 = Date.now();
    await s.vpc.unassociateEipAddress(new $Vpc.UnassociateEipAddressRequest({ regionId: R, allocationId: eip.allocationId, instanceId: id }));
    await until(s, 'the EIP to go silent', async () => (await http(client, `http://${eip.eipAddress}/`)) === '000', 60_000);
    t.diagnostic(`UnassociateEipAddress → ${eip.eipAddress} silent: ${Date.now() - t1} ms`);
  } finally {
    await run('ip', ['netns', 'del', client]).catch(() => {});
    await close();
    if (prevGateway === undefined) delete process.env.OPENECS_INTERNET_GATEWAY; else process.env.OPENECS_INTERNET_GATEWAY = prevGateway;
  }
});
