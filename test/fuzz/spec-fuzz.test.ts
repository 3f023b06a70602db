/**
 * The spec fuzzer, scaled for CI: a few thousand generated requests over every implemented action
 * of every product (test/fuzz/spec-fuzz-lib.ts), against an in-process server with a fixture world.
 * OPENECS_FUZZ_SEED replays a run; OPENECS_FUZZ_REQUESTS scales it. The full run is bench/fuzz.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { connect } from 'node:net';
import { send, v2Request, v3Request } from '../helpers/raw.js';
import { apiSpec } from '../../src/api/spec.js';
import { buildWorld, call, fuzzTargets, runFuzz, type World } from './spec-fuzz-lib.js';

const SEED = Number(process.env.OPENECS_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const REQUESTS = Number(process.env.OPENECS_FUZZ_REQUESTS ?? 3000);

describe('spec fuzzing', () => {
  let s: TestServer;
  let world: World;
  before(async () => {
    s = await startTestServer();
    world = await buildWorld(s.url, () => s.advance(120_000));
  });
  after(() => s.close());

  it('codec validation answers 400 whatever the action table lists for the code under another cause', async () => {
    // DeleteInstances lists InvalidParameter under 500 ("Invalid parameters."); a bad boolean is the client's fault.
    const cases: [string, Record<string, string>, string, number][] = [
      ['DeleteInstances', { RegionId: 'cn-hangzhou', 'InstanceId.1': 'i-x', DryRun: 'abc' }, 'InvalidParameter', 400],
      ['DeleteInstances', { RegionId: 'cn-hangzhou', 'InstanceId.1': 'i-x', Force: 'maybe' }, 'InvalidParameter', 400],
      ['DeleteInstances', { 'InstanceId.1': 'i-x' }, 'MissingParameter', 400],
      ['DescribeInstanceAttachmentAttributes', { RegionId: 'cn-hangzhou', InstanceIds: '["i-x"]', PageSize: 'x' }, 'InvalidParameter', 400],
    ];
    for (const [action, params, code, status] of cases) {
      for (const send of [() => v2Request(s.url, action, params), () => v3Request(s.url, action, params)]) {
        const r = await send();
        if (action === 'DescribeInstanceAttachmentAttributes' && r.json?.Code === 'UnsupportedOperation') continue;
        assert.deepEqual([r.status, r.json?.Code], [status, code], `${action} ${JSON.stringify(params)}: ${r.text}`);
      }
    }
  });

  it('a list index beyond int32 is refused by name, not a crash', async () => {
    // `Tag.99999999999999999999` did not round-trip through Number: the codec looked up an index it never saw (HTTP 500).
    for (const [product, action, params] of [
      ['vpc', 'ListTagResources', { RegionId: 'cn-hangzhou', ResourceType: 'VPC', 'Tag.99999999999999999999.Key': 'k' }],
      ['ecs', 'DescribeInstances', { RegionId: 'cn-hangzhou', 'InstanceIds': '["i-x"]', 'Tag.2147483648.Key': 'k' }],
      ['ecs', 'DeleteInstances', { RegionId: 'cn-hangzhou', 'InstanceId.1e3': 'i-x' }],
    ] as const) {
      const r = await v2Request(s.url, action, params, { version: product === 'vpc' ? '2016-04-28' : undefined });
      assert.deepEqual([r.status, r.json?.Code], [400, 'InvalidParameter'], `${action}: ${r.text}`);
      assert.match(r.json.Message, /List indices/);
    }
  });

  it('a list or object sent as JSON is checked like its X.N / X.F form', async () => {
    // An object inside a list of ids reached the handlers as an object (HTTP 500).
    const cases: [string, Record<string, string>][] = [
      ['StartInstances', { RegionId: 'cn-hangzhou', InstanceId: '["i-x",{"a":[{"b":{}}]}]' }],
      ['DescribeInstanceMaintenanceAttributes', { RegionId: 'cn-hangzhou', InstanceId: '[{"Key":"k","Value":"v","Extra":{"deep":[1,2]}}]' }],
      ['RunInstances', { RegionId: 'cn-hangzhou', ImageId: 'm-x', InstanceType: 'ecs.g7.large', Tag: '["not-an-object"]' }],
      ['RunInstances', { RegionId: 'cn-hangzhou', ImageId: 'm-x', InstanceType: 'ecs.g7.large', Tag: '[{"Key":{"nested":1}}]' }],
      ['RunInstances', { RegionId: 'cn-hangzhou', ImageId: 'm-x', InstanceType: 'ecs.g7.large', DataDisk: '[{"Size":"big"}]' }],
      ['RunInstances', { RegionId: 'cn-hangzhou', ImageId: 'm-x', InstanceType: 'ecs.g7.large', SystemDisk: '[1,2]' }],
    ];
    for (const [action, params] of cases) {
      const r = await v2Request(s.url, action, params);
      assert.deepEqual([r.status, /^Invalid/.test(r.json?.Code)], [400, true], `${action} ${JSON.stringify(params)}: ${r.text}`);
    }
    // The JSON form still works, letter case of fields included, and decodes like X.N.F.
    const ok = await v2Request(s.url, 'DescribeInstances', { RegionId: 'cn-hangzhou', Tag: '[{"key":"k","value":"v"}]' });
    assert.equal(ok.status, 200, ok.text);
  });

  it('PutObject refuses keys no file system can hold, and a key that is also a folder, with 400', async () => {
    const put = (Key: string) => v2Request(s.url, 'PutObject', { RegionId: 'cn-hangzhou', Bucket: 'fuzz-bucket', Key, Content: 'aGk=' }, { version: apiSpec.products.openecs!.version });
    for (const key of ['x'.repeat(256), 'dir/' + '界'.repeat(86)]) {
      const r = await put(key);
      assert.deepEqual([r.status, r.json?.Code], [400, 'InvalidOSSObject.Malformed'], r.text);
    }
    assert.equal((await put('a/b')).status, 200);
    assert.equal((await put('c')).status, 200);
    for (const key of ['a', 'c/d']) {
      const r = await put(key);
      assert.deepEqual([r.status, r.json?.Code], [400, 'InvalidOSSObject.Malformed'], `${key}: ${r.text}`);
    }
  });

  it('requests beyond the server limits or not HTTP at all answer an ECS error body', async () => {
    // The fuzzer's 300 KB URL got Fastify's `{"error":"Request Header Fields Too Large",...}`: no Code, no RequestId.
    const huge = await v2Request(s.url, 'DescribeRegions', { AcceptLanguage: '界'.repeat(30_000) });
    const big = await send(s.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=DescribeRegions&X=' + 'x'.repeat(9 * 1024 * 1024) });
    for (const [r, status, code] of [[huge, 431, 'RequestHeaderFieldsTooLarge'], [big, 413, 'RequestEntityTooLarge']] as const) {
      assert.deepEqual([r.status, r.json?.Code, typeof r.json?.RequestId], [status, code, 'string'], r.text.slice(0, 300));
    }
    const garbage = await new Promise<string>((resolve, reject) => {
      const sock = connect(s.port, '127.0.0.1', () => sock.end('GARBAGE\x00\x01 that is not HTTP\r\n\r\n'));
      let out = '';
      sock.on('data', (d) => { out += d; });
      sock.on('end', () => resolve(out));
      sock.on('error', reject);
    });
    assert.match(garbage, /^HTTP\/1\.1 400 [^]*"RequestId":"[0-9A-F-]+"[^]*"Code":"BadRequest"/, garbage);
    assert.equal((await call(s.url, 'ecs', 'DescribeRegions', {})).Regions.Region.length > 0, true);
  });

  it('a table status outside 4xx never answers a client error with 5xx', async () => {
    // ModifyInstanceAttachmentAttributes lists InvalidRegionId.NotFound under 500.
    const r = await v2Request(s.url, 'ModifyInstanceAttachmentAttributes', { RegionId: 'xx-nowhere-1', 'PrivatePoolOptions.MatchCriteria': 'Open', InstanceId: 'i-x' });
    assert.deepEqual([r.status, r.json?.Code], [404, 'InvalidRegionId.NotFound'], r.text);
  });

  it('built a fixture world with real ids of every kind', () => {
    for (const kind of ['vpc', 'vswitch', 'securityGroup', 'instance', 'disk', 'snapshot', 'image', 'keyPair', 'eni']) {
      assert.ok(world[kind], `world has no ${kind}: ${JSON.stringify(world)}`);
    }
  });

  it(`answers every generated request with a well-formed 2xx/4xx (seed ${SEED})`, { timeout: 300_000 }, async () => {
    const targets = fuzzTargets();
    assert.ok(targets.length > 100, `only ${targets.length} implemented actions found`);
    const summary = await runFuzz({
      url: s.url, seed: SEED, requests: REQUESTS, concurrency: 4, timeoutMs: 20_000, world, targets,
      rss: () => process.memoryUsage().rss,
      tick: () => s.advance(60_000), tickEvery: 250,
    });
    const health = await call(s.url, 'ecs', 'DescribeRegions', {});
    assert.ok(health.Regions.Region.length > 0, 'the server answers a health call after the run');
    const report = JSON.stringify({ ...summary, failures: summary.failures.slice(0, 10) }, null, 1);
    assert.equal(summary.failureCount, 0, `seed ${SEED} (replay: OPENECS_FUZZ_SEED=${SEED}): ${report}`);
    assert.equal(summary.requests, REQUESTS);
    assert.ok((summary.statuses['200'] ?? 0) > REQUESTS / 50, `few requests succeeded: ${JSON.stringify(summary.statuses)}`);
    // Valid-looking requests must get past the codec into most handlers, not only be refused at the gate.
    assert.ok(summary.actionsReachingHandler > targets.length / 2, `only ${summary.actionsReachingHandler}/${targets.length} actions reached their handler`);
    assert.ok(summary.rssMaxMb < 1500, `RSS grew to ${summary.rssMaxMb} MB`);
    console.log(`[fuzz] seed ${SEED}: ${summary.requests} requests in ${summary.seconds.toFixed(1)} s, statuses ${JSON.stringify(summary.statuses)}, ${summary.actionsReachingHandler}/${targets.length} actions reached their handler, RSS ${summary.rssMinMb.toFixed(0)}–${summary.rssMaxMb.toFixed(0)} MB`);
  });
});
