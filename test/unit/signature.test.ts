/**
 * Request signatures (api-protocol.md §1.3 V2, §1.4 V3) against fixed vectors and against the
 * official client's own signing code (`@alicloud/openapi-core` OpenApiUtil.getRPCSignature and
 * getAuthorization, which the SDK calls on every request).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { OpenApiUtil } from '@alicloud/openapi-core';
import {
  NonceCache, parseV3Authorization, percentEncode, safeEqual, sha256Hex, v2Sign, v2StringToSign,
  v3CanonicalRequest, v3Sign, v3StringToSign,
} from '../../src/api/signature.js';
import { parseStamp } from '../../src/api/authenticate.js';
import { bodyParams } from '../../src/api/body.js';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

describe('percentEncode', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['AZaz09', 'AZaz09'],
    ['-_.~', '-_.~'], // RFC 3986 unreserved: kept, ~ included
    [' ', '%20'], // never '+'
    ['+', '%2B'],
    ['!', '%21'],
    ["'", '%27'],
    ['(', '%28'],
    [')', '%29'],
    ['*', '%2A'],
    ["!'()*", '%21%27%28%29%2A'],
    ['/', '%2F'],
    ['=&', '%3D%26'],
    [':', '%3A'],
    ['%', '%25'],
    ['2026-11-23T06:00:00Z', '2026-11-23T06%3A00%3A00Z'],
    ['é', '%C3%A9'], // UTF-8, upper-case hex
    ['中文', '%E4%B8%AD%E6%96%87'],
    ['😀', '%F0%9F%98%80'],
    ['a\nb', 'a%0Ab'],
  ];
  for (const [input, want] of cases) {
    it(`${JSON.stringify(input)} → ${want}`, () => assert.equal(percentEncode(input), want));
  }
});

describe('V2 (HMAC-SHA1)', () => {
  it('reproduces the documented ECS example (DescribeRegions, secret "testsecret")', () => {
    // The example of Alibaba Cloud's "Request signatures" doc for ECS (V2).
    const params = {
      AccessKeyId: 'testid', Action: 'DescribeRegions', Format: 'XML', SignatureMethod: 'HMAC-SHA1',
      SignatureNonce: '3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf', SignatureVersion: '1.0',
      Timestamp: '2016-02-23T12:46:24Z', Version: '2014-05-26',
    };
    const sts = v2StringToSign('GET', params);
    assert.equal(sts,
      'GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1'
      + '%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0'
      + '%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26');
    assert.equal(v2Sign(sts, 'testsecret'), 'OLeaidS1JvxuMvnyHOwuJ+uX5qY=');
  });

  it('leaves Signature itself out of the string to sign', () => {
    const base = { Action: 'X', Version: '2014-05-26' };
    assert.equal(v2StringToSign('GET', { ...base, Signature: 'abc=' }), v2StringToSign('GET', base));
  });

  it('sorts keys by byte order (upper case before lower case, "A.10" before "A.2")', () => {
    const sts = v2StringToSign('POST', { a: '1', B: '2', 'A.2': '3', 'A.10': '4', 'A.1': '5' });
    assert.equal(decodeURIComponent(sts.split('&')[2]!), 'A.1=5&A.10=4&A.2=3&B=2&a=1');
  });

  it('uses the request method verbatim, upper-cased', () => {
    assert.ok(v2StringToSign('post', { A: '1' }).startsWith('POST&%2F&'));
    assert.notEqual(v2StringToSign('GET', { A: '1' }), v2StringToSign('POST', { A: '1' }));
  });

  it('keys the HMAC with secret + "&"', () => {
    const sts = 'GET&%2F&A%3D1';
    assert.equal(v2Sign(sts, 's3cret'), createHmac('sha1', 's3cret&').update(sts).digest('base64'));
  });

  const vectors: Record<string, string>[] = [
    { Action: 'DescribeRegions', Version: '2014-05-26', Format: 'json', AccessKeyId: 'ak', SignatureNonce: 'n1', Timestamp: '2026-11-23T06:00:00Z', SignatureMethod: 'HMAC-SHA1', SignatureVersion: '1.0' },
    { Action: 'RunInstances', RegionId: 'cn-hangzhou', 'Tag.1.Key': 'env', 'Tag.1.Value': 'a b+c', 'SystemDisk.Category': 'cloud_essd', 'SecurityGroupIds.1': 'sg-1', 'SecurityGroupIds.10': 'sg-10', 'SecurityGroupIds.2': 'sg-2' },
    { InstanceName: "web!'()*~", Description: '中文 描述 😀', UserData: 'IyEvYmluL3NoCmVjaG8gaGk=', Password: 'P@ss/w0rd%&=' },
    { InstanceIds: '["i-1","i-2"]', Empty: '' },
  ];
  for (const [i, params] of vectors.entries()) {
    for (const method of ['GET', 'POST']) {
      it(`matches the official client's getRPCSignature (vector ${i + 1}, ${method})`, () => {
        const secret = 'testSecret/+=';
        assert.equal(v2Sign(v2StringToSign(method, params), secret), OpenApiUtil.getRPCSignature(params, method, secret));
      });
    }
  }
});

describe('V3 (ACS3-HMAC-SHA256)', () => {
  const headers = {
    host: '127.0.0.1:18080',
    'x-acs-action': 'DescribeInstances',
    'x-acs-version': '2014-05-26',
    'x-acs-date': '2026-11-23T06:00:00Z',
    'x-acs-signature-nonce': 'c0ffee',
    'x-acs-content-sha256': EMPTY_SHA256,
    'x-acs-credentials-provider': 'static_ak',
    'user-agent': 'AlibabaCloud (linux; x64) Node.js/v20 Core/1.0.1 TeaDSL/2',
    accept: 'application/json',
  };
  const signedHeaders = ['host', 'x-acs-action', 'x-acs-content-sha256', 'x-acs-credentials-provider', 'x-acs-date', 'x-acs-signature-nonce', 'x-acs-version'];
  const query: [string, string][] = [['RegionId', 'cn-hangzhou'], ['InstanceIds', '["i-1"]'], ['Tag.1.Key', 'a b'], ['PageSize', '10']];

  it('builds the canonical request from the signed headers list (fixed vector)', () => {
    const creq = v3CanonicalRequest('POST', '/', query, headers, signedHeaders, EMPTY_SHA256);
    assert.equal(creq, [
      'POST',
      '/',
      'InstanceIds=%5B%22i-1%22%5D&PageSize=10&RegionId=cn-hangzhou&Tag.1.Key=a%20b',
      'host:127.0.0.1:18080\n'
        + 'x-acs-action:DescribeInstances\n'
        + `x-acs-content-sha256:${EMPTY_SHA256}\n`
        + 'x-acs-credentials-provider:static_ak\n'
        + 'x-acs-date:2026-11-23T06:00:00Z\n'
        + 'x-acs-signature-nonce:c0ffee\n'
        + 'x-acs-version:2014-05-26\n',
      signedHeaders.join(';'),
      EMPTY_SHA256,
    ].join('\n'));
    const sts = v3StringToSign(creq);
    assert.equal(sts, 'ACS3-HMAC-SHA256\n' + createHash('sha256').update(creq).digest('hex'));
    // The key is the secret itself, with no '&'.
    assert.equal(v3Sign(sts, 'sec'), createHmac('sha256', 'sec').update(sts).digest('hex'));
  });

  it('only the headers in SignedHeaders count; unsigned ones (user-agent, accept) do not', () => {
    const a = v3CanonicalRequest('POST', '/', query, headers, signedHeaders, EMPTY_SHA256);
    const b = v3CanonicalRequest('POST', '/', query, { ...headers, 'user-agent': 'curl', accept: '*/*' }, signedHeaders, EMPTY_SHA256);
    assert.equal(a, b);
    const c = v3CanonicalRequest('POST', '/', query, { ...headers, 'x-acs-credentials-provider': 'sts' }, signedHeaders, EMPTY_SHA256);
    assert.notEqual(a, c);
  });

  it('trims header values; a signed header that is absent is empty', () => {
    const creq = v3CanonicalRequest('GET', '/', [], { host: '  h:1  ' }, ['host', 'x-acs-date'], EMPTY_SHA256);
    assert.ok(creq.includes('host:h:1\nx-acs-date:\n'));
  });

  it('an empty query value canonicalizes as "k="', () => {
    const creq = v3CanonicalRequest('GET', '/', [['B', ''], ['A', 'x']], {}, [], EMPTY_SHA256);
    assert.equal(creq.split('\n')[2], 'A=x&B=');
  });

  for (const [name, q, extra] of [
    ['no query, empty body', [] as [string, string][], {}],
    ['query with lists and reserved characters', query, {}],
    ['a form body (content-type signed)', [['RegionId', 'cn-hangzhou']] as [string, string][], { 'content-type': 'application/x-www-form-urlencoded' }],
    ['unicode and !\'()* values', [['InstanceName', "web!'()*~ 中文"], ['Description', 'a+b=c&d']] as [string, string][], {}],
  ] as const) {
    it(`matches the official client's getAuthorization: ${name}`, () => {
      const body = 'content-type' in extra ? 'RegionId=cn-hangzhou' : '';
      const hash = sha256Hex(body);
      const h: Record<string, string> = { ...headers, ...extra, 'x-acs-content-sha256': hash };
      const expected = OpenApiUtil.getAuthorization(
        { pathname: '/', method: 'POST', query: Object.fromEntries(q), headers: h } as any, 'ACS3-HMAC-SHA256', hash, 'AKID', 'sec',
      );
      const parsed = parseV3Authorization(expected);
      assert.ok(parsed, expected);
      assert.equal(parsed.accessKeyId, 'AKID');
      const creq = v3CanonicalRequest('POST', '/', [...q], h, parsed.signedHeaders, hash);
      assert.equal(v3Sign(v3StringToSign(creq), 'sec'), parsed.signature);
    });
  }

  it('parses the Authorization header and refuses malformed ones', () => {
    const ok = parseV3Authorization('ACS3-HMAC-SHA256 Credential=LTAIx,SignedHeaders=host;x-acs-date,Signature=ABCDEF0123');
    assert.deepEqual(ok, { accessKeyId: 'LTAIx', signedHeaders: ['host', 'x-acs-date'], signature: 'abcdef0123' });
    for (const bad of [
      '',
      'ACS3-HMAC-SHA256',
      'ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host',
      'ACS3-HMAC-SHA256 Credential=a,SignedHeaders=host,Signature=xyz',
      'ACS3-HMAC-SM3 Credential=a,SignedHeaders=host,Signature=ab',
      'Bearer abc',
    ]) {
      assert.equal(parseV3Authorization(bad), undefined, bad);
    }
  });

  it('sha256Hex of an empty body is the well-known constant', () => {
    assert.equal(sha256Hex(Buffer.alloc(0)), EMPTY_SHA256);
  });
});

describe('safeEqual', () => {
  it('compares by value and tolerates different lengths', () => {
    assert.equal(safeEqual('abc', 'abc'), true);
    assert.equal(safeEqual('abc', 'abd'), false);
    assert.equal(safeEqual('abc', 'abcd'), false);
    assert.equal(safeEqual('', ''), true);
  });
});

describe('NonceCache', () => {
  const WINDOW = 15 * 60_000;

  it('refuses a nonce reused within the window and allows it again after', () => {
    const c = new NonceCache(WINDOW);
    assert.equal(c.claim('ak:n1', 0), true);
    assert.equal(c.claim('ak:n1', 1), false);
    assert.equal(c.claim('ak:n1', WINDOW - 1), false);
    assert.equal(c.claim('ak:n1', WINDOW), true, 'a full window later the nonce is free again');
    assert.equal(c.claim('ak:n1', WINDOW + 1), false, 'and claiming it restarts the window');
  });

  it('keys are independent', () => {
    const c = new NonceCache(WINDOW);
    assert.equal(c.claim('ak1:n', 0), true);
    assert.equal(c.claim('ak2:n', 0), true);
    assert.equal(c.claim('ak1:m', 0), true);
    assert.equal(c.claim('ak2:n', 10), false);
  });

  it('sweeps expired entries once large, so memory stays bounded', () => {
    const c = new NonceCache(WINDOW);
    for (let i = 0; i <= 100_000; i++) c.claim(`k${i}`, 0);
    assert.equal(c.claim('k5', WINDOW / 2), false);
    assert.equal(c.claim('fresh', WINDOW), true);
    assert.ok((c as any).seen.size < 10, `swept: ${(c as any).seen.size} left`);
    assert.equal(c.claim('fresh', WINDOW + 1), false, 'entries inside the window survive a sweep');
  });
});

describe('parseStamp (Timestamp and x-acs-date)', () => {
  const at = Date.UTC(2026, 11, 6, 23, 20, 57);
  const cases: [string, number | undefined][] = [
    ['2026-12-06T23:20:57Z', at],
    // npm aliyun-sdk: toISOString().
    ['2026-12-06T23:20:57.115Z', at + 115],
    ['2026-12-06T23:20:57.1Z', at + 100],
    ['2026-12-06T23:20:57.123456789Z', at + 123],
    ['2026-12-06T23:20Z', at - 57_000],
    ['2026-12-06T23:20:57.Z', undefined],
    ['2026-12-06T23:20:57.1234567890Z', undefined],
    ['2026-12-06T23:20:57.115', undefined],
    ['2026-12-06T23:20.115Z', undefined],
    ['2026-13-06T23:20:57.115Z', undefined],
    ['2026-12-06 23:20:57Z', undefined],
  ];
  for (const [stamp, want] of cases) it(`${stamp} → ${want ?? 'malformed'}`, () => assert.equal(parseStamp(stamp), want));
});

describe('bodyParams', () => {
  const form = Buffer.from('A=1&B=x%20y');
  const json = Buffer.from(JSON.stringify({ RegionId: 'cn-hangzhou', InstanceIds: ['i-1'], PageSize: 10, DryRun: false, Tag: [{ Key: 'k' }], Nothing: null }));
  const cases: [string | undefined, Buffer, [string, string][]][] = [
    ['application/x-www-form-urlencoded', form, [['A', '1'], ['B', 'x y']]],
    ['application/x-www-form-urlencoded; charset=UTF-8', form, [['A', '1'], ['B', 'x y']]],
    ['Application/X-WWW-Form-URLEncoded;charset=utf-8', form, [['A', '1'], ['B', 'x y']]],
    ['application/json; charset=utf-8', json, [['RegionId', 'cn-hangzhou'], ['InstanceIds', '["i-1"]'], ['PageSize', '10'], ['DryRun', 'false'], ['Tag', '[{"Key":"k"}]']]],
    ['application/json', Buffer.from('[1,2]'), []],
    ['application/json', Buffer.from('{oops'), []],
    ['application/octet-stream', form, []],
    [undefined, form, []],
    ['application/x-www-form-urlencoded', Buffer.alloc(0), []],
  ];
  for (const [type, body, want] of cases) {
    it(`${type ?? '(no type)'} ${body.toString().slice(0, 20)}`, () => assert.deepEqual(bodyParams(type, body), want));
  }
});
