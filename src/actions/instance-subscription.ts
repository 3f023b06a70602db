/**
 * Subscription instances (src/domain/instances/subscription.ts): DescribeInstanceAutoRenewAttribute
 * (Terraform's Read of a PrePaid instance), ModifyInstanceAutoRenewAttribute and
 * ModifyInstanceChargeType (PostPaid ↔ PrePaid; Terraform's `force_delete` turns a subscription to
 * pay-as-you-go before DeleteInstance, which refuses an unexpired subscription). What happens at
 * expiry: src/engine/reconcilers/subscriptions.ts; renewal and the rest: instance-renewal.ts.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { addPeriod, checkSubscription, isPeriodUnit, PAY_AS_YOU_GO, RENEWAL_STATUSES, validRenewPeriod } from '../domain/instances/subscription.js';
import { listInstances, updateInstance, type InstanceRow } from '../store/instances.js';
import { setDisksChargeType } from '../store/subscriptions.js';
import { instancesInOrder, jsonIdList } from './instance-lookup.js';
import type { ActionContext } from './types.js';
import { ecsHandlers } from './typed-handlers.js';
import { boughtPeriod } from '../domain/billing/metering.js';
import { PriceNotFound, quote } from '../domain/billing/pricing.js';
import { subscriptionSpec } from '../domain/billing/specs.js';

const MAX_IDS = 100;
/** A region's subscriptions filtered by RenewalStatus are read whole, then paged. */
const MAX_LISTED = 10_000;

/** `InstanceId=i-1,i-2` (a comma-separated list in these two actions), every one existing. */
async function commaInstances(ctx: ActionContext, raw: string | undefined): Promise<InstanceRow[]> {
  const ids = [...new Set((raw ?? '').split(',').map((s) => s.trim()).filter(Boolean))];
  if (ids.length > MAX_IDS) throw new EcsError('InvalidParameter.ToManyInstanceIds', `At most ${MAX_IDS} instance ids can be given.`);
  const rows = await instancesInOrder(ctx, ids);
  const missing = ids.find((id) => !rows.some((r) => r.id === id));
  if (missing) throw new EcsError('InvalidParameter.InvalidInstanceId', `The specified instance "${missing}" does not exist.`);
  return rows;
}

function requirePrePaid(rows: InstanceRow[]) {
  const payg = rows.find((r) => r.instance_charge_type !== 'PrePaid');
  if (payg) throw new EcsError('ChargeTypeViolation', `Pay-As-You-Go instances do not support this operation: ${payg.id}.`);
}

function renewItem(r: InstanceRow) {
  return {
    InstanceId: r.id,
    AutoRenewEnabled: r.renewal_status === 'AutoRenewal',
    Duration: r.renewal_duration,
    PeriodUnit: r.renewal_unit || 'Month',
    RenewalStatus: r.renewal_status || 'Normal',
  };
}

function pageParam(p: Params, name: 'PageNumber' | 'PageSize', dflt: number, max: number): number {
  const v = p[name] === undefined || p[name] === '' ? dflt : Number(p[name]);
  if (!Number.isInteger(v) || v < 1 || v > max) throw new EcsError(`InvalidParameter.${name}`, `The specified parameter ${name} is not valid.`);
  return v;
}

/**
 * What each instance's change to a subscription is charged (the meter bills it, src/engine/metering.ts,
 * at the same price: its type, the disks the change makes PrePaid, fixed bandwidth); 0 to pay-as-you-go.
 */
async function subscriptionFees(ctx: ActionContext, rows: InstanceRow[], expiresAt: number | null, dataDisks: boolean, now: number) {
  if (expiresAt === null) return rows.map((r) => ({ id: r.id, fee: 0 }));
  const disks = await ctx.db.selectFrom('disks').selectAll().where('instance_id', 'in', rows.map((r) => r.id)).execute();
  const bought = boughtPeriod(now, expiresAt, (ms, n) => addPeriod(ms, n, 'Month'));
  return rows.map((r) => {
    const own = disks.filter((d) => d.instance_id === r.id).map((d) => ({ ...d, charge_type: d.type === 'system' || dataDisks ? 'PrePaid' : d.charge_type }));
    try {
      return { id: r.id, fee: quote(ctx.config.prices, subscriptionSpec(r, own), bought.unit, bought.period).trade };
    } catch (e) {
      // Unpriced by the table: nothing is due now (the meter charges it once the table prices it), and
      // PriceNotFound is no answer of this action.
      if (e instanceof PriceNotFound) return { id: r.id, fee: 0 };
      throw e;
    }
  });
}

export const instanceSubscriptionActions = ecsHandlers({
  async DescribeInstanceAutoRenewAttribute(ctx, p) {
    const status: string | undefined = p.RenewalStatus || undefined;
    if (status !== undefined && !(RENEWAL_STATUSES as readonly string[]).includes(status)) {
      throw new EcsError('InvalidParameter.RenewalStatus', `The specified RenewalStatus "${status}" is not valid: AutoRenewal, Normal or NotRenewal.`);
    }
    if (!p.InstanceId && !status) throw new EcsError('InvalidParameter.RenewalStatusInstanceId', 'The parameter RenewalStatus and InstanceId can not be both empty.');
    const pageNumber = pageParam(p, 'PageNumber', 1, 1_000_000);
    const pageSize = pageParam(p, 'PageSize', 10, 100);
    let rows: InstanceRow[];
    if (p.InstanceId) {
      rows = await commaInstances(ctx, p.InstanceId);
      requirePrePaid(rows);
    } else {
      rows = await listInstances(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId, chargeType: 'PrePaid' }, 0, MAX_LISTED);
    }
    if (status) rows = rows.filter((r) => (r.renewal_status || 'Normal') === status);
    const page = rows.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return { PageNumber: pageNumber, PageSize: pageSize, TotalCount: rows.length, InstanceRenewAttributes: { InstanceRenewAttribute: page.map(renewItem) } };
  },

  async ModifyInstanceAutoRenewAttribute(ctx, p) {
    const rows = await commaInstances(ctx, p.InstanceId);
    if (rows.length === 0) throw new EcsError('MissingParameter.InstanceId', 'InstanceId should not be null.');
    requirePrePaid(rows);
    const unit: string = p.PeriodUnit ?? 'Month';
    // Year too (this action's metadata: Duration 1–5), for renewals at expiry only.
    if (!isPeriodUnit(unit) && unit !== 'Year') throw new EcsError('InvalidPeriodUnit.ValueNotSupported', `The specified PeriodUnit "${unit}" is not valid: Month, Week or Year.`);
    const status: string = p.RenewalStatus ?? (p.AutoRenew === true ? 'AutoRenewal' : 'Normal');
    if (!(RENEWAL_STATUSES as readonly string[]).includes(status)) {
      throw new EcsError('InvalidParameter.RenewalStatus', `The specified RenewalStatus "${status}" is not valid: AutoRenewal, Normal or NotRenewal.`);
    }
    let duration = 0;
    if (status === 'AutoRenewal') {
      duration = p.Duration ?? 1;
      if (unit === 'Year' ? !(Number.isInteger(duration) && duration >= 1 && duration <= 5) : !validRenewPeriod(duration, unit)) throw new EcsError('InvalidParameter.Duration', `The specified Duration ${duration} is not valid for PeriodUnit ${unit}.`);
    }
    return ctx.mutate(async (trx) => {
      for (const r of rows) await updateInstance(trx, r.id, { renewal_status: status, renewal_duration: duration, renewal_unit: unit });
      return {};
    });
  },

  async ModifyInstanceChargeType(ctx, p) {
    const ids = jsonIdList(p, 'InstanceIds', { max: 20, malformed: 'InvalidParameter.InstanceIds', tooMany: 'InstancesIdQuotaExceed' });
    if (!ids?.length) throw new EcsError('InvalidParameter.InstanceIds', 'The specified InstanceIds are invalid.');
    const rows = await instancesInOrder(ctx, ids);
    const missing = ids.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw new EcsError('InvalidParameter.InstanceIds', `The specified instance "${missing}" does not exist.`);
    const target: string = p.InstanceChargeType ?? 'PrePaid';
    if (target !== 'PrePaid' && target !== 'PostPaid') throw new EcsError('InvalidInstanceChargeType.ValueNotSupported', `The specified InstanceChargeType "${target}" is not valid.`);
    for (const r of rows) {
      if (r.status !== 'Running' && r.status !== 'Stopped') throw new EcsError('InvalidStatus.ValueNotSupported', `The instance ${r.id} is ${r.status}; its charge type changes while Running or Stopped.`);
      if (r.instance_charge_type === target) throw new EcsError('InvalidInstanceChargeType.ValueNotSupported', `The instance ${r.id} is already ${target}.`);
      // A spot instance stays pay-as-you-go (src/domain/instances/spot.ts).
      if (target === 'PrePaid' && r.spot_strategy !== 'NoSpot') throw new EcsError('InvalidSpotStrategy', `The specified spotStrategy is not valid: the instance ${r.id} is a spot instance (${r.spot_strategy}) and cannot become a subscription.`);
      if (target === 'PrePaid' && r.auto_release_time) throw new EcsError('ReleaseTimeHaveBeenSet', `The instance ${r.id} has an automatic release time; cancel it first.`);
      if (r.expires_at !== null && r.expires_at <= ctx.now()) throw new EcsError('ExpiredInstance', `The subscription of the instance ${r.id} expired at ${new Date(r.expires_at).toISOString()}; renew it (RenewInstance) first.`);
    }
    const now = ctx.now();
    let sub = PAY_AS_YOU_GO;
    if (target === 'PrePaid') {
      const c = checkSubscription({ chargeType: 'PrePaid', period: p.Period, periodUnit: p.PeriodUnit }, now);
      if (!c.ok) throw new EcsError(c.code === 'InvalidPeriodType.ValueNotSupported' ? 'InvalidPeriod.UnitMismatch' : c.code, c.message);
      sub = c.subscription;
    } else if (p.Period !== undefined) {
      throw new EcsError('InvalidParameter', 'Period applies to a change to PrePaid only.');
    }
    const fees = await subscriptionFees(ctx, rows, sub.expiresAt, p.IncludeDataDisks === true, now);
    return ctx.mutate(async (trx) => {
      for (const r of rows) {
        // Compare-and-set on the charge type and expiry read: a concurrent change or renewal is not overwritten.
        const r2 = await trx.updateTable('instances').set({
          instance_charge_type: target, expires_at: sub.expiresAt, renewal_status: sub.renewalStatus,
          renewal_duration: sub.renewalDuration, renewal_unit: sub.renewalUnit,
          // Pay-as-you-go ends a subscription's renewal for configuration downgrade too.
          renew_downgrade_type: '', renew_downgrade_at: null,
        }).where('id', '=', r.id).where('instance_charge_type', '=', r.instance_charge_type).where('expiry_stopped_at', 'is', null)
          .where('deleted_at', 'is', null).executeTakeFirst();
        if (Number(r2.numUpdatedRows) === 0) throw new EcsError('InvalidStatus.ValueNotSupported', `The instance ${r.id} changed while its charge type was being changed; try again.`);
        // The disks follow: all of them to pay-as-you-go; to a subscription the system disk, the data disks with IncludeDataDisks.
        await setDisksChargeType(trx, r.id, target, target === 'PostPaid' || p.IncludeDataDisks === true);
      }
      return {
        OrderId: String(now).slice(-12),
        FeeOfInstances: { FeeOfInstance: fees.map((f) => ({ InstanceId: f.id, Fee: String(f.fee), Currency: ctx.config.prices.currency })) },
      };
    });
  },
});
