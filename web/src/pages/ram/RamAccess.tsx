/**
 * The access explainer (ExplainRamAccess): would RAM let a user or role do an action on a
 * resource, and which policy statement decides. Refusals elsewhere link here with the action
 * and resource filled in.
 */
import { Alert, Button, Card, Descriptions, Form, Input, Tag } from 'antd';
import { useState } from 'react';
import type { ApiResponse } from '../../api/types';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { useConsole } from '../../hooks/console';

type Answer = ApiResponse<'ExplainRamAccess'>;

export function RamAccess() {
  const { client } = useConsole();
  const q = new URLSearchParams(window.location.search);
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const explain = async (v: { UserName?: string; RoleName?: string; AuthAction: string; AuthResource?: string }) => {
    setBusy(true);
    setError(undefined);
    setAnswer(undefined);
    try {
      setAnswer(await client.call('ExplainRamAccess', { ...v, UserName: v.UserName || undefined, RoleName: v.RoleName || undefined }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const d = answer?.DecidingPolicy;
  return (
    <>
      <PageHeader title="RAM Access Explainer" sub="Which policy statement allows or denies an action on a resource, for a RAM user or role." />
      <Card>
        <Form layout="vertical" onFinish={explain} initialValues={{ UserName: q.get('user') ?? '', AuthAction: q.get('action') ?? '', AuthResource: q.get('resource') ?? '' }}>
          <Form.Item label="RAM user" name="UserName"><Input placeholder="alice" data-testid="explain-user" /></Form.Item>
          <Form.Item label="or RAM role" name="RoleName"><Input /></Form.Item>
          <Form.Item label="Action" name="AuthAction" rules={[{ required: true }]}><Input placeholder="ecs:StopInstance" data-testid="explain-action" /></Form.Item>
          <Form.Item label="Resource" name="AuthResource"><Input placeholder="acs:ecs:cn-hangzhou:<account>:instance/i-…" data-testid="explain-resource" /></Form.Item>
          <Button type="primary" htmlType="submit" loading={busy} data-testid="explain-run">Explain</Button>
        </Form>
      </Card>
      <div style={{ marginTop: 16 }}>
        <ApiErrorAlert error={error} what="Explaining access" />
        {answer && (
          <Alert type={answer.Decision === 'Allow' ? 'success' : 'warning'} showIcon data-testid="explain-answer"
            title={<><Tag color={answer.Decision === 'Allow' ? 'green' : 'red'}>{answer.Decision}</Tag>{answer.DenyType} {answer.Reason}</>}
            description={d && (
              <Descriptions size="small" column={1}>
                <Descriptions.Item label="Policy">{d.PolicyName} ({d.PolicyType}, {d.VersionId})</Descriptions.Item>
                <Descriptions.Item label="Statement">#{d.StatementIndex} <code>{d.Statement}</code></Descriptions.Item>
              </Descriptions>
            )} />
        )}
      </div>
    </>
  );
}
