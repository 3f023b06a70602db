/**
 * Security group capacity limits of the guides: a basic group holds 2,000 private addresses, an
 * advanced one 65,536 (security guide §1.2, 001:L123, L216), and an instance joins at most 5
 * groups (L745). Members beyond the launched instances are written as rows: only their count matters.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, type TestServer } from '../helpers/server.js';
import { runRequest, type Network } from '../helpers/fixtures.js';
import { R, startWithInstance } from './storage-fixtures.js';

describe('security group capacity and groups per instance', () => {
  let s: TestServer;
  let net: Network;
  let vm: string;

  before(async () => { ({ s, net, vm } = await startWithInstance()); });
  after(async () => { await s.close(); });

  async function group(type: 'normal' | 'enterprise' = 'normal'): Promise<string> {
    return (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId, securityGroupType: type }))).body!.securityGroupId!;
  }
  /** `count` more members of the group (rows; the limit counts memberships). */
  let filler = 0;
  async function fill(groupId: string, count: number): Promise<void> {
    for (let i = 0; i < count; i += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - i) }, () => ({ instance_id: `i-filler${++filler}`, security_group_id: groupId, position: 0 }));
      await s.app.services.db.insertInto('instance_security_groups').values(rows).execute();
    }
  }
  async function available(groupId: string): Promise<number> {
    const r = await s.ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: R, securityGroupId: groupId }));
    return r.body!.securityGroups!.securityGroup![0]!.availableInstanceAmount!;
  }

  it('a basic group takes 2,000 members: launch, join and replace beyond it are refused with each action\'s code', async () => {
    const g = await group();
    await fill(g, 1998);
    assert.equal(await available(g), 2);
    const two = await expectEcsError(() => s.ecs.runInstances(runRequest(net, { securityGroupId: g, amount: 3 })));
    assert.deepEqual([two.code, two.statusCode], ['SecurityGroupInstanceLimitExceed', 403]);
    await s.ecs.runInstances(runRequest(net, { securityGroupId: g, amount: 2 }));
    assert.equal(await available(g), 0);
    const table: [string, () => Promise<unknown>, string, number][] = [
      ['RunInstances', () => s.ecs.runInstances(runRequest(net, { securityGroupId: g })), 'SecurityGroupInstanceLimitExceed', 403],
      ['CreateInstance', () => s.ecs.createInstance(new $Ecs.CreateInstanceRequest({
        regionId: R, imageId: net.imageId, instanceType: 'ecs.g7.large', vSwitchId: net.vswitchId, securityGroupId: g,
      })), 'SecurityGroupInstanceLimitExceed', 403],
      ['JoinSecurityGroup', () => s.ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ instanceId: vm, securityGroupId: g })), 'SecurityGroupInstanceLimitExceeded', 403],
      ['ModifyInstanceAttribute', () => s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: vm, securityGroupIds: [net.securityGroupId, g] })), 'SecurityGroupInstanceLimitExceed', 403],
    ];
    for (const [name, fn, code, status] of table) {
      const e = await expectEcsError(fn);
      assert.deepEqual([e.code, e.statusCode], [code, status], name);
    }
    // Re-stating groups the instance is already in does not count it twice.
    await s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: vm, securityGroupIds: [net.securityGroupId] }));
  });

  it('an advanced group takes 65,536', async () => {
    const adv = await group('enterprise');
    await fill(adv, 2000);
    assert.equal(await available(adv), 63536);
    // Beyond a basic group's 2,000: still room.
    await s.ecs.runInstances(runRequest(net, { securityGroupId: adv }));
    await fill(adv, 65535 - 2001);
    assert.equal(await available(adv), 1);
    const e = await expectEcsError(() => s.ecs.runInstances(runRequest(net, { securityGroupId: adv, amount: 2 })));
    assert.deepEqual([e.code, e.statusCode], ['SecurityGroupInstanceLimitExceed', 403]);
    await s.ecs.runInstances(runRequest(net, { securityGroupId: adv }));
    assert.equal(await available(adv), 0);
  });

  it('an instance is in at most 5 groups', async () => {
    const extra: string[] = [];
    for (let i = 0; i < 5; i++) extra.push(await group());
    const six = await expectEcsError(() => s.ecs.runInstances(runRequest(net, { securityGroupId: undefined, securityGroupIds: [net.securityGroupId, ...extra] })));
    assert.equal(six.code, 'InstanceSecurityGroupLimitExceeded');
    for (const g of extra.slice(0, 4)) await s.ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ instanceId: vm, securityGroupId: g }));
    const e = await expectEcsError(() => s.ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ instanceId: vm, securityGroupId: extra[4] })));
    assert.deepEqual([e.code, e.statusCode], ['InstanceSecurityGroupLimitExceeded', 400]);
  });
});
