/** Snapshots with their progress; the list refreshes while any is still being taken. */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, Modal, Popconfirm, Progress, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Snapshot } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useServerList } from '../hooks/useServerList';

const percent = (p = '') => Number.parseInt(p, 10) || 0;

function ImageFromSnapshotModal({ snapshot, onClose }: { snapshot: Snapshot; onClose(): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  return (
    <Modal open title={`Create an image from ${snapshot.SnapshotId}`} onCancel={onClose} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'image-ok' }}>
      <Form form={form} layout="vertical" initialValues={{ Architecture: 'x86_64' }}
        onFinish={async (v) => { if (await run('Create image', () => client.call('CreateImage', { RegionId: region, SnapshotId: snapshot.SnapshotId, ...v }))) onClose(); }}>
        <Form.Item label="Image name" name="ImageName" rules={[{ required: true }]}><Input data-testid="image-name" /></Form.Item>
        <Form.Item label="Architecture" name="Architecture"><Select options={['x86_64', 'arm64', 'i386'].map((a) => ({ value: a, label: a }))} /></Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

export function Snapshots() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [status, setStatus] = useState<string>();
  const [diskId, setDiskId] = useState('');
  const [imaging, setImaging] = useState<Snapshot>();
  const list = useServerList<Snapshot>(async (q) => {
    const r = await client.call('DescribeSnapshots', { RegionId: region, Status: status, DiskId: diskId || undefined, PageNumber: q.pageNumber, PageSize: q.pageSize });
    return { items: itemsWith(r.Snapshots?.Snapshot, 'SnapshotId'), total: r.TotalCount };
  }, [region, status, diskId], { transitional: (s) => s.Status === 'progressing' });
  return (
    <>
      <PageHeader title="Snapshots" extra={<Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select placeholder="Status" allowClear value={status} onChange={setStatus} style={{ width: 160 }}
          options={['progressing', 'accomplished', 'failed'].map((s) => ({ value: s, label: s }))} />
        <Input.Search placeholder="Source disk ID" allowClear onSearch={setDiskId} style={{ width: 240 }} />
      </Space>
      <ApiErrorAlert error={list.error} what="Listing snapshots" />
      <Table<Snapshot> rowKey="SnapshotId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="snapshots-table"
        columns={[
          { title: 'Snapshot', render: (_, s) => <>{s.SnapshotId}<div style={{ color: '#888' }}>{s.SnapshotName}</div></> },
          { title: 'Status', render: (_, s) => <StatusBadge status={s.Status} /> },
          { title: 'Progress', render: (_, s) => <Progress percent={percent(s.Progress)} size="small" status={s.Status === 'failed' ? 'exception' : s.Status === 'progressing' ? 'active' : undefined} style={{ width: 140 }} /> },
          { title: 'Source disk', render: (_, s) => `${s.SourceDiskId} (${s.SourceDiskType}, ${s.SourceDiskSize} GiB)` },
          { title: 'Retention', render: (_, s) => (s.RetentionDays ? `${s.RetentionDays} days` : 'until deleted') },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, s) => (
              <Space size={4}>
                <Button size="small" disabled={s.Status !== 'accomplished'} onClick={() => setImaging(s)} data-testid="snapshot-create-image">Create image</Button>
                <Popconfirm title={`Delete ${s.SnapshotId}?`} onConfirm={async () => { if (await run('Delete snapshot', () => client.call('DeleteSnapshot', { SnapshotId: s.SnapshotId }))) list.reload(); }}>
                  <Button size="small" danger>Delete</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      {imaging && <ImageFromSnapshotModal snapshot={imaging} onClose={() => setImaging(undefined)} />}
    </>
  );
}
