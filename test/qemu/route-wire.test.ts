/**
 * A custom route entry on a real kernel, without QEMU (src/network/route-wire.ts): a test server
 * (simulated driver) holds a VPC with two instances; two network namespaces on veth pairs stand in
 * for the guests at their private addresses, plugged into the instance namespace's VPC bridge.
 * Guest B is a router: it forwards and holds 10.99.0.1/32 on its loopback. The simulated driver is
 * handed what the `security-policy` reconciler gathers and applies it exactly as the qemu driver
 * does (renderRuleset → nft -f; planRouteWire → applyRouteWire), so the API's own durable path
 * puts the route on the wire. Checks: CreateRouteEntry 10.99.0.0/24 → instance B makes guest A
 * reach 10.99.0.1, DeleteRouteEntry makes it unreachable again, and the time from the API call to
 * the route on the wire, and that the router's security group admits what is routed through it
 * (an ingress rule for the source, as for traffic to its own address). Guest B serves HTTP (busybox); A asks with curl. Skips without root,
 * iproute2, nftables, busybox or curl.
 */
import { test } from 'node:test';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { run, which } from '../../src/host/exec.js';
import type { NicSecurityPolicy } from '../../src/compute/driver.js';
import { renderRuleset } from '../../src/network/nft-compiler.js';
import { Netns, bridgeName, netnsUnavailable } from '../../src/network/netns.js';
import { applyRouteWire, planRouteWire, routeTableNumber, type WireEntry } from '../../src/network/route-wire.js';
import { gatherPolicy } from '../../src/network/enforcer.js';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, startTestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';

const R = 'cn-hangzhou';

test('a custom route entry to an instance on the wire: A reaches 10.99.0.1 through router B, not after the delete', async (t) => {
  const why = await netnsUnavailable();
  if (why) { t.skip(`no instance namespace: ${why}`); return; }
  for (const tool of ['busybox', 'curl']) if (!(await which(tool))) { t.skip(`${tool} not installed`); return; }
  const s = await startTestServer();
  const tag = process.pid.toString(36);
  const owner = `rtwire${tag}`;
  const ns = new Netns(`oe-rtw-${tag}`, owner);
  const guests = [`oe-rta-${tag}`, `oe-rtb-${tag}`];
  const gateway = '10.83.0.253';
  const www = await mkdtemp(join(tmpdir(), 'openecs-rtwire-'));
  try {
    const net = await createNetwork(s, R, '10.83.0.0/16');
    const ids = (await s.ecs.runInstances(runRequest(net, { amount: 2 }))).body!.instanceIdSets!.instanceIdSet!;
    await s.advance(60_000); // Running: a next hop must be Running or Stopped
    const nics = (await gatherPolicy(s.app.services.db)).nics;
    const [a, b] = ids.map((id) => nics.find((n) => n.instanceId === id)!.ip);

    await ns.ensureBridge(net.vpcId, [`${gateway}/20`]);
    for (const [i, name] of guests.entries()) {
      await run('ip', ['netns', 'add', name]);
      const host = `ortv${tag.slice(-6)}${i}`;
      await run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', name]);
      await run('ip', ['link', 'set', host, 'netns', ns.name]);
      await ns.ip(['link', 'set', host, 'master', bridgeName(net.vpcId), 'up']);
      await run('ip', ['-n', name, 'addr', 'add', `${i === 0 ? a : b}/20`, 'dev', 'eth0']);
      await run('ip', ['-n', name, 'link', 'set', 'eth0', 'up']);
      await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
      await run('ip', ['-n', name, 'route', 'add', 'default', 'via', gateway]);
    }
    await run('ip', ['-n', guests[1]!, 'addr', 'add', '10.99.0.1/32', 'dev', 'lo']);
    await run('ip', ['netns', 'exec', guests[1]!, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    await writeFile(join(www, 'index.html'), 'router\n');
    await run('ip', ['netns', 'exec', guests[1]!, 'busybox', 'httpd', '-p', '80', '-h', www], { timeoutMs: 10_000 });

    // The qemu driver's two appliers, on this namespace, installed on the simulated driver.
    const driver = s.app.services.driver as {
      applySecurityPolicy?: (nics: NicSecurityPolicy[], members: Record<string, string[]>) => Promise<void>;
      applyRouteWire?: (entries: WireEntry[], vswitches: { vpcId: string; cidr: string }[]) => Promise<void>;
    };
    driver.applySecurityPolicy = (n, members) => ns.applyNft(renderRuleset({ table: `openecs_${owner}`, nics: n, members, bridges: [bridgeName(net.vpcId)] }));
    driver.applyRouteWire = async (entries, vswitches) => {
      const bridges = new Map((await ns.vpcBridges()).map((x) => [x.vpcId, x.ifname]));
      await applyRouteWire(ns, owner, planRouteWire({ entries, vswitches, bridges }));
    };
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ regionId: R, securityGroupId: net.securityGroupId, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '10.83.0.0/16' }));
    await s.settle();

    const reach = (dst: string) => run('ip', ['netns', 'exec', guests[0]!, 'curl', '-s', '-o', '/dev/null', '-m', '1', '-w', '%{http_code}', `http://${dst}/`], { timeoutMs: 5000 })
      .then((r) => r.stdout === '200', () => false);
    assert.equal(await reach(b!), true, 'A reaches B in the VSwitch');
    assert.equal(await reach('10.99.0.1'), false, 'no route to 10.99.0.0/24 yet');

    const tableId = (await s.vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: R, vpcId: net.vpcId }))).body!.routerTableList!.routerTableListType![0]!.routeTableId!;
    const t0 = performance.now();
    const entryId = (await s.vpc.createRouteEntry(new $Vpc.CreateRouteEntryRequest({
      regionId: R, routeTableId: tableId, destinationCidrBlock: '10.99.0.0/24', nextHopType: 'Instance', nextHopId: ids[1],
    }))).body!.routeEntryId!;
    await s.settle();
    const createMs = performance.now() - t0;
    const routes = (await ns.ip(['-4', 'route', 'show', 'table', String(routeTableNumber(net.vpcId))])).stdout;
    assert.match(routes, new RegExp(`10\\.99\\.0\\.0/24 via ${b!.replace(/\./g, '\\.')} dev ${bridgeName(net.vpcId)} onlink`), routes);
    assert.match(routes, /10\.83\.0\.0\/20 dev \S+ scope link/, 'the VPC\'s own block is in its table');
    assert.match((await ns.ip(['-4', 'rule', 'show'])).stdout, new RegExp(`iif ${bridgeName(net.vpcId)} lookup ${routeTableNumber(net.vpcId)}`));
    assert.equal(await reach('10.99.0.1'), true, 'A reaches 10.99.0.1 through B');
    assert.equal(await reach(b!), true, 'A still reaches B directly');

    // The router's group decides what is routed through it: closed to A, then opened to A alone.
    const sg = { regionId: R, securityGroupId: net.securityGroupId };
    await s.ecs.modifySecurityGroupPolicy(new $Ecs.ModifySecurityGroupPolicyRequest({ ...sg, innerAccessPolicy: 'Drop' }));
    await s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest({ ...sg, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '10.83.0.0/16' }));
    await s.settle();
    assert.equal(await reach('10.99.0.1'), false, "the router's group admits nothing from A: nothing is routed through it");
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({ ...sg, ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: `${a}/32` }));
    await s.settle();
    assert.equal(await reach('10.99.0.1'), true, "the router's group admits TCP 80 from A: routed through it again");

    const t1 = performance.now();
    await s.vpc.deleteRouteEntry(new $Vpc.DeleteRouteEntryRequest({ regionId: R, routeEntryId: entryId }));
    await s.settle();
    const deleteMs = performance.now() - t1;
    assert.equal(await reach('10.99.0.1'), false, 'unreachable after DeleteRouteEntry');
    assert.doesNotMatch((await ns.ip(['-4', 'rule', 'show'])).stdout, new RegExp(`lookup ${routeTableNumber(net.vpcId)}`), 'the rule is gone');
    const left = await ns.ip(['-4', 'route', 'show', 'table', String(routeTableNumber(net.vpcId))]).then((r) => r.stdout.trim(), (e) => (/FIB table does not exist/.test(String(e)) ? '' : String(e)));
    assert.equal(left, '', 'the table is emptied');
    t.diagnostic(`API call → route on the wire: create ${createMs.toFixed(0)} ms, delete ${deleteMs.toFixed(0)} ms (call, commit, reconcile, ip)`);
  } finally {
    for (const g of guests) {
      for (const pid of (await run('ip', ['netns', 'pids', g]).catch(() => ({ stdout: '' }))).stdout.split('\n').map(Number).filter((n) => n > 0)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      await run('ip', ['netns', 'del', g]).catch(() => {});
    }
    await rm(www, { recursive: true, force: true });
    await ns.destroy();
    await s.close();
  }
});
