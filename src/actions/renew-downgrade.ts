/**
 * RenewInstanceWithDowngrade (OpenECS extension): the console's renewal for configuration downgrade.
 * The subscription is renewed now for Period from its ExpiredTime, billed at the lower type (the
 * meter, src/engine/metering.ts); the lower type takes effect when the renewed period starts (the
 * subscription timer, src/engine/reconcilers/subscriptions.ts), the guest getting it at its next
 * start as with ModifyPrepayInstanceSpec. One plan at a time, and the spec stays put until then
 * (downgrade-plan.ts). An expired subscription is renewed first (RenewInstance).
 */
import { EcsError } from '../domain/errors.js';
import { isPeriodUnit, validPeriod } from '../domain/instances/subscription.js';
import { beyondMaximum, renewedExpiry } from '../domain/instances/subscription-lifecycle.js';
import { renewDowngradeChange } from '../domain/instances/prepay-spec.js';
import { isoMinute } from '../domain/time.js';
import { casInstance } from '../store/subscriptions.js';
import { refuseWithDowngradePlan } from './downgrade-plan.js';
import { isExpiryLocked } from './expiry-lock.js';
import { requireInstance } from './instance-describe.js';
import { orderId } from './instance-renewal.js';
import { resolveInstanceType } from './launch-deps.js';
import { openEcsHandlers } from './typed-handlers.js';

export const renewDowngradeActions = openEcsHandlers({
  async RenewInstanceWithDowngrade(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    if (row.instance_charge_type !== 'PrePaid' || row.expires_at === null) {
      throw new EcsError('ChargeTypeViolation', `The operation is not permitted due to charge type of the instance ${row.id}: it is pay-as-you-go (PostPaid).`, 403);
    }
    refuseWithDowngradePlan(row, 'InstanceSpecModification.NotEffective', 403);
    const now = ctx.now();
    if (row.expires_at <= now || isExpiryLocked(row)) {
      throw new EcsError('InvalidInstanceStatus', `The subscription of the instance ${row.id} expired; renew it (RenewInstance) first.`, 403);
    }
    if (row.status !== 'Running' && row.status !== 'Stopped') {
      throw new EcsError('IncorrectInstanceStatus', `The current status of the resource does not support this operation: ${row.id} is ${row.status}.`, 403);
    }
    const unit: string = p.PeriodUnit ?? 'Month';
    if (!isPeriodUnit(unit)) throw new EcsError('InvalidPeriodUnit.ValueNotSupported', `The specified parameter PeriodUnit "${unit}" is not valid: Month or Week.`);
    if (!validPeriod(p.Period, unit)) throw new EcsError('InvalidPeriod', `The specified period ${p.Period} is not valid for PeriodUnit ${unit}.`);
    const type = resolveInstanceType(p.InstanceType);
    const change = renewDowngradeChange({ cpu: row.cpu, memory: row.memory }, { cpu: type.cpu, memory: type.memoryMiB });
    if (!change.ok) throw new EcsError(change.code, change.message.replace('$ID', row.id));
    const effectiveAt = row.expires_at;
    const expiresAt = renewedExpiry({ expiresAt: effectiveAt, stoppedAt: null }, p.Period, unit, now);
    if (beyondMaximum(expiresAt, now)) {
      throw new EcsError('InvalidPeriod.ExceededMaximumExpirationDate', 'The specified renewal period cannot exceed the maximum expiration date. We recommend you try shortening the renewal period at next attempt.');
    }
    return ctx.mutate(async (trx) => {
      const planned = await casInstance(trx, row, { expires_at: expiresAt, renew_downgrade_type: type.id, renew_downgrade_at: effectiveAt }, now);
      if (!planned) throw new EcsError('LastOrderProcessing', 'The previous order is still processing, please try again later.');
      return { OrderId: orderId(), InstanceId: row.id, InstanceType: type.id, EffectiveTime: isoMinute(effectiveAt), ExpiredTime: isoMinute(expiresAt) };
    });
  },
});
