/**
 * Fault injection (OpenECS extension, admin only): rules that make API actions answer one of
 * their documented errors or wait, or make a driver step fail, to rehearse retry and failure
 * handling. The server checks every rule (and refuses non-admin callers with Forbidden.NotAdmin).
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Modal, Popconfirm, Result, Select, Table, Tag } from 'antd';
import { useState } from 'react';
import { ApiError } from '../api/client';
import type { ApiRequest, ApiResponse } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';

type Target = NonNullable<ApiRequest<'CreateFaultRule'>['Target']>;
type Rule = NonNullable<NonNullable<ApiResponse<'DescribeFaultRules'>['FaultRules']>['FaultRule']>[number];

const TARGETS: { value: Target; label: string }[] = [
  { value: 'Api', label: 'API action: answer a documented error and/or wait' },
  { value: 'InstanceStart', label: 'Instance start: the guest does not boot' },
  { value: 'DiskAttach', label: 'Disk attach: the disk fails to attach' },
  { value: 'SnapshotCreate', label: 'Snapshot: copying the disk\'s bytes fails' },
  { value: 'HostEvent', label: 'Host event: the guest dies' },
];
const PRODUCTS = ['ecs', 'vpc', 'ram', 'sts', 'bssopenapi', 'resourcemanager', '*'].map((p) => ({ value: p, label: p }));

interface FormValues {
  Target: Target; Product?: string; ApiName?: string; AccountId?: string; ResourceId?: string; ErrorCode?: string;
  ErrorMessage?: string; LatencyMs?: number; Probability?: number; Count?: number; Description?: string;
}

function CreateModal({ onClose }: { onClose(changed?: boolean): void }) {
  const { client } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm<FormValues>();
  const target = Form.useWatch('Target', form) ?? 'Api';
  const api = target === 'Api';
  const submit = async (v: FormValues) => {
    const blank = (x: string | undefined) => (x?.trim() ? x.trim() : undefined);
    const params = {
      Target: v.Target, Product: api ? v.Product : undefined, ApiName: api ? blank(v.ApiName) : undefined,
      AccountId: api ? blank(v.AccountId) : undefined, ResourceId: api ? undefined : blank(v.ResourceId),
      ErrorCode: api ? blank(v.ErrorCode) : undefined, ErrorMessage: blank(v.ErrorMessage), LatencyMs: v.LatencyMs ?? undefined,
      Probability: v.Probability ?? undefined, Count: v.Count ?? undefined, Description: blank(v.Description),
    };
    if (await run('Create fault rule', () => client.call('CreateFaultRule', params), 'Fault rule created')) onClose(true);
  };
  return (
    <Modal open title="Create fault rule" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'fault-ok' }} width={640}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ Target: 'Api', Product: 'ecs', Probability: 1 }}>
        <Form.Item label="What fails" name="Target"><Select options={TARGETS} data-testid="fault-target" /></Form.Item>
        {api ? <>
          <Form.Item label="Product" name="Product"><Select options={PRODUCTS} /></Form.Item>
          <Form.Item label="Action" name="ApiName" rules={[{ required: true }]} extra="An action name; * matches any characters (Describe*).">
            <Input data-testid="fault-api-name" placeholder="StopInstance" />
          </Form.Item>
          <Form.Item label="Error code" name="ErrorCode" extra="One of the action's documented codes (or Throttling, ServiceUnavailable, InternalError); empty for latency only.">
            <Input data-testid="fault-error-code" placeholder="IncorrectInstanceStatus" />
          </Form.Item>
          <Form.Item label="Only for account" name="AccountId" extra="Empty: every caller."><Input /></Form.Item>
        </> : (
          <Form.Item label="Instance, disk or snapshot id" name="ResourceId" rules={[{ required: target === 'HostEvent' }]} extra="Empty: any (a host event needs an instance).">
            <Input data-testid="fault-resource-id" />
          </Form.Item>
        )}
        <Form.Item label="Error message" name="ErrorMessage" extra={api ? 'Empty: the action\'s documented message.' : 'Recorded in the operation\'s error.'}><Input /></Form.Item>
        <Form.Item label="Latency (ms)" name="LatencyMs" extra={api ? 'Waited before the answer.' : 'With a latency the step is only slowed down, not failed.'}>
          <InputNumber min={0} max={60000} style={{ width: '100%' }} data-testid="fault-latency" />
        </Form.Item>
        <Form.Item label="Probability (0–1)" name="Probability"><InputNumber min={0} max={1} step={0.1} style={{ width: '100%' }} /></Form.Item>
        <Form.Item label="For the next N matching calls" name="Count" extra="Empty: until the rule is deleted.">
          <InputNumber min={1} max={1000000} style={{ width: '100%' }} data-testid="fault-count" />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input maxLength={256} /></Form.Item>
      </Form>
    </Modal>
  );
}

export function FaultRules() {
  const { client } = useConsole();
  const { run } = useAction();
  const [creating, setCreating] = useState(false);
  const rules = useApiData(async () => (await client.call('DescribeFaultRules', {})).FaultRules?.FaultRule ?? [], []);
  if (rules.error instanceof ApiError && rules.error.code === 'Forbidden.NotAdmin') {
    return <Result status="403" title="Fault injection" subTitle="Only the OpenECS root (admin) account can rehearse failures." data-testid="faults-not-admin" />;
  }
  const remove = async (id: string) => {
    if (await run('Delete fault rule', () => client.call('DeleteFaultRule', { FaultRuleId: id }), 'Fault rule deleted')) rules.reload();
  };
  return (
    <>
      <PageHeader title="Fault Injection" sub="Make actions answer their documented errors, add latency, or fail a driver step." extra={<>
        <Button icon={<ReloadOutlined />} onClick={rules.reload}>Refresh</Button>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} data-testid="create-fault-rule">Create fault rule</Button>
      </>} />
      <ApiErrorAlert error={rules.error} what="Listing fault rules" />
      <Table<Rule> rowKey="FaultRuleId" size="middle" loading={rules.loading} dataSource={rules.data} pagination={false} data-testid="faults-table"
        columns={[
          { title: 'Rule', dataIndex: 'FaultRuleId', render: (id: string, r) => <><code>{id}</code>{r.Description ? <div>{r.Description}</div> : null}</> },
          { title: 'What fails', render: (_, r) => (r.Target === 'Api' ? <code>{`${r.Product}:${r.ApiName}`}</code> : <>{r.Target}{r.ResourceId ? <> <code>{r.ResourceId}</code></> : null}</>) },
          { title: 'Effect', render: (_, r) => <>{r.ErrorCode ? <Tag color="red">{r.ErrorCode}</Tag> : null}{r.LatencyMs ? <Tag>{`+${r.LatencyMs} ms`}</Tag> : null}{r.Target !== 'Api' && !r.LatencyMs ? <Tag color="red">fails</Tag> : null}</> },
          { title: 'Account', dataIndex: 'AccountId', render: (a: string) => a || 'any' },
          { title: 'Probability', dataIndex: 'Probability' },
          { title: 'Remaining', render: (_, r) => (r.RemainingCount !== undefined && r.RemainingCount >= 0 ? `${r.RemainingCount} of ${r.Count}` : 'unlimited') },
          { title: 'Hits', dataIndex: 'HitCount' },
          { title: 'Status', dataIndex: 'Status', render: (st: string) => <Tag color={st === 'Active' ? 'orange' : 'default'}>{st}</Tag> },
          { title: 'Created', dataIndex: 'CreationTime' },
          {
            title: 'Actions', render: (_, r) => (
              <Popconfirm title={`Delete ${r.FaultRuleId}?`} onConfirm={() => remove(r.FaultRuleId!)}>
                <Button size="small" danger data-testid={`delete-${r.FaultRuleId}`}>Delete</Button>
              </Popconfirm>
            ),
          },
        ]} />
      {creating && <CreateModal onClose={(changed) => { setCreating(false); if (changed) rules.reload(); }} />}
    </>
  );
}
