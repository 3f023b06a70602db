/** The engine's retry rules: capped exponential backoff, and when a kind gives up (table-driven). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { afterFailure, backoffMs, DEFAULT_RETRY, type RetryPolicy } from '../../src/engine/backoff.js';
import { diskGiveUp, imageGiveUp, instanceGiveUp, snapshotGiveUp, taskGiveUp } from '../../src/engine/give-up.js';
import { engineSettingsFromEnv } from '../../src/engine/settings.js';

const policy: RetryPolicy = { baseMs: 500, capMs: 30_000, giveUpAfter: 20 };

test('backoff doubles from the base and stops at the cap', () => {
  const cases: [attempts: number, ms: number][] = [
    [0, 500], [1, 500], [2, 1000], [3, 2000], [4, 4000], [5, 8000], [6, 16_000], [7, 30_000], [8, 30_000], [60, 30_000], [5000, 30_000],
  ];
  for (const [attempts, ms] of cases) assert.equal(backoffMs(policy, attempts), ms, `after ${attempts} failures`);
});

test('a failure retries until the give-up threshold, and for ever without a give-up', () => {
  const cases: [attempts: number, canGiveUp: boolean, expected: ReturnType<typeof afterFailure>][] = [
    [1, true, { next: 'retry', inMs: 500 }],
    [10, true, { next: 'retry', inMs: 30_000 }],
    [19, true, { next: 'retry', inMs: 30_000 }],
    [20, true, { next: 'give-up' }],
    [21, true, { next: 'give-up' }],
    // No give-up for the kind: never a permanent failure, only capped retries.
    [20, false, { next: 'retry', inMs: 30_000 }],
    [1000, false, { next: 'retry', inMs: 30_000 }],
  ];
  for (const [attempts, canGiveUp, expected] of cases) {
    assert.deepEqual(afterFailure(policy, attempts, canGiveUp), expected, `${attempts} failures, give-up ${canGiveUp}`);
  }
});

test('the default policy waits minutes before giving up (a loaded host is not a broken one)', () => {
  let total = 0;
  for (let a = 1; a < DEFAULT_RETRY.giveUpAfter; a++) total += backoffMs(DEFAULT_RETRY, a);
  assert.ok(total >= 5 * 60_000, `only ${total} ms of retries before the give-up`);
});

test('give-up settles each transitional status to a documented settled one, and leaves settled ones alone', () => {
  const cases: [rule: (s: string) => { to: string; detach?: boolean } | undefined, status: string, to: string | undefined, detach?: boolean][] = [
    [instanceGiveUp, 'Pending', 'Stopped'],
    [instanceGiveUp, 'Starting', 'Stopped'],
    [instanceGiveUp, 'Stopping', 'Stopped'],
    [instanceGiveUp, 'Running', undefined],
    [instanceGiveUp, 'Stopped', undefined],
    [diskGiveUp, 'Creating', 'Available', true],
    [diskGiveUp, 'Attaching', 'Available', true],
    [diskGiveUp, 'Detaching', 'In_use'],
    [diskGiveUp, 'ReIniting', 'In_use'],
    [diskGiveUp, 'In_use', undefined],
    [diskGiveUp, 'Available', undefined],
    [snapshotGiveUp, 'progressing', 'failed'],
    [snapshotGiveUp, 'accomplished', undefined],
    [imageGiveUp, 'Creating', 'CreateFailed'],
    [imageGiveUp, 'Waiting', 'CreateFailed'],
    [imageGiveUp, 'Available', undefined],
    [taskGiveUp, 'Processing', 'Failed'],
    [taskGiveUp, 'Finished', undefined],
  ];
  for (const [rule, status, to, detach] of cases) {
    const got = rule(status);
    assert.equal(got?.to, to, `${rule.name}(${status})`);
    assert.equal(got?.detach === true, detach === true, `${rule.name}(${status}) detaches`);
  }
});

test('engine settings: defaults, overrides, and refusals by name', () => {
  const d = engineSettingsFromEnv({});
  assert.equal(d.concurrency, 4);
  assert.equal(d.timeoutMs, 120_000);
  assert.equal(d.retention.operationsMs, 7 * 86_400_000);
  assert.equal(d.retention.transitionsMs, 30 * 86_400_000);
  assert.equal(d.retention.idempotencyMs, 24 * 3_600_000);
  const o = engineSettingsFromEnv({ OPENECS_ENGINE_CONCURRENCY: '8', OPENECS_OPERATION_TIMEOUT_MS: '5000', OPENECS_RETAIN_CLIENT_TOKENS_HOURS: '0' });
  assert.equal(o.concurrency, 8);
  assert.equal(o.timeoutMs, 5000);
  assert.equal(o.retention.idempotencyMs, 0);
  assert.notEqual(engineSettingsFromEnv({}).owner, engineSettingsFromEnv({}).owner, 'each engine has its own lease owner');
  for (const [name, v] of [['OPENECS_ENGINE_CONCURRENCY', '0'], ['OPENECS_ENGINE_LEASE_MS', 'soon'], ['OPENECS_RETAIN_OPERATIONS_DAYS', '-1']]) {
    assert.throws(() => engineSettingsFromEnv({ [name!]: v }), new RegExp(name!));
  }
});
