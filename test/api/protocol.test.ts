/**
 * The RPC wire protocol over real HTTP (api-protocol.md §1, §2): the four official client modes,
 * Terraform's query+form split, JSON/XML rendering, error bodies, and every authentication
 * failure a client can provoke. Requests the SDKs will not send are crafted with test/helpers/raw.ts.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { XMLParser } from 'fast-xml-parser';
import * as $OpenApi from '@alicloud/openapi-core';
import { $Ecs, AK, SECRET, expectEcsError, startTestServer, type TestServer } from '../helpers/server.js';
import { send, utcStamp, v2Common, v2Request, v2Signature, v2StringToSign, v3Request, formEncode } from '../helpers/raw.js';

const ERROR_FIELDS = ['Code', 'HostId', 'Message', 'Recommend', 'RequestId'];
const xmlParser = new XMLParser({ ignoreAttributes: true, isArray: (name) => name === 'Region' });

describe('RPC protocol', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer(); });
  after(async () => { await s.close(); });

  const regionIds = (body: any): string[] => body.Regions.Region.map((r: any) => r.RegionId).sort();

  describe('the four official client modes', () => {
    it('V3 SDK (default), V2 SDK, pop-core GET and pop-core POST form all get the same regions', async () => {
      const v3 = await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      const v2 = await s.ecsV2.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      const get: any = await s.pop.request('DescribeRegions', {});
      const post: any = await s.pop.request('DescribeRegions', {}, { method: 'POST' });
      const want = v3.body!.regions!.region!.map((r) => r.regionId!).sort();
      assert.ok(want.length >= 6);
      assert.deepEqual(v2.body!.regions!.region!.map((r) => r.regionId!).sort(), want);
      assert.deepEqual(regionIds(get), want);
      assert.deepEqual(regionIds(post), want);
      assert.equal(v3.statusCode, 200);
      assert.match(v3.body!.requestId!, /^[0-9A-F-]{20,}$/i);
    });

    it('pop-core success bodies carry no top-level Code (pop-core throws on any Code)', async () => {
      const get: any = await s.pop.request('DescribeRegions', {});
      const post: any = await s.pop.request('DescribeRegions', {}, { method: 'POST' });
      for (const body of [get, post]) {
        assert.equal(body.Code, undefined);
        assert.equal(typeof body.RequestId, 'string');
      }
    });

    it('pop-core errors surface as code/name from the body', async () => {
      const bad = s.clients({ accessKeyId: AK, accessKeySecret: 'wrong' });
      await assert.rejects(bad.pop.request('DescribeRegions', {}), (e: any) => {
        assert.equal(e.code, 'SignatureDoesNotMatch');
        assert.equal(e.name, 'SignatureDoesNotMatchError');
        return true;
      });
    });
  });

  describe('parameter placement', () => {
    it('V2 with API params in the form body and common params in the query (tea-rpc) is signed over the union', async () => {
      const r = await v2Request(s.url, 'DescribeRegions', { AcceptLanguage: 'en-US' }, { method: 'POST', placement: 'split' });
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.Regions.Region.find((x: any) => x.RegionId === 'cn-hangzhou')?.LocalName, 'China (Hangzhou)');
      // The body params really count: the same request in Chinese answers the Chinese name.
      const zh = await v2Request(s.url, 'DescribeRegions', { AcceptLanguage: 'zh-CN' }, { method: 'POST', placement: 'split' });
      assert.equal(zh.status, 200, zh.text);
      assert.notEqual(zh.json.Regions.Region.find((x: any) => x.RegionId === 'cn-hangzhou')?.LocalName, 'China (Hangzhou)');
    });

    it('a form body that was not signed is rejected (the body is part of the V2 signature)', async () => {
      const o = { nonce: 'split-tamper-1', timestamp: utcStamp() };
      const common = v2Common('DescribeRegions', o);
      const sig = v2Signature(v2StringToSign('POST', { ...common, AcceptLanguage: 'en-US' }), SECRET);
      const r = await send(s.url, {
        method: 'POST', path: '/?' + formEncode({ ...common, Signature: sig }),
        headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: formEncode({ AcceptLanguage: 'ja' }),
      });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.Code, 'SignatureDoesNotMatch');
    });

    it('pop-core style: everything, Signature included, in the form body', async () => {
      const r = await v2Request(s.url, 'DescribeRegions', { AcceptLanguage: 'en-US' }, { method: 'POST', placement: 'form' });
      assert.equal(r.status, 200, r.text);
      assert.ok(r.json.Regions.Region.length >= 6);
    });

    it('values with reserved characters survive the round trip (the server re-encodes decoded values)', async () => {
      // Unknown extra params are ignored but still signed.
      const r = await v2Request(s.url, 'DescribeRegions', { OwnerAccount: "a b+c!'()*~é中/&=" }, { method: 'GET' });
      assert.equal(r.status, 200, r.text);
      const p = await v2Request(s.url, 'DescribeRegions', { OwnerAccount: "a b+c!'()*~é中/&=" }, { method: 'POST', placement: 'form' });
      assert.equal(p.status, 200, p.text);
    });
  });

  describe('formats', () => {
    it('Format=XML answers XML rooted at <DescribeRegionsResponse>, lists as repeated elements', async () => {
      const r = await v2Request(s.url, 'DescribeRegions', {}, { format: 'XML' });
      assert.equal(r.status, 200);
      assert.equal(r.headers['content-type'], 'text/xml;charset=utf-8');
      assert.ok(r.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><DescribeRegionsResponse>'), r.text.slice(0, 120));
      assert.ok(r.text.trimEnd().endsWith('</DescribeRegionsResponse>'));
      assert.ok((r.text.match(/<Region>/g) ?? []).length >= 6, 'one <Region> element per region');
      assert.ok(!r.text.includes('<Region><Region>'));
      const doc = xmlParser.parse(r.text);
      const body = doc.DescribeRegionsResponse;
      assert.equal(body.RequestId, r.headers['x-acs-request-id']);
      assert.ok(body.Regions.Region.some((x: any) => x.RegionId === 'cn-hangzhou' && x.RegionEndpoint === 'ecs.cn-hangzhou.aliyuncs.com'));
    });

    it('format is case-insensitive (darabonba sends json, pop-core JSON)', async () => {
      for (const f of ['json', 'JSON', 'Json']) {
        const r = await v2Request(s.url, 'DescribeRegions', {}, { format: f });
        assert.equal(r.status, 200);
        assert.match(String(r.headers['content-type']), /^application\/json/);
        assert.ok(r.json.Regions);
      }
      const x = await v2Request(s.url, 'DescribeRegions', {}, { format: 'xml' });
      assert.equal(x.headers['content-type'], 'text/xml;charset=utf-8');
    });

    it('errors in XML are rooted at <Error> with the five fields', async () => {
      const r = await v2Request(s.url, 'NoSuchThing', {}, { format: 'XML' });
      assert.equal(r.status, 404);
      assert.equal(r.headers['content-type'], 'text/xml;charset=utf-8');
      const doc = xmlParser.parse(r.text);
      assert.deepEqual(Object.keys(doc.Error).sort(), ERROR_FIELDS);
      assert.equal(doc.Error.Code, 'InvalidAction.NotFound');
      assert.equal(doc.Error.RequestId, r.headers['x-acs-request-id']);
    });

    it('Format absent: V2 answers XML, V3 answers JSON', async () => {
      const v2 = await v2Request(s.url, 'DescribeRegions', {}, { format: null });
      assert.equal(v2.status, 200);
      assert.equal(v2.headers['content-type'], 'text/xml;charset=utf-8');
      assert.ok(v2.text.includes('<DescribeRegionsResponse>'));
      const v3 = await v3Request(s.url, 'DescribeRegions', {});
      assert.equal(v3.status, 200, v3.text);
      assert.match(String(v3.headers['content-type']), /^application\/json/);
      assert.ok(v3.json.Regions.Region.length >= 6);
    });
  });

  describe('request ids and error bodies', () => {
    it('x-acs-request-id equals the body RequestId on success and on error', async () => {
      const ok = await v3Request(s.url, 'DescribeRegions', {});
      assert.equal(ok.status, 200);
      assert.equal(ok.headers['x-acs-request-id'], ok.json.RequestId);
      const bad = await v3Request(s.url, 'DescribeRegions', {}, { secret: 'nope' });
      assert.equal(bad.status, 400);
      assert.equal(bad.headers['x-acs-request-id'], bad.json.RequestId);
      assert.notEqual(ok.json.RequestId, bad.json.RequestId);
    });

    it('an error body has exactly RequestId, HostId, Code, Message, Recommend', async () => {
      const r = await v3Request(s.url, 'DescribeRegions', {}, { secret: 'nope' });
      assert.deepEqual(Object.keys(r.json).sort(), ERROR_FIELDS);
      assert.equal(r.json.HostId, 'ecs.aliyuncs.com');
      assert.equal(r.json.Recommend, `https://api.aliyun.com/troubleshoot?q=SignatureDoesNotMatch&product=Ecs&requestId=${r.json.RequestId}`);
    });

    it('the V3 SDK reads the error: code, statusCode and data', async () => {
      const bad = s.clients({ accessKeyId: AK, accessKeySecret: 'nope' });
      const e = await expectEcsError(() => bad.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
      assert.equal(e.code, 'SignatureDoesNotMatch');
      assert.equal(e.statusCode, 400);
      assert.equal(e.data.HostId, 'ecs.aliyuncs.com');
    });
  });

  describe('signatures', () => {
    it('V2 mismatch: 400 SignatureDoesNotMatch whose Message ends with the exact server string-to-sign', async () => {
      for (const [method, placement] of [['GET', 'query'], ['POST', 'query'], ['POST', 'form'], ['POST', 'split']] as const) {
        const r = await v2Request(s.url, 'DescribeRegions', { AcceptLanguage: 'en-US' }, { method, placement, secret: 'wrong' });
        assert.equal(r.status, 400, `${method} ${placement}`);
        assert.equal(r.json.Code, 'SignatureDoesNotMatch');
        assert.ok(r.json.Message.endsWith(`server string to sign is:${r.stringToSign}`), `${method} ${placement}: ${r.json.Message}`);
        assert.ok(r.stringToSign.startsWith(`${method}&%2F&AcceptLanguage%3Den-US%26AccessKeyId%3D`), r.stringToSign);
      }
    });

    it('V3 mismatch: Message ends with the server string-to-sign', async () => {
      const r = await v3Request(s.url, 'DescribeRegions', { RegionId: 'cn-hangzhou' }, { secret: 'wrong' });
      assert.equal(r.status, 400);
      assert.equal(r.json.Code, 'SignatureDoesNotMatch');
      assert.ok(r.json.Message.endsWith(`server string to sign is:${r.stringToSign}`), r.json.Message);
    });

    it('the method is part of the V2 signature', async () => {
      const common = v2Common('DescribeRegions', {});
      const sig = v2Signature(v2StringToSign('POST', common), SECRET);
      const r = await send(s.url, { method: 'GET', path: '/?' + formEncode({ ...common, Signature: sig }) });
      assert.equal(r.status, 400);
      assert.equal(r.json.Code, 'SignatureDoesNotMatch');
    });

    it('V3 with a tampered body hash is SignatureDoesNotMatch', async () => {
      const empty = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
      const r = await v3Request(s.url, 'DescribeRegions', {}, {
        body: 'AcceptLanguage=ja', contentType: 'application/x-www-form-urlencoded', claimedHash: empty,
      });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.Code, 'SignatureDoesNotMatch');
    });

    it('V3 with a body whose hash is claimed correctly goes through', async () => {
      const r = await v3Request(s.url, 'DescribeRegions', {}, { body: 'AcceptLanguage=en-US', contentType: 'application/x-www-form-urlencoded' });
      assert.equal(r.status, 200, r.text);
    });

    it('V3 with a tampered query parameter is SignatureDoesNotMatch', async () => {
      const signed = await v3Request(s.url, 'DescribeRegions', { AcceptLanguage: 'en-US' });
      assert.equal(signed.status, 200);
      const headers: Record<string, string> = {
        host: new URL(s.url).host, 'x-acs-action': 'DescribeRegions', 'x-acs-version': '2014-05-26',
        'x-acs-date': utcStamp(), 'x-acs-signature-nonce': 'tamper-q-1',
        'x-acs-content-sha256': 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      };
      const { v3Sign } = await import('../helpers/raw.js');
      const { authorization } = v3Sign('POST', { AcceptLanguage: 'en-US' }, headers, headers['x-acs-content-sha256']!, AK, SECRET);
      const r = await send(s.url, { method: 'POST', path: '/?AcceptLanguage=ja', headers: { ...headers, authorization } });
      assert.equal(r.status, 400);
      assert.equal(r.json.Code, 'SignatureDoesNotMatch');
    });
  });

  describe('credentials and signature parts', () => {
    it('an unknown AccessKeyId is InvalidAccessKeyId.NotFound 404 (V2, V3 and the SDK)', async () => {
      const v2 = await v2Request(s.url, 'DescribeRegions', {}, { accessKeyId: 'LTAInosuchkey' });
      assert.equal(v2.status, 404);
      assert.equal(v2.json.Code, 'InvalidAccessKeyId.NotFound');
      const v3 = await v3Request(s.url, 'DescribeRegions', {}, { accessKeyId: 'LTAInosuchkey' });
      assert.equal(v3.status, 404);
      assert.equal(v3.json.Code, 'InvalidAccessKeyId.NotFound');
      const sdk = s.clients({ accessKeyId: 'LTAInosuchkey', accessKeySecret: SECRET });
      const e = await expectEcsError(() => sdk.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})));
      assert.equal(e.code, 'InvalidAccessKeyId.NotFound');
      assert.equal(e.statusCode, 404);
    });

    const missingCases: [string, string][] = [
      ['Signature', 'IncompleteSignature'],
      ['AccessKeyId', 'MissingParameter'],
      ['Timestamp', 'MissingParameter'],
      ['SignatureNonce', 'MissingParameter'],
    ];
    for (const [omit, code] of missingCases) {
      it(`V2 without ${omit} is ${code} 400`, async () => {
        const r = await v2Request(s.url, 'DescribeRegions', {}, { omit: [omit] });
        assert.equal(r.status, 400, r.text);
        assert.equal(r.json.Code, code);
        if (code === 'MissingParameter') assert.ok(r.json.Message.includes(`"${omit}"`), r.json.Message);
      });
    }

    it('no signature at all is a 400, never a success', async () => {
      const r = await send(s.url, { method: 'GET', path: '/?Action=DescribeRegions&Version=2014-05-26&Format=JSON' });
      assert.equal(r.status, 400);
      assert.equal(r.json.Code, 'MissingParameter');
    });

    it('V3 without a signed nonce header, or with a malformed Authorization, is IncompleteSignature 400', async () => {
      const r = await v3Request(s.url, 'DescribeRegions', {}, { omitHeaders: ['x-acs-signature-nonce'] });
      assert.equal(r.status, 400);
      assert.equal(r.json.Code, 'IncompleteSignature');
      const m = await send(s.url, {
        method: 'POST', path: '/',
        headers: { 'x-acs-action': 'DescribeRegions', 'x-acs-version': '2014-05-26', authorization: 'ACS3-HMAC-SHA256 garbage' },
      });
      assert.equal(m.status, 400);
      assert.equal(m.json.Code, 'IncompleteSignature');
    });

    it('V2 with an unsupported SignatureMethod is a 400', async () => {
      const common = { ...v2Common('DescribeRegions', {}), SignatureMethod: 'HMAC-SHA256' };
      const sig = v2Signature(v2StringToSign('GET', common), SECRET);
      const r = await send(s.url, { method: 'GET', path: '/?' + formEncode({ ...common, Signature: sig }) });
      assert.equal(r.status, 400);
    });
  });

  describe('freshness and replay', () => {
    it('a Timestamp 20 minutes old is InvalidTimeStamp.Expired 400 (V2 and V3)', async () => {
      const stale = utcStamp(Date.now() - 20 * 60_000);
      const v2 = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: stale });
      assert.equal(v2.status, 400);
      assert.equal(v2.json.Code, 'InvalidTimeStamp.Expired');
      const v3 = await v3Request(s.url, 'DescribeRegions', {}, { date: stale });
      assert.equal(v3.status, 400);
      assert.equal(v3.json.Code, 'InvalidTimeStamp.Expired');
      const future = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: utcStamp(Date.now() + 20 * 60_000) });
      assert.equal(future.json.Code, 'InvalidTimeStamp.Expired');
    });

    it('a Timestamp a few minutes old is accepted', async () => {
      const r = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: utcStamp(Date.now() - 5 * 60_000) });
      assert.equal(r.status, 200, r.text);
    });

    for (const bad of ['2026/11/23 06:00:00', '2026-11-23T06:00:00', 'yesterday', '2026-13-01T00:00:00Z']) {
      it(`a malformed Timestamp ${JSON.stringify(bad)} is InvalidTimeStamp.Format 400`, async () => {
        const r = await v2Request(s.url, 'DescribeRegions', {}, { timestamp: bad });
        assert.equal(r.status, 400);
        assert.equal(r.json.Code, 'InvalidTimeStamp.Format');
      });
    }

    it('a malformed x-acs-date is InvalidTimeStamp.Format 400', async () => {
      const r = await v3Request(s.url, 'DescribeRegions', {}, { date: 'Mon, 23 Nov 2026 06:00:00 GMT' });
      assert.equal(r.status, 400);
      assert.equal(r.json.Code, 'InvalidTimeStamp.Format');
    });

    it('the same SignatureNonce twice is SignatureNonceUsed 400 (V2)', async () => {
      const nonce = 'replay-v2-' + Date.now();
      const first = await v2Request(s.url, 'DescribeRegions', {}, { nonce });
      assert.equal(first.status, 200, first.text);
      const again = await v2Request(s.url, 'DescribeRegions', {}, { nonce });
      assert.equal(again.status, 400);
      assert.equal(again.json.Code, 'SignatureNonceUsed');
      // Replaying the exact captured request is refused too.
      const replay = await send(s.url, { method: 'GET', path: '/?' + formEncode(first.params) });
      assert.equal(replay.json.Code, 'SignatureNonceUsed');
    });

    it('the same x-acs-signature-nonce twice is SignatureNonceUsed 400 (V3)', async () => {
      const nonce = 'replay-v3-' + Date.now();
      const first = await v3Request(s.url, 'DescribeRegions', {}, { nonce });
      assert.equal(first.status, 200, first.text);
      const again = await v3Request(s.url, 'DescribeRegions', {}, { nonce });
      assert.equal(again.status, 400);
      assert.equal(again.json.Code, 'SignatureNonceUsed');
    });

    it('a failed signature does not burn the nonce', async () => {
      const nonce = 'burn-' + Date.now();
      const bad = await v2Request(s.url, 'DescribeRegions', {}, { nonce, secret: 'wrong' });
      assert.equal(bad.json.Code, 'SignatureDoesNotMatch');
      const good = await v2Request(s.url, 'DescribeRegions', {}, { nonce });
      assert.equal(good.status, 200, good.text);
    });
  });

  describe('routing', () => {
    it('an unknown Action is InvalidAction.NotFound 404', async () => {
      const v2 = await v2Request(s.url, 'DescribeUnicorns', {});
      assert.equal(v2.status, 404);
      assert.equal(v2.json.Code, 'InvalidAction.NotFound');
      const v3 = await v3Request(s.url, 'DescribeUnicorns', {});
      assert.equal(v3.status, 404);
      assert.equal(v3.json.Code, 'InvalidAction.NotFound');
    });

    it('Object prototype names are not actions or versions', async () => {
      for (const action of ['__proto__', 'constructor', 'toString', 'hasOwnProperty']) {
        const r = await v2Request(s.url, action, {});
        assert.equal(r.status, 404, `${action}: ${r.text}`);
        assert.equal(r.json.Code, 'InvalidAction.NotFound');
      }
      const v = await v2Request(s.url, 'DescribeRegions', {}, { version: 'constructor' });
      assert.equal(v.json.Code, 'InvalidVersion');
      // A parameter named like a prototype key is just an unknown parameter: signed, ignored.
      const p = await v2Request(s.url, 'DescribeRegions', { constructor: 'x', toString: 'y' });
      assert.equal(p.status, 200, p.text);
    });

    it('an unknown Version is InvalidVersion 400', async () => {
      const r = await v2Request(s.url, 'DescribeRegions', {}, { version: '2099-01-01' });
      assert.equal(r.status, 400);
      assert.equal(r.json.Code, 'InvalidVersion');
      const v3 = await v3Request(s.url, 'DescribeRegions', {}, { version: '2099-01-01' });
      assert.equal(v3.status, 400);
      assert.equal(v3.json.Code, 'InvalidVersion');
    });

    it('a real but unimplemented action is UnsupportedOperation 400 naming the action', async () => {
      const r = await v2Request(s.url, 'RunCommand', { RegionId: 'cn-hangzhou', Type: 'RunShellScript', CommandContent: 'ZWNobw==' });
      assert.equal(r.status, 400, r.text);
      assert.equal(r.json.Code, 'UnsupportedOperation');
      assert.ok(r.json.Message.includes('RunCommand'), r.json.Message);
      const e = await expectEcsError(() => s.ecs.runCommand(new $Ecs.RunCommandRequest({ regionId: 'cn-hangzhou', type: 'RunShellScript', commandContent: 'ZWNobw==' })));
      assert.equal(e.code, 'UnsupportedOperation');
      assert.equal(e.statusCode, 400);
    });

    it('unimplemented actions still authenticate first', async () => {
      const r = await v2Request(s.url, 'RunCommand', { RegionId: 'cn-hangzhou' }, { secret: 'wrong' });
      assert.equal(r.json.Code, 'SignatureDoesNotMatch');
    });

    for (const method of ['PUT', 'DELETE', 'PATCH']) {
      it(`${method} gets a 4xx ECS error, not a 5xx`, async () => {
        const r = await v2Request(s.url, 'DescribeRegions', {}, { method });
        assert.ok(r.status >= 400 && r.status < 500, `${method} → ${r.status} ${r.text}`);
        assert.equal(r.json?.Code, 'UnsupportedHTTPMethod', r.text);
      });
    }

    it('GET / without Action redirects to /console/', async () => {
      const r = await send(s.url, { method: 'GET', path: '/' });
      assert.equal(r.status, 302);
      assert.equal(r.headers.location, '/console/');
    });

    it('POST / without Action is MissingParameter 400', async () => {
      const r = await send(s.url, { method: 'POST', path: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'Format=JSON' });
      assert.equal(r.status, 400);
      assert.equal(r.json.Code, 'MissingParameter');
    });
  });

  describe('large requests', () => {
    it('a 60 KB URL through the SDK generic callApi (V3) goes through, no 431', async () => {
      const big = 'A'.repeat(60 * 1024);
      const params = new $OpenApi.$OpenApiUtil.Params({
        action: 'DescribeRegions', version: '2014-05-26', protocol: 'HTTP', pathname: '/', method: 'POST',
        authType: 'AK', style: 'RPC', reqBodyType: 'formData', bodyType: 'json',
      });
      const req = new $OpenApi.$OpenApiUtil.OpenApiRequest({ query: { RegionId: 'cn-hangzhou', OwnerAccount: big + '+/=%' } });
      const r: any = await s.ecs.callApi(params, req, {} as any);
      assert.equal(r.statusCode, 200);
      assert.ok(r.body.Regions.Region.length >= 6);
    });

    it('a raw V3 request with a 45 KB parameter (~60 KB URL) goes through', async () => {
      const big = Buffer.alloc(45 * 1024, 'x').toString('base64');
      const r = await v3Request(s.url, 'DescribeRegions', { OwnerAccount: big });
      assert.ok(r.status !== 431);
      assert.equal(r.status, 200, r.text.slice(0, 300));
    });
  });
});
