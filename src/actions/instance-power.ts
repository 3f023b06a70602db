/**
 * Start, stop, reboot and release, in singular and batch (`InstanceId.N`, BatchOptimization)
 * forms. A handler moves the status at once (Starting, Stopping) and leaves the rest to the
 * engine's instance reconciler.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { allowed, nextStatus, type PowerAction } from '../domain/instances/states.js';
import { getInstancesByIds, releaseInstance, type InstanceRow } from '../store/instances.js';
import { avoidScheduledReboots } from '../store/system-events.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext, Tx } from './types.js';
import type { NewOperation } from '../engine/operations.js';
import { nextHopInstanceIds } from '../store/route-tables.js';
import { lockRows } from '../store/row-locks.js';
import { expiryLockError, isExpiryLocked } from './expiry-lock.js';
import { casInstance } from '../store/subscriptions.js';
import { instanceMarketPrice } from '../engine/spot-interruptions.js';
import type { PriceTable } from '../domain/billing/price-table.js';

/**
 * A price-limited spot instance whose bid the market has passed does not start (it would be
 * interrupted at once): StartInstance(s)' OperationDenied.SpotPriceLowerThanPublicPrice.
 */
function spotBidError(row: InstanceRow, prices: PriceTable, now: number): EcsError | undefined {
  if (row.spot_strategy !== 'SpotWithPriceLimit') return undefined;
  const market = instanceMarketPrice(prices, row, now);
  if (row.spot_price_limit >= market) return undefined;
  return new EcsError('OperationDenied.SpotPriceLowerThanPublicPrice', `The spot instance price is lower than public price: instance ${row.id} bids ${row.spot_price_limit} an hour, the market is at ${market}.`, 403);
}

const MAX_BATCH = 100;

type Verb = 'Start' | 'Stop' | 'Reboot' | 'Delete';

interface Outcome { id: string; row?: InstanceRow; error?: EcsError }

function statusError(verb: Verb, row: InstanceRow): EcsError {
  return new EcsError('IncorrectInstanceStatus', `The current status of the resource does not support this operation: ${verb} needs ${verb === 'Start' ? 'Stopped' : verb === 'Delete' ? 'Stopped (or Force=true)' : 'Running'}, instance ${row.id} is ${row.status}.`);
}

function nextHopError(row: InstanceRow): EcsError {
  return new EcsError('DependencyViolation.RouteEntry', `The instance ${row.id} is the next hop of a route entry; delete the entry first.`);
}

/** Checks one instance for a verb; returns the error to report, if any. */
function check(verb: Verb, row: InstanceRow, p: Params, nextHops: ReadonlySet<string> = new Set(), now = 0, single = false, prices?: PriceTable): EcsError | undefined {
  if (verb === 'Delete') {
    // An unexpired subscription is released after ModifyInstanceChargeType to PostPaid (Terraform's
    // force_delete); an expired one with TerminateSubscription=true, or by the engine 15 days after its stop.
    if (row.instance_charge_type === 'PrePaid' && row.expires_at !== null && row.expires_at > now) {
      return new EcsError('ChargeTypeViolation', `The instance ${row.id} is a subscription (PrePaid) until ${new Date(row.expires_at).toISOString()}; change it to PostPaid (ModifyInstanceChargeType) to release it now.`);
    }
    if (row.instance_charge_type === 'PrePaid' && row.expires_at !== null && p.TerminateSubscription !== true) {
      return new EcsError('ChargeTypeViolation', `The subscription (PrePaid) instance ${row.id} expired at ${new Date(row.expires_at).toISOString()}; set TerminateSubscription=true to release it.`);
    }
    // A route entry leading to the instance keeps it (DeleteInstance: DependencyViolation.RouteEntry).
    if (nextHops.has(row.id)) return nextHopError(row);
    if (row.deletion_protection === 1) return new EcsError('InvalidOperation.DeletionProtection', `The instance ${row.id} has DeletionProtection enabled; disable it before releasing the instance.`);
    const action: PowerAction = p.Force === true ? 'ForceDelete' : 'Delete';
    if (!allowed(action, row.status)) return row.status === 'Pending'
      ? new EcsError('IncorrectInstanceStatus.Initializing', `The instance ${row.id} is still being created.`)
      : statusError(verb, row);
    return undefined;
  }
  // Stopped for expiry: the lock stays until RenewInstance (StartInstance's metadata names it InstanceExpired).
  if (isExpiryLocked(row)) return expiryLockError(row, verb === 'Start' && single ? 'InstanceExpired' : 'InstanceExpiredOrInArrears');
  const bid = verb === 'Start' && prices ? spotBidError(row, prices, now) : undefined;
  if (bid) return bid;
  return allowed(verb, row.status) ? undefined : statusError(verb, row);
}

/**
 * Writes the verb's change, compare-and-set against the status `check` saw: the instance's status
 * error when a concurrent request (or the engine) moved it in between, nothing written then.
 */
async function apply(trx: Tx, enqueue: (op: NewOperation) => Promise<void>, verb: Verb, row: InstanceRow, p: Params, now: number): Promise<string | EcsError> {
  if (verb === 'Delete') {
    // Counted again with the row locked (by the caller): CreateRouteEntry locks it to route to it.
    if ((await nextHopInstanceIds(trx, [row.id])).size > 0) return nextHopError(row);
    if (!(await releaseInstance(trx, row, now))) return await movedOn(trx, verb, row);
    await enqueue({ kind: 'instance', resourceId: row.id, dueAt: now });
    return row.status;
  }
  const to = nextStatus(verb, row.status)!;
  const desired = verb === 'Stop' ? 'Stopped' : 'Running';
  const patch: Partial<InstanceRow> = { desired_status: desired };
  if (verb === 'Stop') patch.stopped_mode = p.StoppedMode === 'StopCharging' ? 'StopCharging' : 'KeepCharging';
  // Intent in the row, read by the instance reconciler: a second request's ForceStop is never lost.
  patch.force_stop = verb !== 'Start' && (p.ForceStop === true || p.ForceReboot === true) ? 1 : 0;
  // Also compare-and-set on the expiry and its lock: the engine may lock a Stopped instance in between.
  if (!(await casInstance(trx, row, { ...patch, status: to }, now))) return await movedOn(trx, verb, row);
  // A reboot ahead of a scheduled maintenance reboot does its work: the event is Avoided.
  if (verb === 'Reboot') await avoidScheduledReboots(trx, [row.id], now);
  await enqueue({ kind: 'instance', resourceId: row.id, dueAt: now });
  return to;
}

/** The error for a row whose status moved between the check and the write: as `check` would now answer. */
async function movedOn(trx: Tx, verb: Verb, row: InstanceRow): Promise<EcsError> {
  const [now] = await getInstancesByIds(trx, row.account_id, [row.id]);
  if (!now) return notFound([row.id], false);
  if (verb !== 'Delete' && isExpiryLocked(now)) return expiryLockError(now);
  return statusError(verb, now);
}

function notFound(ids: string[], batch: boolean): EcsError {
  return batch
    ? new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId does not exist: ${ids.join(', ')}.`)
    : new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${ids[0]}" does not exist.`);
}

async function single(ctx: ActionContext, p: Params, verb: Verb) {
  const id: string = p.InstanceId;
  const [row] = await getInstancesByIds(ctx.db, ctx.principal.accountId, [id]);
  if (!row || (ctx.regionId && row.region_id !== ctx.regionId)) throw notFound([id], false);
  const err = check(verb, row, p, verb === 'Delete' ? await nextHopInstanceIds(ctx.db, [row.id]) : undefined, ctx.now(), true, ctx.config.prices);
  if (err) throw err;
  return ctx.mutate(async (trx, enqueue) => {
    if (verb === 'Delete') await lockRows(trx, 'instances', [row.id]);
    const done = await apply(trx, enqueue, verb, row, p, ctx.now());
    if (done instanceof EcsError) throw done;
    return {};
  });
}

async function batch(ctx: ActionContext, p: Params, verb: Verb) {
  const ids: string[] = p.InstanceId ?? [];
  if (ids.length > MAX_BATCH) throw new EcsError('InvalidParameter.TooManyInstanceIds', `At most ${MAX_BATCH} instances can be specified.`, 403);
  if (new Set(ids).size !== ids.length) throw new EcsError('InvalidParameter', 'The specified InstanceId.N contains duplicates.');
  const rows = await getInstancesByIds(ctx.db, ctx.principal.accountId, ids);
  const byId = new Map(rows.filter((r) => r.region_id === ctx.regionId).map((r) => [r.id, r]));
  const nextHops = verb === 'Delete' ? await nextHopInstanceIds(ctx.db, [...byId.keys()]) : undefined;
  const outcomes: Outcome[] = ids.map((id) => {
    const row = byId.get(id);
    if (!row) return { id, error: notFound([id], true) };
    return { id, row, error: check(verb, row, p, nextHops, ctx.now(), false, ctx.config.prices) };
  });
  const successFirst = p.BatchOptimization === 'SuccessFirst';
  if (!successFirst) {
    // AllTogether: one refusal refuses the whole call, nothing changes.
    const missing = outcomes.filter((o) => !o.row).map((o) => o.id);
    if (missing.length) throw notFound(missing, true);
    const failed = outcomes.find((o) => o.error);
    if (failed) throw failed.error!;
  }
  if (ctx.dryRun) throw new EcsError('DRYRUN.SUCCESS', 'This request is a dryrun request with successful result.', 400);
  return ctx.mutate(async (trx, enqueue) => {
    // All the rows at once, in id order, before apply() counts their route entries.
    if (verb === 'Delete') await lockRows(trx, 'instances', outcomes.filter((o) => o.row && !o.error).map((o) => o.id));
    const responses = [];
    for (const o of outcomes) {
      if (o.error || !o.row) {
        responses.push({ InstanceId: o.id, Code: o.error!.code, Message: o.error!.message, PreviousStatus: o.row?.status ?? '', CurrentStatus: o.row?.status ?? '' });
        continue;
      }
      const current = await apply(trx, enqueue, verb, o.row, p, ctx.now());
      if (current instanceof EcsError) {
        // Lost a race after the check: AllTogether refuses the whole call (rolled back), SuccessFirst reports this one.
        if (!successFirst) throw current;
        responses.push({ InstanceId: o.id, Code: current.code, Message: current.message, PreviousStatus: o.row.status, CurrentStatus: o.row.status });
        continue;
      }
      responses.push({ InstanceId: o.id, Code: '200', Message: 'success', PreviousStatus: o.row.status, CurrentStatus: current });
    }
    // DeleteInstances answers a RequestId only; the other batch actions list each instance's outcome.
    return verb === 'Delete' ? {} : { InstanceResponses: { InstanceResponse: responses } };
  });
}

export const instancePowerActions = ecsHandlers({
  StartInstance: (ctx, p) => single(ctx, p, 'Start'),
  StopInstance: (ctx, p) => single(ctx, p, 'Stop'),
  RebootInstance: (ctx, p) => single(ctx, p, 'Reboot'),
  DeleteInstance: (ctx, p) => single(ctx, p, 'Delete'),
  StartInstances: (ctx, p) => batch(ctx, p, 'Start'),
  StopInstances: (ctx, p) => batch(ctx, p, 'Stop'),
  RebootInstances: (ctx, p) => batch(ctx, p, 'Reboot'),
  DeleteInstances: async (ctx, p) => { await batch(ctx, p, 'Delete'); return {}; },
});

