import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { createAccount } from '../../src/auth/accounts.js';

const R = 'cn-hangzhou';

describe('instances on the sim driver', () => {
  let s: TestServer;
  let n: Network;
  before(async () => {
    s = await startTestServer({ simDelayMs: 1000 });
    n = await createNetwork(s);
  });
  after(async () => { await s.close(); });

  async function statusOf(id: string): Promise<string> {
    const r = await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }));
    return r.body!.status!;
  }
  async function run(extra: Record<string, unknown> = {}): Promise<string[]> {
    const r = await s.ecs.runInstances(runRequest(n, extra));
    return r.body!.instanceIdSets!.instanceIdSet!;
  }

  it('RunInstances goes Pending → Starting → Running with ECS-like ids and ordered names', async () => {
    const ids = await run({ amount: 3, instanceName: 'web-[1,3]', hostName: 'web-[1,2].prod', tag: [new $Ecs.RunInstancesRequestTag({ key: 'env', value: 'test' })] });
    assert.equal(ids.length, 3);
    for (const id of ids) assert.match(id, /^i-[a-z0-9]{20}$/);
    assert.equal(await statusOf(ids[0]!), 'Pending');
    await s.advance(1000);
    assert.equal(await statusOf(ids[0]!), 'Starting');
    await s.advance(1000);
    assert.equal(await statusOf(ids[0]!), 'Running');
    const d = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify(ids) }));
    const list = d.body!.instances!.instance!;
    assert.deepEqual(list.map((i) => i.instanceName).sort(), ['web-001', 'web-002', 'web-003']);
    assert.deepEqual(list.map((i) => i.hostName).sort(), ['web-01.prod', 'web-02.prod', 'web-03.prod']);
    const one = list[0]!;
    assert.equal(one.cpu, 2);
    assert.equal(one.memory, 8192);
    assert.equal(one.vpcAttributes!.vpcId, n.vpcId);
    assert.match(one.vpcAttributes!.privateIpAddress!.ipAddress![0]!, /^192\.168\./);
    assert.deepEqual(one.securityGroupIds!.securityGroupId, [n.securityGroupId]);
    assert.match(one.creationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    assert.deepEqual(one.tags!.tag!.map((t) => [t.tagKey, t.tagValue]), [['env', 'test']]);
    const ips = new Set(list.map((i) => i.vpcAttributes!.privateIpAddress!.ipAddress![0]));
    assert.equal(ips.size, 3, 'each instance has its own private IP');
  });

  it('UniqueSuffix and HostNames.N', async () => {
    const ids = await run({ amount: 2, instanceName: 'db', uniqueSuffix: true, hostNames: ['db-a', 'db-b'] });
    const d = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify(ids) }));
    assert.deepEqual(d.body!.instances!.instance!.map((i) => i.instanceName).sort(), ['db001', 'db002']);
    assert.deepEqual(d.body!.instances!.instance!.map((i) => i.hostName).sort(), ['db-a', 'db-b']);
  });

  it('refuses bad names, passwords, user data and amounts with ECS codes', async () => {
    const cases: [Record<string, unknown>, string, number][] = [
      [{ instanceName: '1bad' }, 'InvalidInstanceName.Malformed', 400],
      [{ hostName: '-bad' }, 'InvalidHostName.Malformed', 400],
      [{ password: 'short1A' }, 'InvalidPassword.Malformed', 400],
      [{ password: 'alllowercase' }, 'InvalidPassword.Malformed', 400],
      [{ password: 'EcsV587!', passwordInherit: true }, 'InvalidPasswordParam.Mismatch', 400],
      [{ userData: 'not base64!' }, 'InvalidUserData.Base64FormatInvalid', 400],
      [{ userData: Buffer.alloc(32 * 1024 + 1, 'a').toString('base64') }, 'InvalidUserData.SizeExceeded', 400],
      [{ amount: 0 }, 'InvalidParam.Amount', 403],
      [{ amount: 101 }, 'InvalidParam.Amount', 403],
      [{ amount: 2, minAmount: 3 }, 'InvalidMinAmount.Malformed', 400],
      [{ vSwitchId: 'vsw-doesnotexist00000000' }, 'InvalidVSwitchId.NotFound', 404],
      [{ securityGroupId: 'sg-doesnotexist000000000' }, 'InvalidSecurityGroupId.NotFound', 404],
      [{ imageId: 'no_such_image.vhd' }, 'InvalidImageId.NotFound', 404],
      [{ instanceType: 'ecs.nope.large' }, 'InvalidInstanceType.ValueNotSupported', 400],
      [{ autoReleaseTime: '2026-11-23T06:10:00Z' }, 'InvalidAutoReleaseTime.Malformed', 400],
      [{ keyPairName: 'nokey' }, 'InvalidKeyPairName.NotFound', 404],
    ];
    for (const [extra, code, status] of cases) {
      const e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, extra)));
      assert.equal(e.code, code, JSON.stringify(extra).slice(0, 80));
      assert.equal(e.statusCode, status, `${code} status`);
    }
  });

  it('accepts 32 KiB of user data through the V3 SDK (everything in the URL) and returns it', async () => {
    const userData = Buffer.alloc(32 * 1024, '#!/bin/sh\necho hi\n').toString('base64');
    const [id] = await run({ userData });
    const r = await s.ecs.describeUserData(new $Ecs.DescribeUserDataRequest({ regionId: R, instanceId: id }));
    assert.equal(r.body!.userData, userData);
  });

  it('DryRun answers DryRunOperation and creates nothing', async () => {
    const before = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!.totalCount;
    const e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, { dryRun: true })));
    assert.equal(e.code, 'DryRunOperation');
    assert.equal(e.statusCode, 400);
    const after = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!.totalCount;
    assert.equal(after, before);
  });

  it('ClientToken replays the first answer and refuses changed parameters', async () => {
    const a = await run({ clientToken: 'token-1', amount: 2 });
    const b = await run({ clientToken: 'token-1', amount: 2 });
    assert.deepEqual(b, a);
    const e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, { clientToken: 'token-1', amount: 1 })));
    assert.equal(e.code, 'IdempotentParameterMismatch');
    assert.equal(e.statusCode, 403);
  });

  it('CreateInstance is Stopped; start, stop, reboot, release with state checks', async () => {
    const c = await s.ecs.createInstance(new $Ecs.CreateInstanceRequest({
      regionId: R, imageId: n.imageId, instanceType: 'ecs.g7.large', vSwitchId: n.vswitchId, securityGroupId: n.securityGroupId,
    }));
    const id = c.body!.instanceId!;
    await s.advance(1000);
    assert.equal(await statusOf(id), 'Stopped');
    let e = await expectEcsError(() => s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id })));
    assert.equal(e.code, 'IncorrectInstanceStatus');
    assert.equal(e.statusCode, 403);
    await s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id }));
    assert.equal(await statusOf(id), 'Starting');
    await s.advance(1000);
    assert.equal(await statusOf(id), 'Running');
    e = await expectEcsError(() => s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id })));
    assert.equal(e.code, 'IncorrectInstanceStatus');
    await s.ecs.rebootInstance(new $Ecs.RebootInstanceRequest({ instanceId: id }));
    assert.equal(await statusOf(id), 'Stopping');
    await s.advance(1000);
    assert.equal(await statusOf(id), 'Starting');
    await s.advance(1000);
    assert.equal(await statusOf(id), 'Running');
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id, stoppedMode: 'StopCharging' }));
    await s.advance(1000);
    assert.equal(await statusOf(id), 'Stopped');
    const d = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }));
    assert.equal(d.body!.instances!.instance![0]!.stoppedMode, 'StopCharging');
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id }));
    e = await expectEcsError(() => s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id })));
    assert.equal(e.code, 'InvalidInstanceId.NotFound');
    assert.equal(e.statusCode, 404);
    const disks = await s.app.services.db.selectFrom('disks').select('id').where('instance_id', '=', id).execute();
    assert.equal(disks.length, 0, 'disks with DeleteWithInstance are released');
  });

  it('Force release of a running instance, and DeletionProtection', async () => {
    const [id] = await run({ deletionProtection: true });
    await s.advance(2000);
    let e = await expectEcsError(() => s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true })));
    assert.equal(e.code, 'InvalidOperation.DeletionProtection');
    assert.equal(e.statusCode, 403);
    await s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, deletionProtection: false }));
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    e = await expectEcsError(() => s.ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: id })));
    assert.equal(e.code, 'InvalidInstanceId.NotFound');
    await s.settle();
    assert.equal(await s.app.services.driver.powerState(id!), 'absent');
  });

  it('batch actions: AllTogether refuses all, SuccessFirst reports each; DRYRUN.SUCCESS', async () => {
    const ids = await run({ amount: 2 });
    await s.advance(2000);
    await s.ecs.stopInstances(new $Ecs.StopInstancesRequest({ regionId: R, instanceId: [ids[0]!] }));
    await s.advance(1000);
    let e = await expectEcsError(() => s.ecs.startInstances(new $Ecs.StartInstancesRequest({ regionId: R, instanceId: ids })));
    assert.equal(e.code, 'IncorrectInstanceStatus');
    assert.equal(await statusOf(ids[0]!), 'Stopped');
    const r = await s.ecs.startInstances(new $Ecs.StartInstancesRequest({ regionId: R, instanceId: ids, batchOptimization: 'SuccessFirst' }));
    const byId = new Map(r.body!.instanceResponses!.instanceResponse!.map((x) => [x.instanceId, x]));
    assert.equal(byId.get(ids[0])!.code, '200');
    assert.equal(byId.get(ids[0])!.currentStatus, 'Starting');
    assert.equal(byId.get(ids[1])!.code, 'IncorrectInstanceStatus');
    e = await expectEcsError(() => s.ecs.deleteInstances(new $Ecs.DeleteInstancesRequest({ regionId: R, instanceId: ids, force: true, dryRun: true })));
    assert.equal(e.code, 'DRYRUN.SUCCESS');
    assert.equal(e.statusCode, 400);
    e = await expectEcsError(() => s.ecs.rebootInstances(new $Ecs.RebootInstancesRequest({ regionId: R, instanceId: ['i-nothere000000000000'] })));
    assert.equal(e.code, 'InvalidInstanceId.NotFound');
    assert.equal(e.statusCode, 404);
    // DeleteInstances answers a RequestId only (its response shape), unlike the Start/Stop/Reboot batches.
    const deleted: any = await s.pop.request('DeleteInstances', { RegionId: R, 'InstanceId.1': ids[0], 'InstanceId.2': ids[1], Force: true });
    assert.deepEqual(Object.keys(deleted), ['RequestId']);
  });

  it('DescribeInstances filters and both paging modes', async () => {
    const tagged = await run({ amount: 3, instanceName: 'pager-[1,2]', tag: [new $Ecs.RunInstancesRequestTag({ key: 'team', value: 'paging' })] });
    const byTag = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, tag: [new $Ecs.DescribeInstancesRequestTag({ key: 'team', value: 'paging' })] }));
    assert.deepEqual(byTag.body!.instances!.instance!.map((i) => i.instanceId).sort(), [...tagged].sort());
    const byName = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceName: 'pager-*' }));
    assert.equal(byName.body!.totalCount, 3);
    const byStatus = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, status: 'Pending', instanceName: 'pager-*' }));
    assert.equal(byStatus.body!.totalCount, 3);
    for (const f of [{ vpcId: n.vpcId }, { vSwitchId: n.vswitchId }, { securityGroupId: n.securityGroupId }, { zoneId: n.zoneId }, { instanceType: 'ecs.g7.large' }, { imageId: n.imageId }]) {
      const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceName: 'pager-*', ...f }));
      assert.equal(r.body!.totalCount, 3, JSON.stringify(f));
    }
    const none = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, vpcId: 'vpc-other', instanceName: 'pager-*' }));
    assert.equal(none.body!.totalCount, 0);
    assert.deepEqual(none.body!.instances!.instance, []);
    const all = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: 100 }))).body!;
    const p1 = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: 2, pageNumber: 2 }))).body!;
    assert.equal(p1.pageNumber, 2);
    assert.equal(p1.pageSize, 2);
    assert.equal(p1.totalCount, all.totalCount);
    assert.deepEqual(p1.instances!.instance!.map((i) => i.instanceId), all.instances!.instance!.slice(2, 4).map((i) => i.instanceId));
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const r = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, maxResults: 10, nextToken: token }))).body!;
      seen.push(...r.instances!.instance!.map((i) => i.instanceId!));
      token = r.nextToken || undefined;
    } while (token);
    assert.deepEqual(seen, all.instances!.instance!.map((i) => i.instanceId));
    let e = await expectEcsError(() => s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: 'i-1,i-2' })));
    assert.equal(e.code, 'InvalidInstanceIds.Malformed');
    e = await expectEcsError(() => s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, pageSize: 101 })));
    assert.equal(e.statusCode, 400);
    e = await expectEcsError(() => s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, nextToken: 'garbage!' })));
    assert.equal(e.code, 'InvalidParameter.NextToken');
    const st = await s.ecs.describeInstanceStatus(new $Ecs.DescribeInstanceStatusRequest({ regionId: R, instanceId: tagged }));
    assert.equal(st.body!.totalCount, 3);
    assert.ok(st.body!.instanceStatuses!.instanceStatus!.every((x) => x.status === 'Pending'));
  });

  it('ModifyInstanceAttribute, ModifyInstanceSpec and the stopped-only rules', async () => {
    const [id] = await run({});
    await s.advance(2000);
    await s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, instanceName: 'renamed', description: 'hello', hostName: 'new-host', password: 'NewPass123!' }));
    let a = (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!;
    assert.equal(a.instanceName, 'renamed');
    assert.equal(a.description, 'hello');
    assert.equal(a.hostName, 'new-host');
    let e = await expectEcsError(() => s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, password: 'weak' })));
    assert.equal(e.code, 'InvalidPassword.Malformed');
    e = await expectEcsError(() => s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, userData: 'ZWNobw==' })));
    assert.equal(e.code, 'IncorrectInstanceStatus');
    e = await expectEcsError(() => s.ecs.modifyInstanceSpec(new $Ecs.ModifyInstanceSpecRequest({ instanceId: id, instanceType: 'ecs.g7.xlarge' })));
    assert.equal(e.code, 'IncorrectInstanceStatus');
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(1000);
    await s.ecs.modifyInstanceSpec(new $Ecs.ModifyInstanceSpecRequest({ instanceId: id, instanceType: 'ecs.g7.xlarge', internetMaxBandwidthOut: 5 }));
    a = (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!;
    assert.equal(a.instanceType, 'ecs.g7.xlarge');
    assert.equal(a.cpu, 4);
    assert.equal(a.internetMaxBandwidthOut, 5);
    await s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, userData: 'ZWNobw==' }));
    const u = await s.ecs.describeUserData(new $Ecs.DescribeUserDataRequest({ regionId: R, instanceId: id }));
    assert.equal(u.body!.userData, 'ZWNobw==');
  });

  it('ModifyInstanceAutoReleaseTime: the timer releases the instance', async () => {
    const [id] = await run({});
    await s.advance(2000);
    const e = await expectEcsError(() => s.ecs.modifyInstanceAutoReleaseTime(new $Ecs.ModifyInstanceAutoReleaseTimeRequest({ instanceId: id, autoReleaseTime: '2020-01-01T00:00:00Z' })));
    assert.equal(e.code, 'InvalidAutoReleaseTime.Malformed');
    const at = new Date(s.clock.now() + 3600_000).toISOString().slice(0, 19) + 'Z';
    await s.ecs.modifyInstanceAutoReleaseTime(new $Ecs.ModifyInstanceAutoReleaseTimeRequest({ instanceId: id, autoReleaseTime: at }));
    const d = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }));
    assert.equal(d.body!.instances!.instance![0]!.autoReleaseTime, at.slice(0, 16) + 'Z');
    await s.advance(3600_000);
    const gone = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }));
    assert.equal(gone.body!.totalCount, 0);
  });

  it('security group membership: join, leave, the last group stays', async () => {
    const [id] = await run({});
    await s.advance(2000);
    const sg2 = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: n.vpcId, securityGroupName: 'second' }))).body!.securityGroupId!;
    await s.ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ instanceId: id, securityGroupId: sg2 }));
    let e = await expectEcsError(() => s.ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ instanceId: id, securityGroupId: sg2 })));
    assert.equal(e.code, 'InvalidInstanceId.AlreadyExists');
    await s.ecs.leaveSecurityGroup(new $Ecs.LeaveSecurityGroupRequest({ instanceId: id, securityGroupId: n.securityGroupId }));
    e = await expectEcsError(() => s.ecs.leaveSecurityGroup(new $Ecs.LeaveSecurityGroupRequest({ instanceId: id, securityGroupId: sg2 })));
    assert.equal(e.code, 'InstanceLastSecurityGroup');
    assert.equal(e.statusCode, 403);
    await s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: id, securityGroupIds: [n.securityGroupId, sg2] }));
    const a = (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!;
    assert.deepEqual(a.securityGroupIds!.securityGroupId, [n.securityGroupId, sg2]);
  });

  it('V2 signing, pop-core GET/POST and XML output drive the same instances', async () => {
    const r = await s.ecsV2.runInstances(runRequest(n, { instanceName: 'via-v2' }));
    const id = r.body!.instanceIdSets!.instanceIdSet![0]!;
    const get: any = await s.pop.request('DescribeInstances', { RegionId: R, InstanceIds: JSON.stringify([id]) });
    assert.equal(get.Instances.Instance[0].InstanceName, 'via-v2');
    const post: any = await s.pop.request('RunInstances', {
      RegionId: R, ImageId: n.imageId, InstanceType: 'ecs.g7.large', VSwitchId: n.vswitchId, 'SecurityGroupIds.1': n.securityGroupId,
      'DataDisk.1.Size': 40, 'DataDisk.1.Category': 'cloud_essd', 'Tag.1.Key': 'via', 'Tag.1.Value': 'pop',
    }, { method: 'POST' });
    assert.equal(post.InstanceIdSets.InstanceIdSet.length, 1);
    const xml: string = await fetchXml(s, { Action: 'DescribeInstances', RegionId: R, InstanceIds: JSON.stringify([id]), Format: 'XML' });
    assert.match(xml, /^<\?xml version="1.0" encoding="UTF-8"\?><DescribeInstancesResponse><RequestId>/);
    assert.match(xml, new RegExp(`<Instances><Instance><InstanceId>${id}</InstanceId>`));
  });

  it('tenant isolation: another account sees none of these instances', async () => {
    const other = await createAccount(s.app.services.db, 'tenant-b', Date.now());
    const c = s.clients({ accessKeyId: other.accessKeyId, accessKeySecret: other.accessKeySecret });
    const d = await c.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }));
    assert.equal(d.body!.totalCount, 0);
    const mine = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!.instances!.instance![0]!.instanceId!;
    const e = await expectEcsError(() => c.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: mine })));
    assert.equal(e.code, 'InvalidInstanceId.NotFound');
    const e2 = await expectEcsError(() => c.ecs.runInstances(runRequest(n)));
    assert.equal(e2.code, 'InvalidVSwitchId.NotFound');
  });
});

/** A V2-signed GET built by pop-core's own signer, returning the raw body (XML). */
async function fetchXml(s: TestServer, params: Record<string, string>): Promise<string> {
  const pop: any = s.pop;
  const defaults = pop._buildParams();
  const all: Record<string, string> = { ...defaults, ...params, Version: '2014-05-26' };
  const { v2StringToSign, v2Sign } = await import('../../src/api/signature.js');
  all.Signature = v2Sign(v2StringToSign('GET', all), pop.accessKeySecret);
  const res = await fetch(`${s.url}/?${new URLSearchParams(all)}`);
  return res.text();
}
