/**
 * Instance metadata access options through the official SDK: RunInstances takes HttpEndpoint /
 * HttpTokens / HttpPutResponseHopLimit, DescribeInstances shows them as MetadataOptions, and
 * ModifyInstanceMetadataOptions changes them with the API metadata's error codes for bad values.
 * (What the metadata service does with them: test/qemu/metadata.test.ts, metadata-tokens.test.ts.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';

const R = 'cn-hangzhou';

describe('instance metadata options', () => {
  let s: TestServer;
  let n: Network;
  before(async () => { s = await startTestServer(); n = await createNetwork(s, R); });
  after(async () => { await s.close(); });

  const options = async (id: string) => {
    const r = await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }));
    const o = r.body!.instances!.instance![0]!.metadataOptions!;
    return [o.httpEndpoint, o.httpTokens, o.httpPutResponseHopLimit];
  };
  const modify = (extra: Record<string, unknown>) =>
    s.ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId: R, httpEndpoint: 'enabled', ...extra }));

  it('RunInstances sets them, DescribeInstances shows them, ModifyInstanceMetadataOptions changes them', async () => {
    const plain = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    assert.deepEqual(await options(plain), ['enabled', 'optional', 1], "ECS's defaults");
    const hardened = (await s.ecs.runInstances(runRequest(n, { httpTokens: 'required', httpPutResponseHopLimit: 2 }))).body!.instanceIdSets!.instanceIdSet![0]!;
    assert.deepEqual(await options(hardened), ['enabled', 'required', 2]);
    await modify({ instanceId: plain, httpTokens: 'required' });
    assert.deepEqual(await options(plain), ['enabled', 'required', 1]);
    await modify({ instanceId: plain, httpEndpoint: 'disabled' });
    assert.deepEqual(await options(plain), ['disabled', 'required', 1], 'parameters left out keep their values');
    await modify({ instanceId: plain, httpTokens: 'optional', httpPutResponseHopLimit: 64, instanceMetadataTags: 'enabled' });
    assert.deepEqual(await options(plain), ['enabled', 'optional', 64]);
  });

  it('bad values answer the documented errors and change nothing', async () => {
    const id = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    const cases: [Record<string, unknown>, string, number][] = [
      [{ instanceId: id, httpEndpoint: 'on' }, 'InvalidHttpEndpoint.NotSupported', 400],
      [{ instanceId: id, httpTokens: 'always' }, 'InvalidHttpTokens.NotSupported', 400],
      [{ instanceId: id, httpPutResponseHopLimit: 0 }, 'InvalidHttpPutResponseHopLimit.NotSupported', 400],
      [{ instanceId: id, httpPutResponseHopLimit: 65 }, 'InvalidHttpPutResponseHopLimit.NotSupported', 400],
      [{ instanceId: id, instanceMetadataTags: 'yes' }, 'InvalidInstanceMetadataTags.NotSupported', 400],
      [{ instanceId: 'i-doesnotexist000000000' }, 'InvalidInstanceId.NotFound', 404],
      [{}, 'MissingParameter', 400],
    ];
    for (const [extra, code, status] of cases) {
      const e = await expectEcsError(() => modify(extra));
      assert.deepEqual([e.code, e.statusCode], [code, status], JSON.stringify(extra));
    }
    assert.deepEqual(await options(id), ['enabled', 'optional', 1]);
    const before = (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!.totalCount;
    const e = await expectEcsError(() => s.ecs.runInstances(runRequest(n, { httpTokens: 'sometimes' })));
    assert.deepEqual([e.code, e.statusCode], ['InvalidHttpTokens.NotSupported', 400]);
    assert.equal((await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R }))).body!.totalCount, before, 'no instance was created');
  });
});
