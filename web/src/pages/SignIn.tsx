/** Sign-in: the AccessKey pair is checked with a signed DescribeRegions before it is kept. */
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { ApiClient, errorText, type Credentials } from '../api/client';
import { acceptLanguage } from '../api/language';
import type { Region } from '../api/types';

export function SignIn({ onSignedIn }: { onSignedIn(c: Credentials, regions: Region[]): void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (c: Credentials) => {
    setBusy(true);
    setError(undefined);
    try {
      const creds = { accessKeyId: c.accessKeyId.trim(), accessKeySecret: c.accessKeySecret.trim() };
      const r = await new ApiClient(creds).call('DescribeRegions', { AcceptLanguage: acceptLanguage() });
      onSignedIn(creds, r.Regions.Region);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f7fa' }}>
      <Card style={{ width: 420 }}>
        <Typography.Title level={3}>OpenECS console</Typography.Title>
        <Typography.Paragraph type="secondary">
          Sign in with an AccessKey pair. It stays in this browser tab (session storage) and signs every request.
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title="Sign-in failed" description={error} style={{ marginBottom: 16 }} data-testid="signin-error" />}
        <Form layout="vertical" onFinish={submit} requiredMark={false}>
          <Form.Item label="AccessKey ID" name="accessKeyId" rules={[{ required: true }]}>
            <Input autoComplete="username" data-testid="ak" />
          </Form.Item>
          <Form.Item label="AccessKey Secret" name="accessKeySecret" rules={[{ required: true }]}>
            <Input.Password autoComplete="current-password" data-testid="secret" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={busy} data-testid="signin">Sign in</Button>
        </Form>
      </Card>
    </div>
  );
}
