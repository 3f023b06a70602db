/**
 * The metadata service's RAM role paths (answerMetadata with the gateway's answer): the listing,
 * both spellings of the guide, and nothing at all for an instance without a role.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { answerMetadata, needsRamRole, type InstanceMetadata, type RamRoleAnswer } from '../../src/network/metadata.js';

const doc = {
  instanceId: 'i-1', hostname: 'h', privateIp: '192.168.0.5', mac: '00:16:3e:00:00:01', regionId: 'cn-hangzhou', zoneId: 'cn-hangzhou-i',
  imageId: 'm-1', instanceType: 'ecs.g7.large', vpcId: 'vpc-1', vswitchId: 'vsw-1', vpcCidr: '', vswitchCidr: '', gateway: '', netmask: '',
  serialNumber: '', ownerAccountId: '1', publicKeys: [], userData: '', eniId: 'eni-1',
} satisfies InstanceMetadata;
const credentials = { AccessKeyId: 'STS.x', AccessKeySecret: 's', Expiration: '2026-11-23T12:00:00Z', SecurityToken: 'CAIS', LastUpdated: '2026-11-23T06:00:00Z', Code: 'Success' };
const role: RamRoleAnswer = { roleName: 'EcsRole', credentials };

describe('metadata: instance RAM role', () => {
  for (const [path, ram, status, body] of [
    ['/latest/meta-data/ram/security-credentials/', role, 200, 'EcsRole'],
    ['/latest/meta-data/ram/security-credentials/EcsRole', role, 200, JSON.stringify(credentials, null, 2)],
    ['/latest/meta-data/Ram/security-credentials/EcsRole', role, 200, JSON.stringify(credentials, null, 2)],
    ['/2016-01-01/meta-data/ram/', role, 200, 'security-credentials/'],
    ['/latest/meta-data/ram/security-credentials/Other', role, 404, undefined],
    ['/latest/meta-data/ram/security-credentials/', undefined, 404, undefined],
    ['/latest/meta-data/ram/security-credentials/EcsRole', undefined, 404, undefined],
    // A role that cannot be assumed now (deleted, or no longer trusting ECS): listed, nothing served.
    ['/latest/meta-data/ram/security-credentials/EcsRole', { roleName: 'EcsRole' }, 404, undefined],
  ] as const) {
    it(`${path} ${ram ? (ram.credentials ? 'with a role' : 'with a role not assumable') : 'without a role'} → ${status}`, () => {
      const a = answerMetadata(doc, 'GET', path, ram);
      assert.equal(a.status, status);
      if (body !== undefined) assert.equal(String(a.body), body);
    });
  }

  it('lists ram/ in meta-data only while the instance holds a role', () => {
    assert.match(String(answerMetadata(doc, 'GET', '/latest/meta-data/', role).body), /^ram\/$/m);
    assert.doesNotMatch(String(answerMetadata(doc, 'GET', '/latest/meta-data/').body), /^ram\/$/m);
  });

  for (const [path, needed] of [
    ['/latest/meta-data/', true], ['/latest/meta-data', true], ['/latest/meta-data/ram/security-credentials/x', true],
    ['/latest/meta-data/Ram/security-credentials/x', true], ['/latest/meta-data/instance-id', false], ['/latest/user-data', false], ['/', false],
  ] as const) {
    it(`asks the gateway for ${path}: ${needed}`, () => assert.equal(needsRamRole(path), needed));
  }
});
