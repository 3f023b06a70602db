/**
 * The gateway's tolerance for clients written elsewhere (issue 11 §4): the npm aliyun-sdk (real
 * package, millisecond Timestamps), fractional x-acs-date, JSON lists unescaped in a query,
 * Content-Type with parameters, JSON bodies, lower-camel parameter names (Terraform's automatic
 * snapshot policy calls) and Terraform's three wire forms (terraform-calls.md §0.3). And what the
 * gateway keeps refusing: skew, replayed nonces, bad signatures.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { $Ecs, AK, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { formEncode, pct, send, v2Common, v2Request, v2Signature, v2StringToSign, v3Request } from '../helpers/raw.js';

const require = createRequire(import.meta.url);
const ALY = require('aliyun-sdk');
const R = 'cn-hangzhou';

/** `toISOString()` with a non-zero millisecond part, as aliyun-sdk sends it. */
const msStamp = (ms = Date.now()) => new Date(Math.floor(ms / 1000) * 1000 + 115).toISOString();

describe('clients written elsewhere', () => {
  let s: TestServer;
  let n: Network;
  let instanceId: string;
  before(async () => {
    s = await startTestServer();
    n = await createNetwork(s);
    const r = await s.ecs.runInstances(runRequest(n, { amount: 1 }));
    instanceId = r.body!.instanceIdSets!.instanceIdSet![0]!;
  });
  after(async () => { await s?.close(); });

  describe('npm aliyun-sdk (POST form, Format=JSON, Timestamp from toISOString)', () => {
    let ecs: any;
    const call = (method: string, params: Record<string, unknown>) => new Promise<{ err: any; data: any }>((resolve) => {
      ecs[method](params, (err: any, data: any) => resolve({ err, data }));
    });
    before(() => {
      ecs = new ALY.ECS({ accessKeyId: AK, secretAccessKey: SECRET, endpoint: s.url, apiVersion: '2014-05-26' });
    });

    it('DescribeRegions succeeds with a millisecond Timestamp', async () => {
      // The SDK's clock, pinned to a .115 fraction so the request really carries milliseconds.
      const getDate = ALY.util.date.getDate;
      let sent = '';
      ALY.util.date.getDate = () => new Date(Math.floor(Date.now() / 1000) * 1000 + 115);
      const iso8601 = ALY.util.date.iso8601;
      ALY.util.date.iso8601 = (d: Date) => (sent = iso8601(d));
      try {
        const { err, data } = await call('describeRegions', {});
        assert.equal(err, null, String(err?.message));
        assert.match(sent, /\.115Z$/);
        assert.ok(data.Regions.Region.some((r: any) => r.RegionId === R));
        assert.equal(typeof data.RequestId, 'string');
      } finally {
        ALY.util.date.getDate = getDate;
        ALY.util.date.iso8601 = iso8601;
      }
    });

    it('DescribeInstances finds an instance by a JSON list of ids', async () => {
      const { err, data } = await call('describeInstances', { RegionId: R, InstanceIds: JSON.stringify([instanceId]) });
      assert.equal(err, null, String(err?.message));
      assert.equal(data.TotalCount, 1);
      assert.equal(data.Instances.Instance[0].InstanceId, instanceId);
      assert.equal(data.Instances.Instance[0].VpcAttributes.VSwitchId, n.vswitchId);
    });

    it('errors come back with their code and HTTP status', async () => {
      const { err } = await call('describeInstances', { RegionId: 'cn-nowhere' });
      assert.equal(err.code, 'InvalidRegionId.NotFound');
      assert.equal(err.statusCode, 404);
    });
  });

  describe('timestamps', () => {
    it('a V1-signed request with a millisecond Timestamp succeeds', async () => {
      const r = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: msStamp() });
      assert.equal(r.status, 200, r.text);
      assert.match(r.params.Timestamp!, /\.115Z$/);
    });

    it('one to nine fractional digits are taken; none before Z, or ten, are not', async () => {
      const whole = new Date().toISOString().slice(0, 19);
      for (const frac of ['.1', '.12', '.123456', '.123456789']) {
        const r = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: `${whole}${frac}Z` });
        assert.equal(r.status, 200, `${frac}: ${r.text}`);
      }
      for (const bad of [`${whole}.Z`, `${whole}.1234567890Z`, `${whole}.115`, `${whole}.11aZ`]) {
        const r = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: bad });
        assert.equal(r.status, 400, bad);
        assert.equal(r.json.Code, 'InvalidTimeStamp.Format', bad);
      }
    });

    it('a V3 x-acs-date with milliseconds succeeds', async () => {
      const r = await v3Request(s.url, 'DescribeRegions', {}, { date: msStamp() });
      assert.equal(r.status, 200, r.text);
    });

    it('still refused: a stale millisecond Timestamp, a replayed nonce, a bad signature', async () => {
      const stale = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: msStamp(Date.now() - 20 * 60_000) });
      assert.equal(stale.status, 400);
      assert.equal(stale.json.Code, 'InvalidTimeStamp.Expired');
      const staleV3 = await v3Request(s.url, 'DescribeRegions', {}, { date: msStamp(Date.now() + 20 * 60_000) });
      assert.equal(staleV3.json.Code, 'InvalidTimeStamp.Expired');

      const nonce = 'ms-replay-' + randomUUID();
      const first = await v2Request(s.url, 'DescribeRegions', {}, { nonce, timestamp: msStamp() });
      assert.equal(first.status, 200, first.text);
      const again = await send(s.url, { method: 'GET', path: '/?' + formEncode(first.params) });
      assert.equal(again.status, 400);
      assert.equal(again.json.Code, 'SignatureNonceUsed');

      const bad = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: msStamp(), secret: 'wrong' });
      assert.equal(bad.status, 400);
      assert.equal(bad.json.Code, 'SignatureDoesNotMatch');
    });
  });

  describe('encodings', () => {
    it('a JSON list unescaped in the query (brackets and quotes raw) is verified and decoded', async () => {
      const common = v2Common('DescribeInstances', {});
      const api = { RegionId: R, InstanceIds: `["${instanceId}"]` };
      const signature = v2Signature(v2StringToSign('GET', { ...common, ...api }), SECRET);
      const path = `/?${formEncode({ ...common, RegionId: R })}&Signature=${pct(signature)}&InstanceIds=["${instanceId}"]`;
      assert.ok(path.includes(`InstanceIds=["${instanceId}"]`));
      const r = await send(s.url, { method: 'GET', path });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(r.json.Instances.Instance.map((i: any) => i.InstanceId), [instanceId]);
    });

    for (const type of ['application/x-www-form-urlencoded; charset=UTF-8', 'application/x-www-form-urlencoded;charset=utf-8', 'Application/X-WWW-Form-URLEncoded']) {
      it(`a form body with Content-Type "${type}" is read`, async () => {
        const r = await v2Request(s.url, 'DescribeInstances', { RegionId: R, InstanceIds: JSON.stringify([instanceId]) },
          { method: 'POST', placement: 'split', headers: { 'content-type': type } });
        assert.equal(r.status, 200, r.text);
        assert.equal(r.json.TotalCount, 1);
      });
    }

    it('a JSON body with Content-Type "application/json; charset=utf-8" is read (V3)', async () => {
      const body = JSON.stringify({ RegionId: R, InstanceIds: [instanceId], PageSize: 10 });
      const r = await v3Request(s.url, 'DescribeInstances', {}, { body, contentType: 'application/json; charset=utf-8' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.TotalCount, 1);
      assert.equal(r.json.PageSize, 10);
    });

    it('Format=XML still answers XML for the old SDKs that ask for it', async () => {
      const r = await v2Request(s.url, 'DescribeInstances', { RegionId: R, InstanceIds: JSON.stringify([instanceId]) }, { format: 'XML', timestamp: msStamp() });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.headers['content-type'], 'text/xml;charset=utf-8');
      assert.ok(r.text.includes(`<InstanceId>${instanceId}</InstanceId>`));
    });
  });

  describe("Terraform's wire forms (SignatureVersion 1.0, HMAC-SHA1)", () => {
    const ids = (r: { json?: any }) => r.json.Instances.Instance.map((i: any) => i.InstanceId);
    it('tea-rpc: POST / with common params in the query, the action params in a form body, Format=json', async () => {
      const r = await v2Request(s.url, 'DescribeInstances', { RegionId: R, InstanceIds: JSON.stringify([instanceId]) },
        { method: 'POST', placement: 'split', format: 'json' });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(ids(r), [instanceId]);
    });

    it('the old Go SDK: POST /?<all params> with an empty body', async () => {
      const r = await v2Request(s.url, 'DescribeInstances', { RegionId: R, InstanceIds: JSON.stringify([instanceId]) },
        { method: 'POST', placement: 'query', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      assert.equal(r.status, 200, r.text);
      assert.deepEqual(ids(r), [instanceId]);
      const bare = await v2Request(s.url, 'DescribeInstances', { RegionId: R, InstanceIds: JSON.stringify([instanceId]) }, { method: 'POST', placement: 'query' });
      assert.equal(bare.status, 200, bare.text);
    });

    it('CommonRequest: GET /?<params>', async () => {
      const r = await v2Request(s.url, 'DescribeSecurityGroupAttribute', { RegionId: R, SecurityGroupId: n.securityGroupId, Direction: 'all' }, { method: 'GET' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.SecurityGroupId, n.securityGroupId);
    });
  });

  describe('lower-camel parameter names (CreateAutoSnapshotPolicy and friends, terraform-calls.md §12)', () => {
    const tea = (action: string, api: Record<string, string>) => v2Request(s.url, action, api, { method: 'POST', placement: 'split', format: 'json' });

    it('create, modify, apply, describe and delete with regionId, timePoints, repeatWeekdays, retentionDays, diskIds', async () => {
      const created = await tea('CreateAutoSnapshotPolicy', {
        regionId: R, autoSnapshotPolicyName: 'tf-policy', timePoints: '["0","1"]', repeatWeekdays: '["1"]', retentionDays: '-1',
      });
      assert.equal(created.status, 200, created.text);
      const id: string = created.json.AutoSnapshotPolicyId;
      assert.match(id, /^sp-/);

      const read = async () => {
        const r = await tea('DescribeAutoSnapshotPolicyEx', { RegionId: R, AutoSnapshotPolicyId: id });
        assert.equal(r.status, 200, r.text);
        return r.json.AutoSnapshotPolicies.AutoSnapshotPolicy[0];
      };
      let p = await read();
      assert.equal(p.AutoSnapshotPolicyName, 'tf-policy');
      assert.equal(p.TimePoints, '["0","1"]');
      assert.equal(p.RepeatWeekdays, '["1"]');
      assert.equal(p.RetentionDays, -1);

      const modified = await tea('ModifyAutoSnapshotPolicyEx', {
        regionId: R, autoSnapshotPolicyId: id, timePoints: '["3"]', repeatWeekdays: '["2","4"]', retentionDays: '7', autoSnapshotPolicyName: 'tf-policy-2',
      });
      assert.equal(modified.status, 200, modified.text);
      p = await read();
      assert.equal(p.AutoSnapshotPolicyName, 'tf-policy-2');
      assert.equal(p.TimePoints, '["3"]');
      assert.equal(p.RepeatWeekdays, '["2","4"]');
      assert.equal(p.RetentionDays, 7);

      const disks = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId }));
      const diskId = disks.body!.disks!.disk![0]!.diskId!;
      const applied = await tea('ApplyAutoSnapshotPolicy', { regionId: R, autoSnapshotPolicyId: id, diskIds: JSON.stringify([diskId]) });
      assert.equal(applied.status, 200, applied.text);
      const disk = await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, diskIds: JSON.stringify([diskId]) }));
      assert.equal(disk.body!.disks!.disk![0]!.autoSnapshotPolicyId, id);

      const cancelled = await tea('CancelAutoSnapshotPolicy', { regionId: R, diskIds: JSON.stringify([diskId]) });
      assert.equal(cancelled.status, 200, cancelled.text);
      const deleted = await tea('DeleteAutoSnapshotPolicy', { regionId: R, autoSnapshotPolicyId: id });
      assert.equal(deleted.status, 200, deleted.text);
      const gone = await tea('DescribeAutoSnapshotPolicyEx', { RegionId: R, AutoSnapshotPolicyId: id });
      assert.deepEqual(gone.json.AutoSnapshotPolicies.AutoSnapshotPolicy, []);
    });

    it('regionId scopes the call like RegionId: an unknown one is refused, another region holds its own policies', async () => {
      const unknown = await tea('CreateAutoSnapshotPolicy', { regionId: 'cn-nowhere', timePoints: '["0"]', repeatWeekdays: '["1"]', retentionDays: '1' });
      assert.equal(unknown.status, 404, unknown.text);
      assert.equal(unknown.json.Code, 'InvalidRegionId.NotFound');

      const other = 'cn-shanghai';
      const created = await tea('CreateAutoSnapshotPolicy', { regionId: other, timePoints: '["0"]', repeatWeekdays: '["1"]', retentionDays: '1' });
      assert.equal(created.status, 200, created.text);
      const id = created.json.AutoSnapshotPolicyId;
      const there = await tea('DescribeAutoSnapshotPolicyEx', { RegionId: other, AutoSnapshotPolicyId: id });
      assert.equal(there.json.AutoSnapshotPolicies.AutoSnapshotPolicy.length, 1);
      assert.equal(there.json.AutoSnapshotPolicies.AutoSnapshotPolicy[0].RegionId, other);
      const here = await tea('DescribeAutoSnapshotPolicyEx', { RegionId: R, AutoSnapshotPolicyId: id });
      assert.deepEqual(here.json.AutoSnapshotPolicies.AutoSnapshotPolicy, []);
      const missing = await tea('DeleteAutoSnapshotPolicy', { autoSnapshotPolicyId: id });
      assert.equal(missing.status, 400, missing.text);
      assert.equal(missing.json.Code, 'MissingParameter');
    });
  });
});
