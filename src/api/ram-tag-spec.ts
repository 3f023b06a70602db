/**
 * RAM's tag actions (TagResources, UntagResources, ListTagResources, and CreateRole's `Tag`),
 * which Terraform's alicloud_ram_role and alicloud_ram_policy call on every read. RAM added them
 * to its 2015-05-01 API after the metadata in shared/ecs-api was taken, so their spec is written
 * here in the generated format, from RAM's API reference: ResourceType role | policy, up to 50
 * ResourceNames and 20 tags, lists sent as JSON strings as the SDK's `…Shrink` fields do.
 * Merged into the ram product by src/api/spec.ts; when the metadata gains them, delete this file.
 */
import type { ActionSpec, ParamSpec } from './spec-types.js';

const resourceType: ParamSpec = { n: 'ResourceType', t: 'string', r: 1, e: ['role', 'policy'] };
const resourceNames = (r: boolean): ParamSpec => ({ n: 'ResourceNames', t: 'array', ...(r ? { r: 1 as const } : {}), maxItems: 50, items: { t: 'string' }, s: 'json' });
const tags = (r: boolean): ParamSpec => ({
  n: 'Tag', t: 'array', ...(r ? { r: 1 as const } : {}), maxItems: 20, items: { t: 'object', props: { Key: { t: 'string' }, Value: { t: 'string' } } }, s: 'json',
});

export const ramTagActions: Record<string, ActionSpec> = {
  TagResources: { p: [resourceType, resourceNames(true), tags(true)], e: {}, r: { RequestId: 's' } },
  UntagResources: {
    p: [resourceType, resourceNames(true), { n: 'TagKeys', t: 'array', maxItems: 20, items: { t: 'string' }, s: 'json' }, { n: 'All', t: 'boolean', def: 'false' }],
    e: {}, r: { RequestId: 's' },
  },
  ListTagResources: {
    p: [resourceType, resourceNames(false), tags(false), { n: 'NextToken', t: 'string' }, { n: 'PageSize', t: 'integer', min: 1, max: 100, def: '50' }],
    e: {},
    r: { RequestId: 's', NextToken: 's', IsTruncated: 'b', TagResources: [{ ResourceName: 's', ResourceType: 's', TagKey: 's', TagValue: 's' }] },
  },
};

/** CreateRole's tags, as the current API takes them. */
export const createRoleTag: ParamSpec = tags(false);
