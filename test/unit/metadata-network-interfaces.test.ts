/**
 * The metadata service's `network/interfaces/macs/` (answerMetadata with the gateway's list of
 * attached ENIs): each VSwitch's netmask and gateway (the same gateway the qemu guest's DHCP and
 * seed use), and the document's primary NIC alone when the gateway did not answer.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { answerMetadata, vswitchGateway, type InstanceMetadata, type MetadataNic } from '../../src/network/metadata.js';
import { guestNetwork } from '../../src/compute/qemu/seed.js';

const doc = {
  instanceId: 'i-1', hostname: 'h', privateIp: '192.168.0.5', mac: '00:16:3e:00:00:01', regionId: 'cn-hangzhou', zoneId: 'cn-hangzhou-i',
  imageId: 'm-1', instanceType: 'ecs.g7.large', vpcId: 'vpc-1', vswitchId: 'vsw-1', vpcCidr: '192.168.0.0/16', vswitchCidr: '192.168.0.0/24',
  gateway: '192.168.0.253', netmask: '255.255.255.0', serialNumber: '', ownerAccountId: '1', publicKeys: [], userData: '', eniId: 'eni-1',
} satisfies InstanceMetadata;
const nics: MetadataNic[] = [
  { networkInterfaceId: 'eni-1', mac: doc.mac, primaryIp: doc.privateIp, privateIps: [doc.privateIp, '192.168.0.9'], vpcId: 'vpc-1', vswitchId: 'vsw-1', vpcCidr: '192.168.0.0/16', vswitchCidr: '192.168.0.0/24' },
  { networkInterfaceId: 'eni-2', mac: '00:16:3e:00:00:02', primaryIp: '192.168.1.20', privateIps: ['192.168.1.20'], vpcId: 'vpc-1', vswitchId: 'vsw-2', vpcCidr: '192.168.0.0/16', vswitchCidr: '192.168.1.0/26' },
];
const get = (path: string, n?: MetadataNic[]) => {
  const a = answerMetadata(doc, 'GET', `/latest/meta-data/network/interfaces/macs/${path}`, undefined, undefined, n);
  return a.status === 200 ? String(a.body) : a.status;
};

describe('metadata: network/interfaces/macs', () => {
  for (const [cidr, netmask, gateway] of [
    ['192.168.0.0/24', '255.255.255.0', '192.168.0.253'],
    ['192.168.1.0/26', '255.255.255.192', '192.168.1.61'],
    ['10.0.0.0/16', '255.255.0.0', '10.0.255.253'],
    ['172.16.8.0/29', '255.255.255.248', '172.16.8.5'],
  ] as const) {
    it(`${cidr}: netmask ${netmask}, gateway ${gateway} (the guest network's)`, () => {
      assert.deepEqual(vswitchGateway(cidr), { netmask, gateway });
      assert.equal(guestNetwork(cidr.replace(/\d+\/\d+$/, '2'), cidr)!.gateway, gateway);
    });
  }

  it('lists one entry per attached ENI, each with its own addresses and VSwitch', () => {
    assert.equal(get('', nics), '00:16:3e:00:00:01/\n00:16:3e:00:00:02/');
    for (const [path, want] of [
      ['00:16:3e:00:00:01/private-ipv4s', '["192.168.0.5","192.168.0.9"]'],
      ['00:16:3e:00:00:02/network-interface-id', 'eni-2'],
      ['00:16:3e:00:00:02/primary-ip-address', '192.168.1.20'],
      ['00:16:3e:00:00:02/private-ipv4s', '["192.168.1.20"]'],
      ['00:16:3e:00:00:02/vswitch-id', 'vsw-2'],
      ['00:16:3e:00:00:02/vswitch-cidr-block', '192.168.1.0/26'],
      ['00:16:3e:00:00:02/vpc-cidr-block', '192.168.0.0/16'],
      ['00:16:3e:00:00:02/netmask', '255.255.255.192'],
      ['00:16:3e:00:00:02/gateway', '192.168.1.61'],
      ['00:16:3e:00:00:03/gateway', 404],
    ] as const) assert.equal(get(path, nics), want, path);
  });

  it('serves the document\'s primary NIC alone when the gateway did not answer', () => {
    assert.equal(get(''), '00:16:3e:00:00:01/');
    assert.equal(get('00:16:3e:00:00:01/private-ipv4s'), '["192.168.0.5"]');
    assert.equal(get('00:16:3e:00:00:01/gateway'), '192.168.0.253');
  });
});
