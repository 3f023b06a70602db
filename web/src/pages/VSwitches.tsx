/** VSwitches of the region: filter by VPC, zone, name or ID (server-side, DescribeVSwitches), create, edit, delete. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Input, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { VSwitch } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { KeyValueTags } from '../components/KeyValueTags';
import { PageHeader } from '../components/PageHeader';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useVpcs, useZones } from '../hooks/useOptions';
import { useServerList } from '../hooks/useServerList';
import { CreateVSwitchModal, EditNetworkModal } from './VpcModals';


export function VSwitchTable({ vpcId, setVpcId }: { vpcId?: string; setVpcId(v?: string): void }) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const vpcs = useVpcs();
  const zones = useZones();
  const [zoneId, setZoneId] = useState<string>();
  const [by, setBy] = useState<'name' | 'id'>('name');
  const [text, setText] = useState('');
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<VSwitch>();
  const list = useServerList<VSwitch>(async (q) => {
    const r = await client.call('DescribeVSwitches', {
      RegionId: region, VpcId: vpcId, ZoneId: zoneId,
      VSwitchName: by === 'name' && text ? text : undefined, VSwitchId: by === 'id' && text ? text : undefined,
      PageNumber: q.pageNumber, PageSize: q.pageSize,
    });
    return { items: itemsWith(r.VSwitches?.VSwitch, 'VSwitchId'), total: r.TotalCount };
  }, [region, vpcId, zoneId, by, text], { transitional: (v) => isTransitional(v.Status) });
  const remove = async (v: VSwitch) => {
    if (await run('Delete VSwitch', () => client.call('DeleteVSwitch', { RegionId: region, VSwitchId: v.VSwitchId }))) list.reload();
  };
  return (
    <>
      <PageHeader title="VSwitches" extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-vswitch">Create VSwitch</Button>
      </>} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select allowClear placeholder="All VPCs" value={vpcId} onChange={setVpcId} style={{ width: 240 }} data-testid="vsw-filter-vpc"
          options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: v.VpcName ? `${v.VpcName} (${v.VpcId})` : v.VpcId }))} />
        <Select allowClear placeholder="All zones" value={zoneId} onChange={setZoneId} style={{ width: 200 }} data-testid="vsw-filter-zone"
          options={(zones.data ?? []).map((z) => ({ value: z.ZoneId, label: z.ZoneId }))} />
        <Space.Compact>
          <Select value={by} onChange={setBy} style={{ width: 110 }} options={[{ value: 'name', label: 'Name' }, { value: 'id', label: 'VSwitch ID' }]} />
          <Input.Search allowClear placeholder={by === 'name' ? 'Exact VSwitch name' : 'vsw-… (comma separated)'} onSearch={setText} style={{ width: 260 }} data-testid="vsw-search" />
        </Space.Compact>
      </Space>
      <ApiErrorAlert error={list.error} what="Listing VSwitches" />
      <Table<VSwitch> rowKey="VSwitchId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="vswitches-table" scroll={{ x: 'max-content' }}
        columns={[
          { title: 'VSwitch', render: (_, v) => <><span style={{ whiteSpace: 'nowrap' }}>{v.VSwitchId}</span><div style={{ color: '#888' }}>{v.VSwitchName}</div></> },
          { title: 'VPC', dataIndex: 'VpcId', render: (id: string) => <span style={{ whiteSpace: 'nowrap' }}>{id}</span> },
          { title: 'Zone', dataIndex: 'ZoneId' },
          { title: 'CIDR', dataIndex: 'CidrBlock' },
          { title: 'Available IPs', dataIndex: 'AvailableIpAddressCount', render: (n: number) => <span data-testid="available-ips">{n}</span> },
          { title: 'Status', render: (_, v) => <StatusBadge status={v.Status} /> },
          { title: 'Tags', render: (_, v) => <KeyValueTags tags={v.Tags} /> },
          { title: 'Description', dataIndex: 'Description', ellipsis: true },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, v) => (
              <Space>
                <Button size="small" onClick={() => setEditing(v)} data-testid="vsw-edit">Edit</Button>
                <Popconfirm title={`Delete ${v.VSwitchId}?`} onConfirm={() => remove(v)} okButtonProps={{ 'data-testid': 'confirm-delete-vswitch' }}>
                  <Button size="small" danger data-testid="vsw-delete">Delete</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      {creating && <CreateVSwitchModal vpcId={vpcId} zoneId={zoneId} onClose={(c) => { setCreating(false); if (c) list.reload(); }} />}
      {editing && <EditNetworkModal kind="VSwitch" id={editing.VSwitchId} name={editing.VSwitchName} description={editing.Description}
        onClose={(c) => { setEditing(undefined); if (c) list.reload(); }} />}
    </>
  );
}
