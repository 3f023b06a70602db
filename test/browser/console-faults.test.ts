/**
 * The console's fault injection page in headless Chromium (Debian's package, driven by
 * playwright-core) against an in-process server: create a rule on StopInstance, see the SDK get
 * the injected code, watch its hits, be refused an undocumented code, delete the rule; a
 * non-admin account sees the page refused. Screenshots go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createAccount } from '../../src/auth/accounts.js';
import { $Ecs, expectEcsError, type TestServer } from '../helpers/server.js';
import { consoleActions, consoleSuite, skipWithoutChromium } from '../helpers/browser.js';

describe('management console: fault injection (browser)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  const ui = consoleSuite();
  let s: TestServer;
  let browser: Browser;
  let page: Page;

  const { shot } = ui;
  const { go, pickOption, signIn } = consoleActions(() => page);
  const rulesTable = () => page.getByTestId('faults-table');

  before(async () => {
    ({ s, page, browser } = ui);
  });

  it('creates an API rule that the SDK then meets, with its hits shown', async () => {
    await signIn(s.url);
    await go('/fault-injection');
    await page.getByRole('heading', { name: 'Fault Injection' }).waitFor();
    await page.getByTestId('create-fault-rule').click();
    await page.getByTestId('fault-api-name').fill('StopInstance');
    await page.getByTestId('fault-error-code').fill('IncorrectInstanceStatus');
    await page.getByTestId('fault-count').fill('2');
    await page.getByTestId('fault-ok').click();
    await rulesTable().getByText('ecs:StopInstance').waitFor();
    await rulesTable().getByText('2 of 2').waitFor();

    const e = await expectEcsError(() => s.ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: 'i-doesnotmatter000000' })));
    assert.deepEqual([e.code, e.statusCode], ['IncorrectInstanceStatus', 403]);
    await page.getByRole('button', { name: 'Refresh' }).click();
    await rulesTable().getByText('1 of 2').waitFor();
    await shot('fault-injection');
  });

  it('shows the refusal of an undocumented code, and deletes a rule', async () => {
    await page.getByTestId('create-fault-rule').click();
    await page.getByTestId('fault-api-name').fill('StopInstance');
    await page.getByTestId('fault-error-code').fill('InvalidVSwitchId.NotFound');
    await page.getByTestId('fault-ok').click();
    await page.locator('.api-error-notification').filter({ hasText: 'InvalidErrorCode.NotDocumented' }).waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();

    // A driver rule: the form asks for the resource instead of the action.
    await page.getByTestId('create-fault-rule').click();
    await pickOption('fault-target', 'Instance start');
    await page.getByTestId('fault-resource-id').fill('i-rehearsal0000000000');
    await page.getByTestId('fault-ok').click();
    await rulesTable().getByText('i-rehearsal0000000000').waitFor();

    const [rule] = (await s.app.services.db.selectFrom('fault_rules').select('id').where('target', '=', 'InstanceStart').execute());
    await rulesTable().getByTestId(`delete-${rule!.id}`).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: 'OK' }).click();
    await rulesTable().getByText('i-rehearsal0000000000').waitFor({ state: 'detached' });
    assert.equal((await s.app.services.db.selectFrom('fault_rules').select('id').where('id', '=', rule!.id).execute()).length, 0);
  });

  it('refuses the page to an account that is not the admin', async () => {
    const other = await createAccount(s.app.services.db, 'tenant', s.clock.now());
    const context = await browser.newContext();
    const p = await context.newPage();
    p.on('pageerror', (e) => ui.pageErrors.push(String(e)));
    await p.goto(`${s.url}/console/`);
    await p.getByTestId('ak').fill(other.accessKeyId);
    await p.getByTestId('secret').fill(other.accessKeySecret);
    await p.getByTestId('signin').click();
    await p.getByRole('heading', { name: 'Overview' }).waitFor();
    await p.goto(`${s.url}/console/fault-injection`);
    await p.getByText('Only the OpenECS root (admin) account can rehearse failures.').waitFor();
    await context.close();
  });
});
