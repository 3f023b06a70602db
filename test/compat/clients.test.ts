/**
 * Timestamps with milliseconds, as the npm `aliyun-sdk` sends them (`Date#toISOString()`):
 * through that client itself and through a V1-signed request built here. The gateway still
 * refuses what the real one refuses (a stale instant, a malformed one).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { AK, SECRET, startTestServer, type TestServer } from '../helpers/server.js';
import { formEncode, pct, send, v2Signature } from '../helpers/raw.js';
import { Doc } from './json.js';

const require = createRequire(import.meta.url);

/** A V1 (HMAC-SHA1) RPC request with the given Timestamp, in tea-rpc's split form. */
async function signedWithTimestamp(url: string, action: string, api: Record<string, string>, timestamp: string) {
  const common: Record<string, string> = {
    Action: action, Format: 'json', Version: '2014-05-26', Timestamp: timestamp, SignatureNonce: randomUUID(),
    SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', AccessKeyId: AK,
  };
  const all = { ...common, ...api };
  const canon = Object.keys(all).sort().map((k) => `${pct(k)}=${pct(all[k]!)}`).join('&');
  common.Signature = v2Signature(`POST&${pct('/')}&${pct(canon)}`, SECRET);
  const r = await send(url, { method: 'POST', path: '/?' + formEncode(common), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formEncode(api) });
  return { status: r.status, doc: Doc.parse(r.text, action) };
}

describe('millisecond timestamps (npm aliyun-sdk)', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  it('a V1-signed request with Timestamp=…T…:ss.SSSZ is accepted', async () => {
    const ts = new Date().toISOString();
    assert.match(ts, /\.\d{3}Z$/);
    const r = await signedWithTimestamp(s.url, 'DescribeRegions', { RegionId: 'cn-hangzhou' }, ts);
    assert.equal(r.status, 200, JSON.stringify(r.doc.plain()));
    assert.ok(r.doc.arr('Regions.Region').length > 0);
  });

  it('still refuses a stale millisecond timestamp and a malformed one', async () => {
    const stale = await signedWithTimestamp(s.url, 'DescribeRegions', {}, new Date(Date.now() - 3 * 3600_000).toISOString());
    assert.equal(stale.status, 400);
    assert.equal(stale.doc.str('Code'), 'InvalidTimeStamp.Expired');
    const bad = await signedWithTimestamp(s.url, 'DescribeRegions', {}, new Date().toISOString().replace('T', ' '));
    assert.equal(bad.status, 400);
    assert.equal(bad.doc.str('Code'), 'InvalidTimeStamp.Format');
  });

  it('the aliyun-sdk ECS client itself: DescribeRegions and CreateSecurityGroup/DeleteSecurityGroup', async () => {
    const ALY = require('aliyun-sdk');
    const ecs = new ALY.ECS({ accessKeyId: AK, secretAccessKey: SECRET, endpoint: s.url, apiVersion: '2014-05-26' });
    const call = (action: string, params: Record<string, unknown>) => new Promise<any>((resolve, reject) => {
      ecs[action](params, (err: unknown, data: unknown) => (err ? reject(err) : resolve(data)));
    });
    const regions = await call('describeRegions', {});
    assert.ok(regions.Regions.Region.some((r: any) => r.RegionId === 'cn-hangzhou'));
    const vpc = await s.pop.request<any>('CreateVpc', { RegionId: 'cn-hangzhou', CidrBlock: '192.168.0.0/16' });
    const sg = await call('createSecurityGroup', { RegionId: 'cn-hangzhou', VpcId: vpc.VpcId, SecurityGroupName: 'from-aliyun-sdk' });
    assert.match(sg.SecurityGroupId, /^sg-/);
    await call('deleteSecurityGroup', { RegionId: 'cn-hangzhou', SecurityGroupId: sg.SecurityGroupId });
  });
});
