/**
 * The console's network and tag pages in headless Chromium (Debian's package, driven by
 * playwright-core) against an in-process server of its own: VPCs and VSwitches created, found,
 * edited and deleted through the pages (a VPC still holding a VSwitch refused with its ECS error
 * code shown), and a VPC tagged, found by the tag and untagged on the Tags page. Screenshots go
 * to test-output/screenshots/ (network-*.png) next to console.test.ts's.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import type { Page } from 'playwright-core';
import { $Ecs, type TestServer } from '../helpers/server.js';
import { consoleActions, consoleSuite, SHOTS, skipWithoutChromium } from '../helpers/browser.js';

describe('management console: VPCs, VSwitches and tags (browser)', { skip: skipWithoutChromium, timeout: 300_000 }, () => {
  const ui = consoleSuite();
  let s: TestServer;
  let page: Page;
  const made: { vpcId?: string; otherVpcId?: string; vswitchId?: string } = {};

  /** A screenshot once the success messages and notifications have gone and the tab fade is over. */
  const shot = async (name: string) => {
    await page.locator('.ant-message-notice, .ant-notification-notice').first().waitFor({ state: 'detached', timeout: 8_000 }).catch(() => {});
    await page.waitForTimeout(400);
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  };
  const { go, pickOption, signIn } = consoleActions(() => page);
  /** The text input of a field whatever element antd put the test id on (the input or its wrapper). */
  const field = (testId: string) => page.locator(`input[data-testid="${testId}"], [data-testid="${testId}"] input`).first();
  const vpcRow = (text: string) => page.getByTestId('vpcs-table').locator('tbody tr', { hasText: text });
  const vswRow = (text: string) => page.getByTestId('vswitches-table').locator('tbody tr', { hasText: text });
  const taggedRow = (text: string) => page.getByTestId('tagged-table').locator('tbody tr', { hasText: text });
  /** The notification useAction raises for a failed call: its text, then closed. */
  const failure = async () => {
    const n = page.locator('.api-error-notification').last();
    await n.waitFor();
    const text = await n.innerText();
    await n.locator('.ant-notification-notice-close, .ant-notification-close-icon').first().click().catch(() => {});
    return text;
  };
  const searchTag = async (key: string) => {
    await page.getByTestId('tag-search-key').fill(key);
    await page.getByTestId('tag-search').click();
  };

  before(async () => {
    ({ s, page } = ui);
  });

  it('signs in', async () => {
    await signIn(s.url);
  });

  it('creates two VPCs with name, CIDR block and description, and filters the list by name and by ID', async () => {
    await go('/vpcs');
    for (const [name, cidr] of [['net-vpc', '192.168.0.0/16'], ['net-other', '10.0.0.0/8']] as const) {
      await page.getByTestId('create-vpc').click();
      await page.getByTestId('vpc-name').fill(name);
      await field('vpc-cidr').fill(cidr);
      await page.getByTestId('vpc-description').fill(`${name} for the browser test`);
      await page.getByTestId('vpc-ok').click();
      await page.getByTestId('vpc-name').waitFor({ state: 'detached' });
    }
    const row = vpcRow('net-vpc');
    await row.waitFor();
    const text = await row.innerText();
    made.vpcId = /vpc-[a-z0-9]+/.exec(text)?.[0];
    assert.ok(made.vpcId);
    assert.match(text, /192\.168\.0\.0\/16/);
    assert.match(text, /net-vpc for the browser test/);
    const other = vpcRow('net-other');
    await other.waitFor();
    made.otherVpcId = /vpc-[a-z0-9]+/.exec(await other.innerText())?.[0];
    assert.match(await other.innerText(), /10\.0\.0\.0\/8/);

    // Name filter: DescribeVpcs VpcName, answered by the server.
    await field('vpc-search').fill('net-other');
    await field('vpc-search').press('Enter');
    await vpcRow('net-vpc').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('vpcs-table').locator('tbody tr.ant-table-row').count(), 1);
    // ID filter.
    await pickOption('vpc-search-by', 'VPC ID');
    await field('vpc-search').fill(made.vpcId!);
    await field('vpc-search').press('Enter');
    await vpcRow('net-other').waitFor({ state: 'detached' });
    await vpcRow(made.vpcId!).waitFor();
    assert.equal(await page.getByTestId('vpcs-table').locator('tbody tr.ant-table-row').count(), 1);
    await field('vpc-search').fill('');
    await field('vpc-search').press('Enter');
    await vpcRow('net-other').waitFor();
  });

  it('edits the VPC name and description (ModifyVpcAttribute)', async () => {
    await vpcRow(made.vpcId!).getByTestId('vpc-edit').click();
    await page.getByTestId('network-edit-name').fill('net-vpc-renamed');
    await page.getByTestId('network-edit-description').fill('edited in the console');
    await page.getByTestId('network-edit-ok').click();
    await vpcRow('edited in the console').waitFor();
    assert.match(await vpcRow(made.vpcId!).innerText(), /net-vpc-renamed/);
  });

  it('creates a VSwitch in the VPC from its VSwitch count, and lists it with its free IP count', async () => {
    await vpcRow(made.vpcId!).getByTestId('vpc-vswitches').click();
    await page.getByTestId('vsw-filter-vpc').filter({ hasText: 'net-vpc-renamed' }).waitFor();
    await page.getByTestId('create-vswitch').click();
    // The VPC comes preset from the filter; the zone from the region's first zone.
    await page.getByTestId('vsw-vpc').filter({ hasText: 'net-vpc-renamed' }).waitFor();
    await page.getByTestId('vsw-cidr').fill('192.168.1.0/24');
    await page.getByTestId('vsw-name').fill('net-vsw');
    await page.getByTestId('vsw-ok').click();
    const row = vswRow('net-vsw');
    await row.waitFor();
    const text = await row.innerText();
    made.vswitchId = /vsw-[a-z0-9]+/.exec(text)?.[0];
    assert.ok(made.vswitchId);
    assert.match(text, new RegExp(made.vpcId!));
    assert.match(text, /192\.168\.1\.0\/24/);
    assert.match(text, /cn-hangzhou-[a-z]/);
    // A /24 has 256 addresses; the service keeps some back, none are in use yet.
    const free = Number(await row.getByTestId('available-ips').innerText());
    assert.ok(free > 200 && free <= 256, `AvailableIpAddressCount ${free}`);

    // A CIDR outside the VPC is refused with the VPC API's code.
    await page.getByTestId('create-vswitch').click();
    await page.getByTestId('vsw-vpc').filter({ hasText: 'net-vpc-renamed' }).waitFor();
    await page.getByTestId('vsw-cidr').fill('10.9.0.0/24');
    await page.getByTestId('vsw-ok').click();
    assert.match(await failure(), /InvalidParameter: .*not valid in VPC/);
    await page.locator('.ant-modal:visible .ant-modal-close').click();
    await page.getByTestId('vsw-cidr').waitFor({ state: 'detached' });
    await shot('network-vswitches');
  });

  it('refuses to delete a VPC that still has a VSwitch and shows DependencyViolation with its message', async () => {
    await page.getByTestId('tab-vpcs').click();
    const row = vpcRow(made.vpcId!);
    await row.waitFor();
    assert.equal(await row.getByTestId('vpc-vswitches').innerText(), '1');
    await row.getByTestId('vpc-delete').click();
    await page.getByTestId('confirm-delete-vpc').click();
    const text = await failure();
    assert.match(text, /Delete VPC failed/);
    assert.match(text, /DependencyViolation\.VSwitch: .*still has VSwitches/);
    await row.waitFor(); // still listed
  });

  it('tags the VPC on the Tags page, finds it with a tagged key pair across resource types, sees the tag on the VPC page, then removes it', async () => {
    // An ECS resource carrying the same tag, made through the API: the search spans both products.
    await s.ecs.createKeyPair(new $Ecs.CreateKeyPairRequest({
      regionId: 'cn-hangzhou', keyPairName: 'net-key', tag: [new $Ecs.CreateKeyPairRequestTag({ key: 'team', value: 'network' })],
    }));
    await go('/tags');
    // DescribeTags: the key and value in use on ECS resources, counted per type.
    const keyRow = page.getByTestId('tag-keys-table').locator('tbody tr', { hasText: 'team' });
    await keyRow.waitFor();
    assert.match(await keyRow.innerText(), /network[\s\S]*KeyPair: 1/);

    await page.getByTestId('add-tags').click();
    await pickOption('add-tags-type', /^VPC$/);
    await page.getByTestId('add-tags-ids').fill(made.vpcId!);
    const modal = page.locator('.ant-modal:visible');
    await modal.getByPlaceholder('Key').fill('team');
    await modal.getByPlaceholder('Value').fill('network');
    await page.getByTestId('add-tags-ok').click();
    // The modal closes once TagResources answered (seconds on a loaded CI machine).
    await page.getByTestId('add-tags-ids').waitFor({ state: 'detached', timeout: 30_000 });

    // "Find resources" on the key's row searches every resource type for it.
    await keyRow.getByText('Find resources').click();
    const row = taggedRow(made.vpcId!);
    await row.waitFor();
    assert.match(await row.innerText(), /\bVPC\b/);
    assert.match(await row.getByTestId('tag-chip').innerText(), /team: network/);
    const key = taggedRow('net-key');
    await key.waitFor();
    assert.match(await key.innerText(), /Key pair/);
    assert.equal(await page.getByTestId('tagged-table').locator('tbody tr.ant-table-row').count(), 2);
    // Narrowed to one type.
    await pickOption('tag-search-type', /^VPC$/);
    await page.getByTestId('tag-search').click();
    await key.waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('tagged-table').locator('tbody tr.ant-table-row').count(), 1);
    await pickOption('tag-search-type', 'All resource types');
    await searchTag('team');
    await key.waitFor();
    await shot('network-tags');

    // A missing resource is refused with the service's code and message.
    await page.getByTestId('add-tags').click();
    await pickOption('add-tags-type', /^VPC$/);
    await page.getByTestId('add-tags-ids').fill('vpc-doesnotexist');
    await modal.getByPlaceholder('Key').fill('x');
    await page.getByTestId('add-tags-ok').click();
    assert.match(await failure(), /InvalidInstanceIds\.NotFound: .*vpc-doesnotexist/);
    await page.locator('.ant-modal:visible .ant-modal-close').click();
    await page.getByTestId('add-tags-ids').waitFor({ state: 'detached' });

    await go('/vpcs');
    await vpcRow(made.vpcId!).getByTestId('resource-tag').filter({ hasText: 'team: network' }).waitFor();
    await shot('network-vpcs');

    await go('/tags');
    await searchTag('team');
    await taggedRow(made.vpcId!).getByTestId('untag-team').click();
    await page.getByTestId('confirm-untag').click();
    await taggedRow(made.vpcId!).waitFor({ state: 'detached' });
    await searchTag('team');
    await taggedRow('net-key').waitFor();
    assert.equal(await page.getByTestId('tagged-table').locator('tbody tr.ant-table-row').count(), 1);
    const vpcs = await s.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou', vpcId: made.vpcId }));
    assert.deepEqual(vpcs.body?.vpcs?.vpc?.[0]?.tags?.tag ?? [], []);
  });

  it('deletes the VSwitch, then both VPCs', async () => {
    await go('/vpcs');
    await page.getByTestId('tab-vswitches').click();
    const vsw = vswRow(made.vswitchId!);
    await vsw.getByTestId('vsw-delete').click();
    await page.getByTestId('confirm-delete-vswitch').click();
    await vsw.waitFor({ state: 'detached' });
    await page.getByTestId('tab-vpcs').click();
    for (const id of [made.vpcId!, made.otherVpcId!]) {
      const row = vpcRow(id);
      await row.getByTestId('vpc-delete').click();
      await page.locator('.ant-popover:visible').getByTestId('confirm-delete-vpc').click();
      await row.waitFor({ state: 'detached' });
    }
  });
});
