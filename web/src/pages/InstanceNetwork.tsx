/**
 * An instance's network tab: its public address (NAT or EIP) and its ENIs, primary and secondary,
 * with their private addresses; associate an EIP and attach an ENI from this side, unassociate
 * and detach too. Polls while anything here is changing (Associating, Attaching, ...).
 */
import { Button, Descriptions, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Instance, NetworkInterface } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useApiData } from '../hooks/useApiData';
import { usePolling } from '../hooks/usePolling';
import { DetachEniButton, UnassociateEipButton } from './NetworkAddressActions';
import { AssociateEipModal, AttachEniModal } from './NetworkAddressModals';
import { EniAddresses, EniGroups } from './NetworkInterfaces';

export function InstanceNetwork({ instance, onChanged }: { instance: Instance; onChanged(): void }) {
  const { client, region } = useConsole();
  const [modal, setModal] = useState<'eip' | 'eni'>();
  const id = instance.InstanceId;
  const enis = useApiData(async () => itemsWith((await client.call('DescribeNetworkInterfaces', { RegionId: region, InstanceId: id, PageSize: 100 }))
    .NetworkInterfaceSets?.NetworkInterfaceSet, 'NetworkInterfaceId'), [region, id]);
  const eips = useApiData(async () => itemsWith((await client.call('DescribeEipAddresses', { RegionId: region, AssociatedInstanceId: id, AssociatedInstanceType: 'EcsInstance' }))
    .EipAddresses?.EipAddress, 'AllocationId'), [region, id]);
  const reload = () => { enis.reload(); eips.reload(); onChanged(); };
  const busy = (enis.data ?? []).some((n) => isTransitional(n.Status)) || (eips.data ?? []).some((e) => isTransitional(e.Status));
  usePolling(reload, busy);
  const eip = eips.data?.[0];
  const nat = instance.PublicIpAddress?.IpAddress ?? [];
  const primary = (enis.data ?? []).filter((n) => n.Type === 'Primary');
  const sorted = [...primary, ...(enis.data ?? []).filter((n) => n.Type !== 'Primary')];
  const close = (changed?: boolean) => { setModal(undefined); if (changed) reload(); };
  return (
    <>
      <ApiErrorAlert error={eips.error} what="Reading the instance's EIP" />
      <Descriptions bordered column={1} size="small" style={{ marginBottom: 16 }} data-testid="instance-public-address">
        <Descriptions.Item label="Private addresses">{(instance.VpcAttributes?.PrivateIpAddress?.IpAddress ?? []).join(', ') || '-'}</Descriptions.Item>
        <Descriptions.Item label="Public address">
          {nat.length ? <span data-testid="instance-nat-ip">{nat.join(', ')} (NAT public address)</span>
            : eip ? <Space><span data-testid="instance-eip">{eip.IpAddress}</span><span style={{ color: '#888' }}>{eip.AllocationId} · {eip.Bandwidth} Mbit/s</span>
                <StatusBadge status={eip.Status} /><UnassociateEipButton eip={eip} onDone={reload} /></Space>
            : <Space><span data-testid="instance-eip">-</span>
                <Button size="small" onClick={() => setModal('eip')} data-testid="instance-associate-eip"
                  disabled={instance.Status !== 'Running' && instance.Status !== 'Stopped'}>Associate EIP</Button></Space>}
        </Descriptions.Item>
      </Descriptions>
      <Space style={{ marginBottom: 8 }}>
        <h4 style={{ margin: 0 }}>Network interfaces</h4>
        <Button size="small" onClick={() => setModal('eni')} data-testid="instance-attach-eni"
          disabled={instance.Status !== 'Running' && instance.Status !== 'Stopped'}>Attach network interface</Button>
      </Space>
      <ApiErrorAlert error={enis.error} what="Reading the instance's network interfaces" />
      <Table<NetworkInterface> rowKey="NetworkInterfaceId" size="small" pagination={false} loading={enis.loading} dataSource={sorted} data-testid="instance-enis-table"
        columns={[
          { title: 'Network interface', render: (_, n) => <>{n.NetworkInterfaceId}<div style={{ color: '#888' }}>{n.NetworkInterfaceName}</div></> },
          { title: 'Type', dataIndex: 'Type' },
          { title: 'Status', render: (_, n) => <StatusBadge status={n.Status} /> },
          { title: 'Private IP', render: (_, n) => <EniAddresses eni={n} /> },
          { title: 'VSwitch', dataIndex: 'VSwitchId' },
          { title: 'MAC', dataIndex: 'MacAddress' },
          { title: 'Security groups', render: (_, n) => <EniGroups eni={n} /> },
          { title: 'Actions', render: (_, n) => (n.Type === 'Secondary' ? <DetachEniButton eni={n} onDone={reload} /> : null) },
        ]} />
      {modal === 'eip' && <AssociateEipModal instance={instance} onClose={close} />}
      {modal === 'eni' && <AttachEniModal instance={instance} onClose={close} />}
    </>
  );
}
