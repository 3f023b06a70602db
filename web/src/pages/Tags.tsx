/**
 * The tag page (user guide, "Tags"): find the resources carrying a tag across resource types
 * (ListTagResources of each type, ECS and VPC products side by side), add tags to resources
 * (TagResources) and remove them (UntagResources / the VPC API's UnTagResources), and the tag
 * keys and values in use on ECS resources with a count per type (DescribeTags, server-paged).
 */
import { CloseOutlined, PlusOutlined, ReloadOutlined, SearchOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag as AntTag } from 'antd';
import { useState } from 'react';
import { findTagged, TAG_TARGETS, tagResources, targetOf, untagResources, type TaggedResource, type TagQuery } from '../api/tag-calls';
import { itemsWith, type Has } from '../api/answers';
import type { ApiResponse, TagParam } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { TagsInput } from '../components/TagsInput';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';
import { useServerList } from '../hooks/useServerList';

const ALL = 'all';
const TYPE_OPTIONS = TAG_TARGETS.map((t) => ({ value: t.type, label: t.label }));
const splitIds = (s?: string) => (s ?? '').split(/[\s,]+/).filter(Boolean);

type TagCount = Has<NonNullable<NonNullable<ApiResponse<'DescribeTags'>['Tags']>['Tag']>[number], 'TagKey'>;

function AddTagsModal({ preset, onClose }: { preset?: { type: string; id: string }; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { ResourceType: string; ResourceId: string; Tag?: TagParam[] }) => {
    const ids = splitIds(v.ResourceId);
    if (await run('Add tags', () => tagResources(client, region, v.ResourceType, ids, v.Tag ?? []))) onClose(true);
  };
  return (
    <Modal open title="Add tags" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'add-tags-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}
        initialValues={{ ResourceType: preset?.type ?? 'instance', ResourceId: preset?.id, Tag: [{}] }}>
        <Form.Item label="Resource type" name="ResourceType" rules={[{ required: true }]}>
          <Select options={TYPE_OPTIONS} data-testid="add-tags-type" />
        </Form.Item>
        <Form.Item label="Resource IDs (comma or space separated, up to 50)" name="ResourceId" rules={[{ required: true }]}>
          <Input.TextArea rows={2} data-testid="add-tags-ids" />
        </Form.Item>
        <Form.Item label="Tags (up to 20 per resource; an existing key gets the new value)"><TagsInput /></Form.Item>
      </Form>
    </Modal>
  );
}

function TaggedResources({ query, version, onChanged, onAdd }: {
  query?: TagQuery & { type: string }; version: number; onChanged(): void; onAdd(r: TaggedResource): void;
}) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const found = useApiData(async () => {
    if (!query) return [];
    const targets = query.type === ALL ? TAG_TARGETS : [targetOf(query.type)];
    return findTagged(client, region, targets, query);
  }, [region, query, version]);
  const untag = async (r: TaggedResource, key: string) => {
    if (await run('Remove tag', () => untagResources(client, region, r.ResourceType, [r.ResourceId], [key]))) onChanged();
  };
  return (
    <>
      {!query && <Alert type="info" showIcon style={{ marginBottom: 16 }} title="Search by a tag key (optionally its value) or by resource IDs." />}
      <ApiErrorAlert error={found.error} what="Listing tagged resources" />
      <Table<TaggedResource> rowKey={(r) => `${r.ResourceType}/${r.ResourceId}`} size="middle" loading={!!query && found.loading}
        dataSource={found.data ?? []} data-testid="tagged-table" pagination={{ pageSize: 10, showTotal: (t) => `${t} resources` }}
        columns={[
          { title: 'Resource', dataIndex: 'ResourceId' },
          { title: 'Type', render: (_, r) => targetOf(r.ResourceType).label },
          {
            title: 'Tags', render: (_, r) => r.Tags.map((t) => (
              <AntTag key={t.TagKey} data-testid="tag-chip">
                {t.TagKey}{t.TagValue ? `: ${t.TagValue}` : ''}
                <Popconfirm title={`Remove tag ${t.TagKey} from ${r.ResourceId}?`} onConfirm={() => untag(r, t.TagKey ?? '')} okButtonProps={{ 'data-testid': 'confirm-untag' }}>
                  <CloseOutlined data-testid={`untag-${t.TagKey}`} style={{ marginInlineStart: 6, fontSize: 10, cursor: 'pointer' }} />
                </Popconfirm>
              </AntTag>
            )),
          },
          { title: 'Actions', render: (_, r) => <Button size="small" icon={<PlusOutlined />} onClick={() => onAdd(r)} data-testid="row-add-tags">Add tags</Button> },
        ]} />
    </>
  );
}

function TagKeys({ version, onFind }: { version: number; onFind(key: string, value: string): void }) {
  const { client, region } = useConsole();
  const [filter, setFilter] = useState<{ key?: string; value?: string }>({});
  const list = useServerList<TagCount>(async (q) => {
    const r = await client.call('DescribeTags', {
      RegionId: region, PageNumber: q.pageNumber, PageSize: q.pageSize,
      Tag: filter.key ? [{ Key: filter.key, Value: filter.value || undefined }] : undefined,
    });
    return { items: itemsWith(r.Tags?.Tag, 'TagKey'), total: r.TotalCount };
  }, [region, filter, version]);
  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <Input.Search placeholder="Tag key" allowClear onSearch={(key) => setFilter((f) => ({ ...f, key }))} style={{ width: 220 }} data-testid="keys-filter-key" />
        <Input.Search placeholder="Tag value (with a key)" allowClear onSearch={(value) => setFilter((f) => ({ ...f, value }))} style={{ width: 220 }} />
      </Space>
      <ApiErrorAlert error={list.error} what="Listing tag keys" />
      <Table<TagCount> rowKey={(t) => JSON.stringify([t.TagKey, t.TagValue])} size="middle" loading={list.loading} dataSource={list.items}
        pagination={list.pagination} data-testid="tag-keys-table"
        columns={[
          { title: 'Key', dataIndex: 'TagKey' },
          { title: 'Value', dataIndex: 'TagValue', render: (v: string) => v || <span style={{ color: '#bbb' }}>(empty)</span> },
          {
            title: 'Resources', render: (_, t) => Object.entries(t.ResourceTypeCount ?? {}).filter(([, n]) => (n ?? 0) > 0)
              .map(([type, n]) => <AntTag key={type}>{type}: {n}</AntTag>),
          },
          { title: '', render: (_, t) => <a onClick={() => onFind(t.TagKey, t.TagValue ?? '')}>Find resources</a> },
        ]} />
    </>
  );
}

export function Tags() {
  const [form] = Form.useForm();
  const [query, setQuery] = useState<TagQuery & { type: string }>();
  const [version, setVersion] = useState(0);
  const [adding, setAdding] = useState<{ type: string; id: string } | null>();
  const changed = () => setVersion((v) => v + 1);
  const search = (v: { key?: string; value?: string; type?: string; ids?: string }) => {
    const q = { key: v.key?.trim() || undefined, value: v.value?.trim() || undefined, ids: splitIds(v.ids), type: v.type ?? ALL };
    setQuery(q.key || q.ids.length ? q : undefined);
  };
  const find = (key: string, value: string) => {
    form.setFieldsValue({ key, value, type: ALL, ids: '' });
    search({ key, value, type: ALL });
  };
  return (
    <>
      <PageHeader title="Tags" sub="Tags are per region; a resource carries at most 20." extra={<>
        <Button icon={<ReloadOutlined />} onClick={changed}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(null)} data-testid="add-tags">Add tags</Button>
      </>} />
      <Card title="Resources by tag" style={{ marginBottom: 16 }}>
        <Form form={form} layout="inline" onFinish={search} initialValues={{ type: ALL }} style={{ marginBottom: 16, rowGap: 8 }}>
          <Form.Item name="key"><Input placeholder="Tag key (ECS types: env* patterns)" style={{ width: 240 }} data-testid="tag-search-key" /></Form.Item>
          <Form.Item name="value"><Input placeholder="Tag value (optional)" style={{ width: 180 }} data-testid="tag-search-value" /></Form.Item>
          <Form.Item name="type">
            <Select style={{ width: 200 }} virtual={false} options={[{ value: ALL, label: 'All resource types' }, ...TYPE_OPTIONS]} data-testid="tag-search-type" />
          </Form.Item>
          <Form.Item name="ids"><Input placeholder="Resource IDs (optional)" style={{ width: 220 }} /></Form.Item>
          <Button type="primary" htmlType="submit" icon={<SearchOutlined />} data-testid="tag-search">Search</Button>
        </Form>
        <TaggedResources query={query} version={version} onChanged={changed} onAdd={(r) => setAdding({ type: targetOf(r.ResourceType).type, id: r.ResourceId })} />
      </Card>
      <Card title="Tag keys and values on ECS resources">
        <TagKeys version={version} onFind={find} />
      </Card>
      {adding !== undefined && <AddTagsModal preset={adding ?? undefined} onClose={(c) => { setAdding(undefined); if (c) changed(); }} />}
    </>
  );
}
