/** The RAM policy language: validation (MalformedPolicyDocument's details) and evaluation order, table by table. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compilePolicy, evaluate, policyDocumentError, type CompiledPolicy } from '../../src/auth/policy.js';
import { compileSet, decide } from '../../src/auth/policy-enforcer.js';
import { normalizeConditionKey } from '../../src/domain/ram/policy-conditions.js';

const doc = (...Statement: unknown[]) => JSON.stringify({ Version: '1', Statement });
const allow = (Action: unknown, Resource: unknown = '*', extra: object = {}) => ({ Effect: 'Allow', Action, Resource, ...extra });
const deny = (Action: unknown, Resource: unknown = '*', extra: object = {}) => ({ Effect: 'Deny', Action, Resource, ...extra });

describe('policy document validation', () => {
  for (const [what, text, error] of [
    ['the guide\'s pay-as-you-go sample', doc(allow(['ecs:DescribeImages', 'vpc:DescribeVpcs', 'ecs:RunInstances'])), undefined],
    ['a single Statement object', JSON.stringify({ Version: '1', Statement: allow('ecs:*') }), undefined],
    ['NotAction and NotResource', doc({ Effect: 'Deny', NotAction: 'ecs:Describe*', NotResource: 'acs:ecs:*:*:instance/i-1' }), undefined],
    ['a condition', doc(allow('ecs:*', '*', { Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } })), undefined],
    ['not JSON', '{"Version": "1",', /not valid JSON/],
    ['empty', '', /empty/],
    ['too long', doc(allow('ecs:*', 'x'.repeat(7000))), /limit is 6144/],
    ['a JSON list', '[]', /must be a JSON object/],
    ['Version 2', JSON.stringify({ Version: '2', Statement: [allow('*')] }), /Version must be "1"/],
    ['Version as a number', JSON.stringify({ Version: 1, Statement: [allow('*')] }), /Version must be "1"/],
    ['no Statement', JSON.stringify({ Version: '1' }), /non-empty Statement/],
    ['an unknown element', JSON.stringify({ Version: '1', Statement: [allow('*')], Id: 'x' }), /unknown element "Id"/],
    ['Effect Maybe', doc({ Effect: 'Maybe', Action: '*', Resource: '*' }), /Statement 1: Effect must be "Allow" or "Deny"/],
    ['no Action', doc({ Effect: 'Allow', Resource: '*' }), /exactly one of Action and NotAction/],
    ['both Action and NotAction', doc({ Effect: 'Allow', Action: '*', NotAction: 'ecs:*', Resource: '*' }), /exactly one of Action and NotAction/],
    ['an action without service', doc(allow('DescribeInstances')), /"DescribeInstances" is not "\*" or "<service>:<ActionName>"/],
    ['an empty action list', doc(allow([])), /non-empty string or a non-empty list/],
    ['no Resource', doc({ Effect: 'Allow', Action: '*' }), /exactly one of Resource and NotResource/],
    ['a bad ARN', doc(allow('*', 'instance/i-1')), /"instance\/i-1" is not "\*" or an ARN/],
    ['a Principal in a permission policy', doc(allow('*', '*', { Principal: { RAM: ['acs:ram::1:root'] } })), /cannot name a Principal/],
    ['an unknown operator', doc(allow('*', '*', { Condition: { IpInRange: { 'acs:SourceIp': '1.1.1.1' } } })), /Statement 1: Condition operator "IpInRange"/],
    ['the second statement', doc(allow('*'), { Effect: 'Allow' }), /^Statement 2/],
  ] as const) {
    it(`${what}: ${error ?? 'valid'}`, () => {
      const e = policyDocumentError(text);
      if (!error) assert.equal(e, undefined);
      else assert.match(e ?? '', error);
    });
  }

  it('a trust policy names a Principal and needs no Resource', () => {
    const trust = doc({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } });
    assert.equal(policyDocumentError(trust, 'trust'), undefined);
    assert.match(policyDocumentError(doc({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust') ?? '', /must name a Principal/);
  });
});

const I1 = 'acs:ecs:cn-hangzhou:1234:instance/i-1';
const I2 = 'acs:ecs:cn-hangzhou:1234:instance/i-2';
const noContext = new Map<string, string[]>();
const p = (name: string, ...statements: unknown[]): CompiledPolicy => compilePolicy(name, 'v1', doc(...statements));

describe('evaluation', () => {
  const readOnly = p('System:AliyunECSReadOnlyAccess', allow('ecs:Describe*'), allow('ecs:List*'));
  for (const [what, policies, action, resource, expected, deciding] of [
    ['no policy: implicit deny', [], 'ecs:DescribeInstances', '*', 'ImplicitDeny', undefined],
    ['read-only describes', [readOnly], 'ecs:DescribeInstances', I1, 'Allow', 'System:AliyunECSReadOnlyAccess#0'],
    ['read-only cannot stop', [readOnly], 'ecs:StopInstance', I1, 'ImplicitDeny', undefined],
    ['List* is the second statement', [readOnly], 'ecs:ListTagResources', I1, 'Allow', 'System:AliyunECSReadOnlyAccess#1'],
    ['the service prefix and action name compare case-insensitively', [p('c', allow('ECS:describeinstances'))], 'ecs:DescribeInstances', I1, 'Allow', 'c#0'],
    ['* allows every action', [p('admin', allow('*'))], 'vpc:DeleteVpc', 'acs:vpc:cn-hangzhou:1234:vpc/vpc-1', 'Allow', 'admin#0'],
    ['a resource pattern', [p('c', allow('ecs:StopInstance', 'acs:ecs:*:*:instance/i-1'))], 'ecs:StopInstance', I1, 'Allow', 'c#0'],
    ['… does not match another instance', [p('c', allow('ecs:StopInstance', 'acs:ecs:*:*:instance/i-1'))], 'ecs:StopInstance', I2, 'ImplicitDeny', undefined],
    ['… nor another region', [p('c', allow('ecs:*', 'acs:ecs:cn-beijing:*:*'))], 'ecs:StopInstance', I1, 'ImplicitDeny', undefined],
    ['a list of resources', [p('c', allow('ecs:*', ['acs:ecs:*:*:disk/*', 'acs:ecs:*:*:instance/i-2']))], 'ecs:StopInstance', I2, 'Allow', 'c#0'],
    ['explicit deny beats allow in the same policy', [p('c', allow('ecs:*'), deny('ecs:StopInstance'))], 'ecs:StopInstance', I1, 'ExplicitDeny', 'c#1'],
    ['explicit deny beats allow of another policy', [p('a', allow('*')), p('d', deny('ecs:Stop*', I1))], 'ecs:StopInstance', I1, 'ExplicitDeny', 'd#0'],
    ['a deny on another resource leaves the allow', [p('a', allow('*')), p('d', deny('ecs:Stop*', I2))], 'ecs:StopInstance', I1, 'Allow', 'a#0'],
    ['NotAction allows everything else', [p('c', { Effect: 'Allow', NotAction: 'ecs:Delete*', Resource: '*' })], 'ecs:StopInstance', I1, 'Allow', 'c#0'],
    ['NotAction leaves the named out', [p('c', { Effect: 'Allow', NotAction: 'ecs:Delete*', Resource: '*' })], 'ecs:DeleteInstance', I1, 'ImplicitDeny', undefined],
    ['NotResource', [p('c', { Effect: 'Allow', Action: 'ecs:*', NotResource: I1 })], 'ecs:StopInstance', I2, 'Allow', 'c#0'],
    ['NotResource leaves the named out', [p('c', { Effect: 'Allow', Action: 'ecs:*', NotResource: I1 })], 'ecs:StopInstance', I1, 'ImplicitDeny', undefined],
    ['a condition that does not hold', [p('c', allow('ecs:*', '*', { Condition: { Bool: { 'acs:SecureTransport': 'true' } } }))], 'ecs:StopInstance', I1, 'ImplicitDeny', undefined],
    ['a broken document grants nothing', [compilePolicy('bad', 'v1', '{')], 'ecs:StopInstance', I1, 'ImplicitDeny', undefined],
    ['an Allow it cannot read grants nothing', [p('c', allow('ecs:*', '*', { Condition: { IpInRange: { 'acs:SourceIp': '10.0.0.0/8' } } }), allow('ecs:Describe*'))], 'ecs:StopInstance', I1, 'ImplicitDeny', undefined],
    ['… and leaves the readable statements', [p('c', allow('ecs:*', '*', { Condition: { IpInRange: { 'acs:SourceIp': '10.0.0.0/8' } } }), allow('ecs:Stop*'))], 'ecs:StopInstance', I1, 'Allow', 'c#1'],
    ['a Deny whose Condition it cannot read denies unconditionally', [p('a', allow('*')), p('d', deny('ecs:Stop*', '*', { Condition: { IpInRange: { 'acs:SourceIp': '10.0.0.0/8' } } }))], 'ecs:StopInstance', I1, 'ExplicitDeny', 'd#0'],
  ] as const) {
    it(`${what}: ${expected}`, () => {
      const d = evaluate(policies as unknown as CompiledPolicy[], { action, resource, context: noContext });
      assert.equal(d.decision, expected);
      assert.equal(d.policy && d.statement ? `${d.policy.source}#${d.statement.index}` : undefined, deciding);
    });
  }

  it('a condition on the resource\'s tag', () => {
    const tagged = [p('c', allow('ecs:*', '*', { Condition: { StringEquals: { 'acs:ResourceTag/env': 'dev' } } }))];
    const dev = new Map([[normalizeConditionKey('acs:ResourceTag/env'), ['dev']]]);
    const prod = new Map([[normalizeConditionKey('acs:ResourceTag/env'), ['prod']]]);
    assert.equal(evaluate(tagged, { action: 'ecs:StopInstance', resource: I1, context: dev }).decision, 'Allow');
    assert.equal(evaluate(tagged, { action: 'ecs:StopInstance', resource: I1, context: prod }).decision, 'ImplicitDeny');
  });
});

describe('a session policy narrows the role\'s', () => {
  const docs = (session?: unknown[]) => [
    { source: 'System:AliyunECSFullAccess', version: 'v1', document: doc(allow('ecs:*')) },
    ...(session ? [{ source: 'Session:s1', version: '', document: doc(...session) }] : []),
  ];
  for (const [what, session, action, expected] of [
    ['no session policy: the role decides', undefined, 'ecs:StopInstance', 'Allow'],
    ['allowed by both', [allow('ecs:Describe*')], 'ecs:DescribeInstances', 'Allow'],
    ['allowed by the role only', [allow('ecs:Describe*')], 'ecs:StopInstance', 'ImplicitDeny'],
    ['allowed by the session only', [allow('vpc:*')], 'vpc:DeleteVpc', 'ImplicitDeny'],
    ['denied by the session', [allow('*'), deny('ecs:Stop*')], 'ecs:StopInstance', 'ExplicitDeny'],
  ] as const) {
    it(`${what}: ${expected}`, () => {
      const set = compileSet(docs(session as unknown[] | undefined));
      assert.equal(decide(set, action, I1, noContext).decision, expected);
    });
  }

  it('compiles a document list once', () => {
    const list = docs([allow('*')]);
    assert.equal(compileSet(list), compileSet(list));
    assert.equal(compileSet(list).session.length, 1);
  });

  it('knows when a decision reads the connection or the clock, and when it reads tags', () => {
    const plain = compileSet(docs());
    assert.deepEqual([plain.readsContext, plain.readsTags], [false, false]);
    const ip = compileSet([{ source: 'Custom:ip', version: 'v1', document: doc(allow('*', '*', { Condition: { IpAddress: { 'acs:SourceIp': '127.0.0.1' } } })) }]);
    assert.deepEqual([ip.readsContext, ip.readsTags], [true, false]);
    const tag = compileSet([{ source: 'Custom:tag', version: 'v1', document: doc(allow('*', '*', { Condition: { StringEquals: { 'ecs:tag/env': 'dev' } } })) }]);
    assert.deepEqual([tag.readsContext, tag.readsTags], [false, true]);
    assert.equal(tag.namesRegions, false);
    const regional = compileSet([{ source: 'Custom:r', version: 'v1', document: doc(allow('ecs:*', ['acs:ecs:*:*:disk/*', 'acs:ecs:cn-beijing:*:instance/*'])) }]);
    assert.equal(regional.namesRegions, true);
  });
});
