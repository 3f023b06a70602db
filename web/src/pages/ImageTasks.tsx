/**
 * Image import and export (000:L1735–1865, 002:L2729–2898) through the server's local object
 * store: upload a disk image file with PutObject (or pick one with ListObjects), ImportImage it,
 * ExportImage a custom image to a bucket, and follow the resulting task (DescribeTasks,
 * DescribeTaskAttribute, CancelTask).
 */
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Badge, Button, Descriptions, Flex, Form, Input, InputNumber, Modal, Popconfirm, Progress, Radio, Select, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import { base64Of } from '../api/extensions';
import type { Task } from '../api/types';
import type { Image } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { downloadText } from '../components/download';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';
import { usePolling } from '../hooks/usePolling';
import { useServerList } from '../hooks/useServerList';

/** PutObject carries the file as Base64 in an 8 MiB request: about 6 MiB of file. */
const MAX_UPLOAD = 6 * 1024 * 1024;
const BUCKET = /^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/;

const PLATFORMS = [
  'Aliyun', 'Anolis', 'CentOS', 'Ubuntu', 'CoreOS', 'SUSE', 'Debian', 'OpenSUSE', 'FreeBSD', 'RedHat', 'Kylin', 'UOS', 'Fedora',
  'Fedora CoreOS', 'CentOS Stream', 'AlmaLinux', 'Rocky Linux', 'Gentoo', 'Customized Linux', 'Others Linux',
  'Windows Server 2022', 'Windows Server 2019', 'Windows Server 2016', 'Windows Server 2012', 'Windows Server 2008', 'Windows Server 2003',
];
const EXPORT_FORMATS = ['raw', 'vhd', 'qcow2', 'vmdk', 'vdi'];

const TASK_BADGE: Record<string, 'processing' | 'success' | 'error' | 'default'> = { Processing: 'processing', Finished: 'success', Failed: 'error', Cancelled: 'default' };

export function TaskStatus({ status = '' }: { status?: string }) {
  return <Badge status={TASK_BADGE[status] ?? 'default'} text={<span data-testid="task-status">{status || '-'}</span>} />;
}

/**
 * One task followed until it ends: progress, the error when it failed, what it wrote.
 * DescribeTaskAttribute does not name the task's image (DescribeTasks does), so the caller does.
 */
export function TaskProgress({ taskId, imageId }: { taskId: string; imageId?: string }) {
  const { client, region } = useConsole();
  const t = useApiData(() => client.call('DescribeTaskAttribute', { RegionId: region, TaskId: taskId }), [region, taskId]);
  usePolling(t.reload, t.data?.TaskStatus === 'Processing' && !t.error);
  const op = t.data?.OperationProgressSet?.OperationProgress?.[0];
  const items = op?.RelatedItemSet?.RelatedItem ?? [];
  const item = (name: string) => items.find((i) => i.Name === name)?.Value;
  const object = t.data?.TaskAction === 'ExportImage' ? item('OSSObject') : undefined;
  const bucket = item('OSSBucket');
  const download = async () => {
    if (!bucket || !object) return;
    const r = await client.call('GetObject', { RegionId: region, Bucket: bucket, Key: object });
    const bin = atob(r.Content ?? '');
    const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    downloadText(object.split('/').pop() || object, bytes, 'application/octet-stream');
  };
  return (
    <div data-testid="task-progress">
      <ApiErrorAlert error={t.error} what="Reading the task" />
      {t.data && (
        <Descriptions bordered size="small" column={1}>
          <Descriptions.Item label="Task">{t.data.TaskId} ({t.data.TaskAction})</Descriptions.Item>
          <Descriptions.Item label="Status"><TaskStatus status={t.data.TaskStatus} /></Descriptions.Item>
          <Descriptions.Item label="Progress">
            <Progress percent={Number.parseInt(t.data.TaskProcess ?? '', 10) || 0} size="small" style={{ width: 240 }}
              status={t.data.TaskStatus === 'Failed' ? 'exception' : t.data.TaskStatus === 'Processing' ? 'active' : undefined} />
          </Descriptions.Item>
          {imageId ? <Descriptions.Item label="Image">{imageId}</Descriptions.Item> : null}
          {object ? <Descriptions.Item label="Object">
            <Flex gap={8} align="center">
              <Typography.Text code data-testid="task-object">{bucket}/{object}</Typography.Text>
              {t.data.TaskStatus === 'Finished' && <Button size="small" icon={<DownloadOutlined />} onClick={() => void download().catch(() => undefined)}>Download</Button>}
            </Flex>
          </Descriptions.Item> : null}
          {op?.ErrorCode ? <Descriptions.Item label="Error"><Typography.Text type="danger" data-testid="task-error">{op.ErrorCode}: {op.ErrorMsg}</Typography.Text></Descriptions.Item> : null}
          <Descriptions.Item label="Created">{t.data.CreationTime}</Descriptions.Item>
          {t.data.FinishedTime ? <Descriptions.Item label="Finished">{t.data.FinishedTime}</Descriptions.Item> : null}
        </Descriptions>
      )}
    </div>
  );
}

// ---- import ---------------------------------------------------------------------------------------

interface ImportValues {
  Source: 'upload' | 'bucket'; Bucket: string; Key?: string; Object?: string;
  ImageName?: string; Description?: string; OSType: string; Platform?: string; Architecture: string; Format?: string; DiskImageSize?: number;
}

/** A file name as an object key: the name itself, with characters a key cannot hold replaced. */
const keyOf = (name: string) => name.replace(/[\\\u0000-\u001f]/g, '_').replace(/^\/+|\/+$/g, '') || 'image';

export function ImportImageModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm<ImportValues>();
  const source = Form.useWatch('Source', form) ?? 'upload';
  const bucket = (Form.useWatch('Bucket', form) ?? '').trim();
  const osType = Form.useWatch('OSType', form) ?? 'linux';
  const [file, setFile] = useState<File>();
  const [done, setDone] = useState<{ ImageId: string; TaskId: string }>();
  const objects = useApiData(async () => (source === 'bucket' && BUCKET.test(bucket)
    ? itemsWith((await client.call('ListObjects', { RegionId: region, Bucket: bucket, MaxKeys: 1000 })).Objects?.Object, 'Key')
    : []), [region, source, bucket]);

  const submit = async (v: ImportValues) => {
    const r = await run('Import image', async () => {
      let key = v.Object;
      if (v.Source === 'upload') {
        if (!file) throw new Error('Choose a disk image file to upload.');
        key = (v.Key || keyOf(file.name)).trim();
        await client.call('PutObject', { RegionId: region, Bucket: v.Bucket.trim(), Key: key, Content: await base64Of(file) });
      }
      return client.call('ImportImage', {
        RegionId: region, ImageName: v.ImageName, Description: v.Description, OSType: v.OSType, Platform: v.Platform, Architecture: v.Architecture,
        DiskDeviceMapping: [{ OSSBucket: v.Bucket.trim(), OSSObject: key, Format: v.Format, DiskImageSize: v.DiskImageSize }],
      });
    }, 'Import started');
    if (r?.ImageId && r.TaskId) setDone({ ImageId: r.ImageId, TaskId: r.TaskId });
  };

  if (done) {
    return (
      <Modal open title={`Importing ${done.ImageId}`} onCancel={() => onClose(true)} footer={<Button type="primary" onClick={() => onClose(true)} data-testid="import-image-done">Close</Button>}>
        <Typography.Paragraph>The image is listed under Custom images (Waiting, then Creating) until the task finishes.</Typography.Paragraph>
        <TaskProgress taskId={done.TaskId} imageId={done.ImageId} />
      </Modal>
    );
  }
  return (
    <Modal open width={640} title="Import image" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okText="Import" okButtonProps={{ 'data-testid': 'import-image-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}
        initialValues={{ Source: 'upload', Bucket: 'images', OSType: 'linux', Architecture: 'x86_64' }}>
        <Form.Item label="Disk image file" name="Source" extra="RAW, VHD or QCOW2, from an object of this region's object store.">
          <Radio.Group data-testid="import-source" options={[{ value: 'upload', label: 'Upload a local file' }, { value: 'bucket', label: 'An object already in a bucket' }]} />
        </Form.Item>
        <Form.Item label="Bucket" name="Bucket" rules={[{ required: true }, { pattern: BUCKET, message: '3 to 63 lower-case letters, digits and hyphens' }]}
          extra={source === 'upload' ? 'Created on first upload, in this region.' : undefined}>
          <Input data-testid="import-bucket" />
        </Form.Item>
        {source === 'upload'
          ? <>
            <Form.Item label="File" required extra={`Up to ${MAX_UPLOAD / 1024 / 1024} MiB through the console; larger files are copied into <data dir>/oss/<bucket>/ by the operator.`}>
              <Flex gap={8} align="center">
                <span data-testid="image-file"><Upload maxCount={1} showUploadList={false}
                  beforeUpload={(f) => { setFile(f); if (!form.getFieldValue('Key')) form.setFieldValue('Key', keyOf(f.name)); return false; }}>
                  <Button icon={<UploadOutlined />}>Choose a file</Button>
                </Upload></span>
                {file && <Typography.Text data-testid="image-file-name">{file.name} ({file.size} bytes)</Typography.Text>}
              </Flex>
              {file && file.size > MAX_UPLOAD && <Alert type="error" showIcon style={{ marginTop: 8 }} title="The file is larger than the console can upload." />}
            </Form.Item>
            <Form.Item label="Object key" name="Key"><Input data-testid="import-key" placeholder="the file name" /></Form.Item>
          </>
          : <Form.Item label="Object" name="Object" rules={[{ required: true }]}>
            <Select data-testid="import-object" loading={objects.loading} showSearch placeholder={objects.data?.length === 0 && !objects.loading ? 'No objects in this bucket' : 'Choose an object'}
              options={(objects.data ?? []).map((o) => ({ value: o.Key, label: `${o.Key} (${o.Size} bytes, ${o.LastModified})` }))} />
          </Form.Item>}
        {source === 'bucket' && <ApiErrorAlert error={objects.error} what="Listing the bucket" />}
        <Form.Item label="Image name" name="ImageName"><Input data-testid="import-image-name" /></Form.Item>
        <Flex gap={12} wrap>
          <Form.Item label="OS type" name="OSType">
            <Radio.Group options={[{ value: 'linux', label: 'Linux' }, { value: 'windows', label: 'Windows' }]} onChange={() => form.setFieldValue('Platform', undefined)} />
          </Form.Item>
          <Form.Item label="Platform" name="Platform">
            <Select style={{ width: 200 }} allowClear placeholder={osType === 'windows' ? 'Windows Server 2022' : 'Others Linux'}
              options={PLATFORMS.filter((p) => p.startsWith('Windows') === (osType === 'windows')).map((p) => ({ value: p, label: p }))} />
          </Form.Item>
          <Form.Item label="Architecture" name="Architecture">
            <Select style={{ width: 120 }} options={['x86_64', 'i386', 'arm64'].map((a) => ({ value: a, label: a }))} />
          </Form.Item>
        </Flex>
        <Flex gap={12} wrap>
          <Form.Item label="Format" name="Format">
            <Select style={{ width: 160 }} allowClear placeholder="Detect from the file" options={['RAW', 'VHD', 'QCOW2'].map((f) => ({ value: f, label: f }))} />
          </Form.Item>
          <Form.Item label="System disk size (GiB)" name="DiskImageSize" extra="Default: the file's virtual size, at least 5 GiB.">
            <InputNumber min={5} max={2048} />
          </Form.Item>
        </Flex>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

// ---- export ---------------------------------------------------------------------------------------

export function ExportImageModal({ image, onClose }: { image: Image; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const [taskId, setTaskId] = useState<string>();
  const submit = async (v: { OSSBucket: string; OSSPrefix?: string; ImageFormat: string }) => {
    const r = await run('Export image', () => client.call('ExportImage', { RegionId: region, ImageId: image.ImageId, ...v, OSSBucket: v.OSSBucket.trim() }), 'Export started');
    if (r) setTaskId(r.TaskId);
  };
  if (taskId) {
    return (
      <Modal open title={`Exporting ${image.ImageId}`} onCancel={() => onClose(true)} footer={<Button type="primary" onClick={() => onClose(true)} data-testid="export-image-done">Close</Button>}>
        <TaskProgress taskId={taskId} imageId={image.ImageId} />
      </Modal>
    );
  }
  return (
    <Modal open title={`Export ${image.ImageName || image.ImageId}`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okText="Export" okButtonProps={{ 'data-testid': 'export-image-ok' }}>
      <Typography.Paragraph type="secondary">
        The system disk is written to a bucket of this region that you own as {'<prefix>_<image>_<task>.<format>'}. Images with data disks cannot be exported.
      </Typography.Paragraph>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ OSSBucket: 'images', ImageFormat: 'raw' }}>
        <Form.Item label="Bucket" name="OSSBucket" rules={[{ required: true }, { pattern: BUCKET, message: '3 to 63 lower-case letters, digits and hyphens' }]}>
          <Input data-testid="export-bucket" />
        </Form.Item>
        <Form.Item label="Prefix" name="OSSPrefix" rules={[{ pattern: /^[A-Za-z0-9]{1,30}$/, message: '1 to 30 letters or digits' }]}>
          <Input data-testid="export-prefix" />
        </Form.Item>
        <Form.Item label="Format" name="ImageFormat">
          <Select options={EXPORT_FORMATS.map((f) => ({ value: f, label: f.toUpperCase() }))} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

// ---- the task list ----------------------------------------------------------------------------------

export function TasksTable({ version }: { version: number }) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [watching, setWatching] = useState<string>();
  const list = useServerList<Task>(async (q) => {
    const r = await client.call('DescribeTasks', { RegionId: region, PageNumber: q.pageNumber, PageSize: q.pageSize });
    return { items: itemsWith(r.TaskSet?.Task, 'TaskId'), total: r.TotalCount };
  }, [region, version], { transitional: (t) => t.TaskStatus === 'Processing' });
  return (
    <>
      <Flex style={{ marginBottom: 16 }}><Button onClick={list.reload}>Refresh</Button></Flex>
      <ApiErrorAlert error={list.error} what="Listing tasks" />
      <Table<Task> rowKey="TaskId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="tasks-table"
        columns={[
          { title: 'Task', render: (_, t) => <Button type="link" size="small" style={{ padding: 0 }} onClick={() => setWatching(t.TaskId)}>{t.TaskId}</Button> },
          { title: 'Action', dataIndex: 'TaskAction' },
          { title: 'Image', dataIndex: 'ResourceId' },
          { title: 'Status', render: (_, t) => <TaskStatus status={t.TaskStatus} /> },
          { title: 'Created', dataIndex: 'CreationTime' },
          { title: 'Finished', dataIndex: 'FinishedTime' },
          {
            title: 'Actions', render: (_, t) => (t.SupportCancel === 'true'
              ? <Popconfirm title={`Cancel ${t.TaskId}?`} onConfirm={async () => { if (await run('Cancel task', () => client.call('CancelTask', { RegionId: region, TaskId: t.TaskId }))) list.reload(); }}>
                <Button size="small" danger>Cancel</Button>
              </Popconfirm>
              : null),
          },
        ]} />
      {watching && <Modal open title={watching} footer={null} onCancel={() => { setWatching(undefined); list.reload(); }}>
        <TaskProgress taskId={watching} imageId={list.items.find((t) => t.TaskId === watching)?.ResourceId} />
      </Modal>}
    </>
  );
}
