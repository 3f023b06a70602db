/**
 * DescribeInstanceAttachmentAttributes / ModifyInstanceAttachmentAttributes: an instance's private
 * pool options (src/domain/instances/private-pool.ts). Terraform's instance Read needs a non-empty
 * `Instances.Instance` for the instance it asks about.
 */
import { EcsError } from '../domain/errors.js';
import { checkPrivatePoolOptions, type PrivatePoolCheck } from '../domain/instances/private-pool.js';
import { getInstance, updateInstance, type InstanceRow } from '../store/instances.js';
import { jsonIdList, pageOfInstances } from './instance-lookup.js';
import { ecsHandlers } from './typed-handlers.js';


export interface PrivatePoolOptions { matchCriteria: string; id: string }

/** The options of RunInstances / ModifyInstanceAttachmentAttributes, or the documented refusal. */
export function privatePoolFrom(matchCriteria: string | undefined, id: string | undefined): PrivatePoolOptions {
  const c: PrivatePoolCheck = checkPrivatePoolOptions(matchCriteria, id);
  if (c.ok) return { matchCriteria: c.matchCriteria, id: c.id };
  switch (c.reason) {
    case 'unknown-criteria':
      throw new EcsError('InvalidParameter', `The specified parameter "PrivatePoolOptions.MatchCriteria" "${matchCriteria}" is not valid: Open, Target or None.`, 400);
    case 'missing-id':
      throw new EcsError('MissingParameter.PrivatePoolOptions.Id', 'The specified PrivatePoolOptions.Id should not be null when PrivatePoolOptions.MatchCriteria is Target.');
    case 'id-not-allowed':
      throw new EcsError('InvalidParameter', `PrivatePoolOptions.Id may be given only when PrivatePoolOptions.MatchCriteria is Target, not ${matchCriteria || 'Open'}.`, 400);
    case 'pool-not-found':
      throw new EcsError('Invalid.PrivatePoolOptions.Id', `The private pool "${id}" does not exist.`);
  }
}

function attachmentItem(r: InstanceRow) {
  return { InstanceId: r.id, PrivatePoolOptionsMatchCriteria: r.private_pool_match_criteria, PrivatePoolOptionsId: r.private_pool_id };
}

export const instanceAttachmentActions = ecsHandlers({
  async DescribeInstanceAttachmentAttributes(ctx, p) {
    const ids = jsonIdList(p, 'InstanceIds', { max: 100, malformed: 'Abs.InvalidInstanceIds.MalFormed', tooMany: 'InvalidParameter.TooManyInstanceIds' });
    if (!ids || ids.length === 0) throw new EcsError('MissingParameter', 'The input parameter "InstanceIds" that is mandatory for processing this request is not supplied.', 400);
    const page = await pageOfInstances(ctx, ids, p, 100);
    if (page.total === 0) throw new EcsError('InvalidInstanceIds.NotFound', `The specified InstanceIds ${JSON.stringify(ids)} do not exist.`);
    return {
      PageNumber: page.pageNumber, PageSize: page.pageSize, TotalCount: page.total,
      Instances: { Instance: page.rows.map(attachmentItem) },
    };
  },

  async ModifyInstanceAttachmentAttributes(ctx, p) {
    const row = await getInstance(ctx.db, ctx.principal.accountId, p.InstanceId);
    if (!row || row.region_id !== ctx.regionId) throw new EcsError('Invalid.InstanceId', `The instance "${p.InstanceId}" does not exist.`);
    const options = privatePoolFrom(p['PrivatePoolOptions.MatchCriteria'], p['PrivatePoolOptions.Id']);
    return ctx.mutate(async (trx) => {
      await updateInstance(trx, row.id, { private_pool_match_criteria: options.matchCriteria, private_pool_id: options.id });
      return {};
    });
  },
});
