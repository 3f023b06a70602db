import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { planRouteWire, routeArgs, routeKey, routeTableNumber, rulePriority } from '../../src/network/route-wire.js';

describe('route wire planning', () => {
  const vswitches = [{ vpcId: 'vpc-a', cidr: '10.1.1.0/24' }, { vpcId: 'vpc-a', cidr: '10.1.0.0/24' }, { vpcId: 'vpc-b', cidr: '10.2.0.0/24' }];
  const bridges = new Map([['vpc-a', 'oba'], ['vpc-b', 'obb']]);
  const cases: [string, { vpcId: string; destination: string; via: string }[], string[]][] = [
    ['an entry via an address in a VSwitch block', [{ vpcId: 'vpc-a', destination: '10.99.0.0/24', via: '10.1.0.5' }], ['vpc-a:10.99.0.0/24>10.1.0.5']],
    ['a next hop without an address (released, deleted) is routed nowhere', [{ vpcId: 'vpc-a', destination: '10.99.0.0/24', via: '' }], []],
    ['a next hop outside the VPC (moved away) is routed nowhere', [{ vpcId: 'vpc-a', destination: '10.99.0.0/24', via: '10.2.0.5' }], []],
    ['a VPC without a bridge in the namespace has nothing to route', [{ vpcId: 'vpc-c', destination: '10.99.0.0/24', via: '10.1.0.5' }], []],
    ['entries sorted per VPC, VPCs sorted', [
      { vpcId: 'vpc-b', destination: '0.0.0.0/0', via: '10.2.0.9' },
      { vpcId: 'vpc-a', destination: '192.168.0.0/16', via: '10.1.1.7' },
      { vpcId: 'vpc-a', destination: '10.99.0.0/24', via: '10.1.0.5' },
    ], ['vpc-a:10.99.0.0/24>10.1.0.5', 'vpc-a:192.168.0.0/16>10.1.1.7', 'vpc-b:0.0.0.0/0>10.2.0.9']],
  ];
  for (const [name, entries, want] of cases) {
    it(name, () => {
      const plan = planRouteWire({ entries, vswitches, bridges });
      assert.deepEqual(plan.flatMap((t) => t.routes.map((r) => `${t.vpcId}:${r.destination}>${r.via}`)), want);
    });
  }

  it("a VPC's table holds its VSwitch blocks and its entries, keyed as `ip -j route` shows them", () => {
    const [t] = planRouteWire({ entries: [{ vpcId: 'vpc-a', destination: '10.99.0.1/32', via: '10.1.0.5' }, { vpcId: 'vpc-a', destination: '0.0.0.0/0', via: '10.1.0.5' }], vswitches, bridges });
    const table = String(routeTableNumber('vpc-a'));
    assert.deepEqual([...routeArgs(t!).entries()], [
      ['10.1.0.0/24', ['route', 'replace', '10.1.0.0/24', 'dev', 'oba', 'scope', 'link', 'table', table]],
      ['10.1.1.0/24', ['route', 'replace', '10.1.1.0/24', 'dev', 'oba', 'scope', 'link', 'table', table]],
      ['default', ['route', 'replace', '0.0.0.0/0', 'via', '10.1.0.5', 'dev', 'oba', 'onlink', 'table', table]],
      ['10.99.0.1', ['route', 'replace', '10.99.0.1/32', 'via', '10.1.0.5', 'dev', 'oba', 'onlink', 'table', table]],
    ]);
  });

  it('table numbers and rule priorities are stable and stay clear of the reserved ones', () => {
    assert.equal(routeTableNumber('vpc-a'), routeTableNumber('vpc-a'));
    assert.notEqual(routeTableNumber('vpc-a'), routeTableNumber('vpc-b'));
    for (const id of ['vpc-a', 'vpc-b', 'vpc-x1']) assert.ok(routeTableNumber(id) > 0xffff && routeTableNumber(id) < 2 ** 31);
    for (const o of ['a', 'b', 'c']) assert.ok(rulePriority(o) > 0 && rulePriority(o) < 32766);
    assert.equal(routeKey('10.0.0.0/8'), '10.0.0.0/8');
  });
});
