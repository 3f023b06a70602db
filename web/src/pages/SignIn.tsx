/**
 * Sign-in, two ways: an AccessKey pair (the account's or a RAM user's), checked with a signed
 * DescribeRegions before it is kept; or a RAM user's `user@alias` and password
 * (SignInWithPassword), exchanged for temporary credentials. A login profile that requires a
 * new password asks for one and sends it with the old.
 */
import { Alert, Button, Card, Form, Input, Tabs, Typography } from 'antd';
import { useState } from 'react';
import { itemsWith } from '../api/answers';
import { ApiClient, ApiError, errorText, signInWithPassword, type Credentials } from '../api/client';
import { acceptLanguage } from '../api/language';
import type { Region } from '../api/types';

/** The regions, or the default one alone for an identity whose policies do not allow DescribeRegions. */
export async function regionsFor(client: ApiClient): Promise<Region[]> {
  try {
    const r = await client.call('DescribeRegions', { AcceptLanguage: acceptLanguage() });
    return itemsWith(r.Regions?.Region, 'RegionId');
  } catch (e) {
    if (e instanceof ApiError && e.code === 'Forbidden.RAM') return [{ RegionId: 'cn-hangzhou', LocalName: 'China (Hangzhou)' }];
    throw e;
  }
}

export function SignIn({ onSignedIn }: { onSignedIn(c: Credentials, regions: Region[]): void }) {
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [needsNewPassword, setNeedsNewPassword] = useState(false);
  const attempt = async (fn: () => Promise<Credentials>) => {
    setBusy(true);
    setError(undefined);
    try {
      const creds = await fn();
      onSignedIn(creds, await regionsFor(new ApiClient(creds)));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'PasswordResetRequired') setNeedsNewPassword(true);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const withKey = (c: Credentials) => attempt(async () => ({ accessKeyId: c.accessKeyId.trim(), accessKeySecret: c.accessKeySecret.trim() }));
  const withPassword = (v: { principalName: string; password: string; newPassword?: string }) => attempt(async () => {
    const r = await signInWithPassword({ PrincipalName: v.principalName.trim(), Password: v.password, NewPassword: v.newPassword || undefined });
    const c = r.Credentials;
    if (!c?.AccessKeyId || !c.AccessKeySecret) throw new Error('The server answered no credentials.');
    return { accessKeyId: c.AccessKeyId, accessKeySecret: c.AccessKeySecret, securityToken: c.SecurityToken, principal: v.principalName.trim() };
  });
  return (
    <div style={{ minHeight: '100vh', display: 'grid', placeItems: 'center', background: '#f5f7fa' }}>
      <Card style={{ width: 440 }}>
        <Typography.Title level={3}>OpenECS console</Typography.Title>
        {error && <Alert type="error" showIcon title="Sign-in failed" description={error} style={{ marginBottom: 16 }} data-testid="signin-error" />}
        <Tabs defaultActiveKey="key" items={[
          {
            key: 'key', label: <span data-testid="signin-tab-key">AccessKey</span>, children: (
              <Form layout="vertical" onFinish={withKey} requiredMark={false}>
                <Typography.Paragraph type="secondary">
                  An AccessKey pair of the account or of a RAM user. It stays in this browser tab (session storage) and signs every request.
                </Typography.Paragraph>
                <Form.Item label="AccessKey ID" name="accessKeyId" rules={[{ required: true }]}>
                  <Input autoComplete="username" data-testid="ak" />
                </Form.Item>
                <Form.Item label="AccessKey Secret" name="accessKeySecret" rules={[{ required: true }]}>
                  <Input.Password autoComplete="current-password" data-testid="secret" />
                </Form.Item>
                <Button type="primary" htmlType="submit" block loading={busy} data-testid="signin">Sign in</Button>
              </Form>
            ),
          },
          {
            key: 'ram', label: <span data-testid="signin-tab-ram">RAM user</span>, children: (
              <Form layout="vertical" onFinish={withPassword} requiredMark={false}>
                <Typography.Paragraph type="secondary">
                  A RAM user with a login profile: <code>user@alias</code> or <code>user@&lt;account id&gt;</code>. The password is exchanged for
                  temporary credentials, kept in this tab until they expire.
                </Typography.Paragraph>
                <Form.Item label="Logon name" name="principalName" rules={[{ required: true }, { pattern: /^[^@\s]+@[^@\s]+$/, message: 'user@alias or user@<account id>' }]}>
                  <Input autoComplete="username" placeholder="alice@example" data-testid="ram-principal" />
                </Form.Item>
                <Form.Item label="Password" name="password" rules={[{ required: true }]}>
                  <Input.Password autoComplete="current-password" data-testid="ram-password" />
                </Form.Item>
                {needsNewPassword && (
                  <Form.Item label="New password (required before the first sign-in)" name="newPassword" rules={[{ required: true }]}>
                    <Input.Password autoComplete="new-password" data-testid="ram-new-password" />
                  </Form.Item>
                )}
                <Button type="primary" htmlType="submit" block loading={busy} data-testid="ram-signin">Sign in</Button>
              </Form>
            ),
          },
        ]} />
      </Card>
    </div>
  );
}
