/**
 * The console's security group tools and image import/export in headless Chromium (Debian's
 * package, driven by playwright-core) against an in-process server with a manual clock: export
 * rules as JSON and CSV, the access explainer, clone to another region, import a CSV with a
 * preview, restore from another group; import an image from an uploaded file and export it,
 * following both tasks to the end. Screenshots go to test-output/screenshots/.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import PopCore from '@alicloud/pop-core';
import type { Page } from 'playwright-core';
import { createNetwork, type Network } from '../helpers/fixtures.js';
import { $Ecs, AK, SECRET, type TestServer } from '../helpers/server.js';
import { consoleActions, consoleSuite, skipWithoutChromium } from '../helpers/browser.js';

const Pop: typeof PopCore = (PopCore as any).default ?? PopCore;
const R = 'cn-hangzhou';
const R2 = 'cn-shanghai';

/** The first bytes of a qcow2 file: magic, version 3, a 3 GiB virtual size at offset 24. */
function qcow2(): Buffer {
  const b = Buffer.alloc(1024);
  b.write('QFI\xfb', 0, 'latin1');
  b.writeUInt32BE(3, 4);
  b.writeBigUInt64BE(3n * 1024n ** 3n, 24);
  return b;
}

describe('management console: security group tools and image import/export (browser)', { skip: skipWithoutChromium, timeout: 600_000 }, () => {
  const ui = consoleSuite({ acceptDownloads: true });
  let s: TestServer;
  let page: Page;
  let net: Network;
  let net2: Network;
  const made: { sgId?: string; peerId?: string; cloneId?: string; targetId?: string; imageId?: string } = {};

  const { shot } = ui;
  const { go, pickOption, signIn } = consoleActions(() => page);
  const rules = async (id: string, regionId = R) =>
    (await s.ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId, securityGroupId: id }))).body!.permissions!.permission!;
  const noErrorNotice = async () => {
    const failed = page.locator('.api-error-notification');
    if (await failed.count()) assert.fail(`an action failed: ${await failed.first().innerText()}`);
  };
  const openGroup = async (id: string) => {
    await go('/security-groups');
    await page.getByTestId('sgs-table').getByRole('link', { name: id }).click();
    await page.waitForURL(`**/security-groups/${id}`);
    await page.getByTestId('rules-ingress').waitFor();
  };

  before(async () => {
    ({ s, page } = ui);
    net = await createNetwork(s, R);
    net2 = await createNetwork(s, R2, '172.16.0.0/16');
  });

  it('signs in', async () => {
    await signIn(s.url);
    await page.getByTestId('region-select').filter({ hasText: `(${R})` }).waitFor();
  });

  it('creates a group with rules and exports them as JSON and CSV files', async () => {
    await go('/security-groups');
    await page.getByTestId('create-sg').click();
    await page.getByTestId('sg-name').fill('tools-sg');
    await page.getByTestId('sg-ok').click();
    const row = page.getByTestId('sgs-table').locator('tr', { hasText: 'tools-sg' });
    await row.waitFor();
    made.sgId = /sg-[a-z0-9]+/.exec(await row.innerText())?.[0];
    assert.ok(made.sgId);
    // A rule naming another group of this VPC: it cannot follow a clone to another region.
    made.peerId = (await s.ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: R, vpcId: net.vpcId, securityGroupName: 'peer-sg' }))).body!.securityGroupId!;
    await s.ecs.authorizeSecurityGroup(new $Ecs.AuthorizeSecurityGroupRequest({
      regionId: R, securityGroupId: made.sgId, permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '3306/3306', sourceGroupId: made.peerId, priority: '5' })],
    }));
    await openGroup(made.sgId!);
    await page.getByTestId('add-ingress').click();
    await page.getByTestId('rule-ports').fill('8080/8080');
    await page.getByTestId('rule-peer').fill('10.0.0.0/8');
    await page.getByTestId('rule-ok').click();
    await page.getByTestId('rules-ingress').locator('tr', { hasText: '8080/8080' }).waitFor();

    await page.getByTestId('export-rules').click();
    const [json] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
    assert.equal(json.suggestedFilename(), `ecs_${R}_${made.sgId}.json`);
    const doc = JSON.parse(readFileSync((await json.path())!, 'utf8'));
    assert.equal(doc.SecurityGroupId, made.sgId);
    assert.equal(doc.RegionId, R);
    assert.deepEqual(doc.Permissions.map((p: any) => `${p.Direction} ${p.IpProtocol} ${p.PortRange} ${p.SourceCidrIp || p.SourceGroupId}`).sort(),
      [`ingress TCP 3306/3306 ${made.peerId}`, 'ingress TCP 8080/8080 10.0.0.0/8']);

    await page.getByTestId('export-rules').click();
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    assert.match(csv.suggestedFilename(), new RegExp(`^ecs_sgRule_${made.sgId}_${R}_\\d{4}-\\d\\d-\\d\\d\\.csv$`));
    const lines = readFileSync((await csv.path())!, 'utf8').trim().split(/\r?\n/);
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^Direction,IpProtocol,PortRange,/);
    await shot('security-group-tools');
  });

  it('the access explainer gives the verdict and the deciding rule', async () => {
    await page.getByTestId('tab-explain').click();
    await page.getByTestId('explain-port').fill('8080');
    await page.getByTestId('explain-peer').fill('10.1.2.3');
    await page.getByTestId('explain-ok').click();
    await page.getByTestId('explain-result').waitFor();
    assert.equal(await page.getByTestId('explain-decision').innerText(), 'Allowed');
    const rule = await page.getByTestId('explain-rule').innerText();
    assert.match(rule, /8080\/8080/);
    assert.match(rule, /10\.0\.0\.0\/8/);
    await shot('security-group-explainer');

    await page.getByTestId('explain-port').fill('8081');
    await page.getByTestId('explain-ok').click();
    await page.getByTestId('explain-decision').filter({ hasText: 'Denied' }).waitFor();
    assert.match(await page.getByTestId('explain-result').innerText(), /inbound traffic is denied by default/);
    assert.equal(await page.getByTestId('explain-rule').count(), 0);

    // A refusal shows the ECS code and message.
    await page.getByTestId('explain-peer').fill('not-an-address');
    await page.getByTestId('explain-ok').click();
    const refused = page.getByTestId('api-error');
    await refused.waitFor();
    assert.match(await refused.innerText(), /InvalidParameter\.PeerAddress: The specified PeerAddress "not-an-address"/);
  });

  it('clones the group to another region and VPC, reporting the rule it could not copy', async () => {
    await page.getByTestId('clone-sg').click();
    await pickOption('clone-region', `(${R2})`);
    // Another region needs one of its VPCs.
    await page.getByTestId('clone-ok').click();
    await page.getByText('Choose a VPC of the destination region').waitFor();
    await pickOption('clone-vpc', net2.vpcId);
    await page.getByTestId('clone-name').fill('tools-sg-shanghai');
    await page.getByTestId('clone-ok').click();
    const result = page.getByTestId('clone-result');
    await result.waitFor();
    await noErrorNotice();
    const text = await result.innerText();
    assert.match(text, new RegExp(`in ${R2} \\(${net2.vpcId}\\) with 1 rule`));
    made.cloneId = /sg-[a-z0-9]+/.exec(text)?.[0];
    const skipped = page.getByTestId('clone-skipped').locator('tbody tr');
    assert.equal(await skipped.count(), 1);
    assert.match(await skipped.innerText(), /InvalidSourceGroupId\.Mismatch/);
    await shot('security-group-clone');
    assert.deepEqual((await rules(made.cloneId!, R2)).map((p) => `${p.portRange} ${p.sourceCidrIp}`), ['8080/8080 10.0.0.0/8']);

    // Opening the clone switches the console to its region.
    await page.getByTestId('clone-open').click();
    await page.waitForURL(`**/security-groups/${made.cloneId}`);
    await page.getByTestId('region-select').filter({ hasText: `(${R2})` }).waitFor();
    await page.getByTestId('rules-ingress').locator('tr', { hasText: '8080/8080' }).waitFor();
    await pickOption('region-select', `(${R})`);
    await page.getByTestId('region-select').filter({ hasText: `(${R})` }).waitFor();
  });

  it('imports rules from a CSV file into a new group, previewing a skipped and a failed row', async () => {
    await go('/security-groups');
    await page.getByTestId('create-sg').click();
    await page.getByTestId('sg-name').fill('import-target');
    await page.getByTestId('sg-ok').click();
    const row = page.getByTestId('sgs-table').locator('tr', { hasText: 'import-target' });
    await row.waitFor();
    made.targetId = /sg-[a-z0-9]+/.exec(await row.innerText())?.[0];
    await openGroup(made.targetId!);

    const csv = [
      'Direction,IpProtocol,PortRange,SourceCidrIp,Policy,Priority,Description',
      'ingress,TCP,443/443,0.0.0.0/0,Accept,1,https',
      'ingress,TCP,443/443,0.0.0.0/0,Accept,1,the same rule again',
      'ingress,TCP,0/10,1.1.1.1/32,Accept,1,bad ports',
    ].join('\r\n');
    await page.getByTestId('import-rules').click();
    await page.getByTestId('import-upload').locator('input[type=file]').setInputFiles({ name: 'rules.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-file-name').filter({ hasText: 'rules.csv' }).waitFor();
    assert.match(await page.getByTestId('import-content').inputValue(), /bad ports/);
    await page.getByTestId('import-preview').click();
    const summary = page.getByTestId('import-summary');
    await summary.waitFor();
    assert.match(await summary.innerText(), /3 rule\(s\) in the file: 1 to import, 1 skipped, 1 failed/);
    assert.match(await page.getByTestId('import-skipped').locator('tbody tr').innerText(), /^2\s[\s\S]*Duplicate/);
    assert.match(await page.getByTestId('import-failed').locator('tbody tr').innerText(), /^3\s[\s\S]*InvalidParam\.PortRange/);
    assert.equal(await page.getByTestId('import-accepted').locator('tbody tr').count(), 1);
    assert.equal((await rules(made.targetId!)).length, 0, 'a preview changes nothing');
    await shot('security-group-import-preview');

    await page.getByTestId('import-ok').click();
    await page.getByTestId('import-summary').waitFor({ state: 'detached' });
    await noErrorNotice();
    await page.getByTestId('rules-ingress').locator('tr', { hasText: '443/443' }).waitFor();
    assert.deepEqual((await rules(made.targetId!)).map((p) => `${p.portRange} ${p.sourceCidrIp} ${p.description}`), ['443/443 0.0.0.0/0 https']);
  });

  it('restores the rules from another group after previewing the difference', async () => {
    await page.getByTestId('restore-rules').click();
    await pickOption('restore-source', made.sgId!);
    await page.getByTestId('restore-preview').click();
    await page.getByTestId('restore-summary').waitFor();
    const add = await page.getByTestId('restore-add').locator('tbody tr').allInnerTexts();
    assert.equal(add.length, 2);
    assert.ok(add.some((r) => r.includes('8080/8080')) && add.some((r) => r.includes(made.peerId!)));
    assert.match(await page.getByTestId('restore-remove').locator('tbody tr').innerText(), /443\/443/);
    await shot('security-group-restore');

    await page.getByTestId('restore-ok').click();
    await page.getByTestId('restore-summary').waitFor({ state: 'detached' });
    await noErrorNotice();
    await page.getByTestId('rules-ingress').locator('tr', { hasText: '8080/8080' }).waitFor();
    await page.getByTestId('rules-ingress').locator('tr', { hasText: '443/443' }).waitFor({ state: 'detached' });
    const brief = (list: Awaited<ReturnType<typeof rules>>) => list.map((p) => `${p.direction} ${p.portRange} ${p.sourceCidrIp || p.sourceGroupId} ${p.policy} ${p.priority}`).sort();
    assert.deepEqual(brief(await rules(made.targetId!)), brief(await rules(made.sgId!)));
  });

  it('imports an image from an uploaded file and follows the task to the end', async () => {
    await go('/images');
    await page.getByTestId('import-image').click();
    await page.getByTestId('image-file').locator('input[type=file]').setInputFiles({ name: 'disk.qcow2', mimeType: 'application/octet-stream', buffer: qcow2() });
    await page.getByTestId('image-file-name').filter({ hasText: 'disk.qcow2 (1024 bytes)' }).waitFor();
    assert.equal(await page.getByTestId('import-key').inputValue(), 'disk.qcow2');
    await page.getByTestId('import-image-name').fill('console-imported');
    await page.getByTestId('import-image-ok').click();
    const progress = page.getByTestId('task-progress');
    await progress.getByTestId('task-status').filter({ hasText: /^Processing$/ }).waitFor();
    await noErrorNotice();
    const text = await progress.innerText();
    made.imageId = /m-[a-z0-9]+/.exec(text)?.[0];
    assert.ok(made.imageId);
    assert.match(text, /ImportImage/);
    // The file went into the bucket through PutObject, byte for byte.
    const ext = new Pop({ accessKeyId: AK, accessKeySecret: SECRET, endpoint: s.url, apiVersion: '2026-11-01' });
    const objects: any = await ext.request('ListObjects', { RegionId: R, Bucket: 'images' }, { method: 'POST' });
    assert.deepEqual(objects.Objects.Object.map((o: any) => [o.Key, o.Size]), [['disk.qcow2', 1024]]);

    // Waiting, then Creating, then Available: three engine steps; the modal follows the task.
    for (let i = 0; i < 3; i++) await s.advance(1000);
    await progress.getByTestId('task-status').filter({ hasText: /^Finished$/ }).waitFor();
    assert.equal(await progress.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
    await shot('image-import-task');
    await page.getByTestId('import-image-done').click();

    const row = page.getByTestId('images-self').locator('tr', { hasText: 'console-imported' });
    await row.getByTestId('status').filter({ hasText: /^Available$/ }).waitFor();
    assert.match(await row.innerText(), new RegExp(made.imageId!));
  });

  it('exports the image to the bucket and sees the export task finish', async (t) => {
    if (!made.imageId) return t.skip('needs the imported image');
    const row = page.getByTestId('images-self').locator('tr', { hasText: made.imageId });
    await row.getByTestId('export-image').click();
    await page.getByTestId('export-prefix').fill('backup');
    await page.getByTestId('export-image-ok').click();
    const progress = page.getByTestId('task-progress');
    await progress.getByTestId('task-status').filter({ hasText: /^Processing$/ }).waitFor();
    await noErrorNotice();
    for (let i = 0; i < 2; i++) await s.advance(1000);
    await progress.getByTestId('task-status').filter({ hasText: /^Finished$/ }).waitFor();
    const object = await progress.getByTestId('task-object').innerText();
    assert.match(object, new RegExp(`^images/backup_${made.imageId}_t-[a-z0-9]+\\.raw$`));
    await page.getByTestId('export-image-done').click();

    await page.getByTestId('tab-tasks').click();
    const tasks = page.getByTestId('tasks-table');
    await tasks.locator('tr', { hasText: 'ExportImage' }).getByTestId('task-status').filter({ hasText: /^Finished$/ }).waitFor();
    await tasks.locator('tr', { hasText: 'ImportImage' }).getByTestId('task-status').filter({ hasText: /^Finished$/ }).waitFor();
    assert.equal(await tasks.locator('tbody tr').count(), 2);
    await tasks.locator('.ant-spin-blur').waitFor({ state: 'detached' });
    await page.waitForTimeout(500); // the tab's ink bar and fade
    await shot('image-tasks');
  });
});
