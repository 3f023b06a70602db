/**
 * The console's Elastic IP, network interface and prefix list pages and an instance's Network tab,
 * in headless Chromium against an in-process server on the test clock: an EIP allocated,
 * associated with an instance (Associating, then InUse once the clock moves), re-sized,
 * unassociated; an ENI created, given the EIP (InstanceType NetworkInterface) and back,
 * attached, detached and deleted; a prefix list created with entries, one entry replaced and one
 * re-described, its security group association shown, its delete refused while associated; and
 * from the instance's side an ENI attached and an EIP associated, then both undone, then the EIP
 * released. What the pages show is checked against
 * the API through the official clients. Screenshots: test-output/screenshots/addresses-*.png.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import type { Page } from 'playwright-core';
import { $Ecs, type TestServer } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { consoleActions, consoleSuite, skipWithoutChromium } from '../helpers/browser.js';

const R = 'cn-hangzhou';

describe('management console: EIPs, network interfaces and prefix lists (browser)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  const ui = consoleSuite();
  let s: TestServer;
  let n: Network;
  let page: Page;
  let instanceId = '';
  const made = { allocationId: '', ip: '', eniId: '', prefixListId: '' };

  const { shot } = ui;
  const actions = consoleActions(() => page);
  const { go, signIn } = actions;
  const pickOption = (testId: string, text: string) => actions.pickOptionChecked(testId, text);
  const field = (testId: string) => page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
  const row = (table: string, text: string) => page.getByTestId(table).locator('tbody tr', { hasText: text });
  const statusOf = (table: string, text: string, status: string) => row(table, text).getByTestId('status').filter({ hasText: new RegExp(`^${status}$`) });
  /**
   * Moves the clock past the simulated transition (1 s) until `done`: the pages poll every 1.5 s
   * while something is transitional, so each step waits up to one poll and a bit.
   */
  const settle = async (done: () => Promise<boolean>, what: string) => {
    for (let i = 0; i < 8; i++) {
      await s.advance(1000);
      for (let t = 0; t < 20; t++) {
        if (await done()) return;
        await page.waitForTimeout(100);
      }
    }
    assert.fail(`${what} did not settle`);
  };
  const settleTo = (table: string, text: string, status: string) =>
    settle(async () => (await statusOf(table, text, status).count()) > 0, `${text} to ${status}`);
  const gone = (what: string, l: { count(): Promise<number> }) => settle(async () => (await l.count()) === 0, `${what} gone`);
  const confirm = (testId: string) => page.locator('.ant-popover:visible').getByTestId(testId).click();
  const eip = async () => (await s.vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId: R, allocationId: made.allocationId }))).body!.eipAddresses!.eipAddress![0]!;
  const eni = async (id: string) => (await s.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: R, networkInterfaceId: [id] })))
    .body!.networkInterfaceSets!.networkInterfaceSet![0];

  before(async () => {
    ({ s, page } = ui);
    n = await createNetwork(s, R);
    instanceId = (await s.ecs.runInstances(runRequest(n, { instanceName: 'addr-vm' }))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(3000);
    await signIn(s.url);
  });

  it('allocates an EIP, associates it with the instance, changes its bandwidth and unassociates it', async () => {
    await go('/elastic-ips');
    await page.getByTestId('allocate-eip').click();
    await field('eip-bandwidth').fill('8');
    await page.getByTestId('eip-name').fill('web-eip');
    await page.getByTestId('eip-allocate-ok').click();
    const r = row('eips-table', 'web-eip');
    await r.waitFor();
    made.allocationId = /eip-[a-z0-9]+/.exec(await r.innerText())?.[0] ?? '';
    assert.ok(made.allocationId);
    made.ip = await r.getByTestId('eip-address').innerText();
    assert.match(made.ip, /^\d+\.\d+\.\d+\.\d+$/);
    assert.equal(await r.getByTestId('eip-bandwidth-cell').innerText(), '8 Mbit/s');
    await statusOf('eips-table', 'web-eip', 'Available').waitFor();

    await r.getByTestId('eip-associate').click();
    await pickOption('eip-associate-target', instanceId);
    await page.getByTestId('eip-associate-ok').click();
    await page.getByTestId('eip-associate-target').waitFor({ state: 'detached' });
    await settleTo('eips-table', 'web-eip', 'InUse');
    assert.match(await r.getByTestId('eip-instance').innerText(), new RegExp(`${instanceId}[\\s\\S]*EcsInstance`));
    const live = await eip();
    assert.equal(live.status, 'InUse');
    assert.equal(live.instanceId, instanceId);

    await r.getByTestId('eip-edit').click();
    await field('eip-edit-bandwidth').fill('10');
    await page.getByTestId('eip-edit-ok').click();
    await r.getByTestId('eip-bandwidth-cell').filter({ hasText: '10 Mbit/s' }).waitFor();
    assert.equal((await eip()).bandwidth, '10');
    await shot('addresses-eips');

    await r.getByTestId('eip-unassociate').click();
    await confirm('confirm-unassociate-eip');
    await settleTo('eips-table', 'web-eip', 'Available');
    assert.equal(await r.getByTestId('eip-instance').innerText(), '-');
    assert.equal((await eip()).status, 'Available');
  });

  it('creates a network interface, maps the EIP to it and back, attaches it to the instance, detaches and deletes it', async () => {
    await go('/network-interfaces');
    // The instance's primary interface is listed with its address and instance.
    const primary = row('enis-table', instanceId);
    await primary.waitFor();
    assert.match(await primary.innerText(), /Primary[\s\S]*InUse[\s\S]*192\.168\./);

    await page.getByTestId('create-eni').click();
    await page.getByTestId('eni-vpc').filter({ hasText: 'test-vpc' }).waitFor();
    await pickOption('eni-vswitch', 'test-vsw');
    await pickOption('eni-group', 'test-sg');
    await page.getByTestId('eni-name').fill('web-eni');
    await page.getByTestId('eni-create-ok').click();
    const r = row('enis-table', 'web-eni');
    await r.waitFor();
    made.eniId = /eni-[a-z0-9]+/.exec(await r.innerText())?.[0] ?? '';
    assert.ok(made.eniId);
    await settleTo('enis-table', 'web-eni', 'Available');
    const text = await r.innerText();
    assert.match(text, /Secondary/);
    assert.match(text, new RegExp(n.vswitchId));
    assert.match(text, new RegExp(n.securityGroupId));
    assert.match(text, /([0-9a-f]{2}:){5}[0-9a-f]{2}/);
    assert.match(await r.getByTestId('eni-ip-address').first().innerText(), /192\.168\.\d+\.\d+ \(primary\)/);

    // The EIP mapped to the ENI (InstanceType NetworkInterface) shows on both pages.
    await go('/elastic-ips');
    const e = row('eips-table', made.ip);
    await e.getByTestId('eip-associate').click();
    await page.getByTestId('eip-associate-kind').getByText('Secondary ENI').click();
    await pickOption('eip-associate-target', made.eniId);
    await page.getByTestId('eip-associate-ok').click();
    await settleTo('eips-table', made.ip, 'InUse');
    assert.match(await e.getByTestId('eip-instance').innerText(), new RegExp(`${made.eniId}[\\s\\S]*NetworkInterface → 192\\.168\\.`));
    await go('/network-interfaces');
    await r.getByTestId('eni-ip-address').filter({ hasText: `→ ${made.ip}` }).waitFor();
    // Unassociating from the EIP page is the first test's; here through the API.
    await s.vpc.unassociateEipAddress(new $Vpc.UnassociateEipAddressRequest({ regionId: R, allocationId: made.allocationId, instanceId: made.eniId, instanceType: 'NetworkInterface' }));
    await s.advance(1000);
    assert.equal((await eip()).status, 'Available');

    await r.getByTestId('eni-attach').click();
    await pickOption('eni-attach-instance', instanceId);
    await page.getByTestId('eni-attach-ok').click();
    await page.getByTestId('eni-attach-instance').waitFor({ state: 'detached' });
    await settleTo('enis-table', 'web-eni', 'InUse');
    assert.equal(await r.getByTestId('eni-instance').innerText(), instanceId);
    assert.equal((await eni(made.eniId))?.instanceId, instanceId);
    await shot('addresses-enis');

    await r.getByTestId('eni-detach').click();
    await confirm('confirm-detach-eni');
    await settleTo('enis-table', 'web-eni', 'Available');
    assert.equal(await r.getByTestId('eni-instance').innerText(), '-');

    await r.getByTestId('eni-delete').click();
    await confirm('confirm-delete-eni');
    await gone('the ENI row', r);
    assert.equal(await eni(made.eniId), undefined);
  });

  it('creates a prefix list with entries, edits them, shows its association and deletes it once unused', async () => {
    await go('/prefix-lists');
    await page.getByTestId('create-prefix-list').click();
    await page.getByTestId('pl-name').fill('office-pl');
    await field('pl-max').fill('5');
    await page.getByTestId('pl-entries').fill('10.0.0.0/8 office\n192.168.1.0/24');
    await page.getByTestId('pl-create-ok').click();
    const r = row('prefix-lists-table', 'office-pl');
    await r.waitFor();
    made.prefixListId = /pl-[a-z0-9]+/.exec(await r.innerText())?.[0] ?? '';
    assert.ok(made.prefixListId);
    assert.match(await r.innerText(), /IPv4[\s\S]*5/);

    // A security group rule naming the list makes an association.
    const rule = { regionId: R, securityGroupId: n.securityGroupId, ipProtocol: 'tcp', portRange: '22/22', sourcePrefixListId: made.prefixListId };
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest(rule));
    await page.getByRole('button', { name: 'Refresh' }).click();
    await r.getByTestId('pl-association-count').filter({ hasText: /^1$/ }).waitFor();

    await r.getByTestId('pl-open').click();
    const entries = page.getByTestId('pl-entries-table');
    await entries.locator('tbody tr', { hasText: '10.0.0.0/8' }).filter({ hasText: 'office' }).waitFor();
    await entries.locator('tbody tr', { hasText: '192.168.1.0/24' }).waitFor();
    await page.getByTestId('pl-associations-table').locator('tbody tr', { hasText: n.securityGroupId }).filter({ hasText: 'securitygroup' }).waitFor();

    await page.getByTestId('pl-edit').click();
    // One entry replaced, one re-described (AddEntry of a kept CIDR).
    await page.getByTestId('pl-edit-entries').fill('10.0.0.0/8 head-office\n172.16.0.0/12 lab');
    await page.getByTestId('pl-edit-ok').click();
    await entries.locator('tbody tr', { hasText: '172.16.0.0/12' }).filter({ hasText: 'lab' }).waitFor();
    await entries.locator('tbody tr', { hasText: '10.0.0.0/8' }).filter({ hasText: 'head-office' }).waitFor();
    await entries.locator('tbody tr', { hasText: '192.168.1.0/24' }).waitFor({ state: 'detached' });
    const attrs = (await s.ecs.describePrefixListAttributes(new $Ecs.DescribePrefixListAttributesRequest({ regionId: R, prefixListId: made.prefixListId }))).body!;
    assert.deepEqual(attrs.entries!.entry!.map((e) => `${e.cidr} ${e.description}`).sort(), ['10.0.0.0/8 head-office', '172.16.0.0/12 lab']);
    await shot('addresses-prefix-list');
    await page.locator('.ant-drawer-close').click();
    await page.getByTestId('pl-entries-table').waitFor({ state: 'detached' });

    // Still used by the rule: refused with the service's code.
    await r.getByTestId('pl-delete').click();
    await confirm('confirm-delete-pl');
    const failure = page.locator('.api-error-notification').last();
    await failure.waitFor();
    assert.match(await failure.innerText(), /NotAllowed\.AssociationExist/);
    await s.ecs.revokeSecurityGroup(new $Ecs.RevokeSecurityGroupRequest(rule));
    await r.getByTestId('pl-delete').click();
    await confirm('confirm-delete-pl');
    await r.waitFor({ state: 'detached' });
  });

  it("attaches an ENI and associates the EIP from the instance's Network tab, then detaches and unassociates there", async () => {
    const made2 = await s.ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({
      regionId: R, vSwitchId: n.vswitchId, securityGroupId: n.securityGroupId, networkInterfaceName: 'side-eni',
    }));
    const sideEni = made2.body!.networkInterfaceId!;
    for (let i = 0; i < 10 && (await eni(sideEni))?.status !== 'Available'; i++) await s.advance(1000);

    await page.goto(`${s.url}/console/instances/${instanceId}`);
    await page.getByTestId('tab-instance-network').click();
    const enis = 'instance-enis-table';
    await row(enis, 'Primary').waitFor();
    assert.match(await row(enis, 'Primary').innerText(), /192\.168\.\d+\.\d+ \(primary\)/);
    assert.equal(await page.getByTestId('instance-eip').innerText(), '-');

    await page.getByTestId('instance-attach-eni').click();
    await pickOption('eni-attach-eni', sideEni);
    await page.getByTestId('eni-attach-ok').click();
    await page.getByTestId('eni-attach-eni').waitFor({ state: 'detached' });
    await settleTo(enis, sideEni, 'InUse');
    assert.match(await row(enis, sideEni).innerText(), /Secondary/);

    await page.getByTestId('instance-associate-eip').click();
    await pickOption('eip-associate-eip', made.ip);
    await page.getByTestId('eip-associate-ok').click();
    await page.getByTestId('eip-associate-eip').waitFor({ state: 'detached' });
    const addr = page.getByTestId('instance-public-address');
    await settle(async () => (await addr.getByTestId('status').filter({ hasText: /^InUse$/ }).count()) > 0, 'the instance\'s EIP to InUse');
    assert.equal(await page.getByTestId('instance-eip').innerText(), made.ip);
    assert.equal((await eip()).instanceId, instanceId);
    await shot('addresses-instance-network');

    // The other side shows it too.
    await go('/elastic-ips');
    await row('eips-table', made.ip).getByTestId('eip-instance').filter({ hasText: instanceId }).waitFor();
    await page.goBack();
    await page.getByTestId('tab-instance-network').click();

    await page.getByTestId('eip-unassociate').click();
    await confirm('confirm-unassociate-eip');
    await settle(async () => (await page.getByTestId('instance-eip').innerText()) === '-', 'the instance\'s EIP unassociated');

    await row(enis, sideEni).getByTestId('eni-detach').click();
    await confirm('confirm-detach-eni');
    await gone('the detached ENI row', row(enis, sideEni));
    assert.equal((await eni(sideEni))?.status, 'Available');

    // Release the EIP from its page.
    await go('/elastic-ips');
    const r = row('eips-table', made.ip);
    await r.getByTestId('eip-release').click();
    await confirm('confirm-release-eip');
    await gone('the released EIP row', r);
  });
});
