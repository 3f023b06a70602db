/**
 * The wizard's live price: DescribePrice asked again whenever what it prices changes (type, disks,
 * bandwidth, billing method, period, amount), shown under every step.
 */
import { Flex, Form, Typography, type FormInstance } from 'antd';
import { PriceTag } from '../../components/PriceTag';
import { useConsole } from '../../hooks/console';
import { useApiData } from '../../hooks/useApiData';
import { describePriceParams, type WizardValues } from './request';

export function PriceBar({ form }: { form: FormInstance<WizardValues> }) {
  const { client, region } = useConsole();
  // All values, the fields of other (hidden) steps too.
  const values = Form.useWatch([], { form, preserve: true }) as Partial<WizardValues> | undefined;
  const params = describePriceParams(region, values ?? {});
  const ready = !!(params.InstanceType && params['SystemDisk.Category']);
  // Keyed by the request: useApiData drops an answer that a newer request overtook.
  const price = useApiData(async () => (ready ? (await client.call('DescribePrice', params)).PriceInfo?.Price : undefined), [JSON.stringify(params), ready]);
  const term = params.PriceUnit === 'Hour' ? 'per hour'
    : `for ${params.Period} ${params.PriceUnit!.toLowerCase()}${params.Period === 1 ? '' : 's'}`;
  return (
    <Flex justify="space-between" align="center" style={{ marginTop: 24, padding: '12px 16px', background: '#fafafa', border: '1px solid #f0f0f0' }} data-testid="price-bar">
      <Typography.Text type="secondary" data-testid="price-term">Price{(params.Amount ?? 1) > 1 ? ` of ${params.Amount} instances` : ''}, {term}</Typography.Text>
      <PriceTag price={price.data} error={price.error} />
    </Flex>
  );
}
