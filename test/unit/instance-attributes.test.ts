/**
 * Instance attribute rules (tables): maintenance windows and actions, private pool options, moving
 * an instance's primary ENI to another VSwitch/address/VPC, and the public address pool.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkActionOnMaintenance, checkMaintenanceWindow } from '../../src/domain/instances/maintenance.js';
import { checkPrivatePoolOptions } from '../../src/domain/instances/private-pool.js';
import { launchJumboFrames, supportsJumboFrames } from '../../src/domain/instances/jumbo-frames.js';
import { addPeriod, checkSubscription, type SubscriptionRequest } from '../../src/domain/instances/subscription.js';
import { planVpcMove, type MoveRequest } from '../../src/domain/instances/vpc-move.js';
import { planSecondaryIps, type AssignRequest } from '../../src/domain/instances/secondary-ips.js';
import { lowestFreePublic, parsePublicIpPool, poolRange } from '../../src/domain/public-ip-pool.js';
import { formatCidr, formatIpv4, parseIpv4 } from '../../src/domain/cidr.js';

test('maintenance window (table)', () => {
  const cases: [{ StartTime?: string; EndTime?: string } | undefined, string][] = [
    [undefined, 'none'],
    [{}, 'none'],
    [{ StartTime: '02:00:00', EndTime: '18:00:00' }, 'ok'],
    [{ StartTime: '18:00:00Z', EndTime: '20:00:00Z' }, 'ok'],
    [{ StartTime: '22:00:00', EndTime: '02:00:00' }, 'ok'], // crosses midnight: 4 hours
    [{ StartTime: '00:00:00', EndTime: '23:00:00' }, 'ok'], // 23 hours
    [{ StartTime: '01:00:00', EndTime: '00:00:00' }, 'ok'], // 23 hours across midnight
    [{ StartTime: '03:00:00', EndTime: '03:00:00' }, 'length'], // 0 (or 24) hours
    [{ StartTime: '02:00:00' }, 'incomplete'],
    [{ EndTime: '02:00:00' }, 'incomplete'],
    [{ StartTime: '02:30:00', EndTime: '05:00:00' }, 'not-whole-hour'],
    [{ StartTime: '02:00:00', EndTime: '05:00:01' }, 'not-whole-hour'],
    [{ StartTime: '24:00:00', EndTime: '05:00:00' }, 'malformed'],
    [{ StartTime: '2:00:00', EndTime: '05:00:00' }, 'malformed'],
    [{ StartTime: '02:00', EndTime: '05:00' }, 'malformed'],
    [{ StartTime: '02:00:00+08:00', EndTime: '05:00:00' }, 'malformed'],
  ];
  for (const [w, want] of cases) {
    const c = checkMaintenanceWindow(w);
    const got = c.ok ? (c.window ? 'ok' : 'none') : c.reason;
    assert.equal(got, want, JSON.stringify(w));
    if (c.ok && c.window) assert.deepEqual(c.window, { startTime: w!.StartTime, endTime: w!.EndTime }, 'kept as given');
  }
});

test('action on maintenance (table)', () => {
  const cases: [string, boolean, string][] = [
    ['Stop', false, 'ok'], ['AutoRecover', false, 'ok'], ['AutoRedeploy', false, 'unsupported'],
    ['AutoRedeploy', true, 'ok'], ['stop', false, 'unknown'], ['', false, 'unknown'], ['Reboot', true, 'unknown'],
  ];
  for (const [value, local, want] of cases) {
    const c = checkActionOnMaintenance(value, local);
    assert.equal(c.ok ? 'ok' : c.reason, want, `${value} local=${local}`);
  }
});

test('private pool options (table)', () => {
  const exists = (id: string) => id === 'eap-exists';
  const cases: [string | undefined, string | undefined, string][] = [
    [undefined, undefined, 'Open/'], ['Open', undefined, 'Open/'], ['None', '', 'None/'],
    ['Target', 'eap-exists', 'Target/eap-exists'], ['Target', undefined, 'missing-id'], ['Target', 'eap-nope', 'pool-not-found'],
    ['Open', 'eap-exists', 'id-not-allowed'], ['open', undefined, 'unknown-criteria'], ['Any', undefined, 'unknown-criteria'],
  ];
  for (const [criteria, id, want] of cases) {
    const c = checkPrivatePoolOptions(criteria, id, exists);
    assert.equal(c.ok ? `${c.matchCriteria}/${c.id}` : c.reason, want, `${criteria} ${id}`);
  }
  assert.equal((checkPrivatePoolOptions('Target', 'eap-any') as { reason: string }).reason, 'pool-not-found', 'no pools exist by default');
});

test('ModifyInstanceVpcAttribute move rules (table)', () => {
  const instance = { status: 'Stopped', zoneId: 'z-a', vpcId: 'vpc-1', vswitchId: 'vsw-1', privateIp: '10.0.0.5' };
  const vsw1 = { id: 'vsw-1', zoneId: 'z-a', vpcId: 'vpc-1', cidr: '10.0.0.0/24', status: 'Available' };
  const vsw2 = { id: 'vsw-2', zoneId: 'z-a', vpcId: 'vpc-1', cidr: '10.0.1.0/29', status: 'Available' };
  const vswB = { id: 'vsw-b', zoneId: 'z-b', vpcId: 'vpc-1', cidr: '10.0.2.0/24', status: 'Available' };
  const vswOther = { id: 'vsw-o', zoneId: 'z-a', vpcId: 'vpc-2', cidr: '172.16.0.0/24', status: 'Available' };
  const sg2 = { id: 'sg-2', vpcId: 'vpc-2', type: 'normal' };
  const sg2e = { id: 'sg-2e', vpcId: 'vpc-2', type: 'enterprise' };
  const sg1 = { id: 'sg-1', vpcId: 'vpc-1', type: 'normal' };
  const used = (...ips: string[]) => new Set(ips.map((ip) => parseIpv4(ip)!));
  const base: MoveRequest = { instance, vswitch: vsw1, groupIds: [], groups: [], used: used() };
  // [name, request, expected code or "vswitch/vpc/ip[/groups]" or "noop"]
  const cases: [string, Partial<MoveRequest>, string][] = [
    ['running instance', { instance: { ...instance, status: 'Running' } }, 'IncorrectInstanceStatus'],
    ['unknown vswitch', { vswitch: undefined }, 'InvalidVSwitchId.NotFound'],
    ['vswitch not available', { vswitch: { ...vsw2, status: 'Pending' } }, 'IncorrectVSwitchStatus'],
    ['other zone', { vswitch: vswB }, 'InvalidVSwitchId.Mismatch'],
    ['other vpc without VpcId', { vswitch: vswOther }, 'InvalidVSwitch.NotBelongToVpc'],
    ['groups without VpcId', { vswitch: vsw2, groupIds: ['sg-1'], groups: [sg1] }, 'InvalidParameter.MustBeEmpty'],
    ['same vswitch, same address', { privateIp: '10.0.0.5' }, 'noop'],
    ['same vswitch, no address', {}, 'noop'],
    ['same vswitch, new address', { privateIp: '10.0.0.9' }, 'vsw-1/vpc-1/10.0.0.9'],
    ['new vswitch, lowest free', { vswitch: vsw2, used: used('10.0.1.1') }, 'vsw-2/vpc-1/10.0.1.2'],
    ['new vswitch full', { vswitch: vsw2, used: used('10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4') }, 'InvalidParameter.NotEnoughIpInVSwitch'],
    ['address taken', { privateIp: '10.0.0.9', used: used('10.0.0.9') }, 'InvalidPrivateIpAddress.Duplicated'],
    ['address outside block', { vswitch: vsw2, privateIp: '10.0.0.9' }, 'InvalidPrivateIpAddress.Mismatch'],
    ['reserved head', { privateIp: '10.0.0.0' }, 'InvalidPrivateIpAddress.Mismatch'],
    ['reserved tail', { privateIp: '10.0.0.253' }, 'InvalidPrivateIpAddress.Mismatch'],
    ['malformed address', { privateIp: '10.0.0.300' }, 'InvalidPrivateIpAddress.Malformed'],
    ['to another vpc', { vswitch: vswOther, vpcId: 'vpc-2', groupIds: ['sg-2'], groups: [sg2] }, 'vsw-o/vpc-2/172.16.0.1/sg-2'],
    ['to another vpc with address', { vswitch: vswOther, vpcId: 'vpc-2', groupIds: ['sg-2'], groups: [sg2], privateIp: '172.16.0.10' }, 'vsw-o/vpc-2/172.16.0.10/sg-2'],
    ['vpc without groups', { vswitch: vswOther, vpcId: 'vpc-2' }, 'InvalidParameter.SecurityGroupId'],
    ['vpc, vswitch of another vpc', { vswitch: vsw2, vpcId: 'vpc-2', groupIds: ['sg-2'], groups: [sg2] }, 'InvalidVSwitch.NotBelongToVpc'],
    ['vpc is the current one', { vswitch: vsw2, vpcId: 'vpc-1', groupIds: ['sg-1'], groups: [sg1] }, 'InvalidParameter.AlreadyInTargetVpc'],
    ['vpc, unknown group', { vswitch: vswOther, vpcId: 'vpc-2', groupIds: ['sg-x'], groups: [] }, 'InvalidSecurityGroupId.NotFound'],
    ['vpc, group of the old vpc', { vswitch: vswOther, vpcId: 'vpc-2', groupIds: ['sg-1'], groups: [sg1] }, 'InvalidSecurityGroupVpc.NotBelongToOneVpc'],
    ['vpc, repeated group', { vswitch: vswOther, vpcId: 'vpc-2', groupIds: ['sg-2', 'sg-2'], groups: [sg2] }, 'InvalidParameter.SecurityGroupIdRepeated'],
    ['vpc, mixed group types', { vswitch: vswOther, vpcId: 'vpc-2', groupIds: ['sg-2', 'sg-2e'], groups: [sg2, sg2e] }, 'EnterpriseGroupLimited.MutliGroupType'],
    ['primary ENI with secondary addresses', { vswitch: vsw2, secondaryIps: 1 }, 'PrimaryEniHasSubIp'],
    ['vpc, secondary ENI attached', { vswitch: vswOther, vpcId: 'vpc-2', groupIds: ['sg-2'], groups: [sg2], secondaryEnis: 1 }, 'InvalidInstance.AttachedEni'],
    ['vswitch of its vpc, secondary ENI attached', { vswitch: vsw2, secondaryEnis: 1 }, 'vsw-2/vpc-1/10.0.1.1'],
    ['vpc, six groups', { vswitch: vswOther, vpcId: 'vpc-2', groupIds: ['a', 'b', 'c', 'd', 'e', 'f'], groups: [] }, 'JoinedGroupLimitExceed'],
  ];
  for (const [name, patch, want] of cases) {
    const r = planVpcMove({ ...base, ...patch });
    let got: string;
    if (!r.ok) got = r.code;
    else if (!r.plan.changed) got = 'noop';
    else got = [r.plan.vswitchId, r.plan.vpcId, r.plan.privateIp, ...(r.plan.groupIds ? [r.plan.groupIds.join(',')] : [])].join('/');
    assert.equal(got, want, name);
  }
});

test('public address pool (table)', () => {
  const regions = ['r1', 'r2', 'r3'];
  const split = parsePublicIpPool(undefined, regions);
  assert.ok(split.ok);
  if (split.ok) {
    assert.deepEqual([...split.blocks].map(([r, c]) => `${r}=${formatCidr(c)}`), ['r1=198.18.0.0/17', 'r2=198.18.128.0/17', 'r3=198.19.0.0/17']);
  }
  const nine = parsePublicIpPool('198.18.0.0/15', Array.from({ length: 9 }, (_, i) => `r${i}`));
  assert.ok(nine.ok && formatCidr(nine.blocks.get('r8')!) === '198.19.0.0/19', 'nine regions get /19 blocks');
  const explicit = parsePublicIpPool('r1=203.0.113.0/24, r2=198.51.100.0/30', regions);
  assert.ok(explicit.ok && explicit.blocks.size === 2 && !explicit.blocks.has('r3'));
  const bad: [string, string[]][] = [
    ['nonsense', regions], ['198.18.0.1/15', regions], ['r1=10.0.0.0/24,r2=10.0.0.128/25', regions], ['r1=10.0.0.0/31', regions], ['10.0.0.0/30', regions],
  ];
  for (const [spec, rs] of bad) assert.equal(parsePublicIpPool(spec, rs).ok, false, spec);

  const small = (parsePublicIpPool('r1=203.0.113.0/30', regions) as { blocks: Map<string, any> }).blocks.get('r1');
  assert.deepEqual(poolRange(small), { first: parseIpv4('203.0.113.1'), last: parseIpv4('203.0.113.2') });
  const used = new Set<number>();
  const got: (string | undefined)[] = [];
  for (let i = 0; i < 3; i++) {
    const ip = lowestFreePublic(small, used);
    got.push(ip === undefined ? undefined : formatIpv4(ip));
    if (ip !== undefined) used.add(ip);
  }
  assert.deepEqual(got, ['203.0.113.1', '203.0.113.2', undefined], 'network and broadcast addresses are never handed out');
});

test('secondary private addresses of an ENI (table)', () => {
  const used = new Set(['10.0.0.1', '10.0.0.2'].map((ip) => parseIpv4(ip)!));
  const base: AssignRequest = { vswitchCidr: '10.0.0.0/29', used, current: 0, limit: 6 };
  const cases: [string, Partial<AssignRequest>, string][] = [
    ['count: lowest free', { count: 2 }, '10.0.0.3,10.0.0.4'],
    ['named', { requested: ['10.0.0.4'] }, '10.0.0.4'],
    ['both', { count: 1, requested: ['10.0.0.4'] }, 'InvalidParameter.Conflict'],
    ['neither', {}, 'MissingParameter'],
    ['over the type limit', { count: 2, current: 4 }, 'MaxEniPrivateIpsCountExceeded'],
    ['up to the limit', { count: 1, current: 4, vswitchCidr: '10.0.0.0/24' }, '10.0.0.3'],
    ['not enough free', { count: 3 }, 'InvalidVSwitchId.IpNotEnough'],
    ['taken', { requested: ['10.0.0.2'] }, 'InvalidPrivateIpAddress.Duplicated'],
    ['repeated', { requested: ['10.0.0.4', '10.0.0.4'] }, 'InvalidIp.IpRepeated'],
    ['outside', { requested: ['10.0.1.4'] }, 'InvalidVSwitchId.IpInvalid'],
    ['reserved', { requested: ['10.0.0.5'] }, 'InvalidVSwitchId.IpInvalid'],
    ['malformed', { requested: ['10.0.0.x'] }, 'InvalidPrivateIpAddress.Malformed'],
  ];
  for (const [name, patch, want] of cases) {
    const r = planSecondaryIps({ ...base, ...patch });
    assert.equal(r.ok ? r.ips.join(',') : r.code, want, name);
  }
});

test('jumbo frames by instance type (table)', () => {
  const cases: [string, boolean | undefined, boolean, boolean][] = [
    // type, RunInstances NetworkOptions.EnableJumboFrame, supported, launched with it
    ['ecs.g7.large', undefined, true, true], ['ecs.c7.xlarge', true, true, true], ['ecs.r7.2xlarge', false, true, false],
    ['ecs.g6.large', undefined, false, false], ['ecs.g6.large', true, false, false], ['ecs.t6-c1m1.large', undefined, false, false],
    ['ecs.s2.small', undefined, false, false], ['ecs.g7', undefined, true, true],
  ];
  for (const [type, requested, supported, launched] of cases) {
    assert.equal(supportsJumboFrames(type), supported, type);
    assert.equal(launchJumboFrames(type, requested), launched, `${type} ${requested}`);
  }
});

test('subscription periods and renewal (table)', () => {
  const now = Date.parse('2026-01-31T10:00:00Z');
  const cases: [SubscriptionRequest, string][] = [
    [{ chargeType: 'PostPaid' }, 'payg'],
    [{ chargeType: 'PostPaid', period: 1 }, 'InvalidParameter'],
    [{ chargeType: 'PostPaid', autoRenew: true }, 'InvalidParameter'],
    [{ chargeType: 'PrePaid' }, 'InvalidPeriod'],
    [{ chargeType: 'PrePaid', period: 1 }, '2026-02-28T10:00:00.000Z Normal 0 Month'],
    [{ chargeType: 'PrePaid', period: 12, autoRenew: true, autoRenewPeriod: 6 }, '2027-01-31T10:00:00.000Z AutoRenewal 6 Month'],
    [{ chargeType: 'PrePaid', period: 2, periodUnit: 'Week', autoRenew: true }, '2026-02-14T10:00:00.000Z AutoRenewal 1 Week'],
    [{ chargeType: 'PrePaid', period: 10 }, 'InvalidPeriod'],
    [{ chargeType: 'PrePaid', period: 5, periodUnit: 'Week' }, 'InvalidPeriod'],
    [{ chargeType: 'PrePaid', period: 1, periodUnit: 'Year' }, 'InvalidPeriodType.ValueNotSupported'],
    [{ chargeType: 'PrePaid', period: 1, autoRenew: true, autoRenewPeriod: 4 }, 'InvalidAutoRenewPeriod.ValueNotSupported'],
    [{ chargeType: 'PrePaid', period: 1, periodUnit: 'Week', autoRenew: true, autoRenewPeriod: 4 }, 'InvalidAutoRenewPeriod.ValueNotSupported'],
  ];
  for (const [req, want] of cases) {
    const c = checkSubscription(req, now);
    const got = !c.ok ? c.code : c.subscription.expiresAt === null ? 'payg'
      : `${new Date(c.subscription.expiresAt).toISOString()} ${c.subscription.renewalStatus} ${c.subscription.renewalDuration} ${c.subscription.renewalUnit}`;
    assert.equal(got, want, JSON.stringify(req));
  }
  assert.equal(new Date(addPeriod(Date.parse('2028-01-31T00:00:00Z'), 1, 'Month')).toISOString(), '2028-02-29T00:00:00.000Z', 'leap February');
  assert.equal(new Date(addPeriod(Date.parse('2026-11-23T06:00:00Z'), 60, 'Month')).toISOString(), '2031-11-23T06:00:00.000Z');
});
