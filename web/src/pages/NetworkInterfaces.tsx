/**
 * Elastic network interfaces (ECS API): list with type, status, VSwitch, addresses, MAC, instance
 * and groups; create a secondary ENI; attach it to an instance of its zone and VPC, detach it,
 * delete it. The list polls while an ENI is Creating, Attaching, Detaching or Deleting.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith, stringsOf } from '../api/answers';
import type { NetworkInterface } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useServerList } from '../hooks/useServerList';
import { Link } from '../router';
import { DetachEniButton } from './NetworkAddressActions';
import { AttachEniModal, CreateEniModal } from './NetworkAddressModals';

/** An ENI's private addresses, primary first, each with the EIP mapped to it. */
export function EniAddresses({ eni }: { eni: NetworkInterface }) {
  const sets = eni.PrivateIpSets?.PrivateIpSet ?? [];
  if (!sets.length) return <>{eni.PrivateIpAddress ?? '-'}</>;
  return <>{sets.map((p) => (
    <div key={p.PrivateIpAddress} data-testid="eni-ip-address">
      {p.PrivateIpAddress}{p.Primary ? ' (primary)' : ''}{p.AssociatedPublicIp?.PublicIpAddress ? ` → ${p.AssociatedPublicIp.PublicIpAddress}` : ''}
    </div>
  ))}</>;
}

export function EniGroups({ eni }: { eni: NetworkInterface }) {
  return <>{stringsOf(eni.SecurityGroupIds?.SecurityGroupId).map((g) => <div key={g}><Link to={`/security-groups/${g}`}>{g}</Link></div>)}</>;
}

export function NetworkInterfaces() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [type, setType] = useState<string>();
  const [name, setName] = useState('');
  const [modal, setModal] = useState<{ kind: 'create' } | { kind: 'attach'; eni: NetworkInterface }>();
  const list = useServerList<NetworkInterface>(async (q) => {
    const r = await client.call('DescribeNetworkInterfaces', {
      RegionId: region, Type: type, NetworkInterfaceName: name || undefined, PageNumber: q.pageNumber, PageSize: q.pageSize,
    });
    return { items: itemsWith(r.NetworkInterfaceSets?.NetworkInterfaceSet, 'NetworkInterfaceId'), total: r.TotalCount };
  }, [region, type, name], { transitional: (n) => isTransitional(n.Status) });
  const remove = async (n: NetworkInterface) => {
    if (await run('Delete network interface', () => client.call('DeleteNetworkInterface', { RegionId: region, NetworkInterfaceId: n.NetworkInterfaceId }))) list.reload();
  };
  const close = (changed?: boolean) => { setModal(undefined); if (changed) list.reload(); };
  return (
    <>
      <PageHeader title="Network interfaces" extra={<>
        <Select allowClear placeholder="Any type" value={type} onChange={setType} style={{ width: 140 }} data-testid="eni-type-filter"
          options={[{ value: 'Primary', label: 'Primary' }, { value: 'Secondary', label: 'Secondary' }]} />
        <Input.Search allowClear placeholder="Exact name" onSearch={setName} style={{ width: 200 }} data-testid="eni-search" />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ kind: 'create' })} data-testid="create-eni">Create network interface</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing network interfaces" />
      <Table<NetworkInterface> rowKey="NetworkInterfaceId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination}
        data-testid="enis-table" scroll={{ x: 'max-content' }}
        columns={[
          { title: 'Network interface', render: (_, n) => <><span style={{ whiteSpace: 'nowrap' }}>{n.NetworkInterfaceId}</span><div style={{ color: '#888' }}>{n.NetworkInterfaceName}</div></> },
          { title: 'Type', dataIndex: 'Type' },
          { title: 'Status', render: (_, n) => <StatusBadge status={n.Status} /> },
          { title: 'VSwitch', render: (_, n) => <>{n.VSwitchId}<div style={{ color: '#888' }}>{n.VpcId} · {n.ZoneId}</div></> },
          { title: 'Private IP', render: (_, n) => <EniAddresses eni={n} /> },
          { title: 'MAC', dataIndex: 'MacAddress' },
          { title: 'Instance', render: (_, n) => <span data-testid="eni-instance">{n.InstanceId ? <Link to={`/instances/${n.InstanceId}`}>{n.InstanceId}</Link> : '-'}</span> },
          { title: 'Security groups', render: (_, n) => <EniGroups eni={n} /> },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, n) => n.Type !== 'Secondary' ? null : (
              <Space>
                {n.InstanceId
                  ? <DetachEniButton eni={n} onDone={list.reload} />
                  : <Button size="small" disabled={n.Status !== 'Available'} onClick={() => setModal({ kind: 'attach', eni: n })} data-testid="eni-attach">Attach</Button>}
                <Popconfirm title={`Delete ${n.NetworkInterfaceId}?`} onConfirm={() => remove(n)} okButtonProps={{ 'data-testid': 'confirm-delete-eni' }}>
                  <Button size="small" danger disabled={n.Status !== 'Available'} data-testid="eni-delete">Delete</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      {modal?.kind === 'create' && <CreateEniModal onClose={close} />}
      {modal?.kind === 'attach' && <AttachEniModal eni={modal.eni} onClose={close} />}
    </>
  );
}
