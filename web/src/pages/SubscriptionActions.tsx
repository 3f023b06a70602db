/** Renew and auto-renew of a subscription instance, from the instance list and detail. */
import { Button, Space } from 'antd';
import { useState } from 'react';
import type { Instance } from '../api/types';
import { AutoRenewModal, RenewModal } from './SubscriptionModals';
import { isSubscription } from '../components/subscription';

export function SubscriptionActions({ instance: i, onDone, size = 'small' }: { instance: Instance; onDone(): void; size?: 'small' | 'middle' }) {
  const [open, setOpen] = useState<'renew' | 'auto-renew'>();
  if (!isSubscription(i)) return null;
  const close = (changed?: boolean) => { setOpen(undefined); if (changed) onDone(); };
  return (
    <Space size={4}>
      <Button size={size} onClick={() => setOpen('renew')} data-testid="renew">Renew</Button>
      <Button size={size} onClick={() => setOpen('auto-renew')} data-testid="auto-renew">Auto-renew</Button>
      {open === 'renew' && <RenewModal instance={i} onClose={close} />}
      {open === 'auto-renew' && <AutoRenewModal instance={i} onClose={close} />}
    </Space>
  );
}
