/** The rules of secondary network interfaces (src/domain/network-interfaces.ts), table-driven. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  checkAttach, checkDelete, checkDetach, checkEniGroups, checkModify, eniGiveUp, nextDeviceIndex, settledEniStatus,
  type AttachTarget, type AttachingEni, type EniGroup, type EniState,
} from '../../src/domain/network-interfaces.js';

const code = (r: { code: string } | undefined) => r?.code ?? 'ok';

describe('network interface rules', () => {
  it('checkEniGroups: existence, VPC, count, duplicates and one group type', () => {
    const g = (id: string, vpcId = 'vpc-a', type = 'normal'): EniGroup => ({ id, vpcId, type });
    const found = [g('sg-1'), g('sg-2'), g('sg-e', 'vpc-a', 'enterprise'), g('sg-x', 'vpc-b'), g('sg-c', ''), g('sg-3'), g('sg-4'), g('sg-5'), g('sg-6')];
    const table: [string[], string][] = [
      [['sg-1'], 'ok'],
      [['sg-1', 'sg-2'], 'ok'],
      [[], 'MissingParameter'],
      [['sg-1', 'sg-1'], 'InvalidParameter.SecurityGroupIdRepeated'],
      [['sg-1', 'sg-2', 'sg-3', 'sg-4', 'sg-5', 'sg-6'], 'JoinedGroupLimitExceed'],
      [['sg-none'], 'InvalidSecurityGroupId.NotFound'],
      [['sg-c'], 'InvalidSecurityGroupId.NotVpc'],
      [['sg-x'], 'InvalidOperation.VpcMismatch'],
      [['sg-1', 'sg-e'], 'MIXED'],
    ];
    for (const [ids, want] of table) assert.equal(code(checkEniGroups(ids, found, 'vpc-a', 'MIXED')), want, ids.join(','));
  });

  const eni = (o: Partial<EniState> = {}): EniState => ({ id: 'eni-1', type: 'Secondary', status: 'Available', instanceId: '', ...o });

  it('checkDelete and checkModify: by type and state', () => {
    const table: [EniState, string, string][] = [
      [eni(), 'ok', 'ok'],
      [eni({ status: 'InUse', instanceId: 'i-1' }), 'InvalidOperation.InvalidEniState', 'ok'],
      [eni({ status: 'Attaching', instanceId: 'i-1' }), 'InvalidOperation.InvalidEniState', 'InvalidOperation.InvalidEniState'],
      [eni({ status: 'Deleting' }), 'InvalidOperation.InvalidEniState', 'InvalidOperation.InvalidEniState'],
      [eni({ type: 'Primary', status: 'InUse', instanceId: 'i-1' }), 'InvalidOperation.InvalidEniType', 'InvalidOperation.PrimaryEniOnlySupportModifyNameAndDesc'],
    ];
    for (const [e, del, mod] of table) {
      assert.equal(code(checkDelete(e)), del, `delete ${e.type} ${e.status}`);
      assert.equal(code(checkModify(e, true)), mod, `modify ${e.type} ${e.status}`);
    }
    assert.equal(code(checkModify(eni({ type: 'Primary', status: 'InUse' }), false)), 'ok', 'a primary ENI is renamed');
  });

  it('checkAttach: type, states, VPC, zone, EniQuantity, addresses and group types', () => {
    const e = (o: Partial<AttachingEni> = {}): AttachingEni => ({ ...eni(), vpcId: 'vpc-a', zoneId: 'z-a', privateIps: 1, groupTypes: ['normal'], ...o });
    const i = (o: Partial<AttachTarget> = {}): AttachTarget => ({ id: 'i-1', status: 'Running', vpcId: 'vpc-a', zoneId: 'z-a', attached: 1, eniQuantity: 2, eniPrivateIps: 6, groupTypes: ['normal'], ...o });
    const table: [AttachingEni, AttachTarget, string][] = [
      [e(), i(), 'ok'],
      [e(), i({ status: 'Stopped' }), 'ok'],
      [e({ type: 'Primary' }), i(), 'InvalidOperation.InvalidEniType'],
      [e({ status: 'InUse' }), i(), 'InvalidOperation.InvalidEniState'],
      [e(), i({ status: 'Pending' }), 'InvalidOperation.InvalidEcsState'],
      [e(), i({ status: 'Stopping' }), 'InvalidOperation.InvalidEcsState'],
      [e({ vpcId: 'vpc-b' }), i(), 'InvalidOperation.VpcMismatch'],
      [e({ zoneId: 'z-b' }), i(), 'InvalidOperation.AvailabilityZoneMismatch'],
      [e(), i({ attached: 2 }), 'EniPerInstanceLimitExceeded'],
      [e({ privateIps: 7 }), i(), 'InvalidOperation.Ipv4CountExceeded'],
      [e({ groupTypes: ['enterprise'] }), i(), 'InvalidOperation.MultiGroupType'],
    ];
    for (const [a, b, want] of table) assert.equal(code(checkAttach(a, b)), want, JSON.stringify([a, b]));
  });

  it('checkDetach: the primary ENI stays, the instance must be the one, InUse, Running or Stopped', () => {
    const running = { id: 'i-1', status: 'Running' };
    const table: [EniState, { id: string; status: string }, string][] = [
      [eni({ status: 'InUse', instanceId: 'i-1' }), running, 'ok'],
      [eni({ status: 'InUse', instanceId: 'i-1' }), { id: 'i-1', status: 'Stopped' }, 'ok'],
      [eni({ type: 'Primary', status: 'InUse', instanceId: 'i-1' }), running, 'InvalidOperation.DetachPrimaryEniNotAllowed'],
      [eni({ status: 'InUse', instanceId: 'i-2' }), running, 'InvalidParameter.EniNotBelongEcs'],
      [eni({ status: 'Attaching', instanceId: 'i-1' }), running, 'InvalidOperation.InvalidEniState'],
      [eni({ status: 'InUse', instanceId: 'i-1' }), { id: 'i-1', status: 'Starting' }, 'InvalidOperation.InvalidEcsState'],
    ];
    for (const [e, inst, want] of table) assert.equal(code(checkDetach(e, inst)), want, JSON.stringify([e, inst]));
  });

  it('device indexes, settled states and give-ups', () => {
    assert.equal(nextDeviceIndex([0]), 1);
    assert.equal(nextDeviceIndex([0, 1, 3]), 2);
    assert.equal(nextDeviceIndex([]), 1);
    const table: [string, string | undefined, { to: string; detach: boolean } | undefined][] = [
      ['Attaching', 'InUse', { to: 'Available', detach: true }],
      ['Detaching', 'Available', { to: 'InUse', detach: false }],
      ['Deleting', 'Deleted', undefined],
      ['Available', undefined, undefined],
      ['InUse', undefined, undefined],
    ];
    for (const [status, settled, giveUp] of table) {
      assert.equal(settledEniStatus(status), settled, status);
      assert.deepEqual(eniGiveUp(status), giveUp, status);
    }
  });
});
