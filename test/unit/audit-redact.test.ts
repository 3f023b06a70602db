/**
 * What the audit trail keeps of a request (src/audit/redact.ts): credentials masked by name,
 * also inside JSON-valued parameters, the signature dropped, long values cut; and the resources
 * and read/write class it files an event under (resources.ts, event.ts).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isSecretName, MASK, MAX_VALUE_CHARS, redactParams } from '../../src/audit/redact.js';
import { delimited, MAX_RESOURCES, resourcesIn } from '../../src/audit/resources.js';
import { eventRW } from '../../src/audit/event.js';
import { newEventId } from '../../src/audit/event-id.js';

describe('audit redaction', () => {
  it('knows secret parameter names', () => {
    const cases: [string, boolean][] = [
      ['Password', true], ['VncPassword', true], ['NewPassword', true], ['OldPassword', true],
      ['AccessKeySecret', true], ['SecurityToken', true], ['PrivateKeyBody', true], ['UserData', true],
      ['SAMLAssertion', true], ['OIDCToken', true], ['KeyPassphrase', true], ['LaunchConfiguration.Password', true],
      ['Arn.1.Password', true],
      ['PasswordInherit', false], ['ClientToken', false], ['NextToken', false], ['PublicKeyBody', false],
      ['KeyPairName', false], ['InstanceId', false], ['Tag.1.Key', false], ['AccessKeyId', false], ['PasswordPolicy.1', false],
    ];
    for (const [name, secret] of cases) assert.equal(isSecretName(name), secret, name);
  });

  it('masks, drops and cuts', () => {
    const cases: [Record<string, string>, Record<string, string>][] = [
      [{ Password: 'p@ss', InstanceName: 'web' }, { Password: MASK, InstanceName: 'web' }],
      [{ Signature: 'abc=', SignatureNonce: 'n', SignatureMethod: 'HMAC-SHA1' }, { SignatureMethod: 'HMAC-SHA1' }],
      [{ UserData: 'I2Nsb3VkLWNvbmZpZw==' }, { UserData: MASK }],
      [{ SecurityToken: 'CAIS…' }, { SecurityToken: MASK }],
      [{ PasswordInherit: 'true' }, { PasswordInherit: 'true' }],
      [{ Config: '{"Password":"x","Name":"n","Nested":[{"AccessKeySecret":"s"}]}' }, { Config: '{"Password":"******","Name":"n","Nested":[{"AccessKeySecret":"******"}]}' }],
      [{ Description: '{not json' }, { Description: '{not json' }],
      [{ Description: 'x'.repeat(MAX_VALUE_CHARS + 10) }, { Description: `${'x'.repeat(MAX_VALUE_CHARS)}…(truncated)` }],
    ];
    for (const [input, want] of cases) assert.deepEqual(redactParams(input), want, JSON.stringify(input).slice(0, 80));
  });
});

describe('audit resources and read/write', () => {
  it('finds ids of known kinds once each, with their types', () => {
    const cases: [string[], string | undefined, string[], string[]][] = [
      [['i-bp1abcdefgh12345678'], undefined, ['i-bp1abcdefgh12345678'], ['ACS::ECS::Instance']],
      [['["d-aaaaaaaaaaaa","d-bbbbbbbbbbbb"]', 'd-aaaaaaaaaaaa'], undefined, ['d-aaaaaaaaaaaa', 'd-bbbbbbbbbbbb'], ['ACS::ECS::Disk']],
      [['vpc-abcdefgh12', 'vsw-abcdefgh12'], undefined, ['vpc-abcdefgh12', 'vsw-abcdefgh12'], ['ACS::VPC::VPC', 'ACS::VPC::VSwitch']],
      [['cn-hangzhou-i', 'ecs.g7.large', 'ubuntu_22_04_x64', 'sssd-abcdefghijkl'], undefined, [], []],
      [[], 'my-keys', ['my-keys'], ['ACS::ECS::KeyPair']],
    ];
    for (const [texts, keyPair, names, types] of cases) assert.deepEqual(resourcesIn(texts, keyPair), { names, types }, texts.join(' '));
    const many = Array.from({ length: 80 }, (_, i) => `i-${String(i).padStart(10, '0')}`);
    assert.equal(resourcesIn([many.join(',')]).names.length, MAX_RESOURCES);
    assert.equal(delimited(['a', 'b']), ';a;b;');
    assert.equal(delimited([]), '');
  });

  it('classes actions as Read or Write', () => {
    const cases: [string, string][] = [
      ['DescribeInstances', 'Read'], ['ListUsers', 'Read'], ['GetUser', 'Read'], ['QueryAvailableInstances', 'Read'],
      ['LookupEvents', 'Read'], ['CreateInstance', 'Write'], ['DeleteInstances', 'Write'], ['RunInstances', 'Write'],
      ['AssumeRole', 'Write'], ['ModifyInstanceAttribute', 'Write'],
    ];
    for (const [action, rw] of cases) assert.equal(eventRW(action), rw, action);
  });
});

describe('audit event ids', () => {
  it('are UUIDs that sort in the order they were made, within a millisecond and across a clock step back', () => {
    const ids = [newEventId(1_000), newEventId(1_000), newEventId(1_000), newEventId(999), newEventId(2_000)];
    for (const id of ids) assert.match(id, /^[0-9A-F]{8}-[0-9A-F]{4}-7[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/);
    assert.deepEqual([...ids].sort(), ids);
    assert.equal(new Set(ids).size, ids.length);
  });
});
