import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { billingStatusOf, renewalDurationUnitOf, renewalStatusesFor, renewStatusOf, subscriptionTypeOf } from '../../src/domain/billing.js';

const NOW = Date.parse('2026-12-01T00:00:00Z');

describe('ECS billing as BssOpenApi shows it', () => {
  it('maps charge type, renewal, lifecycle and expiry', () => {
    const cases: [string, string, string, number | null, string][] = [
      // chargeType, ECS RenewalStatus, instance status, expires_at → SubscriptionType:Status:RenewStatus
      ['PrePaid', 'AutoRenewal', 'Running', NOW + 86_400_000, 'Subscription:Normal:AutoRenewal'],
      ['PrePaid', 'Normal', 'Running', NOW + 86_400_000, 'Subscription:Normal:ManualRenewal'],
      ['PrePaid', '', 'Stopped', NOW + 86_400_000, 'Subscription:Normal:ManualRenewal'],
      ['PrePaid', 'NotRenewal', 'Running', NOW - 1, 'Subscription:Expired:NotRenewal'],
      ['PrePaid', 'Normal', 'Pending', NOW + 86_400_000, 'Subscription:Creating:ManualRenewal'],
      ['PostPaid', '', 'Running', null, 'PayAsYouGo:Normal:-'],
      ['PostPaid', '', 'Pending', null, 'PayAsYouGo:Creating:-'],
    ];
    for (const [charge, renewal, status, expires, want] of cases) {
      const type = subscriptionTypeOf(charge);
      const got = `${type}:${billingStatusOf(status, expires, NOW)}:${renewStatusOf(type, renewal) ?? '-'}`;
      assert.equal(got, want, `${charge} ${renewal} ${status}`);
    }
  });

  it('turns a RenewStatus filter into ECS renewal values, and units into BssOpenApi units', () => {
    assert.deepEqual(renewalStatusesFor('ManualRenewal'), ['Normal', '']);
    assert.deepEqual(renewalStatusesFor('AutoRenewal'), ['AutoRenewal']);
    assert.deepEqual(renewalStatusesFor('NotRenewal'), ['NotRenewal']);
    assert.equal(renewalDurationUnitOf('Month'), 'M');
    assert.equal(renewalDurationUnitOf('Week'), undefined);
  });
});
