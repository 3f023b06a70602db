/**
 * DescribeInstanceMaintenanceAttributes / ModifyInstanceMaintenanceAttributes: the maintenance
 * window, the action on maintenance and the event notice of each instance
 * (src/domain/instances/maintenance.ts). Terraform's instance Read fails unless the answer holds
 * an entry for its instance, with `ActionOnMaintenance` an object.
 */
import { EcsError } from '../domain/errors.js';
import {
  checkActionOnMaintenance, checkMaintenanceWindow, DEFAULT_ACTION_ON_MAINTENANCE, supportedActions, windowMessage,
} from '../domain/instances/maintenance.js';
import type { InstanceRow } from '../store/instances.js';
import { updateInstance } from '../store/instances.js';
import { instancesInOrder, pageOfInstances } from './instance-lookup.js';
import { ecsHandlers } from './typed-handlers.js';


/** The catalog's instance types have no local disks (DescribeInstances LocalStorageAmount 0). */
const HAS_LOCAL_DISKS = false;

function maintenanceItem(r: InstanceRow) {
  return {
    InstanceId: r.id,
    MaintenanceWindows: {
      MaintenanceWindow: r.maintenance_start_time ? [{ StartTime: r.maintenance_start_time, EndTime: r.maintenance_end_time }] : [],
    },
    ActionOnMaintenance: {
      Value: r.maintenance_action,
      DefaultValue: DEFAULT_ACTION_ON_MAINTENANCE,
      SupportedValues: { SupportedValue: supportedActions(HAS_LOCAL_DISKS) },
    },
    NotifyOnMaintenance: r.maintenance_notify === 1,
  };
}

function requestedIds(p: Record<string, any>): string[] | undefined {
  const ids: string[] | undefined = p.InstanceId?.length ? [...new Set<string>(p.InstanceId)] : undefined;
  return ids;
}

export const instanceMaintenanceActions = ecsHandlers({
  async DescribeInstanceMaintenanceAttributes(ctx, p) {
    const ids = requestedIds(p);
    const page = await pageOfInstances(ctx, ids, p, 100);
    if (ids) {
      const found = new Set((await instancesInOrder(ctx, ids)).map((r) => r.id));
      const missing = ids.find((id) => !found.has(id));
      if (missing) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${missing}" does not exist.`);
    }
    return {
      PageNumber: page.pageNumber, PageSize: page.pageSize, TotalCount: page.total,
      MaintenanceAttributes: { MaintenanceAttribute: page.rows.map(maintenanceItem) },
    };
  },

  async ModifyInstanceMaintenanceAttributes(ctx, p) {
    const ids = requestedIds(p);
    if (!ids) throw new EcsError('MissingParameter', 'The input parameter "InstanceId.N" that is mandatory for processing this request is not supplied.', 400);
    const windowCheck = checkMaintenanceWindow(p.MaintenanceWindow?.[0]);
    if (!windowCheck.ok) throw new EcsError('InvalidParameter', windowMessage(windowCheck));
    if (p.ActionOnMaintenance !== undefined) {
      const a = checkActionOnMaintenance(p.ActionOnMaintenance, HAS_LOCAL_DISKS);
      if (!a.ok) {
        throw new EcsError('InvalidParameter', a.reason === 'unknown'
          ? `The specified parameter "ActionOnMaintenance" "${p.ActionOnMaintenance}" is not valid: Stop, AutoRecover or AutoRedeploy.`
          : `The specified ActionOnMaintenance "${p.ActionOnMaintenance}" is not supported by instances without local disks: ${supportedActions(HAS_LOCAL_DISKS).join(' or ')}.`);
      }
    }
    const rows = await instancesInOrder(ctx, ids);
    const missing = ids.find((id) => !rows.some((r) => r.id === id));
    if (missing) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceId "${missing}" does not exist.`);
    const patch: Partial<InstanceRow> = {};
    if (windowCheck.window) {
      patch.maintenance_start_time = windowCheck.window.startTime;
      patch.maintenance_end_time = windowCheck.window.endTime;
    }
    if (p.ActionOnMaintenance !== undefined) patch.maintenance_action = p.ActionOnMaintenance;
    if (p.NotifyOnMaintenance !== undefined) patch.maintenance_notify = p.NotifyOnMaintenance ? 1 : 0;
    return ctx.mutate(async (trx) => {
      if (Object.keys(patch).length) for (const r of rows) await updateInstance(trx, r.id, patch);
      return {};
    });
  },
});
