/**
 * Subscriptions and system events in the console, in headless Chromium against an in-process
 * server on the test clock (it starts at 2026-11-23T06:00:00Z): the charge type and expiry in the
 * instance list and detail, the renew dialog (the expiry moves), the auto-renew dialog (the
 * attribute changes, the renewal price), the expiry stop shown and lifted by a renewal, a
 * Subscription launched from the wizard with its price shown live (DescribePrice), the Events page
 * (a simulated event appears and is cancelled) and the Bills page (QueryBill, QueryInstanceBill).
 * What the page shows is checked against the API through the official clients.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import Bss, * as $Bss from '@alicloud/bssopenapi20171214';
import * as $OpenApi from '@alicloud/openapi-core';
import { $Ecs, AK, SECRET, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { consoleActions, consoleSuite, skipWithoutChromium } from '../helpers/browser.js';

const R = 'cn-hangzhou';
const DAY = 86_400_000;
const BssClient: typeof Bss.default = (Bss as any).default ?? Bss;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 19) + 'Z';

describe('management console: subscriptions and events (browser)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  const ui = consoleSuite();
  let s: TestServer;
  let n: Network;
  let page: Page;
  const ids = { monthly: '', weekly: '', payg: '' };

  const { shot } = ui;
  const actions = consoleActions(() => page);
  const { go, signIn, wizardNext: next } = actions;
  /** Picks an option once the dropdown of a previous pick has closed: a closing one can hold the same option text. */
  const pickOption = async (testId: string, text: string | RegExp) => {
    for (let i = 0; i < 40 && await page.locator('.ant-select-dropdown:visible').count(); i++) await page.waitForTimeout(50);
    await actions.pickOption(testId, text);
  };
  const row = (id: string) => page.getByTestId('instances-table').locator('tr', { hasText: id });
  const get = async (id: string) => (await s.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: R, instanceIds: JSON.stringify([id]) }))).body!.instances!.instance![0]!;
  const autoRenew = async (id: string) => (await s.ecs.describeInstanceAutoRenewAttribute(new $Ecs.DescribeInstanceAutoRenewAttributeRequest({ regionId: R, instanceId: id })))
    .body!.instanceRenewAttributes!.instanceRenewAttribute![0]!;
  const run = async (extra: Record<string, unknown>) => (await s.ecs.runInstances(runRequest(n, extra))).body!.instanceIdSets!.instanceIdSet![0]!;
  const refresh = () => page.getByRole('button', { name: 'Refresh' }).click();

  before(async () => {
    ({ s, page } = ui);
    n = await createNetwork(s, R);
    ids.monthly = await run({ instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month', instanceName: 'monthly' });
    ids.weekly = await run({ instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Week', instanceName: 'weekly' });
    ids.payg = await run({ instanceName: 'payg' });
    await s.advance(3000);
    await signIn(s.url);
  });

  it('shows the charge type and the expiry in the instance list and detail', async () => {
    await go('/instances');
    await row(ids.monthly).getByTestId('expiry').filter({ hasText: 'Expires 2026-12-23 06:00 UTC' }).waitFor();
    assert.equal(await row(ids.monthly).getByTestId('charge-type').innerText(), 'Subscription');
    assert.equal(await row(ids.weekly).getByTestId('expiry').innerText(), 'Expires 2026-11-30 06:00 UTC');
    assert.equal(await row(ids.payg).getByTestId('charge-type').innerText(), 'Pay-As-You-Go');
    assert.equal(await row(ids.payg).getByTestId('expiry').count(), 0, 'pay-as-you-go has no expiry to show');
    assert.equal(await row(ids.payg).getByTestId('renew').count(), 0, 'nor renewal actions');
    await shot('instances-billing');

    await row(ids.monthly).getByRole('link', { name: ids.monthly }).click();
    await page.waitForURL(`**/instances/${ids.monthly}`);
    await page.getByTestId('charge-info').filter({ hasText: 'Subscription' }).waitFor();
    assert.equal(await page.getByTestId('expiry').innerText(), 'Expires 2026-12-23 06:00 UTC');
  });

  it('renews from the detail page: the dialog shows the new expiry, the page and the API follow', async () => {
    await page.getByTestId('renew').click();
    assert.equal(await page.getByTestId('current-expiry').innerText(), '2026-12-23 06:00 UTC');
    await pickOption('renew-period', /^2 months$/);
    // The price of the renewal chosen, as DescribeRenewalPrice quotes it.
    const quote = (await s.ecs.describeRenewalPrice(new $Ecs.DescribeRenewalPriceRequest({ regionId: R, resourceId: ids.monthly, priceUnit: 'Month', period: 2 }))).body!.priceInfo!.price!;
    await page.getByTestId('price-trade').filter({ hasText: `${quote.tradePrice!.toFixed(2)} ${quote.currency}` }).waitFor();
    await page.getByTestId('renew-ok').click();
    await page.getByTestId('renewed-expiry').filter({ hasText: '2027-02-23 06:00 UTC' }).waitFor();
    await shot('renew-dialog');
    await page.getByTestId('renew-close').click();
    await page.getByTestId('expiry').filter({ hasText: 'Expires 2027-02-23 06:00 UTC' }).waitFor();
    assert.equal((await get(ids.monthly)).expiredTime, '2027-02-23T06:00Z');

    // By weeks, from the list.
    await go('/instances');
    await row(ids.monthly).getByTestId('renew').click();
    await page.getByTestId('renew-unit').getByText('Week').click();
    await pickOption('renew-period', /^1 week$/);
    await page.getByTestId('price-none').waitFor();
    await page.getByTestId('renew-ok').click();
    await page.getByTestId('renewed-expiry').filter({ hasText: '2027-03-02 06:00 UTC' }).waitFor();
    await page.getByTestId('renew-close').click();
    await row(ids.monthly).getByTestId('expiry').filter({ hasText: 'Expires 2027-03-02 06:00 UTC' }).waitFor();
  });

  it('turns auto-renewal on with a duration and off again, showing the attribute as the API reads it', async () => {
    await row(ids.monthly).getByTestId('auto-renew').click();
    await page.getByTestId('auto-renew-status').filter({ hasText: 'Renew manually' }).waitFor();
    await page.getByTestId('auto-renew-choice').getByText('Auto-renew at expiry').click();
    await page.getByTestId('auto-renew-unit').getByText('Week').click();
    await pickOption('auto-renew-duration-select', /^2 weeks$/);
    await page.getByTestId('auto-renew-ok').click();
    await page.getByTestId('auto-renew-current').waitFor({ state: 'detached' });
    const on = await autoRenew(ids.monthly);
    assert.deepEqual([on.renewalStatus, on.autoRenewEnabled, on.duration, on.periodUnit], ['AutoRenewal', true, 2, 'Week']);

    await row(ids.monthly).getByTestId('auto-renew').click();
    await page.getByTestId('auto-renew-status').filter({ hasText: 'Auto-renew at expiry' }).waitFor();
    assert.equal(await page.getByTestId('auto-renew-duration').innerText(), ', 2 weeks each time');
    await shot('auto-renew-dialog');
    await page.getByTestId('auto-renew-choice').getByText('Renew manually').click();
    await page.getByTestId('auto-renew-ok').click();
    await page.getByTestId('auto-renew-current').waitFor({ state: 'detached' });
    const off = await autoRenew(ids.monthly);
    assert.deepEqual([off.renewalStatus, off.autoRenewEnabled], ['Normal', false]);
  });

  it('shows an instance stopped for expiry, and a renewal lifts the stop', async () => {
    // The weekly one expired 2026-11-30 and is stopped 15 days later, with the financial lock.
    while (s.clock.now() < Date.parse('2026-12-15T06:01:00Z')) await s.advance(DAY / 2);
    await s.advance(3000);
    assert.deepEqual((await get(ids.weekly)).operationLocks!.lockReason!.map((l) => l.lockReason), ['financial']);
    await refresh();
    await row(ids.weekly).getByTestId('expiry-locked').filter({ hasText: 'Expired, stopped — renew' }).waitFor();
    assert.equal(await row(ids.weekly).getByTestId('start').isDisabled(), true, 'no start while stopped for expiry');
    await shot('instances-expired');
    // The billing filter: stopped for expiry (LockReason financial), then subscriptions only.
    await pickOption('billing-filter', 'Expired, stopped');
    await row(ids.monthly).waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('instances-table').locator('tbody tr').count(), 1);
    await pickOption('billing-filter', 'Subscription');
    await row(ids.monthly).waitFor();
    assert.equal(await row(ids.payg).count(), 0);
    await row(ids.weekly).getByTestId('renew').click();
    await page.getByText('Stopped for expiry').waitFor();
    await pickOption('renew-period', /^1 month$/);
    await page.getByTestId('renew-ok').click();
    // After the stop the new period counts from the renewal, to the next whole day.
    const renewed = (await get(ids.weekly)).expiredTime!;
    assert.equal(renewed, '2027-01-16T00:00Z');
    await page.getByTestId('renewed-expiry').filter({ hasText: '2027-01-16 00:00 UTC' }).waitFor();
    await page.getByTestId('renew-close').click();
    await row(ids.weekly).getByTestId('expiry-locked').waitFor({ state: 'detached' });
    await s.advance(3000);
    assert.equal((await get(ids.weekly)).status, 'Running', 'the expiry stopped it, so the renewal starts it again');
  });

  it('launches a Subscription instance from the wizard, with auto-renewal and the price shown live', async () => {
    await page.getByTestId('create-instance').click();
    await page.waitForURL('**/instances/create');
    const term = page.getByTestId('price-term');
    const trade = page.getByTestId('price-trade');
    /** The price once it is no longer the placeholder and differs from `before`. */
    const priceAfter = async (before?: string) => {
      for (let i = 0; i < 40; i++) {
        const text = await trade.innerText();
        if (text !== '-' && text !== before) return text;
        await page.waitForTimeout(250);
      }
      throw new Error(`the price did not change from ${before}`);
    };
    await page.getByTestId('image').locator('xpath=..').waitFor();
    await term.filter({ hasText: 'per hour' }).waitFor();
    const hourly = await priceAfter();

    await page.getByTestId('charge-type-choice').getByText('Subscription').click();
    await page.getByTestId('period-unit').getByText('Month').click();
    await pickOption('period', /^3 months$/);
    await term.filter({ hasText: 'for 3 months' }).waitFor();
    const quarterly = await priceAfter(hourly);
    await page.getByTestId('wizard-auto-renew').click();
    await pickOption('auto-renew-period', /^1 month$/);
    await next('Storage');
    await next('Network');
    await next('Access');
    await page.getByTestId('password').fill('Console#Passw0rd');
    await page.getByTestId('instance-name').fill('wizard-sub');
    await next('Review');
    assert.equal(await page.getByTestId('review-billing').innerText(), 'Subscription, 3 months, auto-renew 1 month');
    await shot('instance-create-subscription');
    await page.getByTestId('wizard-create').click();
    const failed = page.locator('.api-error-notification');
    await Promise.race([page.waitForURL(/\/instances\/i-[a-z0-9]+$/), failed.waitFor()]);
    if (await failed.count()) assert.fail(`RunInstances failed: ${await failed.innerText()}`);
    const id = /i-[a-z0-9]+$/.exec(page.url())![0];
    const d = await get(id);
    const expected = new Date(s.clock.now());
    expected.setUTCMonth(expected.getUTCMonth() + 3);
    assert.equal(d.instanceChargeType, 'PrePaid');
    assert.equal(d.expiredTime, expected.toISOString().slice(0, 16) + 'Z');
    await page.getByTestId('charge-info').filter({ hasText: 'Subscription' }).waitFor();
    const a = await autoRenew(id);
    assert.deepEqual([a.renewalStatus, a.duration, a.periodUnit], ['AutoRenewal', 1, 'Month']);

    // The prices the wizard showed are DescribePrice's for what it launched.
    const [sys] = (await s.ecs.describeDisks(new $Ecs.DescribeDisksRequest({ regionId: R, instanceId: id, diskType: 'system' }))).body!.disks!.disk!;
    const quote = async (priceUnit: string, period: number) => (await s.ecs.describePrice(new $Ecs.DescribePriceRequest({
      regionId: R, resourceType: 'instance', zoneId: d.zoneId, instanceType: d.instanceType,
      systemDisk: new $Ecs.DescribePriceRequestSystemDisk({ category: sys!.category, size: sys!.size }), amount: 1, priceUnit, period,
    }))).body!.priceInfo!.price!;
    const shown = (p: { tradePrice?: number; currency?: string }) => `${p.tradePrice!.toFixed(2)} ${p.currency}`;
    assert.equal(hourly, shown(await quote('Hour', 1)));
    assert.equal(quarterly, shown(await quote('Month', 3)));
  });

  it('raises a simulated event from the Events page and cancels it', async () => {
    // An instance's own events are a tab of its page.
    await go('/instances');
    await row(ids.weekly).getByRole('link', { name: ids.weekly }).click();
    await page.getByRole('tab', { name: 'Events' }).click();
    await page.getByTestId('events-table').locator('tr', { hasText: 'InstanceExpiration.Stop' }).waitFor();
    assert.equal(await page.getByTestId('events-instance').count(), 0, 'no instance filter on the instance\'s own tab');

    await go('/events');
    await page.getByRole('heading', { name: 'Events' }).waitFor();
    // The expiry stop of the weekly instance is there already, as a system event.
    await page.getByTestId('events-table').locator('tr', { hasText: 'InstanceExpiration.Stop' }).filter({ hasText: ids.weekly }).waitFor();

    await page.getByTestId('simulate-event').click();
    await actions.pickOptionChecked('simulate-instances', ids.payg);
    await page.keyboard.press('Escape');
    await pickOption('simulate-type', 'SystemMaintenance.Reboot');
    await page.getByTestId('simulate-not-before').fill(iso(s.clock.now() + 3_600_000));
    await page.getByTestId('simulate-ok').click();
    const simulated = page.getByTestId('events-table').locator('tr', { hasText: ids.payg }).filter({ hasText: 'SystemMaintenance.Reboot' });
    await simulated.getByTestId('event-status').filter({ hasText: 'Scheduled' }).waitFor();
    const [eventId] = (await s.ecs.describeInstanceHistoryEvents(new $Ecs.DescribeInstanceHistoryEventsRequest({
      regionId: R, instanceId: ids.payg, instanceEventCycleStatus: ['Scheduled'],
    }))).body!.instanceSystemEventSet!.instanceSystemEventType!.map((e) => e.eventId!);
    assert.ok(eventId);
    await shot('events');

    // Filtered to the instance, then cancelled.
    await page.getByTestId('events-instance').locator('input').fill(ids.payg);
    await page.getByTestId('events-instance').locator('input').press('Enter');
    await page.getByTestId('events-table').locator('tr', { hasText: ids.weekly }).waitFor({ state: 'detached' });
    await page.getByTestId(`cancel-${eventId}`).click();
    await page.getByTestId('confirm-cancel-event').click();
    await simulated.getByTestId('event-status').filter({ hasText: 'Canceled' }).waitFor();
    await page.getByTestId(`cancel-${eventId}`).waitFor({ state: 'detached' });
    const after = await s.ecs.describeInstanceHistoryEvents(new $Ecs.DescribeInstanceHistoryEventsRequest({ regionId: R, eventId: [eventId!], instanceEventCycleStatus: ['Canceled'] }));
    assert.equal(after.body!.totalCount, 1);

    // A time already passed is refused with the API's code.
    await page.getByTestId('simulate-event').click();
    await actions.pickOptionChecked('simulate-instances', ids.payg);
    await page.keyboard.press('Escape');
    await page.getByTestId('simulate-not-before').fill(iso(s.clock.now() - 60_000));
    await page.getByTestId('simulate-ok').click();
    await page.locator('.api-error-notification').filter({ hasText: 'InvalidNotBefore.Passed' }).waitFor();
    await page.locator('.ant-modal').getByRole('button', { name: 'Cancel' }).click();
    await page.locator('.ant-modal').waitFor({ state: 'detached' });
  });

  it('shows a billing cycle\'s bill records and charges per instance, as BssOpenApi reports them', async () => {
    const bss = new BssClient(new $OpenApi.$OpenApiUtil.Config({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: new URL(s.url).host, protocol: 'http', regionId: R }));
    const bill = (await bss.queryBill(new $Bss.QueryBillRequest({ billingCycle: '2026-11', pageSize: 10 }))).body!.data!;
    const perInstance = (await bss.queryInstanceBill(new $Bss.QueryInstanceBillRequest({ billingCycle: '2026-11', pageSize: 10 }))).body!.data!;
    assert.ok(bill.totalCount! > 0 && perInstance.totalCount! > 0, 'November has charges: the subscriptions bought and the pay-as-you-go hours');
    await go('/bills');
    await page.getByRole('heading', { name: 'Bills' }).waitFor();
    await pickOption('billing-cycle', /^2026-11$/);
    const records = page.getByTestId('bill-records-table');
    const first = bill.items!.item![0]!;
    await records.locator('tr', { hasText: first.recordID! }).getByTestId('bill-amount').filter({ hasText: `${first.pretaxAmount!.toFixed(2)} ${first.currency}` }).waitFor();
    assert.equal(await records.getByTestId('bill-amount').count(), Math.min(bill.totalCount!, 10));
    await shot('bills');

    await page.getByRole('tab', { name: 'By instance' }).click();
    const payg = perInstance.items!.item!.find((i) => i.instanceID === ids.payg)!;
    await page.getByTestId('instance-bills-table').locator('tr', { hasText: ids.payg }).getByTestId('instance-bill-amount')
      .filter({ hasText: `${payg.pretaxAmount!.toFixed(2)} ${payg.currency}` }).waitFor();
    // Subscriptions only: the pay-as-you-go instance leaves the list.
    await pickOption('bill-subscription-type', 'Subscription');
    await page.getByTestId('instance-bills-table').locator('tr', { hasText: ids.payg }).waitFor({ state: 'detached' });
    await page.getByTestId('instance-bills-table').locator('tr', { hasText: ids.monthly }).waitFor();
  });
});
