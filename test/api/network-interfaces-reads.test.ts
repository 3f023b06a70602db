/**
 * Attached ENIs in the reads, through the official client: DescribeInstances lists every attached
 * ENI (the primary first, `Type` Primary/Secondary, MACs and addresses), and the metadata service,
 * as the qemu driver runs it (over HTTP, asking the host's gateway), serves
 * `network/interfaces/macs/<mac>/…` for each of them from the store: an attach, a detach or an
 * assigned secondary address shows at once.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as $Vpc from '@alicloud/vpc20160428';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import type { Network } from '../helpers/fixtures.js';
import { launch, networkOf, R } from './storage-fixtures.js';
import { startGuestGateway, type GuestGateway } from '../../src/api/guest-gateway.js';
import { createMetadataServer } from '../../src/network/metadata-server.js';
import { guestNetwork } from '../../src/compute/qemu/seed.js';

describe('elastic network interfaces in DescribeInstances and the metadata service', () => {
  let s: TestServer;
  let net: Network;
  let vm: string;
  let dir: string;
  let gateway: GuestGateway;
  let metadata: Server;
  let base: string;

  before(async () => {
    s = await startTestServer();
    net = await networkOf(s);
    vm = (await launch(s)).instanceId;
    dir = await mkdtemp(join(tmpdir(), 'openecs-eni-reads-'));
    await mkdir(join(dir, 'meta'));
    gateway = await startGuestGateway(join(dir, 'gateway'), { db: s.app.services.db, sealer: s.app.services.sealer, clock: s.clock, http: s.app.http });
    metadata = createMetadataServer({ docsDir: join(dir, 'meta'), gatewayDir: gateway.dir });
    await new Promise<void>((r) => metadata.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(metadata.address() as AddressInfo).port}`;
    // The guest at 127.0.0.1 is `vm` (the driver writes this document at boot).
    await writeFile(join(dir, 'meta', '127.0.0.1.json'), JSON.stringify({ instanceId: vm, mac: 'ignored', privateIp: '127.0.0.1', publicKeys: [], userData: '' }));
  });
  after(async () => {
    if (metadata) await new Promise<void>((r) => { metadata.close(() => r()); metadata.closeAllConnections(); });
    await gateway?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
    await s?.close();
  });

  const md = async (path: string) => {
    const r = await fetch(`${base}/latest/meta-data/${path}`);
    return { status: r.status, body: await r.text() };
  };
  const listed = async () => {
    const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([vm]) }));
    return r.body!.instances!.instance![0]!.networkInterfaces!.networkInterface!;
  };
  const status = async (id: string) =>
    (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [id] }))).body!.networkInterfaceSets!.networkInterfaceSet![0]!.status;
  async function settle(id: string, want: string) {
    for (let i = 0; i < 20 && (await status(id)) !== want; i++) await s.advance(1000);
    assert.equal(await status(id), want);
  }

  it('lists every attached ENI, the primary first, in DescribeInstances and under network/interfaces/macs/, and follows attach, assign and detach', async () => {
    const vsw = (await s.vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: R, vSwitchId: net.vswitchId }))).body!;
    const vpcCidr = (await s.vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: R, vpcId: net.vpcId }))).body!.cidrBlock!;
    const [primary] = await listed();
    assert.equal((await listed()).length, 1);
    assert.equal(primary!.type, 'Primary');

    const eni = (await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({
      regionId: R, vSwitchId: net.vswitchId, securityGroupIds: [net.securityGroupId], secondaryPrivateIpAddressCount: 1,
    }))).body!;
    const eniIps = eni.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!);
    // Available: neither listed nor served.
    assert.equal((await listed()).length, 1);
    assert.doesNotMatch((await md('network/interfaces/macs/')).body, new RegExp(eni.macAddress!));

    await s.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, instanceId: vm }));
    await settle(eni.networkInterfaceId!, 'InUse');
    const both = await listed();
    assert.deepEqual(both.map((n) => [n.type, n.networkInterfaceId]), [['Primary', primary!.networkInterfaceId], ['Secondary', eni.networkInterfaceId]]);
    assert.equal(both[1]!.macAddress, eni.macAddress);
    assert.equal(both[1]!.primaryIpAddress, eni.privateIpAddress);
    assert.deepEqual(both[1]!.privateIpSets!.privateIpSet!.map((p) => [p.privateIpAddress, p.primary]), eniIps.map((ip, i) => [ip, i === 0]));

    // The metadata service: one entry per MAC, each with the ECS names.
    assert.deepEqual((await md('network/interfaces/macs/')).body.split('\n').sort(), [`${primary!.macAddress}/`, `${eni.macAddress}/`].sort());
    const entry = `network/interfaces/macs/${eni.macAddress}`;
    assert.deepEqual((await md(`${entry}/`)).body.split('\n'), [
      'gateway', 'netmask', 'network-interface-id', 'primary-ip-address', 'private-ipv4s', 'vpc-cidr-block', 'vpc-id', 'vswitch-cidr-block', 'vswitch-id',
    ]);
    const prefix = Number(vsw.cidrBlock!.split('/')[1]);
    const mask = [24, 16, 8, 0].map((b) => ((0xffffffff << (32 - prefix)) >>> b) & 255).join('.');
    for (const [leaf, want] of [
      ['network-interface-id', eni.networkInterfaceId], ['primary-ip-address', eni.privateIpAddress], ['private-ipv4s', JSON.stringify(eniIps)],
      ['vpc-id', net.vpcId], ['vswitch-id', net.vswitchId], ['vswitch-cidr-block', vsw.cidrBlock], ['vpc-cidr-block', vpcCidr], ['netmask', mask],
    ] as const) {
      assert.deepEqual(await md(`${entry}/${leaf}`), { status: 200, body: want }, leaf);
    }
    // The gateway the guest's VSwitch bridge and DHCP use.
    assert.equal((await md(`${entry}/gateway`)).body, guestNetwork(eni.privateIpAddress!, vsw.cidrBlock)!.gateway);
    assert.equal((await md(`${entry}/unknown`)).status, 404);

    // A secondary address assigned to the primary ENI shows at once in both reads.
    const assigned = await s.ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId: R, networkInterfaceId: primary!.networkInterfaceId, secondaryPrivateIpAddressCount: 1 }));
    const extra = assigned.body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress![0]!;
    assert.deepEqual(JSON.parse((await md(`network/interfaces/macs/${primary!.macAddress}/private-ipv4s`)).body), [primary!.primaryIpAddress, extra]);
    assert.deepEqual((await listed())[0]!.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress), [primary!.primaryIpAddress, extra]);

    // Detached: gone from both.
    await s.ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: R, networkInterfaceId: eni.networkInterfaceId, instanceId: vm }));
    await settle(eni.networkInterfaceId!, 'Available');
    assert.deepEqual((await listed()).map((n) => n.networkInterfaceId), [primary!.networkInterfaceId]);
    assert.equal((await md('network/interfaces/macs/')).body, `${primary!.macAddress}/`);
    assert.equal((await md(`${entry}/network-interface-id`)).status, 404);
  });
});
