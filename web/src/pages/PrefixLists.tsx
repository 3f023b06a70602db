/**
 * Prefix lists (ECS API): list (NextToken paged), create with family, max entries and entries,
 * edit name, description and entries (ModifyPrefixList AddEntry/RemoveEntry, computed from the
 * edited text: components/prefix-list-entries.ts), delete; each list's entries and the security
 * groups using it in a drawer.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Descriptions, Drawer, Form, Input, InputNumber, Modal, Popconfirm, Radio, Space, Table } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { PrefixList, PrefixListEntry } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { entriesText, entryChanges, parseEntries } from '../components/prefix-list-entries';
import { TokenPager } from '../components/TokenPager';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';
import { useServerList } from '../hooks/useServerList';
import { Link } from '../router';

type Close = (changed?: boolean) => void;

function CreatePrefixListModal({ onClose }: { onClose: Close }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { PrefixListName: string; AddressFamily: string; MaxEntries: number; Description?: string; Entries?: string }) => {
    const { Entries, ...rest } = v;
    const r = await run('Create prefix list', () => client.call('CreatePrefixList', { RegionId: region, ...rest, Entry: parseEntries(Entries ?? '') }));
    if (r) onClose(true);
  };
  return (
    <Modal open title="Create prefix list" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'pl-create-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ AddressFamily: 'IPv4', MaxEntries: 10 }}>
        <Form.Item label="Name" name="PrefixListName" rules={[{ required: true }]} extra="2 to 128 characters, starting with a letter; not starting with com.aliyun or com.alibabacloud.">
          <Input data-testid="pl-name" />
        </Form.Item>
        <Form.Item label="Address family" name="AddressFamily"><Radio.Group options={['IPv4', 'IPv6']} data-testid="pl-family" /></Form.Item>
        <Form.Item label="Max entries" name="MaxEntries" rules={[{ required: true }]} extra="1 to 200; each security group rule using the list counts as this many rules.">
          <InputNumber min={1} max={200} data-testid="pl-max" />
        </Form.Item>
        <Form.Item label="Entries" name="Entries" extra="One a line: CIDR, then optionally a description.">
          <Input.TextArea rows={4} placeholder={'10.0.0.0/8 office\n192.168.1.0/24'} data-testid="pl-entries" />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

function EditPrefixListModal({ list, entries, onClose }: { list: PrefixList; entries: PrefixListEntry[]; onClose: Close }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const submit = async (v: { PrefixListName?: string; Description?: string; Entries?: string }) => {
    const r = await run('Modify prefix list', () => client.call('ModifyPrefixList', {
      RegionId: region, PrefixListId: list.PrefixListId,
      PrefixListName: v.PrefixListName !== list.PrefixListName ? v.PrefixListName : undefined,
      Description: v.Description !== list.Description ? v.Description : undefined,
      ...entryChanges(entries, parseEntries(v.Entries ?? '')),
    }));
    if (r) onClose(true);
  };
  return (
    <Modal open title={`Edit ${list.PrefixListId}`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'pl-edit-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}
        initialValues={{ PrefixListName: list.PrefixListName, Description: list.Description, Entries: entriesText(entries) }}>
        <Form.Item label="Name" name="PrefixListName"><Input data-testid="pl-edit-name" /></Form.Item>
        <Form.Item label="Entries" name="Entries" extra={`One a line: CIDR, then optionally a description. At most ${list.MaxEntries}.`}>
          <Input.TextArea rows={6} data-testid="pl-edit-entries" />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

/** One prefix list's entries (DescribePrefixListAttributes) and users (DescribePrefixListAssociations). */
function PrefixListDrawer({ list, onClose }: { list: PrefixList; onClose: Close }) {
  const { client, region } = useConsole();
  const [editing, setEditing] = useState(false);
  const [changed, setChanged] = useState(false);
  const attrs = useApiData(() => client.call('DescribePrefixListAttributes', { RegionId: region, PrefixListId: list.PrefixListId }), [region, list.PrefixListId]);
  const assoc = useApiData(async () => itemsWith((await client.call('DescribePrefixListAssociations', { RegionId: region, PrefixListId: list.PrefixListId, MaxResults: 100 }))
    .PrefixListAssociations?.PrefixListAssociation, 'ResourceId'), [region, list.PrefixListId]);
  const entries = itemsWith(attrs.data?.Entries?.Entry, 'Cidr');
  const current: PrefixList = { ...list, PrefixListName: attrs.data?.PrefixListName ?? list.PrefixListName, Description: attrs.data?.Description ?? list.Description };
  return (
    <Drawer open size="large" title={current.PrefixListName || list.PrefixListId} onClose={() => onClose(changed)}
      extra={<Button type="primary" disabled={!attrs.data} onClick={() => setEditing(true)} data-testid="pl-edit">Edit</Button>}>
      <ApiErrorAlert error={attrs.error} what="Reading the prefix list" />
      <Descriptions bordered column={1} size="small" style={{ marginBottom: 16 }}>
        <Descriptions.Item label="ID">{list.PrefixListId}</Descriptions.Item>
        <Descriptions.Item label="Address family">{list.AddressFamily}</Descriptions.Item>
        <Descriptions.Item label="Max entries">{list.MaxEntries}</Descriptions.Item>
        <Descriptions.Item label="Description">{current.Description || '-'}</Descriptions.Item>
      </Descriptions>
      <h4>Entries</h4>
      <Table<PrefixListEntry> rowKey="Cidr" size="small" pagination={false} loading={attrs.loading} dataSource={entries} data-testid="pl-entries-table"
        columns={[{ title: 'CIDR', dataIndex: 'Cidr' }, { title: 'Description', dataIndex: 'Description' }]} />
      <h4 style={{ marginTop: 16 }}>Associated resources</h4>
      <ApiErrorAlert error={assoc.error} what="Reading the associations" />
      <Table rowKey="ResourceId" size="small" pagination={false} loading={assoc.loading} dataSource={assoc.data ?? []} data-testid="pl-associations-table"
        columns={[
          { title: 'Resource', render: (_, a) => (a.ResourceType === 'securitygroup' ? <Link to={`/security-groups/${a.ResourceId}`}>{a.ResourceId}</Link> : a.ResourceId) },
          { title: 'Type', dataIndex: 'ResourceType' },
        ]} />
      {editing && attrs.data && <EditPrefixListModal list={current} entries={entries}
        onClose={(c) => { setEditing(false); if (c) { setChanged(true); attrs.reload(); } }} />}
    </Drawer>
  );
}

export function PrefixLists() {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [name, setName] = useState('');
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<PrefixList>();
  const list = useServerList<PrefixList>(async (q) => {
    const r = await client.call('DescribePrefixLists', { RegionId: region, PrefixListName: name || undefined, NextToken: q.nextToken, MaxResults: q.pageSize });
    return { items: itemsWith(r.PrefixLists?.PrefixList, 'PrefixListId'), nextToken: r.NextToken || undefined };
  }, [region, name], { mode: 'token', pageSize: 20 });
  const remove = async (p: PrefixList) => {
    if (await run('Delete prefix list', () => client.call('DeletePrefixList', { RegionId: region, PrefixListId: p.PrefixListId }))) list.reload();
  };
  return (
    <>
      <PageHeader title="Prefix lists" extra={<>
        <Input.Search allowClear placeholder="Exact name" onSearch={setName} style={{ width: 200 }} data-testid="pl-search" />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-prefix-list">Create prefix list</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing prefix lists" />
      <Table<PrefixList> rowKey="PrefixListId" size="middle" loading={list.loading} dataSource={list.items} pagination={false} data-testid="prefix-lists-table"
        columns={[
          { title: 'Prefix list', render: (_, p) => <><a onClick={() => setOpen(p)} data-testid="pl-open">{p.PrefixListId}</a><div style={{ color: '#888' }}>{p.PrefixListName}</div></> },
          { title: 'Family', dataIndex: 'AddressFamily' },
          { title: 'Max entries', dataIndex: 'MaxEntries' },
          { title: 'Associations', render: (_, p) => <span data-testid="pl-association-count">{p.AssociationCount ?? 0}</span> },
          { title: 'Description', dataIndex: 'Description', ellipsis: true },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, p) => (
              <Space>
                <Button size="small" onClick={() => setOpen(p)} data-testid="pl-details">Entries</Button>
                <Popconfirm title={`Delete ${p.PrefixListId}?`} onConfirm={() => remove(p)} okButtonProps={{ 'data-testid': 'confirm-delete-pl' }}>
                  <Button size="small" danger data-testid="pl-delete">Delete</Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]} />
      <TokenPager list={list} />
      {creating && <CreatePrefixListModal onClose={(c) => { setCreating(false); if (c) list.reload(); }} />}
      {open && <PrefixListDrawer list={open} onClose={(c) => { setOpen(undefined); if (c) list.reload(); }} />}
    </>
  );
}
