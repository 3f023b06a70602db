/**
 * What one request may be: a body, URL and headers, query string and parameter count beyond the
 * configured limits are refused by the HTTP layer with an ECS error body (Code, RequestId) and the
 * status the limit names, and the server goes on answering everyone else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:net';
import { configFromEnv } from '../../src/config.js';
import { $Ecs, startTestServer, type TestServer } from '../helpers/server.js';
import { send, v3Request } from '../helpers/raw.js';

const KB = 1024;
const LIMITS = {
  ...configFromEnv({}).limits,
  maxHeaderBytes: 64 * KB, maxQueryBytes: 32 * KB, maxBodyBytes: 256 * KB, maxParameters: 300,
};

/** Sends raw bytes and collects what the server answers until it closes the connection. */
function rawExchange(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    // The server may close before it has read everything sent (that is the point): the answer counts.
    socket.on('error', (e: NodeJS.ErrnoException) => (chunks.length ? resolve(Buffer.concat(chunks).toString('utf8')) : reject(e)));
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.write(bytes);
  });
}

function ecsBody(text: string): any {
  return JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));
}

describe('request size limits', () => {
  let s: TestServer;
  before(async () => { s = await startTestServer({ limits: LIMITS }); });
  after(async () => { await s.close(); });

  const cases: { name: string; status: number; code: string; request: () => string | Buffer }[] = [
    {
      name: 'a body declared beyond the body limit', status: 413, code: 'RequestEntityTooLarge',
      request: () => `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${300 * KB}\r\n\r\n` + 'a'.repeat(300 * KB),
    },
    {
      name: 'a chunked body that grows beyond the body limit', status: 413, code: 'RequestEntityTooLarge',
      request: () => `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n`
        + `${(100 * KB).toString(16)}\r\n${'b'.repeat(100 * KB)}\r\n`.repeat(3) + '0\r\n\r\n',
    },
    {
      name: 'headers beyond the header limit', status: 431, code: 'RequestHeaderFieldsTooLarge',
      request: () => `GET /?Action=DescribeRegions HTTP/1.1\r\nHost: x\r\nX-Padding: ${'p'.repeat(70 * KB)}\r\n\r\n`,
    },
    {
      name: 'a URL beyond the header limit', status: 431, code: 'RequestHeaderFieldsTooLarge',
      request: () => `GET /?Action=DescribeRegions&OwnerAccount=${'u'.repeat(70 * KB)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    },
    {
      name: 'a query string beyond the query limit (within the header limit)', status: 414, code: 'RequestURITooLong',
      request: () => `GET /?Action=DescribeRegions&OwnerAccount=${'q'.repeat(40 * KB)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    },
    {
      name: 'more parameters than the limit, query and body together', status: 400, code: 'BadRequest',
      request: () => {
        const body = Array.from({ length: 200 }, (_, i) => `B${i}=1`).join('&');
        const query = Array.from({ length: 150 }, (_, i) => `Q${i}=1`).join('&');
        return `POST /?${query} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
      },
    },
  ];
  for (const c of cases) {
    it(`${c.name}: ${c.status} ${c.code}`, async () => {
      const text = await rawExchange(s.port, c.request());
      assert.match(text, new RegExp(`^HTTP/1\\.1 ${c.status} `), text.slice(0, 200));
      assert.match(text, /\r\nx-acs-request-id: [0-9A-F-]{36}\r\n/i);
      const body = ecsBody(text);
      assert.equal(body.Code, c.code);
      assert.match(body.RequestId, /^[0-9A-F-]{36}$/);
      assert.equal(body.HostId, 'ecs.aliyuncs.com');
      assert.ok(body.Message);
    });
  }

  it('a signed call just within the limits goes through, and the server answers after every refusal', async () => {
    // 20 KiB of parameter, URL-encoded in the V3 query: within 32 KiB.
    const r = await v3Request(s.url, 'DescribeRegions', { OwnerAccount: 'v'.repeat(20 * KB) });
    assert.equal(r.status, 200, r.text.slice(0, 300));
    const regions = await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    assert.ok(regions.body!.regions!.region!.length > 0);
  });

  it('a form body within the body limit with parameters within the count goes through', async () => {
    const r = await send(s.url, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `Action=DescribeRegions&Version=2014-05-26&Format=JSON&Padding=${'z'.repeat(200 * KB)}`,
    });
    // Unsigned: the dispatcher's answer, not the HTTP layer's.
    assert.equal(r.status, 400);
    assert.equal(r.json.Code, 'MissingParameter');
  });
});
