/** The Condition operators and keys of RAM policies (src/domain/ram/policy-conditions.ts), one row per rule. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  compileConditions, conditionBlockError, conditionHolds, allConditionsHold, normalizeConditionKey, wildcardRegExp,
} from '../../src/domain/ram/policy-conditions.js';

const ctx = (entries: Record<string, string | string[]>) =>
  new Map(Object.entries(entries).map(([k, v]) => [normalizeConditionKey(k), Array.isArray(v) ? v : [v]]));

const request = ctx({
  'acs:SourceIp': '127.0.0.1',
  'acs:CurrentTime': '2026-12-07T03:00:00.000Z',
  'acs:SecureTransport': 'false',
  'acs:MFAPresent': 'false',
  'acs:ResourceTag/env': 'dev',
  'ecs:tag/team': 'Blue',
  'acs:RequestTag/owner': 'alice',
  'ecs:count': '5',
});

describe('condition operators', () => {
  for (const [op, key, values, expected] of [
    ['StringEquals', 'acs:ResourceTag/env', ['dev'], true],
    ['StringEquals', 'acs:ResourceTag/env', ['prod', 'dev'], true],
    ['StringEquals', 'acs:ResourceTag/env', ['DEV'], false],
    ['StringEquals', 'acs:ResourceTag/missing', ['dev'], false],
    ['StringNotEquals', 'acs:ResourceTag/env', ['prod'], true],
    ['StringNotEquals', 'acs:ResourceTag/env', ['dev'], false],
    ['StringNotEquals', 'acs:ResourceTag/missing', ['dev'], true],
    ['StringEqualsIgnoreCase', 'ecs:tag/team', ['blue'], true],
    ['StringNotEqualsIgnoreCase', 'ecs:tag/team', ['BLUE'], false],
    ['StringLike', 'ecs:tag/team', ['Bl*'], true],
    ['StringLike', 'ecs:tag/team', ['B?ue'], true],
    ['StringLike', 'ecs:tag/team', ['b*'], false],
    ['StringNotLike', 'ecs:tag/team', ['Re*'], true],
    ['StringNotLike', 'acs:RequestTag/owner', ['a*'], false],
    ['NumericEquals', 'ecs:count', ['5'], true],
    ['NumericNotEquals', 'ecs:count', ['5'], false],
    ['NumericLessThan', 'ecs:count', ['6'], true],
    ['NumericLessThanEquals', 'ecs:count', ['5'], true],
    ['NumericGreaterThan', 'ecs:count', ['5'], false],
    ['NumericGreaterThanEquals', 'ecs:count', [5], true],
    ['DateLessThan', 'acs:CurrentTime', ['2026-12-07T11:00:00+08:00'], false],
    ['DateLessThan', 'acs:CurrentTime', ['2026-12-08T00:00:00Z'], true],
    ['DateLessThanEquals', 'acs:CurrentTime', ['2026-12-07T03:00:00Z'], true],
    ['DateGreaterThan', 'acs:CurrentTime', ['2026-01-01T00:00:00Z'], true],
    ['DateGreaterThanEquals', 'acs:CurrentTime', ['2027-01-01T00:00:00Z'], false],
    ['DateEquals', 'acs:CurrentTime', ['2026-12-07T11:00:00+08:00'], true],
    ['DateNotEquals', 'acs:CurrentTime', ['2026-12-07T11:00:00+08:00'], false],
    ['Bool', 'acs:SecureTransport', ['false'], true],
    ['Bool', 'acs:SecureTransport', [true], false],
    ['Bool', 'acs:MFAPresent', ['true'], false],
    ['IpAddress', 'acs:SourceIp', ['127.0.0.0/8'], true],
    ['IpAddress', 'acs:SourceIp', ['127.0.0.1'], true],
    ['IpAddress', 'acs:SourceIp', ['10.0.0.0/8', '192.168.0.0/16'], false],
    ['IpAddress', 'acs:SourceIp', ['::1/128'], false],
    ['NotIpAddress', 'acs:SourceIp', ['10.0.0.0/8'], true],
    ['NotIpAddress', 'acs:SourceIp', ['127.0.0.0/24'], false],
    ['stringequals', 'ACS:sourceip', ['127.0.0.1'], true],
  ] as const) {
    it(`${op} ${key} ${JSON.stringify(values)} → ${expected}`, () => {
      const [c] = compileConditions({ [op]: { [key]: values as unknown as string[] } });
      assert.equal(conditionHolds(c!, request), expected);
    });
  }

  it('every operator of a block and every key under an operator must hold', () => {
    const both = compileConditions({ StringEquals: { 'acs:ResourceTag/env': 'dev', 'ecs:tag/team': 'Blue' }, IpAddress: { 'acs:SourceIp': '127.0.0.1' } });
    assert.equal(allConditionsHold(both, request), true);
    const oneFails = compileConditions({ StringEquals: { 'acs:ResourceTag/env': 'dev', 'ecs:tag/team': 'Red' } });
    assert.equal(allConditionsHold(oneFails, request), false);
  });

  it('tag keys keep their case; the namespace and key name do not', () => {
    assert.equal(normalizeConditionKey('ACS:ResourceTag/Env'), 'acs:resourcetag/Env');
    assert.equal(normalizeConditionKey('acs:SourceIP'), 'acs:sourceip');
  });
});

describe('wildcards', () => {
  for (const [pattern, value, expected] of [
    ['*', 'anything', true],
    ['acs:ecs:*:*:instance/*', 'acs:ecs:cn-hangzhou:123:instance/i-1', true],
    ['acs:ecs:*:*:instance/i-?', 'acs:ecs:cn-hangzhou:123:instance/i-1', true],
    ['acs:ecs:*:*:instance/i-?', 'acs:ecs:cn-hangzhou:123:instance/i-12', false],
    ['acs:ecs:cn-beijing:*:instance/*', 'acs:ecs:cn-hangzhou:123:instance/i-1', false],
    ['a.b', 'axb', false],
  ] as const) {
    it(`${pattern} ~ ${value}: ${expected}`, () => assert.equal(wildcardRegExp(pattern).test(value), expected));
  }
});

describe('condition block validation', () => {
  for (const [block, error] of [
    [{ StringEquals: { 'acs:ResourceTag/env': 'dev' } }, undefined],
    [{ IpAddress: { 'acs:SourceIp': ['10.0.0.0/8', '192.168.1.1'] } }, undefined],
    [{ DateLessThan: { 'acs:CurrentTime': '2026-12-31T23:59:59+08:00' } }, undefined],
    [{ Bool: { 'acs:SecureTransport': true } }, undefined],
    [[], /must be a JSON object/],
    [{ StringMatches: { 'acs:SourceIp': 'x' } }, /operator "StringMatches" is not supported/],
    [{ StringEquals: {} }, /must map condition keys/],
    [{ StringEquals: { env: 'dev' } }, /not of the form/],
    [{ StringEquals: { 'acs:ResourceTag/env': [] } }, /has no value/],
    [{ StringEquals: { 'acs:ResourceTag/env': { a: 1 } } }, /not a string, number or boolean/],
    [{ NumericLessThan: { 'ecs:count': 'ten' } }, /not a number/],
    [{ DateGreaterThan: { 'acs:CurrentTime': 'tomorrow' } }, /not an ISO 8601 time/],
    [{ Bool: { 'acs:MFAPresent': 'yes' } }, /not true or false/],
    [{ IpAddress: { 'acs:SourceIp': '300.1.1.1' } }, /not an IP address or CIDR block/],
  ] as const) {
    it(`${JSON.stringify(block)}: ${error ?? 'valid'}`, () => {
      const e = conditionBlockError(block);
      if (!error) assert.equal(e, undefined);
      else assert.match(e ?? '', error);
    });
  }
});
