/**
 * Secondary network interfaces on a real guest, through the official SDK: an ENI attached to a
 * running guest is hot-plugged (a tap of its own in the VPC bridge, a virtio-net NIC with the
 * ENI's MAC on the SHPC bridge) and appears in the guest without a restart, which configures the
 * ENI's address on it by DHCP (its NIC watcher's udhcpc; eth0 keeps the default route) and reads
 * the ENI under its MAC from the metadata service; detached, it leaves the guest, its udhcpc
 * stops and its tap goes; attached while the instance is Stopped, the guest has it, configured,
 * from its next boot. Rules apply per ENI: a port only the ENI's own group opens answers on the ENI's
 * address and not on the primary one, and closes when the ENI's groups change. A secondary private
 * address (AssignPrivateIpAddresses) is added by the guest from the metadata service and answers
 * under the ENI's group; unassigned, it is removed and stops answering. Skips without QEMU, netns or ssh.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../../src/host/exec.js';
import { $Ecs, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { createKeyFile, qemuSkipReason, sshIntoInstance, startQemuServer, until, waitStatus } from './fixtures.js';

const R = 'cn-hangzhou';

async function eniStatus(s: TestServer, id: string) {
  const r = await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [id] }));
  return r.body!.networkInterfaceSets!.networkInterfaceSet![0]!.status!;
}

test('qemu ENI: attach hot-plugs a NIC with the ENI\'s MAC into the running guest, detach removes it, a stopped guest has it from its next boot', async (t) => {
  const reason = await qemuSkipReason({ netns: true, ssh: true });
  if (reason) { t.skip(reason); return; }
  const { s, driver, nsName, dataDir, close } = await startQemuServer('eni');
  try {
    const n = await createNetwork(s, R, '192.168.0.0/16');
    const keyFile = await createKeyFile(s, R, dataDir, 'eni-key');
    const ran = await s.ecs.runInstances(runRequest(n, { keyPairName: 'eni-key' }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await waitStatus(s, R, id, 'Running');
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '0.0.0.0/0',
    }));
    const into = await sshIntoInstance(s, R, nsName, keyFile, id);
    let { ssh } = into;
    const primaryIp = into.ip;
    const macs = async () => (await ssh('cat /sys/class/net/*/address').catch(() => '')).split('\n').map((l) => l.trim()).filter(Boolean);

    // The ENI sits in a group of its own that opens port 80; the instance's group does not.
    const web = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: n.vpcId }))).body!.securityGroupId!;
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: web, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0',
    }));
    const eni = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: R, vSwitchId: n.vswitchId, securityGroupId: web }))).body!;
    const mac = eni.macAddress!;
    assert.ok(!(await macs()).includes(mac));

    const t0 = Date.now();
    await s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, instanceId: id }));
    await until(s, 'InUse', async () => (await eniStatus(s, eni.networkInterfaceId!)) === 'InUse', 60_000);
    const inUseMs = Date.now() - t0;
    await until(s, 'the guest to see the NIC', async () => (await macs()).includes(mac), 60_000);
    t.diagnostic(`AttachNetworkInterface → InUse ${inUseMs} ms, → NIC with ${mac} in the guest: ${Date.now() - t0} ms`);
    // The guest configures the NIC itself: its watcher runs udhcpc on the new ethN, which takes the
    // ENI's address from the namespace's DHCP server and leaves eth0's default route alone.
    const ifname = await ssh(`for i in /sys/class/net/*; do [ "$(cat $i/address)" = ${mac} ] && echo \${i##*/}; done; true`);
    assert.match(ifname, /^eth[1-9]/);
    const addrOf = (dev: string) => ssh(`ip -4 addr show dev ${dev}`).catch(() => '');
    await until(s, 'the guest to configure the ENI\'s address by DHCP', async () => (await addrOf(ifname)).includes(`inet ${eni.privateIpAddress}/`), 60_000);
    t.diagnostic(`→ ${eni.privateIpAddress} on ${ifname} (the guest's DHCP): ${Date.now() - t0} ms`);
    assert.match(await ssh('ip route show default'), /dev eth0/, 'the default route stays on eth0');
    // The metadata service lists the ENI under its MAC, as ECS's does.
    const md = (path: string) => ssh(`timeout 5 wget -q -O - http://100.100.100.200/latest/meta-data/${path}`).catch(() => '');
    assert.match(await md('network/interfaces/macs/'), new RegExp(`${mac}/`));
    assert.equal((await md(`network/interfaces/macs/${mac}/network-interface-id`)).trim(), eni.networkInterfaceId);
    assert.equal((await md(`network/interfaces/macs/${mac}/primary-ip-address`)).trim(), eni.privateIpAddress);

    // Rules apply per ENI: port 80 answers on the ENI's address (its group allows it), not on the
    // primary address (the instance's group does not).
    const http = async (ip: string) => (await run('ip', ['netns', 'exec', nsName, 'curl', '-s', '-o', '/dev/null', '-m', '1', '-w', '%{http_code}', `http://${ip}/`], { timeoutMs: 5000 })
      .then((r) => r.stdout, (e) => String((e as { stdout?: string }).stdout ?? '000'))).trim();
    const t2 = Date.now();
    await until(s, 'port 80 on the ENI\'s address', async () => (await http(eni.privateIpAddress!)) === '200', 30_000);
    t.diagnostic(`port 80 on the ENI's address answers ${Date.now() - t2} ms after the guest configured it`);
    assert.equal(await http(primaryIp), '000', 'the instance\'s own group keeps port 80 closed on the primary address');
    // A secondary private address of the ENI: the guest adds it from the metadata service (its NIC
    // watcher), the ENI's group applies to it on the wire; unassigned, the guest drops it.
    const secondaryIp = '192.168.1.77';
    const t4 = Date.now();
    await s.ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, privateIpAddress: [secondaryIp] }));
    await until(s, 'port 80 on the secondary address', async () => (await http(secondaryIp)) === '200', 30_000);
    t.diagnostic(`AssignPrivateIpAddresses → port 80 answers on ${secondaryIp}: ${Date.now() - t4} ms`);
    assert.match(await addrOf(ifname), new RegExp(`inet ${secondaryIp.replace(/\./g, '\\.')}/32`));
    const t5 = Date.now();
    await s.ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, privateIpAddress: [secondaryIp] }));
    await until(s, 'the secondary address to stop answering', async () => (await http(secondaryIp)) === '000', 30_000);
    t.diagnostic(`UnassignPrivateIpAddresses → ${secondaryIp} silent: ${Date.now() - t5} ms`);
    assert.doesNotMatch(await addrOf(ifname), new RegExp(`inet ${secondaryIp.replace(/\./g, '\\.')}/`));
    // ModifyNetworkInterfaceAttribute SecurityGroupId.N: the ENI leaves the web group, port 80 closes on its address.
    const t3 = Date.now();
    await s.ecs.modifyNetworkInterfaceAttribute(new $Ecs.ModifyNetworkInterfaceAttributeRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, securityGroupId: [n.securityGroupId] }));
    await until(s, 'port 80 to close on the ENI\'s address', async () => (await http(eni.privateIpAddress!)) === '000', 30_000);
    t.diagnostic(`ModifyNetworkInterfaceAttribute (groups) → port 80 closed on the ENI's address: ${Date.now() - t3} ms`);
    assert.equal(await driver.powerState(id), 'running');
    assert.ok((await driver.record(id))!.nics!.includes(eni.networkInterfaceId!));
    const taps = await driver.netns.taps();
    assert.ok(taps.has(eni.networkInterfaceId!), 'the ENI has a tap of its own');

    const t1 = Date.now();
    await s.ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, instanceId: id }));
    await until(s, 'Available', async () => (await eniStatus(s, eni.networkInterfaceId!)) === 'Available', 90_000);
    t.diagnostic(`DetachNetworkInterface → Available: ${Date.now() - t1} ms`);
    assert.ok(!(await macs()).includes(mac), 'the guest no longer has the NIC');
    await until(s, 'the unplugged NIC\'s udhcpc to stop', async () => (await ssh('ls /var/run/openecs-nics').catch(() => 'x')) === '', 10_000);
    assert.ok(!(await driver.netns.taps()).has(eni.networkInterfaceId!), 'its tap is gone');

    // Attached while Stopped: the next boot has it.
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await waitStatus(s, R, id, 'Stopped');
    await s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, instanceId: id }));
    await until(s, 'InUse while Stopped', async () => (await eniStatus(s, eni.networkInterfaceId!)) === 'InUse', 30_000);
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    await waitStatus(s, R, id, 'Running');
    ({ ssh } = await sshIntoInstance(s, R, nsName, keyFile, id));
    await until(s, 'the NIC at boot', async () => (await macs()).includes(mac), 60_000);
    const bootIf = await ssh(`for i in /sys/class/net/*; do [ "$(cat $i/address)" = ${mac} ] && echo \${i##*/}; done; true`);
    await until(s, 'the NIC present at boot to be configured by DHCP', async () => (await addrOf(bootIf)).includes(`inet ${eni.privateIpAddress}/`), 60_000);
    assert.equal(await http(eni.privateIpAddress!), '000', 'the ENI holds only the instance\'s group now: port 80 stays closed');

    // Released with the instance: the ENI is detached (DeleteOnRelease false) and its tap removed.
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    await until(s, 'the instance to be gone', async () => (await driver.powerState(id)) === 'absent', 60_000);
    assert.equal(await eniStatus(s, eni.networkInterfaceId!), 'Available');
    assert.ok(!(await driver.netns.taps()).has(eni.networkInterfaceId!), 'the tap goes with the guest');
  } finally {
    await close();
  }
});
