/**
 * One DHCP service and one metadata service per instance namespace, whatever starts them: two
 * servers sharing the namespace at once, a duplicate left by an older version, a restart. And
 * none left once the last server stops with no guest in the namespace. (Seen by users after
 * four qemu runs with restarts: two dnsmasq on one configuration, the pid file following only
 * one, and a metadata helper still running after the last server had stopped.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { QemuHostNetwork } from '../../src/compute/qemu/host-network.js';
import { which } from '../../src/host/exec.js';
import { DhcpService } from '../../src/network/dhcp.js';
import { Netns, netnsUnavailable, OverlappingVpcError } from '../../src/network/netns.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('two servers on one namespace start one dnsmasq and one metadata helper, and the last to stop stops them', async (t) => {
  const why = await netnsUnavailable();
  if (why) { t.skip(why); return; }
  const runDir = await mkdtemp(join(tmpdir(), 'openecs-helpers-'));
  const env = { ...process.env, OPENECS_NETNS: `oe-helpers-${process.pid}`, OPENECS_RUN_DIR: runDir, OPENECS_QEMU_NET: 'netns' };
  const log = () => {};
  // Two data dirs (two servers) sharing one namespace, as the README allows.
  const a = new QemuHostNetwork({ root: join(runDir, 'a', 'qemu'), env, log });
  const b = new QemuHostNetwork({ root: join(runDir, 'b', 'qemu'), env, log });
  try {
    await Promise.all([a.ensureMetadataService(), b.ensureMetadataService(), a.ensureMetadataService(), b.ensureMetadataService()]);
    await sleep(300);
    assert.equal((await a.metadataHelperPids()).length, 1, 'one metadata helper');
    const helper = (await a.metadataHelperPids())[0];
    await b.ensureMetadataService();
    assert.deepEqual(await b.metadataHelperPids(), [helper], 'a running helper is adopted, not replaced');

    if (await which('dnsmasq')) {
      const dir = join(a.runtimeDir(), 'dhcp');
      const d1 = new DhcpService(a.netns, dir, log);
      const d2 = new DhcpService(b.netns, dir, log);
      const host = (i: number, cidr: string) => ({ instanceId: `i-h${i}`, mac: `02:00:00:00:00:0${i}`, ip: cidr.replace('0/24', String(10 + i)), hostname: `h${i}`, cidr });
      await Promise.all([d1.addHost(host(1, '10.41.0.0/24')), d2.addHost(host(2, '10.42.0.0/24')), d1.addHost(host(3, '10.41.0.0/24')), d2.addHost(host(4, '10.43.0.0/24'))]);
      assert.equal((await d1.pids()).length, 1, 'one dnsmasq for concurrent starts from two servers');
      // A duplicate on the same configuration (what an older version could leave): the next start keeps one.
      const conf = join(dir, 'dnsmasq.conf');
      const dup = spawn('ip', ['netns', 'exec', a.netns.name, (await which('dnsmasq'))!, `--conf-file=${conf}`, `--pid-file=${join(dir, 'dup.pid')}`], { stdio: 'ignore' });
      await new Promise((r) => dup.once('exit', r));
      assert.equal((await d1.pids()).length, 2, 'the duplicate runs');
      await d2.addHost(host(5, '10.42.0.0/24'));
      assert.equal((await d1.pids()).length, 1, 'one dnsmasq again');
      assert.deepEqual(await a.dhcpPids(), await d1.pids());
    }

    // The last server stops with no guest in the namespace: nothing of it keeps running.
    await a.stopIdleHelpers();
    assert.deepEqual(await a.metadataHelperPids(), []);
    assert.deepEqual(await a.dhcpPids(), []);
  } finally {
    await a.netns.destroy();
    await rm(runDir, { recursive: true, force: true });
  }
});

test('a VPC whose vSwitch overlaps another VPC with live guests in the namespace is refused; a deleted VPC\'s stale address is removed', async (t) => {
  const why = await netnsUnavailable();
  if (why) { t.skip(why); return; }
  const ns = new Netns(`oe-overlap-${process.pid}`, 'test');
  try {
    const a = await ns.ensureBridge('vpc-a', ['192.168.0.253/24']);
    // A live guest on vpc-a: a port with carrier (a veth whose peer is up stands for a tap QEMU holds).
    await ns.ip(['link', 'add', 'oe-guest', 'type', 'veth', 'peer', 'name', 'oe-guest-p']);
    await ns.ip(['link', 'set', 'oe-guest', 'master', a]);
    for (const l of ['oe-guest', 'oe-guest-p']) await ns.ip(['link', 'set', l, 'up']);
    await assert.rejects(ns.ensureBridge('vpc-b', ['192.168.0.125/25']), OverlappingVpcError);
    assert.ok(!(await ns.links()).some((l) => l.ifalias === 'openecs-vpc:vpc-b'), 'nothing of vpc-b was made');
    await ns.ensureBridge('vpc-b', ['192.168.1.253/24']);
    // vpc-a's guest goes (its VPC deleted): the next VPC with that block takes it over.
    await ns.ip(['link', 'del', 'oe-guest']);
    await ns.ensureBridge('vpc-c', ['192.168.0.253/24']);
    const addrs = Object.fromEntries((await ns.vpcBridges()).map((b) => [b.vpcId, b.addresses]));
    assert.deepEqual(addrs, { 'vpc-a': [], 'vpc-b': ['192.168.1.253/24'], 'vpc-c': ['192.168.0.253/24'] });
  } finally {
    await ns.destroy();
  }
});
