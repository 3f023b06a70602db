/** Disk operations, each a small form over one action. */
import { Checkbox, Form, Input, InputNumber, Modal, Select } from 'antd';
import type { Disk } from '../api/types';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useInstanceOptions, useSnapshotOptions, useZones } from '../hooks/useOptions';
import { TagsInput } from '../components/TagsInput';
import { useFormDefaults } from '../hooks/useFormDefaults';

export type DiskOp = 'attach' | 'resize' | 'reset' | 'snapshot';
interface Props { disk: Disk; onClose(changed?: boolean): void }

function OpModal({ title, onClose, submit, busy, children, initial, defaults = {} }: {
  title: string; onClose(c?: boolean): void; submit(v: any): Promise<unknown>; busy: boolean; children: React.ReactNode; initial?: object;
  defaults?: Record<string, unknown>;
}) {
  const [form] = Form.useForm();
  useFormDefaults(form, defaults);
  return (
    <Modal open title={title} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'disk-op-ok' }}>
      <Form form={form} layout="vertical" initialValues={initial} onFinish={async (v) => { if (await submit(v)) onClose(true); }}>{children}</Form>
    </Modal>
  );
}

export function CreateDiskModal({ onClose }: { onClose(c?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const zones = useZones();
  const snaps = useSnapshotOptions();
  const zone = zones.data?.[0];
  return (
    <OpModal title="Create disk" onClose={onClose} busy={busy} initial={{ DiskCategory: 'cloud_essd', Size: 40 }} defaults={{ ZoneId: zone?.ZoneId }}
      submit={(v) => run('Create disk', () => client.call('CreateDisk', { RegionId: region, ...v }))}>
      <Form.Item label="Zone" name="ZoneId" rules={[{ required: true }]}>
        <Select options={(zones.data ?? []).map((z) => ({ value: z.ZoneId, label: z.ZoneId }))} />
      </Form.Item>
      <Form.Item label="Category" name="DiskCategory" rules={[{ required: true }]}>
        <Select options={(zone?.AvailableDiskCategories?.DiskCategories ?? ['cloud_essd']).map((c) => ({ value: c, label: c }))} />
      </Form.Item>
      <Form.Item label="Size (GiB)" name="Size"><InputNumber min={20} max={32768} /></Form.Item>
      <Form.Item label="From snapshot" name="SnapshotId">
        <Select allowClear options={(snaps.data ?? []).map((s) => ({ value: s.SnapshotId, label: `${s.SnapshotName || s.SnapshotId} (${s.SourceDiskSize} GiB)` }))} />
      </Form.Item>
      <Form.Item label="Name" name="DiskName"><Input /></Form.Item>
      <Form.Item label="Tags"><TagsInput /></Form.Item>
    </OpModal>
  );
}

export function AttachDiskModal({ disk, onClose }: Props) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  const instances = useInstanceOptions();
  const inZone = (instances.data ?? []).filter((i) => i.ZoneId === disk.ZoneId);
  return (
    <OpModal title={`Attach ${disk.DiskId}`} onClose={onClose} busy={busy}
      submit={(v) => run('Attach disk', () => client.call('AttachDisk', { DiskId: disk.DiskId, ...v }))}>
      <Form.Item label={`Instance (in ${disk.ZoneId})`} name="InstanceId" rules={[{ required: true }]}>
        <Select options={inZone.map((i) => ({ value: i.InstanceId, label: `${i.InstanceName || i.InstanceId} (${i.Status})` }))} />
      </Form.Item>
      <Form.Item name="DeleteWithInstance" valuePropName="checked"><Checkbox>Release with the instance</Checkbox></Form.Item>
    </OpModal>
  );
}

export function ResizeDiskModal({ disk, onClose }: Props) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  return (
    <OpModal title={`Resize ${disk.DiskId}`} onClose={onClose} busy={busy} initial={{ NewSize: disk.Size, Type: 'online' }}
      submit={(v) => run('Resize disk', () => client.call('ResizeDisk', { DiskId: disk.DiskId, ...v }))}>
      <Form.Item label={`New size (GiB, now ${disk.Size})`} name="NewSize" rules={[{ required: true }]}><InputNumber min={disk.Size} max={32768} /></Form.Item>
      <Form.Item label="Mode" name="Type">
        <Select options={[{ value: 'online', label: 'Online (no restart)' }, { value: 'offline', label: 'Offline (takes effect after restart)' }]} />
      </Form.Item>
    </OpModal>
  );
}

export function ResetDiskModal({ disk, onClose }: Props) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  const snaps = useSnapshotOptions(disk.DiskId);
  return (
    <OpModal title={`Roll back ${disk.DiskId} to a snapshot`} onClose={onClose} busy={busy}
      submit={(v) => run('Roll back disk', () => client.call('ResetDisk', { DiskId: disk.DiskId, ...v }))}>
      <Form.Item label="Snapshot" name="SnapshotId" rules={[{ required: true }]}>
        <Select loading={snaps.loading} options={(snaps.data ?? []).map((s) => ({ value: s.SnapshotId, label: `${s.SnapshotName || s.SnapshotId} (${s.CreationTime})` }))} />
      </Form.Item>
      <p style={{ color: '#888' }}>The instance must be Stopped; data written after the snapshot is lost.</p>
    </OpModal>
  );
}

export function CreateSnapshotModal({ disk, onClose }: Props) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  return (
    <OpModal title={`Create a snapshot of ${disk.DiskId}`} onClose={onClose} busy={busy}
      submit={(v) => run('Create snapshot', () => client.call('CreateSnapshot', { DiskId: disk.DiskId, ...v }))}>
      <Form.Item label="Name" name="SnapshotName"><Input data-testid="snapshot-name" /></Form.Item>
      <Form.Item label="Retention (days, empty keeps it until deleted)" name="RetentionDays"><InputNumber min={1} max={65536} /></Form.Item>
      <Form.Item label="Description" name="Description"><Input /></Form.Item>
    </OpModal>
  );
}
