/** VPCs and their VSwitches (VPC API, Version 2016-04-28). */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Popconfirm, Select, Table, Tabs } from 'antd';
import { useState } from 'react';
import type { VSwitch, Vpc } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useVpcs, useZones } from '../hooks/useOptions';
import { useFormDefaults } from '../hooks/useFormDefaults';
import { useServerList } from '../hooks/useServerList';

const VPC_CIDRS = ['192.168.0.0/16', '172.16.0.0/12', '10.0.0.0/8'];

function CreateVpcModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { VpcName?: string; CidrBlock: string; Description?: string }) => {
    if (await run('Create VPC', () => client.call('CreateVpc', { RegionId: region, ...v }))) onClose(true);
  };
  return (
    <Modal open title="Create VPC" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'vpc-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ CidrBlock: VPC_CIDRS[0] }}>
        <Form.Item label="Name" name="VpcName"><Input data-testid="vpc-name" /></Form.Item>
        <Form.Item label="IPv4 CIDR block" name="CidrBlock" rules={[{ required: true }]}>
          <Select options={VPC_CIDRS.map((c) => ({ value: c, label: c }))} />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

function CreateVSwitchModal({ vpcId, onClose }: { vpcId?: string; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const vpcs = useVpcs();
  const zones = useZones();
  const [form] = Form.useForm();
  const submit = async (v: { VpcId: string; ZoneId: string; CidrBlock: string; VSwitchName?: string }) => {
    if (await run('Create VSwitch', () => client.call('CreateVSwitch', { RegionId: region, ...v }))) onClose(true);
  };
  const zone = zones.data?.[0]?.ZoneId;
  useFormDefaults(form, { VpcId: vpcId ?? vpcs.data?.[0]?.VpcId, ZoneId: zone });
  return (
    <Modal open title="Create VSwitch" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'vsw-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label="VPC" name="VpcId" rules={[{ required: true }]}>
          <Select loading={vpcs.loading} options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: `${v.VpcName || v.VpcId} (${v.CidrBlock})` }))} />
        </Form.Item>
        <Form.Item label="Zone" name="ZoneId" rules={[{ required: true }]}>
          <Select loading={zones.loading} options={(zones.data ?? []).map((z) => ({ value: z.ZoneId, label: z.ZoneId }))} />
        </Form.Item>
        <Form.Item label="IPv4 CIDR block" name="CidrBlock" rules={[{ required: true }]} extra="Inside the VPC's block, mask /16 to /29.">
          <Input placeholder="192.168.1.0/24" data-testid="vsw-cidr" />
        </Form.Item>
        <Form.Item label="Name" name="VSwitchName"><Input data-testid="vsw-name" /></Form.Item>
      </Form>
    </Modal>
  );
}

function VpcTable({ onVSwitches }: { onVSwitches(vpcId: string): void }) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [creating, setCreating] = useState(false);
  const list = useServerList<Vpc>(async (q) => {
    const r = await client.call('DescribeVpcs', { RegionId: region, PageNumber: q.pageNumber, PageSize: q.pageSize });
    return { items: r.Vpcs.Vpc, total: r.TotalCount };
  }, [region], { transitional: (v) => isTransitional(v.Status) });
  return (
    <>
      <PageHeader title="VPCs" extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-vpc">Create VPC</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing VPCs" />
      <Table<Vpc> rowKey="VpcId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="vpcs-table"
        columns={[
          { title: 'VPC', render: (_, v) => <>{v.VpcId}<div style={{ color: '#888' }}>{v.VpcName}</div></> },
          { title: 'CIDR', dataIndex: 'CidrBlock' },
          { title: 'Status', render: (_, v) => <StatusBadge status={v.Status} /> },
          { title: 'VSwitches', render: (_, v) => <a onClick={() => onVSwitches(v.VpcId)}>{v.VSwitchIds?.VSwitchId.length ?? 0}</a> },
          { title: 'Default', render: (_, v) => (v.IsDefault ? 'yes' : 'no') },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, v) => (
              <Popconfirm title={`Delete ${v.VpcId}?`} onConfirm={async () => { if (await run('Delete VPC', () => client.call('DeleteVpc', { RegionId: region, VpcId: v.VpcId }))) list.reload(); }}>
                <Button size="small" danger>Delete</Button>
              </Popconfirm>
            ),
          },
        ]} />
      {creating && <CreateVpcModal onClose={(c) => { setCreating(false); if (c) list.reload(); }} />}
    </>
  );
}

function VSwitchTable({ vpcId, setVpcId }: { vpcId?: string; setVpcId(v?: string): void }) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const vpcs = useVpcs();
  const [creating, setCreating] = useState(false);
  const list = useServerList<VSwitch>(async (q) => {
    const r = await client.call('DescribeVSwitches', { RegionId: region, VpcId: vpcId, PageNumber: q.pageNumber, PageSize: q.pageSize });
    return { items: r.VSwitches.VSwitch, total: r.TotalCount };
  }, [region, vpcId], { transitional: (v) => isTransitional(v.Status) });
  return (
    <>
      <PageHeader title="VSwitches" extra={<>
        <Select allowClear placeholder="All VPCs" value={vpcId} onChange={setVpcId} style={{ width: 240 }}
          options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: v.VpcName || v.VpcId }))} />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-vswitch">Create VSwitch</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing VSwitches" />
      <Table<VSwitch> rowKey="VSwitchId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="vswitches-table"
        columns={[
          { title: 'VSwitch', render: (_, v) => <>{v.VSwitchId}<div style={{ color: '#888' }}>{v.VSwitchName}</div></> },
          { title: 'VPC', dataIndex: 'VpcId' },
          { title: 'Zone', dataIndex: 'ZoneId' },
          { title: 'CIDR', dataIndex: 'CidrBlock' },
          { title: 'Free IPs', dataIndex: 'AvailableIpAddressCount' },
          { title: 'Status', render: (_, v) => <StatusBadge status={v.Status} /> },
          {
            title: 'Actions', render: (_, v) => (
              <Popconfirm title={`Delete ${v.VSwitchId}?`} onConfirm={async () => { if (await run('Delete VSwitch', () => client.call('DeleteVSwitch', { RegionId: region, VSwitchId: v.VSwitchId }))) list.reload(); }}>
                <Button size="small" danger>Delete</Button>
              </Popconfirm>
            ),
          },
        ]} />
      {creating && <CreateVSwitchModal vpcId={vpcId} onClose={(c) => { setCreating(false); if (c) list.reload(); }} />}
    </>
  );
}

export function Vpcs() {
  const [tab, setTab] = useState('vpcs');
  const [vpcId, setVpcId] = useState<string>();
  return (
    <Tabs activeKey={tab} onChange={setTab} items={[
      { key: 'vpcs', label: <span data-testid="tab-vpcs">VPCs</span>, children: <VpcTable onVSwitches={(id) => { setVpcId(id); setTab('vswitches'); }} /> },
      { key: 'vswitches', label: <span data-testid="tab-vswitches">VSwitches</span>, children: <VSwitchTable vpcId={vpcId} setVpcId={setVpcId} /> },
    ]} />
  );
}
