/** Step 1: zone, instance type (as the zone sells it) and image. */
import { Form, Select } from 'antd';
import { useEffect } from 'react';
import type { FormInstance } from 'antd';
import { itemsWith } from '../../api/answers';
import type { InstanceType } from '../../api/types';
import { useConsole } from '../../hooks/console';
import { useApiData } from '../../hooks/useApiData';
import { useZones } from '../../hooks/useOptions';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';

/** A current general-purpose 2 vCPU / 8 GiB type when the zone sells one; else the zone's first. */
const PREFERRED_TYPES = ['ecs.g7.large', 'ecs.g8i.large', 'ecs.g6.large', 'ecs.c7.large', 'ecs.g5.large'];

export function BasicsStep({ form }: { form: FormInstance }) {
  const { client, region } = useConsole();
  const zones = useZones();
  const zoneId: string | undefined = Form.useWatch('ZoneId', form);
  const instanceType: string | undefined = Form.useWatch('InstanceType', form);
  const types = useApiData(async () => {
    const all: InstanceType[] = [];
    let token: string | undefined;
    for (let i = 0; i < 20; i++) {
      const r = await client.call('DescribeInstanceTypes', { MaxResults: 100, NextToken: token });
      all.push(...itemsWith(r.InstanceTypes?.InstanceType, 'InstanceTypeId'));
      if (!r.NextToken) break;
      token = r.NextToken;
    }
    return new Map(all.map((t) => [t.InstanceTypeId, t]));
  }, []);
  const images = useApiData(async () => (await client.call('DescribeImages', {
    RegionId: region, ImageOwnerAlias: 'system', InstanceType: instanceType, PageSize: 100,
  })).Images?.Image, [region, instanceType]);

  const zone = zones.data?.find((z) => z.ZoneId === zoneId);
  const sold = zone?.AvailableInstanceTypes?.InstanceTypes ?? [];

  // Sensible defaults: the first zone, its first type, the first image.
  useEffect(() => { if (!zoneId && zones.data?.length) form.setFieldValue('ZoneId', zones.data[0]!.ZoneId); }, [zones.data, zoneId, form]);
  useEffect(() => {
    if (sold.length && !sold.includes(instanceType ?? '')) form.setFieldValue('InstanceType', PREFERRED_TYPES.find((t) => sold.includes(t)) ?? sold[0]);
  }, [sold.join(), instanceType, form]);
  useEffect(() => {
    const list = images.data ?? [];
    if (list.length && !list.some((i) => i.ImageId === form.getFieldValue('ImageId'))) form.setFieldValue('ImageId', list[0]!.ImageId);
  }, [images.data, form]);

  return (
    <>
      <ApiErrorAlert error={zones.error ?? types.error ?? images.error} />
      <Form.Item label="Zone" name="ZoneId" rules={[{ required: true }]}>
        <Select data-testid="zone" loading={zones.loading} options={(zones.data ?? []).map((z) => ({ value: z.ZoneId, label: `${z.LocalName} (${z.ZoneId})` }))} />
      </Form.Item>
      <Form.Item label="Instance type" name="InstanceType" rules={[{ required: true }]}>
        <Select data-testid="instance-type" showSearch loading={types.loading} options={sold.map((id) => {
          const t = types.data?.get(id);
          return { value: id, label: t ? `${id} — ${t.CpuCoreCount} vCPU, ${t.MemorySize} GiB` : id };
        })} />
      </Form.Item>
      <Form.Item label="Image" name="ImageId" rules={[{ required: true }]}>
        <Select data-testid="image" showSearch={{ optionFilterProp: 'label' }} loading={images.loading}
          options={(images.data ?? []).map((i) => ({ value: i.ImageId, label: `${i.OSName || i.ImageName} (${i.ImageId})` }))} />
      </Form.Item>
    </>
  );
}
