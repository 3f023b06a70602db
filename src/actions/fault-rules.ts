/**
 * Fault injection (issue 16 point 7), an OpenECS extension for the operator's root (admin) account:
 * rules that make chosen API actions answer one of THEIR documented errors or wait, or make a
 * driver step fail (src/faults/). A rule's error code must be in the action's error table (or a
 * gateway error any action answers), so clients rehearse against the codes the real service sends.
 */
import { EcsError } from '../domain/errors.js';
import { newId } from '../domain/ids.js';
import { isoSecond } from '../domain/time.js';
import { apiSpec } from '../api/spec.js';
import { documentedError } from '../faults/api-faults.js';
import { API_TARGET, globMatches, invalidateFaultRules, type FaultRule } from '../faults/rules.js';
import { requireAdmin } from './accounts.js';
import { openEcsHandlers } from './typed-handlers.js';

const PPM = 1_000_000;

/** The products a rule names: one by its key in any case (Ecs, ecs), or `*` for all. */
function productsOf(product: string): string[] {
  if (product === '*') return Object.keys(apiSpec.products);
  const key = product.toLowerCase();
  if (!apiSpec.products[key]) {
    throw new EcsError('InvalidProduct.NotFound', `The specified Product "${product}" does not exist; one of ${Object.keys(apiSpec.products).join(', ')} or *.`, 404);
  }
  return [key];
}

/** Checks an API rule against the spec: its pattern names actions, and its code is documented by at least one of them. */
function checkApiRule(product: string, apiName: string, errorCode: string) {
  const matched = productsOf(product).flatMap((p) => Object.entries(apiSpec.products[p]!.actions)
    .filter(([name]) => globMatches(apiName, name) && !(p === 'openecs' && /FaultRule/.test(name)))
    .map(([name, spec]) => ({ name: `${p}:${name}`, spec })));
  if (!matched.length) throw new EcsError('InvalidApiName.NotFound', `No action of ${product} matches ApiName "${apiName}".`, 404);
  if (!errorCode) return;
  if (matched.some((m) => documentedError(m.spec, errorCode))) return;
  const listed = matched.length === 1 ? Object.keys(matched[0]!.spec.e).join(', ') : '';
  throw new EcsError('InvalidErrorCode.NotDocumented',
    `The error code "${errorCode}" is not documented for ${matched.length === 1 ? matched[0]!.name : `any action matching ${product}:${apiName}`}`
    + (listed ? `; its codes: ${listed}.` : '.'), 400);
}

function view(r: FaultRule) {
  const remaining = Number(r.remaining);
  return {
    FaultRuleId: r.id,
    Target: r.target,
    Product: r.product,
    ApiName: r.api_name,
    AccountId: r.account_id,
    ResourceId: r.resource_id,
    ErrorCode: r.error_code,
    ErrorMessage: r.error_message,
    LatencyMs: Number(r.latency_ms),
    Probability: Number(r.probability_ppm) / PPM,
    Count: remaining < 0 ? 0 : remaining + Number(r.hits),
    RemainingCount: remaining,
    HitCount: Number(r.hits),
    Status: remaining === 0 ? 'Exhausted' : 'Active',
    Description: r.description,
    CreationTime: isoSecond(Number(r.created_at)),
  };
}

export const faultRuleActions = openEcsHandlers({
  async CreateFaultRule(ctx, p) {
    requireAdmin(ctx);
    const target = p.Target ?? API_TARGET;
    const api = target === API_TARGET;
    const latency = p.LatencyMs ?? 0;
    let product = '';
    let apiName = '';
    if (api) {
      if (!p.Product) throw new EcsError('MissingParameter.Product', 'An Api fault rule needs Product (ecs, vpc, … or *).', 400);
      if (!p.ApiName) throw new EcsError('MissingParameter.ApiName', 'An Api fault rule needs ApiName (an action; * matches any characters).', 400);
      if (!p.ErrorCode && latency === 0) throw new EcsError('MissingParameter.ErrorCode', 'An Api fault rule needs ErrorCode, LatencyMs or both.', 400);
      if (p.ResourceId) throw new EcsError('InvalidParameter.ResourceId', 'ResourceId applies to driver fault rules only; an Api rule is scoped by Product, ApiName and AccountId.', 400);
      checkApiRule(p.Product, p.ApiName, p.ErrorCode ?? '');
      product = p.Product === '*' ? '*' : p.Product.toLowerCase();
      apiName = p.ApiName;
    } else {
      for (const name of ['Product', 'ApiName', 'AccountId', 'ErrorCode'] as const) {
        if (p[name]) throw new EcsError(`InvalidParameter.${name}`, `${name} applies to Api fault rules only; a ${target} rule fails a driver step.`, 400);
      }
      if (target === 'HostEvent' && !p.ResourceId) throw new EcsError('MissingParameter.ResourceId', 'A HostEvent fault rule needs ResourceId: the instance whose host fails.', 400);
    }
    if (p.AccountId) {
      const account = await ctx.db.selectFrom('accounts').select('id').where('id', '=', p.AccountId).executeTakeFirst();
      if (!account) throw new EcsError('InvalidAccountId.NotFound', `The account ${p.AccountId} does not exist.`, 404);
    }
    let hostInstance: { id: string; account_id: string } | undefined;
    if (target === 'HostEvent') {
      hostInstance = await ctx.db.selectFrom('instances').select(['id', 'account_id'])
        .where('id', '=', p.ResourceId!).where('deleted_at', 'is', null).executeTakeFirst();
      if (!hostInstance) throw new EcsError('InvalidInstanceId.NotFound', `The specified instance ${p.ResourceId} does not exist.`, 404);
    }
    const id = newId('fr-');
    const now = ctx.now();
    const answer = await ctx.mutate(async (trx, enqueue) => {
      await trx.insertInto('fault_rules').values({
        id, target, product, api_name: apiName, account_id: p.AccountId ?? '', resource_id: p.ResourceId ?? '',
        error_code: p.ErrorCode ?? '', error_message: p.ErrorMessage ?? '', latency_ms: latency,
        probability_ppm: Math.round((p.Probability ?? 1) * PPM), remaining: p.Count ?? -1, hits: 0,
        description: p.Description ?? '', created_at: now,
      }).execute();
      // The instance reconciler looks at the guest now, and so meets its host's failure.
      if (hostInstance) await enqueue({ kind: 'instance', resourceId: hostInstance.id, accountId: hostInstance.account_id, dueAt: now });
      return { FaultRuleId: id };
    });
    invalidateFaultRules(ctx.db);
    return answer;
  },

  async DescribeFaultRules(ctx, p) {
    requireAdmin(ctx);
    let q = ctx.db.selectFrom('fault_rules').selectAll().orderBy('created_at').orderBy('id');
    if (p.FaultRuleId) q = q.where('id', '=', p.FaultRuleId);
    if (p.Target) q = q.where('target', '=', p.Target);
    const rows = await q.execute();
    return { TotalCount: rows.length, FaultRules: { FaultRule: rows.map(view) } };
  },

  async DeleteFaultRule(ctx, p) {
    requireAdmin(ctx);
    const answer = await ctx.mutate(async (trx) => {
      const r = await trx.deleteFrom('fault_rules').where('id', '=', p.FaultRuleId).executeTakeFirst();
      if (Number(r.numDeletedRows) === 0) throw new EcsError('InvalidFaultRuleId.NotFound', `The specified fault rule ${p.FaultRuleId} does not exist.`, 404);
      return {};
    });
    invalidateFaultRules(ctx.db);
    return answer;
  },
});
