/**
 * Key pairs: create (the private key is downloaded once, then only its fingerprint remains),
 * import a public key, delete several at once.
 */
import { DownloadOutlined, ImportOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Popconfirm, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { KeyPair } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { downloadText } from '../components/download';
import { PageHeader } from '../components/PageHeader';
import { TagList } from '../components/TagList';
import { TagsInput } from '../components/TagsInput';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useServerList } from '../hooks/useServerList';

function CreateModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const [created, setCreated] = useState<{ name: string; key: string; fingerprint: string }>();
  const submit = async (v: { KeyPairName: string }) => {
    const r = await run('Create key pair', () => client.call('CreateKeyPair', { RegionId: region, ...v }));
    if (!r) return;
    const created = { name: r.KeyPairName ?? v.KeyPairName, key: r.PrivateKeyBody ?? '', fingerprint: r.KeyPairFingerPrint ?? '' };
    setCreated(created);
    downloadText(`${created.name}.pem`, created.key);
  };
  if (created) {
    return (
      <Modal open title="Key pair created" onCancel={() => onClose(true)} footer={[
        <Button key="dl" icon={<DownloadOutlined />} onClick={() => downloadText(`${created.name}.pem`, created.key)} data-testid="download-again">Download again</Button>,
        <Button key="ok" type="primary" onClick={() => onClose(true)} data-testid="keypair-done">Done</Button>,
      ]}>
        <Alert type="warning" showIcon title={`${created.name}.pem has been downloaded. Keep it safe: the private key is not stored and cannot be shown again.`} />
        <p style={{ marginTop: 12 }}>Fingerprint: <code data-testid="fingerprint">{created.fingerprint}</code></p>
      </Modal>
    );
  }
  return (
    <Modal open title="Create key pair" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'keypair-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label="Name" name="KeyPairName" rules={[{ required: true }]} extra="2–128 characters, starting with a letter."><Input data-testid="keypair-name" /></Form.Item>
        <Form.Item label="Tags"><TagsInput /></Form.Item>
      </Form>
    </Modal>
  );
}

function ImportModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { KeyPairName: string; PublicKeyBody: string }) => {
    if (await run('Import key pair', () => client.call('ImportKeyPair', { RegionId: region, KeyPairName: v.KeyPairName, PublicKeyBody: v.PublicKeyBody.trim() }))) onClose(true);
  };
  return (
    <Modal open title="Import key pair" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label="Name" name="KeyPairName" rules={[{ required: true }]}><Input /></Form.Item>
        <Form.Item label="Public key (OpenSSH format: ssh-rsa, ssh-ed25519, ecdsa-sha2-…)" name="PublicKeyBody" rules={[{ required: true }]}>
          <Input.TextArea rows={5} placeholder="ssh-rsa AAAA…" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function KeyPairs() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [modal, setModal] = useState<'create' | 'import'>();
  const [selected, setSelected] = useState<string[]>([]);
  const [name, setName] = useState('');
  const list = useServerList<KeyPair>(async (q) => {
    const r = await client.call('DescribeKeyPairs', { RegionId: region, KeyPairName: name || undefined, PageNumber: q.pageNumber, PageSize: q.pageSize });
    return { items: itemsWith(r.KeyPairs?.KeyPair, 'KeyPairName'), total: r.TotalCount };
  }, [region, name]);
  const remove = async (names: string[]) => {
    if (await run('Delete key pairs', () => client.call('DeleteKeyPairs', { RegionId: region, KeyPairNames: JSON.stringify(names) }))) {
      setSelected([]);
      list.reload();
    }
  };
  const close = (changed?: boolean) => { setModal(undefined); if (changed) list.reload(); };
  return (
    <>
      <PageHeader title="Key Pairs" extra={<>
        <Input.Search placeholder="Key pair name" allowClear onSearch={setName} style={{ width: 220 }} />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Popconfirm title={`Delete ${selected.length} key pair(s)?`} onConfirm={() => remove(selected)} disabled={!selected.length}>
          <Button danger disabled={!selected.length}>Delete selected</Button>
        </Popconfirm>
        <Button icon={<ImportOutlined />} onClick={() => setModal('import')}>Import key pair</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setModal('create')} data-testid="create-keypair">Create key pair</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing key pairs" />
      <Table<KeyPair> rowKey="KeyPairName" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="keypairs-table"
        rowSelection={{ selectedRowKeys: selected, onChange: (k) => setSelected(k as string[]) }}
        columns={[
          { title: 'Name', dataIndex: 'KeyPairName' },
          { title: 'Fingerprint', dataIndex: 'KeyPairFingerPrint', render: (f: string) => <code>{f}</code> },
          { title: 'Tags', render: (_, k) => <TagList tags={k.Tags} /> },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, k) => (
              <Popconfirm title={`Delete ${k.KeyPairName}?`} onConfirm={() => remove([k.KeyPairName])}>
                <Button size="small" danger>Delete</Button>
              </Popconfirm>
            ),
          },
        ]} />
      {modal === 'create' && <CreateModal onClose={close} />}
      {modal === 'import' && <ImportModal onClose={close} />}
    </>
  );
}
