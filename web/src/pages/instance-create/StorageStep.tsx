/** Step 2: system disk and data disks, categories as the chosen zone sells them. */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Checkbox, Form, InputNumber, Select, Space } from 'antd';
import type { FormInstance } from 'antd';
import { useEffect } from 'react';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { useAvailable } from '../../hooks/useOptions';

export function StorageStep({ form }: { form: FormInstance }) {
  const zoneId: string | undefined = Form.useWatch('ZoneId', form);
  const instanceType: string | undefined = Form.useWatch('InstanceType', form);
  // The categories (and size limits) this type takes in this zone, as DescribeAvailableResource tells.
  const system = useAvailable('SystemDisk', zoneId, instanceType);
  const data = useAvailable('DataDisk', zoneId, instanceType);
  const categories = (system.data ?? []).map((r) => r.Value);
  const options = categories.map((c) => ({ value: c, label: c }));
  const dataOptions = (data.data ?? []).map((r) => ({ value: r.Value, label: r.Value }));
  const systemCategory: string | undefined = Form.useWatch('SystemDiskCategory', form);
  const chosen = system.data?.find((r) => r.Value === systemCategory);
  useEffect(() => {
    const cur = form.getFieldValue('SystemDiskCategory');
    if (categories.length && !categories.includes(cur)) form.setFieldValue('SystemDiskCategory', categories.includes('cloud_essd') ? 'cloud_essd' : categories[0]);
  }, [categories.join(), form]);
  return (
    <>
      <ApiErrorAlert error={system.error ?? data.error} />
      <Space align="start">
        <Form.Item label="System disk category" name="SystemDiskCategory" rules={[{ required: true }]}>
          <Select style={{ width: 220 }} options={options} />
        </Form.Item>
        <Form.Item label="Size (GiB)" name="SystemDiskSize" rules={[{ required: true }]}>
          <InputNumber min={chosen?.Min ?? 20} max={chosen?.Max ?? 2048} />
        </Form.Item>
      </Space>
      <Form.List name="DataDisk">
        {(fields, { add, remove }) => (
          <>
            {fields.map((f) => (
              <Space key={f.key} align="baseline">
                <Form.Item label="Data disk category" name={[f.name, 'Category']} rules={[{ required: true }]}><Select style={{ width: 220 }} options={dataOptions} /></Form.Item>
                <Form.Item label="Size (GiB)" name={[f.name, 'Size']} rules={[{ required: true }]}><InputNumber min={20} max={32768} /></Form.Item>
                <Form.Item name={[f.name, 'DeleteWithInstance']} valuePropName="checked"><Checkbox>Release with instance</Checkbox></Form.Item>
                <MinusCircleOutlined onClick={() => remove(f.name)} />
              </Space>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= 16}
              onClick={() => add({ Category: dataOptions.some((o) => o.value === form.getFieldValue('SystemDiskCategory')) ? form.getFieldValue('SystemDiskCategory') : dataOptions[0]?.value, Size: 40, DeleteWithInstance: true })}>Add data disk</Button>
          </>
        )}
      </Form.List>
    </>
  );
}
