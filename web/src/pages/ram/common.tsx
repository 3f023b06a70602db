/**
 * What the RAM pages share: whole listings (RAM pages with Marker; a console page reads them
 * all), and the JSON editor for policy and trust documents, which checks the document before it
 * is sent and shows the server's MalformedPolicyDocument message under the editor.
 */
import { Form, Input } from 'antd';
import type { Rule } from 'antd/es/form';
import { ApiError, type ApiClient } from '../../api/client';

/** Every page of a RAM listing (MaxItems 1000, then Marker). */
export async function allItems<T>(fetch: (marker?: string) => Promise<{ items: T[]; IsTruncated?: boolean; Marker?: string }>): Promise<T[]> {
  const out: T[] = [];
  let marker: string | undefined;
  do {
    const r = await fetch(marker);
    out.push(...r.items);
    marker = r.IsTruncated ? r.Marker : undefined;
  } while (marker);
  return out;
}

export async function listPolicies(client: ApiClient, type?: 'System' | 'Custom') {
  return allItems(async (Marker) => {
    const r = await client.call('ListPolicies', { PolicyType: type, MaxItems: 1000, Marker });
    return { items: (r.Policies?.Policy ?? []).filter((p) => p.PolicyName), IsTruncated: r.IsTruncated, Marker: r.Marker };
  });
}

/**
 * The client-side check of a policy or trust document: JSON, an object with Version "1" and a
 * Statement list whose entries have an Effect of Allow or Deny. The server checks the rest.
 */
export function documentProblem(text: string, trust = false): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'The document must be a JSON object.';
  const d = doc as Record<string, unknown>;
  if (d.Version !== '1') return 'The document needs "Version": "1".';
  if (!Array.isArray(d.Statement) || d.Statement.length === 0) return 'The document needs a non-empty "Statement" list.';
  for (const [i, st] of d.Statement.entries()) {
    if (!st || typeof st !== 'object') return `Statement ${i + 1} must be an object.`;
    const s = st as Record<string, unknown>;
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return `Statement ${i + 1}: "Effect" must be "Allow" or "Deny".`;
    if (s.Action === undefined) return `Statement ${i + 1}: "Action" is missing.`;
    if (trust ? s.Principal === undefined : s.Resource === undefined) return `Statement ${i + 1}: "${trust ? 'Principal' : 'Resource'}" is missing.`;
  }
  return undefined;
}

export const documentRule = (trust = false): Rule => ({
  validator: (_, v: string | undefined) => {
    const problem = v ? documentProblem(v, trust) : 'Enter a document.';
    return problem ? Promise.reject(new Error(problem)) : Promise.resolve();
  },
});

/** Puts a MalformedPolicyDocument (or any InvalidParameter about the document) answer under the editor field; true when it did. */
export function showDocumentError(form: { setFields(f: { name: string; errors: string[] }[]): void }, field: string, e: unknown): boolean {
  if (!(e instanceof ApiError) || !/MalformedPolicyDocument|PolicyDocument|AssumeRolePolicyDocument/.test(e.code)) return false;
  form.setFields([{ name: field, errors: [`${e.code}: ${e.message}`] }]);
  return true;
}

export function DocumentEditor({ name, label, trust, testId }: { name: string; label: string; trust?: boolean; testId: string }) {
  return (
    <Form.Item label={label} name={name} rules={[documentRule(trust)]} validateTrigger={['onBlur', 'onSubmit']} data-testid={`${testId}-item`}>
      <Input.TextArea rows={12} spellCheck={false} style={{ fontFamily: 'monospace' }} data-testid={testId} />
    </Form.Item>
  );
}

export const EXAMPLE_POLICY = JSON.stringify({
  Version: '1',
  Statement: [{ Effect: 'Allow', Action: ['ecs:Describe*'], Resource: ['*'] }],
}, null, 2);

export const exampleTrust = (accountId = '<account id>') => JSON.stringify({
  Version: '1',
  Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { RAM: [`acs:ram::${accountId}:root`] } }],
}, null, 2);
