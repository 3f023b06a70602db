/** Tag rules shared by every taggable resource (api-protocol.md §3.6; SPEC.md: 20 per resource). */
import { EcsError } from './errors.js';

export const MAX_TAGS_PER_RESOURCE = 20;

export interface Tag { Key: string; Value: string }

export function checkTagKey(key: string): void {
  if (!key || key.length > 128 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//i.test(key)) {
    throw new EcsError('InvalidTagKey.Malformed', `The specified Tag.n.Key "${key}" is not valid: 1 to 128 characters, not starting with aliyun or acs:, without http:// or https://.`);
  }
}

/** The API metadata of TagResources/CreateKeyPair: values may be empty but not start with `acs:`. */
export function checkTagValue(value: string): void {
  if (value.length > 128 || /^acs:/i.test(value) || /https?:\/\//i.test(value)) {
    throw new EcsError('InvalidTagValue.Malformed', `The specified Tag.n.Value "${value}" is not valid: at most 128 characters, not starting with acs:, without http:// or https://.`);
  }
}

/** Normalizes a `Tag.N.Key/Value` list from the request (either key casing) and checks it. */
export function tagsFromParams(list: unknown): Tag[] {
  if (!Array.isArray(list)) return [];
  const tags: Tag[] = [];
  const seen = new Set<string>();
  for (const t of list as Record<string, unknown>[]) {
    const key = String(t.Key ?? t.key ?? '');
    const value = String(t.Value ?? t.value ?? '');
    if (!key && !value) continue;
    checkTagKey(key);
    checkTagValue(value);
    // Duplicate.TagKey: the code every tagging action's metadata lists.
    if (seen.has(key)) throw new EcsError('Duplicate.TagKey', `The Tag.N.Key contain duplicate key "${key}".`, 400);
    seen.add(key);
    tags.push({ Key: key, Value: value });
  }
  return tags;
}

/**
 * The resource types of the tag actions (TagResources/ListTagResources ResourceType, lower case)
 * and the DescribeTags `ResourceTypeCount` field each is counted in ('' when it has none).
 */
export const TAG_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  instance: 'Instance', disk: 'Disk', snapshot: 'Snapshot', image: 'Image', securitygroup: 'Securitygroup',
  volume: 'Volume', eni: 'Eni', ddh: 'Ddh', ddhcluster: '', keypair: 'KeyPair', launchtemplate: 'LaunchTemplate',
  reservedinstance: 'ReservedInstance', snapshotpolicy: 'SnapshotPolicy', elasticityassurance: '',
  capacityreservation: '', command: '', invocation: '', activation: '', managedinstance: '',
};

export function checkTagResourceType(type: string): void {
  if (!Object.hasOwn(TAG_RESOURCE_TYPES, type)) {
    throw new EcsError('InvalidResourceType.NotFound', `The ResourceType "${type}" provided does not exist in our records: use one of ${Object.keys(TAG_RESOURCE_TYPES).join(', ')}.`);
  }
}

/** The per-request limits of TagResources/UntagResources/ListTagResources (API metadata). */
export const MAX_RESOURCES_PER_TAG_CALL = 50;
export const MAX_TAGS_PER_TAG_CALL = 20;

/**
 * ListTagResources TagFilter.N: a key pattern (`env`, `env*`, `*env*`) with no values, or an exact
 * key with value patterns, any of which may match. `*` matches any run of characters.
 */
export function matchesTagPattern(pattern: string, text: string): boolean {
  if (!pattern.includes('*')) return pattern === text;
  const re = new RegExp('^' + pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 's');
  return re.test(text);
}

export interface TagFilterSpec { key: string; values: string[] }

/** Checks the TagFilter.N rules: a key is required; a key with `*` takes no values. */
export function tagFiltersFromParams(list: unknown): TagFilterSpec[] {
  if (!Array.isArray(list)) return [];
  return (list as Record<string, unknown>[]).map((f, i) => {
    const key = String(f.TagKey ?? '');
    const values = Array.isArray(f.TagValues) ? (f.TagValues as unknown[]).map(String).filter((v) => v !== '') : [];
    if (!key) throw new EcsError('InvalidTagFilter.Malformed', `The specified TagFilter.${i + 1}.TagKey is missing.`, 403);
    if (key.includes('*') && values.length) {
      throw new EcsError('InvalidTagFilter.Malformed', `The specified TagFilter.${i + 1} is not valid: a fuzzy TagKey "${key}" takes no TagValues.`, 403);
    }
    if (values.length > 5) throw new EcsError('NumberExceed.TagValues', 'The number of the specified TagValues is beyond permitted range, the max is 5.', 403);
    return { key, values };
  });
}

/** Whether a resource's tags satisfy every filter (keys intersect, values of one key unite). */
export function tagsMatchFilters(tags: readonly Tag[], filters: readonly TagFilterSpec[]): boolean {
  return filters.every((f) => tags.some((t) => matchesTagPattern(f.key, t.Key)
    && (f.values.length === 0 || f.values.some((v) => matchesTagPattern(v, t.Value)))));
}
