/** Step 4: logon credentials, names, user data, tags and amount. */
import { Form, Input, InputNumber, Radio, Select } from 'antd';
import type { FormInstance } from 'antd';
import { TagsInput } from '../../components/TagsInput';
import { useKeyPairs } from '../../hooks/useOptions';

export function AccessStep({ form }: { form: FormInstance }) {
  const login = Form.useWatch('login', form);
  const keys = useKeyPairs();
  return (
    <>
      <Form.Item label="Logon credentials" name="login">
        <Radio.Group options={[{ value: 'password', label: 'Password' }, { value: 'keypair', label: 'Key pair' }, { value: 'later', label: 'Set later' }]} />
      </Form.Item>
      {login === 'password' && (
        <Form.Item label="Password" name="Password" rules={[{ required: true }]} extra="8–30 characters with three of: upper case, lower case, digits, symbols.">
          <Input.Password autoComplete="new-password" data-testid="password" />
        </Form.Item>
      )}
      {login === 'keypair' && (
        <Form.Item label="Key pair" name="KeyPairName" rules={[{ required: true }]}>
          <Select data-testid="keypair" loading={keys.loading} options={(keys.data ?? []).map((k) => ({ value: k.KeyPairName, label: k.KeyPairName }))} />
        </Form.Item>
      )}
      <Form.Item label="Instance name" name="InstanceName"><Input data-testid="instance-name" /></Form.Item>
      <Form.Item label="Host name" name="HostName"><Input /></Form.Item>
      <Form.Item label="Description" name="Description"><Input /></Form.Item>
      <Form.Item label="User data (plain text, sent base64-encoded)" name="UserData"><Input.TextArea rows={4} placeholder="#!/bin/sh" /></Form.Item>
      <Form.Item label="Tags"><TagsInput /></Form.Item>
      <Form.Item label="Amount" name="Amount" rules={[{ required: true }]}><InputNumber min={1} max={100} /></Form.Item>
    </>
  );
}
