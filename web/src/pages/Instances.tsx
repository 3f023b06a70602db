/** Instances: server-side filters and paging; rows in transitional states keep refreshing. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Instance } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { ChargeInfo } from '../components/ChargeInfo';
import { CHARGE_TYPE_LABELS } from '../components/subscription';
import { InstanceActions } from '../components/InstanceActions';
import { PageHeader } from '../components/PageHeader';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { TagList } from '../components/TagList';
import { useConsole } from '../hooks/console';
import { useServerList } from '../hooks/useServerList';
import { Link, navigate } from '../router';
import { SubscriptionActions } from './SubscriptionActions';

const STATUSES = ['Pending', 'Starting', 'Running', 'Stopping', 'Stopped'];

/** The billing filter: a charge type (InstanceChargeType), or stopped for expiry (LockReason financial). */
const BILLING_FILTERS = [
  ...Object.entries(CHARGE_TYPE_LABELS).map(([value, label]) => ({ value, label })),
  { value: 'financial', label: 'Expired, stopped' },
];
const billingFilter = (v?: string) => (v === 'financial' ? { LockReason: v } : { InstanceChargeType: v });

/** Memory in GiB from the answer's MiB (`-` when left out). */
export const gib = (mib?: number) => (mib === undefined ? '-' : mib / 1024);

export const ipsOf = (i: Instance) => [
  ...(i.VpcAttributes?.PrivateIpAddress?.IpAddress ?? []),
  ...(i.PublicIpAddress?.IpAddress ?? []).map((ip) => `${ip} (public)`),
  ...(i.EipAddress?.IpAddress ? [`${i.EipAddress.IpAddress} (EIP)`] : []),
].join(', ');

export function Instances() {
  const { client, region } = useConsole();
  const [name, setName] = useState('');
  const [status, setStatus] = useState<string>();
  const [billing, setBilling] = useState<string>();
  const list = useServerList<Instance>(async (q) => {
    const r = await client.call('DescribeInstances', {
      RegionId: region, PageNumber: q.pageNumber, PageSize: q.pageSize, InstanceName: name || undefined, Status: status,
      ...billingFilter(billing),
    });
    return { items: itemsWith(r.Instances?.Instance, 'InstanceId'), total: r.TotalCount };
  }, [region, name, status, billing], { transitional: (i) => isTransitional(i.Status) });

  return (
    <>
      <PageHeader title="Instances" extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/instances/create')} data-testid="create-instance">Create instance</Button>
      </>} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search placeholder="Instance name" allowClear onSearch={setName} style={{ width: 240 }} />
        <Select placeholder="Status" allowClear value={status} onChange={setStatus} style={{ width: 160 }} options={STATUSES.map((s) => ({ value: s, label: s }))} />
        <Select placeholder="Billing" allowClear value={billing} onChange={setBilling} style={{ width: 200 }} data-testid="billing-filter" options={BILLING_FILTERS} />
      </Space>
      <ApiErrorAlert error={list.error} what="Listing instances" />
      <Table<Instance>
        rowKey="InstanceId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination}
        data-testid="instances-table"
        columns={[
          { title: 'Instance', render: (_, i) => <><Link to={`/instances/${i.InstanceId}`}>{i.InstanceId}</Link><div style={{ color: '#888' }}>{i.InstanceName}</div></> },
          { title: 'Status', render: (_, i) => <StatusBadge status={i.Status} /> },
          { title: 'Zone', dataIndex: 'ZoneId' },
          { title: 'Type', render: (_, i) => <>{i.InstanceType}<div style={{ color: '#888' }}>{i.Cpu} vCPU, {gib(i.Memory)} GiB</div></> },
          { title: 'IP addresses', render: (_, i) => ipsOf(i) || '-' },
          { title: 'Billing', render: (_, i) => <ChargeInfo instance={i} /> },
          { title: 'Tags', render: (_, i) => <TagList tags={i.Tags} /> },
          { title: 'Created', dataIndex: 'CreationTime' },
          { title: 'Actions', render: (_, i) => <Space size={4} wrap><InstanceActions instance={i} onDone={list.reload} /><SubscriptionActions instance={i} onDone={list.reload} /></Space> },
        ]}
      />
    </>
  );
}
