/**
 * InterruptSpotInstance (OpenECS extension): a spot interruption drill. The instance gets the
 * notice the market would give it (termination time now + 5 minutes, in the metadata service and
 * as the `Recycling` lock), and the engine's timer (src/engine/spot-interruptions.ts) reclaims it
 * at that time per its SpotInterruptionBehavior — the whole sequence a guest's handler must cope
 * with, on demand. As the market does, it leaves an instance within its SpotDuration hours alone.
 */
import { EcsError } from '../domain/errors.js';
import { protectedUntil, SPOT_NOTICE_MS } from '../domain/instances/spot.js';
import { isoSecond } from '../domain/time.js';
import { enqueue } from '../engine/operations.js';
import { getInstance } from '../store/instances.js';
import { casSpotInstance } from '../store/spot-instances.js';
import { recordSpotInterruption } from '../store/spot-interruption-notice.js';
import { openEcsHandlers } from './typed-handlers.js';

export const spotInterruptionActions = openEcsHandlers({
  async InterruptSpotInstance(ctx, p) {
    const now = ctx.now();
    return ctx.mutate(async (trx) => {
      const row = await getInstance(trx, ctx.principal.accountId, p.InstanceId);
      if (!row || row.region_id !== ctx.regionId) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${p.InstanceId}" does not exist.`, 404);
      if (row.spot_strategy === 'NoSpot') throw new EcsError('OperationDenied.NotSpotInstance', `The instance ${row.id} is not a spot instance (SpotStrategy NoSpot).`, 403);
      // A notice under way stands: the drill answers it again.
      if (row.spot_termination_at !== null) return { InstanceId: row.id, TerminationTime: isoSecond(row.spot_termination_at) };
      if (row.status !== 'Running') throw new EcsError('IncorrectInstanceStatus', `The instance ${row.id} is ${row.status}; only a Running spot instance can be interrupted.`, 403);
      const until = protectedUntil({ duration: row.spot_duration, createdAt: row.created_at });
      if (now < until) {
        throw new EcsError('OperationDenied.SpotProtected', `The spot instance ${row.id} is protected by its SpotDuration until ${isoSecond(until)}.`, 403);
      }
      const terminationAt = now + SPOT_NOTICE_MS;
      if (!(await casSpotInstance(trx, row, { spot_termination_at: terminationAt }, now))) {
        throw new EcsError('IncorrectInstanceStatus', `The instance ${row.id} changed while the interruption was requested; try again.`, 403);
      }
      await recordSpotInterruption(trx, row, now);
      // The instance operation pushes the notice to the guest's metadata service.
      await enqueue(trx, { kind: 'instance', resourceId: row.id, accountId: row.account_id, dueAt: now }, now);
      return { InstanceId: row.id, TerminationTime: isoSecond(terminationAt) };
    });
  },
});
