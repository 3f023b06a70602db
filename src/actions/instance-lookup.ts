/**
 * The instance lists of the per-instance attribute actions (maintenance, attachment, RAM role):
 * a JSON list or `InstanceId.N`, looked up in the caller's account and region, answered in the
 * order asked, paged with PageNumber/PageSize.
 */
import { EcsError } from '../domain/errors.js';
import type { Params } from '../api/params.js';
import { getInstancesByIds, listInstances, countInstances, type InstanceRow } from '../store/instances.js';
import type { ActionContext } from './types.js';

/** `InstanceIds=["i-1","i-2"]` with the action's own codes for a malformed or too long list. */
export function jsonIdList(p: Params, name: string, o: { max: number; malformed: string; tooMany: string }): string[] | undefined {
  const raw = p[name];
  if (raw === undefined || raw === '') return undefined;
  let v: unknown;
  try { v = JSON.parse(raw); } catch { v = undefined; }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    throw new EcsError(o.malformed, `The specified parameter "${name}" is not valid: expected a JSON array of instance ids such as ["i-1","i-2"].`);
  }
  if (v.length > o.max) throw new EcsError(o.tooMany, `The specified parameter "${name}" has ${v.length} items; at most ${o.max} are allowed.`);
  return [...new Set(v as string[])];
}

/** The live instances of the caller among `ids`, in the order of `ids` (unknown ids are left out). */
export async function instancesInOrder(ctx: ActionContext, ids: string[]): Promise<InstanceRow[]> {
  const rows = await getInstancesByIds(ctx.db, ctx.principal.accountId, ids);
  const byId = new Map(rows.filter((r) => !ctx.regionId || r.region_id === ctx.regionId).map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)).filter((r): r is InstanceRow => r !== undefined);
}

export interface PagedInstances { rows: InstanceRow[]; total: number; pageNumber: number; pageSize: number }

/** The requested instances (or all of the region's when none are named), one page of them. */
export async function pageOfInstances(ctx: ActionContext, ids: string[] | undefined, p: Params, maxSize: number): Promise<PagedInstances> {
  const pageNumber: number = p.PageNumber ?? 1;
  const pageSize: number = p.PageSize ?? 10;
  if (pageNumber < 1) throw new EcsError('InvalidParameter.PageNumber', 'The specified parameter "PageNumber" must be at least 1.', 400);
  if (pageSize < 1 || pageSize > maxSize) throw new EcsError('InvalidParameter.PageSize', `The specified parameter "PageSize" must be from 1 to ${maxSize}.`, 400);
  const offset = (pageNumber - 1) * pageSize;
  if (ids) {
    const all = await instancesInOrder(ctx, ids);
    return { rows: all.slice(offset, offset + pageSize), total: all.length, pageNumber, pageSize };
  }
  const f = { accountId: ctx.principal.accountId, regionId: ctx.regionId };
  const [total, rows] = await Promise.all([countInstances(ctx.db, f), listInstances(ctx.db, f, offset, pageSize)]);
  return { rows, total, pageNumber, pageSize };
}
