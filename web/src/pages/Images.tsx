/**
 * Images by owner (public, custom, shared): copy, share, delete; custom ones refresh while Creating.
 * Import from and export to the object store, and their tasks: ImageTasks.tsx.
 */
import { ExportOutlined, ImportOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Popconfirm, Progress, Select, Space, Table, Tabs } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Image } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';
import { useServerList } from '../hooks/useServerList';
import { ExportImageModal, ImportImageModal, TasksTable } from './ImageTasks';

type Owner = 'system' | 'self' | 'others';

function CopyModal({ image, onClose }: { image: Image; onClose(): void }) {
  const { client, region, regions } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  return (
    <Modal open title={`Copy ${image.ImageId}`} onCancel={onClose} onOk={form.submit} confirmLoading={busy}>
      <Form form={form} layout="vertical" initialValues={{ DestinationRegionId: region, DestinationImageName: `${image.ImageName}-copy` }}
        onFinish={async (v) => { if (await run('Copy image', () => client.call('CopyImage', { RegionId: region, ImageId: image.ImageId, ...v }))) onClose(); }}>
        <Form.Item label="Destination region" name="DestinationRegionId"><Select options={regions.map((r) => ({ value: r.RegionId, label: r.RegionId }))} /></Form.Item>
        <Form.Item label="Name" name="DestinationImageName"><Input /></Form.Item>
        <Form.Item label="Description" name="DestinationDescription"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

function ShareModal({ image, onClose }: { image: Image; onClose(): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const shares = useApiData(() => client.call('DescribeImageSharePermission', { RegionId: region, ImageId: image.ImageId, PageSize: 100 }), [image.ImageId]);
  const [account, setAccount] = useState('');
  const modify = async (params: { AddAccount?: string[]; RemoveAccount?: string[] }) => {
    if (await run('Share image', () => client.call('ModifyImageSharePermission', { RegionId: region, ImageId: image.ImageId, ...params }))) shares.reload();
  };
  return (
    <Modal open title={`Share ${image.ImageId}`} onCancel={onClose} footer={null}>
      <ApiErrorAlert error={shares.error} what="Reading share permissions" />
      <Space.Compact style={{ width: '100%', marginBottom: 16 }}>
        <Input placeholder="Account ID" data-testid="share-account" value={account} onChange={(e) => setAccount(e.target.value)} />
        <Button type="primary" loading={busy} disabled={!account} data-testid="share-ok" onClick={() => modify({ AddAccount: [account.trim()] })}>Share</Button>
      </Space.Compact>
      <Table size="small" rowKey="AliyunId" data-testid="image-shares" pagination={false} dataSource={itemsWith(shares.data?.Accounts?.Account, 'AliyunId')}
        columns={[
          { title: 'Account', dataIndex: 'AliyunId' },
          { title: 'Shared', dataIndex: 'SharedTime' },
          { title: '', render: (_, a) => <Button size="small" danger onClick={() => modify({ RemoveAccount: [a.AliyunId] })}>Unshare</Button> },
        ]} />
    </Modal>
  );
}

function ImageTable({ owner, version = 0 }: { owner: Owner; version?: number }) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [name, setName] = useState('');
  const [os, setOs] = useState<string>();
  const [copying, setCopying] = useState<Image>();
  const [sharing, setSharing] = useState<Image>();
  const [exporting, setExporting] = useState<Image>();
  const list = useServerList<Image>(async (q) => {
    const r = await client.call('DescribeImages', {
      RegionId: region, ImageOwnerAlias: owner, ImageName: name || undefined, OSType: os, PageNumber: q.pageNumber, PageSize: q.pageSize,
      // Custom images being made are listed too, so their progress shows.
      Status: owner === 'self' ? 'Creating,Waiting,Available,UnAvailable,CreateFailed' : undefined,
    });
    return { items: itemsWith(r.Images?.Image, 'ImageId'), total: r.TotalCount };
  }, [region, owner, name, os, version], { transitional: (i) => isTransitional(i.Status) });
  const custom = owner === 'self';
  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search placeholder="Image name" allowClear onSearch={setName} style={{ width: 240 }} />
        <Select placeholder="OS type" allowClear value={os} onChange={setOs} style={{ width: 140 }} options={['linux', 'windows'].map((o) => ({ value: o, label: o }))} />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
      </Space>
      <ApiErrorAlert error={list.error} what="Listing images" />
      <Table<Image> rowKey="ImageId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid={`images-${owner}`}
        columns={[
          { title: 'Image', render: (_, i) => <>{i.ImageId}<div style={{ color: '#888' }}>{i.ImageName}</div></> },
          { title: 'OS', render: (_, i) => `${i.OSName} (${i.Architecture})` },
          { title: 'Status', render: (_, i) => (i.Status === 'Creating' ? <Progress percent={Number.parseInt(i.Progress ?? '0', 10) || 0} size="small" style={{ width: 120 }} /> : <StatusBadge status={i.Status} />) },
          { title: 'Size', render: (_, i) => `${i.Size} GiB` },
          { title: 'Created', dataIndex: 'CreationTime' },
          ...(custom ? [{
            title: 'Actions', render: (_: unknown, i: Image) => (
              <Space size={4}>
                <Button size="small" onClick={() => setCopying(i)}>Copy</Button>
                <Button size="small" onClick={() => setSharing(i)} data-testid="share-image">Share</Button>
                <Button size="small" icon={<ExportOutlined />} disabled={i.Status !== 'Available'} onClick={() => setExporting(i)} data-testid="export-image">Export</Button>
                <Popconfirm title={`Delete ${i.ImageId}?`} onConfirm={async () => { if (await run('Delete image', () => client.call('DeleteImage', { RegionId: region, ImageId: i.ImageId }))) list.reload(); }}>
                  <Button size="small" danger>Delete</Button>
                </Popconfirm>
              </Space>
            ),
          }] : []),
        ]} />
      {copying && <CopyModal image={copying} onClose={() => { setCopying(undefined); list.reload(); }} />}
      {sharing && <ShareModal image={sharing} onClose={() => setSharing(undefined)} />}
      {exporting && <ExportImageModal image={exporting} onClose={() => { setExporting(undefined); list.reload(); }} />}
    </>
  );
}

export function Images() {
  const [importing, setImporting] = useState(false);
  const [tab, setTab] = useState('system');
  // Bumped after an import so the custom image and task lists read again.
  const [version, setVersion] = useState(0);
  return (
    <>
      <PageHeader title="Images" extra={<Button type="primary" icon={<ImportOutlined />} onClick={() => setImporting(true)} data-testid="import-image">Import image</Button>} />
      <Tabs destroyOnHidden activeKey={tab} onChange={setTab} items={[
        { key: 'system', label: 'Public images', children: <ImageTable owner="system" /> },
        { key: 'self', label: 'Custom images', children: <ImageTable owner="self" version={version} /> },
        { key: 'others', label: 'Shared images', children: <ImageTable owner="others" /> },
        { key: 'tasks', label: <span data-testid="tab-tasks">Import and export tasks</span>, children: <TasksTable version={version} /> },
      ]} />
      {importing && <ImportImageModal onClose={(c) => { setImporting(false); if (c) { setVersion((v) => v + 1); setTab((t) => (t === 'tasks' ? t : 'self')); } }} />}
    </>
  );
}
