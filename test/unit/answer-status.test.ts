/**
 * The status an error answers with: the action's table for the code, except that codec validation
 * is always the codec's (400 for the generic codes), and a table status outside 4xx never turns a
 * client's error into a 5xx (DeleteInstances lists `InvalidParameter` under 500).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerStatus, CodecError } from '../../src/api/errors.js';
import { EcsError } from '../../src/domain/errors.js';
import { decodeParams } from '../../src/api/params.js';
import type { ActionSpec } from '../../src/api/spec-types.js';

describe('answerStatus', () => {
  const cases: [string, EcsError, number | undefined, number][] = [
    ['codec error, table lists the code under 500', new CodecError('InvalidParameter', 'x', 400), 500, 400],
    ['codec error, table lists the code under 403', new CodecError('InvalidParameter', 'x', 400), 403, 400],
    ['handler error, table 4xx wins', new EcsError('InvalidParameter', 'x'), 403, 403],
    ['handler error, table 4xx wins over an explicit status', new EcsError('Foo', 'x', 400), 409, 409],
    ['handler error, table 500, no explicit status: the fallback', new EcsError('InvalidParameter', 'x'), 500, 400],
    ['NotFound under 500 in the table: 404', new EcsError('InvalidRegionId.NotFound', 'x'), 500, 404],
    ['explicit server fault keeps the table 5xx', new EcsError('InternalError', 'x', 500), 503, 503],
    ['a table typo (4003): the fallback', new EcsError('InvalidParam.Malformed', 'x'), 4003, 400],
    ['unlisted, explicit', new EcsError('Whatever', 'x', 409), undefined, 409],
    ['unlisted, fallback', new EcsError('IncorrectInstanceStatus', 'x'), undefined, 403],
    ['unlisted internal error', new EcsError('InternalError', 'x'), undefined, 500],
  ];
  for (const [what, err, listed, want] of cases) it(what, () => assert.equal(answerStatus(err, listed), want));
});

describe('codec errors carry their status', () => {
  const spec: ActionSpec = {
    p: [
      { n: 'DryRun', t: 'boolean' }, { n: 'InstanceId', t: 'array', maxItems: 2, items: { t: 'string' }, s: 'repeatList' },
      { n: 'Description', t: 'string', maxLen: 3 }, { n: 'Name', t: 'string', r: 1 },
    ],
    e: { InvalidParameter: [500, 'Invalid parameters.'], 'InvalidParameter.TooManyInstanceIds': [403, 'x'], 'InvalidDescription.Malformed': [503, 'x'], MissingParameter: [404, 'x'] },
    r: {},
  };
  const cases: [string, Record<string, string>, string, number][] = [
    ['bad boolean: generic code, 400 though the table says 500', { Name: 'n', DryRun: 'abc' }, 'InvalidParameter', 400],
    ['missing: generic code, 400 though the table says 404', {}, 'MissingParameter', 400],
    ['count: the action names the code, its 4xx applies', { Name: 'n', 'InstanceId.1': 'a', 'InstanceId.2': 'b', 'InstanceId.3': 'c' }, 'InvalidParameter.TooManyInstanceIds', 403],
    ['named code listed under 5xx: 400', { Name: 'n', Description: 'toolong' }, 'InvalidDescription.Malformed', 400],
    ['index beyond int32', { Name: 'n', 'InstanceId.99999999999999999999': 'a' }, 'InvalidParameter', 400],
    ['object inside a JSON list of strings', { Name: 'n', InstanceId: '["a",{"b":1}]' }, 'InvalidParameter', 400],
    ['JSON list over maxItems', { Name: 'n', InstanceId: '["a","b","c"]' }, 'InvalidParameter.TooManyInstanceIds', 403],
  ];
  for (const [what, raw, code, status] of cases) {
    it(what, () => {
      try {
        decodeParams(spec, raw);
      } catch (e) {
        assert.ok(e instanceof CodecError, String(e));
        assert.deepEqual([e.code, answerStatus(e, spec.e[e.code]?.[0])], [code, status]);
        return;
      }
      assert.fail('decoded without an error');
    });
  }
  it('a JSON list decodes like X.N', () => assert.deepEqual(decodeParams(spec, { Name: 'n', InstanceId: '["a","b"]' }).InstanceId, ['a', 'b']));
});
