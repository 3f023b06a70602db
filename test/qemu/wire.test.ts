/**
 * Security groups on a real kernel, without QEMU: stand-in guests are network namespaces on veth
 * pairs plugged into the instance namespace's VPC bridges (as taps are), each serving HTTP on
 * port 80 with busybox httpd; the compiled ruleset is applied with nft. Checks: groups as
 * sources between instances of one VPC, default inbound deny, the namespace (host side) as a
 * peer, VPC isolation, drop beating accept, conntrack letting replies back, and outbound TCP 25
 * to an internet address (a documentation address on a bridge inside the instance namespace)
 * dropped under an allow-all egress rule while port 80 to it passes.
 * Skips without root, iproute2, nftables, busybox or curl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, which } from '../../src/host/exec.js';
import { emptyRule, type EvaluatedGroup, type RuleSpec } from '../../src/domain/security-rules/index.js';
import { renderRuleset, type NicPolicy } from '../../src/network/nft-compiler.js';
import { Netns, bridgeName, netnsUnavailable } from '../../src/network/netns.js';

const rule = (direction: 'ingress' | 'egress', x: Partial<RuleSpec>): RuleSpec => ({ ...emptyRule(direction), ...x });

test('compiled security groups on the wire (veth stand-ins for guests)', async (t) => {
  const why = await netnsUnavailable();
  if (why) { t.skip(`no instance namespace: ${why}`); return; }
  for (const tool of ['busybox', 'curl']) if (!(await which(tool))) { t.skip(`${tool} not installed`); return; }
  const tag = process.pid.toString(36);
  const ns = new Netns(`oe-wire-${tag}`, 'wire');
  const guests = [
    { name: `oe-g1-${tag}`, ip: '10.61.0.10', vpc: 'vpc-wire1', id: 'i-g1' },
    { name: `oe-g2-${tag}`, ip: '10.61.0.11', vpc: 'vpc-wire1', id: 'i-g2' },
    { name: `oe-g3-${tag}`, ip: '10.62.0.10', vpc: 'vpc-wire2', id: 'i-g3' },
  ];
  const www = await mkdtemp(join(tmpdir(), 'openecs-wire-'));
  const inG = (g: string, cmd: string, args: string[]) => run('ip', ['netns', 'exec', g, cmd, ...args], { timeoutMs: 10_000 });
  const code = (from: string | undefined, ip: string, port = 80) =>
    run('ip', ['netns', 'exec', from ?? ns.name, 'curl', '-s', '-o', '/dev/null', '-m', '1', '-w', '%{http_code}', `http://${ip}:${port}/`], { timeoutMs: 5000 })
      .then((r) => r.stdout, () => '000');
  try {
    await writeFile(join(www, 'index.html'), 'ok\n');
    await ns.ensureBridge('vpc-wire1', ['10.61.0.253/24']);
    await ns.ensureBridge('vpc-wire2', ['10.62.0.253/24']);
    for (const [i, g] of guests.entries()) {
      await run('ip', ['netns', 'add', g.name]);
      const host = `owv${tag.slice(-6)}${i}`;
      await run('ip', ['link', 'add', host, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', g.name]);
      await run('ip', ['link', 'set', host, 'netns', ns.name]);
      await ns.ip(['link', 'set', host, 'master', bridgeName(g.vpc), 'up']);
      await run('ip', ['-n', g.name, 'addr', 'add', `${g.ip}/24`, 'dev', 'eth0']);
      await run('ip', ['-n', g.name, 'link', 'set', 'eth0', 'up']);
      await run('ip', ['-n', g.name, 'link', 'set', 'lo', 'up']);
      await run('ip', ['-n', g.name, 'route', 'add', 'default', 'via', g.ip.replace(/\.\d+$/, '.253')]);
      await inG(g.name, 'busybox', ['httpd', '-p', '80', '-h', www]);
    }
    // Without a ruleset everything is reachable, including across VPCs (so the checks below test nft).
    assert.equal(await code(guests[0]!.name, guests[2]!.ip), '200');

    const sgA: EvaluatedGroup = { id: 'sg-a', type: 'normal', innerAccessPolicy: 'Drop', rules: [
      rule('ingress', { ipProtocol: 'tcp', portRange: '80/80', sourceGroupId: 'sg-a', priority: 1 }),
    ] };
    const sgOpen: EvaluatedGroup = { id: 'sg-open', type: 'normal', innerAccessPolicy: 'Accept', rules: [
      rule('ingress', { ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0', priority: 1 }),
      rule('egress', { ipProtocol: 'all', portRange: '-1/-1', destCidrIp: '0.0.0.0/0', priority: 1 }),
    ] };
    // An "internet" server: a documentation address (RFC 5737) that exists only inside the instance namespace.
    const internet = '198.51.100.25';
    await ns.ip(['addr', 'add', `${internet}/32`, 'dev', bridgeName('vpc-wire2')]);
    for (const port of ['25', '80']) await run('ip', ['netns', 'exec', ns.name, 'busybox', 'httpd', '-p', `${internet}:${port}`, '-h', www]);
    assert.equal(await code(guests[2]!.name, internet, 25), '200', 'without a ruleset port 25 is reachable (so the check below tests nft)');
    const members = { 'sg-a': [guests[0]!.ip, guests[1]!.ip], 'sg-open': [guests[2]!.ip] };
    const nics = (extra: RuleSpec[] = []): NicPolicy[] => [
      { instanceId: 'i-g1', ip: guests[0]!.ip, groups: [sgA] },
      { instanceId: 'i-g2', ip: guests[1]!.ip, groups: [{ ...sgA, rules: [...sgA.rules, ...extra] }] },
      { instanceId: 'i-g3', ip: guests[2]!.ip, groups: [sgOpen] },
    ];
    const bridges = [bridgeName('vpc-wire1'), bridgeName('vpc-wire2')];
    await ns.applyNft(renderRuleset({ table: 'openecs_wire', nics: nics(), members, bridges }));

    assert.equal(await code(guests[0]!.name, guests[1]!.ip), '200', 'g1 → g2: allowed by the group-as-source rule (and replies come back)');
    assert.equal(await code(undefined, guests[1]!.ip), '000', 'namespace → g2: no rule, default inbound deny');
    assert.equal(await code(undefined, guests[2]!.ip), '200', 'namespace → g3: 0.0.0.0/0 rule');
    assert.equal(await code(guests[0]!.name, guests[2]!.ip), '000', 'g1 → g3: another VPC, isolated even though g3 allows all');
    assert.equal(await code(guests[2]!.name, guests[0]!.ip), '000', 'g3 → g1: isolated the other way too');
    assert.equal(await code(guests[2]!.name, internet, 80), '200', 'g3 → internet:80 under the allow-all egress rule');
    assert.equal(await code(guests[2]!.name, internet, 25), '000', 'g3 → internet:25: blocked whatever the rules say');

    // A drop rule at the same priority beats the accept (applied in one nft transaction).
    const t0 = Date.now();
    await ns.applyNft(renderRuleset({ table: 'openecs_wire', members, bridges,
      nics: nics([rule('ingress', { ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: `${guests[0]!.ip}/32`, priority: 1, policy: 'drop' })]) }));
    t.diagnostic(`nft -f of the ruleset: ${Date.now() - t0} ms`);
    assert.equal(await code(guests[0]!.name, guests[1]!.ip), '000', 'drop beats accept at equal priority');
  } finally {
    for (const g of [...guests, { name: ns.name }]) {
      for (const pid of (await run('ip', ['netns', 'pids', g.name]).catch(() => ({ stdout: '' }))).stdout.split('\n').map(Number).filter(Boolean)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      if (g.name !== ns.name) await run('ip', ['netns', 'del', g.name]).catch(() => {});
    }
    await ns.destroy();
    await rm(www, { recursive: true, force: true });
  }
});
