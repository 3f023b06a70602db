/**
 * The console's security group tools (security guide §1.10.3, §1.11), over the OpenECS extension
 * actions: clone to a region/VPC, export the rules as JSON or CSV, import a rule file with a
 * preview, restore the rules from another group with a preview, and the access explainer.
 */
import { DownloadOutlined, DownOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Descriptions, Dropdown, Flex, Form, Input, InputNumber, Modal, Radio, Select, Table, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import { decidingRuleOf, peerOf, problemsOf, type ExplainAnswer, type RuleProblem, type RuleRow } from '../api/extensions';
import type { ApiResponse } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { downloadText } from '../components/download';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';
import { navigate } from '../router';

export interface GroupInfo { id: string; name?: string; vpcId?: string }

const policyText = (p = '') => (/^drop$/i.test(p) ? 'Deny' : 'Allow');
const directionText = (d?: string) => (d === 'egress' ? 'Outbound' : 'Inbound');

/** Rules the tools answer (file rows, a diff): direction, action, priority, protocol, ports, peer. */
export function RuleRowsTable({ rules = [], testId }: { rules?: readonly RuleRow[]; testId: string }) {
  return (
    <Table<RuleRow> size="small" pagination={false} data-testid={testId} dataSource={rules.map((r, i) => ({ ...r, key: r.SecurityGroupRuleId ?? String(i) }))}
      columns={[
        { title: 'Direction', render: (_, r) => directionText(r.Direction) },
        { title: 'Action', render: (_, r) => policyText(r.Policy) },
        { title: 'Priority', dataIndex: 'Priority' },
        { title: 'Protocol', dataIndex: 'IpProtocol' },
        { title: 'Ports', dataIndex: 'PortRange' },
        { title: 'Peer', render: (_, r) => peerOf(r) },
        { title: 'Description', dataIndex: 'Description' },
      ]} />
  );
}

/** Rules a tool did not take, each with its row number in the file and the ECS code. */
export function ProblemsTable({ items, testId }: { items: RuleProblem[]; testId: string }) {
  return (
    <Table<RuleProblem> size="small" pagination={false} data-testid={testId} rowKey={(x) => `${x.Index}-${x.Code}`} dataSource={items}
      columns={[
        { title: 'Row', dataIndex: 'Index', width: 60 },
        // Clone and restore answer the rule itself; an import names the row of the file.
        ...(items.some((x) => x.Permission) ? [{
          title: 'Rule', render: (_: unknown, x: RuleProblem) => (x.Permission ? `${directionText(x.Permission.Direction)} ${x.Permission.IpProtocol} ${x.Permission.PortRange} ${peerOf(x.Permission)}` : ''),
        }] : []),
        { title: 'Code', render: (_, x) => <Typography.Text code style={{ whiteSpace: 'nowrap' }}>{x.Code}</Typography.Text> },
        { title: 'Message', dataIndex: 'Message' },
      ]} />
  );
}

// ---- clone ------------------------------------------------------------------------------------

export function CloneModal({ group, onClose }: { group: GroupInfo; onClose(changed?: boolean): void }) {
  const { client, region, regions, setRegion } = useConsole();
  const { run, busy } = useAction();
  const [form] = Form.useForm();
  const dest: string = Form.useWatch('DestinationRegionId', form) ?? region;
  const vpcs = useApiData(async () => itemsWith((await client.call('DescribeVpcs', { RegionId: dest, PageSize: 50 })).Vpcs?.Vpc, 'VpcId'), [dest]);
  const [done, setDone] = useState<ApiResponse<'CloneSecurityGroup'>>();
  const submit = async (v: Record<string, string | undefined>) => {
    const r = await run('Clone security group', () => client.call('CloneSecurityGroup', { RegionId: region, SecurityGroupId: group.id, ...v }));
    if (r) setDone(r);
  };
  const open = () => {
    if (!done) return;
    if (done.RegionId && done.RegionId !== region) setRegion(done.RegionId);
    onClose(true);
    navigate(`/security-groups/${done.SecurityGroupId}`);
  };
  if (done) {
    const skipped = problemsOf(done.SkippedRules?.Item);
    return (
      <Modal open width={820} title={`Clone of ${group.id}`} onCancel={() => onClose(true)}
        footer={<><Button onClick={() => onClose(true)}>Close</Button><Button type="primary" onClick={open} data-testid="clone-open">Open the clone</Button></>}>
        <Alert type="success" showIcon style={{ marginBottom: 12 }} data-testid="clone-result"
          title={`Created ${done.SecurityGroupId} in ${done.RegionId}${done.VpcId ? ` (${done.VpcId})` : ''} with ${done.RuleCount} rule(s).`} />
        {skipped.length > 0 && <>
          <Typography.Paragraph>{skipped.length} rule(s) were not copied: they name groups that do not exist where the clone is.</Typography.Paragraph>
          <ProblemsTable items={skipped} testId="clone-skipped" />
        </>}
      </Modal>
    );
  }
  return (
    <Modal open title={`Clone ${group.name || group.id}`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okText="Clone" okButtonProps={{ 'data-testid': 'clone-ok' }}>
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ DestinationRegionId: region, SecurityGroupName: group.name ? `${group.name}-copy` : undefined }}>
        <Form.Item label="Destination region" name="DestinationRegionId">
          <Select data-testid="clone-region" showSearch={{ optionFilterProp: 'label' }} onChange={() => form.setFieldValue('DestinationVpcId', undefined)}
            options={regions.map((r) => ({ value: r.RegionId, label: `${r.LocalName} (${r.RegionId})` }))} />
        </Form.Item>
        <Form.Item label="Destination VPC" name="DestinationVpcId" rules={[{ required: dest !== region && !!group.vpcId, message: 'Choose a VPC of the destination region' }]}
          extra={dest === region ? 'Leave empty to keep the VPC of the original group.' : undefined}>
          <Select data-testid="clone-vpc" allowClear loading={vpcs.loading} placeholder={dest === region ? group.vpcId : 'Choose a VPC'}
            options={(vpcs.data ?? []).map((v) => ({ value: v.VpcId, label: `${v.VpcName || v.VpcId} (${v.VpcId}, ${v.CidrBlock})` }))} />
        </Form.Item>
        <ApiErrorAlert error={vpcs.error} what="Listing the VPCs of the destination region" />
        <Form.Item label="Name" name="SecurityGroupName"><Input data-testid="clone-name" /></Form.Item>
        <Form.Item label="Description" name="Description"><Input /></Form.Item>
      </Form>
    </Modal>
  );
}

// ---- export -----------------------------------------------------------------------------------

export function ExportRulesButton({ groupId }: { groupId: string }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const exportAs = async (format: 'json' | 'csv') => {
    const r = await run('Export rules', () => client.call('ExportSecurityGroupRules', { RegionId: region, SecurityGroupId: groupId, FileFormat: format }), 'Rules exported');
    if (r) downloadText(r.FileName ?? `${groupId}.${format}`, r.Content ?? '', format === 'csv' ? 'text/csv' : 'application/json');
  };
  return (
    <Dropdown trigger={['click']} menu={{
      items: [
        { key: 'json', label: <span data-testid="export-json">JSON file</span>, onClick: () => exportAs('json') },
        { key: 'csv', label: <span data-testid="export-csv">CSV file</span>, onClick: () => exportAs('csv') },
      ],
    }}>
      <Button icon={<DownloadOutlined />} loading={busy} data-testid="export-rules">Export rules <DownOutlined /></Button>
    </Dropdown>
  );
}

// ---- import -----------------------------------------------------------------------------------

type FileFormat = 'auto' | 'json' | 'csv';

export function ImportRulesModal({ groupId, onClose }: { groupId: string; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [content, setContent] = useState('');
  const [fileName, setFileName] = useState<string>();
  const [format, setFormat] = useState<FileFormat>('auto');
  const [preview, setPreview] = useState<ApiResponse<'ImportSecurityGroupRules'>>();
  const [error, setError] = useState<unknown>();
  const [checking, setChecking] = useState(false);
  const params = (text: string, f: FileFormat) => ({ RegionId: region, SecurityGroupId: groupId, Content: text, FileFormat: f === 'auto' ? undefined : f });
  const edited = (text: string, f = format) => { setContent(text); setFormat(f); setPreview(undefined); setError(undefined); };

  const check = async () => {
    setChecking(true);
    setError(undefined);
    try {
      setPreview(await client.call('ImportSecurityGroupRules', { ...params(content, format), Preview: true }));
    } catch (e) {
      setPreview(undefined);
      setError(e);
    } finally {
      setChecking(false);
    }
  };
  const failed = preview?.FailedRules?.Item ?? [];
  const importNow = async () => {
    if (!preview) return;
    // A file with a failing rule imports nothing (like Authorize with several rules): send only the accepted ones.
    const body = failed.length ? params(JSON.stringify({ Permissions: preview.Permissions?.Permission ?? [] }), 'json') : params(content, format);
    const r = await run('Import rules', () => client.call('ImportSecurityGroupRules', body), undefined);
    if (r) onClose(true);
  };
  const nothing = !preview || preview.ImportCount === 0;
  return (
    <Modal open width={900} title="Import rules" onCancel={() => onClose()}
      footer={<>
        <Button onClick={() => onClose()}>Cancel</Button>
        <Button onClick={check} loading={checking} disabled={!content.trim()} data-testid="import-preview">Preview</Button>
        <Button type="primary" onClick={importNow} loading={busy} disabled={nothing} data-testid="import-ok">
          {failed.length ? `Import the ${preview?.ImportCount ?? 0} accepted rule(s)` : `Import ${preview?.ImportCount ?? ''} rule(s)`}
        </Button>
      </>}>
      <Typography.Paragraph type="secondary">
        A JSON or CSV file exported from any security group, in any region. Up to 100 rules are read; rules the group already has are skipped, not overwritten.
      </Typography.Paragraph>
      <Flex gap={12} align="center" wrap style={{ marginBottom: 12 }}>
        <span data-testid="import-upload"><Upload accept=".json,.csv,application/json,text/csv" maxCount={1} showUploadList={false}
          beforeUpload={(file) => {
            void file.text().then((text) => { setFileName(file.name); edited(text, /\.csv$/i.test(file.name) ? 'csv' : /\.json$/i.test(file.name) ? 'json' : 'auto'); });
            return false;
          }}>
          <Button icon={<UploadOutlined />}>Choose a file</Button>
        </Upload></span>
        {fileName && <Typography.Text data-testid="import-file-name">{fileName}</Typography.Text>}
        <Radio.Group value={format} onChange={(e) => edited(content, e.target.value as FileFormat)}
          options={[{ value: 'auto', label: 'Detect' }, { value: 'json', label: 'JSON' }, { value: 'csv', label: 'CSV' }]} />
      </Flex>
      <Input.TextArea rows={6} value={content} onChange={(e) => edited(e.target.value)} data-testid="import-content"
        placeholder={'Direction,IpProtocol,PortRange,SourceCidrIp,Policy,Priority\ningress,TCP,22/22,10.0.0.0/8,Accept,1'} style={{ fontFamily: 'monospace' }} />
      <div style={{ marginTop: 12 }}>
        <ApiErrorAlert error={error} what="Reading the file" />
        {preview && <ImportPreview preview={preview} />}
      </div>
    </Modal>
  );
}

function ImportPreview({ preview }: { preview: ApiResponse<'ImportSecurityGroupRules'> }) {
  const skipped = problemsOf(preview.SkippedRules?.Item);
  const failed = problemsOf(preview.FailedRules?.Item);
  return (
    <div data-testid="import-summary">
      <Alert type={failed.length ? 'warning' : 'info'} showIcon style={{ marginBottom: 12 }}
        title={`${preview.RuleCount} rule(s) in the file: ${preview.ImportCount} to import, ${skipped.length} skipped, ${failed.length} failed`
          + (preview.TruncatedCount ? `, ${preview.TruncatedCount} beyond the first 100 not read` : '') + '.'}
        description={failed.length ? 'Rules that fail are left out; the accepted rules can still be imported.' : undefined} />
      <Typography.Title level={5}>To import ({preview.ImportCount})</Typography.Title>
      <RuleRowsTable rules={preview.Permissions?.Permission} testId="import-accepted" />
      {skipped.length > 0 && <><Typography.Title level={5} style={{ marginTop: 12 }}>Skipped ({skipped.length})</Typography.Title><ProblemsTable items={skipped} testId="import-skipped" /></>}
      {failed.length > 0 && <><Typography.Title level={5} style={{ marginTop: 12 }}>Failed ({failed.length})</Typography.Title><ProblemsTable items={failed} testId="import-failed" /></>}
    </div>
  );
}

// ---- restore ----------------------------------------------------------------------------------

export function RestoreRulesModal({ group, onClose }: { group: GroupInfo; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const groups = useApiData(async () => itemsWith((await client.call('DescribeSecurityGroups', { RegionId: region, PageSize: 50 })).SecurityGroups?.SecurityGroup, 'SecurityGroupId'), [region]);
  const [source, setSource] = useState<string>();
  const [mode, setMode] = useState<'Complete' | 'Partial'>('Complete');
  const [preview, setPreview] = useState<ApiResponse<'RestoreSecurityGroupRules'>>();
  const [error, setError] = useState<unknown>();
  const [checking, setChecking] = useState(false);
  const params = () => ({ RegionId: region, SecurityGroupId: group.id, SourceSecurityGroupId: source ?? '', Mode: mode });
  const check = async () => {
    setChecking(true);
    setError(undefined);
    try {
      setPreview(await client.call('RestoreSecurityGroupRules', { ...params(), Preview: true }));
    } catch (e) {
      setPreview(undefined);
      setError(e);
    } finally {
      setChecking(false);
    }
  };
  const apply = async () => {
    const r = await run('Restore rules', () => client.call('RestoreSecurityGroupRules', params()));
    if (r) onClose(true);
  };
  const toAdd = preview?.ToAdd?.Permission ?? [];
  const toRemove = preview?.ToRemove?.Permission ?? [];
  const system = preview?.SkippedSystemRules?.Permission ?? [];
  const failed = problemsOf(preview?.FailedRules?.Item);
  const changes = toAdd.length + toRemove.length;
  const blocked = !preview || preview.Identical || changes === 0 || failed.length > 0;
  return (
    <Modal open width={900} title={`Restore the rules of ${group.name || group.id}`} onCancel={() => onClose()}
      footer={<>
        <Button onClick={() => onClose()}>Cancel</Button>
        <Button onClick={check} loading={checking} disabled={!source} data-testid="restore-preview">Preview</Button>
        <Button type="primary" danger={mode === 'Complete' && toRemove.length > 0} onClick={apply} loading={busy} disabled={blocked} data-testid="restore-ok">
          Apply {changes || ''} change(s)
        </Button>
      </>}>
      <Form layout="vertical">
        <Form.Item label="Restore from (same region and network type)">
          <Select data-testid="restore-source" showSearch={{ optionFilterProp: 'label' }} loading={groups.loading} value={source}
            onChange={(v: string) => { setSource(v); setPreview(undefined); setError(undefined); }}
            options={(groups.data ?? []).filter((g) => g.SecurityGroupId !== group.id)
              .map((g) => ({ value: g.SecurityGroupId, label: `${g.SecurityGroupName || g.SecurityGroupId} (${g.SecurityGroupId}${g.VpcId ? `, ${g.VpcId}` : ''})` }))} />
        </Form.Item>
        <Form.Item label="Mode">
          <Radio.Group value={mode} onChange={(e) => { setMode(e.target.value as 'Complete' | 'Partial'); setPreview(undefined); }} data-testid="restore-mode"
            options={[
              { value: 'Complete', label: 'Complete: the rules become exactly the source group\'s (rules it lacks are removed)' },
              { value: 'Partial', label: 'Partial: only the source group\'s missing rules are added' },
            ]} />
        </Form.Item>
      </Form>
      <ApiErrorAlert error={error} what="The restore preview" />
      <ApiErrorAlert error={groups.error} what="Listing security groups" />
      {preview && (
        <div data-testid="restore-summary">
          {preview.Identical
            ? <Alert type="success" showIcon title="The rules are already identical to the source group's: nothing to change." style={{ marginBottom: 12 }} />
            : <Alert type="info" showIcon style={{ marginBottom: 12 }} title={`${toAdd.length} rule(s) to add, ${toRemove.length} to remove (${preview.Mode}).`} />}
          <Typography.Title level={5}>To add ({toAdd.length})</Typography.Title>
          <RuleRowsTable rules={toAdd} testId="restore-add" />
          {preview.Mode === 'Complete' && <>
            <Typography.Title level={5} style={{ marginTop: 12 }}>To remove ({toRemove.length})</Typography.Title>
            <RuleRowsTable rules={toRemove} testId="restore-remove" />
          </>}
          {system.length > 0 && <>
            <Typography.Title level={5} style={{ marginTop: 12 }}>System rules kept as they are ({system.length})</Typography.Title>
            <RuleRowsTable rules={system} testId="restore-system" />
          </>}
          {failed.length > 0 && <>
            <Typography.Title level={5} style={{ marginTop: 12 }}>Cannot be added to this group ({failed.length})</Typography.Title>
            <ProblemsTable items={failed} testId="restore-failed" />
          </>}
        </div>
      )}
    </Modal>
  );
}

// ---- the access explainer -----------------------------------------------------------------------

interface ExplainValues { Direction: 'ingress' | 'egress'; IpProtocol: string; Port?: number; Peer: string }

/** "Would this packet pass, and why": the groups' verdict and the rule that decided it. */
export function AccessExplainer({ groupId }: { groupId: string }) {
  const { client, region } = useConsole();
  const [form] = Form.useForm<ExplainValues>();
  const protocol = Form.useWatch('IpProtocol', form) ?? 'TCP';
  const direction = Form.useWatch('Direction', form) ?? 'ingress';
  const [answer, setAnswer] = useState<ExplainAnswer>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const ported = protocol === 'TCP' || protocol === 'UDP';
  const submit = async (v: ExplainValues) => {
    setBusy(true);
    setError(undefined);
    const peer = v.Peer.trim();
    try {
      setAnswer(await client.call('ExplainSecurityGroupAccess', {
        RegionId: region, SecurityGroupId: [groupId], Direction: v.Direction, IpProtocol: v.IpProtocol, Port: ported ? v.Port : undefined,
        [peer.startsWith('sg-') ? 'PeerSecurityGroupId' : 'PeerAddress']: peer,
      }));
    } catch (e) {
      setAnswer(undefined);
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const rule = decidingRuleOf(answer);
  return (
    <>
      <Typography.Paragraph type="secondary">
        Asks the rule engine whether a packet would pass this group: the rule with the highest priority decides (deny before allow at the same priority); without one, the group's defaults do.
      </Typography.Paragraph>
      <Form form={form} layout="inline" onFinish={submit} initialValues={{ Direction: 'ingress', IpProtocol: 'TCP', Port: 22, Peer: '203.0.113.10' }} onValuesChange={() => setAnswer(undefined)}>
        <Form.Item label="Direction" name="Direction">
          <Radio.Group data-testid="explain-direction" options={[{ value: 'ingress', label: 'Inbound' }, { value: 'egress', label: 'Outbound' }]} />
        </Form.Item>
        <Form.Item label="Protocol" name="IpProtocol">
          <Select style={{ width: 110 }} options={['TCP', 'UDP', 'ICMP', 'GRE'].map((p) => ({ value: p, label: p }))} />
        </Form.Item>
        <Form.Item label="Port" name="Port" rules={[{ required: ported, message: 'A port' }]}>
          <InputNumber min={1} max={65535} disabled={!ported} data-testid="explain-port" />
        </Form.Item>
        <Form.Item label={direction === 'ingress' ? 'From (IP or sg-…)' : 'To (IP or sg-…)'} name="Peer" rules={[{ required: true, message: 'A peer' }]}>
          <Input style={{ width: 200 }} data-testid="explain-peer" />
        </Form.Item>
        <Form.Item><Button type="primary" htmlType="submit" loading={busy} data-testid="explain-ok">Check</Button></Form.Item>
      </Form>
      <div style={{ marginTop: 16 }}>
        <ApiErrorAlert error={error} what="The access check" />
        {answer && (
          <div data-testid="explain-result">
            <Alert showIcon type={answer.Decision === 'Allow' ? 'success' : 'error'} style={{ marginBottom: 12 }}
              title={<><Tag color={answer.Decision === 'Allow' ? 'green' : 'red'} data-testid="explain-decision">{answer.Decision === 'Allow' ? 'Allowed' : 'Denied'}</Tag>{answer.Reason}</>} />
            {rule
              ? (
                <Descriptions bordered size="small" column={3} title="Deciding rule" data-testid="explain-rule">
                  <Descriptions.Item label="Rule">{rule.SecurityGroupRuleId}</Descriptions.Item>
                  <Descriptions.Item label="Group">{rule.SecurityGroupId}</Descriptions.Item>
                  <Descriptions.Item label="Action">{policyText(rule.Policy)}</Descriptions.Item>
                  <Descriptions.Item label="Priority">{rule.Priority}</Descriptions.Item>
                  <Descriptions.Item label="Protocol / ports">{rule.IpProtocol} {rule.PortRange}</Descriptions.Item>
                  <Descriptions.Item label={rule.Direction === 'egress' ? 'Destination' : 'Source'}>{peerOf(rule)}</Descriptions.Item>
                  {rule.Description ? <Descriptions.Item label="Description">{rule.Description}</Descriptions.Item> : null}
                </Descriptions>
              )
              : <Typography.Text type="secondary" data-testid="explain-default">No rule decided: {answer.Basis === 'intra-group' ? 'the intra-group policy' : 'the default behaviour'} applies.</Typography.Text>}
          </div>
        )}
      </div>
    </>
  );
}
