/**
 * The table of what each action asks RAM for (src/auth/action-resources.ts): every implemented
 * action has an entry, every entry names parameters its action declares, and the ARNs built from
 * requests are the documented ones.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { allHandlers } from '../../src/actions/index.js';
import { ACTION_RULES, actionRule, touchedResources } from '../../src/auth/action-resources.js';
import { actionSpec, type Product } from '../../src/api/spec.js';

const handlers = allHandlers();

describe('action-resources table', () => {
  it('has an entry for every implemented handler of every product', () => {
    const missing = Object.entries(handlers).flatMap(([product, map]) =>
      Object.keys(map).filter((a) => !actionRule(product as Product, a)).map((a) => `${product}:${a}`));
    assert.deepEqual(missing, [], `add these actions to src/auth/action-resources.ts: ${missing.join(', ')}`);
  });

  it('has entries only for actions of the product', () => {
    const stale = Object.entries(ACTION_RULES).flatMap(([product, map]) =>
      Object.keys(map).filter((a) => !actionSpec(product as Product, a)).map((a) => `${product}:${a}`));
    assert.deepEqual(stale, []);
  });

  it('names a role parameter to pass only where the action declares it', () => {
    const passing = Object.entries(ACTION_RULES).flatMap(([product, map]) =>
      Object.entries(map).filter(([, r]) => r.passRole).map(([a, r]) => [`${product}:${a}`, actionSpec(product as Product, a)?.p.some((x) => x.n === r.passRole)]));
    assert.deepEqual(passing.sort(), [['ecs:AttachInstanceRamRole', true], ['ecs:CreateInstance', true], ['ecs:RunInstances', true]]);
  });

  it('reads only parameters the action declares', () => {
    const wrong: string[] = [];
    for (const [product, map] of Object.entries(ACTION_RULES)) {
      for (const [action, rule] of Object.entries(map)) {
        const spec = actionSpec(product as Product, action);
        if (!spec) continue;
        for (const r of rule.resources) {
          if (r === '*') continue;
          const [type, param] = r.split(':') as [string, string];
          const bare = type.slice(type.indexOf('/') + 1);
          const names = [param.split('.')[0]!, ...(bare.startsWith('$') ? [bare.slice(1).split('=')[0]!] : [])];
          for (const n of names) if (n !== '*' && n !== '@self' && !spec.p.some((x) => x.n === n)) wrong.push(`${product}:${action}:${n}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
  });
});

describe('the resources a request touches', () => {
  const scope = { service: 'ecs', regionId: 'cn-hangzhou', accountId: '1234', userName: 'alice' };
  const arns = (product: Product, action: string, params: Record<string, unknown>) =>
    touchedResources(actionRule(product, action)!, { ...scope, service: ACTION_RULES[product][action]!.service ?? (product === 'openecs' ? 'openecs' : product) }, params).map((t) => t.arn);
  for (const [product, action, params, expected] of [
    ['ecs', 'StopInstance', { InstanceId: 'i-1' }, ['acs:ecs:cn-hangzhou:1234:instance/i-1']],
    ['ecs', 'StopInstances', { InstanceId: ['i-1', 'i-2'] }, ['acs:ecs:cn-hangzhou:1234:instance/i-1', 'acs:ecs:cn-hangzhou:1234:instance/i-2']],
    ['ecs', 'RunInstances', { ImageId: 'm-1', VSwitchId: 'vsw-1', SecurityGroupIds: ['sg-1', 'sg-2'], KeyPairName: 'kp' }, [
      'acs:ecs:cn-hangzhou:1234:instance/*', 'acs:ecs:cn-hangzhou:1234:disk/*', 'acs:ecs:cn-hangzhou:1234:image/m-1',
      'acs:vpc:cn-hangzhou:1234:vswitch/vsw-1', 'acs:ecs:cn-hangzhou:1234:securitygroup/sg-1', 'acs:ecs:cn-hangzhou:1234:securitygroup/sg-2',
      'acs:ecs:cn-hangzhou:1234:keypair/kp',
    ]],
    ['ecs', 'RunInstances', { ImageId: 'm-1', DataDisk: [{ Size: 20 }, { SnapshotId: 's-1' }] }, [
      'acs:ecs:cn-hangzhou:1234:instance/*', 'acs:ecs:cn-hangzhou:1234:disk/*', 'acs:ecs:cn-hangzhou:1234:image/m-1', 'acs:ecs:cn-hangzhou:1234:snapshot/s-1',
    ]],
    ['ecs', 'DescribeInstances', {}, ['acs:ecs:cn-hangzhou:1234:instance/*']],
    ['ecs', 'DescribeInstances', { InstanceIds: '["i-1","i-2"]' }, ['acs:ecs:cn-hangzhou:1234:instance/i-1', 'acs:ecs:cn-hangzhou:1234:instance/i-2']],
    ['ecs', 'DescribeRegions', {}, ['*']],
    ['ecs', 'TagResources', { ResourceType: 'instance', ResourceId: ['i-1'] }, ['acs:ecs:cn-hangzhou:1234:instance/i-1']],
    ['ecs', 'TagResources', { ResourceType: 'eni', ResourceId: ['eni-1'] }, ['acs:ecs:cn-hangzhou:1234:networkinterface/eni-1']],
    ['vpc', 'AssociateEipAddress', { AllocationId: 'eip-1', InstanceId: 'i-1' }, ['acs:vpc:cn-hangzhou:1234:eip/eip-1', 'acs:ecs:cn-hangzhou:1234:instance/i-1']],
    ['vpc', 'AssociateEipAddress', { AllocationId: 'eip-1', InstanceId: 'eni-1', InstanceType: 'NetworkInterface' }, ['acs:vpc:cn-hangzhou:1234:eip/eip-1', 'acs:ecs:cn-hangzhou:1234:networkinterface/eni-1']],
    ['ecs', 'UnassociateEipAddress', { AllocationId: 'eip-1', InstanceId: 'eni-1', InstanceType: 'NetworkInterface' }, ['acs:vpc:cn-hangzhou:1234:eip/eip-1', 'acs:ecs:cn-hangzhou:1234:networkinterface/eni-1']],
    ['ecs', 'RunInstances', { ImageId: 'm-1', VSwitchId: 'vsw-1', SecurityGroupId: 'sg-1', NetworkInterface: [{ NetworkInterfaceId: 'eni-1' }] }, [
      'acs:ecs:cn-hangzhou:1234:instance/*', 'acs:ecs:cn-hangzhou:1234:disk/*', 'acs:ecs:cn-hangzhou:1234:image/m-1',
      'acs:vpc:cn-hangzhou:1234:vswitch/vsw-1', 'acs:ecs:cn-hangzhou:1234:securitygroup/sg-1', 'acs:ecs:cn-hangzhou:1234:networkinterface/eni-1',
    ]],
    ['ecs', 'AttachInstanceRamRole', { InstanceIds: '["i-1"]', RamRoleName: 'r' }, ['acs:ecs:cn-hangzhou:1234:instance/i-1']],
    ['ecs', 'ApplyAutoSnapshotPolicy', { autoSnapshotPolicyId: 'sp-1', diskIds: '["d-1"]' }, ['acs:ecs:cn-hangzhou:1234:autosnapshotpolicy/sp-1', 'acs:ecs:cn-hangzhou:1234:disk/d-1']],
    ['ecs', 'CreateVpc', {}, ['acs:vpc:cn-hangzhou:1234:vpc/*']],
    ['vpc', 'TagResources', { ResourceType: 'VPC', ResourceId: ['vpc-1'] }, ['acs:vpc:cn-hangzhou:1234:vpc/vpc-1']],
    ['ram', 'AttachPolicyToUser', { PolicyType: 'Custom', PolicyName: 'p', UserName: 'bob' }, ['acs:ram::1234:policy/p', 'acs:ram::1234:user/bob']],
    ['ram', 'CreateAccessKey', {}, ['acs:ram::1234:user/alice']],
    ['sts', 'AssumeRole', { RoleArn: 'acs:ram::1234:role/admin' }, ['acs:ram::1234:role/admin']],
    ['ram', 'TagResources', { ResourceType: 'role', ResourceNames: ['a', 'b'] }, ['acs:ram::1234:role/a', 'acs:ram::1234:role/b']],
  ] as const) {
    it(`${product}:${action} ${JSON.stringify(params)}`, () => assert.deepEqual(arns(product, action, params), expected));
  }
});
