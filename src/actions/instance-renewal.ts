/**
 * Buying more of a subscription and changing what it covers: RenewInstance (the guide's renewal,
 * 002 L1299–1330, with the dates of src/domain/instances/subscription-lifecycle.ts),
 * ReActivateInstances (pay-as-you-go instances stopped for arrears only, as its metadata says),
 * ModifyPrepayInstanceSpec (upgrade at once, billed at once; downgrade of a Stopped instance; a downgrade at the
 * renewal: renew-downgrade.ts) and
 * ModifyDiskChargeType (data disks of a subscription instance).
 */
import { randomInt } from 'node:crypto';
import { EcsError } from '../domain/errors.js';
import { isPeriodUnit, validPeriod } from '../domain/instances/subscription.js';
import { beyondMaximum, renewedExpiry } from '../domain/instances/subscription-lifecycle.js';
import { specChange } from '../domain/instances/prepay-spec.js';
import type { InstanceRow } from '../store/instances.js';
import { casInstance } from '../store/subscriptions.js';
import { requireInstance } from './instance-describe.js';
import { jsonIdList } from './instance-lookup.js';
import { resolveInstanceType } from './launch-deps.js';
import { isExpiryLocked } from './expiry-lock.js';
import { balanceOf } from '../store/account-balances.js';
import { isOverdueBalance } from '../domain/billing/arrears.js';
import { refuseWithDowngradePlan } from './downgrade-plan.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext } from './types.js';
import type { TypeInfo } from './launch-deps.js';
import type { Insertable } from 'kysely';
import type { BillingUsageTable } from '../store/schema.js';
import { recordOrder } from '../store/billing-orders.js';
import { instanceSpecOf } from '../domain/billing/specs.js';
import { PriceNotFound, roundPrice } from '../domain/billing/pricing.js';
import { upgradePrice, type UpgradePrice } from '../domain/billing/upgrade.js';
import { dayOf } from '../domain/billing/metering.js';

/** A disk's charge type changes at most once in this long (ModifyDiskChargeType's metadata). */
const DISK_CHARGE_CHANGE_INTERVAL_MS = 5 * 60_000;
const MAX_DISK_IDS = 16;

export const orderId = () => String(randomInt(10 ** 11, 10 ** 12));

function requirePrePaid(row: InstanceRow, code: string, status?: number): void {
  if (row.instance_charge_type !== 'PrePaid' || row.expires_at === null) {
    throw new EcsError(code, `The operation is not permitted due to charge type of the instance ${row.id}: it is pay-as-you-go (PostPaid).`, status);
  }
}

/** The SubscriptionOrder of an upgrade from `now` to the expiry; none when the new type is not dearer. */
function upgradeCharge(ctx: ActionContext, row: InstanceRow, type: TypeInfo, now: number): Insertable<BillingUsageTable> | undefined {
  let price: UpgradePrice;
  try {
    price = upgradePrice(ctx.config.prices, row.region_id, instanceSpecOf(row), instanceSpecOf({ instance_type: type.id, cpu: type.cpu, memory: type.memoryMiB }), row.expires_at!, now);
  } catch (e) {
    // No order can be made for what the price table does not price.
    if (e instanceof PriceNotFound) throw new EcsError('OrderCreationFailed', `Order creation failed: the price table has no price for ${type.id} in ${row.region_id} (${e.message}).`);
    throw e;
  }
  if (price.amount <= 0) return undefined;
  const day = dayOf(now);
  return {
    account_id: row.account_id, region_id: row.region_id, zone_id: row.zone_id, resource_id: row.id,
    billing_item: 'InstanceType', subscription_type: 'Subscription', spec: type.id, day, billing_cycle: day.slice(0, 7),
    usage: price.hours, usage_unit: 'Hour', list_price: roundPrice(price.will - price.was), list_price_unit: 'Hour',
    original_amount: price.amount, amount: price.amount, start_at: now, end_at: row.expires_at!,
  };
}

export const instanceRenewalActions = ecsHandlers({
  async RenewInstance(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    requirePrePaid(row, 'ChargeTypeViolation', 403);
    // Renewed already, for configuration downgrade: the next renewal waits for that period.
    refuseWithDowngradePlan(row, 'InstanceSpecModification.NotEffective', 403);
    if (p.Period === undefined) throw new EcsError('InvalidPeriod.NotFound', 'The specified period and expectedRenewDay cannot both be empty.');
    const unit: string = p.PeriodUnit ?? 'Month';
    if (!isPeriodUnit(unit)) throw new EcsError('InvalidPeriodUnit.ValueNotSupported', `The specified parameter PeriodUnit "${unit}" is not valid: Month or Week.`);
    if (!validPeriod(p.Period, unit)) throw new EcsError('InvalidPeriod', `The specified period ${p.Period} is not valid for PeriodUnit ${unit}.`);
    const locked = isExpiryLocked(row);
    // Stopped for expiry: renewed once the stop has completed (a Stopping guest cannot be started over).
    if (row.status === 'Pending' || (locked && row.status !== 'Stopped')) {
      throw new EcsError('IncorrectInstanceStatus', `The current status of the resource does not support this operation: ${row.id} is ${row.status}.`, 403);
    }
    const now = ctx.now();
    const expiresAt = renewedExpiry({ expiresAt: row.expires_at!, stoppedAt: row.expiry_stopped_at }, p.Period, unit, now);
    if (beyondMaximum(expiresAt, now)) {
      throw new EcsError('InvalidPeriod.ExceededMaximumExpirationDate', 'The specified renewal period cannot exceed the maximum expiration date. We recommend you try shortening the renewal period at next attempt.');
    }
    return ctx.mutate(async (trx, enqueue) => {
      const patch: Partial<InstanceRow> = { expires_at: expiresAt, expiry_stopped_at: null, expiry_restart: 0 };
      // The lock lifts; an instance the expiry stopped starts again (one its user had stopped stays so).
      const restart = locked && row.expiry_restart === 1;
      if (restart) Object.assign(patch, { status: 'Starting', desired_status: 'Running' });
      if (!(await casInstance(trx, row, patch, now))) {
        throw new EcsError('LastOrderProcessing', 'The previous order is still processing, please try again later.');
      }
      if (restart) await enqueue({ kind: 'instance', resourceId: row.id, dueAt: now });
      return { OrderId: orderId() };
    });
  },

  async ReActivateInstances(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    // Its metadata: a subscription is renewed instead (RenewInstance).
    if (row.instance_charge_type === 'PrePaid') throw new EcsError('InvalidPayType.NotSupport', `The specified pre pay instance ${row.id} is not supported: renew it with RenewInstance.`, 404);
    // Only a pay-as-you-go instance stopped for an overdue payment (the `financial` lock, src/engine/arrears.ts) is reactivated.
    if (!isExpiryLocked(row) || row.status !== 'Stopped') {
      throw new EcsError('ReopenInstance.InstanceStatusNotValid', `Instance status is not Expired, ImageExpired or EcsAndImageExpired: ${row.id} is ${row.status} and not stopped for an overdue payment.`);
    }
    // Its metadata: the overdue bill settled first (the balance back to zero or more).
    const balance = await balanceOf(ctx.db, ctx.principal.accountId, ctx.config.prices.accountCredit);
    if (balance.overdueAt !== null || isOverdueBalance(balance.available)) {
      throw new EcsError('ReopenInstance.InstanceNotEnoughBalance', `Reopen instance must have enough account balance: the balance is ${balance.available.toFixed(2)} ${ctx.config.prices.currency}; settle the overdue payment first.`, 400);
    }
    const now = ctx.now();
    return ctx.mutate(async (trx, enqueue) => {
      // Lock lifted and started (Starting, as its metadata says), compare-and-set against the release timer.
      const patch: Partial<InstanceRow> = { status: 'Starting', desired_status: 'Running', expiry_stopped_at: null, expiry_restart: 0, force_stop: 0 };
      if (!(await casInstance(trx, row, patch, now))) throw new EcsError('IncorrectInstanceStatus', `The current status of the instance ${row.id} does not support this operation.`, 403);
      await enqueue({ kind: 'instance', resourceId: row.id, dueAt: now });
      return {};
    });
  },

  async ModifyPrepayInstanceSpec(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    requirePrePaid(row, 'InvalidInstanceChargeType.ValueNotSupported');
    refuseWithDowngradePlan(row, 'InvalidOperation.InstanceRenewWithDowngradeInPlan');
    const now = ctx.now();
    // Its metadata: an expired instance's spec cannot change; renew it first.
    if (row.expires_at! <= now) throw new EcsError('InvalidInstanceStatus', `The subscription of the instance ${row.id} expired; renew it (RenewInstance) first.`);
    const type = resolveInstanceType(p.InstanceType);
    const change = specChange({ cpu: row.cpu, memory: row.memory }, { cpu: type.cpu, memory: type.memoryMiB }, p.OperatorType, row.status);
    if (!change.ok) throw new EcsError(change.code, change.message.replace('$ID', row.id));
    const reboot = p.RebootWhenFinished === true && row.status === 'Running';
    // An upgrade is paid for at once: the hourly difference for the hours left (DescribeInstanceModificationPrice's quote).
    const charge = change.direction === 'upgrade' ? upgradeCharge(ctx, row, type, now) : undefined;
    return ctx.mutate(async (trx, enqueue) => {
      // The new type is in the row at once; the guest gets it at its next start (a reboot with RebootWhenFinished).
      const patch: Partial<InstanceRow> = { instance_type: type.id, cpu: type.cpu, memory: type.memoryMiB };
      if (reboot) Object.assign(patch, { status: 'Stopping', desired_status: 'Running', force_stop: 0 });
      if (!(await casInstance(trx, row, patch, now))) throw new EcsError('LastOrderProcessing', 'The previous order is still processing, please try again later.');
      if (charge) await recordOrder(trx, charge);
      if (reboot) await enqueue({ kind: 'instance', resourceId: row.id, dueAt: now });
      return { OrderId: orderId() };
    });
  },

  async ModifyDiskChargeType(ctx, p) {
    const row = await requireInstance(ctx, p.InstanceId);
    // Its metadata: a pay-as-you-go instance has pay-as-you-go disks only.
    requirePrePaid(row, 'ChargeTypeViolation', 400);
    if (isExpiryLocked(row)) throw new EcsError('InvalidInstanceStatus.NotSupported', `The instance ${row.id} is stopped for expiry; renew it (RenewInstance) first.`);
    const target: string = p.DiskChargeType ?? 'PrePaid';
    if (target !== 'PrePaid' && target !== 'PostPaid') throw new EcsError('InvalidParameter', `The specified DiskChargeType "${target}" is not valid: PrePaid or PostPaid.`);
    const ids = jsonIdList(p, 'DiskIds', { max: MAX_DISK_IDS, malformed: 'InvalidParameter', tooMany: 'InvalidParameter' });
    if (!ids?.length) throw new EcsError('MissingParameter', 'The input parameter "DiskIds" that is mandatory for processing this request is not supplied.');
    const disks = await ctx.db.selectFrom('disks').selectAll().where('account_id', '=', ctx.principal.accountId).where('id', 'in', ids).execute();
    const now = ctx.now();
    for (const id of ids) {
      const d = disks.find((x) => x.id === id);
      if (!d || d.instance_id !== row.id || d.status === 'Available') throw new EcsError('InvalidDiskIds.NotFound', `The data disk ${id} does not exist or is not attached to the instance ${row.id}.`);
      if (d.type === 'system') throw new EcsError('InvalidDiskIds.NotPortable', `The specified DiskId ${id} is a system disk: it follows the instance's charge type.`);
      if (d.charge_type_changed_at !== null && now - d.charge_type_changed_at < DISK_CHARGE_CHANGE_INTERVAL_MS) {
        throw new EcsError('Throttling', `Request was denied due to request throttling: the charge type of ${id} changed less than 5 minutes ago, please try again after 5 minutes.`);
      }
    }
    return ctx.mutate(async (trx) => {
      for (const d of disks) {
        if (d.charge_type === target) continue;
        const r = await trx.updateTable('disks').set({ charge_type: target, charge_type_changed_at: now })
          .where('id', '=', d.id).where('charge_type', '=', d.charge_type).where('instance_id', '=', row.id).executeTakeFirst();
        if (Number(r.numUpdatedRows) === 0) throw new EcsError('LastOrderProcessing', `The disk ${d.id} changed meanwhile; please try again later.`);
      }
      return { OrderId: orderId() };
    });
  },
});
