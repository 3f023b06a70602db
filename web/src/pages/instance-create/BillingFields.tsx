/** The wizard's billing: pay-as-you-go, or a subscription bought for a period with optional auto-renewal (RunInstances' fields). */
import { Form, Radio, Select, Switch } from 'antd';
import type { FormInstance } from 'antd';
import { CHARGE_TYPE_LABELS, PERIOD_UNITS, periodOptions, PURCHASE_PERIODS, RENEW_DURATIONS, type PeriodUnit } from '../../components/subscription';

export const BILLING_FIELDS = ['InstanceChargeType', 'Period', 'PeriodUnit', 'AutoRenew', 'AutoRenewPeriod'];

export function BillingFields({ form }: { form: FormInstance }) {
  const chargeType: string | undefined = Form.useWatch('InstanceChargeType', form);
  const unit: PeriodUnit = Form.useWatch('PeriodUnit', form) ?? 'Month';
  const autoRenew: boolean | undefined = Form.useWatch('AutoRenew', form);
  // A unit change starts both periods over at 1: not every period exists in both units.
  const onUnit = () => form.setFieldsValue({ Period: 1, AutoRenewPeriod: 1 });
  return (
    <>
      <Form.Item label="Billing method" name="InstanceChargeType">
        <Radio.Group optionType="button" data-testid="charge-type-choice"
          options={Object.entries(CHARGE_TYPE_LABELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      {chargeType === 'PrePaid' && (
        <>
          <Form.Item label="Period unit" name="PeriodUnit">
            <Radio.Group optionType="button" data-testid="period-unit" onChange={onUnit} options={PERIOD_UNITS.map((u) => ({ value: u, label: u }))} />
          </Form.Item>
          <Form.Item label="Subscription period" name="Period" rules={[{ required: true }]}>
            <Select data-testid="period" style={{ width: 200 }} options={periodOptions(PURCHASE_PERIODS[unit], unit)} />
          </Form.Item>
          <Form.Item label="Auto-renew at expiry" name="AutoRenew" valuePropName="checked">
            <Switch data-testid="wizard-auto-renew" />
          </Form.Item>
          {autoRenew && (
            <Form.Item label="Renew for, each time" name="AutoRenewPeriod">
              <Select data-testid="auto-renew-period" style={{ width: 200 }} options={periodOptions(RENEW_DURATIONS[unit], unit)} />
            </Form.Item>
          )}
        </>
      )}
    </>
  );
}
