/**
 * The audit trail's redaction, held to the spec: every parameter of every product whose name says
 * it carries a credential (password, secret, token, private key, MFA code, assertion) is masked,
 * and only the names listed here as settings are not; answers that carry secrets (CreateAccessKey,
 * AssumeRole, CreateKeyPair, CreateVirtualMFADevice) leave nothing of them in the row; messages
 * that echo a request (SignatureDoesNotMatch's string to sign) and logged URLs are masked too.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apiSpec } from '../../src/api/spec.js';
import { auditRow } from '../../src/audit/event.js';
import { isSecretName, MASK, redactMessage, redactParams, redactUrl } from '../../src/audit/redact.js';
import { v2StringToSign } from '../helpers/raw.js';

/** Names that look like credentials. */
const LOOKS_SECRET = /(password|passwd|secret|token|privatekey|passphrase|credential|assertion|seed|authenticationcode)/i;
/** Of those, the ones that are settings or cursors, not credentials. */
const NOT_SECRET = new Set([
  'ClientToken', 'NextToken', 'LastToken', 'NextPageToken', 'HttpTokens', 'PasswordInherit', 'PasswordResetRequired',
  'MinimumPasswordLength', 'MaxPasswordAge', 'PasswordReusePrevention', 'AllowUserToChangePassword', 'WindowsPasswordName',
]);

interface SpecParam { n: string; items?: { props?: Record<string, unknown> }; props?: Record<string, unknown> }

/** Every request parameter name of the spec (list items as `Name.1.Field`), with the actions taking it. */
function specParams(): Map<string, { last: string; actions: string[] }> {
  const out = new Map<string, { last: string; actions: string[] }>();
  const add = (name: string, last: string, action: string) => {
    const e = out.get(name) ?? { last, actions: [] };
    e.actions.push(action);
    out.set(name, e);
  };
  for (const [product, p] of Object.entries(apiSpec.products)) {
    for (const [action, a] of Object.entries((p as { actions: Record<string, { p?: SpecParam[] }> }).actions)) {
      for (const x of a.p ?? []) {
        add(x.n, x.n.split('.').pop()!, `${product}:${action}`);
        for (const k of Object.keys(x.items?.props ?? x.props ?? {})) add(`${x.n}.1.${k}`, k, `${product}:${action}`);
      }
    }
  }
  return out;
}

/** Response fields (at any depth) whose values are credentials, per action. */
const SECRET_ANSWER = /^(AccessKeySecret|SecurityToken|PrivateKeyBody|Base32StringSeed|QRCodePNG)$/;
function secretAnswers(): { action: string; fields: string[] }[] {
  const out: { action: string; fields: string[] }[] = [];
  const walk = (o: unknown, found: string[]) => {
    if (!o || typeof o !== 'object') return;
    for (const [k, v] of Object.entries(o)) {
      if (SECRET_ANSWER.test(k)) found.push(k);
      walk(v, found);
    }
  };
  for (const [product, p] of Object.entries(apiSpec.products)) {
    for (const [action, a] of Object.entries((p as { actions: Record<string, { r?: unknown }> }).actions)) {
      const fields: string[] = [];
      walk(a.r, fields);
      if (fields.length) out.push({ action: `${product}:${action}`, fields });
    }
  }
  return out;
}

describe('audit redaction covers the spec', () => {
  it('masks every credential parameter of every product, and only those', () => {
    const params = specParams();
    const looked = [...params].filter(([, e]) => LOOKS_SECRET.test(e.last));
    assert.ok(looked.length >= 15, `found ${looked.length} credential-like parameters`);
    const wrong = looked.filter(([name, e]) => isSecretName(name) === NOT_SECRET.has(e.last))
      .map(([name, e]) => `${name} (${e.actions.slice(0, 2).join(', ')}): ${isSecretName(name) ? 'masked' : 'kept'}`);
    assert.deepEqual(wrong, []);
    // The ones this server acts on, by name.
    for (const name of ['Password', 'VncPassword', 'NewPassword', 'OldPassword', 'AuthenticationCode1', 'OIDCToken', 'SAMLAssertion', 'LaunchConfiguration.Password']) {
      assert.ok(params.has(name), `${name} is in the spec`);
      assert.equal(redactParams({ [name]: 'x-secret-x' })[name], MASK, name);
    }
  });

  it('keeps nothing of an answer that carries credentials', () => {
    const actions = secretAnswers();
    const names = actions.map((a) => a.action);
    for (const a of ['ram:CreateAccessKey', 'sts:AssumeRole', 'ecs:CreateKeyPair', 'ram:CreateVirtualMFADevice']) assert.ok(names.includes(a), a);
    for (const { action, fields } of actions) {
      const answer = Object.fromEntries(fields.map((f, i) => [f, `answer-secret-${i}-Zx81`]));
      const row = auditRow({
        eventId: 'e', time: 0, requestId: 'r', accountId: '1', identity: { type: 'root-account', principalId: '1', userName: 'root', sessionName: '' },
        accessKeyId: 'LTAIx', action: action.split(':')[1]!, serviceName: 'x', apiVersion: 'v', eventSource: 'h', params: { UserName: 'u' },
        endpointRegion: '', sourceIp: '', userAgent: '', status: 200, errorCode: '', errorMessage: '', answer,
      });
      assert.ok(!JSON.stringify(row).includes('answer-secret-'), `${action}: the row holds none of ${fields.join(', ')}`);
    }
  });
});

describe('redacted messages and URLs', () => {
  const password = "Ab+c/d=e f!'()*中Q9";
  const params = { Action: 'ModifyInstanceAttribute', InstanceId: 'i-1', Password: password, AccessKeyId: 'LTAIx' };

  it('masks a secret echoed in a V2 string to sign (encoded twice), in clear or URL-encoded', () => {
    const sts = v2StringToSign('GET', params);
    const cases: [string, string][] = [
      ['string to sign', `Specified signature is not matched with our calculation. server string to sign is:${sts}`],
      ['clear', `bad value ${password} given`],
      ['url-encoded', `bad value ${encodeURIComponent(password)} given`],
      ['form-encoded', `bad value ${new URLSearchParams({ p: password }).toString().slice(2)} given`],
    ];
    for (const [what, message] of cases) {
      const out = redactMessage(message, params);
      assert.ok(out.includes(MASK), what);
      for (const form of [password, encodeURIComponent(password), 'Ab%2Bc', 'Ab%252Bc']) assert.ok(!out.includes(form), `${what}: ${form}`);
      assert.ok(out.includes('i-1') || !message.includes('i-1'), `${what}: other values stay`);
    }
  });

  it('masks secret query parameters of a logged URL and leaves others', () => {
    const url = `/?Action=RunInstances&Password=${encodeURIComponent(password)}&InstanceName=web&LoginProfile.1.Password=x`;
    const out = redactUrl(url);
    const q = new URLSearchParams(out.slice(2));
    assert.equal(q.get('Password'), MASK);
    assert.equal(q.get('LoginProfile.1.Password'), MASK);
    assert.equal(q.get('InstanceName'), 'web');
    assert.equal(redactUrl('/?Action=DescribeRegions'), '/?Action=DescribeRegions');
    assert.equal(redactUrl('/console/'), '/console/');
  });
});
