/**
 * Elastic IP addresses on a real kernel, without QEMU (src/network/eip-wire.ts): a stand-in guest
 * is a network namespace on a veth pair plugged into the instance namespace's VPC bridge, serving
 * HTTP on ports 80 and 8080; an "internet" client is another namespace on the internet bridge.
 * The guest's security group admits TCP 80 from anywhere, nothing else. Checks: with the EIP
 * associated the client reaches the guest at the EIP on port 80, not on 8080 (the group, after
 * DNAT); the guest reaches the client from the EIP (SNAT); the EIP's bandwidth is the HTB class
 * of its address; unassociated, the EIP answers nothing. Then the wire compiled from a store
 * (the enforcer's gatherEipMappings and gatherPolicy over a test server's database): an instance's
 * NAT public address (RunInstances InternetMaxBandwidthOut) and an EIP on a secondary ENI's
 * address, each reaching its own stand-in guest both ways at its own rate; ReleasePublicIpAddress
 * takes the NAT address off the wire. Skips without root, iproute2, nftables, tc, busybox or curl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, which } from '../../src/host/exec.js';
import { emptyRule, type EvaluatedGroup } from '../../src/domain/security-rules/index.js';
import { renderRuleset } from '../../src/network/nft-compiler.js';
import { Netns, bridgeName, netnsUnavailable } from '../../src/network/netns.js';
import { applyEipWire, internetBridgeName, renderEipNat } from '../../src/network/eip-wire.js';
import { gatherEipMappings, gatherPolicy } from '../../src/network/enforcer.js';
import { $Ecs, startTestServer } from '../helpers/server.js';
import { plugStandIn, removeStandIns } from './fixtures.js';
import * as $Vpc from '@alicloud/vpc20160428';
import { launch, networkOf, R } from '../api/storage-fixtures.js';

test('an EIP on the wire: 1:1 NAT, the security group after DNAT, the bandwidth class, gone after unassociating', async (t) => {
  const why = await netnsUnavailable();
  if (why) { t.skip(`no instance namespace: ${why}`); return; }
  for (const tool of ['busybox', 'curl', 'tc']) if (!(await which(tool))) { t.skip(`${tool} not installed`); return; }
  const tag = process.pid.toString(36);
  const owner = `eipwire${tag}`;
  const ns = new Netns(`oe-eip-${tag}`, owner);
  const guest = { name: `oe-eg-${tag}`, ip: '10.71.0.10', vpc: 'vpc-eipwire' };
  const client = { name: `oe-ec-${tag}`, ip: '203.0.113.10' };
  const eip = '198.18.7.7';
  const www = await mkdtemp(join(tmpdir(), 'openecs-eip-wire-'));
  const inNs = (name: string, cmd: string, args: string[]) => run('ip', ['netns', 'exec', name, cmd, ...args], { timeoutMs: 10_000 });
  const fetch = (from: string, url: string) =>
    run('ip', ['netns', 'exec', from, 'curl', '-s', '-m', '1', '-w', '\n%{http_code}', url], { timeoutMs: 5000 })
      .then((r) => { const lines = r.stdout.trimEnd().split('\n'); return { code: lines.pop()!, body: lines.join('\n').trim() }; }, () => ({ code: '000', body: '' }));
  const open: EvaluatedGroup = { id: 'sg-web', type: 'normal', innerAccessPolicy: 'Accept', rules: [
    { ...emptyRule('ingress'), ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0', priority: 1 },
    { ...emptyRule('egress'), ipProtocol: 'all', portRange: '-1/-1', destCidrIp: '0.0.0.0/0', priority: 1 },
  ] };
  try {
    await writeFile(join(www, 'index.html'), 'guest\n');
    // The client's CGI tells the address a request came from.
    await mkdir(join(www, 'cgi-bin'));
    await writeFile(join(www, 'cgi-bin', 'from'), '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s\\n" "$REMOTE_ADDR"\n');
    await chmod(join(www, 'cgi-bin', 'from'), 0o755);

    await ns.ensureBridge(guest.vpc, ['10.71.0.253/24']);
    const inet = await applyEipWire(ns, owner, [], '203.0.113.1/24');
    assert.equal(inet, internetBridgeName(owner));
    const plug = async (name: string, bridge: string, ip: string, gw: string, i: number) => {
      await run('ip', ['netns', 'add', name]);
      const host = `oev${tag.slice(-6)}${i}`;
      await run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      await run('ip', ['link', 'set', host, 'netns', ns.name]);
      await ns.ip(['link', 'set', host, 'master', bridge, 'up']);
      await run('ip', ['-n', name, 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
      await run('ip', ['-n', name, 'link', 'set', 'eth0', 'up']);
      await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
      await run('ip', ['-n', name, 'route', 'add', 'default', 'via', gw]);
    };
    await plug(guest.name, bridgeName(guest.vpc), guest.ip, '10.71.0.253', 0);
    await plug(client.name, inet, client.ip, '203.0.113.1', 1);
    for (const port of ['80', '8080']) await inNs(guest.name, 'busybox', ['httpd', '-p', port, '-h', www]);
    await inNs(client.name, 'busybox', ['httpd', '-p', '80', '-h', www]);

    const policy = (internet?: string) => renderRuleset({
      table: `openecs_${owner}`, nics: [{ instanceId: 'i-eipguest', ip: guest.ip, groups: [open] }], members: { 'sg-web': [guest.ip] },
      bridges: [bridgeName(guest.vpc)], internet,
    });
    await ns.applyNft(policy(inet));
    // Not associated: the EIP is nobody's.
    assert.equal((await fetch(client.name, `http://${eip}/`)).code, '000', 'no EIP yet');

    await applyEipWire(ns, owner, [{ eip, privateIp: guest.ip, bandwidth: 7 }]);
    assert.deepEqual(await fetch(client.name, `http://${eip}/`), { code: '200', body: 'guest' }, 'internet → EIP:80 reaches the guest');
    assert.equal((await fetch(client.name, `http://${eip}:8080/`)).code, '000', 'internet → EIP:8080: the group admits only 80');
    // busybox httpd listens on IPv6 and tells an IPv4 peer as [::ffff:a.b.c.d].
    const from = await fetch(guest.name, `http://${client.ip}/cgi-bin/from`);
    assert.deepEqual({ ...from, body: from.body.replace(/^\[::ffff:(.*)\]$/, '$1') }, { code: '200', body: eip }, 'guest → internet leaves from the EIP');
    assert.equal((await fetch(client.name, `http://${guest.ip}/`)).code, '000', 'internet → the private address: not routed');
    // Without the internet exemption the VPC isolation rule would drop the guest's own connections out.
    await ns.applyNft(policy(undefined));
    assert.equal((await fetch(guest.name, `http://${client.ip}/cgi-bin/from`)).code, '000', 'isolation without the exemption (so the check above tests it)');
    await ns.applyNft(policy(inet));

    const classes = (await inNs(ns.name, 'tc', ['class', 'show', 'dev', inet])).stdout.trim().split('\n').filter((l) => l.startsWith('class htb'));
    assert.equal(classes.length, 1, classes.join('\n'));
    assert.match(classes[0]!, /rate 7Mbit ceil 7Mbit/);
    const filters = (await inNs(ns.name, 'tc', ['filter', 'show', 'dev', inet])).stdout;
    assert.match(filters, /match c6120707\/ffffffff at 12/, 'the class takes what leaves from the EIP');

    // Unassociated: the mapping and the address go.
    await applyEipWire(ns, owner, []);
    assert.equal((await fetch(client.name, `http://${eip}/`)).code, '000', 'after unassociating the EIP answers nothing');
    assert.equal((await fetch(guest.name, `http://${client.ip}/cgi-bin/from`)).code, '000', 'nor does the guest reach the internet through it');
    assert.doesNotMatch((await inNs(ns.name, 'tc', ['class', 'show', 'dev', inet])).stdout, /class htb/, 'nor its bandwidth class');
    const addrs = (await ns.ip(['-4', 'addr', 'show', 'dev', inet])).stdout;
    assert.ok(!addrs.includes(eip), addrs);
    assert.ok(renderEipNat({ table: 'x', internet: inet, mappings: [] }).includes('chain prerouting'));
  } finally {
    for (const name of [guest.name, client.name, ns.name]) {
      for (const pid of (await run('ip', ['netns', 'pids', name]).catch(() => ({ stdout: '' }))).stdout.split('\n').map(Number).filter(Boolean)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      if (name !== ns.name) await run('ip', ['netns', 'del', name]).catch(() => {});
    }
    await ns.destroy();
    await rm(www, { recursive: true, force: true });
  }
});

test('an instance\'s NAT public address and an EIP on a secondary ENI, compiled from the store: 1:1 NAT each, own rates, released off the wire', async (t) => {
  const why = await netnsUnavailable();
  if (why) { t.skip(`no instance namespace: ${why}`); return; }
  for (const tool of ['busybox', 'curl', 'tc']) if (!(await which(tool))) { t.skip(`${tool} not installed`); return; }
  const s = await startTestServer();
  const tag = process.pid.toString(36);
  const owner = `natwire${tag}`;
  const ns = new Netns(`oe-nat-${tag}`, owner);
  const vmGuest = `oe-ng-${tag}`;
  const eniGuest = `oe-nn-${tag}`;
  const client = { name: `oe-nc-${tag}`, ip: '203.0.113.10' };
  const www = await mkdtemp(join(tmpdir(), 'openecs-nat-wire-'));
  const inNs = (name: string, cmd: string, args: string[]) => run('ip', ['netns', 'exec', name, cmd, ...args], { timeoutMs: 10_000 });
  const fetch = (from: string, url: string) =>
    run('ip', ['netns', 'exec', from, 'curl', '-s', '-m', '1', '-w', '\n%{http_code}', url], { timeoutMs: 5000 })
      .then((r) => { const lines = r.stdout.trimEnd().split('\n'); return { code: lines.pop()!, body: lines.join('\n').trim() }; }, () => ({ code: '000', body: '' }));
  const fromAddress = async (from: string) => (await fetch(from, `http://${client.ip}/cgi-bin/from`)).body.replace(/^\[::ffff:(.*)\]$/, '$1');
  try {
    // The store: an instance with a NAT public address (4 Mbit/s), a secondary ENI attached to it with an EIP (3 Mbit/s), TCP 80 open.
    const net = await networkOf(s);
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: net.securityGroupId, permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' })],
    }));
    const vm = (await launch(s, { extra: { internetMaxBandwidthOut: 4 } })).instanceId;
    const attr = (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: vm }))).body!;
    const natIp = attr.publicIpAddress!.ipAddress![0]!;
    const vmIp = attr.vpcAttributes!.privateIpAddress!.ipAddress![0]!;
    const eni = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: R, vSwitchId: net.vswitchId, securityGroupId: net.securityGroupId }))).body!;
    await s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, instanceId: vm }));
    await s.advance(1000);
    const eip = (await s.vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: R, bandwidth: '3' }))).body!;
    await s.vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId: R, allocationId: eip.allocationId, instanceId: eni.networkInterfaceId, instanceType: 'NetworkInterface' }));
    await s.advance(1000);
    const db = s.app.services.db;
    const mappings = await gatherEipMappings(db);
    assert.deepEqual(mappings, [
      { eip: natIp, privateIp: vmIp, bandwidth: 4 }, { eip: eip.eipAddress, privateIp: eni.privateIpAddress, bandwidth: 3 },
    ].sort((a, b) => a.eip!.localeCompare(b.eip!)));

    // The stand-ins: a guest on the instance's address, another on the ENI's, a client on the internet bridge.
    await writeFile(join(www, 'index.html'), 'guest\n');
    await mkdir(join(www, 'cgi-bin'));
    await writeFile(join(www, 'cgi-bin', 'from'), '#!/bin/sh\nprintf "Content-Type: text/plain\\r\\n\\r\\n%s\\n" "$REMOTE_ADDR"\n');
    await chmod(join(www, 'cgi-bin', 'from'), 0o755);
    const gateway = '192.168.15.253';
    await ns.ensureBridge(net.vpcId, [`${gateway}/20`]);
    const inet = await applyEipWire(ns, owner, [], '203.0.113.1/24');
    const plug = (name: string, bridge: string, ip: string, prefix: number, gw: string, i: number) =>
      plugStandIn(ns, name, bridge, `onv${tag.slice(-6)}${i}`, ip, prefix, gw);
    await plug(vmGuest, bridgeName(net.vpcId), vmIp, 20, gateway, 0);
    await plug(eniGuest, bridgeName(net.vpcId), eni.privateIpAddress!, 20, gateway, 1);
    await plug(client.name, inet, client.ip, 24, '203.0.113.1', 2);
    await writeFile(join(www, 'vm.html'), 'the instance\n');
    await writeFile(join(www, 'eni.html'), 'the ENI\n');
    for (const g of [vmGuest, eniGuest]) await inNs(g, 'busybox', ['httpd', '-p', '80', '-h', www]);
    await inNs(client.name, 'busybox', ['httpd', '-p', '80', '-h', www]);

    // The policy and the NAT as the enforcer compiles them from the store.
    const p = await gatherPolicy(db);
    await ns.applyNft(renderRuleset({ table: `openecs_${owner}`, nics: p.nics, members: p.members, bridges: [bridgeName(net.vpcId)], internet: inet }));
    await applyEipWire(ns, owner, mappings);
    assert.equal((await fetch(client.name, `http://${natIp}/`)).code, '200', 'internet → the NAT public address reaches the instance');
    assert.equal((await fetch(client.name, `http://${eip.eipAddress}/`)).code, '200', 'internet → the ENI\'s EIP reaches the ENI');
    assert.equal(await fromAddress(vmGuest), natIp, 'the instance leaves from its NAT public address');
    assert.equal(await fromAddress(eniGuest), eip.eipAddress, 'the ENI leaves from its EIP');
    const classes = (await inNs(ns.name, 'tc', ['class', 'show', 'dev', inet])).stdout.split('\n').filter((l) => l.startsWith('class htb')).join('\n');
    assert.match(classes, /rate 4Mbit ceil 4Mbit/);
    assert.match(classes, /rate 3Mbit ceil 3Mbit/);

    // ReleasePublicIpAddress: the NAT address is off the wire; the ENI's EIP stays.
    await s.ecs.releasePublicIpAddress(new $Ecs.ReleasePublicIpAddressRequest({ regionId: R, instanceId: vm, publicIpAddress: natIp }));
    await applyEipWire(ns, owner, await gatherEipMappings(db));
    assert.equal((await fetch(client.name, `http://${natIp}/`)).code, '000', 'the released address answers nothing');
    assert.equal((await fetch(vmGuest, `http://${client.ip}/`)).code, '000', 'nor does the instance reach the internet');
    assert.equal((await fetch(client.name, `http://${eip.eipAddress}/`)).code, '200', 'the ENI\'s EIP still does');
  } finally {
    await removeStandIns(ns, [vmGuest, eniGuest, client.name]);
    await rm(www, { recursive: true, force: true });
    await s.close();
  }
});
