import { Tag as AntTag } from 'antd';
import type { Tag } from '../api/types';

export function TagList({ tags }: { tags?: { Tag?: Tag[] } }) {
  const list = tags?.Tag ?? [];
  if (!list.length) return <span style={{ color: '#bbb' }}>-</span>;
  return <>{list.map((t) => <AntTag key={t.TagKey}>{t.TagKey}{t.TagValue ? `: ${t.TagValue}` : ''}</AntTag>)}</>;
}
