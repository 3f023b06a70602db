/**
 * DescribeInstanceRamRole: the RAM role of each instance. RAM roles do not exist in OpenECS yet
 * (RunInstances RamRoleName is refused), so every instance answers with `RamRoleName: ""`, and a
 * query by role name finds none. Every requested instance is listed: Terraform's
 * `alicloud_instances` drops instances missing from this answer. AttachInstanceRamRole answers the
 * role not found; DetachInstanceRamRole has nothing to detach.
 */
import { EcsError } from '../api/errors.js';
import type { Params } from '../api/params.js';
import { instancesInOrder, jsonIdList, pageOfInstances } from './instance-lookup.js';
import type { ActionContext } from './types.js';
import { ecsHandlers } from './typed-handlers.js';

/** The caller's instances named by `InstanceIds` (JSON list), every one of them existing. */
async function namedInstances(ctx: ActionContext, p: Params): Promise<string[]> {
  const ids = jsonIdList(p, 'InstanceIds', { max: 100, malformed: 'InvalidInstanceIds.Malformed', tooMany: 'InvalidInstanceIds.Malformed' });
  if (!ids?.length) throw new EcsError('InvalidInstanceIds.Malformed', 'The specified parameter "InstanceIds" is missing or empty.', 400);
  const found = new Set((await instancesInOrder(ctx, ids)).map((r) => r.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw new EcsError('InvalidInstanceId.NotFound', `The specified instance "${missing}" does not exist.`);
  return ids;
}

export const instanceRamRoleActions = ecsHandlers({
  /** No RAM role exists to attach (roles are a later addition): every name is not found. */
  async AttachInstanceRamRole(ctx, p) {
    await namedInstances(ctx, p);
    throw new EcsError('InvalidRamRole.NotFound', `The RAM role "${p.RamRoleName}" does not exist: OpenECS has no RAM roles yet.`);
  },

  /** No instance holds a role, so detaching leaves each as it is: without one. */
  async DetachInstanceRamRole(ctx, p) {
    const ids = await namedInstances(ctx, p);
    return ctx.mutate(async () => ({
      RamRoleName: p.RamRoleName ?? '',
      TotalCount: ids.length,
      FailCount: 0,
      DetachInstanceRamRoleResults: {
        DetachInstanceRamRoleResult: ids.map((id) => ({ InstanceId: id, Success: true, Code: '200', Message: 'success', InstanceRamRoleSets: { InstanceRamRoleSet: [] } })),
      },
    }));
  },

  async DescribeInstanceRamRole(ctx, p) {
    const ids = jsonIdList(p, 'InstanceIds', { max: 100, malformed: 'InvalidInstanceIds.Malformed', tooMany: 'InvalidInstanceIds.Malformed' });
    const roleName: string | undefined = p.RamRoleName || undefined;
    if (!ids?.length && !roleName) {
      throw new EcsError('InvalidParameter.AllEmpty', 'At least one of "InstanceIds" and "RamRoleName" must be given.');
    }
    if (roleName) {
      // No instance holds a role: the instances "with this role" are none.
      return { RegionId: ctx.regionId, TotalCount: 0, InstanceRamRoleSets: { InstanceRamRoleSet: [] } };
    }
    const page = await pageOfInstances(ctx, ids, p, 50);
    if (page.total === 0) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceIds ${JSON.stringify(ids)} do not exist.`);
    return {
      RegionId: ctx.regionId,
      TotalCount: page.total,
      InstanceRamRoleSets: { InstanceRamRoleSet: page.rows.map((r) => ({ InstanceId: r.id, RamRoleName: '' })) },
    };
  },
});
