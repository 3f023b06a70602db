/** Tags as the VPC API renders them (`Tags.Tag[]` of {Key, Value}, not ECS's {TagKey, TagValue}). */
import { Tag as AntTag } from 'antd';

export interface KeyValue { Key?: string; Value?: string }

export function KeyValueTags({ tags }: { tags?: { Tag?: KeyValue[] } }) {
  const list = tags?.Tag ?? [];
  if (!list.length) return <span style={{ color: '#bbb' }}>-</span>;
  return <>{list.map((t) => <AntTag key={t.Key} data-testid="resource-tag">{t.Key}{t.Value ? `: ${t.Value}` : ''}</AntTag>)}</>;
}
