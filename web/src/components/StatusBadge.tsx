import { Badge } from 'antd';
import { badgeOf } from './status';

/** An answer that left the status out shows a dash. */
export function StatusBadge({ status }: { status?: string }) {
  return <Badge status={badgeOf(status ?? '')} text={<span data-testid="status">{status ?? '-'}</span>} />;
}
