/** Tag.N editing for create forms: rows of Key and Value, sent as `Tag` ({Key, Value}[]). */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Form, Input, Space } from 'antd';

export function TagsInput({ name = 'Tag' }: { name?: string }) {
  return (
    <Form.List name={name}>
      {(fields, { add, remove }) => (
        <>
          {fields.map((f) => (
            <Space key={f.key} align="baseline">
              <Form.Item name={[f.name, 'Key']} rules={[{ required: true, message: 'Tag key' }]}><Input placeholder="Key" /></Form.Item>
              <Form.Item name={[f.name, 'Value']}><Input placeholder="Value" /></Form.Item>
              <MinusCircleOutlined onClick={() => remove(f.name)} />
            </Space>
          ))}
          <Button type="dashed" onClick={() => add()} icon={<PlusOutlined />} disabled={fields.length >= 20}>Add tag</Button>
        </>
      )}
    </Form.List>
  );
}
