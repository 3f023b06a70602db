/** The create-instance wizard: four steps over one form, then a review and RunInstances. */
import { Button, Card, Descriptions, Form, Space, Steps } from 'antd';
import { useState } from 'react';
import { PageHeader } from '../../components/PageHeader';
import { chargeTypeLabel, periodOptions } from '../../components/subscription';
import { useConsole } from '../../hooks/console';
import { useAction } from '../../hooks/useAction';
import { navigate } from '../../router';
import { AccessStep } from './AccessStep';
import { BasicsStep } from './BasicsStep';
import { BILLING_FIELDS, BillingFields } from './BillingFields';
import { NetworkStep } from './NetworkStep';
import { PriceBar } from './PriceBar';
import { runInstancesParams, type WizardValues } from './request';
import { StorageStep } from './StorageStep';

const STEPS: { title: string; fields: string[] }[] = [
  { title: 'Basics', fields: ['ZoneId', 'InstanceType', 'ImageId', ...BILLING_FIELDS] },
  { title: 'Storage', fields: ['SystemDiskCategory', 'SystemDiskSize', 'DataDisk'] },
  { title: 'Network', fields: ['VpcId', 'VSwitchId', 'SecurityGroupId', 'InternetMaxBandwidthOut'] },
  { title: 'Access & settings', fields: ['login', 'Password', 'KeyPairName', 'InstanceName', 'HostName', 'Description', 'UserData', 'Tag', 'Amount'] },
  { title: 'Review', fields: [] },
];

const INITIAL: Partial<WizardValues> = {
  SystemDiskSize: 40, login: 'password', Amount: 1, InternetMaxBandwidthOut: 0,
  InstanceChargeType: 'PostPaid', Period: 1, PeriodUnit: 'Month', AutoRenew: false, AutoRenewPeriod: 1,
};

/** The review's billing line: `Subscription, 1 month, auto-renew 1 month`. */
function billingText(v: WizardValues): string {
  if (v.InstanceChargeType !== 'PrePaid') return chargeTypeLabel(v.InstanceChargeType);
  const [p] = periodOptions([v.Period ?? 1], v.PeriodUnit ?? 'Month');
  const [r] = periodOptions([v.AutoRenewPeriod ?? 1], v.PeriodUnit ?? 'Month');
  return `${chargeTypeLabel('PrePaid')}, ${p!.label}${v.AutoRenew ? `, auto-renew ${r!.label}` : ''}`;
}

export function InstanceCreate() {
  const { client, region } = useConsole();
  const [form] = Form.useForm<WizardValues>();
  const [step, setStep] = useState(0);
  const { run, busy } = useAction();
  const next = async () => {
    try { await form.validateFields(STEPS[step]!.fields, { recursive: true }); } catch { return; }
    setStep(step + 1);
  };
  const create = async () => {
    const values = form.getFieldsValue(true) as WizardValues;
    const r = await run('Create instance', () => client.call('RunInstances', runInstancesParams(region, values)));
    const ids = r ? r.InstanceIdSets?.InstanceIdSet ?? [] : undefined;
    if (ids) navigate(ids.length === 1 ? `/instances/${ids[0]}` : '/instances');
  };
  const v = form.getFieldsValue(true) as WizardValues;
  return (
    <>
      <PageHeader title="Create instance" sub={`Region ${region}`} />
      <Steps current={step} items={STEPS.map((s) => ({ title: s.title }))} style={{ marginBottom: 24 }} />
      <Card>
        <Form form={form} layout="vertical" initialValues={INITIAL} preserve style={{ maxWidth: 720 }}>
          <div hidden={step !== 0}><BasicsStep form={form} /><BillingFields form={form} /></div>
          <div hidden={step !== 1}><StorageStep form={form} /></div>
          <div hidden={step !== 2}><NetworkStep form={form} /></div>
          <div hidden={step !== 3}><AccessStep form={form} /></div>
        </Form>
        {step === 4 && (
          <Descriptions bordered size="small" column={1} data-testid="review">
            <Descriptions.Item label="Zone">{v.ZoneId}</Descriptions.Item>
            <Descriptions.Item label="Instance type">{v.InstanceType}</Descriptions.Item>
            <Descriptions.Item label="Image">{v.ImageId}</Descriptions.Item>
            <Descriptions.Item label="Billing"><span data-testid="review-billing">{billingText(v)}</span></Descriptions.Item>
            <Descriptions.Item label="System disk">{v.SystemDiskCategory}, {v.SystemDiskSize} GiB</Descriptions.Item>
            <Descriptions.Item label="Data disks">{(v.DataDisk ?? []).map((d) => `${d.Category} ${d.Size} GiB`).join('; ') || 'none'}</Descriptions.Item>
            <Descriptions.Item label="Network">{v.VpcId} / {v.VSwitchId} / {v.SecurityGroupId}</Descriptions.Item>
            <Descriptions.Item label="Logon">{v.login === 'keypair' ? `key pair ${v.KeyPairName}` : v.login}</Descriptions.Item>
            <Descriptions.Item label="Name">{v.InstanceName || '-'}</Descriptions.Item>
            <Descriptions.Item label="Amount">{v.Amount}</Descriptions.Item>
          </Descriptions>
        )}
        <PriceBar form={form} />
        <Space style={{ marginTop: 24 }}>
          <Button onClick={() => (step ? setStep(step - 1) : navigate('/instances'))}>{step ? 'Previous' : 'Cancel'}</Button>
          {step < 4 && <Button type="primary" onClick={next} data-testid="wizard-next">Next</Button>}
          {step === 4 && <Button type="primary" loading={busy} onClick={create} data-testid="wizard-create">Create</Button>}
        </Space>
      </Card>
    </>
  );
}
