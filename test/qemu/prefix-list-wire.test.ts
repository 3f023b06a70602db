/**
 * A prefix-list rule on a real kernel follows an edit of the list, without QEMU: a test server
 * (simulated driver) holds the group, the list and an instance; a network namespace on a veth pair
 * stands in for the guest at the instance's private address, plugged into the instance
 * namespace's VPC bridge and serving HTTP on port 80. The policy is gathered from the store and
 * compiled exactly as the `security-policy` reconciler does (gatherPolicy → renderRuleset →
 * nft -f); the namespace's own bridge address is the peer the list names or not.
 * Skips without root, iproute2, nftables, busybox or curl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, which } from '../../src/host/exec.js';
import { gatherPolicy } from '../../src/network/enforcer.js';
import { renderRuleset } from '../../src/network/nft-compiler.js';
import { Netns, bridgeName, netnsUnavailable } from '../../src/network/netns.js';
import { $Ecs, startTestServer } from '../helpers/server.js';
import { createNetwork, runRequest } from '../helpers/fixtures.js';

const R = 'cn-hangzhou';

test('a prefix-list rule follows an edit of the list on real nftables (veth stand-in for the guest)', async (t) => {
  const why = await netnsUnavailable();
  if (why) { t.skip(`no instance namespace: ${why}`); return; }
  for (const tool of ['busybox', 'curl']) if (!(await which(tool))) { t.skip(`${tool} not installed`); return; }
  const s = await startTestServer();
  const tag = process.pid.toString(36);
  const ns = new Netns(`oe-plw-${tag}`, 'plwire');
  const guest = `oe-plg-${tag}`;
  const www = await mkdtemp(join(tmpdir(), 'openecs-plwire-'));
  const nsAddress = '10.81.0.253';
  try {
    const net = await createNetwork(s, R, '10.81.0.0/16');
    const sg = net.securityGroupId;
    const pl = (await s.ecs.createPrefixList(new $Ecs.CreatePrefixListRequest({
      regionId: R, addressFamily: 'IPv4', maxEntries: 5, prefixListName: 'admins', entry: [new $Ecs.CreatePrefixListRequestEntry({ cidr: nsAddress })],
    }))).body!.prefixListId!;
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: sg, permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '80/80', sourcePrefixListId: pl })],
    }));
    const instanceId = (await s.ecs.runInstances(runRequest(net))).body!.instanceIdSets!.instanceIdSet![0]!;
    const ip = (await gatherPolicy(s.app.services.db)).nics.find((n) => n.instanceId === instanceId)!.ip;

    await writeFile(join(www, 'index.html'), 'ok\n');
    await ns.ensureBridge(net.vpcId, [`${nsAddress}/20`]);
    await run('ip', ['netns', 'add', guest]);
    const host = `oplv${tag.slice(-6)}`;
    await run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', guest]);
    await run('ip', ['link', 'set', host, 'netns', ns.name]);
    await ns.ip(['link', 'set', host, 'master', bridgeName(net.vpcId), 'up']);
    await run('ip', ['-n', guest, 'addr', 'add', `${ip}/20`, 'dev', 'eth0']);
    await run('ip', ['-n', guest, 'link', 'set', 'eth0', 'up']);
    await run('ip', ['-n', guest, 'link', 'set', 'lo', 'up']);
    await run('ip', ['netns', 'exec', guest, 'busybox', 'httpd', '-p', '80', '-h', www], { timeoutMs: 10_000 });
    const code = () => run('ip', ['netns', 'exec', ns.name, 'curl', '-s', '-o', '/dev/null', '-m', '1', '-w', '%{http_code}', `http://${ip}:80/`], { timeoutMs: 5000 })
      .then((r) => r.stdout, () => '000');
    // What the security-policy reconciler applies (the qemu driver's applySecurityPolicy renders the same input).
    const enforce = async () => {
      const p = await gatherPolicy(s.app.services.db);
      await ns.applyNft(renderRuleset({ table: `openecs_plw_${tag}`, nics: p.nics, members: p.members, bridges: [bridgeName(net.vpcId)] }));
    };
    const edit = (add: string[], remove: string[]) => s.ecs.modifyPrefixList(new $Ecs.ModifyPrefixListRequest({
      regionId: R, prefixListId: pl,
      addEntry: add.map((cidr) => new $Ecs.ModifyPrefixListRequestAddEntry({ cidr })),
      removeEntry: remove.map((cidr) => new $Ecs.ModifyPrefixListRequestRemoveEntry({ cidr })),
    }));

    await enforce();
    assert.equal(await code(), '200', 'the namespace address is in the list: port 80 open');

    // Timed: the API call, then gathering, compiling and applying (the probe's 1 s curl timeout is not counted).
    let t0 = Date.now();
    await edit(['192.0.2.0/24'], [`${nsAddress}/32`]);
    const modified = Date.now() - t0;
    await enforce();
    t.diagnostic(`close: ModifyPrefixList ${modified} ms, gather + compile + nft -f ${Date.now() - t0 - modified} ms`);
    assert.equal(await code(), '000', 'the address left the list: port 80 closed');

    t0 = Date.now();
    await edit(['10.81.0.0/20'], []);
    const reopened = Date.now() - t0;
    await enforce();
    t.diagnostic(`open: ModifyPrefixList ${reopened} ms, gather + compile + nft -f ${Date.now() - t0 - reopened} ms`);
    assert.equal(await code(), '200', 'a block holding the address joined the list: open again');
  } finally {
    for (const name of [guest, ns.name]) {
      for (const pid of (await run('ip', ['netns', 'pids', name]).catch(() => ({ stdout: '' }))).stdout.split('\n').map(Number).filter(Boolean)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
    }
    await run('ip', ['netns', 'del', guest]).catch(() => {});
    await ns.destroy();
    await rm(www, { recursive: true, force: true });
    await s.close();
  }
});
