/**
 * Bills (BssOpenApi 2017-12-14): the account balance (QueryAccountBalance), and one billing
 * cycle's bill records (QueryBill: each subscription order, each day's pay-as-you-go charges) or
 * its charges per instance (QueryInstanceBill, per billing item on demand; a whole month or one day).
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Input, Select, Space, Statistic, Switch, Table, Tabs, Tag } from 'antd';
import { useState } from 'react';
import type { BillRecord, InstanceBillItem } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PageHeader } from '../components/PageHeader';
import { useConsole } from '../hooks/console';
import { useApiData } from '../hooks/useApiData';
import { useServerList } from '../hooks/useServerList';
import { Link } from '../router';

/** The last 24 billing cycles (YYYY-MM, UTC), newest first. */
function recentCycles(now = new Date()): string[] {
  const out: string[] = [];
  for (let i = 0; i < 24; i++) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

const SUBSCRIPTION_TYPES = [{ value: 'Subscription', label: 'Subscription' }, { value: 'PayAsYouGo', label: 'Pay-As-You-Go' }];
const BILL_TYPES = ['SubscriptionOrder', 'PayAsYouGoBill', 'Refund', 'Adjustment'];
const amount = (n?: number, currency?: string) => (n === undefined ? '-' : `${n.toFixed(2)} ${currency ?? ''}`.trim());

export function Bills() {
  const { client } = useConsole();
  const [cycle, setCycle] = useState(() => recentCycles()[0]!);
  const [subscriptionType, setSubscriptionType] = useState<string>();
  const balance = useApiData(async () => (await client.call('QueryAccountBalance', {})).Data, []);
  return (
    <>
      <PageHeader title="Bills" sub="Charges of this account, as BssOpenApi reports them." extra={
        <Select value={cycle} onChange={setCycle} style={{ width: 140 }} data-testid="billing-cycle" showSearch
          options={recentCycles().map((c) => ({ value: c, label: c }))} />
      } />
      <ApiErrorAlert error={balance.error} what="Reading the balance" />
      <Card size="small" style={{ marginBottom: 16, maxWidth: 320 }}>
        <Statistic title="Available balance" value={balance.data?.AvailableAmount ?? '-'} suffix={balance.data?.Currency} data-testid="balance" />
      </Card>
      <Space style={{ marginBottom: 16 }}>
        <Select placeholder="Billing method" allowClear value={subscriptionType} onChange={setSubscriptionType} style={{ width: 180 }}
          data-testid="bill-subscription-type" options={SUBSCRIPTION_TYPES} />
      </Space>
      <Tabs items={[
        { key: 'records', label: 'Bill records', children: <BillRecords cycle={cycle} subscriptionType={subscriptionType} /> },
        { key: 'instances', label: 'By instance', children: <InstanceBills cycle={cycle} subscriptionType={subscriptionType} /> },
      ]} />
    </>
  );
}

interface Filter { cycle: string; subscriptionType?: string }
/** SubscriptionType is taken together with ProductCode only (its metadata). */
const productFilter = (subscriptionType?: string) => (subscriptionType ? { ProductCode: 'ecs', SubscriptionType: subscriptionType } : {});

function BillRecords({ cycle, subscriptionType }: Filter) {
  const { client } = useConsole();
  const [type, setType] = useState<string>();
  const list = useServerList<BillRecord>(async (q) => {
    const r = await client.call('QueryBill', { BillingCycle: cycle, PageNum: q.pageNumber, PageSize: q.pageSize, Type: type, ...productFilter(subscriptionType) });
    return { items: r.Data?.Items?.Item ?? [], total: r.Data?.TotalCount };
  }, [cycle, subscriptionType, type]);
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Select placeholder="Bill type" allowClear value={type} onChange={setType} style={{ width: 200 }} data-testid="bill-type"
          options={BILL_TYPES.map((t) => ({ value: t, label: t }))} />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
      </Space>
      <ApiErrorAlert error={list.error} what="Reading the bill" />
      <Table<BillRecord> rowKey={(r) => r.RecordID ?? ''} size="middle" loading={list.loading} dataSource={list.items} pagination={list.pagination}
        data-testid="bill-records-table"
        columns={[
          { title: 'Record', dataIndex: 'RecordID' },
          { title: 'Type', render: (_, r) => <Tag>{r.Item}</Tag> },
          { title: 'Billing method', dataIndex: 'SubscriptionType' },
          { title: 'Usage (UTC)', render: (_, r) => <>{r.UsageStartTime}<div style={{ color: '#888' }}>to {r.UsageEndTime}</div></> },
          { title: 'List price', render: (_, r) => amount(r.PretaxGrossAmount, r.Currency) },
          { title: 'Discount', render: (_, r) => amount(r.InvoiceDiscount, r.Currency) },
          { title: 'Amount', render: (_, r) => <b data-testid="bill-amount">{amount(r.PretaxAmount, r.Currency)}</b> },
          { title: 'Status', dataIndex: 'Status' },
        ]} />
    </>
  );
}

function InstanceBills({ cycle, subscriptionType }: Filter) {
  const { client } = useConsole();
  const [byItem, setByItem] = useState(false);
  const [day, setDay] = useState('');
  const list = useServerList<InstanceBillItem>(async (q) => {
    const r = await client.call('QueryInstanceBill', {
      BillingCycle: cycle, PageNum: q.pageNumber, PageSize: q.pageSize, IsBillingItem: byItem || undefined,
      Granularity: day ? 'DAILY' : undefined, BillingDate: day || undefined, ...productFilter(subscriptionType),
    });
    return { items: r.Data?.Items?.Item ?? [], total: r.Data?.TotalCount };
  }, [cycle, subscriptionType, byItem, day]);
  return (
    <>
      <Space style={{ marginBottom: 16 }} wrap>
        <span>Per billing item <Switch checked={byItem} onChange={setByItem} data-testid="bill-by-item" /></span>
        <Input.Search placeholder={`One day (${cycle}-DD)`} allowClear onSearch={(v) => setDay(v.trim())} style={{ width: 200 }} data-testid="bill-day" />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>Refresh</Button>
      </Space>
      <ApiErrorAlert error={list.error} what="Reading the bill" />
      <Table<InstanceBillItem> rowKey={(r) => [r.InstanceID, r.SubscriptionType, r.BillingItem, r.BillingDate].join('|')} size="middle"
        loading={list.loading} dataSource={list.items} pagination={list.pagination} data-testid="instance-bills-table"
        columns={[
          { title: 'Instance', render: (_, r) => (r.InstanceID?.startsWith('i-') ? <Link to={`/instances/${r.InstanceID}`}>{r.InstanceID}</Link> : r.InstanceID) },
          { title: 'Billing method', dataIndex: 'SubscriptionType' },
          { title: 'Spec', render: (_, r) => <>{r.InstanceSpec}<div style={{ color: '#888' }}>{r.Zone || r.Region}</div></> },
          ...(day ? [{ title: 'Day', dataIndex: 'BillingDate' }] : []),
          ...(byItem ? [
            { title: 'Billing item', dataIndex: 'BillingItem' },
            { title: 'Usage', render: (_: unknown, r: InstanceBillItem) => `${r.Usage} ${r.UsageUnit ?? ''}` },
            { title: 'List price', render: (_: unknown, r: InstanceBillItem) => `${r.ListPrice} ${r.ListPriceUnit ?? ''}` },
          ] : [
            { title: 'Service period', render: (_: unknown, r: InstanceBillItem) => (r.ServicePeriod ? `${r.ServicePeriod} ${r.ServicePeriodUnit ?? ''}` : '-') },
          ]),
          { title: 'Amount', render: (_, r) => <b data-testid="instance-bill-amount">{amount(r.PretaxAmount, r.Currency)}</b> },
        ]} />
    </>
  );
}
