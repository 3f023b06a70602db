/** The date rules of subscriptions: periods, renewals (the guide's two cases), the steps after expiry, spec changes. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addPeriod } from '../../src/domain/instances/subscription.js';
import {
  addRenewPeriod, beyondMaximum, ceilToDay, expiryStep, GRACE_MS, renewedExpiry, RETENTION_MS, type Lifecycle, type RenewUnit,
} from '../../src/domain/instances/subscription-lifecycle.js';
import { specChange, specDirection } from '../../src/domain/instances/prepay-spec.js';

const t = (s: string) => Date.parse(s);
const iso = (ms: number) => new Date(ms).toISOString();
const DAY = 86_400_000;

describe('subscription periods', () => {
  const cases: [string, number, RenewUnit, string][] = [
    ['2026-01-31T00:00:00.000Z', 1, 'Month', '2026-02-28T00:00:00.000Z'], // clamped to the month's end
    ['2028-01-31T00:00:00.000Z', 1, 'Month', '2028-02-29T00:00:00.000Z'], // a leap year
    ['2026-03-31T10:30:00.000Z', 1, 'Month', '2026-04-30T10:30:00.000Z'],
    ['2026-11-23T06:00:00.000Z', 1, 'Month', '2026-12-23T06:00:00.000Z'],
    ['2026-12-15T00:00:00.000Z', 2, 'Month', '2027-02-15T00:00:00.000Z'], // across the year
    ['2026-08-31T00:00:00.000Z', 6, 'Month', '2027-02-28T00:00:00.000Z'],
    ['2026-11-23T06:00:00.000Z', 1, 'Week', '2026-11-30T06:00:00.000Z'],
    ['2026-12-29T00:00:00.000Z', 3, 'Week', '2027-01-19T00:00:00.000Z'],
    ['2028-02-29T00:00:00.000Z', 1, 'Year', '2029-02-28T00:00:00.000Z'],
    ['2026-11-23T06:00:00.000Z', 5, 'Year', '2031-11-23T06:00:00.000Z'],
  ];
  for (const [from, n, unit, want] of cases) {
    it(`${from} + ${n} ${unit} = ${want}`, () => assert.equal(iso(addRenewPeriod(t(from), n, unit)), want));
  }
  it('Month agrees with addPeriod', () => assert.equal(addRenewPeriod(t('2026-05-31T00:00:00Z'), 1, 'Month'), addPeriod(t('2026-05-31T00:00:00Z'), 1, 'Month')));
  it('ceilToDay keeps a midnight, rounds anything else up', () => {
    assert.equal(iso(ceilToDay(t('2026-06-24T00:00:00Z'))), '2026-06-24T00:00:00.000Z');
    assert.equal(iso(ceilToDay(t('2026-06-23T08:09:35Z'))), '2026-06-24T00:00:00.000Z');
  });
});

describe('renewal dates (002 L1303–1311)', () => {
  const cases: [string, Lifecycle['stoppedAt'], string, number, RenewUnit, string, string][] = [
    // [expiry, stoppedAt, now, n, unit, want, why]
    ['2016-04-25T00:00:00Z', null, '2016-05-09T00:00:00Z', 1, 'Month', '2016-05-25T00:00:00.000Z', 'within 15 days: from the old expiry'],
    ['2016-04-25T00:00:00Z', t('2016-05-10T00:00:00Z'), '2016-05-23T08:09:35Z', 1, 'Month', '2016-06-24T00:00:00.000Z', 'after the stop: from the renewal, to the next whole day'],
    ['2026-12-23T06:00:00Z', null, '2026-12-01T00:00:00Z', 2, 'Month', '2027-02-23T06:00:00.000Z', 'unexpired: from the expiry'],
    ['2026-12-23T06:00:00Z', null, '2026-12-24T00:00:00Z', 1, 'Week', '2026-12-30T06:00:00.000Z', 'a week in the grace period'],
  ];
  for (const [expiry, stoppedAt, now, n, unit, want, why] of cases) {
    it(why, () => assert.equal(iso(renewedExpiry({ expiresAt: t(expiry), stoppedAt }, n, unit, t(now))), want));
  }
  it('a renewal beyond 60 months ahead is refused', () => {
    const now = t('2026-11-23T06:00:00Z');
    assert.equal(beyondMaximum(addPeriod(now, 60, 'Month'), now), false);
    assert.equal(beyondMaximum(addPeriod(now, 61, 'Month'), now), true);
  });
});

describe('what the engine does after expiry', () => {
  const expiresAt = t('2026-12-23T06:00:00Z');
  const base: Lifecycle = { expiresAt, stoppedAt: null, autoRenew: false, renewDuration: 0, renewUnit: 'Month' };
  const cases: [string, Partial<Lifecycle>, number, ReturnType<typeof expiryStep>][] = [
    ['before expiry: nothing', {}, expiresAt - 1, { kind: 'none' }],
    ['in the 15 days after: keeps running', {}, expiresAt + 14 * DAY, { kind: 'none' }],
    ['15 days after: stopped at that moment', {}, expiresAt + GRACE_MS, { kind: 'stop', at: expiresAt + GRACE_MS }],
    ['a clock that jumped past: stopped at the documented moment', {}, expiresAt + 20 * DAY, { kind: 'stop', at: expiresAt + GRACE_MS }],
    ['NotRenewal follows the same sequence', { autoRenew: false }, expiresAt + GRACE_MS, { kind: 'stop', at: expiresAt + GRACE_MS }],
    ['stopped, 14 days on: kept', { stoppedAt: expiresAt + GRACE_MS }, expiresAt + GRACE_MS + 14 * DAY, { kind: 'none' }],
    ['stopped, 15 days on: released', { stoppedAt: expiresAt + GRACE_MS }, expiresAt + GRACE_MS + RETENTION_MS, { kind: 'release' }],
    ['auto-renew at expiry', { autoRenew: true, renewDuration: 1 }, expiresAt, { kind: 'renew', expiresAt: t('2027-01-23T06:00:00Z') }],
    ['auto-renew for 3 months', { autoRenew: true, renewDuration: 3 }, expiresAt + DAY, { kind: 'renew', expiresAt: t('2027-03-23T06:00:00Z') }],
    ['auto-renew by weeks, overtaken twice', { autoRenew: true, renewDuration: 1, renewUnit: 'Week' }, expiresAt + 10 * DAY, { kind: 'renew', expiresAt: expiresAt + 14 * DAY }],
    ['auto-renew by years', { autoRenew: true, renewDuration: 1, renewUnit: 'Year' }, expiresAt, { kind: 'renew', expiresAt: t('2027-12-23T06:00:00Z') }],
    ['a stopped instance is not auto-renewed', { autoRenew: true, renewDuration: 1, stoppedAt: expiresAt + GRACE_MS }, expiresAt + GRACE_MS + DAY, { kind: 'none' }],
  ];
  for (const [why, l, now, want] of cases) it(why, () => assert.deepEqual(expiryStep({ ...base, ...l }, now), want));
});

describe('ModifyPrepayInstanceSpec rules', () => {
  const small = { cpu: 2, memory: 8192 };
  const big = { cpu: 4, memory: 16384 };
  it('direction', () => {
    assert.equal(specDirection(small, big), 'upgrade');
    assert.equal(specDirection(big, small), 'downgrade');
    assert.equal(specDirection(small, { cpu: 4, memory: 4096 }), 'downgrade');
    assert.equal(specDirection(small, small), 'same');
  });
  const cases: [string, [typeof small, typeof small, string | undefined, string], string][] = [
    ['upgrade while Running', [small, big, undefined, 'Running'], 'ok'],
    ['upgrade while Stopped, OperatorType agreeing', [small, big, 'upgrade', 'Stopped'], 'ok'],
    ['downgrade while Stopped', [big, small, 'downgrade', 'Stopped'], 'ok'],
    ['downgrade while Running', [big, small, undefined, 'Running'], 'InvalidStatus.NotStopped'],
    ['OperatorType disagreeing', [small, big, 'downgrade', 'Stopped'], 'InvalidParameter'],
    ['OperatorType unknown', [small, big, 'sideways', 'Stopped'], 'InvalidParameter'],
    ['the same shape', [small, small, undefined, 'Stopped'], 'InvalidInstanceType.ValueNotSupported'],
    ['upgrade while Starting', [small, big, undefined, 'Starting'], 'IncorrectInstanceStatus'],
  ];
  for (const [why, args, want] of cases) {
    it(why, () => {
      const r = specChange(...args);
      assert.equal(r.ok ? 'ok' : r.code, want);
    });
  }
});
