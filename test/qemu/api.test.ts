/**
 * Real machines through the official SDK: a server with the qemu driver and the netns network,
 * a VPC/VSwitch/security group made through the API, RunInstances with user data and a key pair,
 * then: the instance reaches Running only once booted; its user-data marker is read back over
 * the instance network; SSH logs in with the key pair's private key; the guest reads its own
 * metadata at 100.100.100.200 (and only with a token once HttpTokens=required); a security group rule change opens and closes TCP port 80 within
 * a second; outbound TCP 25 stays blocked under an allow-all egress rule; stop/start keeps disk bytes; release removes the guest and its tap.
 * Skips (with the reason) without QEMU, the image's Debian inputs, root/netns/nftables or ssh.
 */
import { test } from 'node:test';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { run, which } from '../../src/host/exec.js';
import { expectEcsError, $Ecs, type TestServer } from '../helpers/server.js';
import { openVnc, vncLogin } from './vnc-client.js';
import { isoSecond } from '../../src/domain/time.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { createKeyFile, guestSsh, qemuSkipReason, startQemuServer, waitStatus } from './fixtures.js';
import { bridgeName } from '../../src/network/netns.js';

const R = 'cn-hangzhou';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function statusOf(s: TestServer, id: string) {
  const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }));
  return r.body!.instances!.instance![0];
}

test('qemu through the API: boot, user data, SSH with the key pair, metadata, security group on the wire, VNC, monitoring, stop/start, release', async (t) => {
  const reason = await qemuSkipReason({ netns: true, ssh: true });
  if (reason) { t.skip(reason); return; }
  const { s, driver, ns, nsName, dataDir, close } = await startQemuServer('api');
  const inNs = (cmd: string, args: string[], timeoutMs = 15_000) => run('ip', ['netns', 'exec', nsName, cmd, ...args], { timeoutMs });
  const curl = async (url: string, timeoutS = 2) => {
    const r = await inNs('curl', ['-s', '-m', String(timeoutS), '-o', '-', '-w', '\n%{http_code}', url]).catch(() => ({ stdout: '\n000' }));
    const i = r.stdout.lastIndexOf('\n');
    return { body: r.stdout.slice(0, i).trim(), code: r.stdout.slice(i + 1).slice(0, 3) };
  };
  try {
    assert.equal(driver.name, 'qemu');
    assert.equal(await driver.network(), 'netns');
    const n = await createNetwork(s, R, '192.168.0.0/16');
    const keyFile = await createKeyFile(s, R, dataDir, 'qemu-test-key');
    const token = `marker-${Date.now()}`;
    const userData = `#!/bin/sh\necho ${token} > /var/www/marker.txt\nmkdir -p /root/data && echo persisted > /root/data/p.txt\n`;
    const t0 = Date.now();
    const ran = await s.ecs.runInstances(runRequest(n, {
      userData: Buffer.from(userData).toString('base64'), keyPairName: 'qemu-test-key', instanceName: 'qemu-api', hostName: 'qemu-api-host',
    }));
    const id = ran.body!.instanceIdSets!.instanceIdSet![0]!;
    await waitStatus(s, R, id, 'Running');
    const bootMs = Date.now() - t0;
    t.diagnostic(`RunInstances → Running (guest READY) through the API: ${bootMs} ms`);
    assert.equal(await driver.ready(id), true, 'Running means the guest has booted');
    const ip = (await statusOf(s, id))!.vpcAttributes!.privateIpAddress!.ipAddress![0]!;
    assert.match(ip, /^192\.168\./);
    const rec = (await driver.record(id))!;
    t.diagnostic(`of which RunInstances → QEMU started: ${rec.startedAt - t0} ms; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}`);
    assert.equal(rec.network, 'netns');
    assert.equal(rec.privateIp, ip);
    const console1 = await driver.consoleOutput(id);
    assert.match(console1, new RegExp(`openecs: metadata from 100\\.100\\.100\\.200 \\(${id}\\)`), 'the guest configured itself from the metadata service');

    // The new group has no rule: inbound is denied on the wire.
    await s.settle();
    assert.equal((await curl(`http://${ip}/marker.txt`)).code, '000', 'port 80 closed without a rule');

    // Open 22 and 80 through the API; the enforcer applies it within a second.
    const perm = { regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', sourceCidrIp: '0.0.0.0/0', policy: 'accept', priority: '1' };
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ ...perm, portRange: '22/22' }));
    const opened = Date.now();
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ ...perm, portRange: '80/80' }));
    // The engine ticks at least every 500 ms when it runs by itself; here each settle() is a tick.
    let got = { body: '', code: '000' };
    while (got.code !== '200' && Date.now() - opened < 5000) { await s.settle(); got = await curl(`http://${ip}/marker.txt`, 0.3); }
    const openMs = Date.now() - opened;
    t.diagnostic(`AuthorizeSecurityGroup tcp 80 → port open: ${openMs} ms`);
    assert.deepEqual(got, { body: token, code: '200' }, 'the user-data marker is served over the instance network');
    assert.ok(openMs < 1000, `rule took ${openMs} ms to apply`);

    // A higher-priority drop closes it again (drop beats accept).
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ ...perm, portRange: '80/80', policy: 'drop', priority: '1' }));
    const closing = Date.now();
    do await s.settle(); while ((await curl(`http://${ip}/`, 0.3)).code === '200' && Date.now() - closing < 5000);
    const closeMs = Date.now() - closing;
    t.diagnostic(`AuthorizeSecurityGroup drop tcp 80 → port closed: ${closeMs} ms`);
    assert.equal((await curl(`http://${ip}/`)).code, '000');
    assert.ok(closeMs < 1000, `rule took ${closeMs} ms to apply`);

    // A prefix-list rule follows an edit of the list: port 80 opened only through a list holding the
    // VPC's block (the namespace's address on the bridge is in it), closed when ModifyPrefixList removes it.
    await s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ ...perm, portRange: '80/80', policy: 'drop', priority: '1' }));
    await s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ ...perm, portRange: '80/80' }));
    const prefixListId = (await s.ecs.createPrefixList(new $Ecs.CreatePrefixListRequest({
      regionId: R, addressFamily: 'IPv4', maxEntries: 10, prefixListName: 'qemu-api-peers',
      entry: ['192.168.0.0/16', '10.99.0.0/24'].map((cidr) => new $Ecs.CreatePrefixListRequestEntry({ cidr })),
    }))).body!.prefixListId!;
    const { sourceCidrIp: _everyone, ...fromList } = perm;
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ ...fromList, sourcePrefixListId: prefixListId, portRange: '80/80' }));
    const listOpened = Date.now();
    do await s.settle(); while ((await curl(`http://${ip}/`, 0.3)).code !== '200' && Date.now() - listOpened < 5000);
    t.diagnostic(`AuthorizeSecurityGroup SourcePrefixListId tcp 80 → port open: ${Date.now() - listOpened} ms`);
    assert.equal((await curl(`http://${ip}/`)).code, '200', 'the prefix list lets the namespace in');
    await s.ecs.modifyPrefixList(new $Ecs.ModifyPrefixListRequest({
      regionId: R, prefixListId, removeEntry: [new $Ecs.ModifyPrefixListRequestRemoveEntry({ cidr: '192.168.0.0/16' })],
    }));
    const listEdited = Date.now();
    do await s.settle(); while ((await curl(`http://${ip}/`, 0.3)).code === '200' && Date.now() - listEdited < 5000);
    t.diagnostic(`ModifyPrefixList (entry removed) → port closed: ${Date.now() - listEdited} ms`);
    assert.equal((await curl(`http://${ip}/`)).code, '000', 'the edited list no longer lets the namespace in');

    // SSH with the key pair's private key; the guest reads its own metadata.
    const ssh = guestSsh(nsName, keyFile, ip);
    assert.equal(await ssh('hostname'), 'qemu-api-host');
    assert.equal(await ssh('cat /var/www/marker.txt'), token);
    assert.equal(await ssh('wget -qO- http://100.100.100.200/latest/meta-data/instance-id'), id);
    assert.equal(await ssh('wget -qO- http://100.100.100.200/latest/meta-data/private-ipv4'), ip);
    assert.equal(await ssh('wget -qO- http://100.100.100.200/latest/meta-data/vpc-id'), n.vpcId);
    assert.match(await ssh('wget -qO- http://100.100.100.200/latest/meta-data/public-keys/0/openssh-key'), /^ssh-rsa /);
    assert.equal(await ssh('wget -qO- http://100.100.100.200/latest/user-data'), userData.trim());
    const doc = JSON.parse(await ssh('wget -qO- http://100.100.100.200/latest/dynamic/instance-identity/document'));
    assert.equal(doc['instance-id'], id);
    assert.equal(doc['region-id'], R);
    // The dmi fields stock cloud-init checks before it reads the metadata service.
    assert.equal(await ssh('cat /sys/class/dmi/id/product_name'), 'Alibaba Cloud ECS');

    // Outbound TCP 25 stays closed from a real guest under an allow-all egress rule (001 L726,
    // 002 L3203), while port 80 to the same "internet" address is open. The address is a
    // documentation one (RFC 5737) that exists only on the VPC's bridge inside the server's namespace.
    const internet = '198.51.100.25';
    await inNs('ip', ['addr', 'add', `${internet}/32`, 'dev', bridgeName(n.vpcId)]);
    const www = join(dataDir, 'internet-www');
    await mkdir(www);
    await writeFile(join(www, 'index.html'), 'internet\n');
    for (const port of ['25', '80']) await inNs('busybox', ['httpd', '-p', `${internet}:${port}`, '-h', www]);
    await s.ecs.authorizeSecurityGroupEgress(new $Ecs.AuthorizeSecurityGroupEgressRequest({
      regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'all', portRange: '-1/-1', destCidrIp: '0.0.0.0/0', policy: 'accept', priority: '1',
    }));
    await s.settle();
    // (busybox's `wget -T` crashes: the guest's `timeout` bounds the blocked connect instead)
    const fetchFromGuest = (port: number) => ssh(`timeout 3 wget -qO- http://${internet}:${port}/ 2>&1; echo "exit $?"`);
    assert.equal(await fetchFromGuest(80), 'internet\nexit 0', 'guest → internet:80 under the allow-all egress rule');
    assert.equal((await curl(`http://${internet}:25/`)).code, '200', 'the port-25 server answers inside the namespace (so the block below is the rules\')');
    const blocked = await fetchFromGuest(25);
    assert.doesNotMatch(blocked, /internet|exit 0$/, 'guest → internet:25: blocked whatever the rules say');
    const describedMac = (await statusOf(s, id))!.networkInterfaces!.networkInterface![0]!.macAddress;
    assert.equal(await ssh('cat /sys/class/net/eth0/address'), describedMac, 'the guest NIC has the MAC DescribeInstances shows');

    // Security hardening mode from inside the guest: with HttpTokens=required only a token works.
    const md = 'http://100.100.100.200/latest/meta-data/instance-id';
    await s.ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId: R, instanceId: id, httpEndpoint: 'enabled', httpTokens: 'required' }));
    await s.settle(); // the engine pushes the options to the guest
    assert.match(await ssh(`wget -qO- ${md} 2>&1; echo "exit $?"`), /403|exit 1/, 'no token: refused');
    // busybox wget cannot PUT: the token request goes through nc.
    // (the sleep keeps nc reading until the answer is in: busybox nc stops at the end of its input)
    const tokenReply = await ssh(`(printf 'PUT /latest/api/token HTTP/1.0\\r\\nX-aliyun-ecs-metadata-token-ttl-seconds: 60\\r\\n\\r\\n'; sleep 1) | nc 100.100.100.200 80`);
    const mdToken = tokenReply.split(/\r?\n/).at(-1)!.trim();
    assert.match(tokenReply, /^HTTP\/1\.[01] 200/);
    assert.equal(await ssh(`wget -qO- --header 'X-aliyun-ecs-metadata-token: ${mdToken}' ${md}`), id, 'with the token: answered');
    assert.match(await ssh(`wget -qO- --header 'X-aliyun-ecs-metadata-token: forged' ${md} 2>&1; echo "exit $?"`), /401|exit 1/);
    await s.ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId: R, instanceId: id, httpEndpoint: 'enabled', httpTokens: 'optional' }));
    await s.settle();
    assert.equal(await ssh(`wget -qO- ${md}`), id, 'tokens optional again');

    // Instance tags in metadata (InstanceMetadataTags): served once enabled, following tag changes.
    const tagsUrl = 'http://100.100.100.200/latest/meta-data/tags/instance';
    await s.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: R, resourceType: 'instance', resourceId: [id], tag: [new $Ecs.TagResourcesRequestTag({ key: 'team', value: 'storage' })] }));
    await s.settle();
    assert.match(await ssh(`wget -qO- ${tagsUrl}/team 2>&1; echo "exit $?"`), /404|exit 1/, 'not served while disabled');
    await s.ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId: R, instanceId: id, httpEndpoint: 'enabled', instanceMetadataTags: 'enabled' }));
    await s.settle();
    assert.equal(await ssh(`wget -qO- ${tagsUrl}/team`), 'storage');
    await s.ecs.tagResources(new $Ecs.TagResourcesRequest({ regionId: R, resourceType: 'instance', resourceId: [id], tag: [new $Ecs.TagResourcesRequestTag({ key: 'env', value: 'prod' })] }));
    await s.settle();
    assert.equal(await ssh(`wget -qO- ${tagsUrl}/`), 'env\nteam');
    await s.ecs.untagResources(new $Ecs.UntagResourcesRequest({ regionId: R, resourceType: 'instance', resourceId: [id], tagKey: ['team'] }));
    await s.settle();
    assert.equal(await ssh(`wget -qO- ${tagsUrl}/`), 'env');

    // The management terminal: a one-time WebSocket URL to QEMU's VNC; the password works at once.
    const vncReq = (vncPassword: string) => new $Ecs.ModifyInstanceVncPasswdRequest({ regionId: R, instanceId: id, vncPassword });
    assert.equal((await expectEcsError(() => s.ecs.modifyInstanceVncPasswd(vncReq('abc123')))).code, 'IncorrectVncPassword.Malformed');
    await s.ecs.modifyInstanceVncPasswd(vncReq('Ab12cd'));
    await s.settle();
    const vncUrl = async () => (await s.ecs.describeInstanceVncUrl(new $Ecs.DescribeInstanceVncUrlRequest({ regionId: R, instanceId: id }))).body!.vncUrl!;
    const url1 = await vncUrl();
    assert.match(url1, /^ws:\/\/127\.0\.0\.1:\d+\/webSocket\/\?s=/);
    const login = await vncLogin(url1, 'Ab12cd');
    assert.deepEqual(login, { version: 'RFB 003.008\n', types: [2], result: 0 }, 'VNC authentication with the new password');
    assert.equal((await openVnc(url1)).status, 403, 'a VNC URL is good for one connection');
    assert.equal((await vncLogin(await vncUrl(), 'Zz99zz')).result, 1, 'a wrong password is refused');

    // Monitoring from real counters: the boot's baseline sample and one taken now.
    await driver.sample(id);
    const since = isoSecond(Math.floor(rec.startedAt / 60_000) * 60_000);
    const until = isoSecond(Date.now() + 60_000);
    const mon = await s.ecs.describeInstanceMonitorData(new $Ecs.DescribeInstanceMonitorDataRequest({ instanceId: id, startTime: since, endTime: until, period: 60 }));
    const withData = mon.body!.monitorData!.instanceMonitorData!.filter((p) => p.CPU !== undefined);
    assert.ok(withData.length >= 1, 'at least one period has data');
    const m = withData.at(-1)!;
    t.diagnostic(`monitor point: ${JSON.stringify(m)}`);
    assert.ok(m.CPU! > 0 && m.CPU! <= 100, 'QEMU used CPU');
    assert.ok(m.intranetRX! > 0 && m.intranetTX! > 0, 'the guest exchanged packets (HTTP, SSH)');
    assert.ok(m.IOPSRead! > 0 || m.IOPSWrite! > 0, 'the guest used its disk');
    const sysDisk = rec.disks[0]!.diskId;
    const dmon = await s.ecs.describeDiskMonitorData(new $Ecs.DescribeDiskMonitorDataRequest({ diskId: sysDisk, startTime: since, endTime: until, period: 60 }));
    const dm = dmon.body!.monitorData!.diskMonitorData!.filter((p) => p.IOPSTotal !== undefined).at(-1)!;
    assert.ok(dm && dm.IOPSTotal! > 0 && dm.BPSTotal! > 0, 'the system disk shows I/O');

    // Stop / start: disk bytes survive, the guest comes back on the same address.
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    const stopMs = await waitStatus(s, R, id, 'Stopped', 60_000);
    t.diagnostic(`StopInstance → Stopped: ${stopMs} ms`);
    assert.equal(await driver.powerState(id), 'stopped');
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    const startMs = await waitStatus(s, R, id, 'Running');
    t.diagnostic(`StartInstance → Running: ${startMs} ms`);
    assert.equal(await ssh('cat /root/data/p.txt'), 'persisted');
    assert.doesNotMatch(await driver.consoleOutput(id), /user-data exit/, 'user data runs once per instance');

    // Release: the guest, its tap and its metadata document go.
    const tap = rec.tap!;
    assert.ok((await ns.links()).some((l) => l.ifname === tap));
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    const t1 = Date.now();
    while ((await driver.powerState(id)) !== 'absent' && Date.now() - t1 < 30_000) { await s.advance(250); await sleep(100); }
    assert.equal(await driver.powerState(id), 'absent');
    assert.equal((await ns.links()).some((l) => l.ifname === tap), false, 'the tap is removed');
    assert.deepEqual(await driver.list(), []);
  } finally {
    await close();
  }
});
