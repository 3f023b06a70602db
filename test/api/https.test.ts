/**
 * HTTPS on the API port. Terraform's provider revokes and modifies security group rules with a
 * CommonRequest forced to HTTPS and GET (terraform-calls.md §0.2, §5), to the endpoint it uses
 * over HTTP for everything else, so the one port must answer both.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { X509Certificate } from 'node:crypto';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { createNetwork } from '../helpers/fixtures.js';
import { v2Request } from '../helpers/raw.js';
import { loadTlsIdentity, subjectNames } from '../../src/api/tls-cert.js';

function httpsStatus(url: string, ca?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.end();
  });
}

describe('HTTPS and HTTP on one port', () => {
  let s: TestServer;
  let https: string;
  let ca: string;
  before(async () => {
    s = await startTestServer();
    https = s.url.replace(/^http:/, 'https:');
    ca = s.app.tls!.ca;
  });
  after(() => s.close());

  it('revokes a rule the way the provider does: GET over HTTPS with flat parameters, after an HTTP authorize', async () => {
    const net = await createNetwork(s);
    const rule = { RegionId: 'cn-hangzhou', SecurityGroupId: net.securityGroupId, IpProtocol: 'tcp', PortRange: '22/22', SourceCidrIp: '10.0.0.0/8', Policy: 'accept', Priority: '1', NicType: 'intranet' };
    const authorize = await v2Request(s.url, 'AuthorizeSecurityGroup', {
      RegionId: 'cn-hangzhou', SecurityGroupId: net.securityGroupId, 'Permissions.1.IpProtocol': 'tcp', 'Permissions.1.PortRange': '22/22',
      'Permissions.1.SourceCidrIp': '10.0.0.0/8', 'Permissions.1.Policy': 'accept', 'Permissions.1.Priority': '1',
    }, { method: 'POST', placement: 'split', format: 'json' });
    assert.equal(authorize.status, 200, authorize.text);

    const modify = await v2Request(https, 'ModifySecurityGroupRule', { ...rule, Description: 'ssh from the office' }, { method: 'GET', ca });
    assert.equal(modify.status, 200, modify.text);
    const attr = await v2Request(https, 'DescribeSecurityGroupAttribute', { RegionId: 'cn-hangzhou', SecurityGroupId: net.securityGroupId, Direction: 'ingress' }, { ca });
    assert.equal(attr.json.Permissions.Permission.length, 1);
    assert.equal(attr.json.Permissions.Permission[0].Description, 'ssh from the office');

    const revoke = await v2Request(https, 'RevokeSecurityGroup', rule, { method: 'GET', ca });
    assert.equal(revoke.status, 200, revoke.text);
    const left = await v2Request(s.url, 'DescribeSecurityGroupAttribute', { RegionId: 'cn-hangzhou', SecurityGroupId: net.securityGroupId, Direction: 'ingress' });
    assert.deepEqual(left.json.Permissions.Permission, []);
  });

  it('signature and error handling are the same over HTTPS', async () => {
    const bad = await v2Request(https, 'DescribeRegions', {}, { ca, signature: 'AAAA' });
    assert.equal(bad.status, 400);
    assert.equal(bad.json.Code, 'SignatureDoesNotMatch');
  });

  it('a client that does not trust the CA refuses the certificate; one that does accepts it for 127.0.0.1', async () => {
    await assert.rejects(httpsStatus(`${https}/`), /certificate/);
    // An unsigned GET of / is the console redirect: an HTTP answer over TLS.
    assert.equal(await httpsStatus(`${https}/`, ca), 302);
  });
});

describe('TLS identity', () => {
  it('covers loopback in every spelling and the listen host', () => {
    const table: Array<[string, string[], string[]]> = [
      ['127.0.0.1', ['localhost'], ['127.0.0.1', '::1']],
      ['0.0.0.0', ['localhost'], ['127.0.0.1', '::1']],
      ['10.1.2.3', ['localhost'], ['127.0.0.1', '::1', '10.1.2.3']],
      ['ecs.internal', ['localhost', 'ecs.internal'], ['127.0.0.1', '::1']],
    ];
    for (const [host, dns, ips] of table) assert.deepEqual(subjectNames(host), { dns, ips }, host);
  });

  it('is made once in the data dir, signed by its own CA, and kept across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openecs-tls-'));
    try {
      const first = await loadTlsIdentity({ dataDir: dir, host: '127.0.0.1' });
      assert.equal(first.caFile, join(dir, 'tls', 'ca.pem'));
      const cert = new X509Certificate(first.cert);
      const caCert = new X509Certificate(first.ca);
      assert.ok(cert.verify(caCert.publicKey), 'the server certificate is signed by the CA');
      assert.equal(cert.ca, false);
      assert.equal(caCert.ca, true);
      assert.match(cert.subjectAltName ?? '', /IP Address:127\.0\.0\.1/);
      const again = await loadTlsIdentity({ dataDir: dir, host: '127.0.0.1' });
      assert.equal(again.cert, first.cert);
      assert.equal(readFileSync(join(dir, 'tls', 'ca.pem'), 'utf8'), first.ca);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('takes the operator certificate when one is configured, and refuses half a configuration', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'openecs-tls-'));
    try {
      const made = await loadTlsIdentity({ dataDir: dir, host: '127.0.0.1' });
      const own = await loadTlsIdentity({ dataDir: '/nonexistent', host: '127.0.0.1', certFile: join(dir, 'tls', 'server.pem'), keyFile: join(dir, 'tls', 'server-key.pem') });
      assert.equal(own.cert, made.cert);
      await assert.rejects(loadTlsIdentity({ dataDir: dir, host: '127.0.0.1', certFile: join(dir, 'tls', 'server.pem') }), /go together/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('OPENECS_TLS=0', () => {
  it('serves plain HTTP only', async () => {
    const s = await startTestServer({ tls: { enabled: false } });
    try {
      assert.equal(s.app.tls, undefined);
      await assert.rejects(httpsStatus(s.url.replace(/^http:/, 'https:') + '/'));
    } finally {
      await s.close();
    }
  });
});

describe('connections that have not shown their protocol', () => {
  it('do not keep the server from closing: silent ones, and TLS handshakes left half done', async () => {
    const s = await startTestServer();
    const silent = connect(s.port, '127.0.0.1');
    const halfTls = connect(s.port, '127.0.0.1', () => halfTls.write(Buffer.from([0x16, 0x03, 0x01])));
    const ended = Promise.all([silent, halfTls].map((c) => new Promise((resolve) => c.once('close', resolve))));
    silent.on('error', () => undefined);
    halfTls.on('error', () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Left alone they would hold close() until their 30 s timeout.
    const started = Date.now();
    await s.close();
    await ended;
    assert.ok(Date.now() - started < 10_000, `close took ${Date.now() - started} ms`);
  });
});
