/**
 * One security group's rules: inbound and outbound tables, add (with common-port presets) and
 * delete; the tools (clone, export, import, restore) and the access explainer (SecurityGroupTools.tsx).
 */
import { CopyOutlined, HistoryOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { Button, Form, Input, InputNumber, Modal, Popconfirm, Radio, Select, Space, Table, Tabs } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { Permission } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';
import { AccessExplainer, CloneModal, ExportRulesButton, ImportRulesModal, RestoreRulesModal } from './SecurityGroupTools';

type Direction = 'ingress' | 'egress';

/** Common ports and their services (security guide 1.4). */
const PRESETS: { label: string; IpProtocol: string; PortRange: string }[] = [
  { label: 'SSH (22)', IpProtocol: 'TCP', PortRange: '22/22' },
  { label: 'RDP (3389)', IpProtocol: 'TCP', PortRange: '3389/3389' },
  { label: 'HTTP (80)', IpProtocol: 'TCP', PortRange: '80/80' },
  { label: 'HTTPS (443)', IpProtocol: 'TCP', PortRange: '443/443' },
  { label: 'ICMP (ping)', IpProtocol: 'ICMP', PortRange: '-1/-1' },
  { label: 'MySQL (3306)', IpProtocol: 'TCP', PortRange: '3306/3306' },
  { label: 'SQL Server (1433)', IpProtocol: 'TCP', PortRange: '1433/1433' },
  { label: 'Redis (6379)', IpProtocol: 'TCP', PortRange: '6379/6379' },
  { label: 'All traffic', IpProtocol: 'ALL', PortRange: '-1/-1' },
];

interface RuleValues { Policy: string; Priority: number; IpProtocol: string; PortRange: string; Peer: string; Description?: string }

function AddRuleModal({ groupId, direction, onClose }: { groupId: string; direction: Direction; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm<RuleValues>();
  const submit = async (v: RuleValues) => {
    const peer = v.Peer.trim();
    const isGroup = peer.startsWith('sg-');
    const common = { RegionId: region, SecurityGroupId: groupId, Policy: v.Policy, Priority: String(v.Priority), IpProtocol: v.IpProtocol, PortRange: v.PortRange, Description: v.Description };
    const ok = direction === 'ingress'
      ? await run('Add inbound rule', () => client.call('AuthorizeSecurityGroup', { ...common, [isGroup ? 'SourceGroupId' : 'SourceCidrIp']: peer }))
      : await run('Add outbound rule', () => client.call('AuthorizeSecurityGroupEgress', { ...common, [isGroup ? 'DestGroupId' : 'DestCidrIp']: peer }));
    if (ok) onClose(true);
  };
  return (
    <Modal open title={`Add ${direction === 'ingress' ? 'inbound' : 'outbound'} rule`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'rule-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ Policy: 'accept', Priority: 1, IpProtocol: 'TCP', PortRange: '22/22', Peer: '0.0.0.0/0' }}>
        <Form.Item label="Common ports">
          <Select placeholder="Choose a preset" options={PRESETS.map((p, i) => ({ value: i, label: p.label }))}
            onChange={(i: number) => form.setFieldsValue({ IpProtocol: PRESETS[i]!.IpProtocol, PortRange: PRESETS[i]!.PortRange })} />
        </Form.Item>
        <Form.Item label="Action" name="Policy"><Radio.Group options={[{ value: 'accept', label: 'Allow' }, { value: 'drop', label: 'Deny' }]} /></Form.Item>
        <Space>
          <Form.Item label="Priority (1–100)" name="Priority"><InputNumber min={1} max={100} /></Form.Item>
          <Form.Item label="Protocol" name="IpProtocol">
            <Select style={{ width: 120 }} options={['TCP', 'UDP', 'ICMP', 'GRE', 'ALL'].map((p) => ({ value: p, label: p }))} />
          </Form.Item>
          <Form.Item label="Port range" name="PortRange" rules={[{ required: true }]}><Input data-testid="rule-ports" style={{ width: 140 }} /></Form.Item>
        </Space>
        <Form.Item label={direction === 'ingress' ? 'Source (CIDR or sg-…)' : 'Destination (CIDR or sg-…)'} name="Peer" rules={[{ required: true }]}>
          <Input data-testid="rule-peer" />
        </Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

function RulesTable({ groupId, direction, rules, onChange }: { groupId: string; direction: Direction; rules: Permission[]; onChange(): void }) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [adding, setAdding] = useState(false);
  const revoke = async (r: Permission) => {
    const params = { RegionId: region, SecurityGroupId: groupId, SecurityGroupRuleId: [r.SecurityGroupRuleId] };
    const ok = await run('Delete rule', () => (direction === 'ingress' ? client.call('RevokeSecurityGroup', params) : client.call('RevokeSecurityGroupEgress', params)));
    if (ok) onChange();
  };
  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} style={{ marginBottom: 12 }} data-testid={`add-${direction}`}>Add rule</Button>
      <Table<Permission> rowKey="SecurityGroupRuleId" size="small" dataSource={rules} pagination={false} data-testid={`rules-${direction}`}
        columns={[
          { title: 'Action', render: (_, r) => (r.Policy === 'Drop' || r.Policy === 'drop' ? 'Deny' : 'Allow') },
          { title: 'Priority', dataIndex: 'Priority' },
          { title: 'Protocol', dataIndex: 'IpProtocol' },
          { title: 'Ports', dataIndex: 'PortRange' },
          { title: direction === 'ingress' ? 'Source' : 'Destination', render: (_, r) => (direction === 'ingress' ? r.SourceCidrIp || r.SourceGroupId : r.DestCidrIp || r.DestGroupId) },
          { title: 'Description', dataIndex: 'Description' },
          { title: 'Created', dataIndex: 'CreateTime' },
          {
            title: '', render: (_, r) => (
              <Popconfirm title="Delete this rule?" onConfirm={() => revoke(r)} okButtonProps={{ 'data-testid': 'confirm-delete-rule' }}>
                <Button size="small" danger data-testid="delete-rule">Delete</Button>
              </Popconfirm>
            ),
          },
        ]} />
      {adding && <AddRuleModal groupId={groupId} direction={direction} onClose={(c) => { setAdding(false); if (c) onChange(); }} />}
    </>
  );
}

export function SecurityGroupDetail({ id }: { id: string }) {
  const { region } = useConsole();
  // Another group (a clone just opened) starts over on its inbound rules, with no tool open.
  return <GroupDetail key={`${region}/${id}`} id={id} />;
}

function GroupDetail({ id }: { id: string }) {
  const { client, region } = useConsole();
  const d = useApiData(() => client.call('DescribeSecurityGroupAttribute', { RegionId: region, SecurityGroupId: id }), [region, id]);
  const [tool, setTool] = useState<'clone' | 'import' | 'restore'>();
  const rules = itemsWith(d.data?.Permissions?.Permission, 'SecurityGroupRuleId');
  const of = (dir: Direction) => rules.filter((r) => r.Direction === dir);
  const group = { id, name: d.data?.SecurityGroupName, vpcId: d.data?.VpcId };
  const closeTool = (changed?: boolean) => { setTool(undefined); if (changed) d.reload(); };
  return (
    <>
      <PageHeader title={d.data?.SecurityGroupName || id} sub={`${id}${d.data?.VpcId ? ` · ${d.data.VpcId}` : ''}`} extra={d.data && <>
        <Button icon={<CopyOutlined />} onClick={() => setTool('clone')} data-testid="clone-sg">Clone</Button>
        <ExportRulesButton groupId={id} />
        <Button icon={<UploadOutlined />} onClick={() => setTool('import')} data-testid="import-rules">Import rules</Button>
        <Button icon={<HistoryOutlined />} onClick={() => setTool('restore')} data-testid="restore-rules">Restore rules</Button>
      </>} />
      <ApiErrorAlert error={d.error} what="Reading the security group" />
      <Tabs items={[
        { key: 'ingress', label: `Inbound (${of('ingress').length})`, children: <RulesTable groupId={id} direction="ingress" rules={of('ingress')} onChange={d.reload} /> },
        { key: 'egress', label: `Outbound (${of('egress').length})`, children: <RulesTable groupId={id} direction="egress" rules={of('egress')} onChange={d.reload} /> },
        { key: 'explain', label: <span data-testid="tab-explain">Access explainer</span>, children: <AccessExplainer groupId={id} /> },
      ]} />
      {tool === 'clone' && <CloneModal group={group} onClose={closeTool} />}
      {tool === 'import' && <ImportRulesModal groupId={id} onClose={closeTool} />}
      {tool === 'restore' && <RestoreRulesModal group={group} onClose={closeTool} />}
    </>
  );
}
