/** The metadata service's answers: the paths ECS documents and cloud-init's AliYun datasource crawls. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerMetadata, type InstanceMetadata } from '../../src/network/metadata.js';

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
    ['/latest', 200, 'dynamic\nmeta-data\nuser-data'],
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

test('identity document, token, no user data, unknown source', () => {
  const doc = JSON.parse(body(md, '/latest/dynamic/instance-identity/document').body);
  assert.deepEqual(doc, {
    'zone-id': 'cn-hangzhou-h', 'serial-number': 'sn-1', 'instance-id': 'i-abc', 'region-id': 'cn-hangzhou', 'private-ipv4': '192.168.0.10',
    'owner-account-id': '1234567890123456', mac: '00:16:3e:01:02:03', 'image-id': 'debian_12_busybox', 'instance-type': 'ecs.g7.large',
  });
  const tok = body(md, '/latest/api/token', 'PUT');
  assert.equal(tok.status, 200);
  assert.match(tok.body, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(body(md, '/latest/api/token').status, 405);
  assert.equal(body(md, '/latest/meta-data/instance-id', 'POST').status, 405);
  assert.equal(body({ ...md, userData: '' }, '/latest/user-data').status, 404);
  assert.equal(body({ ...md, publicKeys: [] }, '/latest/meta-data/public-keys/').status, 404);
  assert.equal(body(undefined, '/latest/meta-data/instance-id').status, 404);
});
