/** Edits of one instance, each a small form over one action. */
import { DatePicker, Form, Input, Modal, Radio, Select, Switch } from 'antd';
import { useState } from 'react';
import type { Instance } from '../api/types';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useKeyPairs } from '../hooks/useOptions';

interface Props { instance: Instance; onClose(changed?: boolean): void }

export function ModifyAttributeModal({ instance: i, onClose }: Props) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: Record<string, string | boolean>) => {
    const ok = await run('Modify instance', () => client.call('ModifyInstanceAttribute', {
      InstanceId: i.InstanceId, InstanceName: v.InstanceName as string, Description: v.Description as string,
      HostName: v.HostName as string, Password: (v.Password as string) || undefined, DeletionProtection: v.DeletionProtection as boolean,
    }));
    if (ok) onClose(true);
  };
  return (
    <Modal open title="Modify instance attributes" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={submit}
        initialValues={{ InstanceName: i.InstanceName, Description: i.Description, HostName: i.HostName, DeletionProtection: !!i.DeletionProtection }}>
        <Form.Item label="Name" name="InstanceName"><Input /></Form.Item>
        <Form.Item label="Description" name="Description"><Input.TextArea rows={2} /></Form.Item>
        <Form.Item label="Host name" name="HostName" extra="Takes effect after a restart."><Input /></Form.Item>
        <Form.Item label="New password" name="Password" extra="8–30 characters with three of: upper, lower, digits, symbols. Takes effect after a restart."><Input.Password autoComplete="new-password" /></Form.Item>
        <Form.Item label="Release protection" name="DeletionProtection" valuePropName="checked"><Switch /></Form.Item>
      </Form>
    </Modal>
  );
}

export function AutoReleaseModal({ instance: i, onClose }: Props) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  const [enabled, setEnabled] = useState(!!i.AutoReleaseTime);
  const [when, setWhen] = useState<string | undefined>(i.AutoReleaseTime || undefined);
  const submit = async () => {
    // An empty AutoReleaseTime cancels the timed release (API docs).
    const ok = await run('Auto release', () => client.call('ModifyInstanceAutoReleaseTime', {
      InstanceId: i.InstanceId, AutoReleaseTime: enabled && when ? when : undefined,
    }));
    if (ok) onClose(true);
  };
  return (
    <Modal open title="Automatic release" onCancel={() => onClose()} onOk={submit} confirmLoading={busy}>
      <Form layout="vertical">
        <Form.Item label="Release automatically"><Switch checked={enabled} onChange={setEnabled} /></Form.Item>
        {enabled && (
          <Form.Item label="Release at (UTC)">
            <DatePicker showTime onChange={(d) => setWhen(d ? d.toDate().toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined)} />
            <div style={{ color: '#888', marginTop: 4 }}>{when}</div>
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}

export function KeyPairModal({ instance: i, onClose }: Props) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const keys = useKeyPairs();
  const [mode, setMode] = useState<'attach' | 'detach'>(i.KeyPairName ? 'detach' : 'attach');
  const [name, setName] = useState<string | undefined>(i.KeyPairName || undefined);
  const submit = async () => {
    if (!name) return;
    const params = { RegionId: region, KeyPairName: name, InstanceIds: JSON.stringify([i.InstanceId]) };
    const r = await run(mode === 'attach' ? 'Bind key pair' : 'Unbind key pair',
      () => (mode === 'attach' ? client.call('AttachKeyPair', params) : client.call('DetachKeyPair', params)));
    if (r) onClose(true);
  };
  return (
    <Modal open title="Key pair" onCancel={() => onClose()} onOk={submit} confirmLoading={busy}>
      <Radio.Group value={mode} onChange={(e) => setMode(e.target.value)} style={{ marginBottom: 16 }}
        options={[{ value: 'attach', label: 'Bind' }, { value: 'detach', label: 'Unbind' }]} />
      <Select style={{ width: '100%' }} value={name} onChange={setName} loading={keys.loading} placeholder="Key pair"
        options={(keys.data ?? []).map((k) => ({ value: k.KeyPairName, label: k.KeyPairName }))} />
      <p style={{ color: '#888' }}>A change on a Running instance takes effect after the next restart.</p>
    </Modal>
  );
}

export function CreateImageModal({ instance: i, onClose }: Props) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { ImageName: string; Description?: string }) => {
    const r = await run('Create image', () => client.call('CreateImage', { RegionId: region, InstanceId: i.InstanceId, ...v }));
    if (r) onClose(true);
  };
  return (
    <Modal open title={`Create a custom image from ${i.InstanceId}`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label="Image name" name="ImageName" rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item label="Description" name="Description"><Input.TextArea rows={2} /></Form.Item>
      </Form>
    </Modal>
  );
}
