/** RunInstances' NetworkInterface.N split into the flat network and the secondary ENI (src/domain/instances/launch-interfaces.ts), table-driven. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { launchInterfaces, type FlatNetwork, type LaunchInterfaceParam } from '../../src/domain/instances/launch-interfaces.js';

const TYPE = { id: 'ecs.g7.large', eniQuantity: 3, queues: 2 };
const GEN1 = { id: 'ecs.t1.small', eniQuantity: 1, queues: 1 };
const P = (o: LaunchInterfaceParam = {}): LaunchInterfaceParam => ({ InstanceType: 'Primary', VSwitchId: 'vsw-1', SecurityGroupIds: ['sg-1'], ...o });
const S = (o: LaunchInterfaceParam = {}): LaunchInterfaceParam => ({ InstanceType: 'Secondary', ...o });

describe('launch network interfaces', () => {
  it('refusals, each the metadata code', () => {
    const table: [string, LaunchInterfaceParam[], FlatNetwork, number, typeof TYPE, string][] = [
      ['none', [], { VSwitchId: 'vsw-1' }, 1, TYPE, 'ok'],
      ['a primary', [P()], {}, 1, TYPE, 'ok'],
      ['a secondary (type defaults to Secondary)', [{ VSwitchId: 'vsw-2' }], { VSwitchId: 'vsw-1' }, 1, TYPE, 'ok'],
      ['both', [P(), S()], {}, 3, TYPE, 'ok'],
      ['three', [P(), S(), S()], {}, 1, TYPE, 'InvalidParam.NetworkInterface'],
      ['two secondaries', [S(), S()], { VSwitchId: 'vsw-1' }, 1, TYPE, 'InvalidParam.NetworkInterface'],
      ['an unknown type', [S({ InstanceType: 'Trunk' })], {}, 1, TYPE, 'InvalidParameter.EniType'],
      ['VSwitchId twice', [P()], { VSwitchId: 'vsw-1' }, 1, TYPE, 'InvalidParam.NetworkInterface'],
      ['groups twice', [P({ VSwitchId: undefined })], { VSwitchId: 'vsw-1', SecurityGroupId: 'sg-1' }, 1, TYPE, 'InvalidParam.NetworkInterface'],
      ['one and many groups', [P({ SecurityGroupId: 'sg-2' })], {}, 1, TYPE, 'InvalidSecurityGroupId.SingleIdAndMultiIdConflict'],
      ['address twice', [P({ PrimaryIpAddress: '10.0.0.9' })], { PrivateIpAddress: '10.0.0.8' }, 1, TYPE, 'InvalidParam.NetworkInterface'],
      ['a name on the primary', [P({ NetworkInterfaceName: 'x1' })], {}, 1, TYPE, 'InvalidParam.NetworkInterface'],
      ['a primary without a VSwitch', [P({ VSwitchId: undefined })], {}, 1, TYPE, 'MissingParameter'],
      ['a primary address for many', [P({ PrimaryIpAddress: '10.0.0.9' })], {}, 2, TYPE, 'InvalidPrimaryIpAddress.SizeInvalid'],
      ['an existing ENI as primary', [P({ NetworkInterfaceId: 'eni-1' })], {}, 1, TYPE, 'InvalidOperation.InvalidNetworkInterfaceId'],
      ['a secondary on a generation I type', [S()], { VSwitchId: 'vsw-1' }, 1, GEN1, 'InvalidInstanceType.ElasticNetworkInterfaceNotSupported'],
      ['an existing ENI and fields', [S({ NetworkInterfaceId: 'eni-1', VSwitchId: 'vsw-1' })], { VSwitchId: 'vsw-1' }, 1, TYPE, 'InvalidParam.NetworkInterface'],
      ['an existing ENI for many', [S({ NetworkInterfaceId: 'eni-1' })], { VSwitchId: 'vsw-1' }, 2, TYPE, 'InvalidParam.NetworkInterface'],
      ['a secondary address for many', [S({ PrimaryIpAddress: '10.0.0.9' })], { VSwitchId: 'vsw-1' }, 2, TYPE, 'InvalidParam.SecondaryNetworkInterface'],
      ['RDMA', [S({ NetworkInterfaceTrafficMode: 'HighPerformance' })], { VSwitchId: 'vsw-1' }, 1, TYPE, 'InvalidParameter.EniTrafficMode'],
      ['Standard', [S({ NetworkInterfaceTrafficMode: 'Standard', NetworkCardIndex: '0', QueuePairNumber: 0 })], { VSwitchId: 'vsw-1' }, 1, TYPE, 'ok'],
      ['queue pairs', [S({ QueuePairNumber: '4' })], { VSwitchId: 'vsw-1' }, 1, TYPE, 'InvalidParameter.QueuePairNumberMustEmpty'],
      ['a second network card', [S({ NetworkCardIndex: 1 })], { VSwitchId: 'vsw-1' }, 1, TYPE, 'InvalidParameter.NetworkCardIndexInvalid'],
      ['queue depths', [S({ RxQueueSize: 8192, TxQueueSize: 8192 })], { VSwitchId: 'vsw-1' }, 1, TYPE, 'InvalidEniQueueSize.RegionOrUserNotSupported'],
      ['too many queues', [S({ QueueNumber: 3 })], { VSwitchId: 'vsw-1' }, 1, TYPE, 'InvalidOperation.MaxEniQueueNumberExceeded'],
      ['too many primary queues', [], { VSwitchId: 'vsw-1', NetworkInterfaceQueueNumber: 3 }, 1, TYPE, 'InvalidOperation.MaxEniQueueNumberExceeded'],
      ['queue number twice', [P({ QueueNumber: 2 })], { NetworkInterfaceQueueNumber: 2 }, 1, TYPE, 'InvalidParam.NetworkInterface'],
      ['empty entries (unset SDK fields)', [{ VSwitchId: '', SecurityGroupIds: [] }], { VSwitchId: 'vsw-1' }, 1, TYPE, 'ok'],
    ];
    for (const [name, entries, flat, amount, type, want] of table) {
      const r = launchInterfaces(entries, flat, amount, type);
      assert.equal(r.ok ? 'ok' : r.refusal.code, want, name);
    }
  });

  it('the primary entry becomes the flat parameters; the secondary one a plan with the launch defaults', () => {
    const r = launchInterfaces([P({ PrimaryIpAddress: '10.0.0.9', QueueNumber: '2' }), S({ VSwitchId: 'vsw-2', SecurityGroupId: 'sg-2', NetworkInterfaceName: 'second', QueueNumber: 1 })], {}, 1, TYPE);
    assert.ok(r.ok);
    assert.deepEqual(r.value.flat, { VSwitchId: 'vsw-1', SecurityGroupId: undefined, SecurityGroupIds: ['sg-1'], PrivateIpAddress: '10.0.0.9', NetworkInterfaceQueueNumber: 2 });
    assert.deepEqual(r.value.secondary, { vswitchId: 'vsw-2', groupIds: ['sg-2'], primaryIp: undefined, name: 'second', description: '', deleteOnRelease: true, queueNumber: 1 });
    const kept = launchInterfaces([S({ DeleteOnRelease: 'false' })], { VSwitchId: 'vsw-1' }, 1, TYPE);
    assert.ok(kept.ok && kept.value.secondary?.deleteOnRelease === false && kept.value.secondary.groupIds === undefined);
    const existing = launchInterfaces([S({ NetworkInterfaceId: 'eni-9' })], { VSwitchId: 'vsw-1' }, 1, TYPE);
    assert.ok(existing.ok && existing.value.secondary?.existingId === 'eni-9');
  });
});
