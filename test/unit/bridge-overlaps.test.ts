/** Which VPC bridges of the shared instance namespace a new vSwitch gateway collides with (src/network/netns.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bridgeOverlaps, type VpcBridge } from '../../src/network/netns.js';

const bridge = (vpcId: string, addresses: string[], ports: number): VpcBridge => ({ ifname: `ob-${vpcId}`, vpcId, addresses, ports });

const cases: { name: string; bridges: VpcBridge[]; gateway: string; conflict?: string; stale?: string[] }[] = [
  { name: 'an empty namespace', bridges: [], gateway: '192.168.0.253/24' },
  { name: 'its own bridge', bridges: [bridge('vpc-a', ['192.168.0.253/24'], 2)], gateway: '192.168.0.253/24' },
  { name: 'a disjoint block of a VPC with guests', bridges: [bridge('vpc-b', ['192.168.1.253/24'], 1)], gateway: '192.168.0.253/24' },
  { name: 'the same block of a VPC with guests', bridges: [bridge('vpc-b', ['192.168.0.253/24'], 1)], gateway: '192.168.0.253/24', conflict: 'vpc-b 192.168.0.0-192.168.0.255' },
  { name: 'a wider block containing it', bridges: [bridge('vpc-b', ['10.0.255.253/16'], 1)], gateway: '10.0.3.253/24', conflict: 'vpc-b 10.0.0.0-10.0.255.255' },
  { name: 'a narrower block inside it', bridges: [bridge('vpc-b', ['10.0.3.13/28'], 3)], gateway: '10.0.255.253/16', conflict: 'vpc-b 10.0.3.0-10.0.3.15' },
  { name: 'a deleted VPC\'s bridge (no live port): its address goes', bridges: [bridge('vpc-old', ['192.168.0.253/24', '172.16.0.253/24'], 0)], gateway: '192.168.0.253/24', stale: ['ob-vpc-old 192.168.0.253/24'] },
  { name: 'a conflict wins over stale addresses', bridges: [bridge('vpc-old', ['192.168.0.253/24'], 0), bridge('vpc-b', ['192.168.0.1/25'], 1)], gateway: '192.168.0.253/24', conflict: 'vpc-b 192.168.0.0-192.168.0.127' },
];

for (const c of cases) {
  test(`bridge overlaps: ${c.name}`, () => {
    const r = bridgeOverlaps(c.bridges, 'vpc-a', [c.gateway]);
    assert.equal(r.conflict ? `${r.conflict.vpcId} ${r.conflict.address}` : undefined, c.conflict);
    assert.deepEqual(r.stale.map((s) => `${s.ifname} ${s.address}`), c.stale ?? []);
  });
}
