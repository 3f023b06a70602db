/**
 * The replay harness's own rules, so a compat test cannot pass by a lenient reader: number
 * literals kept (`formatInt` panics on `2.0`), missing path segments fail like `jsonpath.Get`,
 * tea's error classification, and StateChangeConf's pending/target/not-found semantics.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Doc, FailedGetAttribute } from './json.js';
import { fieldProblems } from './expect.js';
import { flatten, ProviderResponse, waitFor, type Refreshed } from './provider-client.js';
import type { TestServer } from '../helpers/server.js';

describe('compat harness', () => {
  it('keeps number literals and types like the provider\'s decoder', () => {
    const d = Doc.parse('{"A":{"B":[{"Size":40,"Iops":2.0,"Cap":1.5,"On":true,"S":"1","Obj":{},"Arr":[]}]}}');
    assert.equal(d.int('A.B[0].Size'), 40);
    assert.throws(() => d.int('A.B[0].Iops'), /integer literal/);
    assert.equal(d.num('A.B[0].Cap'), 1.5);
    assert.equal(d.bool('A.B[0].On'), true);
    assert.throws(() => d.bool('A.B[0].S'), /JSON boolean/);
    assert.throws(() => d.get('A.B[1]'), FailedGetAttribute);
    assert.throws(() => d.get('A.C'), FailedGetAttribute);
    assert.deepEqual(fieldProblems(d.at('A.B[0]'), { Size: 'i', Iops: 'i', Missing: 's', Maybe: 's?', Obj: 'o', Arr: 'o', S: 'i?' }), [
      'Iops: expected integer literal, got 2.0', 'Missing: missing', 'Arr: expected object, got []', 'S: expected integer literal, got "1"',
    ]);
  });

  it('flattens request maps as rpcutil.Query does', () => {
    assert.deepEqual(flatten({ A: [{ Key: 'k', Value: 'v' }], B: true, C: 3, D: undefined, E: { F: 'x' }, G: ['a', 'b'] }),
      { 'A.1.Key': 'k', 'A.1.Value': 'v', B: 'true', C: '3', 'E.F': 'x', 'G.1': 'a', 'G.2': 'b' });
  });

  it('classifies answers as tea and the provider do', () => {
    const call = { wire: 'rpc' as const, product: 'Ecs' as const, action: 'X', params: {} };
    const r = (status: number, body: unknown) => new ProviderResponse(call, { status, headers: {}, text: JSON.stringify(body) });
    assert.equal(r(200, { RequestId: 'x' }).isError, false);
    assert.equal(r(200, { Code: 'Success', Success: true }).isError, false);
    assert.equal(r(200, { Code: 'Forbidden' }).isError, true, 'a 200 with an error Code is an error');
    assert.equal(r(200, { Success: false }).isError, true);
    assert.equal(r(404, { Code: 'InvalidVpcId.NotFound' }).isNotFound, true);
    assert.equal(r(400, { Code: 'X', Message: 'The VSwitch NotFound' }).isNotFound, true);
    assert.equal(r(400, { Code: 'InvalidParameter' }).isNotFound, false);
    assert.equal(r(400, { Code: '' }).isExpected(['Anything']), false, 'an empty Code matches nothing here, but prefixes everything in the provider');
    assert.equal(r(400, { Code: 'DependencyViolation' }).isExpected(['DependencyViolation.VSwitch']), true, 'HasPrefix(expected, Code)');
  });

  it('waits like StateChangeConf: unexpected states fail with a pending list, target [] means gone, 20 not-found polls fail', async () => {
    const clock = { advanced: 0 };
    const s = { advance: async (ms: number) => { clock.advanced += ms; } } as unknown as TestServer;
    const seq = (states: Refreshed[]) => { let k = 0; return async () => states[Math.min(k++, states.length - 1)]!; };
    const st = (state: string): Refreshed => ({ found: true, state });
    assert.deepEqual(await waitFor(s, { pending: ['Pending', 'Starting'], target: ['Running'], delayMs: 10_000, timeoutMs: 600_000, refresh: seq([st('Pending'), st('Starting'), st('Running')]) }), ['Pending', 'Starting', 'Running']);
    await assert.rejects(waitFor(s, { pending: ['Pending'], target: ['Running'], timeoutMs: 600_000, refresh: seq([st('Pending'), st('Stopping')]) }), /unexpected state 'Stopping'/);
    assert.deepEqual(await waitFor(s, { pending: [], target: ['Running'], timeoutMs: 600_000, refresh: seq([st('Rebooting'), st('Running')]) }), ['Rebooting', 'Running']);
    assert.deepEqual(await waitFor(s, { pending: ['Running'], target: [], timeoutMs: 600_000, refresh: seq([st('Running'), { found: false }]) }), ['Running', '<gone>']);
    await assert.rejects(waitFor(s, { pending: [], target: ['Available'], timeoutMs: 10_000_000, refresh: seq([{ found: false }]) }), /21 retries/);
    await assert.rejects(waitFor(s, { pending: [], target: ['Available'], timeoutMs: 30_000, refresh: seq([st('Creating')]) }), /timeout/);
    await assert.rejects(waitFor(s, { pending: [], target: ['true'], failStates: ['CreateFailed'], timeoutMs: 30_000, refresh: seq([st('CreateFailed')]) }), /fail state/);
    assert.ok(clock.advanced >= 10_000, 'the delay moves the server clock');
  });
});
