/**
 * IPv6 on a real guest, through the official SDKs: in a VPC and VSwitch with IPv6, an instance
 * launched with Ipv6AddressCount gets its address on eth0 (its NIC watcher reads the metadata
 * service's `ipv6s`) and a default route via the VSwitch's gateway, which the namespace's VPC
 * bridge carries. A port answers over IPv6 from the instance namespace only once
 * AuthorizeSecurityGroup opens it with Ipv6SourceCidrIp (the IPv6 rule leaves IPv4 closed), and
 * stops after RevokeSecurityGroup. AssignIpv6Addresses / UnassignIpv6Addresses add and remove an
 * address in the running guest; the guest cannot send from an address that is not its own.
 * Times from each API call to the change on the wire are reported. Skips without QEMU, netns or ssh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../src/host/exec.js';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { createKeyFile, qemuSkipReason, sshIntoInstance, startQemuServer, until, waitStatus } from './fixtures.js';

const R = 'cn-hangzhou';

async function primaryEni(s: TestServer, instanceId: string) {
  const r = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, instanceId, type: 'Primary' }));
  const n = r.body!.networkInterfaceSets!.networkInterfaceSet![0]!;
  return { id: n.networkInterfaceId!, ipv6: (n.ipv6Sets?.ipv6Set ?? []).map((a) => a.ipv6Address!) };
}

test('qemu IPv6: the guest gets its addresses, an Ipv6SourceCidrIp rule opens and closes a port, Assign/Unassign follow in the running guest', async (t) => {
  const reason = await qemuSkipReason({ netns: true, ssh: true });
  if (reason) { t.skip(reason); return; }
  const { s, driver, nsName, dataDir, close } = await startQemuServer('ipv6');
  try {
    const n = await createNetwork(s, R, '192.168.0.0/16');
    await s.vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: R, vpcId: n.vpcId, enableIPv6: true }));
    await s.vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: R, vSwitchId: n.vswitchId, enableIPv6: true }));
    const vsw = await s.vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: R, vSwitchId: n.vswitchId }));
    const block = vsw.body!.ipv6CidrBlock!;
    assert.match(block, /^[0-9a-f:]+::\/64$/, 'the VSwitch has an IPv6 /64');
    const gateway = block.split('/')[0]!;

    const keyFile = await createKeyFile(s, R, dataDir, 'v6-key');
    const ran = await s.ecs.runInstances(runRequest(n, { keyPairName: 'v6-key', ipv6AddressCount: 1 }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await waitStatus(s, R, id, 'Running');
    const tRunning = Date.now();
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0',
    }));
    const eni = await primaryEni(s, id);
    assert.equal(eni.ipv6.length, 1, 'Ipv6AddressCount 1: one address on the primary ENI');
    const addr = eni.ipv6[0]!;
    const { ip, ssh } = await sshIntoInstance(s, R, nsName, keyFile, id);
    const v6Of = () => ssh('ip -6 addr show dev eth0 scope global').catch(() => '');

    // The guest configures its address from the metadata service, and routes via the gateway.
    await until(s, 'the guest to configure its IPv6 address', async () => (await v6Of()).includes(`inet6 ${addr}/64`), 60_000);
    t.diagnostic(`Running → ${addr}/64 on eth0: ${Date.now() - tRunning} ms`);
    assert.match(await ssh('ip -6 route show default'), new RegExp(`default via ${gateway} dev eth0`));
    assert.match(await ssh(`ping6 -c 1 -W 3 ${gateway}`), /1 packets received/, 'the gateway on the VPC bridge answers');

    // A dropped SYN costs the probe its 0.5 s connect timeout: the measured times are that fine.
    const http6 = async (target: string) => (await run('ip', ['netns', 'exec', nsName, 'curl', '-s', '-g', '-o', '/dev/null', '--connect-timeout', '0.5', '-m', '3', '-w', '%{http_code}', `http://${target}/`], { timeoutMs: 5000 })
      .then((r) => r.stdout, (e) => String((e as { stdout?: string }).stdout ?? '000'))).trim();
    assert.equal(await http6(`[${addr}]`), '000', 'port 80 closed over IPv6 before any rule');

    // AuthorizeSecurityGroup Ipv6SourceCidrIp: port 80 answers over IPv6 (the namespace's source is the gateway, in the block).
    const rule = { regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '80/80', ipv6SourceCidrIp: block };
    let t0 = Date.now();
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest(rule));
    await until(s, 'port 80 to answer over IPv6', async () => (await http6(`[${addr}]`)) === '200', 30_000);
    t.diagnostic(`AuthorizeSecurityGroup Ipv6SourceCidrIp → ruleset applied ${driver.lastAppliedAt - t0} ms (nft -f ${driver.lastApplyMs} ms), port 80 answers over IPv6: ${Date.now() - t0} ms`);
    assert.equal(await http6(ip), '000', 'an IPv6 rule does not open IPv4');

    t0 = Date.now();
    await s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest(rule));
    await until(s, 'port 80 to close over IPv6', async () => (await http6(`[${addr}]`)) === '000', 30_000);
    t.diagnostic(`RevokeSecurityGroup → ruleset applied ${driver.lastAppliedAt - t0} ms, port 80 closed over IPv6: ${Date.now() - t0} ms`);

    // Anti-spoofing: a source address that is not the NIC's is dropped at its tap; its own passes.
    const other = block.replace('::/64', '::ab');
    await ssh(`ip -6 addr add ${other}/64 dev eth0`);
    assert.match(await ssh(`ping6 -c 1 -W 2 -I ${other} ${gateway} || true`), /0 packets received/, 'a borrowed source address does not get out');
    assert.match(await ssh(`ping6 -c 1 -W 2 -I ${addr} ${gateway}`), /1 packets received/);
    await ssh(`ip -6 addr del ${other}/64 dev eth0`);

    // AssignIpv6Addresses: a second address in the running guest, then UnassignIpv6Addresses takes it away.
    t0 = Date.now();
    await s.ecs.assignIpv6Addresses(new $Ecs.AssignIpv6AddressesRequest({ regionId: R, networkInterfaceId: eni.id, ipv6AddressCount: 1 }));
    const second = (await primaryEni(s, id)).ipv6.find((a) => a !== addr)!;
    assert.ok(second, 'AssignIpv6Addresses added an address');
    await until(s, 'the guest to add the assigned address', async () => (await v6Of()).includes(`inet6 ${second}/64`), 30_000);
    t.diagnostic(`AssignIpv6Addresses → ${second} on eth0: ${Date.now() - t0} ms`);
    // The metadata service shows the address at once; the tap's source check admits it once the security-policy operation has run.
    await until(s, 'the new address to be allowed out', async () => /1 packets received/.test(await ssh(`ping6 -c 1 -W 1 -I ${second} ${gateway} || true`)), 30_000);
    t.diagnostic(`AssignIpv6Addresses → ${second} sends through its tap: ${Date.now() - t0} ms`);

    t0 = Date.now();
    await s.ecs.unassignIpv6Addresses(new $Ecs.UnassignIpv6AddressesRequest({ regionId: R, networkInterfaceId: eni.id, ipv6Address: [second] }));
    await until(s, 'the guest to remove the unassigned address', async () => !(await v6Of()).includes(`inet6 ${second}/`), 30_000);
    t.diagnostic(`UnassignIpv6Addresses → ${second} gone from eth0: ${Date.now() - t0} ms`);
    assert.ok((await v6Of()).includes(`inet6 ${addr}/64`), 'the first address stays');
  } finally {
    await close();
  }
});
