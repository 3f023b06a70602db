/**
 * Instance system events (DescribeInstanceHistoryEvents): every status by default (the action
 * alone lists finished events only), filtered by instance, type, status and NotBefore; a drill
 * form raises simulated events (CreateSimulatedSystemEvents) and a Scheduled or Executing
 * simulated event can be cancelled (CancelSimulatedSystemEvents; the server refuses real ones).
 */
import { ExperimentOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Form, Input, Modal, Popconfirm, Select, Space, Table, Tag } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import type { SystemEvent } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { CANCELLABLE_STATUSES, EVENT_STATUSES, EVENT_TYPES, SIMULATABLE_TYPES, STATUS_COLORS } from '../components/system-events';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useInstanceOptions } from '../hooks/useOptions';
import { useServerList } from '../hooks/useServerList';
import { Link } from '../router';

/** A time as the event actions take it: yyyy-MM-ddTHH:mm:ssZ (UTC). */
const utcSecond = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
const UTC_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** The region's events; with `instanceId` (the instance detail's tab) that instance's only. */
export function Events({ instanceId: fixed }: { instanceId?: string }) {
  const { client, region } = useConsole();
  const { run } = useAction();
  const [search, setSearch] = useState('');
  const instanceId = fixed ?? search;
  const [type, setType] = useState<string>();
  const [status, setStatus] = useState<string>();
  const [range, setRange] = useState<[string, string]>();
  const [drill, setDrill] = useState(false);
  const list = useServerList<SystemEvent>(async (q) => {
    const r = await client.call('DescribeInstanceHistoryEvents', {
      RegionId: region, PageNumber: q.pageNumber, PageSize: q.pageSize, InstanceId: instanceId || undefined,
      InstanceEventType: type ? [type] : undefined, InstanceEventCycleStatus: status ? [status] : EVENT_STATUSES,
      'NotBefore.Start': range?.[0], 'NotBefore.End': range?.[1],
    });
    return { items: itemsWith(r.InstanceSystemEventSet?.InstanceSystemEventType, 'EventId'), total: r.TotalCount };
  }, [region, instanceId, type, status, range]);
  const cancel = async (e: SystemEvent) => {
    if (await run('Cancel event', () => client.call('CancelSimulatedSystemEvents', { RegionId: region, EventId: [e.EventId] }))) list.reload();
  };

  const buttons = <>
    <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
    <Button type="primary" icon={<ExperimentOutlined />} onClick={() => setDrill(true)} data-testid="simulate-event">Simulate event</Button>
  </>;
  return (
    <>
      {!fixed && <PageHeader title="Events" sub="System events of the instances in this region: maintenance, failures, expiry." extra={buttons} />}
      <Space style={{ marginBottom: 16 }} wrap>
        {fixed ? buttons
          : <Input.Search placeholder="Instance ID" allowClear onSearch={(v) => setSearch(v.trim())} style={{ width: 240 }} data-testid="events-instance" />}
        <Select placeholder="Event type" allowClear value={type} onChange={setType} style={{ width: 240 }} data-testid="events-type"
          options={EVENT_TYPES.map((t) => ({ value: t, label: t }))} />
        <Select placeholder="Status (all)" allowClear value={status} onChange={setStatus} style={{ width: 160 }} data-testid="events-status"
          options={EVENT_STATUSES.map((s) => ({ value: s, label: s }))} />
        <DatePicker.RangePicker showTime placeholder={['Not before from', 'to']}
          onChange={(v) => setRange(v?.[0] && v[1] ? [utcSecond(v[0].toDate()), utcSecond(v[1].toDate())] : undefined)} />
      </Space>
      <ApiErrorAlert error={list.error} what="Listing events" />
      <Table<SystemEvent> rowKey="EventId" size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination}
        data-testid="events-table"
        columns={[
          { title: 'Event', render: (_, e) => <>{e.EventType?.Name}<div style={{ color: '#888' }}>{e.EventId}</div></> },
          { title: 'Status', render: (_, e) => <Tag color={STATUS_COLORS[e.EventCycleStatus?.Name ?? '']} data-testid="event-status">{e.EventCycleStatus?.Name}</Tag> },
          { title: 'Instance', render: (_, e) => (e.InstanceId ? <Link to={`/instances/${e.InstanceId}`}>{e.InstanceId}</Link> : '-') },
          { title: 'Published (UTC)', dataIndex: 'EventPublishTime' },
          { title: 'Not before (UTC)', dataIndex: 'NotBefore' },
          { title: 'Finished (UTC)', render: (_, e) => e.EventFinishTime || '-' },
          { title: 'Reason', render: (_, e) => e.Reason || '-' },
          {
            title: 'Actions', render: (_, e) => CANCELLABLE_STATUSES.includes(e.EventCycleStatus?.Name ?? '') && (
              <Popconfirm title={`Cancel ${e.EventId}? Only simulated events can be cancelled.`} onConfirm={() => cancel(e)}
                okButtonProps={{ 'data-testid': 'confirm-cancel-event' }}>
                <Button size="small" data-testid={`cancel-${e.EventId}`}>Cancel</Button>
              </Popconfirm>
            ),
          },
        ]}
      />
      {drill && <SimulateEventModal instanceId={fixed} onClose={(changed) => { setDrill(false); if (changed) list.reload(); }} />}
    </>
  );
}

function SimulateEventModal({ instanceId, onClose }: { instanceId?: string; onClose(changed?: boolean): void }) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const instances = useInstanceOptions();
  const [form] = Form.useForm<{ InstanceId: string[]; EventType: string; NotBefore: string }>();
  const submit = async (v: { InstanceId: string[]; EventType: string; NotBefore: string }) => {
    const r = await run('Simulate event', () => client.call('CreateSimulatedSystemEvents', { RegionId: region, ...v }));
    if (r) onClose(true);
  };
  return (
    <Modal open title="Simulate a system event" onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy} okButtonProps={{ 'data-testid': 'simulate-ok' }}>
      <p style={{ color: '#888' }}>A drill: the event is published and runs its course like a real one, without touching the instance.</p>
      <ApiErrorAlert error={instances.error} what="Listing instances" />
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{
        InstanceId: instanceId ? [instanceId] : undefined, EventType: SIMULATABLE_TYPES[0], NotBefore: utcSecond(new Date(Date.now() + 3_600_000)),
      }}>
        <Form.Item label="Instances" name="InstanceId" rules={[{ required: true }]}>
          <Select mode="multiple" loading={instances.loading} data-testid="simulate-instances"
            options={(instances.data ?? []).map((i) => ({ value: i.InstanceId, label: `${i.InstanceId} ${i.InstanceName ?? ''}` }))} />
        </Form.Item>
        <Form.Item label="Event type" name="EventType" rules={[{ required: true }]}>
          <Select data-testid="simulate-type" options={SIMULATABLE_TYPES.map((t) => ({ value: t, label: t }))} />
        </Form.Item>
        <Form.Item label="Not before (UTC, yyyy-MM-ddTHH:mm:ssZ)" name="NotBefore" extra="When it is to happen; a failure event is under way at once and finishes then."
          rules={[{ required: true, pattern: UTC_SECOND, message: 'A UTC time such as 2026-12-01T08:00:00Z' }]}>
          <Input data-testid="simulate-not-before" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
