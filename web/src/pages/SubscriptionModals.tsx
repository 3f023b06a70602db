/**
 * A subscription's renewal dialogs: RenewInstance (buy more time now, then show the new expiry
 * the server computed) and ModifyInstanceAutoRenewAttribute (what happens at expiry, shown as
 * DescribeInstanceAutoRenewAttribute reads it).
 */
import { Alert, Button, Descriptions, Form, Modal, Radio, Result, Select, Spin } from 'antd';
import { useState } from 'react';
import type { Instance } from '../api/types';
import { ApiErrorAlert } from '../components/ApiErrorAlert';
import { PriceTag } from '../components/PriceTag';
import {
  expiryText, isExpiryLocked, PERIOD_UNITS, periodOptions, PURCHASE_PERIODS, RENEW_DURATIONS, RENEWAL_STATUS_LABELS, renewalPriceTerm, type PeriodUnit,
} from '../components/subscription';
import { useConsole } from '../hooks/console';
import { useAction } from '../hooks/useAction';
import { useApiData } from '../hooks/useApiData';

interface Props { instance: Instance; onClose(changed?: boolean): void }

export function RenewModal({ instance: i, onClose }: Props) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const [unit, setUnit] = useState<PeriodUnit>('Month');
  const [period, setPeriod] = useState(1);
  const [renewed, setRenewed] = useState<{ expiredTime?: string; orderId?: string; readError?: unknown }>();
  const term = renewalPriceTerm(period, unit);
  const price = useApiData(async () => (term
    ? (await client.call('DescribeRenewalPrice', { RegionId: region, ResourceType: 'instance', ResourceId: i.InstanceId, ...term })).PriceInfo?.Price
    : undefined), [region, i.InstanceId, term?.Period, term?.PriceUnit]);
  const submit = async () => {
    const r = await run('Renew', () => client.call('RenewInstance', { InstanceId: i.InstanceId, Period: period, PeriodUnit: unit }));
    if (!r) return;
    // The new expiry is the server's (a renewal after the expiry stop counts from the renewal).
    try {
      const after = await client.call('DescribeInstances', { RegionId: region, InstanceIds: JSON.stringify([i.InstanceId]) });
      setRenewed({ orderId: r.OrderId, expiredTime: after.Instances?.Instance?.[0]?.ExpiredTime });
    } catch (e) {
      setRenewed({ orderId: r.OrderId, readError: e });
    }
  };
  if (renewed) {
    return (
      <Modal open title={`Renew ${i.InstanceId}`} onCancel={() => onClose(true)}
        footer={<Button type="primary" onClick={() => onClose(true)} data-testid="renew-close">Close</Button>}>
        <Result status="success" title="Renewed" subTitle={<>Order {renewed.orderId}</>}
          extra={renewed.readError ? <ApiErrorAlert error={renewed.readError} what="Reading the new expiry" />
            : <div>New expiry: <b data-testid="renewed-expiry">{expiryText(renewed.expiredTime)}</b></div>} />
      </Modal>
    );
  }
  return (
    <Modal open title={`Renew ${i.InstanceId}`} onCancel={() => onClose()} onOk={submit} confirmLoading={busy}
      okText="Renew" okButtonProps={{ 'data-testid': 'renew-ok' }}>
      <Descriptions size="small" column={1} style={{ marginBottom: 16 }}>
        <Descriptions.Item label="Current expiry"><span data-testid="current-expiry">{expiryText(i.ExpiredTime)}</span></Descriptions.Item>
      </Descriptions>
      {isExpiryLocked(i) && <Alert type="warning" showIcon style={{ marginBottom: 16 }}
        title="Stopped for expiry: the new period counts from the renewal, and an instance the expiry stopped starts again." />}
      <Form layout="vertical">
        <Form.Item label="Period unit">
          <Radio.Group value={unit} data-testid="renew-unit" optionType="button"
            onChange={(e) => { setUnit(e.target.value); setPeriod(1); }}
            options={PERIOD_UNITS.map((u) => ({ value: u, label: u }))} />
        </Form.Item>
        <Form.Item label="Renew for">
          <Select value={period} onChange={setPeriod} data-testid="renew-period" style={{ width: 200 }} options={periodOptions(PURCHASE_PERIODS[unit], unit)} />
        </Form.Item>
        <Form.Item label="Price">
          {term ? <PriceTag price={price.data} error={price.error} />
            : <span style={{ color: '#888' }} data-testid="price-none">No quote for this period (DescribeRenewalPrice quotes 1–9 months and 1–3 years)</span>}
        </Form.Item>
      </Form>
    </Modal>
  );
}

type RenewUnit = PeriodUnit | 'Year';
/** Duration by unit: Year 1–5 too, for the renewal at expiry (ModifyInstanceAutoRenewAttribute's metadata). */
const DURATIONS: Record<RenewUnit, number[]> = { ...RENEW_DURATIONS, Year: [1, 2, 3, 4, 5] };

export function AutoRenewModal({ instance: i, onClose }: Props) {
  const { client, region } = useConsole();
  const { run, busy } = useAction();
  const current = useApiData(async () => (await client.call('DescribeInstanceAutoRenewAttribute', { RegionId: region, InstanceId: i.InstanceId }))
    .InstanceRenewAttributes?.InstanceRenewAttribute?.[0], [region, i.InstanceId]);
  const [form] = Form.useForm<{ RenewalStatus: string; Duration: number; PeriodUnit: RenewUnit }>();
  const status = Form.useWatch('RenewalStatus', form);
  const unit: RenewUnit = Form.useWatch('PeriodUnit', form) ?? 'Month';
  const submit = async (v: { RenewalStatus: string; Duration?: number; PeriodUnit?: RenewUnit }) => {
    const on = v.RenewalStatus === 'AutoRenewal';
    const ok = await run('Auto-renewal', () => client.call('ModifyInstanceAutoRenewAttribute', {
      RegionId: region, InstanceId: i.InstanceId, RenewalStatus: v.RenewalStatus,
      Duration: on ? v.Duration : undefined, PeriodUnit: on ? v.PeriodUnit : undefined,
    }));
    if (ok) onClose(true);
  };
  const c = current.data;
  return (
    <Modal open title={`Auto-renewal of ${i.InstanceId}`} onCancel={() => onClose()} onOk={form.submit} confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'auto-renew-ok', disabled: !c }}>
      <ApiErrorAlert error={current.error} what="Reading the auto-renewal" />
      {current.loading && !c ? <Spin /> : c && (
        <>
          <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }} data-testid="auto-renew-current">
            <Descriptions.Item label="Now">
              <span data-testid="auto-renew-status">{RENEWAL_STATUS_LABELS[c.RenewalStatus ?? 'Normal'] ?? c.RenewalStatus}</span>
              {c.AutoRenewEnabled && <span data-testid="auto-renew-duration">, {c.Duration} {(c.PeriodUnit ?? 'Month').toLowerCase()}{c.Duration === 1 ? '' : 's'} each time</span>}
            </Descriptions.Item>
            <Descriptions.Item label="Expiry">{expiryText(i.ExpiredTime)}</Descriptions.Item>
          </Descriptions>
          <Form form={form} layout="vertical" onFinish={submit} initialValues={{
            RenewalStatus: c.RenewalStatus || 'Normal',
            PeriodUnit: c.AutoRenewEnabled ? c.PeriodUnit : 'Month',
            Duration: c.AutoRenewEnabled && c.Duration ? c.Duration : 1,
          }}>
            <Form.Item name="RenewalStatus" label="At expiry">
              <Radio.Group data-testid="auto-renew-choice" options={Object.entries(RENEWAL_STATUS_LABELS).map(([value, label]) => ({ value, label }))} />
            </Form.Item>
            {status === 'AutoRenewal' && (
              <>
                <Form.Item name="PeriodUnit" label="Period unit">
                  <Radio.Group optionType="button" data-testid="auto-renew-unit" onChange={() => form.setFieldValue('Duration', 1)}
                    options={(['Month', 'Week', 'Year'] as const).map((u) => ({ value: u, label: u }))} />
                </Form.Item>
                <Form.Item name="Duration" label="Renew for, each time" rules={[{ required: true }]}>
                  <Select data-testid="auto-renew-duration-select" style={{ width: 200 }} options={periodOptions(DURATIONS[unit], unit)} />
                </Form.Item>
              </>
            )}
          </Form>
        </>
      )}
    </Modal>
  );
}
