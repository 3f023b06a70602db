/**
 * RAM policies: System and Custom, each document readable; custom policies created with a JSON
 * editor that validates before sending (the server's MalformedPolicyDocument shown inline), and
 * deleted.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Modal, Popconfirm, Segmented, Table, Tag } from 'antd';
import { useState } from 'react';
import type { ApiResponse } from '../../api/types';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useConsole } from '../../hooks/console';
import { useAction } from '../../hooks/useAction';
import { useApiData } from '../../hooks/useApiData';
import { DocumentEditor, EXAMPLE_POLICY, listPolicies, showDocumentError } from './common';

type Policy = NonNullable<NonNullable<ApiResponse<'ListPolicies'>['Policies']>['Policy']>[number];

function CreatePolicyModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client } = useConsole();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [busy, setBusy] = useState(false);
  const submit = async (v: { PolicyName: string; Description?: string; PolicyDocument: string }) => {
    setBusy(true);
    try {
      await client.call('CreatePolicy', v);
      message.success(`Policy ${v.PolicyName} created`);
      onClose(true);
    } catch (e) {
      if (!showDocumentError(form, 'PolicyDocument', e)) form.setFields([{ name: 'PolicyName', errors: [String((e as Error).message)] }]);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open width={720} title="Create custom policy" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'policy-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ PolicyDocument: EXAMPLE_POLICY }}>
        <Form.Item label="Name" name="PolicyName" rules={[{ required: true }, { pattern: /^[A-Za-z0-9-]{1,128}$/, message: '1–128 letters, digits and hyphens' }]}>
          <Input data-testid="policy-name" />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
        <DocumentEditor name="PolicyDocument" label="Policy document (JSON)" testId="policy-document" />
      </Form>
    </Modal>
  );
}

function PolicyDocument({ policy }: { policy: Policy }) {
  const { client } = useConsole();
  const doc = useApiData(() => client.call('GetPolicy', { PolicyType: policy.PolicyType, PolicyName: policy.PolicyName }), [policy.PolicyType, policy.PolicyName]);
  if (doc.error) return <ApiErrorAlert error={doc.error} what="Reading the policy" />;
  const text = doc.data?.DefaultPolicyVersion?.PolicyDocument;
  let pretty = text ?? '';
  try { pretty = JSON.stringify(JSON.parse(pretty), null, 2); } catch { /* shown as stored */ }
  return <pre style={{ margin: 0, maxHeight: 320, overflow: 'auto' }} data-testid="policy-view">{doc.loading ? 'Loading…' : pretty}</pre>;
}

export function RamPolicies() {
  const { client } = useConsole();
  const { run } = useAction();
  const [type, setType] = useState<'All' | 'System' | 'Custom'>('All');
  const [filter, setFilter] = useState('');
  const [creating, setCreating] = useState(false);
  const list = useApiData(() => listPolicies(client, type === 'All' ? undefined : type), [type]);
  const rows = (list.data ?? []).filter((p) => !filter || (p.PolicyName ?? '').toLowerCase().includes(filter.toLowerCase()));
  const remove = async (name: string) => {
    if (await run(`Delete policy ${name}`, () => client.call('DeletePolicy', { PolicyName: name }))) list.reload();
  };
  return (
    <>
      <PageHeader title="RAM Policies" sub="System policies are Alibaba Cloud's; custom policies are the account's own." extra={<>
        <Segmented options={['All', 'System', 'Custom']} value={type} onChange={(v) => setType(v as typeof type)} />
        <Input.Search placeholder="Policy name" allowClear onSearch={setFilter} style={{ width: 220 }} />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-policy">Create policy</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing policies" />
      <Table<Policy> rowKey={(p) => `${p.PolicyType}:${p.PolicyName}`} size="middle" loading={list.loading} dataSource={rows} data-testid="policies-table"
        expandable={{ expandedRowRender: (p) => <PolicyDocument policy={p} /> }}
        columns={[
          { title: 'Name', dataIndex: 'PolicyName' },
          { title: 'Type', dataIndex: 'PolicyType', render: (t: string) => <Tag color={t === 'System' ? 'blue' : 'green'}>{t}</Tag> },
          { title: 'Description', dataIndex: 'Description' },
          { title: 'Attachments', dataIndex: 'AttachmentCount' },
          { title: 'Default version', dataIndex: 'DefaultVersion' },
          {
            title: 'Actions', render: (_, p) => p.PolicyType === 'Custom' && (
              <Popconfirm title={`Delete ${p.PolicyName}?`} onConfirm={() => remove(p.PolicyName!)}>
                <Button size="small" danger>Delete</Button>
              </Popconfirm>
            ),
          },
        ]} />
      {creating && <CreatePolicyModal onClose={(changed) => { setCreating(false); if (changed) list.reload(); }} />}
    </>
  );
}
