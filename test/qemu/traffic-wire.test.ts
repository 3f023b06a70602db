/**
 * PayByTraffic metered from the wire (src/network/eip-traffic.ts, src/engine/metering.ts), on a
 * real kernel without QEMU, with the stand-ins of eip-wire.test.ts: an instance with a PayByTraffic
 * NAT public address (compiled from a test server's store) is a namespace on a veth pair plugged
 * into the VPC bridge, an "internet" client another on the internet bridge. The client downloads
 * known files from the instance through the NAT address, the wire is rebuilt (its HTB classes,
 * and their counts, start over) between the downloads, and the meter, reading the test driver's
 * counters (the tally's), bills at the clock hour exactly the tally's bytes / 1e9 GB at
 * payByTrafficGB: at least what was sent (the files), at most it plus the packets' overhead; an
 * hour without traffic bills nothing more. Skips without root, iproute2, nftables, tc, busybox or curl.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run, which } from '../../src/host/exec.js';
import { renderRuleset } from '../../src/network/nft-compiler.js';
import { Netns, bridgeName, netnsUnavailable } from '../../src/network/netns.js';
import { applyEipWire } from '../../src/network/eip-wire.js';
import { EipTrafficTally } from '../../src/network/eip-traffic.js';
import { gatherEipMappings, gatherPolicy } from '../../src/network/enforcer.js';
import { SimDriver } from '../../src/compute/sim.js';
import type { TrafficCounter } from '../../src/domain/billing/traffic.js';
import { TABLE } from '../helpers/shipped-prices.js';
import { $Ecs, startTestServer } from '../helpers/server.js';
import { plugStandIn, removeStandIns } from './fixtures.js';
import { launch, networkOf, R } from '../api/storage-fixtures.js';

const H = 3_600_000;
const MB = 1_000_000;
const PER_GB = TABLE.bandwidth.payByTrafficGB * TABLE.regions[R];

/** The sim driver with the wire's tally as its traffic counters (the QEMU driver's, without QEMU). */
class WireCountedSim extends SimDriver {
  readonly tally = new EipTrafficTally();
  wire?: { ns: Netns; dev: string };
  async publicTrafficCounters(): Promise<TrafficCounter[]> { return this.wire ? this.tally.counters(this.wire.ns, this.wire.dev) : []; }
}

test('an instance\'s PayByTraffic NAT address: the bytes it sent out, across wire rebuilds, billed per GB at the hour', async (t) => {
  const why = await netnsUnavailable();
  if (why) { t.skip(`no instance namespace: ${why}`); return; }
  for (const tool of ['busybox', 'curl', 'tc']) if (!(await which(tool))) { t.skip(`${tool} not installed`); return; }
  const driver = new WireCountedSim(0);
  const s = await startTestServer({ simDelayMs: 0 }, { driver });
  const tag = process.pid.toString(36);
  const owner = `trfwire${tag}`;
  const ns = new Netns(`oe-trf-${tag}`, owner);
  const guest = `oe-tg-${tag}`;
  const client = { name: `oe-tc-${tag}`, ip: '203.0.113.10' };
  const www = await mkdtemp(join(tmpdir(), 'openecs-traffic-wire-'));
  const inNs = (name: string, cmd: string, args: string[]) => run('ip', ['netns', 'exec', name, cmd, ...args], { timeoutMs: 30_000 });
  /** Downloads a file through the address; answers the bytes of the body received. */
  const download = async (url: string) => Number((await inNs(client.name, 'curl', ['-s', '-m', '20', '-o', '/dev/null', '-w', '%{size_download}', url])).stdout);
  try {
    const net = await networkOf(s);
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: net.securityGroupId, permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '80/80', sourceCidrIp: '0.0.0.0/0' })],
    }));
    const vm = (await launch(s, { extra: { internetChargeType: 'PayByTraffic', internetMaxBandwidthOut: 100 } })).instanceId;
    const attr = (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: vm }))).body!;
    assert.equal(attr.internetChargeType, 'PayByTraffic');
    const natIp = attr.publicIpAddress!.ipAddress![0]!;
    const vmIp = attr.vpcAttributes!.privateIpAddress!.ipAddress![0]!;
    const db = s.app.services.db;

    await writeFile(join(www, 'a.bin'), Buffer.alloc(6 * MB, 7));
    await writeFile(join(www, 'b.bin'), Buffer.alloc(4 * MB, 9));
    const gateway = '192.168.15.253';
    await ns.ensureBridge(net.vpcId, [`${gateway}/20`]);
    const inet = await applyEipWire(ns, owner, [], '203.0.113.1/24', driver.tally);
    driver.wire = { ns, dev: inet };
    const plug = (name: string, bridge: string, ip: string, prefix: number, gw: string, i: number) =>
      plugStandIn(ns, name, bridge, `otv${tag.slice(-6)}${i}`, ip, prefix, gw);
    await plug(guest, bridgeName(net.vpcId), vmIp, 20, gateway, 0);
    await plug(client.name, inet, client.ip, 24, '203.0.113.1', 1);
    await inNs(guest, 'busybox', ['httpd', '-p', '80', '-h', www]);
    const p = await gatherPolicy(db);
    await ns.applyNft(renderRuleset({ table: `openecs_${owner}`, nics: p.nics, members: p.members, bridges: [bridgeName(net.vpcId)], internet: inet }));
    const mappings = await gatherEipMappings(db);
    assert.deepEqual(mappings, [{ eip: natIp, privateIp: vmIp, bandwidth: 100 }]);
    await applyEipWire(ns, owner, mappings, undefined, driver.tally);

    // Out through the NAT address: a file, the wire rebuilt (the class's count starts over), another file.
    assert.equal(await download(`http://${natIp}/a.bin`), 6 * MB);
    await applyEipWire(ns, owner, mappings, undefined, driver.tally);
    const afterRebuild = (await inNs(ns.name, 'tc', ['-s', 'class', 'show', 'dev', inet])).stdout;
    assert.match(afterRebuild, /Sent 0 bytes/, 'the rebuilt class counts from zero');
    assert.equal(await download(`http://${natIp}/b.bin`), 4 * MB);
    const [counter] = await driver.publicTrafficCounters();
    assert.equal(counter!.address, natIp);
    const sent = counter!.bytes;
    assert.ok(sent >= 10 * MB && sent < 10.6 * MB, `the files and their packets' overhead, folded across the rebuild: ${sent}`);

    // The meter bills at the clock hour: exactly the counted bytes, per GB.
    await s.advance(H - (s.clock.now() % H));
    const rows = await db.selectFrom('billing_usage').selectAll().where('resource_id', '=', vm).where('billing_item', '=', 'Traffic').execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.usage_unit, 'GB');
    assert.equal(Number(rows[0]!.usage), sent / 1e9);
    assert.equal(Number(rows[0]!.amount), (sent / 1e9) * PER_GB);
    // An hour without traffic: nothing more.
    await s.advance(H);
    const again = await db.selectFrom('billing_usage').select('usage').where('resource_id', '=', vm).where('billing_item', '=', 'Traffic').execute();
    assert.deepEqual(again.map((r) => Number(r.usage)), [sent / 1e9]);
  } finally {
    await removeStandIns(ns, [guest, client.name]);
    await rm(www, { recursive: true, force: true });
    await s.close();
  }
});
