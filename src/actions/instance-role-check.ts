/**
 * The role an instance may hold (AttachInstanceRamRole, RunInstances and CreateInstance
 * RamRoleName): a RAM role of the caller's account whose trust policy lets `ecs.aliyuncs.com`
 * assume it. Whether the caller may pass it (ram:PassRole) is decided before the handler runs.
 * HTTP statuses are each action's own (the metadata: NotEcsRole is 404 on Attach, 401 on RunInstances).
 * A role held by an instance is not deleted (DeleteRole answers DeleteConflict.Role.Instance).
 */
import { EcsError } from '../domain/errors.js';
import { ECS_SERVICE } from '../auth/instance-credentials.js';
import { trusts } from '../auth/role-sessions.js';
import { findRoleByArnName } from '../store/ram.js';
import type { RamRoleTable } from '../store/schema.js';
import { forUpdate } from '../store/dialect.js';
import type { ActionContext, Tx } from './types.js';

/** RAM role names: 1-64 letters, digits, `.` and `-` (CreateRole's rule). */
const ROLE_NAME = /^[A-Za-z0-9.-]{1,64}$/;

export async function usableInstanceRole(ctx: ActionContext, name: string | undefined): Promise<RamRoleTable> {
  if (name === undefined || name === '') throw new EcsError('MissingParameter', 'The input parameter "RamRoleName" that is mandatory for processing this request is not supplied.', 400);
  if (!ROLE_NAME.test(name)) {
    throw new EcsError('InvalidParameter.RamRoleName', `The specified parameter "RamRoleName" is not valid: "${name}" is not a RAM role name (1-64 letters, digits, "." and "-").`, 400);
  }
  const role = await findRoleByArnName(ctx.db, ctx.principal.accountId, name);
  if (!role) throw new EcsError('InvalidRamRole.NotFound', `The specified RAMRoleName "${name}" does not exist.`);
  if (!trusts(role, { service: ECS_SERVICE })) {
    throw new EcsError('InvalidRamRole.NotEcsRole', `The specified ram role "${role.name}" is not authorized for ecs, please check your role policy: its trust policy must allow the service ${ECS_SERVICE}.`);
  }
  return role;
}

/**
 * Holds the role's row until the transaction ends (FOR UPDATE on PostgreSQL): a concurrent
 * DeleteRole, which takes the same row before it looks for instances holding the role, either
 * sees this transaction's instances or has already removed the role, which is then refused here.
 */
export async function holdInstanceRole(trx: Tx, role: Pick<RamRoleTable, 'account_id' | 'name'>): Promise<void> {
  const q = trx.selectFrom('ram_roles').select('id').where('account_id', '=', role.account_id).where('name', '=', role.name);
  if (!await forUpdate(trx, q).executeTakeFirst()) {
    throw new EcsError('InvalidRamRole.NotFound', `The specified RAMRoleName "${role.name}" does not exist.`);
  }
}
