/**
 * Instance RAM roles: AttachInstanceRamRole, DetachInstanceRamRole, DescribeInstanceRamRole.
 * An instance holds at most one role (the guide, 4.2), kept in its row; the metadata service
 * serves the role's temporary credentials (src/auth/instance-credentials.ts). Passing a role is
 * authorised before the handler runs (ram:PassRole, policy-enforcer.ts); here the role must exist
 * and trust `ecs.aliyuncs.com`. Attach and Detach answer per instance, as ECS does: an instance that
 * cannot take the change fails alone (FailCount) and the others go on. Attach's `Policy` is kept
 * with the attachment and narrows the credentials the instance is handed (instance-credentials.ts).
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { endInstanceSessions } from '../auth/instance-credentials.js';
import type { InstanceRow } from '../store/instances.js';
import { instancesInOrder, jsonIdList, pageOfInstances } from './instance-lookup.js';
import { holdInstanceRole, usableInstanceRole } from './instance-role-check.js';
import { checkPolicyDocument } from '../domain/ram/documents.js';
import type { ActionContext } from './types.js';
import { ecsHandlers } from './typed-handlers.js';

const ID_LIST = { max: 100, malformed: 'InvalidInstanceIds.Malformed', tooMany: 'InvalidInstanceIds.Malformed' };

/** The caller's instances named by `InstanceIds` (JSON list), every one of them existing. */
async function namedInstances(ctx: ActionContext, p: Params): Promise<InstanceRow[]> {
  const ids = jsonIdList(p, 'InstanceIds', ID_LIST);
  if (!ids?.length) throw new EcsError('InvalidInstanceIds.Malformed', 'The specified parameter "InstanceIds" is missing or empty.', 400);
  const rows = await instancesInOrder(ctx, ids);
  const found = new Set(rows.map((r) => r.id));
  const missing = ids.find((id) => !found.has(id));
  if (missing) throw new EcsError('InvalidInstanceId.NotFound', `The specified instance "${missing}" does not exist.`);
  return rows;
}

const sameRole = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** ECS's limit on AttachInstanceRamRole's Policy (the metadata: 1 to 1,024 characters). */
const INSTANCE_ROLE_POLICY_MAX = 1024;

/**
 * The session policy an attachment narrows the role with ('' for none): a RAM policy document the
 * credentials are evaluated against together with the role's policies, as AssumeRole's Policy is.
 */
function instanceRolePolicy(text: string | undefined): string {
  if (text === undefined || text === '') return '';
  const invalid = (why: string) => new EcsError('InvalidParameter.Policy', `The specified parameter "Policy" is not valid: ${why}`, 400);
  if (text.length > INSTANCE_ROLE_POLICY_MAX) throw invalid(`it has ${text.length} characters; at most ${INSTANCE_ROLE_POLICY_MAX} are allowed.`);
  try {
    checkPolicyDocument(text, 'policy', 'Policy');
  } catch (e) {
    throw invalid((e as Error).message);
  }
  return text;
}

interface Outcome { InstanceId: string; Success: boolean; Code: string; Message: string }
const ok = (id: string): Outcome => ({ InstanceId: id, Success: true, Code: '200', Message: 'success' });
const failed = (id: string, code: string, message: string): Outcome => ({ InstanceId: id, Success: false, Code: code, Message: message });

export const instanceRamRoleActions = ecsHandlers({
  async AttachInstanceRamRole(ctx, p) {
    const policy = instanceRolePolicy(p.Policy);
    const rows = await namedInstances(ctx, p);
    const role = await usableInstanceRole(ctx, p.RamRoleName);
    return ctx.mutate(async (trx) => {
      await holdInstanceRole(trx, role);
      const results: Outcome[] = [];
      const renewed: string[] = [];
      for (const r of rows) {
        if (r.ram_role_name && !sameRole(r.ram_role_name, role.name)) {
          results.push(failed(r.id, 'InvalidInstance.RamRoleAlreadyAttached',
            `The instance already holds the RAM role "${r.ram_role_name}": an instance holds one role at a time, detach it first.`));
          continue;
        }
        if (r.ram_role_name === role.name && r.ram_role_policy === policy) { results.push(ok(r.id)); continue; }
        // Compare-and-set: a concurrent attach of another role (or policy) wins or loses as a whole.
        const res = await trx.updateTable('instances').set({ ram_role_name: role.name, ram_role_policy: policy })
          .where('id', '=', r.id).where('ram_role_name', '=', r.ram_role_name).where('ram_role_policy', '=', r.ram_role_policy)
          .where('deleted_at', 'is', null).executeTakeFirst();
        const done = Number(res.numUpdatedRows) === 1;
        if (done && r.ram_role_name) renewed.push(r.id);
        results.push(done ? ok(r.id)
          : failed(r.id, 'InvalidInstance.RamRoleAlreadyAttached', 'The instance\'s RAM role changed meanwhile; describe it and retry.'));
      }
      // Same role, another policy: the credentials already handed out carry the old one, so they end
      // here and the metadata service issues narrowed ones on the next read.
      await endInstanceSessions(trx, renewed);
      return {
        RamRoleName: role.name,
        TotalCount: results.length,
        FailCount: results.filter((x) => !x.Success).length,
        AttachInstanceRamRoleResults: { AttachInstanceRamRoleResult: results },
      };
    });
  },

  async DetachInstanceRamRole(ctx, p) {
    const rows = await namedInstances(ctx, p);
    const only: string | undefined = p.RamRoleName || undefined;
    return ctx.mutate(async (trx) => {
      const results: (Outcome & { InstanceRamRoleSets: { InstanceRamRoleSet: { InstanceId: string; RamRoleName: string }[] } })[] = [];
      const detached: string[] = [];
      for (const r of rows) {
        if (!r.ram_role_name) {
          // Nothing held: already as asked.
          results.push({ ...ok(r.id), InstanceRamRoleSets: { InstanceRamRoleSet: [] } });
          continue;
        }
        if (only && !sameRole(only, r.ram_role_name)) {
          results.push({ ...failed(r.id, 'InvalidRamRole.NotAttached', `The instance holds the RAM role "${r.ram_role_name}", not "${only}".`), InstanceRamRoleSets: { InstanceRamRoleSet: [] } });
          continue;
        }
        const res = await trx.updateTable('instances').set({ ram_role_name: '', ram_role_policy: '' })
          .where('id', '=', r.id).where('ram_role_name', '=', r.ram_role_name).executeTakeFirst();
        if (Number(res.numUpdatedRows) !== 1) {
          results.push({ ...failed(r.id, 'InvalidRamRole.NotAttached', 'The instance\'s RAM role changed meanwhile; describe it and retry.'), InstanceRamRoleSets: { InstanceRamRoleSet: [] } });
          continue;
        }
        detached.push(r.id);
        results.push({ ...ok(r.id), InstanceRamRoleSets: { InstanceRamRoleSet: [{ InstanceId: r.id, RamRoleName: r.ram_role_name }] } });
      }
      // The guest's credentials end with the role: every replica refuses them from this commit on.
      await endInstanceSessions(trx, detached);
      return {
        RamRoleName: only ?? rows.find((r) => r.ram_role_name)?.ram_role_name ?? '',
        TotalCount: results.length,
        FailCount: results.filter((x) => !x.Success).length,
        DetachInstanceRamRoleResults: { DetachInstanceRamRoleResult: results },
      };
    });
  },

  async DescribeInstanceRamRole(ctx, p) {
    const ids = jsonIdList(p, 'InstanceIds', ID_LIST);
    const roleName: string | undefined = p.RamRoleName || undefined;
    if (!ids?.length && !roleName) {
      throw new EcsError('InvalidParameter.AllEmpty', 'At least one of "InstanceIds" and "RamRoleName" must be given.');
    }
    if (roleName) {
      const page = await instancesWithRole(ctx, roleName, ids, p);
      return {
        RegionId: ctx.regionId,
        TotalCount: page.total,
        InstanceRamRoleSets: { InstanceRamRoleSet: page.rows.map((r) => ({ InstanceId: r.id, RamRoleName: r.ram_role_name })) },
      };
    }
    // Every requested instance is listed, with '' when it holds no role: Terraform's
    // `alicloud_instances` drops instances missing from this answer.
    const page = await pageOfInstances(ctx, ids, p, 50);
    if (page.total === 0) throw new EcsError('InvalidInstanceId.NotFound', `The specified InstanceIds ${JSON.stringify(ids)} do not exist.`);
    return {
      RegionId: ctx.regionId,
      TotalCount: page.total,
      InstanceRamRoleSets: { InstanceRamRoleSet: page.rows.map((r) => ({ InstanceId: r.id, RamRoleName: r.ram_role_name })) },
    };
  },
});

/** The region's instances holding `roleName` (among `ids` when given), one page of them. */
async function instancesWithRole(ctx: ActionContext, roleName: string, ids: string[] | undefined, p: Params) {
  const pageNumber: number = p.PageNumber ?? 1;
  const pageSize: number = p.PageSize ?? 10;
  if (pageSize > 50) throw new EcsError('InvalidParameter.PageSize', 'The specified parameter "PageSize" must be from 1 to 50.', 400);
  let q = ctx.db.selectFrom('instances').where('account_id', '=', ctx.principal.accountId).where('deleted_at', 'is', null)
    .where('ram_role_name', '=', roleName);
  if (ctx.regionId) q = q.where('region_id', '=', ctx.regionId);
  if (ids) q = q.where('id', 'in', ids.length ? ids : ['']);
  const [count, rows] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst(),
    q.select(['id', 'ram_role_name']).orderBy('created_at').orderBy('id').limit(pageSize).offset((pageNumber - 1) * pageSize).execute(),
  ]);
  return { total: Number(count?.n ?? 0), rows };
}
