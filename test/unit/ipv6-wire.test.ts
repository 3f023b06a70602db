/** The IPv6 gateways the VPC bridges carry (src/network/ipv6-wire.ts): the plan, without a kernel. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ipv6Gateway, planIpv6Wire } from '../../src/network/ipv6-wire.js';

test('a VSwitch\'s IPv6 gateway is the first address of its block', () => {
  const cases: [string, string | undefined][] = [
    ['2001:db8:0:1::/64', '2001:db8:0:1::'],
    ['2001:db8::/64', '2001:db8::'],
    ['2001:0db8:0000:00ff::/64', '2001:db8:0:ff::'],
    ['2001:db8:0:1::5/64', undefined],
    ['not-a-block', undefined],
    ['', undefined],
  ];
  for (const [block, want] of cases) assert.equal(ipv6Gateway(block), want, block);
});

test('the plan: each known VPC\'s bridge with its VSwitches\' gateways; none for VSwitches without IPv6; unknown bridges untouched', () => {
  const bridges = new Map([['vpc-a', 'oba'], ['vpc-b', 'obb'], ['vpc-other', 'obo']]);
  const plan = planIpv6Wire([
    { vpcId: 'vpc-a', ipv6Cidr: '2001:db8:0:1::/64' },
    { vpcId: 'vpc-a', ipv6Cidr: '2001:db8::/64' },
    { vpcId: 'vpc-a', ipv6Cidr: '' },
    { vpcId: 'vpc-b', ipv6Cidr: '' },
    { vpcId: 'vpc-nobridge', ipv6Cidr: '2001:db8:1::/64' },
  ], bridges);
  assert.deepEqual([...plan], [
    ['oba', ['2001:db8:0:1::/64', '2001:db8::/64']],
    // Known, without IPv6 now: its bridge's stale gateways are removed.
    ['obb', []],
  ]);
  assert.ok(!plan.has('obo'), 'a bridge of a VPC this store does not know (another server sharing the namespace) is left alone');
});
