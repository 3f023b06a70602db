/** Security groups: list by VPC/name, create (basic or advanced), clone (SecurityGroupTools.tsx), delete. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Popconfirm, Radio, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { SecurityGroup } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { TagList } from '../components/TagList';
import { TagsInput } from '../components/TagsInput';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useVpcs } from '../hooks/useOptions';
import { useFormDefaults } from '../hooks/useFormDefaults';
import { useServerList } from '../hooks/useServerList';
import { Link } from '../router';
import { CloneModal, type GroupInfo } from './SecurityGroupTools';

function CreateModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const vpcs = useVpcs();
  const [form] = Form.useForm();
  useFormDefaults(form, { VpcId: vpcs.data?.[0]?.VpcId });
  const submit = async (v: Record<string, unknown>) => {
    const r = await run('Create security group', () => client.call('CreateSecurityGroup', { RegionId: region, ...(v as object) }));
    if (r) onClose(true);
  };
  return (
    <Modal open title="Create security group" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'sg-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ SecurityGroupType: 'normal' }}>
        <Form.Item label="Name" name="SecurityGroupName"><Input data-testid="sg-name" /></Form.Item>
        <Form.Item label="VPC" name="VpcId" rules={[{ required: true }]}>
          <Select loading={vpcs.loading} options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: `${v.VpcName || v.VpcId} (${v.CidrBlock})` }))} />
        </Form.Item>
        <Form.Item label="Type" name="SecurityGroupType" extra="Advanced groups: accept rules only, members isolated from each other.">
          <Radio.Group options={[{ value: 'normal', label: 'Basic' }, { value: 'enterprise', label: 'Advanced' }]} />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
        <Form.Item label="Tags"><TagsInput /></Form.Item>
      </Form>
    </Modal>
  );
}

export function SecurityGroups() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const vpcs = useVpcs();
  const [vpcId, setVpcId] = useState<string>();
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [cloning, setCloning] = useState<GroupInfo>();
  const list = useServerList<SecurityGroup>(async (q) => {
    const r = await client.call('DescribeSecurityGroups', {
      RegionId: region, VpcId: vpcId, SecurityGroupName: name || undefined, PageNumber: q.pageNumber, PageSize: q.pageSize,
    });
    return { items: itemsWith(r.SecurityGroups?.SecurityGroup, 'SecurityGroupId'), total: r.TotalCount };
  }, [region, vpcId, name]);
  return (
    <>
      <PageHeader title="Security Groups" extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-sg">Create security group</Button>
      </>} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select allowClear placeholder="All VPCs" value={vpcId} onChange={setVpcId} style={{ width: 240 }}
          options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: v.VpcName || v.VpcId }))} />
        <Input.Search placeholder="Group name" allowClear onSearch={setName} style={{ width: 240 }} />
      </Space>
      <ApiErrorAlert error={list.error} what="Listing security groups" />
      <Table<SecurityGroup> rowKey="SecurityGroupId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="sgs-table"
        columns={[
          { title: 'Security group', render: (_, g) => <><Link to={`/security-groups/${g.SecurityGroupId}`}>{g.SecurityGroupId}</Link><div style={{ color: '#888' }}>{g.SecurityGroupName}</div></> },
          { title: 'VPC', dataIndex: 'VpcId' },
          { title: 'Type', render: (_, g) => (g.SecurityGroupType === 'enterprise' ? 'Advanced' : 'Basic') },
          { title: 'Instances', dataIndex: 'EcsCount' },
          { title: 'Tags', render: (_, g) => <TagList tags={g.Tags} /> },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, g) => (<Space size={4}>
              <Button size="small" data-testid="clone-sg" onClick={() => setCloning({ id: g.SecurityGroupId, name: g.SecurityGroupName, vpcId: g.VpcId })}>Clone</Button>
              <Popconfirm title={`Delete ${g.SecurityGroupId}?`} onConfirm={async () => {
                if (await run('Delete security group', () => client.call('DeleteSecurityGroup', { RegionId: region, SecurityGroupId: g.SecurityGroupId }))) list.reload();
              }}>
                <Button size="small" danger>Delete</Button>
              </Popconfirm>
            </Space>),
          },
        ]} />
      {creating && <CreateModal onClose={(c) => { setCreating(false); if (c) list.reload(); }} />}
      {cloning && <CloneModal group={cloning} onClose={(c) => { setCloning(undefined); if (c) list.reload(); }} />}
    </>
  );
}
