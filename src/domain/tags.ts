/** Tag rules shared by every taggable resource (api-protocol.md §3.6; SPEC.md: 20 per resource). */
import { EcsError } from '../api/errors.js';

export const MAX_TAGS_PER_RESOURCE = 20;

export interface Tag { Key: string; Value: string }

export function checkTagKey(key: string): void {
  if (!key || key.length > 128 || /^(aliyun|acs:)/i.test(key) || /https?:\/\//i.test(key)) {
    throw new EcsError('InvalidTagKey.Malformed', `The specified Tag.n.Key "${key}" is not valid: 1 to 128 characters, not starting with aliyun or acs:, without http:// or https://.`);
  }
}

export function checkTagValue(value: string): void {
  if (value.length > 128 || /https?:\/\//i.test(value)) {
    throw new EcsError('InvalidTagValue.Malformed', `The specified Tag.n.Value "${value}" is not valid: at most 128 characters, without http:// or https://.`);
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
    if (seen.has(key)) throw new EcsError('InvalidParameter.TagKeyDuplicate', `The tag key "${key}" is specified more than once.`, 400);
    seen.add(key);
    tags.push({ Key: key, Value: value });
  }
  return tags;
}
