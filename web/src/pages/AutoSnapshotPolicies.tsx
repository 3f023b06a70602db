/**
 * Automatic snapshot policies. Their create/apply/cancel/delete actions take lower-camel names
 * (regionId, timePoints, diskIds...) with JSON-array strings, as the API defines them.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { AutoSnapshotPolicy } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { StatusBadge } from '../components/StatusBadge';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useDiskOptions } from '../hooks/useOptions';
import { useServerList } from '../hooks/useServerList';

const HOURS = Array.from({ length: 24 }, (_, h) => ({ value: String(h), label: `${String(h).padStart(2, '0')}:00` }));
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].map((d, i) => ({ value: String(i + 1), label: d }));

function CreateModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { name: string; hours: string[]; days: string[]; retention: number }) => {
    const ok = await run('Create policy', () => client.call('CreateAutoSnapshotPolicy', {
      regionId: region, autoSnapshotPolicyName: v.name, timePoints: JSON.stringify(v.hours), repeatWeekdays: JSON.stringify(v.days), retentionDays: v.retention,
    }));
    if (ok) onClose(true);
  };
  return (
    <Modal open title="Create automatic snapshot policy" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ hours: ['2'], days: ['1', '2', '3', '4', '5', '6', '7'], retention: 30 }}>
        <Form.Item label="Name" name="name"><Input /></Form.Item>
        <Form.Item label="Times (UTC hours)" name="hours" rules={[{ required: true }]}><Select mode="multiple" options={HOURS} /></Form.Item>
        <Form.Item label="Days of the week" name="days" rules={[{ required: true }]}><Select mode="multiple" options={DAYS} /></Form.Item>
        <Form.Item label="Retention (days, -1 keeps snapshots forever)" name="retention" rules={[{ required: true }]}><InputNumber min={-1} max={65536} /></Form.Item>
      </Form>
    </Modal>
  );
}

function DisksModal({ policy, mode, onClose }: { policy: AutoSnapshotPolicy; mode: 'apply' | 'cancel'; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const disks = useDiskOptions();
  const [ids, setIds] = useState<string[]>([]);
  const options = (disks.data ?? [])
    .filter((d) => (mode === 'apply' ? d.AutoSnapshotPolicyId !== policy.AutoSnapshotPolicyId : d.AutoSnapshotPolicyId === policy.AutoSnapshotPolicyId))
    .map((d) => ({ value: d.DiskId, label: `${d.DiskName || d.DiskId} (${d.Type}, ${d.Size} GiB)` }));
  const submit = async () => {
    const ok = mode === 'apply'
      ? await run('Apply policy', () => client.call('ApplyAutoSnapshotPolicy', { regionId: region, autoSnapshotPolicyId: policy.AutoSnapshotPolicyId, diskIds: JSON.stringify(ids) }))
      : await run('Cancel policy', () => client.call('CancelAutoSnapshotPolicy', { regionId: region, diskIds: JSON.stringify(ids) }));
    if (ok) onClose(true);
  };
  return (
    <Modal open title={mode === 'apply' ? `Apply ${policy.AutoSnapshotPolicyId} to disks` : `Cancel ${policy.AutoSnapshotPolicyId} on disks`}
      onCancel={() => onClose()} onOk={submit} confirmLoading={busy} okButtonProps={{ disabled: !ids.length }}>
      <ApiErrorAlert error={disks.error} what="Listing disks" />
      <Select mode="multiple" style={{ width: '100%' }} value={ids} onChange={setIds} loading={disks.loading} options={options} placeholder="Disks" />
    </Modal>
  );
}

export function AutoSnapshotPolicies() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [creating, setCreating] = useState(false);
  const [disks, setDisks] = useState<{ policy: AutoSnapshotPolicy; mode: 'apply' | 'cancel' }>();
  const list = useServerList<AutoSnapshotPolicy>(async (q) => {
    const r = await client.call('DescribeAutoSnapshotPolicyEx', { RegionId: region, PageNumber: q.pageNumber, PageSize: q.pageSize });
    return { items: itemsWith(r.AutoSnapshotPolicies?.AutoSnapshotPolicy, 'AutoSnapshotPolicyId'), total: r.TotalCount };
  }, [region]);
  const close = (changed?: boolean) => { setCreating(false); setDisks(undefined); if (changed) list.reload(); };
  const days = (json = '') => { try { return (JSON.parse(json) as string[]).map((d) => DAYS[Number(d) - 1]?.label ?? d).join(', '); } catch { return json; } };
  const hours = (json = '') => { try { return (JSON.parse(json) as string[]).map((h) => `${h.padStart(2, '0')}:00`).join(', '); } catch { return json; } };
  return (
    <>
      <PageHeader title="Automatic Snapshot Policies" extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>Create policy</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing automatic snapshot policies" />
      <Table<AutoSnapshotPolicy> rowKey="AutoSnapshotPolicyId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination}
        columns={[
          { title: 'Policy', render: (_, p) => <>{p.AutoSnapshotPolicyId}<div style={{ color: '#888' }}>{p.AutoSnapshotPolicyName}</div></> },
          { title: 'Status', render: (_, p) => <StatusBadge status={p.Status} /> },
          { title: 'Times', render: (_, p) => hours(p.TimePoints) },
          { title: 'Days', render: (_, p) => days(p.RepeatWeekdays) },
          { title: 'Retention', render: (_, p) => (p.RetentionDays === -1 ? 'forever' : `${p.RetentionDays} days`) },
          { title: 'Disks', dataIndex: 'DiskNums' },
          {
            title: 'Actions', render: (_, p) => (
              <Space size={4}>
                <Button size="small" onClick={() => setDisks({ policy: p, mode: 'apply' })}>Apply to disks</Button>
                <Button size="small" onClick={() => setDisks({ policy: p, mode: 'cancel' })}>Cancel on disks</Button>
                <Popconfirm title={`Delete ${p.AutoSnapshotPolicyId}?`} onConfirm={async () => {
                  if (await run('Delete policy', () => client.call('DeleteAutoSnapshotPolicy', { regionId: region, autoSnapshotPolicyId: p.AutoSnapshotPolicyId }))) list.reload();
                }}>
                  <Button size="small" danger>Delete</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      {creating && <CreateModal onClose={close} />}
      {disks && <DisksModal policy={disks.policy} mode={disks.mode} onClose={close} />}
    </>
  );
}
