/**
 * Trust policy conditions decided on what an assumption carries (AssumeRole's ExternalId as
 * `sts:ExternalId`, the time): a condition on any other key is not decided, so such an Allow
 * grants nothing and such a Deny applies.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { trustAllows } from '../../src/domain/ram/documents.js';

const A = 'acs:ram::1000000000000001';
const who = { ram: [`${A}:user/alice`, `${A}:root`] };
const t = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: '1', Statement: statements });
const allow = (Condition?: Record<string, unknown>) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: [`${A}:root`] }, ...(Condition ? { Condition } : {}) });
const deny = (Condition: Record<string, unknown>) => ({ Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { RAM: ['*'] }, Condition });
const ctx = (externalId?: string, time = '2026-11-23T06:00:00Z') =>
  new Map<string, string[]>([['acs:currenttime', [time]], ...(externalId === undefined ? [] : [['sts:externalid', [externalId]] as [string, string[]]])]);

describe('trust policy conditions', () => {
  const equals = allow({ StringEquals: { 'sts:ExternalId': 'abcd1234' } });
  const cases: [string, string, Map<string, string[]>, boolean][] = [
    ['StringEquals ExternalId, the same', t(equals), ctx('abcd1234'), true],
    ['StringEquals ExternalId, another', t(equals), ctx('abcd12345'), false],
    ['StringEquals ExternalId, another case', t(equals), ctx('ABCD1234'), false],
    ['StringEquals ExternalId, none given', t(equals), ctx(), false],
    ['one of several values', t(allow({ StringEquals: { 'sts:ExternalId': ['x1', 'abcd1234'] } })), ctx('abcd1234'), true],
    ['StringLike ExternalId', t(allow({ StringLike: { 'sts:ExternalId': 'tenant-*' } })), ctx('tenant-42'), true],
    ['the key named in another case', t(allow({ StringEquals: { 'STS:externalid': 'abcd1234' } })), ctx('abcd1234'), true],
    ['a time window that holds', t(allow({ DateLessThan: { 'acs:CurrentTime': '2027-01-01T00:00:00Z' } })), ctx(), true],
    ['a time window that has passed', t(allow({ DateLessThan: { 'acs:CurrentTime': '2026-01-01T00:00:00Z' } })), ctx(), false],
    ['ExternalId and time must both hold', t(allow({ StringEquals: { 'sts:ExternalId': 'abcd1234' }, DateLessThan: { 'acs:CurrentTime': '2026-01-01T00:00:00Z' } })), ctx('abcd1234'), false],
    ['an Allow on a key not carried grants nothing', t(allow({ IpAddress: { 'acs:SourceIp': '0.0.0.0/0' } })), ctx('abcd1234'), false],
    ['a negated Allow on a key not carried grants nothing', t(allow({ StringNotEquals: { 'acs:SourceIp': '10.0.0.1' } })), ctx(), false],
    ['a Deny on the ExternalId that holds', t(allow(), deny({ StringLike: { 'sts:ExternalId': 'blocked-*' } })), ctx('blocked-1'), false],
    ['a Deny on the ExternalId that does not hold', t(allow(), deny({ StringLike: { 'sts:ExternalId': 'blocked-*' } })), ctx('open-1'), true],
    ['a Deny on the ExternalId, none given', t(allow(), deny({ StringLike: { 'sts:ExternalId': 'blocked-*' } })), ctx(), true],
    ['a negated Deny, none given, holds', t(allow(), deny({ StringNotEquals: { 'sts:ExternalId': 'abcd1234' } })), ctx(), false],
    ['a Deny on a key not carried applies', t(allow(), deny({ IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } })), ctx('abcd1234'), false],
  ];
  for (const [name, doc, context, want] of cases) it(`${name} → ${want}`, () => assert.equal(trustAllows(doc, who, context), want));

  it('decides nothing without a context: a conditional Allow grants nothing', () => {
    assert.equal(trustAllows(t(equals), who), false);
    assert.equal(trustAllows(t(allow()), who), true);
  });
});
