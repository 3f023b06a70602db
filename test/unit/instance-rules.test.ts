import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isValidHostName, isValidInstanceName, orderedName, defaultHostName, withInstanceId } from '../../src/domain/instances/naming.js';
import { isValidPassword } from '../../src/domain/instances/password.js';
import { allowed, nextStatus, settledStatus } from '../../src/domain/instances/states.js';
import { checkReleaseTime } from '../../src/domain/instances/release-time.js';
import { EcsError } from '../../src/domain/errors.js';

describe('ordered names (name_prefix[begin_number,bits]name_suffix)', () => {
  const cases: [string, number, boolean, string][] = [
    ['instance-[99,3]-ecs', 0, false, 'instance-099-ecs'],
    ['instance-[99,3]-ecs', 1, false, 'instance-100-ecs'],
    ['k8s-node-[1,4]-alibabacloud', 2, false, 'k8s-node-0003-alibabacloud'],
    ['web-[1,3]', 0, true, 'web-001'], // no suffix: UniqueSuffix has no effect
    ['web', 0, true, 'web001'],
    ['web', 11, true, 'web012'],
    ['web', 0, false, 'web'],
    ['db-[,2]x', 3, false, 'db-03x'],
    ['db-[5]', 1, false, 'db-6'],
    ['a-[1,2]-b', 0, true, 'a-01-b001'],
  ];
  for (const [template, i, unique, want] of cases) {
    it(`${template} #${i}${unique ? ' unique' : ''} → ${want}`, () => assert.equal(orderedName(template, i, unique, 'InstanceName'), want));
  }
  it('refuses a malformed ordered section', () => {
    assert.throws(() => orderedName('x-[1,9]', 0, false, 'InstanceName'), (e: EcsError) => e.code === 'InvalidInstanceName.CustomMalformed');
    assert.throws(() => orderedName('x-[a]', 0, false, 'InstanceName'), (e: EcsError) => e.code === 'InvalidInstanceName.CustomMalformed');
  });
});

describe('instance names', () => {
  const cases: [string, boolean][] = [
    ['ab', true], ['a', false], ['web-01.prod:blue_1', true], ['1web', false], ['-web', false],
    ['实例一', true], ['http://x', false], ['a'.repeat(128), true], ['a'.repeat(129), false], ['web 1', false],
  ];
  for (const [name, ok] of cases) it(`${JSON.stringify(name).slice(0, 20)} ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidInstanceName(name), ok));
});

describe('host names', () => {
  const cases: [string, 'linux' | 'windows', boolean][] = [
    ['web-01', 'linux', true], ['web.prod.local', 'linux', true], ['a', 'linux', false], ['-web', 'linux', false],
    ['web-', 'linux', false], ['web..prod', 'linux', false], ['web.-prod', 'linux', false], ['we_b', 'linux', false],
    ['a'.repeat(64), 'linux', true], ['a'.repeat(65), 'linux', false],
    ['WIN-01', 'windows', true], ['win.prod', 'windows', false], ['12345', 'windows', false], ['a'.repeat(15), 'windows', true],
    ['a'.repeat(16), 'windows', false],
  ];
  for (const [name, os, ok] of cases) it(`${os} ${name.slice(0, 20)} ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidHostName(name, os), ok));
  it('default and ${instance_id}', () => {
    assert.equal(defaultHostName('i-abc'), 'iZabcZ');
    assert.equal(withInstanceId('k8s-${instance_id}', 'i-123'), 'k8s-i-123');
  });
});

describe('passwords (8–30, three of four classes)', () => {
  const cases: [string, 'linux' | 'windows', boolean][] = [
    ['EcsV587!', 'linux', true], ['Abcdefg1', 'linux', true], ['abcdefg1!', 'linux', true], ['abcdefgh', 'linux', false],
    ['ABCDEFG1', 'linux', false], ['Ab1!', 'linux', false], ['Ab1!' + 'x'.repeat(26), 'linux', true], ['Ab1!' + 'x'.repeat(27), 'linux', false],
    ['Abc def1!', 'linux', false], ['Abcdefg1\\', 'linux', false], ['/Abcdefg1', 'windows', false], ['/Abcdefg1', 'linux', true],
    ["()`~!@#$%^&*-_+=|{}[]:;'<>,.?/Aa", 'linux', false], ["()`~!@#$%^&*-_+=|{}[]:;'<A1", 'linux', true],
  ];
  for (const [pw, os, ok] of cases) it(`${os} ${pw} ${ok ? 'valid' : 'invalid'}`, () => assert.equal(isValidPassword(pw, os), ok));
});

describe('instance state machine', () => {
  const cases: [Parameters<typeof nextStatus>[0], string, string | undefined][] = [
    ['Start', 'Stopped', 'Starting'], ['Start', 'Running', undefined], ['Start', 'Pending', undefined],
    ['Stop', 'Running', 'Stopping'], ['Stop', 'Stopped', undefined], ['Stop', 'Starting', undefined],
    ['Reboot', 'Running', 'Stopping'], ['Reboot', 'Stopped', undefined],
    ['Delete', 'Stopped', 'Stopped'], ['Delete', 'Running', undefined],
    ['ForceDelete', 'Running', 'Running'], ['ForceDelete', 'Pending', undefined],
    ['ModifySpec', 'Stopped', 'Stopped'], ['ModifySpec', 'Running', undefined],
  ];
  for (const [action, from, to] of cases) {
    it(`${action} from ${from} → ${to ?? 'refused'}`, () => {
      assert.equal(nextStatus(action, from), to);
      assert.equal(allowed(action, from), to !== undefined);
    });
  }
  const settled: [string, string, string | undefined][] = [
    ['Pending', 'Running', 'Starting'], ['Pending', 'Stopped', 'Stopped'], ['Starting', 'Running', 'Running'],
    ['Stopping', 'Stopped', 'Stopped'], ['Stopping', 'Running', 'Starting'], ['Running', 'Running', undefined],
  ];
  for (const [status, desired, want] of settled) it(`${status} wanting ${desired} settles at ${want}`, () => assert.equal(settledStatus(status, desired), want));
});

describe('AutoReleaseTime', () => {
  const now = Date.parse('2026-11-23T06:00:00Z');
  it('truncates seconds and accepts 30 minutes ahead', () => assert.equal(checkReleaseTime('2026-11-23T06:30:59Z', now), Date.parse('2026-11-23T06:30:00Z')));
  for (const bad of ['2026-11-23T06:29:00Z', '2026-11-23 07:00:00', '2030-01-01T00:00:00Z', '2026-13-01T00:00:00Z', 'tomorrow']) {
    it(`refuses ${bad}`, () => assert.throws(() => checkReleaseTime(bad, now), (e: EcsError) => e.code === 'InvalidAutoReleaseTime.Malformed'));
  }
});
