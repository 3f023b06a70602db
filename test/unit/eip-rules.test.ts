/**
 * Elastic IP rules as pure functions (src/domain/eips.ts): bandwidth ranges per billing method,
 * names and descriptions, the settled status of each transitional one, and what
 * AssociateEipAddress refuses, in order (of an instance and of a secondary ENI), what
 * ConvertNatPublicIpToEip and ReleasePublicIpAddress refuse; the wire's renderers (src/network/eip-wire.ts): one NAT
 * mapping per EIP and per private address, the shaping commands, `nft -c` accepting the table (root).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkAssociation, checkEniAssociation, isValidEipDescription, isValidEipName, parseBandwidth, settledEipStatus, type AssociationFacts, type EniAssociationFacts } from '../../src/domain/eips.js';
import { checkConversion, checkRelease, RELEASE_WINDOW_MS, type NatIpInstance } from '../../src/domain/nat-public-ip.js';
import { eipShaping, renderEipNat, type EipMapping } from '../../src/network/eip-wire.js';
import { renderRuleset } from '../../src/network/nft-compiler.js';
import { run, which } from '../../src/host/exec.js';

describe('EIP rules', () => {
  it('takes a whole Bandwidth in the range of the billing method', () => {
    const table: [string, string, number | undefined][] = [
      ['5', 'PayByBandwidth', 5], ['1', 'PayByBandwidth', 1], ['500', 'PayByBandwidth', 500], ['501', 'PayByBandwidth', undefined],
      ['200', 'PayByTraffic', 200], ['201', 'PayByTraffic', undefined], ['0', 'PayByTraffic', undefined],
      ['1.5', 'PayByBandwidth', undefined], ['-1', 'PayByBandwidth', undefined], ['ten', 'PayByBandwidth', undefined], ['', 'PayByBandwidth', undefined],
    ];
    for (const [text, type, want] of table) assert.equal(parseBandwidth(text, type), want, `${text} ${type}`);
  });

  it('checks names and descriptions', () => {
    const names: [string, boolean][] = [
      ['web-eip', true], ['弹性IP_1.a', true], ['a', true], ['x'.repeat(128), true], ['x'.repeat(129), false],
      ['1eip', false], ['-eip', false], ['eip with space', false], ['', false],
    ];
    for (const [n, ok] of names) assert.equal(isValidEipName(n), ok, n);
    const descriptions: [string, boolean][] = [
      ['for the web tier', true], ['ab', true], ['a', false], ['http://x', false], ['https://x', false], ['1 thing', false], ['d'.repeat(257), false],
    ];
    for (const [d, ok] of descriptions) assert.equal(isValidEipDescription(d), ok, d);
  });

  it('settles each transitional status', () => {
    const table: [string, string | undefined][] = [
      ['Associating', 'InUse'], ['Unassociating', 'Available'], ['Releasing', 'Released'], ['Available', undefined], ['InUse', undefined],
    ];
    for (const [from, to] of table) assert.equal(settledEipStatus(from), to, from);
  });

  it('refuses an association with the documented code, in order', () => {
    const ok: AssociationFacts = {
      eipStatus: 'Available', eipRegionId: 'cn-hangzhou',
      instance: { status: 'Running', regionId: 'cn-hangzhou', vpcId: 'vpc-1', publicIp: '' }, instanceHasEip: false,
    };
    const table: [string, Partial<AssociationFacts> & { instance?: AssociationFacts['instance'] }, string | undefined][] = [
      ['a Running instance', {}, undefined],
      ['a Stopped instance', { instance: { ...ok.instance, status: 'Stopped' } }, undefined],
      ['an EIP in use', { eipStatus: 'InUse' }, 'IncorrectEipStatus'],
      ['an EIP being released', { eipStatus: 'Releasing' }, 'IncorrectEipStatus'],
      ['another region', { instance: { ...ok.instance, regionId: 'cn-shanghai' } }, 'InvalidParameter.Mismatch'],
      ['no VPC', { instance: { ...ok.instance, vpcId: '' } }, 'OperationDenied'],
      ['a Pending instance', { instance: { ...ok.instance, status: 'Pending' } }, 'IncorrectInstanceStatus'],
      ['a Stopping instance', { instance: { ...ok.instance, status: 'Stopping' } }, 'IncorrectInstanceStatus'],
      ['an instance with an EIP', { instanceHasEip: true }, 'InvalidAssociation.Duplicated'],
      ['an instance with a NAT public address', { instance: { ...ok.instance, publicIp: '198.18.0.9' } }, 'EIP_CAN_NOT_ASSOCIATE_WITH_PUBLIC_IP'],
      ['the EIP status first', { eipStatus: 'InUse', instanceHasEip: true }, 'IncorrectEipStatus'],
    ];
    for (const [what, change, code] of table) assert.equal(checkAssociation({ ...ok, ...change }, 'i-1')?.code, code, what);
  });
});

describe('EIP wire renderers', () => {
  const m = (eip: string, privateIp: string, bandwidth = 5): EipMapping => ({ eip, privateIp, bandwidth });

  it('maps each EIP to one private address, sorted, duplicates and non-IPv4 left out', () => {
    const table: [string, EipMapping[], string[]][] = [
      ['none', [], []],
      ['one', [m('198.18.0.2', '10.0.0.5')], ['198.18.0.2 : 10.0.0.5']],
      ['sorted', [m('198.18.0.9', '10.0.0.9'), m('198.18.0.2', '10.0.0.5')], ['198.18.0.2 : 10.0.0.5, 198.18.0.9 : 10.0.0.9']],
      ['an EIP twice: the first', [m('198.18.0.2', '10.0.0.5'), m('198.18.0.2', '10.0.0.6')], ['198.18.0.2 : 10.0.0.5']],
      ['a private address twice: the first', [m('198.18.0.2', '10.0.0.5'), m('198.18.0.3', '10.0.0.5')], ['198.18.0.2 : 10.0.0.5']],
      ['not IPv4', [m('fe80::1', '10.0.0.5'), m('198.18.0.2', '')], []],
    ];
    for (const [what, maps, dnat] of table) {
      const text = renderEipNat({ table: 'openecs_eip_t', internet: 'oi0', mappings: maps });
      const found = [...text.matchAll(/dnat to ip daddr map \{ (.*) \}/g)].map((x) => x[1]);
      assert.deepEqual(found, dnat, what);
      assert.equal(text.includes('snat to'), dnat.length > 0, what);
      // Whatever the mappings, nothing else crosses between the internet bridge and the VPCs.
      assert.match(text, /iifname "oi0" drop/, what);
      assert.match(text, /oifname "oi0" drop/, what);
    }
  });

  it('shapes each EIP at its bandwidth, unclassified traffic unshaped', () => {
    const cmds = eipShaping('oi0', [m('198.18.0.9', '10.0.0.9', 200), m('198.18.0.2', '10.0.0.5', 1)]);
    assert.deepEqual(cmds.map((c) => c.join(' ')), [
      'qdisc add dev oi0 root handle 1: htb default ffff',
      'class add dev oi0 parent 1: classid 1:10 htb rate 1mbit ceil 1mbit',
      'filter add dev oi0 parent 1: protocol ip prio 1 u32 match ip src 198.18.0.2/32 flowid 1:10',
      'class add dev oi0 parent 1: classid 1:11 htb rate 200mbit ceil 200mbit',
      'filter add dev oi0 parent 1: protocol ip prio 1 u32 match ip src 198.18.0.9/32 flowid 1:11',
    ]);
  });

  it('renders tables nft accepts (root), the security ruleset with its internet exemption too', async (t) => {
    if (!(await which('nft')) || (process.getuid && process.getuid() !== 0)) { t.skip('nft (root) not available'); return; }
    await run('nft', ['-c', '-f', '-'], { input: renderEipNat({ table: 'openecs_eip_t', internet: 'oi0', mappings: [m('198.18.0.2', '10.0.0.5'), m('198.18.0.3', '10.0.0.6')] }) });
    await run('nft', ['-c', '-f', '-'], { input: renderEipNat({ table: 'openecs_eip_t', internet: 'oi0', mappings: [] }) });
    const ruleset = renderRuleset({ table: 'openecs_t', nics: [], members: {}, bridges: ['ob1', 'ob2'], internet: 'oi0' });
    assert.match(ruleset, /oifname != "oi0" drop/);
    await run('nft', ['-c', '-f', '-'], { input: ruleset });
  });
});

describe('EIPs on secondary ENIs and NAT public addresses', () => {
  it('refuses an association with an ENI with the documented code, in order', () => {
    const ok: EniAssociationFacts = {
      eipStatus: 'Available', eipRegionId: 'cn-hangzhou',
      eni: { id: 'eni-1', type: 'Secondary', status: 'InUse', regionId: 'cn-hangzhou', addresses: ['10.0.0.5', '10.0.0.6'] },
      privateIp: '10.0.0.5', addressHasEip: false,
    };
    type Change = Partial<Omit<EniAssociationFacts, 'eni'>> & { eni?: Partial<EniAssociationFacts['eni']> };
    const table: [string, Change, string | undefined][] = [
      ['an attached ENI, its primary address', {}, undefined],
      ['an Available ENI, a secondary address', { eni: { status: 'Available' }, privateIp: '10.0.0.6' }, undefined],
      ['an EIP not Available', { eipStatus: 'InUse', eni: { status: 'Deleting' } }, 'IncorrectEipStatus'],
      ['another region', { eni: { regionId: 'cn-shanghai', type: 'Primary' } }, 'InvalidParameter.Mismatch'],
      ['a primary ENI', { eni: { type: 'Primary' } }, 'InvalidParameter.EniInstanceId'],
      ['an ENI in transition', { eni: { status: 'Attaching' } }, 'InvalidStatus.EniStatusNotSupport'],
      ['an address not of the ENI', { privateIp: '10.0.0.7', addressHasEip: true }, 'OperationFailed.PrivateIpAddressNotExist'],
      ['an address with an EIP', { addressHasEip: true }, 'InvalidAssociation.Duplicated'],
    ];
    for (const [what, change, code] of table) {
      const facts = { ...ok, ...change, eni: { ...ok.eni, ...change.eni } };
      assert.equal(checkEniAssociation(facts)?.code, code, what);
    }
  });

  it('refuses ConvertNatPublicIpToEip and ReleasePublicIpAddress with the documented codes', () => {
    const now = Date.parse('2026-11-23T06:00:00Z');
    const ok: NatIpInstance = {
      id: 'i-1', status: 'Running', publicIp: '198.18.0.9', bandwidthOut: 5, instanceChargeType: 'PostPaid', internetChargeType: 'PayByBandwidth',
      createdAt: now - 1000, expiresAt: null,
    };
    const convert: [string, Partial<NatIpInstance>, string | undefined][] = [
      ['a pay-as-you-go instance by bandwidth', {}, undefined],
      ['a Stopped one', { status: 'Stopped' }, undefined],
      ['a subscription by traffic, far from expiry', { instanceChargeType: 'PrePaid', internetChargeType: 'PayByTraffic', expiresAt: now + 48 * 3_600_000 }, undefined],
      ['a Starting one', { status: 'Starting', publicIp: '' }, 'IncorrectInstanceStatus'],
      ['no public address', { publicIp: '', bandwidthOut: 0 }, 'InvalidInstance.IpAddressMissing'],
      ['no bandwidth', { bandwidthOut: 0 }, 'InvalidInstance.ZeroBandwidth'],
      ['a subscription by bandwidth', { instanceChargeType: 'PrePaid' }, 'InvalidInternetChargeType.ValueNotSupported'],
      ['a subscription expiring within a day', { instanceChargeType: 'PrePaid', internetChargeType: 'PayByTraffic', expiresAt: now + 3_600_000 }, 'InvalidEndTime.OperateNotSupport'],
    ];
    for (const [what, change, code] of convert) assert.equal(checkConversion({ ...ok, ...change }, now)?.code, code, what);
    const release: [string, Partial<NatIpInstance>, string, number, string | undefined][] = [
      ['its address, fresh', {}, '198.18.0.9', now, undefined],
      ['another address', {}, '198.18.0.10', now, 'InvalidIpAddress.NotFound'],
      ['no address', { publicIp: '' }, '198.18.0.9', now, 'InvalidIpAddress.NotFound'],
      ['a Stopping instance', { status: 'Stopping' }, '198.18.0.9', now, 'IncorrectInstanceStatus'],
      ['six hours on', {}, '198.18.0.9', ok.createdAt + RELEASE_WINDOW_MS, undefined],
      ['past six hours', {}, '198.18.0.9', ok.createdAt + RELEASE_WINDOW_MS + 1, 'Forbidden.ExceedDuration'],
    ];
    for (const [what, change, address, at, code] of release) assert.equal(checkRelease({ ...ok, ...change }, address, at)?.code, code, what);
  });
});
