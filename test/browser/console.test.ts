/**
 * The Management Console in headless Chromium (Debian's package, driven by playwright-core)
 * against an in-process server: sign-in, region switch, then the resource flows as far as the
 * API implements them. A step whose action has no handler yet is skipped with that reason,
 * never faked. Screenshots of each main page go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { allHandlers } from '../../src/actions/index.js';
import { createAccount } from '../../src/auth/accounts.js';
import { AK, SECRET, type TestServer } from '../helpers/server.js';
import { consoleActions, consoleSuite, skipWithoutChromium } from '../helpers/browser.js';

const handlers = allHandlers();
const has = (product: 'ecs' | 'vpc', ...actions: string[]) => actions.every((a) => !!handlers[product][a]);
const missing = (product: 'ecs' | 'vpc', ...actions: string[]) =>
  `not implemented by the server yet: ${actions.filter((a) => !handlers[product][a]).join(', ')}`;

describe('management console (browser)', { skip: skipWithoutChromium, timeout: 600_000 }, () => {
  const ui = consoleSuite({ acceptDownloads: true });
  let s: TestServer;
  let page: Page;
  const made: { vpcId?: string; vswitchId?: string; sgId?: string; instanceId?: string; snapshotId?: string; imageId?: string } = {};
  // Pages already photographed while holding real resources; the last test does not overwrite them with empty lists.
  const shotWithData = new Set<string>();

  const { shot } = ui;
  const dataShot = async (name: string) => { await shot(name); shotWithData.add(name); };
  const modalOk = (testId: string) => page.getByTestId(testId).click();
  const { go, pickOption, wizardNext: next } = consoleActions(() => page);
  const statusIs = (text: string, timeout = 10_000) =>
    page.getByTestId('status').filter({ hasText: new RegExp(`^${text}$`) }).first().waitFor({ timeout });

  before(async () => {
    ({ s, page } = ui);
  });

  it('serves the console at /console/, with index.html for client routes and hashed assets cached', async () => {
    const root = await fetch(`${s.url}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/console/');
    const deep = await fetch(`${s.url}/console/instances/i-doesnotexist`);
    assert.equal(deep.status, 200);
    assert.equal(deep.headers.get('cache-control'), 'no-cache');
    const html = await deep.text();
    assert.match(html, /<div id="root">/);
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    assert.ok(asset, 'index.html links a hashed script');
    const js = await fetch(`${s.url}${asset}`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.match(js.headers.get('cache-control') ?? '', /immutable/);
    assert.equal((await fetch(`${s.url}/console/..%2F..%2Fpackage.json`)).headers.get('content-type')?.includes('json'), false);
  });

  it('refuses a wrong secret with the ECS error code, then signs in and keeps the key in sessionStorage only', async () => {
    await page.goto(`${s.url}/`);
    await page.waitForURL('**/console/');
    await page.getByTestId('ak').fill(AK);
    await page.getByTestId('secret').fill('wrong-secret');
    await page.getByTestId('signin').click();
    const err = page.getByTestId('signin-error');
    await err.waitFor();
    assert.match(await err.innerText(), /SignatureDoesNotMatch/);

    await page.getByTestId('secret').fill(SECRET);
    await page.getByTestId('signin').click();
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    assert.equal(await page.getByTestId('account').innerText(), AK);
    const stored = await page.evaluate(() => ({
      session: sessionStorage.getItem('openecs.accessKeySecret'),
      local: JSON.stringify(localStorage),
      cookie: document.cookie,
    }));
    assert.equal(stored.session, SECRET);
    assert.ok(!stored.local.includes(SECRET) && !stored.cookie.includes(SECRET));
    await page.getByTestId('count-instances').locator('.ant-statistic-content').waitFor();
    await shot('overview');
  });

  it('switches region from the header selector and keeps it across a reload', async () => {
    await pickOption('region-select', '(cn-shanghai)');
    await page.getByText('Resources in', { exact: false }).filter({ hasText: 'cn-shanghai' }).waitFor();
    await page.reload();
    await page.getByTestId('region-select').filter({ hasText: 'cn-shanghai' }).waitFor();
    await pickOption('region-select', '(cn-hangzhou)');
    await page.getByText('Resources in', { exact: false }).filter({ hasText: 'cn-hangzhou' }).waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.getItem('openecs.region')), 'cn-hangzhou');
  });

  it('creates a VPC and a VSwitch', { skip: !has('vpc', 'CreateVpc', 'DescribeVpcs', 'CreateVSwitch', 'DescribeVSwitches') && missing('vpc', 'CreateVpc', 'DescribeVpcs', 'CreateVSwitch', 'DescribeVSwitches') }, async () => {
    await go('/vpcs');
    await page.getByTestId('create-vpc').click();
    await page.getByTestId('vpc-name').fill('console-vpc');
    await page.getByTestId('vpc-ok').click();
    // The modal goes once CreateVpc has answered (a failure keeps it open with the error).
    await page.getByTestId('vpc-name').waitFor({ state: 'detached', timeout: 20_000 });
    const row = page.getByTestId('vpcs-table').locator('tr', { hasText: 'console-vpc' });
    await row.waitFor();
    made.vpcId = /vpc-[a-z0-9]+/.exec(await row.innerText())?.[0];
    assert.ok(made.vpcId);

    await page.getByTestId('tab-vswitches').click();
    await page.getByTestId('create-vswitch').click();
    await page.getByTestId('vsw-cidr').fill('192.168.1.0/24');
    await page.getByTestId('vsw-name').fill('console-vsw');
    await page.getByTestId('vsw-ok').click();
    const vrow = page.getByTestId('vswitches-table').locator('tr', { hasText: 'console-vsw' });
    await vrow.waitFor();
    assert.match(await vrow.innerText(), new RegExp(made.vpcId!));
    made.vswitchId = /vsw-[a-z0-9]+/.exec(await vrow.innerText())?.[0];
    await shot('vpcs');
  });

  it('creates a security group, adds an inbound rule and deletes it', { skip: !has('ecs', 'CreateSecurityGroup', 'DescribeSecurityGroups', 'DescribeSecurityGroupAttribute', 'AuthorizeSecurityGroup', 'RevokeSecurityGroup') && missing('ecs', 'CreateSecurityGroup', 'DescribeSecurityGroups', 'DescribeSecurityGroupAttribute', 'AuthorizeSecurityGroup', 'RevokeSecurityGroup') }, async (t) => {
    if (!made.vpcId) return t.skip('needs the VPC from the previous step');
    await go('/security-groups');
    await page.getByTestId('create-sg').click();
    await page.getByTestId('sg-name').fill('console-sg');
    await page.getByTestId('sg-ok').click();
    const row = page.getByTestId('sgs-table').locator('tr', { hasText: 'console-sg' });
    await row.waitFor();
    made.sgId = /sg-[a-z0-9]+/.exec(await row.innerText())?.[0];
    await row.getByRole('link').click();
    await page.waitForURL(`**/security-groups/${made.sgId}`);

    await page.getByTestId('add-ingress').click();
    await page.getByTestId('rule-ports').fill('8080/8080');
    await page.getByTestId('rule-peer').fill('10.0.0.0/8');
    await page.getByTestId('rule-ok').click();
    const rule = page.getByTestId('rules-ingress').locator('tr', { hasText: '8080/8080' });
    await rule.waitFor();
    assert.match(await rule.innerText(), /10\.0\.0\.0\/8/);
    await shot('security-group-rules');
    await rule.getByTestId('delete-rule').click();
    await page.getByTestId('confirm-delete-rule').click();
    await rule.waitFor({ state: 'detached' });
  });

  it('creates a key pair and downloads its private key once', { skip: !has('ecs', 'CreateKeyPair', 'DescribeKeyPairs') && missing('ecs', 'CreateKeyPair', 'DescribeKeyPairs') }, async () => {
    await go('/key-pairs');
    await page.getByTestId('create-keypair').click();
    await page.getByTestId('keypair-name').fill('console-key');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('keypair-ok').click()]);
    assert.equal(download.suggestedFilename(), 'console-key.pem');
    const pem = readFileSync((await download.path())!, 'utf8');
    assert.match(pem, /^-----BEGIN [A-Z ]*PRIVATE KEY-----/);
    const fingerprint = await page.getByTestId('fingerprint').innerText();
    await page.getByTestId('keypair-done').click();
    const row = page.getByTestId('keypairs-table').locator('tr', { hasText: 'console-key' });
    await row.waitFor();
    assert.ok((await row.innerText()).includes(fingerprint));
  });

  it('launches an instance with the wizard, watches it reach Running and stops it', { skip: !has('ecs', 'RunInstances', 'DescribeInstances', 'StopInstance', 'DeleteInstance') && missing('ecs', 'RunInstances', 'DescribeInstances', 'StopInstance', 'DeleteInstance') }, async (t) => {
    if (!made.vswitchId || !made.sgId) return t.skip('needs the VSwitch and security group from the previous steps');
    await go('/instances');
    await page.getByTestId('create-instance').click();
    await page.waitForURL('**/instances/create');
    await page.getByTestId('image').locator('xpath=..').waitFor();
    await next('Storage');
    await next('Network');
    await next('Access');
    await page.getByTestId('password').fill('Console#Passw0rd');
    await page.getByTestId('instance-name').fill('console-vm');
    await next('Review');
    await shot('instance-create-review');
    await page.getByTestId('wizard-create').click();
    const failed = page.locator('.api-error-notification');
    await Promise.race([page.waitForURL(/\/instances\/i-[a-z0-9]+$/), failed.waitFor()]);
    if (await failed.count()) assert.fail(`RunInstances failed: ${await failed.innerText()}`);
    made.instanceId = /i-[a-z0-9]+$/.exec(page.url())?.[0];
    await statusIs('(Pending|Starting)');
    await s.advance(1000);
    await s.advance(1000);
    await statusIs('Running');
    await shot('instance-detail');
    await go('/instances');
    const row = page.getByTestId('instances-table').locator('tr', { hasText: made.instanceId! });
    await row.getByTestId('status').filter({ hasText: /^Running$/ }).waitFor();
    await dataShot('instances');
    await row.getByRole('link', { name: made.instanceId! }).click();
    await page.waitForURL(`**/instances/${made.instanceId}`);
    await statusIs('Running');

    await page.getByTestId('stop').click();
    await page.getByTestId('confirm-stop').click();
    await statusIs('(Stopping|Stopped)');
    await s.advance(1000);
    await statusIs('Stopped');
  });

  it('snapshots the stopped instance\'s system disk from the Disks page and follows the progress to 100%', { skip: !has('ecs', 'DescribeDisks', 'CreateSnapshot', 'DescribeSnapshots') && missing('ecs', 'DescribeDisks', 'CreateSnapshot', 'DescribeSnapshots') }, async (t) => {
    if (!made.instanceId) return t.skip('needs the stopped instance from the previous step');
    await go('/disks');
    const disk = page.getByTestId('disks-table').locator('tr', { hasText: made.instanceId });
    await disk.waitFor();
    assert.match(await disk.innerText(), /system/);
    await dataShot('disks');
    await disk.getByTestId('disk-actions').hover();
    await page.getByRole('menuitem', { name: 'Create snapshot' }).click();
    await page.getByTestId('snapshot-name').fill('console-snap');
    await modalOk('disk-op-ok');
    await page.getByTestId('snapshot-name').waitFor({ state: 'detached' });

    await go('/snapshots');
    const row = page.getByTestId('snapshots-table').locator('tr', { hasText: 'console-snap' });
    await row.waitFor();
    made.snapshotId = /s-[a-z0-9]+/.exec(await row.innerText())?.[0];
    assert.ok(made.snapshotId);
    await row.getByTestId('status').filter({ hasText: /^progressing$/ }).waitFor();
    // The first snapshot of a disk takes two engine steps; the list polls while one is progressing.
    await s.advance(1000);
    await row.locator('[role="progressbar"][aria-valuenow="50"]').waitFor();
    await s.advance(1000);
    await row.getByTestId('status').filter({ hasText: /^accomplished$/ }).waitFor();
    assert.equal(await row.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
    await dataShot('snapshots');
  });

  it('creates a custom image from the snapshot and watches it become Available', { skip: !has('ecs', 'CreateImage', 'DescribeImages') && missing('ecs', 'CreateImage', 'DescribeImages') }, async (t) => {
    if (!made.snapshotId) return t.skip('needs the snapshot from the previous step');
    const row = page.getByTestId('snapshots-table').locator('tr', { hasText: made.snapshotId });
    await row.getByTestId('snapshot-create-image').click();
    await page.getByTestId('image-name').fill('console-image');
    await modalOk('image-ok');
    await page.getByTestId('image-name').waitFor({ state: 'detached' });

    await go('/images');
    await page.getByRole('tab', { name: 'Custom images' }).click();
    const image = page.getByTestId('images-self').locator('tr', { hasText: 'console-image' });
    await image.waitFor();
    made.imageId = /m-[a-z0-9]+/.exec(await image.innerText())?.[0];
    assert.ok(made.imageId);
    await s.advance(1000);
    await image.getByTestId('status').filter({ hasText: /^Available$/ }).waitFor();
  });

  it('shares the image with a second account and lists the share', { skip: !has('ecs', 'ModifyImageSharePermission', 'DescribeImageSharePermission') && missing('ecs', 'ModifyImageSharePermission', 'DescribeImageSharePermission') }, async (t) => {
    if (!made.imageId) return t.skip('needs the image from the previous step');
    const other = await createAccount(s.app.services.db, 'other', Date.now());
    const image = page.getByTestId('images-self').locator('tr', { hasText: made.imageId });
    await image.getByTestId('share-image').click();
    await page.getByTestId('share-account').fill(other.accountId);
    await page.getByTestId('share-ok').click();
    // The list is DescribeImageSharePermission's answer, read again after the change.
    const share = page.getByTestId('image-shares').locator('tr', { hasText: other.accountId });
    await share.waitFor();
    await dataShot('images');
    await page.locator('.ant-modal:visible .ant-modal-close').click();
    await page.getByTestId('image-shares').waitFor({ state: 'detached' });
  });

  it('releases the instance', { skip: !has('ecs', 'DeleteInstance') && missing('ecs', 'DeleteInstance') }, async (t) => {
    if (!made.instanceId) return t.skip('needs the instance from the launch step');
    await go('/instances');
    await page.getByTestId('instances-table').getByRole('link', { name: made.instanceId }).click();
    await page.waitForURL(`**/instances/${made.instanceId}`);
    await statusIs('Stopped');
    await page.getByTestId('release').click();
    await page.getByTestId('confirm-release').click();
    await page.getByText(`Instance ${made.instanceId} not found`).waitFor({ timeout: 10_000 });
  });

  it('renders every main page without script errors (unimplemented actions shown as notices)', async () => {
    const pages = ['/overview', '/instances', '/disks', '/snapshots', '/auto-snapshot-policies', '/images', '/security-groups', '/key-pairs', '/tags', '/vpcs'];
    for (const p of pages) {
      await go(p);
      // Either a table (data or empty) or a clean notice naming the ECS error code.
      await page.locator('.ant-table, .ant-statistic, [data-testid="unsupported"], [data-testid="api-error"]').first().waitFor();
      await page.waitForLoadState('networkidle');
      const errors = await page.getByTestId('api-error').allInnerTexts();
      assert.deepEqual(errors, [], `unexpected API errors on ${p}`);
      for (const notice of await page.getByTestId('unsupported').allInnerTexts()) assert.match(notice, /UnsupportedOperation/);
      if (!shotWithData.has(p.slice(1))) await shot(p.slice(1));
    }
  });
});
