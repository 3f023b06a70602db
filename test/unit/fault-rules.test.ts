/** The rules behind fault injection: action patterns, documented errors and their statuses. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { globMatches } from '../../src/faults/rules.js';
import { documentedError } from '../../src/faults/api-faults.js';
import { actionSpec } from '../../src/api/spec.js';
import type { ActionSpec } from '../../src/api/spec-types.js';

describe('fault rule patterns', () => {
  const cases: [string, string, boolean][] = [
    ['*', 'StopInstance', true],
    ['StopInstance', 'StopInstance', true],
    ['stopinstance', 'StopInstance', true],
    ['StopInstance', 'StopInstances', false],
    ['Describe*', 'DescribeInstances', true],
    ['Describe*', 'RunInstances', false],
    ['*Instance', 'StartInstance', true],
    ['*Instance', 'StartInstances', false],
    ['Describe*Attribute', 'DescribeInstanceAttribute', true],
    ['Describe.*', 'DescribeInstances', false],
    ['(a|b)', 'a', false],
  ];
  for (const [pattern, action, want] of cases) {
    it(`${pattern} ${want ? 'matches' : 'does not match'} ${action}`, () => assert.equal(globMatches(pattern, action), want));
  }
});

describe('documented errors of an action', () => {
  const stop = actionSpec('ecs', 'StopInstance')!;
  const typo: ActionSpec = { p: [], r: {}, e: { Odd: [4003, 'a typo of the metadata'], Fine: [409, 'conflict'] } };
  const cases: [string, ActionSpec, string, { status: number; message: string } | undefined][] = [
    ['a code of the table, its status and message', stop, 'IncorrectInstanceStatus', { status: 403, message: 'The current status of the resource does not support this operation.' }],
    ['a 404 of the table', stop, 'InvalidInstanceId.NotFound', { status: 404, message: 'The specified InstanceId does not exist.' }],
    ['a code the table lacks', stop, 'InvalidVSwitchId.NotFound', undefined],
    ['a gateway code any action answers', stop, 'Throttling', { status: 400, message: 'Request was denied due to request throttling.' }],
    ['the table\'s own status over the gateway\'s', stop, 'InternalError', { status: 500, message: 'The request processing has failed due to some unknown error.' }],
    ['ServiceUnavailable', typo, 'ServiceUnavailable', { status: 503, message: 'The request has failed due to a temporary failure of the server.' }],
    ['a status typo of the metadata becomes its family', typo, 'Odd', { status: 400, message: 'a typo of the metadata' }],
    ['a 409 as listed', typo, 'Fine', { status: 409, message: 'conflict' }],
  ];
  for (const [name, spec, code, want] of cases) it(name, () => assert.deepEqual(documentedError(spec, code), want));
});
