/**
 * IPv6 rules (src/domain/ipv6.ts, src/domain/instances/ipv6-addresses.ts): canonical addresses,
 * the pool's /56s, a VSwitch's /64 by number, reserved addresses, and the address plan with each
 * action's codes.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { canonicalIpv6, checkIpv6Address, lowestFreeIpv6, nextVpcIpv6Block, validIpv6Pool, vswitchIpv6Block } from '../../src/domain/ipv6.js';
import { ASSIGN_IPV6_CODES, CREATE_ENI_IPV6_CODES, planIpv6Addresses, RUN_INSTANCES_IPV6_CODES, wantsIpv6 } from '../../src/domain/instances/ipv6-addresses.js';

describe('IPv6 addresses and blocks', () => {
  for (const [input, out] of [
    ['2001:DB8::1', '2001:db8::1'], ['2001:db8:0:0:0:0:0:1', '2001:db8::1'], ['2001:db8::0:1:0:0:1', '2001:db8::1:0:0:1'],
    [' 2001:db8::a ', '2001:db8::a'], ['192.168.0.1', undefined], ['2001:db8::g', undefined], ['fe80::1%eth0', undefined], ['', undefined],
  ] as const) {
    it(`canonicalIpv6(${JSON.stringify(input)}) = ${out}`, () => assert.equal(canonicalIpv6(input), out));
  }

  for (const [pool, ok] of [['2001:db8::/32', true], ['2001:db8::/56', true], ['2001:db8::/64', false], ['2001:db8::1/32', false], ['10.0.0.0/8', false]] as const) {
    it(`pool ${pool} ${ok ? 'valid' : 'refused'}`, () => assert.equal(validIpv6Pool(pool), ok));
  }

  for (const [pool, taken, out] of [
    ['2001:db8::/32', [], '2001:db8::/56'],
    ['2001:db8::/32', ['2001:db8::/56'], '2001:db8:0:100::/56'],
    ['2001:db8::/32', ['2001:db8:0:100::/56'], '2001:db8::/56'],
    ['2001:db8::/56', ['2001:db8::/56'], undefined],
  ] as const) {
    it(`nextVpcIpv6Block(${pool}, [${taken.join(',')}]) = ${out}`, () => assert.equal(nextVpcIpv6Block(pool, taken), out));
  }

  for (const [index, out] of [[0, '2001:db8:0:100::/64'], [255, '2001:db8:0:1ff::/64'], [256, undefined], [-1, undefined], [1.5, undefined]] as const) {
    it(`vswitchIpv6Block(/56, ${index}) = ${out}`, () => assert.equal(vswitchIpv6Block('2001:db8:0:100::/56', index), out));
  }

  for (const [address, result] of [
    ['2001:db8::4', { ok: true, address: '2001:db8::4' }], ['2001:DB8::ABCD', { ok: true, address: '2001:db8::abcd' }],
    ['2001:db8::3', { ok: false, reason: 'reserved' }], ['2001:db8::', { ok: false, reason: 'reserved' }],
    ['2001:db8::ffff:ffff:ffff:fffd', { ok: false, reason: 'reserved' }], ['2001:db8::ffff:ffff:ffff:fffc', { ok: true, address: '2001:db8::ffff:ffff:ffff:fffc' }],
    ['2001:db8:0:1::4', { ok: false, reason: 'outside' }], ['x', { ok: false, reason: 'malformed' }],
  ] as const) {
    it(`checkIpv6Address(${address})`, () => assert.deepEqual(checkIpv6Address(address, '2001:db8::/64'), result));
  }

  it('lowestFreeIpv6 skips the reserved head and the used ones', () => {
    assert.deepEqual(lowestFreeIpv6('2001:db8::/64', new Set(['2001:db8::5']), 3), ['2001:db8::4', '2001:db8::6', '2001:db8::7']);
  });
});

describe('IPv6 address plans', () => {
  const base = { vswitchBlock: '2001:db8::/64', used: new Set(['2001:db8::4']), current: 1, limit: 3 };
  for (const [what, req, codes, result] of [
    ['a count', { count: 2 }, ASSIGN_IPV6_CODES, { ok: true, addresses: ['2001:db8::5', '2001:db8::6'] }],
    ['named, canonicalized', { requested: ['2001:DB8::0:9'] }, ASSIGN_IPV6_CODES, { ok: true, addresses: ['2001:db8::9'] }],
    ['both', { requested: ['2001:db8::9'], count: 1 }, ASSIGN_IPV6_CODES, 'InvalidParameter.Conflict'],
    ['neither', {}, ASSIGN_IPV6_CODES, 'MissingParameter'],
    ['past the limit', { count: 3 }, ASSIGN_IPV6_CODES, 'InvalidOperation.Ipv6CountExceeded'],
    ['a type without IPv6', { count: 1, limit: 0, current: 0 }, RUN_INSTANCES_IPV6_CODES, 'InvalidOperation.Ipv6CountExceeded'],
    ['taken (assign)', { requested: ['2001:db8::4'] }, ASSIGN_IPV6_CODES, 'InvalidIp.IpAssigned'],
    ['taken (create ENI)', { requested: ['2001:db8::4'] }, CREATE_ENI_IPV6_CODES, 'InvalidOperation.AddressAlreadyAllocated'],
    ['outside (create ENI)', { requested: ['2001:db8:1::4'] }, CREATE_ENI_IPV6_CODES, 'InvalidOperation.AddressNotInVSwitchCidr'],
    ['outside (run)', { requested: ['2001:db8:1::4'] }, RUN_INSTANCES_IPV6_CODES, 'InvalidVSwitchId.IpInvalid'],
    ['repeated', { requested: ['2001:db8::9', '2001:db8:0::9'] }, ASSIGN_IPV6_CODES, 'InvalidIp.IpRepeated'],
    ['malformed', { requested: ['nope'] }, ASSIGN_IPV6_CODES, 'InvalidIp.Address'],
    ['a VSwitch without IPv6 (run)', { count: 1, vswitchBlock: '' }, RUN_INSTANCES_IPV6_CODES, 'InvalidVSwitch.Ipv6NotTurnOn'],
    ['a VSwitch without IPv6 (assign)', { count: 1, vswitchBlock: '' }, ASSIGN_IPV6_CODES, 'InvalidOperation.VSwitchIpv6Disabled'],
  ] as const) {
    it(what, () => {
      const plan = planIpv6Addresses({ ...base, ...req }, codes);
      if (typeof result === 'string') assert.equal(plan.ok ? 'ok' : plan.code, result);
      else assert.deepEqual(plan, result);
    });
  }

  it('wantsIpv6: empty list entries ask for nothing', () => {
    assert.equal(wantsIpv6([''], undefined), false);
    assert.equal(wantsIpv6(undefined, 0), true);
    assert.equal(wantsIpv6(['2001:db8::9'], undefined), true);
  });
});
