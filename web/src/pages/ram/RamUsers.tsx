/**
 * RAM users: create (with a console password and policies at once), delete; per user its
 * AccessKeys (a new secret is shown once, then never again), its groups and its policies.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import type { ApiResponse } from '../../api/types';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useConsole } from '../../hooks/console';
import { useAction } from '../../hooks/useAction';
import { useApiData } from '../../hooks/useApiData';
import { allItems, listPolicies } from './common';

type User = NonNullable<NonNullable<ApiResponse<'ListUsers'>['Users']>['User']>[number];
type Policy = { PolicyName?: string; PolicyType?: string };

/** Options for attaching policies: `System:AliyunECSReadOnlyAccess`. */
export function usePolicyOptions() {
  const { client } = useConsole();
  const all = useApiData(() => listPolicies(client), []);
  return (all.data ?? []).map((p) => ({ value: `${p.PolicyType}:${p.PolicyName}`, label: `${p.PolicyName} (${p.PolicyType})` }));
}
const splitPolicy = (v: string) => ({ PolicyType: v.slice(0, v.indexOf(':')), PolicyName: v.slice(v.indexOf(':') + 1) });

function CreateUserModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const options = usePolicyOptions();
  const alias = useApiData(() => client.call('GetAccountAlias', {}), []);
  const submit = async (v: { UserName: string; DisplayName?: string; Password?: string; PasswordResetRequired?: boolean; Policies?: string[] }) => {
    const ok = await run(`Create user ${v.UserName}`, async () => {
      await client.call('CreateUser', { UserName: v.UserName, DisplayName: v.DisplayName });
      if (v.Password) await client.call('CreateLoginProfile', { UserName: v.UserName, Password: v.Password, PasswordResetRequired: !!v.PasswordResetRequired });
      for (const p of v.Policies ?? []) await client.call('AttachPolicyToUser', { UserName: v.UserName, ...splitPolicy(p) });
      return true;
    });
    onClose(ok ? true : undefined);
  };
  return (
    <Modal open title="Create RAM user" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'user-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item label="Logon name" name="UserName" rules={[{ required: true }, { pattern: /^[A-Za-z0-9._@-]{1,64}$/, message: '1–64 letters, digits, . _ - @' }]}
          extra={alias.data?.AccountAlias ? `Signs in as <name>@${alias.data.AccountAlias}` : undefined}>
          <Input data-testid="user-name" />
        </Form.Item>
        <Form.Item label="Display name" name="DisplayName"><Input /></Form.Item>
        <Form.Item label="Console password (creates a login profile; leave empty for API access only)" name="Password">
          <Input.Password autoComplete="new-password" data-testid="user-password" />
        </Form.Item>
        <Form.Item name="PasswordResetRequired" valuePropName="checked"><Checkbox>Require a new password at the first sign-in</Checkbox></Form.Item>
        <Form.Item label="Policies" name="Policies">
          <Select mode="multiple" showSearch options={options} placeholder="AliyunECSReadOnlyAccess …" data-testid="user-policies" />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function AccessKeys({ user }: { user: string }) {
  const { client } = useConsole();
  const { run } = useAction();
  const [secret, setSecret] = useState<{ id: string; secret: string }>();
  const keys = useApiData(() => client.call('ListAccessKeys', { UserName: user }), [user]);
  const create = async () => {
    const r = await run('Create AccessKey', () => client.call('CreateAccessKey', { UserName: user }));
    if (r?.AccessKey?.AccessKeyId) setSecret({ id: r.AccessKey.AccessKeyId, secret: r.AccessKey.AccessKeySecret ?? '' });
    keys.reload();
  };
  const remove = async (id: string) => { if (await run('Delete AccessKey', () => client.call('DeleteAccessKey', { UserName: user, UserAccessKeyId: id }))) keys.reload(); };
  return (
    <Card size="small" title="AccessKeys" extra={<Button size="small" onClick={create} data-testid="create-accesskey">Create AccessKey</Button>}>
      <ApiErrorAlert error={keys.error} what="Listing AccessKeys" />
      {secret && (
        <Alert type="warning" showIcon closable onClose={() => setSecret(undefined)} style={{ marginBottom: 8 }} title="Copy the secret now: it is shown only once."
          description={<>ID <code data-testid="new-ak">{secret.id}</code><br />Secret <Typography.Text copyable code data-testid="new-secret">{secret.secret}</Typography.Text></>} />
      )}
      <Table size="small" pagination={false} rowKey="AccessKeyId" dataSource={keys.data?.AccessKeys?.AccessKey ?? []} columns={[
        { title: 'AccessKey ID', dataIndex: 'AccessKeyId', render: (v: string) => <code>{v}</code> },
        { title: 'Status', dataIndex: 'Status' },
        { title: 'Created', dataIndex: 'CreateDate' },
        { title: '', render: (_, k) => <Popconfirm title="Delete this AccessKey?" onConfirm={() => remove(k.AccessKeyId!)}><Button size="small" danger>Delete</Button></Popconfirm> },
      ]} />
    </Card>
  );
}

function UserGroups({ user }: { user: string }) {
  const { client } = useConsole();
  const { run } = useAction();
  const [pick, setPick] = useState<string>();
  const groups = useApiData(() => client.call('ListGroupsForUser', { UserName: user }), [user]);
  const all = useApiData(() => allItems(async (Marker) => {
    const r = await client.call('ListGroups', { MaxItems: 1000, Marker });
    return { items: r.Groups?.Group ?? [], IsTruncated: r.IsTruncated, Marker: r.Marker };
  }), []);
  const add = async () => { if (pick && await run('Add to group', () => client.call('AddUserToGroup', { UserName: user, GroupName: pick }))) { setPick(undefined); groups.reload(); } };
  const remove = async (g: string) => { if (await run('Remove from group', () => client.call('RemoveUserFromGroup', { UserName: user, GroupName: g }))) groups.reload(); };
  return (
    <Card size="small" title="Groups" extra={<Flex gap={4}>
      <Select size="small" style={{ width: 180 }} value={pick} onChange={setPick} placeholder="Group" options={(all.data ?? []).map((g) => ({ value: g.GroupName!, label: g.GroupName }))} />
      <Button size="small" onClick={add} disabled={!pick}>Add</Button>
    </Flex>}>
      <ApiErrorAlert error={groups.error} what="Listing the user's groups" />
      <Table size="small" pagination={false} rowKey="GroupName" dataSource={groups.data?.Groups?.Group ?? []} columns={[
        { title: 'Group', dataIndex: 'GroupName' },
        { title: 'Joined', dataIndex: 'JoinDate' },
        { title: '', render: (_, g) => <Button size="small" onClick={() => remove(g.GroupName!)}>Remove</Button> },
      ]} />
    </Card>
  );
}

export function AttachedPolicies({ list, attach, detach, testId }: {
  list: { data?: Policy[]; error?: unknown; reload(): void }; attach(p: { PolicyType: string; PolicyName: string }): Promise<unknown>;
  detach?(p: { PolicyType: string; PolicyName: string }): Promise<unknown>; testId: string;
}) {
  const { run } = useAction();
  const options = usePolicyOptions();
  const [pick, setPick] = useState<string>();
  const add = async () => { if (pick && await run('Attach policy', () => attach(splitPolicy(pick)))) { setPick(undefined); list.reload(); } };
  const remove = async (p: Policy) => { if (detach && await run('Detach policy', () => detach({ PolicyType: p.PolicyType!, PolicyName: p.PolicyName! }))) list.reload(); };
  return (
    <Card size="small" title="Policies" extra={<Flex gap={4}>
      <Select size="small" showSearch style={{ width: 260 }} value={pick} onChange={setPick} placeholder="Policy" options={options} />
      <Button size="small" onClick={add} disabled={!pick}>Attach</Button>
    </Flex>}>
      <ApiErrorAlert error={list.error} what="Listing the policies" />
      <Table size="small" pagination={false} rowKey={(p) => `${p.PolicyType}:${p.PolicyName}`} dataSource={list.data ?? []} data-testid={testId} columns={[
        { title: 'Policy', dataIndex: 'PolicyName' },
        { title: 'Type', dataIndex: 'PolicyType' },
        ...(detach ? [{ title: '', render: (_: unknown, p: Policy) => <Button size="small" onClick={() => remove(p)}>Detach</Button> }] : []),
      ]} />
    </Card>
  );
}

function UserDetail({ user }: { user: string }) {
  const { client } = useConsole();
  const policies = useApiData(async () => (await client.call('ListPoliciesForUser', { UserName: user })).Policies?.Policy ?? [], [user]);
  return (
    <Flex vertical gap={12} data-testid={`user-detail-${user}`}>
      <AccessKeys user={user} />
      <UserGroups user={user} />
      <AttachedPolicies list={policies} testId="user-policies-table"
        attach={(p) => client.call('AttachPolicyToUser', { UserName: user, ...p })}
        detach={(p) => client.call('DetachPolicyFromUser', { UserName: user, ...p })} />
    </Flex>
  );
}

export function RamUsers() {
  const { client } = useConsole();
  const { run } = useAction();
  const [creating, setCreating] = useState(false);
  const list = useApiData(() => allItems(async (Marker) => {
    const r = await client.call('ListUsers', { MaxItems: 1000, Marker });
    return { items: r.Users?.User ?? [], IsTruncated: r.IsTruncated, Marker: r.Marker };
  }), []);
  const remove = async (name: string) => {
    // RAM refuses to delete a user that still has a login profile (DeleteConflict); the console removes it first, as RAM's console does.
    const ok = await run(`Delete user ${name}`, async () => {
      const lp = await client.call('DeleteLoginProfile', { UserName: name }).catch((e: unknown) => e);
      if (lp instanceof Error && !/EntityNotExist/.test((lp as { code?: string }).code ?? '')) throw lp;
      return client.call('DeleteUser', { UserName: name });
    });
    if (ok) list.reload();
  };
  return (
    <>
      <PageHeader title="RAM Users" sub="Identities of this account: console passwords, AccessKeys, groups and policies." extra={<>
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-user">Create user</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Listing RAM users" />
      <Table<User> rowKey="UserName" size="middle" loading={list.loading} dataSource={list.data ?? []} data-testid="users-table"
        expandable={{ expandedRowRender: (u) => <UserDetail user={u.UserName!} /> }}
        columns={[
          { title: 'Logon name', dataIndex: 'UserName' },
          { title: 'Display name', dataIndex: 'DisplayName' },
          { title: 'User ID', dataIndex: 'UserId' },
          { title: 'Created', dataIndex: 'CreateDate' },
          {
            title: 'Actions', render: (_, u) => (
              <Popconfirm title={`Delete ${u.UserName}?`} onConfirm={() => remove(u.UserName!)}>
                <Button size="small" danger>Delete</Button>
              </Popconfirm>
            ),
          },
        ]} />
      {creating && <CreateUserModal onClose={(changed) => { setCreating(false); if (changed) list.reload(); }} />}
    </>
  );
}
