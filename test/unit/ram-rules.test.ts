/** RAM's name rules, policy and trust document grammar, password policy and error statuses, table by table. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EcsError } from '../../src/domain/errors.js';
import { checkPolicyDocument, trustAllows } from '../../src/domain/ram/documents.js';
import { ramStatus } from '../../src/domain/ram/errors.js';
import { checkPassword, DEFAULT_PASSWORD_POLICY, mergePasswordPolicy } from '../../src/domain/ram/passwords.js';
import { checkAccountAlias, checkMaxSessionDuration, checkName } from '../../src/domain/ram/rules.js';
import { hashPassword, verifyPassword } from '../../src/auth/passwords.js';

const codeOf = (fn: () => unknown): string => {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof EcsError) return e.code;
    throw e;
  }
};

describe('RAM names', () => {
  const cases: [string, string, string][] = [
    ['UserName', 'alice', 'ok'],
    ['UserName', 'a.b-c_d', 'ok'],
    ['UserName', 'x'.repeat(64), 'ok'],
    ['UserName', 'x'.repeat(65), 'InvalidParameter.UserName.Length'],
    ['UserName', '', 'InvalidParameter.UserName.Length'],
    ['UserName', 'al ice', 'InvalidParameter.UserName.InvalidChars'],
    ['UserName', 'alice@corp', 'InvalidParameter.UserName.InvalidChars'],
    ['NewUserName', 'bob!', 'InvalidParameter.NewUserName.InvalidChars'],
    ['GroupName', 'dev_ops.1', 'ok'],
    ['RoleName', 'ECSAdmin.v2', 'ok'],
    ['RoleName', 'ecs_admin', 'InvalidParameter.RoleName.InvalidChars'],
    ['PolicyName', 'View-ECS-1', 'ok'],
    ['PolicyName', 'view.ecs', 'InvalidParameter.PolicyName.InvalidChars'],
    ['PolicyName', 'p'.repeat(128), 'ok'],
    ['PolicyName', 'p'.repeat(129), 'InvalidParameter.PolicyName.Length'],
  ];
  for (const [param, value, want] of cases) {
    it(`${param} ${JSON.stringify(value.length > 20 ? value.slice(0, 8) + '…' : value)} → ${want}`, () => assert.equal(codeOf(() => checkName(param, value)), want));
  }

  const aliases: [string, string][] = [
    ['my-company', 'ok'], ['abc', 'ok'], ['ab', 'InvalidParameter.AccountAlias.Length'], ['a'.repeat(33), 'InvalidParameter.AccountAlias.Length'],
    ['-abc', 'InvalidParameter.AccountAlias.Format'], ['abc-', 'InvalidParameter.AccountAlias.Format'], ['a--b', 'InvalidParameter.AccountAlias.Format'],
    ['ABC', 'InvalidParameter.AccountAlias.Format'],
  ];
  for (const [alias, want] of aliases) it(`alias ${alias.slice(0, 12)} → ${want}`, () => assert.equal(codeOf(() => checkAccountAlias(alias)), want));

  const durations: [number | undefined, string | number][] = [[undefined, 3600], [3600, 3600], [43200, 43200], [3599, 'err'], [43201, 'err'], [3600.5, 'err']];
  for (const [v, want] of durations) {
    it(`MaxSessionDuration ${v} → ${want}`, () => {
      if (want === 'err') assert.equal(codeOf(() => checkMaxSessionDuration('MaxSessionDuration', v)), 'InvalidParameter.MaxSessionDuration');
      else assert.equal(checkMaxSessionDuration('MaxSessionDuration', v), want);
    });
  }
});

describe('policy documents', () => {
  const st = (s: Record<string, unknown>) => JSON.stringify({ Version: '1', Statement: [s] });
  const cases: [string, string, 'policy' | 'trust', string][] = [
    ['a plain allow', st({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), 'policy', 'ok'],
    ['lists and a condition', st({ Effect: 'Deny', Action: ['ecs:Stop*', 'ecs:DeleteInstance'], Resource: ['acs:ecs:*:*:instance/*'], Condition: { IpAddress: { 'acs:SourceIp': ['10.0.0.0/8'] } } }), 'policy', 'ok'],
    ['a single Statement object', JSON.stringify({ Version: '1', Statement: { Effect: 'Allow', Action: '*', Resource: '*' } }), 'policy', 'ok'],
    ['not JSON', '{', 'policy', 'MalformedPolicyDocument'],
    ['an array', '[]', 'policy', 'MalformedPolicyDocument'],
    ['no Version', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'policy', 'MalformedPolicyDocument'],
    ['Version 2', JSON.stringify({ Version: '2', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }), 'policy', 'MalformedPolicyDocument'],
    ['no Statement', JSON.stringify({ Version: '1', Statement: [] }), 'policy', 'MalformedPolicyDocument'],
    ['an unknown top element', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }], Id: 'x' }), 'policy', 'MalformedPolicyDocument'],
    ['a bad Effect', st({ Effect: 'allow', Action: '*', Resource: '*' }), 'policy', 'MalformedPolicyDocument'],
    ['no Action', st({ Effect: 'Allow', Resource: '*' }), 'policy', 'MalformedPolicyDocument'],
    ['an Action without service', st({ Effect: 'Allow', Action: 'DescribeInstances', Resource: '*' }), 'policy', 'MalformedPolicyDocument'],
    ['no Resource', st({ Effect: 'Allow', Action: 'ecs:*' }), 'policy', 'MalformedPolicyDocument'],
    ['an empty Resource list', st({ Effect: 'Allow', Action: 'ecs:*', Resource: [] }), 'policy', 'MalformedPolicyDocument'],
    ['a Condition that is not an object', st({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: 'x' }), 'policy', 'MalformedPolicyDocument'],
    ['a Condition key with an object value', st({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Condition: { StringEquals: { k: { a: 1 } } } }), 'policy', 'MalformedPolicyDocument'],
    ['a Principal in a policy', st({ Effect: 'Allow', Action: 'ecs:*', Resource: '*', Principal: { RAM: ['*'] } }), 'policy', 'MalformedPolicyDocument'],
    ['a trust policy', st({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }), 'trust', 'ok'],
    ['a trust policy without Principal', st({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'trust', 'MalformedPolicyDocument'],
    ['a trust policy with an unknown Principal type', st({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: ['*'] } }), 'trust', 'MalformedPolicyDocument'],
    ['a trust policy with a Resource', st({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Principal: { RAM: ['*'] } }), 'trust', 'MalformedPolicyDocument'],
    ['6,144 characters', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: 'r'.repeat(6144 - 79) }] }), 'policy', 'ok'],
    ['6,145 characters', JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ecs:*', Resource: 'r'.repeat(6145 - 79) }] }), 'policy', 'InvalidParameter.PolicyDocument.Length'],
  ];
  for (const [name, text, kind, want] of cases) it(`${name} → ${want}`, () => assert.equal(codeOf(() => checkPolicyDocument(text, kind)), want));

  it('sizes the 6,144 cases exactly', () => {
    assert.equal(cases.at(-2)![1].length, 6144);
    assert.equal(cases.at(-1)![1].length, 6145);
  });
});

describe('trust policies', () => {
  const t = (statements: Record<string, unknown>[]) => JSON.stringify({ Version: '1', Statement: statements });
  const allowRam = (ram: string[]) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { RAM: ram } });
  const A = 'acs:ram::1000000000000001';
  const cases: [string, string, { ram?: string[]; service?: string }, boolean][] = [
    ['the account root names every identity of the account', t([allowRam([`${A}:root`])]), { ram: [`${A}:user/alice`, `${A}:root`] }, true],
    ['another account is not named', t([allowRam([`${A}:root`])]), { ram: ['acs:ram::2000000000000002:user/x', 'acs:ram::2000000000000002:root'] }, false],
    ['a named user, case aside', t([allowRam([`${A}:user/Alice`])]), { ram: [`${A}:user/alice`, `${A}:root`] }, true],
    ['another user', t([allowRam([`${A}:user/bob`])]), { ram: [`${A}:user/alice`, `${A}:root`] }, false],
    ['a service', t([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['ecs.aliyuncs.com'] } }]), { service: 'ecs.aliyuncs.com' }, true],
    ['a service not named', t([{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: ['fc.aliyuncs.com'] } }]), { service: 'ecs.aliyuncs.com' }, false],
    ['a RAM principal is not a service', t([allowRam(['*'])]), { service: 'ecs.aliyuncs.com' }, false],
    ['a wildcard action', t([{ Effect: 'Allow', Action: 'sts:*', Principal: { RAM: ['*'] } }]), { ram: [`${A}:root`] }, true],
    ['another action', t([{ Effect: 'Allow', Action: 'sts:GetCallerIdentity', Principal: { RAM: ['*'] } }]), { ram: [`${A}:root`] }, false],
    ['a conditional Allow grants nothing', t([{ ...allowRam([`${A}:root`]), Condition: { Bool: { 'acs:MFAPresent': 'true' } } }]), { ram: [`${A}:root`] }, false],
    ['a conditional Deny applies', t([allowRam([`${A}:root`]), { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { RAM: ['*'] }, Condition: { IpAddress: { 'acs:SourceIp': '10.0.0.0/8' } } }]), { ram: [`${A}:root`] }, false],
    ['a Deny wins', t([allowRam([`${A}:root`]), { Effect: 'Deny', Action: 'sts:AssumeRole', Principal: { RAM: [`${A}:user/alice`] } }]), { ram: [`${A}:user/alice`, `${A}:root`] }, false],
  ];
  for (const [name, doc, who, want] of cases) it(`${name} → ${want}`, () => assert.equal(trustAllows(doc, who), want));
});

describe('passwords', () => {
  const cases: [string, Partial<typeof DEFAULT_PASSWORD_POLICY>, string][] = [
    ['Secret-Passw0rd', {}, 'ok'],
    ['Sh0rt', {}, 'InvalidParameter.Password.TooWeak'],
    ['alllowercase1', {}, 'InvalidParameter.Password.TooWeak'],
    ['ALLUPPERCASE1', {}, 'InvalidParameter.Password.TooWeak'],
    ['NoDigitsHere', {}, 'InvalidParameter.Password.TooWeak'],
    ['NoDigitsHere', { RequireNumbers: false }, 'ok'],
    ['NoSymbols1A', { RequireSymbols: true }, 'InvalidParameter.Password.TooWeak'],
    ['Has space 1A', {}, 'InvalidParameter.Password.TooWeak'],
    ['Twelve-Chars1', { MinimumPasswordLength: 14 }, 'InvalidParameter.Password.TooWeak'],
    ['A1' + 'a'.repeat(31), {}, 'InvalidParameter.Password.TooWeak'],
  ];
  for (const [pw, policy, want] of cases) {
    it(`${pw} with ${JSON.stringify(policy)} → ${want}`, () => assert.equal(codeOf(() => checkPassword(pw, { ...DEFAULT_PASSWORD_POLICY, ...policy })), want));
  }

  const ranges: [Record<string, number>, string][] = [
    [{ MinimumPasswordLength: 8 }, 'ok'], [{ MinimumPasswordLength: 32 }, 'ok'],
    [{ MinimumPasswordLength: 7 }, 'InvalidParameter.MinimumPasswordLength.Range'], [{ MinimumPasswordLength: 33 }, 'InvalidParameter.MinimumPasswordLength.Range'],
    [{ MaxPasswordAge: 1096 }, 'InvalidParameter.MaxPasswordAge.Range'], [{ PasswordReusePrevention: 25 }, 'InvalidParameter.PasswordReusePrevention.Range'],
    [{ MaxLoginAttemps: 33 }, 'InvalidParameter.MaxLoginAttemps.Range'],
  ];
  for (const [change, want] of ranges) it(`SetPasswordPolicy ${JSON.stringify(change)} → ${want}`, () => assert.equal(codeOf(() => mergePasswordPolicy(DEFAULT_PASSWORD_POLICY, change)), want));

  it('hashes with scrypt and verifies only the right password', async () => {
    const h = await hashPassword('Secret-Passw0rd');
    assert.match(h, /^scrypt\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    assert.notEqual(await hashPassword('Secret-Passw0rd'), h);
    assert.equal(await verifyPassword('Secret-Passw0rd', h), true);
    assert.equal(await verifyPassword('secret-passw0rd', h), false);
    assert.equal(await verifyPassword('x', 'plain'), false);
  });
});

describe('RAM error statuses', () => {
  const cases: [string, number][] = [
    ['EntityNotExist.User', 404], ['EntityNotExist.User.LoginProfile', 404], ['EntityAlreadyExists.Role', 409],
    ['DeleteConflict.User.Policy', 409], ['LimitExceeded.User.AccessKey', 409], ['InvalidParameter.UserName.Length', 400],
    ['MalformedPolicyDocument', 400], ['NoPermission', 403],
  ];
  for (const [code, status] of cases) it(`${code} → ${status}`, () => assert.equal(ramStatus(code), status));
});
