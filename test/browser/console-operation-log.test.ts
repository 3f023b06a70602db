/**
 * The console's operation log in headless Chromium (Debian's package, driven by playwright-core)
 * against an in-process server: calls made through the SDK (one refused, one carrying a password)
 * appear with their result, the event name and user filters narrow the list, a row opens to the
 * event with the password masked, and NextToken paging moves between pages.
 * Screenshots go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { $Ecs, expectEcsError, type TestServer } from '../helpers/server.js';
import { consoleActions, consoleSuite, skipWithoutChromium } from '../helpers/browser.js';

const PASSWORD = 'Console-Audit-Pw-42!';

describe('management console: operation log (browser)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  const ui = consoleSuite();
  let s: TestServer;
  let page: Page;

  const { shot } = ui;
  const { go, signIn } = consoleActions(() => page);
  const table = () => page.getByTestId('oplog-table');
  const rows = () => table().locator('tbody tr.ant-table-row');

  before(async () => {
    ({ s, page } = ui);
  });

  it('lists calls with their results, filters by event name and opens an event without its password', async () => {
    const refused = await expectEcsError(() => s.ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({
      instanceId: 'i-nosuchinstance000000', password: PASSWORD,
    })));
    for (let i = 0; i < 25; i++) await s.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));

    await signIn(s.url);
    await go('/operation-log');
    await page.getByRole('heading', { name: 'Operation log' }).waitFor();
    await table().getByText('DescribeRegions').first().waitFor();

    await page.getByTestId('oplog-event-name').locator('input').fill('ModifyInstanceAttribute');
    await page.getByTestId('oplog-event-name').locator('input').press('Enter');
    await table().getByText(refused.code).waitFor();
    // The unfiltered first page may show that event too: wait for the filtered answer.
    await rows().nth(1).waitFor({ state: 'detached' });
    assert.equal(await rows().count(), 1);
    await rows().first().locator('.ant-table-row-expand-icon').click();
    const detail = table().locator('pre');
    await detail.getByText('"Password": "******"').waitFor();
    assert.ok(!(await detail.innerText()).includes(PASSWORD));
    await shot('operation-log');

    const all = await s.app.services.db.selectFrom('audit_events').select('request_parameters').execute();
    assert.ok(!JSON.stringify(all).includes(PASSWORD));
  });

  it('filters by user and pages with NextToken', async () => {
    await page.getByTestId('oplog-event-name').locator('input').fill('');
    await page.getByTestId('oplog-event-name').locator('input').press('Enter');
    await page.getByTestId('oplog-user').locator('input').fill('nobody');
    await page.getByTestId('oplog-user').locator('input').press('Enter');
    await table().locator('.ant-empty').waitFor();

    // 25 calls told apart by the resource they name (rows of one time are otherwise alike).
    for (let i = 0; i < 25; i++) {
      await expectEcsError(() => s.ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: `i-oplogpage${String(i).padStart(11, '0')}` })));
    }
    await page.getByTestId('oplog-event-name').locator('input').fill('DescribeInstanceAttribute');
    await page.getByTestId('oplog-event-name').locator('input').press('Enter');
    await page.getByTestId('oplog-user').locator('input').fill('root');
    await page.getByTestId('oplog-user').locator('input').press('Enter');
    await page.getByText('Page 1').waitFor();
    // Newest first: the last call heads page 1, the first five fill page 2.
    await rows().first().getByText('i-oplogpage00000000024').waitFor();
    assert.equal(await rows().count(), 20);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.getByText('Page 2').waitFor();
    await rows().first().getByText('i-oplogpage00000000004').waitFor();
    assert.equal(await rows().count(), 5);
    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByText('Page 1').waitFor();
  });
});
