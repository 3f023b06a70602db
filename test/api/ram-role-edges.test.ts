/**
 * RAM role edges through the official clients: DeleteRole refused while an instance holds the role
 * (RunInstances or AttachInstanceRamRole), AttachInstanceRamRole's Policy narrowing the
 * credentials the metadata service hands the instance, and AssumeRole's ExternalId decided by the
 * trust policy's `sts:ExternalId` condition.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { $Sts, ramClient, stsClient, type RamClient } from '../helpers/ram.js';
import { instanceRoleCredentials } from '../../src/auth/instance-credentials.js';

const ecsTrust = JSON.stringify({ Version: '1', Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: ['ecs.aliyuncs.com'] } }] });
const only = (...actions: string[]) => JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] });
const R = 'cn-hangzhou';

describe('RAM role edges', () => {
  let s: TestServer;
  let ram: RamClient;
  let net: Network;
  let accountId: string;

  const run = async (extra: Record<string, unknown> = {}) => {
    const r = await s.ecs.runInstances(runRequest(net, extra));
    await s.settle();
    return r.body!.instanceIdSets!.instanceIdSet!;
  };
  const attach = (ids: string[], name: string, policy?: string) =>
    s.ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId: R, instanceIds: JSON.stringify(ids), ramRoleName: name, policy }));
  const detach = (ids: string[]) => s.ecs.detachInstanceRamRole(new $Ecs.DetachInstanceRamRoleRequest({ regionId: R, instanceIds: JSON.stringify(ids) }));
  /** What the metadata service hands the instance (the function it serves the document from). */
  const guestCredentials = async (instanceId: string) => {
    const c = (await instanceRoleCredentials(s.app.services.db, s.app.services.sealer, instanceId, s.clock.now()))!.credentials!;
    return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken };
  };

  before(async () => {
    s = await startTestServer();
    accountId = s.app.root.accountId;
    ram = ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET });
    net = await createNetwork(s);
    for (const name of ['Held', 'Launched', 'Narrowed']) {
      await ram.call('CreateRole', { RoleName: name, AssumeRolePolicyDocument: ecsTrust });
    }
    await ram.call('AttachPolicyToRole', { RoleName: 'Narrowed', PolicyType: 'System', PolicyName: 'AliyunECSReadOnlyAccess' });
  });
  after(() => s.close());

  it('refuses DeleteRole while an instance holds the role, and deletes it once none does', async () => {
    const [a, b] = await run({ amount: 2 });
    await attach([a!], 'Held');
    const [c] = await run({ ramRoleName: 'Launched' });
    for (const [role, holder] of [['Held', a], ['Launched', c]] as const) {
      const e = await expectEcsError(() => ram.call('DeleteRole', { RoleName: role }));
      assert.deepEqual([e.code, e.statusCode], ['DeleteConflict.Role.Instance', 409], role);
      assert.match(e.message, new RegExp(holder!));
      assert.equal((await ram.call('GetRole', { RoleName: role })).Role.RoleName, role);
    }
    await detach([a!]);
    await ram.call('DeleteRole', { RoleName: 'Held' });
    assert.equal((await expectEcsError(() => ram.call('GetRole', { RoleName: 'Held' }))).code, 'EntityNotExist.Role');
    // A released instance holds nothing.
    await s.advance(5000);
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: c!, force: true }));
    await s.settle();
    await ram.call('DeleteRole', { RoleName: 'Launched' });
    // And the role cannot be attached once it is gone.
    const gone = await expectEcsError(() => attach([b!], 'Held'));
    assert.equal(gone.code, 'InvalidRamRole.NotFound');
  });

  it('never leaves an instance holding a deleted role when DeleteRole and an attach race', async () => {
    const ids = await run({ amount: 6 });
    await Promise.all(ids.map((_, i) => ram.call('CreateRole', { RoleName: `Racing${i}`, AssumeRolePolicyDocument: ecsTrust })));
    const outcomes = await Promise.all(ids.map(async (id, i) => {
      const [attached, deleted] = await Promise.allSettled([attach([id], `Racing${i}`), ram.call('DeleteRole', { RoleName: `Racing${i}` })]);
      return { id, attached, deleted };
    }));
    const held = Object.fromEntries((await s.ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId: R, instanceIds: JSON.stringify(ids) })))
      .body!.instanceRamRoleSets!.instanceRamRoleSet!.map((x) => [x.instanceId, x.ramRoleName]));
    for (const [i, o] of outcomes.entries()) {
      const roleExists = await ram.call('GetRole', { RoleName: `Racing${i}` }).then(() => true, () => false);
      if (o.deleted.status === 'fulfilled') {
        assert.equal(roleExists, false);
        assert.equal(held[o.id], '', `${o.id} holds the deleted role Racing${i}`);
      } else {
        assert.equal((o.deleted.reason as { code: string }).code, 'DeleteConflict.Role.Instance');
        assert.equal(held[o.id], `Racing${i}`);
      }
    }
    await detach(ids);
  });

  it('narrows the instance\'s credentials with the attachment\'s Policy, and a new Policy ends the old credentials', async () => {
    const [a] = await run();
    const r = (await attach([a!], 'Narrowed', only('ecs:DescribeInstances'))).body!;
    assert.equal(r.failCount, 0);
    const first = await guestCredentials(a!);
    const guest = s.clients(first).ecs;
    const listed = (await guest.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!;
    assert.ok(listed.instances!.instance!.some((i) => i.instanceId === a));
    // The role allows DescribeDisks (AliyunECSReadOnlyAccess); the attachment's Policy does not.
    const disks = await expectEcsError(() => guest.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R })));
    assert.deepEqual([disks.code, disks.statusCode], ['Forbidden.RAM', 403]);
    // The same credentials are handed out again while they last.
    assert.equal((await guestCredentials(a!)).accessKeyId, first.accessKeyId);

    // Attaching the role again with another Policy: the old credentials end, new ones carry it.
    await attach([a!], 'Narrowed', only('ecs:DescribeDisks'));
    const ended = await expectEcsError(() => guest.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R })));
    assert.equal(ended.code, 'InvalidAccessKeyId.NotFound');
    const second = s.clients(await guestCredentials(a!)).ecs;
    await second.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R }));
    const now = await expectEcsError(() => second.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R })));
    assert.equal(now.code, 'Forbidden.RAM');

    // Without a Policy the role's own permissions apply again; a Policy can never widen them.
    await attach([a!], 'Narrowed', only('ecs:*'));
    const wide = s.clients(await guestCredentials(a!)).ecs;
    await wide.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R }));
    const stop = await expectEcsError(() => wide.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: a! })));
    assert.equal(stop.code, 'Forbidden.RAM');
    await attach([a!], 'Narrowed');
    await s.clients(await guestCredentials(a!)).ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }));
    await detach([a!]);
  });

  it('refuses a Policy that is not a valid policy document or longer than 1,024 characters', async () => {
    const [a] = await run();
    const long = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:Describe*', Resource: 'r'.repeat(1000) }] });
    for (const policy of ['{not json', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Maybe', Action: '*', Resource: '*' }] }), long]) {
      const e = await expectEcsError(() => attach([a!], 'Narrowed', policy));
      assert.deepEqual([e.code, e.statusCode], ['InvalidParameter.Policy', 400], policy.slice(0, 40));
    }
    const roles = (await s.ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId: R, instanceIds: JSON.stringify([a]) }))).body!;
    assert.equal(roles.instanceRamRoleSets!.instanceRamRoleSet![0]!.ramRoleName, '');
  });

  describe('AssumeRole ExternalId', () => {
    let alice: { accessKeyId: string; accessKeySecret: string };
    const assume = (externalId?: string) => stsClient(s.url, alice).assumeRole(new $Sts.AssumeRoleRequest({
      roleArn: `acs:ram::${accountId}:role/Guarded`, roleSessionName: 'alice', externalId,
    }));

    before(async () => {
      await ram.call('CreateUser', { UserName: 'alice' });
      await ram.call('AttachPolicyToUser', { UserName: 'alice', PolicyType: 'System', PolicyName: 'AliyunSTSAssumeRoleAccess' });
      const k = (await ram.call('CreateAccessKey', { UserName: 'alice' })).AccessKey;
      alice = { accessKeyId: k.AccessKeyId, accessKeySecret: k.AccessKeySecret };
      await ram.call('CreateRole', {
        RoleName: 'Guarded',
        AssumeRolePolicyDocument: JSON.stringify({
          Version: '1',
          Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: [`acs:ram::${accountId}:root`] }, Condition: { StringEquals: { 'sts:ExternalId': 'abcd1234' } } }],
        }),
      });
    });

    it('assumes the role only with the ExternalId its trust policy names', async () => {
      const r = (await assume('abcd1234')).body!;
      assert.match(r.credentials!.accessKeyId!, /^STS\./);
      for (const id of [undefined, 'abcd12345', 'ABCD1234']) {
        const e = await expectEcsError(() => assume(id));
        assert.deepEqual([e.code, e.statusCode], ['NoPermission', 403], String(id));
      }
    });

    it('refuses a malformed ExternalId', async () => {
      for (const id of ['a', 'has space', 'x'.repeat(1225)]) {
        const e = await expectEcsError(() => assume(id));
        assert.deepEqual([e.code, e.statusCode], ['InvalidParameter.ExternalId', 400], id.slice(0, 12));
      }
    });

    it('lets a Deny on the ExternalId win', async () => {
      await ram.call('UpdateRole', {
        RoleName: 'Guarded',
        NewAssumeRolePolicyDocument: JSON.stringify({
          Version: '1',
          Statement: [
            { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: [`acs:ram::${accountId}:root`] } },
            { Action: 'sts:AssumeRole', Effect: 'Deny', Principal: { RAM: ['*'] }, Condition: { StringLike: { 'sts:ExternalId': 'blocked-*' } } },
          ],
        }),
      });
      await assume();
      await assume('allowed-1');
      assert.equal((await expectEcsError(() => assume('blocked-1'))).code, 'NoPermission');
    });
  });
});
