/** RAM roles: create with a trust policy (checked before sending, the server's verdict shown inline) and a maximum session duration; delete. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, InputNumber, Modal, Popconfirm, Table } from 'antd';
import { useState } from 'react';
import type { ApiResponse } from '../../api/types';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useConsole } from '../../hooks/console';
import { useAction } from '../../hooks/useAction';
import { useApiData } from '../../hooks/useApiData';
import { allItems, DocumentEditor, exampleTrust, showDocumentError } from './common';

type Role = NonNullable<NonNullable<ApiResponse<'ListRoles'>['Roles']>['Role']>[number];

function CreateRoleModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client } = useConsole();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { RoleName: string; Description?: string; AssumeRolePolicyDocument: string; MaxSessionDuration?: number }) => {
    setBusy(true);
    try {
      await client.call('CreateRole', v);
      message.success(`Role ${v.RoleName} created`);
      onClose(true);
    } catch (e) {
      if (!showDocumentError(form, 'AssumeRolePolicyDocument', e)) form.setFields([{ name: 'RoleName', errors: [String((e as Error).message)] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open width={720} title="Create RAM role" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'role-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ AssumeRolePolicyDocument: exampleTrust(), MaxSessionDuration: 3600 }}>
        <Form.Item label="Name" name="RoleName" rules={[{ required: true }, { pattern: /^[A-Za-z0-9.-]{1,64}$/, message: '1–64 letters, digits, . -' }]}><Input data-testid="role-name" /></Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
        <Form.Item label="Maximum session duration (seconds, 3600–43200)" name="MaxSessionDuration"><InputNumber min={3600} max={43200} /></Form.Item>
        <DocumentEditor name="AssumeRolePolicyDocument" label="Trust policy: who may assume the role (JSON)" trust testId="role-trust" />
      </Form>
    </Modal>
  );
}

export function RamRoles() {
  const { client } = useConsole();
  const { run } = useAction();
  const [creating, setCreating] = useState(false);
  const list = useApiData(() => allItems(async (Marker) => {
    const r = await client.call('ListRoles', { MaxItems: 1000, Marker });
    return { items: r.Roles?.Role ?? [], IsTruncated: r.IsTruncated, Marker: r.Marker };
  }), []);
  const remove = async (name: string) => { if (await run(`Delete role ${name}`, () => client.call('DeleteRole', { RoleName: name }))) list.reload(); };
  return (
    <>
      <PageHeader title="RAM Roles" sub="Identities that users, services (ecs.aliyuncs.com) or accounts assume for temporary credentials." extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-role">Create role</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing RAM roles" />
      <Table<Role> rowKey="RoleName" size="middle" loading={list.loading} dataSource={list.data ?? []} data-testid="roles-table"
        columns={[
          { title: 'Name', dataIndex: 'RoleName' },
          { title: 'ARN', dataIndex: 'Arn', render: (v: string) => <code>{v}</code> },
          { title: 'Max session (s)', dataIndex: 'MaxSessionDuration' },
          { title: 'Description', dataIndex: 'Description' },
          { title: 'Created', dataIndex: 'CreateDate' },
          { title: 'Actions', render: (_, r) => <Popconfirm title={`Delete ${r.RoleName}?`} onConfirm={() => remove(r.RoleName!)}><Button size="small" danger>Delete</Button></Popconfirm> },
        ]} />
      {creating && <CreateRoleModal onClose={(changed) => { setCreating(false); if (changed) list.reload(); }} />}
    </>
  );
}
