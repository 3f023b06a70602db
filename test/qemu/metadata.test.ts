/** The metadata service's answers: the paths ECS documents and cloud-init's AliYun datasource crawls. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerMetadata, MetadataService, type InstanceMetadata } from '../../src/network/metadata.js';

const md: InstanceMetadata = {
  instanceId: 'i-abc', hostname: 'web-1', privateIp: '192.168.0.10', mac: '00:16:3e:01:02:03', regionId: 'cn-hangzhou',
  zoneId: 'cn-hangzhou-h', imageId: 'debian_12_busybox', instanceType: 'ecs.g7.large', vpcId: 'vpc-1', vswitchId: 'vsw-1',
  vpcCidr: '192.168.0.0/16', vswitchCidr: '192.168.0.0/20', gateway: '192.168.15.253', netmask: '255.255.240.0',
  serialNumber: 'sn-1', ownerAccountId: '1234567890123456', publicKeys: ['ssh-rsa AAAA test\n'],
  userData: Buffer.from('#!/bin/sh\necho hi\n').toString('base64'), eniId: 'eni-1',
};

const body = (m: InstanceMetadata | undefined, path: string, method = 'GET') => {
  const a = answerMetadata(m, method, path);
  return { status: a.status, body: a.body.toString() };
};

test('metadata paths (table)', () => {
  const cases: [string, number, string | RegExp][] = [
    ['/', 200, '2016-01-01\nlatest'],
    ['/latest', 200, 'dynamic\nmaintenance\nmeta-data\nuser-data'],
    ['/latest/meta-data/instance-id', 200, 'i-abc'],
    ['/2016-01-01/meta-data/instance-id', 200, 'i-abc'],
    ['/latest/meta-data/hostname', 200, 'web-1'],
    ['/latest/meta-data/private-ipv4', 200, '192.168.0.10'],
    ['/latest/meta-data/region-id', 200, 'cn-hangzhou'],
    ['/latest/meta-data/zone-id', 200, 'cn-hangzhou-h'],
    ['/latest/meta-data/image-id', 200, 'debian_12_busybox'],
    ['/latest/meta-data/instance/instance-type', 200, 'ecs.g7.large'],
    ['/latest/meta-data/mac', 200, '00:16:3e:01:02:03'],
    ['/latest/meta-data/vpc-id', 200, 'vpc-1'],
    ['/latest/meta-data/vswitch-id', 200, 'vsw-1'],
    ['/latest/meta-data/vpc-cidr-block', 200, '192.168.0.0/16'],
    ['/latest/meta-data/vswitch-cidr-block', 200, '192.168.0.0/20'],
    ['/latest/meta-data/serial-number', 200, 'sn-1'],
    ['/latest/meta-data/public-keys/', 200, '0/'],
    ['/latest/meta-data/public-keys/0', 200, 'openssh-key'],
    ['/latest/meta-data/public-keys/0/openssh-key', 200, 'ssh-rsa AAAA test'],
    ['/latest/meta-data/network/interfaces/macs/', 200, '00:16:3e:01:02:03/'],
    ['/latest/meta-data/network/interfaces/macs/00:16:3e:01:02:03/primary-ip-address', 200, '192.168.0.10'],
    ['/latest/meta-data/network/interfaces/macs/00:16:3e:01:02:03/gateway', 200, '192.168.15.253'],
    ['/latest/meta-data/network/interfaces/macs/00:16:3e:01:02:03/netmask', 200, '255.255.240.0'],
    ['/latest/meta-data/network/interfaces/macs/00:16:3e:01:02:03/vswitch-cidr-block', 200, '192.168.0.0/20'],
    ['/latest/meta-data/', 200, /(^|\n)instance-id\n/],
    ['/latest/meta-data/', 200, /(^|\n)network\/\n/],
    ['/latest/meta-data/nope', 404, /Not Found/],
    ['/latest/meta-data/instance-id/x', 404, /Not Found/],
    ['/latest/user-data', 200, '#!/bin/sh\necho hi\n'],
    ['/latest/dynamic/instance-identity/', 200, 'document'],
    ['/2015-01-01/meta-data/', 404, /Not Found/],
  ];
  for (const [path, status, want] of cases) {
    const got = body(md, path);
    assert.equal(got.status, status, path);
    if (typeof want === 'string') assert.equal(got.body, want, path); else assert.match(got.body, want, path);
  }
});

test('instance tags, when InstanceMetadataTags is enabled', () => {
  const tagged: InstanceMetadata = { ...md, tags: { env: 'prod', team: 'storage' } };
  assert.deepEqual(body(tagged, '/latest/meta-data/tags/instance/'), { status: 200, body: 'env\nteam' });
  assert.deepEqual(body(tagged, '/latest/meta-data/tags/instance/team'), { status: 200, body: 'storage' });
  assert.match(body(tagged, '/latest/meta-data/').body, /^tags\/$/m);
  assert.equal(body(md, '/latest/meta-data/tags/instance/env').status, 404, 'not served unless enabled');
});

test('identity document, no user data, unknown source', () => {
  const doc = JSON.parse(body(md, '/latest/dynamic/instance-identity/document').body);
  assert.deepEqual(doc, {
    'zone-id': 'cn-hangzhou-h', 'serial-number': 'sn-1', 'instance-id': 'i-abc', 'region-id': 'cn-hangzhou', 'private-ipv4': '192.168.0.10',
    'owner-account-id': '1234567890123456', mac: '00:16:3e:01:02:03', 'image-id': 'debian_12_busybox', 'instance-type': 'ecs.g7.large',
  });
  assert.equal(body(md, '/latest/api/token').status, 405, 'tokens are handed out on PUT only');
  assert.equal(body(md, '/latest/meta-data/instance-id', 'POST').status, 405);
  assert.equal(body({ ...md, userData: '' }, '/latest/user-data').status, 404);
  assert.equal(body({ ...md, publicKeys: [] }, '/latest/meta-data/public-keys/').status, 404);
  assert.equal(body(undefined, '/latest/meta-data/instance-id').status, 404);
});

test('security hardening mode: tokens, their TTL and address, HttpTokens=required, disabled access (table)', () => {
  let now = 1_000_000;
  const svc = new MetadataService(() => now);
  const ask = (doc: InstanceMetadata | undefined, method: string, path: string, headers: Record<string, string> = {}, sourceIp = '192.168.0.10') => {
    const a = svc.answer(doc, { method, path, headers, sourceIp });
    return { status: a.status, body: a.body.toString() };
  };
  const put = (headers: Record<string, string>, doc: InstanceMetadata | undefined = md) => ask(doc, 'PUT', '/latest/api/token', headers);
  const token = put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' }).body;
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  const required: InstanceMetadata = { ...md, httpTokens: 'required' };
  const cases: [string, () => { status: number; body: string }, number, string?][] = [
    ['TTL header missing', () => put({}), 400, 'Missing or Invalid Parameters'],
    ['TTL 0', () => put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': '0' }), 400],
    ['TTL 21601', () => put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': '21601' }), 400],
    ['TTL 21600', () => put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': '21600' }), 200],
    ['through a proxy', () => put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': '60', 'x-forwarded-for': '1.2.3.4' }), 403],
    ['optional, no token', () => ask(md, 'GET', '/latest/meta-data/instance-id'), 200, 'i-abc'],
    ['optional, valid token', () => ask(md, 'GET', '/latest/meta-data/instance-id', { 'x-aliyun-ecs-metadata-token': token }), 200, 'i-abc'],
    ['optional, unknown token', () => ask(md, 'GET', '/latest/meta-data/instance-id', { 'x-aliyun-ecs-metadata-token': 'forged' }), 401],
    ['token from another address', () => ask(md, 'GET', '/latest/meta-data/instance-id', { 'x-aliyun-ecs-metadata-token': token }, '192.168.0.11'), 401],
    ['required, no token', () => ask(required, 'GET', '/latest/meta-data/instance-id'), 403],
    ['required, no token, user data', () => ask(required, 'GET', '/latest/user-data'), 403],
    ['required, valid token', () => ask(required, 'GET', '/latest/user-data', { 'x-aliyun-ecs-metadata-token': token }), 200, '#!/bin/sh\necho hi\n'],
    ['required, token PUT', () => put({ 'x-aliyun-ecs-metadata-token-ttl-seconds': '5' }, required), 200],
    ['token for an address no instance holds', () => ask(undefined, 'PUT', '/latest/api/token', { 'x-aliyun-ecs-metadata-token-ttl-seconds': '60' }), 404, 'no instance holds this source address'],
    ['disabled', () => ask({ ...md, httpEndpoint: 'disabled' }, 'GET', '/latest/meta-data/instance-id', { 'x-aliyun-ecs-metadata-token': token }), 403],
  ];
  for (const [what, call, status, want] of cases) {
    const got = call();
    assert.equal(got.status, status, what);
    if (want !== undefined) assert.equal(got.body, want, what);
  }
  now += 61_000;
  assert.equal(ask(md, 'GET', '/latest/meta-data/instance-id', { 'x-aliyun-ecs-metadata-token': token }).status, 401, 'an expired token');
});
