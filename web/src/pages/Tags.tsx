/** Tags across resources (ListTagResources, NextToken paging), adding and removing them. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Popconfirm, Select, Space, Table } from 'antd';
import { useState } from 'react';
import type { TagResource } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { TagsInput } from '../components/TagsInput';
import { TokenPager } from '../components/TokenPager';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useServerList, type ServerList } from '../hooks/useServerList';

const RESOURCE_TYPES = ['instance', 'disk', 'snapshot', 'image', 'securitygroup', 'keypair', 'launchtemplate', 'eni', 'ddh', 'reservedinstance', 'snapshotpolicy'];

function AddTagsModal({ resourceType, onClose }: { resourceType: string; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { ResourceId: string; Tag: { Key: string; Value?: string }[] }) => {
    const ids = v.ResourceId.split(/[\s,]+/).filter(Boolean);
    if (await run('Add tags', () => client.call('TagResources', { RegionId: region, ResourceType: resourceType, ResourceId: ids, Tag: v.Tag ?? [] }))) onClose(true);
  };
  return (
    <Modal open title={`Tag ${resourceType} resources`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ Tag: [{}] }}>
        <Form.Item label="Resource IDs (comma or space separated, up to 50)" name="ResourceId" rules={[{ required: true }]}><Input.TextArea rows={2} /></Form.Item>
        <Form.Item label="Tags"><TagsInput /></Form.Item>
      </Form>
    </Modal>
  );
}

export function Tags() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [resourceType, setResourceType] = useState('instance');
  const [key, setKey] = useState('');
  const [ids, setIds] = useState('');
  const [adding, setAdding] = useState(false);
  const resourceIds = ids.split(/[\s,]+/).filter(Boolean);
  // ListTagResources needs resource IDs or a tag filter ("not allow to both empty").
  const searching = !!key || resourceIds.length > 0;
  const list = useServerList<TagResource>(async (q) => {
    if (!searching) return { items: [] };
    const r = await client.call('ListTagResources', {
      RegionId: region, ResourceType: resourceType, NextToken: q.nextToken,
      ResourceId: resourceIds.length ? resourceIds : undefined,
      TagFilter: key ? [{ TagKey: key }] : undefined,
    });
    return { items: r.TagResources.TagResource, nextToken: r.NextToken };
  }, [region, resourceType, key, ids], { mode: 'token' });
  const untag = async (t: TagResource) => {
    if (await run('Remove tag', () => client.call('UntagResources', { RegionId: region, ResourceType: t.ResourceType, ResourceId: [t.ResourceId], TagKey: [t.TagKey] }))) list.reload();
  };
  return (
    <>
      <PageHeader title="Tags" extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)}>Add tags</Button>
      </>} />
      <Space style={{ marginBottom: 16 }} wrap>
        <Select value={resourceType} onChange={setResourceType} style={{ width: 200 }} options={RESOURCE_TYPES.map((t) => ({ value: t, label: t }))} />
        <Input.Search placeholder="Tag key" allowClear onSearch={setKey} style={{ width: 220 }} />
        <Input.Search placeholder="Resource IDs (comma separated)" allowClear onSearch={setIds} style={{ width: 320 }} />
      </Space>
      {!searching && <Alert type="info" showIcon style={{ marginBottom: 16 }} title="Search by a tag key or by resource IDs to list tags." />}
      <ApiErrorAlert error={list.error} what="Listing tags" />
      <Table<TagResource> rowKey={(t) => `${t.ResourceId}/${t.TagKey}`} size="middle" loading={list.loading} dataSource={list.items} pagination={false}
        columns={[
          { title: 'Resource', dataIndex: 'ResourceId' },
          { title: 'Type', dataIndex: 'ResourceType' },
          { title: 'Key', dataIndex: 'TagKey' },
          { title: 'Value', dataIndex: 'TagValue' },
          { title: '', render: (_, t) => <Popconfirm title={`Remove ${t.TagKey} from ${t.ResourceId}?`} onConfirm={() => untag(t)}><Button size="small" danger>Remove</Button></Popconfirm> },
        ]} />
      <TokenPager list={list as ServerList<unknown>} />
      {adding && <AddTagsModal resourceType={resourceType} onClose={(c) => { setAdding(false); if (c) list.reload(); }} />}
    </>
  );
}
