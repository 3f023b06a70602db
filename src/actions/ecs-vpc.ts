/**
 * The VPC, VSwitch, vRouter, route-table and EIP actions that the ECS API (2014-05-26) still hosts, as
 * older clients call them (fog-aliyun, aliyungo, the ECS SDKs before the VPC product split).
 *
 * They are the VPC API's handlers (vpc.ts, route-tables.ts, eips.ts), so one store and one set of rules
 * serve both; the ECS version only differs in what it answers: each response is cut to the ECS
 * action's response shape from the generated spec (DescribeVpcs → Vpcs.Vpc[] with VRouterId,
 * VSwitchIds, UserCidrs, ...; no tags or resource groups the ECS version does not know). The
 * answer remembered for a ClientToken is the cut one, so a replay answers the same. Error codes
 * come from the same handlers; where the two products spell a code differently the handler picks
 * by `ctx.product`, and HTTP statuses come from the ECS action's own error table (dispatch.ts).
 *
 * ClassicLink (AttachClassicLinkVpc / DetachClassicLinkVpc) links classic-network instances:
 * every instance here is a VPC instance, so an existing one is InvalidInstanceId.MalFormed ("not a
 * classic network instance"), an unknown one InvalidInstanceId.NotFound.
 */
import { EcsError } from '../domain/errors.js';
import { actionSpec } from '../api/spec.js';
import type { ShapeSpec } from '../api/spec-types.js';
import { nextHopInstance } from '../store/route-tables.js';
import { routeTableActions } from './route-tables.js';
import { ecsHandlers } from './typed-handlers.js';
import type { ActionContext, Handler, HandlerMap, ResponseBody } from './types.js';
import { vpcActions } from './vpc.js';
import { eipActions } from './eips.js';

/** Keeps the fields the shape names, recursively; lists are cut item by item. */
export function cutToShape(shape: ShapeSpec, value: unknown): unknown {
  if (Array.isArray(shape)) return Array.isArray(value) ? value.map((v) => cutToShape(shape[0]!, v)) : value;
  if (typeof shape === 'object') {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [k, sub] of Object.entries(shape)) if (Object.hasOwn(value, k)) out[k] = cutToShape(sub, (value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/** Runs `run` and answers in `shape`, the answer remembered for a ClientToken included. */
export async function answerInShape(shape: ShapeSpec, ctx: ActionContext, run: (ctx: ActionContext) => Promise<ResponseBody>): Promise<ResponseBody> {
  const cut = <T extends ResponseBody>(body: T): T => cutToShape(shape, body) as T;
  const inner: ActionContext = { ...ctx, mutate: (fn) => ctx.mutate(async (trx, enqueue) => cut(await fn(trx, enqueue))) };
  return cut(await run(inner));
}

function asEcs(name: string, handler: Handler): Handler {
  const shape = actionSpec('ecs', name)?.r;
  if (!shape) throw new Error(`the ECS spec has no action ${name}`);
  return (ctx, p) => answerInShape(shape, ctx, (inner) => handler(inner, p));
}

const SHARED: HandlerMap = {
  CreateVpc: vpcActions.CreateVpc!, DeleteVpc: vpcActions.DeleteVpc!, DescribeVpcs: vpcActions.DescribeVpcs!, ModifyVpcAttribute: vpcActions.ModifyVpcAttribute!,
  CreateVSwitch: vpcActions.CreateVSwitch!, DeleteVSwitch: vpcActions.DeleteVSwitch!, DescribeVSwitches: vpcActions.DescribeVSwitches!,
  ModifyVSwitchAttribute: vpcActions.ModifyVSwitchAttribute!,
  DescribeVRouters: routeTableActions.DescribeVRouters!, ModifyVRouterAttribute: routeTableActions.ModifyVRouterAttribute!,
  DescribeRouteTables: routeTableActions.DescribeRouteTables!, CreateRouteEntry: routeTableActions.CreateRouteEntry!,
  DeleteRouteEntry: routeTableActions.DeleteRouteEntry!,
  AllocateEipAddress: eipActions.AllocateEipAddress!, AssociateEipAddress: eipActions.AssociateEipAddress!,
  UnassociateEipAddress: eipActions.UnassociateEipAddress!, ReleaseEipAddress: eipActions.ReleaseEipAddress!,
  DescribeEipAddresses: eipActions.DescribeEipAddresses!, ModifyEipAddressAttribute: eipActions.ModifyEipAddressAttribute!,
};

/** AttachClassicLinkVpc and DetachClassicLinkVpc alike. */
async function classicLink(ctx: ActionContext, p: { InstanceId: string }): Promise<never> {
  const instance = await nextHopInstance(ctx.db, { accountId: ctx.principal.accountId, regionId: ctx.regionId }, p.InstanceId);
  if (!instance) throw new EcsError('InvalidInstanceId.NotFound', `The InstanceId "${p.InstanceId}" provided does not exist in our records.`);
  throw new EcsError('InvalidInstanceId.MalFormed', `The specified instance ${p.InstanceId} is not a classic network instance: OpenECS has no classic network.`);
}

export const ecsVpcActions: HandlerMap = {
  ...Object.fromEntries(Object.entries(SHARED).map(([name, h]) => [name, asEcs(name, h)])),
  ...ecsHandlers({ AttachClassicLinkVpc: classicLink, DetachClassicLinkVpc: classicLink }),
};
