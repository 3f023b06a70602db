/**
 * Nothing silently ignored (issue 11 §5): a parameter an action does not act on is refused with
 * UnsupportedParameter 400 naming it, before anything is created; its documented default, or an
 * empty value, is accepted. Terraform's RunInstances, which sends many parameters at their
 * defaults (terraform-calls.md §1 Create), still launches.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { v2Request } from '../helpers/raw.js';

const R = 'cn-hangzhou';

describe('parameters OpenECS does not act on', () => {
  let s: TestServer;
  let n: Network;
  before(async () => {
    s = await startTestServer();
    n = await createNetwork(s);
  });
  after(async () => { await s?.close(); });

  const instanceCount = async () => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!.totalCount!;

  for (const [name, extra, def] of [
    ['LaunchTemplateId', { launchTemplateId: 'lt-bp1apo0bbbkuy0rj0000' }, undefined],
    ['DeploymentSetId', { deploymentSetId: 'ds-bp1brhwhoqinyjd60000' }, undefined],
    ['Tenancy', { tenancy: 'host' }, 'default'],
    ['HpcClusterId', { hpcClusterId: 'hpc-bp1' }, undefined],
  ] as const) {
    it(`RunInstances with ${name} answers UnsupportedParameter 400 naming it and creates nothing`, async () => {
      const before = await instanceCount();
      const e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, extra)));
      assert.equal(e.statusCode, 400);
      assert.equal(e.code, 'UnsupportedParameter');
      assert.match(e.data.Message, new RegExp(`^OpenECS does not act on the parameter "${name}" of RunInstances; leave it out`));
      if (def) assert.match(e.data.Message, new RegExp(`or give its default value "${def}"\\.$`));
      assert.equal(await instanceCount(), before);
    });
  }

  it('RunInstances with SpotStrategy=NoSpot (the default) launches', async () => {
    const before = await instanceCount();
    const r = await s.ecs.runInstances(runRequest(n, { spotStrategy: 'NoSpot', spotInterruptionBehavior: 'Terminate', amount: 1 }));
    assert.equal(r.body!.instanceIdSets!.instanceIdSet!.length, 1);
    assert.equal(await instanceCount(), before + 1);
  });

  it('empty values count as not given (pop-core and the old SDKs send unset fields as "")', async () => {
    const r = await v2Request(s.url, 'RunInstances', {
      RegionId: R, ImageId: n.imageId, InstanceType: 'ecs.g7.large', VSwitchId: n.vswitchId, SecurityGroupId: n.securityGroupId,
      LaunchTemplateId: '', RamRoleName: '', DeploymentSetId: '', SpotStrategy: '',
    }, { method: 'POST', placement: 'form' });
    assert.equal(r.status, 200, r.text);
  });

  it('a data disk field it does not act on is named with its index; the fields it does, and defaults, pass', async () => {
    const before = await instanceCount();
    const e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, {
      dataDisk: [
        new $Ecs.RunInstancesRequestDataDisk({ size: 20, category: 'cloud_essd', encrypted: false, deleteWithInstance: true }),
        new $Ecs.RunInstancesRequestDataDisk({ size: 20, KMSKeyId: 'key-1' }),
      ],
    })));
    assert.equal(e.code, 'UnsupportedParameter');
    assert.match(e.data.Message, /"DataDisk\.2\.KMSKeyId" of RunInstances/);
    assert.equal(await instanceCount(), before);
  });

  it("Terraform's RunInstances (tea-rpc form body, defaults spelled out, IoOptimized=optimized) launches", async () => {
    const r = await v2Request(s.url, 'RunInstances', {
      RegionId: R, ClientToken: `TF-RunInstances-${Date.now()}`, InstanceType: 'ecs.g7.large', ImageId: n.imageId, ZoneId: n.zoneId,
      'SystemDisk.Category': 'cloud_efficiency', 'SystemDisk.Size': '40', InstanceName: 'ECS-Instance',
      InternetChargeType: 'PayByTraffic', InternetMaxBandwidthOut: '0', InstanceChargeType: 'PostPaid', SpotStrategy: 'NoSpot',
      DryRun: 'false', DeletionProtection: 'false', VSwitchId: n.vswitchId, 'SecurityGroupIds.1': n.securityGroupId,
      'DataDisk.1.DeleteWithInstance': 'true', 'DataDisk.1.Encrypted': 'false', 'DataDisk.1.Size': '20', 'DataDisk.1.Category': 'cloud_efficiency',
      IoOptimized: 'optimized', 'Tag.1.Key': 'Name', 'Tag.1.Value': 'tf',
    }, { method: 'POST', placement: 'split', format: 'json' });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.InstanceIdSets.InstanceIdSet.length, 1);
  });

  it('IoOptimized is acted on: none on a type sold only I/O optimized is refused', async () => {
    const e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, { ioOptimized: 'none' })));
    assert.equal(e.code, 'DependencyViolation.IoOptimized');
  });

  it('DryRun is acted on by every action: a Describe with DryRun=true answers DryRunOperation', async () => {
    const e = await expectEcsError(() => s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, dryRun: true })));
    assert.equal(e.code, 'DryRunOperation');
    assert.equal(e.statusCode, 400);
    const ok = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, dryRun: false }));
    assert.ok(ok.body!.totalCount! >= 1);
  });

  it('other actions refuse theirs too (DescribeDisks AdditionalAttributes)', async () => {
    const e = await expectEcsError(() => s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, additionalAttributes: ['Performance'] })));
    assert.equal(e.code, 'UnsupportedParameter');
    assert.match(e.data.Message, /"AdditionalAttributes" of DescribeDisks/);
  });
});
