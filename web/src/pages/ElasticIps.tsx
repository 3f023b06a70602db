/**
 * Elastic IP addresses (VPC API 2016-04-28): allocate, associate with an instance or a secondary
 * ENI, unassociate, edit bandwidth and name, release. The list polls while an EIP is Associating,
 * Unassociating or Releasing; refusals (IncorrectEipStatus, InvalidAssociation.Duplicated, ...)
 * are shown with their code and message.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Eip } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { KeyValueTags } from '../components/KeyValueTags';
import { PageHeader } from '../components/PageHeader';
import { EIP_STATUSES, isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useServerList } from '../hooks/useServerList';
import { Link } from '../router';
import { UnassociateEipButton } from './NetworkAddressActions';
import { AllocateEipModal, AssociateEipModal, EditEipModal } from './NetworkAddressModals';

/** Where an EIP points: an instance (linked) or a secondary ENI, with the private address it maps to. */
export function EipTarget({ eip }: { eip: Eip }) {
  if (!eip.InstanceId) return <>-</>;
  const to = eip.InstanceType === 'NetworkInterface' ? '/network-interfaces' : `/instances/${eip.InstanceId}`;
  return <><Link to={to}>{eip.InstanceId}</Link><div style={{ color: '#888' }}>{eip.InstanceType}{eip.PrivateIpAddress ? ` → ${eip.PrivateIpAddress}` : ''}</div></>;
}

export function ElasticIps() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [status, setStatus] = useState<string>();
  const [address, setAddress] = useState('');
  const [modal, setModal] = useState<{ kind: 'allocate' } | { kind: 'associate' | 'edit'; eip: Eip }>();
  const list = useServerList<Eip>(async (q) => {
    const r = await client.call('DescribeEipAddresses', { RegionId: region, Status: status, EipAddress: address || undefined, PageNumber: q.pageNumber, PageSize: q.pageSize });
    return { items: itemsWith(r.EipAddresses?.EipAddress, 'AllocationId'), total: r.TotalCount };
  }, [region, status, address], { transitional: (e) => isTransitional(e.Status) });
  const release = async (e: Eip) => {
    if (await run('Release EIP', () => client.call('ReleaseEipAddress', { RegionId: region, AllocationId: e.AllocationId }))) list.reload();
  };
  const close = (changed?: boolean) => { setModal(undefined); if (changed) list.reload(); };
  return (
    <>
      <PageHeader title="Elastic IP addresses" extra={<>
        <Select allowClear placeholder="Any status" value={status} onChange={setStatus} style={{ width: 150 }} options={EIP_STATUSES.map((s) => ({ value: s, label: s }))} data-testid="eip-status-filter" />
        <Input.Search allowClear placeholder="Address" onSearch={setAddress} style={{ width: 200 }} data-testid="eip-search" />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal({ kind: 'allocate' })} data-testid="allocate-eip">Allocate EIP</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing EIPs" />
      <Table<Eip> rowKey="AllocationId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="eips-table" scroll={{ x: 'max-content' }}
        columns={[
          { title: 'Address', render: (_, e) => <><span data-testid="eip-address">{e.IpAddress}</span><div style={{ color: '#888' }}>{e.AllocationId}{e.Name ? ` · ${e.Name}` : ''}</div></> },
          { title: 'Status', render: (_, e) => <StatusBadge status={e.Status} /> },
          { title: 'Bandwidth', render: (_, e) => <span data-testid="eip-bandwidth-cell">{e.Bandwidth} Mbit/s</span> },
          { title: 'Metering', render: (_, e) => `${e.InternetChargeType ?? ''} (${e.ChargeType ?? ''})` },
          { title: 'Associated with', render: (_, e) => <span data-testid="eip-instance"><EipTarget eip={e} /></span> },
          { title: 'Tags', render: (_, e) => <KeyValueTags tags={e.Tags} /> },
          { title: 'Allocated', dataIndex: 'AllocationTime' },
          {
            title: 'Actions', render: (_, e) => (
              <Space>
                {e.InstanceId
                  ? <UnassociateEipButton eip={e} onDone={list.reload} />
                  : <Button size="small" disabled={e.Status !== 'Available'} onClick={() => setModal({ kind: 'associate', eip: e })} data-testid="eip-associate">Associate</Button>}
                <Button size="small" onClick={() => setModal({ kind: 'edit', eip: e })} data-testid="eip-edit">Edit</Button>
                <Popconfirm title={`Release ${e.IpAddress}?`} onConfirm={() => release(e)} okButtonProps={{ 'data-testid': 'confirm-release-eip' }}>
                  <Button size="small" danger data-testid="eip-release">Release</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      {modal?.kind === 'allocate' && <AllocateEipModal onClose={close} />}
      {modal?.kind === 'associate' && <AssociateEipModal eip={modal.eip} onClose={close} />}
      {modal?.kind === 'edit' && <EditEipModal eip={modal.eip} onClose={close} />}
    </>
  );
}
