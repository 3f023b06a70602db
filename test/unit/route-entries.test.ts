import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkDestination, checkNextHop, CLOUD_SERVICE_CIDR, systemEntries } from '../../src/domain/route-entries.js';
import { firstFreeBlock } from '../../src/domain/default-network.js';
import { checkUserCidrs } from '../../src/domain/user-cidrs.js';
import { cutToShape } from '../../src/actions/ecs-vpc.js';
import { checkSecondaryCidr, checkVSwitchInVpc } from '../../src/domain/vpc-cidrs.js';

describe('route entry destinations', () => {
  const vswitches = ['192.168.1.0/24', '192.168.2.0/24'];
  const taken = ['10.0.0.0/8'];
  const cases: [string, string][] = [
    ['0.0.0.0/0', 'ok'], // wider than every VSwitch: the system routes stay more specific
    ['192.168.0.0/16', 'ok'], // contains VSwitch blocks
    ['172.16.5.0/24', 'ok'],
    ['192.168.3.0/24', 'ok'], // in the VPC, in no VSwitch
    ['10.0.0.0/8', 'duplicate'],
    ['192.168.1.0/24', 'vswitch'], // equal to a VSwitch block
    ['192.168.1.128/25', 'vswitch'], // inside one
    ['192.168.2.7/32', 'vswitch'],
    ['100.64.0.0/10', 'cloud-service'],
    ['100.100.2.0/24', 'cloud-service'],
    ['100.0.0.0/8', 'ok'], // contains the service block, is not inside it
    ['192.168.1.5/24', 'malformed'], // host bits set
    ['192.168.1.0', 'malformed'],
    ['abc', 'malformed'],
    ['', 'malformed'],
    ['2408:4002::/64', 'ipv6'],
    ['pl-bp1xxxx', 'prefix-list'],
  ];
  for (const [dest, want] of cases) {
    it(`${JSON.stringify(dest)} → ${want}`, () => {
      const c = checkDestination(dest, vswitches, taken);
      assert.equal(c.ok ? 'ok' : c.reason, want);
    });
  }
  it('names the VSwitch block it conflicts with', () => {
    const c = checkDestination('192.168.2.0/25', vswitches, taken);
    assert.deepEqual(c.ok ? undefined : c.conflict, '192.168.2.0/24');
  });
});

describe('route entry next hops', () => {
  const cases: [Parameters<typeof checkNextHop>[0], string][] = [
    [{ id: 'i-1' }, 'ok:Instance:i-1'], // NextHopType defaults to Instance
    [{ type: 'Instance', id: 'i-1' }, 'ok:Instance:i-1'],
    [{ type: 'Instance' }, 'missing-id'],
    [{}, 'missing-id'],
    [{ type: 'instance', id: 'i-1' }, 'type'], // values are matched exactly
    [{ type: 'Gateway', id: 'x' }, 'type'],
    [{ type: 'NetworkInterface', id: 'eni-1' }, 'ok:NetworkInterface:eni-1'],
    [{ type: 'NetworkInterface' }, 'missing-id'],
    [{ type: 'HaVip', id: 'havip-1' }, 'absent-type'],
    [{ type: 'NatGateway', id: 'ngw-1' }, 'absent-type'],
    [{ type: 'RouterInterface', id: 'ri-1' }, 'absent-type'],
    [{ list: [{ NextHopId: 'ri-1' }, { NextHopId: 'ri-2' }] }, 'ecmp'],
    [{ type: 'Instance', list: [{ NextHopId: 'ri-1' }] }, 'both-given'],
    [{ id: 'i-1', list: [{ NextHopId: 'ri-1' }] }, 'both-given'],
    [{ id: 'i-1', list: [] }, 'ok:Instance:i-1'],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${want}`, () => {
      const c = checkNextHop(input);
      assert.equal(c.ok ? `ok:${c.type}:${c.id}` : c.reason, want);
    });
  }
});

describe('system route entries', () => {
  it('one local entry per VSwitch block, then the cloud services block, with stable ids', () => {
    const e = systemEntries('vtb-abc', 'vrt-abc', [{ id: 'vsw-one', cidr: '10.0.1.0/24' }, { id: 'vsw-two', cidr: '10.0.2.0/24' }]);
    assert.deepEqual(e.map((x) => [x.id, x.destination, x.type, x.nextHopType, x.status]), [
      ['rte-one', '10.0.1.0/24', 'System', 'local', 'Available'],
      ['rte-two', '10.0.2.0/24', 'System', 'local', 'Available'],
      ['rte-abc', CLOUD_SERVICE_CIDR, 'System', 'service', 'Available'],
    ]);
    assert.deepEqual(systemEntries('vtb-abc', 'vrt-abc', []).map((x) => x.destination), [CLOUD_SERVICE_CIDR]);
  });
});

describe('default VSwitch blocks', () => {
  const cases: [string, number, string[], string | undefined][] = [
    ['172.16.0.0/12', 20, [], '172.16.0.0/20'],
    ['172.16.0.0/12', 20, ['172.16.0.0/20'], '172.16.16.0/20'],
    ['172.16.0.0/12', 20, ['172.16.0.0/20', '172.16.32.0/20'], '172.16.16.0/20'],
    ['172.16.0.0/12', 20, ['172.16.0.0/24'], '172.16.16.0/20'], // a smaller block still takes its /20
    ['172.16.0.0/12', 20, ['172.16.0.0/12'], undefined],
    ['192.168.0.0/20', 20, ['192.168.0.0/24'], undefined],
    ['192.168.0.0/24', 20, [], undefined], // the block is smaller than a /20
  ];
  for (const [outer, prefix, taken, want] of cases) {
    it(`${outer} minus [${taken}] → ${want}`, () => assert.equal(firstFreeBlock(outer, prefix, taken), want));
  }
});

describe('UserCidr', () => {
  const cases: [string, string][] = [
    ['10.0.0.0/8', 'ok:10.0.0.0/8'],
    ['10.0.0.0/8, 172.16.0.0/12', 'ok:10.0.0.0/8,172.16.0.0/12'],
    ['10.0.0.0/8,10.0.0.0/8', 'ok:10.0.0.0/8'],
    ['10.0.0.0/8,11.0.0.0/8,12.0.0.0/8,13.0.0.0/8', 'quota'],
    ['10.0.0.1/8', 'malformed'],
    ['100.64.1.0/24', 'cloud-service'],
    ['100.0.0.0/8', 'cloud-service'],
  ];
  for (const [text, want] of cases) {
    it(`${text} → ${want}`, () => {
      const c = checkUserCidrs(text);
      assert.equal(c.ok ? `ok:${c.cidrs.join(',')}` : c.reason, want);
    });
  }
});

describe('ECS response shapes', () => {
  it('keeps only the fields the shape names, item by item', () => {
    const shape = { Vpcs: { Vpc: [{ VpcId: 's', VSwitchIds: { VSwitchId: ['s'] } }] }, TotalCount: 'i' } as const;
    const body = { TotalCount: 1, Extra: 1, Vpcs: { Vpc: [{ VpcId: 'vpc-1', Tags: { Tag: [] }, VSwitchIds: { VSwitchId: ['vsw-1'] } }] } };
    assert.deepEqual(cutToShape(shape as any, body), { TotalCount: 1, Vpcs: { Vpc: [{ VpcId: 'vpc-1', VSwitchIds: { VSwitchId: ['vsw-1'] } }] } });
  });
});

describe('secondary VPC blocks', () => {
  const cases: [string, string, string[], string][] = [
    ['10.0.0.0/16', '192.168.0.0/16', [], 'ok'],
    ['172.16.0.0/12', '192.168.0.0/16', ['10.0.0.0/16'], 'ok'],
    ['192.168.1.0/24', '192.168.0.0/16', [], 'overlap'], // inside the primary
    ['10.0.0.0/8', '192.168.0.0/16', ['10.1.0.0/16'], 'overlap'], // around a secondary
    ['10.1.0.0/16', '192.168.0.0/16', ['10.1.0.0/16'], 'duplicate'],
    ['8.8.0.0/16', '192.168.0.0/16', [], 'range'],
    ['10.0.0.0/29', '192.168.0.0/16', [], 'mask'],
    ['10.0.0.1/16', '192.168.0.0/16', [], 'not-network'],
    ['ten', '192.168.0.0/16', [], 'malformed'],
    ['10.6.0.0/16', '192.168.0.0/16', ['10.1.0.0/16', '10.2.0.0/16', '10.3.0.0/16', '10.4.0.0/16', '10.5.0.0/16'], 'quota'],
  ];
  for (const [block, primary, secondaries, want] of cases) {
    it(`${block} beside ${primary} + [${secondaries}] → ${want}`, () => {
      const c = checkSecondaryCidr(block, primary, secondaries);
      assert.equal(c.ok ? 'ok' : c.reason, want);
    });
  }
  const vsw: [string, string[], string[], string][] = [
    ['192.168.1.0/24', ['192.168.0.0/16', '10.0.0.0/16'], [], 'ok'],
    ['10.0.1.0/24', ['192.168.0.0/16', '10.0.0.0/16'], [], 'ok'], // inside a secondary block
    ['10.1.1.0/24', ['192.168.0.0/16', '10.0.0.0/16'], [], 'outside-vpc'],
    ['10.0.1.0/24', ['192.168.0.0/16', '10.0.0.0/16'], ['10.0.0.0/20'], 'overlap'],
    ['10.0.1.0/30', ['192.168.0.0/16', '10.0.0.0/16'], [], 'mask'],
  ];
  for (const [block, vpcBlocks, siblings, want] of vsw) {
    it(`VSwitch ${block} in [${vpcBlocks}] beside [${siblings}] → ${want}`, () => {
      const c = checkVSwitchInVpc(block, vpcBlocks, siblings);
      assert.equal(c.ok ? 'ok' : c.reason, want);
    });
  }
});
