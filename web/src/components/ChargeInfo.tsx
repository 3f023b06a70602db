/** An instance's billing at a glance: charge type, and for a subscription its expiry or the expiry stop. */
import { Tag } from 'antd';
import type { Instance } from '../api/types';
import { chargeTypeLabel, expiryText, isExpiryLocked, isSpot, isSubscription } from './subscription';

export function ChargeInfo({ instance: i }: { instance: Instance }) {
  return (
    <div data-testid="charge-info">
      <span data-testid="charge-type">{chargeTypeLabel(i.InstanceChargeType)}</span>
      {isSpot(i) && <Tag color="gold" style={{ marginLeft: 6 }} data-testid="spot">Spot</Tag>}
      {isSubscription(i) && <div style={{ color: '#888' }} data-testid="expiry">Expires {expiryText(i.ExpiredTime)}</div>}
      {isExpiryLocked(i) && <Tag color="error" data-testid="expiry-locked">Expired, stopped — renew</Tag>}
    </div>
  );
}
