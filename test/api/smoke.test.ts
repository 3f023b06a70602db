import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { $Ecs, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';

describe('the server answers the official clients', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('DescribeRegions through V3, V2 and pop-core GET/POST', async () => {
    assert.ok((await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}))).body!.regions!.region!.length >= 6);
    assert.ok((await s.ecsV2.describeRegions(new $Ecs.DescribeRegionsRequest({}))).body!.regions!.region!.length >= 6);
    const get: any = await s.pop.request('DescribeRegions', {});
    const post: any = await s.pop.request('DescribeRegions', {}, { method: 'POST' });
    assert.equal(get.Regions.Region.length, post.Regions.Region.length);
  });

  it('a wrong secret answers SignatureDoesNotMatch 400', async () => {
    const bad = s.clients({ accessKeyId: 'LTAItestaccesskey0000001', accessKeySecret: 'nope' });
    const e = await expectEcsError(() => bad.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
    assert.equal(e.code, 'SignatureDoesNotMatch');
    assert.equal(e.statusCode, 400);
  });
});
