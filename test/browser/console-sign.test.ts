/**
 * The console's browser-side V2 signing (web/src/api/sign.ts) against the server's own
 * implementation, for WebCrypto and for the pure SHA-1 fallback used outside secure contexts,
 * plus the RPC flattening of lists and tags.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { v2Sign, v2StringToSign } from '../../src/api/signature.js';
import { hmacSha1, signV2, stringToSign, timestamp } from '../../web/src/api/sign.js';
import { flatten } from '../../web/src/api/client.js';

const PARAMS: Record<string, string>[] = [
  { Action: 'DescribeRegions', Version: '2014-05-26', Format: 'JSON', AccessKeyId: 'ak', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0', SignatureNonce: 'n1', Timestamp: '2026-11-23T06:00:00Z' },
  { Action: 'CreateVpc', VpcName: "name with spaces !'()*~", Description: '中文 ✓', RegionId: 'cn-hangzhou', 'Tag.1.Key': 'a+b', 'Tag.1.Value': '/=&' },
  { UserData: 'IyEvYmluL3NoCmVjaG8gaGk=', Empty: '' },
];

describe('console request signing', () => {
  for (const [i, p] of PARAMS.entries()) {
    it(`matches the server's StringToSign and signature (case ${i + 1})`, async () => {
      assert.equal(stringToSign('POST', p), v2StringToSign('POST', p));
      assert.equal(await signV2('POST', p, 'secret/with+chars'), v2Sign(v2StringToSign('POST', p), 'secret/with+chars'));
    });
  }

  it('the SHA-1 fallback equals node:crypto for short, block-sized and long keys and messages', () => {
    const enc = new TextEncoder();
    for (const [key, msg] of [['k', ''], ['x'.repeat(64), 'abc'], ['y'.repeat(200), 'z'.repeat(1000)], ['s&', 'POST&%2F&A%3D1'], ['k', 'm'.repeat(55)], ['k', 'm'.repeat(56)]] as const) {
      const mine = Buffer.from(hmacSha1(enc.encode(key), enc.encode(msg))).toString('hex');
      assert.equal(mine, createHmac('sha1', key).update(msg).digest('hex'), `key ${key.length} msg ${msg.length}`);
    }
  });

  it('timestamps are UTC seconds without milliseconds', () => {
    assert.equal(timestamp(new Date(Date.UTC(2026, 10, 23, 6, 7, 8, 999))), '2026-11-23T06:07:08Z');
  });
});

describe('console parameter flattening', () => {
  const cases: [string, Parameters<typeof flatten>[0], Record<string, string>][] = [
    ['scalars, booleans, numbers; empty values left out', { A: 'x', B: 2, C: true, D: undefined, E: '', F: null }, { A: 'x', B: '2', C: 'true' }],
    ['Tag list of objects', { Tag: [{ Key: 'k1', Value: 'v1' }, { Key: 'k2' }] }, { 'Tag.1.Key': 'k1', 'Tag.1.Value': 'v1', 'Tag.2.Key': 'k2' }],
    ['list of scalars', { SecurityGroupRuleId: ['sgr-1', 'sgr-2'] }, { 'SecurityGroupRuleId.1': 'sgr-1', 'SecurityGroupRuleId.2': 'sgr-2' }],
    ['dotted names stay as given', { 'SystemDisk.Category': 'cloud_essd', DataDisk: [{ Size: 40, DeleteWithInstance: false }] }, { 'SystemDisk.Category': 'cloud_essd', 'DataDisk.1.Size': '40', 'DataDisk.1.DeleteWithInstance': 'false' }],
    ['TagFilter with nested list', { TagFilter: [{ TagKey: 'env', TagValues: ['a', 'b'] }] }, { 'TagFilter.1.TagKey': 'env', 'TagFilter.1.TagValues.1': 'a', 'TagFilter.1.TagValues.2': 'b' }],
  ];
  for (const [name, input, expected] of cases) it(name, () => assert.deepEqual(flatten(input), expected));
});
