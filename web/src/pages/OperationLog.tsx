/**
 * Operation log: the signed-in account's recorded API calls (its audit trail), read through
 * ActionTrail's LookupEvents as any ActionTrail client reads it: newest first, filtered by event
 * name, user and time range (the last 7 days unless a range is chosen), paged by NextToken. A row
 * opens to the event as ActionTrail answers it (secrets are masked by the server).
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, DatePicker, Input, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { TokenPager } from '../components/TokenPager';
import { useConsole } from '../hooks/console';
import { useServerList } from '../hooks/useServerList';

/** The fields of ActionTrail's event structure the table shows (the answer's events are free-form objects). */
interface AuditEvent {
  eventId: string;
  eventTime: string;
  eventName: string;
  eventRW: string;
  serviceName: string;
  acsRegion?: string;
  sourceIpAddress?: string;
  resourceName?: string;
  errorCode?: string;
  errorMessage?: string;
  userIdentity?: { type?: string; userName?: string; accessKeyId?: string };
}

const utc = (d: { toDate(): Date }) => d.toDate().toISOString().replace(/\.\d{3}Z$/, 'Z');

export function OperationLog() {
  const { client } = useConsole();
  const [eventName, setEventName] = useState('');
  const [user, setUser] = useState('');
  const [range, setRange] = useState<[string, string]>();
  const list = useServerList<AuditEvent>(async (q) => {
    const attrs = [
      ...(eventName ? [{ Key: 'EventName', Value: eventName }] : []),
      ...(user ? [{ Key: 'User', Value: user }] : []),
    ];
    const r = await client.call('LookupEvents', {
      MaxResults: String(q.pageSize), NextToken: q.nextToken, LookupAttribute: attrs.length ? attrs : undefined,
      StartTime: range?.[0], EndTime: range?.[1],
    });
    return { items: (r.Events ?? []) as unknown as AuditEvent[], nextToken: r.NextToken };
  }, [eventName, user, range], { mode: 'token', pageSize: 20 });

  return (
    <>
      <PageHeader title="Operation log" sub="Every API call of this account, refused ones included (ActionTrail event history)." extra={<>
        <Input.Search placeholder="Event name (RunInstances)" allowClear onSearch={(v) => setEventName(v.trim())} style={{ width: 240 }} data-testid="oplog-event-name" />
        <Input.Search placeholder="User (root, RAM user name)" allowClear onSearch={(v) => setUser(v.trim())} style={{ width: 220 }} data-testid="oplog-user" />
        <DatePicker.RangePicker showTime data-testid="oplog-range"
          onChange={(v) => setRange(v?.[0] && v[1] ? [utc(v[0]), utc(v[1])] : undefined)} />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
      </>} />
      <ApiErrorAlert error={list.error} what="Looking up events" />
      <Table<AuditEvent> rowKey="eventId" size="middle" loading={list.loading} dataSource={list.items} pagination={false} data-testid="oplog-table"
        expandable={{
          expandedRowRender: (e) => <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }} data-testid={`oplog-detail-${e.eventId}`}>{JSON.stringify(e, null, 2)}</pre>,
        }}
        columns={[
          { title: 'Time (UTC)', dataIndex: 'eventTime', width: 190 },
          { title: 'Event', render: (_, e) => <><Typography.Text strong>{e.eventName}</Typography.Text> <Tag>{e.serviceName}</Tag></> },
          { title: 'Type', dataIndex: 'eventRW', render: (rw: string) => <Tag color={rw === 'Write' ? 'orange' : 'default'}>{rw}</Tag> },
          { title: 'User', render: (_, e) => <span title={e.userIdentity?.accessKeyId}>{e.userIdentity?.userName || e.userIdentity?.accessKeyId}</span> },
          { title: 'Source IP', dataIndex: 'sourceIpAddress' },
          { title: 'Resources', dataIndex: 'resourceName', render: (r?: string) => (r ? r.split(';').map((n) => <Tag key={n}>{n}</Tag>) : '—') },
          {
            title: 'Result', render: (_, e) => (e.errorCode
              ? <Tag color="red" title={e.errorMessage}>{e.errorCode}</Tag>
              : <Tag color="green">Success</Tag>),
          },
        ]} />
      <TokenPager list={list} />
    </>
  );
}
