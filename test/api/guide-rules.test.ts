/**
 * Rules of the user guide found broken (issue 15, point 5), through the official V3 client:
 * ReplaceSystemDisk between Linux and Windows only in mainland China regions (000 L584, L993;
 * 002 L962), and DescribeAccountAttributes with the quotas OpenECS enforces.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Pop from '@alicloud/pop-core';
import { $Ecs, AK, expectEcsError, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

describe('the guide\'s rules', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s?.close(); });

  const stopped = async (n: Network, regionId: string) => {
    const [id] = (await s.ecs.runInstances(runRequest(n, { regionId }))).body!.instanceIdSets!.instanceIdSet!;
    await s.advance(3000);
    await s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: id }));
    await s.advance(3000);
    return id!;
  };
  const osOf = async (id: string) => (await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!;
  const linuxImages = async (regionId: string) => (await s.ecs.describeImages(new $Ecs.DescribeImagesRequest({ regionId, imageOwnerAlias: 'system', OSType: 'linux', pageSize: 100 } as any))).body!.images!.image!
    .filter((i) => i.OSType === 'linux' && i.architecture === 'x86_64').map((i) => i.imageId!);

  it('ReplaceSystemDisk: Linux ↔ Windows outside mainland China is refused; within one OS type, and in mainland China, it is not', async () => {
    const sg = await createNetwork(s, 'ap-southeast-1');
    const id = await stopped(sg, 'ap-southeast-1');
    const e = await expectEcsError(() => s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: id, imageId: sg.windowsImageId, password: 'Passw0rd!23' })));
    assert.deepEqual([e.code, e.statusCode], ['OperationDenied.ImageNotValid', 403]);
    assert.match(e.message, /outside mainland China/);
    const disks = async () => (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: 'ap-southeast-1', instanceId: id }))).body!.disks!.disk!.map((d) => d.diskId);
    const before = await disks();
    assert.equal((await osOf(id)).imageId, sg.imageId, 'nothing changed');
    // Another Linux image is fine.
    const other = (await linuxImages('ap-southeast-1')).find((x) => x !== sg.imageId)!;
    await s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: id, imageId: other }));
    assert.equal((await osOf(id)).imageId, other);
    assert.notDeepEqual(await disks(), before);

    // Mainland China: Linux → Windows and back.
    const hz = await createNetwork(s, 'cn-hangzhou');
    const hid = await stopped(hz, 'cn-hangzhou');
    await s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: hid, imageId: hz.windowsImageId, password: 'Passw0rd!23' }));
    assert.equal((await osOf(hid)).imageId, hz.windowsImageId);
    await s.ecs.replaceSystemDisk(new $Ecs.ReplaceSystemDiskRequest({ instanceId: hid, imageId: hz.imageId }));
    assert.equal((await osOf(hid)).imageId, hz.imageId);
  });

  it('DescribeAccountAttributes: the enforced security group quota, usage, offered types; unknown names refused', async () => {
    const R = 'cn-shanghai';
    const attrs = async (names: string[], zoneId?: string) => {
      const r = await s.ecs.describeAccountAttributes(new $Ecs.DescribeAccountAttributesRequest({ regionId: R, attributeName: names, zoneId }));
      return new Map(r.body!.accountAttributeItems!.accountAttributeItem!.map((i) => [i.attributeName!, i.attributeValues!.valueItem!]));
    };
    let a = await attrs(['max-security-groups', 'instance-network-type', 'used-postpaid-instance-vcpu-count', 'real-name-authentication', 'max-dedicated-hosts']);
    assert.equal(a.get('max-security-groups')![0]!.value, '100');
    assert.equal(a.get('instance-network-type')![0]!.value, 'vpc');
    assert.equal(a.get('used-postpaid-instance-vcpu-count')![0]!.value, '0');
    assert.equal(a.get('real-name-authentication')![0]!.value, 'yes');
    assert.equal(a.get('max-dedicated-hosts')![0]!.value, '0');

    // Usage follows what runs; the quota follows SetAccountQuota (the operator's increase).
    const n = await createNetwork(s, R);
    await s.ecs.runInstances(runRequest(n, { regionId: R, instanceType: 'ecs.g7.large', amount: 2 }));
    await s.ecs.createDisk(new $Ecs.CreateDiskRequest({ regionId: R, zoneId: n.zoneId, diskCategory: 'cloud_essd', size: 50 }));
    const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    await ext.request('SetAccountQuota', { AccountId: s.app.root.accountId, QuotaName: 'security-groups-per-region', Value: 150 }, { method: 'POST' });
    a = await attrs(['used-postpaid-instance-vcpu-count', 'used-postpaid-yundisk-capacity', 'max-security-groups']);
    assert.equal(a.get('used-postpaid-instance-vcpu-count')![0]!.value, '4', 'two ecs.g7.large, 2 vCPUs each');
    assert.equal(a.get('used-postpaid-yundisk-capacity')![0]!.value, '50', 'data disks only');
    assert.equal(a.get('max-security-groups')![0]!.value, '150');

    // Supported types per zone, narrowed by ZoneId.
    const types = (await attrs(['supported-postpaid-instance-types'], n.zoneId)).get('supported-postpaid-instance-types')!;
    assert.ok(types.length > 10);
    assert.ok(types.every((t) => t.zoneId === n.zoneId && t.instanceChargeType === 'PostPaid'));
    assert.ok(types.some((t) => t.instanceType === 'ecs.g7.large'));

    // Limits OpenECS does not enforce are not invented.
    assert.equal((await attrs(['max-postpaid-instance-vcpu-count'])).size, 0);
    const all = await attrs([]);
    assert.ok(all.has('max-security-groups') && !all.has('max-elastic-network-interfaces'));

    const bad = await expectEcsError(() => attrs(['max-unicorns']));
    assert.deepEqual([bad.code, bad.statusCode], ['Invalid.Parameter', 403]);
    const badZone = await expectEcsError(() => attrs(['max-security-groups'], 'cn-hangzhou-h'));
    assert.deepEqual([badZone.code, badZone.statusCode], ['Invalid.Parameter', 403]);
  });
});
