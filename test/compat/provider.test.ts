/**
 * The provider's start: BssOpenApi QueryAvailableInstances (account-type detection, unless
 * `account_type` is set) and STS GetCallerIdentity (data alicloud_account / caller_identity), as
 * the provider sends them and through the official SDKs.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Bss, * as $Bss from '@alicloud/bssopenapi20171214';
import Sts from '@alicloud/sts20150401';
import * as $OpenApi from '@alicloud/openapi-core';
import { $Ecs, startTestServer, type TestServer, AK, SECRET } from '../helpers/server.js';
import { createNetwork, runRequest, type Network } from '../helpers/fixtures.js';
import { createAccount } from '../../src/auth/accounts.js';
import { fails, ok, ProviderClient } from './provider-client.js';

const BssClient: typeof Bss.default = (Bss as any).default ?? Bss;
const StsClient: typeof Sts.default = (Sts as any).default ?? Sts;

function sdkConfig(s: TestServer, creds = { accessKeyId: AK, accessKeySecret: SECRET }) {
  return new $OpenApi.$OpenApiUtil.Config({ ...creds, endpoint: new URL(s.url).host, protocol: 'http', regionId: 'cn-hangzhou' });
}

describe('provider start: BssOpenApi QueryAvailableInstances and STS GetCallerIdentity', () => {
  let s: TestServer;
  let tf: ProviderClient;
  let n: Network;
  let postPaid: string;
  let prePaid: string;
  before(async () => {
    s = await startTestServer();
    tf = ProviderClient.for(s);
    n = await createNetwork(s);
    postPaid = (await s.ecs.runInstances(runRequest(n, { instanceName: 'payg' }))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(1000);
    prePaid = (await s.ecs.runInstances(runRequest(n, { instanceName: 'sub', instanceChargeType: 'PrePaid', period: 1, periodUnit: 'Month', autoRenew: true, autoRenewPeriod: 1 }))).body!.instanceIdSets!.instanceIdSet![0]!;
    await s.advance(5000);
  });
  after(async () => { await s.close(); });

  it('answers the provider\'s account-type probe (vipcloudfw) with an empty list in the real shape', async () => {
    const d = ok(await tf.rpc('BssOpenApi', 'QueryAvailableInstances', {
      PageSize: 50, PageNum: 1, ProductCode: 'vipcloudfw', ProductType: 'vipcloudfw', SubscriptionType: 'Subscription',
    }));
    assert.equal(d.str('Code'), 'Success');
    assert.equal(d.bool('Success'), true);
    assert.equal(typeof d.str('Message'), 'string');
    assert.match(d.str('RequestId'), /^[0-9A-F-]{36}$/);
    assert.equal(d.int('Data.PageNum'), 1);
    assert.equal(d.int('Data.PageSize'), 50);
    assert.equal(d.int('Data.TotalCount'), 0);
    assert.deepEqual(d.arr('Data.InstanceList'), []);
  });

  it('lists the caller\'s ECS instances with their subscription types (official SDK)', async () => {
    const bss = new BssClient(sdkConfig(s));
    const all = await bss.queryAvailableInstances(new $Bss.QueryAvailableInstancesRequest({ productCode: 'ecs' }));
    assert.equal(all.body!.code, 'Success');
    assert.equal(all.body!.success, true);
    const list = all.body!.data!.instanceList!;
    assert.equal(all.body!.data!.totalCount, 2);
    const byId = new Map(list.map((i) => [i.instanceID, i]));
    const payg = byId.get(postPaid)!;
    const sub = byId.get(prePaid)!;
    assert.equal(payg.subscriptionType, 'PayAsYouGo');
    assert.equal(sub.subscriptionType, 'Subscription');
    for (const i of [payg, sub]) {
      assert.equal(i.productCode, 'ecs');
      assert.equal(i.productType, 'ecs');
      assert.equal(i.status, 'Normal');
      assert.equal(i.region, 'cn-hangzhou');
      assert.match(i.createTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.match(i.endTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(typeof i.ownerId, 'number');
      assert.ok(i.seller);
    }
    assert.equal(payg.endTime, '2099-12-31T15:59:00Z', 'pay-as-you-go ends when ECS ExpiredTime says');
    assert.equal(payg.renewStatus, undefined);
    // A one-month subscription bought at creation, renewing itself monthly.
    const created = Date.parse(sub.createTime!);
    const end = new Date(created);
    end.setUTCMonth(end.getUTCMonth() + 1);
    assert.equal(sub.endTime, end.toISOString().slice(0, 19) + 'Z');
    assert.equal(sub.renewStatus, 'AutoRenewal');
    assert.equal(sub.renewalDuration, 1);
    assert.equal(sub.renewalDurationUnit, 'M');

    const q = async (r: Record<string, unknown>) => (await bss.queryAvailableInstances(new $Bss.QueryAvailableInstancesRequest({ productCode: 'ecs', ...r }))).body!.data!;
    assert.deepEqual((await q({ subscriptionType: 'Subscription' })).instanceList!.map((i) => i.instanceID), [prePaid]);
    assert.deepEqual((await q({ subscriptionType: 'PayAsYouGo' })).instanceList!.map((i) => i.instanceID), [postPaid]);
    assert.deepEqual((await q({ renewStatus: 'AutoRenewal' })).instanceList!.map((i) => i.instanceID), [prePaid]);
    assert.deepEqual((await q({ renewStatus: 'ManualRenewal' })).instanceList, []);
    assert.deepEqual((await q({ renewStatus: 'AutoRenewal', subscriptionType: 'PayAsYouGo' })).instanceList, []);
    assert.deepEqual((await q({ region: 'cn-hangzhou', instanceIDs: `${postPaid},i-doesnotexist` })).instanceList!.map((i) => i.instanceID), [postPaid]);
    assert.deepEqual((await q({ region: 'cn-beijing' })).instanceList, []);
    assert.deepEqual((await q({ createTimeStart: '2099-01-01T00:00:00Z' })).instanceList, []);
    assert.equal((await q({ createTimeEnd: '2099-01-01T00:00:00Z' })).totalCount, 2);
    assert.deepEqual((await q({ endTimeEnd: '2030-01-01T00:00:00Z' })).instanceList!.map((i) => i.instanceID), [prePaid], 'only the subscription ends before 2030');
    assert.deepEqual((await q({ endTimeStart: '2030-01-01T00:00:00Z' })).instanceList!.map((i) => i.instanceID), [postPaid]);
    assert.deepEqual((await q({ endTimeStart: '2030-01-01T00:00:00Z', endTimeEnd: '2031-01-01T00:00:00Z' })).instanceList, []);
    const page2 = await q({ pageSize: 1, pageNum: 2 });
    assert.equal(page2.totalCount, 2);
    assert.equal(page2.pageNum, 2);
    assert.deepEqual(page2.instanceList!.map((i) => i.instanceID), [prePaid], 'ordered by creation');
    assert.deepEqual((await q({ productType: 'rds' })).instanceList, []);
  });

  it('refuses malformed filters with a 400 naming the parameter', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ PageSize: 301 }, 'InvalidParameter', /PageSize/],
      [{ PageNum: 0 }, 'InvalidParameter', /PageNum/],
      [{ SubscriptionType: 'Monthly' }, 'InvalidParameter', /SubscriptionType/],
      [{ RenewStatus: 'Sometimes' }, 'InvalidParameter', /RenewStatus/],
      [{ EndTimeStart: 'yesterday' }, 'InvalidParameter', /EndTimeStart/],
      [{ Region: 'cn-hangzhou' }, 'MissingParameter', /ProductCode/],
      [{ ProductCode: 'ecs', Region: 'mars-north-1' }, 'InvalidParameter', /Region/],
      [{ InstanceIDs: Array.from({ length: 101 }, (_, k) => `i-${k}`).join(',') }, 'InvalidParameter', /InstanceIDs/],
    ];
    for (const [body, code, msg] of cases) {
      const r = fails(await tf.rpc('BssOpenApi', 'QueryAvailableInstances', body as any), code);
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.match(r.message, msg);
    }
  });

  it('follows the ECS renewal settings and the subscription\'s end: ManualRenewal, then Expired', async () => {
    await s.ecs.modifyInstanceAutoRenewAttribute(new $Ecs.ModifyInstanceAutoRenewAttributeRequest({ regionId: 'cn-hangzhou', instanceId: prePaid, renewalStatus: 'Normal' }));
    const read = async () => ok(await tf.rpc('BssOpenApi', 'QueryAvailableInstances', { ProductCode: 'ecs', SubscriptionType: 'Subscription', PageSize: 50, PageNum: 1 })).at('Data.InstanceList[0]');
    let i = await read();
    assert.equal(i.str('RenewStatus'), 'ManualRenewal');
    assert.equal(i.has('RenewalDuration'), false);
    assert.equal(i.str('Status'), 'Normal');
    await s.advance(32 * 86_400_000);
    i = await read();
    assert.equal(i.str('InstanceID'), prePaid);
    assert.equal(i.str('Status'), 'Expired');
  });

  it('shows another account nothing of this one', async () => {
    const other = await createAccount(s.app.services.db, 'other', s.clock.now());
    const bss = new BssClient(sdkConfig(s, { accessKeyId: other.accessKeyId, accessKeySecret: other.accessKeySecret }));
    const r = await bss.queryAvailableInstances(new $Bss.QueryAvailableInstancesRequest({ productCode: 'ecs' }));
    assert.deepEqual(r.body!.data!.instanceList, []);
    assert.equal(r.body!.data!.totalCount, 0);
  });

  it('drops a released instance from the list', async () => {
    await s.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: postPaid, force: true }));
    const d = ok(await tf.rpc('BssOpenApi', 'QueryAvailableInstances', { ProductCode: 'ecs', PageSize: 50, PageNum: 1 }));
    assert.deepEqual(d.items('Data.InstanceList').map((i) => i.str('InstanceID')), [prePaid]);
  });

  it('GetCallerIdentity gives the fields data alicloud_account / caller_identity read', async () => {
    const sts = new StsClient(sdkConfig(s));
    const r = await sts.getCallerIdentity();
    assert.match(r.body!.accountId!, /^1\d{15}$/);
    assert.equal(r.body!.arn, `acs:ram::${r.body!.accountId}:root`);
    assert.equal(r.body!.identityType, 'Account');
    assert.equal(r.body!.principalId, r.body!.accountId);
    assert.equal(r.body!.userId, r.body!.accountId);
    // The provider's own STS client (old SDK, query-string POST) reads AccountId as a string.
    const d = ok(await tf.sdk('GetCallerIdentity', {}, 'Sts'));
    for (const f of ['AccountId', 'Arn', 'IdentityType', 'PrincipalId', 'UserId']) assert.equal(typeof d.str(f), 'string');
    assert.equal(d.str('AccountId'), r.body!.accountId);
  });
});
