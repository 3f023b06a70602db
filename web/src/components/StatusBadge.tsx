import { Badge } from 'antd';
import { badgeOf } from './status';

export function StatusBadge({ status }: { status: string }) {
  return <Badge status={badgeOf(status)} text={<span data-testid="status">{status}</span>} />;
}
