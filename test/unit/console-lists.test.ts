/**
 * The console's own copies of the server's lists (it does not bundle server code) stay equal to
 * the server's: the periods its subscription forms offer, the event types and statuses of the
 * Events page; and the terms its price requests use, table-driven.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { validPeriod, validRenewPeriod } from '../../src/domain/instances/subscription.js';
import { cancellable, CYCLE_STATUS_CODES, EVENT_TYPE_CODES, SIMULATABLE_TYPES as SERVER_SIMULATABLE } from '../../src/domain/system-events.js';
import { PERIOD_UNITS, PURCHASE_PERIODS, renewalPriceTerm, RENEW_DURATIONS } from '../../web/src/components/subscription.js';
import { CANCELLABLE_STATUSES, EVENT_STATUSES, EVENT_TYPES, SIMULATABLE_TYPES } from '../../web/src/components/system-events.js';
import { describePriceParams } from '../../web/src/pages/instance-create/request.js';

const upTo60 = Array.from({ length: 60 }, (_, i) => i + 1);

describe('console lists', () => {
  it('offers exactly the periods the server takes', () => {
    for (const unit of PERIOD_UNITS) {
      assert.deepEqual(PURCHASE_PERIODS[unit], upTo60.filter((n) => validPeriod(n, unit)), `Period by ${unit}`);
      assert.deepEqual(RENEW_DURATIONS[unit], upTo60.filter((n) => validRenewPeriod(n, unit)), `Duration by ${unit}`);
    }
  });

  it('offers the server\'s event types and statuses', () => {
    assert.deepEqual([...EVENT_TYPES].sort(), Object.keys(EVENT_TYPE_CODES).sort());
    assert.deepEqual([...SIMULATABLE_TYPES].sort(), [...SERVER_SIMULATABLE].sort());
    assert.deepEqual([...EVENT_STATUSES].sort(), Object.keys(CYCLE_STATUS_CODES).sort());
    assert.deepEqual([...CANCELLABLE_STATUSES].sort(), Object.keys(CYCLE_STATUS_CODES).filter(cancellable).sort());
  });

  it('quotes a renewal as DescribeRenewalPrice takes it (Month 1–9, Year 1–3)', () => {
    const cases: [number, string, ReturnType<typeof renewalPriceTerm>][] = [
      [1, 'Month', { Period: 1, PriceUnit: 'Month' }],
      [9, 'Month', { Period: 9, PriceUnit: 'Month' }],
      [12, 'Month', { Period: 1, PriceUnit: 'Year' }],
      [36, 'Month', { Period: 3, PriceUnit: 'Year' }],
      [48, 'Month', undefined],
      [2, 'Week', undefined],
    ];
    for (const [period, unit, want] of cases) assert.deepEqual(renewalPriceTerm(period, unit), want, `${period} ${unit}`);
  });

  it('prices the wizard per hour, or for the subscription period (whole years as Year)', () => {
    const cases: [Record<string, unknown>, string, number][] = [
      [{ InstanceChargeType: 'PostPaid', Period: 3 }, 'Hour', 1],
      [{ InstanceChargeType: 'PrePaid', Period: 3, PeriodUnit: 'Month' }, 'Month', 3],
      [{ InstanceChargeType: 'PrePaid', Period: 24, PeriodUnit: 'Month' }, 'Year', 2],
      [{ InstanceChargeType: 'PrePaid', Period: 2, PeriodUnit: 'Week' }, 'Week', 2],
    ];
    for (const [v, unit, period] of cases) {
      const p = describePriceParams('cn-hangzhou', v);
      assert.deepEqual([p.PriceUnit, p.Period], [unit, period], JSON.stringify(v));
    }
  });
});
