/**
 * VPCs and their VSwitches (VPC API, Version 2016-04-28). The server filters and pages
 * (DescribeVpcs VpcName is an exact name, VpcId up to 20 comma-separated ids); a refused delete
 * (DependencyViolation.VSwitch, .SecurityGroup, .Instance) is shown with its code and message.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Popconfirm, Select, Space, Table, Tabs } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Vpc } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { KeyValueTags } from '../components/KeyValueTags';
import { PageHeader } from '../components/PageHeader';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useServerList } from '../hooks/useServerList';
import { CreateVpcModal, EditNetworkModal } from './VpcModals';
import { VSwitchTable } from './VSwitches';


function VpcTable({ onVSwitches }: { onVSwitches(vpcId: string): void }) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [by, setBy] = useState<'name' | 'id'>('name');
  const [text, setText] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<Vpc>();
  const list = useServerList<Vpc>(async (q) => {
    const r = await client.call('DescribeVpcs', {
      RegionId: region, VpcName: by === 'name' && text ? text : undefined, VpcId: by === 'id' && text ? text : undefined,
      PageNumber: q.pageNumber, PageSize: q.pageSize,
    });
    return { items: itemsWith(r.Vpcs?.Vpc, 'VpcId'), total: r.TotalCount };
  }, [region, by, text], { transitional: (v) => isTransitional(v.Status) });
  const remove = async (v: Vpc) => {
    if (await run('Delete VPC', () => client.call('DeleteVpc', { RegionId: region, VpcId: v.VpcId }))) list.reload();
  };
  return (
    <>
      <PageHeader title="VPCs" extra={<>
        <Space.Compact>
          <Select value={by} onChange={setBy} style={{ width: 100 }} options={[{ value: 'name', label: 'Name' }, { value: 'id', label: 'VPC ID' }]} data-testid="vpc-search-by" />
          <Input.Search allowClear placeholder={by === 'name' ? 'Exact VPC name' : 'vpc-… (comma separated)'} onSearch={setText} style={{ width: 260 }} data-testid="vpc-search" />
        </Space.Compact>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-vpc">Create VPC</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing VPCs" />
      <Table<Vpc> rowKey="VpcId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="vpcs-table" scroll={{ x: 'max-content' }}
        columns={[
          { title: 'VPC', render: (_, v) => <><span style={{ whiteSpace: 'nowrap' }}>{v.VpcId}</span><div style={{ color: '#888' }}>{v.VpcName}</div></> },
          { title: 'CIDR', dataIndex: 'CidrBlock' },
          { title: 'Status', render: (_, v) => <StatusBadge status={v.Status} /> },
          {
            title: 'VSwitches',
            render: (_, v) => <a onClick={() => onVSwitches(v.VpcId)} data-testid="vpc-vswitches">{v.VSwitchIds?.VSwitchId?.length ?? 0}</a>,
          },
          { title: 'Default', render: (_, v) => (v.IsDefault ? 'yes' : 'no') },
          { title: 'Tags', render: (_, v) => <KeyValueTags tags={v.Tags} /> },
          { title: 'Description', dataIndex: 'Description', ellipsis: true },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, v) => (
              <Space>
                <Button size="small" onClick={() => setEditing(v)} data-testid="vpc-edit">Edit</Button>
                <Popconfirm title={`Delete ${v.VpcId}?`} onConfirm={() => remove(v)} okButtonProps={{ 'data-testid': 'confirm-delete-vpc' }}>
                  <Button size="small" danger data-testid="vpc-delete">Delete</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      {creating && <CreateVpcModal onClose={(c) => { setCreating(false); if (c) list.reload(); }} />}
      {editing && <EditNetworkModal kind="VPC" id={editing.VpcId} name={editing.VpcName} description={editing.Description}
        onClose={(c) => { setEditing(undefined); if (c) list.reload(); }} />}
    </>
  );
}

export function Vpcs() {
  const [tab, setTab] = useState('vpcs');
  const [vpcId, setVpcId] = useState<string>();
  // Hidden tabs unmount so a tab shows fresh counts when reopened (VSwitch counts change under the other tab).
  return (
    <Tabs activeKey={tab} onChange={setTab} destroyOnHidden items={[
      { key: 'vpcs', label: <span data-testid="tab-vpcs">VPCs</span>, children: <VpcTable onVSwitches={(id) => { setVpcId(id); setTab('vswitches'); }} /> },
      { key: 'vswitches', label: <span data-testid="tab-vswitches">VSwitches</span>, children: <VSwitchTable vpcId={vpcId} setVpcId={setVpcId} /> },
    ]} />
  );
}
