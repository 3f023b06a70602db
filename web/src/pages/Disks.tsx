/** Cloud disks: list by status/category/instance, create, and the per-disk operations. */
import { DownOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Disk } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { isTransitional } from '../components/status';
import { StatusBadge } from '../components/StatusBadge';
import { TagList } from '../components/TagList';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useServerList } from '../hooks/useServerList';
import { AttachDiskModal, CreateDiskModal, CreateSnapshotModal, ResetDiskModal, ResizeDiskModal, type DiskOp } from './DiskModals';

const STATUSES = ['In_use', 'Available', 'Attaching', 'Detaching', 'Creating', 'ReIniting'];

export function Disks() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const { modal } = App.useApp();
  const [status, setStatus] = useState<string>();
  const [type, setType] = useState<string>();
  const [creating, setCreating] = useState(false);
  const [op, setOp] = useState<{ kind: DiskOp; disk: Disk }>();
  const list = useServerList<Disk>(async (q) => {
    const r = await client.call('DescribeDisks', { RegionId: region, Status: status, DiskType: type, PageNumber: q.pageNumber, PageSize: q.pageSize });
    return { items: itemsWith(r.Disks?.Disk, 'DiskId'), total: r.TotalCount };
  }, [region, status, type], { transitional: (d) => isTransitional(d.Status) });

  const confirmThen = (title: string, label: string, fn: () => Promise<unknown>) => modal.confirm({
    title, onOk: async () => { if (await run(label, fn)) list.reload(); },
  });
  const menu = (d: Disk) => ({
    items: [
      { key: 'attach', label: 'Attach', disabled: d.Status !== 'Available' },
      { key: 'detach', label: 'Detach', disabled: d.Status !== 'In_use' || d.Type === 'system' },
      { key: 'resize', label: 'Resize' },
      { key: 'reinit', label: 'Re-initialize', disabled: d.Status !== 'In_use' },
      { key: 'reset', label: 'Roll back to snapshot' },
      { key: 'snapshot', label: 'Create snapshot' },
      { key: 'delete', label: 'Release', danger: true, disabled: d.Status !== 'Available' },
    ],
    onClick: ({ key }: { key: string }) => {
      if (key === 'detach') confirmThen(`Detach ${d.DiskId} from ${d.InstanceId}?`, 'Detach disk', () => client.call('DetachDisk', { DiskId: d.DiskId, InstanceId: d.InstanceId ?? '' }));
      else if (key === 'reinit') confirmThen(`Re-initialize ${d.DiskId}? It returns to its initial state; the instance must be Stopped.`, 'Re-initialize disk', () => client.call('ReInitDisk', { DiskId: d.DiskId }));
      else if (key === 'delete') confirmThen(`Release ${d.DiskId}? This cannot be undone.`, 'Release disk', () => client.call('DeleteDisk', { DiskId: d.DiskId }));
      else setOp({ kind: key as DiskOp, disk: d });
    },
  });
  const close = (changed?: boolean) => { setOp(undefined); setCreating(false); if (changed) list.reload(); };
  return (
    <>
      <PageHeader title="Disks" extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>Create disk</Button>
      </>} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select placeholder="Status" allowClear value={status} onChange={setStatus} style={{ width: 160 }} options={STATUSES.map((s) => ({ value: s, label: s }))} />
        <Select placeholder="Type" allowClear value={type} onChange={setType} style={{ width: 160 }} options={['system', 'data'].map((s) => ({ value: s, label: s }))} />
      </Space>
      <ApiErrorAlert error={list.error} what="Listing disks" />
      <Table<Disk> rowKey="DiskId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="disks-table"
        columns={[
          { title: 'Disk', render: (_, d) => <>{d.DiskId}<div style={{ color: '#888' }}>{d.DiskName}</div></> },
          { title: 'Status', render: (_, d) => <StatusBadge status={d.Status} /> },
          { title: 'Type', render: (_, d) => `${d.Type} · ${d.Category}` },
          { title: 'Size', render: (_, d) => `${d.Size} GiB` },
          { title: 'Zone', dataIndex: 'ZoneId' },
          { title: 'Instance', render: (_, d) => (d.InstanceId ? `${d.InstanceId} ${d.Device ?? ''}` : '-') },
          { title: 'Tags', render: (_, d) => <TagList tags={d.Tags} /> },
          { title: 'Actions', render: (_, d) => <Dropdown menu={menu(d)}><Button size="small" data-testid="disk-actions">More <DownOutlined /></Button></Dropdown> },
        ]} />
      {creating && <CreateDiskModal onClose={close} />}
      {op?.kind === 'attach' && <AttachDiskModal disk={op.disk} onClose={close} />}
      {op?.kind === 'resize' && <ResizeDiskModal disk={op.disk} onClose={close} />}
      {op?.kind === 'reset' && <ResetDiskModal disk={op.disk} onClose={close} />}
      {op?.kind === 'snapshot' && <CreateSnapshotModal disk={op.disk} onClose={close} />}
    </>
  );
}
