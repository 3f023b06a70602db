/**
 * A subscription renewed for configuration downgrade (renew-downgrade.ts) keeps its plan until the
 * renewed period starts; meanwhile its spec and renewal cannot change (the refusal each action's
 * metadata lists: RenewInstance InstanceSpecModification.NotEffective; ModifyPrepayInstanceSpec, and
 * ResizeDisk and ModifyDiskSpec of its subscription disks, InvalidOperation.InstanceRenewWithDowngradeInPlan).
 */
import { EcsError } from '../domain/errors.js';
import type { InstanceRow } from '../store/instances.js';

export function hasDowngradePlan(row: Pick<InstanceRow, 'renew_downgrade_at'>): boolean {
  return row.renew_downgrade_at !== null && row.renew_downgrade_at !== undefined;
}

export function refuseWithDowngradePlan(row: Pick<InstanceRow, 'id' | 'renew_downgrade_type' | 'renew_downgrade_at'>, code: string, status?: number): void {
  if (!hasDowngradePlan(row)) return;
  throw new EcsError(code, `The instance ${row.id} has a renewal with downgrade to ${row.renew_downgrade_type} planned for ${new Date(row.renew_downgrade_at!).toISOString()}; it cannot change until then.`, status);
}
