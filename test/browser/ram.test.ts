/**
 * The console's RAM section and RAM-user sign-in in headless Chromium: the root creates a user
 * with a console password and AliyunECSReadOnlyAccess from the RAM Users page, signs out; the
 * user signs in as `user@alias` with that password, sees the instances, is refused a stop with
 * "You are not allowed to ecs:StopInstance on …" and follows the link to the access explainer.
 * The policy editor refuses malformed JSON before sending and shows the server's
 * MalformedPolicyDocument inline; an AccessKey's secret is shown once, and the user signs in
 * with that AccessKey pair too.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { createNetwork, runRequest } from '../helpers/fixtures.js';
import { $Ecs, AK, SECRET, type TestServer } from '../helpers/server.js';
import { consoleActions, consoleSuite, skipWithoutChromium } from '../helpers/browser.js';
import { ramClient } from '../helpers/ram.js';

const PASSWORD = 'Reader-Passw0rd';

describe('console RAM pages and RAM-user sign-in (browser)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  const ui = consoleSuite();
  let s: TestServer;
  let page: Page;
  let instanceId: string;
  /** The AccessKey pair the root made for the user on the RAM Users page. */
  const readerKey = { id: '', secret: '' };
  const { go, signIn } = consoleActions(() => page);
  const { shot } = ui;

  before(async () => {
    ({ s, page } = ui);
    await ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET }).call('SetAccountAlias', { AccountAlias: 'example-corp' });
    const n = await createNetwork(s);
    instanceId = (await s.ecs.runInstances(runRequest(n))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(5000);
  });

  it('the root creates a RAM user with a console password and AliyunECSReadOnlyAccess, and an AccessKey shown once', async () => {
    await signIn(s.url);
    await go('/ram/users');
    await page.getByTestId('create-user').click();
    await page.getByTestId('user-name').fill('reader');
    await page.getByTestId('user-password').fill(PASSWORD);
    await page.getByTestId('user-policies').click();
    await page.keyboard.type('AliyunECSReadOnlyAccess');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: /^AliyunECSReadOnlyAccess \(System\)$/ }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('user-ok').click();
    const row = page.getByTestId('users-table').locator('tr', { hasText: 'reader' });
    await row.waitFor();
    await row.locator('.ant-table-row-expand-icon').click();
    const detail = page.getByTestId('user-detail-reader');
    await detail.getByTestId('user-policies-table').getByText('AliyunECSReadOnlyAccess').waitFor();

    await detail.getByTestId('create-accesskey').click();
    const secret = (await detail.getByTestId('new-secret').innerText()).trim();
    assert.match(secret, /^[A-Za-z0-9]{30}$/);
    await shot('ram-users');
    // Listed afterwards by id only: the secret is not stored where any call can read it back.
    const keys = await ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET }).call('ListAccessKeys', { UserName: 'reader' });
    assert.equal(keys.AccessKeys.AccessKey.length, 1);
    assert.equal(JSON.stringify(keys).includes(secret), false);
    Object.assign(readerKey, { id: keys.AccessKeys.AccessKey[0].AccessKeyId, secret });
  });

  it('the policy editor refuses malformed JSON before sending and shows the server\'s MalformedPolicyDocument inline', async () => {
    await go('/ram/policies');
    await page.getByTestId('create-policy').click();
    await page.getByTestId('policy-name').fill('broken-policy');
    await page.getByTestId('policy-document').fill('{"Version": "1", "Statement": [');
    await page.getByTestId('policy-ok').click();
    await page.getByTestId('policy-document-item').getByText(/Not valid JSON/).waitFor();

    // Valid JSON the client cannot judge: the server's verdict appears under the editor.
    await page.getByTestId('policy-document').fill(JSON.stringify({
      Version: '1', Statement: [{ Effect: 'Allow', Action: 'StopInstance', Resource: '*' }],
    }));
    await page.getByTestId('policy-ok').click();
    await page.getByTestId('policy-document-item').getByText(/MalformedPolicyDocument/).waitFor();
    await shot('ram-policy-editor');
    await page.locator('.ant-modal:visible').getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.ant-modal:visible').waitFor({ state: 'detached' });
    const policies = await ramClient(s.url, { accessKeyId: AK, accessKeySecret: SECRET }).call('ListPolicies', { PolicyType: 'Custom' });
    assert.deepEqual(policies.Policies.Policy, []);
  });

  it('the user signs in as user@alias with the password, sees the instances and is told it may not stop one', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('signin-tab-ram').click();
    await page.getByTestId('ram-principal').fill('reader@example-corp');
    await page.getByTestId('ram-password').fill('Wrong-Passw0rd');
    await page.getByTestId('ram-signin').click();
    await page.getByTestId('signin-error').getByText(/incorrect/).waitFor();

    await page.getByTestId('ram-password').fill(PASSWORD);
    await page.getByTestId('ram-signin').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.equal(await page.getByTestId('account').innerText(), 'reader@example-corp');

    await go('/instances');
    const row = page.getByTestId('instances-table').locator('tr', { hasText: instanceId });
    await row.getByTestId('status').filter({ hasText: /^Running$/ }).waitFor();
    await row.getByRole('link', { name: instanceId }).click();
    await page.waitForURL(`**/instances/${instanceId}`);
    await page.getByTestId('stop').click();
    await page.getByTestId('confirm-stop').click();
    const refusal = page.locator('.api-error-notification').getByTestId('ram-refusal');
    await refusal.getByText(/You are not allowed to/).waitFor();
    const text = await refusal.innerText();
    assert.match(text, new RegExp(`You are not allowed to ecs:StopInstance on acs:ecs:cn-hangzhou:${s.app.root.accountId}:instance/${instanceId}`));
    await shot('ram-refusal');
    const status = await s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId }));
    assert.equal(status.body!.status, 'Running');

    // The refusal links to the explainer with the action and resource filled in; the user's own
    // policies do not let it call the explainer either, which the page says rather than breaking.
    await refusal.getByTestId('explain-refusal').click();
    await page.waitForURL('**/ram/access?*');
    assert.equal(await page.getByTestId('explain-action').inputValue(), 'ecs:StopInstance');
    await page.getByTestId('explain-run').click();
    await page.getByTestId('not-allowed').getByText(/You are not allowed to openecs:ExplainRamAccess/).waitFor();

    await go('/ram/users');
    await page.getByTestId('not-allowed').getByText(/You are not allowed to ram:ListUsers/).waitFor();
    await shot('ram-users-refused');
  });

  it('the root\'s explainer names the deciding policy for the refused stop', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await signIn(s.url);
    await page.goto(`${s.url}/console/ram/access?action=ecs%3AStopInstance&user=reader&resource=${encodeURIComponent(`acs:ecs:cn-hangzhou:${s.app.root.accountId}:instance/${instanceId}`)}`);
    await page.getByTestId('explain-run').click();
    await page.getByTestId('explain-answer').getByText(/Deny|ImplicitDeny/).first().waitFor();
  });

  it('the user signs in with its own AccessKey pair, and its policies apply', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByTestId('signin-tab-key').click();
    await page.getByTestId('ak').fill(readerKey.id);
    await page.getByTestId('secret').fill(readerKey.secret);
    await page.getByTestId('signin').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await go('/instances');
    await page.getByTestId('instances-table').locator('tr', { hasText: instanceId }).getByTestId('status').filter({ hasText: /^Running$/ }).waitFor();
    await go('/ram/users');
    await page.getByTestId('not-allowed').getByText(/You are not allowed to ram:ListUsers/).waitFor();
  });
});
