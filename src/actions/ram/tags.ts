/**
 * Tags of RAM roles and policies: TagResources, UntagResources, ListTagResources (spec in
 * src/api/ram-tag-spec.ts, so the request types are declared here), and CreateRole's `Tag`.
 * At most 20 tags per resource; keys 1..128 characters not starting with `aliyun` or `acs:`.
 */
import { ramError, ramErrors } from '../../domain/ram/errors.js';
import { decodeToken, encodeToken } from '../paging.js';
import { findRole } from '../../store/ram.js';
import { findCustomPolicy } from '../../store/ram-policies.js';
import { putRamTags, ramTagCount, ramTagRows, removeRamTags, type RamTagged } from '../../store/ram-tags.js';
import type { ActionContext, HandlerMap, Tx } from '../types.js';
import { required, roleArn } from './common.js';

export const MAX_TAGS = 20;

interface Tag { Key?: string; Value?: string }

export function checkTags(tags: Tag[] | undefined): { Key: string; Value: string }[] {
  return (tags ?? []).map((t) => {
    const key = t.Key ?? '';
    const value = t.Value ?? '';
    if (key.length < 1 || key.length > 128 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//i.test(key)) {
      throw ramError('InvalidParameter.Tag.Key', `The tag key "${key}" is not valid: 1 to 128 characters, not starting with aliyun or acs:, without http:// or https://.`);
    }
    if (value.length > 128 || /^(aliyun|acs:)/i.test(value) || /https?:\/\//i.test(value)) {
      throw ramError('InvalidParameter.Tag.Value', `The tag value "${value}" is not valid: at most 128 characters, not starting with aliyun or acs:, without http:// or https://.`);
    }
    return { Key: key, Value: value };
  });
}

export const policyArn = (accountId: string, name: string) => `acs:ram::${accountId}:policy/${name}`;

async function resolve(db: Tx | ActionContext['db'], accountId: string, type: string, name: string): Promise<RamTagged> {
  if (type === 'role') {
    const r = await findRole(db, accountId, name);
    if (!r) throw ramErrors.roleNotExist(name);
    return { accountId, type: 'role', arn: roleArn(accountId, r.name), name: r.name };
  }
  const p = await findCustomPolicy(db, accountId, name);
  if (!p) throw ramErrors.policyNotExist('Custom', name);
  return { accountId, type: 'policy', arn: policyArn(accountId, p.name), name: p.name };
}

/** Adds tags to a resource inside the caller's transaction, keeping the per-resource limit. */
export async function tagResource(trx: Tx, r: RamTagged, tags: { Key: string; Value: string }[]): Promise<void> {
  await putRamTags(trx, r, tags);
  if (await ramTagCount(trx, r.arn) > MAX_TAGS) throw ramError('LimitExceeded.Tag', `A resource has at most ${MAX_TAGS} tags.`);
}

interface TagRequest { ResourceType: string; ResourceNames?: string[]; Tag?: Tag[] }
interface UntagRequest { ResourceType: string; ResourceNames?: string[]; TagKeys?: string[]; All?: boolean }
interface ListRequest { ResourceType: string; ResourceNames?: string[]; Tag?: Tag[]; NextToken?: string; PageSize?: number }

export const ramTagHandlers: HandlerMap = {
  async TagResources(ctx, params) {
    const p = params as TagRequest;
    const names = required(p.ResourceNames, 'ResourceNames');
    const tags = checkTags(required(p.Tag, 'Tag'));
    return ctx.mutate(async (trx) => {
      for (const name of names) await tagResource(trx, await resolve(trx, ctx.principal.accountId, p.ResourceType, name), tags);
      return {};
    });
  },

  async UntagResources(ctx, params) {
    const p = params as UntagRequest;
    const names = required(p.ResourceNames, 'ResourceNames');
    if (!p.All && !p.TagKeys?.length) throw ramError('MissingParameter', 'The input parameter "TagKeys" that is mandatory for processing this request is not supplied.');
    return ctx.mutate(async (trx) => {
      for (const name of names) {
        const r = await resolve(trx, ctx.principal.accountId, p.ResourceType, name);
        await removeRamTags(trx, r.arn, p.All ? undefined : p.TagKeys);
      }
      return {};
    });
  },

  async ListTagResources(ctx, params) {
    const p = params as ListRequest;
    const wanted = checkTags(p.Tag);
    const rows = await ramTagRows(ctx.db, ctx.principal.accountId, p.ResourceType, p.ResourceNames);
    // A Tag filter keeps the resources that carry every tag given, with all their tags.
    const byName = new Map<string, typeof rows>();
    for (const r of rows) byName.set(r.resource_name, [...(byName.get(r.resource_name) ?? []), r]);
    const kept = rows.filter((r) => wanted.every((w) => byName.get(r.resource_name)!.some((x) => x.key === w.Key && (!w.Value || x.value === w.Value))));
    const offset = p.NextToken ? decodeToken(p.NextToken, 'InvalidParameter.NextToken') : 0;
    const size = p.PageSize ?? 50;
    const pageRows = kept.slice(offset, offset + size);
    const more = offset + size < kept.length;
    return {
      IsTruncated: more, ...(more ? { NextToken: encodeToken(offset + size) } : {}),
      // A bare list, as RAM answers it (the official @alicloud/ram20150501 client reads it so).
      TagResources: pageRows.map((r) => ({ ResourceName: r.resource_name, ResourceType: r.resource_type, TagKey: r.key, TagValue: r.value })),
    };
  },
};
