import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  availableIpCount, checkPrivateIp, checkVpcCidr, checkVSwitchCidr, containsCidr, formatCidr, formatIpv4, lowestFree, lowestFreeN, overlaps,
  parseCidr, parseIpv4, usableRange, type Cidr,
} from '../../src/domain/cidr.js';
import { isValidSecurityGroupDescription, isValidSecurityGroupName, isValidVpcDescription, isValidVpcName } from '../../src/domain/network-names.js';
import { fitsQuota, NETWORK_QUOTAS, securityGroupCapacity } from '../../src/domain/quotas.js';

const cidr = (s: string): Cidr => {
  const p = parseCidr(s);
  if (!p.ok) throw new Error(`bad test CIDR ${s}`);
  return p.cidr;
};

describe('IPv4 addresses', () => {
  const cases: [string, number | undefined][] = [
    ['0.0.0.0', 0], ['10.0.0.1', 167772161], ['255.255.255.255', 4294967295], ['192.168.1.254', 3232236030],
    ['256.0.0.1', undefined], ['10.0.0', undefined], ['10.0.0.1.2', undefined], ['010.0.0.1', undefined],
    ['10.0.0.-1', undefined], ['a.b.c.d', undefined], ['', undefined], [' 10.0.0.1', undefined],
  ];
  for (const [s, want] of cases) it(`${JSON.stringify(s)} → ${want}`, () => assert.equal(parseIpv4(s), want));
  it('formats back', () => {
    for (const s of ['0.0.0.0', '10.0.0.1', '255.255.255.255', '172.31.255.252']) assert.equal(formatIpv4(parseIpv4(s)!), s);
  });
});

describe('CIDR parsing', () => {
  const cases: [string, string][] = [
    ['192.168.0.0/16', 'ok'], ['10.0.0.0/8', 'ok'], ['0.0.0.0/0', 'ok'], ['10.1.2.3/32', 'ok'],
    ['192.168.1.5/24', 'not-network'], ['172.16.0.0/11', 'not-network'],
    ['192.168.0.0', 'malformed'], ['192.168.0.0/33', 'malformed'], ['192.168.0.0/016', 'malformed'], ['192.168.0.0/-1', 'malformed'],
    ['300.1.0.0/16', 'malformed'], ['192.168.0.0/ 16', 'malformed'], ['abc', 'malformed'],
  ];
  for (const [s, want] of cases) {
    it(`${s} → ${want}`, () => {
      const p = parseCidr(s);
      assert.equal(p.ok ? 'ok' : p.reason, want);
      if (p.ok) assert.equal(formatCidr(p.cidr), s);
    });
  }
});

describe('VPC CIDR blocks (three private ranges and subnets, mask 8–28)', () => {
  const cases: [string, string][] = [
    ['10.0.0.0/8', 'ok'], ['172.16.0.0/12', 'ok'], ['192.168.0.0/16', 'ok'],
    ['10.20.0.0/16', 'ok'], ['172.31.0.0/16', 'ok'], ['192.168.10.0/24', 'ok'], ['192.168.0.0/28', 'ok'],
    ['192.168.0.0/29', 'mask'], ['10.0.0.0/30', 'mask'],
    ['172.0.0.0/8', 'range'], ['172.32.0.0/16', 'range'], ['192.169.0.0/16', 'range'], ['100.64.0.0/10', 'range'],
    ['11.0.0.0/8', 'range'], ['0.0.0.0/0', 'range'], ['192.0.0.0/8', 'range'],
    ['10.0.0.1/8', 'not-network'], ['10.0.0.0/x', 'malformed'],
  ];
  for (const [s, want] of cases) {
    it(`${s} → ${want}`, () => {
      const c = checkVpcCidr(s);
      assert.equal(c.ok ? 'ok' : c.reason, want);
    });
  }
});

describe('VSwitch CIDR blocks (inside the VPC, mask 16–29, no overlap)', () => {
  const vpc = '192.168.0.0/16';
  const siblings = ['192.168.0.0/24', '192.168.8.0/21'];
  const cases: [string, string, string[], string][] = [
    ['192.168.1.0/24', vpc, siblings, 'ok'],
    ['192.168.0.0/16', vpc, [], 'ok'],
    ['192.168.255.248/29', vpc, siblings, 'ok'],
    ['192.168.1.0/30', vpc, siblings, 'mask'],
    ['192.0.0.0/15', '192.0.0.0/8', [], 'mask'],
    ['10.0.0.0/24', vpc, siblings, 'outside-vpc'],
    ['172.16.0.0/16', '172.16.0.0/12', [], 'ok'],
    ['172.16.0.0/16', '172.16.0.0/16', ['172.16.0.0/24'], 'overlap'],
    ['192.168.0.128/25', vpc, siblings, 'overlap'],
    ['192.168.12.0/24', vpc, siblings, 'overlap'],
    ['192.168.0.0/20', vpc, siblings, 'overlap'],
    ['192.168.16.0/20', vpc, siblings, 'ok'],
    ['192.168.1.1/24', vpc, siblings, 'not-network'],
    ['bad', vpc, siblings, 'malformed'],
  ];
  for (const [s, v, sib, want] of cases) {
    it(`${s} in ${v} beside [${sib.join(', ')}] → ${want}`, () => {
      const c = checkVSwitchCidr(s, v, sib);
      assert.equal(c.ok ? 'ok' : c.reason, want);
    });
  }
  it('names the block it overlaps', () => {
    const c = checkVSwitchCidr('192.168.9.0/24', vpc, siblings);
    assert.deepEqual(c, { ok: false, reason: 'overlap', conflict: '192.168.8.0/21' });
  });
});

describe('containment and overlap', () => {
  const cases: [string, string, boolean, boolean][] = [
    // outer, inner, contains, overlaps
    ['10.0.0.0/8', '10.1.0.0/16', true, true],
    ['10.1.0.0/16', '10.0.0.0/8', false, true],
    ['10.0.0.0/24', '10.0.1.0/24', false, false],
    ['10.0.0.0/23', '10.0.1.0/24', true, true],
    ['10.0.0.0/24', '10.0.0.0/24', true, true],
    ['192.168.0.0/16', '172.16.0.0/12', false, false],
  ];
  for (const [a, b, c, o] of cases) {
    it(`${a} ⊇ ${b}: ${c}, overlap: ${o}`, () => {
      assert.equal(containsCidr(cidr(a), cidr(b)), c);
      assert.equal(overlaps(cidr(a), cidr(b)), o);
      assert.equal(overlaps(cidr(b), cidr(a)), o);
    });
  }
});

describe('reserved addresses and AvailableIpAddressCount (first 1 and last 3 reserved)', () => {
  const cases: [string, number, number][] = [
    // block, used, available
    ['192.168.1.0/24', 0, 252],
    ['192.168.1.0/24', 10, 242],
    ['192.168.0.0/16', 0, 65532],
    ['10.0.0.0/29', 0, 4],
    ['10.0.0.0/29', 4, 0],
    ['10.0.0.0/29', 9, 0],
    ['garbage', 0, 0],
  ];
  for (const [c, used, want] of cases) it(`${c} with ${used} used → ${want}`, () => assert.equal(availableIpCount(c, used), want));
  it('usable range of 192.168.1.0/24 is .1–.252', () => {
    const r = usableRange(cidr('192.168.1.0/24'));
    assert.equal(formatIpv4(r.first), '192.168.1.1');
    assert.equal(formatIpv4(r.last), '192.168.1.252');
  });
});

describe('requested private addresses', () => {
  const block = cidr('192.168.1.0/24');
  const cases: [string, string][] = [
    ['192.168.1.1', 'ok'], ['192.168.1.100', 'ok'], ['192.168.1.252', 'ok'],
    ['192.168.1.0', 'reserved'], ['192.168.1.253', 'reserved'], ['192.168.1.254', 'reserved'], ['192.168.1.255', 'reserved'],
    ['192.168.2.1', 'outside'], ['10.0.0.1', 'outside'],
    ['192.168.1', 'malformed'], ['192.168.1.300', 'malformed'], ['x', 'malformed'],
  ];
  for (const [ip, want] of cases) {
    it(`${ip} → ${want}`, () => {
      const c = checkPrivateIp(ip, block);
      assert.equal(c.ok ? 'ok' : c.reason, want);
    });
  }
});

describe('lowest free address', () => {
  const block = cidr('10.0.0.0/29'); // usable .1–.4
  const ip = (s: string) => parseIpv4(s)!;
  const cases: [string[], string | undefined][] = [
    [[], '10.0.0.1'],
    [['10.0.0.1'], '10.0.0.2'],
    [['10.0.0.1', '10.0.0.3'], '10.0.0.2'],
    [['10.0.0.1', '10.0.0.2', '10.0.0.3'], '10.0.0.4'],
    [['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4'], undefined],
  ];
  for (const [used, want] of cases) {
    it(`used [${used.join(', ')}] → ${want}`, () => {
      const got = lowestFree(block, new Set(used.map(ip)));
      assert.equal(got === undefined ? undefined : formatIpv4(got), want);
    });
  }
});

describe('VPC API names and descriptions (1–128 / 1–256, no http(s):// prefix)', () => {
  const names: [string, boolean][] = [
    ['a', true], ['vpc-1', true], ['1vpc', true], ['my vpc', true], ['专有网络', true], ['x'.repeat(128), true],
    ['', false], ['x'.repeat(129), false], ['http://x', false], ['https://x', false], ['HTTP://x', false], ['a http://x', true],
  ];
  for (const [n, ok] of names) it(`name ${JSON.stringify(n).slice(0, 24)} ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidVpcName(n), ok));
  const descriptions: [string, boolean][] = [['d', true], ['x'.repeat(256), true], ['x'.repeat(257), false], ['https://d', false]];
  for (const [d, ok] of descriptions) it(`description of ${d.length} ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidVpcDescription(d), ok));
});

describe('security group names (ECS rule) and descriptions', () => {
  const names: [string, boolean][] = [
    ['sg', true], ['web-sg.prod:1_a', true], ['安全组', true], ['x'.repeat(128), true],
    ['s', false], ['1sg', false], ['-sg', false], ['sg web', false], ['x'.repeat(129), false], ['http://sg', false], ['sg/1', false],
  ];
  for (const [n, ok] of names) it(`name ${JSON.stringify(n).slice(0, 24)} ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidSecurityGroupName(n), ok));
  const descriptions: [string, boolean][] = [['ab', true], ['a', false], ['x'.repeat(256), true], ['x'.repeat(257), false], ['http://d', false]];
  for (const [d, ok] of descriptions) it(`description of ${d.length} ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidSecurityGroupDescription(d), ok));
});

describe('network quotas', () => {
  it('defaults', () => {
    assert.equal(NETWORK_QUOTAS['vpcs-per-region'], 5);
    assert.equal(NETWORK_QUOTAS['vswitches-per-vpc'], 150);
    assert.equal(NETWORK_QUOTAS['security-groups-per-region'], 100);
  });
  const cases: [number, number, boolean][] = [[0, 5, true], [4, 5, true], [5, 5, false], [6, 5, false], [0, 0, false]];
  for (const [count, limit, ok] of cases) it(`${count} of ${limit} → ${ok ? 'one more fits' : 'full'}`, () => assert.equal(fitsQuota(count, limit), ok));
  const caps: [string, number][] = [['normal', 2000], ['enterprise', 65536], ['other', 2000]];
  for (const [type, cap] of caps) it(`${type} group holds ${cap} private addresses`, () => assert.equal(securityGroupCapacity(type), cap));
});

describe('lowestFreeN within a window (RunInstances searching up from a VSwitch\'s free mark)', () => {
  const block = cidr('10.0.0.0/28'); // usable .1 to .12
  const at = (last: number) => parseIpv4(`10.0.0.${last}`)!;
  const cases: [string, number[], number, { from: number; to: number } | undefined, number[]][] = [
    ['no window: from the first usable address', [1, 2], 3, undefined, [3, 4, 5]],
    ['a window skips what is used inside it', [5, 6], 3, { from: at(4), to: at(9) }, [4, 7, 8]],
    ['fewer when the window ends', [], 5, { from: at(10), to: at(11) }, [10, 11]],
    ['a window past the usable range is cut to it', [], 5, { from: at(11), to: at(15) }, [11, 12]],
    ['a window starting on a reserved address starts at the first usable one', [], 2, { from: at(0), to: at(3) }, [1, 2]],
    ['a window wholly used gives nothing', [7, 8], 2, { from: at(7), to: at(8) }, []],
  ];
  for (const [name, used, n, within, want] of cases) {
    it(name, () => {
      assert.deepEqual(lowestFreeN(block, new Set(used.map(at)), n, within).map(formatIpv4), want.map((x) => `10.0.0.${x}`));
    });
  }
});
