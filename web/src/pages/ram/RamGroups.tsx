/** RAM groups: create, delete, and the policies a group passes to its members. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Popconfirm, Table } from 'antd';
import { useState } from 'react';
import type { ApiResponse } from '../../api/types';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useConsole } from '../../hooks/console';
import { useAction } from '../../hooks/useAction';
import { useApiData } from '../../hooks/useApiData';
import { allItems } from './common';
import { AttachedPolicies } from './RamUsers';

type Group = NonNullable<NonNullable<ApiResponse<'ListGroups'>['Groups']>['Group']>[number];

function GroupPolicies({ group }: { group: string }) {
  const { client } = useConsole();
  const policies = useApiData(async () => (await client.call('ListPoliciesForGroup', { GroupName: group })).Policies?.Policy ?? [], [group]);
  return <AttachedPolicies list={policies} testId="group-policies-table" attach={(p) => client.call('AttachPolicyToGroup', { GroupName: group, ...p })} />;
}

export function RamGroups() {
  const { client } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const [creating, setCreating] = useState(false);
  const list = useApiData(() => allItems(async (Marker) => {
    const r = await client.call('ListGroups', { MaxItems: 1000, Marker });
    return { items: r.Groups?.Group ?? [], IsTruncated: r.IsTruncated, Marker: r.Marker };
  }), []);
  const create = async (v: { GroupName: string; Comments?: string }) => {
    if (await run(`Create group ${v.GroupName}`, () => client.call('CreateGroup', v))) { setCreating(false); form.resetFields(); list.reload(); }
  };
  const remove = async (name: string) => { if (await run(`Delete group ${name}`, () => client.call('DeleteGroup', { GroupName: name }))) list.reload(); };
  return (
    <>
      <PageHeader title="RAM Groups" sub="A group's policies apply to every user in it." extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-group">Create group</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing RAM groups" />
      <Table<Group> rowKey="GroupName" size="middle" loading={list.loading} dataSource={list.data ?? []} data-testid="groups-table"
        expandable={{ expandedRowRender: (g) => <GroupPolicies group={g.GroupName!} /> }}
        columns={[
          { title: 'Name', dataIndex: 'GroupName' },
          { title: 'Comments', dataIndex: 'Comments' },
          { title: 'Created', dataIndex: 'CreateDate' },
          { title: 'Actions', render: (_, g) => <Popconfirm title={`Delete ${g.GroupName}?`} onConfirm={() => remove(g.GroupName!)}><Button size="small" danger>Delete</Button></Popconfirm> },
        ]} />
      <Modal open={creating} title="Create RAM group" onCancel={() => setCreating(false)} onOk={form.submit} confirmLoading={busy}>
        <Form form={form} layout="vertical" onFinish={create}>
          <Form.Item label="Name" name="GroupName" rules={[{ required: true }, { pattern: /^[A-Za-z0-9.-]{1,64}$/, message: '1–64 letters, digits, . -' }]}><Input data-testid="group-name" /></Form.Item>
          <Form.Item label="Comments" name="Comments"><Input /></Form.Item>
        </Form>
      </Modal>
    </>
  );
}
